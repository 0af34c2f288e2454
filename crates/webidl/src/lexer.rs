//! WebIDL tokens (<https://webidl.spec.whatwg.org/#idl-grammar>, "Lexical grammar"):
//! identifiers, strings, integers, decimals and single characters, each with its
//! position; whitespace and comments are dropped.

use crate::ParseError;
use crate::ast::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An identifier or keyword, as written (a leading `_` escape included).
    Ident(String),
    /// A string literal's contents (WebIDL strings have no escapes).
    Str(String),
    /// An integer or decimal literal, as written.
    Number(String),
    /// `...`
    Ellipsis,
    /// Any other single character.
    Punct(char),
    Eof,
}

impl Tok {
    /// How a message names the token.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Str(s) => format!("the string \"{s}\""),
            Tok::Number(n) => format!("the number `{n}`"),
            Tok::Ellipsis => "`...`".to_string(),
            Tok::Punct(c) => format!("`{c}`"),
            Tok::Eof => "the end of the file".to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Splits `text` into tokens; the last is [`Tok::Eof`].
pub fn tokenize(file: &str, text: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1u32, 1u32);
    // Advances over `n` characters, keeping line and column.
    let advance = |i: &mut usize, line: &mut u32, col: &mut u32, n: usize| {
        for _ in 0..n {
            if chars[*i] == '\n' {
                *line += 1;
                *col = 1;
            } else {
                *col += 1;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let span = Span { line, col };
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            advance(&mut i, &mut line, &mut col, 1);
        } else if c == '/' && next == Some('/') {
            let n = chars[i..].iter().take_while(|&&c| c != '\n').count();
            advance(&mut i, &mut line, &mut col, n);
        } else if c == '/' && next == Some('*') {
            let Some(end) = (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == '*' && chars[j + 1] == '/')
            else {
                return Err(ParseError::new(
                    file,
                    span,
                    "a `/*` comment is never closed",
                ));
            };
            let n = end + 2 - i;
            advance(&mut i, &mut line, &mut col, n);
        } else if c == '"' {
            let Some(len) = chars[i + 1..].iter().position(|&c| c == '"') else {
                return Err(ParseError::new(file, span, "a string is never closed"));
            };
            let s: String = chars[i + 1..i + 1 + len].iter().collect();
            advance(&mut i, &mut line, &mut col, len + 2);
            out.push(Token {
                tok: Tok::Str(s),
                span,
            });
        } else if c == '.' && next == Some('.') && chars.get(i + 2) == Some(&'.') {
            advance(&mut i, &mut line, &mut col, 3);
            out.push(Token {
                tok: Tok::Ellipsis,
                span,
            });
        } else if c.is_ascii_digit()
            || (c == '-' && next.is_some_and(|n| n.is_ascii_digit() || n == '.'))
            || (c == '.' && next.is_some_and(|n| n.is_ascii_digit()))
        {
            let n = number_len(&chars[i..]);
            let s: String = chars[i..i + n].iter().collect();
            advance(&mut i, &mut line, &mut col, n);
            out.push(Token {
                tok: Tok::Number(s),
                span,
            });
        } else if c.is_ascii_alphabetic()
            || ((c == '_' || c == '-') && next.is_some_and(|n| n.is_ascii_alphabetic()))
        {
            let n = 1 + chars[i + 1..]
                .iter()
                .take_while(|&&c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                .count();
            let s: String = chars[i..i + n].iter().collect();
            advance(&mut i, &mut line, &mut col, n);
            out.push(Token {
                tok: Tok::Ident(s),
                span,
            });
        } else {
            advance(&mut i, &mut line, &mut col, 1);
            out.push(Token {
                tok: Tok::Punct(c),
                span,
            });
        }
    }
    out.push(Token {
        tok: Tok::Eof,
        span: Span { line, col },
    });
    Ok(out)
}

/// The length of the integer or decimal literal at the start of `s` (a `-` included).
fn number_len(s: &[char]) -> usize {
    let mut n = usize::from(s[0] == '-');
    let hex = s.get(n) == Some(&'0') && matches!(s.get(n + 1), Some('x' | 'X'));
    if hex {
        n += 2;
        while s.get(n).is_some_and(char::is_ascii_hexdigit) {
            n += 1;
        }
        return n;
    }
    while s.get(n).is_some_and(char::is_ascii_digit) {
        n += 1;
    }
    if s.get(n) == Some(&'.') {
        n += 1;
        while s.get(n).is_some_and(char::is_ascii_digit) {
            n += 1;
        }
    }
    if matches!(s.get(n), Some('e' | 'E')) {
        let mut m = n + 1;
        if matches!(s.get(m), Some('+' | '-')) {
            m += 1;
        }
        if s.get(m).is_some_and(char::is_ascii_digit) {
            n = m;
            while s.get(n).is_some_and(char::is_ascii_digit) {
                n += 1;
            }
        }
    }
    n
}
