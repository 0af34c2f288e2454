//! The core linker: every core instance of a plan as part of one core module.
//!
//! Each instance gets its own copy of its module's functions, tables, memories,
//! globals, tags and segments (two instances of one module are two copies, as at run
//! time), numbered after the instances before it; its imports become the indices of
//! what they resolve to: an earlier instance's item, or one function import per
//! trampoline. Types are copied once per module.
//!
//! Instantiation order is kept by a start sequence, an exported function (not a wasm
//! `start`, so that the host holds the instance before any of it runs): for each
//! instance in order, its active element segments (`table.init`), its active data
//! segments (`memory.init`), both made passive, then its start function. A segment out
//! of bounds traps where instantiating that instance would have failed, after what the
//! instances before it did.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{Context, Result};
use indexmap::IndexMap;
use wasm_encoder::reencode::{Error as ReError, Reencode};
use wasm_encoder::{
    CodeSection, DataCountSection, DataSection, ElementSection, Elements, EntityType, ExportKind,
    ExportSection, Function, FunctionSection, GlobalSection, GlobalType, ImportSection,
    Instruction, MemorySection, Module, TableSection, TagSection, TypeSection, ValType as W,
};
use wasmparser::{DataKind, ElementItems, ElementKind, ExternalKind, TypeRef};
use weft_core::error::{Bug, OrBug};
use weft_core::plan::{
    Builtin, CanonOptions, CoreDef, CoreHandles, CoreInstanceIdx, Hook, Initializer, Lifted,
    ModuleRef, Movers, Plan, Resource, Trampoline, TrampolineIdx,
};
use weft_core::types::ValType;

use crate::adapter::Validator;
use crate::handles::{AsyncHooks, Dtor, Handles};
use crate::parts::Parts;

/// The name of the start sequence among the linked module's exports.
pub const INIT_EXPORT: &str = "weft:init";

/// One core module holding every core instance of a plan.
#[derive(Debug, Clone)]
pub struct Linked {
    pub bytes: Vec<u8>,
    /// Its imports, `(module, name, what)`, one per name: trampolines, and the hooks of
    /// the adapters compiled into it.
    pub imports: Vec<(String, String, CoreDef)>,
    /// The export name of each item asked for.
    pub exports: HashMap<CoreDef, String>,
    /// Whether it exports a start sequence ([`INIT_EXPORT`]) the host must call once,
    /// before anything else.
    pub init: bool,
    /// How many memories it defines.
    pub memories: u32,
    /// Its handle tables, when they are core wasm.
    pub handles: Option<CoreHandles>,
    /// The movers of the adapters of an async component it has, by trampoline.
    pub movers: BTreeMap<u32, Movers>,
}

/// An item of one of the linked module's index spaces.
type Item = (ExternalKind, u32);

/// Links the instances `plan`'s initializers make into one module that exports
/// `wanted` (as `{instance}:{name}`); `import_name` names the import of each
/// trampoline. The trampolines `in_core` — fused adapters, and with `tables` the
/// `resource.*` built-ins — become functions of the module (`adapter/`, `handles.rs`)
/// instead of imports; `tables` lists the component instances whose handle tables are
/// then core wasm (`None`: the tables stay with the glue). The adapters of an async
/// component in `movers` stay imports, and get their value moves as exported functions
/// (`adapter::movers`).
///
/// # Errors
/// Fails for an initializer that is not a defined module (a module or a component the
/// host gives cannot be part of the module).
pub fn link(
    plan: &Plan,
    wanted: &[CoreDef],
    in_core: &BTreeSet<TrampolineIdx>,
    movers: &BTreeSet<TrampolineIdx>,
    tables: Option<&[u32]>,
    host_objects: bool,
    import_name: &dyn Fn(TrampolineIdx) -> (String, String),
) -> Result<Linked> {
    let modules = &plan.modules;
    let instances = instances(&plan.initializers)?;
    let mut parts: HashMap<u32, Parts<'_>> = HashMap::new();
    let mut type_base: IndexMap<u32, u32> = IndexMap::new();
    let mut types = 0u32;
    for i in &instances {
        if let std::collections::hash_map::Entry::Vacant(e) = parts.entry(i.module) {
            let p = Parts::read(&modules[i.module as usize].bytes)
                .with_context(|| format!("reading core module {}", i.module))?;
            type_base.insert(i.module, types);
            types += p.func_types.len() as u32;
            e.insert(p);
        }
    }
    let mut l = Linker {
        plan,
        parts: &parts,
        type_base: &type_base,
        spaces: Vec::new(),
        imports: IndexMap::new(),
        adapters: IndexMap::new(),
        in_core,
        movers,
        counts: Counts::default(),
        hooks: false,
        may_leave: false,
        host_drop: None,
        move_end: None,
        handles: None,
    };
    l.trampoline_imports(&instances)?;
    l.lifted_builtins(wanted, types);
    // Function imports: the trampolines, then (with adapters or tables) the `trap` hook
    // and (with tables holding host resources) the `resource-drop` hook; the
    // `poisoned` hook is the one imported global.
    l.hooks = !l.adapters.is_empty() || !movers.is_empty() || tables.is_some();
    let host_drop = tables.is_some()
        && plan
            .resources
            .iter()
            .any(|r| matches!(r, Resource::Host { .. }));
    let trap = l.imports.len() as u32;
    if host_drop {
        l.host_drop = Some(trap + 1);
    }
    // With the async machinery's objects in the tables, the `wake` and `event` hooks;
    // with movers that move them between tables, the `move-end` hook.
    l.may_leave = tables.is_some() && host_objects;
    let wake = trap + 1 + u32::from(host_drop);
    l.counts.funcs = trap + u32::from(l.hooks) + u32::from(host_drop) + 2 * u32::from(l.may_leave);
    if movers.iter().any(|t| crate::adapter::moves_ends(plan, *t)) {
        l.move_end = Some(l.counts.funcs);
        l.counts.funcs += 1;
    }
    // The imported globals: `poisoned`, then with the async machinery's objects in the
    // tables `may-leave`.
    l.counts.globals = u32::from(l.hooks) + u32::from(l.may_leave);
    // The adapters come after every instance's functions.
    let defined: usize = instances.iter().map(|i| parts[&i.module].funcs.len()).sum();
    let base = l.counts.funcs + defined as u32;
    for (k, idx) in l.adapters.values_mut().enumerate() {
        *idx = base + k as u32;
    }
    for i in &instances {
        let space = l.space(i)?;
        l.spaces.push(space);
    }
    // The tables' runtime after the adapters, its memories and globals after the
    // instances'.
    if let Some(tables) = tables {
        let h = Handles::new(
            tables,
            base + l.adapters.len() as u32,
            l.counts.memories,
            l.counts.globals,
            (trap, 0),
            // `may-leave` after `poisoned`, the imported global 0.
            l.may_leave.then_some(AsyncHooks {
                may_leave: 1,
                wake,
                event: wake + 1,
            }),
        );
        l.counts.memories += h.memories();
        l.counts.globals += h.globals().len() as u32;
        l.handles = Some(h);
    }
    l.check_limits(types)?;
    l.encode(&instances, types, wanted, import_name)
}

/// A core instance to link: its module and what each of its imports is.
struct Inst<'p> {
    instance: CoreInstanceIdx,
    module: u32,
    imports: HashMap<(&'p str, &'p str), &'p CoreDef>,
}

fn instances(initializers: &[Initializer]) -> Result<Vec<Inst<'_>>> {
    let mut out = Vec::new();
    for ini in initializers {
        match ini {
            Initializer::Instantiate {
                instance,
                module: ModuleRef::Static(m),
                imports,
            } => {
                if instance.0 as usize != out.len() {
                    weft_core::bug!("core instance {} is not numbered in order", instance.0);
                }
                out.push(Inst {
                    instance: *instance,
                    module: m.0,
                    imports: imports
                        .iter()
                        .map(|(m, n, d)| ((m.as_str(), n.as_str()), d))
                        .collect(),
                });
            }
            Initializer::Instantiate {
                module: ModuleRef::Host { .. },
                ..
            } => anyhow::bail!(
                "the component instantiates a core module its host gives: a module that arrives at run time cannot be linked into one module ahead of time"
            ),
            Initializer::InstantiateComponent { .. } => anyhow::bail!(
                "the component instantiates a component its host gives: a component that arrives at run time cannot be linked into one module ahead of time"
            ),
        }
    }
    Ok(out)
}

/// How many of each item the linked module has so far.
#[derive(Default)]
struct Counts {
    funcs: u32,
    tables: u32,
    memories: u32,
    globals: u32,
    tags: u32,
    elements: u32,
    data: u32,
}

/// An instance's index spaces in the linked module: the renumbering its code is
/// copied with.
#[derive(Default)]
struct Space {
    types: u32,
    funcs: Vec<u32>,
    tables: Vec<u32>,
    memories: Vec<u32>,
    globals: Vec<u32>,
    tags: Vec<u32>,
    elements: u32,
    data: u32,
    exports: HashMap<String, Item>,
}

fn index(space: &[u32], i: u32, what: &str) -> Result<u32, ReError<String>> {
    space
        .get(i as usize)
        .copied()
        .ok_or_else(|| ReError::UserError(format!("{what} {i} is out of range")))
}

impl Reencode for Space {
    type Error = String;
    fn type_index(&mut self, ty: u32) -> Result<u32, ReError<String>> {
        Ok(self.types + ty)
    }
    fn function_index(&mut self, f: u32) -> Result<u32, ReError<String>> {
        index(&self.funcs, f, "function")
    }
    fn table_index(&mut self, t: u32) -> Result<u32, ReError<String>> {
        index(&self.tables, t, "table")
    }
    fn memory_index(&mut self, m: u32) -> Result<u32, ReError<String>> {
        index(&self.memories, m, "memory")
    }
    fn global_index(&mut self, g: u32) -> Result<u32, ReError<String>> {
        index(&self.globals, g, "global")
    }
    fn tag_index(&mut self, t: u32) -> Result<u32, ReError<String>> {
        index(&self.tags, t, "tag")
    }
    fn data_index(&mut self, d: u32) -> Result<u32, ReError<String>> {
        Ok(self.data + d)
    }
    fn element_index(&mut self, e: u32) -> Result<u32, ReError<String>> {
        Ok(self.elements + e)
    }
}

/// A reencoding error as an error of this crate (the parse error's own message, which
/// `reencode::Error`'s `Display` leaves out).
fn re(e: ReError<String>) -> anyhow::Error {
    match e {
        ReError::ParseError(e) => anyhow::Error::new(e),
        ReError::UserError(e) => anyhow::anyhow!(e),
        other => anyhow::anyhow!("{other}"),
    }
}

struct Linker<'a, 'p> {
    plan: &'a Plan,
    parts: &'a HashMap<u32, Parts<'p>>,
    type_base: &'a IndexMap<u32, u32>,
    spaces: Vec<Space>,
    /// The function import of each trampoline and linked type, in import order.
    imports: IndexMap<(TrampolineIdx, u32), u32>,
    /// The function of each adapter compiled in, per linked type.
    adapters: IndexMap<(TrampolineIdx, u32), u32>,
    in_core: &'a BTreeSet<TrampolineIdx>,
    /// The adapters whose value moves are functions of the module (`adapter::movers`).
    movers: &'a BTreeSet<TrampolineIdx>,
    counts: Counts,
    /// Whether it imports the `may-leave` global (after `poisoned`).
    may_leave: bool,
    /// Whether it imports the `trap` and `poisoned` hooks.
    hooks: bool,
    /// The `resource-drop` hook's function, when it is imported.
    host_drop: Option<u32>,
    /// The `move-end` hook's function, when it is imported (`Hook::MoveEnd`).
    move_end: Option<u32>,
    /// The handle tables' runtime, when the tables are core wasm.
    handles: Option<Handles>,
}

impl Linker<'_, '_> {
    /// Refuses a component whose instances hold more of an item between them than one
    /// core module may (the limits engines and the validator share, which each of its
    /// modules kept alone).
    fn check_limits(&self, types: u32) -> Result<()> {
        // The JS API's limits, which wasmparser's validator applies too (its private
        // `limits.rs`, 0.263).
        const MEMORIES: u32 = 100;
        const TABLES: u32 = 100_000;
        const MANY: u32 = 1_000_000;
        const SEGMENTS: u32 = 100_000;
        let c = &self.counts;
        // The adapters, the tables' runtime, a validator per memory, the start sequence.
        let runtime = self.handles.as_ref().map_or(0, Handles::functions_len);
        let added =
            self.adapters.len() as u32 + 2 * self.movers.len() as u32 + runtime + c.memories + 1;
        for (what, n, limit) in [
            ("memories", c.memories, MEMORIES),
            ("tables", c.tables, TABLES),
            ("functions", c.funcs + added, MANY),
            ("globals", c.globals, MANY),
            ("types", types + 3, MANY),
            ("element segments", c.elements, SEGMENTS),
            ("data segments", c.data, SEGMENTS),
            ("tags", c.tags, MANY),
            ("imports", self.imports.len() as u32 + 2, MANY),
        ] {
            if n > limit {
                anyhow::bail!(
                    "its core instances have {n} {what} between them, and one core module may have at most {limit} (the engines' limit)"
                );
            }
        }
        Ok(())
    }

    /// Gives every trampoline an instance imports a function import of the linked
    /// module (one per type it is imported at).
    fn trampoline_imports(&mut self, instances: &[Inst<'_>]) -> Result<()> {
        for i in instances {
            let parts = &self.parts[&i.module];
            for imp in &parts.imports {
                if let Some(CoreDef::Trampoline(t)) = i.imports.get(&(imp.module, imp.name)) {
                    let TypeRef::Func(ty) = imp.ty else {
                        anyhow::bail!(
                            "core instance {} imports `{}` `{}`, a trampoline, as something other than a function",
                            i.instance.0,
                            imp.module,
                            imp.name
                        );
                    };
                    let key = (*t, self.type_base[&i.module] + ty);
                    if self.in_core.contains(t) {
                        self.adapters.entry(key).or_insert(0);
                    } else {
                        let next = self.imports.len() as u32;
                        self.imports.entry(key).or_insert(next);
                    }
                }
            }
        }
        Ok(())
    }

    /// A `resource.*` built-in compiled in that the glue lifts (an export whose core
    /// function is the built-in itself) and no core instance imports: it gets a function
    /// of its own, at the built-in's core type, which `export_wanted` exports.
    fn lifted_builtins(&mut self, wanted: &[CoreDef], module_types: u32) {
        for def in wanted {
            let CoreDef::Trampoline(t) = def else {
                continue;
            };
            if !self.in_core.contains(t) || self.adapters.keys().any(|(a, _)| a == t) {
                continue;
            }
            let ty = match &self.plan.trampolines[t.0 as usize] {
                Trampoline::ResourceDrop { .. } => TYPE_I,
                Trampoline::ResourceNew { .. } | Trampoline::ResourceRep { .. } => TYPE_I_I,
                // (The waitable built-ins are compiled in only when a core instance
                // imports them.)
                _ => continue,
            };
            self.adapters.insert((*t, module_types + ty), 0);
        }
    }

    /// Numbers instance `i`'s items after those of the instances before it.
    fn space(&mut self, i: &Inst<'_>) -> Result<Space> {
        let parts = &self.parts[&i.module];
        let c = &mut self.counts;
        let mut s = Space {
            types: self.type_base[&i.module],
            elements: c.elements,
            data: c.data,
            ..Space::default()
        };
        for imp in &parts.imports {
            let def = i.imports.get(&(imp.module, imp.name)).ok_or_else(|| {
                Bug::new(format!(
                    "core instance {} is not given its import `{}` `{}`",
                    i.instance.0, imp.module, imp.name
                ))
            })?;
            let (kind, idx) = match def {
                CoreDef::Trampoline(t) => {
                    let TypeRef::Func(ty) = imp.ty else {
                        unreachable!("checked by trampoline_imports")
                    };
                    let key = (*t, s.types + ty);
                    let f = self
                        .adapters
                        .get(&key)
                        .unwrap_or_else(|| &self.imports[&key]);
                    (ExternalKind::Func, *f)
                }
                CoreDef::Hook(h) => {
                    weft_core::bug!("core instance {} imports the hook {h:?}", i.instance.0)
                }
                CoreDef::Export { instance, name } => export_of(&self.spaces, *instance, name)
                    .with_context(|| {
                        format!("linking an import of core instance {}", i.instance.0)
                    })?,
            };
            let list = match (imp.ty, kind) {
                (TypeRef::Func(_) | TypeRef::FuncExact(_), ExternalKind::Func) => &mut s.funcs,
                (TypeRef::Table(_), ExternalKind::Table) => &mut s.tables,
                (TypeRef::Memory(_), ExternalKind::Memory) => &mut s.memories,
                (TypeRef::Global(_), ExternalKind::Global) => &mut s.globals,
                (TypeRef::Tag(_), ExternalKind::Tag) => &mut s.tags,
                _ => weft_core::bug!(
                    "core instance {} imports `{}` `{}` as another kind of item than it is given",
                    i.instance.0,
                    imp.module,
                    imp.name
                ),
            };
            list.push(idx);
        }
        extend(&mut s.funcs, &mut c.funcs, parts.funcs.len());
        extend(&mut s.tables, &mut c.tables, parts.tables.len());
        extend(&mut s.memories, &mut c.memories, parts.memories.len());
        extend(&mut s.globals, &mut c.globals, parts.globals.len());
        extend(&mut s.tags, &mut c.tags, parts.tags.len());
        c.elements += parts.elements.len() as u32;
        c.data += parts.data.len() as u32;
        for e in &parts.exports {
            let space = match e.kind {
                ExternalKind::Func | ExternalKind::FuncExact => &s.funcs,
                ExternalKind::Table => &s.tables,
                ExternalKind::Memory => &s.memories,
                ExternalKind::Global => &s.globals,
                ExternalKind::Tag => &s.tags,
            };
            let idx = *space
                .get(e.index as usize)
                .or_bug("an export of a validated module is out of range")?;
            let kind = match e.kind {
                ExternalKind::FuncExact => ExternalKind::Func,
                k => k,
            };
            s.exports.insert(e.name.to_string(), (kind, idx));
        }
        Ok(s)
    }

    /// Writes the linked module: the modules' types, one import per trampoline, each
    /// instance's items copied, the wanted exports, the start sequence.
    fn encode(
        mut self,
        instances: &[Inst<'_>],
        module_types: u32,
        wanted: &[CoreDef],
        import_name: &dyn Fn(TrampolineIdx) -> (String, String),
    ) -> Result<Linked> {
        let mut s = Sections::default();
        self.copy_types(&mut s.types)?;
        // After the modules' types: the start sequence's, the `trap` hook's, the UTF-8
        // validators'.
        s.types.ty().function([], []);
        s.types.ty().function([W::I32, W::I32, W::I32], []);
        s.types.ty().function([W::I32, W::I32], [W::I32]);
        // The tables' runtime's others.
        s.types.ty().function([W::I32, W::I32, W::I32], [W::I32]);
        s.types.ty().function([W::I32], []);
        s.types.ty().function([W::I32, W::I32], []);
        // A lifted `resource.new` or `resource.rep` (`lifted_builtins`), `table-kind`,
        // `scope-borrows`; `begin-call`, `table-new`.
        s.types.ty().function([W::I32], [W::I32]);
        s.types.ty().function([], [W::I32]);
        // The `event` hook's.
        s.types
            .ty()
            .function([W::I32, W::I32], [W::I32, W::I32, W::I32]);
        // The `move-end` hook's, then the movers', two per adapter (or one, or none).
        let mut next = module_types + TYPE_EVENT + 1;
        let move_end_ty = self.move_end.map(|_| {
            s.types.ty().function([W::I32; 5], [W::I32]);
            next += 1;
            next - 1
        });
        let movers = self.mover_types(&mut s.types, next)?;
        let types = Types {
            init: module_types,
            trap: module_types + 1,
            event: module_types + TYPE_EVENT,
            validator: module_types + 2,
            runtime: crate::handles::Types {
                ii_i: module_types + 2,
                iii_i: module_types + 3,
                i: module_types + TYPE_I,
                none_i: module_types + TYPE_NONE_I,
                i_i: module_types + TYPE_I_I,
                ii: module_types + 5,
                none: module_types,
            },
        };
        let mut imports = self.name_imports(&mut s.imports, import_name, &types);
        if let Some(ty) = move_end_ty {
            s.imports.import(WEFT, "move-end", EntityType::Function(ty));
            imports.push((WEFT.into(), "move-end".into(), CoreDef::Hook(Hook::MoveEnd)));
        }
        self.copy_instances(instances, &mut s)?;
        if let Some(h) = &self.handles {
            for m in h.memory_types() {
                s.memories.memory(m);
            }
            for (g, init) in h.globals() {
                s.globals
                    .global(g, &wasm_encoder::ConstExpr::i32_const(init));
            }
        }
        self.compile_adapters(&mut s, &types, &movers)?;
        let exports = self.export_wanted(wanted, &mut s.exports)?;
        let handles = self.handles.as_ref().map(|h| {
            for (name, f) in h.exports() {
                s.exports.export(&name, ExportKind::Func, f);
            }
            h.described(self.plan.component_instances)
        });
        let movers = std::mem::take(&mut s.movers);
        let init = s.init_steps > 0;
        if init {
            s.init.instruction(&Instruction::End);
            s.funcs.function(types.init);
            s.code.function(&s.init);
            s.exports
                .export(INIT_EXPORT, ExportKind::Func, self.counts.funcs);
        }
        Ok(Linked {
            bytes: s.assemble(self.counts.data)?,
            imports,
            exports,
            init,
            memories: self.counts.memories,
            handles,
            movers,
        })
    }

    /// Every module's types, once per module, at its base.
    fn copy_types(&self, types: &mut TypeSection) -> Result<()> {
        for (m, base) in self.type_base {
            if let Some(reader) = self.parts[m].types.clone() {
                let mut s = Space {
                    types: *base,
                    ..Space::default()
                };
                s.parse_type_section(types, reader).map_err(re)?;
            }
        }
        Ok(())
    }

    /// The imports: the trampolines' functions, named by `import_name`, then the
    /// adapters' hooks; returns each name once, with what it is.
    fn name_imports(
        &self,
        imports: &mut ImportSection,
        import_name: &dyn Fn(TrampolineIdx) -> (String, String),
        types: &Types,
    ) -> Vec<(String, String, CoreDef)> {
        let mut list: Vec<(String, String, CoreDef)> = Vec::new();
        let mut named = BTreeSet::new();
        // The hooks' globals: a mutable i32 each.
        let flag = GlobalType {
            val_type: W::I32,
            mutable: true,
            shared: false,
        };
        for &(t, ty) in self.imports.keys() {
            // One name per trampoline, imported at each type.
            let (module, name) = import_name(t);
            imports.import(&module, &name, EntityType::Function(ty));
            if named.insert(t) {
                list.push((module, name, CoreDef::Trampoline(t)));
            }
        }
        if self.hooks {
            imports.import(WEFT, "trap", EntityType::Function(types.trap));
            imports.import(WEFT, "poisoned", EntityType::Global(flag));
            list.push((WEFT.into(), "trap".into(), CoreDef::Hook(Hook::Trap)));
            list.push((
                WEFT.into(),
                "poisoned".into(),
                CoreDef::Hook(Hook::Poisoned),
            ));
        }
        if self.may_leave {
            imports.import(WEFT, "may-leave", EntityType::Global(flag));
            list.push((
                WEFT.into(),
                "may-leave".into(),
                CoreDef::Hook(Hook::MayLeave),
            ));
        }
        if self.host_drop.is_some() {
            let ty = types.runtime.ii;
            imports.import(WEFT, "resource-drop", EntityType::Function(ty));
            list.push((
                WEFT.into(),
                "resource-drop".into(),
                CoreDef::Hook(Hook::ResourceDrop),
            ));
        }
        if self.may_leave {
            for (name, ty, hook) in [
                ("wake", types.init, Hook::Wake),
                ("event", types.event, Hook::Event),
            ] {
                imports.import(WEFT, name, EntityType::Function(ty));
                list.push((WEFT.into(), name.into(), CoreDef::Hook(hook)));
            }
        }
        list
    }

    /// The index of a core item in the linked module.
    fn resolve(&self, def: &CoreDef) -> Result<u32> {
        match def {
            CoreDef::Export { instance, name } => Ok(export_of(&self.spaces, *instance, name)?.1),
            other => weft_core::bug!("an adapter compiled in names {other:?}"),
        }
    }

    /// The types of the movers (`adapter::movers`), written from type `next` on: each
    /// adapter's, with the type of its parameters' mover and of its result's.
    fn mover_types(&self, types: &mut TypeSection, mut next: u32) -> Result<Vec<MoverTypes>> {
        let mut out = Vec::new();
        for &t in self.movers {
            let (callee, options) = adapter_of(self.plan, t)?;
            let [params, result] =
                crate::adapter::mover_types(self.plan, callee, options).map(|ty| {
                    ty.map(|(p, r)| {
                        types.ty().function(p, r);
                        next += 1;
                        next - 1
                    })
                });
            out.push((t, params, result));
        }
        Ok(out)
    }

    /// The trampolines compiled in (at the indices `link` gave them: fused adapters and
    /// `resource.*` built-ins), the tables' runtime, a validator for each encoding and
    /// memory an adapter reads strings from, then the movers (`compile_movers`).
    fn compile_adapters(
        &mut self,
        s: &mut Sections,
        types: &Types,
        movers: &[MoverTypes],
    ) -> Result<()> {
        let plan = self.plan;
        let in_core: Vec<(TrampolineIdx, u32)> = self.adapters.keys().copied().collect();
        // Functions: the instances', the adapters', the runtime's, the validators', the
        // start sequence. Strings are read from the caller's memory (parameters) and the
        // callee's (the result).
        let first = match &self.handles {
            Some(h) => h.end(),
            None => self.counts.funcs + in_core.len() as u32,
        };
        let mut validators: IndexMap<(Validator, u32), u32> = IndexMap::new();
        let has_string = |t: ValType| plan.types.contains(t, &mut |t, _| t == ValType::String);
        let movers_of = movers.iter().map(|(t, _, _)| *t);
        for t in in_core.iter().map(|(t, _)| *t).chain(movers_of) {
            let Trampoline::Adapter { callee, options } = &plan.trampolines[t.0 as usize] else {
                continue;
            };
            let func = plan.types.func(callee.ty);
            let reads = [
                (
                    func.params.iter().any(|p| has_string(p.1)),
                    &options.memory,
                    options.encoding,
                ),
                (
                    func.result.is_some_and(has_string),
                    &callee.options.memory,
                    callee.options.encoding,
                ),
            ];
            for (strings, memory, encoding) in reads {
                if let (true, Some(m)) = (strings, memory) {
                    let key = (Validator::of(encoding), self.resolve(m)?);
                    let next = first + validators.len() as u32;
                    validators.entry(key).or_insert(next);
                }
            }
        }
        for (t, ty) in in_core {
            let body = self
                .in_core_body(t, &validators)
                .with_context(|| format!("compiling trampoline {} into the core module", t.0))?;
            s.funcs.function(ty);
            s.code.function(&body);
        }
        if let Some(h) = &self.handles {
            for (ty, body) in h.functions(&types.runtime) {
                s.funcs.function(ty);
                s.code.function(&body);
            }
        }
        for &(v, m) in validators.keys() {
            s.funcs.function(types.validator);
            s.code.function(&v.body(m));
        }
        self.counts.funcs = first + validators.len() as u32;
        self.compile_movers(s, movers, &validators)
    }

    /// Each adapter's movers, after the other functions, exported as
    /// `weft:adapter-params:<t>` and `weft:adapter-result:<t>` (`Sections::movers`).
    fn compile_movers(
        &mut self,
        s: &mut Sections,
        movers: &[MoverTypes],
        validators: &IndexMap<(Validator, u32), u32>,
    ) -> Result<()> {
        for &(t, params_ty, result_ty) in movers {
            let (params, result) = self
                .movers_bodies(t, validators)
                .with_context(|| format!("compiling the movers of adapter {}", t.0))?;
            let mut export = |what: &str, ty: u32, body: &Function| {
                let name = format!("weft:adapter-{what}:{}", t.0);
                s.funcs.function(ty);
                s.code.function(body);
                s.exports.export(&name, ExportKind::Func, self.counts.funcs);
                self.counts.funcs += 1;
                CoreDef::Export {
                    instance: CoreInstanceIdx(0),
                    name,
                }
            };
            let mut half = |what, ty: Option<u32>, body: Option<Function>| match (ty, body) {
                (Some(ty), Some(body)) => Ok(Some(export(what, ty, &body))),
                (None, None) => Ok(None),
                _ => Err(Bug::new(format!(
                    "adapter {}'s {what} mover without its type",
                    t.0
                ))),
            };
            let params = half("params", params_ty, params)?;
            let result = half("result", result_ty, result)?;
            let scope = crate::adapter::takes_scope(self.plan, adapter_of(self.plan, t)?.0);
            s.movers.insert(
                t.0,
                Movers {
                    params,
                    result,
                    scope,
                },
            );
        }
        Ok(())
    }

    /// The indices an adapter's code uses (`adapter::Indices`); with `call`, the
    /// callee's function and post-return (the movers call neither).
    fn adapter_indices<'v>(
        &'v self,
        callee: &Lifted,
        options: &CanonOptions,
        validators: &'v IndexMap<(Validator, u32), u32>,
        call: bool,
    ) -> Result<crate::adapter::Indices<'v>> {
        let opt = |d: &Option<CoreDef>| d.as_ref().map(|d| self.resolve(d)).transpose();
        Ok(crate::adapter::Indices {
            callee: call.then(|| self.resolve(&callee.func)).transpose()?,
            callee_memory: opt(&callee.options.memory)?,
            callee_realloc: opt(&callee.options.realloc)?,
            post_return: if call {
                opt(&callee.options.post_return)?
            } else {
                None
            },
            caller_memory: opt(&options.memory)?,
            caller_realloc: opt(&options.realloc)?,
            trap: self.imports.len() as u32,
            poisoned: 0,
            validators,
            handles: self.handles.as_ref(),
            instances: (options.instance.0, callee.options.instance.0),
            move_end: self.move_end,
            // Core exceptions must not cross from one component into another
            // (`catch.rs`).
            catch_exceptions: self.plan.modules.iter().any(|m| m.throws),
        })
    }

    /// The parameters' and the result's movers of adapter `t` (no result's for a
    /// function without one).
    fn movers_bodies(
        &self,
        t: TrampolineIdx,
        validators: &IndexMap<(Validator, u32), u32>,
    ) -> Result<(Option<Function>, Option<Function>)> {
        let plan = self.plan;
        let (callee, options) = adapter_of(plan, t)?;
        let ix = self.adapter_indices(callee, options, validators, false)?;
        let func = plan.types.func(callee.ty);
        let params = (!func.params.is_empty())
            .then(|| crate::adapter::params_mover(plan, callee, options, &ix))
            .transpose()?;
        let result = func
            .result
            .map(|_| crate::adapter::result_mover(plan, callee, options, &ix))
            .transpose()?;
        Ok((params, result))
    }

    /// The body of trampoline `t`, compiled in.
    fn in_core_body(
        &self,
        t: TrampolineIdx,
        validators: &IndexMap<(Validator, u32), u32>,
    ) -> Result<Function> {
        let plan = self.plan;
        let handles = || {
            self.handles
                .as_ref()
                .or_bug("a resource built-in compiled in without the tables' runtime")
        };
        let ty = |r: &weft_core::types::ResourceIdx| r.0 + 1;
        // Core exceptions must not cross from one component into another (`catch.rs`).
        let throws = plan.modules.iter().any(|m| m.throws);
        Ok(match &plan.trampolines[t.0 as usize] {
            Trampoline::Adapter { callee, options } => {
                let ix = self.adapter_indices(callee, options, validators, true)?;
                let encodings = (options.encoding, callee.options.encoding);
                crate::adapter::adapter(plan, plan.types.func(callee.ty), encodings, &ix)?
            }
            Trampoline::ResourceNew { resource, instance } => {
                handles()?.resource_new(instance.0, ty(resource))
            }
            Trampoline::ResourceRep { resource, instance } => {
                handles()?.resource_rep(instance.0, ty(resource))
            }
            Trampoline::ResourceDrop { resource, instance } => {
                let dtor = match &plan.resources[resource.0 as usize] {
                    Resource::Defined { dtor: Some(d), .. } => Dtor::Guest(self.resolve(d)?),
                    Resource::Defined { dtor: None, .. } => Dtor::None,
                    Resource::Host { .. } => Dtor::Host(
                        self.host_drop
                            .or_bug("a host resource dropped without the `resource-drop` hook")?,
                    ),
                };
                handles()?.resource_drop(instance.0, ty(resource), dtor, throws)
            }
            Trampoline::Builtin { builtin, instance } => {
                let h = handles()?;
                match builtin {
                    Builtin::WaitableSetNew => h.waitable_set_new(instance.0),
                    Builtin::WaitableSetDrop => h.waitable_set_drop(instance.0),
                    Builtin::WaitableJoin => h.waitable_join(instance.0),
                    Builtin::BackpressureInc => h.backpressure_inc(instance.0),
                    Builtin::BackpressureDec => h.backpressure_dec(instance.0)?,
                    Builtin::WaitableSetPoll { memory, .. } => {
                        h.waitable_set_poll(instance.0, self.resolve(memory)?)
                    }
                    other => weft_core::bug!("built-in {other:?} compiled in"),
                }
            }
            _ => weft_core::bug!(
                "trampoline {} compiled in is not an adapter or a resource built-in",
                t.0
            ),
        })
    }

    /// Each instance's functions, tables, memories, tags, globals, code and segments,
    /// renumbered, and its part of the start sequence.
    fn copy_instances(&mut self, instances: &[Inst<'_>], s: &mut Sections) -> Result<()> {
        let mut declared: Vec<u32> = Vec::new();
        for (i, space) in instances.iter().zip(self.spaces.iter_mut()) {
            let parts = &self.parts[&i.module];
            let at = |what: &str| format!("copying the {what} of core instance {}", i.instance.0);
            for &ty in &parts.funcs {
                s.funcs.function(space.types + ty);
            }
            for t in &parts.tables {
                space
                    .parse_table(&mut s.tables, t.clone())
                    .map_err(re)
                    .with_context(|| at("tables"))?;
            }
            for m in &parts.memories {
                s.memories.memory(space.memory_type(*m).map_err(re)?);
            }
            for t in &parts.tags {
                s.tags.tag(space.tag_type(*t).map_err(re)?);
            }
            for g in &parts.globals {
                space
                    .parse_global(&mut s.globals, g.clone())
                    .map_err(re)
                    .with_context(|| at("globals"))?;
            }
            for body in &parts.code {
                space
                    .parse_function_body(&mut s.code, body.clone())
                    .map_err(re)
                    .with_context(|| at("code"))?;
            }
            s.init_steps += start_steps(space, parts, &mut s.elements, &mut s.data, &mut s.init)
                .with_context(|| at("segments"))?;
            // A function a module exports may be `ref.func`'d by its code (exporting
            // declares it); the linked module does not export it: declare it.
            for e in &parts.exports {
                if matches!(e.kind, ExternalKind::Func | ExternalKind::FuncExact) {
                    declared.push(space.function_index(e.index).map_err(re)?);
                }
            }
        }
        if !declared.is_empty() {
            declared.sort_unstable();
            declared.dedup();
            s.elements.declared(Elements::Functions(declared.into()));
            self.counts.elements += 1;
        }
        Ok(())
    }

    /// Exports each wanted core item as `{instance}:{name}`; returns the names.
    fn export_wanted(
        &self,
        wanted: &[CoreDef],
        exports: &mut ExportSection,
    ) -> Result<HashMap<CoreDef, String>> {
        let mut names = HashMap::new();
        for def in wanted {
            if names.contains_key(def) {
                continue;
            }
            let (instance, name) = match def {
                CoreDef::Export { instance, name } => (instance, name),
                CoreDef::Trampoline(t) if self.in_core.contains(t) => {
                    let (_, f) =
                        self.adapters.iter().find(|((a, _), _)| a == t).or_bug(
                            "a trampoline compiled in that the glue names has no function",
                        )?;
                    let export = format!("weft:trampoline:{}", t.0);
                    exports.export(&export, ExportKind::Func, *f);
                    names.insert(def.clone(), export);
                    continue;
                }
                _ => continue,
            };
            let (kind, idx) = export_of(&self.spaces, *instance, name)?;
            let export = format!("{}:{name}", instance.0);
            exports.export(&export, export_kind(kind), idx);
            names.insert(def.clone(), export);
        }
        Ok(names)
    }
}

/// The linker's own function types, after the modules' (`Linker::encode` writes them in
/// this order): `() -> ()`, `(i32, i32, i32) -> ()`, `(i32, i32) -> i32`,
/// `(i32, i32, i32) -> i32`, `(i32) -> ()`, `(i32, i32) -> ()`, `(i32) -> i32`,
/// `() -> i32`.
const TYPE_I: u32 = 4;
const TYPE_I_I: u32 = 6;
const TYPE_NONE_I: u32 = 7;
const TYPE_EVENT: u32 = 8;

/// The module of the linked module's own imports: the trampolines that are not host
/// functions, and the adapters' hooks.
pub const WEFT: &str = "weft";

/// The types the linker adds after the modules'.
struct Types {
    init: u32,
    trap: u32,
    event: u32,
    validator: u32,
    runtime: crate::handles::Types,
}

/// The sections of the linked module, filled phase by phase.
struct Sections {
    types: TypeSection,
    imports: ImportSection,
    funcs: FunctionSection,
    tables: TableSection,
    memories: MemorySection,
    tags: TagSection,
    globals: GlobalSection,
    exports: ExportSection,
    elements: ElementSection,
    code: CodeSection,
    data: DataSection,
    /// The start sequence so far, and how many steps it has.
    init: Function,
    init_steps: usize,
    /// The movers compiled in, by trampoline.
    movers: BTreeMap<u32, Movers>,
}

impl Default for Sections {
    fn default() -> Self {
        Sections {
            types: TypeSection::new(),
            imports: ImportSection::new(),
            funcs: FunctionSection::new(),
            tables: TableSection::new(),
            memories: MemorySection::new(),
            tags: TagSection::new(),
            globals: GlobalSection::new(),
            exports: ExportSection::new(),
            elements: ElementSection::new(),
            code: CodeSection::new(),
            data: DataSection::new(),
            init: Function::new([]),
            init_steps: 0,
            movers: BTreeMap::new(),
        }
    }
}

impl Sections {
    /// The module's bytes, checked by the validator (with every feature: the input
    /// modules were valid with weft-core's, and linking adds multi-memory and bulk
    /// memory).
    fn assemble(&self, data_count: u32) -> Result<Vec<u8>> {
        let mut module = Module::new();
        module.section(&self.types);
        module.section(&self.imports);
        module.section(&self.funcs);
        module.section(&self.tables);
        module.section(&self.memories);
        if !self.tags.is_empty() {
            module.section(&self.tags);
        }
        module.section(&self.globals);
        module.section(&self.exports);
        module.section(&self.elements);
        module.section(&DataCountSection { count: data_count });
        module.section(&self.code);
        module.section(&self.data);
        let bytes = module.finish();
        let mut validator =
            wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
        if let Err(e) = validator.validate_all(&bytes) {
            weft_core::bug!("the linked core module is not valid: {e}");
        }
        Ok(bytes)
    }
}

/// An adapter with movers: its trampoline, then the types of its parameters' mover and
/// of its result's (`None`: it has none).
type MoverTypes = (TrampolineIdx, Option<u32>, Option<u32>);

/// The callee and the caller's options of adapter `t`.
fn adapter_of(plan: &Plan, t: TrampolineIdx) -> Result<(&Lifted, &CanonOptions)> {
    match &plan.trampolines[t.0 as usize] {
        Trampoline::Adapter { callee, options } => Ok((callee, options)),
        _ => weft_core::bug!("movers of trampoline {}, which is not an adapter", t.0),
    }
}

/// The item core instance `instance` exports as `name`, in the linked module.
fn export_of(spaces: &[Space], instance: CoreInstanceIdx, name: &str) -> Result<Item> {
    spaces
        .get(instance.0 as usize)
        .and_then(|s| s.exports.get(name))
        .copied()
        .ok_or_else(|| {
            Bug::new(format!(
                "core instance {} has no export `{name}`",
                instance.0
            ))
            .into()
        })
}

/// Numbers `n` new items after `count`.
fn extend(space: &mut Vec<u32>, count: &mut u32, n: usize) {
    space.extend(*count..*count + n as u32);
    *count += n as u32;
}

fn export_kind(k: ExternalKind) -> ExportKind {
    match k {
        ExternalKind::Func | ExternalKind::FuncExact => ExportKind::Func,
        ExternalKind::Table => ExportKind::Table,
        ExternalKind::Memory => ExportKind::Memory,
        ExternalKind::Global => ExportKind::Global,
        ExternalKind::Tag => ExportKind::Tag,
    }
}

/// Copies an instance's segments, the active ones made passive, and appends to `init`
/// what instantiating it does: its active element segments, its active data segments,
/// its start function. Returns how many steps that is.
fn start_steps(
    space: &mut Space,
    parts: &Parts<'_>,
    elements: &mut ElementSection,
    data: &mut DataSection,
    init: &mut Function,
) -> Result<usize> {
    let mut steps = 0;
    for (k, e) in parts.elements.iter().enumerate() {
        let count = match &e.items {
            ElementItems::Functions(r) => r.count(),
            ElementItems::Expressions(_, r) => r.count(),
        };
        let items: Elements<'_> = space.element_items(e.items.clone()).map_err(re)?;
        match &e.kind {
            ElementKind::Passive => {
                elements.passive(items);
            }
            ElementKind::Declared => {
                elements.declared(items);
            }
            ElementKind::Active {
                table_index,
                offset_expr,
            } => {
                elements.passive(items);
                let table = space.table_index(table_index.unwrap_or(0)).map_err(re)?;
                let elem = space.element_index(k as u32).map_err(re)?;
                const_ops(space, offset_expr, init)?;
                init.instruction(&Instruction::I32Const(0));
                init.instruction(&Instruction::I32Const(count as i32));
                init.instruction(&Instruction::TableInit {
                    elem_index: elem,
                    table,
                });
                init.instruction(&Instruction::ElemDrop(elem));
                steps += 1;
            }
        }
    }
    for (k, d) in parts.data.iter().enumerate() {
        match &d.kind {
            DataKind::Passive => {
                data.passive(d.data.iter().copied());
            }
            DataKind::Active {
                memory_index,
                offset_expr,
            } => {
                data.passive(d.data.iter().copied());
                let mem = space.memory_index(*memory_index).map_err(re)?;
                let seg = space.data_index(k as u32).map_err(re)?;
                const_ops(space, offset_expr, init)?;
                init.instruction(&Instruction::I32Const(0));
                init.instruction(&Instruction::I32Const(d.data.len() as i32));
                init.instruction(&Instruction::MemoryInit {
                    mem,
                    data_index: seg,
                });
                init.instruction(&Instruction::DataDrop(seg));
                steps += 1;
            }
        }
    }
    if let Some(f) = parts.start {
        init.instruction(&Instruction::Call(space.function_index(f).map_err(re)?));
        steps += 1;
    }
    Ok(steps)
}

/// A constant expression's instructions (without its `end`), renumbered, into `f`.
fn const_ops(space: &mut Space, expr: &wasmparser::ConstExpr<'_>, f: &mut Function) -> Result<()> {
    let mut reader = expr.get_operators_reader();
    while !reader.eof() {
        let op = space.parse_instruction(&mut reader).map_err(re)?;
        if !matches!(op, Instruction::End) {
            f.instruction(&op);
        }
    }
    Ok(())
}
