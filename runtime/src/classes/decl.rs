//! [`ClassDecl`]: what `#[op] impl T` generates and a runtime registers.

use std::any::TypeId;

use crate::ops::OpDecl;
use crate::ops::decl::ops_block;

/// What a class member is in JS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemberKind {
    /// A method on the prototype (`obj.inc()`).
    Method,
    /// A getter on the prototype (`obj.value`).
    Getter,
    /// A setter on the prototype (`obj.value = 3`).
    Setter,
    /// A function on the constructor (`Counter.zero()`).
    Static,
}

/// One member of a class: its JS name, what it is, and the op behind it
/// (whose name, `Counter.inc`, is the one error messages use).
#[derive(Debug, Clone, Copy)]
pub struct Member {
    /// The JS property name (`inc`).
    pub name: &'static str,
    /// Method, accessor or static.
    pub kind: MemberKind,
    /// The op that runs it.
    pub decl: OpDecl,
}

/// The declaration of a JS class backed by a Rust type: `#[op] impl T`
/// generates `<T as Class>::CLASS`. Register it with
/// [`RuntimeOptions::classes`](crate::RuntimeOptions::classes) or
/// [`Extension::class`](crate::Extension::class); the class is then
/// `ops.<Name>` in JS.
#[derive(Clone, Copy)]
pub struct ClassDecl {
    name: &'static str,
    type_id: fn() -> TypeId,
    constructor: Option<OpDecl>,
    members: &'static [Member],
}

impl ClassDecl {
    #[doc(hidden)]
    pub const fn __new(
        name: &'static str,
        type_id: fn() -> TypeId,
        constructor: Option<OpDecl>,
        members: &'static [Member],
    ) -> Self {
        Self {
            name,
            type_id,
            constructor,
            members,
        }
    }

    /// The class's JS name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The constructor (`new Counter(..)`), if JS may construct the class.
    pub const fn constructor(&self) -> Option<OpDecl> {
        self.constructor
    }

    /// Methods, accessors and statics, in declaration order.
    pub const fn members(&self) -> &'static [Member] {
        self.members
    }

    /// The Rust type behind the class.
    pub fn type_id(&self) -> TypeId {
        (self.type_id)()
    }

    /// Every op of the class: the constructor, then the members.
    pub fn op_decls(&self) -> impl Iterator<Item = OpDecl> + '_ {
        self.constructor
            .into_iter()
            .chain(self.members.iter().map(|m| m.decl))
    }

    /// A TypeScript `declare class` for the class, e.g.
    ///
    /// ```text
    /// declare class Counter {
    ///   constructor(start: number);
    ///   inc(by: number): number;
    ///   get value(): number;
    ///   static zero(): Counter;
    /// }
    /// ```
    ///
    /// A class JS cannot construct gets a `private constructor()`.
    pub fn typescript(&self) -> String {
        let mut out = format!("declare class {} {{\n", self.name);
        match &self.constructor {
            Some(ctor) => out.push_str(&format!("  constructor({});\n", ts_params(ctor))),
            None => out.push_str("  private constructor();\n"),
        }
        for member in self.members {
            let decl = &member.decl;
            let name = member.name;
            let ret = decl.ret().ts_type;
            let line = match member.kind {
                MemberKind::Method => format!("{name}({}): {ret}", ts_params(decl)),
                MemberKind::Static => format!("static {name}({}): {ret}", ts_params(decl)),
                MemberKind::Getter => format!("get {name}(): {ret}"),
                MemberKind::Setter => format!("set {name}({})", ts_params(decl)),
            };
            out.push_str("  ");
            out.push_str(&line);
            out.push_str(";\n");
        }
        out.push_str("}\n");
        out
    }
}

fn ts_params(decl: &OpDecl) -> String {
    decl.args()
        .iter()
        .map(|a| {
            let q = if a.optional { "?" } else { "" };
            format!("{}{q}: {}", a.name, a.ts_type)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::fmt::Debug for ClassDecl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClassDecl")
            .field("name", &self.name)
            .field("constructor", &self.constructor.is_some())
            .field("members", &self.members)
            .finish()
    }
}

/// A Rust type exposed to JS as a class. Implemented by `#[op] impl T`;
/// do not implement it by hand.
///
/// Instances are owned by V8's garbage collector: the Rust value is dropped
/// when its JS object is collected, or when the runtime is dropped. Values
/// returned from ops (`fn op_make() -> Counter`) become new JS instances;
/// ops and methods borrow them as `&T`, `&mut T` or (async methods)
/// `self: Rc<Self>`.
pub trait Class: Sized + 'static {
    /// The class's declaration.
    const CLASS: ClassDecl;
}

/// A TypeScript declaration file for `ops` and `classes`: a `declare class`
/// per class, then the `ops` object holding the ops and the classes.
pub fn typescript_declarations_with_classes(ops: &[OpDecl], classes: &[ClassDecl]) -> String {
    let mut out = String::new();
    for class in classes {
        out.push_str(&class.typescript());
    }
    let extra: Vec<String> = classes
        .iter()
        .map(|c| format!("{0}: typeof {0}", c.name()))
        .collect();
    out.push_str(&ops_block(ops, &extra));
    out
}
