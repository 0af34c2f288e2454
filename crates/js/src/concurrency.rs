//! Component-model async in the generated JS: `Lift` descriptors, host-facing async
//! exports and imports, and the concurrency built-ins. The semantics live in the
//! runtime (`src/runtime/scheduler.js`, `task.js`, `waitable.js`, `stream.js`); this
//! module only wires generated code to it. A component that uses no async gets none of
//! this: [`uses_async`] decides, once per plan.

use anyhow::{Context, Result};
use base64::Engine as _;
use swc_ecma_ast::{BinaryOp, Expr, Stmt};
use weft_core::abi::Flat;
use weft_core::plan::{
    AsyncKind, Builtin, CanonOptions, ExportItem, HostRef, Lifted, Plan, Trampoline,
};
use weft_core::types::{FuncType, TypeDef, ValType};

use crate::abi::{Compat, FlatIter, FnGen, HandleCx, end_info, typed_array};
use crate::ast::*;
use crate::module::Emit;

/// Whether the plan uses component-model async anywhere: a concurrency built-in, an
/// `async` option, an `async` function type, or a stream/future/error-context value.
pub fn uses_async(plan: &Plan) -> bool {
    let func_async = |f: weft_core::types::FuncTypeId| {
        let f = plan.types.func(f);
        f.is_async
            || f.params
                .iter()
                .map(|p| p.1)
                .chain(f.result)
                .any(|t| plan.types.has_async_values(t))
    };
    let trampolines = plan.trampolines.iter().any(|t| match t {
        Trampoline::Builtin { .. } => true,
        Trampoline::LowerHost { ty, options, .. } => options.is_async || func_async(*ty),
        Trampoline::Adapter { callee, options } => {
            options.is_async || callee.options.is_async || func_async(callee.ty)
        }
        _ => false,
    });
    fn export_async(item: &ExportItem, f: &dyn Fn(weft_core::types::FuncTypeId) -> bool) -> bool {
        match item {
            ExportItem::Func(l) => l.options.is_async || f(l.ty),
            ExportItem::HostFunc(_, ty) => f(*ty),
            ExportItem::Instance(items) => items.iter().any(|(_, i)| export_async(i, f)),
            ExportItem::Resource(_) => false,
        }
    }
    trampolines
        || plan
            .exports
            .iter()
            .any(|(_, i)| export_async(i, &func_async))
}

/// The key `task.return` compares: the result type and the lift options (`memory`,
/// `string-encoding`) as far as lifting that result uses them — what engines check
/// (the spec's `LiftOptions.equal` compares them always, but its `.wast` tests expect
/// a `task.return` without a memory to match a lift with one when none is needed).
fn return_key(
    types: &weft_core::types::TypeArena,
    result: Option<ValType>,
    o: &CanonOptions,
) -> String {
    let (_, spilled) = types.flatten_task_return(result);
    let uses_memory = spilled || result.is_some_and(|t| types.needs_memory(t));
    let uses_encoding = result.is_some_and(|t| types.has_strings(t));
    format!(
        "{result:?}|{:?}|{:?}",
        uses_encoding.then_some(o.encoding),
        if uses_memory { o.memory.as_ref() } else { None }
    )
}

/// The (lazily made) `Lift` of a lifted function.
pub fn lift_expr(emit: &mut Emit<'_>, l: &Lifted) -> Box<Expr> {
    lift_expr_as(emit, l, false)
}

/// The `Lift` of a lifted function; `force_async` treats a sync function type as
/// `async` (a `--async-exports` export: entered through JSPI, returning a promise).
pub fn lift_expr_as(emit: &mut Emit<'_>, l: &Lifted, force_async: bool) -> Box<Expr> {
    let key = format!("{:?}|{:?}|{:?}|{force_async}", l.func, l.ty, l.options);
    emit.lift_var(key, |emit| {
        let mut func = emit.plan.types.func(l.ty).clone();
        func.is_async |= force_async;
        let ai = emit.async_instance(l.options.instance.0);
        let callee = emit.core_def(&l.func);
        let callback = l
            .options
            .callback
            .as_ref()
            .map_or_else(null, |c| id(&emit.core_def(c)));
        let post = l
            .options
            .post_return
            .as_ref()
            .map_or_else(null, |c| id(&emit.core_def(c)));
        let mode = match (l.options.is_async, l.options.callback.is_some()) {
            (false, _) => 0.0,
            (true, true) => 1.0,
            (true, false) => 2.0,
        };
        // JSPI entries (when the instance has built-ins that may block a stack).
        let entries = if emit.blocking.contains(&l.options.instance.0) && l.options.is_async
            || emit.blocking.contains(&l.options.instance.0) && func.is_async
        {
            let sig = emit.plan.types.flatten_func(&func, false);
            let results = match (l.options.is_async, l.options.callback.is_some()) {
                (true, true) => vec![Flat::I32],
                (true, false) => vec![],
                (false, _) => sig.results.clone(),
            };
            let b64 = |bytes: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(bytes);
            let callee = str_(&b64(jspi_entry(&sig.params, &results)));
            let cb = if l.options.callback.is_some() {
                str_(&b64(jspi_entry(&[Flat::I32; 3], &[Flat::I32])))
            } else {
                null()
            };
            array(vec![callee, cb])
        } else {
            null()
        };
        emit.runtime("Lift");
        new_(
            id("Lift"),
            vec![
                id(&ai),
                bool_(func.is_async),
                num(mode),
                id(&callee),
                callback,
                post,
                str_(&return_key(&emit.plan.types, func.result, &l.options)),
                entries,
            ],
        )
    })
}

fn is_result(types: &weft_core::types::TypeArena, t: ValType) -> bool {
    matches!(t, ValType::Defined(id) if matches!(types.def(id), TypeDef::Result { .. }))
}

fn result_key(compat: Compat) -> &'static str {
    match compat {
        Compat::Native => "value",
        Compat::Jco => "val",
    }
}

/// An export called from JS when the component uses async: `hostInvoke` with the
/// argument lowering as `onStart` and the result lifting as `onResolve`.
pub fn async_lifted_fn(emit: &mut Emit<'_>, name: &str, l: &Lifted) -> Result<Stmt> {
    let plan = emit.plan;
    let mut func: FuncType = plan.types.func(l.ty).clone();
    let forced = !func.is_async
        && emit
            .async_exports
            .iter()
            .any(|p| crate::label_matches(p, &emit.export_label));
    func.is_async |= forced;
    let sig = plan.types.flatten_func(&func, false);
    let lift = lift_expr_as(emit, l, forced);
    let mem = emit.mem_cx_of(&l.options);
    let mut g = FnGen::new(emit, mem, l.options.instance.0);
    let args = crate::module::params(func.params.len(), "arg");
    let has_borrows = func
        .params
        .iter()
        .any(|(_, t)| g.emit.plan.types.has_borrows(*t));
    let mut body = crate::module::call_prologue(&mut g, has_borrows);
    if has_borrows {
        g.handle_cx = HandleCx::Call;
    }
    // onStart: lower the arguments.
    let (mut start_body, flat) =
        g.scoped(|g| crate::module::lower_args(g, &func, sig.params_spilled, &args))?;
    start_body.push(ret(Some(array(flat))));
    g.handle_cx = HandleCx::None;
    // onResolve: lift the result from the callee's flat results.
    let (resolve_body, ()) = g.scoped(|g| {
        let Some(t) = func.result else {
            return Ok(());
        };
        let (flats, spilled) = if l.options.is_async {
            g.emit.plan.types.flatten_task_return(Some(t))
        } else {
            (sig.results.clone(), sig.results_spilled)
        };
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
    g.emit.runtime("hostInvoke");
    let cx = if has_borrows { id("cx") } else { null() };
    let mut invoke_args = vec![
        lift,
        fn_expr(&[], start_body),
        fn_expr(&["flat".into()], resolve_body),
        cx,
    ];
    // An async function takes `{ signal }` after its parameters, for cancellation.
    let mut args = args;
    if func.is_async {
        args.push("options".into());
        invoke_args.push(id("options"));
    }
    let call_e = call_id("hostInvoke", invoke_args);
    let unwrap = func
        .result
        .is_some_and(|t| is_result(&g.emit.plan.types, t));
    if unwrap {
        let key = result_key(g.emit.compat);
        g.emit.runtime("ComponentError");
        let check = vec![
            if_(
                bin(member(id("out"), "tag"), BinaryOp::EqEqEq, str_("err")),
                vec![throw(new_(
                    id("ComponentError"),
                    vec![member(id("out"), key)],
                ))],
                None,
            ),
            ret(Some(member(id("out"), key))),
        ];
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
    Ok(fn_decl(name, &args, body))
}

/// A host import lowered with the `async` option, or an `async` host function lowered
/// without it: the call goes through a subtask.
#[allow(clippy::too_many_lines)]
pub fn async_lowered_fn(
    emit: &mut Emit<'_>,
    name: &str,
    func: &FuncType,
    target: &HostRef,
    options: &CanonOptions,
    label: &str,
) -> Result<Stmt> {
    let sig = if options.is_async {
        emit.plan.types.flatten_func_async_lower(func)
    } else {
        emit.plan.types.flatten_func(func, true)
    };
    let mem = emit.mem_cx_of(options);
    let ai = emit.async_instance(options.instance.0);
    let mut g = FnGen::new(emit, mem, options.instance.0);
    let args = crate::module::params(sig.params.len(), "arg");
    let has_borrows = func
        .params
        .iter()
        .any(|(_, t)| g.emit.plan.types.has_borrows(*t));
    let mut body = Vec::new();
    if has_borrows {
        g.emit.runtime("CallContext");
        body.push(const_("cx", new_(id("CallContext"), vec![])));
        g.handle_cx = HandleCx::Call;
    }
    // onStart: lift the arguments.
    let (mut start_body, values) =
        g.scoped(|g| crate::module::lift_args(g, func, sig.params_spilled, &sig.params, &args))?;
    start_body.push(ret(Some(array(values))));
    g.handle_cx = HandleCx::None;
    // The host call, on the lifted values.
    let values: Vec<Box<Expr>> = (0..func.params.len())
        .map(|i| index(id("vals"), num(i as f64)))
        .collect();
    let call_e = crate::module::host_call_expr(&mut g, name, target, values)?;
    let wrap = func
        .result
        .is_some_and(|t| is_result(&g.emit.plan.types, t));
    // onResolve: lower the result (`r` is `[value]`).
    let (resolve_body, ()) = g.scoped(|g| {
        let Some(t) = func.result else {
            return Ok(());
        };
        let v = g.bind(index(id("r"), num(0.0)));
        if sig.results_spilled {
            let last = args.last().context("out-pointer parameter")?;
            let retptr = g.checked_ptr(id(last), t, "result pointer")?;
            g.store(t, v, retptr, 0)?;
        } else {
            let flat = g.lower_flat(t, v)?;
            let v = flat.into_iter().next().context("one flat result")?;
            g.stmts.push(ret(Some(v)));
        }
        Ok(())
    })?;
    g.emit.runtime("hostFunc");
    let host = call_id(
        "hostFunc",
        vec![
            arrow(&["vals".into()], call_e),
            if wrap {
                str_(result_key(g.emit.compat))
            } else {
                null()
            },
        ],
    );
    let cx = if has_borrows { id("cx") } else { null() };
    let e = if options.is_async {
        g.emit.runtime("canonLowerAsync");
        call_id(
            "canonLowerAsync",
            vec![
                id(&ai),
                host,
                fn_expr(&[], start_body),
                fn_expr(&["r".into()], resolve_body),
                cx,
            ],
        )
    } else {
        g.emit.runtime("canonLowerSync");
        call_id(
            "canonLowerSync",
            vec![
                id(&ai),
                host,
                fn_expr(&[], start_body),
                fn_expr(&["r".into()], resolve_body),
                cx,
                str_(label),
            ],
        )
    };
    body.extend(std::mem::take(&mut g.stmts));
    body.push(ret(Some(e)));
    Ok(fn_decl(name, &args, body))
}

/// The element codec of a stream/future copy: how the guest's memory holds elements.
fn elem_codec(
    emit: &mut Emit<'_>,
    elem: Option<ValType>,
    options: &CanonOptions,
    write: bool,
) -> Result<Box<Expr>> {
    let Some(t) = elem else {
        return Ok(null());
    };
    let layout = emit.plan.types.layout(t);
    let mem = emit
        .mem_cx_of(options)
        .context("a stream or future copy of values needs a memory")?;
    let memory = mem.memory.clone();
    emit.runtime("Elem");
    let typed = match t {
        ValType::U8
        | ValType::S8
        | ValType::U16
        | ValType::S16
        | ValType::U32
        | ValType::S32
        | ValType::U64
        | ValType::S64
        | ValType::F32
        | ValType::F64 => typed_array(t),
        _ => None,
    };
    // A write reads elements out of the guest's buffer; a read stores into it.
    let (load, store) = if typed.is_some() {
        (null(), null())
    } else if write {
        let mut g = FnGen::new(emit, Some(mem.clone()), options.instance.0);
        g.raw_ends = true;
        let (mut lb, v) = g.scoped(|g| g.load(t, id("ptr"), 0))?;
        lb.push(ret(Some(v)));
        (fn_expr(&["ptr".into()], lb), null())
    } else {
        let mut g = FnGen::new(emit, Some(mem.clone()), options.instance.0);
        let (sb, ()) = g.scoped(|g| g.store(t, id("v"), id("ptr"), 0))?;
        (null(), fn_expr(&["v".into(), "ptr".into()], sb))
    };
    Ok(new_(
        id("Elem"),
        vec![
            num(f64::from(layout.size)),
            num(f64::from(layout.align)),
            arrow(&[], id(&memory)),
            load,
            store,
            typed.map_or_else(null, id),
        ],
    ))
}

/// A concurrency built-in as a JS function calling the runtime.
#[allow(clippy::too_many_lines)]
pub fn builtin_fn(emit: &mut Emit<'_>, name: &str, b: &Builtin, instance: u32) -> Result<Stmt> {
    let ai = id(&emit.async_instance(instance));
    let a = |n: usize| crate::module::params(n, "a");
    let rt = |emit: &mut Emit<'_>, f: &'static str| {
        emit.runtime(f);
        id(f)
    };
    let simple = |name: &str, ps: Vec<String>, e: Box<Expr>| fn_decl(name, &ps, vec![ret(Some(e))]);
    Ok(match b {
        Builtin::ContextGet(i) => simple(
            name,
            vec![],
            call(rt(emit, "contextGet"), vec![num(f64::from(*i))]),
        ),
        Builtin::ContextSet(i) => simple(
            name,
            a(1),
            call(rt(emit, "contextSet"), vec![num(f64::from(*i)), id("a0")]),
        ),
        Builtin::BackpressureInc => {
            simple(name, vec![], call(rt(emit, "backpressureInc"), vec![ai]))
        }
        Builtin::BackpressureDec => {
            simple(name, vec![], call(rt(emit, "backpressureDec"), vec![ai]))
        }
        Builtin::TaskReturn { result, options } => {
            let (flats, _) = emit.plan.types.flatten_task_return(*result);
            let ps = a(flats.len());
            let flat = array(ps.iter().map(|p| id(p)).collect());
            simple(
                name,
                ps,
                call(
                    rt(emit, "taskReturn"),
                    vec![
                        ai,
                        str_(&return_key(&emit.plan.types, *result, options)),
                        flat,
                    ],
                ),
            )
        }
        Builtin::TaskCancel => simple(name, vec![], call(rt(emit, "taskCancel"), vec![ai])),
        Builtin::ThreadYield => simple(name, vec![], call(rt(emit, "threadYield"), vec![ai])),
        Builtin::WaitableSetNew => simple(name, vec![], call(rt(emit, "waitableSetNew"), vec![ai])),
        Builtin::WaitableSetWait { memory } | Builtin::WaitableSetPoll { memory } => {
            let f = if matches!(b, Builtin::WaitableSetWait { .. }) {
                "waitableSetWait"
            } else {
                "waitableSetPoll"
            };
            let m = id(&emit.core_def(memory));
            simple(
                name,
                a(2),
                call(rt(emit, f), vec![ai, m, id("a0"), id("a1")]),
            )
        }
        Builtin::WaitableSetDrop => simple(
            name,
            a(1),
            call(rt(emit, "waitableSetDrop"), vec![ai, id("a0")]),
        ),
        Builtin::WaitableJoin => simple(
            name,
            a(2),
            call(rt(emit, "waitableJoin"), vec![ai, id("a0"), id("a1")]),
        ),
        Builtin::SubtaskCancel { is_async } => simple(
            name,
            a(1),
            call(
                rt(emit, "subtaskCancel"),
                vec![ai, bool_(*is_async), id("a0")],
            ),
        ),
        Builtin::SubtaskDrop => simple(
            name,
            a(1),
            call(rt(emit, "subtaskDrop"), vec![ai, id("a0")]),
        ),
        Builtin::New { kind, ty } => {
            let info = end_info(&emit.plan.types, *ty);
            simple(
                name,
                vec![],
                call(
                    rt(emit, "endsNew"),
                    vec![
                        ai,
                        num(f64::from(ty.0)),
                        bool_(info.plain),
                        bool_(*kind == AsyncKind::Stream),
                        bool_(info.bytes),
                    ],
                ),
            )
        }
        Builtin::Copy {
            kind,
            ty,
            write,
            options,
        } => {
            let info = end_info(&emit.plan.types, *ty);
            let stream = *kind == AsyncKind::Stream;
            let elem = elem_codec(emit, info.elem, options, *write)?;
            let elem_var = emit.namer.fresh("elem");
            let ps = if stream { a(3) } else { a(2) };
            let len = if stream { id("a2") } else { num(1.0) };
            let e = call(
                rt(emit, "endCopy"),
                vec![
                    ai,
                    num(f64::from(ty.0)),
                    bool_(stream),
                    bool_(!*write),
                    bool_(options.is_async),
                    paren(nullish_assign(&elem_var, elem)),
                    id("a0"),
                    id("a1"),
                    len,
                ],
            );
            emit.functions.push(let_(&elem_var, None));
            simple(name, ps, e)
        }
        Builtin::CancelCopy {
            kind,
            ty,
            write,
            is_async,
        } => simple(
            name,
            a(1),
            call(
                rt(emit, "endCancel"),
                vec![
                    ai,
                    num(f64::from(ty.0)),
                    bool_(*kind == AsyncKind::Stream),
                    bool_(!*write),
                    bool_(*is_async),
                    id("a0"),
                ],
            ),
        ),
        Builtin::Drop { kind, ty, writable } => simple(
            name,
            a(1),
            call(
                rt(emit, "endDrop"),
                vec![
                    ai,
                    num(f64::from(ty.0)),
                    bool_(*kind == AsyncKind::Stream),
                    bool_(!*writable),
                    id("a0"),
                ],
            ),
        ),
        Builtin::Forward { kind, ty } => simple(
            name,
            a(2),
            call(
                rt(emit, "endForward"),
                vec![
                    ai,
                    num(f64::from(ty.0)),
                    bool_(*kind == AsyncKind::Stream),
                    id("a0"),
                    id("a1"),
                ],
            ),
        ),
        Builtin::ErrorContextNew { options } => {
            let mem = emit.mem_cx_of(options);
            let mut g = FnGen::new(emit, mem, instance);
            let mut it = FlatIter::new(vec![(id("a0"), Flat::I32), (id("a1"), Flat::I32)]);
            let s = g.lift_flat(ValType::String, &mut it)?;
            g.emit.runtime("errorContextNew");
            let mut body = std::mem::take(&mut g.stmts);
            body.push(ret(Some(call_id("errorContextNew", vec![ai, s]))));
            fn_decl(name, &a(2), body)
        }
        Builtin::ErrorContextDebugMessage { options } => {
            let mem = emit.mem_cx_of(options);
            let mut g = FnGen::new(emit, mem, instance);
            g.emit.runtime("errorContextMessage");
            let msg = g.bind(call_id("errorContextMessage", vec![ai, id("a0")]));
            g.store(ValType::String, msg, id("a1"), 0)?;
            let body = std::mem::take(&mut g.stmts);
            fn_decl(name, &a(2), body)
        }
        Builtin::ErrorContextDrop => simple(
            name,
            a(1),
            call(rt(emit, "errorContextDrop"), vec![ai, id("a0")]),
        ),
    })
}

/// The JSPI switch in front of a built-in that may block a stack: a core wasm module
/// whose `f` calls the built-in (`plain`, a JS function) and then, if the runtime set
/// the `pending` global because the call must wait, calls `susp` (a
/// `WebAssembly.Suspending` import returning the promise the runtime kept) and returns
/// its result instead. Core code imports `f`, so the stack between a
/// `WebAssembly.promising` entry and the suspension is wasm only; a call that does not
/// wait never suspends, and a thread not entered through JSPI never sets `pending`.
pub fn jspi_shim(params: &[Flat], results: &[Flat]) -> Vec<u8> {
    let n = params.len() as u32;
    // One local for the result, if any.
    let mut code = match results.first() {
        Some(r) => vec![0x01, 0x01, enc::vt(*r)],
        None => vec![0x00],
    };
    enc::get_params(&mut code, n);
    code.extend([0x10, 0x00]);
    if !results.is_empty() {
        code.push(0x21);
        enc::leb(&mut code, n);
    }
    // global.get pending; if; call susp; (local.set r); end
    code.extend([0x23, 0x00, 0x04, 0x40, 0x10, 0x01]);
    if !results.is_empty() {
        code.push(0x21);
        enc::leb(&mut code, n);
    }
    code.push(0x0b);
    if !results.is_empty() {
        code.push(0x20);
        enc::leb(&mut code, n);
    }
    code.push(0x0b);
    // Types: 0 = plain (params) -> (results); 1 = susp () -> (results).
    enc::module(
        &[(params, results), (&[], results)],
        &[("pending", None), ("plain", Some(0)), ("susp", Some(1))],
        &code,
    )
}

/// A core wasm module whose `f` calls its `callee` import and passes the result through
/// its `done` import: the JSPI entry of a lift. `WebAssembly.promising(f)` returns a
/// promise even when the callee never suspends; `done` tells the runtime synchronously
/// that it finished, so a call that did not block keeps its synchronous result.
pub fn jspi_entry(params: &[Flat], results: &[Flat]) -> Vec<u8> {
    let mut code = vec![0x00];
    enc::get_params(&mut code, params.len() as u32);
    code.extend([0x10, 0x00, 0x10, 0x01, 0x0b]);
    // Types: 0 = callee (params) -> (results); 1 = done (results) -> (results).
    enc::module(
        &[(params, results), (results, results)],
        &[("callee", Some(0)), ("done", Some(1))],
        &code,
    )
}

/// Minimal core wasm encoding for the two tiny modules above.
mod enc {
    use weft_core::abi::Flat;

    pub fn vt(f: Flat) -> u8 {
        match f {
            Flat::I32 => 0x7f,
            Flat::I64 => 0x7e,
            Flat::F32 => 0x7d,
            Flat::F64 => 0x7c,
        }
    }

    pub fn section(out: &mut Vec<u8>, id: u8, body: &[u8]) {
        out.push(id);
        leb(out, body.len() as u32);
        out.extend_from_slice(body);
    }

    pub fn leb(out: &mut Vec<u8>, mut v: u32) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    pub fn name(out: &mut Vec<u8>, s: &str) {
        leb(out, s.len() as u32);
        out.extend_from_slice(s.as_bytes());
    }

    /// `local.get 0` … `local.get n-1`.
    pub fn get_params(code: &mut Vec<u8>, n: u32) {
        for i in 0..n {
            code.push(0x20);
            leb(code, i);
        }
    }

    /// A module with function `types`, imports from module `""` (a function of the
    /// given type, or with `None` a mutable i32 global), and one function `f` of type
    /// 0 with the body `code` (locals included), exported as `f`.
    pub fn module(
        types: &[(&[Flat], &[Flat])],
        imports: &[(&str, Option<u32>)],
        code: &[u8],
    ) -> Vec<u8> {
        let mut m = vec![0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
        let mut ty = Vec::new();
        leb(&mut ty, types.len() as u32);
        for (params, results) in types {
            ty.push(0x60);
            leb(&mut ty, params.len() as u32);
            ty.extend(params.iter().map(|f| vt(*f)));
            leb(&mut ty, results.len() as u32);
            ty.extend(results.iter().map(|f| vt(*f)));
        }
        section(&mut m, 1, &ty);
        let mut imp = Vec::new();
        leb(&mut imp, imports.len() as u32);
        let mut funcs = 0;
        for (n, kind) in imports {
            name(&mut imp, "");
            name(&mut imp, n);
            match kind {
                Some(t) => {
                    imp.push(0x00);
                    leb(&mut imp, *t);
                    funcs += 1;
                }
                None => imp.extend([0x03, 0x7f, 0x01]),
            }
        }
        section(&mut m, 2, &imp);
        section(&mut m, 3, &[1, 0]);
        let mut exp = vec![1];
        name(&mut exp, "f");
        exp.push(0x00);
        leb(&mut exp, funcs);
        section(&mut m, 7, &exp);
        let mut body = Vec::new();
        leb(&mut body, code.len() as u32);
        body.extend_from_slice(code);
        let mut sec = vec![1];
        sec.extend(body);
        section(&mut m, 10, &sec);
        m
    }
}

/// The core signature of a trampoline that may block its thread, if it may.
pub fn blocking_sig(plan: &Plan, t: &Trampoline, forced: bool) -> Option<(Vec<Flat>, Vec<Flat>)> {
    use Flat::I32;
    match t {
        Trampoline::Builtin { builtin, .. } if builtin.may_block() => Some(match builtin {
            Builtin::WaitableSetWait { .. } => (vec![I32, I32], vec![I32]),
            Builtin::ThreadYield => (vec![], vec![I32]),
            Builtin::Copy {
                kind: AsyncKind::Stream,
                ..
            } => (vec![I32, I32, I32], vec![I32]),
            Builtin::Copy { .. } => (vec![I32, I32], vec![I32]),
            _ => (vec![I32], vec![I32]),
        }),
        Trampoline::LowerHost { ty, options, .. }
            if !options.is_async && (plan.types.func(*ty).is_async || forced) =>
        {
            let s = plan.types.flatten_func(plan.types.func(*ty), true);
            Some((s.params, s.results))
        }
        Trampoline::Adapter { callee, options }
            if !options.is_async && plan.types.func(callee.ty).is_async =>
        {
            let s = plan.types.flatten_func(plan.types.func(callee.ty), true);
            Some((s.params, s.results))
        }
        _ => None,
    }
}

/// Component instances whose code may block a stack: their async lifts are entered
/// through `WebAssembly.promising` when the engine has JSPI.
pub fn blocking_instances(
    plan: &Plan,
    forced: &std::collections::BTreeSet<u32>,
) -> std::collections::BTreeSet<u32> {
    plan.trampolines
        .iter()
        .enumerate()
        .filter(|(i, t)| blocking_sig(plan, t, forced.contains(&(*i as u32))).is_some())
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
