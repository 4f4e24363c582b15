//! [`FsPermissions`]: which paths the ops may read and write, and the
//! check every op makes before it touches the disk.

use std::io;
use std::path::{Component, Path, PathBuf};

use opwire::OpError;

/// How many symlinks one path may go through before it is refused (as the
/// kernel's `ELOOP` limit).
const MAX_LINKS: u32 = 40;

/// Which paths the `fs` ops may read and write: the extension's options.
///
/// A path is allowed when, once resolved (made absolute, `..` and every
/// symlink followed, see [`FsPermissions::resolve`]), it is one of the
/// roots or lies under one. Nothing is allowed by default.
///
/// # Examples
///
/// ```
/// use opwire_fs::FsPermissions;
///
/// let dir = std::env::temp_dir();
/// let perms = FsPermissions::none().allow_read(&dir).allow_write(dir.join("out"));
/// assert!(perms.check_read(&dir.join("anything")).is_ok());
/// let err = perms.check_write(&dir.join("elsewhere")).unwrap_err();
/// assert_eq!(err.class(), "PermissionDenied");
/// assert_eq!(err.code(), Some("EACCES"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct FsPermissions {
    allow_all: bool,
    read: Vec<PathBuf>,
    write: Vec<PathBuf>,
    /// Text added to refusals, by access (`[read, write]`).
    hints: [Option<String>; 2],
}

/// The access an op needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reading a file, its metadata or a directory's entries.
    Read,
    /// Creating, changing, renaming or removing.
    Write,
}

impl Access {
    fn word(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }
}

impl FsPermissions {
    /// Nothing allowed: every op fails with `PermissionDenied`.
    pub fn none() -> Self {
        Self::default()
    }

    /// Everything allowed, no check.
    pub fn allow_all() -> Self {
        Self {
            allow_all: true,
            ..Self::default()
        }
    }

    /// Also allows reading `root` and everything under it. The root is
    /// resolved now (a root that does not exist yet resolves through its
    /// deepest existing ancestor).
    #[must_use]
    pub fn allow_read(mut self, root: impl AsRef<Path>) -> Self {
        self.read.push(resolve_root(root.as_ref()));
        self
    }

    /// Also allows writing `root` and everything under it (resolved as for
    /// [`FsPermissions::allow_read`]).
    #[must_use]
    pub fn allow_write(mut self, root: impl AsRef<Path>) -> Self {
        self.write.push(resolve_root(root.as_ref()));
        self
    }

    /// Text added to every refusal of `access`, saying how to get it (the
    /// `run` example says which flag to add):
    /// `read access to "/etc/x" is not allowed; run again with --allow-read`.
    #[must_use]
    pub fn with_hint(mut self, access: Access, hint: impl Into<String>) -> Self {
        self.hints[access as usize] = Some(hint.into());
        self
    }

    /// Whether everything is allowed.
    pub fn allows_all(&self) -> bool {
        self.allow_all
    }

    /// Checks that `path` may be read; see [`FsPermissions::check`].
    pub fn check_read(&self, path: &Path) -> Result<PathBuf, OpError> {
        self.check(path, Access::Read, true)
    }

    /// Checks that `path` may be written; see [`FsPermissions::check`].
    pub fn check_write(&self, path: &Path) -> Result<PathBuf, OpError> {
        self.check(path, Access::Write, true)
    }

    /// Checks `path` for `access`, and returns the resolved path the op
    /// should use. With `follow_last` false (removing or renaming a
    /// symlink), the last component is not followed: the check is on the
    /// link itself, in its resolved parent directory.
    ///
    /// A refusal is an error of class `PermissionDenied`, code `EACCES`,
    /// naming the path and the access needed. This call reads the file
    /// system (it blocks): call it from a blocking task.
    pub fn check(
        &self,
        path: &Path,
        access: Access,
        follow_last: bool,
    ) -> Result<PathBuf, OpError> {
        let resolved = Self::resolve(path, follow_last).map_err(|e| {
            OpError::from(e).context(format_args!("cannot resolve \"{}\"", path.display()))
        })?;
        if self.allow_all {
            return Ok(resolved);
        }
        let roots = match access {
            Access::Read => &self.read,
            Access::Write => &self.write,
        };
        if roots.iter().any(|root| resolved.starts_with(root)) {
            return Ok(resolved);
        }
        let shown = if resolved.as_path() == path {
            String::new()
        } else {
            format!(" (resolved to \"{}\")", resolved.display())
        };
        let mut message = format!(
            "{} access to \"{}\"{shown} is not allowed",
            access.word(),
            path.display()
        );
        if let Some(hint) = &self.hints[access as usize] {
            message.push_str("; ");
            message.push_str(hint);
        }
        Err(OpError::new("PermissionDenied", message).with_code("EACCES"))
    }

    /// Resolves `path` as the kernel would when opening it: relative to the
    /// current directory, every `..` and symlink followed. For a path that
    /// does not exist yet, its deepest existing ancestor is resolved and the
    /// rest appended; a dangling symlink is followed to where it points; a
    /// `..` after a component that does not exist is refused (`NotFound`).
    pub fn resolve(path: &Path, follow_last: bool) -> io::Result<PathBuf> {
        let path = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir()?.join(path)
        };
        if !follow_last
            && let Some(name) = path.file_name()
            && let Some(parent) = path.parent()
        {
            // `file_name` is `None` for a path ending in `..`: then follow.
            return Ok(resolve_follow(parent, 0)?.join(name));
        }
        resolve_follow(&path, 0)
    }
}

/// Resolves an absolute path, following every symlink, the last one too.
fn resolve_follow(path: &Path, depth: u32) -> io::Result<PathBuf> {
    if depth > MAX_LINKS {
        return Err(io::Error::other(format!(
            "too many levels of symbolic links at \"{}\"",
            path.display()
        )));
    }
    // Walk up to the deepest ancestor that resolves; keep the rest.
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    let base = loop {
        match std::fs::canonicalize(&existing) {
            Ok(base) => break base,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        // A dangling symlink: follow it to where it points.
        if let Ok(meta) = std::fs::symlink_metadata(&existing)
            && meta.file_type().is_symlink()
        {
            let target = std::fs::read_link(&existing)?;
            let parent = existing.parent().unwrap_or(Path::new("/"));
            let mut next = parent.join(target);
            for part in rest.iter().rev() {
                next.push(part);
            }
            return resolve_follow(&next, depth + 1);
        }
        match existing.components().next_back() {
            Some(Component::Normal(name)) => rest.push(name.to_os_string()),
            Some(Component::CurDir) => {}
            Some(Component::ParentDir) => {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    "\"..\" after a directory that does not exist",
                ));
            }
            _ => return Err(io::Error::from(io::ErrorKind::NotFound)),
        }
        if !existing.pop() {
            return Err(io::Error::from(io::ErrorKind::NotFound));
        }
    };
    let mut resolved = base;
    for part in rest.iter().rev() {
        resolved.push(part);
    }
    Ok(resolved)
}

/// A root as given, resolved if it can be (else kept as written, made
/// absolute), so that `starts_with` compares like with like.
fn resolve_root(root: &Path) -> PathBuf {
    FsPermissions::resolve(root, true).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| cwd.join(root))
            .unwrap_or_else(|_| root.to_path_buf())
    })
}
