//! The instantiation sequence: which imports take direct links, then each core module
//! compiled (inline base64 or a file) and instantiated in definition order with its
//! import object, and the core items the generated functions read assigned right after
//! their instance exists.

use std::collections::HashMap;

use anyhow::Result;
use swc_ecma_ast::{Expr, Stmt};
use weft_core::error::OrBug;
use weft_core::plan::{CoreDef, ExportItem, Initializer, ModuleRef};

use crate::names::module_var;

use crate::ast::*;
use crate::emit::Emit;
use crate::link::Link;
use crate::output::{OutputShape, load_core_module};

/// Properties of an object literal.
type Props = Vec<(String, Box<Expr>)>;

/// The statements of the sequence and the core module files it loads.
pub struct Instantiation {
    pub statements: Vec<Stmt>,
    pub core_files: Vec<(String, Vec<u8>)>,
}

/// Builds the instantiation sequence. Every core item the code reads must be
/// registered before (`Emit::core_def`).
pub fn sequence(
    emit: &mut Emit<'_>,
    shape: &dyn OutputShape,
    links: &[Link],
) -> Result<Instantiation> {
    let mut init: Vec<Stmt> = Vec::new();
    // An engine without memory64 learns it before compiling anything.
    if emit.facts.memory64 {
        init.push(expr_stmt(call(emit.rt("needMemory64"), vec![])));
    }
    init.extend(links.iter().map(Link::resolve));
    let mut core_files = Vec::new();
    let mut module_vars: HashMap<u32, String> = HashMap::new();
    let mut instance_vars: HashMap<u32, String> = HashMap::new();
    let plan = emit.plan();
    for ini in &plan.initializers {
        let (instance, module, imports) = match ini {
            Initializer::Instantiate {
                instance,
                module,
                imports,
            } => (instance, module, imports),
            Initializer::InstantiateComponent {
                instance,
                component,
                ..
            } => {
                init.push(instantiate_component(emit, shape, instance.0, component)?);
                continue;
            }
        };
        let mvar = match module {
            ModuleRef::Static(module) => {
                let loads = Loads {
                    vars: &mut module_vars,
                    init: &mut init,
                    core_files: &mut core_files,
                };
                loads.compiled(emit, shape, module.0)
            }
            // The host's module, checked against the type the component declares.
            ModuleRef::Host { host, exports } => {
                let v = emit.namer.fresh("hostModule");
                let label = emit.facts.host_label(host);
                let kinds = array(
                    exports
                        .iter()
                        .map(|(n, k)| array(vec![str_(n), str_(k)]))
                        .collect(),
                );
                let check = call(
                    emit.rt("checkCoreModule"),
                    vec![emit.host_expr(host), str_(&label), kinds],
                );
                init.push(const_(&v, check));
                v
            }
        };
        let mut by_module: Vec<(String, Props)> = Vec::new();
        for (m, n, def) in imports {
            let e = import_value(emit, def, links, &instance_vars)?;
            match by_module.iter_mut().find(|x| x.0 == *m) {
                Some(x) => x.1.push((n.clone(), e)),
                None => by_module.push((m.clone(), vec![(n.clone(), e)])),
            }
        }
        let import_obj = object(
            by_module
                .into_iter()
                .map(|(m, fields)| (m, object(fields)))
                .collect(),
        );
        let ivar = format!("exports{}", instance.0);
        init.push(const_(&ivar, shape.instantiate_core(id(&mvar), import_obj)));
        instance_vars.insert(instance.0, ivar.clone());
        // Core items that functions use, now that they exist.
        for (name, var) in emit.state.core_defs_of(*instance) {
            init.push(assign(&var, member(id(&ivar), &name)));
        }
    }
    // Core modules exported to JS and never instantiated are compiled too.
    for m in exported_modules(&plan.exports) {
        let loads = Loads {
            vars: &mut module_vars,
            init: &mut init,
            core_files: &mut core_files,
        };
        loads.compiled(emit, shape, m);
    }
    Ok(Instantiation {
        statements: init,
        core_files,
    })
}

/// `const instN = componentExports(await componentInstance(factory, label, imports),
/// label)`: an instance of the component the host gave, with the imports object
/// `exports::component_args` made.
fn instantiate_component(
    emit: &mut Emit<'_>,
    shape: &dyn OutputShape,
    instance: u32,
    component: &weft_core::plan::HostRef,
) -> Result<Stmt> {
    let label = emit.facts.host_label(component);
    let args = emit
        .component_args
        .remove(&instance)
        .or_bug("the imports of an imported component's instance were not made")?;
    let made = call(
        emit.rt("componentInstance"),
        vec![emit.host_expr(component), str_(&label), args],
    );
    let made = if shape.is_sync() { made } else { await_(made) };
    let var = emit.import_name(instance).to_string();
    Ok(const_(
        &var,
        call(emit.rt("componentExports"), vec![made, str_(&label)]),
    ))
}

/// Where the instantiation sequence keeps the defined core modules it compiled.
struct Loads<'a> {
    /// The variable of each module compiled so far.
    vars: &'a mut HashMap<u32, String>,
    init: &'a mut Vec<Stmt>,
    core_files: &'a mut Vec<(String, Vec<u8>)>,
}

impl Loads<'_> {
    /// The variable holding defined core module `m`, compiled the first time it is
    /// asked for.
    fn compiled(self, emit: &mut Emit<'_>, shape: &dyn OutputShape, m: u32) -> String {
        if let Some(v) = self.vars.get(&m) {
            return v.clone();
        }
        let bytes = &emit.plan().modules[m as usize].bytes;
        let load = load_core_module(emit, shape, bytes, self.core_files);
        self.init.push(const_(&module_var(m), load));
        self.vars.insert(m, module_var(m));
        module_var(m)
    }
}

/// The core modules among `exports`, at any depth, in order.
fn exported_modules(exports: &[(String, ExportItem)]) -> Vec<u32> {
    let mut out = Vec::new();
    for (_, e) in exports {
        match e {
            ExportItem::Module(m) => out.push(m.0),
            ExportItem::Instance(items) => out.extend(exported_modules(items)),
            _ => {}
        }
    }
    out
}

/// What a core instance imports for `def`: a trampoline (behind its JSPI switch, or its
/// linked twin when the link resolved), or an export of an earlier instance.
fn import_value(
    emit: &Emit<'_>,
    def: &CoreDef,
    links: &[Link],
    instance_vars: &HashMap<u32, String>,
) -> Result<Box<Expr>> {
    Ok(match def {
        CoreDef::Trampoline(t) if emit.facts.jspi_switched.contains(&t.0) => {
            id(&format!("trampoline{}j", t.0))
        }
        CoreDef::Trampoline(t) => match links.iter().find(|l| l.trampoline == t.0) {
            Some(link) => cond(
                id(&link.vars.desc),
                id(&format!("trampoline{}L", t.0)),
                id(&format!("trampoline{}", t.0)),
            ),
            None => id(&format!("trampoline{}", t.0)),
        },
        CoreDef::Export { instance, name } => {
            let var = instance_vars
                .get(&instance.0)
                .or_bug("a core instance imports from one not yet instantiated")?;
            member(id(var), name)
        }
    })
}
