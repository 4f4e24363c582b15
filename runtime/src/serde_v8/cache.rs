//! What the serde bridge keeps per isolate (in a runtime's isolate slot):
//! the original `Object.keys` and the bootstrap's `copyNumbers`, a
//! [`Shape`] per struct type, the names the serializer writes, as
//! internalized V8 strings, and the serializer's compiled struct
//! [literals](super::literal).

use std::cell::Cell;
use std::rc::Rc;

use super::literal::Literals;
use super::shape::Shape;
use super::table::Table;

/// The isolate slot.
pub(crate) struct SerdeCache {
    /// The original `Object.keys`, which V8 answers from its enum cache (the
    /// C++ `GetPropertyNames` API always takes V8's slow key collector).
    pub(super) object_keys: v8::Global<v8::Function>,
    /// The bootstrap's `copyNumbers` (see `de/numbers.rs`).
    pub(super) copy_numbers: v8::Global<v8::Function>,
    shapes: Table<ShapeId, Rc<Shape>>,
    /// Internalized names for `'static` strings (struct fields and enum
    /// variants the serializer writes), by address and length.
    names: Table<(usize, usize), v8::Global<v8::String>>,
    /// Set when a conversion must run again (a struct rejected the probe).
    pub(super) retry: Rc<Cell<bool>>,
    /// The serializer's compiled struct literals (shared, so that the
    /// serializer can use them while it uses the scope mutably).
    pub(super) literals: Rc<Literals>,
}

/// A struct type: its visitor's type name and its field list, both
/// `'static` (compared by address: equal addresses mean equal contents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ShapeId(usize, usize, usize);

impl SerdeCache {
    /// A cache around the original `Object.keys` and the bootstrap's
    /// `copyNumbers`.
    pub(crate) fn new(
        object_keys: v8::Global<v8::Function>,
        copy_numbers: v8::Global<v8::Function>,
    ) -> Self {
        Self {
            object_keys,
            copy_numbers,
            shapes: Table::default(),
            names: Table::default(),
            retry: Rc::default(),
            literals: Rc::default(),
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
        let shape = Rc::new(Shape::new(fields, keys, self.retry.clone()));
        self.shapes.borrow_mut().insert(id, shape.clone());
        Some(shape)
    }

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
