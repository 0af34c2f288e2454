//! Snapshot tests, one trial per `tests/snapshots/<name>.wat` (`cargo test --test
//! snapshots -- <name>`): the component is transpiled (ESM mode, plus the options of
//! `;; weft:` header lines as in the runtime cases, see `weft_tests::header_options`)
//! into `target/test-out/snapshots/<name>`, and the output is compared with
//! `tests/snapshots/<name>.js` and `<name>.d.ts`. Run with `BLESS=1` to rewrite the
//! expected files.

use std::path::Path;

use anyhow::{Context, Result, bail};
use weft_tests::trials::Harness;
use weft_tests::{header_options, out_dir, read_component, root, shown, transpile};

fn main() {
    let mut harness = Harness::new("snapshots");
    harness.add_files(&root().join("tests/snapshots"), "wat", check_snapshot);
    harness.run();
}

fn check_snapshot(name: &str, wat: &Path) -> Result<()> {
    let bless = std::env::var_os("BLESS").is_some();
    let out = out_dir(&format!("snapshots/{name}"));
    let bytes = read_component(wat).with_context(|| format!("{}: parsing", shown(wat)))?;
    let opts = weft_js::Options {
        name: name.to_string(),
        ..header_options(wat)?
    };
    transpile(&bytes, &out, &opts).with_context(|| format!("{}: transpiling", shown(wat)))?;
    let mut failures = Vec::new();
    for ext in ["js", "d.ts"] {
        let actual_path = out.join(format!("{name}.{ext}"));
        let actual = std::fs::read_to_string(&actual_path)
            .with_context(|| format!("reading {}", shown(&actual_path)))?;
        let expected_path = wat.with_file_name(format!("{name}.{ext}"));
        if bless {
            std::fs::write(&expected_path, &actual)?;
            continue;
        }
        let Ok(expected) = std::fs::read_to_string(&expected_path) else {
            failures.push(format!(
                "{} is missing (run with BLESS=1 to write it)",
                shown(&expected_path)
            ));
            continue;
        };
        if let Some(difference) = first_difference(&expected, &actual) {
            failures.push(format!(
                "{} differs from {} (run with BLESS=1 to update): {difference}",
                shown(&expected_path),
                shown(&actual_path),
            ));
        }
    }
    if !failures.is_empty() {
        bail!("{}", failures.join("\n"));
    }
    Ok(())
}

/// Where `actual` first differs from `expected`, by line; `None` when they are equal.
fn first_difference(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let (mut e, mut a) = (expected.lines(), actual.lines());
    for line in 1.. {
        match (e.next(), a.next()) {
            (Some(x), Some(y)) if x == y => {}
            (None, None) => break,
            (x, y) => {
                let show =
                    |l: Option<&str>| l.map_or("(end of file)".to_string(), |l| format!("`{l}`"));
                return Some(format!(
                    "line {line}: expected {}, got {}",
                    show(x),
                    show(y)
                ));
            }
        }
    }
    Some("line endings differ".to_string())
}
