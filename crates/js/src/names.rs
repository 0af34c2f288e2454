//! JS names for WIT names: `lowerCamelCase` for functions, fields and interfaces,
//! `UpperCamelCase` for resources, and fresh identifiers that never collide.

use std::collections::HashSet;

/// `foo-bar-baz` → `fooBarBaz`, with `_` appended to a reserved word: for names that
/// must be identifiers (free functions, which are declarations in the `.d.ts`;
/// parameters).
pub fn camel(name: &str) -> String {
    let mut out = prop(name);
    if is_reserved(&out) {
        out.push('_');
    }
    out
}

/// `foo-bar-baz` → `fooBarBaz` as a property name: record fields, flags, and resource
/// methods and statics keep reserved words (`fields.delete`, `Response.new`).
pub fn prop(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `foo-bar` → `FooBar`.
pub fn upper_camel(name: &str) -> String {
    let c = camel(name);
    let mut chars = c.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => c,
    }
}

/// Whether `s` is a JS reserved word (or a name that would shadow an important global).
pub fn is_reserved(s: &str) -> bool {
    matches!(
        s,
        "break"
            | "case"
            | "catch"
            | "class"
            | "const"
            | "continue"
            | "debugger"
            | "default"
            | "delete"
            | "do"
            | "else"
            | "export"
            | "extends"
            | "finally"
            | "for"
            | "function"
            | "if"
            | "import"
            | "in"
            | "instanceof"
            | "new"
            | "return"
            | "super"
            | "switch"
            | "this"
            | "throw"
            | "try"
            | "typeof"
            | "var"
            | "void"
            | "while"
            | "with"
            | "yield"
            | "let"
            | "static"
            | "enum"
            | "await"
            | "implements"
            | "package"
            | "protected"
            | "interface"
            | "private"
            | "public"
            | "null"
            | "true"
            | "false"
            | "undefined"
            | "arguments"
            | "eval"
    )
}

/// Hands out module-scope identifiers that do not collide with each other or with the
/// runtime's names.
#[derive(Default)]
pub struct Namer {
    used: HashSet<String>,
}

impl Namer {
    /// Reserves `name` exactly (runtime helpers); returns false if it was taken.
    pub fn reserve(&mut self, name: &str) -> bool {
        self.used.insert(name.to_string())
    }

    /// A fresh identifier based on `base`.
    pub fn fresh(&mut self, base: &str) -> String {
        let base = if base.is_empty() || is_reserved(base) {
            format!("{base}_")
        } else {
            base.to_string()
        };
        if self.used.insert(base.clone()) {
            return base;
        }
        for i in 1.. {
            let n = format!("{base}{i}");
            if self.used.insert(n.clone()) {
                return n;
            }
        }
        unreachable!("an unused name exists")
    }
}
