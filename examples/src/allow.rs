//! The `run` example's Deno-style permission flags: `--allow-read[=paths]`,
//! `--allow-write[=paths]` and `--allow-net[=hosts]` (comma-separated lists;
//! a bare flag allows everything), turned into the `fs` and `net`
//! extensions' permissions. A refusal names the flag to add.

use opwire_fs::{Access, FsPermissions};
use opwire_net::NetPermissions;

/// The permission flags given to `run`: `None` when a flag is absent, an
/// empty list for a bare flag (allow all).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowFlags {
    /// `--allow-read`.
    pub read: Option<Vec<String>>,
    /// `--allow-write`.
    pub write: Option<Vec<String>>,
    /// `--allow-net`.
    pub net: Option<Vec<String>>,
}

impl AllowFlags {
    /// Takes `arg` if it is one of the flags; `false` if it is not one.
    pub fn take(&mut self, arg: &str) -> bool {
        let (name, list) = match arg.split_once('=') {
            Some((name, list)) => (name, Some(list)),
            None => (arg, None),
        };
        let slot = match name {
            "--allow-read" => &mut self.read,
            "--allow-write" => &mut self.write,
            "--allow-net" => &mut self.net,
            _ => return false,
        };
        let items: Vec<String> = list
            .map(|l| {
                l.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        // A bare flag wins over lists; lists given twice add up.
        *slot = match (slot.take(), list) {
            (Some(all), _) if all.is_empty() => Some(all),
            (_, None) => Some(Vec::new()),
            (Some(mut before), Some(_)) => {
                before.extend(items);
                Some(before)
            }
            (None, Some(_)) => Some(items),
        };
        true
    }

    /// The file system permissions the flags give.
    pub fn fs(&self) -> FsPermissions {
        if self.read.as_ref().is_some_and(Vec::is_empty)
            && self.write.as_ref().is_some_and(Vec::is_empty)
        {
            return FsPermissions::allow_all();
        }
        let mut perms = FsPermissions::none();
        for (access, flag, roots) in [
            (Access::Read, "--allow-read", &self.read),
            (Access::Write, "--allow-write", &self.write),
        ] {
            let hint = match roots {
                None => format!("run again with {flag}"),
                Some(roots) if roots.is_empty() => {
                    // Everything: the root directory holds every path.
                    perms = allow(perms, access, "/");
                    continue;
                }
                Some(roots) => {
                    for root in roots {
                        perms = allow(perms, access, root);
                    }
                    format!("add it to {flag}")
                }
            };
            perms = perms.with_hint(access, hint);
        }
        perms
    }

    /// The network permissions the flags give.
    ///
    /// # Errors
    ///
    /// A message naming a host in `--allow-net` that does not parse.
    pub fn net(&self) -> Result<NetPermissions, String> {
        match &self.net {
            None => Ok(NetPermissions::none().with_hint("run again with --allow-net")),
            Some(hosts) if hosts.is_empty() => Ok(NetPermissions::allow_all()),
            Some(hosts) => hosts
                .iter()
                .try_fold(NetPermissions::none(), |p, h| p.allow_spec(h))
                .map(|p| p.with_hint("add it to --allow-net")),
        }
    }
}

fn allow(perms: FsPermissions, access: Access, root: &str) -> FsPermissions {
    match access {
        Access::Read => perms.allow_read(root),
        Access::Write => perms.allow_write(root),
    }
}
