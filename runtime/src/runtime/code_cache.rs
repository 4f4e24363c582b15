//! A process-wide V8 code cache for the scripts every fresh runtime
//! compiles (`core.js`, the async op wrappers, extension scripts given as
//! `&'static str`), so a fresh runtime deserializes their bytecode instead
//! of parsing and compiling them again.
//!
//! The first fresh runtime that runs a script compiles it from source,
//! runs it, and then stores V8's code cache of it (made after the run, so
//! it holds the functions the run compiled as well). Later runtimes hand
//! the cache to V8 with the source. V8 checks that a cache fits the
//! source, its own version and the process's flags, and compiles from
//! source when it does not ("rejected"); a rejected cache is replaced by a
//! new one made from that compilation. A runtime being made into a startup
//! snapshot neither uses nor makes caches: its scripts are compiled from
//! source, as they always were.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// The text of a script to compile with the cache.
#[derive(Clone, Copy)]
pub(super) enum Text<'a> {
    /// `'static` text: known by its address and length (the same key is
    /// the same text, and costs nothing to compute).
    Static(&'static str),
    /// Text made at run time (the async op wrappers): known by itself.
    Made(&'a str),
}

/// What a cache entry is for.
#[derive(PartialEq, Eq)]
enum Key {
    Static(usize, usize),
    Made(Box<str>),
}

impl Text<'_> {
    fn matches(self, key: &Key) -> bool {
        match (self, key) {
            (Text::Static(s), Key::Static(addr, len)) => {
                (s.as_ptr() as usize, s.len()) == (*addr, *len)
            }
            (Text::Made(s), Key::Made(k)) => s == &**k,
            _ => false,
        }
    }

    fn key(self) -> Key {
        match self {
            Text::Static(s) => Key::Static(s.as_ptr() as usize, s.len()),
            Text::Made(s) => Key::Made(s.into()),
        }
    }

    /// The text as a V8 string: `'static` ASCII text is not copied.
    fn to_v8<'s>(self, scope: &mut v8::PinScope<'s, '_>) -> Option<v8::Local<'s, v8::String>> {
        match self {
            Text::Static(s) if s.is_ascii() => {
                v8::String::new_external_onebyte_static(scope, s.as_bytes())
            }
            Text::Static(s) | Text::Made(s) => v8::String::new(scope, s),
        }
    }
}

/// One cached script: what it is for, and the bytes V8 made.
struct Entry {
    key: Key,
    bytes: Arc<[u8]>,
}

/// At most this many scripts are cached (a process making runtimes with
/// ever new sets of async ops stops adding wrapper scripts there).
const MAX_ENTRIES: usize = 64;

static CACHE: Mutex<Vec<Entry>> = Mutex::new(Vec::new());
static PRODUCED: AtomicU64 = AtomicU64::new(0);
static CONSUMED: AtomicU64 = AtomicU64::new(0);
static REJECTED: AtomicU64 = AtomicU64::new(0);

/// How often the code caches were made, used and refused by V8 in this
/// process (a test hook; see [`stats`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CodeCacheStats {
    /// Caches made (the first fresh runtime, and after each rejection).
    pub produced: u64,
    /// Compilations V8 served from the cache.
    pub consumed: u64,
    /// Caches V8 refused (it then compiled from source).
    pub rejected: u64,
}

/// The counters of the code cache.
pub fn stats() -> CodeCacheStats {
    CodeCacheStats {
        produced: PRODUCED.load(Ordering::Relaxed),
        consumed: CONSUMED.load(Ordering::Relaxed),
        rejected: REJECTED.load(Ordering::Relaxed),
    }
}

/// Replaces every stored cache's bytes with `bytes` (a test hook: damaged
/// bytes show that a refused cache costs a compilation, never a crash).
pub fn replace_bytes(bytes: &[u8]) {
    for entry in lock().iter_mut() {
        entry.bytes = bytes.into();
    }
}

fn lock() -> std::sync::MutexGuard<'static, Vec<Entry>> {
    CACHE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A script compiled with the code cache, and what to do after it ran.
pub(super) struct Cached<'s> {
    pub(super) script: v8::Local<'s, v8::Script>,
    /// What to store a cache under once the script ran: set when none was
    /// stored, or V8 refused the stored one.
    produce: Option<Key>,
}

/// Compiles `text` named `name`, from the stored cache if there is one.
/// `None` means an exception is pending in the caller's `TryCatch`.
pub(super) fn compile<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    name: &str,
    text: Text<'_>,
) -> Option<Cached<'s>> {
    let code = text.to_v8(scope)?;
    let name = v8::String::new(scope, name)?;
    let origin = crate::modules::compile::origin(scope, name, false);
    let stored = lock()
        .iter()
        .find(|entry| text.matches(&entry.key))
        .map(|entry| entry.bytes.clone());
    let Some(bytes) = stored else {
        let script = v8::Script::compile(scope, code, Some(&origin))?;
        return Some(Cached {
            script,
            produce: Some(text.key()),
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
        produce: rejected.then(|| text.key()),
    })
}

impl Cached<'_> {
    /// After the script ran: stores its code cache if one should be made.
    /// A cache V8 cannot make, or one beyond [`MAX_ENTRIES`], is not
    /// stored.
    pub(super) fn ran(self, scope: &mut v8::PinScope<'_, '_>) {
        let Some(key) = self.produce else {
            return;
        };
        let unbound = self.script.get_unbound_script(scope);
        let Some(data) = unbound.create_code_cache() else {
            return;
        };
        let bytes: Arc<[u8]> = Arc::from(&**data);
        let mut cache = lock();
        if let Some(entry) = cache.iter_mut().find(|entry| entry.key == key) {
            entry.bytes = bytes;
        } else if cache.len() < MAX_ENTRIES {
            cache.push(Entry { key, bytes });
        } else {
            return;
        }
        PRODUCED.fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::Text;

    #[test]
    fn texts_match_their_own_key_only() {
        static TEXT: &str = "abcd";
        let (whole, part) = (Text::Static(TEXT), Text::Static(&TEXT[..3]));
        assert!(whole.matches(&whole.key()));
        assert!(!part.matches(&whole.key()));
        assert!(!Text::Static(&TEXT[1..]).matches(&whole.key()));
        // Made text is compared by content, never with static text.
        assert!(Text::Made("abcd").matches(&Text::Made(&String::from("abcd")).key()));
        assert!(!Text::Made("abcd").matches(&whole.key()));
        assert!(!Text::Made("abc").matches(&Text::Made("abcd").key()));
    }
}
