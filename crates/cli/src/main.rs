//! The `weft` command line: `weft transpile`, `weft run`, `weft serve`, `weft wit` and
//! `weft types`.
//!
//! Exit codes (README.md, "Exit codes"): 0 success, 1 bad input (invalid or unsupported
//! component or WIT, I/O error), 2 usage error (clap's own code), 65 a valid component
//! that is not what the subcommand runs ([`NotRunnable`]: `weft run` on a component that
//! is not a command, `weft serve` on one that is not an http handler), 70 a bug in weft
//! (`weft_core::error::Bug`). `weft run` otherwise exits with the program's exit code.

mod lower;
mod run;
mod transpile;
mod types;
mod webidl;
mod wit;

use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
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
    /// Lower a component into one core module with a host ABI (`<name>.wasm`, `.json`,
    /// `.h`) that a core wasm runtime can serve (docs/lower.md).
    Lower(lower::Args),
    /// Run a `wasi:cli/run` command component in node; exits with its exit code.
    ///
    /// weft's options go before the component: every argument after it is the
    /// program's (`--help` included; a `--` right after the component is dropped).
    Run(run::Args),
    /// Serve a `wasi:http/incoming-handler` component on loopback with node.
    ///
    /// weft's options go before the component: arguments after it are the
    /// component's (`wasi:cli/environment`'s `get-arguments`).
    Serve(run::ServeArgs),
    /// Replay a trace (`--record`'s, or written by hand) against a component in node:
    /// the trace answers its imports; exits 1 where the run first differs from it.
    Replay(run::ReplayArgs),
    /// Print the WIT of a component, or of a WIT package (`.wit` file or directory).
    Wit(wit::Args),
    /// Write TypeScript declarations for a world, from WIT or a component.
    Types(types::Args),
    /// Write WIT for Web APIs from WebIDL (files, or specs of `@webref/idl`).
    Webidl(webidl::Args),
}

/// The exit code of a valid component that is not what the subcommand runs
/// ([`NotRunnable`]): `EX_DATAERR` of sysexits.h, as 70 for a bug is `EX_SOFTWARE`.
pub const NOT_RUNNABLE_EXIT_CODE: u8 = 65;

/// A valid component that is not what the subcommand runs: `weft run` on a component
/// that exports no `wasi:cli/run`, `weft serve` on one that exports no http handler.
#[derive(Debug)]
pub struct NotRunnable(pub String);

impl std::fmt::Display for NotRunnable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotRunnable {}

/// How `instantiate` returns (`--instantiation[=MODE]`). The variants have no doc
/// comments: clap would print them in a long form of `--help` that differs from `-h`,
/// which `npx weft` (npm/transpiler/bin/weft.js) would then have to reproduce too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Instantiation {
    // `instantiate` returns a promise; `getCoreModule` may return one.
    Async,
    // `instantiate` returns the exports; `getCoreModule` returns compiled modules.
    Sync,
}

fn main() -> ExitCode {
    let cli = Cli::parse_from(normalize_args(std::env::args_os().collect()));
    let result = match cli.command {
        Command::Transpile(args) => transpile::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Lower(args) => lower::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Run(args) => run::run(&args),
        Command::Serve(args) => run::serve(&args),
        Command::Replay(args) => run::replay(&args),
        Command::Wit(args) => wit::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Types(args) => types::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Webidl(args) => webidl::run(&args).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", weft_core::error::report(&e));
            ExitCode::from(failure_code(&e))
        }
    }
}

/// `--instantiation sync` and `--instantiation async` (jco's spelling) as
/// `--instantiation=MODE`, for `weft transpile` and `weft types`: the mode is optional,
/// so clap takes only the `=` form, and a bare `--instantiation` before the input keeps
/// meaning `async`.
fn normalize_args(mut args: Vec<OsString>) -> Vec<OsString> {
    if !matches!(
        args.get(1).and_then(|a| a.to_str()),
        Some("transpile" | "types")
    ) {
        return args;
    }
    let mut i = 2;
    while i + 1 < args.len() {
        if args[i] == "--" {
            break;
        }
        if args[i] == "--instantiation"
            && let Some(mode @ ("sync" | "async")) = args[i + 1].to_str()
        {
            args[i] = format!("--instantiation={mode}").into();
            args.remove(i + 1);
        }
        i += 1;
    }
    args
}

/// The exit code of a failed run: 70 for a bug in weft, 65 for a component that is not
/// what the subcommand runs, 1 for bad input.
fn failure_code(e: &anyhow::Error) -> u8 {
    if weft_core::error::is_bug(e) {
        weft_core::error::BUG_EXIT_CODE
    } else if e.chain().any(<dyn std::error::Error>::is::<NotRunnable>) {
        NOT_RUNNABLE_EXIT_CODE
    } else {
        1
    }
}

/// Prints each warning on stderr.
fn warn(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Whether `path` names WIT text: a `.wit` file or a directory (a WIT package).
fn is_wit(path: &Path) -> bool {
    path.is_dir() || path.extension().is_some_and(|e| e == "wit")
}

/// Reads a component from a file; `.wat` text is parsed first. WIT (a `.wit` file or a
/// directory) is refused with what to use instead.
fn read_component(path: &Path) -> anyhow::Result<Vec<u8>> {
    if is_wit(path) {
        bail!(
            "`{}` is WIT, not a component: this subcommand needs a component (`.wasm`, or \
             `.wat` text); `weft types {0} -o DIR` writes its TypeScript declarations and \
             `weft wit {0}` prints it",
            path.display()
        );
    }
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
    use super::{NotRunnable, failure_code, normalize_args};

    #[test]
    fn a_bug_exits_with_70_and_bad_input_with_1() {
        let bug: anyhow::Error = weft_core::error::Bug::new("an invariant").into();
        assert_eq!(failure_code(&bug.context("failed to transpile `x`")), 70);
        assert_eq!(failure_code(&anyhow::anyhow!("not a component")), 1);
        let not_runnable: anyhow::Error = NotRunnable("not a command".into()).into();
        assert_eq!(failure_code(&not_runnable.context("in `x`")), 65);
    }

    #[test]
    fn instantiation_modes_take_jco_spelling() {
        let norm = |args: &[&str]| -> Vec<String> {
            normalize_args(args.iter().map(std::ffi::OsString::from).collect())
                .into_iter()
                .map(|a| a.into_string().unwrap())
                .collect()
        };
        assert_eq!(
            norm(&["weft", "transpile", "--instantiation", "sync", "x.wasm"]),
            ["weft", "transpile", "--instantiation=sync", "x.wasm"]
        );
        assert_eq!(
            norm(&["weft", "transpile", "--instantiation", "x.wasm"]),
            ["weft", "transpile", "--instantiation", "x.wasm"]
        );
        assert_eq!(
            norm(&["weft", "run", "p.wasm", "--instantiation", "sync"]),
            ["weft", "run", "p.wasm", "--instantiation", "sync"]
        );
        assert_eq!(
            norm(&["weft", "types", "--", "--instantiation", "sync"]),
            ["weft", "types", "--", "--instantiation", "sync"]
        );
    }
}
