//! [`OpError`]: what an op returns to JS.

use std::borrow::Cow;
use std::fmt;

/// The error type of ops: a message plus the JS class it is thrown as.
///
/// `OpError` converts from any [`std::error::Error`], so `?` works on
/// `std::io::Error`, parse errors and the like; boxed errors
/// (`Box<dyn Error + Send + Sync>`, `anyhow::Error` via `.into()`) convert
/// with [`OpError::from_boxed`]. JS receives a real `Error` instance:
///
/// | Rust | JS `name` | JS `code` |
/// |---|---|---|
/// | [`OpError::error`] | `Error` | — |
/// | [`OpError::type_error`] | `TypeError` | — |
/// | [`OpError::range_error`] | `RangeError` | — |
/// | [`OpError::new`]`("NotFound", ..)` | `NotFound` (an `Error` whose `name` is set) | — |
/// | `std::io::Error` of kind `NotFound` | `NotFound` | `ENOENT` |
/// | any other `std::error::Error` | `Error` | — |
///
/// [`OpError::with_code`] adds or replaces the `code` property.
///
/// # Examples
///
/// ```
/// use opwire::{op, OpError};
///
/// #[op]
/// fn op_div(a: f64, b: f64) -> Result<f64, OpError> {
///     if b == 0.0 {
///         return Err(OpError::range_error("division by zero").with_code("EDIVZERO"));
///     }
///     Ok(a / b)
/// }
///
/// #[op]
/// fn op_parse(#[string] s: &str) -> Result<u32, OpError> {
///     Ok(s.parse::<u32>()?) // ParseIntError becomes a JS `Error`
/// }
/// # let _ = (op_div, op_parse);
/// ```
pub struct OpError {
    class: Cow<'static, str>,
    message: Cow<'static, str>,
    code: Option<Cow<'static, str>>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    /// Whether JS sees the message prefixed with the op's name (for errors
    /// made by opwire's helpers, which do not know the op).
    names_op: bool,
}

impl OpError {
    /// An error thrown in JS as an instance of `class`.
    ///
    /// `Error`, `TypeError`, `RangeError`, `SyntaxError` and
    /// `ReferenceError` create instances of those constructors; any other
    /// name creates an `Error` whose `name` property is `class`.
    pub fn new(class: impl Into<Cow<'static, str>>, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            class: class.into(),
            message: message.into(),
            code: None,
            source: None,
            names_op: false,
        }
    }

    /// A plain JS `Error`.
    pub fn error(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new("Error", message)
    }

    /// A JS `TypeError`.
    pub fn type_error(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new("TypeError", message)
    }

    /// A JS `RangeError`.
    pub fn range_error(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new("RangeError", message)
    }

    /// The error for a panic caught in op `op`: `Error("<op> panicked:
    /// <message>")`, with the panic's message when it is a string.
    pub(crate) fn from_panic(op: &str, payload: &(dyn std::any::Any + Send)) -> Self {
        Self::error(format!("{op} panicked: {}", panic_message(payload)))
    }

    /// Sets the `code` property of the JS error (for example `"ENOENT"`).
    #[must_use]
    pub fn with_code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// The JS class name (`"TypeError"`, `"NotFound"`, ...).
    pub fn class(&self) -> &str {
        &self.class
    }

    /// The message, without the class.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `code` property, if any.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The Rust error this one was converted from, if any.
    pub fn source(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.source.as_deref()
    }

    /// Prefixes the message with `prefix: `, keeping class and code.
    #[must_use]
    pub fn context(mut self, prefix: impl fmt::Display) -> Self {
        self.message = Cow::Owned(format!("{prefix}: {}", self.message));
        self
    }

    /// Converts a boxed error (what `anyhow::Error` and most error libraries
    /// turn into): an `std::io::Error` inside keeps its class and code.
    ///
    /// `?` cannot do this conversion by itself (Rust's coherence rules forbid
    /// a `From` impl next to the one for every `std::error::Error`), so write
    /// `.map_err(OpError::from_boxed)`.
    pub fn from_boxed(err: Box<dyn std::error::Error + Send + Sync + 'static>) -> Self {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            let (class, code) = io_class(io.kind());
            let mut op = Self::new(class, io.to_string());
            op.code = code.map(Cow::Borrowed);
            op.source = Some(err);
            return op;
        }
        if let Some(op) = err.downcast_ref::<OpErrorBox>() {
            return op.0.clone_shallow();
        }
        Self {
            class: Cow::Borrowed("Error"),
            message: Cow::Owned(err.to_string()),
            code: None,
            source: Some(err),
            names_op: false,
        }
    }

    pub(crate) fn clone_shallow(&self) -> Self {
        Self {
            class: self.class.clone(),
            message: self.message.clone(),
            code: self.code.clone(),
            source: None,
            names_op: self.names_op,
        }
    }

    /// Makes JS see the message prefixed with the name of the op that
    /// returned the error (`op_read: <message>`): for errors made by helpers
    /// that cannot know which op calls them, such as
    /// [`ResourceTable::get`](crate::ResourceTable::get).
    #[must_use]
    pub fn naming_the_op(mut self) -> Self {
        self.names_op = true;
        self
    }

    /// The message JS sees when op `op` returns this error.
    pub(crate) fn message_for(&self, op: &str) -> Cow<'_, str> {
        if self.names_op {
            Cow::Owned(format!("{op}: {}", self.message))
        } else {
            Cow::Borrowed(&self.message)
        }
    }
}

/// JS class and `code` for an I/O error kind.
fn io_class(kind: std::io::ErrorKind) -> (&'static str, Option<&'static str>) {
    use std::io::ErrorKind as K;
    match kind {
        K::NotFound => ("NotFound", Some("ENOENT")),
        K::PermissionDenied => ("PermissionDenied", Some("EACCES")),
        K::AlreadyExists => ("AlreadyExists", Some("EEXIST")),
        K::ConnectionRefused => ("ConnectionRefused", Some("ECONNREFUSED")),
        K::ConnectionReset => ("ConnectionReset", Some("ECONNRESET")),
        K::ConnectionAborted => ("ConnectionAborted", Some("ECONNABORTED")),
        K::NotConnected => ("NotConnected", Some("ENOTCONN")),
        K::AddrInUse => ("AddrInUse", Some("EADDRINUSE")),
        K::AddrNotAvailable => ("AddrNotAvailable", Some("EADDRNOTAVAIL")),
        K::BrokenPipe => ("BrokenPipe", Some("EPIPE")),
        K::WouldBlock => ("WouldBlock", Some("EAGAIN")),
        K::TimedOut => ("TimedOut", Some("ETIMEDOUT")),
        K::Interrupted => ("Interrupted", Some("EINTR")),
        K::IsADirectory => ("IsADirectory", Some("EISDIR")),
        K::NotADirectory => ("NotADirectory", Some("ENOTDIR")),
        K::DirectoryNotEmpty => ("DirectoryNotEmpty", Some("ENOTEMPTY")),
        K::InvalidInput => ("TypeError", Some("EINVAL")),
        K::InvalidData => ("InvalidData", None),
        K::UnexpectedEof => ("UnexpectedEof", None),
        K::WriteZero => ("WriteZero", None),
        K::Unsupported => ("NotSupported", Some("ENOTSUP")),
        _ => ("Error", None),
    }
}

impl<E> From<E> for OpError
where
    E: std::error::Error + Send + Sync + 'static,
{
    fn from(err: E) -> Self {
        Self::from_boxed(Box::new(err))
    }
}

/// Wraps an [`OpError`] so it can travel as a `std::error::Error`.
#[derive(Debug)]
struct OpErrorBox(OpError);

impl fmt::Display for OpErrorBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for OpErrorBox {}

impl From<OpError> for Box<dyn std::error::Error + Send + Sync + 'static> {
    fn from(err: OpError) -> Self {
        Box::new(OpErrorBox(err))
    }
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class, self.message)
    }
}

impl fmt::Debug for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("OpError");
        d.field("class", &self.class)
            .field("message", &self.message);
        if let Some(code) = &self.code {
            d.field("code", code);
        }
        if let Some(source) = &self.source {
            d.field("source", source);
        }
        d.finish()
    }
}

/// A panic's message, when its payload is a string.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.as_str()
    } else {
        "(a panic payload that is not a string)"
    }
}
