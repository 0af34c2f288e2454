//! `Lift` descriptors (`src/runtime/task.js`): what the runtime needs to call a lifted
//! core function as a task — its instance, callee, callback, post-return, the key
//! `task.return` checks, and the JSPI entries of an instance that may block. One per
//! lifted function and mode, made lazily at first use (`Emit::lift_var`).

use base64::Engine as _;
use swc_ecma_ast::Expr;
use weft_core::abi::Flat;
use weft_core::plan::{CanonOptions, Lifted};
use weft_core::types::{TypeArena, ValType};

use crate::ast::*;
use crate::emit::Emit;
use crate::jspi::jspi_entry;

/// The key `task.return` compares: the result type and the lift options (`memory`,
/// `string-encoding`) as far as lifting that result uses them — what engines check
/// (the spec's `LiftOptions.equal` compares them always, but its `.wast` tests expect
/// a `task.return` without a memory to match a lift with one when none is needed).
pub fn return_key(types: &TypeArena, result: Option<ValType>, o: &CanonOptions) -> String {
    let (_, spilled) = types.flatten_task_return(result, o.addr);
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
        let mut func = emit.plan().types.func(l.ty).clone();
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
        // JSPI entries (when the instance has built-ins that may block a stack, for its
        // async lifts; when it has thread built-ins, for all).
        let instance = l.options.instance.0;
        let entries = if emit.facts.blocking.contains(&instance)
            && (l.options.is_async || func.is_async)
            || emit.facts.threaded.contains(&instance)
        {
            let sig = emit.plan().types.flatten_func(&func, false, l.options.addr);
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
        new_(
            emit.rt("Lift"),
            vec![
                id(&ai),
                bool_(func.is_async),
                num(mode),
                id(&callee),
                callback,
                post,
                str_(&return_key(&emit.plan().types, func.result, &l.options)),
                entries,
            ],
        )
    })
}
