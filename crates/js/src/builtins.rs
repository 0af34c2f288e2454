//! The canonical built-ins as JS functions: `resource.new`/`rep`/`drop` over handle
//! tables, and the concurrency built-ins (tasks, waitables, streams, futures, error
//! contexts) over the async runtime (`src/runtime/task.js`, `waitable.js`,
//! `stream.js`). Almost every built-in is one call of a runtime helper with constants
//! and its own parameters: [`runtime_call`] describes those as data; the two that move a
//! string through memory are written out.

use anyhow::Result;
use swc_ecma_ast::{Expr, Stmt};
use weft_core::abi::Addr;
use weft_core::error::OrBug;
use weft_core::plan::{AsyncKind, Builtin, CanonOptions};
use weft_core::types::{ResourceIdx, ValType};

use crate::abi::{FlatIter, FnGen, end_info};
use crate::ast::*;
use crate::binding::Binding;
use crate::binding::typed_array;
use crate::call::params;
use crate::emit::Emit;
use crate::facts::Facts;
use crate::jspi::jspi_entry;
use crate::lift::return_key;
use base64::Engine as _;

/// `resource.new`/`resource.rep`/`resource.drop`: `name(x)` calls the runtime helper
/// with the instance's handle table and the resource type.
pub fn resource_builtin(
    emit: &mut Emit<'_>,
    name: &str,
    helper: &'static str,
    resource: ResourceIdx,
    instance: u32,
) -> Stmt {
    let table = emit.handle_table(instance);
    let rt = emit.resource_type(resource);
    let mut args = vec![id(&table), id(&rt), id("x")];
    if helper == "resourceDrop" {
        args.push(num(f64::from(instance)));
    }
    let mut body = Vec::new();
    // `resource.new` and `resource.drop` trap if the instance may not leave (its
    // post-return runs), as `canon lower` does; a component that uses async keeps the
    // flag. (`resource.rep` does not check it.)
    if helper != "resourceRep" && emit.facts.concurrent {
        let ai = emit.async_instance(instance);
        body.push(expr_stmt(call(emit.rt("mayLeave"), vec![id(&ai)])));
    }
    body.push(ret(Some(call(emit.rt(helper), args))));
    fn_decl(name, &["x".into()], poison_on_throw(emit.facts, body))
}

/// `try { body } catch (e) { poisoned = true; throw e; }`: a built-in runs in the middle
/// of the guest's call, and a trap it raises is a JS exception, which core wasm's
/// `catch_all` catches. The instance is poisoned before the trap reaches the guest, so a
/// guest that catches it still cannot enter the instance again (a trap is not catchable
/// in the Component Model). As in a host import's trampoline, the flag is enough: the
/// call's boundary poisons fully where the trap leaves the guest.
fn poison_on_throw(facts: &Facts<'_>, body: Vec<Stmt>) -> Vec<Stmt> {
    let handler = vec![crate::state::poison(facts), throw(id("e"))];
    vec![try_catch(body, "e", handler)]
}

/// An argument of a runtime helper called by a built-in.
enum Arg {
    /// The component instance's `AsyncInstance`.
    Ai,
    Num(f64),
    Bool(bool),
    Str(String),
    Expr(Box<Expr>),
    /// The built-in's parameters, in order.
    Params,
    /// The built-in's parameters, in order, those from the given index on pointers of a
    /// 64-bit memory (🐘) passed as Numbers (`addrNum`).
    WideParams(usize),
    /// The built-in's parameters as one array.
    ParamArray,
}

/// A built-in that is `function name(a0, …) { return helper(args…); }`.
struct RuntimeCall {
    helper: &'static str,
    /// Number of parameters (`a0`, `a1`, …).
    arity: usize,
    args: Vec<Arg>,
}

/// A concurrency built-in as a JS function calling the runtime.
pub fn builtin_fn(emit: &mut Emit<'_>, name: &str, b: &Builtin, instance: u32) -> Result<Stmt> {
    let ai = id(&emit.async_instance(instance));
    let RuntimeCall {
        helper,
        arity,
        args,
    } = match b {
        Builtin::ErrorContextNew { options } => {
            return error_context_new(emit, name, options, instance, ai);
        }
        Builtin::ErrorContextDebugMessage { options } => {
            return error_context_debug_message(emit, name, options, instance, ai);
        }
        _ => runtime_call(emit, b)?,
    };
    let ps = params(arity, "a");
    let mut values = Vec::new();
    for a in args {
        match a {
            Arg::Ai => values.push(ai.clone()),
            Arg::Num(n) => values.push(num(n)),
            Arg::Bool(b) => values.push(bool_(b)),
            Arg::Str(s) => values.push(str_(&s)),
            Arg::Expr(e) => values.push(e),
            Arg::Params => values.extend(ps.iter().map(|p| id(p))),
            Arg::WideParams(from) => {
                for (k, p) in ps.iter().enumerate() {
                    let v = if k >= from {
                        call(emit.rt("addrNum"), vec![id(p)])
                    } else {
                        id(p)
                    };
                    values.push(v);
                }
            }
            Arg::ParamArray => values.push(array(ps.iter().map(|p| id(p)).collect())),
        }
    }
    let e = call(emit.rt(helper), values);
    Ok(fn_decl(
        name,
        &ps,
        poison_on_throw(emit.facts, vec![ret(Some(e))]),
    ))
}

/// The runtime call of every built-in but the two error-context ones that move strings.
fn runtime_call(emit: &mut Emit<'_>, b: &Builtin) -> Result<RuntimeCall> {
    use Arg::{Ai, Bool, Num, Params, Str};
    let stream = |k: &AsyncKind| *k == AsyncKind::Stream;
    let ty = |t: &weft_core::types::TypeId| Num(f64::from(t.0));
    let rc = |helper, arity, args| RuntimeCall {
        helper,
        arity,
        args,
    };
    Ok(match b {
        // An `i64` slot (🐘) holds a BigInt; a slot never set reads as zero.
        Builtin::ContextGet(Addr::I32, i) => rc("contextGet", 0, vec![Num(f64::from(*i))]),
        Builtin::ContextGet(Addr::I64, i) => rc("contextGetWide", 0, vec![Num(f64::from(*i))]),
        Builtin::ContextSet(_, i) => rc("contextSet", 1, vec![Num(f64::from(*i)), Params]),
        Builtin::BackpressureInc => rc("backpressureInc", 0, vec![Ai]),
        Builtin::BackpressureDec => rc("backpressureDec", 0, vec![Ai]),
        Builtin::TaskReturn { result, options } => {
            let (flats, _) = emit.plan().types.flatten_task_return(*result, options.addr);
            let key = return_key(&emit.plan().types, *result, options);
            rc(
                "taskReturn",
                flats.len(),
                vec![Ai, Str(key), Arg::ParamArray],
            )
        }
        Builtin::TaskCancel => rc("taskCancel", 0, vec![Ai]),
        Builtin::ThreadYield => rc("threadYield", 0, vec![Ai]),
        Builtin::ThreadIndex => rc("threadIndex", 0, vec![Ai]),
        Builtin::ThreadNewIndirect { table, closure, .. } => {
            // The entry module of a start function: `(i32) -> ()`, or (🐘) `(i64) -> ()`.
            let entry = jspi_entry(&[closure.flat()], &[]);
            let entry = base64::engine::general_purpose::STANDARD.encode(entry);
            let table = Arg::Expr(id(&emit.core_def(table)));
            rc("threadNewIndirect", 2, vec![Ai, Str(entry), table, Params])
        }
        Builtin::ThreadResumeLater => rc("threadResumeLater", 1, vec![Ai, Params]),
        Builtin::ThreadSuspend => rc("threadSuspend", 0, vec![Ai]),
        Builtin::ThreadSwitch { yield_, promote } => rc(
            "threadSwitch",
            1,
            vec![Ai, Bool(*yield_), Bool(*promote), Params],
        ),
        Builtin::WaitableSetNew => rc("waitableSetNew", 0, vec![Ai]),
        Builtin::WaitableSetWait { memory, addr } | Builtin::WaitableSetPoll { memory, addr } => {
            let helper = if matches!(b, Builtin::WaitableSetWait { .. }) {
                "waitableSetWait"
            } else {
                "waitableSetPoll"
            };
            let m = Arg::Expr(id(&emit.core_def(memory)));
            let params = if addr.is_64() {
                Arg::WideParams(1)
            } else {
                Params
            };
            rc(helper, 2, vec![Ai, m, params])
        }
        Builtin::WaitableSetDrop => rc("waitableSetDrop", 1, vec![Ai, Params]),
        Builtin::WaitableJoin => rc("waitableJoin", 2, vec![Ai, Params]),
        Builtin::SubtaskCancel { is_async } => {
            rc("subtaskCancel", 1, vec![Ai, Bool(*is_async), Params])
        }
        Builtin::SubtaskDrop => rc("subtaskDrop", 1, vec![Ai, Params]),
        Builtin::New { kind, ty: t } => {
            let info = end_info(&emit.plan().types, *t);
            let args = vec![
                Ai,
                ty(t),
                Bool(info.plain),
                Bool(stream(kind)),
                Bool(info.bytes),
            ];
            rc("endsNew", 0, args)
        }
        Builtin::Copy {
            kind,
            ty: t,
            write,
            options,
        } => {
            let binding = emit.binding_of_end_type(*t);
            let elem = end_info(&emit.plan().types, *t).elem;
            let elem = elem_codec(emit, elem, options, *write, binding)?;
            let elem_var = emit.namer.fresh("elem");
            emit.decls.push(let_(&elem_var, None));
            let mut args = vec![
                Ai,
                ty(t),
                Bool(stream(kind)),
                Bool(!*write),
                Bool(options.is_async),
                Arg::Expr(nullish_assign(&elem_var, elem)),
                Params,
            ];
            // A future copies one value: no length parameter.
            if !stream(kind) {
                args.push(Num(1.0));
            }
            // A copy of a 64-bit memory (🐘) takes `i64`s (and a stream copy returns one).
            let helper = if options.addr.is_64() {
                "endCopyWide"
            } else {
                "endCopy"
            };
            rc(helper, if stream(kind) { 3 } else { 2 }, args)
        }
        Builtin::CancelCopy {
            kind,
            ty: t,
            write,
            is_async,
        } => {
            let args = vec![
                Ai,
                ty(t),
                Bool(stream(kind)),
                Bool(!*write),
                Bool(*is_async),
                Params,
            ];
            rc("endCancel", 1, args)
        }
        Builtin::Drop {
            kind,
            ty: t,
            writable,
        } => rc(
            "endDrop",
            1,
            vec![Ai, ty(t), Bool(stream(kind)), Bool(!*writable), Params],
        ),
        Builtin::Forward { kind, ty: t } => {
            rc("endForward", 2, vec![Ai, ty(t), Bool(stream(kind)), Params])
        }
        Builtin::ErrorContextDrop => rc("errorContextDrop", 1, vec![Ai, Params]),
        Builtin::ErrorContextNew { .. } | Builtin::ErrorContextDebugMessage { .. } => {
            weft_core::bug!("error-context built-ins that move strings are not runtime calls")
        }
    })
}

/// `error-context.new`: lifts the debug message (a string at `a0`, `a1`) and makes the
/// error context.
fn error_context_new(
    emit: &mut Emit<'_>,
    name: &str,
    options: &CanonOptions,
    instance: u32,
    ai: Box<Expr>,
) -> Result<Stmt> {
    let mem = emit.mem_cx(options);
    let mut g = FnGen::new(emit, mem, instance);
    let f = options.addr.flat();
    let mut it = FlatIter::new(vec![(id("a0"), f), (id("a1"), f)]);
    let s = g.lift_flat(ValType::String, &mut it)?;
    let new = g.emit.rt("errorContextNew");
    let mut body = std::mem::take(&mut g.stmts);
    body.push(ret(Some(call(new, vec![ai, s]))));
    let body = poison_on_throw(emit.facts, body);
    Ok(fn_decl(name, &params(2, "a"), body))
}

/// `error-context.debug-message`: stores the message of error context `a0` as a string
/// at `a1`.
fn error_context_debug_message(
    emit: &mut Emit<'_>,
    name: &str,
    options: &CanonOptions,
    instance: u32,
    ai: Box<Expr>,
) -> Result<Stmt> {
    let mem = emit.mem_cx(options);
    let mut g = FnGen::new(emit, mem, instance);
    // The string (pointer and length) must fit at `a1`, checked before anything is
    // allocated for it; as in wasmtime, the pointer need not be aligned.
    let p = g.addr_in(id("a1"));
    let p = g.bind(p);
    let memory = g.mem()?.memory;
    let size = g.layout(ValType::String).size;
    g.check_ptr(
        &p,
        1,
        num(f64::from(size)),
        &memory,
        "debug message pointer",
    );
    let message = g.emit.rt("errorContextMessage");
    let msg = g.bind(call(message, vec![ai, id("a0")]));
    g.store_valid(ValType::String, msg, p, 0)?;
    let body = std::mem::take(&mut g.stmts);
    let body = poison_on_throw(emit.facts, body);
    Ok(fn_decl(name, &params(2, "a"), body))
}

/// The element codec of a stream/future copy: how the guest's memory holds elements.
fn elem_codec(
    emit: &mut Emit<'_>,
    elem: Option<ValType>,
    options: &CanonOptions,
    write: bool,
    binding: &'static dyn Binding,
) -> Result<Box<Expr>> {
    let Some(t) = elem else {
        return Ok(null());
    };
    let layout = emit.plan().types.layout(t, options.addr);
    let mem = emit
        .mem_cx(options)
        .or_bug("a stream or future copy of values without a memory (validation requires one)")?;
    let memory = mem.memory.clone();

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
        g.binding = binding;
        g.raw_ends = true;
        let (mut lb, v) = g.scoped(|g| g.load(t, id("ptr"), 0))?;
        lb.push(ret(Some(v)));
        (fn_expr(&["ptr".into()], lb), null())
    } else {
        let mut g = FnGen::new(emit, Some(mem.clone()), options.instance.0);
        g.binding = binding;
        let (sb, ()) = g.scoped(|g| g.store_valid(t, id("v"), id("ptr"), 0))?;
        (null(), fn_expr(&["v".into(), "ptr".into()], sb))
    };
    Ok(new_(
        emit.rt("Elem"),
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
