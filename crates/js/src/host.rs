//! Host-import trampolines: what a guest's core call of a lowered host function does —
//! lift the core arguments to JS values, call the host's JS (a function, a method on a
//! resource object, a constructor or a static), and lower its result back. With
//! component-model async the call goes through a subtask (`canonLowerSync` /
//! `canonLowerAsync` in `src/runtime/task.js`).

use anyhow::{Context, Result};
use swc_ecma_ast::{Expr, Stmt};
use weft_core::bug;
use weft_core::error::OrBug;
use weft_core::plan::{CanonOptions, HostRef};
use weft_core::types::{FuncType, ValType};

use crate::abi::{FnGen, HandleCx};
use crate::ast::*;
use crate::call::{CallSite, SubtaskCall, call_context, end_call, lift_args, rethrow};
use crate::emit::Emit;
use crate::link::{Link, LinkVars, linkable_import};
use crate::names::{FnKind, fn_kind};

/// The trampoline `trampoline{i}` of a host import `callee` of type `func` lowered with
/// `options`, and, for a sync import that can take a direct link, its linked twin.
pub fn import_trampoline(
    emit: &mut Emit<'_>,
    i: u32,
    callee: &HostRef,
    func: &FuncType,
    options: &CanonOptions,
) -> Result<(Stmt, Option<Link>)> {
    let name = format!("trampoline{i}");
    let label = emit.facts.host_label(callee);
    let forced = emit.facts.async_imports.contains(&i);
    let site = |sig| CallSite::import(label.clone(), func.clone(), sig);
    let result = if emit.facts.concurrent && (options.is_async || func.is_async || forced) {
        let sig = emit
            .plan()
            .types
            .flatten_lower(func, options.is_async, options.addr);
        async_lowered_fn(emit, &name, &site(sig), callee, options, forced).map(|f| (f, None))
    } else {
        let link = link_twin(emit, i, func, callee, options)?;
        let sig = emit.plan().types.flatten_func(func, true, options.addr);
        lowered_fn(emit, &name, &site(sig), callee, options).map(|f| (f, link))
    };
    result.with_context(|| format!("failed to generate the import trampoline for `{label}`"))
}

/// A sync trampoline: core args → JS values → host → core results; any throw poisons
/// the instance (`poison_on_throw`).
fn lowered_fn(
    emit: &mut Emit<'_>,
    name: &str,
    site: &CallSite,
    target: &HostRef,
    options: &CanonOptions,
) -> Result<Stmt> {
    let func = &site.func;
    let mem = emit.mem_cx(options);
    // `canon_lower`'s `trap_if(not inst.may_leave)`: a component that uses async keeps
    // the flag (clear while post-return runs).
    let may_leave = emit
        .facts
        .concurrent
        .then(|| emit.async_instance(options.instance.0));
    let binding = emit.binding_of_import(target.import.0);
    let mut g = FnGen::new(emit, mem, options.instance.0);
    g.binding = binding;
    g.outline = true;
    if let Some(ai) = may_leave {
        let check = call(g.emit.rt("mayLeave"), vec![id(&ai)]);
        g.stmts.push(expr_stmt(check));
    }
    let has_borrows = site.params_have_borrows(g.types());
    if has_borrows {
        let cx = call_context(&mut g);
        g.stmts.push(cx);
        g.handle_cx = HandleCx::Call;
    }
    let mut values = lift_args(&mut g, site)?;
    // With `--record`: the arguments in an array the recorder reads, the call in it.
    // (An `async` function's promise is settled by `syncResult` inside the call.)
    let recorded = crate::record::function(g.emit, &site.label, func, false, g.binding);
    // (A temporary's name only when recording: the numbering of the others, and so
    // the output without `--record`, stays what it was.)
    let args = recorded.map(|_| g.tmp("args"));
    if let Some(args) = &args {
        g.stmts
            .push(const_(args, array(std::mem::take(&mut values))));
        values = (0..func.params.len())
            .map(|i| index(id(args), num(i as f64)))
            .collect();
    }
    let mut call_e = host_call(&mut g, name, target, values, func)?;
    if func.is_async {
        // An `async` host function lowered without `async`: its promise settles first.
        let sync_result = g.emit.rt("syncResult");
        call_e = call(sync_result, vec![call_e, str_(&site.label)]);
    }
    if let (Some(i), Some(args)) = (recorded, &args) {
        call_e = crate::record::wrap_import(g.emit, i, args, call_e);
    }
    let r = "r";
    // A `result` is the case the call ended in (`d`) and its payload, with no object
    // made for it; under jco's shapes the host may also return the `result` itself.
    let made = func
        .result
        .filter(|t| g.emit.facts.is_result(*t) && !g.bare_ok_results());
    match func.result {
        Some(t) if made.is_some() => {
            let stmts = catch_case(&mut g, r, "d", call_e, t);
            g.stmts.extend(stmts);
        }
        Some(t) if g.emit.facts.is_result(t) => {
            let stmts = catch_payload(&mut g, r, call_e, t);
            g.stmts.extend(stmts);
        }
        Some(_) => g.stmts.push(const_(r, call_e)),
        None => g.stmts.push(expr_stmt(call_e)),
    }
    if has_borrows {
        let end = end_call(&mut g);
        g.stmts.push(end);
    }
    g.handle_cx = HandleCx::None;
    match (func.result, made) {
        (Some(t), Some(_)) => {
            let retptr = result_ptr(&mut g, site, t)?;
            if let Some(flat) = g.lower_made_result(t, "d", id(r), retptr, &site.label)? {
                g.stmts.push(ret(Some(flat)));
            }
        }
        (Some(t), None) => lower_result(&mut g, site, t, id(r))?,
        (None, _) => {}
    }
    let body = std::mem::take(&mut g.stmts);
    let body = poison_on_throw(&mut g, body);
    Ok(fn_decl(name, &site.args, body))
}

/// `try { body } catch (e) { poisoned = true; throw e; }`: a trampoline runs while the
/// guest is in the middle of a call, so whatever it throws (a trap lifting the guest's
/// arguments, anything the host throws, a `TypeError` for a result of the wrong type)
/// unwinds a guest that stopped mid-call, and the instance must not be entered again
/// (a core exception thrown by the host becomes a trap, `rethrow`). The flag is enough
/// here: where the exception leaves the guest, the call's boundary (the export wrapper,
/// or `callAs` in a component that uses async, which also lets go of what the instance
/// holds) poisons the instance as for any trap; the flag keeps it poisoned when the
/// guest catches the exception.
fn poison_on_throw(g: &mut FnGen<'_, '_>, body: Vec<Stmt>) -> Vec<Stmt> {
    let handler = vec![crate::state::poison(g.emit.facts), rethrow(g)];
    vec![try_catch(body, "e", handler)]
}

/// `let r, d; try { r = call; d = 0 } catch (e) { r = errPayload(e); d = 1 }`: a host
/// function returning a `result` returns its `ok` payload and throws its `err` case (the
/// binding's helper says how a thrown value becomes the payload, or rethrows it so the
/// call traps).
fn catch_case(g: &mut FnGen<'_, '_>, r: &str, d: &str, call_e: Box<Expr>, t: ValType) -> Vec<Stmt> {
    let payload = g.emit.rt(g.err_payload(t));
    let ok = vec![assign(r, call_e), assign(d, num(0.0))];
    let err = vec![assign(r, call(payload, vec![id("e")])), assign(d, num(1.0))];
    vec![let_(r, None), let_(d, None), try_catch(ok, "e", err)]
}

/// `let r; try { r = jcoResult(call) } catch (e) { r = { tag: 'err', value:
/// errPayload(e) } }`: `catch_case` under jco's shapes in a component that uses async,
/// where the host may return the `result` object itself or its `ok` payload.
fn catch_payload(g: &mut FnGen<'_, '_>, r: &str, call_e: Box<Expr>, t: ValType) -> Vec<Stmt> {
    let key = g.binding.payload_key();
    let ok = assign(r, call(g.emit.rt("jcoResult"), vec![call_e]));
    let payload = g.emit.rt(g.err_payload(t));
    let err = assign(
        r,
        object(vec![
            ("tag".into(), str_("err")),
            (key.into(), call(payload, vec![id("e")])),
        ]),
    );
    vec![let_(r, None), try_catch(vec![ok], "e", vec![err])]
}

/// Lowers the host's result `v` of type `t` for the guest: stored through the
/// out-pointer (the last core parameter) when results spill, else returned flat.
fn lower_result(g: &mut FnGen<'_, '_>, site: &CallSite, t: ValType, v: Box<Expr>) -> Result<()> {
    if let Some(retptr) = result_ptr(g, site, t)? {
        g.store(t, v, retptr, 0)?;
    } else {
        let flat = g.lower_flat(t, v)?;
        let v = flat.into_iter().next().or_bug("one flat result")?;
        g.stmts.push(ret(Some(v)));
    }
    Ok(())
}

/// The checked out-pointer (the last core parameter) a result of type `t` is stored
/// through, when results spill.
fn result_ptr(g: &mut FnGen<'_, '_>, site: &CallSite, t: ValType) -> Result<Option<Box<Expr>>> {
    if !site.sig.results_spilled {
        return Ok(None);
    }
    let last = site.args.last().or_bug("an out-pointer parameter")?;
    Ok(Some(g.checked_ptr(id(last), t, "result pointer")?))
}

/// A host import lowered with the `async` option, or an `async` host function lowered
/// without it (or one `--async-imports` names: `forced`): the call goes through a
/// subtask.
fn async_lowered_fn(
    emit: &mut Emit<'_>,
    name: &str,
    site: &CallSite,
    target: &HostRef,
    options: &CanonOptions,
    forced: bool,
) -> Result<Stmt> {
    let func = &site.func;
    let mem = emit.mem_cx(options);
    let ai = emit.async_instance(options.instance.0);
    let binding = emit.binding_of_import(target.import.0);
    let mut g = FnGen::new(emit, mem, options.instance.0);
    g.binding = binding;
    g.outline = true;
    let has_borrows = site.params_have_borrows(g.types());
    let mut body = Vec::new();
    if has_borrows {
        body.push(call_context(&mut g));
        g.handle_cx = HandleCx::Call;
    }
    // onStart: lift the arguments.
    let (mut start_body, values) = g.scoped(|g| lift_args(g, site))?;
    start_body.push(ret(Some(array(values))));
    g.handle_cx = HandleCx::None;
    // The host call, on the lifted values.
    let values: Vec<Box<Expr>> = (0..func.params.len())
        .map(|i| index(id("vals"), num(i as f64)))
        .collect();
    let mut call_e = host_call(&mut g, name, target, values, func)?;
    // With `--record`: the call, and when its promise settles, what it settled to.
    let promising = func.is_async || forced;
    let recorded = crate::record::function(g.emit, &site.label, func, promising, g.binding);
    if let Some(i) = recorded {
        call_e = crate::record::wrap_import(g.emit, i, "vals", call_e);
    }
    let err_payload = func
        .result
        .filter(|t| g.emit.facts.is_result(*t))
        .map(|t| g.err_payload(t));
    // onResolve: lower the result (`r` is `[value]`).
    let (resolve_body, ()) = g.scoped(|g| {
        let Some(t) = func.result else {
            return Ok(());
        };
        let v = g.bind(index(id("r"), num(0.0)));
        lower_result(g, site, t, v)
    })?;
    let host_func = g.emit.rt("hostFunc");
    let key = g.binding.payload_key();
    let mut args = vec![arrow(&["vals".into()], call_e)];
    if let Some(helper) = err_payload {
        args.extend([str_(key), g.emit.rt(helper)]);
        if g.bare_ok_results() {
            args.push(g.emit.rt("jcoResult"));
        }
    }
    let mut host = call(host_func, args);
    if recorded.is_some() {
        // The component cancelling the call is recorded too.
        host = crate::record::wrap_host_func(g.emit, host);
    }
    let cx = if has_borrows { id("cx") } else { null() };
    let e = SubtaskCall {
        caller: id(&ai),
        callee: host,
        on_start: start_body,
        resolved: "r",
        on_resolve: resolve_body,
        cx,
    }
    .emit(&mut g, options.is_async, &site.label);
    body.extend(std::mem::take(&mut g.stmts));
    body.push(ret(Some(e)));
    Ok(fn_decl(name, &site.args, body))
}

/// The call of a host function per its WIT name: plain call, `new`, method or static.
fn host_call(
    g: &mut FnGen<'_, '_>,
    name: &str,
    h: &HostRef,
    mut values: Vec<Box<Expr>>,
    func: &FuncType,
) -> Result<Box<Expr>> {
    if g.emit.is_webidl_import(h.import.0) {
        return crate::webidl::host_call(g, h, values, func);
    }
    let facts = g.emit.facts;
    let last = facts.host_item_name(h);
    let mut parent = h.clone();
    parent.path.pop();
    let base = if h.path.is_empty() {
        g.emit.import_var(h.import.0)
    } else {
        g.emit.host_expr(&parent)
    };
    let b = g.binding;
    // jco: a root-level resource function's import is the class itself.
    let class = |r: &str| {
        if h.path.is_empty() && b.root_resource_import_is_class() {
            base.clone()
        } else {
            member(base.clone(), &b.class(r))
        }
    };
    Ok(match fn_kind(&last) {
        FnKind::Free(_) if h.path.is_empty() => call(base, values),
        FnKind::Free(f) => method(base, &b.member_function(f), values),
        FnKind::Constructor(r) => new_(class(r), values),
        FnKind::Static(r, m) => method(class(r), &b.method(m), values),
        FnKind::Method(_, m) => {
            if values.is_empty() {
                bug!("the method `{name}` has no `self` parameter");
            }
            let this = values.remove(0);
            method(this, &b.method(m), values)
        }
    })
}

/// For a sync import of a free function with a linkable type, generates its linked
/// twin `trampoline{i}L` (`link.rs`); returns the link to resolve at instantiation.
fn link_twin(
    emit: &mut Emit<'_>,
    i: u32,
    func: &FuncType,
    target: &HostRef,
    options: &CanonOptions,
) -> Result<Option<Link>> {
    // A `webidl:` import is the platform's member itself (`webidl.rs`): no import
    // object to link through.
    // A recorded call goes through JS, where it is recorded.
    if !matches!(fn_kind(&emit.facts.host_item_name(target)), FnKind::Free(_))
        || emit.is_webidl_import(target.import.0)
        || emit.recording.is_some()
    {
        return Ok(None);
    }
    let plan = emit.plan();
    let import_name = &plan.imports[target.import.0 as usize].name;
    let Some(sig) = linkable_import(&plan.types, import_name, func, options) else {
        return Ok(None);
    };
    let vars = LinkVars::new(emit, i);
    let twin = crate::adapter::linked_fn(emit, &format!("trampoline{i}L"), func, options, &vars)?;
    emit.decls.push(twin);
    let host = emit.host_expr(target);
    emit.runtime("linkOf");
    Ok(Some(Link {
        trampoline: i,
        vars,
        host,
        sig,
    }))
}
