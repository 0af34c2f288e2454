//! Rust guest components, one trial per `tests/guests/<name>` that has a `test.mjs`
//! (`cargo test --test guests -- --exact <name>`): `target/guests/<name>.wasm`, built by
//! `scripts/build-guests`, is transpiled in instantiation mode into
//! `target/test-out/guests/<name>`, and the test runs in node 20 and node 24 (when
//! installed) with `WEFT_OUT` naming that directory; a failure names the node. The same
//! test runs again on the guest transpiled with `--record` (`<name>/recorded`):
//! recording every call must not change what a component does.

use std::path::Path;

use anyhow::{Context, Result, bail};
use weft_tests::trials::Harness;
use weft_tests::{node_test, nodes, out_dir, root, shown, sorted_entries, transpile};

fn main() {
    let mut harness = Harness::new("guests");
    let guests: Vec<_> = sorted_entries(&root().join("tests/guests"))
        .into_iter()
        .filter(|dir| dir.join("test.mjs").exists())
        .collect();
    assert!(!guests.is_empty(), "no tests/guests/*/test.mjs");
    for dir in guests {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        harness.add(name.clone(), move || {
            run_guest(&name, &dir.join("test.mjs"))
        });
    }
    harness.run();
}

fn run_guest(name: &str, test: &Path) -> Result<()> {
    let wasm = root().join("target/guests").join(format!("{name}.wasm"));
    let bytes = std::fs::read(&wasm)
        .with_context(|| format!("reading {}; run scripts/build-guests", shown(&wasm)))?;
    let out = out_dir(&format!("guests/{name}"));
    // A guest of Web APIs binds them against the IDL beside it (`idl/*.idl`).
    let idl = test.parent().map(|d| d.join("idl"));
    let webidl = match idl.filter(|d| d.is_dir()) {
        Some(dir) => {
            let mut files = Vec::new();
            for f in sorted_entries(&dir) {
                files.push((shown(&f), std::fs::read_to_string(&f)?));
            }
            let platform = weft_webidl::platform::Platform::from_files(&files)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            Some(std::sync::Arc::new(platform))
        }
        None => None,
    };
    let opts = weft_js::Options {
        name: name.to_string(),
        instantiation: true,
        webidl,
        ..weft_js::Options::default()
    };
    transpile(&bytes, &out, &opts).with_context(|| format!("{}: transpiling", shown(&wasm)))?;
    let recorded = out.join("recorded");
    std::fs::create_dir_all(&recorded)?;
    let wit = weft_core::wit_info(&bytes).ok();
    let record = Some(weft_js::record_header(&bytes, wit.as_ref()));
    transpile(&bytes, &recorded, &weft_js::Options { record, ..opts })
        .with_context(|| format!("{}: transpiling with --record", shown(&wasm)))?;
    let mut failures = Vec::new();
    for node in nodes() {
        for (dir, variant) in [(&out, ""), (&recorded, ", recorded")] {
            if let Err(e) = node_test(&node.path, test, dir) {
                failures.push(format!("{} [{}{variant}]: {e:#}", shown(test), node.name));
            }
        }
    }
    if !failures.is_empty() {
        bail!("{}", failures.join("\n\n"));
    }
    Ok(())
}
