//! What a WIT function of a `webidl:` import is on the platform: the transpiler binds
//! each imported function to the member it names ([`Platform::resolve`]), found in the
//! IDL by the exact naming rule ([`crate::names`]) or, for WIT written by other tools
//! (webidl2wit lower-cases every name), by the one member whose name matches ignoring
//! case and separators.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{InterfaceKind, MemberKind, Type, TypeKind};
use crate::model::{MergedInterface, Model};
use crate::names::{Case, wit_to_enum_value, wit_to_identifier};

/// The IDL a transpiler binds `webidl:` imports against.
#[derive(Debug)]
pub struct Platform {
    pub model: Model,
    /// Every dictionary member name and every enum value, by their loose form (no
    /// case, no separators), for names other tools lower-cased.
    loose_fields: BTreeMap<String, BTreeSet<String>>,
    loose_enum_values: BTreeMap<String, BTreeSet<String>>,
}

/// What an imported function does on the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    /// `get-window`: the global object, which must be a `interface`.
    GlobalObject { interface: String },
    /// `new Interface(...)`.
    Constructor { interface: String, variadic: bool },
    /// `self.name(...)`.
    Method {
        interface: String,
        name: String,
        variadic: bool,
    },
    /// `self.name`.
    Getter { interface: String, name: String },
    /// `self.name = value`.
    Setter { interface: String, name: String },
    /// `self.addEventListener(event, ...)`: the `on<event>` attribute's events.
    Events { interface: String, event: String },
    /// `Interface.name(...)`, or a namespace's `namespace.name(...)`.
    StaticMethod {
        interface: String,
        name: String,
        variadic: bool,
    },
    /// `Interface.name` (a static attribute or a constant), or a namespace's.
    StaticGetter { interface: String, name: String },
    /// `Interface.name = value`.
    StaticSetter { interface: String, name: String },
    /// `as-<ancestor>`: `self`.
    Upcast { to: String },
    /// `as-<descendant>`: `self` if it is one, else none.
    Downcast { to: String },
}

/// A WIT function name split as the Component Model does.
enum FnName<'a> {
    Free(&'a str),
    Constructor(&'a str),
    Method(&'a str, &'a str),
    Static(&'a str, &'a str),
}

fn split_fn(name: &str) -> FnName<'_> {
    if let Some(r) = name.strip_prefix("[constructor]") {
        FnName::Constructor(r)
    } else if let Some(rest) = name.strip_prefix("[method]") {
        let (r, m) = rest.split_once('.').unwrap_or((rest, ""));
        FnName::Method(r, m)
    } else if let Some(rest) = name.strip_prefix("[static]") {
        let (r, m) = rest.split_once('.').unwrap_or((rest, ""));
        FnName::Static(r, m)
    } else {
        let name = name.strip_prefix("[async]").unwrap_or(name);
        FnName::Free(name)
    }
}

/// A name without case and separators, for names other tools lower-cased.
fn loose(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Platform {
    /// Parses and merges IDL files (name, text).
    pub fn from_files(files: &[(String, String)]) -> Result<Platform, crate::ParseError> {
        let mut parsed = Vec::new();
        for (name, text) in files {
            parsed.push((name.clone(), crate::parse(name, text)?));
        }
        let model = Model::build(&parsed);
        let mut loose_fields: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for d in model.dictionaries.values() {
            for (m, _) in &d.members {
                loose_fields
                    .entry(loose(&m.name))
                    .or_default()
                    .insert(m.name.clone());
            }
        }
        let mut loose_enum_values: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (e, _) in model.enums.values() {
            for v in &e.values {
                loose_enum_values
                    .entry(loose(v))
                    .or_default()
                    .insert(v.clone());
            }
        }
        Ok(Platform {
            model,
            loose_fields,
            loose_enum_values,
        })
    }

    /// The dictionary member a record field's WIT name names: by the exact rule when
    /// some dictionary has that member, else the one member whose name matches loosely
    /// (webidl2wit's `ignore-bom` is `ignoreBOM`), else the exact rule's name.
    pub fn dictionary_member(&self, label: &str) -> Option<String> {
        let exact = wit_to_identifier(label, Case::Member);
        if let Some(e) = &exact
            && self
                .loose_fields
                .get(&loose(e))
                .is_some_and(|s| s.contains(e))
        {
            return exact;
        }
        match self.loose_fields.get(&loose(label)) {
            Some(names) if names.len() == 1 => names.iter().next().cloned(),
            _ => exact,
        }
    }

    /// The enum value an enum case's WIT name names: by the exact rule when some enum
    /// has that value, else the one value that matches loosely (webidl2wit's
    /// `flip-y` is `"flipY"`), else the exact rule's value.
    pub fn enum_value(&self, label: &str) -> Option<String> {
        let exact = wit_to_enum_value(label);
        if let Some(e) = &exact
            && self
                .loose_enum_values
                .get(&loose(e))
                .is_some_and(|s| s.contains(e))
        {
            return exact;
        }
        // webidl2wit writes a value that starts with a digit with an `x` before it.
        let label = match label.strip_prefix('x') {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
            _ => label,
        };
        match self.loose_enum_values.get(&loose(label)) {
            Some(values) if values.len() == 1 => values.iter().next().cloned(),
            _ => exact,
        }
    }

    /// The platform interface (or namespace) a WIT resource or interface name names.
    pub fn interface(&self, label: &str, case: Case) -> Result<&MergedInterface, String> {
        if let Some(name) = wit_to_identifier(label, case) {
            if let Some(i) = self.model.interfaces.get(&name) {
                return Ok(i);
            }
            if let Some(target) = self.model.aliases.get(&name)
                && let Some(i) = self.model.interfaces.get(target)
            {
                return Ok(i);
            }
        }
        let want = loose(label);
        let found: Vec<&MergedInterface> = self
            .model
            .interfaces
            .values()
            .filter(|i| loose(&i.name) == want)
            .collect();
        match found.as_slice() {
            [one] => Ok(one),
            [] => Err(format!("`{label}` names no WebIDL interface or namespace")),
            many => Err(format!(
                "`{label}` could name several WebIDL interfaces ({})",
                many.iter()
                    .map(|i| i.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Whether the member `name` of `interface` is a property of each instance rather
    /// than of the prototype: `[LegacyUnforgeable]` on it or on its interface
    /// (`Event.isTrusted`, `Location`'s members), or a member of a `[Global]` interface
    /// (`Window.alert`, on the global object itself).
    pub fn on_instances(&self, interface: &str, name: &str) -> bool {
        let Some(i) = self.model.interfaces.get(interface) else {
            return false;
        };
        let unforgeable =
            |attrs: &[crate::ast::ExtAttr]| crate::ast::has_ext_attr(attrs, "LegacyUnforgeable");
        // A `[Global]` interface's members are the global object's own (WebIDL
        // §3.7.5–3.7.7: `alert` is not on `Window.prototype`).
        unforgeable(&i.ext_attrs)
            || crate::ast::has_ext_attr(&i.ext_attrs, "Global")
            || i.members.iter().any(|pm| {
                let named = match &pm.member.kind {
                    MemberKind::Attribute { name: n, .. } => n == name,
                    MemberKind::Operation { name: Some(n), .. } => n == name,
                    _ => false,
                };
                named && unforgeable(&pm.member.ext_attrs)
            })
    }

    /// The interface and its ancestors, nearest first.
    fn chain<'a>(&'a self, i: &'a MergedInterface) -> Vec<&'a MergedInterface> {
        let mut out = vec![i];
        let mut cur = i.inherits.as_deref();
        while let Some(name) = cur {
            match self.model.interfaces.get(name) {
                Some(p) if !out.iter().any(|o| o.name == p.name) => {
                    out.push(p);
                    cur = p.inherits.as_deref();
                }
                _ => break,
            }
        }
        out
    }

    /// What the function `func` of the WIT interface `iface` (its name without package,
    /// `web` or `global-console`) is on the platform.
    pub fn resolve(&self, iface: &str, func: &str) -> Result<Member, String> {
        if let Some(ns) = iface.strip_prefix("global-") {
            return self.resolve_namespace(ns, func);
        }
        match split_fn(func) {
            FnName::Free(f) => {
                let Some(global) = f.strip_prefix("get-") else {
                    return Err(format!(
                        "`{func}`: a function of a `webidl:` interface other than `get-<global>`"
                    ));
                };
                let i = self.interface(global, Case::Type)?;
                Ok(Member::GlobalObject {
                    interface: i.name.clone(),
                })
            }
            FnName::Constructor(r) => {
                let i = self.interface(r, Case::Type)?;
                let ctors: Vec<_> = i
                    .members
                    .iter()
                    .filter_map(|m| match &m.member.kind {
                        MemberKind::Constructor { args } => Some(args),
                        _ => None,
                    })
                    .collect();
                if ctors.is_empty() {
                    return Err(format!("`{}` has no constructor", i.name));
                }
                let variadic = ctors.iter().any(|a| a.last().is_some_and(|a| a.variadic));
                Ok(Member::Constructor {
                    interface: i.name.clone(),
                    variadic,
                })
            }
            FnName::Method(r, m) => {
                let i = self.interface(r, Case::Type)?;
                self.resolve_member(i, m, false)
            }
            FnName::Static(r, m) => {
                let i = self.interface(r, Case::Type)?;
                self.resolve_member(i, m, true)
            }
        }
    }

    fn resolve_namespace(&self, ns: &str, func: &str) -> Result<Member, String> {
        let i = self.interface(ns, Case::Member)?;
        if i.kind != InterfaceKind::Namespace {
            return Err(format!("`global-{ns}`: `{}` is not a namespace", i.name));
        }
        let FnName::Free(f) = split_fn(func) else {
            return Err(format!("`{func}`: a namespace has only functions"));
        };
        self.resolve_member(i, f, true)
    }

    /// A member of `i` (or of an ancestor) by its WIT name; `is_static`: a `[static]`
    /// function, or a namespace's.
    fn resolve_member(
        &self,
        i: &MergedInterface,
        m: &str,
        is_static: bool,
    ) -> Result<Member, String> {
        let chain = self.chain(i);
        if !is_static && let Some(target) = m.strip_prefix("as-") {
            let to = self.interface(target, Case::Type)?;
            if chain.iter().any(|c| c.name == to.name) {
                return Ok(Member::Upcast {
                    to: to.name.clone(),
                });
            }
            if self.chain(to).iter().any(|c| c.name == i.name) {
                return Ok(Member::Downcast {
                    to: to.name.clone(),
                });
            }
        }
        if let Some(found) = self.find(&chain, m, is_static) {
            return Ok(found);
        }
        if let Some(attr) = m.strip_prefix("set-")
            && let Some(found) = self.find(&chain, attr, is_static)
        {
            match found {
                Member::Getter { interface, name } if self.writable(&chain, &name) => {
                    return Ok(Member::Setter { interface, name });
                }
                Member::StaticGetter { interface, name } if self.writable(&chain, &name) => {
                    return Ok(Member::StaticSetter { interface, name });
                }
                _ => {}
            }
        }
        let kind = if is_static { "static member" } else { "member" };
        Err(format!(
            "`{}` has no {kind} `{m}` (nor an ancestor of it)",
            i.name
        ))
    }

    fn writable(&self, chain: &[&MergedInterface], name: &str) -> bool {
        chain.iter().flat_map(|c| &c.members).any(|pm| {
            matches!(&pm.member.kind, MemberKind::Attribute { name: n, readonly: false, .. } if n == name)
        })
    }

    /// The member named `m` (exactly by the naming rule, else loosely) among the chain.
    fn find(&self, chain: &[&MergedInterface], m: &str, is_static: bool) -> Option<Member> {
        let exact = wit_to_identifier(m, Case::Member);
        let matches = |name: &str| exact.as_deref() == Some(name);
        let loosely = |name: &str| loose(name) == loose(m);
        for pick in [&matches as &dyn Fn(&str) -> bool, &loosely] {
            for c in chain {
                let namespace = c.kind == InterfaceKind::Namespace;
                let mut variadic = false;
                let mut op = None;
                for pm in &c.members {
                    match &pm.member.kind {
                        MemberKind::Operation {
                            name: Some(name),
                            args,
                            is_static: s,
                            ..
                        } if pick(name) && (*s || namespace) == is_static => {
                            variadic |= args.last().is_some_and(|a| a.variadic);
                            op = Some(name.clone());
                        }
                        MemberKind::Attribute {
                            name,
                            ty,
                            is_static: s,
                            ..
                        } if pick(name) && (*s || namespace) == is_static => {
                            let interface = c.name.clone();
                            let name = name.clone();
                            return Some(if is_static {
                                Member::StaticGetter { interface, name }
                            } else if is_event_handler(ty) && name.starts_with("on") {
                                Member::Events {
                                    interface,
                                    event: name["on".len()..].to_string(),
                                }
                            } else {
                                Member::Getter { interface, name }
                            });
                        }
                        MemberKind::Const { name, .. } if pick(name) && is_static => {
                            return Some(Member::StaticGetter {
                                interface: c.name.clone(),
                                name: name.clone(),
                            });
                        }
                        _ => {}
                    }
                }
                if let Some(name) = op {
                    let interface = c.name.clone();
                    return Some(if is_static {
                        Member::StaticMethod {
                            interface,
                            name,
                            variadic,
                        }
                    } else {
                        Member::Method {
                            interface,
                            name,
                            variadic,
                        }
                    });
                }
            }
        }
        None
    }
}

fn is_event_handler(ty: &Type) -> bool {
    matches!(&ty.kind, TypeKind::Named(n) if ["EventHandler", "OnErrorEventHandler", "OnBeforeUnloadEventHandler"].contains(&n.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform() -> Platform {
        let idl = r#"
            [Exposed=Window] interface EventTarget { constructor(); boolean dispatchEvent(Event event); };
            [Exposed=Window] interface Node : EventTarget {
              readonly attribute DOMString baseURI;
              attribute DOMString? textContent;
              Node appendChild(Node node);
              undefined append((Node or DOMString)... nodes);
              const unsigned short ELEMENT_NODE = 1;
              attribute EventHandler onclick;
              static Node create();
            };
            [Exposed=Window] interface Element : Node { attribute DOMString innerHTML; undefined setAttribute(DOMString n, DOMString v); };
            [Global=Window, Exposed=Window] interface Window : EventTarget { };
            [Exposed=*] namespace console { undefined log(any... data); };
        "#;
        Platform::from_files(&[("t.idl".into(), idl.into())]).unwrap()
    }

    #[test]
    fn members_resolve_by_the_exact_rule_and_loosely() {
        let p = platform();
        let m = |i: &str, f: &str| p.resolve(i, f).unwrap();
        let s = String::from;
        assert_eq!(
            m("web", "[method]element.inner-HTML"),
            Member::Getter {
                interface: s("Element"),
                name: s("innerHTML")
            }
        );
        assert_eq!(
            m("web", "[method]element.set-inner-HTML"),
            Member::Setter {
                interface: s("Element"),
                name: s("innerHTML")
            }
        );
        // webidl2wit's lower-cased names.
        assert_eq!(
            m("web", "[method]element.set-inner-html"),
            Member::Setter {
                interface: s("Element"),
                name: s("innerHTML")
            }
        );
        assert_eq!(
            m("web", "[method]element.set-attribute"),
            Member::Method {
                interface: s("Element"),
                name: s("setAttribute"),
                variadic: false
            }
        );
        assert_eq!(
            m("web", "[method]element.append-child"),
            Member::Method {
                interface: s("Node"),
                name: s("appendChild"),
                variadic: false
            }
        );
        assert_eq!(
            m("web", "[method]node.append"),
            Member::Method {
                interface: s("Node"),
                name: s("append"),
                variadic: true
            }
        );
        assert_eq!(
            m("web", "[method]node.base-URI"),
            Member::Getter {
                interface: s("Node"),
                name: s("baseURI")
            }
        );
        assert_eq!(
            m("web", "[method]node.onclick"),
            Member::Events {
                interface: s("Node"),
                event: s("click")
            }
        );
        assert_eq!(
            m("web", "[static]node.ELEMENT-NODE"),
            Member::StaticGetter {
                interface: s("Node"),
                name: s("ELEMENT_NODE")
            }
        );
        assert_eq!(
            m("web", "[static]node.create"),
            Member::StaticMethod {
                interface: s("Node"),
                name: s("create"),
                variadic: false
            }
        );
        assert_eq!(
            m("web", "[constructor]event-target"),
            Member::Constructor {
                interface: s("EventTarget"),
                variadic: false
            }
        );
        assert_eq!(
            m("web", "[method]element.as-event-target"),
            Member::Upcast {
                to: s("EventTarget")
            }
        );
        assert_eq!(
            m("web", "[method]event-target.as-element"),
            Member::Downcast { to: s("Element") }
        );
        assert_eq!(
            m("web", "get-window"),
            Member::GlobalObject {
                interface: s("Window")
            }
        );
        assert_eq!(
            m("global-console", "log"),
            Member::StaticMethod {
                interface: s("console"),
                name: s("log"),
                variadic: true
            }
        );
    }

    #[test]
    fn members_of_a_global_interface_are_on_the_global_object() {
        let p = platform();
        assert!(p.on_instances("Window", "alert"));
        assert!(!p.on_instances("Node", "appendChild"));
    }

    #[test]
    fn dictionary_members_and_enum_values_resolve_exactly_and_loosely() {
        let idl = r#"
            dictionary TextDecoderOptions { boolean fatal = false; boolean ignoreBOM = false; };
            enum ImageOrientation { "from-image", "flipY", "none" };
            enum CanPlayTypeResult { "", "maybe", "probably" };
        "#;
        let p = Platform::from_files(&[("t.idl".into(), idl.into())]).unwrap();
        let f = |l: &str| p.dictionary_member(l);
        assert_eq!(f("ignore-BOM").as_deref(), Some("ignoreBOM"));
        assert_eq!(f("ignore-bom").as_deref(), Some("ignoreBOM"));
        assert_eq!(f("fatal").as_deref(), Some("fatal"));
        let e = |l: &str| p.enum_value(l);
        assert_eq!(e("flip-UY").as_deref(), Some("flipY"));
        assert_eq!(e("flip-y").as_deref(), Some("flipY"));
        assert_eq!(e("from-image").as_deref(), Some("from-image"));
        assert_eq!(e("EMPTY").as_deref(), Some(""));
        assert_eq!(e("fromimage").as_deref(), Some("from-image"));
        let idl = r#"enum OffscreenRenderingContextId { "2d", "bitmaprenderer", "webgl" };"#;
        let p = Platform::from_files(&[("t.idl".into(), idl.into())]).unwrap();
        assert_eq!(p.enum_value("x2d").as_deref(), Some("2d"));
        assert_eq!(p.enum_value("N2-d").as_deref(), Some("2d"));
    }

    #[test]
    fn what_the_idl_lacks_is_an_error_naming_it() {
        let p = platform();
        for (i, f, want) in [
            (
                "web",
                "[method]node.nope",
                "`Node` has no member `nope` (nor an ancestor of it)",
            ),
            (
                "web",
                "[method]nope.x",
                "`nope` names no WebIDL interface or namespace",
            ),
            (
                "web",
                "[method]node.set-base-URI",
                "`Node` has no member `set-base-URI` (nor an ancestor of it)",
            ),
            ("web", "[constructor]node", "`Node` has no constructor"),
            (
                "global-console",
                "nope",
                "`console` has no static member `nope` (nor an ancestor of it)",
            ),
        ] {
            assert_eq!(p.resolve(i, f).unwrap_err(), want, "{f}");
        }
    }
}
