//! Every core item a plan names outside its initializers: what the code around the core
//! instances reads (memories, reallocs, post-returns, callbacks, lifted functions,
//! destructors, tables).

use weft_core::plan::{Builtin, CanonOptions, CoreDef, ExportItem, Plan, Resource, Trampoline};

/// Calls `f` on each core item of `plan` outside its initializers (and outside the plans
/// of the components it exports, which are lowered on their own).
pub fn each_def(plan: &mut Plan, f: &mut dyn FnMut(&mut CoreDef)) {
    for t in &mut plan.trampolines {
        match t {
            Trampoline::LowerHost { options, .. } => options_defs(options, f),
            Trampoline::Adapter { callee, options } => {
                f(&mut callee.func);
                options_defs(&mut callee.options, f);
                options_defs(options, f);
            }
            Trampoline::ResourceNew { .. }
            | Trampoline::ResourceRep { .. }
            | Trampoline::ResourceDrop { .. }
            | Trampoline::InCore => {}
            Trampoline::Builtin { builtin, .. } => builtin_defs(builtin, f),
        }
    }
    for r in &mut plan.resources {
        if let Resource::Defined { dtor: Some(d), .. } = r {
            f(d);
        }
    }
    exports_defs(&mut plan.exports, f);
    if let Some(init) = &mut plan.init {
        f(init);
    }
}

fn options_defs(o: &mut CanonOptions, f: &mut dyn FnMut(&mut CoreDef)) {
    let CanonOptions {
        memory,
        realloc,
        post_return,
        callback,
        ..
    } = o;
    for d in [memory, realloc, post_return, callback]
        .into_iter()
        .flatten()
    {
        f(d);
    }
}

fn builtin_defs(b: &mut Builtin, f: &mut dyn FnMut(&mut CoreDef)) {
    match b {
        Builtin::TaskReturn { options, .. }
        | Builtin::Copy { options, .. }
        | Builtin::ErrorContextNew { options }
        | Builtin::ErrorContextDebugMessage { options } => options_defs(options, f),
        Builtin::ThreadNewIndirect { table, .. } => f(table),
        Builtin::WaitableSetWait { memory, .. } | Builtin::WaitableSetPoll { memory, .. } => {
            f(memory);
        }
        Builtin::ContextGet(..)
        | Builtin::ContextSet(..)
        | Builtin::BackpressureInc
        | Builtin::BackpressureDec
        | Builtin::TaskCancel
        | Builtin::ThreadYield
        | Builtin::ThreadIndex
        | Builtin::ThreadResumeLater
        | Builtin::ThreadSuspend
        | Builtin::ThreadSwitch { .. }
        | Builtin::WaitableSetNew
        | Builtin::WaitableSetDrop
        | Builtin::WaitableJoin
        | Builtin::SubtaskCancel { .. }
        | Builtin::SubtaskDrop
        | Builtin::New { .. }
        | Builtin::CancelCopy { .. }
        | Builtin::Drop { .. }
        | Builtin::Forward { .. }
        | Builtin::ErrorContextDrop => {}
    }
}

fn exports_defs(exports: &mut [(String, ExportItem)], f: &mut dyn FnMut(&mut CoreDef)) {
    for (_, e) in exports {
        match e {
            ExportItem::Func(lifted) => {
                f(&mut lifted.func);
                options_defs(&mut lifted.options, f);
            }
            ExportItem::Instance(items) => exports_defs(items, f),
            ExportItem::Resource(_)
            | ExportItem::HostFunc(..)
            | ExportItem::HostValue(_)
            | ExportItem::Module(_)
            | ExportItem::Component(_) => {}
        }
    }
}
