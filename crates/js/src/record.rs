//! Recording (`--record`, docs/record-replay.md): the generated code wraps each export
//! function (`exports.rs`) and each call of a host import (`host.rs`) in the runtime's
//! `recordExport` / `recordImport` (src/runtime/record.js), which write every call and
//! its outcome to the module's `Recorder`, exported as `$trace`. The recorder reads
//! the values by the types of each function, given as `describe`'s JSON (one table per
//! module, built here as the functions are generated). Without `--record` none of this
//! is emitted: the output is byte for byte what it was.

use swc_ecma_ast::{Expr, Stmt};
use weft_core::Plan;
use weft_core::plan::Resource;
use weft_core::types::{FuncType, ResourceIdx, TypeDef, ValType};

use crate::ast::{arrow, assign, call, const_, id, member, new_, num, str_};
use crate::describe::Json;
use crate::emit::Emit;

/// The recorder of a module generated with `--record`.
pub struct Recording {
    /// The variable holding the `Recorder`.
    pub var: String,
    /// The header after `// weft trace 1; `.
    header: String,
    /// The JSON of each function recorded, by the index the code passes.
    fns: Vec<String>,
}

impl Recording {
    pub fn new(var: String, header: String) -> Self {
        Recording {
            var,
            header,
            fns: Vec::new(),
        }
    }
}

/// Registers the function `label` of type `func` with the recorder; its index, or
/// `None` when the module does not record. `promising`: the JS function returns a
/// promise of its result (an async call, recorded as a task), not a `future` value.
pub fn function(emit: &mut Emit<'_>, label: &str, func: &FuncType, promising: bool) -> Option<u32> {
    let plan = emit.plan();
    let recording = emit.recording.as_mut()?;
    let mut j = Json::default();
    j.raw("{\"name\":");
    j.string(label);
    j.raw(",\"params\":[");
    for (i, (name, t)) in func.params.iter().enumerate() {
        j.comma(i);
        j.raw("{\"name\":");
        j.string(name);
        j.raw(",\"type\":");
        ty(&mut j, plan, *t);
        j.raw("}");
    }
    j.raw("],\"result\":");
    opt_ty(&mut j, plan, func.result);
    if promising {
        j.raw(",\"async\":true");
    }
    j.raw("}");
    recording.fns.push(j.0);
    Some(u32::try_from(recording.fns.len() - 1).expect("fewer than 2^32 functions"))
}

/// `f = recordExport(recorder, i, f)` for the export wrapper `f`, when recording.
pub fn wrap_export(emit: &mut Emit<'_>, f: &str, label: &str, func: &FuncType) {
    let promising = func.is_async || emit.facts.async_export(label);
    let Some(i) = function(emit, label, func, promising) else {
        return;
    };
    let rec = id(&emit.recording.as_ref().expect("recording").var);
    let wrapped = call(emit.rt("recordExport"), vec![rec, num(f64::from(i)), id(f)]);
    emit.decls.push(assign(f, wrapped));
}

/// The drop `label` of resource `r` (`[resource-drop]r`, its `self` an `own<r>`)
/// registered with the recorder; its index, or `None` when the module does not record.
fn drop_function(emit: &mut Emit<'_>, label: &str, r: ResourceIdx) -> Option<u32> {
    let name = resource_name(emit.plan(), r.0);
    let recording = emit.recording.as_mut()?;
    let mut j = Json::default();
    j.raw("{\"name\":");
    j.string(label);
    j.raw(",\"params\":[{\"name\":\"self\",\"type\":{\"kind\":\"own\",\"resource\":");
    j.string(&name);
    j.raw("}}],\"result\":null}");
    recording.fns.push(j.0);
    Some(u32::try_from(recording.fns.len() - 1).expect("fewer than 2^32 functions"))
}

/// `recordDispose(recorder, i, f)` for an exported resource's `[Symbol.dispose]`
/// function `f` when recording (the host dropping its handle), else `f`.
pub fn wrap_dispose(emit: &mut Emit<'_>, label: &str, r: ResourceIdx, f: Box<Expr>) -> Box<Expr> {
    let Some(i) = drop_function(emit, label, r) else {
        return f;
    };
    let rec = id(&emit.recording.as_ref().expect("recording").var);
    call(emit.rt("recordDispose"), vec![rec, num(f64::from(i)), f])
}

/// The index of the drop of host resource `r` (a guest dropping its handle, which
/// `State` wraps in `recordImport`), registered with the recorder when recording.
pub fn host_drop(emit: &mut Emit<'_>, r: ResourceIdx) -> Option<(String, u32)> {
    let Resource::Host { host } = &emit.plan().resources[r.0 as usize] else {
        return None;
    };
    let mut parent = host.clone();
    let item = parent.path.pop();
    let label = match item {
        Some(name) => format!("{}#[resource-drop]{name}", emit.plan().host_label(&parent)),
        None => format!(
            "[resource-drop]{}",
            emit.plan().imports[host.import.0 as usize].name
        ),
    };
    let i = drop_function(emit, &label, r)?;
    emit.rt("recordImport");
    Some((emit.recording.as_ref()?.var.clone(), i))
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

/// `const recorder = new Recorder(header, JSON.parse("[…]"))`, the module's first
/// statement when recording.
pub fn declare(emit: &mut Emit<'_>) -> Option<Stmt> {
    emit.recording.as_ref()?;
    let recorder = emit.rt("Recorder");
    let r = emit.recording.as_ref()?;
    let table = format!("[{}]", r.fns.join(","));
    let parse = call(member(id("JSON"), "parse"), vec![str_(&table)]);
    Some(const_(&r.var, new_(recorder, vec![str_(&r.header), parse])))
}

/// The header of a recording of `component` (its bytes) whose world is `world`.
#[must_use]
pub fn header(component: &[u8], world: Option<&str>) -> String {
    let hash = weft_core::sha256_hex(component);
    match world {
        Some(w) => format!("world {w}; component sha256:{hash}"),
        None => format!("component sha256:{hash}"),
    }
}

fn opt_ty(j: &mut Json, plan: &Plan, t: Option<ValType>) {
    match t {
        Some(t) => ty(j, plan, t),
        None => j.raw("null"),
    }
}

/// A type as `describe` writes it (describe.rs), from the plan's types: anonymous
/// (the plan keeps structure, not type names), resources by name.
fn ty(j: &mut Json, plan: &Plan, t: ValType) {
    if let ValType::Defined(id) = t {
        return typedef(j, plan, plan.types.def(id));
    }
    let kind = t.primitive_name().unwrap_or_default();
    j.raw("{\"kind\":");
    j.string(kind);
    j.raw("}");
}

fn typedef(j: &mut Json, plan: &Plan, def: &TypeDef) {
    let open = |j: &mut Json, kind: &str| {
        j.raw("{\"kind\":");
        j.string(kind);
    };
    match def {
        TypeDef::Record(fields) => {
            open(j, "record");
            j.raw(",\"name\":null,\"fields\":[");
            for (i, (name, t)) in fields.iter().enumerate() {
                j.comma(i);
                j.named(name);
                j.raw(",\"type\":");
                ty(j, plan, *t);
                j.raw("}");
            }
            j.raw("]");
        }
        TypeDef::Tuple(types) => {
            open(j, "tuple");
            j.raw(",\"types\":[");
            for (i, t) in types.iter().enumerate() {
                j.comma(i);
                ty(j, plan, *t);
            }
            j.raw("]");
        }
        TypeDef::Variant(cases) => {
            open(j, "variant");
            j.raw(",\"name\":null,\"cases\":[");
            for (i, (name, t)) in cases.iter().enumerate() {
                j.comma(i);
                j.raw("{\"name\":");
                j.string(name);
                j.raw(",\"type\":");
                opt_ty(j, plan, *t);
                j.raw("}");
            }
            j.raw("]");
        }
        TypeDef::Enum(cases) => {
            open(j, "enum");
            j.raw(",\"name\":null,\"cases\":[");
            for (i, c) in cases.iter().enumerate() {
                j.comma(i);
                j.string(c);
            }
            j.raw("]");
        }
        TypeDef::Flags(flags) => {
            open(j, "flags");
            j.raw(",\"name\":null,\"flags\":[");
            for (i, f) in flags.iter().enumerate() {
                j.comma(i);
                j.named(f);
                j.raw("}");
            }
            j.raw("]");
        }
        TypeDef::Option(t) => {
            open(j, "option");
            j.raw(",\"type\":");
            ty(j, plan, *t);
        }
        TypeDef::Result { ok, err } => {
            open(j, "result");
            j.raw(",\"ok\":");
            opt_ty(j, plan, *ok);
            j.raw(",\"err\":");
            opt_ty(j, plan, *err);
        }
        TypeDef::List(t) => {
            open(j, "list");
            j.raw(",\"element\":");
            ty(j, plan, *t);
        }
        TypeDef::FixedList(t, n) => {
            open(j, "list");
            j.raw(",\"element\":");
            ty(j, plan, *t);
            j.raw(&format!(",\"length\":{n}"));
        }
        TypeDef::Map(k, v) => {
            open(j, "map");
            j.raw(",\"key\":");
            ty(j, plan, *k);
            j.raw(",\"value\":");
            ty(j, plan, *v);
        }
        TypeDef::Own(r) | TypeDef::Borrow(r) => {
            open(
                j,
                if matches!(def, TypeDef::Own(_)) {
                    "own"
                } else {
                    "borrow"
                },
            );
            j.raw(",\"resource\":");
            j.string(&resource_name(plan, r.0));
        }
        TypeDef::Future(t) | TypeDef::Stream(t) => {
            open(
                j,
                if matches!(def, TypeDef::Future(_)) {
                    "future"
                } else {
                    "stream"
                },
            );
            j.raw(",\"type\":");
            opt_ty(j, plan, *t);
        }
    }
    j.raw("}");
}

fn resource_name(plan: &Plan, r: u32) -> String {
    match &plan.resources[r as usize] {
        Resource::Defined { name, .. } => name.clone(),
        Resource::Host { host } => host
            .path
            .last()
            .cloned()
            .unwrap_or_else(|| plan.imports[host.import.0 as usize].name.clone()),
    }
}
