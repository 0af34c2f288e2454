//! The options of the JS backend, as the CLI, the wasm build and the tests give them.

use std::fmt;
use std::str::FromStr;

/// Options of the JS backend.
#[derive(Debug, Clone)]
pub struct Options {
    /// Base name of the output files.
    pub name: String,
    /// Emit `instantiate(getCoreModule, imports)` instead of a self-instantiating module.
    pub instantiation: bool,
    /// With `instantiation`: `instantiate` is synchronous (`--instantiation sync`, jco's
    /// form): `getCoreModule` returns compiled `WebAssembly.Module`s, core instances are
    /// made with `new WebAssembly.Instance`, and the exports are returned, not a promise.
    pub sync_instantiation: bool,
    /// Value shapes.
    pub compat: Compat,
    /// Core modules smaller than this many bytes are inlined as base64.
    pub base64_cutoff: usize,
    /// Import specifier rewrites, `from` may contain one `*`.
    pub map: Vec<(String, String)>,
    /// Also emit `<name>.d.ts`.
    pub typescript: bool,
    /// Host imports (`interface#function` patterns, one `*` each; a pattern without
    /// `#` names a whole interface) whose JS implementation may return a promise to a
    /// synchronous caller: the call suspends the guest with JSPI.
    pub async_imports: Vec<String>,
    /// Synchronous exports (same patterns) entered through JSPI: they return promises,
    /// so the imports above can suspend them.
    pub async_exports: Vec<String>,
    /// Print the JS without whitespace, comments or optional semicolons (names are kept).
    pub minify: bool,
    /// No top-level `await` (jco's `--tla-compat`): the self-instantiating module
    /// exports `$init`, a promise to await before using the other exports.
    pub tla_compat: bool,
    /// Bounds on the transpile; [`generate`](crate::generate) enforces
    /// `max_code_size` on the JS and `.d.ts` it prints (the front ends pass the same
    /// limits to `weft_core::plan_with_limits`).
    pub limits: weft_core::Limits,
    /// The WebIDL `webidl:` imports are bound against (`webidl.rs`); a component that
    /// has such imports needs it.
    pub webidl: Option<std::sync::Arc<weft_webidl::platform::Platform>>,
    /// What a platform member that a `webidl:` import is bound to, and the engine lacks,
    /// does (`--webidl-missing`).
    pub webidl_missing: WebIdlMissing,
    /// Record every call across the boundary (`--record`, `record.rs`): the trace's
    /// header (`record::header`), or `None` for no recording (the default).
    pub record: Option<String>,
    /// Generate the glue on the component's core instances linked into one core module
    /// (`--lowered`, weft-lower) instead of on its core modules.
    pub lowered: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            name: "component".into(),
            instantiation: false,
            sync_instantiation: false,
            compat: Compat::Native,
            base64_cutoff: 4096,
            map: Vec::new(),
            typescript: true,
            async_imports: Vec::new(),
            async_exports: Vec::new(),
            minify: false,
            tla_compat: false,
            limits: weft_core::Limits::default(),
            webidl: None,
            webidl_missing: WebIdlMissing::Error,
            record: None,
            lowered: false,
        }
    }
}

/// Which JS value shapes to produce and accept (`--compat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compat {
    /// The CM Explainer's JS API shapes.
    #[default]
    Native,
    /// jco 1.35's shapes.
    Jco,
}

impl FromStr for Compat {
    type Err = String;

    /// `native` or `jco`, as `--compat` and the JS API's `compat` option spell them.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "native" => Ok(Compat::Native),
            "jco" => Ok(Compat::Jco),
            _ => Err(format!(
                "unknown compat mode `{s}` (expected `native` or `jco`)"
            )),
        }
    }
}

impl fmt::Display for Compat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compat::Native => "native",
            Compat::Jco => "jco",
        })
    }
}

/// What the engine lacking a platform member (or interface) that a `webidl:` import is
/// bound to does (`--webidl-missing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WebIdlMissing {
    /// Instantiation fails with a `WebIdlMissing` error naming the first one.
    #[default]
    Error,
    /// Instantiation goes on; a call of a function using one traps, naming it. What is
    /// missing is recorded where a test can read it (`src/runtime/webidl.js`,
    /// `idlMissingRecord`).
    Trap,
}

impl FromStr for WebIdlMissing {
    type Err = String;

    /// `error` or `trap`, as `--webidl-missing` spells them.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "error" => Ok(WebIdlMissing::Error),
            "trap" => Ok(WebIdlMissing::Trap),
            _ => Err(format!(
                "unknown `--webidl-missing` mode `{s}` (expected `error` or `trap`)"
            )),
        }
    }
}

impl fmt::Display for WebIdlMissing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WebIdlMissing::Error => "error",
            WebIdlMissing::Trap => "trap",
        })
    }
}

/// Whether `label` (`interface#function`, or a plain function name) matches `pattern`
/// (one `*` wildcard; without `#`, the pattern names the interface part).
pub fn label_matches(pattern: &str, label: &str) -> bool {
    let subject = if pattern.contains('#') {
        label
    } else {
        label.split('#').next().unwrap_or(label)
    };
    wildcard(pattern, subject).is_some()
}

/// What the one `*` of `pattern` matches in `subject` (`Some("")` for a pattern without
/// `*` that equals `subject`), or `None` when `subject` does not match.
pub fn wildcard<'s>(pattern: &str, subject: &'s str) -> Option<&'s str> {
    match pattern.split_once('*') {
        Some((pre, post)) => (subject.len() >= pre.len() + post.len()
            && subject.starts_with(pre)
            && subject.ends_with(post))
        .then(|| &subject[pre.len()..subject.len() - post.len()]),
        None => (subject == pattern).then_some(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compat_round_trips_through_text() {
        for c in [Compat::Native, Compat::Jco] {
            assert_eq!(c.to_string().parse::<Compat>(), Ok(c));
        }
        assert_eq!(
            "node".parse::<Compat>(),
            Err("unknown compat mode `node` (expected `native` or `jco`)".to_string())
        );
    }

    #[test]
    fn webidl_missing_round_trips_through_text() {
        for m in [WebIdlMissing::Error, WebIdlMissing::Trap] {
            assert_eq!(m.to_string().parse::<WebIdlMissing>(), Ok(m));
        }
        assert!("ignore".parse::<WebIdlMissing>().is_err());
    }

    #[test]
    fn patterns() {
        assert!(label_matches(
            "wasi:io/poll@0.2.*",
            "wasi:io/poll@0.2.3#poll"
        ));
        assert!(label_matches("a#f", "a#f"));
        assert!(!label_matches("a#f", "a#g"));
        assert!(label_matches("*", "run"));
    }
}
