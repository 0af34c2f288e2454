//! The JS runtime (`src/runtime/*.js` at the repository root), inlined on demand.
//!
//! The runtime files are real ES modules with their own tests. Generators mark the
//! helper names they use; [`Runtime::items`] then takes the top-level declarations
//! that define those names plus every top-level declaration they reference
//! (transitively, across files: top-level names are unique in the runtime), and
//! merges them into the generated module in file-dependency order, imports dropped and
//! `export` keywords removed. Tree-shaking is per declaration, so a component that
//! uses only numbers gets no string, resource or async code.

use std::collections::{BTreeSet, HashMap};

use anyhow::{Context, Result, bail};
use swc_common::{FileName, SourceMap, sync::Lrc};
use swc_ecma_ast::{Decl, EsVersion, Module, ModuleDecl, ModuleItem, Pat, Stmt};
use swc_ecma_parser::{EsSyntax, Syntax, parse_file_as_module};
use swc_ecma_visit::{Visit, VisitWith};

macro_rules! runtime_files {
    ($($name:literal),* $(,)?) => {
        /// Every runtime file, by name, with its source.
        pub const FILES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../../src/runtime/", $name)))),*
        ];
    };
}

runtime_files!(
    "bits.js",
    "char.js",
    "component-error.js",
    "handles.js",
    "imports.js",
    "latin1.js",
    "link.js",
    "load.js",
    "resources.js",
    "scheduler.js",
    "stream.js",
    "strings.js",
    "sync.js",
    "task.js",
    "transcode.js",
    "trap.js",
    "utf16.js",
    "utf8.js",
    "waitable.js",
    "wrappers.js",
);

struct File {
    module: Module,
    exports: Vec<String>,
    names: Vec<String>,
    deps: Vec<usize>,
}

/// Identifiers an item refers to.
#[derive(Default)]
struct Refs(BTreeSet<String>);

impl Visit for Refs {
    fn visit_ident(&mut self, i: &swc_ecma_ast::Ident) {
        self.0.insert(i.sym.to_string());
    }
}

/// The parsed runtime.
pub struct Runtime {
    files: Vec<File>,
    by_export: HashMap<String, usize>,
}

impl Runtime {
    /// Parses every runtime file. Must run inside `swc_common::GLOBALS.set`.
    ///
    /// # Errors
    /// Fails if a runtime file does not parse (a build defect, caught by tests).
    pub fn load() -> Result<Runtime> {
        let cm: Lrc<SourceMap> = Lrc::default();
        let mut files = Vec::new();
        let mut imports_of = Vec::new();
        for (name, src) in FILES {
            let fm = cm.new_source_file(
                Lrc::new(FileName::Custom((*name).to_string())),
                (*src).to_string(),
            );
            let mut errors = Vec::new();
            let module = parse_file_as_module(
                &fm,
                Syntax::Es(EsSyntax::default()),
                EsVersion::latest(),
                None,
                &mut errors,
            )
            .map_err(|e| anyhow::anyhow!("runtime file `{name}` does not parse: {:?}", e.kind()))?;
            let mut exports = Vec::new();
            let mut names = Vec::new();
            let mut imports = Vec::new();
            for item in &module.body {
                match item {
                    ModuleItem::ModuleDecl(ModuleDecl::Import(i)) => {
                        let src = i.src.value.as_str().unwrap_or_default().to_string();
                        imports.push(src.trim_start_matches("./").to_string());
                    }
                    ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => {
                        for n in decl_names(&e.decl) {
                            exports.push(n.clone());
                            names.push(n);
                        }
                    }
                    ModuleItem::Stmt(Stmt::Decl(d)) => names.extend(decl_names(d)),
                    _ => {}
                }
            }
            imports_of.push(imports);
            files.push(File {
                module,
                exports,
                names,
                deps: Vec::new(),
            });
        }
        for (i, imports) in imports_of.into_iter().enumerate() {
            for imp in imports {
                let dep = FILES.iter().position(|(n, _)| *n == imp).with_context(|| {
                    format!("runtime file `{}` imports unknown `{imp}`", FILES[i].0)
                })?;
                files[i].deps.push(dep);
            }
        }
        let mut by_export = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            for e in &f.exports {
                if by_export.insert(e.clone(), i).is_some() {
                    bail!("runtime name `{e}` is exported twice");
                }
            }
        }
        Ok(Runtime { files, by_export })
    }

    /// Every top-level name in the runtime (generated names must avoid them).
    pub fn all_names(&self) -> Vec<String> {
        self.files
            .iter()
            .flat_map(|f| f.names.iter().cloned())
            .collect()
    }

    /// The top-level declarations needed for `used`, dependencies first.
    ///
    /// # Errors
    /// Fails if a used name is not exported by any runtime file.
    pub fn items(&self, used: &BTreeSet<&'static str>) -> Result<Vec<ModuleItem>> {
        // Where each top-level name is declared: (file, item index).
        let mut decl_of: HashMap<String, (usize, usize)> = HashMap::new();
        for (f, file) in self.files.iter().enumerate() {
            for (i, item) in file.module.body.iter().enumerate() {
                for n in item_names(item) {
                    decl_of.insert(n, (f, i));
                }
            }
        }
        let mut keep: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut work: Vec<String> = Vec::new();
        for name in used {
            if !self.by_export.contains_key(*name) {
                bail!("internal error: no runtime file exports `{name}`");
            }
            work.push((*name).to_string());
        }
        while let Some(name) = work.pop() {
            let Some(&(f, i)) = decl_of.get(&name) else {
                continue;
            };
            if !keep.insert((f, i)) {
                continue;
            }
            let mut refs = Refs::default();
            self.files[f].module.body[i].visit_with(&mut refs);
            work.extend(refs.0.into_iter().filter(|r| decl_of.contains_key(r)));
        }
        let mut order = Vec::new();
        let mut seen = BTreeSet::new();
        for f in keep.iter().map(|k| k.0).collect::<BTreeSet<_>>() {
            self.visit(f, &mut seen, &mut order);
        }
        let mut items = Vec::new();
        for f in order {
            for (i, item) in self.files[f].module.body.iter().enumerate() {
                if !keep.contains(&(f, i)) {
                    continue;
                }
                match item {
                    ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => {
                        items.push(ModuleItem::Stmt(Stmt::Decl(e.decl.clone())));
                    }
                    ModuleItem::Stmt(s) => items.push(ModuleItem::Stmt(s.clone())),
                    ModuleItem::ModuleDecl(_) => {
                        bail!(
                            "runtime file `{}` uses an unsupported export form",
                            FILES[f].0
                        )
                    }
                }
            }
        }
        Ok(items)
    }

    fn visit(&self, f: usize, seen: &mut BTreeSet<usize>, order: &mut Vec<usize>) {
        if !seen.insert(f) {
            return;
        }
        for d in &self.files[f].deps {
            self.visit(*d, seen, order);
        }
        order.push(f);
    }
}

fn item_names(item: &ModuleItem) -> Vec<String> {
    match item {
        ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => decl_names(&e.decl),
        ModuleItem::Stmt(Stmt::Decl(d)) => decl_names(d),
        _ => Vec::new(),
    }
}

fn decl_names(d: &Decl) -> Vec<String> {
    match d {
        Decl::Fn(f) => vec![f.ident.sym.to_string()],
        Decl::Class(c) => vec![c.ident.sym.to_string()],
        Decl::Var(v) => v
            .decls
            .iter()
            .filter_map(|d| match &d.name {
                Pat::Ident(i) => Some(i.id.sym.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
