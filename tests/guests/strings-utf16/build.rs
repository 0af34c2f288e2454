//! Has `wasm-component-ld` make the component from `wit/world.wit` with UTF-16 strings
//! (the crate has no wit-bindgen `component-type` section of its own).

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    println!("cargo::rerun-if-changed=wit/world.wit");
    println!("cargo::rustc-cdylib-link-arg=--component-type={dir}/wit/world.wit");
    println!("cargo::rustc-cdylib-link-arg=--string-encoding=utf16");
}
