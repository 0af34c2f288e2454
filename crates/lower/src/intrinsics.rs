//! The Component Model built-ins a lowered component imports from its host (`weft
//! lower`, docs/lower.md "Async: the built-ins as host intrinsics").
//!
//! A component that uses component-model async keeps its task and waitable state with
//! the host for now: every `canon` built-in its core code calls (`task.return`,
//! `waitable-set.wait`, `stream.read`, …, and for such a component `resource.*` too,
//! its handle table being the host's) is an import of the lowered module named after the
//! built-in, which the host implements as the Canonical ABI defines it — the
//! "flattened module importing the intrinsics, the runtime state in a host library" of
//! the lower-component discussion (bytecodealliance/rfcs#46, use case 1b). Each entry
//! says what the spec's `canon` definition takes as immediates: the component instance
//! whose table it works on, the stream or future type, the memory and realloc it reads
//! and writes, whether it is async.

use std::collections::HashMap;
use std::fmt::Write as _;

use anyhow::Result;
use serde_json::{Map, Value, json};
use weft_core::abi::{Addr, Flat};
use weft_core::error::OrBug;
use weft_core::plan::{Builtin, CanonOptions, CoreDef, Lifted, Plan, Trampoline};
use weft_core::types::{TypeDef, TypeId, ValType};

use crate::abi_text::{
    c_params, c_result, encoding, flats, func_text, ident, memory_of, shared_name, type_text,
};
use crate::lowered::builtin_name;

/// The Canonical ABI's codes a host of an async component reads and writes
/// (definitions.py: `CallbackCode`, `EventCode`, `Subtask.State`, `CopyResult`,
/// `BLOCKED`), by group, for the JSON and the header.
pub(crate) const CODES: &[(&str, &[(&str, u32)])] = &[
    ("callback", &[("exit", 0), ("yield", 1), ("wait", 2)]),
    (
        "event",
        &[
            ("none", 0),
            ("subtask", 1),
            ("stream-read", 2),
            ("stream-write", 3),
            ("future-read", 4),
            ("future-write", 5),
            ("task-cancelled", 6),
        ],
    ),
    (
        "subtask",
        &[
            ("starting", 0),
            ("started", 1),
            ("returned", 2),
            ("cancelled-before-started", 3),
            ("cancelled-before-returned", 4),
        ],
    ),
    (
        "copy",
        &[("completed", 0), ("dropped", 1), ("cancelled", 2)],
    ),
    ("copy", &[("blocked", 0xffff_ffff)]),
];

/// [`CODES`] as JSON: `{ group: { name: code } }`.
pub(crate) fn codes_json() -> Value {
    let mut groups = Map::new();
    for (group, codes) in CODES {
        let entry = groups
            .entry(group.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = entry {
            for (name, code) in *codes {
                m.insert(name.to_string(), json!(code));
            }
        }
    }
    Value::Object(groups)
}

/// [`CODES`] as C macros (`<NAME>_EVENT_SUBTASK`, …).
pub(crate) fn codes_header(name: &str) -> String {
    let up = ident(name).to_uppercase();
    let mut c = String::from(
        "/* The Canonical ABI's codes: what an async export and its callback return (CALLBACK_,\n * with a waitable set << 4 for WAIT), the events a callback and waitable-set.wait/poll\n * report (EVENT_), a subtask's states (SUBTASK_; an async lower returns one | subtask << 4),\n * and what a stream or future copy reports (COPY_, with the count << 4 for streams). */\n",
    );
    for (group, codes) in CODES {
        for (n, code) in *codes {
            let _ = writeln!(
                c,
                "#define {up}_{}_{} {}",
                group.to_uppercase(),
                n.to_uppercase().replace('-', "_"),
                if *code > 0xff {
                    format!("{code:#x}")
                } else {
                    code.to_string()
                }
            );
        }
    }
    c.push('\n');
    c
}

/// The core type of each function the module imports, by (module, name).
pub(crate) type ImportTypes = HashMap<(String, String), (Vec<Flat>, Vec<Flat>)>;

/// The core types of `bytes`' function imports.
pub(crate) fn import_types(bytes: &[u8]) -> Result<ImportTypes> {
    use wasmparser::{Parser, Payload, TypeRef, ValType as V};
    let flat = |v: &V| match v {
        V::I32 => Ok(Flat::I32),
        V::I64 => Ok(Flat::I64),
        V::F32 => Ok(Flat::F32),
        V::F64 => Ok(Flat::F64),
        other => anyhow::bail!("an import of the lowered module takes a `{other}`"),
    };
    let mut funcs = Vec::new();
    let mut out = HashMap::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    funcs.push(ty?);
                }
            }
            Payload::ImportSection(reader) => {
                for imp in reader.into_imports() {
                    let imp = imp?;
                    let TypeRef::Func(t) = imp.ty else { continue };
                    let f = &funcs[t as usize];
                    out.insert(
                        (imp.module.to_string(), imp.name.to_string()),
                        (
                            f.params().iter().map(flat).collect::<Result<_>>()?,
                            f.results().iter().map(flat).collect::<Result<_>>()?,
                        ),
                    );
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The memory and realloc built-in `b` reads and writes.
pub(crate) fn builtin_memory(b: &Builtin) -> (Option<&CoreDef>, Option<&CoreDef>) {
    match b {
        Builtin::TaskReturn { options, .. }
        | Builtin::Copy { options, .. }
        | Builtin::ErrorContextNew { options }
        | Builtin::ErrorContextDebugMessage { options } => {
            (options.memory.as_ref(), options.realloc.as_ref())
        }
        Builtin::WaitableSetWait { memory, .. } | Builtin::WaitableSetPoll { memory, .. } => {
            (Some(memory), None)
        }
        _ => (None, None),
    }
}

/// The intrinsics among `imports`: their JSON entries and C macros and typedefs.
pub(crate) fn describe_intrinsics(
    lowered: &Plan,
    imports: &[(String, String, CoreDef)],
    types: &ImportTypes,
    shared: &HashMap<String, String>,
    name: &str,
) -> Result<(Vec<Value>, String)> {
    let up = ident(name).to_uppercase();
    let mut json_list = Vec::new();
    let mut c = String::new();
    for (module, field, def) in imports {
        let CoreDef::Trampoline(t) = def else {
            continue;
        };
        let trampoline = &lowered.trampolines[t.0 as usize];
        let (builtin, instance, details) = match trampoline {
            Trampoline::Builtin { builtin, instance } => (
                builtin_name(builtin),
                instance.0,
                builtin_details(lowered, builtin, shared),
            ),
            Trampoline::ResourceNew { resource, instance } => {
                ("resource.new", instance.0, resource_details(resource.0))
            }
            Trampoline::ResourceRep { resource, instance } => {
                ("resource.rep", instance.0, resource_details(resource.0))
            }
            Trampoline::ResourceDrop { resource, instance } => {
                ("resource.drop", instance.0, resource_details(resource.0))
            }
            Trampoline::Adapter { callee, options } => (
                "adapter",
                options.instance.0,
                adapter_details(lowered, t.0, callee, options, shared)?,
            ),
            _ => continue,
        };
        let (params, results) = types
            .get(&(module.clone(), field.clone()))
            .or_bug("an intrinsic the lowered module does not import")?;
        let mut entry = Map::new();
        entry.insert("intrinsic".into(), json!(builtin));
        entry.insert("module".into(), json!(module));
        entry.insert("name".into(), json!(field));
        entry.insert("instance".into(), json!(instance));
        entry.insert("params".into(), json!(flats(params)));
        entry.insert("results".into(), json!(flats(results)));
        let mut note = String::new();
        for (k, v) in &details {
            if !v.is_null() && *v != Value::Bool(false) {
                let _ = write!(note, ", {k} {v}");
            }
        }
        entry.extend(details);
        json_list.push(Value::Object(entry));
        let _ = writeln!(
            c,
            "/* Intrinsic `{builtin}` of component instance {instance}{note}. */\n#define {up}_INTRINSIC_{n}_MODULE \"{module}\"\n#define {up}_INTRINSIC_{n}_NAME \"{field}\"\ntypedef {} (*{}_intrinsic_{n}_t)({});\n",
            c_result(results),
            ident(name),
            c_params(params),
            n = t.0,
        );
    }
    Ok((json_list, c))
}

/// A call from `caller` into another component of an async component, whose subtask
/// and task the host runs (`canon lower`, `async` or not, of `canon lift`): the callee's
/// core function and options, and the module's movers of its values
/// ([`weft_core::plan::Movers`]).
fn adapter_details(
    plan: &Plan,
    t: u32,
    callee: &Lifted,
    caller: &CanonOptions,
    shared: &HashMap<String, String>,
) -> Result<Map<String, Value>> {
    let movers = plan
        .movers
        .get(&t)
        .or_bug("an adapter described without its movers")?;
    let named = |d: Option<&CoreDef>| d.and_then(|d| shared_name(d, shared));
    let func = plan.types.func(callee.ty);
    let mut m = Map::new();
    m.insert("function".into(), json!(func_text(plan, func)));
    m.insert("async".into(), json!(caller.is_async));
    // Whether the intrinsic's last parameter is the out-pointer the result's mover
    // writes the result through (else the mover returns it, flat).
    let lower = plan.types.flatten_lower(func, caller.is_async, caller.addr);
    m.insert("out-pointer".into(), json!(lower.results_spilled));
    m.insert("callee-instance".into(), json!(callee.options.instance.0));
    m.insert("callee".into(), json!(named(Some(&callee.func))));
    m.insert("callee-async".into(), json!(callee.options.is_async));
    m.insert(
        "callback".into(),
        json!(named(callee.options.callback.as_ref())),
    );
    m.insert(
        "post-return".into(),
        json!(named(callee.options.post_return.as_ref())),
    );
    m.insert("params-mover".into(), json!(named(movers.params.as_ref())));
    // The parameters' mover then takes the call's borrow scope last (`begin-call`).
    m.insert("params-scope".into(), json!(movers.scope));
    m.insert("result-mover".into(), json!(named(movers.result.as_ref())));
    Ok(m)
}

fn resource_details(resource: u32) -> Map<String, Value> {
    // A resource by its number in the JSON's "resources".
    let mut m = Map::new();
    m.insert("resource".into(), json!(resource + 1));
    m
}

/// What the spec's `canon` definition of `b` takes besides the instance.
fn builtin_details(
    plan: &Plan,
    b: &Builtin,
    shared: &HashMap<String, String>,
) -> Map<String, Value> {
    let mut m = Map::new();
    let options = |m: &mut Map<String, Value>, o: &CanonOptions| {
        let (memory, realloc) = memory_of(o, shared);
        m.insert("memory".into(), json!(memory));
        m.insert("realloc".into(), json!(realloc));
        m.insert("string-encoding".into(), json!(encoding(o.encoding)));
    };
    let stream_type = |m: &mut Map<String, Value>, ty: TypeId, addr: Addr| {
        m.insert("type".into(), json!(type_text(plan, ValType::Defined(ty))));
        // The number the `move-end` hook names the type by.
        m.insert("type-index".into(), json!(ty.0));
        // The element's size and alignment in the memory a copy reads or writes.
        let elem = match plan.types.def(ty) {
            TypeDef::Stream(t) | TypeDef::Future(t) => *t,
            _ => None,
        };
        let layout = elem.map(|t| plan.types.layout(t, addr));
        m.insert("element-size".into(), json!(layout.map(|l| l.size)));
        m.insert("element-align".into(), json!(layout.map(|l| l.align)));
    };
    match b {
        Builtin::ContextGet(_, slot) | Builtin::ContextSet(_, slot) => {
            m.insert("slot".into(), json!(slot));
        }
        Builtin::TaskReturn { result, options: o } => {
            m.insert("result".into(), json!(result.map(|t| type_text(plan, t))));
            let (_, spilled) = plan.types.flatten_task_return(*result, o.addr);
            m.insert("params-through-pointer".into(), json!(spilled));
            options(&mut m, o);
        }
        Builtin::WaitableSetWait { memory, .. } | Builtin::WaitableSetPoll { memory, .. } => {
            m.insert("memory".into(), json!(shared_name(memory, shared)));
        }
        Builtin::SubtaskCancel { is_async } => {
            m.insert("async".into(), json!(is_async));
        }
        Builtin::New { ty, .. } | Builtin::Drop { ty, .. } | Builtin::Forward { ty, .. } => {
            stream_type(&mut m, *ty, Addr::I32);
        }
        Builtin::Copy { ty, options: o, .. } => {
            stream_type(&mut m, *ty, o.addr);
            m.insert("async".into(), json!(o.is_async));
            options(&mut m, o);
        }
        Builtin::CancelCopy { ty, is_async, .. } => {
            stream_type(&mut m, *ty, Addr::I32);
            m.insert("async".into(), json!(is_async));
        }
        Builtin::ErrorContextNew { options: o }
        | Builtin::ErrorContextDebugMessage { options: o } => options(&mut m, o),
        Builtin::BackpressureInc
        | Builtin::BackpressureDec
        | Builtin::TaskCancel
        | Builtin::ThreadYield
        | Builtin::WaitableSetNew
        | Builtin::WaitableSetDrop
        | Builtin::WaitableJoin
        | Builtin::SubtaskDrop
        | Builtin::ErrorContextDrop => {}
        // Refused before lowering (`host_abi::refuse`).
        Builtin::ThreadIndex
        | Builtin::ThreadNewIndirect { .. }
        | Builtin::ThreadResumeLater
        | Builtin::ThreadSuspend
        | Builtin::ThreadSwitch { .. } => {}
    }
    m
}
