//! The registry of the state a generated module declares: per top-level instantiation,
//! the trap flag, the hoisted core items, the memory views, the handle tables, the
//! resource types, the async instances, the lazily made `Lift`s and the link variables.
//!
//! Generators register what they use while they emit code (`Emit` forwards to this
//! registry); [`State::render`] declares all of it at the end, in one fixed order, so no
//! generator depends on what was declared before it ran. ARCHITECTURE.md ("Where state
//! lives") describes each variable.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Result;
use swc_ecma_ast::{BinaryOp, Expr, Stmt};
use weft_core::bug;
use weft_core::plan::{CoreDef, CoreInstanceIdx, Hook, Resource, TableFns};
use weft_core::types::ResourceIdx;

use crate::ast::*;
use crate::facts::Facts;

/// The declared state of one module.
#[derive(Default)]
pub struct State {
    /// Core items (exports of core instances) that generated functions read, as
    /// `coreN` variables assigned right after their instance exists; in first-use order.
    core_defs: Vec<(CoreDef, String)>,
    core_def_names: HashMap<CoreDef, String>,
    /// Memory variable → the `viewN` function returning its current `DataView`.
    views: BTreeMap<String, String>,
    /// Wrappers of the `realloc`s of 64-bit memories, by the realloc's variable.
    wide_reallocs: BTreeMap<String, String>,
    /// Some code lends or moves host objects to guests (`hostReps`).
    host_reps: bool,
    /// With `--record`: per host resource, the recorder and the index of its drop.
    recorded_drops: BTreeMap<u32, (String, u32)>,
    /// Component instances with a handle table (`handlesN`).
    tables: BTreeSet<u32>,
    /// Those whose table a lowered module keeps (`CoreHandleTable`), with the variables
    /// of its functions (`CoreHandleTable.bind`'s arguments) and their core instance.
    core_tables: BTreeMap<u32, (CoreInstanceIdx, CoreTableVars)>,
    /// The lowered module's `scope-borrows` and `release-lends` (`coreScopes`), when
    /// the async runtime ends core scopes.
    core_scopes: Option<(CoreInstanceIdx, [String; 2])>,
    /// Component instances with concurrency state (`aiN`, an `AsyncInstance`).
    async_instances: BTreeSet<u32>,
    /// Lazily made `Lift` descriptors: (variable, constructor call), in creation order.
    lifts: Vec<(String, Box<Expr>)>,
    /// The index in `lifts` of the `Lift` made for each key.
    lift_index: HashMap<String, usize>,
    /// `let` variables of direct links (`link.rs`), in creation order.
    link_vars: Vec<String>,
    /// Runtime resources with a `ResourceType` object (`rtN`).
    resource_types: BTreeMap<u32, String>,
    /// The JS values of each enum type's cases, by their list: `enumN` (the cases in
    /// order, for lifting) and `enumNIndex` (a `Map` from case to index, for checking
    /// and lowering). Shared by every function with a value of that enum type.
    enums: BTreeMap<Vec<String>, String>,
    /// The roots of value paths in messages (`abi::check::Path`) that are long enough
    /// to be worth a module constant `atN`: checks repeat them.
    path_roots: BTreeMap<String, String>,
}

impl State {
    /// The variable holding a core item: `trampolineN` for a trampoline, else a `coreN`
    /// assigned once its instance exists.
    pub fn core_def(&mut self, def: &CoreDef) -> String {
        match def {
            CoreDef::Trampoline(t) => format!("trampoline{}", t.0),
            CoreDef::Hook(h) => hook_var(*h).to_string(),
            CoreDef::Export { .. } => {
                if let Some(n) = self.core_def_names.get(def) {
                    return n.clone();
                }
                let n = format!("core{}", self.core_defs.len());
                self.core_defs.push((def.clone(), n.clone()));
                self.core_def_names.insert(def.clone(), n.clone());
                n
            }
        }
    }

    /// The variable of a core item registered before, if it was.
    fn hoisted(&self, def: &CoreDef) -> Option<String> {
        match def {
            CoreDef::Trampoline(t) => Some(format!("trampoline{}", t.0)),
            CoreDef::Hook(h) => Some(hook_var(*h).to_string()),
            CoreDef::Export { .. } => self.core_def_names.get(def).cloned(),
        }
    }

    /// The core items of `instance` that code reads: (export name, variable).
    pub fn core_defs_of(&self, instance: CoreInstanceIdx) -> Vec<(String, String)> {
        self.core_defs
            .iter()
            .filter_map(|(def, var)| match def {
                CoreDef::Export { instance: i, name } if *i == instance => {
                    Some((name.clone(), var.clone()))
                }
                _ => None,
            })
            .collect()
    }

    /// A function calling the `realloc` of a 64-bit memory (🐘) held in variable
    /// `realloc` with Numbers and returning a Number, as the runtime's string helpers
    /// call realloc: `(a, b, c, d) => addrNum(realloc(BigInt(a), …))` (the caller
    /// marks `addrNum` used).
    pub fn wide_realloc(&mut self, realloc: &str) -> String {
        numbered(&mut self.wide_reallocs, realloc, "realloc64_")
    }

    /// The function returning a current `DataView` of `memory`.
    pub fn view_fn(&mut self, memory: &str) -> String {
        numbered(&mut self.views, memory, "view")
    }

    /// Declares `hostReps`.
    pub fn use_host_reps(&mut self) {
        self.host_reps = true;
    }

    /// Records the drops of host resource `r` with `recorder`'s function `i`.
    pub fn record_host_drop(&mut self, r: ResourceIdx, recorder: String, i: u32) {
        self.recorded_drops.insert(r.0, (recorder, i));
    }

    /// The handle table of a component instance.
    pub fn handle_table(&mut self, instance: u32) -> String {
        self.tables.insert(instance);
        format!("handles{instance}")
    }

    /// Makes `instance`'s table a `CoreHandleTable` over the lowered module's functions.
    pub fn core_table(&mut self, instance: u32, t: &TableFns) {
        if self.core_tables.contains_key(&instance) {
            return;
        }
        let at = core_instance_of(&t.table_new);
        let w = &t.waitables;
        let vars = CoreTableVars {
            slots: [
                &t.table_new,
                &t.table_kind,
                &t.table_remove,
                &t.backpressure,
            ]
            .map(|d| self.core_def(d)),
            waitables: [
                ("pend", &w.pend),
                ("sync", &w.sync),
                ("setOf", &w.set_of),
                ("leave", &w.leave),
                ("ready", &w.ready),
                ("take", &w.take),
                ("wait", &w.wait),
            ]
            .map(|(k, d)| (k, self.core_def(d))),
        };
        self.core_tables.insert(instance, (at, vars));
    }

    /// `{ 0: handles0, … }`: the tables a lowered module keeps, by component instance
    /// (the `event` hook finds a waitable's by it).
    pub fn core_tables_by_instance(&self) -> Box<Expr> {
        object(
            self.core_tables
                .keys()
                .map(|t| (t.to_string(), id(&format!("handles{t}"))))
                .collect(),
        )
    }

    /// `coreScopes`, over the lowered module's `scope-borrows` and `release-lends`.
    pub fn core_scopes(&mut self, defs: [&CoreDef; 2]) -> String {
        if self.core_scopes.is_none() {
            let at = core_instance_of(defs[0]);
            let vars = defs.map(|d| self.core_def(d));
            self.core_scopes = Some((at, vars));
        }
        "coreScopes".into()
    }

    /// What binds the core tables and scopes to core instance `instance`'s functions,
    /// once it exists: `handlesN.bind(new, kind, remove)`, `coreScopes = { … }`.
    pub fn core_bindings(&self, instance: CoreInstanceIdx) -> Vec<Stmt> {
        let mut out = Vec::new();
        for (t, (at, vars)) in &self.core_tables {
            if *at == instance {
                let table = id(&format!("handles{t}"));
                let mut args: Vec<Box<Expr>> = vars.slots.iter().map(|v| id(v)).collect();
                let w = vars.waitables.iter().map(|(k, v)| (k.to_string(), id(v)));
                args.push(object(w.collect()));
                out.push(expr_stmt(method(table, "bind", args)));
            }
        }
        if let Some((at, [b, r])) = &self.core_scopes
            && *at == instance
        {
            let scopes = object(vec![("borrows".into(), id(b)), ("release".into(), id(r))]);
            out.push(assign("coreScopes", scopes));
        }
        out
    }

    /// The `AsyncInstance` of a component instance (its handle table included).
    pub fn async_instance(&mut self, instance: u32) -> String {
        self.handle_table(instance);
        self.async_instances.insert(instance);
        format!("ai{instance}")
    }

    /// The variable and constructor call of the `Lift` known by `key`, if made.
    pub fn lift(&self, key: &str) -> Option<(String, Box<Expr>)> {
        self.lift_index.get(key).map(|&i| self.lifts[i].clone())
    }

    /// Registers the `Lift` known by `key`, made by the constructor call `e`; returns
    /// its variable.
    pub fn add_lift(&mut self, key: String, e: Box<Expr>) -> String {
        let var = format!("lift{}", self.lifts.len());
        self.lift_index.insert(key, self.lifts.len());
        self.lifts.push((var.clone(), e));
        var
    }

    /// Declares `let` variables of a direct link.
    pub fn declare_link_vars(&mut self, vars: &[&String]) {
        self.link_vars.extend(vars.iter().map(|v| (*v).clone()));
    }

    /// The `enumN` variable of the enum type whose cases (JS values) are `cases`;
    /// `enumNIndex` is its `Map` from case to index.
    pub fn enum_table(&mut self, cases: &[String]) -> String {
        let n = self.enums.len();
        self.enums
            .entry(cases.to_vec())
            .or_insert_with(|| format!("enum{n}"))
            .clone()
    }

    /// The `atN` constant holding the text `root`.
    pub fn path_root(&mut self, root: &str) -> String {
        numbered(&mut self.path_roots, root, "at")
    }

    /// The `ResourceType` object of a runtime resource.
    pub fn resource_type(&mut self, r: ResourceIdx) -> String {
        self.resource_types
            .entry(r.0)
            .or_insert_with(|| format!("rt{}", r.0))
            .clone()
    }

    /// The runtime resources with a `ResourceType`.
    pub fn resource_types(&self) -> Vec<ResourceIdx> {
        self.resource_types
            .keys()
            .map(|r| ResourceIdx(*r))
            .collect()
    }

    /// The declarations of everything registered, in a fixed order: the trap flag, core
    /// items, memory views, host reps, handle tables, async instances, lifts, link
    /// variables, resource types, enum tables, path roots.
    ///
    /// # Errors
    /// A bug when a resource's destructor was not registered as a core item before.
    pub fn render(&self, facts: &Facts<'_>) -> Result<Vec<Stmt>> {
        let mut state = vec![let_("poisoned", Some(bool_(false)))];
        // Fused adapters compiled into the core module read the flag from a global.
        if facts.poison_flag {
            state.push(const_("poisonFlag", mutable_i32_global(0.0)));
        }
        for (_, var) in &self.core_defs {
            state.push(let_(var, None));
        }
        for (memory, view) in &self.views {
            state.extend(view_decls(memory, view));
        }
        for (realloc, wrapper) in &self.wide_reallocs {
            let params = ["a", "b", "c", "d"].map(String::from);
            let args = params
                .iter()
                .map(|p| call_id("BigInt", vec![id(p)]))
                .collect();
            let body = call_id("addrNum", vec![call_id(realloc, args)]);
            state.push(const_(wrapper, arrow(&params, body)));
        }
        if self.host_reps {
            state.push(const_("hostReps", new_(id("HostReps"), vec![])));
        }
        for t in &self.tables {
            let class = if self.core_tables.contains_key(t) {
                "CoreHandleTable"
            } else {
                "HandleTable"
            };
            state.push(const_(&format!("handles{t}"), new_(id(class), vec![])));
        }
        if self.core_scopes.is_some() {
            state.push(let_("coreScopes", None));
        }
        // One `poison` for all: the runtime knows the instances of one component (one
        // instantiation), which trap together, by it.
        if !self.async_instances.is_empty() {
            let poison = arrow(&[], poison_expr(facts));
            state.push(const_("poison", poison));
        }
        // The lowered module's `may-leave` global (`Hook::MayLeave`), which the async
        // instances clear while a post-return runs.
        let may_leave = facts.plan.handles.as_ref().is_some_and(|h| h.host_objects);
        if may_leave {
            state.push(const_(hook_var(Hook::MayLeave), mutable_i32_global(1.0)));
        }
        for a in &self.async_instances {
            let mut args = vec![id(&format!("handles{a}")), id("poison")];
            // `AsyncInstance`'s flags: CANCELS_IN_SET = 1, LOWERS_BACKPRESSURE = 2.
            let flags = u8::from(facts.cancels_in_set)
                | (u8::from(facts.lowers_backpressure.contains(a)) << 1);
            if flags != 0 || may_leave {
                args.push(num(f64::from(flags)));
            }
            if may_leave {
                args.push(id(hook_var(Hook::MayLeave)));
            }
            state.push(const_(&format!("ai{a}"), new_(id("AsyncInstance"), args)));
        }
        for (var, _) in &self.lifts {
            state.push(let_(var, None));
        }
        for var in &self.link_vars {
            state.push(let_(var, None));
        }
        for (r, var) in &self.resource_types {
            state.push(self.resource_type_decl(facts, ResourceIdx(*r), var)?);
        }
        for (cases, var) in in_creation_order(&self.enums) {
            state.extend(enum_decls(cases, var));
        }
        for (root, var) in in_creation_order(&self.path_roots) {
            state.push(const_(var, str_(root)));
        }
        Ok(state)
    }

    /// `const rtN = new ResourceType(name, destructor, instance)`; the destructor
    /// (`dtor_fn`) poisons the component when the guest's code traps.
    fn resource_type_decl(&self, facts: &Facts<'_>, r: ResourceIdx, var: &str) -> Result<Stmt> {
        let (name, dtor, instance) = match &facts.plan.resources[r.0 as usize] {
            Resource::Defined {
                instance,
                dtor,
                name,
                ..
            } => {
                let d = match dtor {
                    Some(d) => {
                        let Some(f) = self.hoisted(d) else {
                            bug!("the destructor of resource `{name}` is not a hoisted core item")
                        };
                        dtor_fn(facts, &f)
                    }
                    None => null(),
                };
                (name.clone(), d, f64::from(instance.0))
            }
            Resource::Host { host } => {
                if !self.host_reps {
                    bug!("a host resource type without `hostReps`");
                }
                let recorded = self.recorded_drops.get(&r.0);
                (facts.host_label(host), host_dtor_fn(facts, recorded), -1.0)
            }
        };
        Ok(const_(
            var,
            new_(id("ResourceType"), vec![str_(&name), dtor, num(instance)]),
        ))
    }
}

/// `viewN()` and its cache: a memory's buffer is detached (length 0) when it grows, so
/// the cached view is refreshed only then, without reading the `buffer` getter (slow)
/// on every use.
/// The entries of a map filled by `numbered` (or alike), in the order their names were
/// given: by the number that ends each name.
fn in_creation_order<K>(map: &BTreeMap<K, String>) -> Vec<(&K, &String)> {
    let number = |var: &str| {
        let digits = var.trim_start_matches(|c: char| !c.is_ascii_digit());
        digits.parse::<usize>().unwrap_or(usize::MAX)
    };
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by_key(|(_, var)| number(var));
    entries
}

/// `const enumN = [cases]` and `const enumNIndex = new Map(enumN.map((c, i) => [c, i]))`.
fn enum_decls(cases: &[String], var: &str) -> [Stmt; 2] {
    let list = const_(var, array(cases.iter().map(|c| str_(c)).collect()));
    let params = ["c", "i"].map(String::from);
    let pairs = method(
        id(var),
        "map",
        vec![arrow(&params, array(vec![id("c"), id("i")]))],
    );
    let index = const_(&format!("{var}Index"), new_(id("Map"), vec![pairs]));
    [list, index]
}

/// The name `map` gives `key`, or a new one: `prefix` and the number of names so far.
fn numbered(map: &mut BTreeMap<String, String>, key: &str, prefix: &str) -> String {
    let n = map.len();
    map.entry(key.to_string())
        .or_insert_with(|| format!("{prefix}{n}"))
        .clone()
}

fn view_decls(memory: &str, view: &str) -> [Stmt; 3] {
    let buf = format!("{view}Buffer");
    let dv = format!("{view}View");
    let b = member(id(memory), "buffer");
    [
        let_(&buf, Some(new_(id("ArrayBuffer"), vec![num(0.0)]))),
        let_(&dv, None),
        fn_decl(
            view,
            &[],
            vec![
                if_(
                    bin(member(id(&buf), "byteLength"), BinaryOp::EqEqEq, num(0.0)),
                    vec![
                        assign(&buf, b),
                        assign(&dv, new_(id("DataView"), vec![id(&buf)])),
                    ],
                    None,
                ),
                ret(Some(id(&dv))),
            ],
        ),
    ]
}

/// `function (rep) { if (poisoned) return; try { f(rep); } catch (e) { poisoned = true;
/// throw e; } }`: a guest destructor, which JS reaches without an export wrapper
/// (`[Symbol.dispose]`, the finalizer): a trap in it poisons the component, and a core
/// exception becomes a trap (`boundaryError`) instead of leaving the component. A
/// poisoned component is not entered: disposing one of its objects, or collecting it,
/// does nothing (docs/js-api.md, "Resources").
fn dtor_fn(facts: &Facts<'_>, f: &str) -> Box<Expr> {
    fn_expr(
        &["rep".into()],
        vec![
            if_(id("poisoned"), vec![ret(None)], None),
            try_catch(
                vec![expr_stmt(call_id(f, vec![id("rep")]))],
                "e",
                poison_and_rethrow(facts),
            ),
        ],
    )
}

/// `function (rep) { try { hostReps.drop(rep); } catch (e) { poisoned = true; throw e; }
/// }`: the destructor of a host resource, which a guest's `resource.drop` runs: the
/// host object's `[Symbol.dispose]` may throw, and that unwinds the guest mid-call.
/// With `--record` (`recorded`: the recorder and the drop's index) the drop is a
/// recorded host call: `recordImport(recorder, i, [hostReps.get(rep)], () =>
/// hostReps.drop(rep))`.
fn host_dtor_fn(facts: &Facts<'_>, recorded: Option<&(String, u32)>) -> Box<Expr> {
    let mut drop = method(id("hostReps"), "drop", vec![id("rep")]);
    if let Some((recorder, i)) = recorded {
        let object = method(id("hostReps"), "get", vec![id("rep")]);
        drop = call_id(
            "recordImport",
            vec![
                id(recorder),
                num(f64::from(*i)),
                array(vec![object]),
                arrow(&[], drop),
            ],
        );
    }
    fn_expr(
        &["rep".into()],
        vec![try_catch(
            vec![expr_stmt(drop)],
            "e",
            poison_and_rethrow(facts),
        )],
    )
}

/// `poisoned = true; throw e;`, the thrown value a trap if it is a core exception
/// (`boundaryError`, where the component can throw them).
fn poison_and_rethrow(facts: &Facts<'_>) -> Vec<Stmt> {
    let thrown = if facts.core_exceptions {
        call_id("boundaryError", vec![id("e")])
    } else {
        id("e")
    };
    vec![poison(facts), throw(thrown)]
}

/// `poisoned = true`: the instance trapped. With fused adapters compiled into the core
/// module (`Facts::poison_flag`), `poisoned = poisonFlag.value = true`: they read the
/// flag from that global.
pub fn poison_expr(facts: &Facts<'_>) -> Box<Expr> {
    let value = if facts.poison_flag {
        assign_member_expr(id("poisonFlag"), "value", bool_(true))
    } else {
        bool_(true)
    };
    assign_expr("poisoned", value)
}

/// [`poison_expr`] as a statement.
pub fn poison(facts: &Facts<'_>) -> Stmt {
    expr_stmt(poison_expr(facts))
}

/// `new WebAssembly.Global({ value: "i32", mutable: true }, value)`: a flag core code
/// imports.
fn mutable_i32_global(value: f64) -> Box<Expr> {
    let ty = object(vec![
        ("value".into(), str_("i32")),
        ("mutable".into(), bool_(true)),
    ]);
    new_(member(id("WebAssembly"), "Global"), vec![ty, num(value)])
}

/// The core instance a core item belongs to (the lowered module's: instance 0).
fn core_instance_of(def: &CoreDef) -> CoreInstanceIdx {
    match def {
        CoreDef::Export { instance, .. } => *instance,
        _ => CoreInstanceIdx(0),
    }
}

/// The variable or runtime function a host hook of core code is (`CoreDef::Hook`).
pub fn hook_var(h: Hook) -> &'static str {
    match h {
        Hook::Trap => "adapterTrap",
        Hook::Poisoned => "poisonFlag",
        Hook::ResourceDrop => "resourceDrop",
        Hook::MayLeave => "mayLeaveFlag",
        Hook::Wake => "schedule",
        Hook::Event => "coreEvent",
        Hook::MoveEnd => "moveEnd",
    }
}

/// The variables of a core table's functions: `table-new`, `table-kind`,
/// `table-remove`, `backpressure`, and the waitable state's by their names in
/// `CoreHandleTable`.
struct CoreTableVars {
    slots: [String; 4],
    waitables: [(&'static str, String); 7],
}
