//! Transpile-only smoke test: a dummy component (core module with the right imports
//! and exports, bodies `unreachable`) is built in-process for every world of every WIT
//! file in wit-bindgen's codegen corpus (`wit-bindgen-cli` 0.63.0, `tests/codegen`);
//! each must transpile and pass `node --check`, except the cases listed with a reason
//! in `tests/smoke-expected-failures.txt`, which must fail.

use std::path::Path;

use anyhow::Result;
use weft_tests::{corpus_dir, node_check, out_dir, transpile};
use wit_component::{ComponentEncoder, StringEncoding, dummy_module, embed_component_metadata};
use wit_parser::{LiftLowerAbi, ManglingAndAbi, Resolve};

fn dummy_components(path: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut resolve = Resolve {
        all_features: true,
        ..Resolve::default()
    };
    // Packages with dependencies keep their WIT in `<dir>/wit` (with `deps/`).
    let wit = path.join("wit");
    let path = if wit.is_dir() { wit.as_path() } else { path };
    let (pkg, _) = resolve.push_path(path)?;
    let mut out = Vec::new();
    for (name, world) in resolve.packages[pkg].worlds.clone() {
        let mut module = dummy_module(&resolve, world, ManglingAndAbi::Legacy(LiftLowerAbi::Sync));
        embed_component_metadata(&mut module, &resolve, world, StringEncoding::UTF8, false)?;
        let component = ComponentEncoder::default()
            .module(&module)?
            .validate(true)
            .encode()?;
        out.push((name, component));
    }
    Ok(out)
}

#[test]
fn codegen_corpus() {
    let dir = corpus_dir("wit-bindgen-cli-0.63.0")
        .unwrap()
        .join("tests/codegen");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let out = out_dir("smoke");
    let (mut ok, mut failures) = (0, Vec::new());
    for entry in entries {
        let stem = entry.file_stem().unwrap().to_str().unwrap().to_string();
        let components = match dummy_components(&entry) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!(
                    "{stem}: building the dummy component failed: {e:#}"
                ));
                continue;
            }
        };
        for (world, bytes) in components {
            let name = format!("{stem}-{world}")
                .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-");
            let opts = weft_js::Options {
                name: name.clone(),
                ..weft_js::Options::default()
            };
            let result = transpile(&bytes, &out, &opts)
                .and_then(|_| node_check(&out.join(format!("{name}.js"))));
            match result {
                Ok(()) => ok += 1,
                Err(e) => failures.push(format!("{name}: {e:#}")),
            }
        }
    }
    eprintln!("codegen corpus: {ok} transpiled, {} failed", failures.len());
    let expected: Vec<String> =
        std::fs::read_to_string(weft_tests::root().join("tests/smoke-expected-failures.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split_whitespace().next().unwrap().to_string())
            .collect();
    let failed: Vec<&str> = failures
        .iter()
        .map(|f| f.split(':').next().unwrap())
        .collect();
    let unexpected: Vec<&String> = failures
        .iter()
        .filter(|f| !expected.iter().any(|e| f.starts_with(&format!("{e}:"))))
        .collect();
    let now_passing: Vec<&String> = expected
        .iter()
        .filter(|e| !failed.contains(&e.as_str()))
        .collect();
    assert!(
        unexpected.is_empty() && now_passing.is_empty(),
        "unexpected failures:\n{}\n\nlisted as failing but passing (remove them from the list): {now_passing:?}",
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
}
