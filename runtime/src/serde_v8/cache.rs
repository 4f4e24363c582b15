//! What the serde bridge keeps per isolate (in a runtime's isolate slot):
//! the original `Object.keys`, per struct type its field names as
//! internalized V8 strings plus what it does with unknown fields, and the
//! names the serializer writes.
//!
//! Struct fields are read by name (`obj[field]`), which needs no listing of
//! the object's keys. Listing is only needed when a struct rejects unknown
//! fields (`deny_unknown_fields`): the first time a struct type is read, the
//! deserializer offers it one made-up field (a "probe"). A struct that
//! ignores it never needs the listing; one that rejects it is marked
//! [`Mode::Strict`] and the conversion is run again from the top (see
//! [`from_v8`](super::from_v8)), this time listing the object's own keys.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
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

/// A map keyed by addresses.
type Table<K, V> = RefCell<HashMap<K, V, BuildHasherDefault<WordHasher>>>;

/// The isolate slot.
pub(crate) struct SerdeCache {
    /// The original `Object.keys`, which V8 answers from its enum cache (the
    /// C++ `GetPropertyNames` API always takes V8's slow key collector).
    pub(super) object_keys: v8::Global<v8::Function>,
    shapes: Table<ShapeId, Rc<Shape>>,
    /// Internalized names for `'static` strings (struct fields and enum
    /// variants the serializer writes), by address and length.
    names: Table<(usize, usize), v8::Global<v8::String>>,
    /// Set when a conversion must run again (a struct rejected the probe).
    pub(super) retry: Rc<Cell<bool>>,
}

/// A struct type: its visitor's type name and its field list, both
/// `'static` (compared by address: equal addresses mean equal contents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ShapeId(usize, usize, usize);

impl SerdeCache {
    /// A cache around the original `Object.keys`.
    pub(crate) fn new(object_keys: v8::Global<v8::Function>) -> Self {
        Self {
            object_keys,
            shapes: RefCell::default(),
            names: RefCell::default(),
            retry: Rc::default(),
        }
    }

    /// The shape of the struct type whose visitor is `V` and whose fields
    /// are `fields`, made on first use.
    pub(super) fn shape<V>(
        &self,
        scope: &v8::PinScope<'_, '_>,
        fields: &'static [&'static str],
    ) -> Option<Rc<Shape>> {
        let visitor = std::any::type_name::<V>();
        let id = ShapeId(
            visitor.as_ptr() as usize,
            fields.as_ptr() as usize,
            fields.len(),
        );
        if let Some(shape) = self.shapes.borrow().get(&id) {
            return Some(shape.clone());
        }
        let keys = fields
            .iter()
            .map(|f| internalized(scope, f).map(|k| v8::Global::new(scope, k)))
            .collect::<Option<Box<[_]>>>()?;
        let shape = Rc::new(Shape {
            keys,
            own_only: fields.iter().map(|f| own_only(f)).collect(),
            mode: Cell::new(Mode::Unknown),
            retry: self.retry.clone(),
        });
        self.shapes.borrow_mut().insert(id, shape.clone());
        Some(shape)
    }
}

impl SerdeCache {
    /// `name` as an internalized V8 string, made once per isolate.
    pub(super) fn name<'s>(
        &self,
        scope: &v8::PinScope<'s, '_>,
        name: &'static str,
    ) -> Option<v8::Local<'s, v8::String>> {
        let id = (name.as_ptr() as usize, name.len());
        if let Some(key) = self.names.borrow().get(&id) {
            return Some(v8::Local::new(scope, key));
        }
        let key = internalized(scope, name)?;
        self.names
            .borrow_mut()
            .insert(id, v8::Global::new(scope, key));
        Some(key)
    }
}

/// `name` as an internalized V8 string (what property lookups compare by
/// address).
pub(super) fn internalized<'s>(
    scope: &v8::PinScope<'s, '_>,
    name: &str,
) -> Option<v8::Local<'s, v8::String>> {
    v8::String::new_from_utf8(scope, name.as_bytes(), v8::NewStringType::Internalized)
}

/// A hasher for words that are addresses: multiply and fold.
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}
