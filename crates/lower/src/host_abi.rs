//! `weft lower`: a component as one core module with a host ABI a core-wasm runtime can
//! serve, described twice: as JSON and as a C header (docs/lower.md, "The host ABI").
//!
//! What it takes: components whose instances need from the host their imported
//! functions and resources and, for component-model async, the built-ins as intrinsics
//! (`intrinsics.rs`); items of the imports exported as they are are named, not linked.
//! Core modules and components it exports are written beside the module (the module's
//! bytes as they are; a component lowered on its own). Refused, naming what is in the
//! way: threads and stackful async lifts (a stack of their own), adapters
//! [`crate::adapter::in_core`] leaves in JS, handle tables left to the glue (a 64-bit
//! rep), core modules or components given.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use anyhow::{Result, bail};
use serde_json::{Value, json};
use weft_core::abi::{Addr, CoreSig};
use weft_core::error::OrBug;
use weft_core::plan::{
    CanonOptions, CoreDef, ExportItem, HOST_OBJECT, Hook, HostRef, Initializer, Lifted, ModuleIdx,
    Plan, Resource, StringEncoding, Trampoline, WAITABLE, WAITABLE_SET,
};
use weft_core::types::FuncTypeId;

use crate::abi_text::{
    Memory, c_params, c_result, encoding, export_name, flats, func_text, ident, memory_of,
};
use crate::adapter::{END_ERROR_CONTEXT, END_FUTURE, END_STREAM};
use crate::code;
use crate::intrinsics::{
    builtin_memory, codes_header, codes_json, describe_intrinsics, import_types,
};
use crate::link::{INIT_EXPORT, WEFT};
use crate::lowered::{is_resource_builtin, tables_stay_js};

/// A lowered component: the module and its ABI, as JSON and as a C header, and the
/// files written beside them (`(file name, contents)`: the core modules and the lowered
/// components it exports, which the JSON's `"core-modules"` and `"components"` name).
#[derive(Debug, Clone)]
pub struct HostAbi {
    pub wasm: Vec<u8>,
    pub json: String,
    pub header: String,
    pub beside: Vec<(String, Vec<u8>)>,
}

/// Lowers `plan` for a host (`name`: the output's base name, used in the header's
/// identifiers).
///
/// # Errors
/// Fails for a component the host ABI cannot express yet, naming the first thing in
/// the way.
pub fn lower_for_host(plan: &Plan, name: &str) -> Result<HostAbi> {
    refuse(plan)?;
    // A component that uses component-model async keeps its task machinery, and so its
    // handle tables, with the host: the built-ins are intrinsics (`intrinsics.rs`).
    let host_async = plan.uses_async();
    let lowered = crate::lowered::lower_plan(plan, host_async)?;
    // Handle tables left with the glue (a `resource.*` built-in not compiled in, or
    // core code without core tables); a component without core code needs none.
    let js_tables = lowered.trampolines.iter().any(is_resource_builtin);
    let code = !lowered.initializers.is_empty();
    if let (Some(r), true) = (
        plan.resources.first(),
        !host_async && (js_tables || (code && lowered.handles.is_none())),
    ) {
        let why = tables_stay_js(plan)
            .or_bug("the handle tables stay JS though nothing keeps them there")?;
        bail!(
            "the component uses resource types (`{}`) and {why}: its handle tables stay JS, which a host cannot run",
            plan.resource_label(r)
        );
    }
    for (i, t) in (0..).zip(&lowered.trampolines) {
        if let Trampoline::Adapter { callee, options } = t {
            if lowered.movers.contains_key(&i) {
                // A call between components of an async component: an intrinsic whose
                // values the module's movers move (`describe_intrinsics`).
                if !matches!(callee.func, CoreDef::Export { .. }) {
                    bail!(
                        "a call between two of its components goes to a lifted built-in or host function, which the host ABI does not describe as a callee yet"
                    );
                }
                continue;
            }
            bail!(
                "a call between two of its components moves values core wasm adapters cannot move yet ({}): they stay JS, which a host cannot run",
                adapter_why(plan, callee, options, host_async, lowered.handles.is_some())
            );
        }
    }
    // A component without core code (types, or nothing) is an empty module.
    const EMPTY: &[u8] = b"\0asm\x01\0\0\0";
    let (imports, wasm): (&[(String, String, CoreDef)], &[u8]) = match lowered.initializers.first()
    {
        None => (&[], EMPTY),
        Some(Initializer::Instantiate {
            imports,
            module: weft_core::plan::ModuleRef::Static(m),
            ..
        }) => (imports, &lowered.modules[m.0 as usize].bytes),
        Some(_) => bail!("the component instantiates a core module or a component its host gives"),
    };
    let all = collect_exports(&lowered.exports)?;
    let exported = &all.funcs;
    let (shared, mut aliases) = shared_names(&lowered, imports, exported);
    let (json_imports, c_imports) = describe_imports(&lowered, imports, &shared, name)?;
    let (json_intrinsics, c_intrinsics) =
        describe_intrinsics(&lowered, imports, &import_types(wasm)?, &shared, name)?;
    let (json_exports, c_exports) =
        describe_exports(&lowered, exported, &shared, name, &mut aliases)?;
    let (json_reexports, c_reexports) = describe_reexports(&lowered, &all, name);
    let beside = write_beside(&lowered, &all, name)?;
    let init = lowered.init.is_some().then_some(INIT_EXPORT);
    let hooks = imports
        .iter()
        .any(|(_, _, d)| matches!(d, CoreDef::Hook(_)));
    let host_drop = imports
        .iter()
        .any(|(_, _, d)| *d == CoreDef::Hook(Hook::ResourceDrop));
    let may_leave = imports
        .iter()
        .any(|(_, _, d)| *d == CoreDef::Hook(Hook::MayLeave));
    let move_end = imports
        .iter()
        .any(|(_, _, d)| *d == CoreDef::Hook(Hook::MoveEnd));
    let adapters = !lowered.movers.is_empty();
    let (json_handles, c_handles) = describe_handles(&lowered, name);
    let json = json!({
        "module": format!("{name}.wasm"),
        "init": init,
        "hooks": if hooks { hooks_json(host_drop, may_leave, move_end) } else { Value::Null },
        "async": host_async,
        "codes": if host_async { codes_json() } else { Value::Null },
        "intrinsics": json_intrinsics,
        "resources": resources_json(&lowered),
        "handles": json_handles,
        "imports": json_imports,
        "exports": json_exports,
        "reexports": json_reexports,
        "core-modules": beside.modules,
        "components": beside.components,
    });
    let mut c_shared = String::new();
    for (alias, macro_name) in [("memory", "MEMORY"), ("cabi_realloc", "REALLOC")] {
        if shared.values().any(|a| a == alias) {
            let _ = writeln!(
                c_shared,
                "/* The {alias} every function uses. */\n#define {}_{macro_name} \"{alias}\"",
                ident(name).to_uppercase()
            );
        }
    }
    if !c_shared.is_empty() {
        c_shared.push('\n');
    }
    let c_imports = if host_async {
        format!(
            "{c_imports}{}/* The Component Model built-ins, as intrinsics (docs/lower.md, \"Async\"): the host\n * runs each instance's task machinery and handle table as the Canonical ABI defines them. */\n{}{c_intrinsics}",
            codes_header(name),
            [(adapters, ADAPTER_NOTE), (move_end, MOVE_END_NOTE)]
                .iter()
                .filter_map(|(on, note)| on.then_some(*note))
                .collect::<String>(),
        )
    } else {
        c_imports
    };
    let c_exports = c_exports + &c_reexports + &beside.header;
    let header = header(name, init, hooks, &c_imports, &c_exports).replace(
        "/* What the host implements. */",
        &format!("{c_shared}{c_handles}/* What the host implements. */"),
    );
    Ok(HostAbi {
        wasm: with_aliases(wasm, &aliases)?,
        json: serde_json::to_string_pretty(&json)? + "\n",
        header,
        beside: beside.files,
    })
}

/// The exported core modules and components, written beside the module: their JSON
/// entries, header macros and files.
struct Beside {
    modules: Vec<Value>,
    components: Vec<Value>,
    header: String,
    files: Vec<(String, Vec<u8>)>,
}

/// Each exported core module as `<name>.<export>.wasm` (its bytes as the component has
/// them), each exported component lowered on its own as `<name>.<export>.{wasm,json,h}`
/// (and what it writes beside itself); export names are made file-name safe.
fn write_beside(plan: &Plan, exported: &Exported<'_>, name: &str) -> Result<Beside> {
    let up = ident(name).to_uppercase();
    let mut out = Beside {
        modules: Vec::new(),
        components: Vec::new(),
        header: String::new(),
        files: Vec::new(),
    };
    let mut taken = BTreeSet::new();
    let mut base_of = |export: &str| {
        let stem = format!("{name}.{}", ident(export));
        let mut base = stem.clone();
        for k in 2.. {
            if taken.insert(base.clone()) {
                break;
            }
            base = format!("{stem}-{k}");
        }
        base
    };
    for (n, (export, m)) in exported.modules.iter().enumerate() {
        let base = base_of(export);
        let file = format!("{base}.wasm");
        let module = plan
            .modules
            .get(m.0 as usize)
            .or_bug("an exported core module the plan does not have")?;
        out.files.push((file.clone(), module.bytes.clone()));
        out.modules.push(json!({ "export": export, "file": file }));
        let _ = writeln!(
            out.header,
            "/* Export {export}: a core module, in the file beside this one. */\n#define {up}_CORE_MODULE_{n}_EXPORT \"{export}\"\n#define {up}_CORE_MODULE_{n}_FILE \"{file}\"\n"
        );
    }
    for (n, (export, c)) in exported.components.iter().enumerate() {
        let base = base_of(export);
        let inner = plan
            .components
            .get(*c as usize)
            .or_bug("an exported component the plan does not have")?;
        let abi = lower_for_host(inner, &base)
            .map_err(|e| anyhow::anyhow!("the exported component `{export}`: {e:#}"))?;
        out.files.push((format!("{base}.wasm"), abi.wasm));
        out.files
            .push((format!("{base}.json"), abi.json.into_bytes()));
        out.files
            .push((format!("{base}.h"), abi.header.into_bytes()));
        out.files.extend(abi.beside);
        out.components.push(json!({
            "export": export, "name": base,
            "module": format!("{base}.wasm"), "json": format!("{base}.json"), "header": format!("{base}.h"),
        }));
        let _ = writeln!(
            out.header,
            "/* Export {export}: a component, lowered on its own beside this one (its own\n * module, JSON and header; instantiate it as often as needed). */\n#define {up}_COMPONENT_{n}_EXPORT \"{export}\"\n#define {up}_COMPONENT_{n}_NAME \"{base}\"\n"
        );
    }
    Ok(out)
}

/// The imported host functions: their JSON entries and C typedefs.
fn describe_imports(
    lowered: &Plan,
    imports: &[(String, String, CoreDef)],
    shared: &HashMap<String, String>,
    name: &str,
) -> Result<(Vec<Value>, String)> {
    let mut json_imports = Vec::new();
    let mut c = String::new();
    for (module, field, def) in imports {
        let CoreDef::Trampoline(t) = def else {
            continue;
        };
        let trampoline = &lowered.trampolines[t.0 as usize];
        let Trampoline::LowerHost {
            callee,
            ty,
            options,
        } = trampoline
        else {
            // An intrinsic (`describe_intrinsics`: a built-in, or a call between
            // components of an async component); `refuse` and the adapters' check leave
            // nothing else.
            if matches!(
                trampoline,
                Trampoline::Builtin { .. } | Trampoline::Adapter { .. }
            ) || is_resource_builtin(trampoline)
            {
                continue;
            }
            weft_core::bug!(
                "trampoline {} is neither a host function, an intrinsic nor compiled in",
                t.0
            );
        };
        let func = lowered.types.func(*ty);
        let sig = lowered
            .types
            .flatten_lower(func, options.is_async, options.addr);
        let label = lowered.host_label(callee);
        let wit = func_text(lowered, func);
        let mem = memory_of(options, shared);
        let mut entry = signature_json(&wit, &sig, &mem, options.encoding);
        entry.insert("module".into(), json!(module));
        entry.insert("name".into(), json!(field));
        entry.insert("function".into(), json!(label));
        entry.insert("instance".into(), json!(options.instance.0));
        entry.insert("async".into(), json!(options.is_async));
        json_imports.push(Value::Object(entry));
        let _ = writeln!(
            c,
            "/* Import \"{module}\" \"{field}\": {label}: {wit}.{} */\n#define {up}_IMPORT_{n}_MODULE \"{module}\"\n#define {up}_IMPORT_{n}_NAME \"{field}\"\ntypedef {} (*{}_import_{n}_t)({});\n",
            if options.is_async {
                " Async lower: returns RETURNED (2) when done, else STARTED (1) | subtask << 4, a subtask the host adds to the instance's table, writes the result at the last parameter when it returns and reports through the subtask's waitable (docs/lower.md, \"Async\").".to_string()
            } else {
                memory_note(&mem, sig.results_spilled, true)
            },
            c_result(&sig.results),
            ident(name),
            c_params(&sig.params),
            up = ident(name).to_uppercase(),
            n = t.0,
        );
    }
    Ok((json_imports, c))
}

/// The exported functions: their JSON entries and C macros and typedefs; adds the
/// export names they are given (`aliases`).
fn describe_exports(
    lowered: &Plan,
    exported: &[(String, &Lifted)],
    shared: &HashMap<String, String>,
    name: &str,
    aliases: &mut Vec<(String, String)>,
) -> Result<(Vec<Value>, String)> {
    let mut json_exports = Vec::new();
    let mut c = String::new();
    for (export, lifted) in exported {
        let func = lowered.types.func(lifted.ty);
        let mut sig = lowered.types.flatten_func(func, false, lifted.options.addr);
        // An async lift (callback ABI: stackful ones are refused) returns the callback
        // code; its results come through the `task.return` intrinsic.
        let callback = alias(
            aliases,
            lifted.options.callback.as_ref(),
            format!("cabi_callback_{export}"),
        );
        if lifted.options.is_async {
            sig.results = vec![weft_core::abi::Flat::I32];
            sig.results_spilled = false;
        }
        let CoreDef::Export { name: core, .. } = &lifted.func else {
            bail!("the export `{export}` is not a core function");
        };
        // The export under its WIT name, its post-return as `cabi_post_<name>` (the
        // names the lower-component RFC and wit-bindgen's core modules use).
        aliases.push((export.clone(), core.clone()));
        let mem = memory_of(&lifted.options, shared);
        let post = alias(
            aliases,
            lifted.options.post_return.as_ref(),
            format!("cabi_post_{export}"),
        );
        let wit = func_text(lowered, func);
        let mut entry = signature_json(&wit, &sig, &mem, lifted.options.encoding);
        entry.insert("function".into(), json!(export));
        entry.insert("export".into(), json!(export));
        entry.insert("post-return".into(), json!(post));
        entry.insert("async".into(), json!(lifted.options.is_async));
        entry.insert("callback".into(), json!(callback));
        entry.insert("instance".into(), json!(lifted.options.instance.0));
        json_exports.push(Value::Object(entry));
        let macro_name = format!(
            "{}_EXPORT_{}",
            ident(name).to_uppercase(),
            ident(export).to_uppercase()
        );
        let _ = writeln!(
            c,
            "/* Export {export}: {wit}.{}{} */\n#define {macro_name} \"{export}\"\ntypedef {} (*{}_{}_t)({});\n",
            memory_note(&mem, sig.results_spilled, false),
            match (&post, &callback) {
                (Some(p), _) =>
                    format!(" After reading the results, call \"{p}\" with the core results."),
                (None, Some(cb)) => format!(
                    " Async, callback ABI: returns a callback code; the host runs the task, calling \"{cb}\" (event code, waitable, payload) until it exits; the results come through the task's `task.return` intrinsic."
                ),
                (None, None) => String::new(),
            },
            c_result(&sig.results),
            ident(name),
            ident(export),
            c_params(&sig.params)
        );
    }
    Ok((json_exports, c))
}

/// `name` for the export `def` is (added to `aliases`), if it is one.
fn alias(
    aliases: &mut Vec<(String, String)>,
    def: Option<&CoreDef>,
    name: String,
) -> Option<String> {
    let existing = export_name(def?)?;
    aliases.push((name.clone(), existing));
    Some(name)
}

/// What the JSON says alike of an import and an export: the WIT type, the flat
/// signature, the memory and realloc, the encoding, what goes through memory.
fn signature_json(
    wit: &str,
    sig: &CoreSig,
    mem: &Memory,
    enc: StringEncoding,
) -> serde_json::Map<String, Value> {
    let Value::Object(entry) = json!({
        "type": wit,
        "params": flats(&sig.params),
        "results": flats(&sig.results),
        "memory": mem.0,
        "realloc": mem.1,
        "string-encoding": encoding(enc),
        "results-through-pointer": sig.results_spilled,
        "params-through-pointer": sig.params_spilled,
    }) else {
        unreachable!("json! of an object literal is an object")
    };
    entry
}

/// The memory and the realloc every function uses, when they all use one, as `memory`
/// and `cabi_realloc`: (each's name → its alias, the aliases to export).
fn shared_names(
    plan: &Plan,
    imports: &[(String, String, CoreDef)],
    exported: &[(String, &Lifted)],
) -> (HashMap<String, String>, Vec<(String, String)>) {
    let mut memories = BTreeSet::new();
    let mut reallocs = BTreeSet::new();
    let imported = imports.iter().filter_map(|(_, _, d)| match d {
        CoreDef::Trampoline(t) => match &plan.trampolines[t.0 as usize] {
            Trampoline::LowerHost { options: o, .. } => Some(options_memory(o)),
            Trampoline::Builtin { builtin, .. } => Some(builtin_memory(builtin)),
            _ => None,
        },
        _ => None,
    });
    for (memory, realloc) in
        imported.chain(exported.iter().map(|(_, l)| options_memory(&l.options)))
    {
        memories.extend(memory.and_then(export_name));
        reallocs.extend(realloc.and_then(export_name));
    }
    let mut rename = HashMap::new();
    let mut aliases = Vec::new();
    for (set, alias) in [(memories, "memory"), (reallocs, "cabi_realloc")] {
        if let [one] = set.into_iter().collect::<Vec<_>>().as_slice() {
            rename.insert(one.clone(), alias.to_string());
            aliases.push((alias.to_string(), one.clone()));
        }
    }
    (rename, aliases)
}

/// The module with more export names (`(alias, existing export)`); every section
/// else as it was.
fn with_aliases(bytes: &[u8], aliases: &[(String, String)]) -> Result<Vec<u8>> {
    use wasm_encoder::{ExportKind, ExportSection, RawSection};
    use wasmparser::{ExternalKind, Parser, Payload};
    let mut module = wasm_encoder::Module::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        if let Payload::ExportSection(reader) = &payload {
            let mut exports = ExportSection::new();
            let mut have = HashMap::new();
            for e in reader.clone() {
                let e = e?;
                let kind = match e.kind {
                    ExternalKind::Func | ExternalKind::FuncExact => ExportKind::Func,
                    ExternalKind::Table => ExportKind::Table,
                    ExternalKind::Memory => ExportKind::Memory,
                    ExternalKind::Global => ExportKind::Global,
                    ExternalKind::Tag => ExportKind::Tag,
                };
                exports.export(e.name, kind, e.index);
                have.insert(e.name.to_string(), (kind, e.index));
            }
            for (alias, of) in aliases {
                if have.contains_key(alias) {
                    continue;
                }
                if let Some(&(kind, index)) = have.get(of) {
                    exports.export(alias, kind, index);
                    have.insert(alias.clone(), (kind, index));
                }
            }
            module.section(&exports);
            continue;
        }
        if let Some((id, range)) = payload.as_section() {
            let at = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
            let data = bytes
                .get(at(range.start)..at(range.end))
                .ok_or_else(|| anyhow::anyhow!("a section past the end of the linked module"))?;
            module.section(&RawSection { id, data });
        }
    }
    Ok(module.finish())
}

/// Why code that runs on a stack of its own (a thread, a stackful task) is refused.
const NO_FIBERS: &str =
    "which a core module cannot switch to (it needs the host's fibers, not in the host ABI yet)";

/// Whether a lift is stackful: `async` without a callback.
fn stackful(lifted: &Lifted) -> bool {
    lifted.options.is_async && lifted.options.callback.is_none()
}

/// What a host cannot serve yet, checked on the plan before lowering: threads and
/// stackful tasks, exported or called between the components; exports of 64-bit memories.
fn refuse(plan: &Plan) -> Result<()> {
    for t in &plan.trampolines {
        match t {
            Trampoline::Builtin { builtin, .. } if builtin.is_thread() => bail!(
                "the component uses threads (`{}`): a thread runs on a stack of its own, {NO_FIBERS}",
                crate::lowered::builtin_name(builtin)
            ),
            Trampoline::Adapter { callee, .. } if stackful(callee) => bail!(
                "a call between two of its components goes to a stackful async lift (no callback): its task runs on a stack of its own, {NO_FIBERS}"
            ),
            _ => {}
        }
    }
    for (name, lifted) in collect_exports(&plan.exports)?.funcs {
        if stackful(lifted) {
            bail!(
                "the export `{name}` is a stackful async lift (no callback): its task runs on a stack of its own, {NO_FIBERS}"
            );
        }
        if lifted.options.addr == Addr::I64 {
            bail!(
                "the export `{name}` uses a 64-bit memory, which the host ABI does not describe yet"
            );
        }
    }
    Ok(())
}

/// The memory and realloc canonical options name.
fn options_memory(o: &CanonOptions) -> (Option<&CoreDef>, Option<&CoreDef>) {
    (o.memory.as_ref(), o.realloc.as_ref())
}

/// Why an adapter stays JS, in a few words.
fn adapter_why(
    plan: &Plan,
    callee: &Lifted,
    caller: &CanonOptions,
    host_async: bool,
    tables: bool,
) -> String {
    if host_async && let Some(why) = crate::adapter::movers_refusal(plan, callee, caller, tables) {
        return format!("in a component that uses async: {why}");
    }
    if callee.options.addr == Addr::I64 || caller.addr == Addr::I64 {
        return "a 64-bit memory".into();
    }
    format!("`{}`", func_text(plan, plan.types.func(callee.ty)))
}

/// The exported functions, `iface#func` inside exported instances.
struct Exported<'p> {
    funcs: Vec<(String, &'p Lifted)>,
    /// Items of the imports exported as they are (`(export "f" (func $imported))`): the
    /// host has them; the ABI names which import each export is.
    reexports: Vec<(String, &'p HostRef, Option<FuncTypeId>)>,
    /// Core modules and components it defines and exports (written beside the module).
    modules: Vec<(String, ModuleIdx)>,
    components: Vec<(String, u32)>,
}

fn collect_exports<'p>(exports: &'p [(String, ExportItem)]) -> Result<Exported<'p>> {
    let mut out = Exported {
        funcs: Vec::new(),
        reexports: Vec::new(),
        modules: Vec::new(),
        components: Vec::new(),
    };
    walk_exports(exports, "", &mut out)?;
    Ok(out)
}

fn walk_exports<'p>(
    exports: &'p [(String, ExportItem)],
    prefix: &str,
    out: &mut Exported<'p>,
) -> Result<()> {
    for (name, e) in exports {
        let full = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}#{name}")
        };
        match e {
            ExportItem::Func(l) => out.funcs.push((full, l)),
            ExportItem::Instance(items) => walk_exports(items, &full, out)?,
            ExportItem::Resource(_) => {}
            ExportItem::HostFunc(h, ty) => out.reexports.push((full, h, Some(*ty))),
            ExportItem::HostValue(h) => out.reexports.push((full, h, None)),
            ExportItem::Module(m) => out.modules.push((full, *m)),
            ExportItem::Component(c) => out.components.push((full, *c)),
        }
    }
    Ok(())
}

/// The re-exported imports: their JSON entries and header macros.
fn describe_reexports(plan: &Plan, exported: &Exported<'_>, name: &str) -> (Vec<Value>, String) {
    let up = ident(name).to_uppercase();
    let mut json_out = Vec::new();
    let mut c = String::new();
    for (n, (export, host, ty)) in exported.reexports.iter().enumerate() {
        let import = plan.host_label(host);
        let mut entry = serde_json::Map::new();
        entry.insert("export".into(), json!(export));
        entry.insert("import".into(), json!(import));
        if let Some(ty) = ty {
            entry.insert("wit".into(), json!(func_text(plan, plan.types.func(*ty))));
        }
        json_out.push(Value::Object(entry));
        let _ = writeln!(
            c,
            "/* Export {export}: the import {import}, as the host gave it. */\n#define {up}_REEXPORT_{n}_EXPORT \"{export}\"\n#define {up}_REEXPORT_{n}_IMPORT \"{import}\"\n"
        );
    }
    (json_out, c)
}

fn memory_note(mem: &Memory, spilled: bool, import: bool) -> String {
    let mut s = String::new();
    if let Some(m) = &mem.0 {
        let _ = write!(s, " Pointers are into memory \"{m}\"");
        if let Some(r) = &mem.1 {
            let who = if import {
                "the host allocates what it returns"
            } else {
                "the host allocates arguments"
            };
            let _ = write!(s, "; {who} with \"{r}\"");
        }
        s.push('.');
    }
    if spilled {
        s.push_str(if import {
            " The result is written at the last parameter, a pointer."
        } else {
            " The result is read at the pointer returned."
        });
    }
    s
}

fn hooks_json(host_drop: bool, may_leave: bool, move_end: bool) -> Value {
    let drop = host_drop.then(|| {
        json!({ "module": WEFT, "name": "resource-drop", "params": ["i32", "i32"], "results": [] })
    });
    let async_hook = |h: Value| may_leave.then_some(h);
    let wake = async_hook(json!({ "module": WEFT, "name": "wake", "params": [], "results": [] }));
    let event = async_hook(
        json!({ "module": WEFT, "name": "event", "params": ["i32", "i32"], "results": ["i32", "i32", "i32"] }),
    );
    let may_leave = async_hook(
        json!({ "module": WEFT, "name": "may-leave", "global": "i32", "mutable": true, "initial": 1 }),
    );
    let move_end = move_end.then(|| {
        json!({
            "module": WEFT, "name": "move-end", "params": ["i32", "i32", "i32", "i32", "i32"], "results": ["i32"],
            "kinds": { "stream": END_STREAM, "future": END_FUTURE, "error-context": END_ERROR_CONTEXT },
        })
    });
    json!({
        "trap": {
            "module": WEFT, "name": "trap", "params": ["i32", "i32", "i32"], "results": [],
            "codes": code::ALL.iter().map(|(n, c)| (n.to_string(), json!(c))).collect::<serde_json::Map<_, _>>(),
        },
        "poisoned": { "module": WEFT, "name": "poisoned", "global": "i32", "mutable": true },
        "resource-drop": drop,
        "may-leave": may_leave,
        "wake": wake,
        "event": event,
        "move-end": move_end,
    })
}

/// Every resource type by its number (`ResourceIdx + 1`): its name, who defines it
/// (the host, or a component instance, which a borrow of it reaches as the rep), and a
/// guest resource's destructor (an export of the module the host calls to destroy a
/// resource it owns).
fn resources_json(plan: &Plan) -> Value {
    let list = (1u32..)
        .zip(&plan.resources)
        .map(|(ty, r)| match r {
            Resource::Defined { instance, dtor, .. } => json!({
                "type": ty, "name": plan.resource_label(r), "defined-by": "guest",
                "instance": instance.0, "dtor": dtor.as_ref().and_then(export_name),
            }),
            Resource::Host { .. } => json!({
                "type": ty, "name": plan.resource_label(r), "defined-by": "host",
            }),
        })
        .collect();
    Value::Array(list)
}

/// The handle tables' functions, per component instance, and the calls' borrow scopes:
/// their JSON and C macros.
fn describe_handles(plan: &Plan, name: &str) -> (Value, String) {
    let Some(h) = &plan.handles else {
        return (Value::Null, String::new());
    };
    let up = ident(name).to_uppercase();
    let mut c = String::from(
        "/* Handle tables (docs/lower.md, \"Resources\"): a handle is an index into the table of\n * the component instance a function names (\"instance\"). The functions, exports of the\n * module, take the resource type's number last:\n *   lift-own:<i>(handle, type) -> rep             an owned handle moved out of the table\n *   lift-borrow:<i>(handle, type, scope) -> rep   a handle lent until end-call(scope)\n *   lower-own:<i>(rep, type) -> handle            a new owned handle\n *   lower-borrow:<i>(rep, type, scope) -> handle  a borrow handle, which must be dropped\n *                                                 before end-call(scope) (a borrow of an\n *                                                 instance's own resource is passed as\n *                                                 the rep instead)\n *   begin-call() -> scope, end-call(scope)        a call's borrow scope, around a call that\n *                                                 lends or borrows (end-call after its\n *                                                 post-return); scopes need not nest. */\n",
    );
    let mut tables = serde_json::Map::new();
    for (i, t) in (0u32..).zip(&h.tables) {
        let Some(t) = t else { continue };
        let mut names = vec![
            ("lift-own", &t.lift_own),
            ("lift-borrow", &t.lift_borrow),
            ("lower-own", &t.lower_own),
            ("lower-borrow", &t.lower_borrow),
        ];
        if h.host_objects {
            let w = &t.waitables;
            names.extend([
                ("table-new", &t.table_new),
                ("table-kind", &t.table_kind),
                ("table-remove", &t.table_remove),
                ("waitable-pend", &w.pend),
                ("waitable-sync", &w.sync),
                ("waitable-set-of", &w.set_of),
                ("waitable-leave", &w.leave),
                ("set-ready", &w.ready),
                ("set-take", &w.take),
                ("set-wait", &w.wait),
                ("backpressure", &t.backpressure),
            ]);
        }
        let mut entry = serde_json::Map::new();
        for (what, def) in names {
            let export = export_name(def).unwrap_or_default();
            let _ = writeln!(
                c,
                "#define {up}_{}_{i} \"{export}\"",
                what.to_uppercase().replace('-', "_")
            );
            entry.insert(what.into(), json!(export));
        }
        tables.insert(i.to_string(), Value::Object(entry));
    }
    let (begin, end) = (export_name(&h.begin_call), export_name(&h.end_call));
    let _ = writeln!(
        c,
        "#define {up}_BEGIN_CALL \"{}\"\n#define {up}_END_CALL \"{}\"",
        begin.clone().unwrap_or_default(),
        end.clone().unwrap_or_default()
    );
    // Each resource type's number (a name two types share gets the number too).
    let mut seen = BTreeSet::new();
    for (ty, r) in (1u32..).zip(&plan.resources) {
        let mut id = ident(&plan.resource_label(r)).to_uppercase();
        if !seen.insert(id.clone()) {
            id = format!("{id}_{ty}");
        }
        let _ = writeln!(c, "#define {up}_RESOURCE_{id} {ty}");
    }
    if plan
        .resources
        .iter()
        .any(|r| matches!(r, Resource::Host { .. }))
    {
        c.push_str("/* The host's hook \"resource-drop\" (i32 type, i32 rep) -> void, imported from\n * \"weft\": a guest dropped its owned handle of the host's resource; the host destroys it. */\n");
    }
    let mut json = json!({ "begin-call": begin, "end-call": end, "tables": tables });
    if h.host_objects {
        c.push_str(HOST_OBJECTS_NOTE);
        for (what, def) in [
            ("scope-borrows", &h.scope_borrows),
            ("release-lends", &h.release_lends),
        ] {
            let export = export_name(def).unwrap_or_default();
            let _ = writeln!(
                c,
                "#define {up}_{} \"{export}\"",
                what.to_uppercase().replace('-', "_")
            );
            json[what] = json!(export);
        }
        let _ = writeln!(
            c,
            "#define {up}_HOST_OBJECT {HOST_OBJECT}\n#define {up}_WAITABLE {WAITABLE}\n#define {up}_WAITABLE_SET {WAITABLE_SET}"
        );
    }
    c.push('\n');
    (json, c)
}

/// The `adapter` intrinsic, in the header.
const ADAPTER_NOTE: &str = "/* Intrinsic `adapter`: a call from one component to another (`canon lower`, async or\n * not, of the other's `canon lift`). The host runs it as those do: a subtask in the\n * caller's table, a task in the callee (which may wait to enter), the callee's callback\n * loop. The module moves the values: when the callee starts, call \"params-mover\" with\n * the intrinsic's parameters (and, with \"params-scope\", the call's borrow scope from\n * begin-call, last) and the callee's core function (\"callee\") with what it returns;\n * when the callee returns (its task.return intrinsic's parameters, or a sync lift's\n * core result), call \"result-mover\" with them (and the out-pointer, the intrinsic's\n * last parameter, with \"out-pointer\"): it returns the caller's flat result, if any;\n * then the callee's \"post-return\". With a scope, task.return traps unless\n * scope-borrows(scope) is 0, and release-lends(scope) ends the lends when the caller\n * has the result. The movers trap through \"trap\" as the adapters do. */\n\n";

/// The `move-end` hook, in the header.
const MOVE_END_NOTE: &str = "/* The hook \"move-end\" (i32 kind, i32 type, i32 from, i32 index, i32 to) -> i32: a mover\n * passes a stream or future end or an error context from one instance to another. Lift\n * it from instance from's table (kind 0 a stream, 1 a future, of type `type`, the\n * number the stream intrinsics give as \"type-index\": the readable end taken out; 2 an\n * error context, type 0: it stays) and lower it into instance to's, as the Canonical\n * ABI's lift_stream/lower_stream, lift_future/lower_future,\n * lift_error_context/lower_error_context do; return its index there. */\n\n";

/// The header's words on the tables of a component that uses async, whose slots hold
/// the host's objects too.
const HOST_OBJECTS_NOTE: &str = "/* The tables hold the host's objects of the async machinery too (subtasks, stream and\n * future ends, error contexts): the host keeps them itself, by handle, and the module\n * numbers them; the waitable sets are the module's, and so is which waitable is in which\n * set and has an event pending (docs/lower.md, \"Async\"):\n *   table-new:<i>(kind) -> handle  a slot for one of the host's objects, of kind WAITABLE\n *                                 (a subtask, a stream or future end) or HOST_OBJECT\n *   table-kind:<i>(handle) -> t   traps for an unknown handle; HOST_OBJECT, WAITABLE or\n *                                 WAITABLE_SET, else the resource type of a resource handle\n *   table-remove:<i>(handle)      frees the slot of one of the host's objects (a waitable\n *                                 leaves its set)\n *   waitable-pend:<i>(w, on)      whether waitable w has an event pending; the module asks\n *                                 the host for it on delivery with the \"event\" hook\n *   waitable-sync:<i>(w, on)      whether a synchronous call waits on w (waitable.join traps)\n *   waitable-set-of:<i>(w) -> s   the set w is in (0: none)\n *   waitable-leave:<i>(w)         w out of its set\n *   set-ready:<i>(s) -> i32       whether a waitable of set s has an event pending\n *   set-take:<i>(s) -> w          the longest-joined one with an event pending, no longer\n *                                 pending (0: none); the host then makes its event\n *   set-wait:<i>(s, delta)        one more (1) or one fewer (-1) task waiting on s\n *   backpressure:<i>() -> n       the instance's backpressure counter, which the module\n *                                 moves (backpressure.inc/.dec): while it is above 0\n *                                 no call may enter an async export of the instance\n *   scope-borrows(scope) -> n     the borrows of a task's scope (task.return traps unless 0)\n *   release-lends(scope)          ends a subtask's lends and closes its scope, its borrows\n *                                 unchecked (its task checked them)\n * and three more hooks: \"may-leave\", a mutable i32 global, 1 at first, which the host sets\n * to 0 while a post-return function runs (the built-ins the module implements then trap\n * with MAY_NOT_LEAVE); \"wake\" () -> void, called when waitable.join puts a waitable with\n * an event pending in a set (a task waiting on it may go on); \"event\" (i32 instance, i32\n * w) -> (i32 code, i32 index, i32 payload): the event pending on waitable w of that\n * instance's table, delivered by waitable-set.poll (the host makes it then, as the spec's\n * pending-event closure does); \"wake\" is also called when backpressure.dec brings the\n * counter to 0 (a call held back may enter). */\n";

fn header(name: &str, init: Option<&str>, hooks: bool, imports: &str, exports: &str) -> String {
    let id = ident(name);
    let up = id.to_uppercase();
    let mut h = String::new();
    let _ = writeln!(
        h,
        "/* {name}.h: the host ABI of {name}.wasm, written by `weft lower` (docs/lower.md).\n *\n * One core module (multi-memory). Values are passed flat as the Component Model's\n * Canonical ABI passes them; strings and lists as (pointer, length) into the memory\n * named for each function; an export's results, when they do not fit one core value,\n * through a pointer it returns. The host owns what it allocates in a memory with that\n * memory's realloc; a guest's returned block stays valid until the host calls the\n * export's post-return (if it has one). A trap leaves the instance unusable.\n */\n#ifndef {up}_H\n#define {up}_H\n\n#include <stdint.h>\n"
    );
    if let Some(init) = init {
        let _ = writeln!(
            h,
            "/* Call once, after instantiating and before anything else: the instances' data\n * and element segments, then their start functions, in order. */\n#define {up}_INIT \"{init}\"\n"
        );
    }
    if hooks {
        let _ = writeln!(
            h,
            "/* Hooks the host gives, imported from \"{WEFT}\":\n *   \"trap\" (i32 code, i32 a, i32 b) -> void: a check of a fused adapter or of a\n *     handle table failed; the host raises the trap (it must not return). Codes below; a and\n *     b are numbers for the message.\n *   \"poisoned\": a mutable i32 global, 0 at first; the host sets it to 1 after any trap,\n *     and the adapters then trap with {up}_TRAP_POISONED. */",
        );
        for (name, c) in code::ALL {
            let name = name.to_uppercase().replace('-', "_");
            let _ = writeln!(h, "#define {up}_TRAP_{name} {c}");
        }
        h.push('\n');
    }
    let _ = writeln!(h, "/* What the host implements. */\n{imports}");
    let _ = writeln!(h, "/* What the host calls. */\n{exports}");
    let _ = writeln!(h, "#endif /* {up}_H */");
    h
}
