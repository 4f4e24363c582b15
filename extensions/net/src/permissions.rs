//! [`NetPermissions`]: which hosts and ports the ops may listen on and
//! connect to, and the check every op makes before it touches the network.

use opwire::OpError;

/// Which addresses the `net` ops may listen on and connect to: the
/// extension's options.
///
/// An entry is a host (a name such as `localhost`, an IPv4 address, or an
/// IPv6 address, bracketed or not) and optionally a port; without a port
/// every port of that host is allowed. The check compares the host exactly
/// as JS gave it (case-insensitively, brackets dropped): allowing
/// `localhost` does not allow `127.0.0.1`, and names are not resolved.
/// Nothing is allowed by default.
///
/// # Examples
///
/// ```
/// use opwire_net::NetPermissions;
///
/// let perms = NetPermissions::none()
///     .allow("127.0.0.1", None)
///     .allow_spec("example.com:443")
///     .unwrap()
///     .with_hint("run again with --allow-net");
/// assert!(perms.check("127.0.0.1", 8080, "listen on").is_ok());
/// assert!(perms.check("EXAMPLE.com", 443, "connect to").is_ok());
/// let err = perms.check("example.com", 80, "connect to").unwrap_err();
/// assert_eq!(err.class(), "PermissionDenied");
/// assert_eq!(
///     err.message(),
///     "connect to \"example.com:80\" is not allowed; run again with --allow-net"
/// );
/// ```
#[derive(Clone, Debug, Default)]
pub struct NetPermissions {
    allow_all: bool,
    allowed: Vec<(String, Option<u16>)>,
    hint: Option<String>,
}

impl NetPermissions {
    /// Nothing allowed: every listen and connect fails with
    /// `PermissionDenied`.
    pub fn none() -> Self {
        Self::default()
    }

    /// Every address allowed, no check.
    pub fn allow_all() -> Self {
        Self {
            allow_all: true,
            ..Self::default()
        }
    }

    /// Also allows `host` (every port when `port` is `None`).
    #[must_use]
    pub fn allow(mut self, host: &str, port: Option<u16>) -> Self {
        self.allowed.push((normalize(host), port));
        self
    }

    /// Also allows `spec`: `host`, `host:port`, `[v6]`, `[v6]:port` or a
    /// bare IPv6 address.
    ///
    /// # Errors
    ///
    /// A message naming `spec` when it is empty or its port is not a
    /// number from 0 to 65535.
    pub fn allow_spec(self, spec: &str) -> Result<Self, String> {
        let (host, port) = parse_spec(spec)?;
        Ok(self.allow(host, port))
    }

    /// Text added to every refusal, saying how to get the access (the
    /// `run` example says which flag to add).
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether everything is allowed.
    pub fn allows_all(&self) -> bool {
        self.allow_all
    }

    /// Checks that `what` (`"listen on"`, `"connect to"`) may use
    /// `host:port`.
    ///
    /// # Errors
    ///
    /// A refusal: class `PermissionDenied`, code `EACCES`, naming the
    /// operation and the address, then the hint if there is one.
    pub fn check(&self, host: &str, port: u16, what: &str) -> Result<(), OpError> {
        if self.allow_all {
            return Ok(());
        }
        let host = normalize(host);
        let allowed = self
            .allowed
            .iter()
            .any(|(h, p)| *h == host && p.is_none_or(|p| p == port));
        if allowed {
            return Ok(());
        }
        let mut message = format!("{what} \"{}\" is not allowed", show(&host, port));
        if let Some(hint) = &self.hint {
            message.push_str("; ");
            message.push_str(hint);
        }
        Err(OpError::new("PermissionDenied", message).with_code("EACCES"))
    }
}

/// `host:port`, with an IPv6 host in brackets.
pub(crate) fn show(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// The host as entries and checks compare it: lower case, no brackets.
fn normalize(host: &str) -> String {
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    host.to_ascii_lowercase()
}

/// Splits `host[:port]` (see [`NetPermissions::allow_spec`]).
fn parse_spec(spec: &str) -> Result<(&str, Option<u16>), String> {
    let bad = |why: &str| format!("bad network address {spec:?}: {why}");
    let spec = spec.trim();
    let (host, port) = if let Some(rest) = spec.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(|| bad("no closing ]"))?;
        match after {
            "" => (host, None),
            _ => (
                host,
                Some(
                    after
                        .strip_prefix(':')
                        .ok_or_else(|| bad("expected :port after ]"))?,
                ),
            ),
        }
    } else if spec.matches(':').count() == 1 {
        let (host, port) = spec.split_once(':').unwrap_or((spec, ""));
        (host, Some(port))
    } else {
        // No colon, or a bare IPv6 address (several).
        (spec, None)
    };
    if host.is_empty() {
        return Err(bad("no host"));
    }
    let port = port
        .map(|p| p.parse::<u16>().map_err(|_| bad("the port is not 0-65535")))
        .transpose()?;
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(parse_spec("localhost"), Ok(("localhost", None)));
        assert_eq!(parse_spec("127.0.0.1:80"), Ok(("127.0.0.1", Some(80))));
        assert_eq!(parse_spec("[::1]:443"), Ok(("::1", Some(443))));
        assert_eq!(parse_spec("[::1]"), Ok(("::1", None)));
        assert_eq!(parse_spec("::1"), Ok(("::1", None)));
        assert!(parse_spec("host:99999").is_err());
        assert!(parse_spec(":80").is_err());
        assert!(parse_spec("[::1").is_err());
    }

    #[test]
    fn checks() {
        let perms = NetPermissions::none()
            .allow_spec("[::1]:80")
            .unwrap()
            .allow("Localhost", None);
        assert!(perms.check("::1", 80, "listen").is_ok());
        assert!(perms.check("[::1]", 80, "listen").is_ok());
        assert!(perms.check("localhost", 1, "listen").is_ok());
        let err = perms.check("::1", 81, "connect to").unwrap_err();
        assert_eq!(err.message(), "connect to \"[::1]:81\" is not allowed");
        assert!(perms.check("127.0.0.1", 80, "listen").is_err());
        assert!(NetPermissions::allow_all().check("x", 1, "listen").is_ok());
    }
}
