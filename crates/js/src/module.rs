//! Assembles the ES module for a plan: imports, instance state, trampolines, export
//! wrappers, the instantiation sequence and the exports.
//!
//! The same list of statements (the "body") serves both output modes: at module top
//! level (ESM mode, with top-level `await`) or inside `instantiate()` (instantiation
//! mode, one fresh copy of all state per call).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{Context, Result, bail};
use base64::Engine;
use swc_ecma_ast::{BinaryOp, Expr, Stmt};
use weft_core::Plan;
use weft_core::abi::Flat;
use weft_core::plan::{
    CanonOptions, CoreDef, ExportItem, HostRef, ImportKind, Initializer, Lifted, Resource,
    Trampoline,
};
use weft_core::types::{FuncType, ResourceIdx, TypeDef, ValType};

use crate::Options;
use crate::abi::{Compat, FlatIter, FnGen, HandleCx, MemCx};
use crate::ast::*;
use crate::names::{Namer, camel, prop, upper_camel};

/// Object literal properties.
type Props = Vec<(String, Box<Expr>)>;

/// What kind of function a WIT function name denotes.
pub enum FnKind<'a> {
    Free(&'a str),
    Constructor(&'a str),
    Method(&'a str, &'a str),
    Static(&'a str, &'a str),
}

/// Splits `[method]r.m`-style names.
pub fn fn_kind(name: &str) -> FnKind<'_> {
    if let Some(r) = name.strip_prefix("[constructor]") {
        return FnKind::Constructor(r);
    }
    for (prefix, method) in [("[method]", true), ("[static]", false)] {
        if let Some(rest) = name.strip_prefix(prefix)
            && let Some((r, m)) = rest.split_once('.')
        {
            return if method {
                FnKind::Method(r, m)
            } else {
                FnKind::Static(r, m)
            };
        }
    }
    FnKind::Free(name)
}

/// State shared by every generator while one module is built.
pub struct Emit<'p> {
    pub plan: &'p Plan,
    pub compat: Compat,
    pub namer: Namer,
    pub runtime: BTreeSet<&'static str>,
    tables: BTreeSet<u32>,
    resource_types: BTreeMap<u32, String>,
    resource_classes: HashMap<u32, String>,
    core_defs: Vec<(CoreDef, String)>,
    core_def_names: HashMap<CoreDef, String>,
    views: BTreeMap<String, String>,
    imports: Vec<String>,
    pub functions: Vec<Stmt>,
    host_reps: bool,
    declared_classes: BTreeSet<u32>,
    /// Component instances with concurrency state (`AsyncInstance`).
    async_insts: BTreeSet<u32>,
    /// The component uses component-model async: every call goes through tasks.
    pub concurrent: bool,
    /// Lazily created `Lift` descriptors: (variable, constructor call).
    pub lifts: Vec<(String, Box<Expr>)>,
    lift_names: HashMap<String, String>,
    /// Component instances whose code may block a stack (see `concurrency`).
    pub blocking: BTreeSet<u32>,
    /// Trampolines behind a JSPI switch (imported as `trampolineNj`).
    jspi_wrapped: BTreeSet<u32>,
    /// Host-import trampolines that may get a promise from JS (`--async-imports`).
    pub async_import_trampolines: BTreeSet<u32>,
    /// `--async-exports` patterns.
    pub async_exports: Vec<String>,
    /// The export being generated (`interface#function`), for `--async-exports`.
    pub export_label: String,
    /// Statements offering sync exports for direct links (`link.rs`), run after
    /// instantiation.
    link_offers: Vec<Stmt>,
    /// Import trampolines with a linked twin (`trampolineNL`): the variables, the host
    /// function and its type string.
    links: BTreeMap<u32, (crate::link::LinkVars, Box<Expr>, String)>,
}

impl<'p> Emit<'p> {
    fn new(plan: &'p Plan, opts: &'p Options, runtime_names: &[String]) -> Self {
        let mut namer = Namer::default();
        for n in runtime_names {
            namer.reserve(n);
        }
        for n in [
            "cx",
            "e",
            "poisoned",
            "instantiate",
            "getCoreModule",
            "imports",
            "hostReps",
            crate::link::LINK_STATE,
        ] {
            namer.reserve(n);
        }
        Emit {
            plan,
            compat: opts.compat,
            namer,
            runtime: BTreeSet::new(),
            tables: BTreeSet::new(),
            resource_types: BTreeMap::new(),
            resource_classes: HashMap::new(),
            core_defs: Vec::new(),
            core_def_names: HashMap::new(),
            views: BTreeMap::new(),
            imports: Vec::new(),
            functions: Vec::new(),
            host_reps: false,
            declared_classes: BTreeSet::new(),
            async_insts: BTreeSet::new(),
            concurrent: crate::concurrency::uses_async(plan)
                || !opts.async_imports.is_empty()
                || !opts.async_exports.is_empty(),
            lifts: Vec::new(),
            lift_names: HashMap::new(),
            blocking: BTreeSet::new(),
            jspi_wrapped: BTreeSet::new(),
            async_import_trampolines: plan
                .trampolines
                .iter()
                .enumerate()
                .filter(|(_, t)| match t {
                    Trampoline::LowerHost { callee, .. } => {
                        let label = host_label(plan, callee);
                        opts.async_imports
                            .iter()
                            .any(|p| crate::label_matches(p, &label))
                    }
                    _ => false,
                })
                .map(|(i, _)| i as u32)
                .collect(),
            async_exports: opts.async_exports.clone(),
            export_label: String::new(),
            link_offers: Vec::new(),
            links: BTreeMap::new(),
        }
    }

    /// The `AsyncInstance` of a component instance.
    pub fn async_instance(&mut self, instance: u32) -> String {
        self.handle_table(instance);
        self.runtime("AsyncInstance");
        self.async_insts.insert(instance);
        format!("ai{instance}")
    }

    /// An expression for the (lazily made) `Lift` of `key`, built by `make` once.
    pub fn lift_var(
        &mut self,
        key: String,
        make: impl FnOnce(&mut Self) -> Box<Expr>,
    ) -> Box<Expr> {
        let var = match self.lift_names.get(&key) {
            Some(v) => v.clone(),
            None => {
                let v = format!("lift{}", self.lifts.len());
                let e = make(self);
                self.lifts.push((v.clone(), e));
                self.lift_names.insert(key, v.clone());
                v
            }
        };
        // `liftN ??= new Lift(...)`: made on first use, after the core instances exist.
        let (_, e) = self.lifts.iter().find(|(n, _)| *n == var).expect("lift");
        paren(nullish_assign(&var, e.clone()))
    }

    /// Marks a runtime helper as used.
    pub fn runtime(&mut self, name: &'static str) {
        self.runtime.insert(name);
    }

    /// The handle table of a component instance.
    pub fn handle_table(&mut self, instance: u32) -> String {
        self.tables.insert(instance);
        self.runtime("HandleTable");
        format!("handles{instance}")
    }

    /// The `ResourceType` object of a runtime resource.
    pub fn resource_type(&mut self, r: ResourceIdx) -> String {
        self.runtime("ResourceType");
        self.resource_types
            .entry(r.0)
            .or_insert_with(|| format!("rt{}", r.0))
            .clone()
    }

    fn is_host(&self, r: ResourceIdx) -> bool {
        matches!(self.plan.resources[r.0 as usize], Resource::Host { .. })
    }

    fn host_reps(&mut self) -> Box<Expr> {
        self.host_reps = true;
        self.runtime("HostReps");
        id("hostReps")
    }

    /// The JS class of a guest-defined resource.
    pub fn resource_class(&mut self, r: ResourceIdx) -> String {
        if let Some(c) = self.resource_classes.get(&r.0) {
            return c.clone();
        }
        let base = match &self.plan.resources[r.0 as usize] {
            Resource::Defined { name, .. } => upper_camel(name),
            Resource::Host { .. } => format!("HostResource{}", r.0),
        };
        let name = self.namer.fresh(&base);
        self.resource_classes.insert(r.0, name.clone());
        name
    }

    /// Rep of a JS object moved into a guest as `own`.
    pub fn take_rep(&mut self, r: ResourceIdx, v: Box<Expr>) -> Box<Expr> {
        if self.is_host(r) {
            let reps = self.host_reps();
            return method(reps, "own", vec![v]);
        }
        let rt = id(&self.resource_type(r));
        self.runtime("takeRep");
        call_id("takeRep", vec![v, rt])
    }

    /// Rep of a JS object lent to a guest as `borrow`.
    pub fn borrow_rep(&mut self, r: ResourceIdx, v: Box<Expr>) -> Box<Expr> {
        if self.is_host(r) {
            let reps = self.host_reps();
            return method(reps, "lend", vec![v, id("cx")]);
        }
        let rt = id(&self.resource_type(r));
        self.runtime("borrowRep");
        call_id("borrowRep", vec![v, rt])
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

    /// Whether the resource `r` is implemented by the component instance `instance`.
    pub fn implements(&self, r: ResourceIdx, instance: u32) -> bool {
        matches!(&self.plan.resources[r.0 as usize], Resource::Defined { instance: i, .. } if i.0 == instance)
    }

    /// JS object for an owned rep handed to JS.
    pub fn wrap_own(&mut self, r: ResourceIdx, rep: Box<Expr>) -> Box<Expr> {
        if self.is_host(r) {
            let reps = self.host_reps();
            return method(reps, "take", vec![rep]);
        }
        let cls = id(&self.resource_class(r));
        let rt = id(&self.resource_type(r));
        self.runtime("wrapOwn");
        call_id("wrapOwn", vec![cls, rt, rep])
    }

    /// JS object for a borrowed rep handed to JS.
    pub fn wrap_borrow(&mut self, r: ResourceIdx, rep: Box<Expr>) -> Box<Expr> {
        if self.is_host(r) {
            let reps = self.host_reps();
            return method(reps, "get", vec![rep]);
        }
        let cls = id(&self.resource_class(r));
        let rt = id(&self.resource_type(r));
        self.runtime("wrapBorrow");
        call_id("wrapBorrow", vec![cls, rt, rep])
    }

    /// A variable holding a core item, assigned once its instance exists.
    pub fn core_def(&mut self, def: &CoreDef) -> String {
        match def {
            CoreDef::Trampoline(t) => format!("trampoline{}", t.0),
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

    /// A function returning a current DataView of `memory`.
    pub fn view_fn(&mut self, memory: &str) -> String {
        let n = self.views.len();
        self.views
            .entry(memory.to_string())
            .or_insert_with(|| format!("view{n}"))
            .clone()
    }

    /// The memory context of a set of canonical options.
    pub fn mem_cx_of(&mut self, o: &CanonOptions) -> Option<MemCx> {
        self.mem_cx(o)
    }

    fn mem_cx(&mut self, o: &CanonOptions) -> Option<MemCx> {
        let memory = o.memory.as_ref().map(|m| self.core_def(m))?;
        let view = self.view_fn(&memory);
        let realloc = o.realloc.as_ref().map(|r| self.core_def(r));
        Some(MemCx {
            memory,
            view,
            realloc,
            encoding: o.encoding,
            encoding_var: None,
        })
    }

    /// The JS expression for a host item.
    fn host_expr(&self, h: &HostRef) -> Box<Expr> {
        let mut e = id(&self.imports[h.import.0 as usize]);
        for p in &h.path {
            e = member(e, &js_item_name(p));
        }
        e
    }
}

/// The JS property name of an instance export: functions camelCase, resources
/// UpperCamelCase.
fn js_item_name(name: &str) -> String {
    match fn_kind(name) {
        FnKind::Free(n) => {
            if n.contains(':') || n.contains('/') {
                n.to_string()
            } else {
                camel(n)
            }
        }
        _ => camel(name),
    }
}

/// `if (poisoned) trap(...)`: the entry check of every call into the component.
pub fn poison_check(g: &mut FnGen<'_, '_>) -> Stmt {
    g.emit.runtime("trap");
    if_(
        id("poisoned"),
        vec![expr_stmt(call_id(
            "trap",
            vec![str_("cannot enter component instance: it trapped earlier")],
        ))],
        None,
    )
}

/// The entry of a call into the component: the poison check and, when the call moves
/// handles, a fresh `CallContext` named `cx`.
pub fn call_prologue(g: &mut FnGen<'_, '_>, with_cx: bool) -> Vec<Stmt> {
    let mut body = vec![poison_check(g)];
    if with_cx {
        g.emit.runtime("CallContext");
        body.push(const_("cx", new_(id("CallContext"), vec![])));
    }
    body
}

/// `base0`, `base1`, … `base{n-1}`.
pub fn params(n: usize, base: &str) -> Vec<String> {
    (0..n).map(|i| format!("{base}{i}")).collect()
}

/// Lowers the JS arguments `args` of `func` into the callee's core arguments: flat, or
/// a tuple allocated with the options' `realloc` when they spill.
pub fn lower_args(
    g: &mut FnGen<'_, '_>,
    func: &FuncType,
    spilled: bool,
    args: &[String],
) -> Result<Vec<Box<Expr>>> {
    let mut flat = Vec::new();
    if spilled {
        let tuple: Vec<ValType> = func.params.iter().map(|p| p.1).collect();
        let (layout, offsets) = g.emit.plan.types.tuple_layout(&tuple);
        let p = g.alloc(num(f64::from(layout.size)), layout.align)?;
        for ((t, o), a) in tuple.iter().zip(offsets).zip(args) {
            g.store(*t, id(a), p.clone(), o)?;
        }
        flat.push(p);
    } else {
        for ((_, t), a) in func.params.iter().zip(args) {
            flat.extend(g.lower_flat(*t, id(a))?);
        }
    }
    Ok(flat)
}

/// Lifts the parameters of `func` from a caller's core arguments `args` (flat with
/// the types `flats`, or a pointer to a tuple when `spilled`), bound to names.
pub fn lift_args(
    g: &mut FnGen<'_, '_>,
    func: &FuncType,
    spilled: bool,
    flats: &[Flat],
    args: &[String],
) -> Result<Vec<Box<Expr>>> {
    let mut values = Vec::new();
    if spilled {
        let tuple: Vec<ValType> = func.params.iter().map(|p| p.1).collect();
        let (layout, offsets) = g.emit.plan.types.tuple_layout(&tuple);
        let memory = g
            .mem
            .as_ref()
            .map(|m| m.memory.clone())
            .context("spilled params without memory")?;
        let p = g.bind(bin(id(&args[0]), BinaryOp::ZeroFillRShift, num(0.0)));
        g.check_ptr(
            &p,
            layout.align,
            num(f64::from(layout.size)),
            &memory,
            "parameter pointer",
        );
        for (t, o) in tuple.iter().zip(offsets) {
            let v = g.load(*t, p.clone(), o)?;
            values.push(g.bind(v));
        }
    } else {
        let n_flat: usize = func
            .params
            .iter()
            .map(|p| g.emit.plan.types.flatten(p.1).len())
            .sum();
        let mut it = FlatIter::new(
            args.iter()
                .zip(flats[..n_flat].iter().copied())
                .map(|(a, f)| (id(a), f))
                .collect(),
        );
        for (_, t) in &func.params {
            let v = g.lift_flat(*t, &mut it)?;
            values.push(g.bind(v));
        }
    }
    Ok(values)
}

/// Builds the JS function that calls a lifted core function with JS arguments.
fn lifted_fn(emit: &mut Emit<'_>, name: &str, l: &Lifted) -> Result<Stmt> {
    if emit.concurrent {
        return crate::concurrency::async_lifted_fn(emit, name, l);
    }
    let plan = emit.plan;
    let func: FuncType = plan.types.func(l.ty).clone();
    let sig = plan.types.flatten_func(&func, false);
    let callee = emit.core_def(&l.func);
    let mem = emit.mem_cx(&l.options);
    let post = l.options.post_return.as_ref().map(|p| emit.core_def(p));
    let instance = l.options.instance.0;
    let mut g = FnGen::new(emit, mem, instance);
    let args = params(func.params.len(), "arg");
    // Whether the call lends borrow handles (a borrow of its own resource is the rep).
    let lends_handles = func
        .params
        .iter()
        .any(|(_, t)| g.emit.lowers_borrow_handles(*t, instance));
    let mut body = call_prologue(&mut g, lends_handles);
    if lends_handles {
        g.handle_cx = HandleCx::Call;
    }
    // Lower the arguments.
    let flat = lower_args(&mut g, &func, sig.params_spilled, &args)?;
    // Call, then lift the result.
    let call_e = call_id(&callee, flat);
    let result = match (func.result, sig.results_spilled) {
        (None, _) => {
            g.stmts.push(expr_stmt(call_e));
            None
        }
        (Some(t), false) => {
            let r = g.tmp("ret");
            g.stmts.push(const_(&r, call_e));
            let flat_t = sig.results[0];
            let mut it = FlatIter::new(vec![(id(&r), flat_t)]);
            let v = g.lift_flat(t, &mut it)?;
            Some((v, vec![id(&r)]))
        }
        (Some(t), true) => {
            let r = g.tmp("ret");
            g.stmts
                .push(const_(&r, bin(call_e, BinaryOp::ZeroFillRShift, num(0.0))));
            let layout = g.emit.plan.types.layout(t);
            let memory = g
                .mem
                .as_ref()
                .map(|m| m.memory.clone())
                .context("spilled result without memory")?;
            g.check_ptr(
                &id(&r),
                layout.align,
                num(f64::from(layout.size)),
                &memory,
                "result pointer",
            );
            let v = g.load(t, id(&r), 0)?;
            Some((v, vec![id(&r)]))
        }
    };
    let out = "result";
    let mut inner = std::mem::take(&mut g.stmts);
    let value = match result {
        Some((v, rets)) => {
            let v = if post.is_some() || lends_handles {
                inner.push(const_("value", v));
                id("value")
            } else {
                v
            };
            if let Some(p) = &post {
                inner.push(expr_stmt(call_id(p, rets)));
            }
            Some(v)
        }
        None => {
            if let Some(p) = &post {
                inner.push(expr_stmt(call_id(p, vec![])));
            }
            None
        }
    };
    if lends_handles {
        g.emit.runtime("endCall");
        inner.push(expr_stmt(call_id("endCall", vec![id("cx")])));
    }
    let unwrap = func
        .result
        .is_some_and(|t| is_result(&g.emit.plan.types, t));
    match (value, unwrap) {
        (Some(v), false) => inner.push(ret(Some(v))),
        (Some(v), true) => inner.push(assign(out, v)),
        (None, _) => {}
    }
    g.emit.runtime("trap");
    let not_type_error = unary(
        swc_ecma_ast::UnaryOp::Bang,
        paren(bin(id("e"), BinaryOp::InstanceOf, id("TypeError"))),
    );
    let handler = vec![
        if_(not_type_error, vec![assign("poisoned", bool_(true))], None),
        throw(id("e")),
    ];
    if unwrap {
        body.push(let_(out, None));
    }
    body.push(try_catch(inner, "e", handler));
    if unwrap {
        let key = match g.emit.compat {
            Compat::Native => "value",
            Compat::Jco => "val",
        };
        g.emit.runtime("ComponentError");
        let is_err = bin(member(id(out), "tag"), BinaryOp::EqEqEq, str_("err"));
        body.push(if_(
            is_err,
            vec![throw(new_(
                id("ComponentError"),
                vec![member(id(out), key)],
            ))],
            None,
        ));
        body.push(ret(Some(member(id(out), key))));
    }
    // An `async` function lifted without the `async` option runs to completion now;
    // JS still sees an async function (a promise, rejected on error).
    if func.is_async {
        return Ok(async_fn_decl(name, &args, body));
    }
    Ok(fn_decl(name, &args, body))
}

fn is_result(types: &weft_core::types::TypeArena, t: ValType) -> bool {
    matches!(t, ValType::Defined(id) if matches!(types.def(id), TypeDef::Result { .. }))
}

/// Builds a trampoline for a host import: core args → JS values → host → core results.
#[allow(clippy::too_many_lines)]
fn lowered_fn(
    emit: &mut Emit<'_>,
    name: &str,
    func: &FuncType,
    target: &HostRef,
    options: &CanonOptions,
) -> Result<Stmt> {
    let sig = emit.plan.types.flatten_func(func, true);
    let mem = emit.mem_cx(options);
    let mut g = FnGen::new(emit, mem, options.instance.0);
    let args = params(sig.params.len(), "arg");
    let has_borrows = func
        .params
        .iter()
        .any(|(_, t)| g.emit.plan.types.has_borrows(*t));
    if has_borrows {
        g.emit.runtime("CallContext");
        g.stmts.push(const_("cx", new_(id("CallContext"), vec![])));
        g.handle_cx = HandleCx::Call;
    }
    // Lift the arguments.
    let values = lift_args(&mut g, func, sig.params_spilled, &sig.params, &args)?;
    // Call the target.
    let top_result = func
        .result
        .is_some_and(|t| is_result(&g.emit.plan.types, t));
    let mut call_e = host_call(&mut g, name, target, values)?;
    if func.is_async {
        g.emit.runtime("syncResult");
        let label = str_(&host_label(g.emit.plan, target));
        call_e = call_id("syncResult", vec![call_e, label]);
    }
    let r = "r";
    match top_result {
        true => {
            // A thrown error with a `payload` becomes the `err` case.
            let key = match g.emit.compat {
                Compat::Native => "value",
                Compat::Jco => "val",
            };
            g.stmts.push(let_(r, None));
            let ok = assign(
                r,
                object(vec![("tag".into(), str_("ok")), (key.into(), call_e)]),
            );
            let has_payload = bin(
                bin(id("e"), BinaryOp::NotEqEq, null()),
                BinaryOp::LogicalAnd,
                bin(
                    paren(bin(
                        unary(swc_ecma_ast::UnaryOp::TypeOf, id("e")),
                        BinaryOp::EqEqEq,
                        str_("object"),
                    )),
                    BinaryOp::LogicalAnd,
                    bin(str_("payload"), BinaryOp::In, id("e")),
                ),
            );
            let err = assign(
                r,
                object(vec![
                    ("tag".into(), str_("err")),
                    (key.into(), member(id("e"), "payload")),
                ]),
            );
            g.stmts.push(try_catch(
                vec![ok],
                "e",
                vec![if_(has_payload, vec![err], Some(vec![throw(id("e"))]))],
            ));
        }
        _ if func.result.is_some() => g.stmts.push(const_(r, call_e)),
        _ => g.stmts.push(expr_stmt(call_e)),
    }
    if has_borrows {
        g.emit.runtime("endCall");
        g.stmts.push(expr_stmt(call_id("endCall", vec![id("cx")])));
    }
    g.handle_cx = HandleCx::None;
    // Lower the result.
    if let Some(t) = func.result {
        if sig.results_spilled {
            let last = args.last().expect("out-pointer parameter");
            let retptr = g.checked_ptr(id(last), t, "result pointer")?;
            g.store(t, id(r), retptr, 0)?;
        } else {
            let flat = g.lower_flat(t, id(r))?;
            let v = flat.into_iter().next().context("one flat result")?;
            g.stmts.push(ret(Some(v)));
        }
    }
    let body = std::mem::take(&mut g.stmts);
    Ok(fn_decl(name, &args, body))
}

/// Offers the sync export `f` for direct links from other weft modules (`link.rs`).
/// Exports of `wasi:` interfaces are left out (`link::links_interface`).
fn offer_link(emit: &mut Emit<'_>, f: &str, l: &Lifted) {
    if emit.concurrent || !crate::link::links_interface(&emit.export_label) {
        return;
    }
    if let Some(stmt) = crate::link::offer(emit, f, l) {
        emit.link_offers.push(stmt);
    }
}

/// For a sync import of a free function with a linkable type, generates its linked
/// twin `trampoline{i}L` (`link.rs`) and records the link to resolve at instantiation.
fn link_twin(
    emit: &mut Emit<'_>,
    i: u32,
    func: &FuncType,
    target: &HostRef,
    options: &CanonOptions,
) -> Result<()> {
    if !matches!(fn_kind(&host_item_name(emit.plan, target)), FnKind::Free(_)) {
        return Ok(());
    }
    let import_name = &emit.plan.imports[target.import.0 as usize].name;
    let Some(sig) = crate::link::linkable_import(&emit.plan.types, import_name, func, options)
    else {
        return Ok(());
    };
    let vars = crate::link::LinkVars::new(emit, i);
    let twin = crate::adapter::linked_fn(emit, &format!("trampoline{i}L"), func, options, &vars)?;
    emit.functions.push(twin);
    let host = emit.host_expr(target);
    emit.runtime("linkOf");
    emit.links.insert(i, (vars, host, sig));
    Ok(())
}

/// The WIT name of the host item `h` names: its last path element, or the import's.
fn host_item_name(plan: &Plan, h: &HostRef) -> String {
    h.path.last().map_or_else(
        || plan.imports[h.import.0 as usize].name.clone(),
        Clone::clone,
    )
}

/// The call of a host function per its WIT name (for the async lowering).
pub fn host_call_expr(
    g: &mut FnGen<'_, '_>,
    name: &str,
    h: &HostRef,
    values: Vec<Box<Expr>>,
) -> Result<Box<Expr>> {
    host_call(g, name, h, values)
}

/// The call of a host function per its WIT name: plain call, `new`, method or static.
fn host_call(
    g: &mut FnGen<'_, '_>,
    name: &str,
    h: &HostRef,
    mut values: Vec<Box<Expr>>,
) -> Result<Box<Expr>> {
    let last = host_item_name(g.emit.plan, h);
    let mut parent = h.clone();
    parent.path.pop();
    let base = if h.path.is_empty() {
        id(&g.emit.imports[h.import.0 as usize])
    } else {
        g.emit.host_expr(&parent)
    };
    Ok(match fn_kind(&last) {
        FnKind::Free(_) if h.path.is_empty() => call(base, values),
        FnKind::Free(f) => method(base, &camel(f), values),
        FnKind::Constructor(r) => new_(member(base, &upper_camel(r)), values),
        FnKind::Static(r, m) => method(member(base, &upper_camel(r)), &prop(m), values),
        FnKind::Method(_, m) => {
            if values.is_empty() {
                bail!("internal error: method `{name}` without self");
            }
            let this = values.remove(0);
            method(this, &prop(m), values)
        }
    })
}

/// `resource.new`/`resource.rep`/`resource.drop`: `name(x)` calls the runtime helper
/// with the instance's handle table and the resource type.
fn resource_builtin(
    emit: &mut Emit<'_>,
    name: &str,
    helper: &'static str,
    resource: ResourceIdx,
    instance: u32,
) -> Stmt {
    let table = emit.handle_table(instance);
    let rt = emit.resource_type(resource);
    emit.runtime(helper);
    let mut args = vec![id(&table), id(&rt), id("x")];
    if helper == "resourceDrop" {
        args.push(num(f64::from(instance)));
    }
    fn_decl(name, &["x".into()], vec![ret(Some(call_id(helper, args)))])
}

/// Output of [`generate_module`].
pub struct ModuleOutput {
    pub js: swc_ecma_ast::Module,
    pub core_files: Vec<(String, Vec<u8>)>,
    pub import_names: Vec<String>,
    pub export_names: Vec<String>,
}

/// Builds the module AST for a plan.
#[allow(clippy::too_many_lines)]
pub fn generate_module(
    plan: &Plan,
    opts: &Options,
    runtime: &crate::runtime::Runtime,
) -> Result<ModuleOutput> {
    let mut emit = Emit::new(plan, opts, &runtime.all_names());
    emit.blocking = crate::concurrency::blocking_instances(plan, &emit.async_import_trampolines);
    let mut body: Vec<Stmt> = Vec::new();
    let mut module_items: Vec<swc_ecma_ast::ModuleItem> = Vec::new();

    // Imports.
    let mut import_names = Vec::new();
    let mut import_stmts = Vec::new();
    let used = used_imports(plan);
    for (i, imp) in plan.imports.iter().enumerate() {
        let var = emit.namer.fresh(&format!("import_{}", sanitize(&imp.name)));
        emit.imports.push(var.clone());
        import_names.push(imp.name.clone());
        // An import that only carries types needs no value at run time.
        if !used.contains(&i) {
            continue;
        }
        let spec = map_specifier(&imp.name, &opts.map);
        let is_default = matches!(imp.kind, ImportKind::Func(_) | ImportKind::Type);
        if opts.instantiation {
            emit.runtime("importOf");
            let mut e = call_id("importOf", vec![id("imports"), str_(&imp.name)]);
            if is_default {
                e = member(e, "default");
            }
            import_stmts.push(const_(&var, e));
        } else {
            module_items.push(crate::esm::import(&var, &spec, is_default));
        }
    }

    // Name exported resource classes first so lifting code can refer to them.
    for (name, item) in &plan.exports {
        name_classes(&mut emit, name, item);
    }

    // Trampolines.
    for (i, t) in plan.trampolines.iter().enumerate() {
        let name = format!("trampoline{i}");
        let f = match t {
            Trampoline::LowerHost {
                callee,
                ty,
                options,
            } => {
                let func = plan.types.func(*ty).clone();
                let forced = emit.async_import_trampolines.contains(&(i as u32));
                if emit.concurrent && (options.is_async || func.is_async || forced) {
                    crate::concurrency::async_lowered_fn(
                        &mut emit,
                        &name,
                        &func,
                        callee,
                        options,
                        &host_label(plan, callee),
                    )
                } else {
                    link_twin(&mut emit, i as u32, &func, callee, options)?;
                    lowered_fn(&mut emit, &name, &func, callee, options)
                }
                .with_context(|| {
                    format!(
                        "failed to generate the import trampoline for `{}`",
                        host_label(plan, callee)
                    )
                })?
            }
            Trampoline::Adapter { callee, options } => {
                if emit.concurrent {
                    crate::adapter::async_adapter_fn(&mut emit, &name, callee, options)?
                } else {
                    crate::adapter::adapter_fn(&mut emit, &name, callee, options)?
                }
            }
            Trampoline::Builtin { builtin, instance } => {
                crate::concurrency::builtin_fn(&mut emit, &name, builtin, instance.0)?
            }
            Trampoline::ResourceNew { resource, instance } => {
                resource_builtin(&mut emit, &name, "resourceNew", *resource, instance.0)
            }
            Trampoline::ResourceRep { resource, instance } => {
                resource_builtin(&mut emit, &name, "resourceRep", *resource, instance.0)
            }
            Trampoline::ResourceDrop { resource, instance } => {
                resource_builtin(&mut emit, &name, "resourceDrop", *resource, instance.0)
            }
        };
        emit.functions.push(f);
        // A trampoline that may block sits behind a JSPI switch (see `jspi_shim`).
        let forced = emit.async_import_trampolines.contains(&(i as u32));
        if emit.concurrent
            && let Some((params, results)) = crate::concurrency::blocking_sig(plan, t, forced)
        {
            let shim = crate::concurrency::jspi_shim(&params, &results);
            let b64 = base64::engine::general_purpose::STANDARD.encode(shim);
            emit.runtime("jspiShim");
            let zero = match results.first() {
                Some(Flat::I64) => bigint(0),
                Some(_) => num(0.0),
                None => undefined(),
            };
            emit.functions.push(const_(
                &format!("{name}j"),
                call_id("jspiShim", vec![str_(&b64), id(&name), zero]),
            ));
            emit.jspi_wrapped.insert(i as u32);
        }
    }

    // Exports.
    let mut export_props: Vec<(String, Box<Expr>)> = Vec::new();
    let mut export_names = Vec::new();
    let mut esm_exports: Vec<(String, String)> = Vec::new();
    for (name, item) in &plan.exports {
        export_names.push(name.clone());
        let value = export_value(&mut emit, name, item)?;
        let short = export_short_name(name);
        let var = match &*value {
            Expr::Ident(i) => i.sym.to_string(),
            _ => {
                let var = emit.namer.fresh(&short);
                body.push(const_(&var, value));
                var
            }
        };
        esm_exports.push((var.clone(), short.clone()));
        export_props.push((short.clone(), id(&var)));
        if short != *name {
            esm_exports.push((var.clone(), name.clone()));
            export_props.push((name.clone(), id(&var)));
        }
    }

    if !emit.link_offers.is_empty() {
        body.push(crate::link::offer_state());
        body.append(&mut emit.link_offers);
    }

    // Classes for resources that were lifted but never exported.
    let classes: Vec<(u32, String)> = emit
        .resource_classes
        .iter()
        .map(|(k, v)| (*k, v.clone()))
        .collect();
    let mut class_stmts = Vec::new();
    for (r, cls) in classes {
        if !emit.functions.iter().any(|f| declares(f, &cls)) {
            class_stmts.push(bare_class(&mut emit, ResourceIdx(r), &cls));
        }
    }

    // Destructors and host tables that resource types need, before state is declared.
    for r in emit.resource_types.keys().copied().collect::<Vec<_>>() {
        match &plan.resources[r as usize] {
            Resource::Defined { dtor: Some(d), .. } => {
                emit.core_def(d);
            }
            Resource::Host { .. } => {
                emit.host_reps();
            }
            Resource::Defined { dtor: None, .. } => {}
        }
    }

    // Instantiation sequence: first, which imports are linked exports of other modules.
    let mut init = Vec::new();
    for (vars, host, sig) in emit.links.values() {
        init.push(vars.resolve(host.clone(), sig));
    }
    let mut core_files = Vec::new();
    let mut module_vars: HashMap<u32, String> = HashMap::new();
    let mut instance_vars: HashMap<u32, String> = HashMap::new();
    for ini in &plan.initializers {
        let Initializer::Instantiate {
            instance,
            module,
            imports,
        } = ini;
        let mvar = match module_vars.get(&module.0) {
            Some(v) => v.clone(),
            None => {
                let v = format!("module{}", module.0);
                let bytes = &plan.modules[module.0 as usize].bytes;
                let load = if bytes.len() < opts.base64_cutoff {
                    emit.runtime("compileBase64");
                    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
                    await_(call_id("compileBase64", vec![str_(&b64)]))
                } else {
                    let file = core_file_name(&opts.name, core_files.len());
                    core_files.push((file.clone(), bytes.clone()));
                    if opts.instantiation {
                        await_(call_id("getCoreModule", vec![str_(&file)]))
                    } else {
                        emit.runtime("compileUrl");
                        let url = new_(
                            id("URL"),
                            vec![
                                str_(&format!("./{file}")),
                                member(
                                    Box::new(Expr::MetaProp(swc_ecma_ast::MetaPropExpr {
                                        span: swc_common::DUMMY_SP,
                                        kind: swc_ecma_ast::MetaPropKind::ImportMeta,
                                    })),
                                    "url",
                                ),
                            ],
                        );
                        await_(call_id("compileUrl", vec![url]))
                    }
                };
                init.push(const_(&v, load));
                module_vars.insert(module.0, v.clone());
                v
            }
        };
        let mut by_module: Vec<(String, Props)> = Vec::new();
        for (m, n, def) in imports {
            let e = match def {
                CoreDef::Trampoline(t) if emit.jspi_wrapped.contains(&t.0) => {
                    id(&format!("trampoline{}j", t.0))
                }
                CoreDef::Trampoline(t) if emit.links.contains_key(&t.0) => cond(
                    id(&emit.links[&t.0].0.desc),
                    id(&format!("trampoline{}L", t.0)),
                    id(&format!("trampoline{}", t.0)),
                ),
                CoreDef::Trampoline(t) => id(&format!("trampoline{}", t.0)),
                CoreDef::Export { instance, name } => member(id(&instance_vars[&instance.0]), name),
            };
            match by_module.iter_mut().find(|x| x.0 == *m) {
                Some(x) => x.1.push((n.clone(), e)),
                None => by_module.push((m.clone(), vec![(n.clone(), e)])),
            }
        }
        let import_obj = object(
            by_module
                .into_iter()
                .map(|(m, fields)| (m, object(fields)))
                .collect(),
        );
        let ivar = format!("exports{}", instance.0);
        let inst = await_(method(
            id("WebAssembly"),
            "instantiate",
            vec![id(&mvar), import_obj],
        ));
        init.push(const_(&ivar, member(paren(inst), "exports")));
        instance_vars.insert(instance.0, ivar);
        // Core items that functions use, now that they exist.
        let defs: Vec<(CoreDef, String)> = emit.core_defs.clone();
        for (def, var) in defs {
            if let CoreDef::Export { instance: i, name } = &def
                && i == instance
            {
                init.push(assign(&var, member(id(&format!("exports{}", i.0)), name)));
            }
        }
    }

    // State declarations.
    let mut state = Vec::new();
    state.push(let_("poisoned", Some(bool_(false))));
    for (_, var) in &emit.core_defs {
        state.push(let_(var, None));
    }
    for (memory, view) in emit.views.clone() {
        let buf = format!("{view}Buffer");
        let dv = format!("{view}View");
        // A memory's buffer is detached (length 0) when it grows, so the cached view is
        // refreshed only then, without reading the `buffer` getter (slow) on every use.
        state.push(let_(&buf, Some(new_(id("ArrayBuffer"), vec![num(0.0)]))));
        state.push(let_(&dv, None));
        let b = member(id(&memory), "buffer");
        state.push(fn_decl(
            &view,
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
        ));
    }
    if emit.host_reps {
        state.push(const_("hostReps", new_(id("HostReps"), vec![])));
    }
    for t in emit.tables.clone() {
        state.push(const_(
            &format!("handles{t}"),
            new_(id("HandleTable"), vec![]),
        ));
    }
    for a in emit.async_insts.clone() {
        let poison = arrow(&[], paren(assign_expr("poisoned", bool_(true))));
        state.push(const_(
            &format!("ai{a}"),
            new_(
                id("AsyncInstance"),
                vec![id(&format!("handles{a}")), poison],
            ),
        ));
    }
    for (var, _) in emit.lifts.clone() {
        state.push(let_(&var, None));
    }
    for (vars, _, _) in emit.links.values() {
        state.extend(vars.decls());
    }
    for (r, var) in emit.resource_types.clone() {
        let (name, dtor, instance) = match &plan.resources[r as usize] {
            Resource::Defined {
                instance,
                dtor,
                name,
            } => {
                let d = match dtor {
                    Some(d) => {
                        let f = emit.core_def(d);
                        if !emit.core_defs.iter().any(|(_, v)| *v == f)
                            && !f.starts_with("trampoline")
                        {
                            bail!("internal error: destructor not hoisted");
                        }
                        arrow(&["rep".into()], call_id(&f, vec![id("rep")]))
                    }
                    None => null(),
                };
                (name.clone(), d, f64::from(instance.0))
            }
            Resource::Host { host } => {
                let reps = emit.host_reps();
                let _ = reps;
                (
                    host_label(plan, host),
                    arrow(
                        &["rep".into()],
                        method(id("hostReps"), "drop", vec![id("rep")]),
                    ),
                    -1.0,
                )
            }
        };
        state.push(const_(
            &var,
            new_(id("ResourceType"), vec![str_(&name), dtor, num(instance)]),
        ));
    }
    if emit.host_reps && !state.iter().any(|s| declares(s, "hostReps")) {
        state.insert(1, const_("hostReps", new_(id("HostReps"), vec![])));
    }
    // Destructors may have been hoisted after the init sequence was built.
    let defs: Vec<(CoreDef, String)> = emit.core_defs.clone();
    for (def, var) in &defs {
        if let CoreDef::Export { instance, name } = def {
            let assigned = init.iter().any(|s| assigns(s, var));
            if !assigned {
                init.push(assign(
                    var,
                    member(id(&format!("exports{}", instance.0)), name),
                ));
            }
        }
    }
    if defs.len() != emit.core_defs.len() {
        bail!("internal error: core items requested after instantiation was generated");
    }

    let mut all = Vec::new();
    all.extend(import_stmts);
    all.extend(state);
    all.extend(std::mem::take(&mut emit.functions));
    all.extend(class_stmts);
    all.extend(init);
    all.extend(body);

    let runtime_items = runtime.items(&emit.runtime)?;
    let mut items = vec![crate::esm::directive("use components")];
    items.extend(module_items);
    items.extend(runtime_items);
    if opts.instantiation {
        all.push(ret(Some(object(export_props))));
        items.push(crate::esm::export_async_fn(
            "instantiate",
            &["getCoreModule".into(), "imports".into()],
            all,
        ));
    } else {
        items.extend(all.into_iter().map(swc_ecma_ast::ModuleItem::Stmt));
        items.push(crate::esm::export_names(&esm_exports));
    }
    Ok(ModuleOutput {
        js: swc_ecma_ast::Module {
            span: swc_common::DUMMY_SP,
            body: items,
            shebang: None,
        },
        core_files,
        import_names,
        export_names,
    })
}

/// The imports whose values the generated code reads.
fn used_imports(plan: &Plan) -> BTreeSet<usize> {
    let mut used = BTreeSet::new();
    for t in &plan.trampolines {
        if let Trampoline::LowerHost { callee, .. } = t {
            used.insert(callee.import.0 as usize);
        }
    }
    for r in &plan.resources {
        if let Resource::Host { host } = r {
            used.insert(host.import.0 as usize);
        }
    }
    fn walk(item: &ExportItem, used: &mut BTreeSet<usize>) {
        match item {
            ExportItem::HostFunc(h, _) => {
                used.insert(h.import.0 as usize);
            }
            ExportItem::Instance(items) => items.iter().for_each(|(_, i)| walk(i, used)),
            _ => {}
        }
    }
    for (_, e) in &plan.exports {
        walk(e, &mut used);
    }
    used
}

fn host_label(plan: &Plan, h: &HostRef) -> String {
    let mut s = plan.imports[h.import.0 as usize].name.clone();
    for p in &h.path {
        s.push('#');
        s.push_str(p);
    }
    s
}

/// `name.core.wasm`, `name.core2.wasm`, …
pub fn core_file_name(name: &str, i: usize) -> String {
    if i == 0 {
        format!("{name}.core.wasm")
    } else {
        format!("{name}.core{}.wasm", i + 1)
    }
}

fn sanitize(s: &str) -> String {
    let base = s.rsplit(['/', ':']).next().unwrap_or(s);
    let base = base.split('@').next().unwrap_or(base);
    camel(&base.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-"))
}

fn export_short_name(name: &str) -> String {
    if name.contains(':') || name.contains('/') {
        sanitize(name)
    } else {
        camel(name)
    }
}

/// Applies `--map` rules (with `*` wildcards) to an import name.
pub fn map_specifier(name: &str, map: &[(String, String)]) -> String {
    if let Some(m) = user_map(name, map) {
        return m;
    }
    wasi_shim_specifier(name).unwrap_or_else(|| name.to_string())
}

/// The WASI interfaces `@weft/wasi` has an ES module for (`npm/wasi/src/interfaces.txt`,
/// written by its `scripts/gen-interfaces.mjs`), as `wasi:pkg/iface@0.N`.
const WASI_SHIM_INTERFACES: &str = include_str!("../../../npm/wasi/src/interfaces.txt");

/// `wasi:cli/stdout@0.2.3` → `@weft/wasi/p2/cli/stdout` when the shims have it: what an
/// ES module imports for a WASI interface unless `--map` says otherwise.
fn wasi_shim_specifier(name: &str) -> Option<String> {
    let rest = name.strip_prefix("wasi:")?;
    let (path, version) = rest.split_once('@')?;
    let minor = match version.split('.').collect::<Vec<_>>().as_slice() {
        ["0", "2", ..] => "0.2",
        ["0", "3", ..] => "0.3",
        _ => return None,
    };
    let key = format!("wasi:{path}@{minor}");
    WASI_SHIM_INTERFACES
        .lines()
        .any(|l| l == key)
        .then(|| format!("@weft/wasi/p{}/{path}", &minor[2..]))
}

/// The user's `--map` rewrite of `name`, if one matches.
fn user_map(name: &str, map: &[(String, String)]) -> Option<String> {
    for (from, to) in map {
        if let Some((pre, post)) = from.split_once('*') {
            if name.len() >= pre.len() + post.len() && name.starts_with(pre) && name.ends_with(post)
            {
                let mid = &name[pre.len()..name.len() - post.len()];
                return Some(to.replace('*', mid));
            }
        } else if from == name {
            return Some(to.clone());
        }
    }
    None
}

fn declares(s: &Stmt, name: &str) -> bool {
    match s {
        Stmt::Decl(swc_ecma_ast::Decl::Fn(f)) => f.ident.sym == *name,
        Stmt::Decl(swc_ecma_ast::Decl::Var(v)) => v.decls.iter().any(|d| match &d.name {
            swc_ecma_ast::Pat::Ident(i) => i.id.sym == *name,
            _ => false,
        }),
        _ => false,
    }
}

fn assigns(s: &Stmt, name: &str) -> bool {
    if let Stmt::Expr(e) = s
        && let Expr::Assign(a) = &*e.expr
        && let swc_ecma_ast::AssignTarget::Simple(swc_ecma_ast::SimpleAssignTarget::Ident(i)) =
            &a.left
    {
        return i.id.sym == *name;
    }
    false
}

fn name_classes(emit: &mut Emit<'_>, name: &str, item: &ExportItem) {
    match item {
        ExportItem::Resource(r) if !emit.resource_classes.contains_key(&r.0) => {
            let n = emit.namer.fresh(&upper_camel(name));
            emit.resource_classes.insert(r.0, n);
        }
        ExportItem::Instance(items) => {
            for (n, i) in items {
                name_classes(emit, n, i);
            }
        }
        _ => {}
    }
}

/// The JS value of an export: a function, a namespace object, or a class.
fn export_value(emit: &mut Emit<'_>, name: &str, item: &ExportItem) -> Result<Box<Expr>> {
    Ok(match item {
        ExportItem::Func(l) => {
            let f = emit.namer.fresh(&camel(name));
            emit.export_label = name.to_string();
            let decl = lifted_fn(emit, &f, l)
                .with_context(|| format!("failed to generate the export `{name}`"))?;
            emit.functions.push(decl);
            offer_link(emit, &f, l);
            id(&f)
        }
        ExportItem::HostFunc(h, _) => emit.host_expr(h),
        ExportItem::Resource(r) => {
            let cls = emit.resource_class(*r);
            id(&cls)
        }
        ExportItem::Instance(items) => {
            // Resources first: their classes collect constructors, methods and statics.
            let mut props = Vec::new();
            let mut members: HashMap<String, Vec<Member>> = HashMap::new();
            let mut ctors: HashMap<String, (String, usize)> = HashMap::new();
            for (n, i) in items {
                let ExportItem::Func(l) = i else { continue };
                match fn_kind(n) {
                    FnKind::Free(_) => {}
                    FnKind::Constructor(r) => {
                        let f = emit.namer.fresh(&format!("{}New", camel(r)));
                        emit.export_label = format!("{name}#{n}");
                        let decl = lifted_fn(emit, &f, l).with_context(|| {
                            format!("failed to generate the export `{name}#{n}`")
                        })?;
                        emit.functions.push(decl);
                        let arity = emit.plan.types.func(l.ty).params.len();
                        ctors.insert(r.to_string(), (f, arity));
                    }
                    FnKind::Method(r, m) | FnKind::Static(r, m) => {
                        let is_static = matches!(fn_kind(n), FnKind::Static(..));
                        let f = emit.namer.fresh(&format!("{}{}", camel(r), upper_camel(m)));
                        emit.export_label = format!("{name}#{n}");
                        let decl = lifted_fn(emit, &f, l).with_context(|| {
                            format!("failed to generate the export `{name}#{n}`")
                        })?;
                        emit.functions.push(decl);
                        let arity = emit.plan.types.func(l.ty).params.len();
                        members.entry(r.to_string()).or_default().push(Member {
                            name: prop(m),
                            func: f,
                            is_static,
                            arity,
                        });
                    }
                }
            }
            for (n, i) in items {
                match i {
                    ExportItem::Func(_) if !matches!(fn_kind(n), FnKind::Free(_)) => {}
                    ExportItem::Resource(r) => {
                        let cls = emit.resource_class(*r);
                        let ms = members.remove(n.as_str()).unwrap_or_default();
                        let ctor = ctors.remove(n.as_str());
                        class_decl(emit, *r, &cls, n, ctor, ms);
                        props.push((upper_camel(n), id(&cls)));
                    }
                    ExportItem::Func(l) => {
                        let f = emit.namer.fresh(&camel(n));
                        emit.export_label = format!("{name}#{n}");
                        let decl = lifted_fn(emit, &f, l).with_context(|| {
                            format!("failed to generate the export `{name}#{n}`")
                        })?;
                        emit.functions.push(decl);
                        offer_link(emit, &f, l);
                        props.push((js_item_name(n), id(&f)));
                    }
                    _ => {
                        let v = export_value(emit, n, i)?;
                        props.push((js_item_name(n), v));
                    }
                }
            }
            object(props)
        }
    })
}

/// A method or static function of an exported resource class.
struct Member {
    /// The JS property name.
    name: String,
    /// The export wrapper it calls.
    func: String,
    is_static: bool,
    /// Parameters of the component function (a method's include `self`).
    arity: usize,
}

/// A resource class: a constructor function with methods on its prototype. The
/// constructor and methods call the export wrappers with explicit parameters (a method
/// passes `this` as the borrowed `self`).
fn class_decl(
    emit: &mut Emit<'_>,
    r: ResourceIdx,
    cls: &str,
    wit_name: &str,
    ctor: Option<(String, usize)>,
    members: Vec<Member>,
) {
    let first = emit.declared_classes.insert(r.0);
    let (params_, body) = match ctor {
        Some((c, arity)) => {
            let ps = params(arity, "a");
            let args = ps.iter().map(|p| id(p)).collect();
            (ps, vec![ret(Some(call_id(&c, args)))])
        }
        None => (
            Vec::new(),
            vec![throw(new_(
                id("TypeError"),
                vec![str_(&format!(
                    "the resource `{wit_name}` has no constructor"
                ))],
            ))],
        ),
    };
    if first {
        emit.functions.push(fn_decl(cls, &params_, body));
    }
    for m in members {
        let (target, value) = if m.is_static {
            (id(cls), id(&m.func))
        } else {
            let ps = params(m.arity.saturating_sub(1), "a");
            let mut args = vec![Box::new(Expr::This(swc_ecma_ast::ThisExpr {
                span: swc_common::DUMMY_SP,
            }))];
            args.extend(ps.iter().map(|p| id(p)));
            (
                member(id(cls), "prototype"),
                fn_expr(&ps, vec![ret(Some(call_id(&m.func, args)))]),
            )
        };
        emit.functions.push(assign_member(target, &m.name, value));
    }
    if first {
        dispose_method(emit, r, cls);
    }
}

fn dispose_method(emit: &mut Emit<'_>, _r: ResourceIdx, cls: &str) {
    emit.runtime("disposeOwned");
    let proto = member(id(cls), "prototype");
    let key = member(id("Symbol"), "dispose");
    let f = fn_expr(
        &[],
        vec![expr_stmt(call_id(
            "disposeOwned",
            vec![Box::new(Expr::This(swc_ecma_ast::ThisExpr {
                span: swc_common::DUMMY_SP,
            }))],
        ))],
    );
    let Expr::Member(m) = *index(proto, key) else {
        unreachable!("index builds a member")
    };
    emit.functions.push(expr_stmt(Box::new(Expr::Assign(
        swc_ecma_ast::AssignExpr {
            span: swc_common::DUMMY_SP,
            op: swc_ecma_ast::AssignOp::Assign,
            left: swc_ecma_ast::SimpleAssignTarget::Member(m).into(),
            right: f,
        },
    ))));
}

fn bare_class(emit: &mut Emit<'_>, r: ResourceIdx, cls: &str) -> Stmt {
    let name = match &emit.plan.resources[r.0 as usize] {
        Resource::Defined { name, .. } => name.clone(),
        Resource::Host { .. } => cls.to_string(),
    };
    dispose_method(emit, r, cls);
    fn_decl(
        cls,
        &[],
        vec![throw(new_(
            id("TypeError"),
            vec![str_(&format!("the resource `{name}` has no constructor"))],
        ))],
    )
}
