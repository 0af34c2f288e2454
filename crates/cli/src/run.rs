//! `weft run`: transpiles a `wasi:cli/run` component into a cache directory and runs it
//! in node with the WASI shims (`npm/wasi`, embedded at build time) and the real
//! terminal, args, env and cwd. The exit code is the program's.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

include!(concat!(env!("OUT_DIR"), "/wasi_files.rs"));

/// The runner script (a real JS file next to the crate, embedded).
const RUNNER: &str = include_str!("../js/run.mjs");

/// Arguments of `weft run`.
#[derive(clap::Args)]
pub struct Args {
    /// The command component (`.wasm`, or `.wat` text).
    input: PathBuf,
    /// Arguments for the program.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// Runs `weft run`; returns the program's exit code.
pub fn run(args: &Args) -> Result<ExitCode> {
    let bytes = crate::read_component(&args.input)?;
    let dir = prepare(&bytes, &args.input)?;
    let node = std::env::var_os("WEFT_NODE").unwrap_or_else(|| "node".into());
    let name = args
        .input
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("component")
        .to_string();
    let status = std::process::Command::new(&node)
        .arg(dir.join("run.mjs"))
        .arg(&dir)
        .arg(name)
        .args(&args.args)
        .status()
        .with_context(|| {
            format!(
                "failed to start node (`{}`); install node or set WEFT_NODE",
                node.to_string_lossy()
            )
        })?;
    let code = status.code().unwrap_or(1);
    Ok(ExitCode::from(u8::try_from(code & 0xff).unwrap_or(1)))
}

/// Transpiles into `$WEFT_CACHE/run/<hash>` (once per component and weft version)
/// with the runner and the shims next to it.
fn prepare(bytes: &[u8], input: &Path) -> Result<PathBuf> {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    env!("CARGO_PKG_VERSION").hash(&mut h);
    RUNNER.hash(&mut h);
    WASI_FILES.hash(&mut h);
    let cache = match std::env::var_os("WEFT_CACHE") {
        Some(c) => PathBuf::from(c),
        None => {
            let home = std::env::var_os("HOME").context("HOME is not set; set WEFT_CACHE")?;
            PathBuf::from(home).join(".cache/weft")
        }
    };
    let dir = cache.join("run").join(format!("{:016x}", h.finish()));
    if dir.join("ok").exists() {
        return Ok(dir);
    }
    let shown = input.display();
    let plan = weft_core::plan(bytes).with_context(|| format!("failed to transpile `{shown}`"))?;
    let wit = weft_core::wit_info(bytes).ok();
    let opts = weft_js::Options {
        name: "component".into(),
        instantiation: true,
        typescript: false,
        ..weft_js::Options::default()
    };
    let out = weft_js::generate(&plan, wit.as_ref(), &opts)
        .with_context(|| format!("failed to transpile `{shown}`"))?;
    let write = |path: PathBuf, contents: &[u8]| -> Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("failed to create `{}`", parent.display()))?;
        }
        std::fs::write(&path, contents)
            .with_context(|| format!("failed to write `{}`", path.display()))
    };
    for (file, contents) in &out.files {
        write(dir.join(file), contents)?;
    }
    for (rel, src) in WASI_FILES {
        write(dir.join("wasi").join(rel), src.as_bytes())?;
    }
    write(dir.join("run.mjs"), RUNNER.as_bytes())?;
    write(dir.join("package.json"), br#"{ "type": "module" }"#)?;
    write(dir.join("ok"), b"")?;
    Ok(dir)
}
