//! The emitter every generator writes through while one module is built: the facts
//! (read-only), fresh names, the runtime helpers used, the hoisted declarations, and the
//! registry of declared state (`state.rs`). It also spells the handle and resource
//! operations that several generators share.

use std::collections::{BTreeSet, HashMap};

use swc_ecma_ast::{Expr, Stmt};
use weft_core::abi::Addr;
use weft_core::error::OrBug;
use weft_core::plan::{CanonOptions, CoreDef, HostRef, Resource, StringEncoding, TableFns};
use weft_core::types::{ResourceIdx, TypeId};

use crate::ast::*;
use crate::binding::Binding;
use crate::facts::Facts;
use crate::names::{FnKind, Namer, RESERVED, camel, fn_kind};
use crate::state::State;

/// Names of the memory, its `DataView` accessor and the realloc function in scope.
#[derive(Clone)]
pub struct MemCx {
    /// Expression naming the `WebAssembly.Memory`.
    pub memory: String,
    /// Name of a zero-argument function returning a current `DataView` of the memory.
    pub view: String,
    /// Name of the `realloc` core function, if the options have one.
    pub realloc: Option<String>,
    pub encoding: StringEncoding,
    /// A variable holding the encoding's name at run time, when it is only known then
    /// (the peer of a direct link, `link.rs`); `encoding` is then unused.
    pub encoding_var: Option<String>,
    /// The memory's address type. For a 64-bit memory (🐘) pointers and lengths are
    /// BigInts in core values and 8 bytes in memory; the generated code and the runtime
    /// work with Numbers in between, and `realloc` names a wrapper taking Numbers.
    pub addr: Addr,
}

/// The emitter of one module.
pub struct Emit<'p> {
    /// What is known before anything is emitted.
    pub facts: &'p Facts<'p>,
    /// Module-scope identifiers handed out so far.
    pub namer: Namer,
    /// Runtime helpers (`src/runtime`) the generated code calls.
    pub runtime: BTreeSet<&'static str>,
    /// Hoisted declarations (trampolines, export wrappers, resource classes, the
    /// variables they read), in the order they were generated.
    pub decls: Vec<Stmt>,
    /// Declared state, rendered at the end.
    pub state: State,
    /// The JS class of each runtime resource that has one.
    resource_classes: HashMap<u32, String>,
    /// Resources whose class function is declared (by an export or `bare_class`).
    declared_classes: BTreeSet<u32>,
    /// The variable holding each import's value, by import index.
    imports: Vec<String>,
    /// The imports a `@weft/wasi` module serves (`imports::bind`).
    weft_wasi_imports: BTreeSet<u32>,
    /// The stream and future types whose values cross to or from those imports.
    weft_wasi_ends: BTreeSet<TypeId>,
    /// The `webidl:` imports, bound to the platform (`webidl.rs`).
    webidl_imports: BTreeSet<u32>,
    /// The variables holding platform interfaces and namespaces, by IDL name, and the
    /// checks `webidl.rs` registered once each (as the statements themselves).
    pub idl_vars: std::collections::BTreeMap<String, String>,
    pub idl_checks: BTreeSet<String>,
    /// `import` declarations of the modules generated for exported components
    /// (`exports.rs`), after the component's own imports.
    pub module_imports: Vec<swc_ecma_ast::ModuleItem>,
    /// The imports object an instance of an imported component gets, by the plan
    /// import that instance is (`exports::component_args`, read by `instantiate.rs`).
    pub component_args: HashMap<u32, Box<Expr>>,
    /// The module functions that check, store or load values of large types
    /// (`abi/outline.rs`): by kind and type structure, each function's body and name.
    pub outlined: HashMap<String, Vec<(Vec<Stmt>, String)>>,
    /// The recorder, with `--record` (`record.rs`).
    pub recording: Option<crate::trace_table::TraceTable>,
}

impl<'p> Emit<'p> {
    /// An emitter whose names avoid the runtime's (`runtime_names`).
    pub fn new(facts: &'p Facts<'p>, runtime_names: &[String]) -> Self {
        let mut namer = Namer::default();
        for n in runtime_names
            .iter()
            .map(String::as_str)
            .chain(RESERVED.iter().copied())
        {
            namer.reserve(n);
        }
        Emit {
            facts,
            namer,
            runtime: BTreeSet::new(),
            decls: Vec::new(),
            state: State::default(),
            resource_classes: HashMap::new(),
            declared_classes: BTreeSet::new(),
            imports: Vec::new(),
            weft_wasi_imports: BTreeSet::new(),
            weft_wasi_ends: BTreeSet::new(),
            webidl_imports: BTreeSet::new(),
            idl_vars: std::collections::BTreeMap::new(),
            idl_checks: BTreeSet::new(),
            module_imports: Vec::new(),
            component_args: HashMap::new(),
            outlined: HashMap::new(),
            recording: None,
        }
    }

    /// Marks the import `import` as a `webidl:` one, bound to the platform.
    pub fn bound_to_platform(&mut self, import: u32) {
        self.webidl_imports.insert(import);
    }

    /// Whether the import `import` is bound to the platform.
    pub fn is_webidl_import(&self, import: u32) -> bool {
        self.webidl_imports.contains(&import)
    }

    /// Marks the import `import` as served by a `@weft/wasi` module.
    pub fn served_by_weft_wasi(&mut self, import: u32) {
        self.weft_wasi_imports.insert(import);
    }

    /// Whether a `@weft/wasi` module serves the import `import`.
    pub fn is_served_by_weft_wasi(&self, import: u32) -> bool {
        self.weft_wasi_imports.contains(&import)
    }

    /// Marks the stream or future type `t` as one whose values cross to or from an import
    /// a `@weft/wasi` module serves.
    pub fn crosses_weft_wasi(&mut self, t: TypeId) {
        self.weft_wasi_ends.insert(t);
    }

    /// The binding of the elements of the stream or future type `t` as the host sees
    /// them: weft's own for a type whose values cross to or from `@weft/wasi` (a guest's
    /// copy codec serves every host end of its type, so one binding per type), else the
    /// run's.
    pub fn binding_of_end_type(&self, t: TypeId) -> &'static dyn Binding {
        if self.weft_wasi_ends.contains(&t) {
            crate::binding::binding(crate::options::Compat::Native)
        } else {
            self.facts.binding
        }
    }

    /// The binding of the values passed to and from the import `import`: weft's own for
    /// one `@weft/wasi` serves (its shims speak weft's shapes under any `--compat`), else
    /// the run's.
    pub fn binding_of_import(&self, import: u32) -> &'static dyn Binding {
        if self.webidl_imports.contains(&import) {
            crate::binding::webidl()
        } else if self.weft_wasi_imports.contains(&import) {
            crate::binding::binding(crate::options::Compat::Native)
        } else {
            self.facts.binding
        }
    }

    /// The plan being generated.
    pub fn plan(&self) -> &'p weft_core::Plan {
        self.facts.plan
    }

    /// Marks a runtime helper as used.
    pub fn runtime(&mut self, name: &'static str) {
        self.runtime.insert(name);
    }

    /// `name`, marked as a used runtime helper, as an expression.
    pub fn rt(&mut self, name: &'static str) -> Box<Expr> {
        self.runtime(name);
        id(name)
    }

    /// Records the variable holding the value of the next import.
    pub fn add_import(&mut self, var: String) {
        self.imports.push(var);
    }

    /// The `AsyncInstance` of a component instance.
    pub fn async_instance(&mut self, instance: u32) -> String {
        self.handle_table(instance);
        self.runtime("AsyncInstance");
        self.state.async_instance(instance)
    }

    /// An expression for the (lazily made) `Lift` of `key`, built by `make` once:
    /// `(liftN ??= new Lift(...))`, made on first use, after the core instances exist.
    pub fn lift_var(
        &mut self,
        key: String,
        make: impl FnOnce(&mut Self) -> Box<Expr>,
    ) -> Box<Expr> {
        let (var, e) = match self.state.lift(&key) {
            Some(made) => made,
            None => {
                let e = make(self);
                (self.state.add_lift(key, e.clone()), e)
            }
        };
        nullish_assign(&var, e)
    }

    /// With core handle tables (`Facts::core_handles`): the variable of one of the
    /// functions of `instance`'s table, and the resource type's number for it.
    ///
    /// # Errors
    /// A bug when the instance has no table in the core module.
    pub fn core_table_fn(
        &mut self,
        instance: u32,
        r: ResourceIdx,
        which: fn(&TableFns) -> &CoreDef,
    ) -> anyhow::Result<(String, Box<Expr>)> {
        let plan = self.facts.plan;
        let table = plan
            .handles
            .as_ref()
            .and_then(|h| h.tables.get(instance as usize))
            .and_then(Option::as_ref)
            .or_bug("a handle moved in a component instance without a core table")?;
        Ok((self.core_def(which(table)), num(f64::from(r.0) + 1.0)))
    }

    /// With core handle tables: the variable of `begin-call` or `end-call`.
    pub fn core_scope_fn(&mut self, begin: bool) -> Option<String> {
        let h = self.facts.plan.handles.as_ref()?;
        Some(self.core_def(if begin { &h.begin_call } else { &h.end_call }))
    }

    /// The handle table of a component instance: the runtime's `HandleTable`, or with
    /// core tables that hold the async machinery's objects, a `CoreHandleTable` over
    /// the lowered module's.
    pub fn handle_table(&mut self, instance: u32) -> String {
        let facts = self.facts;
        let core = (facts.plan.handles.as_ref())
            .filter(|h| h.host_objects)
            .and_then(|h| h.tables.get(instance as usize)?.as_ref());
        match core {
            Some(t) => {
                self.runtime("CoreHandleTable");
                self.state.core_table(instance, t);
            }
            None => self.runtime("HandleTable"),
        }
        self.state.handle_table(instance)
    }

    /// With core tables that hold the async machinery's objects: `coreScopes`, the
    /// lowered module's scope functions the async runtime ends scopes with.
    pub fn core_scopes(&mut self) -> Option<String> {
        let h = self
            .facts
            .plan
            .handles
            .as_ref()
            .filter(|h| h.host_objects)?;
        Some(self.state.core_scopes([&h.scope_borrows, &h.release_lends]))
    }

    /// The `ResourceType` object of a runtime resource.
    pub fn resource_type(&mut self, r: ResourceIdx) -> String {
        self.runtime("ResourceType");
        self.state.resource_type(r)
    }

    fn host_reps(&mut self) -> Box<Expr> {
        self.state.use_host_reps();
        self.runtime("HostReps");
        id("hostReps")
    }

    /// Registers what the resource types used so far need at run time: each
    /// destructor as a hoisted core item, `hostReps` for host resources. Run once, after
    /// every function is generated and before the instantiation sequence.
    pub fn hoist_resource_needs(&mut self) {
        for r in self.state.resource_types() {
            match &self.plan().resources[r.0 as usize] {
                Resource::Defined { dtor: Some(d), .. } => {
                    self.core_def(d);
                    // The destructor's guard (`State::resource_type_decl`).
                    if self.facts.core_exceptions {
                        self.runtime("boundaryError");
                    }
                }
                Resource::Host { .. } => {
                    self.host_reps();
                    // The host destructor's guard (`State::resource_type_decl`).
                    if self.facts.core_exceptions {
                        self.runtime("boundaryError");
                    }
                }
                Resource::Defined { dtor: None, .. } => {}
            }
        }
    }

    /// The JS class of a runtime resource.
    pub fn resource_class(&mut self, r: ResourceIdx) -> String {
        if let Some(c) = self.resource_classes.get(&r.0) {
            return c.clone();
        }
        let base = match &self.plan().resources[r.0 as usize] {
            Resource::Defined { name, .. } => self.facts.binding.class(name),
            Resource::Host { .. } => format!("HostResource{}", r.0),
        };
        let name = self.namer.fresh(&base);
        self.resource_classes.insert(r.0, name.clone());
        name
    }

    /// Names the class of an exported resource after its export name (`name`), unless
    /// it has one already.
    pub fn name_export_class(&mut self, r: ResourceIdx, name: &str) {
        if !self.resource_classes.contains_key(&r.0) {
            let n = self.namer.fresh(&self.facts.binding.class(name));
            self.resource_classes.insert(r.0, n);
        }
    }

    /// Marks the class of `r` as declared; true the first time.
    pub fn declare_class(&mut self, r: ResourceIdx) -> bool {
        self.declared_classes.insert(r.0)
    }

    /// The classes named but not declared by an export, by resource, in resource order.
    pub fn undeclared_classes(&self) -> Vec<(ResourceIdx, String)> {
        let mut v: Vec<(ResourceIdx, String)> = self
            .resource_classes
            .iter()
            .filter(|(r, _)| !self.declared_classes.contains(r))
            .map(|(r, c)| (ResourceIdx(*r), c.clone()))
            .collect();
        v.sort_by_key(|(r, _)| r.0);
        v
    }

    /// Rep of a JS object moved into a guest as `own`.
    pub fn take_rep(&mut self, r: ResourceIdx, v: Box<Expr>) -> Box<Expr> {
        if self.facts.is_host_resource(r) {
            let reps = self.host_reps();
            return method(reps, "own", vec![v]);
        }
        let rt = id(&self.resource_type(r));
        call(self.rt("takeRep"), vec![v, rt])
    }

    /// Rep of a JS object lent to a guest as `borrow`.
    pub fn borrow_rep(&mut self, r: ResourceIdx, v: Box<Expr>) -> Box<Expr> {
        if self.facts.is_host_resource(r) {
            let reps = self.host_reps();
            return method(reps, "lend", vec![v, id("cx")]);
        }
        let rt = id(&self.resource_type(r));
        call(self.rt("borrowRep"), vec![v, rt])
    }

    /// JS object for an owned rep handed to JS.
    pub fn wrap_own(&mut self, r: ResourceIdx, rep: Box<Expr>) -> Box<Expr> {
        if self.facts.is_host_resource(r) {
            let reps = self.host_reps();
            return method(reps, "take", vec![rep]);
        }
        let cls = id(&self.resource_class(r));
        let rt = id(&self.resource_type(r));
        call(self.rt("wrapOwn"), vec![cls, rt, rep])
    }

    /// JS object for a borrowed rep handed to JS.
    pub fn wrap_borrow(&mut self, r: ResourceIdx, rep: Box<Expr>) -> Box<Expr> {
        if self.facts.is_host_resource(r) {
            let reps = self.host_reps();
            return method(reps, "get", vec![rep]);
        }
        let cls = id(&self.resource_class(r));
        let rt = id(&self.resource_type(r));
        call(self.rt("wrapBorrow"), vec![cls, rt, rep])
    }

    /// A variable holding a core item, assigned once its instance exists.
    pub fn core_def(&mut self, def: &CoreDef) -> String {
        self.state.core_def(def)
    }

    /// A function returning a current `DataView` of `memory`.
    pub fn view_fn(&mut self, memory: &str) -> String {
        self.state.view_fn(memory)
    }

    /// The `atN` constant holding a path root (`State::path_root`).
    pub fn path_root(&mut self, root: &str) -> String {
        self.state.path_root(root)
    }

    /// The `enumN` table of an enum type's cases (`State::enum_table`).
    pub fn enum_table(&mut self, cases: &[String]) -> String {
        self.state.enum_table(cases)
    }

    /// The memory context of a set of canonical options (`None` without a memory).
    pub fn mem_cx(&mut self, o: &CanonOptions) -> Option<MemCx> {
        let memory = o.memory.as_ref().map(|m| self.core_def(m))?;
        let view = self.view_fn(&memory);
        let realloc = o.realloc.as_ref().map(|r| self.core_def(r));
        let realloc = match o.addr {
            Addr::I32 => realloc,
            Addr::I64 => realloc.map(|r| {
                self.runtime("addrNum");
                self.state.wide_realloc(&r)
            }),
        };
        Some(MemCx {
            memory,
            view,
            realloc,
            encoding: o.encoding,
            encoding_var: None,
            addr: o.addr,
        })
    }

    /// The JS expression for a host item: the import's variable, then a property per
    /// path element.
    pub fn host_expr(&self, h: &HostRef) -> Box<Expr> {
        let mut e = id(&self.imports[h.import.0 as usize]);
        for p in &h.path {
            e = member(e, &self.item_name(p));
        }
        e
    }

    /// The host's class of the host resource type `h` names (the import, or its
    /// instance's member in the binding's class spelling: `R` for `r`).
    pub fn host_class_expr(&self, h: &HostRef) -> Box<Expr> {
        let Some((last, path)) = h.path.split_last() else {
            return self.host_expr(h);
        };
        let instance = HostRef {
            import: h.import,
            path: path.to_vec(),
        };
        member(self.host_expr(&instance), &self.facts.binding.class(last))
    }

    /// The name of the variable holding the value of import `import`.
    pub fn import_name(&self, import: u32) -> &str {
        &self.imports[import as usize]
    }

    /// The variable holding the value of import `import`.
    pub fn import_var(&self, import: u32) -> Box<Expr> {
        id(self.import_name(import))
    }

    /// The JS property name of an instance export: functions camelCase, resources
    /// UpperCamelCase; names with `:` or `/` (whole interfaces) as they are.
    pub fn item_name(&self, name: &str) -> String {
        match fn_kind(name) {
            FnKind::Free(n) => {
                if n.contains(':') || n.contains('/') {
                    n.to_string()
                } else {
                    self.facts.binding.member_function(n)
                }
            }
            _ => camel(name),
        }
    }
}

/// `cx.core`: the number of the call's borrow scope in the core module's tables
/// (`call::call_context` opens it).
pub fn core_scope() -> Box<Expr> {
    member(id("cx"), "core")
}
