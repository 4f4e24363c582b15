use opwire::op;
pub(crate) fn op_add(a: i32, b: i32) -> i32 {
    a + b
}
///Declaration of the `op_add` op; register `op_add::DECL` on a runtime.
#[allow(non_camel_case_types, dead_code)]
pub(crate) struct op_add {}
#[allow(
    unused,
    clippy::pedantic,
    clippy::complexity,
    clippy::undocumented_unsafe_blocks
)]
impl op_add {
    /// The op's declaration: pass it to a runtime to register the op.
    pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__new(
        "op_add",
        ::opwire::__private::OpKind::Sync,
        &[
            ::opwire::__private::ArgMeta {
                name: "a",
                rust_type: "i32",
                ts_type: "number",
                optional: false,
            },
            ::opwire::__private::ArgMeta {
                name: "b",
                rust_type: "i32",
                ts_type: "number",
                optional: false,
            },
        ],
        ::opwire::__private::RetMeta {
            rust_type: "i32",
            ts_type: "number",
            fallible: false,
        },
        Self::__opwire_slow,
        ::core::option::Option::Some(Self::__OPWIRE_FAST),
    );
    unsafe extern "C" fn __opwire_slow(
        __info: *const ::opwire::__private::FunctionCallbackInfo,
    ) {
        unsafe {
            ::opwire::__private::dispatch_sync(
                __info,
                |__cx| {
                    let __a0 = __cx.arg::<i32>(0usize)?;
                    let __a1 = __cx.arg::<i32>(1usize)?;
                    let __r = op_add(__a0, __a1);
                    __cx.ret(__r)
                },
            )
        }
    }
    const __OPWIRE_FAST_INFO: &'static ::opwire::__private::CFunctionInfo = &::opwire::__private::CFunctionInfo::new(
        ::opwire::__private::Type::Int32.as_info(),
        &[
            ::opwire::__private::Type::V8Value.as_info(),
            ::opwire::__private::Type::Int64.as_info(),
            ::opwire::__private::Type::Int64.as_info(),
            ::opwire::__private::Type::CallbackOptions.as_info(),
        ],
        ::opwire::__private::Int64Representation::Number,
    );
    const __OPWIRE_FAST: &'static [::opwire::__private::CFunction; 2] = &[
        ::opwire::__private::CFunction::new(
            Self::__opwire_fast_free as *const ::core::ffi::c_void,
            Self::__OPWIRE_FAST_INFO_FREE,
        ),
        ::opwire::__private::CFunction::new(
            Self::__opwire_fast::<true> as *const ::core::ffi::c_void,
            Self::__OPWIRE_FAST_INFO,
        ),
    ];
    #[inline(always)]
    unsafe fn __opwire_fast_body<'__s>(
        __fx: &::opwire::__private::FastCx<'__s>,
        __recv: ::opwire::__private::Local<'__s, ::opwire::v8::Object>,
        __p0: i64,
        __p1: i64,
    ) -> ::core::result::Result<i32, ::opwire::__private::FastFail> {
        unsafe {
            let __a0 = __fx.narrow::<i32>(__p0, 0usize, "i32")?;
            let __a1 = __fx.narrow::<i32>(__p1, 1usize, "i32")?;
            let __r = op_add(__a0, __a1);
            ::core::result::Result::Ok(__r)
        }
    }
    extern "C" fn __opwire_fast<'__s, const __M: bool>(
        __recv: ::opwire::__private::Local<'__s, ::opwire::v8::Object>,
        __p0: i64,
        __p1: i64,
        __opts: *mut ::opwire::__private::FastApiCallbackOptions<'__s>,
    ) -> <i32 as ::opwire::__private::FastRet>::Raw {
        unsafe {
            ::opwire::__private::dispatch_fast(
                __opts,
                __M,
                |__fx| Self::__opwire_fast_body(__fx, __recv, __p0, __p1),
            )
        }
    }
    const __OPWIRE_FAST_INFO_FREE: &'static ::opwire::__private::CFunctionInfo = &::opwire::__private::CFunctionInfo::new(
        ::opwire::__private::Type::Int32.as_info(),
        &[
            ::opwire::__private::Type::V8Value.as_info(),
            ::opwire::__private::Type::Int64.as_info(),
            ::opwire::__private::Type::Int64.as_info(),
        ],
        ::opwire::__private::Int64Representation::Number,
    );
    extern "C" fn __opwire_fast_free<'__s>(
        __recv: ::opwire::__private::Local<'__s, ::opwire::v8::Object>,
        __p0: i64,
        __p1: i64,
    ) -> <i32 as ::opwire::__private::FastRet>::Raw {
        unsafe {
            ::opwire::__private::dispatch_fast_free(
                &Self::DECL,
                |__fx| Self::__opwire_fast_body(__fx, __recv, __p0, __p1),
            )
        }
    }
}
