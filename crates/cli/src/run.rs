//! `weft run`, `weft serve` and `weft replay`: transpile a component into a cache directory and run it
//! in node with the WASI shims (`npm/wasi`, embedded at build time). `run` runs a
//! `wasi:cli/run` command with the real terminal, args, env and preopens and exits with
//! its exit code; `serve` serves a `wasi:http/incoming-handler` on loopback (a fresh
//! instance after a request traps, or after `--max-instance-reuse-count` requests);
//! `replay` runs a `--record` transpile against a trace (docs/record-replay.md).

use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

include!(concat!(env!("OUT_DIR"), "/wasi_files.rs"));

/// The runner scripts, embedded: `js` beside this crate is a symbolic link to
/// `npm/transpiler/src/host`, where `npx weft run|serve` runs the same files (with the
/// installed `@weft/wasi`; here the shims are written next to them, see [`prepare`]).
const RUNNER: &str = include_str!("../js/run.mjs");
const SERVER: &str = include_str!("../js/serve.mjs");
const REPLAYER: &str = include_str!("../js/replay.mjs");

/// Arguments of `weft run`.
#[derive(clap::Args)]
pub struct Args {
    /// Give the program a host directory: `HOST` (seen as the same path) or
    /// `HOST::GUEST`. Without any, the current directory is preopened as `.`.
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Set an environment variable for the program (`NAME=VALUE`).
    #[arg(long = "env", value_name = "NAME=VALUE", value_parser = parse_env)]
    envs: Vec<(String, String)>,
    /// Do not pass weft's own environment to the program (only `--env` values).
    #[arg(long)]
    clear_env: bool,
    /// Let the program open sockets and look up names (WASI sockets; off by default).
    #[arg(long)]
    allow_network: bool,
    /// The program's name, its `argv[0]` (default: the input's file stem).
    #[arg(long, value_name = "NAME")]
    argv0: Option<String>,
    /// Record every call across the component's boundary (its `run` and each WASI call
    /// inside it) into FILE, in WAVE, one event per line (docs/record-replay.md).
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// The command component (`.wasm`, or `.wat` text), then the program's arguments:
    /// everything after the component is the program's, `--help` included (a `--`
    /// right after the component is dropped).
    #[arg(
        required = true,
        trailing_var_arg = true,
        num_args = 1..,
        value_names = ["COMPONENT", "ARGS"],
        value_parser = clap::value_parser!(OsString)
    )]
    command: Vec<OsString>,
}

/// The component and the arguments after it, without a `--` right after the component
/// (`weft run p.wasm -- --help` is `weft run p.wasm --help`).
fn component_and_args(command: &[OsString]) -> (PathBuf, &[OsString]) {
    let (input, mut rest) = command
        .split_first()
        .map_or((OsString::new(), &[][..]), |(i, r)| (i.clone(), r));
    if rest.first().is_some_and(|a| a == "--") {
        rest = &rest[1..];
    }
    (PathBuf::from(input), rest)
}

fn parse_env(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected `NAME=VALUE`, got `{s}`")),
    }
}

/// A JSON string literal.
fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The current directory, preopened as `.`.
fn cwd_preopen() -> Result<(String, String)> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    Ok((".".to_string(), cwd.display().to_string()))
}

/// weft's own environment, to pass on to a program (the runner's configuration left out).
fn own_env() -> Vec<(String, String)> {
    std::env::vars()
        .filter(|(k, _)| k != "WEFT_RUN_CONFIG")
        .collect()
}

/// `{"k":"v",…}`.
fn json_object(pairs: &[(String, String)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}:{}", json_str(k), json_str(v)))
        .collect();
    format!("{{{}}}", items.join(","))
}

/// `[["k","v"],…]`: an environment, in order.
fn json_pairs(pairs: &[(String, String)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("[{},{}]", json_str(k), json_str(v)))
        .collect();
    format!("[{}]", items.join(","))
}

/// The runner's configuration: preopens, the program's environment and whether it is
/// a WASI 0.3 command, as JSON.
fn config(args: &Args, p3: bool) -> Result<String> {
    let mut preopens = Vec::new();
    if args.dirs.is_empty() {
        preopens.push(cwd_preopen()?);
    }
    for d in &args.dirs {
        let (host, guest) = d.split_once("::").unwrap_or((d, d));
        let host = std::fs::canonicalize(host)
            .with_context(|| format!("`--dir {d}`: cannot open the host directory `{host}`"))?;
        preopens.push((guest.to_string(), host.display().to_string()));
    }
    let mut env = if args.clear_env {
        Vec::new()
    } else {
        own_env()
    };
    for (k, v) in &args.envs {
        env.retain(|(ek, _)| ek != k);
        env.push((k.clone(), v.clone()));
    }
    let record = match &args.record {
        Some(f) => {
            let path = std::path::absolute(f)
                .with_context(|| format!("`--record {}`: not a usable path", f.display()))?;
            json_str(&path.display().to_string())
        }
        None => "null".into(),
    };
    Ok(format!(
        "{{\"p3\":{p3},\"network\":{},\"record\":{record},\"preopens\":{},\"env\":{}}}",
        args.allow_network,
        json_object(&preopens),
        json_pairs(&env)
    ))
}

/// Arguments of `weft serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The `wasi:http` handler component (`.wasm`, or `.wat` text), then the
    /// component's arguments (`wasi:cli/environment`'s `get-arguments`; its `argv[0]` is
    /// the file stem). weft's options go before the component.
    #[arg(
        required = true,
        trailing_var_arg = true,
        num_args = 1..,
        value_names = ["COMPONENT", "ARGS"],
        value_parser = clap::value_parser!(OsString)
    )]
    command: Vec<OsString>,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Set an environment variable for the component (`NAME=VALUE`).
    #[arg(long = "env", value_name = "NAME=VALUE", value_parser = parse_env)]
    envs: Vec<(String, String)>,
    /// How many requests one instance serves before a fresh one replaces it (default:
    /// no limit; 1: an instance per request, what `wasmtime serve` does for WASI 0.2).
    /// A request that traps always retires its instance.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    max_instance_reuse_count: Option<u32>,
}

/// The options of `weft serve`, which after the component are the component's
/// arguments.
const SERVE_OPTIONS: [&str; 4] = ["--port", "--host", "--env", "--max-instance-reuse-count"];

/// Runs `weft serve` until node exits (interrupt it to stop).
pub fn serve(args: &ServeArgs) -> Result<ExitCode> {
    let (input, rest) = component_and_args(&args.command);
    for a in rest {
        let a = a.to_string_lossy();
        let name = a.split('=').next().unwrap_or(&a);
        if SERVE_OPTIONS.contains(&name) {
            eprintln!(
                "note: `{name}` after the component is an argument for the component; weft's \
                 options go before it (`weft serve {name} … COMPONENT`)"
            );
        }
    }
    let env: Vec<String> = args
        .envs
        .iter()
        .map(|(k, v)| format!("[{},{}]", json_str(k), json_str(v)))
        .collect();
    let prepared = prepare(&input, false)?;
    let p3 = prepared.exports_any("wasi:http/handler@0.3.");
    if !p3 && !prepared.exports_any("wasi:http/incoming-handler@0.2.") {
        return Err(crate::NotRunnable(format!(
            "`{}` is not an http handler: it exports no `wasi:http/incoming-handler@0.2.x` or \
             `wasi:http/handler@0.3.x`{}, which `weft serve` serves",
            input.display(),
            prepared.exports_listed()
        ))
        .into());
    }
    let reuse = args
        .max_instance_reuse_count
        .map_or_else(|| "null".to_string(), |n| n.to_string());
    let mut argv = vec![json_str(&program_name(None, &input))];
    argv.extend(rest.iter().map(|a| json_str(&a.to_string_lossy())));
    let config = format!(
        "{{\"p3\":{p3},\"preopens\":{{}},\"env\":[{}],\"args\":[{}],\"maxInstanceReuseCount\":{reuse}}}",
        env.join(","),
        argv.join(",")
    );
    let dir = prepared.dir;
    let mut cmd = node_command(&config);
    cmd.arg(dir.join("serve.mjs"))
        .arg(&dir)
        .arg(args.port.to_string())
        .arg(&args.host);
    exec_node(cmd)
}

/// `node` (or `$WEFT_NODE`) with the runner configuration in its environment.
fn node_command(config: &str) -> std::process::Command {
    let node = std::env::var_os("WEFT_NODE").unwrap_or_else(|| "node".into());
    let mut cmd = std::process::Command::new(node);
    cmd.env("WEFT_RUN_CONFIG", config);
    cmd
}

/// Runs node in place of weft where the OS allows (signals and the exit code are then
/// node's own), else as a child whose exit code weft returns.
fn exec_node(mut cmd: std::process::Command) -> Result<ExitCode> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let context = || format!("failed to start node (`{program}`); install node or set WEFT_NODE");
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let err = cmd.exec();
        Err(err).with_context(context)
    }
    #[cfg(not(unix))]
    {
        let status = cmd.status().with_context(context)?;
        Ok(ExitCode::from(
            u8::try_from(status.code().unwrap_or(1) & 0xff).unwrap_or(1),
        ))
    }
}

/// The program's `argv[0]`: `--argv0`, else the input's file stem.
fn program_name(argv0: Option<&str>, input: &Path) -> String {
    argv0.map_or_else(
        || {
            input
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("component")
                .to_string()
        },
        str::to_string,
    )
}

/// Runs `weft run`; returns the program's exit code.
pub fn run(args: &Args) -> Result<ExitCode> {
    let (input, rest) = component_and_args(&args.command);
    let prepared = prepare(&input, args.record.is_some())?;
    let p3 = prepared.exports_any("wasi:cli/run@0.3.");
    if !p3 && !prepared.exports_any("wasi:cli/run@0.2.") {
        return Err(crate::NotRunnable(format!(
            "`{}` is not a command: it exports no `wasi:cli/run` interface{}, which `weft run` \
             calls; `weft transpile` makes a module whose exports JS can call",
            input.display(),
            prepared.exports_listed()
        ))
        .into());
    }
    let config = config(args, p3)?;
    let name = program_name(args.argv0.as_deref(), &input);
    let mut cmd = node_command(&config);
    cmd.arg(prepared.dir.join("run.mjs"))
        .arg(&prepared.dir)
        .arg(name)
        .args(rest);
    exec_node(cmd)
}

/// Arguments of `weft replay`.
#[derive(clap::Args)]
pub struct ReplayArgs {
    /// The trace: recorded (`--record`) or written by hand (docs/record-replay.md).
    trace: PathBuf,
    /// The component (`.wasm`, or `.wat` text): the one recorded, or a modified build.
    component: PathBuf,
    /// Make only the export calls this names (`iface#f`, an interface, one `*`); the
    /// trace's other calls, and what happens inside them, are left out (repeatable).
    #[arg(long = "only", value_name = "PATTERN")]
    only: Vec<String>,
    /// Let the host functions this names (same patterns) go to a real host, the WASI
    /// shims `weft run` gives a program, instead of the trace; their calls are not
    /// compared (repeatable).
    #[arg(long = "host", value_name = "PATTERN")]
    host: Vec<String>,
}

/// Runs `weft replay`: the component, its host answered from the trace, the trace's
/// export calls made in order; prints where the run first differs (exit 1) or that it
/// is the trace (exit 0).
pub fn replay(args: &ReplayArgs) -> Result<ExitCode> {
    std::fs::metadata(&args.trace)
        .with_context(|| format!("cannot read the trace `{}`", args.trace.display()))?;
    let prepared = prepare(&args.component, true)?;
    let trace = std::path::absolute(&args.trace)
        .with_context(|| format!("`{}`: not a usable path", args.trace.display()))?;
    let list = |v: &[String]| {
        let items: Vec<String> = v.iter().map(|s| json_str(s)).collect();
        format!("[{}]", items.join(","))
    };
    let p3 =
        prepared.exports_any("wasi:cli/run@0.3.") || prepared.exports_any("wasi:http/handler@0.3.");
    // The real host (`--host`): the current directory as `.`, weft's environment.
    let config = format!(
        "{{\"p3\":{p3},\"only\":{},\"host\":{},\"preopens\":{},\"env\":{}}}",
        list(&args.only),
        list(&args.host),
        json_object(&[cwd_preopen()?]),
        json_pairs(&own_env())
    );
    let mut cmd = node_command(&config);
    cmd.arg(prepared.dir.join("replay.mjs"))
        .arg(&prepared.dir)
        .arg(trace);
    exec_node(cmd)
}

/// A component transpiled for `weft run` or `weft serve`.
struct Prepared {
    /// The cache directory holding the output, the runner and the shims.
    dir: PathBuf,
    /// The component's export names.
    exports: Vec<String>,
}

impl Prepared {
    /// Whether some export's name starts with `prefix`.
    fn exports_any(&self, prefix: &str) -> bool {
        self.exports.iter().any(|e| e.starts_with(prefix))
    }

    /// ` (it exports `a`, `b`)`, or ` (it exports nothing)`.
    fn exports_listed(&self) -> String {
        if self.exports.is_empty() {
            return " (it exports nothing)".into();
        }
        let names: Vec<String> = self.exports.iter().map(|e| format!("`{e}`")).collect();
        format!(" (its exports: {})", names.join(", "))
    }
}

/// The cache directory of `input`: transpiled once per component and build of weft
/// (`transpile_cached`). A file seen before with the same path, size and modification
/// time is found by those alone (`$WEFT_CACHE/run/by-file/<key>` names its directory),
/// so a run of a large program neither reads nor hashes its bytes again. A recording
/// run (`record`) has a transpile of its own (`--record`'s glue).
fn prepare(input: &Path, record: bool) -> Result<Prepared> {
    let cache = match std::env::var_os("WEFT_CACHE") {
        Some(c) => PathBuf::from(c),
        None => {
            let home = std::env::var_os("HOME").context("HOME is not set; set WEFT_CACHE")?;
            PathBuf::from(home).join(".cache/weft")
        }
    };
    let run = cache.join("run");
    let by_file = file_key(input, record).map(|k| run.join("by-file").join(k));
    if let Some(found) = by_file
        .as_ref()
        .and_then(|f| std::fs::read_to_string(f).ok())
        && let Some(prepared) = cached(&run.join(found.trim()))
    {
        return Ok(prepared);
    }
    let bytes = crate::read_component(input)?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    record.hash(&mut h);
    build_fingerprint(&mut h);
    let name = format!("{:016x}", h.finish());
    let prepared = transpile_cached(&bytes, input, run.join(&name), record)?;
    if let Some(f) = by_file {
        // Best effort: without it, the next run hashes the bytes again.
        let _ =
            std::fs::create_dir_all(run.join("by-file")).and_then(|()| std::fs::write(f, &name));
    }
    Ok(prepared)
}

/// What makes this build of weft's output and runner differ from another's.
fn build_fingerprint(h: &mut impl Hasher) {
    env!("CARGO_PKG_VERSION").hash(h);
    TRANSPILER_FINGERPRINT.hash(h);
    RUNNER.hash(h);
    SERVER.hash(h);
    REPLAYER.hash(h);
    WASI_FILES.hash(h);
}

/// A key for `input`'s identity on disk (canonical path, size, modification time to
/// the nanosecond) and this build of weft; none when the file cannot be examined.
fn file_key(input: &Path, record: bool) -> Option<String> {
    let path = std::fs::canonicalize(input).ok()?;
    let meta = std::fs::metadata(&path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    meta.len().hash(&mut h);
    mtime.hash(&mut h);
    record.hash(&mut h);
    build_fingerprint(&mut h);
    Some(format!("{:016x}", h.finish()))
}

/// A complete cache directory's export names (`exports`, one per line).
fn cached(dir: &Path) -> Option<Prepared> {
    if !dir.join("ok").exists() {
        return None;
    }
    let names = std::fs::read_to_string(dir.join("exports")).ok()?;
    let exports = names.lines().map(String::from).collect();
    Some(Prepared {
        dir: dir.to_path_buf(),
        exports,
    })
}

/// Transpiles into `dir` with the runner and the shims next to it, unless a complete
/// copy is there. The directory also keeps the component's export names (`exports`),
/// so a run that finds it neither parses nor validates the component again.
fn transpile_cached(bytes: &[u8], input: &Path, dir: PathBuf, record: bool) -> Result<Prepared> {
    if let Some(prepared) = cached(&dir) {
        return Ok(prepared);
    }
    let shown = input.display();
    let plan = weft_core::plan(bytes).with_context(|| format!("failed to transpile `{shown}`"))?;
    let exports: Vec<String> = plan.exports.iter().map(|(n, _)| n.clone()).collect();
    let wit = weft_core::wit_info(bytes).ok();
    let opts = weft_js::Options {
        name: "component".into(),
        instantiation: true,
        typescript: false,
        record: record.then(|| weft_js::record_header(bytes, wit.as_ref())),
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
        // The core modules without DWARF: each run reads and compiles only the code
        // (17 of ripgrep's 20 MB are `.debug_*` sections).
        let contents = if file.ends_with(".wasm") {
            weft_core::without_dwarf(contents)
        } else {
            std::borrow::Cow::Borrowed(&contents[..])
        };
        write(dir.join(file), &contents)?;
    }
    for (rel, src) in WASI_FILES {
        write(dir.join("wasi").join(rel), src.as_bytes())?;
    }
    write(dir.join("run.mjs"), RUNNER.as_bytes())?;
    write(dir.join("serve.mjs"), SERVER.as_bytes())?;
    write(dir.join("replay.mjs"), REPLAYER.as_bytes())?;
    write(dir.join("package.json"), br#"{ "type": "module" }"#)?;
    // Export names are component-model names: no line breaks.
    write(dir.join("exports"), exports.join("\n").as_bytes())?;
    write(dir.join("ok"), b"")?;
    Ok(Prepared { dir, exports })
}
