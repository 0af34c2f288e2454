//! Transpile-only smoke test over wit-bindgen's codegen corpus (`wit-bindgen-cli`
//! 0.63.0, `tests/codegen`), one trial per world of every WIT file or package there,
//! named `<file stem>-<world>` (other characters than ASCII letters, digits and `-`
//! become `-`); a file whose WIT does not parse is one trial named after its stem. The
//! trial builds a dummy component in-process (a core module with the world's imports and
//! exports, bodies `unreachable`), writes it to `target/test-out/smoke/<trial>.wasm`
//! (to re-run by hand with `weft transpile`, and for `scripts/same-output`), transpiles
//! it into `target/test-out/smoke/<trial>/` and runs `node --check` on the JS. Each must
//! pass, except the trials listed by name with a reason in
//! `tests/smoke-expected-failures.txt`, which must fail (see `weft_tests::trials`).

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use weft_tests::trials::{Harness, file_stem};
use weft_tests::{corpus_dir, node_check, out_dir, root, sorted_entries, transpile};
use wit_component::{ComponentEncoder, StringEncoding, dummy_module, embed_component_metadata};
use wit_parser::{LiftLowerAbi, ManglingAndAbi, PackageId, Resolve, WorldId};

fn main() {
    let mut harness = Harness::new("smoke");
    let dir = corpus_dir("wit-bindgen-cli-0.63.0")
        .unwrap_or_else(|e| panic!("{e:#}"))
        .join("tests/codegen");
    let entries = sorted_entries(&dir);
    assert!(!entries.is_empty(), "nothing in {}", dir.display());
    for entry in entries {
        let stem = file_stem(&entry);
        match parse(&entry) {
            Ok((resolve, pkg)) => {
                let resolve = Arc::new(resolve);
                for (world_name, &world) in &resolve.packages[pkg].worlds {
                    let name = format!("{stem}-{world_name}")
                        .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-");
                    let resolve = Arc::clone(&resolve);
                    let what = format!("{} world `{world_name}`", entry.display());
                    harness.add(name.clone(), move || {
                        check_world(&name, &resolve, world).with_context(|| what)
                    });
                }
            }
            Err(e) => {
                let what = format!("{}: parsing the WIT", entry.display());
                harness.add(stem, move || Err(e.context(what)));
            }
        }
    }
    harness.run();
}

/// The WIT of a corpus entry: a file, or a directory (packages with dependencies keep
/// their WIT in `<dir>/wit`, with `deps/`).
fn parse(path: &Path) -> Result<(Resolve, PackageId)> {
    let mut resolve = Resolve {
        all_features: true,
        ..Resolve::default()
    };
    let wit = path.join("wit");
    let path = if wit.is_dir() { wit.as_path() } else { path };
    let (pkg, _) = resolve.push_path(path)?;
    Ok((resolve, pkg))
}

fn check_world(name: &str, resolve: &Resolve, world: WorldId) -> Result<()> {
    let mut module = dummy_module(resolve, world, ManglingAndAbi::Legacy(LiftLowerAbi::Sync));
    embed_component_metadata(&mut module, resolve, world, StringEncoding::UTF8, false)?;
    let component = ComponentEncoder::default()
        .module(&module)?
        .validate(true)
        .encode()
        .context("building the dummy component")?;
    let smoke = root().join("target/test-out/smoke");
    std::fs::create_dir_all(&smoke)?;
    std::fs::write(smoke.join(format!("{name}.wasm")), &component)?;
    let out = out_dir(&format!("smoke/{name}"));
    let opts = weft_js::Options {
        name: name.to_string(),
        ..weft_js::Options::default()
    };
    transpile(&component, &out, &opts)?;
    node_check(&out.join(format!("{name}.js")))
}
