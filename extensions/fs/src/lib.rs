//! `opwire-fs`: file system ops for [opwire], with read and write
//! permissions. Written only against opwire's public API, as any
//! third-party extension would be.
//!
//! Register [`fs_extension`] with the paths it may touch; JS then has a
//! global `fs` object and the ES module `ext:fs/mod.js` exporting the same
//! functions:
//!
//! ```
//! use opwire::{JsRuntime, RuntimeOptions};
//! use opwire_fs::{FsPermissions, fs_extension};
//!
//! # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
//! # rt.block_on(async {
//! let dir = std::env::temp_dir().join(format!("opwire-fs-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let perms = FsPermissions::none().allow_read(&dir).allow_write(&dir);
//! let mut rt = JsRuntime::new(RuntimeOptions {
//!     extensions: vec![fs_extension(perms)],
//!     ..Default::default()
//! });
//! let path = dir.join("hello.txt");
//! let src = format!(
//!     "(async () => {{ await fs.writeTextFile({p:?}, 'hi'); return await fs.readTextFile({p:?}); }})()",
//!     p = path.display().to_string()
//! );
//! let text: String = rt.eval_async("main.js", &src).await.unwrap();
//! assert_eq!(text, "hi");
//! let err = rt.eval_async::<String>("bad.js", "fs.readTextFile('/etc/hostname')").await.unwrap_err();
//! assert!(err.to_string().contains("PermissionDenied"), "{err}");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # });
//! ```
//!
//! Every op checks its path with [`FsPermissions`] before it touches the
//! disk, on the blocking pool (`tokio::task::spawn_blocking`), as is the
//! I/O itself. I/O errors keep opwire's `std::io::ErrorKind` classes and
//! codes (`NotFound`/`ENOENT`, `AlreadyExists`/`EEXIST`, ...), with the
//! path in the message.
//!
//! **What the check does not defend against.** The check resolves the path
//! (`..`, symlinks) and the op then uses the *resolved* path, so a symlink
//! that is already there cannot lead out of the roots. But the check and
//! the use are two system calls: a process that can write inside an
//! allowed root and swaps a directory of the resolved path for a symlink
//! between them (a time-of-check-to-time-of-use race) can still make the
//! op follow it out. Defending that needs `openat2(RESOLVE_BENEATH)` or a
//! walk with `O_NOFOLLOW` per component, which this crate does not do.
//! Files opened before a root is narrowed stay open.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use opwire::{Extension, JsBufferMut, OpError, OpState, Resource, ResourceId, op};
use serde::{Deserialize, Serialize};

mod permissions;

pub use permissions::{Access, FsPermissions};

/// The JS API as a classic script: defines the global `fs`.
const FS_JS: &str = include_str!("fs.js");
/// The JS API as an ES module (`ext:fs/mod.js`), re-exporting `fs`.
const MOD_JS: &str = include_str!("mod.js");

/// The `fs` extension: its ops, the global `fs`, the module
/// `ext:fs/mod.js`, and `permissions` in the op state.
pub fn fs_extension(permissions: FsPermissions) -> Extension {
    Extension::new("fs")
        .ops(opwire::ops![
            op_fs_read_file,
            op_fs_read_text_file,
            op_fs_write_file,
            op_fs_write_text_file,
            op_fs_stat,
            op_fs_lstat,
            op_fs_read_dir,
            op_fs_mkdir,
            op_fs_remove,
            op_fs_rename,
            op_fs_open,
            op_fs_file_read,
            op_fs_file_write,
            op_fs_file_seek,
            op_fs_file_truncate,
            op_fs_file_stat,
        ])
        .js("ext:fs/fs.js", FS_JS)
        .esm("mod.js", MOD_JS)
        .state_with(permissions, |state, permissions| {
            state.put(Arc::new(permissions));
        })
}

/// The permissions in `state` (put there by [`fs_extension`]).
fn permissions(state: &Rc<RefCell<OpState>>) -> Arc<FsPermissions> {
    state.borrow().borrow::<Arc<FsPermissions>>().clone()
}

/// Runs blocking file system work on tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, OpError> + Send + 'static,
) -> Result<T, OpError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| OpError::error(format!("fs: blocking task failed: {e}")))?
}

/// Runs `work` on the blocking pool on `path` as resolved, once the
/// permissions allow `access` to it (`follow_last`: check where a final
/// symlink points, not the link); its I/O errors name `what` and the path
/// JS gave.
async fn on_path<T: Send + 'static>(
    state: &Rc<RefCell<OpState>>,
    path: String,
    access: Access,
    follow_last: bool,
    what: &'static str,
    work: impl FnOnce(&Path) -> std::io::Result<T> + Send + 'static,
) -> Result<T, OpError> {
    let perms = permissions(state);
    blocking(move || {
        let path = PathBuf::from(path);
        let real = perms.check(&path, access, follow_last)?;
        work(&real).map_err(io_err(what, &path))
    })
    .await
}

/// An I/O error with the operation and path in its message (class and code
/// kept).
fn io_err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> OpError + 'a {
    move |e| OpError::from(e).context(format_args!("{what} \"{}\"", path.display()))
}

/// What `stat` returns to JS.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileInfo {
    is_file: bool,
    is_directory: bool,
    is_symlink: bool,
    size: f64,
    /// Milliseconds since the Unix epoch, when the platform knows it.
    mtime: Option<f64>,
    /// Unix permission bits (`null` elsewhere).
    mode: Option<u32>,
}

impl From<std::fs::Metadata> for FileInfo {
    fn from(meta: std::fs::Metadata) -> Self {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs_f64() * 1000.0);
        #[cfg(unix)]
        let mode = Some(std::os::unix::fs::PermissionsExt::mode(&meta.permissions()));
        #[cfg(not(unix))]
        let mode = None;
        #[allow(clippy::cast_precision_loss)]
        let size = meta.len() as f64;
        FileInfo {
            is_file: meta.is_file(),
            is_directory: meta.is_dir(),
            is_symlink: meta.file_type().is_symlink(),
            size,
            mtime,
            mode,
        }
    }
}

/// One entry of `readDir`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DirEntry {
    name: String,
    is_file: bool,
    is_directory: bool,
    is_symlink: bool,
}

#[op]
async fn op_fs_read_file(
    state: Rc<RefCell<OpState>>,
    #[string] path: String,
) -> Result<Vec<u8>, OpError> {
    on_path(&state, path, Access::Read, true, "readFile", |real| {
        std::fs::read(real)
    })
    .await
}

#[op]
async fn op_fs_read_text_file(
    state: Rc<RefCell<OpState>>,
    #[string] path: String,
) -> Result<String, OpError> {
    on_path(&state, path, Access::Read, true, "readTextFile", |real| {
        std::fs::read_to_string(real)
    })
    .await
}

#[op]
async fn op_fs_write_file(
    state: Rc<RefCell<OpState>>,
    #[string] path: String,
    data: Vec<u8>,
) -> Result<(), OpError> {
    on_path(
        &state,
        path,
        Access::Write,
        true,
        "writeFile",
        move |real| std::fs::write(real, data),
    )
    .await
}

#[op]
async fn op_fs_write_text_file(
    state: Rc<RefCell<OpState>>,
    #[string] path: String,
    #[string] text: String,
) -> Result<(), OpError> {
    on_path(
        &state,
        path,
        Access::Write,
        true,
        "writeTextFile",
        move |real| std::fs::write(real, text),
    )
    .await
}

#[op]
#[serde]
async fn op_fs_stat(
    state: Rc<RefCell<OpState>>,
    #[string] path: String,
) -> Result<FileInfo, OpError> {
    on_path(&state, path, Access::Read, true, "stat", |real| {
        std::fs::metadata(real).map(FileInfo::from)
    })
    .await
}

/// `stat` of a symlink itself (the check is on the link, not its target).
#[op]
#[serde]
async fn op_fs_lstat(
    state: Rc<RefCell<OpState>>,
    #[string] path: String,
) -> Result<FileInfo, OpError> {
    on_path(&state, path, Access::Read, false, "lstat", |real| {
        std::fs::symlink_metadata(real).map(FileInfo::from)
    })
    .await
}

#[op]
#[serde]
async fn op_fs_read_dir(
    state: Rc<RefCell<OpState>>,
    #[string] path: String,
) -> Result<Vec<DirEntry>, OpError> {
    on_path(&state, path, Access::Read, true, "readDir", |real| {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(real)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            entries.push(DirEntry {
                name: entry.file_name().to_string_lossy().into_owned(),
                is_file: kind.is_file(),
                is_directory: kind.is_dir(),
                is_symlink: kind.is_symlink(),
            });
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    })
    .await
}

#[op]
async fn op_fs_mkdir(
    state: Rc<RefCell<OpState>>,
    #[string] path: String,
    recursive: bool,
) -> Result<(), OpError> {
    on_path(&state, path, Access::Write, true, "mkdir", move |real| {
        if recursive {
            std::fs::create_dir_all(real)
        } else {
            std::fs::create_dir(real)
        }
    })
    .await
}

/// Removes a file, a symlink (not its target) or a directory (with
/// `recursive`, and what it holds).
#[op]
async fn op_fs_remove(
    state: Rc<RefCell<OpState>>,
    #[string] path: String,
    recursive: bool,
) -> Result<(), OpError> {
    on_path(&state, path, Access::Write, false, "remove", move |real| {
        if !std::fs::symlink_metadata(real)?.is_dir() {
            std::fs::remove_file(real)
        } else if recursive {
            std::fs::remove_dir_all(real)
        } else {
            std::fs::remove_dir(real)
        }
    })
    .await
}

/// Renames `from` to `to`; both need write access (a symlink is renamed
/// itself, not its target).
#[op]
async fn op_fs_rename(
    state: Rc<RefCell<OpState>>,
    #[string] from: String,
    #[string] to: String,
) -> Result<(), OpError> {
    let perms = permissions(&state);
    blocking(move || {
        let (from, to) = (PathBuf::from(from), PathBuf::from(to));
        let real_from = perms.check(&from, Access::Write, false)?;
        let real_to = perms.check(&to, Access::Write, false)?;
        std::fs::rename(real_from, real_to).map_err(io_err("rename", &from))
    })
    .await
}

/// How `open` opens a file (the fields of `std::fs::OpenOptions`; `read`
/// by default when none is set).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct OpenOptions {
    read: bool,
    write: bool,
    append: bool,
    truncate: bool,
    create: bool,
    create_new: bool,
}

/// An open file, as JS holds it by id.
///
/// The file sits behind an async mutex so that ops on it take turns (a
/// seek then a read stay together) across their awaits; the I/O runs on
/// the blocking pool with a clone of the `Arc`. Closing it (`file.close()`,
/// `opwire.close(rid)`) cancels the ops in flight on it: they reject with
/// `Interrupted` at once. A blocking call already running finishes on its
/// thread, its result dropped.
pub struct FsFile {
    file: tokio::sync::Mutex<Arc<std::fs::File>>,
    path: PathBuf,
}

impl Resource for FsFile {
    fn name(&self) -> Cow<'_, str> {
        format!("fsFile ({})", self.path.display()).into()
    }
}

#[op]
async fn op_fs_open(
    state: Rc<RefCell<OpState>>,
    #[string] path: String,
    #[serde] options: Option<OpenOptions>,
) -> Result<ResourceId, OpError> {
    let perms = permissions(&state);
    let mut o = options.unwrap_or_default();
    if !(o.read || o.write || o.append) {
        o.read = true;
    }
    let (file, path) = blocking(move || {
        let path = PathBuf::from(path);
        let writes = o.write || o.append || o.truncate || o.create || o.create_new;
        let mut real = path.clone();
        if o.read {
            real = perms.check_read(&path)?;
        }
        if writes {
            real = perms.check_write(&path)?;
        }
        let file = std::fs::OpenOptions::new()
            .read(o.read)
            .write(o.write)
            .append(o.append)
            .truncate(o.truncate)
            .create(o.create)
            .create_new(o.create_new)
            .open(&real)
            .map_err(io_err("open", &path))?;
        Ok((file, path))
    })
    .await?;
    Ok(state.borrow_mut().resource_table.add(FsFile {
        file: tokio::sync::Mutex::new(Arc::new(file)),
        path,
    }))
}

/// Runs `work` on file `rid`'s file on the blocking pool, holding the
/// file's lock, under its cancel handle.
async fn with_file<T: Send + 'static>(
    state: &Rc<RefCell<OpState>>,
    rid: ResourceId,
    work: impl FnOnce(&std::fs::File) -> std::io::Result<T> + Send + 'static,
) -> Result<T, OpError> {
    let (file, cancel) = {
        let state = state.borrow();
        let table = &state.resource_table;
        (table.get::<FsFile>(rid)?, table.cancel_handle(rid)?)
    };
    cancel
        .run(async move {
            let guard = file.file.lock().await;
            let inner = Arc::clone(&guard);
            let path = file.path.clone();
            let result = blocking(move || Ok(work(&inner))).await?;
            drop(guard);
            result.map_err(|e| OpError::from(e).context(format_args!("\"{}\"", path.display())))
        })
        .await?
}

/// Reads at the file's position into the caller's `buf`; returns how many
/// bytes it read (0 at the end).
///
/// The read itself runs on the blocking pool, which `buf` (a
/// [`JsBufferMut`], tied to the JS thread) cannot go to: it reads into a
/// `Vec` there, and the bytes are copied into `buf` back on the JS thread.
/// That is one copy, as before, but no new `Uint8Array` and no copy in JS.
#[op]
async fn op_fs_file_read(
    state: Rc<RefCell<OpState>>,
    rid: ResourceId,
    mut buf: JsBufferMut,
) -> Result<u32, OpError> {
    let len = buf.len();
    let chunk = with_file(&state, rid, move |mut file| {
        let mut chunk = vec![0; len];
        let n = file.read(&mut chunk)?;
        chunk.truncate(n);
        Ok(chunk)
    })
    .await?;
    buf[..chunk.len()].copy_from_slice(&chunk);
    Ok(u32::try_from(chunk.len()).unwrap_or(u32::MAX))
}

/// Writes all of `data` at the file's position; returns its length.
#[op]
async fn op_fs_file_write(
    state: Rc<RefCell<OpState>>,
    rid: ResourceId,
    data: Vec<u8>,
) -> Result<u32, OpError> {
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    with_file(&state, rid, move |mut file| file.write_all(&data))
        .await
        .map(|()| len)
}

/// Moves the file's position (`whence`: 0 start, 1 current, 2 end);
/// returns the new position.
#[op]
#[number]
async fn op_fs_file_seek(
    state: Rc<RefCell<OpState>>,
    rid: ResourceId,
    #[number] offset: i64,
    whence: u32,
) -> Result<u64, OpError> {
    let from = match whence {
        0 => SeekFrom::Start(
            u64::try_from(offset)
                .map_err(|_| OpError::type_error("seek: a negative offset from the start"))?,
        ),
        1 => SeekFrom::Current(offset),
        2 => SeekFrom::End(offset),
        _ => return Err(OpError::type_error(format!("seek: bad whence {whence}"))),
    };
    with_file(&state, rid, move |mut file| file.seek(from)).await
}

/// Sets the file's length.
#[op]
async fn op_fs_file_truncate(
    state: Rc<RefCell<OpState>>,
    rid: ResourceId,
    #[number] len: u64,
) -> Result<(), OpError> {
    with_file(&state, rid, move |file| file.set_len(len)).await
}

#[op]
#[serde]
async fn op_fs_file_stat(
    state: Rc<RefCell<OpState>>,
    rid: ResourceId,
) -> Result<FileInfo, OpError> {
    with_file(&state, rid, |file| file.metadata().map(FileInfo::from)).await
}
