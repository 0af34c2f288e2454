//! The shape of the generated module: an ES module that instantiates itself at import
//! time (top-level `await`), or one exporting `instantiate(getCoreModule, imports)`
//! that makes a fresh copy of all state per call (`--instantiation`). Both run the same
//! statements; an [`OutputShape`] decides only how imports arrive, how core modules
//! load and how the statements and exports are wrapped. A new shape (a lowered module
//! on one core module, say) is a new implementation.

use base64::Engine as _;
use swc_ecma_ast::{Expr, ModuleItem, Stmt};

use crate::ast::*;
use crate::emit::Emit;

/// How an import's value reaches the generated code.
pub enum Imported {
    /// A module-level `import` declaration.
    Declaration(ModuleItem),
    /// A statement at the start of the body.
    Statement(Stmt),
}

/// The shape of the output module.
pub trait OutputShape {
    /// Binds the value of the import `name` (ES module specifier `spec`; a function or
    /// type import is its module's default export) to `var`.
    fn bind_import(
        &self,
        emit: &mut Emit<'_>,
        var: &str,
        name: &str,
        spec: &str,
        is_default: bool,
    ) -> Imported;

    /// An expression evaluating to the compiled core module written to `file`.
    fn load_core_file(&self, emit: &mut Emit<'_>, file: &str) -> Box<Expr>;

    /// The module items after the directive, imports and runtime: `body` and the
    /// exports `(variable, exported name)`.
    fn wrap(&self, body: Vec<Stmt>, exports: &[(String, String)]) -> Vec<ModuleItem>;
}

/// The output shape of the options.
pub fn shape(instantiation: bool) -> &'static dyn OutputShape {
    if instantiation {
        &Instantiate
    } else {
        &EsModule
    }
}

/// A self-instantiating ES module.
struct EsModule;

impl OutputShape for EsModule {
    fn bind_import(
        &self,
        _emit: &mut Emit<'_>,
        var: &str,
        _name: &str,
        spec: &str,
        is_default: bool,
    ) -> Imported {
        Imported::Declaration(crate::esm::import(var, spec, is_default))
    }

    fn load_core_file(&self, emit: &mut Emit<'_>, file: &str) -> Box<Expr> {
        let import_meta = Box::new(Expr::MetaProp(swc_ecma_ast::MetaPropExpr {
            span: swc_common::DUMMY_SP,
            kind: swc_ecma_ast::MetaPropKind::ImportMeta,
        }));
        let url = new_(
            id("URL"),
            vec![str_(&format!("./{file}")), member(import_meta, "url")],
        );
        await_(call(emit.rt("compileUrl"), vec![url]))
    }

    fn wrap(&self, body: Vec<Stmt>, exports: &[(String, String)]) -> Vec<ModuleItem> {
        let mut items: Vec<ModuleItem> = body.into_iter().map(ModuleItem::Stmt).collect();
        items.push(crate::esm::export_names(exports));
        items
    }
}

/// A module exporting `instantiate(getCoreModule, imports)`.
struct Instantiate;

impl OutputShape for Instantiate {
    fn bind_import(
        &self,
        emit: &mut Emit<'_>,
        var: &str,
        name: &str,
        _spec: &str,
        is_default: bool,
    ) -> Imported {
        let mut e = call(emit.rt("importOf"), vec![id("imports"), str_(name)]);
        if is_default {
            e = member(e, "default");
        }
        Imported::Statement(const_(var, e))
    }

    fn load_core_file(&self, _emit: &mut Emit<'_>, file: &str) -> Box<Expr> {
        await_(call_id("getCoreModule", vec![str_(file)]))
    }

    fn wrap(&self, mut body: Vec<Stmt>, exports: &[(String, String)]) -> Vec<ModuleItem> {
        let props = exports
            .iter()
            .map(|(var, name)| (name.clone(), id(var)))
            .collect();
        body.push(ret(Some(object(props))));
        vec![crate::esm::export_async_fn(
            "instantiate",
            &["getCoreModule".into(), "imports".into()],
            body,
        )]
    }
}

/// An expression evaluating to the compiled core module `bytes`: inlined as base64
/// below the cutoff, else written to a file the shape loads (`files` collects them).
pub fn load_core_module(
    emit: &mut Emit<'_>,
    shape: &dyn OutputShape,
    bytes: &[u8],
    files: &mut Vec<(String, Vec<u8>)>,
) -> Box<Expr> {
    let opts = emit.facts.opts;
    if bytes.len() < opts.base64_cutoff {
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        return await_(call(emit.rt("compileBase64"), vec![str_(&b64)]));
    }
    let file = core_file_name(&opts.name, files.len());
    files.push((file.clone(), bytes.to_vec()));
    shape.load_core_file(emit, &file)
}

/// `name.core.wasm`, `name.core2.wasm`, …
pub fn core_file_name(name: &str, i: usize) -> String {
    if i == 0 {
        format!("{name}.core.wasm")
    } else {
        format!("{name}.core{}.wasm", i + 1)
    }
}
