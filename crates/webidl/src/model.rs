//! The platform as one model: the definitions of many IDL files with partial
//! interfaces, partial dictionaries and mixins (`includes`) merged into the definitions
//! they extend, and the closure of what a set of kept interfaces references.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::*;

/// A definition's origin: the file and position, for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub file: String,
    pub span: Span,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.span.line, self.span.col)
    }
}

/// A member with the file it was written in (partials and mixins come from other
/// files than the interface they extend).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedMember {
    pub member: Member,
    pub origin: Origin,
}

/// An interface, callback interface or namespace with its partials and mixins merged.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedInterface {
    pub kind: InterfaceKind,
    pub name: String,
    pub inherits: Option<String>,
    pub ext_attrs: Vec<ExtAttr>,
    pub members: Vec<PlacedMember>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MergedDictionary {
    pub name: String,
    pub inherits: Option<String>,
    pub members: Vec<(DictionaryMember, Origin)>,
    pub origin: Origin,
}

/// Everything the IDL files define, by name.
#[derive(Debug, Default)]
pub struct Model {
    pub interfaces: BTreeMap<String, MergedInterface>,
    pub dictionaries: BTreeMap<String, MergedDictionary>,
    pub enums: BTreeMap<String, (Enum, Origin)>,
    pub typedefs: BTreeMap<String, (Typedef, Origin)>,
    pub callbacks: BTreeMap<String, (Callback, Origin)>,
    /// Other names of interfaces (`[LegacyWindowAlias=SVGRect]` on `DOMRect`).
    pub aliases: BTreeMap<String, String>,
    /// What could not be merged (a partial of nothing, `includes` of an unknown mixin,
    /// a name defined twice), each with where it was written.
    pub problems: Vec<(Origin, String)>,
}

impl Model {
    /// Merges the definitions of `files` (file name, definitions).
    pub fn build(files: &[(String, Vec<Definition>)]) -> Model {
        let mut model = Model::default();
        let mut mixins: BTreeMap<String, MergedInterface> = BTreeMap::new();
        let mut partials = Vec::new();
        let mut includes = Vec::new();
        let mut partial_dicts = Vec::new();
        for (file, defs) in files {
            for def in defs {
                let origin = Origin {
                    file: file.clone(),
                    span: def.span(),
                };
                model.add(
                    def,
                    origin,
                    &mut mixins,
                    &mut partials,
                    &mut includes,
                    &mut partial_dicts,
                );
            }
        }
        for (mixin, origin) in partials
            .iter()
            .filter(|(i, _)| i.kind == InterfaceKind::Mixin)
        {
            match mixins.get_mut(&mixin.name) {
                Some(m) => m.members.extend(placed(mixin, origin)),
                None => model.problem(
                    origin,
                    format!("`partial interface mixin {}` extends no mixin", mixin.name),
                ),
            }
        }
        for (partial, origin) in partials
            .iter()
            .filter(|(i, _)| i.kind != InterfaceKind::Mixin)
        {
            match model.interfaces.get_mut(&partial.name) {
                Some(i) => {
                    i.members.extend(placed(partial, origin));
                    i.ext_attrs.extend(partial.ext_attrs.iter().cloned());
                }
                None => model.problem(
                    origin,
                    format!(
                        "`partial {} {}` extends nothing",
                        partial.kind.keyword(),
                        partial.name
                    ),
                ),
            }
        }
        for (target, mixin, origin) in includes {
            let Some(m) = mixins.get(&mixin) else {
                model.problem(
                    &origin,
                    format!("`{target} includes {mixin}`: no mixin `{mixin}`"),
                );
                continue;
            };
            match model.interfaces.get_mut(&target) {
                Some(i) => i.members.extend(m.members.iter().cloned()),
                None => model.problem(
                    &origin,
                    format!("`{target} includes {mixin}`: no interface `{target}`"),
                ),
            }
        }
        for i in model.interfaces.values() {
            for a in i.ext_attrs.iter().filter(|a| a.name == "LegacyWindowAlias") {
                for alias in a.value.iter().chain(&a.list) {
                    model.aliases.insert(alias.clone(), i.name.clone());
                }
            }
        }
        for (dict, origin) in partial_dicts {
            match model.dictionaries.get_mut(&dict.name) {
                Some(d) => d
                    .members
                    .extend(dict.members.iter().map(|m| (m.clone(), origin.clone()))),
                None => model.problem(
                    &origin,
                    format!("`partial dictionary {}` extends nothing", dict.name),
                ),
            }
        }
        model
    }

    fn problem(&mut self, origin: &Origin, message: String) {
        self.problems.push((origin.clone(), message));
    }

    fn add(
        &mut self,
        def: &Definition,
        origin: Origin,
        mixins: &mut BTreeMap<String, MergedInterface>,
        partials: &mut Vec<(Interface, Origin)>,
        includes: &mut Vec<(String, String, Origin)>,
        partial_dicts: &mut Vec<(Dictionary, Origin)>,
    ) {
        let name = def.name().to_string();
        let taken = self.interfaces.contains_key(&name)
            || mixins.contains_key(&name)
            || self.dictionaries.contains_key(&name)
            || self.enums.contains_key(&name)
            || self.typedefs.contains_key(&name)
            || self.callbacks.contains_key(&name);
        let partial = match def {
            Definition::Interface(i) => i.partial,
            Definition::Dictionary(d) => d.partial,
            Definition::Includes { .. } => true,
            _ => false,
        };
        if taken && !partial {
            self.problem(
                &origin,
                format!("`{name}` is defined twice; the later definition is ignored"),
            );
            return;
        }
        match def {
            Definition::Interface(i) if i.partial => partials.push((i.clone(), origin)),
            Definition::Interface(i) => {
                let merged = MergedInterface {
                    kind: i.kind,
                    name,
                    inherits: i.inherits.clone(),
                    ext_attrs: i.ext_attrs.clone(),
                    members: placed(i, &origin),
                    origin,
                };
                if i.kind == InterfaceKind::Mixin {
                    mixins.insert(merged.name.clone(), merged);
                } else {
                    self.interfaces.insert(merged.name.clone(), merged);
                }
            }
            Definition::Dictionary(d) if d.partial => partial_dicts.push((d.clone(), origin)),
            Definition::Dictionary(d) => {
                let members = d
                    .members
                    .iter()
                    .map(|m| (m.clone(), origin.clone()))
                    .collect();
                self.dictionaries.insert(
                    name.clone(),
                    MergedDictionary {
                        name,
                        inherits: d.inherits.clone(),
                        members,
                        origin,
                    },
                );
            }
            Definition::Enum(e) => {
                self.enums.insert(name, (e.clone(), origin));
            }
            Definition::Typedef(t) => {
                self.typedefs.insert(name, (t.clone(), origin));
            }
            Definition::Callback(c) => {
                self.callbacks.insert(name, (c.clone(), origin));
            }
            Definition::Includes { target, mixin, .. } => {
                includes.push((target.clone(), mixin.clone(), origin));
            }
        }
    }

    /// The names `keep` reaches: the kept interfaces, what they inherit, and every
    /// named type their members, dictionaries, typedefs and callbacks mention. An empty
    /// `keep` keeps everything. `only`: other interfaces are not reached through what
    /// members mention (only through inheritance), so the kept ones and their ancestors
    /// are all the interfaces (`weft webidl --only`).
    pub fn closure(&self, keep: &[String], only: bool) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = if keep.is_empty() {
            self.interfaces.keys().cloned().collect()
        } else {
            keep.to_vec()
        };
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(target) = self.aliases.get(&name) {
                todo.push(target.clone());
            }
            if name == "WindowProxy" {
                todo.push("Window".to_string());
            }
            let mut types: Vec<&Type> = Vec::new();
            if let Some(i) = self.interfaces.get(&name) {
                todo.extend(i.inherits.clone());
                for m in &i.members {
                    member_types(&m.member.kind, &mut types);
                }
            } else if let Some(d) = self.dictionaries.get(&name) {
                todo.extend(d.inherits.clone());
                types.extend(d.members.iter().map(|(m, _)| &m.ty));
            } else if let Some((t, _)) = self.typedefs.get(&name) {
                types.push(&t.ty);
            } else if let Some((c, _)) = self.callbacks.get(&name) {
                types.push(&c.ret);
                types.extend(c.args.iter().map(|a| &a.ty));
            }
            for ty in types {
                let mut named = Vec::new();
                named_types(ty, &mut named);
                todo.extend(named.into_iter().filter(|n| {
                    !only
                        || !self.interfaces.contains_key(n)
                            && !self.aliases.contains_key(n)
                            && n != "WindowProxy"
                }));
            }
        }
        seen
    }
}

fn placed(i: &Interface, origin: &Origin) -> Vec<PlacedMember> {
    i.members
        .iter()
        .map(|m| PlacedMember {
            member: m.clone(),
            origin: Origin {
                file: origin.file.clone(),
                span: m.span,
            },
        })
        .collect()
}

/// The types a member mentions.
pub fn member_types<'a>(kind: &'a MemberKind, out: &mut Vec<&'a Type>) {
    match kind {
        MemberKind::Const { ty, .. } | MemberKind::Attribute { ty, .. } => out.push(ty),
        MemberKind::Operation { ret, args, .. } => {
            out.push(ret);
            out.extend(args.iter().map(|a| &a.ty));
        }
        MemberKind::Constructor { args } => out.extend(args.iter().map(|a| &a.ty)),
        MemberKind::Iterable {
            key, value, args, ..
        } => {
            out.extend(key);
            out.push(value);
            out.extend(args.iter().map(|a| &a.ty));
        }
        MemberKind::Maplike { key, value, .. } => {
            out.push(key);
            out.push(value);
        }
        MemberKind::Setlike { value, .. } => out.push(value),
        MemberKind::Stringifier => {}
    }
}

/// The names a type mentions (interfaces, dictionaries, enums, typedefs, callbacks).
pub fn named_types(ty: &Type, out: &mut Vec<String>) {
    match &ty.kind {
        TypeKind::Named(n) => out.push(n.clone()),
        TypeKind::Sequence(t)
        | TypeKind::AsyncSequence(t)
        | TypeKind::FrozenArray(t)
        | TypeKind::ObservableArray(t)
        | TypeKind::Promise(t) => named_types(t, out),
        TypeKind::Record(k, v) => {
            named_types(k, out);
            named_types(v, out);
        }
        TypeKind::Union(ts) => ts.iter().for_each(|t| named_types(t, out)),
        _ => {}
    }
}
