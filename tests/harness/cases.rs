//! Runtime cases: each `tests/cases/<name>.wat` is transpiled (ESM and instantiation
//! mode, native and jco value shapes) and `tests/cases/<name>.test.mjs` runs against
//! the output in node, with `WEFT_OUT` naming the output directory. The test file
//! imports `${WEFT_OUT}/esm/<name>.js` or calls `instantiate` from
//! `${WEFT_OUT}/inst/<name>.js`; `${WEFT_OUT}/jco/<name>.js` has jco shapes. An
//! optional `tests/cases/<name>.options` adds transpile options, one `key=value` per
//! line: `async-imports=PATTERN`, `async-exports=PATTERN`. Every test runs a second
//! time against the same outputs printed with `--minify` (`${WEFT_OUT}` is then
//! `<out>/min`).

use weft_tests::{files_with_ext, node_test, nodes, out_dir, read_component, root, transpile};

#[test]
fn cases() {
    let dir = root().join("tests/cases");
    let mut failures = Vec::new();
    let mut ran = 0;
    for wat in files_with_ext(&dir, "wat") {
        let name = wat.file_stem().unwrap().to_str().unwrap().to_string();
        let test = dir.join(format!("{name}.test.mjs"));
        if !test.exists() {
            failures.push(format!("{name}: missing {name}.test.mjs"));
            continue;
        }
        let out = out_dir(&format!("cases/{name}"));
        let bytes = match read_component(&wat) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{name}: {e:#}"));
                continue;
            }
        };
        let mut extra = weft_js::Options::default();
        let options = dir.join(format!("{name}.options"));
        if let Ok(text) = std::fs::read_to_string(&options) {
            for line in text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                match line.split_once('=') {
                    Some(("async-imports", v)) => extra.async_imports.push(v.to_string()),
                    Some(("async-exports", v)) => extra.async_exports.push(v.to_string()),
                    _ => failures.push(format!("{name}.options: unknown line `{line}`")),
                }
            }
        }
        let modes = [
            ("esm", false, weft_js::Compat::Native),
            ("inst", true, weft_js::Compat::Native),
            ("jco", false, weft_js::Compat::Jco),
        ];
        // The same files again with `--minify` under `min/`: the test runs on both.
        let mut ok = true;
        for minify in [false, true] {
            for (sub, instantiation, compat) in modes {
                let d = if minify {
                    out.join("min").join(sub)
                } else {
                    out.join(sub)
                };
                std::fs::create_dir_all(&d).unwrap();
                let opts = weft_js::Options {
                    name: name.clone(),
                    instantiation,
                    compat,
                    async_imports: extra.async_imports.clone(),
                    async_exports: extra.async_exports.clone(),
                    minify,
                    ..weft_js::Options::default()
                };
                if let Err(e) = transpile(&bytes, &d, &opts) {
                    failures.push(format!("{name} ({sub}, minify {minify}): {e:#}"));
                    ok = false;
                }
            }
        }
        if !ok {
            continue;
        }
        for node in nodes() {
            for dir in [out.clone(), out.join("min")] {
                ran += 1;
                if let Err(e) = node_test(&node, &test, &dir) {
                    failures.push(format!("{name} ({}): {e:#}", dir.display()));
                }
            }
        }
    }
    assert!(ran > 0, "no runtime cases ran");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
