//! The JS runtime (`src/runtime/*.js` at the repository root, read through the symbolic
//! link `crates/js/runtime` so the published crate holds it), inlined on demand.
//!
//! The runtime files are real ES modules with their own tests. Generators mark the
//! helper names they use; [`Runtime::items`] then takes the top-level declarations
//! that define those names plus every top-level declaration they reference
//! (transitively, across files: top-level names are unique in the runtime), and
//! merges them into the generated module in file-dependency order, imports dropped and
//! `export` keywords removed. Tree-shaking is per declaration, so a component that
//! uses only numbers gets no string, resource or async code.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use anyhow::Result;
use swc_common::{FileName, SourceMap, sync::Lrc};
use swc_ecma_ast::{Decl, EsVersion, Module, ModuleDecl, ModuleItem, Pat, Stmt};
use swc_ecma_parser::{EsSyntax, Syntax, parse_file_as_module};
use swc_ecma_visit::{Visit, VisitWith};
use weft_core::bug;

macro_rules! runtime_files {
    ($($name:literal),* $(,)?) => {
        /// Every runtime file, by name, with its source.
        pub const FILES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../runtime/", $name)))),*
        ];
    };
}

runtime_files!(
    "addr.js",
    "bits.js",
    "char.js",
    "check.js",
    "component-error.js",
    "handles.js",
    "imports.js",
    "jco.js",
    "latin1.js",
    "link.js",
    "load.js",
    "record-moves.js",
    "record.js",
    "replay.js",
    "resources.js",
    "scheduler.js",
    "stream.js",
    "strings.js",
    "sync.js",
    "task.js",
    "thread.js",
    "transcode.js",
    "trap.js",
    "utf16.js",
    "utf8.js",
    "waitable.js",
    "wave.js",
    "webidl.js",
    "wrappers.js",
);

/// What a lexical scan of a runtime file finds (`scan`): its top-level names and the
/// runtime files it imports (exports go to `Runtime::by_export`). Parsing is left until a file's
/// code is needed.
struct File {
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

/// The runtime: every file scanned, each parsed the first time its code is needed (a
/// component using numbers only never parses the string or async files).
pub struct Runtime {
    files: Vec<File>,
    by_export: HashMap<String, usize>,
    /// The file declaring each top-level name (names are unique across the runtime).
    file_of: HashMap<String, usize>,
    parsed: RefCell<Vec<Option<Rc<Module>>>>,
}

/// The top-level declarations of a runtime file as `(name, exported)`, and the runtime
/// files it imports, read off the source text. The runtime's style makes this exact:
/// top-level declarations start at column 0 (`export`? `async`? then `function`,
/// `class`, `const`, `let` or `var` and one name) and imports are `from './x.js'`.
/// `scan_matches_parse` checks it against the parser for every file.
fn scan(src: &str) -> (Vec<(String, bool)>, Vec<String>) {
    let mut decls = Vec::new();
    let mut imports = Vec::new();
    for line in src.lines() {
        if line.starts_with("import ") || line.starts_with("} from ") {
            if let Some(file) = line
                .split("from './")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
            {
                imports.push(file.to_string());
            }
            continue;
        }
        let (rest, exported) = match line.strip_prefix("export ") {
            Some(r) => (r, true),
            None => (line, false),
        };
        let rest = rest.strip_prefix("async ").unwrap_or(rest);
        let Some(rest) = [
            "function* ",
            "function ",
            "class ",
            "const ",
            "let ",
            "var ",
        ]
        .iter()
        .find_map(|k| rest.strip_prefix(k)) else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
            .collect();
        if !name.is_empty() {
            decls.push((name, exported));
        }
    }
    (decls, imports)
}

impl Runtime {
    /// Scans every runtime file (no parsing).
    ///
    /// # Errors
    /// Fails if a file imports an unknown file or a name is declared twice (build
    /// defects, caught by tests).
    pub fn load() -> Result<Runtime> {
        let mut files = Vec::new();
        let mut file_of = HashMap::new();
        let mut by_export = HashMap::new();
        for (i, (name, src)) in FILES.iter().enumerate() {
            let (decls, imports) = scan(src);
            let mut deps = Vec::new();
            for imp in imports {
                let Some(dep) = FILES.iter().position(|(n, _)| *n == imp) else {
                    bug!("runtime file `{name}` imports unknown `{imp}`");
                };
                deps.push(dep);
            }
            let mut names = Vec::new();
            for (n, exported) in decls {
                if file_of.insert(n.clone(), i).is_some() {
                    bug!("runtime name `{n}` is declared twice");
                }
                if exported {
                    by_export.insert(n.clone(), i);
                }
                names.push(n);
            }
            files.push(File { names, deps });
        }
        let parsed = RefCell::new(vec![None; files.len()]);
        Ok(Runtime {
            files,
            by_export,
            file_of,
            parsed,
        })
    }

    /// The parsed module of file `f`. Must run inside `swc_common::GLOBALS.set`.
    fn module(&self, f: usize) -> Result<Rc<Module>> {
        if let Some(m) = &self.parsed.borrow()[f] {
            return Ok(m.clone());
        }
        let (name, src) = FILES[f];
        let m = Rc::new(parse_runtime_file(name, src)?);
        self.parsed.borrow_mut()[f] = Some(m.clone());
        Ok(m)
    }

    /// Every top-level name in the runtime (generated names must avoid them).
    pub fn all_names(&self) -> Vec<String> {
        self.files
            .iter()
            .flat_map(|f| f.names.iter().cloned())
            .collect()
    }

    /// The top-level declarations needed for `used`, dependencies first. Parses only
    /// the files that declare them.
    ///
    /// # Errors
    /// Fails if a used name is not exported by any runtime file.
    pub fn items(&self, used: &BTreeSet<&'static str>) -> Result<Vec<ModuleItem>> {
        let mut keep: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut work: Vec<String> = Vec::new();
        for name in used {
            if !self.by_export.contains_key(*name) {
                bug!("no runtime file exports `{name}`");
            }
            work.push((*name).to_string());
        }
        while let Some(name) = work.pop() {
            let Some(&f) = self.file_of.get(&name) else {
                continue;
            };
            let module = self.module(f)?;
            let Some(i) = module
                .body
                .iter()
                .position(|item| item_names(item).contains(&name))
            else {
                bug!("runtime file `{}` does not declare `{name}`", FILES[f].0);
            };
            if !keep.insert((f, i)) {
                continue;
            }
            let mut refs = Refs::default();
            module.body[i].visit_with(&mut refs);
            work.extend(refs.0.into_iter().filter(|r| self.file_of.contains_key(r)));
        }
        let mut order = Vec::new();
        let mut seen = BTreeSet::new();
        for f in keep.iter().map(|k| k.0).collect::<BTreeSet<_>>() {
            self.visit(f, &mut seen, &mut order);
        }
        let mut items = Vec::new();
        for f in order {
            if !keep.iter().any(|k| k.0 == f) {
                continue;
            }
            let module = self.module(f)?;
            for (i, item) in module.body.iter().enumerate() {
                if !keep.contains(&(f, i)) {
                    continue;
                }
                match item {
                    ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => {
                        items.push(ModuleItem::Stmt(Stmt::Decl(e.decl.clone())));
                    }
                    ModuleItem::Stmt(s) => items.push(ModuleItem::Stmt(s.clone())),
                    ModuleItem::ModuleDecl(_) => {
                        bug!(
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

/// Parses one runtime file as a module.
fn parse_runtime_file(name: &str, src: &str) -> Result<Module> {
    let cm: Lrc<SourceMap> = Lrc::default();
    let fm = cm.new_source_file(
        Lrc::new(FileName::Custom(name.to_string())),
        src.to_string(),
    );
    let mut errors = Vec::new();
    parse_file_as_module(
        &fm,
        Syntax::Es(EsSyntax::default()),
        EsVersion::latest(),
        None,
        &mut errors,
    )
    .map_err(|e| anyhow::anyhow!("runtime file `{name}` does not parse: {:?}", e.kind()))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The lexical scan finds exactly what the parser finds, in every runtime file.
    #[test]
    fn scan_matches_parse() {
        swc_common::GLOBALS.set(&swc_common::Globals::new(), || {
            for (name, src) in FILES {
                let module = parse_runtime_file(name, src).unwrap();
                let mut decls = Vec::new();
                let mut imports = Vec::new();
                for item in &module.body {
                    match item {
                        ModuleItem::ModuleDecl(ModuleDecl::Import(i)) => {
                            let src = i.src.value.as_str().unwrap_or_default().to_string();
                            imports.push(src.trim_start_matches("./").to_string());
                        }
                        ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => {
                            decls.extend(decl_names(&e.decl).into_iter().map(|n| (n, true)));
                        }
                        ModuleItem::Stmt(Stmt::Decl(d)) => {
                            decls.extend(decl_names(d).into_iter().map(|n| (n, false)));
                        }
                        _ => {}
                    }
                }
                assert_eq!(scan(src), (decls, imports), "runtime file `{name}`");
            }
        });
    }
}
