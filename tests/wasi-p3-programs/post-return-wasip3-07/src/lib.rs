//! post-return's program (`../../post-return/src/program.rs`) built with wasip3 0.7.1
//! and wit-bindgen 0.57.1 (see Cargo.toml).
#[path = "../../post-return/src/program.rs"]
mod program;

/// Runs `f` as a task of its own within the current component-model task.
fn spawn(f: impl Future<Output = ()> + 'static) {
    wasip3::spawn(f);
}
