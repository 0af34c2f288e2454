//! Shared helpers for weft's integration tests.
//!
//! The test binaries under `harness/` are data-driven: dropping a file into
//! `tests/cases/`, `tests/snapshots/` or `tests/guests/` adds a test, a named trial of
//! its binary (see [`trials`]).

pub mod trials;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A scratch directory under `target/test-out/<what>`, emptied first.
pub fn out_dir(what: &str) -> PathBuf {
    let dir = root().join("target").join("test-out").join(what);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test output dir");
    dir
}

/// Reads a `.wat` or `.wasm` file as component bytes.
pub fn read_component(path: &Path) -> Result<Vec<u8>> {
    if path.extension().is_some_and(|e| e == "wat") {
        Ok(wat::parse_file(path)?)
    } else {
        Ok(std::fs::read(path)?)
    }
}

/// Transpiles `bytes` into `dir` with the given options; returns the written names.
pub fn transpile(bytes: &[u8], dir: &Path, opts: &weft_js::Options) -> Result<Vec<String>> {
    let plan = weft_core::plan(bytes)?;
    let wit = weft_core::wit_info(bytes).ok();
    let out = weft_js::generate(&plan, wit.as_ref(), opts)?;
    let mut names = Vec::new();
    for (name, contents) in &out.files {
        std::fs::write(dir.join(name), contents)?;
        names.push(name.clone());
    }
    Ok(names)
}

/// A node binary to run JS tests with.
#[derive(Debug, Clone)]
pub struct Node {
    /// How failures name it: `node` (the machine's) or `node24`.
    pub name: &'static str,
    /// The binary.
    pub path: PathBuf,
}

/// The node binaries to run JS tests with: the machine's node, plus node 24 from the
/// cache when `scripts/setup` installed it.
impl Node {
    /// Whether it compiles core modules with several memories (`--lowered` output):
    /// node 22 and later do, node 20 (the machine's `node` in CI) does not. Asked of
    /// the binary once per process.
    pub fn multi_memory(&self) -> bool {
        static ANSWERS: std::sync::Mutex<Vec<(PathBuf, bool)>> = std::sync::Mutex::new(Vec::new());
        let mut answers = ANSWERS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, yes)) = answers.iter().find(|(p, _)| *p == self.path) {
            return *yes;
        }
        // `(module (memory 0) (memory 0))`
        let yes = Command::new(&self.path)
            .args([
                "-e",
                "process.exit(WebAssembly.validate(new Uint8Array([0,97,115,109,1,0,0,0,5,5,2,0,0,0,0])) ? 0 : 1)",
            ])
            .status()
            .is_ok_and(|s| s.success());
        answers.push((self.path.clone(), yes));
        yes
    }
}

pub fn nodes() -> Vec<Node> {
    let mut v = vec![Node {
        name: "node",
        path: PathBuf::from("node"),
    }];
    let cache = std::env::var_os("WEFT_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/weft")));
    if let Some(c) = cache {
        let n24 = c.join("node24/node_modules/.bin/node");
        if n24.exists() {
            v.push(Node {
                name: "node24",
                path: n24,
            });
        }
    }
    v
}

/// Runs `node --test <file>` with `WEFT_OUT=<out>`; fails with node's output.
pub fn node_test(node: &Path, file: &Path, out: &Path) -> Result<String> {
    let output = Command::new(node)
        .arg("--test")
        .arg("--test-reporter=tap")
        .arg(file)
        .env("WEFT_OUT", out)
        .output()
        .with_context(|| format!("failed to run `{}`", node.display()))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if !output.status.success() {
        bail!("{} {} failed:\n{text}", node.display(), file.display());
    }
    Ok(text)
}

/// The entries of `dir` (files and directories), sorted; none if it cannot be read.
pub fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// `path` relative to the repository root, for messages.
pub fn shown(path: &Path) -> String {
    let root = root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The transpile options a case file asks for in its header: the leading lines that are
/// blank or `;;` comments, where each `;; weft: <options>` line holds options in the
/// CLI's syntax, separated by whitespace:
///
/// - `--async-imports PATTERN` (repeatable),
/// - `--async-exports PATTERN` (repeatable),
/// - `--map FROM=TO` (repeatable),
/// - `--tla-compat`.
///
/// Parsed strictly: an unknown option, a missing value, or a `;; weft:` line below the
/// header is an error naming the file and line. The other fields are the defaults.
pub fn header_options(path: &Path) -> Result<weft_js::Options> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", shown(path)))?;
    let mut opts = weft_js::Options::default();
    let mut in_header = true;
    for (i, line) in text.lines().enumerate() {
        let at = || format!("{}:{}", shown(path), i + 1);
        let line = line.trim();
        let comment = line.strip_prefix(";;").map(str::trim_start);
        in_header &= line.is_empty() || comment.is_some();
        let Some(flags) = comment.and_then(|c| c.strip_prefix("weft:")) else {
            continue;
        };
        if !in_header {
            bail!(
                "{}: `;; weft:` options belong in the header (the leading comment lines)",
                at()
            );
        }
        let mut words = flags.split_whitespace();
        while let Some(flag) = words.next() {
            if flag == "--tla-compat" {
                opts.tla_compat = true;
                continue;
            }
            // The harness writes the header (it has the component's bytes).
            if flag == "--record" {
                opts.record = Some(String::new());
                continue;
            }
            if !matches!(flag, "--async-imports" | "--async-exports" | "--map") {
                bail!(
                    "{}: unknown option `{flag}` (known: --async-imports PATTERN, --async-exports PATTERN, --map FROM=TO, --tla-compat, --record)",
                    at()
                );
            }
            let Some(value) = words.next().filter(|v| !v.starts_with("--")) else {
                bail!("{}: `{flag}` needs a value", at());
            };
            match flag {
                "--async-imports" => opts.async_imports.push(value.to_string()),
                "--async-exports" => opts.async_exports.push(value.to_string()),
                _ => match value.split_once('=') {
                    Some((from, to)) if !from.is_empty() && !to.is_empty() => {
                        opts.map.push((from.to_string(), to.to_string()));
                    }
                    _ => bail!("{}: `--map` needs FROM=TO, got `{value}`", at()),
                },
            }
        }
    }
    Ok(opts)
}

/// The unpacked source of a registry package (`scripts/setup` fetches them), such as
/// `wit-bindgen-cli-0.63.0`.
pub fn corpus_dir(package: &str) -> Result<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    for entry in std::fs::read_dir(cargo_home.join("registry/src"))? {
        let dir = entry?.path().join(package);
        if dir.is_dir() {
            return Ok(dir);
        }
    }
    bail!("`{package}` is not unpacked in the cargo registry; run scripts/setup")
}

/// Runs `node --check` on a file.
pub fn node_check(file: &Path) -> Result<()> {
    // Check as an ES module whatever the file's surroundings say.
    let output = Command::new("node")
        .args(["--input-type=module", "--check"])
        .stdin(std::fs::File::open(file)?)
        .output()?;
    if !output.status.success() {
        bail!(
            "node --check {} failed:\n{}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}
