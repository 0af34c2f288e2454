//! WebIDL → WIT: one WIT package for the closure of the kept interfaces, in the shape
//! webidl2wit gives (so components written against either bind the same way) with
//! names that keep the platform's spelling ([`crate::names`]).
//!
//! * Interfaces become resources of one WIT interface: attributes are getters `x` and
//!   setters `set-x` (none when `readonly`), operations methods, `static` members
//!   `[static]` functions, constants `[static]` getters, constructors `constructor`.
//!   Every interface gets `as-<ancestor>` casts (owned results) and every ancestor
//!   `as-<descendant>` downcasts (`option` results), for the kept ones.
//! * Dictionaries are records (members not `required` are `option`s, ancestors' members
//!   first), enums enums, typedefs are written out where used, `T?` is `option<T>`,
//!   `sequence<T>` and `FrozenArray<T>` are `list<T>`, `record<K, V>` is
//!   `list<tuple<string, V>>`, unions are variants (a case per member type), buffers
//!   and typed arrays lists of their elements, `any` the variant `any` and `object` the
//!   resource `js-object`.
//! * An operation returning `Promise<T>` is an `async func` returning
//!   `result<T, js-error>`; an attribute of type `Promise<T>` returns a `future` of that
//!   result. An `EventHandler` attribute `onx` is a getter of a `stream<event>` of the
//!   `x` events, without a setter.
//! * Overloads are one function: the longest argument list, a position whose type
//!   differs between overloads a variant, a position some overloads lack an `option`.
//! * A namespace `N` is a WIT interface `global-N` of functions; each `[Global]`
//!   interface `G` that is kept gets `get-G` in the main interface, and a world `G`
//!   importing everything.
//!
//! What WIT cannot say (callbacks, iterables, maplike, unnamed special operations, …) is
//! left out with a [`Warning`] that names it and says so.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::ast::*;
use crate::model::{MergedInterface, Model, Origin};
use crate::names::{Case, enum_value_to_wit, identifier_to_wit};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// `namespace:name`, e.g. `webidl:web` (the namespace must be `webidl` for
    /// `weft transpile` to bind the imports to the platform).
    pub package: String,
    /// The WIT interface holding the resources and types, e.g. `web`.
    pub interface: String,
    /// The WebIDL interfaces and namespaces to keep (with what they reference); empty:
    /// every one.
    pub keep: Vec<String>,
    /// Keep only those interfaces (and their ancestors): a member that mentions another
    /// is left out, with a warning, instead of bringing it in.
    pub only: bool,
    /// Leave out what WIT would make async (operations returning promises, promise
    /// attributes, event handlers as streams), for toolchains and guests without
    /// Component Model async.
    pub sync: bool,
}

/// Something the generator left out or approximated, and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub origin: Origin,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

/// The WIT package and the warnings.
#[derive(Debug)]
pub struct Output {
    pub wit: String,
    pub warnings: Vec<Warning>,
}

/// Names the WIT grammar reserves; such a name is written with a `%`.
const KEYWORDS: &[&str] = &[
    "u8",
    "u16",
    "u32",
    "u64",
    "s8",
    "s16",
    "s32",
    "s64",
    "f32",
    "f64",
    "char",
    "bool",
    "string",
    "tuple",
    "list",
    "option",
    "result",
    "use",
    "type",
    "resource",
    "func",
    "record",
    "enum",
    "flags",
    "variant",
    "static",
    "interface",
    "world",
    "import",
    "export",
    "package",
    "own",
    "borrow",
    "future",
    "stream",
    "constructor",
    "with",
    "from",
    "as",
    "include",
    "error-context",
    "async",
    "map",
    "include",
    "_",
];

fn wit_ident(label: &str) -> String {
    if KEYWORDS.contains(&label) {
        format!("%{label}")
    } else {
        label.to_string()
    }
}

/// Buffer types and the element type of the list they become.
const BUFFERS: &[(&str, &str)] = &[
    ("ArrayBuffer", "u8"),
    ("SharedArrayBuffer", "u8"),
    ("DataView", "u8"),
    ("ArrayBufferView", "u8"),
    ("BufferSource", "u8"),
    ("AllowSharedBufferSource", "u8"),
    ("Int8Array", "s8"),
    ("Uint8Array", "u8"),
    ("Uint8ClampedArray", "u8"),
    ("Int16Array", "s16"),
    ("Uint16Array", "u16"),
    ("Int32Array", "s32"),
    ("Uint32Array", "u32"),
    ("Float16Array", "f32"),
    ("Float32Array", "f32"),
    ("Float64Array", "f64"),
    ("BigInt64Array", "s64"),
    ("BigUint64Array", "u64"),
];

/// Typedefs of event handlers: an attribute of one of these types is a stream of events.
const EVENT_HANDLERS: &[&str] = &[
    "EventHandler",
    "OnErrorEventHandler",
    "OnBeforeUnloadEventHandler",
];

/// Where a type is used: parameters borrow resources, results and fields own them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Param,
    Result,
}

/// One overload of an operation.
struct Overload<'m> {
    ret: &'m Type,
    args: &'m Vec<Argument>,
    origin: &'m Origin,
}

/// An attribute being written.
struct Attr<'m> {
    iface: &'m str,
    name: &'m str,
    ty: &'m Type,
    readonly: bool,
    /// `static`, or a namespace's: a free or static function.
    is_static: bool,
    free: bool,
}

/// A type that has no WIT form, with why.
struct Unsupported(String);

type Mapped = Result<String, Unsupported>;

/// Generates the WIT package for `model`.
pub fn generate(model: &Model, options: &Options) -> Result<Output, String> {
    for name in &options.keep {
        if !model.interfaces.contains_key(name) {
            return Err(format!(
                "`{name}` is not an interface or namespace of the given IDL"
            ));
        }
    }
    let kept = model.closure(&options.keep, options.only);
    let mut g = Gen {
        model,
        kept,
        warnings: model
            .problems
            .iter()
            .map(|(origin, message)| Warning {
                origin: origin.clone(),
                message: message.clone(),
            })
            .collect(),
        types: BTreeMap::new(),
        result_types: BTreeSet::new(),
        uses_any: false,
        uses_object: false,
        uses_error: false,
        uses_event: false,
        only: options.only,
        sync: options.sync,
    };
    g.find_result_types();
    Ok(g.package(options))
}

struct Gen<'a> {
    model: &'a Model,
    kept: BTreeSet<String>,
    warnings: Vec<Warning>,
    /// Generated named types (records, variants, enums), by WIT name.
    types: BTreeMap<String, String>,
    /// Dictionaries and union typedefs reachable from a result: their resources are owned.
    result_types: BTreeSet<String>,
    uses_any: bool,
    uses_object: bool,
    uses_error: bool,
    uses_event: bool,
    /// `--only`: interfaces outside `kept` are not brought in.
    only: bool,
    /// `--sync`: no `async func`, `stream` or `future`.
    sync: bool,
}

impl<'a> Gen<'a> {
    fn warn(&mut self, origin: &Origin, message: String) {
        self.warnings.push(Warning {
            origin: origin.clone(),
            message,
        });
    }

    /// The kept resources: interfaces that are neither namespaces nor callback interfaces.
    fn resources(&self) -> Vec<&'a MergedInterface> {
        let model: &'a Model = self.model;
        model
            .interfaces
            .values()
            .filter(|i| self.kept.contains(&i.name) && i.kind == InterfaceKind::Interface)
            .collect()
    }

    fn is_resource(&self, name: &str) -> bool {
        self.kept.contains(name)
            && self
                .model
                .interfaces
                .get(name)
                .is_some_and(|i| i.kind == InterfaceKind::Interface)
    }

    fn type_name(&self, name: &str) -> Option<String> {
        identifier_to_wit(name, Case::Type)
    }

    fn find_result_types(&mut self) {
        let mut todo = Vec::new();
        for i in self
            .model
            .interfaces
            .values()
            .filter(|i| self.kept.contains(&i.name))
        {
            for m in &i.members {
                match &m.member.kind {
                    MemberKind::Attribute { ty, .. } | MemberKind::Const { ty, .. } => {
                        crate::model::named_types(ty, &mut todo);
                    }
                    MemberKind::Operation { ret, .. } => crate::model::named_types(ret, &mut todo),
                    _ => {}
                }
            }
        }
        while let Some(name) = todo.pop() {
            if !self.result_types.insert(name.clone()) {
                continue;
            }
            if let Some(d) = self.model.dictionaries.get(&name) {
                todo.extend(d.inherits.clone());
                for (m, _) in &d.members {
                    crate::model::named_types(&m.ty, &mut todo);
                }
            } else if let Some((t, _)) = self.model.typedefs.get(&name) {
                crate::model::named_types(&t.ty, &mut todo);
            }
        }
    }

    fn package(&mut self, options: &Options) -> Output {
        let resources = self.resources();
        let mut body = String::new();
        for r in &resources {
            let Some(name) = self.type_name(&r.name) else {
                self.warn(
                    &r.origin,
                    format!(
                        "interface `{}`: its name has no exact WIT form; left out",
                        r.name
                    ),
                );
                continue;
            };
            if has_ext_attr(&r.ext_attrs, "LegacyNamespace") {
                self.warn(
                    &r.origin,
                    format!(
                        "interface `{}` is under a namespace ([LegacyNamespace]); left out",
                        r.name
                    ),
                );
                continue;
            }
            let text = self.resource(r, &name);
            body.push_str(&text);
        }
        let mut globals = Vec::new();
        for r in &resources {
            if has_ext_attr(&r.ext_attrs, "Global")
                && let Some(name) = self.type_name(&r.name)
            {
                let _ = writeln!(body, "  /// The global object, when it is a `{}`.", r.name);
                let _ = writeln!(body, "  get-{name}: func() -> {};", wit_ident(&name));
                globals.push(name);
            }
        }
        let namespaces: Vec<&MergedInterface> = self
            .model
            .interfaces
            .values()
            .filter(|i| self.kept.contains(&i.name) && i.kind == InterfaceKind::Namespace)
            .collect();
        let mut extra = String::new();
        let mut namespace_names = Vec::new();
        for ns in namespaces {
            let Some(label) = identifier_to_wit(&ns.name, Case::Member) else {
                self.warn(
                    &ns.origin,
                    format!(
                        "namespace `{}`: its name has no exact WIT form; left out",
                        ns.name
                    ),
                );
                continue;
            };
            let text = self.namespace(ns, &label, &options.interface);
            extra.push_str(&text);
            namespace_names.push(format!("global-{label}"));
        }
        let mut helpers = String::new();
        if self.uses_any {
            self.uses_object = true;
            helpers.push_str(
                "  /// A WebIDL `any`: a JS value.\n  variant any {\n    undefined,\n    null,\n    boolean(bool),\n    number(f64),\n    bigint(s64),\n    %string(string),\n    object(js-object),\n  }\n",
            );
        }
        if self.uses_object {
            helpers.push_str("  /// A JS object the platform handed out, opaque to the component.\n  resource js-object;\n");
        }
        if self.uses_error {
            helpers.push_str(
                "  /// Why a platform promise was rejected: the error's `name` (`TypeError`, `AbortError`, …) and `message`.\n  record js-error {\n    name: string,\n    message: string,\n  }\n",
            );
        }
        if self.uses_event && !self.is_resource("Event") {
            helpers.push_str(
                "  /// A platform `Event` (its interface was not kept).\n  resource event;\n",
            );
        }
        for text in self.types.values() {
            helpers.push_str(text);
        }
        let mut out = String::new();
        let _ = writeln!(
            out,
            "// Generated by `weft webidl` from WebIDL. Names keep the platform's spelling:"
        );
        let _ = writeln!(out, "// see docs/webidl.md for the rule.");
        let _ = writeln!(out, "package {};\n", options.package);
        let _ = writeln!(out, "interface {} {{", wit_ident(&options.interface));
        out.push_str(&helpers);
        out.push_str(&body);
        out.push_str("}\n");
        out.push_str(&extra);
        for g in &globals {
            let _ = writeln!(out, "\nworld {} {{", wit_ident(g));
            let _ = writeln!(out, "  import {};", wit_ident(&options.interface));
            for ns in &namespace_names {
                let _ = writeln!(out, "  import {ns};");
            }
            out.push_str("}\n");
        }
        let mut warnings = std::mem::take(&mut self.warnings);
        warnings.sort_by(|a, b| {
            (&a.origin.file, a.origin.span.line, a.origin.span.col).cmp(&(
                &b.origin.file,
                b.origin.span.line,
                b.origin.span.col,
            ))
        });
        Output { wit: out, warnings }
    }

    /// The ancestors of `name`, nearest first.
    fn ancestors(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = self
            .model
            .interfaces
            .get(name)
            .and_then(|i| i.inherits.clone());
        while let Some(a) = cur {
            if out.contains(&a) {
                break;
            }
            cur = self
                .model
                .interfaces
                .get(&a)
                .and_then(|i| i.inherits.clone());
            out.push(a);
        }
        out
    }

    fn resource(&mut self, r: &MergedInterface, name: &str) -> String {
        let mut funcs = Funcs::default();
        // WIT gives no member the resource's own name (`Window.window`).
        funcs.names.insert(name.to_ascii_lowercase());
        self.members(r, &mut funcs, false);
        for a in self.ancestors(&r.name) {
            if self.is_resource(&a)
                && let Some(t) = self.type_name(&a)
            {
                funcs.add(
                    format!("as-{t}"),
                    format!("func() -> {}", wit_ident(&t)),
                    &r.origin,
                    &mut self.warnings,
                );
            }
        }
        let descendants: Vec<String> = self
            .resources()
            .into_iter()
            .filter(|d| d.name != r.name && self.ancestors(&d.name).contains(&r.name))
            .map(|d| d.name.clone())
            .collect();
        for d in descendants {
            if let Some(t) = self.type_name(&d) {
                funcs.add(
                    format!("as-{t}"),
                    format!("func() -> option<{}>", wit_ident(&t)),
                    &r.origin,
                    &mut self.warnings,
                );
            }
        }
        let mut out = format!("  /// WebIDL `{}` ({}).\n", r.name, r.origin);
        if funcs.lines.is_empty() {
            let _ = writeln!(out, "  resource {};", wit_ident(name));
        } else {
            let _ = writeln!(out, "  resource {} {{", wit_ident(name));
            for line in &funcs.lines {
                let _ = writeln!(out, "    {line}");
            }
            out.push_str("  }\n");
        }
        out
    }

    fn namespace(&mut self, ns: &MergedInterface, label: &str, main: &str) -> String {
        let mut funcs = Funcs::default();
        self.members(ns, &mut funcs, true);
        let mut out = format!(
            "\n/// WebIDL namespace `{}` ({}): `globalThis.{}`.\n",
            ns.name, ns.origin, ns.name
        );
        let _ = writeln!(out, "interface global-{label} {{");
        let used = funcs.used_types(self);
        if !used.is_empty() {
            let list: Vec<String> = used.iter().map(|t| wit_ident(t)).collect();
            let _ = writeln!(out, "  use {}.{{{}}};", wit_ident(main), list.join(", "));
        }
        for line in &funcs.lines {
            let _ = writeln!(out, "  {line}");
        }
        out.push_str("}\n");
        out
    }

    /// The functions of an interface's members, in phases: attributes as they come,
    /// then constructors, operations (overloads merged) and constants. `free`: a
    /// namespace's, which are plain functions (its constants too).
    fn members(&mut self, i: &MergedInterface, funcs: &mut Funcs, free: bool) {
        let mut ops: BTreeMap<(bool, String), Vec<Overload<'_>>> = BTreeMap::new();
        let mut op_order = Vec::new();
        let mut ctors: Vec<(&Vec<Argument>, &Origin)> = Vec::new();
        let mut consts = Vec::new();
        for pm in &i.members {
            let origin = &pm.origin;
            match &pm.member.kind {
                MemberKind::Const { name, ty, .. } => consts.push((name, ty, origin)),
                MemberKind::Attribute {
                    name,
                    ty,
                    readonly,
                    is_static,
                    ..
                } => {
                    let attr = Attr {
                        iface: &i.name,
                        name,
                        ty,
                        readonly: *readonly,
                        is_static: *is_static || free,
                        free,
                    };
                    self.attribute(&attr, origin, funcs);
                }
                MemberKind::Operation {
                    name: Some(name),
                    ret,
                    args,
                    is_static,
                    ..
                } => {
                    let key = (*is_static || free, name.clone());
                    if !ops.contains_key(&key) {
                        op_order.push(key.clone());
                    }
                    ops.entry(key)
                        .or_default()
                        .push(Overload { ret, args, origin });
                }
                MemberKind::Operation {
                    name: None,
                    special,
                    ..
                } => {
                    let special = match special {
                        Some(Special::Getter) => "getter",
                        Some(Special::Setter) => "setter",
                        Some(Special::Deleter) => "deleter",
                        _ => "stringifier",
                    };
                    self.warn(origin, format!("`{}`: an unnamed {special} (indexed or named property access) has no WIT form; left out", i.name));
                }
                MemberKind::Constructor { args } if free => {
                    let _ = args;
                    self.warn(
                        origin,
                        format!("`{}`: a constructor in a namespace; left out", i.name),
                    );
                }
                MemberKind::Constructor { args } => ctors.push((args, origin)),
                MemberKind::Stringifier => {}
                MemberKind::Iterable { is_async, .. } => {
                    let what = if *is_async {
                        "async iterable"
                    } else {
                        "iterable"
                    };
                    self.not_expressible(&i.name, what, origin);
                }
                MemberKind::Maplike { .. } => self.not_expressible(&i.name, "maplike", origin),
                MemberKind::Setlike { .. } => self.not_expressible(&i.name, "setlike", origin),
            }
        }
        if !ctors.is_empty()
            && let Some(params) = self.merged_params(&i.name, "constructor", &ctors)
        {
            funcs.add(
                "constructor".to_string(),
                format!("({params})"),
                ctors[0].1,
                &mut self.warnings,
            );
        }
        // Instance operations first: a static of the same name (`Response.json`) is the
        // one left out.
        op_order.sort_by_key(|(is_static, _)| *is_static);
        for (is_static, name) in op_order {
            let overloads = &ops[&(is_static, name.clone())];
            self.operation(&i.name, &name, is_static, free, overloads, funcs);
        }
        // Constants last: WIT names differ in more than case, and `activeTexture()` is
        // worth more than `ACTIVE_TEXTURE`, which a component can spell as a number.
        let stat = if free { "func" } else { "static func" };
        for (name, ty, origin) in consts {
            let what = format!("`{}.{name}`", i.name);
            let Some(label) = self.member_label(name, origin, &what) else {
                continue;
            };
            match self.ty(ty, Dir::Result) {
                Ok(t) => funcs.add(
                    label,
                    format!("{stat}() -> {t}"),
                    origin,
                    &mut self.warnings,
                ),
                Err(Unsupported(why)) => self.warn(origin, format!("{what}: {why}; left out")),
            }
        }
    }

    fn not_expressible(&mut self, iface: &str, what: &str, origin: &Origin) {
        self.warn(
            origin,
            format!("`{iface}`: `{what}` declarations are not expressible in WIT yet; left out"),
        );
    }

    /// An attribute's getter and setter; an event handler's stream; a promise's future.
    fn attribute(&mut self, a: &Attr<'_>, origin: &Origin, funcs: &mut Funcs) {
        let what = format!("`{}.{}`", a.iface, a.name);
        let Some(label) = self.member_label(a.name, origin, &what) else {
            return;
        };
        let kind = if a.is_static {
            if a.free { "func" } else { "static func" }
        } else {
            "func"
        };
        let event_handler =
            matches!(&a.ty.kind, TypeKind::Named(n) if EVENT_HANDLERS.contains(&n.as_str()));
        if self.sync && (event_handler || matches!(a.ty.kind, TypeKind::Promise(_))) {
            self.warn(origin, format!("{what}: an async member (a stream of events or a promise), left out under `--sync`"));
            return;
        }
        if event_handler {
            if a.is_static || !a.name.starts_with("on") {
                self.warn(origin, format!("{what}: an event handler that is not an `on…` attribute of an object; left out"));
                return;
            }
            self.uses_event = true;
            funcs.add(
                label,
                "func() -> stream<event>".to_string(),
                origin,
                &mut self.warnings,
            );
            return;
        }
        let getter = match &a.ty.kind {
            TypeKind::Promise(inner) => self.result_of(inner).map(|r| format!("future<{r}>")),
            _ => self.ty(a.ty, Dir::Result),
        };
        match getter {
            Ok(t) => funcs.add(
                label.clone(),
                format!("{kind}() -> {t}"),
                origin,
                &mut self.warnings,
            ),
            Err(Unsupported(why)) => {
                self.warn(origin, format!("{what}: {why}; left out"));
                return;
            }
        }
        if a.readonly || matches!(a.ty.kind, TypeKind::Promise(_)) {
            return;
        }
        match self.ty(a.ty, Dir::Param) {
            Ok(t) => funcs.add(
                format!("set-{label}"),
                format!("{kind}({}: {t})", wit_ident(&label)),
                origin,
                &mut self.warnings,
            ),
            Err(Unsupported(why)) => {
                self.warn(origin, format!("the setter of {what}: {why}; left out"));
            }
        }
    }

    /// One function for the overloads of an operation.
    fn operation(
        &mut self,
        iface: &str,
        name: &str,
        is_static: bool,
        free: bool,
        overloads: &[Overload<'_>],
        funcs: &mut Funcs,
    ) {
        let origin = overloads[0].origin;
        let what = format!("`{iface}.{name}`");
        let Some(label) = self.member_label(name, origin, &what) else {
            return;
        };
        let ret = overloads[0].ret;
        if overloads.iter().any(|o| o.ret != ret) {
            self.warn(origin, format!("{what}: overloads with different return types; only those returning what the first returns are kept"));
        }
        let kept: Vec<(&Vec<Argument>, &Origin)> = overloads
            .iter()
            .filter(|o| o.ret == ret)
            .map(|o| (o.args, o.origin))
            .collect();
        let Some(params) = self.merged_params(iface, name, &kept) else {
            return;
        };
        let kind = match (is_static, free) {
            (true, false) => "static func",
            _ => "func",
        };
        if self.sync && matches!(ret.kind, TypeKind::Promise(_)) {
            self.warn(
                origin,
                format!("{what}: returns a promise (an `async func`), left out under `--sync`"),
            );
            return;
        }
        let result = match &ret.kind {
            TypeKind::Promise(inner) => self
                .result_of(inner)
                .map(|r| (kind.replace("func", "async func"), format!(" -> {r}"))),
            TypeKind::Undefined => Ok((kind.to_string(), String::new())),
            _ => self
                .ty(ret, Dir::Result)
                .map(|t| (kind.to_string(), format!(" -> {t}"))),
        };
        match result {
            Ok((kind, result)) => funcs.add(
                label,
                format!("{kind}({params}){result}"),
                origin,
                &mut self.warnings,
            ),
            Err(Unsupported(why)) => self.warn(origin, format!("{what}: {why}; left out")),
        }
    }

    /// `result<T, js-error>` for a `Promise<T>`.
    fn result_of(&mut self, inner: &Type) -> Mapped {
        self.uses_error = true;
        if inner.kind == TypeKind::Undefined {
            return Ok("result<_, js-error>".to_string());
        }
        Ok(format!(
            "result<{}, js-error>",
            self.ty(inner, Dir::Result)?
        ))
    }

    fn member_label(&mut self, name: &str, origin: &Origin, what: &str) -> Option<String> {
        let label = identifier_to_wit(name, Case::Member);
        if label.is_none() {
            self.warn(
                origin,
                format!("{what}: the name has no exact WIT form (see docs/webidl.md); left out"),
            );
        }
        label
    }

    /// The parameter list of overloads merged into one (see the module docs), or `None`
    /// (with a warning) when an argument has no WIT form.
    fn merged_params(
        &mut self,
        iface: &str,
        name: &str,
        overloads: &[(&Vec<Argument>, &Origin)],
    ) -> Option<String> {
        let origin = overloads[0].1;
        let what = format!("`{iface}.{name}`");
        let longest = overloads.iter().map(|(a, _)| a.len()).max().unwrap_or(0);
        let mut params = Vec::new();
        let mut names = BTreeSet::new();
        for pos in 0..longest {
            let at: Vec<Option<&Argument>> = overloads.iter().map(|(a, _)| a.get(pos)).collect();
            let present: Vec<&Argument> = at.iter().flatten().copied().collect();
            let first = present[0];
            let optional = at.iter().any(|a| a.is_none_or(|a| a.optional));
            let variadic = present.iter().any(|a| a.variadic);
            let mut types: Vec<Type> = Vec::new();
            for a in &present {
                if !types.contains(&a.ty) {
                    types.push(a.ty.clone());
                }
            }
            let ty = if types.len() == 1 {
                types.remove(0)
            } else {
                Type {
                    kind: TypeKind::Union(types),
                    nullable: false,
                    ext_attrs: Vec::new(),
                }
            };
            let mapped = match self.ty(&ty, Dir::Param) {
                Ok(t) if variadic => format!("list<{t}>"),
                Ok(t) if optional && !t.starts_with("option<") => format!("option<{t}>"),
                Ok(t) => t,
                Err(Unsupported(why)) => {
                    self.warn(
                        origin,
                        format!("{what}: argument `{}`: {why}; left out", first.name),
                    );
                    return None;
                }
            };
            let mut label =
                identifier_to_wit(&first.name, Case::Member).unwrap_or_else(|| format!("arg{pos}"));
            if !names.insert(label.clone()) {
                label = format!("arg{pos}");
                names.insert(label.clone());
            }
            params.push(format!("{}: {mapped}", wit_ident(&label)));
            if variadic {
                break;
            }
        }
        Some(params.join(", "))
    }

    /// The WIT type of `ty` used in `dir`.
    fn ty(&mut self, ty: &Type, dir: Dir) -> Mapped {
        let inner = self.ty_inner(&ty.kind, dir)?;
        Ok(
            if ty.nullable && !inner.starts_with("option<") && inner != "any" {
                format!("option<{inner}>")
            } else {
                inner
            },
        )
    }

    fn ty_inner(&mut self, kind: &TypeKind, dir: Dir) -> Mapped {
        Ok(match kind {
            TypeKind::Boolean => "bool".into(),
            TypeKind::Byte => "s8".into(),
            TypeKind::Octet => "u8".into(),
            TypeKind::Short => "s16".into(),
            TypeKind::UnsignedShort => "u16".into(),
            TypeKind::Long => "s32".into(),
            TypeKind::UnsignedLong => "u32".into(),
            TypeKind::LongLong => "s64".into(),
            TypeKind::UnsignedLongLong => "u64".into(),
            TypeKind::Float { .. } => "f32".into(),
            TypeKind::Double { .. } => "f64".into(),
            TypeKind::DomString | TypeKind::UsvString | TypeKind::ByteString => "string".into(),
            TypeKind::Any => {
                self.uses_any = true;
                "any".into()
            }
            TypeKind::Object => {
                self.uses_object = true;
                if dir == Dir::Param {
                    "borrow<js-object>".into()
                } else {
                    "js-object".into()
                }
            }
            TypeKind::Undefined => {
                return Err(Unsupported("`undefined` outside a return type".into()));
            }
            TypeKind::Symbol => return Err(Unsupported("`symbol` has no WIT form".into())),
            TypeKind::BigInt => {
                return Err(Unsupported(
                    "`bigint` has no WIT form (WIT integers are bounded)".into(),
                ));
            }
            TypeKind::Sequence(t) | TypeKind::FrozenArray(t) | TypeKind::ObservableArray(t) => {
                format!("list<{}>", self.ty(t, dir)?)
            }
            TypeKind::AsyncSequence(_) => {
                return Err(Unsupported(
                    "`async_sequence` is not expressible in WIT yet".into(),
                ));
            }
            TypeKind::Promise(_) => {
                return Err(Unsupported("a `Promise` outside a return type".into()));
            }
            TypeKind::Record(_, v) => format!("list<tuple<string, {}>>", self.ty(v, dir)?),
            TypeKind::Union(members) => self.union(None, members, dir)?,
            TypeKind::Named(n) => self.named(n, dir)?,
        })
    }

    fn named(&mut self, n: &str, dir: Dir) -> Mapped {
        // Names the specs use but define in prose (or as an alias) only.
        match n {
            "CSSOMString" => return Ok("string".into()),
            "WindowProxy" => return self.named("Window", dir),
            _ => {}
        }
        if let Some(target) = self.model.aliases.get(n) {
            let target = target.clone();
            return self.named(&target, dir);
        }
        if let Some((_, elem)) = BUFFERS.iter().find(|(b, _)| *b == n) {
            return Ok(format!("list<{elem}>"));
        }
        if self.is_resource(n) {
            let t = self
                .type_name(n)
                .ok_or_else(|| Unsupported(format!("interface `{n}` has no exact WIT name")))?;
            return Ok(if dir == Dir::Param {
                format!("borrow<{}>", wit_ident(&t))
            } else {
                wit_ident(&t)
            });
        }
        if let Some((t, _)) = self.model.typedefs.get(n) {
            let t = t.clone();
            if let TypeKind::Union(members) = &t.ty.kind {
                let u = self.union(Some(n), members, dir)?;
                return Ok(if t.ty.nullable && !u.starts_with("option<") {
                    format!("option<{u}>")
                } else {
                    u
                });
            }
            return self.ty(&t.ty, dir);
        }
        if let Some(d) = self.model.dictionaries.get(n) {
            let d = d.clone();
            return self.record(&d, dir);
        }
        if let Some((e, _)) = self.model.enums.get(n) {
            let e = e.clone();
            let t = self
                .type_name(n)
                .ok_or_else(|| Unsupported(format!("enum `{n}` has no exact WIT name")))?;
            if !self.types.contains_key(&t) {
                let mut text = format!("  /// WebIDL enum `{n}`.\n  enum {} {{\n", wit_ident(&t));
                for v in &e.values {
                    let _ = writeln!(text, "    {},", wit_ident(&enum_value_to_wit(v)));
                }
                text.push_str("  }\n");
                self.types.insert(t.clone(), text);
            }
            return Ok(wit_ident(&t));
        }
        if self.model.callbacks.contains_key(n) {
            return Err(Unsupported(format!(
                "callback `{n}`: callbacks are not expressible in WIT yet"
            )));
        }
        if let Some(i) = self.model.interfaces.get(n) {
            return Err(Unsupported(match i.kind {
                InterfaceKind::Interface => format!("interface `{n}` is not kept (`--only`)"),
                InterfaceKind::CallbackInterface => {
                    format!("callback interface `{n}`: callbacks are not expressible in WIT yet")
                }
                _ => format!("`{n}` is a namespace, not a type"),
            }));
        }
        Err(Unsupported(format!(
            "`{n}` is not defined in the given IDL"
        )))
    }

    /// A dictionary as a record (its ancestors' members first).
    fn record(&mut self, d: &crate::model::MergedDictionary, dir: Dir) -> Mapped {
        let t = self
            .type_name(&d.name)
            .ok_or_else(|| Unsupported(format!("dictionary `{}` has no exact WIT name", d.name)))?;
        let field_dir = if self.result_types.contains(&d.name) {
            Dir::Result
        } else {
            Dir::Param
        };
        let _ = dir;
        match self.types.get(&t) {
            Some(text) if text.is_empty() => {
                return Err(Unsupported(format!(
                    "dictionary `{}` contains itself, and WIT types cannot",
                    d.name
                )));
            }
            Some(_) => return Ok(wit_ident(&t)),
            None => {}
        }
        // Claim the name first (empty while its fields are written): a dictionary that
        // contains itself is found so.
        self.types.insert(t.clone(), String::new());
        let mut chain = vec![d.clone()];
        let mut cur = d.inherits.clone();
        while let Some(p) = cur {
            match self.model.dictionaries.get(&p) {
                Some(pd) if !chain.iter().any(|c| c.name == p) => {
                    cur = pd.inherits.clone();
                    chain.push(pd.clone());
                }
                _ => break,
            }
        }
        let mut text = format!(
            "  /// WebIDL dictionary `{}`.\n  record {} {{\n",
            d.name,
            wit_ident(&t)
        );
        let mut seen = BTreeSet::new();
        let mut written = 0;
        for dict in chain.iter().rev() {
            for (m, origin) in &dict.members {
                let what = format!("`{}.{}`", dict.name, m.name);
                let Some(label) = identifier_to_wit(&m.name, Case::Member) else {
                    self.warn(
                        origin,
                        format!("{what}: the name has no exact WIT form; left out"),
                    );
                    continue;
                };
                if !seen.insert(label.clone()) {
                    continue;
                }
                match self.ty(&m.ty, field_dir) {
                    Ok(ft) => {
                        let ft = if m.required || ft.starts_with("option<") {
                            ft
                        } else {
                            format!("option<{ft}>")
                        };
                        let _ = writeln!(text, "    {}: {ft},", wit_ident(&label));
                        written += 1;
                    }
                    Err(Unsupported(why)) => self.warn(origin, format!("{what}: {why}; left out")),
                }
            }
        }
        text.push_str("  }\n");
        if written == 0 {
            self.types.remove(&t);
            return Err(Unsupported(format!(
                "dictionary `{}` has no members WIT can express, and a WIT record needs one",
                d.name
            )));
        }
        self.types.insert(t.clone(), text);
        Ok(wit_ident(&t))
    }

    /// A union as a variant, named after its typedef or its members.
    fn union(&mut self, typedef: Option<&str>, members: &[Type], dir: Dir) -> Mapped {
        let mut flat = Vec::new();
        let mut nullable = false;
        flatten_union(members, &mut flat, &mut nullable);
        // A member that is a typedef of a union (`TrustedType`) adds its members.
        let mut i = 0;
        while i < flat.len() {
            let inner = match &flat[i].kind {
                TypeKind::Named(n) => match self.model.typedefs.get(n) {
                    Some((t, _)) if matches!(t.ty.kind, TypeKind::Union(_)) => Some(t.ty.clone()),
                    _ => None,
                },
                _ => None,
            };
            match inner {
                Some(t) => {
                    let mut more = Vec::new();
                    flatten_union(std::slice::from_ref(&t), &mut more, &mut nullable);
                    flat.splice(i..=i, more);
                }
                None => i += 1,
            }
        }
        let dir = match typedef {
            Some(n) if self.result_types.contains(n) => Dir::Result,
            Some(_) => Dir::Param,
            None => dir,
        };
        let mut cases: Vec<(String, String)> = Vec::new();
        // With `--only`, a member that is an interface not kept is no case: the union is
        // what remains (`(TrustedHTML or DOMString) innerHTML` is a `string`), unless
        // nothing does.
        let not_kept = |g: &Self, m: &Type| {
            g.only
                && matches!(&m.kind, TypeKind::Named(n)
                    if g.model.interfaces.get(n).is_some_and(|i| i.kind == InterfaceKind::Interface)
                        && !g.kept.contains(n))
        };
        let kept_members = flat
            .iter()
            .filter(|m| m.kind != TypeKind::Undefined && !not_kept(self, m))
            .count();
        for m in &flat {
            if m.kind == TypeKind::Undefined {
                nullable = true;
                continue;
            }
            if kept_members > 0 && not_kept(self, m) {
                continue;
            }
            let payload = self.ty(m, dir)?;
            let case = case_label(m)
                .ok_or_else(|| Unsupported(format!("a union member `{m:?}` has no case name")))?;
            if let Some((_, p)) = cases.iter().find(|(c, _)| *c == case) {
                if *p == payload {
                    continue;
                }
                return Err(Unsupported(format!(
                    "a union with two members named `{case}`"
                )));
            }
            cases.push((case, payload));
        }
        if cases.is_empty() {
            return Err(Unsupported("a union of `undefined` alone".into()));
        }
        if cases.len() == 1 {
            let (_, p) = cases.remove(0);
            return Ok(if nullable && !p.starts_with("option<") {
                format!("option<{p}>")
            } else {
                p
            });
        }
        let name = match typedef {
            Some(n) => self
                .type_name(n)
                .ok_or_else(|| Unsupported(format!("typedef `{n}` has no exact WIT name")))?,
            None => {
                let mut n = cases
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join("-or-");
                if dir == Dir::Param && cases.iter().any(|(_, p)| p.contains("borrow<")) {
                    n.push_str("-borrowed");
                }
                n
            }
        };
        if !self.types.contains_key(&name) {
            let mut text = String::from("  /// A WebIDL union.\n");
            let _ = writeln!(text, "  variant {} {{", wit_ident(&name));
            for (c, p) in &cases {
                let _ = writeln!(text, "    {}({p}),", wit_ident(c));
            }
            text.push_str("  }\n");
            self.types.insert(name.clone(), text);
        }
        Ok(if nullable {
            format!("option<{}>", wit_ident(&name))
        } else {
            wit_ident(&name)
        })
    }
}

/// The members of a union, nested unions flattened; `nullable` is set by a `?` member.
fn flatten_union(members: &[Type], out: &mut Vec<Type>, nullable: &mut bool) {
    for m in members {
        *nullable |= m.nullable;
        match &m.kind {
            TypeKind::Union(inner) => flatten_union(inner, out, nullable),
            _ => out.push(Type {
                kind: m.kind.clone(),
                nullable: false,
                ext_attrs: Vec::new(),
            }),
        }
    }
}

/// The case name of a union member: its type, spelled as a WIT label
/// (`DOM-string`, `node`, `sequence-of-long`).
fn case_label(ty: &Type) -> Option<String> {
    let words = |s: &str| identifier_to_wit(s, Case::Type);
    Some(match &ty.kind {
        TypeKind::Named(n) => words(n)?,
        TypeKind::Sequence(t) | TypeKind::FrozenArray(t) | TypeKind::ObservableArray(t) => {
            format!("sequence-of-{}", case_label(t)?)
        }
        TypeKind::Record(_, v) => format!("record-of-{}", case_label(v)?),
        TypeKind::Promise(t) => format!("promise-of-{}", case_label(t)?),
        TypeKind::DomString => "DOM-string".into(),
        TypeKind::UsvString => "USV-string".into(),
        TypeKind::ByteString => "byte-string".into(),
        TypeKind::UnsignedShort => "unsigned-short".into(),
        TypeKind::UnsignedLong => "unsigned-long".into(),
        TypeKind::LongLong => "long-long".into(),
        TypeKind::UnsignedLongLong => "unsigned-long-long".into(),
        TypeKind::Float { unrestricted: true } => "unrestricted-float".into(),
        TypeKind::Double { unrestricted: true } => "unrestricted-double".into(),
        TypeKind::Float {
            unrestricted: false,
        } => "float".into(),
        TypeKind::Double {
            unrestricted: false,
        } => "double".into(),
        TypeKind::Boolean => "boolean".into(),
        TypeKind::Byte => "byte".into(),
        TypeKind::Octet => "octet".into(),
        TypeKind::Short => "short".into(),
        TypeKind::Long => "long".into(),
        TypeKind::BigInt => "bigint".into(),
        TypeKind::Any => "any".into(),
        TypeKind::Object => "object".into(),
        TypeKind::Symbol => "symbol".into(),
        TypeKind::Undefined => "undefined".into(),
        TypeKind::AsyncSequence(t) => format!("async-sequence-of-{}", case_label(t)?),
        TypeKind::Union(ts) => ts
            .iter()
            .map(case_label)
            .collect::<Option<Vec<_>>>()?
            .join("-or-"),
    })
}

/// The functions of one resource or interface, names kept unique.
#[derive(Default)]
struct Funcs {
    names: BTreeSet<String>,
    lines: Vec<String>,
}

impl Funcs {
    fn add(&mut self, label: String, sig: String, origin: &Origin, warnings: &mut Vec<Warning>) {
        // WIT compares names without case.
        if !self.names.insert(label.to_ascii_lowercase()) {
            warnings.push(Warning {
                origin: origin.clone(),
                message: format!("`{label}`: the name is taken (WIT names differ in more than case: a setter `set-x` beside an operation `setX`, a constant beside a method, a static beside a method, a member named as its interface); left out"),
            });
            return;
        }
        if label == "constructor" {
            self.lines.push(format!("constructor{sig};"));
        } else {
            self.lines.push(format!("{}: {sig};", wit_ident(&label)));
        }
    }

    /// The main interface's types a namespace's functions mention.
    fn used_types(&self, g: &Gen<'_>) -> Vec<String> {
        let mut out = BTreeSet::new();
        for line in &self.lines {
            let sig = line.split_once(':').map_or("", |(_, s)| s);
            for word in sig.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '%')) {
                let w = word.trim_start_matches('%');
                if g.types.contains_key(w)
                    || matches!(w, "any" | "js-object" | "js-error" | "event")
                    || g.resources()
                        .iter()
                        .any(|r| g.type_name(&r.name).as_deref() == Some(w))
                {
                    out.insert(w.to_string());
                }
            }
        }
        out.into_iter().collect()
    }
}
