//! `weft lower`.

use std::path::PathBuf;

use anyhow::{Context, Result};

/// Arguments of `weft lower`.
#[derive(clap::Args)]
pub struct Args {
    /// The component (`.wasm`, or `.wat` text).
    input: PathBuf,
    /// Output directory.
    #[arg(short, long)]
    out_dir: PathBuf,
    /// Base name of the output files (default: the input's file stem).
    #[arg(long)]
    name: Option<String>,
    /// Print nothing on success.
    #[arg(short, long)]
    quiet: bool,
}

/// Runs `weft lower`: writes `<name>.wasm`, `<name>.json` and `<name>.h`, and beside them
/// the core modules and the lowered components the component exports.
pub fn run(args: &Args) -> Result<()> {
    let bytes = crate::read_component(&args.input)?;
    let name = crate::transpile::output_name(&args.input, args.name.as_deref())?;
    let input = args.input.display();
    let plan = weft_core::plan(&bytes).with_context(|| format!("failed to lower `{input}`"))?;
    let lowered = weft_lower::lower_for_host(&plan, &name)
        .with_context(|| format!("failed to lower `{input}`"))?;
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("failed to create `{}`", args.out_dir.display()))?;
    let files = [
        (format!("{name}.wasm"), lowered.wasm.as_slice()),
        (format!("{name}.json"), lowered.json.as_bytes()),
        (format!("{name}.h"), lowered.header.as_bytes()),
    ];
    let beside = lowered
        .beside
        .iter()
        .map(|(f, b)| (f.clone(), b.as_slice()));
    for (file, contents) in files.into_iter().chain(beside) {
        let path = args.out_dir.join(file);
        std::fs::write(&path, contents)
            .with_context(|| format!("failed to write `{}`", path.display()))?;
        if !args.quiet {
            println!(
                "  {:>10}  {}",
                crate::transpile::human(contents.len()),
                path.display()
            );
        }
    }
    Ok(())
}
