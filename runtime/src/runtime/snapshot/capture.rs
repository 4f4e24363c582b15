//! What a runtime made for a snapshot keeps for it, and how a
//! snapshot-making isolate that never got a runtime is let go.

/// Drops a snapshot-making isolate that never got a runtime (V8 only
/// lets go of one once it wrote its blob).
pub(in crate::runtime) fn discard_isolate(mut isolate: v8::OwnedIsolate) {
    {
        v8::scope!(let scope, &mut isolate);
        let context = v8::Context::new(scope, Default::default());
        scope.set_default_context(context);
    }
    drop(isolate.create_blob(v8::FunctionCodeHandling::Clear));
}

/// What a runtime that will become a snapshot keeps for it.
pub(in crate::runtime) struct Capture {
    /// `[hooks, statusBuffer]` (see `bootstrap.rs`).
    pub(in crate::runtime) roots: v8::Global<v8::Array>,
    /// The runtime's fingerprint (see `fingerprint.rs`).
    pub(in crate::runtime) fingerprint: String,
}
