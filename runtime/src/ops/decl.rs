//! [`OpDecl`]: what `#[op]` generates and a runtime registers, with the
//! op's metadata.

/// How an op runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpKind {
    /// A synchronous call: JS gets the return value (or an exception).
    Sync,
    /// An `async fn` (or `fn -> impl Future`): JS gets a promise. The future
    /// is polled once during the call, so a result that is ready at once
    /// settles the promise without waiting for the event loop.
    Async,
    /// An async op marked `#[op(async(lazy))]`: its future is only polled
    /// by the event loop, never inside the JS call.
    AsyncLazy,
    /// An `#[op(blocking)]` fn: it runs on tokio's blocking thread pool and
    /// JS gets a promise.
    Blocking,
}

/// Metadata of one JS-visible argument of an op.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgMeta {
    /// The Rust parameter name (`"b"` in `fn op_add(a: i32, b: i32)`).
    pub name: &'static str,
    /// The Rust type as written (`"i32"`, `"&str"`, `"Option<u32>"`).
    pub rust_type: &'static str,
    /// The TypeScript type JS should pass (`"number"`, `"string | null"`).
    pub ts_type: &'static str,
    /// Whether JS may leave it out (`Option<T>` arguments).
    pub optional: bool,
}

/// Metadata of an op's return value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetMeta {
    /// The Rust return type as written (`"()"` when there is none).
    pub rust_type: &'static str,
    /// The TypeScript type JS receives.
    pub ts_type: &'static str,
    /// Whether the op can throw an op error (its return type is a `Result`).
    pub fallible: bool,
}

/// The declaration of one op: its JS name, metadata and V8 callback.
///
/// `#[op] fn op_add(..)` generates `op_add::DECL`; hand it to
/// [`RuntimeOptions::ops`](crate::RuntimeOptions::ops) or an
/// [`Extension`](crate::Extension). The metadata is plain data so tools can
/// read it (for typings, error messages, metrics).
///
/// # Examples
///
/// ```
/// use opwire::op;
///
/// #[op]
/// fn op_add(a: i32, b: i32) -> i32 { a + b }
///
/// let decl = op_add::DECL;
/// assert_eq!(decl.name(), "op_add");
/// assert_eq!(decl.args()[1].name, "b");
/// assert_eq!(decl.ret().ts_type, "number");
/// assert_eq!(decl.typescript(), "op_add(a: number, b: number): number");
/// ```
#[derive(Clone, Copy)]
pub struct OpDecl {
    name: &'static str,
    kind: OpKind,
    args: &'static [ArgMeta],
    ret: RetMeta,
    slow: v8::FunctionCallback,
    /// The fast function, plain and counting op metrics.
    fast: Option<&'static [v8::fast_api::CFunction; 2]>,
}

impl OpDecl {
    #[doc(hidden)]
    pub const fn __new(
        name: &'static str,
        kind: OpKind,
        args: &'static [ArgMeta],
        ret: RetMeta,
        slow: v8::FunctionCallback,
        fast: Option<&'static [v8::fast_api::CFunction; 2]>,
    ) -> Self {
        Self {
            name,
            kind,
            args,
            ret,
            slow,
            fast,
        }
    }

    /// The name JS calls the op by.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// How the op runs.
    pub const fn kind(&self) -> OpKind {
        self.kind
    }

    /// The JS-visible arguments, in order (injected ones such as `&mut OpState`
    /// are not listed).
    pub const fn args(&self) -> &'static [ArgMeta] {
        self.args
    }

    /// The return value.
    pub const fn ret(&self) -> RetMeta {
        self.ret
    }

    /// Fewest arguments JS must pass.
    pub fn min_args(&self) -> usize {
        self.args
            .iter()
            .rposition(|a| !a.optional)
            .map_or(0, |i| i + 1)
    }

    /// Most arguments JS may pass.
    pub const fn max_args(&self) -> usize {
        self.args.len()
    }

    /// A TypeScript method signature for the op, e.g.
    /// `op_add(a: number, b: number): number` (async ops return
    /// `Promise<...>`).
    pub fn typescript(&self) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| {
                let q = if a.optional { "?" } else { "" };
                format!("{}{q}: {}", a.name, a.ts_type)
            })
            .collect();
        format!("{}({}): {}", self.name, args.join(", "), self.ret.ts_type)
    }

    pub(crate) fn slow(&self) -> v8::FunctionCallback {
        self.slow
    }

    /// Whether the op has a V8 Fast API path (used once JS calling it is
    /// optimized).
    pub const fn is_fast(&self) -> bool {
        self.fast.is_some()
    }

    /// The fast function to register: the plain one, or the one that
    /// counts op metrics.
    pub(crate) fn fast(&self, metered: bool) -> Option<&'static [v8::fast_api::CFunction]> {
        let [plain, counting] = self.fast?;
        Some(std::slice::from_ref(if metered { counting } else { plain }))
    }

    /// The addresses V8 keeps of this op's functions (the slow callback,
    /// and each fast function: its description, address and type
    /// information), which a startup
    /// snapshot records as external references: V8 stores them by index
    /// and binds them again when a runtime starts from the snapshot.
    pub(crate) fn external_refs(&self) -> impl Iterator<Item = v8::ExternalReference> {
        let slow = v8::ExternalReference {
            function: self.slow,
        };
        let fast = self.fast.into_iter().flatten().flat_map(|f| {
            let info: *const v8::fast_api::CFunction = f;
            [
                v8::ExternalReference {
                    pointer: info.cast_mut().cast(),
                },
                v8::ExternalReference {
                    pointer: f.address().cast_mut(),
                },
                v8::ExternalReference {
                    type_info: f.type_info(),
                },
            ]
        });
        std::iter::once(slow).chain(fast)
    }
}

/// A TypeScript declaration file (`.d.ts`) for `ops`, typing the global
/// `ops` object that JS calls them on.
///
/// # Examples
///
/// ```
/// use opwire::{op, typescript_declarations};
///
/// #[op]
/// fn op_add(a: i32, b: i32) -> i32 { a + b }
///
/// #[op]
/// async fn op_wait(ms: u32) {}
///
/// let dts = typescript_declarations(&opwire::ops![op_add, op_wait]);
/// assert!(dts.contains("  op_add(a: number, b: number): number;\n"));
/// assert!(dts.contains("  op_wait(ms: number): Promise<void>;\n"));
/// ```
pub fn typescript_declarations(ops: &[OpDecl]) -> String {
    ops_block(ops, &[])
}

/// The `declare const ops` block: the ops, then `extra` members
/// (`Counter: typeof Counter` for classes).
pub(crate) fn ops_block(ops: &[OpDecl], extra: &[String]) -> String {
    let mut out = String::from(
        "// Generated by opwire: the ops on `globalThis.ops`.\ndeclare const ops: {\n",
    );
    let members = ops
        .iter()
        .map(OpDecl::typescript)
        .chain(extra.iter().cloned());
    for member in members {
        out.push_str("  ");
        out.push_str(&member);
        out.push_str(";\n");
    }
    out.push_str("};\n");
    out
}

impl std::fmt::Debug for OpDecl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpDecl")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("args", &self.args)
            .field("ret", &self.ret)
            .field("fast", &self.fast.is_some())
            .finish_non_exhaustive()
    }
}

impl OpDecl {
    #[doc(hidden)]
    pub const fn __invalid(name: &'static str) -> Self {
        Self::__new(
            name,
            OpKind::Sync,
            &[],
            RetMeta {
                rust_type: "()",
                ts_type: "never",
                fallible: true,
            },
            invalid_op,
            None,
        )
    }
}

/// The callback of an op that failed to compile (never reached: the crate
/// that declares it does not build).
unsafe extern "C" fn invalid_op(_info: *const v8::FunctionCallbackInfo) {}
