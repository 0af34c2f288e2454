//! A command whose work goes on after `run` returned (see `program.rs`, which
//! post-return-wasip3-07 builds with an older wasip3).
mod program;

/// Runs `f` as a task of its own within the current component-model task.
fn spawn(f: impl Future<Output = ()> + 'static) {
    drop(wasip3::spawn_local(f)); // detaches it
}
