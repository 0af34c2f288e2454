//! Embeds the WASI shim package (`npm/wasi/src`, through the symbolic link `wasi` beside
//! this file, so the published crate holds it) for `weft run`: every `.js` file under
//! it becomes an entry of `WASI_FILES` (path relative to `src/`, contents). Also
//! fingerprints the transpiler's sources (`crates/core`, `crates/js`, the JS runtime) as
//! `TRANSPILER_FINGERPRINT`, so `weft run`'s cache never serves output an earlier build
//! of the same version made.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let src = manifest.join("wasi");
    println!("cargo:rerun-if-changed={}", src.display());
    let mut files = Vec::new();
    collect(&src, &src, &mut files);
    files.sort();
    let mut out = String::from("/// The WASI shim sources, by path under `npm/wasi/src`.\n");
    out.push_str("pub const WASI_FILES: &[(&str, &str)] = &[\n");
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={}", abs.display());
        let _ = writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        );
    }
    out.push_str("];\n");
    let mut transpiler = Vec::new();
    for dir in ["../core/src", "../js/src", "../../src/runtime"] {
        let dir = manifest.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        collect_all(&dir, &mut transpiler);
    }
    transpiler.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for path in &transpiler {
        println!("cargo:rerun-if-changed={}", path.display());
        std::hash::Hash::hash(
            &std::fs::read(path).expect("read a transpiler source"),
            &mut h,
        );
    }
    let _ = writeln!(
        out,
        "/// A hash of the transpiler's sources at build time.\npub const TRANSPILER_FINGERPRINT: u64 = {};",
        std::hash::Hasher::finish(&h)
    );
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("wasi_files.rs");
    std::fs::write(dest, out).expect("write wasi_files.rs");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(root, &p, files);
        } else if p.extension().is_some_and(|x| x == "js") {
            let rel = p
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, p));
        }
    }
}

/// Every file below `dir`.
fn collect_all(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_all(&p, files);
        } else {
            files.push(p);
        }
    }
}
