//! [`ModuleSpecifier`]: a module's absolute URL, and [`resolve_import`],
//! the one place import specifiers are resolved (a small subset of the
//! WHATWG URL rules: enough for `file:`, `ext:`, `http(s):` and custom
//! schemes, with no dependency).
//!
//! A specifier is `scheme:` then either `//authority/path` or a path, then
//! an optional `?query` and `#fragment`. Paths are normalised (`.` and `..`
//! removed) and characters that URLs cannot hold are percent-encoded, so
//! two spellings of one module give one specifier.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::OpError;

/// A module's absolute URL: `file:///app/main.js`, `ext:greet/mod.js`,
/// `https://example.com/x.js`. Made by [`ModuleSpecifier::parse`],
/// [`ModuleSpecifier::from_file_path`],
/// [`ModuleSpecifier::from_path_or_url`] or [`resolve_import`]; always in
/// normal form, so equal modules have equal specifiers.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleSpecifier(String);

/// The parts of a URL string, borrowed from it.
struct Parts<'a> {
    scheme: &'a str,
    /// `Some` when the URL has `//authority`.
    authority: Option<&'a str>,
    path: &'a str,
    /// `?query#fragment`, whatever of it is present.
    suffix: &'a str,
}

impl ModuleSpecifier {
    /// Parses an absolute URL, normalising it.
    ///
    /// # Errors
    ///
    /// A `TypeError` if `url` has no scheme (`scheme:`, two or more
    /// characters, so `C:` is not one), or is a `file:` URL with a host.
    ///
    /// # Examples
    ///
    /// ```
    /// use opwire::ModuleSpecifier;
    ///
    /// let s = ModuleSpecifier::parse("FILE:///app/./lib/../main.js").unwrap();
    /// assert_eq!(s.as_str(), "file:///app/main.js");
    /// assert_eq!(ModuleSpecifier::parse("ext:greet/mod.js").unwrap().scheme(), "ext");
    /// assert!(ModuleSpecifier::parse("./main.js").is_err());
    /// ```
    pub fn parse(url: &str) -> Result<Self, OpError> {
        let parts = split(url).ok_or_else(|| {
            OpError::type_error(format!(
                "\"{url}\" is not an absolute URL (it has no scheme)"
            ))
        })?;
        let scheme = parts.scheme.to_ascii_lowercase();
        let mut authority = parts.authority;
        let mut path = parts.path;
        if scheme == "file" {
            match authority {
                None | Some("" | "localhost") => authority = Some(""),
                Some(host) => {
                    return Err(OpError::type_error(format!(
                        "\"{url}\": file URLs with a host (\"{host}\") are not supported"
                    )));
                }
            }
            path = path.trim_start_matches('/');
        }
        let mut out = scheme;
        out.push(':');
        let hierarchical = authority.is_some() || path.starts_with('/') || out == "ext:";
        if let Some(authority) = authority {
            out.push_str("//");
            out.push_str(authority);
            if !path.starts_with('/') {
                out.push('/');
            }
        }
        let path = encode(path);
        if hierarchical {
            out.push_str(&remove_dot_segments(&path));
        } else {
            out.push_str(&path);
        }
        out.push_str(&encode(parts.suffix));
        Ok(Self(out))
    }

    /// The `file:` URL of an absolute path.
    ///
    /// # Errors
    ///
    /// A `TypeError` if `path` is not absolute.
    pub fn from_file_path(path: &Path) -> Result<Self, OpError> {
        if !path.is_absolute() {
            return Err(OpError::type_error(format!(
                "\"{}\" is not an absolute path",
                path.display()
            )));
        }
        let text = path.to_string_lossy();
        let mut url = String::from("file://");
        if cfg!(windows) {
            url.push('/');
        }
        for c in text.chars() {
            match c {
                '\\' if cfg!(windows) => url.push('/'),
                // What would end the path or start an escape.
                '%' | '?' | '#' => push_escaped(&mut url, c),
                c => url.push(c),
            }
        }
        Self::parse(&url)
    }

    /// What the main module's specifier may be: an absolute URL
    /// (`file:///app/main.js`, `ext:x/y.js`) or a file path, relative to
    /// the current directory or absolute (`main.js`, `./main.js`,
    /// `/app/main.js`).
    ///
    /// # Errors
    ///
    /// As [`ModuleSpecifier::parse`]; a `TypeError` for a relative path
    /// when the current directory is unknown.
    pub fn from_path_or_url(specifier: &str) -> Result<Self, OpError> {
        if split(specifier).is_some() {
            return Self::parse(specifier);
        }
        let path = Path::new(specifier);
        if path.is_absolute() {
            return Self::from_file_path(path);
        }
        let cwd = std::env::current_dir()
            .map_err(|e| OpError::type_error(format!("cannot resolve \"{specifier}\": {e}")))?;
        Self::from_file_path(&cwd.join(path))
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The scheme, lower case, without the `:` (`"file"`, `"ext"`).
    pub fn scheme(&self) -> &str {
        self.0.split_once(':').map_or("", |(scheme, _)| scheme)
    }

    /// The path of a `file:` URL (decoded; the query and fragment are
    /// dropped); `None` for other schemes.
    pub fn to_file_path(&self) -> Option<PathBuf> {
        let rest = self.0.strip_prefix("file://")?;
        let end = rest.find(['?', '#']).unwrap_or(rest.len());
        let path = decode(&rest[..end]);
        if cfg!(windows) {
            return Some(PathBuf::from(path.trim_start_matches('/')));
        }
        Some(PathBuf::from(path))
    }

    fn parts(&self) -> Parts<'_> {
        split(&self.0).unwrap_or(Parts {
            scheme: "",
            authority: None,
            path: &self.0,
            suffix: "",
        })
    }
}

impl fmt::Display for ModuleSpecifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ModuleSpecifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl AsRef<str> for ModuleSpecifier {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Resolves an import specifier, as written in `referrer`, to a URL (the
/// default of [`ModuleLoader::resolve`](crate::ModuleLoader::resolve)):
///
/// - an absolute URL (`file:///x.js`, `ext:greet/mod.js`) stands as it is;
/// - `./x.js` and `../x.js` are relative to the referrer's folder, `/x.js`
///   to its root (its scheme and host);
/// - inside an `ext:` module, relative specifiers stay inside the same
///   extension (`ext:greet/a.js` may import `./b.js`, never `../other/…`
///   or `/…`);
/// - anything else (`lodash`, `x.js`) is a bare specifier: an error.
///
/// # Errors
///
/// A `TypeError` naming the specifier and the problem.
///
/// # Examples
///
/// ```
/// use opwire::{ModuleSpecifier, resolve_import};
///
/// let main = ModuleSpecifier::parse("file:///app/src/main.js").unwrap();
/// assert_eq!(resolve_import("../lib/x.js", &main).unwrap().as_str(), "file:///app/lib/x.js");
/// assert_eq!(resolve_import("/x.js", &main).unwrap().as_str(), "file:///x.js");
/// assert!(resolve_import("lodash", &main).is_err());
/// ```
pub fn resolve_import(
    specifier: &str,
    referrer: &ModuleSpecifier,
) -> Result<ModuleSpecifier, OpError> {
    if split(specifier).is_some() {
        return ModuleSpecifier::parse(specifier);
    }
    let relative = specifier.starts_with("./")
        || specifier.starts_with("../")
        || specifier == "."
        || specifier == "..";
    if !relative && !specifier.starts_with('/') {
        return Err(OpError::type_error(format!(
            "Relative import path \"{specifier}\" not prefixed with / or ./ or ../"
        )));
    }
    let base = referrer.parts();
    if base.scheme == "ext" {
        return resolve_in_extension(specifier, referrer, base.path, relative);
    }
    let hierarchical = base.authority.is_some() || base.path.starts_with('/');
    if !hierarchical {
        return Err(OpError::type_error(format!(
            "cannot resolve \"{specifier}\" relative to \"{referrer}\""
        )));
    }
    let mut url = format!("{}:", base.scheme);
    if specifier.starts_with("//") {
        url.push_str(specifier);
        return ModuleSpecifier::parse(&url);
    }
    if let Some(authority) = base.authority {
        url.push_str("//");
        url.push_str(authority);
    }
    if relative {
        url.push_str(folder(base.path));
    }
    url.push_str(specifier);
    ModuleSpecifier::parse(&url)
}

/// `specifier` (relative or rooted) as written in `ext:` module `referrer`,
/// whose path is `path` (`<extension>/<file>`).
fn resolve_in_extension(
    specifier: &str,
    referrer: &ModuleSpecifier,
    path: &str,
    relative: bool,
) -> Result<ModuleSpecifier, OpError> {
    let extension = path.split('/').next().unwrap_or("");
    let escapes = || {
        OpError::type_error(format!(
            "\"{specifier}\" in \"{referrer}\" leaves extension `{extension}`: \
             an ext: module imports other extensions by their ext: URL"
        ))
    };
    if !relative {
        return Err(escapes());
    }
    let joined = remove_dot_segments(&format!("/{}{specifier}", folder(path)));
    let inside = joined
        .strip_prefix('/')
        .and_then(|p| p.strip_prefix(extension))
        .is_some_and(|rest| rest.starts_with('/') && rest.len() > 1);
    if !inside {
        return Err(escapes());
    }
    ModuleSpecifier::parse(&format!("ext:{}", &joined[1..]))
}

/// `url`'s parts when it starts with a scheme (a letter, then letters,
/// digits, `+`, `-` or `.`; two characters at least), else `None`.
fn split(url: &str) -> Option<Parts<'_>> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let valid = scheme.len() >= 2
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid {
        return None;
    }
    let rest = &url[colon + 1..];
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let (body, suffix) = rest.split_at(end);
    let (authority, path) = match body.strip_prefix("//") {
        Some(after) => {
            let slash = after.find('/').unwrap_or(after.len());
            (Some(&after[..slash]), &after[slash..])
        }
        None => (None, body),
    };
    Some(Parts {
        scheme,
        authority,
        path,
        suffix,
    })
}

/// The folder part of `path`: up to and including its last `/`.
fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

/// `path` without `.` and `..` segments (RFC 3986, 5.2.4); `..` never
/// climbs above the root.
fn remove_dot_segments(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if i == 0 && rooted {
            continue;
        }
        match *segment {
            "." | ".." => {
                if *segment == ".." {
                    out.pop();
                }
                // A path ending in a dot segment names a folder.
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if rooted { format!("/{joined}") } else { joined }
}

/// `text` with the characters a URL cannot hold percent-encoded (controls,
/// space, `"`, `<`, `>`, `` ` ``, `{`, `}`, non-ASCII); `%` escapes are
/// kept.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let plain = c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '`' | '{' | '}');
        if plain {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    let mut buf = [0; 4];
    for byte in c.encode_utf8(&mut buf).bytes() {
        out.push_str(&format!("%{byte:02X}"));
    }
}

/// `text` with `%XX` escapes decoded (invalid UTF-8 becomes U+FFFD).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{ModuleSpecifier, resolve_import};

    fn url(s: &str) -> ModuleSpecifier {
        ModuleSpecifier::parse(s).unwrap()
    }

    fn resolve(specifier: &str, referrer: &str) -> Result<String, String> {
        resolve_import(specifier, &url(referrer))
            .map(|s| s.as_str().to_owned())
            .map_err(|e| e.message().to_owned())
    }

    #[test]
    fn urls_are_normalised() {
        assert_eq!(url("file:///a/./b/../c.js").as_str(), "file:///a/c.js");
        assert_eq!(url("FILE:/a/b.js").as_str(), "file:///a/b.js");
        assert_eq!(url("file://localhost/a.js").as_str(), "file:///a.js");
        assert_eq!(url("file:///a/b/..").as_str(), "file:///a/");
        assert_eq!(url("file:///../../x.js").as_str(), "file:///x.js");
        assert_eq!(url("https://h.io").as_str(), "https://h.io/");
        assert_eq!(
            url("https://h.io/a/../b.js?x=1#y").as_str(),
            "https://h.io/b.js?x=1#y"
        );
        assert_eq!(
            url("ext:greet/./lib/../mod.js").as_str(),
            "ext:greet/mod.js"
        );
        assert_eq!(
            url("file:///my dir/ü.js").as_str(),
            "file:///my%20dir/%C3%BC.js"
        );
        assert_eq!(url("file:///a%20b.js").as_str(), "file:///a%20b.js");
        assert_eq!(
            url("data:text/javascript,a/../b").as_str(),
            "data:text/javascript,a/../b"
        );
        assert!(ModuleSpecifier::parse("file://host/a.js").is_err());
        assert!(ModuleSpecifier::parse("main.js").is_err());
        assert!(
            ModuleSpecifier::parse("c:/main.js").is_err(),
            "one letter is a drive, not a scheme"
        );
        assert_eq!(url("ext:greet/mod.js").scheme(), "ext");
    }

    #[test]
    fn relative_and_rooted_specifiers() {
        let main = "file:///app/src/main.js";
        assert_eq!(resolve("./a.js", main).unwrap(), "file:///app/src/a.js");
        assert_eq!(
            resolve("../lib/b.js", main).unwrap(),
            "file:///app/lib/b.js"
        );
        assert_eq!(resolve("../../../../c.js", main).unwrap(), "file:///c.js");
        assert_eq!(resolve("/etc/d.js", main).unwrap(), "file:///etc/d.js");
        assert_eq!(
            resolve("./e.js?v=2#top", main).unwrap(),
            "file:///app/src/e.js?v=2#top"
        );
        assert_eq!(
            resolve("./a b.js", main).unwrap(),
            "file:///app/src/a%20b.js"
        );
        assert_eq!(resolve(".", main).unwrap(), "file:///app/src/");
        assert_eq!(resolve("..", main).unwrap(), "file:///app/");
        let web = "https://h.io/x/y.js?q=1";
        assert_eq!(resolve("./z.js", web).unwrap(), "https://h.io/x/z.js");
        assert_eq!(resolve("/z.js", web).unwrap(), "https://h.io/z.js");
        assert_eq!(
            resolve("//cdn.io/z.js", web).unwrap(),
            "https://cdn.io/z.js"
        );
        assert_eq!(resolve("mem:/x.js", main).unwrap(), "mem:/x.js");
        assert_eq!(resolve("./y.js", "mem:/a/x.js").unwrap(), "mem:/a/y.js");
    }

    #[test]
    fn absolute_urls_stand_and_bare_specifiers_fail() {
        let main = "file:///app/main.js";
        assert_eq!(
            resolve("ext:greet/mod.js", main).unwrap(),
            "ext:greet/mod.js"
        );
        assert_eq!(resolve("file:///x/../y.js", main).unwrap(), "file:///y.js");
        assert_eq!(
            resolve("lodash", main).unwrap_err(),
            "Relative import path \"lodash\" not prefixed with / or ./ or ../"
        );
        assert!(resolve("a.js", main).is_err());
        assert_eq!(
            resolve("./x.js", "data:text/javascript,1").unwrap_err(),
            "cannot resolve \"./x.js\" relative to \"data:text/javascript,1\""
        );
    }

    #[test]
    fn extension_modules_stay_in_their_extension() {
        let ext = "ext:greet/lib/a.js";
        assert_eq!(resolve("./b.js", ext).unwrap(), "ext:greet/lib/b.js");
        assert_eq!(resolve("../c.js", ext).unwrap(), "ext:greet/c.js");
        assert_eq!(resolve("ext:other/d.js", ext).unwrap(), "ext:other/d.js");
        let leaves = "\"../../other/d.js\" in \"ext:greet/lib/a.js\" leaves extension `greet`: \
                      an ext: module imports other extensions by their ext: URL";
        assert_eq!(resolve("../../other/d.js", ext).unwrap_err(), leaves);
        assert!(resolve("../../../x.js", ext).is_err());
        assert!(resolve("/etc/passwd", ext).is_err());
        assert!(resolve("../..", ext).is_err());
    }

    #[test]
    fn file_paths_round_trip() {
        let s = ModuleSpecifier::from_file_path(Path::new("/tmp/a b/100%/x?.js")).unwrap();
        assert_eq!(s.as_str(), "file:///tmp/a%20b/100%25/x%3F.js");
        assert_eq!(s.to_file_path().unwrap(), Path::new("/tmp/a b/100%/x?.js"));
        assert_eq!(
            url("file:///a.js?x#y").to_file_path().unwrap(),
            Path::new("/a.js")
        );
        assert_eq!(url("ext:a/b.js").to_file_path(), None);
        assert!(ModuleSpecifier::from_file_path(Path::new("rel.js")).is_err());
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            ModuleSpecifier::from_path_or_url("x/../main.js").unwrap(),
            ModuleSpecifier::from_file_path(&cwd.join("main.js")).unwrap()
        );
        assert_eq!(
            ModuleSpecifier::from_path_or_url("/a/b.js")
                .unwrap()
                .as_str(),
            "file:///a/b.js"
        );
        assert_eq!(
            ModuleSpecifier::from_path_or_url("ext:x/y.js")
                .unwrap()
                .as_str(),
            "ext:x/y.js"
        );
    }
}
