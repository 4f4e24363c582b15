use opwire::{OpState, op};
pub fn op_greet(state: &mut OpState, name: &str, suffix: Option<String>) -> String {
    let count = state.borrow_mut::<u32>();
    *count += 1;
    format!("hello {name}{}", suffix.unwrap_or_default())
}
///Declaration of the `op_greet` op; register `op_greet::DECL` on a runtime.
#[allow(non_camel_case_types, dead_code)]
pub struct op_greet {}
#[allow(
    unused,
    clippy::pedantic,
    clippy::complexity,
    clippy::undocumented_unsafe_blocks
)]
impl op_greet {
    /// The op's declaration: pass it to a runtime to register the op.
    pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__new(
        "op_greet",
        ::opwire::__private::OpKind::Sync,
        &[
            ::opwire::__private::ArgMeta {
                name: "name",
                rust_type: "&str",
                ts_type: "string",
                optional: false,
            },
            ::opwire::__private::ArgMeta {
                name: "suffix",
                rust_type: "Option<String>",
                ts_type: "string | null",
                optional: true,
            },
        ],
        ::opwire::__private::RetMeta {
            rust_type: "String",
            ts_type: "string",
            fallible: false,
        },
        Self::__opwire_slow,
        ::core::option::Option::None,
    );
    unsafe extern "C" fn __opwire_slow(
        __info: *const ::opwire::__private::FunctionCallbackInfo,
    ) {
        unsafe {
            ::opwire::__private::dispatch_sync(
                __info,
                |__cx| {
                    let mut __a0 = __cx.state_mut()?;
                    let mut __a1_buf = ::opwire::__private::StrBuf::new();
                    let __a1 = __cx.str_arg(0usize, &mut __a1_buf)?;
                    let __a2 = __cx.arg::<Option<String>>(1usize)?;
                    let __r = op_greet(&mut __a0, __a1, __a2);
                    __cx.ret(__r)
                },
            )
        }
    }
}
