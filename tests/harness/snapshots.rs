//! Snapshot tests: each `tests/snapshots/<name>.wat` is transpiled and the output is
//! compared with `tests/snapshots/<name>.js` and `<name>.d.ts`. Run with `BLESS=1` to
//! rewrite the expected files.

use weft_tests::{files_with_ext, out_dir, read_component, root, transpile};

#[test]
fn snapshots() {
    let dir = root().join("tests/snapshots");
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let wats = files_with_ext(&dir, "wat");
    assert!(!wats.is_empty(), "no snapshot cases");
    for wat in wats {
        let name = wat.file_stem().unwrap().to_str().unwrap().to_string();
        let out = out_dir(&format!("snapshots/{name}"));
        let bytes = read_component(&wat).unwrap();
        let opts = weft_js::Options {
            name: name.clone(),
            ..weft_js::Options::default()
        };
        transpile(&bytes, &out, &opts).unwrap();
        for ext in ["js", "d.ts"] {
            let actual = std::fs::read_to_string(out.join(format!("{name}.{ext}"))).unwrap();
            let expected_path = dir.join(format!("{name}.{ext}"));
            if bless {
                std::fs::write(&expected_path, &actual).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if expected != actual {
                failures.push(format!(
                    "{} differs (run with BLESS=1 to update); actual output in {}",
                    expected_path.display(),
                    out.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
