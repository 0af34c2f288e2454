//! Flattening: runs the component's definitions as an abstract instantiation and
//! records what a real one would do, producing a [`Plan`].
//!
//! # Why an abstract instantiation
//!
//! Instantiating a component creates core instances and wires their imports to core
//! exports, lowered host functions and canonical built-ins. None of that wiring depends
//! on a run-time value: which module is instantiated with which imports, which core
//! function is lifted with which options, which resource type a handle belongs to, all
//! follow from the binary. So the flattener runs the instantiation at transpile time,
//! on symbolic values, and writes down only what needs a real engine: the core
//! instantiations in order ([`Initializer`]s), the JS functions core code imports
//! ([`Trampoline`]s), the runtime resource types ([`Resource`]) and the root's exports.
//! Nested components, component instances, aliases and bags of exports do not appear
//! in the [`Plan`]; they are resolved away here.
//!
//! # Frames and index spaces
//!
//! Each component instantiation runs in a [`Frame`]. A frame has one vector per index
//! space (core functions, memories, tables, globals, tags, core modules and core
//! instances; component functions, instances, components and types). [`Inliner::run`]
//! walks the component's definitions in binary order and [`Inliner::item`] appends to
//! the spaces as the spec does: every import, definition, alias and export (an export
//! defines a new index too) adds one entry to its sort. So `frame.funcs[i]` is what the
//! binary calls function `i`. The validator's [`Types`] for the component grew in the
//! same order, and the flattener asks it about an index (the type of a function, the
//! resource behind a type; for the item being defined, at the vector's current
//! length). The two staying in step is the flattener's central invariant: the
//! validator has checked every index and name, so a failed lookup is a
//! [`Bug`](crate::error::Bug), not bad input. Core types and values are not tracked:
//! nothing the flattener produces depends on core types, and values (🪙) are
//! unsupported.
//!
//! # Symbolic values
//!
//! An index space holds what an item *is* ([`ItemDef`] and the `*Def` enums):
//! - a core item is a [`CoreDef`]: an export, by name, of a runtime core instance, or
//!   a trampoline;
//! - a core instance is a runtime instance (an [`Initializer::Instantiate`]) or a bag
//!   of core items made by `(core instance (export …)…)`;
//! - a component function is lifted core code ([`Lifted`]) or a host function
//!   ([`HostRef`]);
//! - a component instance is a bag of items (the exports of a nested instantiation,
//!   or an `(instance (export …)…)`) or a host instance;
//! - a type is a runtime resource type or anything else (value types are read from
//!   the validator when a function type needs them);
//! - a core module or a component is a static definition, or one the host gives
//!   ([`HostRef`]): its code is not in the binary, so instantiating it happens at run
//!   time ([`ModuleRef::Host`], [`Initializer::InstantiateComponent`], whose instance is
//!   then reached as a host instance is). A static component definition the root
//!   exports is flattened as a root of its own ([`Plan::components`]).
//!
//! # Imports, exports and aliases
//!
//! The root's imports come from the host: each one is a [`plan::Import`](Import) and
//! its value a [`HostRef`], whose path grows as items are taken from a host instance.
//! A nested component's imports are the arguments of the `instantiate` that runs it,
//! which its frame looks up by import name ([`Frame::args`]). A frame's exports
//! ([`Frame::exports`]) are what its parent sees: instantiating a component yields the
//! bag of its exports, and the root's exports become [`Plan::exports`]. An alias looks
//! an item up: an instance export in the bag (or one step further along the host
//! path), a core instance export by name (a runtime instance's export is simply named
//! by the [`CoreDef`]), and an outer alias in the [`Closure`] captured where the
//! nested component was defined. The capture is complete because the spec allows
//! outer aliases of *preceding* definitions only, and of no type that refers to a
//! resource type across a component boundary.
//!
//! # Nested and duplicated component instances
//!
//! `(instance (instantiate $C …))` runs a fresh frame for `$C`, numbered by a new
//! [`ComponentInstanceIdx`], and everything that run creates is new: each core
//! instantiation appends an [`Initializer`] with a new [`CoreInstanceIdx`], each
//! resource definition a new [`Resource::Defined`] owned by the component instance,
//! each `canon lower` and canonical built-in a new trampoline bound to it (its handle
//! table, its async state). So a component instantiated twice yields two sets of core instances,
//! handle tables and resource types, as in a real instantiation; only the static core
//! modules ([`ModuleIdx`]) are shared. A function that one component instance lifts
//! and another lowers becomes a [`Trampoline::Adapter`].
//!
//! # Resource types
//!
//! Resource types are generative: each instantiation of a component makes its own. The
//! validator's types for a component name a resource by one `ResourceId`, the same for
//! every instantiation of that component, so every frame keeps its own map from
//! `ResourceId` to the runtime [`ResourceIdx`] ([`Frame::resources`]). The map is
//! filled where resources enter a frame: local definitions, imports (walking the
//! import's type against the value supplied), instances the frame creates (walking the
//! instance type against the actual exports) and type exports. Handle types
//! (`own`/`borrow`) and resource built-ins are resolved through it. A host resource is
//! identified by its [`HostRef`] ([`Inliner::host_resource`]).

use std::collections::HashMap;
use std::rc::Rc;

use anyhow::{Context, Result, bail};
use indexmap::IndexMap;
use wasmparser::component_types::{
    ComponentAnyTypeId, ComponentDefinedType, ComponentEntityType, ComponentValType, ResourceId,
};
use wasmparser::types::Types;
use wasmparser::{
    CanonicalFunction, CanonicalOption, ComponentAlias, ComponentExport, ComponentExternalKind,
    ComponentInstance, ComponentOuterAliasKind, ComponentTypeRef, ExternalKind, Instance,
    PrimitiveValType,
};

use crate::abi::Addr;
use crate::bug;
use crate::error::OrBug;
use crate::limits::Limits;
use crate::parse::{Item, Parsed, TypeItem};
use crate::plan::{
    AsyncKind, Builtin, CanonOptions, ComponentInstanceIdx, CoreDef, CoreInstanceIdx, ExportItem,
    HostRef, Import, ImportIdx, ImportKind, Initializer, Lifted, ModuleIdx, ModuleRef, Plan,
    Resource, StringEncoding, Trampoline, TrampolineIdx,
};
use crate::types::{FuncType, FuncTypeId, ResourceIdx, TypeDef, TypeId, ValType};

/// A component instance made of exports: a nested instantiation's exports, or an
/// `(instance (export …)…)`, by export name in definition order. Shared, because
/// aliases and instantiation arguments copy instances around.
type Bag = Rc<IndexMap<String, ItemDef>>;

/// The end of the message for a valid component that names a resource type whose
/// runtime identity the flattener does not know. The one way found: a root type import
/// with an `eq` bound is not a resource to the flattener ([`TypeVal::Other`]), so a
/// nested component it is passed to gets a resource type no frame has bound.
const UNTRACKED_RESOURCE: &str = "(component instances count up from the root, 0, in \
     instantiation order): weft lost track of which resource type this is, as it does for \
     a resource type the root imports with an `eq` bound (`(import \"…\" (type (eq …)))`) \
     and passes to a nested component; pass the type it is equal to instead";

/// A core module in a frame's index space.
#[derive(Clone)]
enum ModuleDef {
    /// A module defined in the binary.
    Static(ModuleIdx),
    /// A module the host gives: imported by the root, alone or in an instance. It is
    /// instantiated at run time with the imports its type declares.
    Host(HostRef),
}

/// A component in a frame's index space.
#[derive(Clone)]
enum ComponentDef {
    /// A component defined in the binary: its index in [`Parsed::components`] and the
    /// outer index spaces it can alias.
    Static { index: usize, closure: Rc<Closure> },
    /// A component the host gives: imported by the root, alone or in an instance.
    Host(HostRef),
}

/// A core instance in a frame's index space.
#[derive(Clone)]
enum CoreInstanceDef {
    /// A module instantiation: its exports are read by name at run time.
    Runtime(CoreInstanceIdx),
    /// `(core instance (export …)…)`: core items gathered under names, to be passed as
    /// a module's import argument. Nothing exists at run time.
    Bag(Rc<IndexMap<String, CoreDef>>),
}

/// A component function in a frame's index space.
#[derive(Clone)]
enum FuncDef {
    /// Core code lifted by `canon lift`, with its type and options.
    Lifted(Lifted),
    /// A function the host provides (a root import, or an export of a host instance).
    Host(HostRef),
}

/// A type in a frame's index space: only resource types matter to the plan.
#[derive(Clone, Copy)]
enum TypeVal {
    /// A resource type, by its runtime identity.
    Resource(ResourceIdx),
    /// Any other type (value types, function, instance and component types), and a
    /// resource type the root imports with an `eq` bound.
    Other,
}

/// A component instance in a frame's index space.
#[derive(Clone)]
enum InstanceDef {
    /// Items by export name: a nested instantiation or a bag of exports.
    Bag(Bag),
    /// An instance the host provides; its items are host items further along the path.
    Host(HostRef),
}

/// An item of any component-level sort: what an import receives, an export or an
/// alias yields, and a bag holds.
#[derive(Clone)]
enum ItemDef {
    /// A component function.
    Func(FuncDef),
    /// A component instance.
    Instance(InstanceDef),
    /// A type.
    Type(TypeVal),
    /// A core module.
    Module(ModuleDef),
    /// A component.
    Component(ComponentDef),
}

/// The outer index spaces a nested component can alias, captured where it is defined.
///
/// Outer aliases reach only the sorts below (core types are not tracked), and only
/// definitions that precede the nested component, so a copy taken at its definition
/// is all it can see, whichever frame later instantiates it.
struct Closure {
    /// The enclosing component's core modules.
    modules: Vec<ModuleDef>,
    /// The enclosing component's components.
    components: Vec<ComponentDef>,
    /// The enclosing component's types.
    types: Vec<TypeVal>,
    /// The closure of the enclosing component itself, for aliases that skip more than
    /// one level; `None` when the enclosing component is the root.
    outer: Option<Rc<Closure>>,
}

impl Closure {
    /// The scope a component defined now in `frame` closes over.
    fn capture(frame: &Frame) -> Closure {
        Closure {
            modules: frame.core_modules.clone(),
            components: frame.components.clone(),
            types: frame.types.clone(),
            outer: frame.closure.clone(),
        }
    }
}

/// One component instantiation in progress: its index spaces, one vector per sort,
/// indexed as the binary indexes them.
struct Frame {
    /// The component definition being run: an index into [`Parsed::components`].
    component: usize,
    /// This instantiation's number in the plan (the root is 0).
    instance: ComponentInstanceIdx,
    /// The scope the component was defined in; `None` only for the root.
    closure: Option<Rc<Closure>>,
    /// The `instantiate` arguments by name, which the component's imports take; empty
    /// for the root, whose imports come from the host.
    args: HashMap<String, ItemDef>,
    /// Core functions: aliased core exports, and the trampolines of `canon lower` and
    /// the canonical built-ins.
    core_funcs: Vec<CoreDef>,
    /// Core memories (aliased core exports), as are tables, globals and tags.
    core_memories: Vec<CoreDef>,
    core_tables: Vec<CoreDef>,
    core_globals: Vec<CoreDef>,
    core_tags: Vec<CoreDef>,
    core_modules: Vec<ModuleDef>,
    core_instances: Vec<CoreInstanceDef>,
    /// Component functions.
    funcs: Vec<FuncDef>,
    /// Component instances.
    instances: Vec<InstanceDef>,
    components: Vec<ComponentDef>,
    types: Vec<TypeVal>,
    /// The runtime identity of every resource type this instantiation can name, by the
    /// validator's id (the same in every instantiation of the component).
    resources: HashMap<ResourceId, ResourceIdx>,
    /// The exports so far, by name in definition order.
    exports: IndexMap<String, ItemDef>,
}

/// The flattener's state across frames: the plan being built.
struct Inliner<'p, 'a> {
    /// Every component definition with the validator's types.
    parsed: &'p Parsed<'a>,
    /// The plan so far: initializers, trampolines, resources, imports and types are
    /// appended in the order the abstract instantiation meets them.
    plan: Plan,
    /// The runtime resource of every host resource met so far, by host path, so that
    /// every frame that reaches it by the same path gets the same one.
    host_resources: HashMap<HostRef, ResourceIdx>,
    /// How many frames are running (nested instantiations), to bound the recursion.
    depth: u32,
    /// The bounds on instances, nesting and the plan's size.
    limits: Limits,
}

/// Flattens a parsed component into a plan.
pub fn inline(parsed: &Parsed<'_>, limits: &Limits) -> Result<Plan> {
    let modules = parsed
        .modules
        .iter()
        .map(|m| crate::plan::Module {
            bytes: m.bytes.to_vec(),
            throws: m.has_tags,
            memory64: m.memory64,
            multi_memory: m.multi_memory,
            cancels_in_set: m.cancels_in_set(),
        })
        .collect();
    flatten(parsed, limits, modules, parsed.root(), None)
}

/// Flattens component definition `component` (defined in the scope `closure`) as a
/// root: its imports are the host's.
fn flatten(
    parsed: &Parsed<'_>,
    limits: &Limits,
    modules: Vec<crate::plan::Module>,
    component: usize,
    closure: Option<Rc<Closure>>,
) -> Result<Plan> {
    let mut inliner = Inliner {
        parsed,
        plan: Plan {
            modules,
            ..Plan::default()
        },
        host_resources: HashMap::new(),
        depth: 0,
        limits: *limits,
    };
    let root = inliner.run(component, closure, HashMap::new())?;
    let mut exports = Vec::new();
    for (name, item) in root.exports.iter() {
        let Some(ty) = inliner.types(&root).component_item_for_export(name) else {
            bug!("no type for export `{name}`");
        };
        if let Some(e) = inliner.export_item(&root, name, item, ty.ty)? {
            exports.push((name.clone(), e));
        }
    }
    inliner.plan.exports = exports;
    Ok(inliner.plan)
}

impl Inliner<'_, '_> {
    /// Instantiates component definition `component` (an index into
    /// [`Parsed::components`]) in a new frame: `closure` is the scope it was defined in
    /// (`None` for the root), `args` the values its imports receive. Returns the
    /// finished frame, whose exports are the instance's.
    fn run(
        &mut self,
        component: usize,
        closure: Option<Rc<Closure>>,
        args: HashMap<String, ItemDef>,
    ) -> Result<Frame> {
        // Components cannot recurse, but a deep enough chain of nested
        // instantiations would overflow the native stack.
        self.depth += 1;
        self.limits.check_nesting(self.depth)?;
        // Numbered as instantiations start: the root is 0.
        let instance = ComponentInstanceIdx(self.plan.component_instances);
        self.plan.component_instances += 1;
        self.check_instances()?;
        let mut frame = Frame {
            component,
            instance,
            closure,
            args,
            core_funcs: Vec::new(),
            core_memories: Vec::new(),
            core_tables: Vec::new(),
            core_globals: Vec::new(),
            core_tags: Vec::new(),
            core_modules: Vec::new(),
            core_instances: Vec::new(),
            funcs: Vec::new(),
            instances: Vec::new(),
            components: Vec::new(),
            types: Vec::new(),
            resources: HashMap::new(),
            exports: IndexMap::new(),
        };
        let parsed = self.parsed;
        for item in &parsed.components[component].items {
            self.item(&mut frame, item)?;
        }
        self.depth -= 1;
        Ok(frame)
    }

    /// The validator's types for the component `frame` runs. The result borrows the
    /// parsed input, not `self`, so the plan can be extended while it is held.
    fn types<'t>(&self, frame: &Frame) -> &'t Types
    where
        Self: 't,
    {
        let parsed: &'t Parsed<'_> = self.parsed;
        &parsed.components[frame.component].types
    }

    /// Runs one definition of the component: extends the frame's index spaces and
    /// the plan as instantiating it would.
    fn item(&mut self, frame: &mut Frame, item: &Item<'_>) -> Result<()> {
        match item {
            Item::CoreModule(i) => frame
                .core_modules
                .push(ModuleDef::Static(ModuleIdx(*i as u32))),
            Item::Component(i) => {
                // Nothing runs until an `instantiate`. The scope is captured now: the
                // outer aliases in the component see only the definitions before it.
                let closure = Rc::new(Closure::capture(frame));
                frame
                    .components
                    .push(ComponentDef::Static { index: *i, closure });
            }
            Item::Type(TypeItem::Resource { dtor, wide }) => {
                self.define_resource(frame, *dtor, *wide)?;
            }
            Item::Type(TypeItem::Other) => frame.types.push(TypeVal::Other),
            Item::Import(imp) => self.import(frame, imp.name.name, imp.ty)?,
            Item::Export(exp) => self.export(frame, exp)?,
            Item::Canon(c) => self.canon(frame, c)?,
            Item::CoreInstance(i) => self.core_instance(frame, i)?,
            Item::Instance(i) => self.instance(frame, i)?,
            Item::Alias(a) => self.alias(frame, a)?,
        }
        Ok(())
    }

    /// `(type (resource (rep …) (dtor …)?))`: a new runtime resource type, owned by this
    /// component instance (its handles live in this instance's table). It is named
    /// `resource<N>` until an export names it.
    fn define_resource(&mut self, frame: &mut Frame, dtor: Option<u32>, wide: bool) -> Result<()> {
        let types = self.types(frame);
        let ComponentAnyTypeId::Resource(id) =
            types.component_any_type_at(frame.types.len() as u32)
        else {
            bug!("resource definition without a resource type");
        };
        let idx = ResourceIdx(self.plan.resources.len() as u32);
        self.plan.resources.push(Resource::Defined {
            instance: frame.instance,
            dtor: dtor.map(|f| frame.core_funcs[f as usize].clone()),
            name: format!("resource{}", idx.0),
            wide,
        });
        frame.resources.insert(id.resource(), idx);
        frame.types.push(TypeVal::Resource(idx));
        self.check_plan_size()
    }

    /// An export: the exported item joins the frame's exports (what the parent, or
    /// for the root the host, sees) and, like an alias, its own sort's index space.
    fn export(&mut self, frame: &mut Frame, exp: &ComponentExport<'_>) -> Result<()> {
        let value = self.lookup_sort(frame, exp.kind, exp.index)?;
        // An export also defines a new index in its sort.
        self.push_item(frame, value.clone())?;
        // Bind the validator's id for the new type index too, as wherever a resource
        // type enters an index space.
        if let ItemDef::Type(TypeVal::Resource(r)) = value {
            let types = self.types(frame);
            if let ComponentAnyTypeId::Resource(id) =
                types.component_any_type_at(frame.types.len() as u32 - 1)
            {
                frame.resources.insert(id.resource(), r);
            }
        }
        frame.exports.insert(exp.name.name.to_string(), value);
        Ok(())
    }

    /// An import. The root's imports are the host's: functions, instances and resource
    /// types become [`Plan::imports`] and [`HostRef`]s; modules and components keep
    /// their name. A nested component's import receives the argument of the same
    /// name. Either way the resources in the import's type are then bound to the value.
    fn import(&mut self, frame: &mut Frame, name: &str, ty: ComponentTypeRef) -> Result<()> {
        let types = self.types(frame);
        let value = if frame.instance.0 == 0 {
            // Root (of the whole component, or of an exported component definition):
            // a host import.
            let kind = match ty {
                ComponentTypeRef::Func(_) => {
                    let fty = self
                        .func_type(frame, types.component_function_at(frame.funcs.len() as u32))?;
                    ImportKind::Func(fty)
                }
                ComponentTypeRef::Instance(_) => ImportKind::Instance,
                // A type equal to another needs nothing from the host. It stays
                // `Other` even when it equals a resource type: within the root that
                // is harmless (the validator gives it the resource's id, bound by the
                // import of the type it equals), but a nested component it is passed
                // to cannot resolve it (`UNTRACKED_RESOURCE`).
                ComponentTypeRef::Type(wasmparser::TypeBounds::Eq(_)) => {
                    return self.push_item(frame, ItemDef::Type(TypeVal::Other));
                }
                // The other bound, `(sub resource)`: a host resource type.
                ComponentTypeRef::Type(_) => ImportKind::Type,
                // The host's module or component, instantiated at run time.
                ComponentTypeRef::Module(_) => ImportKind::Module,
                ComponentTypeRef::Component(_) => ImportKind::Component,
                ComponentTypeRef::Value(_) => {
                    bail!("unsupported: value import `{name}` (the 🪙 value feature)")
                }
            };
            let import = ImportIdx(self.plan.imports.len() as u32);
            self.plan.imports.push(Import {
                name: name.to_string(),
                kind,
            });
            let host = HostRef {
                import,
                path: Vec::new(),
            };
            match ty {
                ComponentTypeRef::Func(_) => ItemDef::Func(FuncDef::Host(host)),
                ComponentTypeRef::Instance(_) => ItemDef::Instance(InstanceDef::Host(host)),
                ComponentTypeRef::Module(_) => ItemDef::Module(ModuleDef::Host(host)),
                ComponentTypeRef::Component(_) => ItemDef::Component(ComponentDef::Host(host)),
                _ => ItemDef::Type(TypeVal::Resource(self.host_resource(host))),
            }
        } else {
            let Some(arg) = frame.args.get(name) else {
                bug!("missing instantiation argument `{name}`");
            };
            arg.clone()
        };
        let Some(item) = types.component_item_for_import(name) else {
            bug!("no type for import `{name}`");
        };
        self.register(frame, item.ty, &value)?;
        self.push_item(frame, value)
    }

    /// The runtime resource type of the host resource at `host`, made on first use.
    ///
    /// Host resources are identified by path, so one that the host's types reach by
    /// two paths (an instance import type that exports a type `eq` to another
    /// import's resource, as WIT's `use` produces) gets two runtime resources;
    /// [`Frame::resources`] then holds the one bound last.
    fn host_resource(&mut self, host: HostRef) -> ResourceIdx {
        if let Some(r) = self.host_resources.get(&host) {
            return *r;
        }
        let idx = ResourceIdx(self.plan.resources.len() as u32);
        self.plan
            .resources
            .push(Resource::Host { host: host.clone() });
        self.host_resources.insert(host, idx);
        idx
    }

    /// Binds every resource type that `ty` exposes by name (a type, or a type export
    /// of an instance, at any depth) to the runtime resource found at the same place
    /// in `value`, in [`Frame::resources`]. Called where items enter a frame with a
    /// type that can carry resources: imports and new instances.
    fn register(
        &mut self,
        frame: &mut Frame,
        ty: ComponentEntityType,
        value: &ItemDef,
    ) -> Result<()> {
        let types = self.types(frame);
        match ty {
            ComponentEntityType::Type {
                referenced,
                created,
            } => {
                let resource = match value {
                    ItemDef::Type(TypeVal::Resource(r)) => Some(*r),
                    _ => None,
                };
                // `created` is the id of the new type index, `referenced` the type it
                // stands for; bind both.
                for id in [referenced, created] {
                    if let (ComponentAnyTypeId::Resource(rid), Some(r)) = (id, resource) {
                        frame.resources.insert(rid.resource(), r);
                    }
                }
            }
            ComponentEntityType::Instance(id) => {
                // Collected first: `instance_export` needs `self` mutably.
                let exports: Vec<_> = types[id]
                    .exports
                    .iter()
                    .map(|(n, i)| (n.to_string(), i.ty))
                    .collect();
                for (name, ety) in exports {
                    let sub = self.instance_export(value, &name, ety)?;
                    self.register(frame, ety, &sub)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The item exported as `name`, of type `ty`, by an instance value: the bag's
    /// entry, or for a host instance the host item one step further along the path.
    fn instance_export(
        &mut self,
        value: &ItemDef,
        name: &str,
        ty: ComponentEntityType,
    ) -> Result<ItemDef> {
        match value {
            ItemDef::Instance(InstanceDef::Bag(bag)) => match bag.get(name) {
                Some(item) => Ok(item.clone()),
                None => bug!("instance has no export `{name}`"),
            },
            ItemDef::Instance(InstanceDef::Host(h)) => {
                let mut host = h.clone();
                host.path.push(name.to_string());
                Ok(match ty {
                    ComponentEntityType::Func(_) => ItemDef::Func(FuncDef::Host(host)),
                    ComponentEntityType::Instance(_) => ItemDef::Instance(InstanceDef::Host(host)),
                    ComponentEntityType::Type { referenced, .. } => {
                        if matches!(referenced, ComponentAnyTypeId::Resource(_)) {
                            ItemDef::Type(TypeVal::Resource(self.host_resource(host)))
                        } else {
                            ItemDef::Type(TypeVal::Other)
                        }
                    }
                    ComponentEntityType::Module(_) => ItemDef::Module(ModuleDef::Host(host)),
                    ComponentEntityType::Component(_) => {
                        ItemDef::Component(ComponentDef::Host(host))
                    }
                    ComponentEntityType::Value(_) => bail!("unsupported: value exports"),
                })
            }
            _ => bug!("export `{name}` of a non-instance"),
        }
    }

    /// Appends an item to the index space of its sort.
    fn push_item(&mut self, frame: &mut Frame, value: ItemDef) -> Result<()> {
        match value {
            ItemDef::Func(f) => frame.funcs.push(f),
            ItemDef::Instance(i) => frame.instances.push(i),
            ItemDef::Type(t) => frame.types.push(t),
            ItemDef::Module(m) => frame.core_modules.push(m),
            ItemDef::Component(c) => frame.components.push(c),
        }
        Ok(())
    }

    /// The item at `index` in the index space of sort `kind`.
    fn lookup_sort(
        &self,
        frame: &Frame,
        kind: ComponentExternalKind,
        index: u32,
    ) -> Result<ItemDef> {
        let i = index as usize;
        Ok(match kind {
            ComponentExternalKind::Func => ItemDef::Func(frame.funcs[i].clone()),
            ComponentExternalKind::Instance => ItemDef::Instance(frame.instances[i].clone()),
            ComponentExternalKind::Type => ItemDef::Type(frame.types[i]),
            ComponentExternalKind::Module => ItemDef::Module(frame.core_modules[i].clone()),
            ComponentExternalKind::Component => ItemDef::Component(frame.components[i].clone()),
            ComponentExternalKind::Value => bail!("unsupported: values (the 🪙 value feature)"),
        })
    }

    /// The core item at `index` in the core index space of sort `kind`.
    fn core_def(frame: &Frame, kind: ExternalKind, index: u32) -> CoreDef {
        let i = index as usize;
        match kind {
            ExternalKind::Func | ExternalKind::FuncExact => frame.core_funcs[i].clone(),
            ExternalKind::Memory => frame.core_memories[i].clone(),
            ExternalKind::Table => frame.core_tables[i].clone(),
            ExternalKind::Global => frame.core_globals[i].clone(),
            ExternalKind::Tag => frame.core_tags[i].clone(),
        }
    }

    /// Appends a core item to the core index space of sort `kind`.
    fn push_core(frame: &mut Frame, kind: ExternalKind, def: CoreDef) {
        match kind {
            ExternalKind::Func | ExternalKind::FuncExact => frame.core_funcs.push(def),
            ExternalKind::Memory => frame.core_memories.push(def),
            ExternalKind::Table => frame.core_tables.push(def),
            ExternalKind::Global => frame.core_globals.push(def),
            ExternalKind::Tag => frame.core_tags.push(def),
        }
    }

    /// The core item a core instance exports as `name`: for a runtime instance, its
    /// export by that name (read when the instance exists); for a bag, the entry.
    fn core_export(inst: &CoreInstanceDef, name: &str) -> Result<CoreDef> {
        match inst {
            CoreInstanceDef::Runtime(instance) => Ok(CoreDef::Export {
                instance: *instance,
                name: name.to_string(),
            }),
            CoreInstanceDef::Bag(bag) => match bag.get(name) {
                Some(def) => Ok(def.clone()),
                None => bug!("core instance has no export `{name}`"),
            },
        }
    }

    /// A core instance definition. `instantiate` of a static module is a real
    /// instantiation: it appends an [`Initializer`] whose import object gives each of
    /// the module's imports the item the named argument instance exports. A bag of
    /// core exports only gathers items under names.
    fn core_instance(&mut self, frame: &mut Frame, inst: &Instance<'_>) -> Result<()> {
        match inst {
            Instance::Instantiate { module_index, args } => {
                let types = self.types(frame);
                let mty = &types[types.module_at(*module_index)];
                let module = match &frame.core_modules[*module_index as usize] {
                    ModuleDef::Static(m) => ModuleRef::Static(*m),
                    ModuleDef::Host(host) => ModuleRef::Host {
                        host: host.clone(),
                        exports: mty
                            .exports
                            .iter()
                            .map(|(n, t)| (n.clone(), extern_kind(t)))
                            .collect(),
                    },
                };
                // One entry per import of the module (in the module's order), not per
                // argument: arguments may export more than the module imports.
                let mut imports = Vec::new();
                for (module_name, field) in mty.imports.keys() {
                    let Some(arg) = args.iter().find(|a| a.name == module_name) else {
                        bug!("missing module argument `{module_name}`");
                    };
                    let inst = &frame.core_instances[arg.index as usize];
                    let def = Self::core_export(inst, field)?;
                    imports.push((module_name.clone(), field.clone(), def));
                }
                let instance = CoreInstanceIdx(self.plan.core_instances);
                self.plan.core_instances += 1;
                self.check_instances()?;
                self.check_plan_size()?;
                self.plan.initializers.push(Initializer::Instantiate {
                    instance,
                    module,
                    imports,
                });
                frame
                    .core_instances
                    .push(CoreInstanceDef::Runtime(instance));
            }
            Instance::FromExports(exports) => {
                let mut bag = IndexMap::new();
                for e in exports.iter() {
                    bag.insert(e.name.to_string(), Self::core_def(frame, e.kind, e.index));
                }
                frame
                    .core_instances
                    .push(CoreInstanceDef::Bag(Rc::new(bag)));
            }
        }
        Ok(())
    }

    /// A component instance definition: `instantiate` runs the component in a new frame
    /// with the arguments looked up here, and yields the bag of its exports; a bag of
    /// exports gathers items under names.
    fn instance(&mut self, frame: &mut Frame, inst: &ComponentInstance<'_>) -> Result<()> {
        let value = match inst {
            ComponentInstance::Instantiate {
                component_index,
                args,
            } => {
                let (index, closure) = match &frame.components[*component_index as usize] {
                    ComponentDef::Static { index, closure } => (*index, closure.clone()),
                    ComponentDef::Host(h) => {
                        let h = h.clone();
                        let host = self.instantiate_host_component(frame, &h, args)?;
                        return self.push_instance(frame, InstanceDef::Host(host));
                    }
                };
                let mut map = HashMap::new();
                for a in args.iter() {
                    map.insert(
                        a.name.to_string(),
                        self.lookup_sort(frame, a.kind, a.index)?,
                    );
                }
                let child = self.run(index, Some(closure), map)?;
                InstanceDef::Bag(Rc::new(child.exports))
            }
            ComponentInstance::FromExports(exports) => {
                let mut bag = IndexMap::new();
                for e in exports.iter() {
                    bag.insert(
                        e.name.name.to_string(),
                        self.lookup_sort(frame, e.kind, e.index)?,
                    );
                }
                InstanceDef::Bag(Rc::new(bag))
            }
        };
        self.push_instance(frame, value)
    }

    /// Appends a new component instance to the frame's index space.
    fn push_instance(&mut self, frame: &mut Frame, value: InstanceDef) -> Result<()> {
        // The validator gave this instance's resource types fresh ids (resources are
        // generative); bind them to the runtime resources the run created.
        let types = self.types(frame);
        let id = types.component_instance_at(frame.instances.len() as u32);
        let value = ItemDef::Instance(value);
        self.register(frame, ComponentEntityType::Instance(id), &value)?;
        self.push_item(frame, value)
    }

    /// An instance of the component the host gives as `component`, made at run time
    /// (an [`Initializer::InstantiateComponent`]) with `args` as JS values: a new
    /// instance the plan reaches as a host instance.
    fn instantiate_host_component(
        &mut self,
        frame: &Frame,
        component: &HostRef,
        args: &[wasmparser::ComponentInstantiationArg<'_>],
    ) -> Result<HostRef> {
        let mut values = Vec::new();
        for a in args {
            let item = self.lookup_sort(frame, a.kind, a.index)?;
            let ty = self.entity_type(frame, a.kind, a.index)?;
            if let Some(e) = self.export_item(frame, a.name, &item, ty)? {
                let is_instance = matches!(a.kind, ComponentExternalKind::Instance);
                values.push((a.name.to_string(), e, is_instance));
            }
        }
        let n = self
            .plan
            .initializers
            .iter()
            .filter(|i| matches!(i, Initializer::InstantiateComponent { .. }))
            .count();
        let instance = ImportIdx(self.plan.imports.len() as u32);
        self.plan.imports.push(Import {
            name: format!("{}#instance{n}", self.plan.host_label(component)),
            kind: ImportKind::Instantiated,
        });
        self.plan
            .initializers
            .push(Initializer::InstantiateComponent {
                instance,
                component: component.clone(),
                args: values,
            });
        Ok(HostRef {
            import: instance,
            path: Vec::new(),
        })
    }

    /// The validator's type of item `index` of sort `kind` in the frame.
    fn entity_type(
        &self,
        frame: &Frame,
        kind: ComponentExternalKind,
        index: u32,
    ) -> Result<ComponentEntityType> {
        let types = self.types(frame);
        Ok(match kind {
            ComponentExternalKind::Func => {
                ComponentEntityType::Func(types.component_function_at(index))
            }
            ComponentExternalKind::Instance => {
                ComponentEntityType::Instance(types.component_instance_at(index))
            }
            ComponentExternalKind::Component => {
                ComponentEntityType::Component(types.component_at(index))
            }
            ComponentExternalKind::Module => ComponentEntityType::Module(types.module_at(index)),
            ComponentExternalKind::Type => {
                let t = types.component_any_type_at(index);
                ComponentEntityType::Type {
                    referenced: t,
                    created: t,
                }
            }
            ComponentExternalKind::Value => bail!("unsupported: values (the 🪙 value feature)"),
        })
    }

    /// An alias: an export of a component instance or of a core instance, or an item of
    /// an enclosing component (`outer`), appended to the index space of its sort.
    fn alias(&mut self, frame: &mut Frame, alias: &ComponentAlias<'_>) -> Result<()> {
        match alias {
            ComponentAlias::InstanceExport {
                kind,
                instance_index,
                name,
            } => {
                let inst = ItemDef::Instance(frame.instances[*instance_index as usize].clone());
                let types = self.types(frame);
                let ity = &types[types.component_instance_at(*instance_index)];
                let Some(export) = ity.exports.get(*name) else {
                    bug!("no export `{name}`");
                };
                let ety = export.ty;
                let mut value = self.instance_export(&inst, name, ety)?;
                if *kind == ComponentExternalKind::Type {
                    // A resource type takes the runtime resource the frame has bound to
                    // its id, as the handle types naming it do. The bag entry or host
                    // path can differ: a host resource reached by two paths
                    // (`host_resource`).
                    if let ComponentAnyTypeId::Resource(rid) =
                        types.component_any_type_at(frame.types.len() as u32)
                        && let Some(r) = frame.resources.get(&rid.resource())
                    {
                        value = ItemDef::Type(TypeVal::Resource(*r));
                    }
                }
                self.push_item(frame, value)
            }
            ComponentAlias::CoreInstanceExport {
                kind,
                instance_index,
                name,
            } => {
                let def = Self::core_export(&frame.core_instances[*instance_index as usize], name)?;
                Self::push_core(frame, *kind, def);
                Ok(())
            }
            // `count` counts enclosing components outward (a de Bruijn index): 0 is
            // this component, 1 the one it was defined in, and so on. Core types are
            // not tracked, so aliasing one adds nothing.
            ComponentAlias::Outer { kind, count, index } => {
                let i = *index as usize;
                if *count == 0 {
                    match kind {
                        ComponentOuterAliasKind::CoreModule => {
                            frame.core_modules.push(frame.core_modules[i].clone());
                        }
                        ComponentOuterAliasKind::Component => {
                            frame.components.push(frame.components[i].clone());
                        }
                        ComponentOuterAliasKind::Type => frame.types.push(frame.types[i]),
                        ComponentOuterAliasKind::CoreType => {}
                    }
                    return Ok(());
                }
                // The closure is the defining component's scope, whichever frame runs
                // this one; each further level is one `outer` step.
                let mut closure = frame.closure.clone();
                for _ in 1..*count {
                    closure = closure.and_then(|c| c.outer.clone());
                }
                let closure = closure.or_bug("outer alias past the root")?;
                match kind {
                    ComponentOuterAliasKind::CoreModule => {
                        frame.core_modules.push(closure.modules[i].clone());
                    }
                    ComponentOuterAliasKind::Component => {
                        frame.components.push(closure.components[i].clone());
                    }
                    // The validator rejects outer aliases of types that refer to a
                    // resource type across a component boundary, so this is never a
                    // resource the frame would need to bind.
                    ComponentOuterAliasKind::Type => {
                        frame
                            .types
                            .push(closure.types.get(i).copied().unwrap_or(TypeVal::Other));
                    }
                    ComponentOuterAliasKind::CoreType => {}
                }
                Ok(())
            }
        }
    }

    /// Resolves canonical options against the frame's core index spaces; they belong to
    /// this component instance (its memory, its handle table).
    fn options(&self, frame: &Frame, opts: &[CanonicalOption]) -> Result<CanonOptions> {
        let mut o = CanonOptions {
            instance: frame.instance,
            ..CanonOptions::default()
        };
        for opt in opts {
            match opt {
                CanonicalOption::UTF8 => o.encoding = StringEncoding::Utf8,
                CanonicalOption::UTF16 => o.encoding = StringEncoding::Utf16,
                CanonicalOption::CompactUTF16 => o.encoding = StringEncoding::CompactUtf16,
                CanonicalOption::Memory(m) => {
                    o.memory = Some(frame.core_memories[*m as usize].clone());
                    o.addr = self.memory_addr(frame, *m);
                }
                CanonicalOption::Realloc(f) => {
                    o.realloc = Some(frame.core_funcs[*f as usize].clone());
                }
                CanonicalOption::PostReturn(f) => {
                    o.post_return = Some(frame.core_funcs[*f as usize].clone());
                }
                CanonicalOption::Async => o.is_async = true,
                CanonicalOption::Callback(f) => {
                    o.callback = Some(frame.core_funcs[*f as usize].clone());
                }
                CanonicalOption::CoreType(_) | CanonicalOption::Gc => {
                    bail!(
                        "unsupported: the GC ABI option (`gc`, `core-type`): the Component \
                         Model specification weft follows (wasm-tools 1.263) defines no lifting \
                         or lowering for it yet (component-model#525)"
                    )
                }
            }
        }
        Ok(o)
    }

    /// The address type of core memory `m` of the frame (🐘 64-bit memories).
    fn memory_addr(&self, frame: &Frame, m: u32) -> Addr {
        if self.types(frame).as_ref().memory_at(m).memory64 {
            Addr::I64
        } else {
            Addr::I32
        }
    }

    /// A canonical function definition. `lift` makes a component function of core code
    /// (no trampoline: it is called through an export or an adapter). Everything else
    /// makes a core function, which core code imports as a [`Trampoline`]: `lower`,
    /// the resource built-ins and the concurrency built-ins, all bound to this
    /// component instance.
    fn canon(&mut self, frame: &mut Frame, c: &CanonicalFunction) -> Result<()> {
        let types = self.types(frame);
        match c {
            CanonicalFunction::Lift {
                core_func_index,
                type_index,
                options,
            } => {
                let ComponentAnyTypeId::Func(fid) = types.component_any_type_at(*type_index) else {
                    bug!("lift with a non-function type");
                };
                let ty = self.func_type(frame, fid)?;
                let options = self.options(frame, options)?;
                frame.funcs.push(FuncDef::Lifted(Lifted {
                    func: frame.core_funcs[*core_func_index as usize].clone(),
                    ty,
                    options,
                }));
            }
            CanonicalFunction::Lower {
                func_index,
                options,
            } => {
                let ty = self.func_type(frame, types.component_function_at(*func_index))?;
                let options = self.options(frame, options)?;
                // A host function is called through JS; a function another (or the
                // same) component instance lifted is called through a fused adapter
                // that copies between the two instances' memories.
                let t = match &frame.funcs[*func_index as usize] {
                    FuncDef::Host(h) => Trampoline::LowerHost {
                        callee: h.clone(),
                        ty,
                        options,
                    },
                    FuncDef::Lifted(l) => Trampoline::Adapter {
                        callee: l.clone(),
                        options,
                    },
                };
                let t = self.trampoline(t)?;
                frame.core_funcs.push(t);
            }
            CanonicalFunction::ResourceNew { resource }
            | CanonicalFunction::ResourceRep { resource }
            | CanonicalFunction::ResourceDrop { resource } => {
                // Only `resource.drop` can reach the error: the validator requires a
                // resource defined by this component for `new` and `rep`.
                let TypeVal::Resource(r) = self.resource_at(frame, *resource)? else {
                    bail!(
                        "unsupported: `{}` of type index {resource} in component instance {} \
                         {UNTRACKED_RESOURCE}",
                        builtin_name(c),
                        frame.instance.0
                    );
                };
                let instance = frame.instance;
                let t = match c {
                    CanonicalFunction::ResourceNew { .. } => Trampoline::ResourceNew {
                        resource: r,
                        instance,
                    },
                    CanonicalFunction::ResourceRep { .. } => Trampoline::ResourceRep {
                        resource: r,
                        instance,
                    },
                    _ => Trampoline::ResourceDrop {
                        resource: r,
                        instance,
                    },
                };
                let t = self.trampoline(t)?;
                frame.core_funcs.push(t);
            }
            other => {
                let builtin = self.builtin(frame, other)?;
                let t = self.trampoline(Trampoline::Builtin {
                    builtin,
                    instance: frame.instance,
                })?;
                frame.core_funcs.push(t);
            }
        }
        Ok(())
    }

    /// The [`Builtin`] a canonical function other than `lift`, `lower` and the resource
    /// built-ins stands for: the async (🔀) task, waitable, stream and future built-ins
    /// the error-context ones and the 🧵 cooperative-thread ones. The shared-everything
    /// thread built-ins (`thread.spawn-*`, `thread.available-parallelism`) are
    /// unsupported, by name.
    fn builtin(&mut self, frame: &Frame, c: &CanonicalFunction) -> Result<Builtin> {
        use CanonicalFunction as C;
        if let Some(builtin) = self.stream_or_future_builtin(frame, c)? {
            return Ok(builtin);
        }
        let memory = |m: &u32| frame.core_memories[*m as usize].clone();
        let addr_of = |t: &wasmparser::ValType| match t {
            wasmparser::ValType::I64 => Addr::I64,
            _ => Addr::I32,
        };
        Ok(match c {
            C::ContextGet { ty: t, slot } => Builtin::ContextGet(addr_of(t), *slot),
            C::ContextSet { ty: t, slot } => Builtin::ContextSet(addr_of(t), *slot),
            C::BackpressureInc => Builtin::BackpressureInc,
            C::BackpressureDec => Builtin::BackpressureDec,
            C::TaskReturn { result, options } => Builtin::TaskReturn {
                result: self.task_return_type(frame, *result)?,
                options: self.options(frame, options)?,
            },
            C::TaskCancel => Builtin::TaskCancel,
            C::ThreadYield => Builtin::ThreadYield,
            C::ThreadIndex => Builtin::ThreadIndex,
            // The validator allows only `(func (param i32))` start functions, or (🐘)
            // `(func (param i64))`, and a `funcref` table, 32- or (🐘) 64-bit.
            C::ThreadNewIndirect {
                table_index,
                func_ty_index,
            } => {
                let types = self.types(frame).as_ref();
                let closure = match types.core_type_at_in_component(*func_ty_index) {
                    wasmparser::component_types::ComponentCoreTypeId::Sub(id) => {
                        match &types[id].composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => f.params().first().copied(),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                Builtin::ThreadNewIndirect {
                    table: frame.core_tables[*table_index as usize].clone(),
                    closure: closure.as_ref().map_or(Addr::I32, addr_of),
                }
            }
            C::ThreadResumeLater => Builtin::ThreadResumeLater,
            C::ThreadSuspend => Builtin::ThreadSuspend,
            C::ThreadSuspendThenResume
            | C::ThreadYieldThenResume
            | C::ThreadSuspendThenPromote
            | C::ThreadYieldThenPromote => Builtin::ThreadSwitch {
                yield_: matches!(c, C::ThreadYieldThenResume | C::ThreadYieldThenPromote),
                promote: matches!(c, C::ThreadSuspendThenPromote | C::ThreadYieldThenPromote),
            },
            C::WaitableSetNew => Builtin::WaitableSetNew,
            C::WaitableSetWait { memory: m } => Builtin::WaitableSetWait {
                memory: memory(m),
                addr: self.memory_addr(frame, *m),
            },
            C::WaitableSetPoll { memory: m } => Builtin::WaitableSetPoll {
                memory: memory(m),
                addr: self.memory_addr(frame, *m),
            },
            C::WaitableSetDrop => Builtin::WaitableSetDrop,
            C::WaitableJoin => Builtin::WaitableJoin,
            C::SubtaskCancel { async_ } => Builtin::SubtaskCancel { is_async: *async_ },
            C::SubtaskDrop => Builtin::SubtaskDrop,
            C::ErrorContextNew { options } => Builtin::ErrorContextNew {
                options: self.options(frame, options)?,
            },
            C::ErrorContextDebugMessage { options } => Builtin::ErrorContextDebugMessage {
                options: self.options(frame, options)?,
            },
            C::ErrorContextDrop => Builtin::ErrorContextDrop,
            other => bail!(
                "unsupported: canonical built-in `{}` (🧵🧶 shared-everything threads)",
                builtin_name(other)
            ),
        })
    }

    /// The result type `task.return` delivers.
    fn task_return_type(
        &mut self,
        frame: &Frame,
        result: Option<wasmparser::ComponentValType>,
    ) -> Result<Option<ValType>> {
        Ok(match result {
            Some(wasmparser::ComponentValType::Primitive(p)) => {
                Some(self.val_type(frame, ComponentValType::Primitive(p))?)
            }
            Some(wasmparser::ComponentValType::Type(i)) => {
                let d = self.types(frame).component_defined_type_at(i);
                Some(self.val_type(frame, ComponentValType::Type(d))?)
            }
            None => None,
        })
    }

    /// Converts a `stream.*` or `future.*` built-in; `None` for any other canonical
    /// function.
    fn stream_or_future_builtin(
        &mut self,
        frame: &Frame,
        c: &CanonicalFunction,
    ) -> Result<Option<Builtin>> {
        use AsyncKind::{Future, Stream};
        use CanonicalFunction as C;
        // Every one of them names its `stream<T>`/`future<T>` type: first which kind
        // and which type, then which operation.
        let (kind, index) = match c {
            C::StreamNew { ty }
            | C::StreamRead { ty, .. }
            | C::StreamWrite { ty, .. }
            | C::StreamCancelRead { ty, .. }
            | C::StreamCancelWrite { ty, .. }
            | C::StreamDropReadable { ty }
            | C::StreamDropWritable { ty }
            | C::StreamForward { ty } => (Stream, *ty),
            C::FutureNew { ty }
            | C::FutureRead { ty, .. }
            | C::FutureWrite { ty, .. }
            | C::FutureCancelRead { ty, .. }
            | C::FutureCancelWrite { ty, .. }
            | C::FutureDropReadable { ty }
            | C::FutureDropWritable { ty }
            | C::FutureForward { ty } => (Future, *ty),
            _ => return Ok(None),
        };
        let ty = self.stream_or_future_type(frame, index)?;
        Ok(Some(match c {
            C::StreamNew { .. } | C::FutureNew { .. } => Builtin::New { kind, ty },
            C::StreamRead { options, .. } | C::FutureRead { options, .. } => Builtin::Copy {
                kind,
                ty,
                write: false,
                options: self.options(frame, options)?,
            },
            C::StreamWrite { options, .. } | C::FutureWrite { options, .. } => Builtin::Copy {
                kind,
                ty,
                write: true,
                options: self.options(frame, options)?,
            },
            C::StreamCancelRead { async_, .. } | C::FutureCancelRead { async_, .. } => {
                Builtin::CancelCopy {
                    kind,
                    ty,
                    write: false,
                    is_async: *async_,
                }
            }
            C::StreamCancelWrite { async_, .. } | C::FutureCancelWrite { async_, .. } => {
                Builtin::CancelCopy {
                    kind,
                    ty,
                    write: true,
                    is_async: *async_,
                }
            }
            C::StreamDropReadable { .. } | C::FutureDropReadable { .. } => Builtin::Drop {
                kind,
                ty,
                writable: false,
            },
            C::StreamDropWritable { .. } | C::FutureDropWritable { .. } => Builtin::Drop {
                kind,
                ty,
                writable: true,
            },
            C::StreamForward { .. } | C::FutureForward { .. } => Builtin::Forward { kind, ty },
            other => bug!(
                "`{}` is not a stream or future built-in",
                builtin_name(other)
            ),
        }))
    }

    /// The `stream<T>` or `future<T>` type at `index`, which a stream or future
    /// built-in names.
    fn stream_or_future_type(&mut self, frame: &Frame, index: u32) -> Result<TypeId> {
        let types = self.types(frame);
        let ComponentAnyTypeId::Defined(d) = types.component_any_type_at(index) else {
            bug!("stream/future built-in on a non-defined type");
        };
        match self.val_type(frame, ComponentValType::Type(d))? {
            ValType::Defined(id) => Ok(id),
            _ => bug!("stream/future built-in on a primitive type"),
        }
    }

    /// The type at `index` as a resource built-in sees it: the runtime resource the
    /// frame bound to the validator's id for that index, else the index space's entry.
    fn resource_at(&self, frame: &Frame, index: u32) -> Result<TypeVal> {
        let types = self.types(frame);
        if let ComponentAnyTypeId::Resource(rid) = types.component_any_type_at(index)
            && let Some(r) = frame.resources.get(&rid.resource())
        {
            return Ok(TypeVal::Resource(*r));
        }
        Ok(frame.types[index as usize])
    }

    /// Adds a trampoline to the plan: the core function core code imports for it.
    fn trampoline(&mut self, t: Trampoline) -> Result<CoreDef> {
        let idx = TrampolineIdx(self.plan.trampolines.len() as u32);
        self.plan.trampolines.push(t);
        self.check_plan_size()?;
        Ok(CoreDef::Trampoline(idx))
    }

    /// [`Limits::check_instances`] on the instances made so far.
    fn check_instances(&self) -> Result<()> {
        self.limits.check_instances(
            u64::from(self.plan.component_instances) + u64::from(self.plan.core_instances),
        )
    }

    /// [`Limits::check_plan_items`] on the plan so far.
    fn check_plan_size(&self) -> Result<()> {
        self.limits.check_plan_items(
            self.plan.core_instances as usize
                + self.plan.trampolines.len()
                + self.plan.resources.len(),
        )
    }

    /// Interns a component function type. Handle types name runtime resources through
    /// the frame's bindings, so the same validator type can intern differently in two
    /// instantiations of a component.
    fn func_type(
        &mut self,
        frame: &Frame,
        id: wasmparser::component_types::ComponentFuncTypeId,
    ) -> Result<FuncTypeId> {
        let types = self.types(frame);
        let fty = &types[id];
        let mut params = Vec::new();
        for (name, t) in fty.params.iter() {
            params.push((name.to_string(), self.val_type(frame, *t)?));
        }
        let result = match fty.result {
            Some(t) => Some(self.val_type(frame, t)?),
            None => None,
        };
        Ok(self.plan.types.intern_func(FuncType {
            params,
            result,
            is_async: fty.async_,
        }))
    }

    /// The runtime resource a handle type (`own`/`borrow`) names: the frame's binding
    /// of the validator's id. Missing for a valid component in one known case
    /// ([`UNTRACKED_RESOURCE`]), so an ordinary error, not a bug.
    fn resource(&self, frame: &Frame, rid: ResourceId) -> Result<ResourceIdx> {
        match frame.resources.get(&rid) {
            Some(r) => Ok(*r),
            None => bail!(
                "unsupported: a handle type (`own` or `borrow`) in component instance {} \
                 {UNTRACKED_RESOURCE}",
                frame.instance.0
            ),
        }
    }

    /// Converts a component value type to the plan's, interning every defined type
    /// (and, for a map, the tuple type it lowers through) in [`Plan::types`].
    fn val_type(&mut self, frame: &Frame, ty: ComponentValType) -> Result<ValType> {
        let id = match ty {
            ComponentValType::Primitive(p) => return Ok(primitive(p)),
            ComponentValType::Type(id) => id,
        };
        let types = self.types(frame);
        let opt = |s: &mut Self, t: Option<ComponentValType>| -> Result<Option<ValType>> {
            t.map(|t| s.val_type(frame, t)).transpose()
        };
        let def = match types[id].clone() {
            ComponentDefinedType::Primitive(p) => return Ok(primitive(p)),
            ComponentDefinedType::Record(r) => {
                let mut fields = Vec::new();
                for (n, t) in &r.fields {
                    fields.push((n.to_string(), self.val_type(frame, *t)?));
                }
                TypeDef::Record(fields)
            }
            ComponentDefinedType::Variant(v) => {
                let mut cases = Vec::new();
                for (n, c) in &v.cases {
                    cases.push((n.to_string(), opt(self, c.ty)?));
                }
                TypeDef::Variant(cases)
            }
            ComponentDefinedType::List { element, .. } => {
                TypeDef::List(self.val_type(frame, element)?)
            }
            ComponentDefinedType::Map { key, value, .. } => {
                let (k, v) = (self.val_type(frame, key)?, self.val_type(frame, value)?);
                // Maps lower as lists of (key, value) tuples; make that tuple type known.
                self.plan.types.intern(TypeDef::Tuple(vec![k, v]));
                TypeDef::Map(k, v)
            }
            ComponentDefinedType::FixedLengthList {
                element, length, ..
            } => TypeDef::FixedList(self.val_type(frame, element)?, length),
            ComponentDefinedType::Tuple(t) => {
                let mut ts = Vec::new();
                for t in t.types.iter() {
                    ts.push(self.val_type(frame, *t)?);
                }
                TypeDef::Tuple(ts)
            }
            ComponentDefinedType::Flags(names) => {
                TypeDef::Flags(names.iter().map(ToString::to_string).collect())
            }
            ComponentDefinedType::Enum(names) => {
                TypeDef::Enum(names.iter().map(ToString::to_string).collect())
            }
            ComponentDefinedType::Option { ty, .. } => TypeDef::Option(self.val_type(frame, ty)?),
            ComponentDefinedType::Result { ok, err, .. } => TypeDef::Result {
                ok: opt(self, ok)?,
                err: opt(self, err)?,
            },
            ComponentDefinedType::Own(r) => TypeDef::Own(self.resource(frame, r.resource())?),
            ComponentDefinedType::Borrow(r) => TypeDef::Borrow(self.resource(frame, r.resource())?),
            ComponentDefinedType::Future { ty, .. } => TypeDef::Future(opt(self, ty)?),
            ComponentDefinedType::Stream { ty, .. } => TypeDef::Stream(opt(self, ty)?),
        };
        Ok(ValType::Defined(self.plan.types.intern(def)))
    }

    /// What the root exports as `name` (of type `ty`, in the root's types), for JS:
    /// lifted functions, host functions re-exported as imported (alone or from an
    /// imported instance), instances of those (an imported instance re-exported is the
    /// host's items again), and resource types (an exported resource defined by the
    /// component takes the export's name; the last export of it wins). `None` for any
    /// other type: nothing to export.
    fn export_item(
        &mut self,
        frame: &Frame,
        name: &str,
        item: &ItemDef,
        ty: ComponentEntityType,
    ) -> Result<Option<ExportItem>> {
        Ok(Some(match item {
            ItemDef::Func(FuncDef::Lifted(l)) => ExportItem::Func(l.clone()),
            ItemDef::Func(FuncDef::Host(h)) => {
                let ComponentEntityType::Func(f) = ty else {
                    bug!("the function export `{name}` has a type that is not a function's");
                };
                ExportItem::HostFunc(h.clone(), self.func_type(frame, f)?)
            }
            ItemDef::Instance(InstanceDef::Host(h)) => ExportItem::HostValue(h.clone()),
            ItemDef::Instance(InstanceDef::Bag(bag)) => {
                let ComponentEntityType::Instance(i) = ty else {
                    bug!("the instance export `{name}` has a type that is not an instance's");
                };
                let exports: Vec<(String, ComponentEntityType)> = self.types(frame)[i]
                    .exports
                    .iter()
                    .map(|(n, item)| (n.clone(), item.ty))
                    .collect();
                let mut items = Vec::new();
                for (n, t) in exports {
                    let Some(sub) = bag.get(&n) else {
                        bug!("instance `{name}` has no export `{n}`");
                    };
                    if let Some(e) = self.export_item(frame, &n, sub, t)? {
                        items.push((n, e));
                    }
                }
                ExportItem::Instance(items)
            }
            ItemDef::Type(TypeVal::Resource(r)) => {
                if let Resource::Defined { name: n, .. } = &mut self.plan.resources[r.0 as usize] {
                    *n = name.to_string();
                }
                ExportItem::Resource(*r)
            }
            ItemDef::Type(TypeVal::Other) => return Ok(None),
            ItemDef::Module(ModuleDef::Static(m)) => ExportItem::Module(*m),
            ItemDef::Module(ModuleDef::Host(h)) => ExportItem::HostValue(h.clone()),
            ItemDef::Component(ComponentDef::Host(h)) => ExportItem::HostValue(h.clone()),
            ItemDef::Component(ComponentDef::Static { index, closure }) => {
                let modules = self.plan.modules.clone();
                let sub = flatten(
                    self.parsed,
                    &self.limits,
                    modules,
                    *index,
                    Some(closure.clone()),
                )
                .with_context(|| format!("in the exported component `{name}`"))?;
                self.plan.components.push(sub);
                ExportItem::Component(self.plan.components.len() as u32 - 1)
            }
        }))
    }
}

/// The JS API's name of a core export's kind (`WebAssembly.Module.exports`).
fn extern_kind(t: &wasmparser::types::EntityType) -> &'static str {
    use wasmparser::types::EntityType as E;
    match t {
        E::Func(_) | E::FuncExact(_) => "function",
        E::Table(_) => "table",
        E::Memory(_) => "memory",
        E::Global(_) => "global",
        E::Tag(_) => "tag",
    }
}

/// The plan's type for a primitive value type.
fn primitive(p: PrimitiveValType) -> ValType {
    match p {
        PrimitiveValType::Bool => ValType::Bool,
        PrimitiveValType::S8 => ValType::S8,
        PrimitiveValType::U8 => ValType::U8,
        PrimitiveValType::S16 => ValType::S16,
        PrimitiveValType::U16 => ValType::U16,
        PrimitiveValType::S32 => ValType::S32,
        PrimitiveValType::U32 => ValType::U32,
        PrimitiveValType::S64 => ValType::S64,
        PrimitiveValType::U64 => ValType::U64,
        PrimitiveValType::F32 => ValType::F32,
        PrimitiveValType::F64 => ValType::F64,
        PrimitiveValType::Char => ValType::Char,
        PrimitiveValType::String => ValType::String,
        PrimitiveValType::ErrorContext => ValType::ErrorContext,
    }
}

/// A canonical function's name for messages, made from wasmparser's variant name: the
/// first word, a dot, the rest in kebab case (`StreamCancelRead` → `stream.cancel-read`,
/// close to the text format's names).
fn builtin_name(c: &CanonicalFunction) -> String {
    let dbg = format!("{c:?}");
    let head = dbg.split([' ', '{', '(']).next().unwrap_or("");
    // CamelCase → kebab with a dot after the first word (`StreamRead` → `stream.read`).
    let mut out = String::new();
    for (i, ch) in head.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push(if out.contains('.') { '-' } else { '.' });
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::error::is_bug;
    use crate::plan::ExportItem;

    fn plan(wat: &str) -> anyhow::Result<crate::Plan> {
        crate::plan(&wat::parse_str(wat).expect("test WAT parses"))
    }

    /// The root imports resource `r`, then `r2` equal to it, and passes `r2` to a
    /// nested component: valid, but the flattener does not follow `r2` (see
    /// [`super::UNTRACKED_RESOURCE`]).
    const EQ_IMPORT_PASSED_DOWN: &str = r#"
        (component
          (import "r" (type $r (sub resource)))
          (import "r2" (type $r2 (eq $r)))
          (import "f" (func $f (param "x" (own $r))))
          (component $c
            (import "t" (type $t (sub resource)))
            (import "f" (func $f (param "x" (own $t))))
            NESTED
          )
          (instance (instantiate $c (with "t" (type $r2)) (with "f" (func $f))))
        )"#;

    #[test]
    fn a_handle_to_an_untracked_resource_is_unsupported_input_not_a_bug() {
        let wat = EQ_IMPORT_PASSED_DOWN.replace("NESTED", "(core func (canon lower (func $f)))");
        let e = plan(&wat).unwrap_err();
        assert!(!is_bug(&e), "{e:#}");
        let text = e.to_string();
        assert!(
            text.starts_with(
                "unsupported: a handle type (`own` or `borrow`) in component instance 1 "
            ),
            "{text}"
        );
        assert!(text.contains("with an `eq` bound"), "{text}");
    }

    #[test]
    fn a_resource_built_in_on_an_untracked_resource_is_unsupported_input_not_a_bug() {
        let wat = EQ_IMPORT_PASSED_DOWN.replace("NESTED", "(core func (canon resource.drop $t))");
        let e = plan(&wat).unwrap_err();
        assert!(!is_bug(&e), "{e:#}");
        assert!(
            e.to_string().starts_with(
                "unsupported: `resource.drop` of type index 0 in component instance 1 "
            ),
            "{e}"
        );
    }

    #[test]
    fn an_eq_bound_resource_import_is_tracked_in_the_root() {
        let plan = plan(
            r#"(component
                 (import "r" (type $r (sub resource)))
                 (import "r2" (type $r2 (eq $r)))
                 (import "f" (func $f (param "x" (own $r2))))
                 (core func (canon lower (func $f)))
                 (core func (canon resource.drop $r2)))"#,
        )
        .unwrap();
        assert_eq!(plan.resources.len(), 1);
        assert_eq!(plan.trampolines.len(), 2);
    }

    #[test]
    fn exports_keep_definition_order() {
        let plan = plan(
            r#"(component
                 (type $a (resource (rep i32)))
                 (type $b (resource (rep i32)))
                 (export "z" (type $b))
                 (export "a" (type $a))
                 (instance $i (export "y" (type $a)) (export "b" (type $b)))
                 (export "m" (instance $i)))"#,
        )
        .unwrap();
        let names: Vec<&str> = plan.exports.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["z", "a", "m"]);
        let ExportItem::Instance(items) = &plan.exports[2].1 else {
            panic!("`m` is an instance: {:?}", plan.exports[2]);
        };
        let names: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["y", "b"]);
    }
}
