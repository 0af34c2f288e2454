//! The module's imports: one variable per component import, bound by the output shape
//! (an `import` declaration, or a read of `instantiate`'s `imports` argument), and the
//! source of each (`specifier.rs`: `--map`, else `@weft/wasi` for the WASI interfaces
//! it implements).

use std::collections::BTreeSet;

use swc_ecma_ast::{ModuleItem, Stmt};
use weft_core::Plan;
use weft_core::plan::{ExportItem, ImportKind, Initializer, ModuleRef, Resource, Trampoline};
use weft_core::types::{TypeDef, ValType};

use crate::emit::Emit;
use crate::names::sanitize;
use crate::output::{Imported, OutputShape};
use crate::specifier;

/// What the imports phase produces.
pub struct Imports {
    /// `import` declarations (ES module shape).
    pub declarations: Vec<ModuleItem>,
    /// Statements binding imports at the start of the body (instantiation shape).
    pub statements: Vec<Stmt>,
    /// The WIT names of the imports, in order.
    pub names: Vec<String>,
}

/// Names a variable per import and binds the ones the code reads.
pub fn bind(emit: &mut Emit<'_>, shape: &dyn OutputShape) -> Imports {
    let mut out = Imports {
        declarations: Vec::new(),
        statements: Vec::new(),
        names: Vec::new(),
    };
    let plan = emit.plan();
    let used = used_imports(plan);
    for (i, imp) in plan.imports.iter().enumerate() {
        let var = emit.namer.fresh(&format!("import_{}", sanitize(&imp.name)));
        emit.add_import(var.clone());
        // An instance of an imported component: made by the instantiation sequence.
        if matches!(imp.kind, ImportKind::Instantiated) {
            continue;
        }
        out.names.push(imp.name.clone());
        // An import that only carries types needs no value at run time; a `webidl:`
        // one is the platform itself (`webidl.rs`).
        if imp.name.starts_with("webidl:") {
            emit.bound_to_platform(i as u32);
            continue;
        }
        if !used.contains(&i) {
            continue;
        }
        // A function, and a core module (its default export), are the import itself.
        let is_instance = !matches!(
            imp.kind,
            ImportKind::Func(_) | ImportKind::Type | ImportKind::Module | ImportKind::Component
        );
        let source = specifier::source(
            emit.facts.binding,
            &imp.name,
            is_instance,
            &emit.facts.opts.map,
            wasi_shim_specifier,
        );
        if source.spec.starts_with("@weft/wasi/") {
            emit.served_by_weft_wasi(i as u32);
        }
        match shape.bind_import(emit, &var, &source, !is_instance) {
            Imported::Declaration(d) => out.declarations.push(d),
            Imported::Statement(s) => out.statements.push(s),
        }
    }
    mark_weft_wasi_ends(emit);
    out
}

/// Marks every stream and future type (nested ones too) in the signatures of the
/// imports `@weft/wasi` serves (`Emit::binding_of_end_type`).
fn mark_weft_wasi_ends(emit: &mut Emit<'_>) {
    let plan = emit.plan();
    let mut work: Vec<ValType> = Vec::new();
    for t in &plan.trampolines {
        if let Trampoline::LowerHost { callee, ty, .. } = t
            && emit.is_served_by_weft_wasi(callee.import.0)
        {
            let f = plan.types.func(*ty);
            work.extend(f.params.iter().map(|(_, t)| *t).chain(f.result));
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(t) = work.pop() {
        plan.types.contains(t, &mut |v, d| {
            if let (ValType::Defined(id), Some(TypeDef::Future(e) | TypeDef::Stream(e))) = (v, d)
                && seen.insert(id)
            {
                work.extend(*e);
            }
            false
        });
    }
    for t in seen {
        emit.crosses_weft_wasi(t);
    }
}

/// The imports whose values the generated code reads.
fn used_imports(plan: &Plan) -> BTreeSet<usize> {
    let mut used = BTreeSet::new();
    for t in &plan.trampolines {
        if let Trampoline::LowerHost { callee, .. } = t {
            used.insert(callee.import.0 as usize);
        }
    }
    for r in &plan.resources {
        if let Resource::Host { host } = r {
            used.insert(host.import.0 as usize);
        }
    }
    for ini in &plan.initializers {
        match ini {
            Initializer::Instantiate {
                module: ModuleRef::Host { host, .. },
                ..
            }
            | Initializer::InstantiateComponent {
                component: host, ..
            } => {
                used.insert(host.import.0 as usize);
            }
            Initializer::Instantiate { .. } => {}
        }
    }
    fn walk(item: &ExportItem, used: &mut BTreeSet<usize>) {
        match item {
            ExportItem::HostFunc(h, _) | ExportItem::HostValue(h) => {
                used.insert(h.import.0 as usize);
            }
            ExportItem::Instance(items) => items.iter().for_each(|(_, i)| walk(i, used)),
            _ => {}
        }
    }
    for (_, e) in &plan.exports {
        walk(e, &mut used);
    }
    for ini in &plan.initializers {
        if let Initializer::InstantiateComponent { args, .. } = ini {
            args.iter().for_each(|(_, e, _)| walk(e, &mut used));
        }
    }
    used
}

/// The WASI interfaces `@weft/wasi` has an ES module for (`npm/wasi/src/interfaces.txt`,
/// written by its `scripts/gen-interfaces.mjs`), as `wasi:pkg/iface@0.N`. Read through
/// the symbolic link `crates/js/wasi-interfaces.txt`, so the published crate holds it.
const WASI_SHIM_INTERFACES: &str = include_str!("../wasi-interfaces.txt");

/// `wasi:cli/stdout@0.2.3` → `@weft/wasi/p2/cli/stdout` when the shims have it: what an
/// ES module imports for a WASI interface unless `--map` says otherwise.
fn wasi_shim_specifier(name: &str) -> Option<String> {
    let rest = name.strip_prefix("wasi:")?;
    let (path, version) = rest.split_once('@')?;
    let minor = match version.split('.').collect::<Vec<_>>().as_slice() {
        ["0", "2", ..] => "0.2",
        ["0", "3", ..] => "0.3",
        _ => return None,
    };
    let key = format!("wasi:{path}@{minor}");
    WASI_SHIM_INTERFACES
        .lines()
        .any(|l| l == key)
        .then(|| format!("@weft/wasi/p{}/{path}", &minor[2..]))
}
