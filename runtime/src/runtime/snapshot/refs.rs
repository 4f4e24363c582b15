//! The external references of a runtime: every address V8 may find in a
//! snapshotted heap (op callbacks, fast functions and their type
//! information, op contexts, the runtime's own callbacks).
//!
//! V8 writes such an address into a snapshot as its index in this list,
//! and reads it back as the entry at that index in the list the restoring
//! runtime gives. So the list is built the same way on both sides, from
//! the same declarations in the same order (the fingerprint checks it):
//! the runtime's fixed callbacks first, then, per op context in runtime
//! order (user ops, class members, internal ops), the context's address
//! and [`OpDecl`](crate::OpDecl)'s own references. Op contexts are
//! per-runtime, so their functions' data is rebound to the new runtime's
//! contexts; new kinds of functions (say, a class's) add their addresses
//! through their declarations.

use crate::ops::ctx::OpCtx;

/// The external references of a runtime whose op contexts are `ctxs`, in
/// runtime order.
pub(in crate::runtime) fn external_refs<'a>(
    ctxs: impl IntoIterator<Item = &'a OpCtx>,
) -> Vec<v8::ExternalReference> {
    refs_with(ctxs, |ctx| {
        let ptr: *const OpCtx = ctx;
        ptr.cast_mut().cast()
    })
}

/// What the op contexts' addresses are replaced with in
/// [`placeholder_refs`].
static PLACEHOLDER: u8 = 0;

/// [`external_refs`] with every op context's address replaced by the
/// address of a static placeholder: for an isolate that never makes a
/// context (the warm isolate, `warm.rs`), so V8 records the addresses and
/// never uses them, and none outlives a runtime's op contexts.
pub(in crate::runtime) fn placeholder_refs<'a>(
    ctxs: impl IntoIterator<Item = &'a OpCtx>,
) -> Vec<v8::ExternalReference> {
    refs_with(ctxs, |_| {
        let ptr: *const u8 = &PLACEHOLDER;
        ptr.cast_mut().cast()
    })
}

/// The list, with `address` giving each op context's entry.
fn refs_with<'a>(
    ctxs: impl IntoIterator<Item = &'a OpCtx>,
    address: impl Fn(&OpCtx) -> *mut std::ffi::c_void,
) -> Vec<v8::ExternalReference> {
    let mut refs = vec![
        v8::ExternalReference {
            function: crate::dispatch::metered::metered_slow,
        },
        v8::ExternalReference {
            function: crate::dispatch::class::no_constructor,
        },
    ];
    refs.extend(crate::modules::callbacks::external_refs());
    refs.extend(crate::modules::dynamic::external_refs());
    refs.extend(crate::event_loop::callback::external_refs());
    for ctx in ctxs {
        refs.push(v8::ExternalReference {
            pointer: address(ctx),
        });
        refs.extend(ctx.decl.external_refs());
    }
    refs
}
