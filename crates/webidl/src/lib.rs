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
