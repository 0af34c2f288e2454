//! WebIDL for weft: [`parse`] reads WebIDL files into a syntax tree ([`ast`]), and
//! [`names`] is the exact, reversible rule between WebIDL names and WIT names that both
//! the WIT generator (`weft webidl`) and the transpiler's direct binding of `webidl:`
//! imports use.

pub mod ast;
mod lexer;
pub mod model;
pub mod names;
mod parser;
pub mod platform;
pub mod wit;

pub use parser::parse;

use ast::Span;

/// IDL that does not parse: the file, the position and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub file: String,
    pub span: Span,
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(file: &str, span: Span, message: impl Into<String>) -> Self {
        ParseError {
            file: file.to_string(),
            span,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.span.line, self.span.col, self.message
        )
    }
}

impl std::error::Error for ParseError {}

/// The interfaces and namespaces `defs` define (not partials, mixins or callback
/// interfaces): what `weft webidl` keeps by default for the files it is given.
pub fn defined_interfaces(defs: &[ast::Definition]) -> Vec<String> {
    defs.iter()
        .filter_map(|d| match d {
            ast::Definition::Interface(i)
                if !i.partial
                    && matches!(
                        i.kind,
                        ast::InterfaceKind::Interface | ast::InterfaceKind::Namespace
                    ) =>
            {
                Some(i.name.clone())
            }
            _ => None,
        })
        .collect()
}

/// One WebIDL file for [`to_wit`].
#[derive(Debug, Clone)]
pub struct Source {
    /// How errors and warnings name the file (the native CLI: the path as given).
    pub name: String,
    /// The IDL text.
    pub text: String,
    /// Whether the interfaces and namespaces it defines are kept when
    /// [`Request::interfaces`] is empty (`weft webidl`: the files it was given, not the
    /// other specs of `@webref/idl` it reads for their definitions).
    pub keep: bool,
}

/// What [`to_wit`] generates: `weft webidl`'s options.
#[derive(Debug, Clone)]
pub struct Request {
    /// The interfaces and namespaces to keep, with what they mention (`--interface`);
    /// empty: those defined by the [`Source::keep`] files.
    pub interfaces: Vec<String>,
    /// The WIT package, `namespace:name` (`--package`, e.g. `webidl:web`).
    pub package: String,
    /// The WIT interface holding the resources and types (`--wit-interface`, e.g. `web`).
    pub wit_interface: String,
    /// Keep only the kept interfaces and their ancestors (`--only`), leaving out the
    /// members that mention others.
    pub only: bool,
    /// Leave out the members WIT would make async (`--sync`).
    pub sync: bool,
}

/// The WIT package [`to_wit`] generated.
#[derive(Debug)]
pub struct Generated {
    /// The WIT text (not yet checked by a WIT parser: the callers do, since a failure
    /// there is a bug in weft).
    pub wit: String,
    /// What WIT cannot say, left out (`weft webidl` prints each as `warning: …`).
    pub warnings: Vec<wit::Warning>,
    /// The file the package is written to: `<name>.wit` for the package `ns:name`.
    pub file_name: String,
}

/// Why [`to_wit`] failed; the messages are the native CLI's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// [`Request::package`] is not `namespace:name`.
    Package(String),
    /// A file that does not parse.
    Parse(ParseError),
    /// Nothing to keep: no `interfaces`, and the kept files define none.
    NoInterface,
    /// The generator refused the request (an interface the IDL does not define).
    Generate(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Package(p) => write!(
                f,
                "`--package {p}`: expected `namespace:name`, e.g. `webidl:dom`"
            ),
            Error::Parse(e) => e.fmt(f),
            Error::NoInterface => f.write_str(
                "the inputs define no interface or namespace (name one with `--interface`)",
            ),
            Error::Generate(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

/// The `(namespace, name)` of a WIT package `namespace:name`, both non-empty.
///
/// # Errors
/// [`Error::Package`] for anything else.
pub fn split_package(package: &str) -> Result<(&str, &str), Error> {
    match package.split_once(':') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() => Ok((ns, name)),
        _ => Err(Error::Package(package.to_string())),
    }
}

/// `weft webidl` once the files are read (the native CLI and `@weft/transpiler`'s
/// `webidl()` share it): parses `files` in order, keeps `request.interfaces` or else what
/// the [`Source::keep`] files define, merges the model and generates the WIT package.
///
/// # Errors
/// A bad package name, IDL that does not parse, nothing to keep, or an interface to
/// keep that the IDL does not define.
pub fn to_wit(files: &[Source], request: &Request) -> Result<Generated, Error> {
    let (_, package_name) = split_package(&request.package)?;
    let mut parsed = Vec::with_capacity(files.len());
    let mut keep = request.interfaces.clone();
    for f in files {
        let defs = parse(&f.name, &f.text).map_err(Error::Parse)?;
        if request.interfaces.is_empty() && f.keep {
            keep.extend(defined_interfaces(&defs));
        }
        parsed.push((f.name.clone(), defs));
    }
    if keep.is_empty() {
        return Err(Error::NoInterface);
    }
    let model = model::Model::build(&parsed);
    let options = wit::Options {
        package: request.package.clone(),
        interface: request.wit_interface.clone(),
        keep,
        only: request.only,
        sync: request.sync,
    };
    let out = wit::generate(&model, &options).map_err(Error::Generate)?;
    Ok(Generated {
        wit: out.wit,
        warnings: out.warnings,
        file_name: format!("{package_name}.wit"),
    })
}
