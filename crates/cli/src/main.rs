//! The `weft` command line: `weft transpile`, `weft run`, `weft serve` and `weft wit`.
//!
//! Exit codes: 0 success, 1 bad input (invalid or unsupported component, I/O error),
//! 2 usage error (clap's own code), 70 a bug in weft (`weft_core::error::Bug`).

mod run;
mod transpile;
mod wit;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Run WebAssembly components in any JS engine.
#[derive(Parser)]
#[command(name = "weft", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Transpile a component into core wasm modules and an ES module.
    Transpile(transpile::Args),
    /// Run a `wasi:cli/run` command component in node; exits with its exit code.
    Run(run::Args),
    /// Serve a `wasi:http/incoming-handler` component on loopback with node.
    Serve(run::ServeArgs),
    /// Print the WIT of a component.
    Wit(wit::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Transpile(args) => transpile::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Run(args) => run::run(&args),
        Command::Serve(args) => run::serve(&args),
        Command::Wit(args) => wit::run(&args).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", weft_core::error::report(&e));
            ExitCode::from(failure_code(&e))
        }
    }
}

/// The exit code of a failed run: 70 for a bug in weft, 1 for bad input.
fn failure_code(e: &anyhow::Error) -> u8 {
    if weft_core::error::is_bug(e) {
        weft_core::error::BUG_EXIT_CODE
    } else {
        1
    }
}

/// Reads a component from a file; `.wat` text is parsed first.
fn read_component(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    use anyhow::Context;
    let bytes =
        std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?;
    if path.extension().is_some_and(|e| e == "wat") {
        return wat::parse_bytes(&bytes)
            .map(std::borrow::Cow::into_owned)
            .with_context(|| format!("failed to parse `{}` as WAT", path.display()));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::failure_code;

    #[test]
    fn a_bug_exits_with_70_and_bad_input_with_1() {
        let bug: anyhow::Error = weft_core::error::Bug::new("an invariant").into();
        assert_eq!(failure_code(&bug.context("failed to transpile `x`")), 70);
        assert_eq!(failure_code(&anyhow::anyhow!("not a component")), 1);
    }
}
