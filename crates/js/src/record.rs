//! Recording (`--record`, docs/record-replay.md): the generated code wraps each export
//! function (`exports.rs`), each call of a host import (`host.rs`), each disposal of an
//! exported resource and each guest drop of a host handle in the runtime's
//! `recordExport` / `recordImport` / `recordDispose` (src/runtime/record.js), which
//! write every call and its outcome to the module's `Recorder`, exported as `$trace`.
//! The functions' types go in the module's table (`trace_table.rs`). Without
//! `--record` none of this is emitted: the output is byte for byte what it was.

use swc_ecma_ast::{Expr, Stmt};
use weft_core::plan::Resource;
use weft_core::types::{FuncType, ResourceIdx};

use crate::ast::{arrow, assign, call, const_, id, member, new_, num, str_};
use crate::binding::Binding;
use crate::emit::Emit;

/// Registers the function `label` of type `func`, whose values have `binding`'s shapes,
/// with the recorder; its index, or `None` when the module does not record
/// (`promising`: `TraceTable::function`).
pub fn function(
    emit: &mut Emit<'_>,
    label: &str,
    func: &FuncType,
    promising: bool,
    binding: &dyn Binding,
) -> Option<u32> {
    let plan = emit.plan();
    // jco's shapes (`{ tag, val }`): the recorder writes and replays them as such.
    let jco = binding.payload_key() == "val";
    Some(
        emit.recording
            .as_mut()?
            .function(plan, label, func, promising, jco),
    )
}

/// `f = recordExport(recorder, i, f)` for the export wrapper `f`, when recording.
pub fn wrap_export(emit: &mut Emit<'_>, f: &str, label: &str, func: &FuncType) {
    let promising = func.is_async || emit.facts.async_export(label);
    let binding = emit.facts.binding;
    let Some(i) = function(emit, label, func, promising, binding) else {
        return;
    };
    let rec = id(&emit.recording.as_ref().expect("recording").var);
    let wrapped = call(emit.rt("recordExport"), vec![rec, num(f64::from(i)), id(f)]);
    emit.decls.push(assign(f, wrapped));
}

/// `recordDispose(recorder, i, f)` for an exported resource's `[Symbol.dispose]`
/// function `f` when recording (the host dropping its handle), else `f`.
pub fn wrap_dispose(emit: &mut Emit<'_>, label: &str, r: ResourceIdx, f: Box<Expr>) -> Box<Expr> {
    let plan = emit.plan();
    let Some(table) = emit.recording.as_mut() else {
        return f;
    };
    let i = table.drop(plan, label, r);
    let rec = id(&table.var);
    call(emit.rt("recordDispose"), vec![rec, num(f64::from(i)), f])
}

/// Registers the drops of the host resources the module uses (a guest dropping its
/// handle, which `State` wraps in `recordImport`), when recording.
pub fn host_drops(emit: &mut Emit<'_>) {
    if emit.recording.is_none() {
        return;
    }
    let plan = emit.plan();
    for r in emit.state.resource_types() {
        let Resource::Host { host } = &plan.resources[r.0 as usize] else {
            continue;
        };
        let mut parent = host.clone();
        let label = match parent.path.pop() {
            Some(name) => format!("{}#[resource-drop]{name}", plan.host_label(&parent)),
            None => format!(
                "[resource-drop]{}",
                plan.imports[host.import.0 as usize].name
            ),
        };
        emit.rt("recordImport");
        let table = emit.recording.as_mut().expect("recording");
        let i = table.drop(plan, &label, r);
        let var = table.var.clone();
        emit.state.record_host_drop(r, var, i);
    }
}

/// `recordImport(recorder, i, args, () => call_e)` for a host call, when recording.
pub fn wrap_import(emit: &mut Emit<'_>, i: u32, args: &str, call_e: Box<Expr>) -> Box<Expr> {
    let rec = id(&emit.recording.as_ref().expect("recording").var);
    let thunk = arrow(&[], call_e);
    call(
        emit.rt("recordImport"),
        vec![rec, num(f64::from(i)), id(args), thunk],
    )
}

/// `recordHostFunc(recorder, f)` for the `hostFunc` `f` of an async host call, when
/// recording: the component cancelling the call before it settled is an event too.
pub fn wrap_host_func(emit: &mut Emit<'_>, f: Box<Expr>) -> Box<Expr> {
    let rec = id(&emit.recording.as_ref().expect("recording").var);
    call(emit.rt("recordHostFunc"), vec![rec, f])
}

/// `const recorder = new Recorder(header, JSON.parse("[…]"))`, the module's first
/// statement when recording.
pub fn declare(emit: &mut Emit<'_>) -> Option<Stmt> {
    emit.recording.as_ref()?;
    let recorder = emit.rt("Recorder");
    let table = emit.recording.as_ref()?;
    let parse = call(member(id("JSON"), "parse"), vec![str_(&table.json())]);
    Some(const_(
        &table.var,
        new_(recorder, vec![str_(&table.header), parse]),
    ))
}
