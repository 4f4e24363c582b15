//! The code caches of `core.js` and the async op wrappers: made by the
//! first fresh runtime of the process, read by the later ones, and made
//! again when V8 refuses them.

use opwire::__private::{core_code_cache_stats, replace_core_code_cache};
use opwire::{JsRuntime, RuntimeOptions, op};

use crate::util::tokio_rt;

#[op]
async fn op_cache_plus_one(x: u32) -> u32 {
    x + 1
}

/// A fresh runtime whose bootstrap works: async op wrappers, timers,
/// `console`, `AbortController`.
fn check_a_fresh_runtime() {
    tokio_rt().block_on(async {
        let mut rt = JsRuntime::new(RuntimeOptions {
            ops: vec![op_cache_plus_one::DECL],
            ..Default::default()
        });
        let src = "(async () => {
            const a = await ops.op_cache_plus_one(1);
            const b = await new Promise((r) => setTimeout(() => r(a + 1), 1));
            const c = new AbortController();
            c.abort();
            return typeof console.log === 'function' && c.signal.aborted ? b : -1;
        })()";
        let v: i32 = rt.eval_async("cache.js", src).await.unwrap();
        assert_eq!(v, 3);
    });
}

#[test]
fn core_js_is_read_from_the_code_cache_and_a_refused_cache_is_made_again() {
    // Makes the cache, unless another test's runtime already did.
    check_a_fresh_runtime();
    let before = core_code_cache_stats();
    assert!(before.produced >= 1, "{before:?}");

    check_a_fresh_runtime();
    let read = core_code_cache_stats();
    assert!(read.consumed > before.consumed, "{before:?} -> {read:?}");

    // V8 refuses damaged bytes and compiles from source; the runtime works
    // and the cache is made again.
    replace_core_code_cache(b"not a code cache");
    check_a_fresh_runtime();
    let refused = core_code_cache_stats();
    assert!(refused.rejected > read.rejected, "{read:?} -> {refused:?}");
    assert!(refused.produced > read.produced, "{read:?} -> {refused:?}");

    check_a_fresh_runtime();
    let again = core_code_cache_stats();
    assert!(
        again.consumed > refused.consumed,
        "{refused:?} -> {again:?}"
    );
}
