//! Assembles the ES module for a plan, as a short list of named phases. Each phase
//! lives in the module named for what it generates; this file only orders them.
//!
//! The same statements (the "body") serve both output shapes (`output.rs`): at module
//! top level (with top-level `await`) or inside `instantiate()` (one fresh copy of all
//! state per call).

use anyhow::Result;
use swc_ecma_ast::{ModuleItem, Stmt};
use weft_core::Plan;
use weft_core::error::OrBug;
use weft_core::plan::Trampoline;

use crate::emit::Emit;
use crate::facts::{Facts, blocking_sig};
use crate::link::Link;
use crate::options::Options;

/// Output of [`generate_module`].
pub struct ModuleOutput {
    pub js: swc_ecma_ast::Module,
    /// The items of `js` that are src/runtime's declarations (printed compactly).
    pub runtime_items: std::ops::Range<usize>,
    pub core_files: Vec<(String, Vec<u8>)>,
    pub import_names: Vec<String>,
    pub export_names: Vec<String>,
}

/// Builds the module AST for a plan.
pub fn generate_module(
    plan: &Plan,
    opts: &Options,
    runtime: &crate::runtime::Runtime,
) -> Result<ModuleOutput> {
    let facts = Facts::new(plan, opts);
    let shape = crate::output::shape(opts);
    let mut emit = Emit::new(&facts, &runtime.all_names());
    if let Some(header) = &opts.record {
        let var = emit.namer.fresh("recorder");
        emit.recording = Some(crate::trace_table::TraceTable::new(var, header.clone()));
    }

    // 1. One variable per import, bound as the output shape binds imports.
    let imports = crate::imports::bind(&mut emit, shape);
    // 2. Exported resources name their classes first, so lifting code can name them.
    crate::exports::name_classes(&mut emit);
    // 3. What core code imports: host imports, adapters, built-ins.
    let links = trampolines(&mut emit)?;
    // 4. What JS calls: export wrappers, namespaces, resource classes, link offers.
    let mut exports = crate::exports::generate(&mut emit)?;
    // 4b. What instances of imported components get as their imports.
    crate::exports::component_args(&mut emit)?;
    // 5. Classes of resources lifted but never exported.
    let classes = crate::exports::bare_classes(&mut emit);
    // 6. What the resource types used so far need at run time (with `--record`, their
    // drops by the guest too). With core handle tables, the core module's
    // `resource-drop` hook runs the host resources' destructors: their types are used.
    if facts.core_handles {
        let plan = emit.plan();
        for (i, r) in (0u32..).zip(&plan.resources) {
            if matches!(r, weft_core::plan::Resource::Host { .. }) {
                emit.resource_type(weft_core::types::ResourceIdx(i));
            }
        }
    }
    emit.hoist_resource_needs();
    crate::record::host_drops(&mut emit);
    // 7. Compile and instantiate the core modules, in definition order.
    let instantiation = crate::instantiate::sequence(&mut emit, shape, &links)?;
    // 8. Declare all registered state, then put the module together.
    let state = emit.state.render(&facts)?;
    let mut body = instantiation.checks;
    body.extend(imports.statements);
    // With `--record`: the recorder, before anything can call across the boundary.
    if let Some(recorder) = crate::record::declare(&mut emit) {
        body.insert(0, recorder);
        let var = emit
            .recording
            .as_ref()
            .map(|r| r.var.clone())
            .unwrap_or_default();
        exports.names.push((var, "$trace".into()));
    }
    body.extend(state);
    body.append(&mut emit.decls);
    body.extend(classes);
    body.extend(instantiation.statements);
    body.extend(exports.body);

    let mut items: Vec<ModuleItem> = vec![crate::esm::directive("use components")];
    items.extend(imports.declarations);
    items.append(&mut emit.module_imports);
    let runtime_start = items.len();
    items.extend(runtime.items(&emit.runtime)?);
    let runtime_items = runtime_start..items.len();
    items.extend(shape.wrap(body, &exports.names));
    Ok(ModuleOutput {
        js: swc_ecma_ast::Module {
            span: swc_common::DUMMY_SP,
            body: items,
            shebang: None,
        },
        runtime_items,
        core_files: instantiation.core_files,
        import_names: imports.names,
        export_names: exports.wit_names,
    })
}

/// Generates every trampoline (`trampolineN`), each behind its JSPI switch when it may
/// block a stack; returns the imports that may take direct links.
fn trampolines(emit: &mut Emit<'_>) -> Result<Vec<Link>> {
    let plan = emit.plan();
    let mut links = Vec::new();
    for (i, t) in plan.trampolines.iter().enumerate() {
        let i = i as u32;
        // Compiled into the core module (weft-lower): no JS.
        if matches!(t, Trampoline::InCore) {
            continue;
        }
        let f = trampoline(emit, i, t, &mut links)?;
        emit.decls.push(f);
        if emit.facts.jspi_switched.contains(&i) {
            let forced = emit.facts.forced_block(i);
            let (params, results) =
                blocking_sig(plan, t, forced).or_bug("a switched trampoline that cannot block")?;
            let switch =
                crate::jspi::switch_decl(emit, &format!("trampoline{i}"), &params, &results);
            emit.decls.push(switch);
        }
    }
    Ok(links)
}

/// The trampoline `trampoline{i}`; a linkable host import adds its link to `links`.
fn trampoline(emit: &mut Emit<'_>, i: u32, t: &Trampoline, links: &mut Vec<Link>) -> Result<Stmt> {
    let name = format!("trampoline{i}");
    let plan = emit.plan();
    Ok(match t {
        Trampoline::LowerHost {
            callee,
            ty,
            options,
        } => {
            let func = plan.types.func(*ty);
            let (f, link) = crate::host::import_trampoline(emit, i, callee, func, options)?;
            links.extend(link);
            f
        }
        Trampoline::InCore => {
            weft_core::bug!("an adapter compiled into the core module has no trampoline")
        }
        Trampoline::Adapter { callee, options } => {
            if emit.facts.concurrent {
                let movers = plan.movers.get(&i);
                crate::adapter::async_adapter_fn(emit, &name, callee, options, movers)?
            } else {
                crate::adapter::adapter_fn(emit, &name, callee, options)?
            }
        }
        Trampoline::Builtin { builtin, instance } => {
            crate::builtins::builtin_fn(emit, &name, builtin, instance.0)?
        }
        Trampoline::ResourceNew { resource, instance } => {
            crate::builtins::resource_builtin(emit, &name, "resourceNew", *resource, instance.0)
        }
        Trampoline::ResourceRep { resource, instance } => {
            crate::builtins::resource_builtin(emit, &name, "resourceRep", *resource, instance.0)
        }
        Trampoline::ResourceDrop { resource, instance } => {
            crate::builtins::resource_builtin(emit, &name, "resourceDrop", *resource, instance.0)
        }
    })
}
