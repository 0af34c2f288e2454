//! Fused adapters: a function lifted by one component instance and lowered into
//! another becomes one JS trampoline that moves arguments and results memory to memory.
//!
//! Values never become JS objects on the way: scalars travel as JS numbers (normalised
//! and validated as lifting requires), strings are copied or transcoded between the two
//! memories by the runtime's `transcode`, lists of numbers are one bulk copy, other
//! lists, records, variants and flags are walked field by field between the memories,
//! and handles move from one instance's table to the other's. This is the JS
//! counterpart of wasmtime's fused adapter compiler.

use anyhow::{Result, bail};
use swc_ecma_ast::{BinaryOp, Expr, Stmt};
use weft_core::abi::{Addr, Flat};
use weft_core::error::OrBug;
use weft_core::plan::{CanonOptions, Lifted, Movers, StringEncoding};
use weft_core::types::{FuncType, ValType};

use crate::abi::{FnGen, addr_out_as};
use crate::ast::*;
use crate::call::{SubtaskCall, call_prologue, end_call, poison_check_of, rethrow};
use crate::emit::{Emit, MemCx};
use crate::link::LinkVars;

mod xfer;

use xfer::{Dst, Side, Src, Xfer};

/// The two sides of a fused adapter and the core signatures they use.
struct AdapterSides<'a> {
    plan: &'a weft_core::Plan,
    caller: Side,
    callee: Side,
    /// Caller-side (lower) signature.
    lower: weft_core::abi::CoreSig,
    /// Callee-side (lift) signature.
    lift: weft_core::abi::CoreSig,
    /// The caller's core parameters, by name.
    args: Vec<String>,
}

/// Moves the parameters from the caller's core arguments (flat, or a pointer to a
/// tuple in the caller's memory) to the callee's: flat values, or a tuple allocated in
/// the callee's memory with its `realloc`. Returns the callee's core arguments.
fn params_to_callee(
    g: &mut FnGen<'_, '_>,
    a: &AdapterSides<'_>,
    params: &[ValType],
) -> Result<Vec<Box<Expr>>> {
    let plan = a.plan;
    let mut x = Xfer {
        g,
        src: a.caller.clone(),
        dst: a.callee.clone(),
    };
    let (src_addr, dst_addr) = (a.caller.addr(), a.callee.addr());
    let n_flat: usize = params
        .iter()
        .map(|t| plan.types.flatten(*t, src_addr).len())
        .sum();
    let mut src = if a.lower.params_spilled {
        let (layout, _) = plan.types.tuple_layout(params, src_addr);
        let m = a
            .caller
            .mem
            .clone()
            .or_bug("spilled parameters without memory")?;
        let p = x.g.addr_in_as(src_addr, id(&a.args[0]));
        let p = x.g.bind(p);
        x.g.check_ptr(
            &p,
            layout.align,
            num(f64::from(layout.size)),
            &m.memory,
            "parameter pointer",
        );
        Src::Mem(p, 0)
    } else {
        let flats = a.lower.params[..n_flat].to_vec();
        Src::Flat(
            a.args
                .iter()
                .map(|n| id(n))
                .zip(flats)
                .collect::<Vec<_>>()
                .into_iter(),
        )
    };
    if a.lift.params_spilled {
        let (layout, _) = plan.types.tuple_layout(params, dst_addr);
        x.g.mem.clone_from(&a.callee.mem);
        let p = x.g.alloc(num(f64::from(layout.size)), layout.align)?;
        x.g.mem = None;
        let mut dst = Dst::Mem(p.clone(), 0);
        x.xfer_fields(params, &mut src, &mut dst)?;
        return Ok(vec![addr_out_as(dst_addr, p)]);
    }
    // An async caller may spill (more than 4 flat parameters) where the callee takes
    // them flat: `xfer_fields` walks the tuple layout either way.
    let mut dst = Dst::Flat(Vec::new());
    x.xfer_fields(params, &mut src, &mut dst)?;
    let Dst::Flat(v) = dst else {
        unreachable!("flat destination")
    };
    Ok(v)
}

/// Moves a result of type `t` from the callee's core results (`vals` with their flat
/// types, or the pointer `vals[0]` into the callee's memory when `spilled`) to the
/// caller: into its out-pointer (the last core parameter) when its signature spills
/// results, else as the flat value returned (bound to a name).
fn result_to_caller(
    g: &mut FnGen<'_, '_>,
    a: &AdapterSides<'_>,
    t: ValType,
    vals: Vec<Box<Expr>>,
    flats: &[Flat],
    spilled: bool,
) -> Result<Option<Box<Expr>>> {
    let plan = a.plan;
    let mut x = Xfer {
        g,
        src: a.callee.clone(),
        dst: a.caller.clone(),
    };
    let mut src = if spilled {
        let l = plan.types.layout(t, a.callee.addr());
        let m = a
            .callee
            .mem
            .clone()
            .or_bug("spilled results without memory")?;
        let first = vals.into_iter().next().or_bug("a result pointer")?;
        let rp = x.g.addr_in_as(a.callee.addr(), first);
        let rp = x.g.bind(rp);
        x.g.check_ptr(
            &rp,
            l.align,
            num(f64::from(l.size)),
            &m.memory,
            "result pointer",
        );
        Src::Mem(rp, 0)
    } else {
        Src::Flat(
            vals.into_iter()
                .zip(flats.iter().copied())
                .collect::<Vec<_>>()
                .into_iter(),
        )
    };
    if a.lower.results_spilled {
        let l = plan.types.layout(t, a.caller.addr());
        let last = a.args.last().or_bug("an out-pointer parameter")?;
        let retptr = x.g.addr_in_as(a.caller.addr(), id(last));
        let retptr = x.g.bind(retptr);
        let m = a
            .caller
            .mem
            .clone()
            .or_bug("spilled results without memory")?;
        x.g.check_ptr(
            &retptr,
            l.align,
            num(f64::from(l.size)),
            &m.memory,
            "result pointer",
        );
        x.xfer(t, &mut src, &mut Dst::Mem(retptr, 0))?;
        return Ok(None);
    }
    let mut dst = Dst::Flat(Vec::new());
    x.xfer(t, &mut src, &mut dst)?;
    let Dst::Flat(v) = dst else {
        unreachable!("flat destination")
    };
    let r = v.into_iter().next().or_bug("one flat result")?;
    let n = x.g.tmp("r");
    x.g.stmts.push(const_(&n, r));
    Ok(Some(id(&n)))
}

/// The sides, signatures and core parameter names of an adapter.
fn sides<'a>(
    emit: &mut Emit<'a>,
    callee: &Lifted,
    caller: &CanonOptions,
    func: &FuncType,
) -> AdapterSides<'a> {
    let plan = emit.plan();
    let lower = plan.types.flatten_lower(func, caller.is_async, caller.addr);
    let args = (0..lower.params.len()).map(|i| format!("arg{i}")).collect();
    AdapterSides {
        plan,
        caller: Side {
            mem: emit.mem_cx(caller),
            instance: caller.instance.0,
        },
        callee: Side {
            mem: emit.mem_cx(&callee.options),
            instance: callee.options.instance.0,
        },
        lift: plan.types.flatten_func(func, false, callee.options.addr),
        lower,
        args,
    }
}

/// Whether a call of `func` moves handles (and so needs a call context).
fn needs_cx(plan: &weft_core::Plan, func: &FuncType) -> bool {
    func.value_types().any(|t| plan.types.has_handles(t))
}

/// What `call_sync` leaves: the caller's result value (when returned, not stored) and
/// the callee's core results (post-return's arguments).
type SyncCall = (Option<Box<Expr>>, Vec<Box<Expr>>);

/// The middle of a sync adapter: moves the parameters to the callee, calls it (`call`
/// builds the call from the callee's core arguments) and moves the result back.
fn call_sync(
    g: &mut FnGen<'_, '_>,
    a: &AdapterSides<'_>,
    func: &FuncType,
    call: impl FnOnce(Vec<Box<Expr>>) -> Box<Expr>,
) -> Result<SyncCall> {
    let params: Vec<ValType> = func.params.iter().map(|p| p.1).collect();
    let call_args = params_to_callee(g, a, &params)?;
    let core_ret = g.tmp("ret");
    g.stmts.push(const_(&core_ret, call(call_args)));
    let Some(t) = func.result else {
        return Ok((None, Vec::new()));
    };
    let r = result_to_caller(
        g,
        a,
        t,
        vec![id(&core_ret)],
        &a.lift.results,
        a.lift.results_spilled,
    )?;
    Ok((r, vec![id(&core_ret)]))
}

/// Builds the trampoline for a lifted function lowered into another instance.
pub fn adapter_fn(
    emit: &mut Emit<'_>,
    name: &str,
    callee: &Lifted,
    caller: &CanonOptions,
) -> Result<Stmt> {
    let plan = emit.plan();
    let func: FuncType = plan.types.func(callee.ty).clone();
    if func.is_async {
        bail!(
            "unsupported: calling the async function `{name}` between components (component-model async)"
        );
    }
    let a = sides(emit, callee, caller, &func);
    let core = emit.core_def(&callee.func);
    let post = callee
        .options
        .post_return
        .as_ref()
        .map(|p| emit.core_def(p));
    let cx = needs_cx(plan, &func);
    let mut g = FnGen::new(emit, None, caller.instance.0);
    let mut body = call_prologue(&mut g, cx);
    let (r, rets) = call_sync(&mut g, &a, &func, |args| call_id(&core, args))?;
    if let Some(p) = &post {
        g.stmts.push(expr_stmt(call_id(p, rets)));
    }
    if cx {
        let end = end_call(&mut g);
        g.stmts.push(end);
    }
    if let Some(r) = r {
        g.stmts.push(ret(Some(r)));
    }
    let inner = std::mem::take(&mut g.stmts);
    let rethrow = rethrow(&mut g);
    body.push(try_catch(
        inner,
        "e",
        vec![crate::state::poison(g.emit.facts), rethrow],
    ));
    Ok(fn_decl(name, &a.args, body))
}

/// Builds the linked twin of an import trampoline (`link.rs`): the caller's side is the
/// import's lowering options, the callee is the export described by `link` at run time
/// (its core function, memory, realloc, post-return and encoding). Moves values as
/// `adapter_fn` does; a throw on the way poisons the callee's instance and the caller's.
pub fn linked_fn(
    emit: &mut Emit<'_>,
    name: &str,
    func: &FuncType,
    caller: &CanonOptions,
    link: &LinkVars,
) -> Result<Stmt> {
    let plan = emit.plan();
    // Links join 32-bit memories only (`link::linkable_import`).
    let lift = plan.types.flatten_func(func, false, Addr::I32);
    let needs_memory = lift.params_spilled
        || lift.results_spilled
        || func.value_types().any(|t| plan.types.needs_memory(t));
    let callee_mem = needs_memory.then(|| MemCx {
        memory: link.memory.clone(),
        view: emit.view_fn(&link.memory),
        realloc: Some(link.realloc.clone()),
        encoding: StringEncoding::Utf8,
        encoding_var: Some(link.enc.clone()),
        addr: Addr::I32,
    });
    let lower = plan.types.flatten_func(func, true, caller.addr);
    let a = AdapterSides {
        plan,
        caller: Side {
            mem: emit.mem_cx(caller),
            instance: caller.instance.0,
        },
        callee: Side {
            mem: callee_mem,
            instance: caller.instance.0,
        },
        args: (0..lower.params.len()).map(|i| format!("arg{i}")).collect(),
        lift,
        lower,
    };
    let d = || id(&link.desc);
    let mut g = FnGen::new(emit, None, caller.instance.0);
    let body = vec![poison_check_of(
        &mut g,
        call(member(d(), "poisoned"), vec![]),
    )];
    let (r, rets) = call_sync(&mut g, &a, func, |args| method(d(), "core", args))?;
    g.stmts.push(if_(
        bin(member(d(), "post"), BinaryOp::NotEqEq, undefined()),
        vec![expr_stmt(method(d(), "post", rets))],
        None,
    ));
    if let Some(r) = r {
        g.stmts.push(ret(Some(r)));
    }
    let inner = std::mem::take(&mut g.stmts);
    let mut body = body;
    // A throw poisons the callee, and this instance too: its guest stopped mid-call.
    body.push(try_catch(
        inner,
        "e",
        vec![
            expr_stmt(method(d(), "poison", vec![])),
            crate::state::poison(g.emit.facts),
            throw(id("e")),
        ],
    ));
    Ok(fn_decl(name, &a.args, body))
}

/// Builds the trampoline for a lifted function lowered into another instance when the
/// component uses async: the call goes through a subtask and a task (`canon lower` of
/// `canon lift`), and values still move memory to memory: parameters when the callee
/// starts, results when it returns (`task.return`, or the core return of a sync lift).
pub fn async_adapter_fn(
    emit: &mut Emit<'_>,
    name: &str,
    callee: &Lifted,
    caller: &CanonOptions,
    movers: Option<&Movers>,
) -> Result<Stmt> {
    let plan = emit.plan();
    let func: FuncType = plan.types.func(callee.ty).clone();
    let a = sides(emit, callee, caller, &func);
    let lift = crate::lift::lift_expr(emit, callee);
    let caller_ai = emit.async_instance(caller.instance.0);
    let cx = needs_cx(plan, &func);
    let mut g = FnGen::new(emit, None, caller.instance.0);
    let mut body = call_prologue(&mut g, cx);
    let (start_body, resolve_body) = match movers {
        Some(m) => moved_in_core(&mut g, &a, callee, &func, m),
        None => moved_in_js(&mut g, &a, callee, &func)?,
    };
    let cx = if cx { id("cx") } else { null() };
    g.emit.runtime("canonLift");
    let callee_fn = arrow(
        &["s".into(), "r".into()],
        call_id("canonLift", vec![lift, id("s"), id("r"), cx.clone()]),
    );
    let lower = SubtaskCall {
        caller: id(&caller_ai),
        callee: callee_fn,
        on_start: start_body,
        resolved: "flat",
        on_resolve: resolve_body,
        cx,
    }
    .emit(&mut g, caller.is_async, name);
    body.push(ret(Some(lower)));
    Ok(fn_decl(name, &a.args, body))
}

/// The bodies of an async adapter's `onStart` and `onResolve(flat)` that call the
/// movers of the core module (weft-lower): the parameters' with the caller's core
/// arguments, returning the callee's as an array; the result's with the callee's
/// values and the caller's out-pointer, returning the caller's flat result, if any.
fn moved_in_core(
    g: &mut FnGen<'_, '_>,
    a: &AdapterSides<'_>,
    callee: &Lifted,
    func: &FuncType,
    m: &Movers,
) -> (Vec<Stmt>, Vec<Stmt>) {
    // A core function returns one value as it is, more as an array.
    let start = match &m.params {
        None => vec![ret(Some(array(vec![])))],
        Some(params) => {
            let params = g.emit.core_def(params);
            let mut args: Vec<Box<Expr>> = a.args.iter().map(|n| id(n)).collect();
            // The borrows are lent in the call's scope in the module.
            if m.scope {
                args.push(member(id("cx"), "core"));
            }
            let moved = call_id(&params, args);
            match a.lift.params.len() {
                0 => vec![expr_stmt(moved), ret(Some(array(vec![])))],
                1 => vec![ret(Some(array(vec![moved])))],
                _ => vec![ret(Some(moved))],
            }
        }
    };
    let Some(result) = &m.result else {
        return (start, Vec::new());
    };
    let n = callee_results(a, callee, func).0.len();
    let mut args: Vec<Box<Expr>> = (0..n).map(|i| index(id("flat"), num(i as f64))).collect();
    if a.lower.results_spilled {
        args.extend(a.args.last().map(|n| id(n)));
    }
    let moved = call_id(&g.emit.core_def(result), args);
    let resolve = if a.lower.results_spilled {
        expr_stmt(moved)
    } else {
        ret(Some(moved))
    };
    (start, vec![resolve])
}

/// The values the callee returns its result with (`onResolve`'s `flat`).
fn callee_results(a: &AdapterSides<'_>, callee: &Lifted, func: &FuncType) -> (Vec<Flat>, bool) {
    a.plan
        .types
        .flatten_lift_results(func, callee.options.is_async, callee.options.addr)
}

/// The bodies of an async adapter's `onStart` and `onResolve(flat)` that move the
/// values in JS (`params_to_callee`, `result_to_caller`).
fn moved_in_js(
    g: &mut FnGen<'_, '_>,
    a: &AdapterSides<'_>,
    callee: &Lifted,
    func: &FuncType,
) -> Result<(Vec<Stmt>, Vec<Stmt>)> {
    // onStart: parameters, caller → callee.
    let params: Vec<ValType> = func.params.iter().map(|p| p.1).collect();
    let (mut start_body, call_args) = g.scoped(|g| params_to_callee(g, a, &params))?;
    start_body.push(ret(Some(array(call_args))));
    // onResolve: results, callee → caller, from `task.return`'s arguments (async lift)
    // or the core result (sync lift).
    let (resolve_body, ()) = g.scoped(|g| {
        let Some(t) = func.result else {
            return Ok(());
        };
        let (flats, spilled) = callee_results(a, callee, func);
        let vals = (0..flats.len())
            .map(|i| index(id("flat"), num(i as f64)))
            .collect();
        if let Some(r) = result_to_caller(g, a, t, vals, &flats, spilled)? {
            g.stmts.push(ret(Some(r)));
        }
        Ok(())
    })?;
    Ok((start_body, resolve_body))
}
