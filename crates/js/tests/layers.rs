//! The module layers of `weft-js` (ARCHITECTURE.md, Invariants): every `crate::…` path
//! in a module names a module of a strictly lower layer, so the import graph has no
//! cycle and no generator depends on the assembly (`module.rs`) or on a sibling
//! generator of its own layer. A new module must be placed in [`LAYERS`].

use std::collections::HashMap;
use std::path::Path;

/// Bottom to top. A module may use the modules of the layers below its own.
const LAYERS: &[&[&str]] = &[
    // Syntax, naming and inputs: no dependency on the rest of the crate.
    &["ast", "names", "options", "parens", "runtime"],
    &["esm", "binding", "describe"],
    &["specifier"],
    // What is known before emitting, and the declared-state registry.
    &["facts", "dts", "trace_table"],
    &["state"],
    // The emitter every generator writes through.
    &["emit"],
    // The platform's objects for `webidl:` imports, read at instantiation.
    &["idl"],
    // Shared generators: the Canonical ABI, links, JSPI modules, output shapes.
    &["abi", "link", "jspi", "output", "record"],
    &["call", "lift"],
    // Generators of one kind of thing each.
    &[
        "adapter",
        "builtins",
        "exports",
        "imports",
        "instantiate",
        "webidl",
    ],
    &["host"],
    // The phases, then the crate root.
    &["module"],
    &["lib"],
];

/// The module a source file belongs to: `abi/lower.rs` → `abi`, `lib.rs` → `lib`.
fn module_of(rel: &Path) -> String {
    let first = rel.components().next().expect("a path under src");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// The crate modules `src` names through `crate::name`.
fn crate_refs(src: &str) -> Vec<String> {
    let mut refs = Vec::new();
    for line in src.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            refs.push(name);
        }
        // `use crate::{a, b::c}` lists several modules.
        if let Some(i) = code.find("crate::{") {
            let list = &code[i + "crate::{".len()..];
            for item in list.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    refs.push(name);
                }
            }
        }
    }
    refs
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("dir entry").path();
        if p.is_dir() {
            sources(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let rel = p.strip_prefix(root).expect("under src");
            out.push((
                module_of(rel),
                std::fs::read_to_string(&p).expect("read source"),
            ));
        }
    }
}

#[test]
fn modules_depend_only_on_lower_layers() {
    let layer: HashMap<&str, usize> = LAYERS
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.iter().map(move |m| (*m, i)))
        .collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let mut errors = Vec::new();
    for (module, src) in &files {
        let Some(&own) = layer.get(module.as_str()) else {
            errors.push(format!("`{module}` is not placed in LAYERS"));
            continue;
        };
        for r in crate_refs(src) {
            if r == *module {
                continue;
            }
            match layer.get(r.as_str()) {
                Some(&l) if l < own => {}
                Some(_) => errors.push(format!("`{module}` uses `{r}`, which is not below it")),
                // `crate::Name` of an item the root re-exports: a use of `lib`.
                None => errors.push(format!(
                    "`{module}` uses `crate::{r}` (a root re-export); name its module"
                )),
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
