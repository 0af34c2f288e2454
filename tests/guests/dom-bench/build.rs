//! Generates wit/deps/web/web.wit, the DOM WIT this guest imports, with `weft webidl`
//! over @webref/idl (bench/dom/gen-wit.sh): it is derived from the platform's IDL at
//! build time, not committed.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let script = manifest.join("../../../bench/dom/gen-wit.sh");
    let out = manifest.join("wit/deps/web");
    println!("cargo:rerun-if-changed={}", script.display());
    println!("cargo:rerun-if-changed={}", out.join("web.wit").display());
    println!("cargo:rerun-if-env-changed=WEFT");
    let status = Command::new("bash")
        .arg(&script)
        .arg(&out)
        .status()
        .expect("running bench/dom/gen-wit.sh");
    assert!(status.success(), "bench/dom/gen-wit.sh failed");
}
