//! Runtime cases, one trial per `tests/cases/<name>.wat` (`cargo test --test cases --
//! <name>`): the component is transpiled in ESM and instantiation mode, each with native
//! and with jco shapes, and `tests/cases/<name>.test.mjs` runs against the output in
//! node with `WEFT_OUT` naming the output directory. The test file imports
//! `${WEFT_OUT}/esm/<name>.js` or calls `instantiate` from `${WEFT_OUT}/inst/<name>.js`;
//! `${WEFT_OUT}/jco/<name>.js` and `${WEFT_OUT}/jco-inst/<name>.js` have jco shapes (and
//! jco's import surface). Every test
//! runs a second time against the same outputs printed with `--minify` (`${WEFT_OUT}` is
//! then `<out>/min`), and each of the two on node 20 and node 24 (when installed); a
//! failure names its variant, as in `tests/cases/x.wat [node24, minified]`. Output:
//! `target/test-out/cases/<name>`.
//!
//! Transpile options go in the header of the `.wat` (its leading comment lines), as
//! `;; weft:` lines with the CLI's flags, for example
//!
//! ```wat
//! ;; weft: --async-imports wait --async-exports run
//! ```
//!
//! Known: `--async-imports PATTERN`, `--async-exports PATTERN` and `--map FROM=TO`, each
//! repeatable, `--tla-compat` (for the ESM variants only) and `--record`. An unknown
//! option, a
//! missing value or a `;; weft:` line below the header fails the trial with the file and
//! line (`weft_tests::header_options`). The harness itself sets `--instantiation`,
//! `--compat` and `--minify` per variant.
//!
//! Expected failures, if ever needed, are listed by trial name in
//! `tests/cases-expected-failures.txt` (see `weft_tests::trials`).

use std::path::Path;

use anyhow::{Context, Result, bail};
use weft_tests::trials::Harness;
use weft_tests::{
    header_options, node_test, nodes, out_dir, read_component, root, shown, transpile,
};

fn main() {
    let mut harness = Harness::new("cases");
    harness.add_files(&root().join("tests/cases"), "wat", run_case);
    harness.run();
}

fn run_case(name: &str, wat: &Path) -> Result<()> {
    let file = shown(wat);
    let test = wat.with_file_name(format!("{name}.test.mjs"));
    if !test.exists() {
        bail!("{file}: missing {}", shown(&test));
    }
    let header = header_options(wat)?;
    let bytes = read_component(wat).with_context(|| format!("{file}: parsing"))?;
    let out = out_dir(&format!("cases/{name}"));
    // `--record`'s header (the same for every variant).
    let wit = weft_core::wit_info(&bytes).ok();
    let record = header
        .record
        .as_ref()
        .map(|_| weft_js::record_header(&bytes, wit.as_ref()));
    let modes = [
        ("esm", false, weft_js::Compat::Native),
        ("inst", true, weft_js::Compat::Native),
        ("jco", false, weft_js::Compat::Jco),
        ("jco-inst", true, weft_js::Compat::Jco),
    ];
    // The same files again with `--minify` under `min/`: the test runs on both.
    let variants = [(out.clone(), false), (out.join("min"), true)];
    let mut failures = Vec::new();
    for (dir, minify) in &variants {
        for (sub, instantiation, compat) in modes {
            let d = dir.join(sub);
            std::fs::create_dir_all(&d)?;
            let opts = weft_js::Options {
                name: name.to_string(),
                instantiation,
                compat,
                minify: *minify,
                tla_compat: header.tla_compat && !instantiation,
                record: record.clone(),
                ..header.clone()
            };
            if let Err(e) = transpile(&bytes, &d, &opts) {
                failures.push(format!("{file} [{sub}{}]: {e:#}", minified(*minify)));
            }
        }
    }
    if failures.is_empty() {
        for node in nodes() {
            for (dir, minify) in &variants {
                if let Err(e) = node_test(&node.path, &test, dir) {
                    failures.push(format!(
                        "{file} [{}{}]: {e:#}",
                        node.name,
                        minified(*minify)
                    ));
                }
            }
        }
    }
    if !failures.is_empty() {
        bail!("{}", failures.join("\n\n"));
    }
    Ok(())
}

fn minified(minify: bool) -> &'static str {
    if minify { ", minified" } else { "" }
}
