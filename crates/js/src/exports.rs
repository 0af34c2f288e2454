//! The module's exports: a JS function per exported component function (the wrapper
//! that lowers JS arguments, calls the lifted core function and lifts the result), a
//! namespace object per exported instance, and a class per exported resource (its
//! constructor, methods and statics call the wrappers). Sync exports are also offered
//! for direct links (`link.rs`).

use std::collections::HashMap;

use anyhow::{Context, Result};
use swc_ecma_ast::{Expr, Stmt, UnaryOp};
use weft_core::error::OrBug;
use weft_core::plan::{ExportItem, Initializer, Lifted, Resource};
use weft_core::types::{ResourceIdx, TypeDef, ValType};

use crate::abi::{FlatIter, FnGen, HandleCx, scalar_test};
use crate::ast::*;
use crate::call::{
    CallSite, call_context, call_prologue, check_args, end_call, lower_args, params,
    promise_prologue, rethrow, unwrap_result,
};
use crate::emit::Emit;
use crate::names::{FnKind, camel, export_aliases_of, export_short_name, fn_kind, upper_camel};

/// What the exports phase produces.
#[derive(Default)]
pub struct Exports {
    /// `(variable, exported name)`: every export under its short JS name and, when
    /// different, its full WIT name.
    pub names: Vec<(String, String)>,
    /// The WIT names of the exports, in order.
    pub wit_names: Vec<String>,
    /// Statements that run after instantiation: export values that are not plain
    /// variables, and the link offers.
    pub body: Vec<Stmt>,
}

/// Generates every export of the plan. Each is exported under its full WIT name and,
/// when unambiguous, a short alias (`names::export_aliases`).
pub fn generate(emit: &mut Emit<'_>) -> Result<Exports> {
    let mut out = Exports::default();
    let mut offers = Vec::new();
    let plan = emit.plan();
    // A root-level resource's functions are its class's members, not exports of their own.
    let exports: Vec<&(String, ExportItem)> = plan
        .exports
        .iter()
        .filter(|(n, i)| !matches!(i, ExportItem::Func(_)) || matches!(fn_kind(n), FnKind::Free(_)))
        .collect();
    let mut classes = class_members(emit, &plan.exports, ToString::to_string)?;
    let names: Vec<String> = exports.iter().map(|(n, _)| n.clone()).collect();
    let is_class: Vec<bool> = exports
        .iter()
        .map(|(_, i)| matches!(i, ExportItem::Resource(_)))
        .collect();
    let aliases = export_aliases_of(&names, &is_class);
    for ((name, item), alias) in exports.into_iter().zip(aliases) {
        out.wit_names.push(name.clone());
        let value = match item {
            ExportItem::Resource(r) if !emit.facts.is_host_resource(*r) => {
                id(&classes.declare(emit, *r, name, &format!("[resource-drop]{name}")))
            }
            _ => export_value(emit, name, item, &mut offers)?,
        };
        let var = match &*value {
            Expr::Ident(i) => i.sym.to_string(),
            _ => {
                let var = emit.namer.fresh(&export_short_name(name));
                out.body.push(const_(&var, value));
                var
            }
        };
        if let Some(short) = &alias {
            out.names.push((var.clone(), short.clone()));
        }
        if alias.as_ref() != Some(name) {
            out.names.push((var, name.clone()));
        }
    }
    if !offers.is_empty() {
        out.body.push(crate::link::offer_state(emit.facts));
        out.body.append(&mut offers);
    }
    Ok(out)
}

/// Names the classes of exported resources first, after their export names, so that
/// lifting code generated before their export can refer to them.
pub fn name_classes(emit: &mut Emit<'_>) {
    fn walk(emit: &mut Emit<'_>, name: &str, item: &ExportItem) {
        match item {
            ExportItem::Resource(r) if !emit.facts.is_host_resource(*r) => {
                emit.name_export_class(*r, name);
            }
            ExportItem::Instance(items) => {
                for (n, i) in items {
                    walk(emit, n, i);
                }
            }
            _ => {}
        }
    }
    for (name, item) in &emit.plan().exports {
        walk(emit, name, item);
    }
}

/// The imports object of every instance of an imported component
/// ([`Initializer::InstantiateComponent`]), made as exports are, kept in
/// `Emit::component_args` for the instantiation sequence: an instance as its namespace
/// object, any other item under `default` (as `instantiate`'s own imports are read).
pub fn component_args(emit: &mut Emit<'_>) -> Result<()> {
    let plan = emit.plan();
    let mut offers = Vec::new();
    for ini in &plan.initializers {
        let Initializer::InstantiateComponent { instance, args, .. } = ini else {
            continue;
        };
        let mut props = Vec::new();
        for (name, item, is_instance) in args {
            let v = export_value(emit, name, item, &mut offers)?;
            let v = if *is_instance {
                v
            } else {
                object(vec![("default".to_string(), v)])
            };
            props.push((name.clone(), v));
        }
        emit.component_args.insert(instance.0, object(props));
    }
    Ok(())
}

/// The JS value of an export: a function, a namespace object, or a class.
fn export_value(
    emit: &mut Emit<'_>,
    name: &str,
    item: &ExportItem,
    offers: &mut Vec<Stmt>,
) -> Result<Box<Expr>> {
    Ok(match item {
        ExportItem::Func(l) => {
            let f = emit.namer.fresh(&camel(name));
            export_fn(emit, &f, name, l)?;
            offer_link(emit, &f, name, l, offers);
            id(&f)
        }
        ExportItem::HostFunc(h, _) | ExportItem::HostValue(h) => emit.host_expr(h),
        // Compiled by the instantiation sequence.
        ExportItem::Module(m) => id(&crate::names::module_var(m.0)),
        // The module generated for it, instantiated with the host's imports on demand.
        ExportItem::Component(i) => {
            let var = emit.namer.fresh(&format!("component{i}Instantiate"));
            let spec = format!(
                "./{}",
                crate::names::component_file(&emit.facts.opts.name, *i)
            );
            emit.module_imports.push(crate::esm::import(
                &var,
                &spec,
                crate::esm::Binds::Member("instantiate"),
            ));
            let loader = crate::output::shape(emit.facts.opts).core_loader();
            call(emit.rt("componentFactory"), vec![id(&var), loader])
        }
        // A host resource re-exported is the host's class.
        ExportItem::Resource(r) => match &emit.plan().resources[r.0 as usize] {
            Resource::Host { host } => emit.host_class_expr(host),
            Resource::Defined { .. } => id(&emit.resource_class(*r)),
        },
        ExportItem::Instance(items) => instance_value(emit, name, items, offers)?,
    })
}

/// An exported instance: an object of its functions, resource classes and nested
/// items. Resources first: their classes collect constructors, methods and statics.
fn instance_value(
    emit: &mut Emit<'_>,
    name: &str,
    items: &[(String, ExportItem)],
    offers: &mut Vec<Stmt>,
) -> Result<Box<Expr>> {
    let mut classes = class_members(emit, items, |n| format!("{name}#{n}"))?;
    let mut props = Vec::new();
    for (n, i) in items {
        match i {
            ExportItem::Func(_) if !matches!(fn_kind(n), FnKind::Free(_)) => {}
            ExportItem::Resource(r) if !emit.facts.is_host_resource(*r) => {
                let cls = classes.declare(emit, *r, n, &format!("{name}#[resource-drop]{n}"));
                props.push((emit.facts.binding.class(n), id(&cls)));
            }
            ExportItem::Resource(_) => {
                let v = export_value(emit, n, i, offers)?;
                props.push((emit.facts.binding.class(n), v));
            }
            ExportItem::Func(l) => {
                let f = emit.namer.fresh(&camel(n));
                let label = format!("{name}#{n}");
                export_fn(emit, &f, &label, l)?;
                offer_link(emit, &f, &label, l, offers);
                props.push((emit.item_name(n), id(&f)));
            }
            _ => {
                let v = export_value(emit, n, i, offers)?;
                props.push((emit.item_name(n), v));
            }
        }
    }
    Ok(object(props))
}

/// The constructors, methods and statics of the resource classes exported next to them
/// (in one instance, or at the root), by resource name.
#[derive(Default)]
struct ClassMembers {
    members: HashMap<String, Vec<Member>>,
    ctors: HashMap<String, (String, usize)>,
}

impl ClassMembers {
    /// Declares the class of the exported resource `r` (export name `n`) with its members;
    /// returns the class.
    /// `drop`: the component-level name of its drop (`iface#[resource-drop]r`), which a
    /// recording names its `[Symbol.dispose]` calls by.
    fn declare(&mut self, emit: &mut Emit<'_>, r: ResourceIdx, n: &str, drop: &str) -> String {
        let cls = emit.resource_class(r);
        let ms = self.members.remove(n).unwrap_or_default();
        let ctor = self.ctors.remove(n);
        class_decl(emit, r, &cls, n, ctor, ms, drop);
        cls
    }
}

/// Declares the wrappers of the `[constructor]`, `[method]` and `[static]` functions among
/// `items` (whose labels `label` gives) and collects them per resource.
fn class_members(
    emit: &mut Emit<'_>,
    items: &[(String, ExportItem)],
    label: impl Fn(&str) -> String,
) -> Result<ClassMembers> {
    let mut out = ClassMembers::default();
    for (n, i) in items {
        let ExportItem::Func(l) = i else { continue };
        let arity = emit.plan().types.func(l.ty).params.len();
        let label = label(n);
        match fn_kind(n) {
            FnKind::Free(_) => {}
            FnKind::Constructor(r) => {
                let f = emit.namer.fresh(&format!("{}New", camel(r)));
                export_fn(emit, &f, &label, l)?;
                out.ctors.insert(r.to_string(), (f, arity));
            }
            FnKind::Method(r, m) | FnKind::Static(r, m) => {
                let is_static = matches!(fn_kind(n), FnKind::Static(..));
                let f = emit.namer.fresh(&format!("{}{}", camel(r), upper_camel(m)));
                export_fn(emit, &f, &label, l)?;
                let facts = emit.facts;
                let returns_promise = emit.plan().types.func(l.ty).is_async
                    || (facts.concurrent && facts.async_export(&label));
                out.members.entry(r.to_string()).or_default().push(Member {
                    name: facts.binding.method(m),
                    func: f,
                    is_static,
                    arity,
                    is_async: returns_promise && facts.binding.async_function_exports(),
                });
            }
        }
    }
    Ok(out)
}

/// Declares the wrapper `f` of the exported function `label` (`interface#function`).
fn export_fn(emit: &mut Emit<'_>, f: &str, label: &str, l: &Lifted) -> Result<()> {
    let decls = lifted_fn(emit, f, label, l)
        .with_context(|| format!("failed to generate the export `{label}`"))?;
    emit.decls.extend(decls);
    let func = emit.plan().types.func(l.ty);
    crate::record::wrap_export(emit, f, label, func);
    Ok(())
}

/// Offers the sync export `f` for direct links from other weft modules (`link.rs`).
/// Exports of `wasi:` interfaces are left out (`link::links_interface`).
fn offer_link(emit: &mut Emit<'_>, f: &str, label: &str, l: &Lifted, offers: &mut Vec<Stmt>) {
    // Links join 32-bit memories only (`link::linkable_import`); a recorded call goes
    // through JS, where it is recorded.
    if emit.recording.is_some()
        || emit.facts.concurrent
        || l.options.addr.is_64()
        || !crate::link::links_interface(label)
    {
        return;
    }
    if let Some(stmt) = crate::link::offer(emit, f, l) {
        offers.push(stmt);
    }
}

/// The JS function `name` that calls the lifted core function of `l` with JS
/// arguments, through a task (`hostInvoke`) when the component uses async, and the
/// functions it calls of its own (`fast_entry`).
fn lifted_fn(emit: &mut Emit<'_>, name: &str, label: &str, l: &Lifted) -> Result<Vec<Stmt>> {
    let mut func = emit.plan().types.func(l.ty).clone();
    if emit.facts.concurrent {
        let forced = !func.is_async && emit.facts.async_export(label);
        func.is_async |= forced;
        let sig = emit.plan().types.flatten_func(&func, false, l.options.addr);
        let site = CallSite::export(label.to_string(), func, sig);
        return Ok(vec![async_lifted_fn(emit, name, &site, l, forced)?]);
    }
    let sig = emit.plan().types.flatten_func(&func, false, l.options.addr);
    let site = CallSite::export(label.to_string(), func, sig);
    sync_lifted_fn(emit, name, &site, l)
}

/// A sync export: check the arguments, then lower them, call, lift the result, run
/// post-return. What the checks throw leaves the instance usable (nothing of the guest
/// ran); anything thrown once the lowering began (which may call `realloc`) poisons it.
/// A function of scalars gets a fast entry (`fast_entry`).
fn sync_lifted_fn(
    emit: &mut Emit<'_>,
    name: &str,
    site: &CallSite,
    l: &Lifted,
) -> Result<Vec<Stmt>> {
    let func = &site.func;
    let callee = emit.core_def(&l.func);
    let mem = emit.mem_cx(&l.options);
    let post = l.options.post_return.as_ref().map(|p| emit.core_def(p));
    let instance = l.options.instance.0;
    let mut g = FnGen::new(emit, mem, instance);
    // Whether the call lends borrow handles (a borrow of its own resource is the rep).
    let lends_handles = func
        .params
        .iter()
        .any(|(_, t)| g.emit.facts.lowers_borrow_handles(*t, instance));
    // The arguments are checked before the call's borrow scope opens: a JS value of
    // the wrong kind throws a TypeError with nothing begun (the core module's scope
    // stack, with core handle tables, included).
    let oks = scalar_entry_tests(&mut g, site);
    let mut body = call_prologue(&mut g, false);
    g.lowering_follows = true;
    check_args(&mut g, site)?;
    g.lowering_follows = false;
    body.append(&mut g.stmts);
    if lends_handles {
        body.push(call_context(&mut g));
        g.handle_cx = HandleCx::Call;
    }
    let flat = lower_args(&mut g, site)?;
    let result = call_and_lift(&mut g, site, call_id(&callee, flat), post.is_some())?;
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
        inner.push(end_call(&mut g));
    }
    let unwrap = func.result.is_some_and(|t| g.emit.facts.is_result(t));
    match (value, unwrap) {
        (Some(v), false) => inner.push(ret(Some(v))),
        (Some(v), true) => inner.push(assign(out, v)),
        (None, _) => {}
    }
    g.emit.runtime("trap");
    let handler = vec![crate::state::poison(g.emit.facts), rethrow(&mut g)];
    if unwrap {
        body.push(let_(out, None));
    }
    let call = try_catch(inner, "e", handler);
    body.push(call.clone());
    if unwrap {
        body.extend(unwrap_result(&mut g, out));
    }
    // An `async` function lifted without the `async` option runs to completion now;
    // JS still sees an async function (a promise, rejected on error).
    if func.is_async {
        return Ok(vec![async_fn_decl(name, &site.args, body)]);
    }
    match oks {
        Some(oks) => {
            // The call's `try` returns the result; without one, the entry returns after it.
            let mut call = vec![call];
            if func.result.is_none() {
                call.push(ret(None));
            }
            Ok(fast_entry(g.emit, name, &site.args, oks, body, call))
        }
        None => Ok(vec![fn_decl(name, &site.args, body)]),
    }
}

/// The tests that check every argument of `site` in full, when each is one expression
/// (`typeof arg0 === "number"`, `FnGen::scalar_ok`), the call has arguments and its
/// result, if any, is a scalar too: a call `fast_entry` serves.
fn scalar_entry_tests(g: &mut FnGen<'_, '_>, site: &CallSite) -> Option<Vec<Box<Expr>>> {
    let scalar_result = site.func.result.is_none_or(|t| scalar_test(t).is_some());
    if site.args.is_empty() || site.func.is_async || site.sig.params_spilled || !scalar_result {
        return None;
    }
    site.func
        .params
        .iter()
        .zip(&site.args)
        .map(|((_, t), a)| g.scalar_ok(*t, &id(a)))
        .collect()
}

/// The export `name` of a call whose arguments are scalars, as two functions: the whole
/// function (`checked`) as `nameChecked(…)`, which throws what a value that does not fit
/// gets, and `name(…)`, which makes the call (`call`: the `try` statement of `checked`,
/// and a `return` when it has no result) inside one `if` per test, the poison test
/// first, and calls `nameChecked` when one fails:
///
/// ```js
/// function add(arg0, arg1) {
///   if (!poisoned) { if (typeof arg0 === "number") { if (typeof arg1 === "number") {
///     try { return core6(arg0, arg1) >>> 0; } catch (e) { poisoned = true; throw e; }
///   } } }
///   return addChecked(arg0, arg1);
/// }
/// ```
///
/// The entry stays short enough for SpiderMonkey to inline it into its caller (its
/// budget is ~130 bytes of bytecode; V8's is larger): with the checks' message calls
/// and a temporary, `add(u32, u32)` cost 1.6× a plain wasm call in Firefox. Nested `if`s
/// are the shortest form that costs no engine anything: a predicate function costs
/// SpiderMonkey an inlining level (1.3×), a `||` chain keeps its value (1.8×), and `|`
/// between the tests makes V8 convert booleans (bench/notes.md).
fn fast_entry(
    emit: &mut Emit<'_>,
    name: &str,
    args: &[String],
    oks: Vec<Box<Expr>>,
    checked: Vec<Stmt>,
    call: Vec<Stmt>,
) -> Vec<Stmt> {
    let checked_fn = emit.namer.fresh(&format!("{name}Checked"));
    let params = args.iter().map(|a| id(a)).collect::<Vec<_>>();
    let tests = std::iter::once(unary(UnaryOp::Bang, id("poisoned"))).chain(oks);
    let mut body = tests
        .rev()
        .fold(call, |inner, test| vec![if_(test, inner, None)]);
    body.push(ret(Some(call_id(&checked_fn, params))));
    vec![
        fn_decl(&checked_fn, args, checked),
        fn_decl(name, args, body),
    ]
}

/// A lifted result: the JS value, and the core results post-return takes.
type LiftedResult = (Box<Expr>, Vec<Box<Expr>>);

/// Emits the core call `call_e` and lifts its result, or `None` for a function without
/// a result. `post_return`: the core results are kept for post-return, in a variable.
fn call_and_lift(
    g: &mut FnGen<'_, '_>,
    site: &CallSite,
    call_e: Box<Expr>,
    post_return: bool,
) -> Result<Option<LiftedResult>> {
    let Some(t) = site.func.result else {
        g.stmts.push(expr_stmt(call_e));
        return Ok(None);
    };
    // A scalar's lifting reads its core value once (`ret >>> 0`): the call goes in its
    // place, without a temporary (which costs SpiderMonkey's inlining budget).
    if scalar_test(t).is_some() && !post_return {
        let flat_t = *site.sig.results.first().or_bug("one flat result type")?;
        let v = g.lift_flat(t, &mut FlatIter::new(vec![(call_e, flat_t)]))?;
        return Ok(Some((v, Vec::new())));
    }
    let r = g.tmp("ret");
    if site.sig.results_spilled {
        let ret = g.addr_in(call_e);
        g.stmts.push(const_(&r, ret));
        let layout = g.layout(t);
        let memory = g.mem()?.memory;
        g.check_ptr(
            &id(&r),
            layout.align,
            num(f64::from(layout.size)),
            &memory,
            "result pointer",
        );
        let v = g.load(t, id(&r), 0)?;
        return Ok(Some((v, vec![id(&r)])));
    }
    g.stmts.push(const_(&r, call_e));
    let flat_t = *site.sig.results.first().or_bug("one flat result type")?;
    let mut it = FlatIter::new(vec![(id(&r), flat_t)]);
    let v = g.lift_flat(t, &mut it)?;
    Ok(Some((v, vec![id(&r)])))
}

/// An export called from JS when the component uses async: `hostInvoke` with the
/// argument lowering as `onStart` and the result lifting as `onResolve`. `forced`: a
/// sync function `--async-exports` enters through JSPI.
fn async_lifted_fn(
    emit: &mut Emit<'_>,
    name: &str,
    site: &CallSite,
    l: &Lifted,
    forced: bool,
) -> Result<Stmt> {
    let func = &site.func;
    let lift = crate::lift::lift_expr_as(emit, l, forced);
    let mem = emit.mem_cx(&l.options);
    let mut g = FnGen::new(emit, mem, l.options.instance.0);
    let has_borrows = site.params_have_borrows(g.types());
    let mut body = if func.is_async {
        promise_prologue(&mut g, has_borrows)
    } else {
        call_prologue(&mut g, has_borrows)
    };
    if has_borrows {
        g.handle_cx = HandleCx::Call;
    }
    // The arguments are checked at the call (an `async` function's promise rejects with
    // what the checks throw); they are lowered when the task starts, and what that
    // throws poisons the instance: `realloc` may have run.
    check_args(&mut g, site)?;
    let checks = std::mem::take(&mut g.stmts);
    if func.is_async && !checks.is_empty() {
        // The bindings of the checks are in the `try` block: the lowering reads again.
        g.forget_checked();
        let reject = call(member(id("Promise"), "reject"), vec![id("e")]);
        body.push(try_catch(checks, "e", vec![ret(Some(reject))]));
    } else {
        body.extend(checks);
    }
    // A promise given for a `future` is read when the task starts, which may be after
    // it rejected (the call waits to enter) or never (it is cancelled first): it is
    // marked handled now, so node does not die of an unhandled rejection meanwhile.
    for (p, (_, t)) in site.args.iter().zip(&func.params) {
        if let ValType::Defined(tid) = t
            && matches!(g.types().def(*tid), TypeDef::Future(_))
        {
            let quiet = g.emit.rt("handledLater");
            body.push(expr_stmt(call(quiet, vec![id(p)])));
        }
    }
    // onStart: lower the arguments.
    let (mut lowering, flat) = g.scoped(|g| lower_args(g, site))?;
    lowering.push(ret(Some(array(flat))));
    let start_body = if lowering.len() == 1 {
        lowering
    } else {
        let poison = vec![crate::state::poison(g.emit.facts), throw(id("e"))];
        vec![try_catch(lowering, "e", poison)]
    };
    g.handle_cx = HandleCx::None;
    // onResolve: lift the result from the callee's flat results.
    let (resolve_body, ()) = g.scoped(|g| {
        let Some(t) = func.result else {
            return Ok(());
        };
        let (flats, spilled) =
            g.types()
                .flatten_lift_results(func, l.options.is_async, l.options.addr);
        let v = if spilled {
            let p = g.checked_ptr(index(id("flat"), num(0.0)), t, "result pointer")?;
            g.load(t, p, 0)?
        } else {
            let mut it = FlatIter::new(
                flats
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (index(id("flat"), num(i as f64)), *f))
                    .collect(),
            );
            g.lift_flat(t, &mut it)?
        };
        g.stmts.push(ret(Some(v)));
        Ok(())
    })?;
    let invoke = g.emit.rt("hostInvoke");
    let cx = if has_borrows { id("cx") } else { null() };
    let mut invoke_args = vec![
        lift,
        fn_expr(&[], start_body),
        fn_expr(&["flat".into()], resolve_body),
        cx,
    ];
    // An async function takes `{ signal }` after its parameters, for cancellation.
    let mut args = site.args.clone();
    if func.is_async {
        args.push("options".into());
        invoke_args.push(id("options"));
    }
    let call_e = call(invoke, invoke_args);
    if func.result.is_some_and(|t| g.emit.facts.is_result(t)) {
        let check = unwrap_result(&mut g, "out");
        if func.is_async {
            body.push(ret(Some(method(
                call_e,
                "then",
                vec![fn_expr(&["out".into()], check)],
            ))));
        } else {
            body.push(const_("out", call_e));
            body.extend(check);
        }
    } else {
        body.push(ret(Some(call_e)));
    }
    if func.is_async && g.emit.facts.binding.async_function_exports() {
        let mark = call(g.emit.rt("asyncFunction"), vec![id(name)]);
        g.emit.decls.push(expr_stmt(mark));
    }
    Ok(fn_decl(name, &args, body))
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
    /// The method is an `async` method (`Binding::async_function_exports`).
    is_async: bool,
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
    drop: &str,
) {
    let first = emit.declare_class(r);
    let (params_, body) = match ctor {
        Some((c, arity)) => {
            let ps = params(arity, "a");
            let args = ps.iter().map(|p| id(p)).collect();
            (ps, vec![ret(Some(call_id(&c, args)))])
        }
        None => (Vec::new(), vec![no_constructor(wit_name)]),
    };
    if first {
        emit.decls.push(fn_decl(cls, &params_, body));
    }
    for m in members {
        let (target, value) = if m.is_static {
            (id(cls), id(&m.func))
        } else {
            let ps = params(m.arity.saturating_sub(1), "a");
            let mut args = vec![this()];
            args.extend(ps.iter().map(|p| id(p)));
            let body = vec![ret(Some(call_id(&m.func, args)))];
            let f = fn_expr(&ps, body);
            let f = if m.is_async {
                call(emit.rt("asyncFunction"), vec![f])
            } else {
                f
            };
            (member(id(cls), "prototype"), f)
        };
        emit.decls.push(assign_member(target, &m.name, value));
    }
    if first {
        dispose_method(emit, cls, r, drop);
    }
}

/// `throw new TypeError("the resource `name` has no constructor")`.
fn no_constructor(wit_name: &str) -> Stmt {
    throw(new_(
        id("TypeError"),
        vec![str_(&format!(
            "the resource `{wit_name}` has no constructor"
        ))],
    ))
}

/// `this`.
fn this() -> Box<Expr> {
    Box::new(Expr::This(swc_ecma_ast::ThisExpr {
        span: swc_common::DUMMY_SP,
    }))
}

/// `Cls.prototype[Symbol.dispose] = function () { disposeOwned(this); }`; with `--record`,
/// that function wrapped by `recordDispose` as the drop `drop` of resource `r`.
fn dispose_method(emit: &mut Emit<'_>, cls: &str, r: ResourceIdx, drop: &str) {
    let dispose = emit.rt("disposeOwned");
    let proto = member(id(cls), "prototype");
    let key = member(id("Symbol"), "dispose");
    let f = fn_expr(&[], vec![expr_stmt(call(dispose, vec![this()]))]);
    let f = crate::record::wrap_dispose(emit, drop, r, f);
    let Expr::Member(m) = *index(proto, key) else {
        unreachable!("index builds a member")
    };
    emit.decls.push(expr_stmt(Box::new(Expr::Assign(
        swc_ecma_ast::AssignExpr {
            span: swc_common::DUMMY_SP,
            op: swc_ecma_ast::AssignOp::Assign,
            left: swc_ecma_ast::SimpleAssignTarget::Member(m).into(),
            right: f,
        },
    ))));
}

/// The classes of resources that were lifted but never exported: a constructor that
/// throws, and `Symbol.dispose`. The dispose assignments join the hoisted declarations;
/// the class functions are returned.
pub fn bare_classes(emit: &mut Emit<'_>) -> Vec<Stmt> {
    let mut classes = Vec::new();
    for (r, cls) in emit.undeclared_classes() {
        let name = match &emit.plan().resources[r.0 as usize] {
            Resource::Defined { name, .. } => name.clone(),
            Resource::Host { .. } => cls.clone(),
        };
        dispose_method(emit, &cls, r, &format!("[resource-drop]{name}"));
        classes.push(fn_decl(&cls, &[], vec![no_constructor(&name)]));
    }
    classes
}
