//! The fingerprint of a runtime's make-up, written into a startup snapshot
//! and compared before the snapshot is handed to V8: a snapshot built for
//! other ops, classes or extensions (or another opwire or V8) binds its
//! functions to the wrong Rust code, so it is refused instead.
//!
//! It is text, one line per item, so that a refusal can name the first
//! difference.

use std::fmt::Write;

use super::super::extension::Extension;
use crate::classes::ClassDecl;
use crate::ops::ctx::OpCtx;

/// A fingerprint being written.
pub(in crate::runtime) struct Fingerprint(String);

impl Fingerprint {
    /// The versions and the op-metrics choice (which changes the callbacks).
    pub(in crate::runtime) fn new(op_metrics: bool) -> Self {
        let mut out = String::new();
        let _ = writeln!(out, "opwire {}", env!("CARGO_PKG_VERSION"));
        let _ = writeln!(out, "v8 {}", v8::V8::get_version());
        let _ = writeln!(out, "op_metrics {op_metrics}");
        Self(out)
    }

    /// An extension: its name and each script and module, by name and a
    /// hash of its source.
    pub(in crate::runtime) fn extension(&mut self, ext: &Extension) {
        let _ = writeln!(self.0, "extension {}", ext.name);
        for (name, source) in &ext.js {
            let _ = writeln!(self.0, "  js {name} {:016x}", fnv1a(source.as_bytes()));
        }
        for (name, source) in &ext.esm {
            let _ = writeln!(self.0, "  esm {name} {:016x}", fnv1a(source.as_bytes()));
        }
    }

    /// The ops, in runtime order: name, kind, arguments, result, fast path.
    pub(in crate::runtime) fn ops<'a>(&mut self, ctxs: impl IntoIterator<Item = &'a OpCtx>) {
        for ctx in ctxs {
            let decl = &ctx.decl;
            let args: Vec<&str> = decl.args().iter().map(|a| a.rust_type).collect();
            let fast = if decl.is_fast() { " fast" } else { "" };
            let _ = writeln!(
                self.0,
                "op {} {:?} ({}) -> {}{fast}",
                decl.name(),
                decl.kind(),
                args.join(", "),
                decl.ret().rust_type
            );
        }
    }

    /// The classes, in registration order (their members are ops).
    pub(in crate::runtime) fn classes(&mut self, classes: &[ClassDecl]) {
        for class in classes {
            let _ = writeln!(self.0, "class {}", class.name());
        }
    }

    /// The text.
    pub(in crate::runtime) fn finish(self) -> String {
        self.0
    }
}

/// `Ok` if a snapshot made for `expected` may start a runtime made of
/// `actual`; otherwise a message naming the first difference.
pub(in crate::runtime) fn check(expected: &str, actual: &str) -> Result<(), String> {
    if expected == actual {
        return Ok(());
    }
    let mut theirs = expected.lines();
    let mut ours = actual.lines();
    loop {
        match (theirs.next(), ours.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (a, b) => {
                let show =
                    |l: Option<&str>| l.map_or("nothing".to_owned(), |l| format!("`{}`", l.trim()));
                return Err(format!(
                    "it was built for another runtime: the snapshot has {} where this \
                     runtime has {}; build it again with the same ops, classes and extensions \
                     (in the same order), op_metrics choice, opwire and V8",
                    show(a),
                    show(b)
                ));
            }
        }
    }
}

/// FNV-1a, 64 bits: enough to tell sources apart, and fast.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn the_first_difference_is_named() {
        let a = "opwire 1\nop op_a Sync (i32) -> i32\nop op_b Sync () -> ()\n";
        assert!(check(a, a).is_ok());
        let b = "opwire 1\nop op_a Sync (u32) -> i32\nop op_b Sync () -> ()\n";
        let err = check(a, b).unwrap_err();
        assert!(
            err.contains("the snapshot has `op op_a Sync (i32) -> i32` where this runtime has `op op_a Sync (u32) -> i32`"),
            "{err}"
        );
        let err = check(a, "opwire 1\nop op_a Sync (i32) -> i32\n").unwrap_err();
        assert!(
            err.contains("the snapshot has `op op_b Sync () -> ()` where this runtime has nothing"),
            "{err}"
        );
    }
}
