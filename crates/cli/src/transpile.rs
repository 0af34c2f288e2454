//! `weft transpile`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use weft_js::Compat;

/// Arguments of `weft transpile`.
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
    /// Emit `instantiate(getCoreModule, imports)` for many independent instances:
    /// `async` (the default) returns a promise, `sync` the exports (`getCoreModule` then
    /// returns compiled `WebAssembly.Module`s). `--instantiation sync` works too.
    #[arg(long, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "async")]
    instantiation: Option<crate::Instantiation>,
    /// Value shapes: `native` (CM Explainer JS API) or `jco` (jco 1.35).
    #[arg(long, default_value = "native")]
    compat: Compat,
    /// Inline core modules smaller than this many bytes as base64.
    #[arg(long, default_value_t = 4096)]
    base64_cutoff: usize,
    /// Rewrite an import specifier: `--map 'wasi:*=./shims/*.js'` (a rule that matches no
    /// import is a warning).
    #[arg(long, value_parser = parse_map)]
    map: Vec<(String, String)>,
    /// Host imports whose JS may return a promise to a synchronous caller
    /// (`interface#function` or `interface`, one `*`): the guest suspends with JSPI.
    #[arg(long, value_name = "PATTERN")]
    async_imports: Vec<String>,
    /// Synchronous exports entered through JSPI (same patterns): they return promises.
    #[arg(long, value_name = "PATTERN")]
    async_exports: Vec<String>,
    /// Do not write `<name>.d.ts`.
    #[arg(long)]
    no_typescript: bool,
    /// Print the JS without whitespace (names are kept).
    #[arg(long)]
    minify: bool,
    /// No top-level `await`: export `$init`, a promise to await before using the exports (jco's `--tla-compat`).
    #[arg(long)]
    tla_compat: bool,
    /// Print nothing on success (warnings still go to stderr).
    #[arg(short, long)]
    quiet: bool,
    /// Record every call across the component's boundary in WAVE, one event per line:
    /// the module exports the trace as `$trace` (docs/record-replay.md)
    #[arg(long)]
    record: bool,
    /// Link the component's core instances into one core module (multi-memory: node
    /// 24, Chrome 120, Firefox 125) and generate the glue on it (docs/lower.md).
    #[arg(long)]
    lowered: bool,
    /// WebIDL (`.idl` files or directories of them) the component's `webidl:` imports
    /// are bound against; default: every spec of `@webref/idl` in `node_modules` here
    /// or above. Read only when the component has such imports.
    #[arg(long = "webidl", value_name = "IDL")]
    webidl: Vec<PathBuf>,
    /// What a WebIDL member (or interface) the engine lacks does: `error` (instantiation
    /// fails with `WebIdlMissing`, naming the first) or `trap` (a call of a function
    /// that uses it traps, naming it).
    #[arg(long, value_name = "MODE", default_value = "error")]
    webidl_missing: weft_js::WebIdlMissing,
    /// Fail when the flattened component creates more component and core instances.
    #[arg(long, value_name = "N", default_value_t = weft_core::Limits::default().max_instances)]
    max_instances: u32,
    /// Fail when component instantiations nest deeper.
    #[arg(long, value_name = "N", default_value_t = weft_core::Limits::default().max_nesting)]
    max_nesting: u32,
    /// Fail when the generated JS and `.d.ts` would be larger (bytes).
    #[arg(long, value_name = "BYTES", default_value_t = weft_core::Limits::default().max_code_size)]
    max_code_size: usize,
}

/// The WebIDL a component's `webidl:` imports bind against, if it has any: `--webidl`'s
/// files, else `@webref/idl`'s when there is one (without either, the transpile fails
/// naming what it needs).
fn platform(
    plan: &weft_core::Plan,
    given: &[PathBuf],
) -> Result<Option<std::sync::Arc<weft_webidl::platform::Platform>>> {
    if !plan.imports.iter().any(|i| i.name.starts_with("webidl:")) {
        return Ok(None);
    }
    let mut paths = Vec::new();
    for p in given {
        if p.is_dir() {
            paths.extend(crate::webidl::idl_files(p)?);
        } else {
            paths.push(p.clone());
        }
    }
    if given.is_empty() {
        match crate::webidl::webref_dir(None) {
            Ok(dir) => paths.extend(crate::webidl::idl_files(&dir)?),
            Err(_) => return Ok(None),
        }
    }
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| crate::webidl::read(p))
        .collect::<Result<_>>()?;
    let platform =
        weft_webidl::platform::Platform::from_files(&files).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Some(std::sync::Arc::new(platform)))
}

pub(crate) fn parse_map(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.to_string(), b.to_string())),
        _ => Err(format!("expected `from=to`, got `{s}`")),
    }
}

/// The base name of a command's output files: `--name`, else the input's file stem.
pub(crate) fn output_name(input: &std::path::Path, name: Option<&str>) -> Result<String> {
    let name = match name {
        Some(n) => n.to_string(),
        None => input
            .file_stem()
            .and_then(|s| s.to_str())
            .context("cannot derive an output name from the input path; pass --name")?
            .to_string(),
    };
    if name.is_empty() || name.contains(['/', '\\']) {
        bail!("invalid output name `{name}`");
    }
    Ok(name)
}

/// Runs `weft transpile`.
pub fn run(args: &Args) -> Result<()> {
    let mut timing = Timing::from_env();
    let bytes = crate::read_component(&args.input)?;
    timing.phase("read");
    let name = output_name(&args.input, args.name.as_deref())?;
    let input = args.input.display();
    let limits = weft_core::Limits {
        max_instances: args.max_instances,
        max_nesting: args.max_nesting,
        max_code_size: args.max_code_size,
    };
    let plan = weft_core::plan_with_limits(&bytes, &limits)
        .with_context(|| format!("failed to transpile `{input}`"))?;
    timing.phase("parse, validate, flatten");
    let wit = weft_core::wit_info(&bytes).ok();
    timing.phase("WIT");
    let opts = weft_js::Options {
        name,
        instantiation: args.instantiation.is_some(),
        sync_instantiation: args.instantiation == Some(crate::Instantiation::Sync),
        compat: args.compat,
        base64_cutoff: args.base64_cutoff,
        map: args.map.clone(),
        typescript: !args.no_typescript,
        async_imports: args.async_imports.clone(),
        async_exports: args.async_exports.clone(),
        minify: args.minify,
        tla_compat: args.tla_compat,
        limits,
        webidl: platform(&plan, &args.webidl)?,
        webidl_missing: args.webidl_missing,
        record: args
            .record
            .then(|| weft_js::record_header(&bytes, wit.as_ref())),
        lowered: args.lowered,
    };
    let out = weft_js::generate(&plan, wit.as_ref(), &opts)
        .with_context(|| format!("failed to transpile `{input}`"))?;
    timing.phase("generate JS");
    crate::warn(&out.warnings);
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("failed to create `{}`", args.out_dir.display()))?;
    for (file, contents) in &out.files {
        let path = args.out_dir.join(file);
        std::fs::write(&path, contents)
            .with_context(|| format!("failed to write `{}`", path.display()))?;
        if !args.quiet {
            println!("  {:>10}  {}", human(contents.len()), path.display());
        }
    }
    timing.phase("write");
    Ok(())
}

/// With `WEFT_TIMING` set, the wall time of each phase of a transpile, on stderr (for
/// profiling; bench/README.md).
struct Timing(Option<std::time::Instant>);

impl Timing {
    fn from_env() -> Self {
        Timing(std::env::var_os("WEFT_TIMING").map(|_| std::time::Instant::now()))
    }

    /// Ends a phase: prints its time and starts the next.
    fn phase(&mut self, name: &str) {
        if let Some(start) = &mut self.0 {
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            eprintln!("weft: {name}: {ms:.1} ms");
            *start = std::time::Instant::now();
        }
    }
}

pub(crate) fn human(n: usize) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
    }
}
