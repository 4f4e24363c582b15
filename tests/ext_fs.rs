//! The `opwire-fs` extension: every op, the file resource (reading into the
//! caller's `Uint8Array`, closing cancelling a read in flight), I/O error
//! classes and codes, and the permission checks against `..`, absolute
//! paths, symlinks and paths that change after the check.

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use opwire::{JsRuntime, MemoryModuleLoader, RuntimeOptions};
use opwire_fs::{FsPermissions, fs_extension};

use crate::util::tokio_rt;

/// A fresh directory under the system's temp dir, removed on drop: `root`
/// (allowed to read and write), `ro` (allowed to read), `outside` (not
/// allowed, holding `secret.txt`).
struct Sandbox {
    base: PathBuf,
}

impl Sandbox {
    fn new(name: &str) -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let base = std::env::temp_dir().join(format!(
            "opwire-fs-{}-{}-{name}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        for dir in ["root", "ro", "outside"] {
            std::fs::create_dir_all(base.join(dir)).unwrap();
        }
        std::fs::write(base.join("outside/secret.txt"), "secret").unwrap();
        std::fs::write(base.join("ro/read-me.txt"), "readable").unwrap();
        Self { base }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.base.join(rel)
    }

    /// `rel` as a JS string literal.
    fn js(&self, rel: &str) -> String {
        format!("{:?}", self.path(rel).display().to_string())
    }

    fn permissions(&self) -> FsPermissions {
        FsPermissions::none()
            .allow_read(self.path("root"))
            .allow_write(self.path("root"))
            .allow_read(self.path("ro"))
    }

    fn runtime(&self) -> JsRuntime {
        runtime_with(self.permissions())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

fn runtime_with(perms: FsPermissions) -> JsRuntime {
    let mut rt = JsRuntime::new(RuntimeOptions {
        extensions: vec![fs_extension(perms)],
        ..Default::default()
    });
    // `err(p)`: "name|code|message" of a rejection, or "ok".
    rt.execute_script(
        "helpers.js",
        "globalThis.err = (p) => p.then(() => 'ok', (e) => `${e.name}|${e.code}|${e.message}`);",
    )
    .unwrap();
    rt
}

/// Runs an async JS expression and returns its string value.
fn run(rt: &mut JsRuntime, src: &str) -> String {
    tokio_rt().block_on(async {
        rt.eval_async::<String>("test.js", src)
            .await
            .unwrap_or_else(|e| panic!("{src}: {e}"))
    })
}

#[test]
fn whole_files_and_directories() {
    let sb = Sandbox::new("whole");
    let mut rt = sb.runtime();
    let src = format!(
        r#"(async () => {{
            const out = [];
            await fs.writeTextFile({t}, "héllo");
            out.push(await fs.readTextFile({t}));
            await fs.writeFile({b}, new Uint8Array([1, 2, 255]));
            const bytes = await fs.readFile({b});
            out.push(bytes instanceof Uint8Array, bytes.join(","));
            const st = await fs.stat({b});
            out.push(st.isFile, st.isDirectory, st.size, typeof st.mtime);
            await fs.mkdir({deep}, {{ recursive: true }});
            out.push((await fs.stat({deep})).isDirectory);
            out.push(await err(fs.mkdir({deep})));
            await fs.rename({b}, {moved});
            out.push((await fs.readDir({dir})).map((e) => `${{e.name}}:${{e.isFile ? "f" : e.isDirectory ? "d" : "?"}}`).join(" "));
            await fs.remove({moved});
            out.push(await err(fs.remove({a})));
            await fs.remove({a}, {{ recursive: true }});
            out.push((await fs.readDir({root})).map((e) => e.name).join(" "));
            out.push(await fs.readTextFile({ro}));
            return out.join("|");
        }})()"#,
        t = sb.js("root/t.txt"),
        b = sb.js("root/b.bin"),
        deep = sb.js("root/a/b/c"),
        moved = sb.js("root/a/moved.bin"),
        dir = sb.js("root/a"),
        root = sb.js("root"),
        a = sb.js("root/a"),
        ro = sb.js("ro/read-me.txt"),
    );
    let out = run(&mut rt, &src);
    let mut parts = out.split('|');
    assert_eq!(parts.next(), Some("héllo"), "{out}");
    assert!(
        out.starts_with(
            "héllo|true|1,2,255|true|false|3|number|true|AlreadyExists|EEXIST|mkdir \""
        ),
        "{out}"
    );
    assert!(out.contains("|b:d moved.bin:f|"), "{out}");
    assert!(out.ends_with("|t.txt|readable"), "{out}");
    assert!(
        out.contains("|remove \""),
        "removing a full directory without `recursive` fails: {out}"
    );
    assert!(!sb.path("root/a").exists());
}

#[test]
fn io_errors_keep_their_class_and_code() {
    let sb = Sandbox::new("errors");
    let mut rt = sb.runtime();
    std::fs::write(sb.path("root/here.txt"), "x").unwrap();
    let src = format!(
        r#"(async () => [
            await err(fs.readFile({missing})),
            await err(fs.open({here}, {{ write: true, createNew: true }})),
            await err(fs.readDir({here})),
        ].join("\n"))()"#,
        missing = sb.js("root/missing.txt"),
        here = sb.js("root/here.txt"),
    );
    let out = run(&mut rt, &src);
    let lines: Vec<&str> = out.lines().collect();
    let missing = sb.path("root/missing.txt").display().to_string();
    assert_eq!(
        lines[0],
        format!("NotFound|ENOENT|readFile \"{missing}\": No such file or directory (os error 2)")
    );
    assert!(
        lines[1].starts_with("AlreadyExists|EEXIST|open \""),
        "{out}"
    );
    assert!(lines[2].starts_with("NotADirectory|"), "{out}");
}

#[test]
fn a_file_resource_reads_into_the_callers_buffer() {
    let sb = Sandbox::new("file");
    let mut rt = sb.runtime();
    let src = format!(
        r#"(async () => {{
            const out = [];
            const f = await fs.open({p}, {{ read: true, write: true, create: true }});
            out.push(typeof f.rid, Object.keys(opwire.resources()).length);
            out.push(await f.write(new Uint8Array([..."hello world"].map((c) => c.charCodeAt(0)))));
            out.push(await f.seek(6));
            const buf = new Uint8Array(16);
            const n = await f.read(buf);
            out.push(n, String.fromCharCode(...buf.subarray(0, n)));
            out.push(String(await f.read(buf)));
            out.push(await f.seek(-5, "end"), await f.seek(1, "current"));
            await f.truncate(5);
            out.push((await f.stat()).size);
            await f.seek(0);
            const small = new Uint8Array(3);
            out.push(await f.read(small), small.join(","));
            f.close();
            out.push(Object.keys(opwire.resources()).length);
            out.push(await err(f.read(small)));
            return out.join("|");
        }})()"#,
        p = sb.js("root/f.txt"),
    );
    let out = run(&mut rt, &src);
    assert!(
        out.starts_with("number|1|11|6|5|world|null|6|7|5|3|104,101,108|0|BadResource|"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(sb.path("root/f.txt")).unwrap(),
        "hello"
    );
}

#[test]
fn closing_a_file_cancels_a_read_in_flight() {
    let sb = Sandbox::new("cancel");
    let fifo = sb.path("root/pipe");
    let c = std::ffi::CString::new(fifo.display().to_string()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let mut rt = sb.runtime();
    // Read and write: opening a FIFO so does not wait for a writer, and a
    // read then waits for data that never comes.
    let src = format!(
        r#"(async () => {{
            const f = await fs.open({p}, {{ read: true, write: true }});
            const reading = err(f.read(new Uint8Array(8)));
            await new Promise((r) => setTimeout(r, 50));
            f.close();
            return `${{await reading}}|${{Object.keys(opwire.resources()).length}}`;
        }})()"#,
        p = sb.js("root/pipe"),
    );
    let tokio = tokio_rt();
    let out = tokio.block_on(async { rt.eval_async::<String>("test.js", &src).await.unwrap() });
    // The blocking read still waits on its thread: feed it so it ends (before
    // any assertion, or dropping the tokio runtime would wait for it).
    std::fs::write(&fifo, "x").unwrap();
    assert!(out.starts_with("Interrupted|"), "{out}");
    assert!(out.ends_with("|0"), "{out}");
    drop(tokio);
}

#[test]
fn the_es_module_exports_the_api() {
    let sb = Sandbox::new("esm");
    let loader = MemoryModuleLoader::new().with(
        "/app/main.js",
        format!(
            r#"import fs, {{ writeTextFile, readTextFile }} from "ext:fs/mod.js";
            await writeTextFile({p}, "from a module");
            globalThis.out = `${{await readTextFile({p})}} ${{fs.readFile === globalThis.fs.readFile}}`;"#,
            p = sb.js("root/m.txt"),
        ),
    );
    let mut rt = JsRuntime::new(RuntimeOptions {
        extensions: vec![fs_extension(sb.permissions())],
        module_loader: Some(Rc::new(loader)),
        ..Default::default()
    });
    tokio_rt().block_on(async {
        let id = rt.load_main_module("/app/main.js").await.unwrap();
        rt.evaluate_module(id).await.unwrap();
    });
    let out: String = rt.eval("out.js", "out").unwrap();
    assert_eq!(out, "from a module true");
}

/// `err(...)` lines for each JS expression, run one after the other.
fn errors_of(rt: &mut JsRuntime, calls: &[String]) -> Vec<String> {
    let src = format!(
        "(async () => {{ const out = []; {} return out.join('\\n'); }})()",
        calls
            .iter()
            .map(|c| format!("out.push(await err({c}));"))
            .collect::<String>()
    );
    run(rt, &src).lines().map(String::from).collect()
}

fn denied(line: &str, access: &str, path: &str) {
    assert!(
        line.starts_with(&format!(
            "PermissionDenied|EACCES|{access} access to \"{path}\""
        )),
        "expected {access} refused for {path}, got: {line}"
    );
}

#[test]
fn permissions_refuse_escapes() {
    let sb = Sandbox::new("escape");
    let mut rt = sb.runtime();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(sb.path("outside/secret.txt"), sb.path("root/link")).unwrap();
        symlink(sb.path("outside"), sb.path("root/dirlink")).unwrap();
        symlink(sb.path("outside/new.txt"), sb.path("root/dangling")).unwrap();
        symlink("../outside", sb.path("root/rel")).unwrap();
    }
    let dotdot = format!("{}/root/../outside/secret.txt", sb.base.display());
    let calls = [
        format!("fs.readTextFile({dotdot:?})"),
        "fs.readTextFile('/etc/hostname')".to_string(),
        format!("fs.readTextFile({})", sb.js("root/link")),
        format!("fs.writeTextFile({}, 'x')", sb.js("root/dirlink/new.txt")),
        format!("fs.writeTextFile({}, 'x')", sb.js("root/dangling")),
        format!("fs.readDir({})", sb.js("root/rel")),
        format!("fs.writeTextFile({}, 'x')", sb.js("ro/new.txt")),
        format!("fs.rename({}, {})", sb.js("root/link"), sb.js("outside/l")),
        format!("fs.open({}, {{ write: true }})", sb.js("root/link")),
        format!("fs.stat({})", sb.js("outside")),
        format!(
            "fs.mkdir({}, {{ recursive: true }})",
            sb.js("root/dirlink/a/b")
        ),
        format!("fs.remove({})", sb.js("outside/secret.txt")),
        // A `..` after a directory that does not exist: the kernel says
        // ENOENT, and so does the check (it cannot resolve it).
        format!(
            "fs.writeTextFile({}, 'x')",
            sb.js("root/nope/../../outside/x")
        ),
    ];
    let lines = errors_of(&mut rt, &calls);
    let outside = |rel: &str| sb.path(&format!("outside/{rel}")).display().to_string();
    denied(&lines[0], "read", &dotdot);
    assert!(lines[0].ends_with(&format!(
        "(resolved to \"{}\") is not allowed",
        outside("secret.txt")
    )));
    denied(&lines[1], "read", "/etc/hostname");
    denied(
        &lines[2],
        "read",
        &sb.path("root/link").display().to_string(),
    );
    denied(
        &lines[3],
        "write",
        &sb.path("root/dirlink/new.txt").display().to_string(),
    );
    denied(
        &lines[4],
        "write",
        &sb.path("root/dangling").display().to_string(),
    );
    assert!(lines[4].contains(&outside("new.txt")), "{}", lines[4]);
    denied(
        &lines[5],
        "read",
        &sb.path("root/rel").display().to_string(),
    );
    denied(
        &lines[6],
        "write",
        &sb.path("ro/new.txt").display().to_string(),
    );
    denied(&lines[7], "write", &outside("l"));
    denied(
        &lines[8],
        "write",
        &sb.path("root/link").display().to_string(),
    );
    denied(&lines[9], "read", &sb.path("outside").display().to_string());
    denied(
        &lines[10],
        "write",
        &sb.path("root/dirlink/a/b").display().to_string(),
    );
    denied(&lines[11], "write", &outside("secret.txt"));
    assert!(
        lines[12].starts_with("NotFound|ENOENT|cannot resolve"),
        "{}",
        lines[12]
    );
    // Nothing leaked out.
    let mut left: Vec<_> = std::fs::read_dir(sb.path("outside"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["secret.txt"]);
    assert_eq!(
        std::fs::read_to_string(sb.path("outside/secret.txt")).unwrap(),
        "secret"
    );

    // A symlink inside a root is removed itself, not its target: allowed.
    let ok = errors_of(
        &mut rt,
        &[
            format!("fs.remove({})", sb.js("root/link")),
            format!("fs.lstat({})", sb.js("root/dirlink")),
        ],
    );
    assert_eq!(ok, ["ok", "ok"]);
    assert!(sb.path("outside/secret.txt").exists());
}

#[test]
fn none_denies_everything_and_allow_all_nothing() {
    let sb = Sandbox::new("modes");
    let mut rt = runtime_with(FsPermissions::none());
    let lines = errors_of(
        &mut rt,
        &[format!("fs.readFile({})", sb.js("ro/read-me.txt"))],
    );
    denied(
        &lines[0],
        "read",
        &sb.path("ro/read-me.txt").display().to_string(),
    );
    let mut rt = runtime_with(FsPermissions::allow_all());
    let lines = errors_of(
        &mut rt,
        &[format!(
            "fs.writeTextFile({}, 'all')",
            sb.js("outside/all.txt")
        )],
    );
    assert_eq!(lines, ["ok"]);
    assert!(FsPermissions::allow_all().allows_all());
}

/// A path that changes after the check: the check resolves symlinks, so a
/// directory swapped for a symlink *before* a check is refused; a swap
/// *between* check and use is the race the crate documents it does not
/// defend.
#[cfg(unix)]
#[test]
fn a_directory_swapped_for_a_symlink() {
    let sb = Sandbox::new("swap");
    let perms = sb.permissions();
    std::fs::create_dir(sb.path("root/sub")).unwrap();
    let target = sb.path("root/sub/file.txt");
    let resolved = perms.check_write(&target).unwrap();
    assert!(resolved.starts_with(FsPermissions::resolve(&sb.path("root"), true).unwrap()));

    std::fs::remove_dir(sb.path("root/sub")).unwrap();
    std::os::unix::fs::symlink(sb.path("outside"), sb.path("root/sub")).unwrap();
    let err = perms.check_write(&target).unwrap_err();
    assert_eq!(
        (err.class(), err.code()),
        ("PermissionDenied", Some("EACCES"))
    );

    // Through the ops: the next call sees the swap and refuses.
    let mut rt = sb.runtime();
    let lines = errors_of(
        &mut rt,
        &[format!(
            "fs.writeTextFile({}, 'x')",
            sb.js("root/sub/file.txt")
        )],
    );
    denied(&lines[0], "write", &target.display().to_string());
    assert!(!sb.path("outside/file.txt").exists());
}
