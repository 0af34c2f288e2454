//! weft-lower on small components: what the linked module holds, and what is refused.
//! (What it does at run time is tested by running weft's output: tests/cases, the
//! guests, the spec and wit-bindgen suites with `--lowered`.)

use weft_core::plan::{CoreDef, Initializer, ModuleRef};
use weft_lower::{INIT_EXPORT, lower_plan};

fn plan(wat: &str) -> weft_core::Plan {
    weft_core::plan(&wat::parse_str(wat).expect("valid WAT")).expect("a plan")
}

/// The linked module of a lowered plan: (imports, exports, memories, has a start).
fn linked(p: &weft_core::Plan) -> (Vec<(String, String)>, Vec<String>, u32, bool) {
    let [
        Initializer::Instantiate {
            module: ModuleRef::Static(m),
            ..
        },
    ] = p.initializers.as_slice()
    else {
        panic!("one instance expected");
    };
    let bytes = &p.modules[m.0 as usize].bytes;
    let (mut imports, mut exports, mut memories, mut start) = (Vec::new(), Vec::new(), 0, false);
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.unwrap() {
            wasmparser::Payload::ImportSection(s) => {
                for i in s.into_imports() {
                    let i = i.unwrap();
                    imports.push((i.module.to_string(), i.name.to_string()));
                }
            }
            wasmparser::Payload::ExportSection(s) => {
                for e in s {
                    exports.push(e.unwrap().name.to_string());
                }
            }
            wasmparser::Payload::MemorySection(s) => memories = s.count(),
            wasmparser::Payload::StartSection { .. } => start = true,
            _ => {}
        }
    }
    (imports, exports, memories, start)
}

const TWO_INSTANCES: &str = r#"
(component
  (import "log" (func $log (param "n" u32)))
  (core module $m
    (import "host" "log" (func (param i32)))
    (memory (export "mem") 1)
    (data (i32.const 0) "x")
    (func (export "f") (param i32) (call 0 (local.get 0))))
  (core func $log (canon lower (func $log)))
  (core instance $a (instantiate $m (with "host" (instance (export "log" (func $log))))))
  (core instance $b (instantiate $m (with "host" (instance (export "log" (func $log))))))
  (func (export "a") (param "n" u32) (canon lift (core func $a "f")))
  (func (export "b") (param "n" u32) (canon lift (core func $b "f")))
)"#;

#[test]
fn two_instances_of_one_module_are_two_copies_sharing_one_import() {
    let lowered = lower_plan(&plan(TWO_INSTANCES), false).unwrap();
    let (imports, exports, memories, start) = linked(&lowered);
    // The host function, imported once, named for what it is.
    assert_eq!(imports, [("$root".to_string(), "log".to_string())]);
    assert_eq!(memories, 2);
    // No wasm `start`: the host runs the start sequence when it holds the instance.
    assert!(!start);
    assert!(exports.contains(&INIT_EXPORT.to_string()), "{exports:?}");
    assert!(exports.contains(&"0:f".to_string()) && exports.contains(&"1:f".to_string()));
    assert_eq!(lowered.core_instances, 1);
    assert!(lowered.modules.last().unwrap().multi_memory);
    // Every core item the glue reads is an export of the one instance.
    let mut plan_defs = Vec::new();
    for (_, e) in &lowered.exports {
        if let weft_core::plan::ExportItem::Func(l) = e {
            plan_defs.push(l.func.clone());
        }
    }
    assert_eq!(
        plan_defs,
        [
            CoreDef::Export {
                instance: weft_core::plan::CoreInstanceIdx(0),
                name: "0:f".into()
            },
            CoreDef::Export {
                instance: weft_core::plan::CoreInstanceIdx(0),
                name: "1:f".into()
            }
        ]
    );
    assert!(lowered.init.is_some());
}

#[test]
fn nothing_to_start_has_no_start_sequence() {
    let p = plan(
        r#"(component
          (core module $m (func (export "f") (result i32) (i32.const 1)))
          (core instance $i (instantiate $m))
          (func (export "f") (result u32) (canon lift (core func $i "f"))))"#,
    );
    let lowered = lower_plan(&p, false).unwrap();
    let (imports, exports, memories, _) = linked(&lowered);
    assert!(imports.is_empty());
    assert_eq!(exports, ["0:f"]);
    assert_eq!(memories, 0);
    assert!(lowered.init.is_none());
    assert!(!lowered.modules.last().unwrap().multi_memory);
}

#[test]
fn a_module_the_host_gives_is_refused_with_the_reason() {
    let p = plan(
        r#"(component
          (import "m" (core module $m (export "f" (func (result i32)))))
          (core instance $i (instantiate $m))
          (func (export "f") (result u32) (canon lift (core func $i "f"))))"#,
    );
    let e = lower_plan(&p, false).unwrap_err().to_string();
    assert!(e.contains("a core module its host gives"), "{e}");
}

#[test]
fn a_component_without_core_instances_is_left_as_it_is() {
    let p = plan(r#"(component (import "f" (func $f)) (export "g" (func $f)))"#);
    let lowered = lower_plan(&p, false).unwrap();
    assert!(lowered.initializers.is_empty());
    assert_eq!(lowered.modules.len(), p.modules.len());
}

const COMPOSED: &str = r#"
(component
  (component $a
    (core module $m (func (export "f") (param i32) (result i32) (local.get 0)))
    (core instance $i (instantiate $m))
    (func (export "f") (param "x" u8) (result u8) (canon lift (core func $i "f"))))
  (component $b
    (import "f" (func $f (param "x" u8) (result u8)))
    (core func $f (canon lower (func $f)))
    (core module $m
      (import "a" "f" (func $f (param i32) (result i32)))
      (func (export "g") (param i32) (result i32) (call $f (local.get 0))))
    (core instance $i (instantiate $m (with "a" (instance (export "f" (func $f))))))
    (func (export "g") (param "x" u32) (result u8) (canon lift (core func $i "g"))))
  (instance $a (instantiate $a))
  (instance $b (instantiate $b (with "f" (func $a "f"))))
  (export "g" (func $b "g")))"#;

#[test]
fn an_adapter_compiles_into_the_module_with_its_hooks() {
    let p = plan(COMPOSED);
    let lowered = lower_plan(&p, false).unwrap();
    let (imports, _, _, _) = linked(&lowered);
    assert_eq!(
        imports,
        [
            ("weft".to_string(), "trap".to_string()),
            ("weft".to_string(), "poisoned".to_string())
        ]
    );
    assert!(
        lowered
            .trampolines
            .iter()
            .any(|t| matches!(t, weft_core::plan::Trampoline::InCore))
    );
}

#[test]
fn under_the_async_machinery_the_adapter_stays_a_trampoline() {
    let p = plan(COMPOSED);
    let lowered = lower_plan(&p, true).unwrap();
    let (imports, exports, _, _) = linked(&lowered);
    // The adapter, then the hooks of the core tables, which the async machinery's
    // objects share with resources, and of their waitable state.
    let names: Vec<&str> = imports.iter().map(|(_, n)| n.as_str()).collect();
    assert!(names[0].ends_with(":adapter"), "{imports:?}");
    assert_eq!(
        names[1..],
        ["trap", "poisoned", "may-leave", "wake", "event"],
        "{imports:?}"
    );
    for f in ["table-new", "waitable-pend", "set-take"] {
        assert!(
            exports.iter().any(|e| e.starts_with(&format!("weft:{f}:"))),
            "{exports:?}"
        );
    }
}

#[test]
fn every_trap_code_has_its_message_in_the_js_runtime() {
    // src/runtime/trap.js's `adapterTrap` spells out each code of the `trap` hook; a code
    // without a `case` there would reach users as "a fused adapter failed (code N)".
    let trap_js = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src/runtime/trap.js"),
    )
    .unwrap();
    for (name, code) in weft_lower::code::ALL {
        assert!(
            trap_js.contains(&format!("    case {code}:\n")),
            "trap code {code} ({name}) has no message in adapterTrap"
        );
    }
}
