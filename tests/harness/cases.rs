//! Runtime cases, one trial per `tests/cases/<name>.wat` (`cargo test --test cases --
//! <name>`): the component is transpiled in ESM and instantiation mode, each with native
//! and with jco shapes, and `tests/cases/<name>.test.mjs` runs against the output in
//! node with `WEFT_OUT` naming the output directory. The test file imports
//! `${WEFT_OUT}/esm/<name>.js` or calls `instantiate` from `${WEFT_OUT}/inst/<name>.js`;
//! `${WEFT_OUT}/jco/<name>.js` and `${WEFT_OUT}/jco-inst/<name>.js` have jco shapes (and
//! jco's import surface). Every test
//! runs a second time against the same outputs printed with `--minify` (`${WEFT_OUT}` is
//! then `<out>/min`), and each of the two on node 20 and node 24 (when installed); a
//! failure names its variant, as in `tests/cases/x.wat [node24, minified]`. A third
//! time against the outputs transpiled with `--lowered` (`<out>/lowered`: the core
//! instances linked into one module), on the nodes with multi-memory (node 24). Output:
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
//! A component `--lowered` cannot link says so in its header, with the words the
//! refusal must contain:
//!
//! ```wat
//! ;; lowered: refused, a core module its host gives
//! ```
//!
//! and its `lowered` variant checks that each transpile fails so, instead of running.
//! A test whose assertions read the printed JS knows the lowered variant by its
//! directory (`lowered`).
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
    let refused = lowered_refusal(wat)?;
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
    // The same files again with `--minify` under `min/`, and with `--lowered` under
    // `lowered/`: the test runs on each.
    let variants = [
        Variant::new(out.clone(), false, false),
        Variant::new(out.join("min"), true, false),
        Variant::new(out.join("lowered"), false, true),
    ];
    let mut failures = Vec::new();
    for Variant {
        dir,
        minify,
        lowered,
    } in &variants
    {
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
                lowered: *lowered,
                ..header.clone()
            };
            let label = variants_label(*minify, *lowered);
            match (transpile(&bytes, &d, &opts), refused.as_deref().filter(|_| *lowered)) {
                (Err(e), None) => failures.push(format!("{file} [{sub}{label}]: {e:#}")),
                (Ok(_), Some(why)) => failures.push(format!(
                    "{file} [{sub}{label}]: transpiled, but the header says `--lowered` refuses it ({why})"
                )),
                (Err(e), Some(why)) if !format!("{e:#}").contains(why) => failures.push(format!(
                    "{file} [{sub}{label}]: refused, but not for the reason the header gives ({why}): {e:#}"
                )),
                _ => {}
            }
        }
    }
    if failures.is_empty() {
        for node in nodes() {
            let runs = |v: &&Variant| !v.lowered || (node.multi_memory() && refused.is_none());
            for v in variants.iter().filter(runs) {
                if let Err(e) = node_test(&node.path, &test, &v.dir) {
                    failures.push(format!(
                        "{file} [{}{}]: {e:#}",
                        node.name,
                        variants_label(v.minify, v.lowered)
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

/// One set of outputs the test runs on.
struct Variant {
    dir: std::path::PathBuf,
    minify: bool,
    lowered: bool,
}

impl Variant {
    fn new(dir: std::path::PathBuf, minify: bool, lowered: bool) -> Self {
        Variant {
            dir,
            minify,
            lowered,
        }
    }
}

fn variants_label(minify: bool, lowered: bool) -> &'static str {
    match (minify, lowered) {
        (true, _) => ", minified",
        (false, true) => ", lowered",
        (false, false) => "",
    }
}

/// The reason in a `;; lowered: refused, REASON` header line, if the case has one.
fn lowered_refusal(wat: &Path) -> Result<Option<String>> {
    let text = std::fs::read_to_string(wat)?;
    for line in text
        .lines()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with(";;"))
    {
        if let Some(rest) = line
            .trim_start()
            .trim_start_matches(';')
            .trim()
            .strip_prefix("lowered:")
        {
            let Some(why) = rest.trim().strip_prefix("refused, ") else {
                bail!(
                    "{}: expected `;; lowered: refused, REASON`, got `{}`",
                    shown(wat),
                    line.trim()
                );
            };
            return Ok(Some(why.trim().to_string()));
        }
    }
    Ok(None)
}
