use opwire::{OpError, OpState, op};
use std::cell::RefCell;
use std::rc::Rc;
pub(crate) async fn op_read_text(
    path: String,
    state: Rc<RefCell<OpState>>,
) -> Result<String, OpError> {
    let _ = state;
    Ok(tokio::fs::read_to_string(path).await?)
}
///Declaration of the `op_read_text` op; register `op_read_text::DECL` on a runtime.
#[allow(non_camel_case_types, dead_code)]
pub(crate) struct op_read_text {}
#[allow(
    unused,
    clippy::pedantic,
    clippy::complexity,
    clippy::undocumented_unsafe_blocks
)]
impl op_read_text {
    /// The op's declaration: pass it to a runtime to register the op.
    pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__new(
        "op_read_text",
        ::opwire::__private::OpKind::Async,
        &[
            ::opwire::__private::ArgMeta {
                name: "path",
                rust_type: "String",
                ts_type: "string",
                optional: false,
            },
        ],
        ::opwire::__private::RetMeta {
            rust_type: "Result<String, OpError>",
            ts_type: "Promise<string>",
            fallible: true,
        },
        Self::__opwire_slow,
        ::core::option::Option::None,
    );
    unsafe extern "C" fn __opwire_slow(
        __info: *const ::opwire::__private::FunctionCallbackInfo,
    ) {
        unsafe {
            ::opwire::__private::dispatch_async(
                __info,
                ::opwire::__private::Start::Eager,
                |__cx| {
                    let __a0 = __cx.arg::<String>(0usize)?;
                    let __a1 = __cx.state_rc();
                    let __r = op_read_text(__a0, __a1);
                    ::core::result::Result::Ok(__r)
                },
            )
        }
    }
}
pub(crate) fn op_later(x: u32) -> impl Future<Output = u64> {
    let x = u64::from(x);
    async move { x }
}
///Declaration of the `op_later` op; register `op_later::DECL` on a runtime.
#[allow(non_camel_case_types, dead_code)]
pub(crate) struct op_later {}
#[allow(
    unused,
    clippy::pedantic,
    clippy::complexity,
    clippy::undocumented_unsafe_blocks
)]
impl op_later {
    /// The op's declaration: pass it to a runtime to register the op.
    pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__new(
        "op_later",
        ::opwire::__private::OpKind::AsyncLazy,
        &[
            ::opwire::__private::ArgMeta {
                name: "x",
                rust_type: "u32",
                ts_type: "number",
                optional: false,
            },
        ],
        ::opwire::__private::RetMeta {
            rust_type: "u64",
            ts_type: "Promise<bigint>",
            fallible: false,
        },
        Self::__opwire_slow,
        ::core::option::Option::None,
    );
    unsafe extern "C" fn __opwire_slow(
        __info: *const ::opwire::__private::FunctionCallbackInfo,
    ) {
        unsafe {
            ::opwire::__private::dispatch_async(
                __info,
                ::opwire::__private::Start::Lazy,
                |__cx| {
                    let __a0 = __cx.arg::<u32>(0usize)?;
                    let __r = op_later(__a0);
                    ::core::result::Result::Ok(::opwire::__private::map_bigint(__r))
                },
            )
        }
    }
}
pub(crate) fn op_truncate(path: String, len: u64) -> Result<(), OpError> {
    std::fs::OpenOptions::new().write(true).open(path)?.set_len(len)?;
    Ok(())
}
///Declaration of the `op_truncate` op; register `op_truncate::DECL` on a runtime.
#[allow(non_camel_case_types, dead_code)]
pub(crate) struct op_truncate {}
#[allow(
    unused,
    clippy::pedantic,
    clippy::complexity,
    clippy::undocumented_unsafe_blocks
)]
impl op_truncate {
    /// The op's declaration: pass it to a runtime to register the op.
    pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__new(
        "op_truncate",
        ::opwire::__private::OpKind::Blocking,
        &[
            ::opwire::__private::ArgMeta {
                name: "path",
                rust_type: "String",
                ts_type: "string",
                optional: false,
            },
            ::opwire::__private::ArgMeta {
                name: "len",
                rust_type: "u64",
                ts_type: "number",
                optional: false,
            },
        ],
        ::opwire::__private::RetMeta {
            rust_type: "Result<(), OpError>",
            ts_type: "Promise<void>",
            fallible: true,
        },
        Self::__opwire_slow,
        ::core::option::Option::None,
    );
    unsafe extern "C" fn __opwire_slow(
        __info: *const ::opwire::__private::FunctionCallbackInfo,
    ) {
        unsafe {
            ::opwire::__private::dispatch_async(
                __info,
                ::opwire::__private::Start::Lazy,
                |__cx| {
                    let __a0 = __cx.arg::<String>(0usize)?;
                    let __a1 = __cx.arg::<::opwire::__private::AsNumber<u64>>(1usize)?.0;
                    let __r = ::opwire::__private::blocking(
                        "op_truncate",
                        move || op_truncate(__a0, __a1),
                    );
                    ::core::result::Result::Ok(__r)
                },
            )
        }
    }
}
pub(crate) async fn op_next(
    n: u32,
    state: Rc<RefCell<OpState>>,
) -> Result<u32, OpError> {
    let _ = state;
    Ok(n + 1)
}
///Declaration of the `op_next` op; register `op_next::DECL` on a runtime.
#[allow(non_camel_case_types, dead_code)]
pub(crate) struct op_next {}
#[allow(
    unused,
    clippy::pedantic,
    clippy::complexity,
    clippy::undocumented_unsafe_blocks
)]
impl op_next {
    /// The op's declaration: pass it to a runtime to register the op.
    pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__new(
        "op_next",
        ::opwire::__private::OpKind::Async,
        &[
            ::opwire::__private::ArgMeta {
                name: "n",
                rust_type: "u32",
                ts_type: "number",
                optional: false,
            },
        ],
        ::opwire::__private::RetMeta {
            rust_type: "Result<u32, OpError>",
            ts_type: "Promise<number>",
            fallible: true,
        },
        Self::__opwire_slow,
        ::core::option::Option::Some(Self::__OPWIRE_FAST),
    );
    unsafe extern "C" fn __opwire_slow(
        __info: *const ::opwire::__private::FunctionCallbackInfo,
    ) {
        unsafe {
            ::opwire::__private::dispatch_async(
                __info,
                ::opwire::__private::Start::Eager,
                |__cx| {
                    let __a0 = __cx.arg::<u32>(0usize)?;
                    let __a1 = __cx.state_rc();
                    let __r = op_next(__a0, __a1);
                    ::core::result::Result::Ok(__r)
                },
            )
        }
    }
    const __OPWIRE_FAST_INFO: &'static ::opwire::__private::CFunctionInfo = &::opwire::__private::CFunctionInfo::new(
        ::opwire::__private::Type::Uint32.as_info(),
        &[
            ::opwire::__private::Type::V8Value.as_info(),
            ::opwire::__private::Type::Int32.as_info(),
            ::opwire::__private::Type::Int64.as_info(),
            ::opwire::__private::Type::CallbackOptions.as_info(),
        ],
        ::opwire::__private::Int64Representation::Number,
    );
    const __OPWIRE_FAST: &'static [::opwire::__private::CFunction; 2] = &[
        ::opwire::__private::CFunction::new(
            Self::__opwire_fast::<false> as *const ::core::ffi::c_void,
            Self::__OPWIRE_FAST_INFO,
        ),
        ::opwire::__private::CFunction::new(
            Self::__opwire_fast::<true> as *const ::core::ffi::c_void,
            Self::__OPWIRE_FAST_INFO,
        ),
    ];
    extern "C" fn __opwire_fast<'__s, const __M: bool>(
        __recv: ::opwire::__private::Local<'__s, ::opwire::v8::Object>,
        __pid: i32,
        __p0: i64,
        __opts: *mut ::opwire::__private::FastApiCallbackOptions<'__s>,
    ) -> <Result<u32, OpError> as ::opwire::__private::FastRet>::Raw {
        unsafe {
            ::opwire::__private::dispatch_fast_async(
                __opts,
                __pid,
                ::opwire::__private::Start::Eager,
                __M,
                |__fx| {
                    let __a0 = __fx.narrow::<u32>(__p0, 0usize, "u32")?;
                    let __a1 = __fx.state_rc();
                    let __r = op_next(__a0, __a1);
                    ::core::result::Result::Ok(__r)
                },
            )
        }
    }
}
