//! `weft wit`.

use std::path::PathBuf;

use anyhow::{Context, Result};

/// Arguments of `weft wit`.
#[derive(clap::Args)]
pub struct Args {
    /// The component (`.wasm`, or `.wat` text).
    input: PathBuf,
}

/// Runs `weft wit`.
pub fn run(args: &Args) -> Result<()> {
    let bytes = crate::read_component(&args.input)?;
    // Validate first so invalid input gets the validator's message.
    weft_core::validate(&bytes)
        .with_context(|| format!("failed to read `{}`", args.input.display()))?;
    let text = weft_core::wit_text(&bytes)
        .with_context(|| format!("failed to print the WIT of `{}`", args.input.display()))?;
    print!("{text}");
    Ok(())
}
