//! Installing classes in a new context: one V8 function template per class
//! (its constructor, prototype methods, accessors and statics, each an op
//! function like those on `ops`), recorded by Rust type so that ops can
//! return instances.

use std::collections::HashMap;

use super::op_template::{op_template, setup_failed};
use crate::classes::instance::FIELDS;
use crate::classes::registry::ClassTemplates;
use crate::classes::{ClassDecl, MemberKind};
use crate::dispatch::class::no_constructor;
use crate::error::Error;
use crate::ops::OpKind;
use crate::ops::ctx::OpCtx;

/// A class and the op contexts of its ops, in [`ClassDecl::op_decls`]
/// order (the constructor first, if any).
pub(crate) struct ClassCtxs {
    pub(crate) decl: ClassDecl,
    #[allow(
        clippy::vec_box,
        reason = "V8 functions hold the boxes' addresses; they must not move"
    )]
    pub(crate) ctxs: Vec<Box<OpCtx>>,
}

/// Puts each class on `ops` as `ops.<Name>`. `wrap_async` is core.js's
/// `wrapAsyncMethod`, which gives async members their promise.
pub(super) fn install(
    scope: &mut v8::PinScope<'_, '_>,
    ops: v8::Local<'_, v8::Object>,
    classes: &[ClassCtxs],
    wrap_async: v8::Local<'_, v8::Function>,
) -> Result<(), Error> {
    let mut templates = ClassTemplates::default();
    for class in classes {
        let decl = &class.decl;
        let name = v8::String::new(scope, decl.name()).ok_or_else(setup_failed)?;
        let mut ctxs = class.ctxs.iter().map(|c| &**c);
        let template = match decl.constructor() {
            Some(_) => {
                let ctx = ctxs.next().ok_or_else(setup_failed)?;
                op_template(scope, ctx, false)
            }
            None => v8::FunctionTemplate::builder_raw(no_constructor)
                .data(name.into())
                .build(scope),
        };
        template.set_class_name(name);
        template
            .instance_template(scope)
            .set_internal_field_count(FIELDS);
        let proto = template.prototype_template(scope);
        let mut accessors: HashMap<&str, [Option<v8::Local<'_, v8::FunctionTemplate>>; 2]> =
            HashMap::new();
        let mut deferred = Vec::new();
        for (member, ctx) in decl.members().iter().zip(ctxs) {
            let key = v8::String::new(scope, member.name).ok_or_else(setup_failed)?;
            let sync = ctx.decl.kind() == OpKind::Sync;
            let function = op_template(scope, ctx, true);
            match member.kind {
                MemberKind::Getter => accessors.entry(member.name).or_default()[0] = Some(function),
                MemberKind::Setter => accessors.entry(member.name).or_default()[1] = Some(function),
                MemberKind::Method if sync => {
                    proto.set_with_attr(
                        key.into(),
                        function.into(),
                        v8::PropertyAttribute::DONT_ENUM,
                    );
                }
                MemberKind::Static if sync => {
                    template.set_with_attr(
                        key.into(),
                        function.into(),
                        v8::PropertyAttribute::DONT_ENUM,
                    );
                }
                kind => deferred.push((key, kind, function)),
            }
        }
        for (member, [getter, setter]) in accessors {
            let key = v8::String::new(scope, member).ok_or_else(setup_failed)?;
            proto.set_accessor_property(
                key.into(),
                getter,
                setter,
                v8::PropertyAttribute::DONT_ENUM,
            );
        }
        let function = template.get_function(scope).ok_or_else(setup_failed)?;
        // Async members are wrapped in JS (the promise), after the class
        // function exists.
        let prototype_key = v8::String::new(scope, "prototype").ok_or_else(setup_failed)?;
        let prototype = function
            .get(scope, prototype_key.into())
            .and_then(|p| v8::Local::<v8::Object>::try_from(p).ok())
            .ok_or_else(setup_failed)?;
        for (key, kind, raw) in deferred {
            let raw = raw.get_function(scope).ok_or_else(setup_failed)?;
            let undefined = v8::undefined(scope).into();
            let wrapper = wrap_async
                .call(scope, undefined, &[key.into(), raw.into()])
                .ok_or_else(setup_failed)?;
            let target = if kind == MemberKind::Static {
                function.into()
            } else {
                prototype
            };
            target
                .define_own_property(scope, key.into(), wrapper, v8::PropertyAttribute::DONT_ENUM)
                .ok_or_else(setup_failed)?;
        }
        templates.insert(decl.type_id(), v8::Global::new(scope, template));
        ops.set(scope, name.into(), function.into())
            .ok_or_else(setup_failed)?;
    }
    scope.set_slot(templates);
    Ok(())
}
