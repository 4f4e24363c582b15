use opwire::{JsBuffer, OpError, op};
use serde::{Deserialize, Serialize};
#[derive(Deserialize)]
pub(crate) struct Config {
    pub(crate) name: String,
}
#[derive(Serialize)]
pub(crate) struct Report {
    pub(crate) len: usize,
}
pub(crate) fn op_report(
    cfg: Config,
    data: &[u8],
    out: &mut [u8],
) -> Result<Report, OpError> {
    out.fill(0);
    Ok(Report {
        len: cfg.name.len() + data.len(),
    })
}
///Declaration of the `op_report` op; register `op_report::DECL` on a runtime.
#[allow(non_camel_case_types, dead_code)]
pub(crate) struct op_report {}
#[allow(
    unused,
    clippy::pedantic,
    clippy::complexity,
    clippy::undocumented_unsafe_blocks
)]
impl op_report {
    /// The op's declaration: pass it to a runtime to register the op.
    pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__new(
        "op_report",
        ::opwire::__private::OpKind::Sync,
        &[
            ::opwire::__private::ArgMeta {
                name: "cfg",
                rust_type: "Config",
                ts_type: "unknown",
                optional: false,
            },
            ::opwire::__private::ArgMeta {
                name: "data",
                rust_type: "&[u8]",
                ts_type: "Uint8Array",
                optional: false,
            },
            ::opwire::__private::ArgMeta {
                name: "out",
                rust_type: "&mut [u8]",
                ts_type: "Uint8Array",
                optional: false,
            },
        ],
        ::opwire::__private::RetMeta {
            rust_type: "Result<Report, OpError>",
            ts_type: "unknown",
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
                    let __a0 = __cx.serde_arg::<Config>(0usize)?;
                    let mut __a1_store = ::opwire::__private::ViewStore::new();
                    let __a1 = __cx.buffer_arg(1usize, &mut __a1_store)?;
                    let mut __a2_store = ::opwire::__private::ViewStore::new();
                    let __a2 = __cx.buffer_mut_arg(2usize, &mut __a2_store)?;
                    let __r = op_report(__a0, __a1, __a2);
                    __cx.ret(__r.map(::opwire::__private::Serde))
                },
            )
        }
    }
}
pub(crate) async fn op_checksum(data: JsBuffer) -> Vec<u8> {
    Vec::from([data.iter().fold(0u8, |a, b| a.wrapping_add(*b))])
}
///Declaration of the `op_checksum` op; register `op_checksum::DECL` on a runtime.
#[allow(non_camel_case_types, dead_code)]
pub(crate) struct op_checksum {}
#[allow(
    unused,
    clippy::pedantic,
    clippy::complexity,
    clippy::undocumented_unsafe_blocks
)]
impl op_checksum {
    /// The op's declaration: pass it to a runtime to register the op.
    pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__new(
        "op_checksum",
        ::opwire::__private::OpKind::Async,
        &[
            ::opwire::__private::ArgMeta {
                name: "data",
                rust_type: "JsBuffer",
                ts_type: "Uint8Array",
                optional: false,
            },
        ],
        ::opwire::__private::RetMeta {
            rust_type: "Vec<u8>",
            ts_type: "Promise<Uint8Array>",
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
                ::opwire::__private::Start::Eager,
                |__cx| {
                    let __a0 = __cx.arg::<JsBuffer>(0usize)?;
                    let __r = op_checksum(__a0);
                    ::core::result::Result::Ok(__r)
                },
            )
        }
    }
}
