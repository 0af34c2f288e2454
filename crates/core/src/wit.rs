//! The component's WIT: decoded with wit-parser, printed with wit-component's printer.
//! The JS backend uses the decoded world for names and `.d.ts` types.

use anyhow::{Context, Result, bail};
use wasm_encoder::{RawSection, Section};
use wasmparser::component_types::{ComponentAnyTypeId, ComponentEntityType};
use wasmparser::names::{ComponentName, ComponentNameKind};
use wasmparser::types::TypesRef;
use wasmparser::{Parser, Payload, ValidPayload, Validator};
use wit_parser::decoding::{DecodedWasm, decode};
use wit_parser::{Resolve, WorldId};

/// The decoded world of a component.
pub struct WitInfo {
    pub resolve: Resolve,
    pub world: WorldId,
}

/// Decodes the world a component implements.
///
/// # Errors
/// Fails when the bytes are not a component wit-parser can decode.
pub fn wit_info(bytes: &[u8]) -> Result<WitInfo> {
    // wit-parser's decoder panics on some valid components it cannot express as WIT,
    // and the npm build (`panic = "abort"`) cannot catch a panic: the shapes known to
    // panic are refused first. The catch below stays for the native build.
    // The world depends on the component's types, not on its core code: decoding a copy
    // without function bodies and data takes a few ms where the whole of a large
    // component (an 18 MB componentize-py one) took ~30 (wit-parser's decoder moves its
    // buffer once per function body).
    let bytes = &skeleton(bytes).context("failed to decode the component's WIT")?;
    precheck(bytes)?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let decoded = std::panic::catch_unwind(|| decode(bytes));
    std::panic::set_hook(previous);
    let decoded = decoded.map_err(|_| {
        anyhow::anyhow!("the component's WIT cannot be decoded (wit-parser panicked)")
    })?;
    match decoded.context("failed to decode the component's WIT")? {
        DecodedWasm::Component(resolve, world) => Ok(WitInfo { resolve, world }),
        DecodedWasm::WitPackage(..) => anyhow::bail!("input is a WIT package, not a component"),
    }
}

/// A copy of a component (or core module) whose core modules keep everything the
/// component's types depend on (types, imports, functions, tables, memories, globals,
/// exports, elements, tags) but not their function bodies (each becomes an empty one:
/// the decoder does not validate bodies), data or custom sections.
fn skeleton(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len().min(1 << 16));
    let mut parser = Parser::new(0);
    let mut at = 0usize;
    let mut module = false;
    loop {
        let wasmparser::Chunk::Parsed { consumed, payload } = parser.parse(&bytes[at..], true)?
        else {
            unreachable!("all the bytes are given")
        };
        let raw = &bytes[at..at + consumed];
        at += consumed;
        match payload {
            Payload::Version { encoding, .. } => {
                module = encoding == wasmparser::Encoding::Module;
                out.extend_from_slice(raw);
            }
            Payload::ModuleSection {
                unchecked_range, ..
            }
            | Payload::ComponentSection {
                unchecked_range, ..
            } => {
                // The parser has moved past the nested binary, which is read on its own.
                let nested = bytes
                    .get(unchecked_range.start as usize..unchecked_range.end as usize)
                    .with_context(|| {
                        format!(
                            "a nested module or component extends past the input (at offset {})",
                            unchecked_range.start
                        )
                    })?;
                at = unchecked_range.end as usize;
                let data = &skeleton(nested)?;
                RawSection { id: raw[0], data }.append_to(&mut out);
            }
            Payload::CodeSectionStart { count, size, .. } => {
                parser.skip_section();
                at += size as usize;
                let mut code = wasm_encoder::CodeSection::new();
                let mut empty = wasm_encoder::Function::new([]);
                empty.instruction(&wasm_encoder::Instruction::End);
                for _ in 0..count {
                    code.function(&empty);
                }
                code.append_to(&mut out);
            }
            Payload::DataSection(_) | Payload::DataCountSection { .. } if module => {}
            Payload::CustomSection(_) if module => {}
            Payload::End(_) => return Ok(out),
            _ => out.extend_from_slice(raw),
        }
    }
}

/// Refuses, with an error, the valid components whose decoding panics in wit-parser
/// 0.263 (found by the fuzz suite, crates/fuzz):
/// - a component whose exports are all component types and that imports nothing: the
///   decoder takes it for a WIT package, whose layout it then assumes
///   (`(component (type (component (export "f" (func)))) (export "x" (type 0)))`);
/// - a function whose import or export name is an interface name (`a:b/c`), at the
///   root or inside an instance type: WIT has no such function;
/// - a type import or export (at the root or inside an instance type) that is a
///   function, instance or component type (`(import "it" (type (eq 0)))` with 0 an
///   instance type).
///
/// Validates as the decoder does (function bodies aside).
fn precheck(bytes: &[u8]) -> Result<()> {
    let mut validator = Validator::new_with_features(wasmparser::WasmFeatures::all());
    let mut externs: Vec<(String, bool)> = Vec::new();
    let mut depth = 0u32;
    let mut types = None;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.context("failed to decode the component's WIT")?;
        match validator
            .payload(&payload)
            .context("failed to decode the component's WIT")?
        {
            ValidPayload::Parser(_) => depth += 1,
            ValidPayload::End(t) => {
                if depth == 0 {
                    types = Some(t);
                } else {
                    depth -= 1;
                }
            }
            ValidPayload::Ok | ValidPayload::Func(..) => {}
        }
        match payload {
            Payload::ComponentImportSection(s) if depth == 0 => {
                for i in s {
                    externs.push((i?.name.name.to_string(), true));
                }
            }
            Payload::ComponentExportSection(s) if depth == 0 => {
                for e in s {
                    externs.push((e?.name.name.to_string(), false));
                }
            }
            _ => {}
        }
    }
    let Some(types) = types else {
        bail!("failed to decode the component's WIT: the input ended early");
    };
    let types = types.as_ref();
    let mut items = Vec::new();
    for (name, import) in &externs {
        let item = if *import {
            types.component_item_for_import(name)
        } else {
            types.component_item_for_export(name)
        };
        if let Some(item) = item {
            items.push((name.as_str(), *import, item.ty));
        }
    }
    if !items.is_empty()
        && items.iter().all(|(_, import, ty)| {
            !import
                && matches!(
                    ty,
                    ComponentEntityType::Type {
                        created: ComponentAnyTypeId::Component(_),
                        ..
                    }
                )
        })
    {
        bail!(
            "the component's WIT cannot be decoded: it exports only component types and imports \
             nothing, the shape of a WIT package"
        );
    }
    // An instance exported as it was imported whose type defines types — the same
    // instance type, or one whose types are the imported instance's (an imported
    // instance passed through a nested component and exported from there): the decoder
    // registers those types a second time and asserts.
    let type_ids = |ty: &ComponentEntityType| -> Vec<ComponentAnyTypeId> {
        match ty {
            ComponentEntityType::Instance(id) => types[*id]
                .exports
                .values()
                .filter_map(|e| match e.ty {
                    ComponentEntityType::Type { created, .. } => Some(created),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let imported: Vec<ComponentAnyTypeId> = items
        .iter()
        .filter(|(_, import, _)| *import)
        .flat_map(|(_, _, ty)| type_ids(ty))
        .collect();
    for (name, import, ty) in &items {
        if !import && type_ids(ty).iter().any(|t| imported.contains(t)) {
            bail!(
                "the component's WIT cannot be decoded: the export `{name}` is an imported \
                 instance with types, re-exported, which the decoder cannot express"
            );
        }
    }
    for (name, import, ty) in items {
        check_functions(types, name, import, ty, 0)?;
    }
    Ok(())
}

/// Fails on a function named like an interface or a type import or export that WIT
/// has no type for, at `name` or inside the instance type it names.
fn check_functions(
    types: TypesRef<'_>,
    name: &str,
    import: bool,
    ty: ComponentEntityType,
    level: u32,
) -> Result<()> {
    match ty {
        ComponentEntityType::Type { referenced, .. }
            if !matches!(
                referenced,
                ComponentAnyTypeId::Defined(_) | ComponentAnyTypeId::Resource(_)
            ) =>
        {
            bail!(
                "the component's WIT cannot be decoded: the type {} `{name}` is a function, \
                 instance or component type, which WIT has no type for",
                if import { "import" } else { "export" }
            );
        }
        ComponentEntityType::Func(_) => {
            if let Ok(n) =
                ComponentName::new_with_features(name, 0, wasmparser::WasmFeatures::all())
                && matches!(n.kind(), ComponentNameKind::Interface(_))
            {
                bail!(
                    "the component's WIT cannot be decoded: the function {} `{name}` has an \
                     interface name, which WIT has no function for",
                    if import { "import" } else { "export" }
                );
            }
        }
        // Instance types nest only as deep as the validator's type depth allows.
        ComponentEntityType::Instance(id) if level < 200 => {
            for (n, item) in &types[id].exports {
                check_functions(types, n, import, item.ty, level + 1)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The component's WIT as text.
///
/// # Errors
/// Fails when decoding or printing fails.
pub fn wit_text(bytes: &[u8]) -> Result<String> {
    let info = wit_info(bytes)?;
    let pkg = info.resolve.worlds[info.world]
        .package
        .context("decoded world has no package")?;
    printable(&info.resolve)?;
    let mut printer = wit_component::WitPrinter::default();
    printer.print(&info.resolve, pkg, &[])?;
    Ok(printer.output.to_string())
}

/// Refuses a decoded world that wit-component 0.263's printer panics on: a type that
/// another interface's type refers to, defined in an interface without a name (an
/// instance imported or exported under a plain name): the printer's `use` needs a path
/// to it.
fn printable(resolve: &Resolve) -> Result<()> {
    for (_, ty) in resolve.types.iter() {
        let wit_parser::TypeDefKind::Type(wit_parser::Type::Id(other)) = ty.kind else {
            continue;
        };
        let wit_parser::TypeOwner::Interface(from) = resolve.types[other].owner else {
            continue;
        };
        if ty.owner != wit_parser::TypeOwner::Interface(from)
            && resolve.interfaces[from].name.is_none()
        {
            bail!(
                "the component's WIT cannot be printed: type `{}` refers to type `{}` of an \
                 interface without a name, which WIT cannot `use` from",
                ty.name.as_deref().unwrap_or("(anonymous)"),
                resolve.types[other]
                    .name
                    .as_deref()
                    .unwrap_or("(anonymous)")
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The skeleton of a component keeps its world: a nested component, modules with
    /// code, data (with a data count), custom sections, elements and a start function.
    #[test]
    fn the_skeleton_keeps_the_world() {
        let bytes = wat::parse_str(
            r#"(component
  (import "log" (func $log (param "msg" string)))
  (component $inner
    (core module $m
      (memory (export "mem") 1)
      (table 1 funcref)
      (func $f (export "f") (result i32) (i32.const 7) (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0)) (data.drop 0))
      (func $start)
      (start $start)
      (elem (i32.const 0) func $f)
      (data "some bytes")
      (@custom "note" "custom"))
    (core instance $i (instantiate $m))
    (func (export "seven") (result u32) (canon lift (core func $i "f"))))
  (instance $x (instantiate $inner))
  (export "seven" (func $x "seven"))
)"#,
        )
        .expect("test WAT parses");
        let skeleton = super::skeleton(&bytes).expect("a skeleton");
        assert!(skeleton.len() < bytes.len());
        // Valid, but for its function bodies (empty), which the decoder does not
        // validate.
        let mut validator = wasmparser::Validator::new_with_features(crate::parse::features());
        for payload in wasmparser::Parser::new(0).parse_all(&skeleton) {
            validator
                .payload(&payload.expect("the skeleton parses"))
                .expect("the skeleton validates");
        }
        let world = |b: &[u8]| match wit_parser::decoding::decode(b).expect("decodes") {
            wit_parser::decoding::DecodedWasm::Component(resolve, world) => {
                let w = &resolve.worlds[world];
                format!(
                    "{:?} {:?}",
                    w.imports.keys().collect::<Vec<_>>(),
                    w.exports.keys().collect::<Vec<_>>()
                )
            }
            _ => panic!("a component"),
        };
        assert_eq!(world(&skeleton), world(&bytes));
        assert_eq!(
            super::wit_text(&bytes).ok(),
            super::wit_text(&skeleton).ok()
        );
    }

    fn wit_error(wat: &str) -> String {
        let bytes = wat::parse_str(wat).expect("test WAT parses");
        crate::validate(&bytes).expect("a valid component");
        format!("{:#}", super::wit_info(&bytes).err().expect("an error"))
    }

    /// Each of these panicked inside wit-parser's decoder (issue 14); the npm build
    /// aborted on them.
    #[test]
    fn shapes_that_panicked_the_decoder_are_errors() {
        let e = wit_error(
            r#"(component (type (component (export "f" (func)))) (export "x" (type 0)))"#,
        );
        assert!(
            e.contains("exports only component types and imports nothing"),
            "{e}"
        );
        let e = wit_error(r#"(component (import "foo:bar9baz/qux" (func)))"#);
        assert!(
            e.contains("the function import `foo:bar9baz/qux` has an interface name"),
            "{e}"
        );
        let e = wit_error(
            r#"(component
                 (import "a:b/c" (instance (export "d:e/f" (func))))
               )"#,
        );
        assert!(
            e.contains("the function import `d:e/f` has an interface name"),
            "{e}"
        );
        assert!(!e.contains("panicked"), "{e}");
        let e = wit_error(
            r#"(component
                 (type (instance (type (record (field "a" u32))) (export "rec" (type (eq 0)))))
                 (import "it" (type (eq 0)))
               )"#,
        );
        assert!(
            e.contains("the type import `it` is a function, instance or component type"),
            "{e}"
        );
    }

    /// An imported instance with a resource type, re-exported: the decoder asserted.
    #[test]
    fn a_reexported_instance_with_types_is_an_error() {
        let e = wit_error(
            r#"(component
                 (import "a:b/c" (instance $i (export "r" (type (sub resource)))))
                 (export "a:b/c" (instance $i))
               )"#,
        );
        assert!(
            e.contains("is an imported instance with types, re-exported"),
            "{e}"
        );
        assert!(!e.contains("panicked"), "{e}");
        // The same through a nested component that exports what it was given: another
        // instance type, the imported one's types (the fuzzer's panic-a39783654037da2d).
        let e = wit_error(
            r#"(component
                 (type $t (instance (type (enum "q")) (export "e" (type (eq 0)))))
                 (import "a:b/c" (instance $i (type $t)))
                 (component $inner
                   (type $u (instance (type (enum "q")) (export "e" (type (eq 0)))))
                   (import "a:b/c" (instance $k (type $u)))
                   (export "a:b/c" (instance $k)))
                 (instance $n (instantiate $inner (with "a:b/c" (instance $i))))
                 (export "a:b/c" (instance $n "a:b/c"))
               )"#,
        );
        assert!(
            e.contains("is an imported instance with types, re-exported"),
            "{e}"
        );
        assert!(!e.contains("panicked"), "{e}");
    }

    /// wit-component's printer panicked on this one (issue 14).
    #[test]
    fn a_use_from_an_unnamed_interface_is_an_error() {
        let bytes = wat::parse_str(
            r#"(component $C
                 (type (instance
                   (type (record (field "f" u32)))
                   (export "baz" (type (eq 0)))
                   (type (record (field "baz" 1)))
                   (export "bar" (type (eq 2)))))
                 (import "foo" (instance $i (type 0)))
                 (alias export $i "bar" (type $bar))
                 (type (instance
                   (alias outer $C $bar (type))
                   (export "bar" (type (eq 0)))
                   (type (func (result 1)))
                   (export "a" (func (type 2)))))
                 (import "bar" (instance (type 2)))
               )"#,
        )
        .unwrap();
        let e = format!("{:#}", super::wit_text(&bytes).unwrap_err());
        assert!(
            e.contains("type `bar` refers to type `bar` of an interface without a name"),
            "{e}"
        );
    }

    #[test]
    fn ordinary_components_still_decode() {
        let bytes = wat::parse_str(
            r#"(component
                 (import "a:b/c" (instance (export "f" (func))))
                 (import "g" (func))
               )"#,
        )
        .unwrap();
        if let Err(e) = super::wit_info(&bytes) {
            panic!("{e:#}");
        }
    }
}
