//! `weft wit`, and reading WIT text (for `weft wit` and `weft types`).

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use wit_parser::{PackageId, Resolve};

/// Arguments of `weft wit`.
#[derive(clap::Args)]
pub struct Args {
    /// The component (`.wasm`, or `.wat` text), or WIT: a `.wit` file or a directory
    /// holding a package (its `deps/` resolved), printed as one resolved package.
    input: PathBuf,
}

/// Runs `weft wit`.
pub fn run(args: &Args) -> Result<()> {
    if crate::is_wit(&args.input) {
        let wit = load(&args.input)?;
        print!("{}", wit.print()?);
        return Ok(());
    }
    let bytes = crate::read_component(&args.input)?;
    // Validate first so invalid input gets the validator's message.
    weft_core::validate(&bytes)
        .with_context(|| format!("failed to read `{}`", args.input.display()))?;
    let text = weft_core::wit_text(&bytes)
        .with_context(|| format!("failed to print the WIT of `{}`", args.input.display()))?;
    print!("{text}");
    Ok(())
}

/// A WIT package read from text, with the packages it depends on.
pub struct WitPackage {
    pub resolve: Resolve,
    /// The package `path` holds (not one of its `deps/`).
    pub package: PackageId,
    /// The path it was read from, for messages.
    path: PathBuf,
}

/// Runs `f`, turning a panic in it into an error (wit-parser and wit-component are
/// third-party code; bad input must be an error, never a crash).
fn unpanicked<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result.unwrap_or_else(|_| bail!("wit-parser panicked on this input"))
}

/// Reads the WIT package at `path`: a `.wit` file, or a directory of `.wit` files with
/// an optional `deps/` of the packages it uses (wit-parser's `Resolve::push_path`).
pub fn load(path: &Path) -> Result<WitPackage> {
    let shown = path.display();
    if !path.exists() {
        bail!("failed to read `{shown}`: no such file or directory");
    }
    let (resolve, package) = unpanicked(|| {
        let mut resolve = Resolve::default();
        match resolve.push_path(path) {
            Ok((package, _)) => Ok((resolve, package)),
            // With the file, line, column and the line of WIT it is about.
            Err(e) => Err(anyhow::anyhow!(resolve.render_error(&e))),
        }
    })
    .with_context(|| format!("failed to read the WIT in `{shown}`"))?;
    Ok(WitPackage {
        resolve,
        package,
        path: path.to_path_buf(),
    })
}

impl WitPackage {
    /// The package as WIT text (wit-component's printer).
    pub fn print(&self) -> Result<String> {
        unpanicked(|| {
            let mut printer = wit_component::WitPrinter::default();
            printer.print(&self.resolve, self.package, &[])?;
            Ok(printer.output.to_string())
        })
        .with_context(|| format!("failed to print the WIT of `{}`", self.path.display()))
    }

    /// The world named `world` (`name` or `ns:pkg/name`), or the package's only world.
    pub fn world(&self, world: Option<&str>) -> Result<wit_parser::WorldId> {
        let shown = self.path.display();
        let worlds = &self.resolve.packages[self.package].worlds;
        if world.is_none() && worlds.len() != 1 {
            let names: Vec<String> = worlds.keys().map(|w| format!("`{w}`")).collect();
            match names.len() {
                0 => bail!("`{shown}` declares no world; `weft types` declares a world's types"),
                _ => bail!(
                    "`{shown}` declares several worlds ({}); choose one with `--world NAME`",
                    names.join(", ")
                ),
            }
        }
        self.resolve
            .select_world(&[self.package], world)
            .with_context(|| match world {
                Some(w) => format!("no world `{w}` in `{shown}`"),
                None => format!("cannot choose a world in `{shown}`"),
            })
    }
}
