//! The class templates of one runtime, by Rust type (an isolate slot), so
//! that Rust values returned from ops become instances of their class.

use std::any::TypeId;
use std::collections::HashMap;

use super::decl::Class;
use super::instance;
use crate::convert::ConvError;

/// The templates of the classes registered in one runtime.
#[derive(Default)]
pub(crate) struct ClassTemplates {
    by_type: HashMap<TypeId, v8::Global<v8::FunctionTemplate>>,
}

impl ClassTemplates {
    /// Records the template of the class of type `type_id`.
    pub(crate) fn insert(&mut self, type_id: TypeId, template: v8::Global<v8::FunctionTemplate>) {
        self.by_type.insert(type_id, template);
    }

    /// The template of the class of type `type_id`, if registered.
    pub(crate) fn get(&self, type_id: TypeId) -> Option<&v8::Global<v8::FunctionTemplate>> {
        self.by_type.get(&type_id)
    }
}

/// A new JS instance of `T`'s class owning `value`.
///
/// # Errors
///
/// When the class is not registered in this runtime.
pub fn new_instance<'s, T: Class>(
    scope: &mut v8::PinScope<'s, '_>,
    value: T,
) -> Result<v8::Local<'s, v8::Value>, ConvError> {
    let template = scope
        .get_slot::<ClassTemplates>()
        .and_then(|t| t.by_type.get(&TypeId::of::<T>()))
        .cloned();
    let Some(template) = template else {
        return Err(ConvError::message(format!(
            "class {} is not registered in this runtime (add it to RuntimeOptions::classes)",
            T::CLASS.name()
        )));
    };
    let template = v8::Local::new(scope, template);
    let object = template
        .instance_template(scope)
        .new_instance(scope)
        .ok_or_else(|| ConvError::message("could not create the object"))?;
    instance::attach(scope, object, value);
    Ok(object.into())
}
