//! A component's exported functions and their types as JSON: what a caller needs to
//! call them from a generic UI (the playground's export panel, which reads and prints
//! the values in WAVE). Names are given both as WIT spells them and as the generated JS
//! names them (`js`).
//!
//! ```json
//! { "world": "hello",
//!   "imports": ["wasi:cli/stdout@0.2.0", ...],
//!   "exports": [{ "interface": null | "ns:pkg/iface@1.0.0", "name": "greet",
//!                 "js": "greet", "async": false,
//!                 "params": [{ "name": "who", "type": T }], "result": T | null }],
//!   "other": ["[method]thing.get", ...] }
//! ```
//!
//! A type `T` is `{ "kind": K }` for the primitives (`bool`, `s8` … `u64`, `f32`,
//! `f64`, `char`, `string`, `error-context`), or one of
//! `{ kind: "list", element, length? }`, `{ kind: "record", name, fields: [{ name, js,
//! type }] }`, `{ kind: "tuple", types }`, `{ kind: "variant", name, cases: [{ name,
//! type | null }] }`, `{ kind: "enum", name, cases: [name] }`, `{ kind: "option", type
//! }`, `{ kind: "result", ok | null, err | null }`, `{ kind: "flags", name, flags: [{
//! name, js }] }`, `{ kind: "own" | "borrow", resource }`, `{ kind: "future" |
//! "stream", type | null }`, `{ kind: "map", key, value }`. `name` is the WIT type's
//! name, or `null` for an anonymous one. `other`: exported functions of other kinds
//! (resource constructors, methods and statics), by their component-level names.

use std::fmt::Write as _;

use weft_core::WitInfo;
use wit_parser::{Function, FunctionKind, Handle, Resolve, Type, TypeDefKind, TypeId, WorldItem};

use crate::names::prop;

/// The JSON description of the exports of the world `wit` decodes.
#[must_use]
pub fn describe(wit: &WitInfo) -> String {
    let resolve = &wit.resolve;
    let world = &resolve.worlds[wit.world];
    let mut j = Json::default();
    j.raw("{\"world\":");
    j.string(&world.name);
    j.raw(",\"imports\":[");
    for (i, key) in world.imports.keys().enumerate() {
        j.comma(i);
        j.string(&resolve.name_world_key(key));
    }
    j.raw("],\"exports\":[");
    let mut other = Vec::new();
    let mut n = 0;
    for (key, item) in &world.exports {
        let (iface, funcs): (Option<String>, Vec<&Function>) = match item {
            WorldItem::Function(f) => (None, vec![f]),
            WorldItem::Interface { id, .. } => (
                Some(resolve.name_world_key(key)),
                resolve.interfaces[*id].functions.values().collect(),
            ),
            WorldItem::Type { .. } => continue,
        };
        for f in funcs {
            let is_async = match f.kind {
                FunctionKind::Freestanding => false,
                FunctionKind::AsyncFreestanding => true,
                _ => {
                    other.push(match &iface {
                        Some(i) => format!("{i}#{}", f.name),
                        None => f.name.clone(),
                    });
                    continue;
                }
            };
            j.comma(n);
            n += 1;
            function(&mut j, resolve, iface.as_deref(), f, is_async);
        }
    }
    j.raw("],\"other\":[");
    for (i, o) in other.iter().enumerate() {
        j.comma(i);
        j.string(o);
    }
    j.raw("]}");
    j.0
}

fn function(j: &mut Json, resolve: &Resolve, iface: Option<&str>, f: &Function, is_async: bool) {
    j.raw("{\"interface\":");
    match iface {
        Some(i) => j.string(i),
        None => j.raw("null"),
    }
    j.raw(",\"name\":");
    j.string(&f.name);
    j.raw(",\"js\":");
    j.string(&prop(&f.name));
    j.raw(if is_async {
        ",\"async\":true"
    } else {
        ",\"async\":false"
    });
    j.raw(",\"params\":[");
    for (i, p) in f.params.iter().enumerate() {
        j.comma(i);
        j.raw("{\"name\":");
        j.string(&p.name);
        j.raw(",\"type\":");
        ty(j, resolve, &p.ty);
        j.raw("}");
    }
    j.raw("],\"result\":");
    opt_ty(j, resolve, f.result.as_ref());
    j.raw("}");
}

fn opt_ty(j: &mut Json, resolve: &Resolve, t: Option<&Type>) {
    match t {
        Some(t) => ty(j, resolve, t),
        None => j.raw("null"),
    }
}

fn ty(j: &mut Json, resolve: &Resolve, t: &Type) {
    let prim = match t {
        Type::Bool => "bool",
        Type::U8 => "u8",
        Type::U16 => "u16",
        Type::U32 => "u32",
        Type::U64 => "u64",
        Type::S8 => "s8",
        Type::S16 => "s16",
        Type::S32 => "s32",
        Type::S64 => "s64",
        Type::F32 => "f32",
        Type::F64 => "f64",
        Type::Char => "char",
        Type::String => "string",
        Type::ErrorContext => "error-context",
        Type::Id(id) => return typedef(j, resolve, *id),
    };
    j.raw("{\"kind\":");
    j.string(prim);
    j.raw("}");
}

fn typedef(j: &mut Json, resolve: &Resolve, id: TypeId) {
    let def = &resolve.types[id];
    let name = |j: &mut Json| {
        j.raw(",\"name\":");
        match &def.name {
            Some(n) => j.string(n),
            None => j.raw("null"),
        }
    };
    match &def.kind {
        TypeDefKind::Type(t) => ty(j, resolve, t),
        TypeDefKind::Record(r) => {
            j.raw("{\"kind\":\"record\"");
            name(j);
            j.raw(",\"fields\":[");
            for (i, f) in r.fields.iter().enumerate() {
                j.comma(i);
                j.named(&f.name);
                j.raw(",\"type\":");
                ty(j, resolve, &f.ty);
                j.raw("}");
            }
            j.raw("]}");
        }
        TypeDefKind::Tuple(t) => {
            j.raw("{\"kind\":\"tuple\",\"types\":[");
            for (i, t) in t.types.iter().enumerate() {
                j.comma(i);
                ty(j, resolve, t);
            }
            j.raw("]}");
        }
        TypeDefKind::Variant(v) => {
            j.raw("{\"kind\":\"variant\"");
            name(j);
            j.raw(",\"cases\":[");
            for (i, c) in v.cases.iter().enumerate() {
                j.comma(i);
                j.raw("{\"name\":");
                j.string(&c.name);
                j.raw(",\"type\":");
                opt_ty(j, resolve, c.ty.as_ref());
                j.raw("}");
            }
            j.raw("]}");
        }
        TypeDefKind::Enum(e) => {
            j.raw("{\"kind\":\"enum\"");
            name(j);
            j.raw(",\"cases\":[");
            for (i, c) in e.cases.iter().enumerate() {
                j.comma(i);
                j.string(&c.name);
            }
            j.raw("]}");
        }
        TypeDefKind::Flags(f) => {
            j.raw("{\"kind\":\"flags\"");
            name(j);
            j.raw(",\"flags\":[");
            for (i, f) in f.flags.iter().enumerate() {
                j.comma(i);
                j.named(&f.name);
                j.raw("}");
            }
            j.raw("]}");
        }
        TypeDefKind::Option(t) => {
            j.raw("{\"kind\":\"option\",\"type\":");
            ty(j, resolve, t);
            j.raw("}");
        }
        TypeDefKind::Result(r) => {
            j.raw("{\"kind\":\"result\",\"ok\":");
            opt_ty(j, resolve, r.ok.as_ref());
            j.raw(",\"err\":");
            opt_ty(j, resolve, r.err.as_ref());
            j.raw("}");
        }
        TypeDefKind::List(t) => {
            j.raw("{\"kind\":\"list\",\"element\":");
            ty(j, resolve, t);
            j.raw("}");
        }
        TypeDefKind::FixedLengthList(t, n) => {
            j.raw("{\"kind\":\"list\",\"element\":");
            ty(j, resolve, t);
            let _ = write!(j.0, ",\"length\":{n}}}");
        }
        TypeDefKind::Map(k, v) => {
            j.raw("{\"kind\":\"map\",\"key\":");
            ty(j, resolve, k);
            j.raw(",\"value\":");
            ty(j, resolve, v);
            j.raw("}");
        }
        TypeDefKind::Future(t) | TypeDefKind::Stream(t) => {
            let kind = if matches!(def.kind, TypeDefKind::Future(_)) {
                "future"
            } else {
                "stream"
            };
            let _ = write!(j.0, "{{\"kind\":\"{kind}\",\"type\":");
            opt_ty(j, resolve, t.as_ref());
            j.raw("}");
        }
        TypeDefKind::Handle(h) => {
            let (kind, r) = match h {
                Handle::Own(r) => ("own", *r),
                Handle::Borrow(r) => ("borrow", *r),
            };
            let _ = write!(j.0, "{{\"kind\":\"{kind}\",\"resource\":");
            j.string(
                resolve.types[resolve_alias(resolve, r)]
                    .name
                    .as_deref()
                    .unwrap_or("resource"),
            );
            j.raw("}");
        }
        TypeDefKind::Resource => {
            j.raw("{\"kind\":\"own\",\"resource\":");
            j.string(def.name.as_deref().unwrap_or("resource"));
            j.raw("}");
        }
        TypeDefKind::Unknown => j.raw("{\"kind\":\"unknown\"}"),
    }
}

/// The resource a `use`d alias of a resource type names.
fn resolve_alias(resolve: &Resolve, mut id: TypeId) -> TypeId {
    while let TypeDefKind::Type(Type::Id(next)) = resolve.types[id].kind {
        id = next;
    }
    id
}

/// A JSON text, written in order (also `record.rs`'s).
#[derive(Default)]
pub(crate) struct Json(pub(crate) String);

impl Json {
    pub(crate) fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }

    pub(crate) fn comma(&mut self, i: usize) {
        if i > 0 {
            self.0.push(',');
        }
    }

    /// Opens an object with a WIT name and its JS property name: `{"name":…,"js":…`.
    pub(crate) fn named(&mut self, name: &str) {
        self.raw("{\"name\":");
        self.string(name);
        self.raw(",\"js\":");
        self.string(&prop(name));
    }

    pub(crate) fn string(&mut self, s: &str) {
        self.0.push('"');
        for c in s.chars() {
            match c {
                '"' => self.0.push_str("\\\""),
                '\\' => self.0.push_str("\\\\"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(self.0, "\\u{:04x}", c as u32);
                }
                c => self.0.push(c),
            }
        }
        self.0.push('"');
    }
}
