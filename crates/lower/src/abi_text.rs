//! How the host ABI spells things (`weft lower`'s JSON and C header): flat types, C
//! types, identifiers, WIT text of types and functions, the memory and realloc a
//! function names.

use std::collections::HashMap;

use weft_core::abi::Flat;
use weft_core::plan::{CanonOptions, CoreDef, Plan, StringEncoding};
use weft_core::types::{FuncType, TypeDef, ValType};

/// A function's memory and realloc, as the ABI names them.
pub(crate) type Memory = (Option<String>, Option<String>);

pub(crate) fn export_name(d: &CoreDef) -> Option<String> {
    match d {
        CoreDef::Export { name, .. } => Some(name.clone()),
        _ => None,
    }
}

/// The name the ABI gives the export `d` is: `shared`'s name for a memory or realloc
/// every function uses, else its own.
pub(crate) fn shared_name(d: &CoreDef, shared: &HashMap<String, String>) -> Option<String> {
    let n = export_name(d)?;
    Some(shared.get(&n).cloned().unwrap_or(n))
}

/// The export names of a function's memory and realloc ([`shared_name`]).
pub(crate) fn memory_of(o: &CanonOptions, shared: &HashMap<String, String>) -> Memory {
    let named = |d: &Option<CoreDef>| shared_name(d.as_ref()?, shared);
    (named(&o.memory), named(&o.realloc))
}

pub(crate) fn encoding(e: StringEncoding) -> &'static str {
    match e {
        StringEncoding::Utf8 => "utf8",
        StringEncoding::Utf16 => "utf16",
        StringEncoding::CompactUtf16 => "latin1+utf16",
    }
}

pub(crate) fn flats(fs: &[Flat]) -> Vec<&'static str> {
    fs.iter().map(|f| flat_name(*f)).collect()
}

pub(crate) fn flat_name(f: Flat) -> &'static str {
    match f {
        Flat::I32 => "i32",
        Flat::I64 => "i64",
        Flat::F32 => "f32",
        Flat::F64 => "f64",
    }
}

pub(crate) fn c_type(f: Flat) -> &'static str {
    match f {
        Flat::I32 => "int32_t",
        Flat::I64 => "int64_t",
        Flat::F32 => "float",
        Flat::F64 => "double",
    }
}

pub(crate) fn c_params(params: &[Flat]) -> String {
    if params.is_empty() {
        return "void".into();
    }
    params
        .iter()
        .map(|f| c_type(*f))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn c_result(results: &[Flat]) -> &'static str {
    results.first().map_or("void", |f| c_type(*f))
}

/// A C identifier from a name (`wasi:cli/run@0.2.0#run` → `wasi_cli_run_0_2_0_run`).
pub(crate) fn ident(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A function type in WIT's words.
pub(crate) fn func_text(plan: &Plan, f: &FuncType) -> String {
    let params: Vec<String> = f
        .params
        .iter()
        .map(|(n, t)| format!("{n}: {}", type_text(plan, *t)))
        .collect();
    let asyncness = if f.is_async { "async " } else { "" };
    match f.result {
        Some(t) => format!(
            "{asyncness}func({}) -> {}",
            params.join(", "),
            type_text(plan, t)
        ),
        None => format!("{asyncness}func({})", params.join(", ")),
    }
}

pub(crate) fn type_text(plan: &Plan, t: ValType) -> String {
    if let Some(p) = t.primitive_name() {
        return p.to_string();
    }
    let ValType::Defined(id) = t else {
        return format!("{t:?}");
    };
    let list = |ts: &[ValType]| {
        ts.iter()
            .map(|t| type_text(plan, *t))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match plan.types.def(id) {
        TypeDef::Record(fields) => format!(
            "record {{ {} }}",
            fields
                .iter()
                .map(|(n, t)| format!("{n}: {}", type_text(plan, *t)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeDef::Tuple(ts) => format!("tuple<{}>", list(ts)),
        TypeDef::Variant(cases) => format!(
            "variant {{ {} }}",
            cases
                .iter()
                .map(|(n, t)| match t {
                    Some(t) => format!("{n}({})", type_text(plan, *t)),
                    None => n.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeDef::Enum(names) => format!("enum {{ {} }}", names.join(", ")),
        TypeDef::Flags(names) => format!("flags {{ {} }}", names.join(", ")),
        TypeDef::Option(t) => format!("option<{}>", type_text(plan, *t)),
        TypeDef::Result { ok, err } => {
            let side = |t: &Option<ValType>| t.map_or("_".to_string(), |t| type_text(plan, t));
            format!("result<{}, {}>", side(ok), side(err))
        }
        TypeDef::List(t) => format!("list<{}>", type_text(plan, *t)),
        TypeDef::FixedList(t, n) => format!("list<{}, {n}>", type_text(plan, *t)),
        TypeDef::Map(k, v) => format!("map<{}, {}>", type_text(plan, *k), type_text(plan, *v)),
        // A resource by its number in the JSON's "resources" (names may repeat).
        TypeDef::Own(r) => format!("own<#{}>", r.0 + 1),
        TypeDef::Borrow(r) => format!("borrow<#{}>", r.0 + 1),
        TypeDef::Future(t) => format!("future<{}>", t.map_or("_".into(), |t| type_text(plan, t))),
        TypeDef::Stream(t) => format!("stream<{}>", t.map_or("_".into(), |t| type_text(plan, t))),
    }
}
