//! A process-wide V8 code cache for `core.js`, so a fresh runtime
//! deserializes its bytecode instead of parsing and compiling it again.
//!
//! The first fresh runtime of a process compiles `core.js` from source,
//! runs it, and then stores V8's code cache of the script (made after the
//! run, so it holds the functions the bootstrap compiled as well). Later
//! runtimes hand the cache to V8 with the source. V8 checks that a cache
//! fits the source, its own version and the process's flags, and compiles
//! from source when it does not ("rejected"); a rejected cache is replaced
//! by a new one made from that compilation. A runtime being made into a
//! startup snapshot neither uses nor makes the cache: its script is
//! compiled from source, as it always was.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// The cache: the bytes V8 made, for one `'static` source text (its
/// address and length, compared before the bytes are used). V8's own
/// check of the bytes covers the rest: its version, the process's flags,
/// the source's length and a checksum.
struct Entry {
    key: (usize, usize),
    bytes: Arc<[u8]>,
}

static CACHE: Mutex<Option<Entry>> = Mutex::new(None);
static PRODUCED: AtomicU64 = AtomicU64::new(0);
static CONSUMED: AtomicU64 = AtomicU64::new(0);
static REJECTED: AtomicU64 = AtomicU64::new(0);

/// How often the `core.js` code cache was made, used and refused by V8 in
/// this process (a test hook; see [`stats`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CodeCacheStats {
    /// Caches made (the first fresh runtime, and after each rejection).
    pub produced: u64,
    /// Compilations V8 served from the cache.
    pub consumed: u64,
    /// Caches V8 refused (it then compiled from source).
    pub rejected: u64,
}

/// The counters of the `core.js` code cache.
pub fn stats() -> CodeCacheStats {
    CodeCacheStats {
        produced: PRODUCED.load(Ordering::Relaxed),
        consumed: CONSUMED.load(Ordering::Relaxed),
        rejected: REJECTED.load(Ordering::Relaxed),
    }
}

/// Replaces the stored cache's bytes with `bytes` (a test hook: damaged
/// bytes show that a refused cache costs a compilation, never a crash).
/// Does nothing before the first cache is made.
pub fn replace_bytes(bytes: &[u8]) {
    if let Some(entry) = lock().as_mut() {
        entry.bytes = bytes.into();
    }
}

fn lock() -> std::sync::MutexGuard<'static, Option<Entry>> {
    CACHE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The cache key of a `'static` source text: where it is and how long
/// (the same key is the same text, and costs nothing to compute).
fn key(source: &'static str) -> (usize, usize) {
    (source.as_ptr() as usize, source.len())
}

/// A script compiled with the code cache, and what to do after it ran.
pub(super) struct Cached<'s> {
    pub(super) script: v8::Local<'s, v8::Script>,
    /// Whether a cache should be made from this script once it ran (none
    /// was stored, or V8 refused the stored one).
    produce: bool,
    key: (usize, usize),
}

/// Compiles `source` (ASCII, `'static`: `core.js`) named `name`, from the
/// stored cache if there is one. `None` means an exception is pending in
/// the caller's `TryCatch`.
pub(super) fn compile<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    name: &str,
    source: &'static str,
) -> Option<Cached<'s>> {
    let key = key(source);
    let code = v8::String::new_external_onebyte_static(scope, source.as_bytes())?;
    let name = v8::String::new(scope, name)?;
    let origin = crate::modules::compile::origin(scope, name, false);
    let stored = lock()
        .as_ref()
        .filter(|entry| entry.key == key)
        .map(|entry| entry.bytes.clone());
    let Some(bytes) = stored else {
        let script = v8::Script::compile(scope, code, Some(&origin))?;
        return Some(Cached {
            script,
            produce: true,
            key,
        });
    };
    let cached = v8::CachedData::new(&bytes);
    let mut source = v8::script_compiler::Source::new_with_cached_data(code, Some(&origin), cached);
    let script = v8::script_compiler::compile(
        scope,
        &mut source,
        v8::script_compiler::CompileOptions::ConsumeCodeCache,
        v8::script_compiler::NoCacheReason::NoReason,
    )?;
    let rejected = source
        .get_cached_data()
        .is_none_or(v8::CachedData::rejected);
    if rejected {
        REJECTED.fetch_add(1, Ordering::Relaxed);
    } else {
        CONSUMED.fetch_add(1, Ordering::Relaxed);
    }
    // `source` holds a pointer into `bytes`; it goes first.
    drop(source);
    drop(bytes);
    Some(Cached {
        script,
        produce: rejected,
        key,
    })
}

impl Cached<'_> {
    /// After the script ran: stores its code cache if one should be made.
    /// A cache V8 cannot make is simply not stored.
    pub(super) fn ran(self, scope: &mut v8::PinScope<'_, '_>) {
        if !self.produce {
            return;
        }
        let unbound = self.script.get_unbound_script(scope);
        let Some(data) = unbound.create_code_cache() else {
            return;
        };
        let bytes: Arc<[u8]> = Arc::from(&**data);
        *lock() = Some(Entry {
            key: self.key,
            bytes,
        });
        PRODUCED.fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn key_tells_sources_apart() {
        static TEXT: &str = "abcd";
        assert_eq!(key(TEXT), key(TEXT));
        assert_ne!(key(&TEXT[..3]), key(TEXT));
        assert_ne!(key(&TEXT[1..]), key(TEXT));
    }
}
