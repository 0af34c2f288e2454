//! `weft webidl`: WIT for Web APIs, from WebIDL files or the specs of `@webref/idl`
//! (see docs/webidl.md).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Arguments of `weft webidl`.
#[derive(clap::Args)]
pub struct Args {
    /// WebIDL: `.idl` files, directories of them, or the short names of specs in
    /// `@webref/idl` (`dom`, `html`, `fetch`, ...; with a short name, every spec of the
    /// package is read, so that what the kept interfaces mention is defined).
    #[arg(required = true, value_name = "IDL")]
    inputs: Vec<String>,
    /// Output directory (the package is written as `<name>.wit` in it).
    #[arg(short, long)]
    out_dir: PathBuf,
    /// Keep this interface or namespace and what it mentions (repeatable; default:
    /// every interface and namespace the inputs define).
    #[arg(long = "interface", value_name = "NAME")]
    interfaces: Vec<String>,
    /// Keep only those interfaces and their ancestors: a member that mentions another
    /// interface is left out (with a warning) instead of bringing it in.
    #[arg(long)]
    only: bool,
    /// Leave out what WIT would make async (operations returning promises, promise
    /// attributes, event handlers as streams), for guests without Component Model
    /// async (each one a warning).
    #[arg(long)]
    sync: bool,
    /// The WIT package (`webidl:NAME`: `weft transpile` binds imports of the `webidl`
    /// namespace to the platform).
    #[arg(long, default_value = "webidl:web", value_name = "NS:NAME")]
    package: String,
    /// The WIT interface holding the resources and types.
    #[arg(long = "wit-interface", default_value = "web", value_name = "NAME")]
    wit_interface: String,
    /// Where `@webref/idl` is (default: `node_modules/@webref/idl` in the current
    /// directory or one above it).
    #[arg(long, value_name = "DIR")]
    webref: Option<PathBuf>,
    /// Print nothing on success (warnings still go to stderr).
    #[arg(short, long)]
    quiet: bool,
}

/// Runs `weft webidl`: reads the inputs, then [`weft_webidl::to_wit`] (which
/// `@weft/transpiler`'s `webidl()` calls too, with files its caller read).
pub fn run(args: &Args) -> Result<()> {
    // Before reading anything, as a usage error would be.
    weft_webidl::split_package(&args.package).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut files: Vec<(String, String)> = Vec::new();
    let mut short_names = Vec::new();
    for input in &args.inputs {
        let path = Path::new(input);
        if path.is_dir() {
            for f in idl_files(path)? {
                files.push(read(&f)?);
            }
        } else if path.exists() || input.ends_with(".idl") {
            files.push(read(path)?);
        } else {
            short_names.push(input.as_str());
        }
    }
    let given = files.len();
    if !short_names.is_empty() {
        let dir = webref_dir(args.webref.as_deref())?;
        for f in idl_files(&dir)? {
            let stem = f
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let (name, text) = read(&f)?;
            if short_names.contains(&stem.as_str()) {
                files.insert(0, (name, text));
            } else {
                files.push((name, text));
            }
        }
        for s in &short_names {
            if !dir.join(format!("{s}.idl")).exists() {
                bail!(
                    "`{s}` is neither a file nor a spec of {} (its specs are the `.idl` files there)",
                    dir.display()
                );
            }
        }
    }
    // The named specs (first) and the given files define what is kept by default; the
    // other specs only what those mention.
    let inputs_len = given + short_names.len();
    let sources: Vec<weft_webidl::Source> = files
        .into_iter()
        .enumerate()
        .map(|(i, (name, text))| weft_webidl::Source {
            name,
            text,
            keep: i < inputs_len,
        })
        .collect();
    let request = weft_webidl::Request {
        interfaces: args.interfaces.clone(),
        package: args.package.clone(),
        wit_interface: args.wit_interface.clone(),
        only: args.only,
        sync: args.sync,
    };
    let out = weft_webidl::to_wit(&sources, &request).map_err(|e| anyhow::anyhow!("{e}"))?;
    // The generator's WIT must be valid; if not, that is weft's bug, not the input's.
    let file = args.out_dir.join(&out.file_name);
    let mut resolve = wit_parser::Resolve::default();
    if let Err(e) = resolve.push_str(&file, &out.wit) {
        return Err(weft_core::error::Bug::new(format!(
            "`weft webidl` wrote WIT that does not parse: {e:#}"
        ))
        .into());
    }
    for w in &out.warnings {
        eprintln!("warning: {w}");
    }
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("cannot create the directory `{}`", args.out_dir.display()))?;
    std::fs::write(&file, &out.wit)
        .with_context(|| format!("cannot write `{}`", file.display()))?;
    if !args.quiet {
        let left_out = if out.warnings.is_empty() {
            String::new()
        } else {
            format!(
                " ({} warnings: what WIT cannot say, left out)",
                out.warnings.len()
            )
        };
        println!("{}{left_out}", file.display());
    }
    Ok(())
}

/// The `.idl` files of a directory, sorted.
pub(crate) fn idl_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the directory `{}`", dir.display()))?;
    let mut files = Vec::new();
    for e in entries {
        let path = e
            .with_context(|| format!("cannot read the directory `{}`", dir.display()))?
            .path();
        if path
            .extension()
            .is_some_and(|x| x == "idl" || x == "webidl")
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// An IDL file's name (its path as given) and text.
pub(crate) fn read(path: &Path) -> Result<(String, String)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    Ok((path.display().to_string(), text))
}

/// `--webref`, or `node_modules/@webref/idl` here or above.
pub(crate) fn webref_dir(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = given {
        if !dir.is_dir() {
            bail!("`--webref {}`: not a directory", dir.display());
        }
        return Ok(dir.to_path_buf());
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    for dir in cwd.ancestors() {
        let candidate = dir.join("node_modules/@webref/idl");
        if candidate.is_dir() {
            return Ok(candidate);
        }
    }
    bail!(
        "no `@webref/idl` package in `node_modules` here or above (`npm install @webref/idl`, or name its folder with `--webref DIR`); `.idl` files can be given as paths"
    )
}
