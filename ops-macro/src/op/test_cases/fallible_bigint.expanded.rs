use opwire::{OpError, op};
pub(crate) fn op_file_size(path: String, limit: Option<u64>) -> Result<u64, OpError> {
    let len = std::fs::metadata(path)?.len();
    Ok(limit.map_or(len, |l| len.min(l)))
}
///Declaration of the `op_file_size` op; register `op_file_size::DECL` on a runtime.
#[allow(non_camel_case_types, dead_code)]
pub(crate) struct op_file_size {}
#[allow(
    unused,
    clippy::pedantic,
    clippy::complexity,
    clippy::undocumented_unsafe_blocks
)]
impl op_file_size {
    /// The op's declaration: pass it to a runtime to register the op.
    pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__new(
        "fileSize",
        ::opwire::__private::OpKind::Sync,
        &[
            ::opwire::__private::ArgMeta {
                name: "path",
                rust_type: "String",
                ts_type: "string",
                optional: false,
            },
            ::opwire::__private::ArgMeta {
                name: "limit",
                rust_type: "Option<u64>",
                ts_type: "number | null",
                optional: true,
            },
        ],
        ::opwire::__private::RetMeta {
            rust_type: "Result<u64, OpError>",
            ts_type: "bigint",
            fallible: true,
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
                    let __a0 = __cx.arg::<String>(0usize)?;
                    let __a1 = __cx
                        .arg::<
                            ::core::option::Option<::opwire::__private::AsNumber<u64>>,
                        >(1usize)?
                        .map(|__v| __v.0);
                    let __r = op_file_size(__a0, __a1);
                    __cx.ret(::opwire::__private::WrapBigInt::wrap_bigint(__r))
                },
            )
        }
    }
}
