//! Rust guest components (`tests/guests/<name>`, built by `scripts/build-guests` into
//! `target/guests/<name>.wasm`): each is transpiled in instantiation mode and its
//! `test.mjs` runs in node with `WEFT_OUT` naming the output directory.

use weft_tests::{node_test, nodes, out_dir, root, transpile};

#[test]
fn guests() {
    let built = root().join("target/guests");
    let src = root().join("tests/guests");
    let mut failures = Vec::new();
    let mut ran = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let test = dir.join("test.mjs");
        if !test.exists() {
            continue;
        }
        let name = dir.file_name().unwrap().to_str().unwrap().to_string();
        let wasm = built.join(format!("{name}.wasm"));
        let bytes = std::fs::read(&wasm)
            .unwrap_or_else(|e| panic!("{}: {e}; run scripts/build-guests", wasm.display()));
        let out = out_dir(&format!("guests/{name}"));
        let opts = weft_js::Options {
            name: name.clone(),
            instantiation: true,
            ..weft_js::Options::default()
        };
        if let Err(e) = transpile(&bytes, &out, &opts) {
            failures.push(format!("{name}: {e:#}"));
            continue;
        }
        for node in nodes() {
            ran += 1;
            if let Err(e) = node_test(&node, &test, &out) {
                failures.push(format!("{name}: {e:#}"));
            }
        }
    }
    assert!(ran > 0, "no guest tests ran");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
