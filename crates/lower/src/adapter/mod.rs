//! Fused adapters as core wasm: a function one instance lifts, lowered into another, as
//! a function of the linked module that moves the values memory to memory itself.
//!
//! It is the core-wasm twin of weft's JS adapter (`weft-js`'s `adapter/`, `adapter_fn`
//! with its `xfer` walk), check for check and in the same order, so that both fail
//! alike: the instance's poisoned flag first, then each parameter caller → callee
//! (scalars normalised as lifting requires, `char` checked, strings checked — length,
//! bounds, UTF-8 or UTF-16 — then stored with the callee's `realloc`, transcoded
//! between the two sides' encodings as the spec does (`strings`), lists checked
//! and copied with `memory.copy` or element by element, records and tuples field by
//! field), the callee's core function, its result callee → caller (through the result
//! pointer, checked, when it is spilled), then its post-return. A failed check calls
//! the host's `trap(code, a, b)` hook, which throws weft's `Trap` with the JS adapter's
//! message (`adapterTrap` in src/runtime/trap.js); a trap anywhere else is the core
//! trap it is, and the JS that entered the component poisons the instance as it does
//! for any trap.
//!
//! What it compiles (`in_core`): sync adapters (no `async` anywhere in the component:
//! those go through weft's task machinery) between two 32-bit memories, in any string
//! encodings, of values without handles. The rest stays a JS trampoline, which is always
//! correct.

mod movers;
mod strings;
mod utf16;
mod utf8;
mod xfer;

use indexmap::IndexMap;
use wasm_encoder::{Function, Instruction as I, ValType as W};
use weft_core::abi::{Addr, CoreSig, Flat};
use weft_core::error::OrBug;
use weft_core::plan::{CanonOptions, CoreDef, Lifted, Plan, StringEncoding};
use weft_core::types::{FuncType, ValType};

use crate::handles::Handles;
pub use movers::{
    Signature, mover_types, movers_refusal, moves_ends, params_mover, result_mover, takes_scope,
};
use xfer::{Dst, Gen, Ptr, Side, Size, Src, need, wasm};
pub(crate) use xfer::{END_ERROR_CONTEXT, END_FUTURE, END_STREAM};

/// A validator function the adapters call on the strings they read: one per encoding
/// and memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Validator {
    Utf8,
    Utf16,
}

impl Validator {
    /// The validator a string of `encoding` needs (a latin1+utf16 string may be UTF-16).
    pub fn of(encoding: StringEncoding) -> Validator {
        match encoding {
            StringEncoding::Utf8 => Validator::Utf8,
            StringEncoding::Utf16 | StringEncoding::CompactUtf16 => Validator::Utf16,
        }
    }

    /// The validator's body, `(func (param $ptr i32) (param $len i32) (result i32))`,
    /// for memory `m`.
    pub fn body(self, m: u32) -> Function {
        match self {
            Validator::Utf8 => utf8::validator(m),
            Validator::Utf16 => utf16::validator(m),
        }
    }
}

/// Whether weft-lower compiles the adapter from `caller` to `callee` into the core
/// module (else it stays a JS trampoline). `concurrent`: the component runs weft's
/// async machinery, whose adapters are tasks; `tables`: the handle tables are core wasm
/// (`handles.rs`), so that an adapter can move handles.
pub fn in_core(
    plan: &Plan,
    callee: &Lifted,
    caller: &CanonOptions,
    concurrent: bool,
    tables: bool,
) -> bool {
    let f = plan.types.func(callee.ty);
    let o = &callee.options;
    let core = |d: &Option<CoreDef>| matches!(d, None | Some(CoreDef::Export { .. }));
    !concurrent
        && !f.is_async
        && !o.is_async
        && !caller.is_async
        && o.addr == Addr::I32
        && caller.addr == Addr::I32
        && matches!(callee.func, CoreDef::Export { .. })
        && core(&o.memory)
        && core(&o.realloc)
        && core(&o.post_return)
        && core(&caller.memory)
        && core(&caller.realloc)
        && f.value_types()
            .all(|t| (tables || !plan.types.has_handles(t)) && !plan.types.has_async_values(t))
        && (!needs_memory(plan, f) || (o.memory.is_some() && caller.memory.is_some()))
}

fn needs_memory(plan: &Plan, f: &FuncType) -> bool {
    let lift = plan.types.flatten_func(f, false, Addr::I32);
    lift.results_spilled
        || lift.params_spilled
        || f.value_types().any(|t| plan.types.needs_memory(t))
}

/// The linked module's indices an adapter uses.
pub struct Indices<'a> {
    /// The callee's core function (`None` for the movers, which do not call it).
    pub callee: Option<u32>,
    pub callee_memory: Option<u32>,
    pub callee_realloc: Option<u32>,
    pub post_return: Option<u32>,
    pub caller_memory: Option<u32>,
    pub caller_realloc: Option<u32>,
    /// The `trap` hook.
    pub trap: u32,
    /// The poisoned flag (a global).
    pub poisoned: u32,
    /// The validator of each encoding and memory strings are read from.
    pub validators: &'a IndexMap<(Validator, u32), u32>,
    /// The handle tables' runtime, when the tables are core wasm.
    pub handles: Option<&'a Handles>,
    /// The component instances of the caller and the callee (whose tables handles
    /// move between).
    pub instances: (u32, u32),
    /// The `move-end` hook, when the movers move stream or future ends or error
    /// contexts (`Hook::MoveEnd`).
    pub move_end: Option<u32>,
    /// The component's core code can throw core exceptions: the adapter catches what
    /// would cross it (`catch.rs`).
    pub catch_exceptions: bool,
}

/// The body of the adapter of `func` (its core type: the caller's lowering of it), with
/// the string encodings of the caller's and the callee's options: the call's borrow
/// scope opened, the parameters moved (`move_params`), the callee called, its result
/// moved back (`move_result`), its post-return called, the scope closed; with
/// `catch_exceptions`, all of it but the poison check inside `catch.rs`'s guard.
pub fn adapter(
    plan: &Plan,
    func: &FuncType,
    (caller_encoding, callee_encoding): (StringEncoding, StringEncoding),
    ix: &Indices<'_>,
) -> anyhow::Result<Function> {
    let lower = plan.types.flatten_func(func, true, Addr::I32);
    let lift = plan.types.flatten_func(func, false, Addr::I32);
    let mut g = Gen::new(plan, ix, lower.params.len() as u32);
    g.poison_check();
    if ix.catch_exceptions {
        for op in crate::catch::open() {
            g.emit(op);
        }
    }
    // A call that moves handles has a borrow scope (the JS adapter's `CallContext`),
    // closed after the post-return.
    let scope = match ix.handles {
        Some(h) if func.value_types().any(|t| plan.types.has_handles(t)) => {
            g.emit(I::Call(h.begin_call));
            let l = g.local(W::I32);
            g.emit(I::LocalSet(l));
            g.scope = Some(l);
            Some((h.end_call, l))
        }
        _ => None,
    };
    let (caller, callee) = sides(ix, (caller_encoding, callee_encoding));
    let args = move_params(&mut g, plan, func, &lower, &lift, &caller, &callee)?;
    for a in args {
        g.emit(I::LocalGet(a));
    }
    g.emit(I::Call(
        ix.callee
            .or_bug("an adapter compiled in without its callee")?,
    ));
    let ret = match lift.results.first() {
        Some(f) => {
            let l = g.local(wasm(*f));
            g.emit(I::LocalSet(l));
            Some((l, *f))
        }
        None => None,
    };
    let retptr = lower.results_spilled.then(|| lower.params.len() as u32 - 1);
    let result = move_result(
        &mut g,
        plan,
        func,
        (ret.into_iter().collect(), lift.results_spilled),
        retptr,
        &caller,
        &callee,
    )?;
    if let Some(post) = ix.post_return {
        if let Some((rl, _)) = ret {
            g.emit(I::LocalGet(rl));
        }
        g.emit(I::Call(post));
    }
    if let Some((end, l)) = scope {
        g.emit(I::LocalGet(l));
        g.emit(I::Call(end));
    }
    if ix.catch_exceptions {
        let exn = g.local(W::EXNREF);
        for op in crate::catch::close(exn, ix.poisoned, ix.trap) {
            g.emit(op);
        }
    }
    if let Some(r) = result {
        g.emit(I::LocalGet(r));
    }
    g.emit(I::End);
    Ok(g.finish())
}

/// The caller's side and the callee's, with their string encodings.
fn sides(ix: &Indices<'_>, (caller, callee): (StringEncoding, StringEncoding)) -> (Side, Side) {
    (
        Side {
            memory: ix.caller_memory,
            realloc: ix.caller_realloc,
            encoding: caller,
            instance: ix.instances.0,
        },
        Side {
            memory: ix.callee_memory,
            realloc: ix.callee_realloc,
            encoding: callee,
            instance: ix.instances.1,
        },
    )
}

/// The parameters, caller → callee: the callee's flat arguments (locals), or past 16
/// flat values (a tuple in memory on both sides) the pointer into the callee's memory.
fn move_params(
    g: &mut Gen<'_>,
    plan: &Plan,
    func: &FuncType,
    lower: &CoreSig,
    lift: &CoreSig,
    caller: &Side,
    callee: &Side,
) -> anyhow::Result<Vec<u32>> {
    let params: Vec<ValType> = func.params.iter().map(|p| p.1).collect();
    let (layout, _) = plan.types.tuple_layout(&params, Addr::I32);
    let mut src = if lower.params_spilled {
        let m = need(caller.memory, "spilled parameters without memory")?;
        g.check_ptr(0, layout.align, Size::Const(layout.size), m, Ptr::Param);
        Src::Mem {
            memory: m,
            base: 0,
            off: 0,
        }
    } else {
        Src::Flat(
            (0..)
                .zip(lower.params.iter().copied())
                .collect::<Vec<_>>()
                .into_iter(),
        )
    };
    if lift.params_spilled {
        let m = need(callee.memory, "spilled parameters without memory")?;
        let size = g.local(W::I32);
        g.emit(I::I32Const(layout.size as i32));
        g.emit(I::LocalSet(size));
        let p = g.realloc(callee, layout.align, size)?;
        g.check_ptr(p, layout.align, Size::Local(size), m, Ptr::Realloc);
        let mut dst = Dst::Mem {
            memory: m,
            base: p,
            off: 0,
        };
        g.fields(&params, caller, &mut src, callee, &mut dst)?;
        Ok(vec![p])
    } else {
        let mut dst = Dst::Flat(Vec::new());
        g.fields(&params, caller, &mut src, callee, &mut dst)?;
        let Dst::Flat(args) = dst else {
            unreachable!("a flat destination")
        };
        Ok(args)
    }
}

/// The result, callee → caller, from the callee's values `vals` (its core result, or
/// `task.return`'s parameters), which are one pointer into its memory when `spilled`:
/// the local of the caller's flat result, or `None` when it has none or it went through
/// the caller's out-pointer, the parameter `retptr`.
fn move_result(
    g: &mut Gen<'_>,
    plan: &Plan,
    func: &FuncType,
    (vals, spilled): (Vec<(u32, Flat)>, bool),
    retptr: Option<u32>,
    caller: &Side,
    callee: &Side,
) -> anyhow::Result<Option<u32>> {
    let Some(t) = func.result else {
        return Ok(None);
    };
    let layout = plan.types.layout(t, Addr::I32);
    let mut src = if spilled {
        let m = need(callee.memory, "a spilled result without memory")?;
        let &(rl, _) = vals
            .first()
            .ok_or_else(|| anyhow::anyhow!("a spilled result without its pointer"))?;
        g.check_ptr(rl, layout.align, Size::Const(layout.size), m, Ptr::Result);
        Src::Mem {
            memory: m,
            base: rl,
            off: 0,
        }
    } else {
        Src::Flat(vals.into_iter())
    };
    if let Some(retptr) = retptr {
        let m = need(caller.memory, "a spilled result without memory")?;
        g.check_ptr(
            retptr,
            layout.align,
            Size::Const(layout.size),
            m,
            Ptr::Result,
        );
        let mut dst = Dst::Mem {
            memory: m,
            base: retptr,
            off: 0,
        };
        g.xfer(t, callee, &mut src, caller, &mut dst)?;
        Ok(None)
    } else {
        let mut dst = Dst::Flat(Vec::new());
        g.xfer(t, callee, &mut src, caller, &mut dst)?;
        let Dst::Flat(v) = dst else {
            unreachable!("a flat destination")
        };
        Ok(v.first().copied())
    }
}
