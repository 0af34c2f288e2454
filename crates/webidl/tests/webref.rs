//! Every IDL file of `@webref/idl` (the curated IDL of the web platform, which
//! `scripts/setup` installs under `$WEFT_CACHE/webref`) parses.

use std::path::PathBuf;

fn webref_dir() -> PathBuf {
    let cache = std::env::var_os("WEFT_CACHE").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache/weft"),
        PathBuf::from,
    );
    cache.join("webref/node_modules/@webref/idl")
}

#[test]
fn every_webref_file_parses() {
    let dir = webref_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (scripts/setup installs @webref/idl there)",
            dir.display()
        )
    });
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "idl"))
        .collect();
    files.sort();
    assert!(
        files.len() > 300,
        "{} IDL files in {}",
        files.len(),
        dir.display()
    );
    let mut failures = Vec::new();
    let mut definitions = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        match weft_webidl::parse(&f.file_name().unwrap().to_string_lossy(), &text) {
            Ok(defs) => definitions += defs.len(),
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    assert!(definitions > 2000, "{definitions} definitions");
}

/// The model of every webref file, and the interfaces the given specs define.
fn platform(specs: &[&str]) -> (weft_webidl::model::Model, Vec<String>) {
    let dir = webref_dir();
    let mut files = Vec::new();
    let mut keep = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("webref installed")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "idl"))
        .collect();
    names.sort();
    for f in names {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let defs = weft_webidl::parse(
            &format!("{name}.idl"),
            &std::fs::read_to_string(&f).unwrap(),
        )
        .unwrap();
        if specs.contains(&name.as_str()) {
            for d in &defs {
                if let weft_webidl::ast::Definition::Interface(i) = d
                    && !i.partial
                    && i.kind != weft_webidl::ast::InterfaceKind::Mixin
                    && i.kind != weft_webidl::ast::InterfaceKind::CallbackInterface
                {
                    keep.push(i.name.clone());
                }
            }
        }
        files.push((format!("{name}.idl"), defs));
    }
    (weft_webidl::model::Model::build(&files), keep)
}

#[test]
fn the_dom_specs_give_valid_wit() {
    let specs = [
        "dom", "html", "cssom", "uievents", "url", "fetch", "streams", "console",
    ];
    let (model, keep) = platform(&specs);
    let options = weft_webidl::wit::Options {
        package: "webidl:web".into(),
        interface: "web".into(),
        keep,
        only: false,
        sync: false,
    };
    let out = weft_webidl::wit::generate(&model, &options).expect("generates");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("webidl");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("web.wit"), &out.wit).unwrap();
    let warnings: Vec<String> = out.warnings.iter().map(ToString::to_string).collect();
    std::fs::write(dir.join("warnings.txt"), warnings.join("\n")).unwrap();
    let mut resolve = wit_parser::Resolve::default();
    if let Err(e) = resolve.push_str(dir.join("web.wit"), &out.wit) {
        panic!("{}: invalid WIT: {e:?}", dir.join("web.wit").display());
    }
}

// ---------------------------------------------------------------------------------------
// Every webref file reads as webidl2 (the reference parser, which @webref/idl parses its
// files with) reads it: tests/webidl2-compare.mjs prints webidl2's reading of each file in
// a canonical form (described there), and `canonical` below builds the same form from
// weft's syntax tree.

#[test]
fn every_webref_file_reads_as_webidl2_reads_it() {
    let dir = webref_dir();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/webidl2-compare.mjs");
    let out = std::process::Command::new("node")
        .arg(script)
        .arg(&dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node {script}`: {e} (node must be on PATH)"));
    assert!(
        out.status.success(),
        "`node {script}` failed ({}): {}\n(scripts/setup installs @webref/idl and webidl2 under $WEFT_CACHE/webref)",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let mut theirs = std::collections::BTreeMap::new();
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let j = webidl2::Json::parse(line)
            .unwrap_or_else(|e| panic!("{script} printed bad JSON ({e}): {line}"));
        let file = j
            .get("file")
            .and_then(webidl2::Json::as_str)
            .expect("a `file`")
            .to_string();
        theirs.insert(file, j);
    }

    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (scripts/setup installs @webref/idl there)",
                dir.display()
            )
        })
        .map(|e| {
            e.expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .to_string()
        })
        .filter(|f| f.ends_with(".idl"))
        .collect();
    files.sort();
    assert!(
        files.len() > 300,
        "{} IDL files in {}",
        files.len(),
        dir.display()
    );

    let mut reports = Vec::new();
    for file in &files {
        let Some(webidl2) = theirs.get(file) else {
            reports.push(format!("{file}: webidl2 gave no reading"));
            continue;
        };
        if let Some(e) = webidl2.get("error") {
            reports.push(format!("{file}: webidl2 rejects it: {e:?}"));
            continue;
        }
        let text = std::fs::read_to_string(dir.join(file)).expect("readable");
        let ours = match weft_webidl::parse(file, &text) {
            Ok(defs) => webidl2::canonical(file, &defs),
            Err(e) => {
                reports.push(format!("{file}: weft rejects it: {e}"));
                continue;
            }
        };
        let mut diffs = Vec::new();
        webidl2::diff(webidl2, &ours, file, &mut diffs);
        if !diffs.is_empty() {
            let n = diffs.len();
            diffs.truncate(8);
            if n > diffs.len() {
                diffs.push(format!("… and {} more", n - diffs.len()));
            }
            reports.push(format!("{file}:\n  {}", diffs.join("\n  ")));
        }
    }
    assert!(
        reports.is_empty(),
        "{} of {} files read differently from webidl2 (webidl2 first, weft second):\n{}",
        reports.len(),
        files.len(),
        reports.join("\n")
    );
}

/// The canonical form of a file's definitions, and how two compare.
mod webidl2 {
    use weft_webidl::ast::{
        self, Argument, ExtAttr, Member, MemberKind, RhsKind, Special, Type, TypeKind, Value,
    };

    /// Where `theirs` (webidl2) and `ours` (weft) differ, each named by its path: definitions
    /// and members by kind and name.
    pub(super) fn diff(theirs: &Json, ours: &Json, path: &str, out: &mut Vec<String>) {
        match (theirs, ours) {
            (Json::Obj(a), Json::Obj(b)) => {
                for (k, va) in a {
                    match ours.get(k) {
                        Some(vb) => diff(va, vb, &format!("{path}.{k}"), out),
                        None => out.push(format!("{path}.{k}: webidl2 {va}, weft has none")),
                    }
                }
                for (k, vb) in b {
                    if theirs.get(k).is_none() {
                        out.push(format!("{path}.{k}: webidl2 has none, weft {vb}"));
                    }
                }
            }
            (Json::Arr(a), Json::Arr(b)) => {
                for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                    diff(va, vb, &format!("{path}[{i}]{}", label(va)), out);
                }
                if a.len() != b.len() {
                    let extra = |v: &[Json]| {
                        v.iter()
                            .map(|j| match label(j).as_str() {
                                "" => j.to_string(),
                                l => l.trim().to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    out.push(format!(
                        "{path}: webidl2 has {} items, weft {}{}{}",
                        a.len(),
                        b.len(),
                        if a.len() > b.len() {
                            "; only webidl2: "
                        } else {
                            "; only weft: "
                        },
                        extra(if a.len() > b.len() {
                            &a[b.len()..]
                        } else {
                            &b[a.len()..]
                        }),
                    ));
                }
            }
            _ if theirs == ours => {}
            _ => out.push(format!("{path}: webidl2 {theirs}, weft {ours}")),
        }
    }

    /// ` (operation appendChild)` for a definition, member or argument.
    fn label(j: &Json) -> String {
        let kind = j.get("kind").and_then(Json::as_str);
        let name = j.get("name").and_then(Json::as_str);
        match (kind, name) {
            (Some(k), Some(n)) => format!(" ({k} {n})").replace(" )", ")"),
            (None, Some(n)) => format!(" ({n})"),
            _ => String::new(),
        }
    }

    pub(super) fn canonical(file: &str, defs: &[ast::Definition]) -> Json {
        obj([
            ("file", Json::str(file)),
            (
                "definitions",
                Json::Arr(defs.iter().map(canonical_definition).collect()),
            ),
        ])
    }

    fn canonical_definition(d: &ast::Definition) -> Json {
        let common =
            |kind: &str, partial: bool, name: &str, inherits: &Option<String>, ext: &[ExtAttr]| {
                vec![
                    ("kind", Json::str(kind)),
                    ("partial", Json::Bool(partial)),
                    ("name", Json::str(name)),
                    (
                        "inherits",
                        inherits.as_deref().map_or(Json::Null, Json::str),
                    ),
                    ("extAttrs", ext_attrs(ext)),
                ]
            };
        // A kind's keyword (`InterfaceKind::keyword`) is its webidl2 `type`.
        let fields = match d {
            ast::Definition::Interface(i) => {
                let mut f = common(
                    i.kind.keyword(),
                    i.partial,
                    &i.name,
                    &i.inherits,
                    &i.ext_attrs,
                );
                let members = i.members.iter().map(canonical_member);
                f.push(("members", Json::Arr(members.collect())));
                f
            }
            ast::Definition::Dictionary(dict) => {
                let mut f = common(
                    "dictionary",
                    dict.partial,
                    &dict.name,
                    &dict.inherits,
                    &dict.ext_attrs,
                );
                let members = dict.members.iter().map(|m| {
                    obj([
                        ("kind", Json::str("field")),
                        ("name", Json::str(&m.name)),
                        ("extAttrs", ext_attrs(&m.ext_attrs)),
                        ("type", Json::str(&type_string(&m.ty))),
                        ("required", Json::Bool(m.required)),
                        (
                            "default",
                            m.default
                                .as_ref()
                                .map_or(Json::Null, |v| Json::str(&value(v))),
                        ),
                    ])
                });
                f.push(("members", Json::Arr(members.collect())));
                f
            }
            ast::Definition::Enum(e) => {
                let mut f = common("enum", false, &e.name, &None, &e.ext_attrs);
                f.push((
                    "values",
                    Json::Arr(e.values.iter().map(|v| Json::str(v)).collect()),
                ));
                f
            }
            ast::Definition::Typedef(t) => {
                let mut f = common("typedef", false, &t.name, &None, &t.ext_attrs);
                f.push(("type", Json::str(&type_string(&t.ty))));
                f
            }
            ast::Definition::Callback(c) => {
                let mut f = common("callback", false, &c.name, &None, &c.ext_attrs);
                f.push(("type", Json::str(&type_string(&c.ret))));
                f.push(("args", arguments(&c.args)));
                f
            }
            ast::Definition::Includes {
                target,
                mixin,
                ext_attrs,
                ..
            } => {
                let mut f = common("includes", false, target, &None, ext_attrs);
                f.push(("includes", Json::str(mixin)));
                f
            }
        };
        obj(fields)
    }

    fn canonical_member(m: &Member) -> Json {
        let mut f: Vec<(&str, Json)>;
        let head = |kind: &str, name: &str| {
            vec![
                ("kind", Json::str(kind)),
                ("name", Json::str(name)),
                ("extAttrs", ext_attrs(&m.ext_attrs)),
            ]
        };
        match &m.kind {
            MemberKind::Const { name, ty, value: v } => {
                f = head("const", name);
                f.push(("type", Json::str(&type_string(ty))));
                f.push(("value", Json::str(&value(v))));
            }
            MemberKind::Attribute {
                name,
                ty,
                readonly,
                is_static,
                inherit,
                stringifier,
            } => {
                f = head("attribute", name);
                f.push(("type", Json::str(&type_string(ty))));
                f.push(("static", Json::Bool(*is_static)));
                f.push(("readonly", Json::Bool(*readonly)));
                f.push(("inherit", Json::Bool(*inherit)));
                f.push((
                    "special",
                    Json::str(if *stringifier { "stringifier" } else { "" }),
                ));
            }
            MemberKind::Operation {
                name,
                ret,
                args,
                is_static,
                special,
            } => {
                f = head("operation", name.as_deref().unwrap_or(""));
                f.push(("type", Json::str(&type_string(ret))));
                f.push(("static", Json::Bool(*is_static)));
                let special = match special {
                    None => "",
                    Some(Special::Getter) => "getter",
                    Some(Special::Setter) => "setter",
                    Some(Special::Deleter) => "deleter",
                    Some(Special::Stringifier) => "stringifier",
                };
                f.push(("special", Json::str(special)));
                f.push(("args", arguments(args)));
            }
            MemberKind::Constructor { args } => {
                f = head("constructor", "");
                f.push(("args", arguments(args)));
            }
            MemberKind::Stringifier => f = head("stringifier", ""),
            MemberKind::Iterable {
                key,
                value,
                is_async,
                args,
            } => {
                f = head(
                    if *is_async {
                        "async_iterable"
                    } else {
                        "iterable"
                    },
                    "",
                );
                let types = key
                    .iter()
                    .chain([value])
                    .map(|t| Json::str(&type_string(t)));
                f.push(("types", Json::Arr(types.collect())));
                f.push(("args", arguments(args)));
            }
            MemberKind::Maplike {
                key,
                value,
                readonly,
            } => {
                f = head("maplike", "");
                let types = [key, value].into_iter().map(|t| Json::str(&type_string(t)));
                f.push(("types", Json::Arr(types.collect())));
                f.push(("readonly", Json::Bool(*readonly)));
            }
            MemberKind::Setlike { value, readonly } => {
                f = head("setlike", "");
                f.push(("types", Json::Arr(vec![Json::str(&type_string(value))])));
                f.push(("readonly", Json::Bool(*readonly)));
            }
        }
        obj(f)
    }

    fn arguments(args: &[Argument]) -> Json {
        Json::Arr(
            args.iter()
                .map(|a| {
                    obj([
                        ("name", Json::str(&a.name)),
                        ("optional", Json::Bool(a.optional)),
                        ("variadic", Json::Bool(a.variadic)),
                        ("type", Json::str(&type_string(&a.ty))),
                        (
                            "default",
                            a.default
                                .as_ref()
                                .map_or(Json::Null, |v| Json::str(&value(v))),
                        ),
                        ("extAttrs", ext_attrs(&a.ext_attrs)),
                    ])
                })
                .collect(),
        )
    }

    /// An argument of an extended attribute (`[LegacyFactoryFunction=Image(unsigned long width)]`).
    fn argument_string(a: &Argument) -> String {
        let ext = ext_attr_strings(&a.ext_attrs);
        format!(
            "{}{}{}{} {}{}",
            if ext.is_empty() {
                String::new()
            } else {
                format!("[{}] ", ext.join(", "))
            },
            if a.optional { "optional " } else { "" },
            type_string(&a.ty),
            if a.variadic { "..." } else { "" },
            a.name,
            a.default
                .as_ref()
                .map_or(String::new(), |v| format!(" = {}", value(v))),
        )
    }

    fn ext_attrs(attrs: &[ExtAttr]) -> Json {
        Json::Arr(
            ext_attr_strings(attrs)
                .iter()
                .map(|s| Json::str(s))
                .collect(),
        )
    }

    fn ext_attr_strings(attrs: &[ExtAttr]) -> Vec<String> {
        attrs
            .iter()
            .map(|a| {
                let quote = |s: &str| match a.rhs {
                    Some(RhsKind::String) => format!("\"{s}\""),
                    _ => s.to_string(),
                };
                let mut s = a.name.clone();
                if let Some(v) = &a.value {
                    s += &format!("={}", quote(v));
                } else if a.rhs.is_some() {
                    let items: Vec<String> = a.list.iter().map(|i| quote(i)).collect();
                    s += &format!("=({})", items.join(", "));
                }
                if let Some(args) = &a.args {
                    let args: Vec<String> = args.iter().map(argument_string).collect();
                    s += &format!("({})", args.join(", "));
                }
                s
            })
            .collect()
    }

    fn type_string(t: &Type) -> String {
        let inner = |t: &Type| type_string(t);
        let mut s = match &t.kind {
            TypeKind::Any => "any".to_string(),
            TypeKind::Object => "object".to_string(),
            TypeKind::Symbol => "symbol".to_string(),
            TypeKind::Undefined => "undefined".to_string(),
            TypeKind::Boolean => "boolean".to_string(),
            TypeKind::Byte => "byte".to_string(),
            TypeKind::Octet => "octet".to_string(),
            TypeKind::Short => "short".to_string(),
            TypeKind::UnsignedShort => "unsigned short".to_string(),
            TypeKind::Long => "long".to_string(),
            TypeKind::UnsignedLong => "unsigned long".to_string(),
            TypeKind::LongLong => "long long".to_string(),
            TypeKind::UnsignedLongLong => "unsigned long long".to_string(),
            TypeKind::Float { unrestricted } => {
                format!("{}float", if *unrestricted { "unrestricted " } else { "" })
            }
            TypeKind::Double { unrestricted } => {
                format!("{}double", if *unrestricted { "unrestricted " } else { "" })
            }
            TypeKind::BigInt => "bigint".to_string(),
            TypeKind::DomString => "DOMString".to_string(),
            TypeKind::ByteString => "ByteString".to_string(),
            TypeKind::UsvString => "USVString".to_string(),
            TypeKind::Sequence(t) => format!("sequence<{}>", inner(t)),
            TypeKind::AsyncSequence(t) => format!("async_sequence<{}>", inner(t)),
            TypeKind::FrozenArray(t) => format!("FrozenArray<{}>", inner(t)),
            TypeKind::ObservableArray(t) => format!("ObservableArray<{}>", inner(t)),
            TypeKind::Promise(t) => format!("Promise<{}>", inner(t)),
            TypeKind::Record(k, v) => format!("record<{}, {}>", inner(k), inner(v)),
            TypeKind::Union(ts) => {
                format!(
                    "({})",
                    ts.iter().map(inner).collect::<Vec<_>>().join(" or ")
                )
            }
            TypeKind::Named(n) => n.clone(),
        };
        if t.nullable {
            s.push('?');
        }
        let ext = ext_attr_strings(&t.ext_attrs);
        if ext.is_empty() {
            s
        } else {
            format!("[{}] {s}", ext.join(", "))
        }
    }

    fn value(v: &Value) -> String {
        match v {
            Value::Bool(b) => b.to_string(),
            Value::Null => "null".to_string(),
            Value::Number(n) | Value::Float(n) => n.clone(),
            Value::String(s) => format!("\"{s}\""),
            Value::EmptySequence => "[]".to_string(),
            Value::EmptyDictionary => "{}".to_string(),
            Value::Undefined => "undefined".to_string(),
        }
    }

    fn obj<'a>(fields: impl IntoIterator<Item = (&'a str, Json)>) -> Json {
        Json::Obj(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    /// Just enough JSON for the script's output: no numbers (the form has none).
    #[derive(Debug, Clone, PartialEq)]
    pub(super) enum Json {
        Null,
        Bool(bool),
        Str(String),
        Arr(Vec<Json>),
        Obj(Vec<(String, Json)>),
    }

    impl Json {
        fn str(s: &str) -> Json {
            Json::Str(s.to_string())
        }

        pub(super) fn get(&self, key: &str) -> Option<&Json> {
            match self {
                Json::Obj(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
        }

        pub(super) fn as_str(&self) -> Option<&str> {
            match self {
                Json::Str(s) => Some(s),
                _ => None,
            }
        }

        pub(super) fn parse(text: &str) -> Result<Json, String> {
            let chars: Vec<char> = text.chars().collect();
            let mut pos = 0;
            let v = Json::value(&chars, &mut pos)?;
            Json::space(&chars, &mut pos);
            if pos != chars.len() {
                return Err(format!("trailing text at {pos}"));
            }
            Ok(v)
        }

        fn space(c: &[char], pos: &mut usize) {
            while c.get(*pos).is_some_and(char::is_ascii_whitespace) {
                *pos += 1;
            }
        }

        fn value(c: &[char], pos: &mut usize) -> Result<Json, String> {
            Json::space(c, pos);
            let word = |pos: &mut usize, w: &str, v: Json| {
                let end = *pos + w.len();
                if end <= c.len() && c[*pos..end].iter().copied().eq(w.chars()) {
                    *pos = end;
                    Ok(v)
                } else {
                    Err(format!("unexpected text at {pos}"))
                }
            };
            match c.get(*pos) {
                Some('n') => word(pos, "null", Json::Null),
                Some('t') => word(pos, "true", Json::Bool(true)),
                Some('f') => word(pos, "false", Json::Bool(false)),
                Some('"') => Json::string(c, pos).map(Json::Str),
                Some('[') => {
                    *pos += 1;
                    let mut items = Vec::new();
                    Json::space(c, pos);
                    if c.get(*pos) == Some(&']') {
                        *pos += 1;
                        return Ok(Json::Arr(items));
                    }
                    loop {
                        items.push(Json::value(c, pos)?);
                        Json::space(c, pos);
                        match c.get(*pos) {
                            Some(',') => *pos += 1,
                            Some(']') => {
                                *pos += 1;
                                return Ok(Json::Arr(items));
                            }
                            _ => return Err(format!("expected `,` or `]` at {pos}")),
                        }
                    }
                }
                Some('{') => {
                    *pos += 1;
                    let mut fields = Vec::new();
                    Json::space(c, pos);
                    if c.get(*pos) == Some(&'}') {
                        *pos += 1;
                        return Ok(Json::Obj(fields));
                    }
                    loop {
                        Json::space(c, pos);
                        let key = Json::string(c, pos)?;
                        Json::space(c, pos);
                        if c.get(*pos) != Some(&':') {
                            return Err(format!("expected `:` at {pos}"));
                        }
                        *pos += 1;
                        fields.push((key, Json::value(c, pos)?));
                        Json::space(c, pos);
                        match c.get(*pos) {
                            Some(',') => *pos += 1,
                            Some('}') => {
                                *pos += 1;
                                return Ok(Json::Obj(fields));
                            }
                            _ => return Err(format!("expected `,` or `}}` at {pos}")),
                        }
                    }
                }
                _ => Err(format!("unexpected text at {pos}")),
            }
        }

        fn string(c: &[char], pos: &mut usize) -> Result<String, String> {
            if c.get(*pos) != Some(&'"') {
                return Err(format!("expected a string at {pos}"));
            }
            *pos += 1;
            let mut s = String::new();
            let hex4 = |pos: &mut usize| -> Result<u32, String> {
                let h: String = c
                    .get(*pos..*pos + 4)
                    .ok_or("short \\u escape")?
                    .iter()
                    .collect();
                *pos += 4;
                u32::from_str_radix(&h, 16).map_err(|e| e.to_string())
            };
            loop {
                let ch = *c.get(*pos).ok_or("unterminated string")?;
                *pos += 1;
                match ch {
                    '"' => return Ok(s),
                    '\\' => {
                        let e = *c.get(*pos).ok_or("unterminated escape")?;
                        *pos += 1;
                        match e {
                            'n' => s.push('\n'),
                            't' => s.push('\t'),
                            'r' => s.push('\r'),
                            'b' => s.push('\u{8}'),
                            'f' => s.push('\u{c}'),
                            'u' => {
                                let mut u = hex4(pos)?;
                                if (0xD800..0xDC00).contains(&u)
                                    && c.get(*pos..*pos + 2) == Some(&['\\', 'u'])
                                {
                                    *pos += 2;
                                    let low = hex4(pos)?;
                                    u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                                }
                                s.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
                            }
                            other => s.push(other),
                        }
                    }
                    other => s.push(other),
                }
            }
        }
    }

    impl std::fmt::Display for Json {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                Json::Null => write!(f, "null"),
                Json::Bool(b) => write!(f, "{b}"),
                Json::Str(s) => write!(f, "{s:?}"),
                Json::Arr(items) => {
                    write!(f, "[")?;
                    for (i, v) in items.iter().enumerate() {
                        write!(f, "{}{v}", if i > 0 { ", " } else { "" })?;
                    }
                    write!(f, "]")
                }
                Json::Obj(fields) => {
                    write!(f, "{{")?;
                    for (i, (k, v)) in fields.iter().enumerate() {
                        write!(f, "{}{k:?}: {v}", if i > 0 { ", " } else { "" })?;
                    }
                    write!(f, "}}")
                }
            }
        }
    }
}
