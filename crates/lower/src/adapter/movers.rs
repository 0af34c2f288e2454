//! The value moves of a fused adapter between components of an async component, as two
//! core functions ([`weft_core::plan::Movers`]). The call itself goes through the async
//! machinery, which stays with the host (a subtask in the caller, a task in the callee
//! that may wait to enter, the callee's callback loop, cancellation): the host runs it
//! and calls the parameters' mover when the callee starts (`canon lift`'s `on_start`)
//! and the result's when it returns (`on_resolve`, from `task.return` or a sync lift's
//! core result). Each is the sync adapter's walk (`move_params`, `move_result`), with
//! the same checks in the same order, so that a JS host's adapter and these fail alike.

use anyhow::Result;
use wasm_encoder::{Function, Instruction as I, ValType as W};
use weft_core::abi::{Addr, CoreSig, Flat};
use weft_core::plan::{CanonOptions, CoreDef, Lifted, Plan, Trampoline, TrampolineIdx};
use weft_core::types::FuncType;

use super::xfer::{Gen, wasm};
use super::{Indices, move_params, move_result, sides};

/// Why weft-lower does not compile the value moves of the adapter from `caller` to
/// `callee` in a component that uses async, in a few words; `None` when it does: 32-bit
/// memories, the options' items core items, and handles, stream and future ends and
/// error contexts only with the tables in core wasm (`tables`: the ends and error
/// contexts are the host's objects in the tables, which the movers move with the
/// `move-end` hook; a borrow is lent in the call's scope, which the host opens and
/// ends, [`takes_scope`]).
pub fn movers_refusal(
    plan: &Plan,
    callee: &Lifted,
    caller: &CanonOptions,
    tables: bool,
) -> Option<&'static str> {
    let f = plan.types.func(callee.ty);
    let o = &callee.options;
    let core = |d: &Option<CoreDef>| matches!(d, None | Some(CoreDef::Export { .. }));
    if o.addr != Addr::I32 || caller.addr != Addr::I32 {
        Some("a 64-bit memory")
    } else if !(core(&o.memory)
        && core(&o.realloc)
        && core(&caller.memory)
        && core(&caller.realloc))
    {
        Some("a memory or realloc that is not a core item")
    } else if plan.modules.iter().any(|m| m.throws) {
        Some("core code that can throw exceptions")
    } else if !tables && f.value_types().any(|t| plan.types.has_handles(t)) {
        Some("handles passed between components, whose tables stay JS")
    } else if !tables && f.value_types().any(|t| plan.types.has_async_values(t)) {
        Some("streams, futures or error contexts passed between components, whose tables stay JS")
    } else if !memories_there(plan, f, callee, caller) {
        Some("values that need a memory one side does not have")
    } else {
        None
    }
}

/// Whether the adapter's values hold stream or future ends or error contexts, which its
/// movers move through the `move-end` hook.
pub fn moves_ends(plan: &Plan, t: TrampolineIdx) -> bool {
    let Trampoline::Adapter { callee, .. } = &plan.trampolines[t.0 as usize] else {
        return false;
    };
    let f = plan.types.func(callee.ty);
    f.value_types().any(|t| plan.types.has_async_values(t))
}

/// Whether each side has the memory its values go through: values that live in memory
/// (strings, lists), or the tuple of spilled parameters or results, or the caller's
/// out-pointer.
fn memories_there(plan: &Plan, f: &FuncType, callee: &Lifted, caller: &CanonOptions) -> bool {
    let in_memory = f.value_types().any(|t| plan.types.needs_memory(t));
    let lower = lower_sig(plan, f, caller);
    let lift = plan.types.flatten_func(f, false, Addr::I32);
    let (_, results_spilled) = callee_results(plan, f, callee);
    let caller_needs = in_memory || lower.params_spilled || lower.results_spilled;
    let callee_needs = in_memory || lift.params_spilled || results_spilled;
    (!caller_needs || caller.memory.is_some()) && (!callee_needs || callee.options.memory.is_some())
}

/// Whether the parameters' mover takes the call's borrow scope, last: the parameters
/// hold borrows, which it lends the callee in that scope.
pub fn takes_scope(plan: &Plan, callee: &Lifted) -> bool {
    let f = plan.types.func(callee.ty);
    f.params.iter().any(|p| plan.types.has_borrows(p.1))
}

/// The caller's core signature: `canon lower`'s, `async` or not.
fn lower_sig(plan: &Plan, func: &FuncType, caller: &CanonOptions) -> CoreSig {
    plan.types.flatten_lower(func, caller.is_async, Addr::I32)
}

/// The values the callee returns its result with (`TypeArena::flatten_lift_results`).
fn callee_results(plan: &Plan, func: &FuncType, callee: &Lifted) -> (Vec<Flat>, bool) {
    plan.types
        .flatten_lift_results(func, callee.options.is_async, Addr::I32)
}

fn wasm_types(flats: &[Flat]) -> Vec<W> {
    flats.iter().map(|f| wasm(*f)).collect()
}

/// The core types `(params, results)` of the parameters' mover, for a function with
/// parameters, and of the result's, for a function with a result.
pub fn mover_types(plan: &Plan, callee: &Lifted, caller: &CanonOptions) -> [Option<Signature>; 2] {
    let func = plan.types.func(callee.ty);
    let lower = lower_sig(plan, func, caller);
    let lift = plan.types.flatten_func(func, false, Addr::I32);
    let params = (!func.params.is_empty()).then(|| {
        let mut params = wasm_types(&lower.params);
        if takes_scope(plan, callee) {
            params.push(W::I32);
        }
        (params, wasm_types(&lift.params))
    });
    let result = func.result.map(|_| {
        let (mut values, _) = callee_results(plan, func, callee);
        if lower.results_spilled {
            values.push(Flat::I32);
        }
        let returned = if lower.results_spilled || caller.is_async {
            Vec::new()
        } else {
            lower.results.clone()
        };
        (wasm_types(&values), wasm_types(&returned))
    });
    [params, result]
}

/// A core function type: `(params, results)`.
pub type Signature = (Vec<W>, Vec<W>);

/// `(the caller's core parameters, [the call's borrow scope]) -> (the callee's)`.
///
/// # Errors
/// Fails on a bug (a value without the memory or `realloc` it needs).
pub fn params_mover(
    plan: &Plan,
    callee: &Lifted,
    caller: &CanonOptions,
    ix: &Indices<'_>,
) -> Result<Function> {
    let func = plan.types.func(callee.ty);
    let lower = lower_sig(plan, func, caller);
    let lift = plan.types.flatten_func(func, false, Addr::I32);
    let n = lower.params.len() as u32;
    let scope = takes_scope(plan, callee);
    let mut g = Gen::new(plan, ix, n + u32::from(scope));
    g.scope = scope.then_some(n);
    let (from, to) = sides(ix, (caller.encoding, callee.options.encoding));
    let args = move_params(&mut g, plan, func, &lower, &lift, &from, &to)?;
    for a in args {
        g.emit(I::LocalGet(a));
    }
    g.emit(I::End);
    Ok(g.finish())
}

/// `(the callee's result values, [the caller's out-pointer]) -> (the caller's flat
/// result)`, for a function with a result.
///
/// # Errors
/// Fails on a bug (a value without the memory or `realloc` it needs).
pub fn result_mover(
    plan: &Plan,
    callee: &Lifted,
    caller: &CanonOptions,
    ix: &Indices<'_>,
) -> Result<Function> {
    let func = plan.types.func(callee.ty);
    let lower = lower_sig(plan, func, caller);
    let (values, spilled) = callee_results(plan, func, callee);
    let n = values.len() as u32;
    let retptr = lower.results_spilled.then_some(n);
    let mut g = Gen::new(plan, ix, n + u32::from(retptr.is_some()));
    let (to, from) = sides(ix, (caller.encoding, callee.options.encoding));
    let vals = (0..).zip(values).collect();
    if let Some(r) = move_result(&mut g, plan, func, (vals, spilled), retptr, &to, &from)? {
        g.emit(I::LocalGet(r));
    }
    g.emit(I::End);
    Ok(g.finish())
}
