//! What the deserializer knows of one struct type: its field names as
//! internalized V8 strings, which fields must be own properties, and what it
//! does with unknown fields.
//!
//! Struct fields are read by name (`obj[field]`), which needs no listing of
//! the object's keys. Listing is only needed when a struct rejects unknown
//! fields (`deny_unknown_fields`): the first time a struct type is read, the
//! deserializer offers it one made-up field (a "probe"). A struct that
//! ignores it never needs the listing; one that rejects it is marked
//! [`Mode::Strict`] and the conversion is run again from the top (see
//! [`from_v8`](super::from_v8)), this time listing the object's own keys.

use std::cell::Cell;
use std::rc::Rc;

/// The made-up field name offered to a struct of unknown [`Mode`].
pub(super) const PROBE: &str = "\u{0}opwire: unknown field probe";

/// What a struct type does with fields it does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Not seen yet: offer it the probe.
    Unknown,
    /// Ignores them: read the known fields only.
    Lenient,
    /// Rejects them (or records them): list the object's own keys too.
    Strict,
}

/// The members every plain object inherits from `Object.prototype`. A
/// struct field with one of these names counts only as the object's own
/// property: `{}` has no field `constructor`, whatever `{}.constructor` is.
const OBJECT_PROTOTYPE_MEMBERS: &[&str] = &[
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "toString",
    "valueOf",
    "__proto__",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
];

/// Whether a field named `name` must be the object's own property.
pub(super) fn own_only(name: &str) -> bool {
    OBJECT_PROTOTYPE_MEMBERS.contains(&name)
}

/// One struct type's field keys and [`Mode`].
pub(super) struct Shape {
    keys: Box<[v8::Global<v8::String>]>,
    /// Per field: [`own_only`].
    own_only: Box<[bool]>,
    mode: Cell<Mode>,
    retry: Rc<Cell<bool>>,
}

impl Shape {
    /// The key of field `index`.
    pub(super) fn key<'s>(
        &self,
        scope: &v8::PinScope<'s, '_>,
        index: usize,
    ) -> v8::Local<'s, v8::String> {
        v8::Local::new(scope, &self.keys[index])
    }

    /// Whether field `index` must be the object's own property.
    pub(super) fn own_only(&self, index: usize) -> bool {
        self.own_only[index]
    }

    pub(super) fn mode(&self) -> Mode {
        self.mode.get()
    }

    /// The struct ignored the probe.
    pub(super) fn accept_probe(&self) {
        if self.mode.get() == Mode::Unknown {
            self.mode.set(Mode::Lenient);
        }
    }

    /// The struct rejected the probe (or wanted its value): it needs the
    /// full listing, and the current conversion must run again.
    pub(super) fn reject_probe(&self) {
        self.mode.set(Mode::Strict);
        self.retry.set(true);
    }
}

impl Shape {
    /// A shape for `fields`, whose keys are `keys`; it asks for a rerun
    /// through `retry`.
    pub(super) fn new(
        fields: &'static [&'static str],
        keys: Box<[v8::Global<v8::String>]>,
        retry: Rc<Cell<bool>>,
    ) -> Self {
        Self {
            keys,
            own_only: fields.iter().map(|f| own_only(f)).collect(),
            mode: Cell::new(Mode::Unknown),
            retry,
        }
    }
}
