//! weft-wasm: the transpiler as wasm32 for JS, through wasm-bindgen. The npm package
//! `@weft/transpiler` (`npm/transpiler`) wraps these functions; `scripts/build-npm`
//! builds them.
//!
//! - `transpile(bytes, options)` → `{ files: [[name, Uint8Array], ...], imports, exports,
//!   warnings }` (`warnings`: the native CLI's `warning:` lines without the prefix: options
//!   that applied to nothing)
//! - `wit(bytes, options)` → the component's WIT text
//! - `describe(bytes, options)` → JSON text: the exported functions with their WIT
//!   types and JS names (`weft_js::describe`), for generic callers such as the
//!   playground's export panel
//! - `webidl(files, options)` → `{ wit, warnings }`: `weft webidl` once the caller read
//!   the `.idl` files (`files`: `[{ name, text }, ...]`), through the same
//!   `weft_webidl::to_wit`; `warnings` are the native CLI's `warning:` lines without the
//!   prefix (what WIT cannot say, left out)
//!
//! - `formatError(message, causes)` → the same layout for a chain the caller built
//!
//! Errors are JS `Error`s whose message is what the native CLI prints after `error: `
//! (`weft_core::error::report`): the message, then for a chain of causes a blank line,
//! `Caused by:` and one indented `N: cause` line each (no trailing newline). An error
//! that is a bug in weft (the native CLI exits with 70 for it) has `code: 'WEFT_BUG'`.
//! `options.inputName` names the input in those messages (the native CLI uses the path
//! as given; default here: `component`). An option this API does not know (a misspelt
//! `asyncImport`, say) is an error naming it, not ignored; so is one of `transpile()`'s
//! options given to `wit()` or `webidl()`.

use anyhow::{Context, Result, bail};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

/// Transpiles a component into an ES module, its `.d.ts` and core wasm files.
///
/// # Errors
/// A JS `Error` with the native CLI's message for bad options or a bad component.
#[wasm_bindgen]
pub fn transpile(bytes: &[u8], options: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue> {
        let opts = Opts::read(&options, TRANSPILE_OPTIONS, "transpile")?;
        let out = transpile_bytes(bytes, &opts)?;
        let files = Array::new();
        for (name, contents) in &out.files {
            let pair = Array::new();
            pair.push(&JsValue::from_str(name));
            pair.push(&Uint8Array::from(contents.as_slice()));
            files.push(&pair);
        }
        let result = Object::new();
        set(&result, "files", &files)?;
        set(&result, "imports", &strings(&out.imports))?;
        set(&result, "exports", &strings(&out.exports))?;
        set(&result, "warnings", &strings(&out.warnings))?;
        Ok(result.into())
    };
    run().map_err(|e| js_error(&e))
}

/// Prints the WIT of a component.
///
/// # Errors
/// A JS `Error` with the native CLI's message when the bytes are not a valid component.
#[wasm_bindgen]
pub fn wit(bytes: &[u8], options: JsValue) -> Result<String, JsValue> {
    let run = || -> Result<String> {
        let opts = Opts::read(&options, WIT_OPTIONS, "wit")?;
        wit_bytes(bytes, &opts)
    };
    run().map_err(|e| js_error(&e))
}

/// The exported functions of a component and their types, as JSON text (the format
/// `weft_js::describe` documents). Options as `wit()`'s.
///
/// # Errors
/// A JS `Error` with the native CLI's message when the bytes are not a valid component.
#[wasm_bindgen]
pub fn describe(bytes: &[u8], options: JsValue) -> Result<String, JsValue> {
    let run = || -> Result<String> {
        let opts = Opts::read(&options, WIT_OPTIONS, "describe")?;
        describe_bytes(bytes, &opts)
    };
    run().map_err(|e| js_error(&e))
}

/// WIT for Web APIs from WebIDL: `weft webidl` once the files are read. `files` is an
/// array of `{ name, text }` (`name` as messages show it); options: `interfaces`
/// (`--interface`), `package` (`--package`, default `webidl:web`), `witInterface`
/// (`--wit-interface`, default `web`), `keepFrom` (the names of the files whose
/// interfaces are kept when `interfaces` is empty; default: every file).
///
/// # Errors
/// A JS `Error` with the native CLI's message for bad options, IDL that does not parse
/// or an interface the IDL does not define.
#[wasm_bindgen]
pub fn webidl(files: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue> {
        let opts = WebidlOpts::read(&options)?;
        let files = read_idl_files(&files)?;
        let out = webidl_files(files, &opts)?;
        let warnings: Vec<String> = out.warnings.iter().map(ToString::to_string).collect();
        let result = Object::new();
        set(&result, "wit", &JsValue::from_str(&out.wit))?;
        set(&result, "warnings", &strings(&warnings))?;
        Ok(result.into())
    };
    run().map_err(|e| js_error(&e))
}

/// The native CLI's layout of an error chain: `message`, then its `causes` (outermost
/// first). The npm CLI prints its own errors (reading and writing files) with it.
#[wasm_bindgen(js_name = formatError)]
pub fn format_error(message: &str, causes: Vec<String>) -> String {
    weft_core::error::format_chain(message, &causes)
}

/// The JS `Error` for `e`: the native CLI's message, and `code: 'WEFT_BUG'` for a bug.
fn js_error(e: &anyhow::Error) -> JsValue {
    let err = js_sys::Error::new(&weft_core::error::report(e));
    if weft_core::error::is_bug(e) {
        // Setting a property of a fresh `Error` object cannot fail.
        let _ = Reflect::set(
            &err,
            &JsValue::from_str("code"),
            &JsValue::from_str("WEFT_BUG"),
        );
    }
    err.into()
}

/// The options object, read field by field (camelCase names, all optional).
#[derive(Debug, Default)]
pub struct Opts {
    /// Names the input in error messages and gives the default output name.
    pub input_name: Option<String>,
    /// Parse the bytes as WAT text (binary components pass through unchanged).
    pub wat: bool,
    /// The JS backend's options (`name` already derived).
    pub js: weft_js::Options,
    /// `webidl`: the IDL files (name, text) a component's `webidl:` imports bind
    /// against (`weft transpile --webidl`), parsed only when it has such imports.
    pub webidl: Option<Vec<(String, String)>>,
    /// `record`: the module records every call across the boundary (`--record`);
    /// the header is made from the bytes once they are read.
    pub record: bool,
}

/// The options `transpile()` reads.
const TRANSPILE_OPTIONS: &[&str] = &[
    "inputName",
    "wat",
    "name",
    "instantiation",
    "compat",
    "base64Cutoff",
    "map",
    "typescript",
    "asyncImports",
    "asyncExports",
    "minify",
    "tlaCompat",
    "record",
    "lowered",
    "maxInstances",
    "maxNesting",
    "maxCodeSize",
    "webidl",
    "webidlMissing",
];

/// The options `wit()` reads.
const WIT_OPTIONS: &[&str] = &["inputName", "wat"];

/// The options `webidl()` reads.
const WEBIDL_OPTIONS: &[&str] = &[
    "interfaces",
    "package",
    "witInterface",
    "keepFrom",
    "only",
    "sync",
];

/// Each function and the options it reads.
const FUNCTIONS: &[(&str, &[&str])] = &[
    ("transpile", TRANSPILE_OPTIONS),
    ("wit", WIT_OPTIONS),
    ("describe", WIT_OPTIONS),
    ("webidl", WEBIDL_OPTIONS),
];

/// Refuses an option name that `function` (`transpile`, `wit` or `webidl`), which reads
/// `known`, does not know: misspelt, or one of another function's.
fn check_option_names(names: &[String], known: &[&str], function: &str) -> Result<()> {
    for n in names {
        if known.contains(&n.as_str()) {
            continue;
        }
        let others: Vec<String> = FUNCTIONS
            .iter()
            .filter(|(f, opts)| *f != function && opts.contains(&n.as_str()))
            .map(|(f, _)| format!("`{f}()`"))
            .collect();
        if let [init @ .., last] = others.as_slice() {
            let list = if init.is_empty() {
                last.clone()
            } else {
                format!("{} and {last}", init.join(", "))
            };
            bail!("option `{n}` applies to {list}, not `{function}()`");
        }
        let close = known
            .iter()
            .find(|k| k.eq_ignore_ascii_case(n) || similar(k, n))
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        bail!(
            "unknown option `{n}` of `{function}()`{close} (its options: {})",
            known.join(", ")
        );
    }
    Ok(())
}

/// Whether `a` and `b` differ by one edit (an insertion, a deletion or a substitution)
/// or one swap of neighbours: a likely misspelling.
fn similar(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ra, rb) = (a.len() - prefix - suffix, b.len() - prefix - suffix);
    let swapped = ra == 2 && rb == 2 && a[prefix] == b[prefix + 1] && a[prefix + 1] == b[prefix];
    (ra <= 1 && rb <= 1) || swapped
}

/// Checks the options object `v` of `function`, which reads `known`: `false` when there
/// are none (`undefined` or `null`).
fn check_options(v: &JsValue, known: &[&str], function: &str) -> Result<bool> {
    if v.is_undefined() || v.is_null() {
        return Ok(false);
    }
    if !v.is_object() {
        bail!("options must be an object");
    }
    let names: Vec<String> = Object::keys(&Object::from(v.clone()))
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    check_option_names(&names, known, function)?;
    Ok(true)
}

impl Opts {
    fn read(v: &JsValue, known: &[&str], function: &str) -> Result<Opts> {
        let mut o = Opts::default();
        if !check_options(v, known, function)? {
            o.js.name = "component".into();
            return Ok(o);
        }
        o.input_name = opt_string(v, "inputName")?;
        o.wat = opt_bool(v, "wat")?.unwrap_or(false);
        let name = match opt_string(v, "name")? {
            Some(n) => n,
            None => match &o.input_name {
                Some(p) => stem(p)
                    .context("cannot derive an output name from the input path; pass --name")?
                    .to_string(),
                None => "component".into(),
            },
        };
        if name.is_empty() || name.contains(['/', '\\']) {
            bail!("invalid output name `{name}`");
        }
        o.js.name = name;
        let instantiation = get(v, "instantiation")?;
        if let Some(b) = instantiation.as_bool() {
            o.js.instantiation = b;
        } else if let Some(mode) = instantiation.as_string() {
            (o.js.instantiation, o.js.sync_instantiation) = match mode.as_str() {
                "async" => (true, false),
                "sync" => (true, true),
                _ => bail!(
                    "option `instantiation` must be a boolean, \"async\" or \"sync\", not \"{mode}\""
                ),
            };
        } else if !instantiation.is_undefined() {
            bail!("option `instantiation` must be a boolean, \"async\" or \"sync\"");
        }
        if let Some(c) = opt_string(v, "compat")? {
            o.js.compat = c.parse().map_err(anyhow::Error::msg)?;
        }
        if let Some(n) = opt_count(v, "base64Cutoff", u64::MAX)? {
            o.js.base64_cutoff = usize::try_from(n).unwrap_or(usize::MAX);
        }
        if let Some(n) = opt_count(v, "maxInstances", u64::from(u32::MAX))? {
            o.js.limits.max_instances = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(n) = opt_count(v, "maxNesting", u64::from(u32::MAX))? {
            o.js.limits.max_nesting = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(n) = opt_count(v, "maxCodeSize", u64::MAX)? {
            o.js.limits.max_code_size = usize::try_from(n).unwrap_or(usize::MAX);
        }
        let map = get(v, "map")?;
        if !map.is_undefined() {
            let err = || anyhow::anyhow!("option `map` must be an array of [from, to] pairs");
            if !Array::is_array(&map) {
                return Err(err());
            }
            for pair in Array::from(&map).iter() {
                if !Array::is_array(&pair) {
                    return Err(err());
                }
                let pair = Array::from(&pair);
                match (
                    pair.length(),
                    pair.get(0).as_string(),
                    pair.get(1).as_string(),
                ) {
                    (2, Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => {
                        o.js.map.push((a, b));
                    }
                    _ => return Err(err()),
                }
            }
        }
        o.js.typescript = opt_bool(v, "typescript")?.unwrap_or(true);
        o.js.async_imports = opt_strings(v, "asyncImports")?;
        o.js.async_exports = opt_strings(v, "asyncExports")?;
        o.js.minify = opt_bool(v, "minify")?.unwrap_or(false);
        o.js.tla_compat = opt_bool(v, "tlaCompat")?.unwrap_or(false);
        o.record = opt_bool(v, "record")?.unwrap_or(false);
        o.js.lowered = opt_bool(v, "lowered")?.unwrap_or(false);
        if let Some(m) = opt_string(v, "webidlMissing")? {
            o.js.webidl_missing = m.parse().map_err(anyhow::Error::msg)?;
        }
        let webidl = get(v, "webidl")?;
        if !webidl.is_undefined() {
            o.webidl = Some(read_idl_files(&webidl).map_err(|_| {
                anyhow::anyhow!("option `webidl` must be an array of `{{ name, text }}` IDL files")
            })?);
        }
        Ok(o)
    }

    fn input(&self) -> &str {
        self.input_name.as_deref().unwrap_or("component")
    }
}

/// The native CLI's `weft transpile` after reading the file.
///
/// # Errors
/// The same error chain as the native CLI.
pub fn transpile_bytes(bytes: &[u8], opts: &Opts) -> Result<weft_js::Output> {
    let bytes = parse_input(bytes, opts)?;
    let input = opts.input();
    let plan = weft_core::plan_with_limits(&bytes, &opts.js.limits)
        .with_context(|| format!("failed to transpile `{input}`"))?;
    let wit = weft_core::wit_info(&bytes).ok();
    let mut js = opts.js.clone();
    if opts.record {
        js.record = Some(weft_js::record_header(&bytes, wit.as_ref()));
    }
    if let Some(files) = &opts.webidl
        && plan.imports.iter().any(|i| i.name.starts_with("webidl:"))
    {
        let platform = weft_webidl::platform::Platform::from_files(files)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        js.webidl = Some(std::sync::Arc::new(platform));
    }
    weft_js::generate(&plan, wit.as_ref(), &js)
        .with_context(|| format!("failed to transpile `{input}`"))
}

/// The native CLI's `weft wit` after reading the file.
///
/// # Errors
/// The same error chain as the native CLI.
pub fn wit_bytes(bytes: &[u8], opts: &Opts) -> Result<String> {
    let bytes = valid_input(bytes, opts)?;
    weft_core::wit_text(&bytes)
        .with_context(|| format!("failed to print the WIT of `{}`", opts.input()))
}

/// The exported functions of a component, as `describe()` gives them (JSON text).
///
/// # Errors
/// The same error chain as `wit_bytes` for a bad input.
pub fn describe_bytes(bytes: &[u8], opts: &Opts) -> Result<String> {
    let bytes = valid_input(bytes, opts)?;
    let wit = weft_core::wit_info(&bytes)
        .with_context(|| format!("failed to describe `{}`", opts.input()))?;
    Ok(weft_js::describe(&wit))
}

/// The input as binary (WAT parsed when `opts.wat`), validated as a component: what
/// `weft wit` does before it prints.
fn valid_input<'a>(bytes: &'a [u8], opts: &Opts) -> Result<std::borrow::Cow<'a, [u8]>> {
    let bytes = parse_input(bytes, opts)?;
    weft_core::validate(&bytes).with_context(|| format!("failed to read `{}`", opts.input()))?;
    Ok(bytes)
}

/// The options of `webidl()`: `weft webidl`'s, but for the files, which the caller read.
#[derive(Debug, Clone)]
pub struct WebidlOpts {
    /// Keep these interfaces and namespaces and what they mention (`--interface`).
    pub interfaces: Vec<String>,
    /// The WIT package, `namespace:name` (`--package`).
    pub package: String,
    /// The WIT interface holding the resources and types (`--wit-interface`).
    pub wit_interface: String,
    /// The names of the files whose interfaces are kept when `interfaces` is empty
    /// (`weft webidl`: the files and specs it was given, not the other specs it reads);
    /// `None`: every file's.
    pub keep_from: Option<Vec<String>>,
    /// Keep only those interfaces and their ancestors (`--only`).
    pub only: bool,
    /// Leave out what WIT would make async (`--sync`).
    pub sync: bool,
}

impl Default for WebidlOpts {
    fn default() -> Self {
        WebidlOpts {
            interfaces: Vec::new(),
            package: "webidl:web".into(),
            wit_interface: "web".into(),
            keep_from: None,
            only: false,
            sync: false,
        }
    }
}

impl WebidlOpts {
    fn read(v: &JsValue) -> Result<WebidlOpts> {
        let mut o = WebidlOpts::default();
        if !check_options(v, WEBIDL_OPTIONS, "webidl")? {
            return Ok(o);
        }
        o.interfaces = opt_strings(v, "interfaces")?;
        if let Some(p) = opt_string(v, "package")? {
            o.package = p;
        }
        if let Some(i) = opt_string(v, "witInterface")? {
            o.wit_interface = i;
        }
        o.only = opt_bool(v, "only")?.unwrap_or(false);
        o.sync = opt_bool(v, "sync")?.unwrap_or(false);
        if !get(v, "keepFrom")?.is_undefined() {
            o.keep_from = Some(opt_strings(v, "keepFrom")?);
        }
        Ok(o)
    }
}

/// The `files` argument of `webidl()`: `[{ name, text }, ...]`.
fn read_idl_files(v: &JsValue) -> Result<Vec<(String, String)>> {
    let err = || {
        anyhow::anyhow!(
            "`webidl()` takes an array of files, `{{ name, text }}` objects with string values"
        )
    };
    if !Array::is_array(v) {
        return Err(err());
    }
    Array::from(v)
        .iter()
        .map(|f| {
            if !f.is_object() {
                return Err(err());
            }
            let field = |key: &str| get(&f, key).ok().and_then(|x| x.as_string());
            Ok((
                field("name").ok_or_else(err)?,
                field("text").ok_or_else(err)?,
            ))
        })
        .collect()
}

/// The native CLI's `weft webidl` once the files are read: `files` are `(name, text)`
/// pairs in the order of the native CLI's reading (it puts the named specs of
/// `@webref/idl` first).
///
/// # Errors
/// The native CLI's messages; a bug (`code: 'WEFT_BUG'`) if the generated WIT does not
/// parse.
pub fn webidl_files(
    files: Vec<(String, String)>,
    opts: &WebidlOpts,
) -> Result<weft_webidl::Generated> {
    // The package first, as the native CLI checks it before reading the files.
    weft_webidl::split_package(&opts.package).map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(keep_from) = &opts.keep_from {
        for k in keep_from {
            if !files.iter().any(|(name, _)| name == k) {
                bail!("option `keepFrom`: `{k}` is not the name of one of the files");
            }
        }
    }
    let sources: Vec<weft_webidl::Source> = files
        .into_iter()
        .map(|(name, text)| {
            let keep = opts.keep_from.as_ref().is_none_or(|k| k.contains(&name));
            weft_webidl::Source { name, text, keep }
        })
        .collect();
    let request = weft_webidl::Request {
        interfaces: opts.interfaces.clone(),
        package: opts.package.clone(),
        wit_interface: opts.wit_interface.clone(),
        only: opts.only,
        sync: opts.sync,
    };
    let out = weft_webidl::to_wit(&sources, &request).map_err(|e| anyhow::anyhow!("{e}"))?;
    // As in the native CLI: WIT that does not parse is weft's bug, not the input's.
    let mut resolve = wit_parser::Resolve::default();
    if let Err(e) = resolve.push_str(&out.file_name, &out.wit) {
        return Err(weft_core::error::Bug::new(format!(
            "`weft webidl` wrote WIT that does not parse: {e:#}"
        ))
        .into());
    }
    Ok(out)
}

#[cfg(feature = "wat")]
fn parse_input<'a>(bytes: &'a [u8], opts: &Opts) -> Result<std::borrow::Cow<'a, [u8]>> {
    if opts.wat {
        return wat::parse_bytes(bytes)
            .with_context(|| format!("failed to parse `{}` as WAT", opts.input()));
    }
    Ok(bytes.into())
}

#[cfg(not(feature = "wat"))]
fn parse_input<'a>(bytes: &'a [u8], opts: &Opts) -> Result<std::borrow::Cow<'a, [u8]>> {
    if opts.wat {
        bail!(
            "this build of weft does not read WAT text (`{}`)",
            opts.input()
        );
    }
    Ok(bytes.into())
}

/// `Path::file_stem` on `/`- or `\`-separated text (no `std::path` semantics on wasm32).
fn stem(path: &str) -> Option<&str> {
    let file = path.rsplit(['/', '\\']).next()?;
    if file.is_empty() || file == "." || file == ".." {
        return None;
    }
    if file.starts_with('.') && file[1..].find('.').is_none() {
        return Some(file);
    }
    match file.rfind('.') {
        Some(0) | None => Some(file),
        Some(i) => Some(&file[..i]),
    }
}

fn get(v: &JsValue, key: &str) -> Result<JsValue> {
    Reflect::get(v, &JsValue::from_str(key))
        .map_err(|_| anyhow::anyhow!("cannot read option `{key}`"))
}

fn set(o: &Object, key: &str, value: &JsValue) -> Result<()> {
    Reflect::set(o, &JsValue::from_str(key), value)
        .map(drop)
        .map_err(|_| anyhow::anyhow!("cannot set `{key}`"))
}

fn opt_string(v: &JsValue, key: &str) -> Result<Option<String>> {
    let x = get(v, key)?;
    if x.is_undefined() {
        return Ok(None);
    }
    x.as_string()
        .map(Some)
        .with_context(|| format!("option `{key}` must be a string"))
}

/// A non-negative integer option no larger than `max`.
fn opt_count(v: &JsValue, key: &str, max: u64) -> Result<Option<u64>> {
    let x = get(v, key)?;
    if x.is_undefined() {
        return Ok(None);
    }
    match x.as_f64() {
        // In range and integral, so the cast is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(n)
            if n >= 0.0
                && n.fract() == 0.0
                && n <= 9_007_199_254_740_991.0
                && (n as u64) <= max =>
        {
            Ok(Some(n as u64))
        }
        _ if max < 9_007_199_254_740_991 => {
            bail!("option `{key}` must be an integer from 0 to {max}")
        }
        _ => bail!("option `{key}` must be a non-negative integer"),
    }
}

fn opt_bool(v: &JsValue, key: &str) -> Result<Option<bool>> {
    let x = get(v, key)?;
    if x.is_undefined() {
        return Ok(None);
    }
    x.as_bool()
        .map(Some)
        .with_context(|| format!("option `{key}` must be a boolean"))
}

fn opt_strings(v: &JsValue, key: &str) -> Result<Vec<String>> {
    let x = get(v, key)?;
    if x.is_undefined() {
        return Ok(Vec::new());
    }
    let err = || anyhow::anyhow!("option `{key}` must be an array of strings");
    if !Array::is_array(&x) {
        return Err(err());
    }
    Array::from(&x)
        .iter()
        .map(|s| s.as_string().ok_or_else(err))
        .collect()
}

fn strings(v: &[String]) -> Array {
    v.iter().map(|s| JsValue::from_str(s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_options_are_errors_naming_them() {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        let err = |n: &[&str], known: &[&str], f: &str| {
            check_option_names(&names(n), known, f)
                .unwrap_err()
                .to_string()
        };
        assert!(
            check_option_names(&names(TRANSPILE_OPTIONS), TRANSPILE_OPTIONS, "transpile").is_ok()
        );
        assert_eq!(
            err(&["name", "asyncImport"], TRANSPILE_OPTIONS, "transpile"),
            format!(
                "unknown option `asyncImport` of `transpile()`; did you mean `asyncImports`? (its options: {})",
                TRANSPILE_OPTIONS.join(", ")
            )
        );
        assert_eq!(
            err(&["instantation"], TRANSPILE_OPTIONS, "transpile"),
            format!(
                "unknown option `instantation` of `transpile()`; did you mean `instantiation`? (its options: {})",
                TRANSPILE_OPTIONS.join(", ")
            )
        );
        assert_eq!(
            err(&["frobnicate"], WIT_OPTIONS, "wit"),
            "unknown option `frobnicate` of `wit()` (its options: inputName, wat)"
        );
        assert_eq!(
            err(&["minify"], WIT_OPTIONS, "wit"),
            "option `minify` applies to `transpile()`, not `wit()`"
        );
        assert_eq!(
            err(&["inputName"], WEBIDL_OPTIONS, "webidl"),
            "option `inputName` applies to `transpile()`, `wit()` and `describe()`, not `webidl()`"
        );
        assert_eq!(
            err(&["interfaces"], TRANSPILE_OPTIONS, "transpile"),
            "option `interfaces` applies to `webidl()`, not `transpile()`"
        );
        assert_eq!(
            err(&["interface"], WEBIDL_OPTIONS, "webidl"),
            "unknown option `interface` of `webidl()`; did you mean `interfaces`? (its options: interfaces, package, witInterface, keepFrom, only, sync)"
        );
    }

    #[test]
    fn webidl_like_the_native_cli() {
        let shapes = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../cli/tests/data/webidl/shapes.idl"
        ))
        .unwrap();
        let files = vec![("shapes.idl".to_string(), shapes)];
        let out = webidl_files(files.clone(), &WebidlOpts::default()).unwrap();
        let wit = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../cli/tests/data/webidl/shapes.wit"
        ))
        .unwrap();
        assert_eq!(out.wit, wit);
        assert_eq!(out.file_name, "web.wit");
        let message = |opts: WebidlOpts, files| webidl_files(files, &opts).unwrap_err().to_string();
        assert_eq!(
            message(
                WebidlOpts {
                    package: "web".into(),
                    ..WebidlOpts::default()
                },
                files.clone()
            ),
            "`--package web`: expected `namespace:name`, e.g. `webidl:dom`"
        );
        assert_eq!(
            message(
                WebidlOpts {
                    keep_from: Some(vec!["other.idl".into()]),
                    ..WebidlOpts::default()
                },
                files.clone()
            ),
            "option `keepFrom`: `other.idl` is not the name of one of the files"
        );
        assert_eq!(
            message(
                WebidlOpts {
                    keep_from: Some(Vec::new()),
                    ..WebidlOpts::default()
                },
                files
            ),
            "the inputs define no interface or namespace (name one with `--interface`)"
        );
    }

    #[test]
    fn stems_like_std_path() {
        for p in [
            "a/b/hello.wat",
            "hello",
            ".hidden",
            "x.tar.gz",
            "dir/",
            "a\\b.wasm",
            "..",
        ] {
            let want = std::path::Path::new(p)
                .file_stem()
                .and_then(|s| s.to_str())
                .map(str::to_string);
            if p.contains('\\') {
                assert_eq!(stem(p), Some("b"));
            } else if p == "dir/" {
                // std ignores a trailing separator; the CLI passes paths as given.
                assert_eq!(stem(p), None);
            } else {
                assert_eq!(stem(p).map(str::to_string), want, "{p}");
            }
        }
    }
}
