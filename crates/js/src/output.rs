//! The shape of the generated module: an ES module that instantiates itself at import
//! time (top-level `await`), or one exporting `instantiate(getCoreModule, imports)`
//! that makes a fresh copy of all state per call (`--instantiation`), asynchronously or
//! (`--instantiation sync`) synchronously. All run the same statements; an
//! [`OutputShape`] decides only how imports arrive, how core modules load and are
//! instantiated, and how the statements and exports are wrapped. A new shape (a lowered
//! module on one core module, say) is a new implementation.
//!
//! Nothing but core module loading and instantiation awaits while the statements run
//! (the JSPI switch and entry modules of `jspi.rs` are compiled synchronously), so the
//! synchronous shape serves every component, async ones included: their exports still
//! return promises.

use base64::Engine as _;
use swc_ecma_ast::{Expr, ModuleItem, Stmt};

use crate::ast::*;
use crate::emit::Emit;
use crate::esm::Binds;
use crate::options::Options;
use crate::specifier::Source;

/// How an import's value reaches the generated code.
pub enum Imported {
    /// A module-level `import` declaration.
    Declaration(ModuleItem),
    /// A statement at the start of the body.
    Statement(Stmt),
}

/// The shape of the output module.
pub trait OutputShape {
    /// Binds the value of an import found at `source` to `var` (without a member, a
    /// function or type import is its module's default export).
    fn bind_import(
        &self,
        emit: &mut Emit<'_>,
        var: &str,
        source: &Source,
        is_default: bool,
    ) -> Imported;

    /// An expression evaluating to the compiled core module written to `file`.
    fn load_core_file(&self, emit: &mut Emit<'_>, file: &str) -> Box<Expr>;

    /// The `getCoreModule` a nested module in instantiation form (an exported
    /// component's) gets: the caller's, or `undefined` (its files next to it).
    fn core_loader(&self) -> Box<Expr>;

    /// Whether the statements run synchronously (nothing may be awaited).
    fn is_sync(&self) -> bool {
        false
    }

    /// An expression evaluating to the compiled core module inlined as base64 `b64`.
    fn load_base64(&self, emit: &mut Emit<'_>, b64: &str) -> Box<Expr> {
        await_(call(emit.rt("compileBase64"), vec![str_(b64)]))
    }

    /// An expression evaluating to the exports of a new instance of the compiled core
    /// module `module` with the import object `imports`.
    fn instantiate_core(&self, module: Box<Expr>, imports: Box<Expr>) -> Box<Expr> {
        let inst = await_(method(
            id("WebAssembly"),
            "instantiate",
            vec![module, imports],
        ));
        member(inst, "exports")
    }

    /// The module items after the directive, imports and runtime: `body` and the
    /// exports `(variable, exported name)`.
    fn wrap(&self, body: Vec<Stmt>, exports: &[(String, String)]) -> Vec<ModuleItem>;
}

/// The output shape of the options.
pub fn shape(opts: &Options) -> &'static dyn OutputShape {
    match (opts.instantiation, opts.tla_compat) {
        (true, _) if opts.sync_instantiation => &Instantiate { sync: true },
        (true, _) => &Instantiate { sync: false },
        (false, false) => &EsModule { tla: true },
        (false, true) => &EsModule { tla: false },
    }
}

/// A self-instantiating ES module.
struct EsModule {
    /// Whether the body runs at top level with top-level `await`; without, it runs in
    /// an async function whose promise the module exports as `$init` (jco's
    /// `--tla-compat`), and the exports are variables it assigns.
    tla: bool,
}

/// The name of the promise a `--tla-compat` module exports.
const INIT: &str = "$init";

impl OutputShape for EsModule {
    fn core_loader(&self) -> Box<Expr> {
        undefined()
    }

    fn bind_import(
        &self,
        _emit: &mut Emit<'_>,
        var: &str,
        source: &Source,
        is_default: bool,
    ) -> Imported {
        let what = match (&source.member, is_default) {
            (Some(m), _) => Binds::Member(m),
            (None, true) => Binds::Default,
            (None, false) => Binds::Namespace,
        };
        Imported::Declaration(crate::esm::import(var, &source.spec, what))
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

    fn wrap(&self, mut body: Vec<Stmt>, exports: &[(String, String)]) -> Vec<ModuleItem> {
        if self.tla {
            let mut items: Vec<ModuleItem> = body.into_iter().map(ModuleItem::Stmt).collect();
            items.push(crate::esm::export_names(exports));
            return items;
        }
        // `let $e0; …; const $init = (async function () { body; $e0 = x; … })();` and
        // `export { $init, $e0 as x, … }`: live bindings, set once `$init` settles.
        // Generated identifiers never contain `$`, so these names are free.
        let vars: Vec<String> = (0..exports.len()).map(|i| format!("$e{i}")).collect();
        for (v, (local, _)) in vars.iter().zip(exports) {
            body.push(assign(v, id(local)));
        }
        let run = call(async_fn_expr(&[], body), vec![]);
        let mut items: Vec<ModuleItem> = vars
            .iter()
            .map(|v| ModuleItem::Stmt(let_(v, None)))
            .collect();
        items.push(ModuleItem::Stmt(const_(INIT, run)));
        let mut names = vec![(INIT.to_string(), INIT.to_string())];
        names.extend(vars.into_iter().zip(exports.iter().map(|(_, n)| n.clone())));
        items.push(crate::esm::export_names(&names));
        items
    }
}

/// A module exporting `instantiate(getCoreModule, imports)`.
struct Instantiate {
    /// `instantiate` returns the exports, not a promise: `getCoreModule` returns
    /// compiled modules and core instances are made with `new WebAssembly.Instance`.
    sync: bool,
}

/// The name of the function that compiles an inlined core module synchronously. Generated
/// identifiers never contain `$`, so the name is free.
const MODULE_BASE64: &str = "$moduleBase64";

/// `$moduleBase64(b64)`: base64 decoded without `atob` or `Buffer` (engines that need a
/// synchronous instantiation may have neither), compiled with `new WebAssembly.Module`.
/// Inlined modules are small (below `--base64-cutoff`), so a table lookup per
/// character costs nothing that matters.
const MODULE_BASE64_SRC: &str = r#"function $moduleBase64(b64) {
  const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const text = b64.replace(/=+$/, "");
  const bytes = new Uint8Array((text.length * 3) >> 2);
  let bits = 0, held = 0, at = 0;
  for (let i = 0; i < text.length; i++) {
    bits = (bits << 6) | digits.indexOf(text[i]);
    held += 6;
    if (held >= 8) {
      held -= 8;
      bytes[at++] = (bits >> held) & 255;
    }
  }
  return new WebAssembly.Module(bytes);
}"#;

/// The declaration of `$moduleBase64`, parsed from its source.
fn module_base64_decl() -> Stmt {
    use swc_common::{FileName, SourceMap, sync::Lrc};
    use swc_ecma_parser::{EsSyntax, Syntax, parse_file_as_script};
    let cm: Lrc<SourceMap> = Lrc::default();
    let fm = cm.new_source_file(
        Lrc::new(FileName::Custom(MODULE_BASE64.into())),
        MODULE_BASE64_SRC.to_string(),
    );
    let mut errors = Vec::new();
    let script = parse_file_as_script(
        &fm,
        Syntax::Es(EsSyntax::default()),
        swc_ecma_ast::EsVersion::latest(),
        None,
        &mut errors,
    );
    match script {
        Ok(mut s) if errors.is_empty() && s.body.len() == 1 => s.body.remove(0),
        // A constant of this file: a test parses it.
        _ => unreachable!("MODULE_BASE64_SRC parses as one declaration"),
    }
}

impl OutputShape for Instantiate {
    fn core_loader(&self) -> Box<Expr> {
        id("getCoreModule")
    }

    fn is_sync(&self) -> bool {
        self.sync
    }

    fn bind_import(
        &self,
        emit: &mut Emit<'_>,
        var: &str,
        source: &Source,
        is_default: bool,
    ) -> Imported {
        let keys = source.keys.iter().map(|k| str_(k));
        let mut e = call(
            emit.rt("importOf"),
            [id("imports")].into_iter().chain(keys).collect(),
        );
        match &source.key_member {
            Some(m) => {
                e = call(
                    emit.rt("importMember"),
                    vec![e, str_(m), str_(&source.keys[0])],
                );
            }
            None if is_default => e = member(e, "default"),
            None => {}
        }
        Imported::Statement(const_(var, e))
    }

    fn load_core_file(&self, emit: &mut Emit<'_>, file: &str) -> Box<Expr> {
        if self.sync {
            return call_id("getCoreModule", vec![str_(file)]);
        }
        // Without a `getCoreModule`, the file next to this module (as jco does).
        let here = member(member(id("import"), "meta"), "url");
        await_(call(
            emit.rt("coreModuleOf"),
            vec![id("getCoreModule"), str_(file), here],
        ))
    }

    fn load_base64(&self, emit: &mut Emit<'_>, b64: &str) -> Box<Expr> {
        if !self.sync {
            return await_(call(emit.rt("compileBase64"), vec![str_(b64)]));
        }
        let declared = emit.decls.iter().any(|d| {
            matches!(d, Stmt::Decl(swc_ecma_ast::Decl::Fn(f)) if &*f.ident.sym == MODULE_BASE64)
        });
        if !declared {
            emit.decls.push(module_base64_decl());
        }
        call_id(MODULE_BASE64, vec![str_(b64)])
    }

    fn instantiate_core(&self, module: Box<Expr>, imports: Box<Expr>) -> Box<Expr> {
        if !self.sync {
            let inst = await_(method(
                id("WebAssembly"),
                "instantiate",
                vec![module, imports],
            ));
            return member(inst, "exports");
        }
        member(
            new_(member(id("WebAssembly"), "Instance"), vec![module, imports]),
            "exports",
        )
    }

    fn wrap(&self, mut body: Vec<Stmt>, exports: &[(String, String)]) -> Vec<ModuleItem> {
        let props = exports
            .iter()
            .map(|(var, name)| (name.clone(), id(var)))
            .collect();
        body.push(ret(Some(object(props))));
        vec![crate::esm::export_fn(
            "instantiate",
            &["getCoreModule".into(), "imports".into()],
            body,
            !self.sync,
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
        return shape.load_base64(emit, &b64);
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_sync_base64_loader_parses() {
        let decl = super::module_base64_decl();
        assert!(matches!(
            decl,
            swc_ecma_ast::Stmt::Decl(swc_ecma_ast::Decl::Fn(f)) if &*f.ident.sym == super::MODULE_BASE64
        ));
    }
}
