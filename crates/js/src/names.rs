//! JS names for WIT names: `lowerCamelCase` for functions, fields and interfaces,
//! `UpperCamelCase` for resources, fresh identifiers that never collide, and the kind of
//! function a WIT name denotes (`[method]r.m` and the like).

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

/// An interface name's last segment as an identifier: `wasi:cli/stdout@0.2.3` →
/// `stdout`.
pub fn sanitize(s: &str) -> String {
    let base = s.rsplit(['/', ':']).next().unwrap_or(s);
    let base = base.split('@').next().unwrap_or(base);
    camel(&base.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-"))
}

/// The short JS name of an export: an interface's last segment (`wasi:cli/run@0.3.0` →
/// `run`), or the function's own name in lowerCamelCase.
pub fn export_short_name(name: &str) -> String {
    if name.contains(':') || name.contains('/') {
        sanitize(name)
    } else {
        camel(name)
    }
}

/// For each export name, the short alias it is also exported under, if any: its
/// [`export_short_name`], unless another export has the same short name or that short
/// name as its full name (`local:local/run` and `wasi:cli/run` both keep only their
/// full names). Every export is always available under its full name.
pub fn export_aliases(names: &[String]) -> Vec<Option<String>> {
    let shorts = names.iter().map(|n| export_short_name(n)).collect();
    aliases(names, shorts)
}

/// As [`export_aliases`], where `is_class[i]` says that export `i` is a resource: its
/// short name is its class's (`r` → `R`).
pub fn export_aliases_of(names: &[String], is_class: &[bool]) -> Vec<Option<String>> {
    let shorts = names
        .iter()
        .zip(is_class)
        .map(|(n, c)| {
            if *c {
                upper_camel(n)
            } else {
                export_short_name(n)
            }
        })
        .collect();
    aliases(names, shorts)
}

/// Each short name, unless another export has it as its short or full name.
fn aliases(names: &[String], shorts: Vec<String>) -> Vec<Option<String>> {
    shorts
        .iter()
        .enumerate()
        .map(|(i, short)| {
            let taken =
                (0..names.len()).any(|j| j != i && (shorts[j] == *short || names[j] == *short));
            (!taken).then(|| short.clone())
        })
        .collect()
}

/// The module's trap state as link offers hand it out (`link.rs`).
pub const LINK_STATE: &str = "linkState";

/// Fixed identifiers of the generated code, besides the runtime's and the namer's.
pub const RESERVED: &[&str] = &[
    "cx",
    "e",
    "poisoned",
    "poison",
    "instantiate",
    "getCoreModule",
    "imports",
    "hostReps",
    LINK_STATE,
];

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

/// What kind of function a WIT function name denotes.
pub enum FnKind<'a> {
    /// `name`.
    Free(&'a str),
    /// `[constructor]resource`.
    Constructor(&'a str),
    /// `[method]resource.name`.
    Method(&'a str, &'a str),
    /// `[static]resource.name`.
    Static(&'a str, &'a str),
}

/// Splits `[method]r.m`-style names.
pub fn fn_kind(name: &str) -> FnKind<'_> {
    if let Some(r) = name.strip_prefix("[constructor]") {
        return FnKind::Constructor(r);
    }
    for (prefix, method) in [("[method]", true), ("[static]", false)] {
        if let Some(rest) = name.strip_prefix(prefix)
            && let Some((r, m)) = rest.split_once('.')
        {
            return if method {
                FnKind::Method(r, m)
            } else {
                FnKind::Static(r, m)
            };
        }
    }
    FnKind::Free(name)
}

/// The variable holding compiled core module `m` (a `WebAssembly.Module`), which the
/// instantiation sequence declares and exports of the module read.
pub fn module_var(m: u32) -> String {
    format!("module{m}")
}

/// The file of the module generated for exported component `i` of the output `name`.
pub fn component_file(name: &str, i: u32) -> String {
    format!("{name}.component{i}.js")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases(names: &[&str]) -> Vec<Option<String>> {
        export_aliases(&names.iter().map(ToString::to_string).collect::<Vec<_>>())
    }

    #[test]
    fn a_short_alias_only_when_unique() {
        assert_eq!(
            aliases(&["wasi:cli/run@0.3.0", "add-two"]),
            [Some("run".into()), Some("addTwo".into())]
        );
        assert_eq!(
            aliases(&["local:local/run", "wasi:cli/run@0.3.0"]),
            [None, None]
        );
        // A function named `run` is exported as `run` (its full name); the interface
        // gets no alias.
        assert_eq!(aliases(&["run", "wasi:cli/run@0.3.0"]), [None, None]);
    }
}
