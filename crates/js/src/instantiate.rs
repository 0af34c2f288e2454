//! The instantiation sequence: which imports take direct links, then each core module
//! compiled (inline base64 or a file) and instantiated in definition order with its
//! import object, and the core items the generated functions read assigned right after
//! their instance exists.

use std::collections::HashMap;

use anyhow::Result;
use swc_ecma_ast::{Expr, Stmt};
use weft_core::error::OrBug;
use weft_core::plan::{CoreDef, ExportItem, Hook, Initializer, ModuleRef, Resource, Trampoline};
use weft_core::types::ResourceIdx;

use crate::names::module_var;

use crate::ast::*;
use crate::emit::Emit;
use crate::link::Link;
use crate::output::{OutputShape, load_core_module};

/// Properties of an object literal.
type Props = Vec<(String, Box<Expr>)>;

/// The statements of the sequence and the core module files it loads.
pub struct Instantiation {
    /// What the engine must support (memory64, multi-memory), checked before anything
    /// else, the imports included.
    pub checks: Vec<Stmt>,
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
    // An engine without memory64 or multi-memory learns it before anything else.
    let mut checks: Vec<Stmt> = Vec::new();
    if emit.facts.memory64 {
        checks.push(expr_stmt(call(emit.rt("needMemory64"), vec![])));
    }
    if emit.facts.multi_memory {
        checks.push(expr_stmt(call(emit.rt("needMultiMemory"), vec![])));
    }
    let mut init: Vec<Stmt> = Vec::new();
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
        // A module weft has the bytes of declares exactly `imports` (one per import key):
        // the engine can list them (`WebAssembly.Module.imports`) for the imports
        // object. A host's module may declare others, which must not link by name.
        let declared = matches!(module, ModuleRef::Static(_)).then_some(mvar.as_str());
        let import_obj = import_object(emit, imports, links, &instance_vars, declared)?;
        let ivar = format!("exports{}", instance.0);
        init.push(const_(&ivar, shape.instantiate_core(id(&mvar), import_obj)));
        instance_vars.insert(instance.0, ivar.clone());
        // Core items that functions use, now that they exist.
        for (name, var) in emit.state.core_defs_of(*instance) {
            init.push(assign(&var, member(id(&ivar), &name)));
        }
        init.extend(emit.state.core_bindings(*instance));
    }
    // A linked plan's start sequence, once its core items are assigned.
    if let Some(CoreDef::Export { instance, name }) = &plan.init {
        let var = instance_vars
            .get(&instance.0)
            .or_bug("the start sequence's instance was not instantiated")?;
        init.push(expr_stmt(call(member(id(var), name), vec![])));
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
        checks,
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
/// The imports object of a core instance: `{ module: { name: value } }`. Where at least
/// `SAME_NAMES_MIN` imports of one module are exports of one core instance under the
/// same names, or under the names with one prefix (a dynamically linked module's
/// symbols: `env.f` from `f`, `GOT.mem.x` from `libpython3.14.so:x`), they are not
/// spelled `name: exportsN["prefix:name"]` each. The largest such group of a module is
/// `otherImports(exportsN, moduleM, "module", { other imports }, "prefix")` when
/// `declared` (the module's variable) says the module declares exactly `imports`, so
/// that the names are the module's own and need not be printed; any other group is
/// `sameNames(exportsN, [names], { … }, "prefix")`.
fn import_object(
    emit: &mut Emit<'_>,
    imports: &[(String, String, CoreDef)],
    links: &[Link],
    instance_vars: &HashMap<u32, String>,
    declared: Option<&str>,
) -> Result<Box<Expr>> {
    let mut modules = Vec::new();
    for (m, (fields, groups)) in group_imports(imports) {
        let fields = fields
            .into_iter()
            .map(|(n, def)| Ok((n.clone(), import_value(emit, def, links, instance_vars)?)))
            .collect::<Result<Props>>()?;
        let mut obj = object(fields);
        let last = groups.len().saturating_sub(1);
        for (g, group) in groups.into_iter().enumerate() {
            let from = id(instance_vars
                .get(&group.instance)
                .or_bug("a core instance imports from one not yet instantiated")?);
            let (helper, mut args) = match declared {
                Some(module) if g == last => ("otherImports", vec![from, id(module), str_(m), obj]),
                _ => {
                    let names = array(group.names.iter().map(|n| str_(n)).collect());
                    ("sameNames", vec![from, names, obj])
                }
            };
            if !group.prefix.is_empty() {
                args.push(str_(group.prefix));
            }
            obj = call(emit.rt(helper), args);
        }
        modules.push((m.to_string(), obj));
    }
    Ok(object(modules))
}

/// The source instance and the prefix of an import named `n` that is the export
/// `prefix + n` of a core instance.
fn export_prefix<'a>(n: &str, def: &'a CoreDef) -> Option<(u32, &'a str)> {
    match def {
        CoreDef::Export { instance, name } => {
            name.strip_suffix(n).map(|prefix| (instance.0, prefix))
        }
        CoreDef::Trampoline(_) | CoreDef::Hook(_) => None,
    }
}

/// Imports of one module that are exports of one core instance named `prefix` + the
/// import's name.
struct NameGroup<'a> {
    instance: u32,
    prefix: &'a str,
    names: Vec<&'a str>,
}

/// A module's imports spelled out (name, definition), and its groups.
type ModuleImports<'a> = (Vec<(&'a String, &'a CoreDef)>, Vec<NameGroup<'a>>);

/// The imports of a core instance per module, in first-import order: the imports
/// spelled out, and the groups of at least `SAME_NAMES_MIN` (largest last, the first of
/// equals).
fn group_imports(imports: &[(String, String, CoreDef)]) -> Vec<(&str, ModuleImports<'_>)> {
    const SAME_NAMES_MIN: usize = 8;
    let mut counts: HashMap<(&str, u32, &str), usize> = HashMap::new();
    for (m, n, def) in imports {
        if let Some((i, prefix)) = export_prefix(n, def) {
            *counts.entry((m.as_str(), i, prefix)).or_default() += 1;
        }
    }
    let mut by_module: Vec<(&str, ModuleImports<'_>)> = Vec::new();
    for (m, n, def) in imports {
        let i = match by_module.iter().position(|x| x.0 == m) {
            Some(i) => i,
            None => {
                by_module.push((m, (Vec::new(), Vec::new())));
                by_module.len() - 1
            }
        };
        let (fields, groups) = &mut by_module[i].1;
        let grouped = export_prefix(n, def)
            .filter(|&(k, prefix)| counts[&(m.as_str(), k, prefix)] >= SAME_NAMES_MIN);
        match grouped {
            Some((instance, prefix)) => {
                match groups
                    .iter_mut()
                    .find(|g| g.instance == instance && g.prefix == prefix)
                {
                    Some(g) => g.names.push(n),
                    None => groups.push(NameGroup {
                        instance,
                        prefix,
                        names: vec![n],
                    }),
                }
            }
            None => fields.push((n, def)),
        }
    }
    for (_, (_, groups)) in &mut by_module {
        // The largest group goes last, outermost: `otherImports` fills in what the inner
        // objects do not hold.
        if let Some(largest) = (0..groups.len())
            .rev()
            .max_by_key(|&g| groups[g].names.len())
        {
            let g = groups.remove(largest);
            groups.push(g);
        }
    }
    by_module
}

fn import_value(
    emit: &mut Emit<'_>,
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
        // The `trap` hook, a runtime function (given the resources' names when the
        // handle tables are core wasm, for its messages), poisons the instance first: the
        // trap reaches core code as a JS exception, which a guest's `catch_all` could
        // catch and carry on after (as for a JS built-in, `builtins::poison_on_throw`).
        CoreDef::Hook(h @ Hook::Trap) => {
            let trap = emit.rt(crate::state::hook_var(*h));
            let params = ["c", "a", "b"].map(String::from);
            let mut args = vec![id("c"), id("a"), id("b")];
            if emit.facts.core_handles {
                args.push(resource_names(emit));
            }
            let poison = crate::state::poison_expr(emit.facts);
            arrow(&params, seq(vec![poison, call(trap, args)]))
        }
        // The flags, variables of the state.
        CoreDef::Hook(h @ (Hook::Poisoned | Hook::MayLeave)) => id(crate::state::hook_var(*h)),
        CoreDef::Hook(Hook::ResourceDrop) => host_drop_hook(emit),
        // The runtime's scheduler looks again at what blocked tasks wait for.
        CoreDef::Hook(h @ Hook::Wake) => emit.rt(crate::state::hook_var(*h)),
        // `coreEvent.bind(null, { 0: handles0, … })`: the event pending on waitable `w`
        // of component instance `i`'s table (the tables by instance made once).
        CoreDef::Hook(h @ Hook::Event) => {
            let event = emit.rt(crate::state::hook_var(*h));
            let tables = emit.state.core_tables_by_instance();
            method(event, "bind", vec![null(), tables])
        }
        // `moveEnd.bind(null, { 0: ai0, … })`: the instances the movers move ends
        // between, by number.
        CoreDef::Hook(h @ Hook::MoveEnd) => {
            let move_end = emit.rt(crate::state::hook_var(*h));
            let plan = emit.facts.plan;
            let mut between = std::collections::BTreeSet::new();
            for t in plan.movers.keys() {
                if let Trampoline::Adapter { callee, options } = &plan.trampolines[*t as usize] {
                    between.insert(options.instance.0);
                    between.insert(callee.options.instance.0);
                }
            }
            let instances = object(
                between
                    .into_iter()
                    .map(|i| (i.to_string(), id(&emit.async_instance(i))))
                    .collect(),
            );
            method(move_end, "bind", vec![null(), instances])
        }
    })
}

/// `[name, …]`: the name of every resource type, by its number - 1 (core tables'
/// trap messages).
fn resource_names(emit: &Emit<'_>) -> Box<Expr> {
    let plan = emit.facts.plan;
    array(
        plan.resources
            .iter()
            .map(|r| str_(&plan.resource_label(r)))
            .collect(),
    )
}

/// `function (t, rep) { switch (t) { case 1: rt0.dtor(rep); break; … } }`: the core tables'
/// `resource-drop` hook, the destructor of host resource type `t` (its `ResourceType`'s,
/// which the JS tables would call).
fn host_drop_hook(emit: &mut Emit<'_>) -> Box<Expr> {
    let plan = emit.facts.plan;
    let mut arms = Vec::new();
    for (i, r) in plan.resources.iter().enumerate() {
        if let Resource::Host { .. } = r {
            let rt = emit.resource_type(ResourceIdx(i as u32));
            let drop = method(id(&rt), "dtor", vec![id("rep")]);
            arms.push((Some(num(i as f64 + 1.0)), vec![expr_stmt(drop), break_()]));
        }
    }
    let params = ["t", "rep"].map(String::from);
    fn_expr(&params, vec![switch(id("t"), arms)])
}
