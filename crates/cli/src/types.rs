//! `weft types`: TypeScript declarations for a world, from WIT text or a component.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use weft_js::{Compat, Side};

/// Arguments of `weft types`.
#[derive(clap::Args)]
pub struct Args {
    /// WIT (a `.wit` file, or a directory holding a package and its `deps/`) or a
    /// component (`.wasm`, or `.wat` text).
    input: PathBuf,
    /// Output directory.
    #[arg(short, long)]
    out_dir: PathBuf,
    /// Base name of the output file (default: the world's name for WIT, the input's
    /// file stem for a component).
    #[arg(long)]
    name: Option<String>,
    /// The world to declare (`name` or `ns:pkg/name`), when the WIT package has several.
    #[arg(short = 'n', long, value_name = "WORLD")]
    world: Option<String>,
    /// Declare the guest side: the modules a JS implementation of the world imports
    /// and what it exports (jco's `guest-types`), instead of the host side (the module
    /// `weft transpile` writes and what its host provides).
    #[arg(long)]
    guest: bool,
    /// Value shapes: `native` (CM Explainer JS API) or `jco` (jco 1.35).
    #[arg(long, default_value = "native")]
    compat: Compat,
    /// Declare `weft transpile --instantiation[=MODE]`'s module: `instantiate` with
    /// its `Imports` and `Exports` (`async` or `sync`).
    #[arg(long, value_name = "MODE", num_args = 0..=1, require_equals = true,
          default_missing_value = "async", conflicts_with = "guest")]
    instantiation: Option<crate::Instantiation>,
    /// Declare `weft transpile --tla-compat`'s module (its `$init` promise).
    #[arg(long, conflicts_with = "guest")]
    tla_compat: bool,
    /// As `weft transpile --map`: the keys of `Imports` in instantiation mode.
    #[arg(long, value_parser = crate::transpile::parse_map, conflicts_with = "guest")]
    map: Vec<(String, String)>,
    /// As `weft transpile --async-exports`: the matching exports return promises.
    #[arg(long, value_name = "PATTERN", conflicts_with = "guest")]
    async_exports: Vec<String>,
    /// Print nothing on success (warnings still go to stderr).
    #[arg(short, long)]
    quiet: bool,
}

/// Runs `weft types`.
pub fn run(args: &Args) -> Result<()> {
    let input = args.input.display();
    let opts = weft_js::Options {
        compat: args.compat,
        instantiation: args.instantiation.is_some(),
        sync_instantiation: args.instantiation == Some(crate::Instantiation::Sync),
        tla_compat: args.tla_compat,
        map: args.map.clone(),
        async_exports: args.async_exports.clone(),
        ..weft_js::Options::default()
    };
    let side = if args.guest { Side::Guest } else { Side::Host };
    let (decls, default_name) = if crate::is_wit(&args.input) {
        let wit = crate::wit::load(&args.input)?;
        let world = wit.world(args.world.as_deref())?;
        let decls = weft_js::types(&wit.resolve, world, &opts, side)
            .with_context(|| format!("failed to declare the types of `{input}`"))?;
        (decls, wit.resolve.worlds[world].name.clone())
    } else {
        if let Some(w) = &args.world {
            bail!(
                "`--world {w}` applies to WIT input; the component `{input}` has one world, its own"
            );
        }
        let bytes = crate::read_component(&args.input)?;
        weft_core::validate(&bytes).with_context(|| format!("failed to read `{input}`"))?;
        let wit = weft_core::wit_info(&bytes)
            .with_context(|| format!("failed to read the WIT of `{input}`"))?;
        let decls = weft_js::types(&wit.resolve, wit.world, &opts, side)
            .with_context(|| format!("failed to declare the types of `{input}`"))?;
        let stem = args
            .input
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        (decls, stem)
    };
    crate::warn(&decls.warnings);
    let name = args.name.clone().unwrap_or(default_name);
    if name.is_empty() || name.contains(['/', '\\']) {
        bail!("invalid output name `{name}`; pass --name");
    }
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("failed to create `{}`", args.out_dir.display()))?;
    let path = args.out_dir.join(format!("{name}.d.ts"));
    std::fs::write(&path, &decls.text)
        .with_context(|| format!("failed to write `{}`", path.display()))?;
    if !args.quiet {
        println!(
            "  {:>10}  {}",
            crate::transpile::human(decls.text.len()),
            path.display()
        );
    }
    Ok(())
}
