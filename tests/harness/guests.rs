//! Rust guest components, one trial per `tests/guests/<name>` that has a `test.mjs`
//! (`cargo test --test guests -- --exact <name>`): `target/guests/<name>.wasm`, built by
//! `scripts/build-guests`, is transpiled in instantiation mode into
//! `target/test-out/guests/<name>`, and the test runs in node 20 and node 24 (when
//! installed) with `WEFT_OUT` naming that directory; a failure names the node. The same
//! test runs again on the guest transpiled with `--record` (`<name>/recorded`):
//! recording every call must not change what a component does. And again on the guest
//! transpiled with `--lowered` (`<name>/lowered`, its core instances linked into one
//! module) on the nodes with multi-memory; on a node without it, that output must fail
//! with the message that says so (`needMultiMemory`) whenever the linked module has
//! several memories.

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
    let lowered = out.join("lowered");
    std::fs::create_dir_all(&lowered)?;
    let lowered_opts = weft_js::Options {
        lowered: true,
        ..opts.clone()
    };
    transpile(&bytes, &lowered, &lowered_opts)
        .with_context(|| format!("{}: transpiling with --lowered", shown(&wasm)))?;
    transpile(&bytes, &recorded, &weft_js::Options { record, ..opts })
        .with_context(|| format!("{}: transpiling with --record", shown(&wasm)))?;
    let mut failures = Vec::new();
    for node in nodes() {
        let mut dirs = vec![(&out, ""), (&recorded, ", recorded")];
        if node.multi_memory() {
            dirs.push((&lowered, ", lowered"));
        } else if let Err(e) = refuses_multi_memory(&node, &lowered, name) {
            failures.push(format!("{} [{}, lowered]: {e:#}", shown(test), node.name));
        }
        for (dir, variant) in dirs {
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

/// On a node without multi-memory, the `--lowered` output of a guest whose linked
/// module has several memories fails to instantiate with the message naming
/// multi-memory (or, first, memory64 when it also needs that), before compiling
/// anything.
fn refuses_multi_memory(node: &weft_tests::Node, dir: &Path, name: &str) -> Result<()> {
    let js = std::fs::read_to_string(dir.join(format!("{name}.js")))?;
    if !js.contains("needMultiMemory()") {
        return Ok(());
    }
    let script = format!(
        "import({:?}).then((m) => m.instantiate(() => {{ throw new Error('compiled a core module'); }}, {{}})).then(() => process.exit(3), (e) => {{ console.log(String(e)); process.exit(/needs multi-memory|uses 64-bit memories/.test(e.message) && e instanceof WebAssembly.CompileError ? 0 : 4); }})",
        url(&dir.join(format!("{name}.js")))
    );
    let out = std::process::Command::new(&node.path)
        .args(["--input-type=module", "-e", &script])
        .output()?;
    if !out.status.success() {
        bail!(
            "expected the multi-memory CompileError, got: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

fn url(p: &Path) -> String {
    format!("file://{}", p.display())
}
