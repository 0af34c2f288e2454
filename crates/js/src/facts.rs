//! What the generators know of a plan before they emit anything, computed once per
//! module and never changed afterwards: the plan and options themselves, the binding of
//! names and values, whether the component uses component-model async, and which
//! trampolines and instances may block a stack (the JSPI sets).
//!
//! Everything here is analysis of the plan; nothing here names a generated variable.

use std::collections::BTreeSet;

use weft_core::Plan;
use weft_core::abi::Flat;
use weft_core::plan::{
    AsyncKind, Builtin, CoreDef, ExportItem, Hook, HostRef, Initializer, Lifted, Resource,
    Trampoline,
};
use weft_core::types::{ResourceIdx, TypeDef, ValType};

use crate::binding::{Binding, binding};
use crate::options::Options;

/// The facts of one module being generated.
pub struct Facts<'p> {
    pub plan: &'p Plan,
    pub opts: &'p Options,
    /// Names and value shapes (`--compat`).
    pub binding: &'static dyn Binding,
    /// The component uses component-model async (or the options ask for JSPI): every
    /// call goes through tasks (`concurrency`).
    pub concurrent: bool,
    /// Host-import trampolines that may get a promise from JS (`--async-imports`).
    pub async_imports: BTreeSet<u32>,
    /// Component instances whose code may block a stack: their async lifts get JSPI
    /// entries (`lift.rs`).
    pub blocking: BTreeSet<u32>,
    /// Component instances that use 🧵 cooperative-thread built-ins, or call one that
    /// does with a synchronous lower: any of their threads may switch stacks or wait
    /// for a stack that switched, so every lift of theirs gets JSPI entries.
    pub threaded: BTreeSet<u32>,
    /// Adapters (trampoline indices) of synchronous lowers into a `threaded` instance:
    /// they may block their caller's stack, so they are behind a JSPI switch.
    pub into_threaded: BTreeSet<u32>,
    /// Trampolines behind a JSPI switch (`jspi.rs`): the core instance imports
    /// `trampolineNj` instead of `trampolineN`.
    pub jspi_switched: BTreeSet<u32>,
    /// Some core module defines or imports exception tags: a core exception may reach
    /// the component boundary, where it becomes a trap (`boundaryError`).
    pub core_exceptions: bool,
    /// Some core module has a 64-bit memory or table (🐘 memory64), which engines
    /// without memory64 cannot compile (`needMemory64`).
    pub memory64: bool,
    /// Some core module has more than one memory, which engines without multi-memory
    /// cannot compile (`needMultiMemory`).
    pub multi_memory: bool,
    /// Some core module was made by a toolchain whose async runtime cancels a read
    /// synchronously while the end is in a waitable set (`Module::cancels_in_set`).
    pub cancels_in_set: bool,
    /// Component instances whose backpressure a call may lower: their code has
    /// `backpressure.dec` and a function whose type is not `async` (backpressure does
    /// not hold those back) can enter them. A call held back by their backpressure is
    /// not a deadlock while the host may still call in.
    pub lowers_backpressure: BTreeSet<u32>,
    /// The plan's one core module has fused adapters compiled in (weft-lower): they
    /// read the poisoned flag from a wasm global, which every poisoning sets too
    /// (`state::poison`).
    pub poison_flag: bool,
    /// The handle tables are core wasm (weft-lower's `Plan::handles`): handles move
    /// through the module's table functions, not JS tables.
    pub core_handles: bool,
}

impl<'p> Facts<'p> {
    /// Analyses `plan` for `opts`.
    pub fn new(plan: &'p Plan, opts: &'p Options) -> Self {
        let async_imports = async_imports(plan, opts);
        let concurrent = concurrent_with(plan, opts, &async_imports);
        let (threaded, into_threaded) = threaded_instances(plan);
        let mut facts = Facts {
            plan,
            opts,
            binding: binding(opts.compat),
            concurrent,
            blocking: blocking_instances(plan, &async_imports),
            threaded,
            into_threaded,
            async_imports,
            jspi_switched: BTreeSet::new(),
            core_exceptions: plan.modules.iter().any(|m| m.throws),
            memory64: plan.modules.iter().any(|m| m.memory64),
            multi_memory: plan.modules.iter().any(|m| m.multi_memory),
            cancels_in_set: plan.modules.iter().any(|m| m.cancels_in_set),
            lowers_backpressure: lowers_backpressure(plan),
            poison_flag: plan.initializers.iter().any(|i| {
                matches!(i, Initializer::Instantiate { imports, .. }
                    if imports.iter().any(|(_, _, d)| *d == CoreDef::Hook(Hook::Poisoned)))
            }),
            core_handles: plan.handles.is_some(),
        };
        if concurrent {
            facts.jspi_switched = (0..plan.trampolines.len() as u32)
                .filter(|&i| {
                    let t = &plan.trampolines[i as usize];
                    blocking_sig(plan, t, facts.forced_block(i)).is_some()
                })
                .collect();
        }
        facts
    }

    /// Whether trampoline `i` blocks its stack although its type alone would not say
    /// so: a host import named by `--async-imports`, or a synchronous call into a
    /// threaded instance.
    pub fn forced_block(&self, i: u32) -> bool {
        self.async_imports.contains(&i) || self.into_threaded.contains(&i)
    }

    /// `import#path#…`: how messages and `--async-imports` patterns name a host item.
    pub fn host_label(&self, h: &HostRef) -> String {
        self.plan.host_label(h)
    }

    /// The WIT name of the host item `h` names: its last path element, or the import's.
    pub fn host_item_name(&self, h: &HostRef) -> String {
        h.path.last().map_or_else(
            || self.plan.imports[h.import.0 as usize].name.clone(),
            Clone::clone,
        )
    }

    /// Whether `--async-exports` turns the export `label` into a JSPI-entered,
    /// promise-returning function.
    pub fn async_export(&self, label: &str) -> bool {
        self.opts
            .async_exports
            .iter()
            .any(|p| self.binding.label_matches(p, label))
    }

    /// Whether the resource `r` is implemented by the host (a JS class).
    pub fn is_host_resource(&self, r: ResourceIdx) -> bool {
        matches!(self.plan.resources[r.0 as usize], Resource::Host { .. })
    }

    /// Whether the resource `r` is implemented by the component instance `instance`.
    pub fn implements(&self, r: ResourceIdx, instance: u32) -> bool {
        matches!(&self.plan.resources[r.0 as usize], Resource::Defined { instance: i, .. } if i.0 == instance)
    }

    /// Whether lowering a value of type `t` into `instance` may create borrow handles
    /// (and so needs a `CallContext`): a borrow of a resource that `instance` does not
    /// implement. A borrow of its own resource lowers to the rep itself
    /// (`lower_borrow` in the spec).
    pub fn lowers_borrow_handles(&self, t: ValType, instance: u32) -> bool {
        self.plan.types.contains(t, &mut |_, d| match d {
            Some(TypeDef::Borrow(r)) => !self.implements(*r, instance),
            _ => false,
        })
    }

    /// Whether `t` is a `result` (an export returning one throws its `err` case).
    pub fn is_result(&self, t: ValType) -> bool {
        matches!(t, ValType::Defined(id) if matches!(self.plan.types.def(id), TypeDef::Result { .. }))
    }
}

/// The labels (`interface#function`, or a root function's name) of the lifted exports,
/// as `exports.rs` names them for `--async-exports`.
fn export_labels(plan: &Plan) -> Vec<String> {
    fn walk(prefix: &str, name: &str, item: &ExportItem, out: &mut Vec<String>) {
        match item {
            ExportItem::Func(_) if prefix.is_empty() => out.push(name.to_string()),
            ExportItem::Func(_) => out.push(format!("{prefix}#{name}")),
            // A nested instance's items are named from the nested instance alone.
            ExportItem::Instance(items) => {
                for (n, i) in items {
                    walk(name, n, i, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (name, item) in &plan.exports {
        walk("", name, item, &mut out);
    }
    out
}

/// The options that apply to nothing in `plan`, each as a warning naming the option and
/// what it was tried against: `--async-imports` patterns that name no host import,
/// `--async-exports` patterns that name no export, and `--map` rules that match no
/// import.
pub fn unmatched_options(plan: &Plan, opts: &Options) -> Vec<String> {
    let b = binding(opts.compat);
    let mut warnings = Vec::new();
    let host_labels: Vec<String> = plan
        .trampolines
        .iter()
        .filter_map(|t| match t {
            Trampoline::LowerHost { callee, .. } => Some(plan.host_label(callee)),
            _ => None,
        })
        .collect();
    for p in &opts.async_imports {
        if !host_labels.iter().any(|l| b.label_matches(p, l)) {
            warnings.push(format!(
                "`--async-imports {p}` matches no imported function the component calls{}",
                examples(&host_labels)
            ));
        }
    }
    let export_labels = export_labels(plan);
    for p in &opts.async_exports {
        if !export_labels.iter().any(|l| b.label_matches(p, l)) {
            warnings.push(format!(
                "`--async-exports {p}` matches no exported function{}",
                examples(&export_labels)
            ));
        }
    }
    let import_names: Vec<String> = plan.imports.iter().map(|i| i.name.clone()).collect();
    for rule in &opts.map {
        let matched = import_names.iter().any(|n| {
            crate::specifier::map_rule(b.import_key(n), std::slice::from_ref(rule)).is_some()
        });
        if !matched {
            warnings.push(format!(
                "`--map {}={}` matches no import{}",
                rule.0,
                rule.1,
                examples(&import_names)
            ));
        }
    }
    warnings
}

/// `` (the component has `a`, `b`, … and N more)``, or ` (the component has none)`.
fn examples(names: &[String]) -> String {
    const SHOWN: usize = 5;
    if names.is_empty() {
        return " (the component has none)".into();
    }
    let mut unique: Vec<&str> = Vec::new();
    for n in names {
        if !unique.contains(&n.as_str()) {
            unique.push(n);
        }
    }
    let more = unique.len().saturating_sub(SHOWN);
    let mut list = unique
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    format!(" (the component has {list})")
}

/// `Facts::lowers_backpressure`.
fn lowers_backpressure(plan: &Plan) -> BTreeSet<u32> {
    let mut sync_entries = BTreeSet::new();
    let mut add = |l: &Lifted| {
        if !plan.types.func(l.ty).is_async {
            sync_entries.insert(l.options.instance.0);
        }
    };
    fn walk(item: &ExportItem, add: &mut dyn FnMut(&Lifted)) {
        match item {
            ExportItem::Func(l) => add(l),
            ExportItem::Instance(items) => items.iter().for_each(|(_, i)| walk(i, add)),
            _ => {}
        }
    }
    for (_, e) in &plan.exports {
        walk(e, &mut add);
    }
    for t in &plan.trampolines {
        if let Trampoline::Adapter { callee, .. } = t {
            add(callee);
        }
    }
    // With `--lowered`, the module's own `backpressure.dec`s are listed apart.
    let in_core = plan
        .handles
        .iter()
        .flat_map(|h| &h.lowers_backpressure)
        .copied();
    plan.trampolines
        .iter()
        .filter_map(|t| match t {
            Trampoline::Builtin {
                builtin: Builtin::BackpressureDec,
                instance,
            } => Some(instance.0),
            _ => None,
        })
        .chain(in_core)
        .filter(|i| sync_entries.contains(i))
        .collect()
}

/// Whether the glue of `plan` under `opts` runs weft's async machinery
/// ([`Facts::concurrent`]; weft-lower asks before facts exist). Patterns that name
/// nothing change nothing: without a matching import or export the output is the one
/// without the options (no task machinery, no JSPI).
pub fn concurrent(plan: &Plan, opts: &Options) -> bool {
    concurrent_with(plan, opts, &async_imports(plan, opts))
}

/// [`concurrent`], given the host-import trampolines `--async-imports` names.
fn concurrent_with(plan: &Plan, opts: &Options, async_imports: &BTreeSet<u32>) -> bool {
    let b = binding(opts.compat);
    plan.uses_async()
        || !async_imports.is_empty()
        || export_labels(plan)
            .iter()
            .any(|l| opts.async_exports.iter().any(|p| b.label_matches(p, l)))
}

/// The host-import trampolines whose JS may return a promise (`--async-imports`).
fn async_imports(plan: &Plan, opts: &Options) -> BTreeSet<u32> {
    let b = binding(opts.compat);
    (0..)
        .zip(&plan.trampolines)
        .filter(|(_, t)| {
            matches!(t, Trampoline::LowerHost { callee, .. }
                if opts.async_imports.iter().any(|p| b.label_matches(p, &plan.host_label(callee))))
        })
        .map(|(i, _)| i)
        .collect()
}

/// `Facts::threaded` and `Facts::into_threaded`: the instances with thread built-ins,
/// then, until nothing changes, those that call one of them with a synchronous lower.
fn threaded_instances(plan: &Plan) -> (BTreeSet<u32>, BTreeSet<u32>) {
    let mut threaded: BTreeSet<u32> = plan
        .trampolines
        .iter()
        .filter_map(|t| match t {
            Trampoline::Builtin { builtin, instance } if builtin.is_thread() => Some(instance.0),
            _ => None,
        })
        .collect();
    let mut into = BTreeSet::new();
    loop {
        let before = (threaded.len(), into.len());
        for (i, t) in plan.trampolines.iter().enumerate() {
            if let Trampoline::Adapter { callee, options } = t
                && !options.is_async
                && threaded.contains(&callee.options.instance.0)
            {
                into.insert(i as u32);
                threaded.insert(options.instance.0);
            }
        }
        if (threaded.len(), into.len()) == before {
            return (threaded, into);
        }
    }
}

/// The core signature of a trampoline that may block its thread, if it may; `forced`
/// when `--async-imports` names it or it calls a threaded instance synchronously
/// (`Facts::forced_block`).
pub fn blocking_sig(plan: &Plan, t: &Trampoline, forced: bool) -> Option<(Vec<Flat>, Vec<Flat>)> {
    use Flat::I32;
    match t {
        Trampoline::Builtin { builtin, .. } if builtin.may_block() => Some(match builtin {
            Builtin::WaitableSetWait { addr, .. } => (vec![I32, addr.flat()], vec![I32]),
            Builtin::ThreadYield | Builtin::ThreadSuspend => (vec![], vec![I32]),
            Builtin::Copy {
                kind: AsyncKind::Stream,
                options,
                ..
            } => {
                let a = options.addr.flat();
                (vec![I32, a, a], vec![a])
            }
            Builtin::Copy { options, .. } => (vec![I32, options.addr.flat()], vec![I32]),
            _ => (vec![I32], vec![I32]),
        }),
        Trampoline::LowerHost { ty, options, .. }
            if !options.is_async && (plan.types.func(*ty).is_async || forced) =>
        {
            let s = plan
                .types
                .flatten_func(plan.types.func(*ty), true, options.addr);
            Some((s.params, s.results))
        }
        Trampoline::Adapter { callee, options }
            if !options.is_async && (plan.types.func(callee.ty).is_async || forced) =>
        {
            let s = plan
                .types
                .flatten_func(plan.types.func(callee.ty), true, options.addr);
            Some((s.params, s.results))
        }
        _ => None,
    }
}

/// Component instances whose code may block a stack: their async lifts are entered
/// through `WebAssembly.promising` when the engine has JSPI.
fn blocking_instances(plan: &Plan, async_imports: &BTreeSet<u32>) -> BTreeSet<u32> {
    plan.trampolines
        .iter()
        .enumerate()
        .filter(|(i, t)| blocking_sig(plan, t, async_imports.contains(&(*i as u32))).is_some())
        .map(|(_, t)| t)
        .filter_map(|t| match t {
            Trampoline::Builtin { instance, .. } => Some(instance.0),
            Trampoline::LowerHost { options, .. } | Trampoline::Adapter { options, .. } => {
                Some(options.instance.0)
            }
            _ => None,
        })
        .collect()
}
