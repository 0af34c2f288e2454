//! `lower_plan`: a plan whose core instances are one core module, and the names of
//! that module's imports.

use std::collections::{BTreeSet, HashSet};

use anyhow::Result;
use weft_core::plan::{
    Builtin, CoreDef, CoreInstanceIdx, ExportItem, HostRef, Initializer, Module, ModuleIdx,
    ModuleRef, Plan, Resource, Trampoline, TrampolineIdx,
};

use crate::adapter;
use crate::defs;
use crate::link::{INIT_EXPORT, WEFT, link};

/// `plan` with its core instances linked into one module ([`link`]): one initializer
/// instantiating it with the trampolines, every core item the plan names an export of
/// it, and its start sequence the plan's [`Plan::init`]. The fused adapters
/// [`adapter::in_core`] accepts become functions of the module (their trampolines
/// [`Trampoline::InCore`]); `concurrent` says that the glue runs weft's async machinery,
/// whose adapters stay in it. The plans of the components it exports are left as they
/// are (lowered on their own when they are generated).
///
/// # Errors
/// Fails for a plan that instantiates a core module or a component its host gives.
pub fn lower_plan(plan: &Plan, concurrent: bool) -> Result<Plan> {
    // Without core code there is nothing to link, unless the component lifts a
    // `resource.*` built-in: then the module is its tables and that function.
    if plan.initializers.is_empty() && !plan.trampolines.iter().any(is_resource_builtin) {
        return Ok(plan.clone());
    }
    let mut out = plan.clone();
    let mut wanted = Vec::new();
    defs::each_def(&mut out, &mut |d| wanted.push(d.clone()));
    // An adapter compiles in when only core instances import it (a trampoline the glue
    // names as a realloc or a callback must stay a JS function).
    let named: BTreeSet<TrampolineIdx> = wanted
        .iter()
        .filter_map(|d| match d {
            CoreDef::Trampoline(t) => Some(*t),
            _ => None,
        })
        .collect();
    // A core exception must not cross from one component into another: the JS adapter
    // turns one into a trap (`boundaryError`), and so does a core adapter of a component
    // whose modules can throw (`catch.rs`).
    let throws = plan.modules.iter().any(|m| m.throws);
    // The handle tables are core wasm (`handles.rs`) unless something keeps them JS
    // (`tables_stay_js`); a `resource.*` built-in the glue lifts is then a function of
    // the module too, which it exports.
    // With the async machinery (`concurrent`) they hold its objects too — waitables,
    // sets, subtasks, stream and future ends —, which the host keeps in a side array.
    let tables = ((!plan.resources.is_empty() || concurrent) && tables_stay_js(plan).is_none())
        .then(|| table_instances(plan));
    let in_core: BTreeSet<TrampolineIdx> = (0..)
        .zip(&plan.trampolines)
        .filter(|(i, t)| match t {
            Trampoline::Adapter { callee, options } => {
                !named.contains(&TrampolineIdx(*i))
                    && adapter::in_core(plan, callee, options, concurrent, tables.is_some())
            }
            t if is_resource_builtin(t) => tables.is_some(),
            // The waitable and backpressure built-ins work on the instance's state the
            // tables keep with the async machinery's objects; not when the glue lifts one
            // itself.
            t => {
                tables.is_some()
                    && concurrent
                    && is_state_builtin(t)
                    && !named.contains(&TrampolineIdx(*i))
            }
        })
        .map(|(i, _)| TrampolineIdx(i))
        .collect();
    // The adapters between components of an async component stay the glue's (they are
    // tasks), with their value moves compiled in when they fit.
    let movers: BTreeSet<TrampolineIdx> = (0..)
        .zip(&plan.trampolines)
        .filter(|(i, t)| match t {
            Trampoline::Adapter { callee, options } => {
                concurrent
                    && !in_core.contains(&TrampolineIdx(*i))
                    && adapter::movers_refusal(plan, callee, options, tables.is_some()).is_none()
            }
            _ => false,
        })
        .map(|(i, _)| TrampolineIdx(i))
        .collect();
    let names = ImportNames::new(plan);
    let linked = link(
        plan,
        &wanted,
        &in_core,
        &movers,
        tables.as_deref(),
        concurrent,
        &|t| names.of(t),
    )?;
    let lowers_backpressure: BTreeSet<u32> = in_core
        .iter()
        .filter_map(|t| match &out.trampolines[t.0 as usize] {
            Trampoline::Builtin {
                builtin: Builtin::BackpressureDec,
                instance,
            } => Some(instance.0),
            _ => None,
        })
        .collect();
    for t in &in_core {
        out.trampolines[t.0 as usize] = Trampoline::InCore;
    }
    let module = ModuleIdx(out.modules.len() as u32);
    out.modules.push(Module {
        bytes: linked.bytes,
        throws,
        memory64: plan.modules.iter().any(|m| m.memory64),
        multi_memory: linked.memories > 1,
        cancels_in_set: plan.modules.iter().any(|m| m.cancels_in_set),
    });
    let instance = CoreInstanceIdx(0);
    out.initializers = vec![Initializer::Instantiate {
        instance,
        module: ModuleRef::Static(module),
        imports: linked.imports,
    }];
    out.core_instances = 1;
    let exports = linked.exports;
    defs::each_def(&mut out, &mut |d| {
        if let Some(name) = exports.get(d) {
            *d = CoreDef::Export {
                instance,
                name: name.clone(),
            };
        }
    });
    if linked.init {
        out.init = Some(CoreDef::Export {
            instance,
            name: INIT_EXPORT.to_string(),
        });
    }
    out.movers = linked.movers;
    out.handles = linked.handles.map(|mut h| {
        h.lowers_backpressure = lowers_backpressure.into_iter().collect();
        h
    });
    Ok(out)
}

/// What keeps `plan`'s handle tables in JS, in a few words (`None`: they can be core
/// wasm): a resource with a 64-bit rep (🐘 `(rep i64)`: a slot holds an `i32`), more
/// resource types than a slot's type field numbers. (Core code that can throw keeps its
/// tables in wasm: `resource.drop` catches what another instance's destructor throws,
/// `catch.rs`.)
pub(crate) fn tables_stay_js(plan: &Plan) -> Option<&'static str> {
    if plan
        .resources
        .iter()
        .any(|r| matches!(r, Resource::Defined { wide: true, .. }))
    {
        Some("a resource has a 64-bit rep, which the core tables do not hold yet")
    } else if plan.resources.len() >= weft_core::plan::WAITABLE_SET as usize {
        Some("it has more resource types than the core tables number")
    } else {
        None
    }
}

/// A built-in of an instance's state that the module implements: `waitable-set.new`,
/// `.drop`, `waitable.join`, `waitable-set.poll` into a 32-bit memory
/// (`handles/waitables.rs`), `backpressure.inc` and `.dec` (`handles/mod.rs`).
fn is_state_builtin(t: &Trampoline) -> bool {
    let Trampoline::Builtin { builtin, .. } = t else {
        return false;
    };
    match builtin {
        Builtin::WaitableSetNew
        | Builtin::WaitableSetDrop
        | Builtin::WaitableJoin
        | Builtin::BackpressureInc
        | Builtin::BackpressureDec => true,
        Builtin::WaitableSetPoll { addr, .. } => *addr == weft_core::abi::Addr::I32,
        _ => false,
    }
}

/// `resource.new`, `resource.rep` or `resource.drop`.
pub(crate) fn is_resource_builtin(t: &Trampoline) -> bool {
    matches!(
        t,
        Trampoline::ResourceNew { .. }
            | Trampoline::ResourceRep { .. }
            | Trampoline::ResourceDrop { .. }
    )
}

/// The component instances that get a handle table: every instance a canonical
/// function or a resource type belongs to.
fn table_instances(plan: &Plan) -> Vec<u32> {
    let mut set = BTreeSet::new();
    for t in &plan.trampolines {
        match t {
            Trampoline::LowerHost { options, .. } => {
                set.insert(options.instance.0);
            }
            Trampoline::Adapter { callee, options } => {
                set.insert(options.instance.0);
                set.insert(callee.options.instance.0);
            }
            Trampoline::ResourceNew { instance, .. }
            | Trampoline::ResourceRep { instance, .. }
            | Trampoline::ResourceDrop { instance, .. }
            | Trampoline::Builtin { instance, .. } => {
                set.insert(instance.0);
            }
            Trampoline::InCore => {}
        }
    }
    for r in &plan.resources {
        if let Resource::Defined { instance, .. } = r {
            set.insert(instance.0);
        }
    }
    fn exports(items: &[(String, ExportItem)], set: &mut BTreeSet<u32>) {
        for (_, e) in items {
            match e {
                ExportItem::Func(l) => {
                    set.insert(l.options.instance.0);
                }
                ExportItem::Instance(inner) => exports(inner, set),
                _ => {}
            }
        }
    }
    exports(&plan.exports, &mut set);
    set.into_iter().collect()
}

/// How the linked module names its imports: a host function under its import's name and
/// the path into it (`wasi:cli/stdout@0.2.0` `get-stdout`, `$root` `f` for a function
/// the component imports alone), numbered when it is lowered more than once (with other
/// options: another memory, another encoding); anything else under `weft`, numbered and
/// named for what it does (`3:adapter`, `5:waitable-set.wait`).
pub struct ImportNames<'p> {
    plan: &'p Plan,
    /// The host functions lowered more than once.
    twice: HashSet<&'p HostRef>,
}

impl<'p> ImportNames<'p> {
    pub fn new(plan: &'p Plan) -> Self {
        let mut seen = HashSet::new();
        let mut twice = HashSet::new();
        for t in &plan.trampolines {
            if let Trampoline::LowerHost { callee, .. } = t
                && !seen.insert(callee)
            {
                twice.insert(callee);
            }
        }
        ImportNames { plan, twice }
    }

    /// The (module, name) of trampoline `t`'s import.
    pub fn of(&self, t: TrampolineIdx) -> (String, String) {
        let what = match &self.plan.trampolines[t.0 as usize] {
            Trampoline::LowerHost { callee, .. } => {
                let import = self.plan.imports[callee.import.0 as usize].name.clone();
                let (module, name) = if callee.path.is_empty() {
                    ("$root".to_string(), import)
                } else {
                    (import, callee.path.join("#"))
                };
                return if self.twice.contains(callee) {
                    (module, format!("{name}#{}", t.0))
                } else {
                    (module, name)
                };
            }
            Trampoline::Adapter { .. } | Trampoline::InCore => "adapter",
            Trampoline::ResourceNew { .. } => "resource.new",
            Trampoline::ResourceRep { .. } => "resource.rep",
            Trampoline::ResourceDrop { .. } => "resource.drop",
            Trampoline::Builtin { builtin, .. } => builtin_name(builtin),
        };
        (WEFT.to_string(), format!("{}:{what}", t.0))
    }
}

/// The Component Model's name of a built-in.
pub(crate) fn builtin_name(b: &Builtin) -> &'static str {
    use weft_core::plan::AsyncKind::{Future, Stream};
    match b {
        Builtin::ContextGet(..) => "context.get",
        Builtin::ContextSet(..) => "context.set",
        Builtin::BackpressureInc => "backpressure.inc",
        Builtin::BackpressureDec => "backpressure.dec",
        Builtin::TaskReturn { .. } => "task.return",
        Builtin::TaskCancel => "task.cancel",
        Builtin::ThreadYield => "thread.yield",
        Builtin::ThreadIndex => "thread.index",
        Builtin::ThreadNewIndirect { .. } => "thread.new-indirect",
        Builtin::ThreadResumeLater => "thread.resume-later",
        Builtin::ThreadSuspend => "thread.suspend",
        Builtin::ThreadSwitch { .. } => "thread.switch",
        Builtin::WaitableSetNew => "waitable-set.new",
        Builtin::WaitableSetWait { .. } => "waitable-set.wait",
        Builtin::WaitableSetPoll { .. } => "waitable-set.poll",
        Builtin::WaitableSetDrop => "waitable-set.drop",
        Builtin::WaitableJoin => "waitable.join",
        Builtin::SubtaskCancel { .. } => "subtask.cancel",
        Builtin::SubtaskDrop => "subtask.drop",
        Builtin::New { kind: Stream, .. } => "stream.new",
        Builtin::New { kind: Future, .. } => "future.new",
        Builtin::Copy {
            kind: Stream,
            write: false,
            ..
        } => "stream.read",
        Builtin::Copy {
            kind: Stream,
            write: true,
            ..
        } => "stream.write",
        Builtin::Copy {
            kind: Future,
            write: false,
            ..
        } => "future.read",
        Builtin::Copy {
            kind: Future,
            write: true,
            ..
        } => "future.write",
        Builtin::CancelCopy {
            kind: Stream,
            write: false,
            ..
        } => "stream.cancel-read",
        Builtin::CancelCopy {
            kind: Stream,
            write: true,
            ..
        } => "stream.cancel-write",
        Builtin::CancelCopy {
            kind: Future,
            write: false,
            ..
        } => "future.cancel-read",
        Builtin::CancelCopy {
            kind: Future,
            write: true,
            ..
        } => "future.cancel-write",
        Builtin::Drop {
            kind: Stream,
            writable: false,
            ..
        } => "stream.drop-readable",
        Builtin::Drop {
            kind: Stream,
            writable: true,
            ..
        } => "stream.drop-writable",
        Builtin::Drop {
            kind: Future,
            writable: false,
            ..
        } => "future.drop-readable",
        Builtin::Drop {
            kind: Future,
            writable: true,
            ..
        } => "future.drop-writable",
        Builtin::Forward { kind: Stream, .. } => "stream.forward",
        Builtin::Forward { kind: Future, .. } => "future.forward",
        Builtin::ErrorContextNew { .. } => "error-context.new",
        Builtin::ErrorContextDebugMessage { .. } => "error-context.debug-message",
        Builtin::ErrorContextDrop => "error-context.drop",
    }
}
