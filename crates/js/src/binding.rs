//! How WIT names and values bind to JS: the one place where the value-shape modes
//! (`--compat native`, `--compat jco`, and next WebIDL's exact names) differ.
//!
//! Generators ask the [`Binding`] of the run (`Facts::binding`) for every name a JS
//! user sees (record fields, flags, functions, methods, resource classes) and for the
//! shape of variant-like values, instead of matching on [`Compat`]. A new mode is a new
//! implementation of the trait, not new branches in the generators. Identifiers the
//! generated code declares for itself (`names::Namer`) are not part of the binding.

use swc_ecma_ast::Expr;
use weft_core::types::ValType;

use crate::ast::{null, undefined};
use crate::names::{FnKind, camel, fn_kind, prop, upper_camel};
use crate::options::Compat;

/// Names and value shapes of one mode.
pub trait Binding: Sync {
    /// The property holding a variant case's payload.
    fn payload_key(&self) -> &'static str {
        "value"
    }

    /// The JS value of `none` for an `option<T>` in its nullable form.
    fn none(&self) -> Box<Expr> {
        null()
    }

    /// The TypeScript type of [`Binding::none`].
    fn none_type(&self) -> &'static str {
        "null"
    }

    /// Whether a `result` case without a payload still carries the payload key, set to
    /// `undefined` (jco 1.35 writes it for results, not for variants).
    fn unit_result_payload(&self) -> bool {
        false
    }

    /// A record field or a flag.
    fn field(&self, wit: &str) -> String {
        prop(wit)
    }

    /// A free function (also a parameter name in `.d.ts` signatures): an identifier, so
    /// a reserved word gets a `_`.
    fn function(&self, wit: &str) -> String {
        camel(wit)
    }

    /// A function as a property of an instance's or interface's object (imports and
    /// exports): [`Binding::function`]'s name (jco: reserved words kept, as properties
    /// may be: `throw`, where weft names it `throw_` everywhere).
    fn member_function(&self, wit: &str) -> String {
        self.function(wit)
    }

    /// A method or static function of a resource class.
    fn method(&self, wit: &str) -> String {
        prop(wit)
    }

    /// A resource class.
    fn class(&self, wit: &str) -> String {
        upper_camel(wit)
    }

    /// The name `--map` and the default specifier see for the component import `name`.
    fn import_key<'a>(&self, name: &'a str) -> &'a str {
        name
    }

    /// The specifier of an import that no `--map` rule or WASI shim names.
    fn unmapped_specifier(&self, key: &str) -> String {
        key.to_string()
    }

    /// Whether `instantiate`'s `imports` are keyed by specifier (mapped or not) rather
    /// than by the import's WIT name.
    fn imports_keyed_by_specifier(&self) -> bool {
        false
    }

    /// The member a `spec#Name` target names for an instance import.
    fn interface_member(&self, name: &str) -> String {
        name.to_string()
    }

    /// Whether the import of a root-level resource function (`[constructor]r`,
    /// `[static]r.f`) is the resource's class itself rather than an object holding it.
    fn root_resource_import_is_class(&self) -> bool {
        false
    }

    /// Whether an `--async-imports` / `--async-exports` pattern names the function
    /// `label` (`interface#function`, or a root function's name).
    fn label_matches(&self, pattern: &str, label: &str) -> bool {
        crate::options::label_matches(pattern, label)
    }

    /// Whether an export (or resource method) that returns a promise is an `async
    /// function` (jco's surface: its tests check `instanceof AsyncFunction`) rather than
    /// a plain function returning the promise (one promise fewer per call).
    fn async_function_exports(&self) -> bool {
        false
    }

    /// Whether an integer from JS must be in its type's range (jco: else a `TypeError`
    /// "invalid u8 value"), where weft wraps it as the CM Explainer's `ToUint8` …
    /// `ToBigUint64` do. jco 1.35 checks so only in its output for components that use
    /// async (`FnGen::strict_integers`).
    fn strict_integers(&self) -> bool {
        false
    }

    /// Whether a 64-bit integer from JS may also be a Number that is an integer (jco), not
    /// only a BigInt.
    fn u64_from_numbers(&self) -> bool {
        false
    }

    /// Whether a fixed-length list of numbers lifts to a typed array (weft) rather than
    /// an `Array` (jco).
    fn typed_fixed_lists(&self) -> bool {
        true
    }

    /// Whether a `result` from JS that is not an object tagged `ok` or `err` is the `ok`
    /// payload (jco: `jcoResult`), rather than a `TypeError`. A host function returning
    /// a `result` then may also return the tagged object. jco 1.35 does so only in its
    /// output for components that use async (`FnGen::bare_ok_results`).
    fn bare_ok_results(&self) -> bool {
        false
    }

    /// Whether a `map<K, V>` from JS may also be a plain object (weft), not only a `Map`
    /// (jco).
    fn maps_from_objects(&self) -> bool {
        true
    }

    /// Whether streams and futures take jco's JS forms (`jco.js`: a reader object with
    /// `next()`, a thenable that keeps nested futures as layers; a JS source yields one
    /// element per item, `stream<u8>` included, and a value given with `done: true` is
    /// the last item) rather than weft's (`stream.js`: `ReadableStream`, `Promise`;
    /// `stream<u8>` sources yield chunks).
    fn jco_ends(&self) -> bool {
        false
    }

    /// The runtime helper that turns what a host function returning `result` threw into
    /// its `err` payload, or rethrows it (`err_is_string`: the error type is `string`).
    fn err_payload(&self, err_is_string: bool) -> &'static str {
        let _ = err_is_string;
        "errPayload"
    }

    /// The JS string of an enum case.
    fn enum_case(&self, wit: &str) -> String {
        wit.to_string()
    }

    /// Whether a 64-bit integer reaches JS as a Number (WebIDL's `long long`), not a
    /// BigInt.
    fn wide_ints_as_numbers(&self) -> bool {
        false
    }

    /// Whether a variant is its payload alone, its case told by the payload's JS type
    /// (`abi::FnGen::case_test`), rather than `{ tag, value }`: WebIDL unions.
    fn bare_variants(&self) -> bool {
        false
    }
}

/// The CM Explainer's JS API shapes.
struct Native;

impl Binding for Native {}

/// jco 1.35's shapes: `{ tag, val }`, `undefined` for none.
struct Jco;

impl Binding for Jco {
    fn payload_key(&self) -> &'static str {
        "val"
    }

    fn none(&self) -> Box<Expr> {
        undefined()
    }

    fn none_type(&self) -> &'static str {
        "undefined"
    }

    fn unit_result_payload(&self) -> bool {
        true
    }

    /// A root-level resource's functions are found under the resource's name.
    fn member_function(&self, wit: &str) -> String {
        prop(wit)
    }

    fn import_key<'a>(&self, name: &'a str) -> &'a str {
        match fn_kind(name) {
            FnKind::Constructor(r) | FnKind::Method(r, _) | FnKind::Static(r, _) => r,
            FnKind::Free(_) => name,
        }
    }

    fn unmapped_specifier(&self, key: &str) -> String {
        key.split('@').next().unwrap_or(key).to_string()
    }

    fn imports_keyed_by_specifier(&self) -> bool {
        true
    }

    fn interface_member(&self, name: &str) -> String {
        prop(name)
    }

    fn root_resource_import_is_class(&self) -> bool {
        true
    }

    fn async_function_exports(&self) -> bool {
        true
    }

    fn jco_ends(&self) -> bool {
        true
    }

    fn strict_integers(&self) -> bool {
        true
    }

    fn u64_from_numbers(&self) -> bool {
        true
    }

    fn maps_from_objects(&self) -> bool {
        false
    }

    fn bare_ok_results(&self) -> bool {
        true
    }

    fn typed_fixed_lists(&self) -> bool {
        false
    }

    /// jco's rule besides weft's: a pattern without `#` also names a function of that
    /// name in any interface, and `interface#function` matches whatever the version.
    fn label_matches(&self, pattern: &str, label: &str) -> bool {
        if crate::options::label_matches(pattern, label) {
            return true;
        }
        let (iface, func) = label.rsplit_once('#').unwrap_or(("", label));
        match pattern.split_once('#') {
            None => crate::options::wildcard(pattern, func).is_some(),
            Some(_) => {
                let bare = format!("{}#{func}", iface.split('@').next().unwrap_or(iface));
                crate::options::wildcard(pattern, &bare).is_some()
            }
        }
    }

    /// jco's rule: an own `payload` property is the payload; another `Error` traps
    /// (for a `string` error: its message); any other thrown value is the payload.
    fn err_payload(&self, err_is_string: bool) -> &'static str {
        if err_is_string {
            "jcoErrPayloadString"
        } else {
            "jcoErrPayload"
        }
    }
}

/// The values of `webidl:` imports, bound to the platform itself (`webidl.rs`): the
/// platform's own names (the exact rule of `weft_webidl::names`), `undefined` for an
/// absent optional or dictionary member, enum values as the IDL strings, unions as
/// their members' values, and a rejection as the `js-error` record.
struct WebIdl;

impl Binding for WebIdl {
    fn none(&self) -> Box<Expr> {
        undefined()
    }

    fn none_type(&self) -> &'static str {
        "undefined"
    }

    fn field(&self, wit: &str) -> String {
        weft_webidl::names::wit_to_identifier(wit, weft_webidl::names::Case::Member)
            .unwrap_or_else(|| prop(wit))
    }

    fn enum_case(&self, wit: &str) -> String {
        weft_webidl::names::wit_to_enum_value(wit).unwrap_or_else(|| wit.to_string())
    }

    fn bare_variants(&self) -> bool {
        true
    }

    fn wide_ints_as_numbers(&self) -> bool {
        true
    }

    fn u64_from_numbers(&self) -> bool {
        true
    }

    fn err_payload(&self, _err_is_string: bool) -> &'static str {
        "idlErrPayload"
    }
}

/// The binding of `webidl:` imports.
pub fn webidl() -> &'static dyn Binding {
    &WebIdl
}

/// The binding of a `--compat` mode.
pub fn binding(compat: Compat) -> &'static dyn Binding {
    match compat {
        Compat::Native => &Native,
        Compat::Jco => &Jco,
    }
}

/// The typed array class holding a `list<t>` in every mode, if `t` is a number type.
pub fn typed_array(t: ValType) -> Option<&'static str> {
    Some(match t {
        ValType::U8 => "Uint8Array",
        ValType::S8 => "Int8Array",
        ValType::U16 => "Uint16Array",
        ValType::S16 => "Int16Array",
        ValType::U32 => "Uint32Array",
        ValType::S32 => "Int32Array",
        ValType::U64 => "BigUint64Array",
        ValType::S64 => "BigInt64Array",
        ValType::F32 => "Float32Array",
        ValType::F64 => "Float64Array",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jco_patterns_name_functions_in_any_interface_and_version() {
        let (native, jco) = (binding(Compat::Native), binding(Compat::Jco));
        let label = "calvinrp:test-async-funcs/hello@0.1.0#hello-world";
        for p in ["hello-world", "calvinrp:test-async-funcs/hello#hello-world"] {
            assert!(!native.label_matches(p, label), "{p}");
            assert!(jco.label_matches(p, label), "{p}");
        }
        for both in [native, jco] {
            assert!(both.label_matches("calvinrp:test-async-funcs/hello@0.1.0", label));
            assert!(both.label_matches("hello-world", "hello-world"));
            assert!(!both.label_matches("goodbye", label));
        }
    }
}
