//! Every canonical built-in and every kind of definition, one trial each (`cargo test
//! --test definitions -- <name>`): a small component that defines it is validated with
//! wasm-tools 1.263's default features and transpiled by weft. What the default
//! features accept, weft must transpile; what weft refuses is listed here with the reason
//! docs/conformance.md gives ("What weft refuses"), and must be refused with it. A
//! built-in gated behind a feature weft enables beyond the defaults (🔀 more async
//! built-ins, 🧵 threads, 📝 error contexts, ➡️ forward) is transpiled too.

use anyhow::{Context, Result, bail};
use wasmparser::{Validator, WasmFeatures};
use weft_tests::trials::Harness;

/// What weft must do with a case.
enum Expect {
    /// Transpile it.
    Ok,
    /// Refuse it with an error containing this text (a documented limit).
    Refused(&'static str),
    /// A feature weft's validator enables beyond the defaults, whose definitions it
    /// refuses with an error containing this text (documented too).
    RefusedGated(&'static str),
}

/// A component around `body`: a resource type `$r`, a `stream<u8>` type `$s`, a
/// `future<u32>` type `$f`, a core instance `$i` exporting a memory `$m`, a
/// `funcref` table `$t`, a `realloc`, a callback and a thread start function, and the
/// core type `$start` of that start function.
fn component(body: &str) -> String {
    component_of("i32", body)
}

/// `component` with a 64-bit memory, table, realloc and thread start function and an
/// `i64` resource rep (🐘 the `cm64` feature).
fn component64(body: &str) -> String {
    component_of("i64", body)
}

/// `component` whose memory, table, pointers and resource rep have address type `a`.
fn component_of(a: &str, body: &str) -> String {
    let wide = if a == "i64" { "i64 " } else { "" };
    format!(
        r#"(component
  (type $r (resource (rep {a})))
  (type $s (stream u8))
  (type $f (future u32))
  (core module $base
    (memory (export "m") {wide}1)
    (table (export "t") {wide}1 funcref)
    (func (export "realloc") (param {a} {a} {a} {a}) (result {a}) {a}.const 0)
    (func (export "cb") (param i32 i32 i32) (result i32) i32.const 0)
    (func (export "start") (param {a}))
    (func (export "nop"))
    (func (export "str") (param {a} {a}))
    (func (export "ret") (result {a}) {a}.const 0))
  (core instance $i (instantiate $base))
  (alias core export $i "m" (core memory $m))
  (alias core export $i "t" (core table $t))
  (core type $start (func (param {a})))
  {body}
)"#
    )
}

/// `(core func (canon <canon>))`.
fn builtin(canon: &str) -> String {
    component(&format!("(core func (canon {canon}))"))
}

/// A case: its name, the component's text, and what weft must do with it.
type Case = (&'static str, String, Expect);

fn cases() -> Vec<Case> {
    let mut v = builtin_cases();
    v.extend(memory64_cases());
    v.extend(definition_cases());
    v
}

/// Every built-in and lift or lower whose core type holds pointers, with a 64-bit
/// memory (and table), and `i64` resource reps and context slots (🐘).
fn memory64_cases() -> Vec<Case> {
    let mem = r#"(memory (core memory $m))"#;
    let opts = r#"(memory (core memory $m)) (realloc (core func $i "realloc"))"#;
    let mut v = Vec::new();
    for (name, canon) in [
        ("cm64.resource.new", "resource.new $r".to_string()),
        ("cm64.resource.rep", "resource.rep $r".to_string()),
        ("cm64.context.get", "context.get i64 0".to_string()),
        ("cm64.context.set", "context.set i64 1".to_string()),
        (
            "cm64.task.return-list",
            format!("task.return (result (list u8)) {mem}"),
        ),
        ("cm64.stream.read", format!("stream.read $s {opts}")),
        (
            "cm64.stream.write-async",
            format!("stream.write $s async {mem}"),
        ),
        (
            "cm64.future.read-async",
            format!("future.read $f async {opts}"),
        ),
        ("cm64.future.write", format!("future.write $f {mem}")),
        ("cm64.error-context.new", format!("error-context.new {mem}")),
        (
            "cm64.error-context.debug-message",
            format!("error-context.debug-message {opts}"),
        ),
        ("cm64.waitable-set.wait", format!("waitable-set.wait {mem}")),
        ("cm64.waitable-set.poll", format!("waitable-set.poll {mem}")),
        (
            "cm64.thread.new-indirect",
            "thread.new-indirect $start (core table $t)".to_string(),
        ),
    ] {
        v.push((
            name,
            component64(&format!("(core func (canon {canon}))")),
            Expect::Ok,
        ));
    }
    v.push((
        "cm64.lift-and-lower",
        component64(&format!(
            r#"(import "h" (func $h (param "x" string) (result string)))
  (import "ha" (func $ha async (param "x" string) (result string)))
  (core func (canon lower (func $h) {opts}))
  (core func (canon lower (func $ha) async {opts}))
  (func (export "f") (param "x" string) (canon lift (core func $i "str") {opts}))
  (func (export "g") (result string) (canon lift (core func $i "ret") {opts}))"#
        )),
        Expect::Ok,
    ));
    // The GC ABI options: the spec of record defines no lifting or lowering for them.
    v.push((
        "cm-gc.lower",
        component(
            r#"(import "h" (func $h (param "x" bool)))
  (core type $ft (func (param i32)))
  (core func (canon lower (func $h) gc (core-type $ft)))"#,
        ),
        Expect::RefusedGated("the GC ABI option"),
    ));
    v
}

/// One component per canonical built-in (but `lift` and `lower`).
fn builtin_cases() -> Vec<Case> {
    let mut v = Vec::new();
    let mem = r#"(memory (core memory $m))"#;
    let opts = r#"(memory (core memory $m)) (realloc (core func $i "realloc"))"#;
    // Canonical built-ins.
    for (name, canon) in [
        ("resource.new", "resource.new $r".to_string()),
        ("resource.rep", "resource.rep $r".to_string()),
        ("resource.drop", "resource.drop $r".to_string()),
        ("backpressure.inc", "backpressure.inc".to_string()),
        ("backpressure.dec", "backpressure.dec".to_string()),
        ("task.return", "task.return (result u32)".to_string()),
        (
            "task.return-list",
            format!("task.return (result (list u8)) {mem}"),
        ),
        ("task.cancel", "task.cancel".to_string()),
        ("context.get", "context.get i32 0".to_string()),
        ("context.set", "context.set i32 0".to_string()),
        ("thread.yield", "thread.yield".to_string()),
        ("subtask.drop", "subtask.drop".to_string()),
        ("subtask.cancel", "subtask.cancel".to_string()),
        ("subtask.cancel-async", "subtask.cancel async".to_string()),
        ("stream.new", "stream.new $s".to_string()),
        ("stream.read", format!("stream.read $s {opts}")),
        ("stream.read-async", format!("stream.read $s async {opts}")),
        ("stream.write", format!("stream.write $s {mem}")),
        ("stream.cancel-read", "stream.cancel-read $s".to_string()),
        (
            "stream.cancel-write-async",
            "stream.cancel-write $s async".to_string(),
        ),
        (
            "stream.drop-readable",
            "stream.drop-readable $s".to_string(),
        ),
        (
            "stream.drop-writable",
            "stream.drop-writable $s".to_string(),
        ),
        ("stream.forward", "stream.forward $s".to_string()),
        ("future.new", "future.new $f".to_string()),
        ("future.read", format!("future.read $f {opts}")),
        ("future.write-async", format!("future.write $f async {mem}")),
        ("future.cancel-read", "future.cancel-read $f".to_string()),
        ("future.cancel-write", "future.cancel-write $f".to_string()),
        (
            "future.drop-readable",
            "future.drop-readable $f".to_string(),
        ),
        (
            "future.drop-writable",
            "future.drop-writable $f".to_string(),
        ),
        ("future.forward", "future.forward $f".to_string()),
        ("error-context.new", format!("error-context.new {mem}")),
        (
            "error-context.debug-message",
            format!("error-context.debug-message {opts}"),
        ),
        ("error-context.drop", "error-context.drop".to_string()),
        ("waitable-set.new", "waitable-set.new".to_string()),
        ("waitable-set.wait", format!("waitable-set.wait {mem}")),
        ("waitable-set.poll", format!("waitable-set.poll {mem}")),
        ("waitable-set.drop", "waitable-set.drop".to_string()),
        ("waitable.join", "waitable.join".to_string()),
        ("thread.index", "thread.index".to_string()),
        (
            "thread.new-indirect",
            "thread.new-indirect $start (core table $t)".to_string(),
        ),
        ("thread.resume-later", "thread.resume-later".to_string()),
        ("thread.suspend", "thread.suspend".to_string()),
        (
            "thread.suspend-then-resume",
            "thread.suspend-then-resume".to_string(),
        ),
        (
            "thread.yield-then-resume",
            "thread.yield-then-resume".to_string(),
        ),
        (
            "thread.suspend-then-promote",
            "thread.suspend-then-promote".to_string(),
        ),
        (
            "thread.yield-then-promote",
            "thread.yield-then-promote".to_string(),
        ),
    ] {
        v.push((name, builtin(&canon), Expect::Ok));
    }
    v
}

/// Lifts and lowers in every form, and definitions of every kind.
fn definition_cases() -> Vec<Case> {
    use Expect::{Ok, Refused};
    vec![
        // Lifts and lowers, in every form.
        (
            "canon.lift-sync",
            component(r#"(func (export "f") (result u32) (canon lift (core func $i "ret")))"#),
            Ok,
        ),
        (
            "canon.lift-callback",
            component(
                r#"(func (export "f") async (canon lift (core func $i "ret") async (callback (core func $i "cb"))))"#,
            ),
            Ok,
        ),
        (
            "canon.lift-stackful",
            component(r#"(func (export "f") async (canon lift (core func $i "nop") async))"#),
            Ok,
        ),
        (
            "canon.lower-sync-and-async",
            component(
                r#"(import "h" (func $h (param "x" string) (result string)))
  (import "ha" (func $ha async (param "x" string) (result string)))
  (core func (canon lower (func $h) (memory (core memory $m)) (realloc (core func $i "realloc"))))
  (core func (canon lower (func $ha) (memory (core memory $m)) (realloc (core func $i "realloc"))))
  (core func (canon lower (func $ha) async (memory (core memory $m)) (realloc (core func $i "realloc"))))"#,
            ),
            Ok,
        ),
        // Definitions of every kind.
        (
            "component-and-instances",
            component(
                r#"(component $c (core module $m2) (export "m" (core module $m2)))
  (instance $ci (instantiate $c))
  (instance (export "x" (core module $ci "m")))
  (core instance (export "mem" (memory $m)))"#,
            ),
            Ok,
        ),
        (
            "outer-alias",
            component(
                r#"(type $outer (list u32))
  (import "h" (func $h (param "l" $outer)))
  (component $c
    (alias outer 1 $outer (type $l))
    (import "x" (func (param "l" $l))))
  (instance (instantiate $c (with "x" (func $h))))"#,
            ),
            Ok,
        ),
        (
            "types",
            component(
                r#"(type (record (field "a" u32) (field "b" string)))
  (type (variant (case "a") (case "b" u8)))
  (type (flags "x" "y"))
  (type (enum "p" "q"))
  (type (option (tuple u8 char)))
  (type (result u32 (error string)))
  (type (own $r))
  (type (borrow $r))
  (type (map string u32))
  (type (list u8 4))
  (type (func (param "x" u32)))
  (type (component))
  (type (instance))"#,
            ),
            Ok,
        ),
        (
            "imports-of-every-kind",
            component(
                r#"(import "f" (func))
  (import "i" (instance (export "g" (func))))
  (import "t" (type (sub resource)))
  (import "m" (core module))
  (import "c" (component))"#,
            ),
            Ok,
        ),
        (
            "exports-of-every-kind",
            component(
                r#"(import "i" (instance $ii (export "g" (func))))
  (func $g (canon lift (core func $i "nop")))
  (component $cc)
  (export "f" (func $g))
  (export "i" (instance $ii))
  (export "r" (type $r))
  (export "m" (core module $base))
  (export "c" (component $cc))"#,
            ),
            Ok,
        ),
        // A root import with an `eq` bound, passed to a nested component as a resource.
        (
            "eq-bound-resource-passed-down",
            r#"(component
  (import "r" (type $r (sub resource)))
  (import "r2" (type $r2 (eq $r)))
  (import "f" (func $f (param "x" (own $r))))
  (component $c
    (import "t" (type $t (sub resource)))
    (import "f" (func $f (param "x" (own $t))))
    (core func (canon lower (func $f))))
  (instance (instantiate $c (with "t" (type $r2)) (with "f" (func $f)))))"#
                .to_string(),
            Refused("weft lost track of which resource type this is"),
        ),
    ]
}

fn main() {
    let mut harness = Harness::new("definitions");
    for (name, wat, expect) in cases() {
        harness.add(name, move || run(&wat, &expect));
    }
    harness.run();
}

fn run(wat: &str, expect: &Expect) -> Result<()> {
    let bytes = wat::parse_str(wat).context("the case's WAT")?;
    let default_valid = Validator::new_with_features(WasmFeatures::default())
        .validate_all(&bytes)
        .is_ok();
    let result = weft_core::plan(&bytes).and_then(|plan| {
        let wit = weft_core::wit_info(&bytes).ok();
        weft_js::generate(&plan, wit.as_ref(), &weft_js::Options::default())
    });
    match (expect, result) {
        (Expect::Ok, Ok(_)) => Ok(()),
        (Expect::Ok, Err(e)) => bail!(
            "weft refused it{}: {e:#}",
            if default_valid {
                ", though the default features accept it"
            } else {
                ""
            }
        ),
        // A gap of weft's only if the validator accepts it.
        (Expect::Refused(_), Err(_)) if !default_valid => {
            bail!("listed as refused, but the default features refuse it too")
        }
        (Expect::Refused(why), Err(e)) if format!("{e:#}").contains(why) => Ok(()),
        (Expect::Refused(why), Err(e)) => bail!("refused, but not for `{why}`: {e:#}"),
        (Expect::Refused(why), Ok(_)) | (Expect::RefusedGated(why), Ok(_)) => {
            bail!("transpiled, but listed as refused (`{why}`): update the list and the docs")
        }
        (Expect::RefusedGated(_), Err(_)) if default_valid => {
            bail!("listed as gated, but the default features accept it")
        }
        (Expect::RefusedGated(why), Err(e)) if format!("{e:#}").contains(why) => Ok(()),
        (Expect::RefusedGated(why), Err(e)) => bail!("refused, but not for `{why}`: {e:#}"),
    }
}
