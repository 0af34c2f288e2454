//! `weft-devtools`: the WebAssembly tools that weft's tests, benchmarks and npm build
//! run, with the command lines of the tools they stand in for (so a call site reads as
//! the wasm-tools or wasm-bindgen command it is):
//!
//! ```text
//! weft-devtools parse [FILE|-] -o OUT                     wasm-tools parse (text to binary)
//! weft-devtools validate FILE                             wasm-tools validate (default features)
//! weft-devtools json-from-wast FILE -o JSON --wasm-dir DIR
//! weft-devtools component new CORE -o OUT
//! weft-devtools component embed WIT (CORE | --dummy) [-w WORLD] [--encoding ENC] -o OUT
//! weft-devtools compose ROOT -d DEFINITIONS... -o OUT
//! weft-devtools wasm-bindgen --target web [--no-typescript]
//!     [--experimental-reset-state-function] --out-dir DIR --out-name NAME INPUT
//! weft-devtools wave WIT < CALLS                          wasm-wave: WAVE read and written (wave.rs)
//! weft-devtools --version
//! ```
//!
//! Each subcommand is a few lines over the crates.io library that the original tool is
//! built on (wat, json-from-wast, wit-component, wasm-compose, wasm-bindgen-cli-support,
//! wasm-wave),
//! at the versions weft pins. Only the flags used in this repository are accepted; any
//! other argument is an error naming it.

mod wave;

use anyhow::{Context, Result, bail};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The command line after the subcommand: flags with a value, boolean flags, and
/// positional arguments, each taken once.
struct Args {
    rest: Vec<String>,
}

impl Args {
    /// The value of the first of `names` present (`-o OUT` or `-o=OUT`), removed.
    fn value(&mut self, names: &[&str]) -> Result<Option<String>> {
        let Some(i) = self.rest.iter().position(|a| names.contains(&a.as_str())) else {
            return Ok(None);
        };
        if i + 1 >= self.rest.len() {
            bail!("{} needs a value", self.rest[i]);
        }
        let value = self.rest.remove(i + 1);
        self.rest.remove(i);
        Ok(Some(value))
    }

    /// Every value of `name` (`-d A -d B`), removed.
    fn values(&mut self, name: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        while let Some(v) = self.value(&[name])? {
            out.push(v);
        }
        Ok(out)
    }

    fn required(&mut self, names: &[&str]) -> Result<String> {
        self.value(names)?
            .with_context(|| format!("missing {}", names.join(" or ")))
    }

    /// Whether boolean flag `name` is present, removed.
    fn flag(&mut self, name: &str) -> bool {
        let before = self.rest.len();
        self.rest.retain(|a| a != name);
        self.rest.len() != before
    }

    /// The positional arguments left; an error for a flag nothing consumed.
    fn positional(self, max: usize) -> Result<Vec<String>> {
        if let Some(flag) = self.rest.iter().find(|a| a.starts_with('-') && *a != "-") {
            bail!("unknown flag {flag}");
        }
        if self.rest.len() > max {
            bail!("unexpected argument {}", self.rest[max]);
        }
        Ok(self.rest)
    }
}

fn main() {
    let mut argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.is_empty() {
        eprintln!(
            "usage: weft-devtools <command> ...  (see the header of crates/devtools/src/main.rs)"
        );
        std::process::exit(2);
    }
    let command = argv.remove(0);
    if let Err(e) = run(&command, Args { rest: argv }) {
        eprintln!("weft-devtools {command}: {e:#}");
        std::process::exit(1);
    }
}

fn run(command: &str, mut args: Args) -> Result<()> {
    match command {
        "--version" => {
            println!("weft-devtools {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        "parse" => {
            let out = args.required(&["-o", "--output"])?;
            let input = args.positional(1)?;
            parse(input.first().map(String::as_str), Path::new(&out))
        }
        "validate" => {
            let input = args.positional(1)?;
            let file = input.first().context("missing the file to validate")?;
            let bytes = read_wasm(file)?;
            wasmparser::Validator::new()
                .validate_all(&bytes)
                .with_context(|| format!("{file} is not valid"))?;
            Ok(())
        }
        "json-from-wast" => {
            let out = args.required(&["-o", "--output"])?;
            let dir = args.value(&["--wasm-dir"])?;
            let input = args.positional(1)?;
            let file = input.first().context("missing the .wast file")?;
            json_from_wast(
                Path::new(file),
                Path::new(&out),
                dir.as_deref().map(Path::new),
            )
        }
        "component" => {
            let Some(sub) = (!args.rest.is_empty()).then(|| args.rest.remove(0)) else {
                bail!("missing `new` or `embed`");
            };
            match sub.as_str() {
                "new" => {
                    let out = args.required(&["-o", "--output"])?;
                    let input = args.positional(1)?;
                    component_new(
                        input.first().context("missing the core module")?,
                        Path::new(&out),
                    )
                }
                "embed" => {
                    let out = args.required(&["-o", "--output"])?;
                    let world = args.value(&["-w", "--world"])?;
                    let encoding = match args.value(&["--encoding"])?.as_deref() {
                        None | Some("utf8") => wit_component::StringEncoding::UTF8,
                        Some("utf16") => wit_component::StringEncoding::UTF16,
                        Some("compact-utf16") => wit_component::StringEncoding::CompactUTF16,
                        Some(other) => bail!("unknown --encoding {other}"),
                    };
                    let dummy = args.flag("--dummy");
                    let input = args.positional(2)?;
                    let wit = input.first().context("missing the WIT path")?;
                    let core = match (dummy, input.get(1)) {
                        (true, None) => None,
                        (false, Some(core)) => Some(core.as_str()),
                        _ => bail!("give either a core module or --dummy"),
                    };
                    let opts = Embed {
                        world: world.as_deref(),
                        encoding,
                        core,
                    };
                    embed(Path::new(wit), &opts, Path::new(&out))
                }
                other => bail!("unknown subcommand `component {other}`"),
            }
        }
        "compose" => {
            let out = args.required(&["-o", "--output"])?;
            let definitions = args.values("-d")?;
            let input = args.positional(1)?;
            let root = input.first().context("missing the root component")?;
            compose(Path::new(root), &definitions, Path::new(&out))
        }
        "wasm-bindgen" => wasm_bindgen(args),
        "wave" => {
            let input = args.positional(1)?;
            let wit = input.first().context("missing the WIT file")?;
            wave::run(Path::new(wit))
        }
        other => bail!("unknown command (see crates/devtools/src/main.rs for the list): {other}"),
    }
}

/// A binary module or component, or the text format turned into one.
fn read_wasm(file: &str) -> Result<Vec<u8>> {
    wat::parse_file(file).with_context(|| format!("cannot read {file}"))
}

fn write(out: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))
}

fn parse(input: Option<&str>, out: &Path) -> Result<()> {
    let bytes = match input {
        None | Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read stdin")?;
            wat::parse_str(&text)?
        }
        Some(file) => read_wasm(file)?,
    };
    write(out, &bytes)
}

/// A `.wast` script as JSON commands plus one file per module, named after the JSON
/// file's stem (what `wasm-tools json-from-wast` writes).
fn json_from_wast(file: &Path, out: &Path, wasm_dir: Option<&Path>) -> Result<()> {
    let contents =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.to_string_lossy();
    let adjust = |mut e: wast::Error| {
        e.set_path(file);
        e.set_text(&contents);
        e
    };
    let mut lexer = wast::lexer::Lexer::new(&contents);
    lexer.allow_confusing_unicode(true);
    let buf = wast::parser::ParseBuffer::new_with_lexer(lexer).map_err(adjust)?;
    let ast = wast::parser::parse::<wast::Wast>(&buf).map_err(adjust)?;
    let mut opts = json_from_wast::Opts::default();
    if let Some(stem) = out.file_stem().and_then(|s| s.to_str()) {
        opts.module_filename(stem);
    }
    let converted = opts.convert(&name, &contents, ast)?;
    for (module, bytes) in &converted.wasms {
        let path = wasm_dir.map_or_else(|| PathBuf::from(module), |d| d.join(module));
        write(&path, bytes)?;
    }
    write(out, serde_json::to_string(&converted)?.as_bytes())
}

fn component_new(core: &str, out: &Path) -> Result<()> {
    let module = read_wasm(core)?;
    let bytes = wit_component::ComponentEncoder::default()
        .validate(true)
        .module(&module)?
        .encode()
        .context("failed to encode a component from the module")?;
    write(out, &bytes)
}

/// What `component embed` puts the WIT of `world` into.
struct Embed<'a> {
    world: Option<&'a str>,
    encoding: wit_component::StringEncoding,
    /// A core module (text or binary), or `None` for a dummy one made from the world.
    core: Option<&'a str>,
}

fn embed(wit: &Path, opts: &Embed<'_>, out: &Path) -> Result<()> {
    let mut resolve = wit_parser::Resolve::default();
    let (pkg, _) = resolve.push_path(wit)?;
    let world = resolve.select_world(&[pkg], opts.world)?;
    let mut module = match opts.core {
        Some(core) => read_wasm(core)?,
        None => {
            wit_component::dummy_module(&resolve, world, wit_parser::ManglingAndAbi::Standard32)
        }
    };
    wit_component::embed_component_metadata(&mut module, &resolve, world, opts.encoding, false)?;
    write(out, &module)
}

/// Plugs the definitions' exports into the root component's imports, then validates
/// the result with every feature (as `wasm-tools compose` does).
fn compose(root: &Path, definitions: &[String], out: &Path) -> Result<()> {
    let cwd = std::env::current_dir().context("no current directory")?;
    let config = wasm_compose::config::Config {
        dir: root.parent().map(Path::to_path_buf).unwrap_or_default(),
        definitions: definitions.iter().map(|d| cwd.join(d)).collect(),
        ..Default::default()
    };
    let bytes = wasm_compose::composer::ComponentComposer::new(root, &config).compose()?;
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .context("the composed component is not valid")?;
    write(out, &bytes)
}

/// `wasm-bindgen --target web` with the flags scripts/build-npm passes.
fn wasm_bindgen(mut args: Args) -> Result<()> {
    let target = args.required(&["--target"])?;
    if target != "web" {
        bail!("only --target web is supported, not {target}");
    }
    let out_dir = args.required(&["--out-dir"])?;
    let out_name = args.value(&["--out-name"])?;
    let no_typescript = args.flag("--no-typescript");
    let reset_state = args.flag("--experimental-reset-state-function");
    let input = args.positional(1)?;
    let input = input.first().context("missing the input .wasm")?;
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(input)
        .web(true)?
        .typescript(!no_typescript)
        .reset_state_function(reset_state)
        // The CLI's default: `init()` with no argument fetches `<name>_bg.wasm` next to the glue.
        .omit_default_module_path(false);
    if let Some(name) = &out_name {
        bindgen.out_name(name);
    }
    bindgen
        .generate(&out_dir)
        .with_context(|| format!("wasm-bindgen of {input} failed"))
}
