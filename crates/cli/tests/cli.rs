//! The `weft` binary: exit codes and error messages for bad input and bad usage.

use std::process::Command;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn out_dir(what: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(what);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn weft() -> Command {
    Command::new(env!("CARGO_BIN_EXE_weft"))
}

/// `weft lower input -o out`, quietly: (exit code, stdout, stderr).
fn lower(input: &Path, out: &Path) -> (i32, String, String) {
    run(&[
        "lower",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ])
}

/// `weft lower tests/cases/<case>.wat` into `out_dir(dir)`, which must succeed: the
/// directory and the JSON it wrote.
fn lower_case(case: &str, dir: &str) -> (PathBuf, serde_json::Value) {
    let dir = out_dir(dir);
    let (code, _, err) = lower(&root().join(format!("tests/cases/{case}.wat")), &dir);
    assert_eq!(code, 0, "{err}");
    let json = std::fs::read_to_string(dir.join(format!("{case}.json"))).unwrap();
    (dir, serde_json::from_str(&json).unwrap())
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = weft().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, err) = run(&["transpile"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(&["frobnicate"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn invalid_component_names_input_offset_and_cause() {
    let dir = out_dir("cli/invalid");
    let bad = dir.join("bad.wasm");
    // A component preamble followed by a truncated section.
    std::fs::write(&bad, [0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 7, 5, 1]).unwrap();
    let (code, _, err) = run(&[
        "transpile",
        bad.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("bad.wasm"), "{err}");
    assert!(err.contains("invalid component"), "{err}");
    assert!(err.contains("offset"), "{err}");
}

#[test]
fn module_section_past_the_end_exits_1_not_101() {
    // The smallest input that panicked (issue 14): a module section that declares 16
    // bytes, none of them present. Both subcommands read it; neither may panic.
    let dir = out_dir("cli/module-past-end");
    let bad = dir.join("bad.wasm");
    std::fs::write(&bad, [0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 1, 0x10]).unwrap();
    let path = bad.to_str().unwrap();
    for args in [
        vec!["transpile", path, "-o", dir.to_str().unwrap()],
        vec!["wit", path],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(err.contains("bad.wasm"), "{err}");
        assert!(
            err.contains("invalid component: a core module section declares 16 bytes but the input ends 0 bytes into it"),
            "{err}"
        );
        assert!(err.contains("(at offset 0xa)"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// Nested components, each instantiating the one inside it twice: `2^depth` component
/// instances and as many core instances.
fn nest_wat(depth: usize) -> String {
    let mut body = String::from(
        r#"(core module $m (func (export "f") (result i32) i32.const 1))
  (core instance $i (instantiate $m))
  (func $f (result u32) (canon lift (core func $i "f")))
  (export "f" (func $f))"#,
    );
    for _ in 0..depth {
        body = format!(
            "(component $inner {body}) (instance $i0 (instantiate $inner)) \
             (instance $i1 (instantiate $inner)) (alias export $i0 \"f\" (func $f)) \
             (export \"f\" (func $f))"
        );
    }
    format!("(component {body})")
}

#[test]
fn limits_name_themselves_and_how_to_raise_them() {
    // Issue 14: 1.3 KB that flattened into 4.7 MB of JS at depth 16 and never finished at
    // depth 24. Depth 13: 16383 component and 8192 core instances.
    let dir = out_dir("cli/limits");
    let wat = dir.join("nest.wat");
    std::fs::write(&wat, nest_wat(13)).unwrap();
    let path = wat.to_str().unwrap();
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &[],
            "the component creates more than 10000 component and core instances (limit \
             `max-instances`); raise the limit with `--max-instances N` (`weft transpile`) or \
             the `maxInstances` option (JS API)",
        ),
        (
            &["--max-instances", "30000", "--max-nesting", "5"],
            "component instantiations nest deeper than 5 levels (limit `max-nesting`); raise \
             the limit with `--max-nesting N`",
        ),
        (
            &["--max-instances", "30000", "--max-code-size", "100000"],
            "the generated code would be larger than 100000 bytes: the flattened component has \
             6251 core instances, trampolines and resource types, of at least 16 bytes each \
             (limit `max-code-size`); raise the limit with `--max-code-size N`",
        ),
        (
            &["--max-instances", "30000", "--max-code-size", "200000"],
            "the generated code is larger than 200000 bytes (",
        ),
    ];
    for (flags, message) in cases {
        let mut args = vec!["transpile", path, "-o", out];
        args.extend_from_slice(flags);
        let (code, _, err) = run(&args);
        assert_eq!(code, 1, "{flags:?}: {err}");
        assert!(err.contains(message), "{flags:?}: {err}");
    }
    let (code, _, err) = run(&[
        "transpile",
        path,
        "-o",
        out,
        "--max-instances",
        "30000",
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn invalid_function_body_is_the_first_in_binary_order() {
    // Bodies are validated on several threads; the error must still be the first
    // invalid body's (the second module's `g`), with its offset.
    let dir = out_dir("cli/invalid-body");
    let wat = dir.join("bad.wat");
    let mut text = String::from("(component\n");
    for m in 0..4 {
        text.push_str(&format!("  (core module $m{m}\n"));
        for f in 0..50 {
            let body = if m >= 1 && f == 7 {
                "(i64.const 1)"
            } else {
                "(i32.const 1)"
            };
            text.push_str(&format!(
                "    (func (export \"f{f}\") (result i32) {body})\n"
            ));
        }
        text.push_str("  )\n");
    }
    text.push_str(")\n");
    std::fs::write(&wat, text).unwrap();
    let (code, _, err) = run(&[
        "transpile",
        wat.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("type mismatch: expected i32, found i64"),
        "{err}"
    );
    let first = run(&[
        "transpile",
        wat.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ])
    .2;
    assert_eq!(err, first, "the same error every run");
    // The offset is the one in module 1 (the first bad body), before module 2's start.
    let offset = err
        .split("at offset 0x")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .expect("an offset");
    let bytes = wat::parse_file(&wat).unwrap();
    let mut starts = Vec::new();
    for p in wasmparser::Parser::new(0).parse_all(&bytes) {
        if let Ok(wasmparser::Payload::ModuleSection {
            unchecked_range, ..
        }) = p
        {
            starts.push(unchecked_range.start);
        }
    }
    assert!(
        offset > starts[1] && offset < starts[2],
        "{offset:#x} in {starts:x?}"
    );
}

#[test]
fn core_module_is_rejected_clearly() {
    let dir = out_dir("cli/core");
    let m = dir.join("m.wasm");
    std::fs::write(&m, [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]).unwrap();
    let (code, _, err) = run(&[
        "transpile",
        m.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("core wasm module, not a component"), "{err}");
}

#[test]
fn missing_file_exits_1() {
    let (code, _, err) = run(&["transpile", "/nonexistent/x.wasm", "-o", "/tmp/weft-none"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("failed to read"), "{err}");
}

#[test]
fn transpile_and_wit_on_the_example() {
    let dir = out_dir("cli/example");
    let wat = root().join("examples/hello/hello.wat");
    let (code, out, err) = run(&[
        "transpile",
        wat.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("hello.js"), "{out}");
    assert!(dir.join("hello.js").exists());
    assert!(dir.join("hello.d.ts").exists());
    let (code, _, _) = run(&[
        "transpile",
        wat.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--quiet",
        "--no-typescript",
        "--name",
        "q",
    ]);
    assert_eq!(code, 0);
    assert!(!dir.join("q.d.ts").exists());
    let (code, out, err) = run(&["wit", wat.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("export greet: func(name: string) -> string;"),
        "{out}"
    );
}

#[test]
fn imported_core_module_is_an_import_of_the_output() {
    let dir = out_dir("cli/imported-module");
    let wat = dir.join("imports-module.wat");
    std::fs::write(
        &wat,
        r#"(component
  (import "plugin" (core module $m))
  (core instance (instantiate $m)))"#,
    )
    .unwrap();
    let (code, _, err) = run(&[
        "transpile",
        wat.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--instantiation",
    ]);
    assert_eq!(code, 0, "{err}");
    let dts = std::fs::read_to_string(dir.join("imports-module.d.ts")).unwrap();
    assert!(
        dts.contains(r#""plugin": { default: WebAssembly.Module };"#),
        "{dts}"
    );
}

#[test]
fn map_rewrites_import_specifiers() {
    let dir = out_dir("cli/map");
    let wat = dir.join("uses-import.wat");
    std::fs::write(
        &wat,
        r#"(component
  (import "wasi:cli/environment@0.2.0" (instance $env (export "f" (func (result u32)))))
  (import "log" (func $log))
  (core func $f (canon lower (func $env "f")))
  (core func $l (canon lower (func $log)))
  (core module $m (import "" "f" (func (result i32))) (import "" "l" (func)))
  (core instance (instantiate $m (with "" (instance (export "f" (func $f)) (export "l" (func $l)))))))"#,
    )
    .unwrap();
    let (code, _, err) = run(&[
        "transpile",
        wat.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--map",
        "wasi:cli/*@0.2.0=./shims/cli/*.js",
        "--map",
        "log=./log.js",
    ]);
    assert_eq!(code, 0, "{err}");
    let js = std::fs::read_to_string(dir.join("uses-import.js")).unwrap();
    assert!(js.contains("from \"./shims/cli/environment.js\""), "{js}");
    assert!(js.contains("from \"./log.js\""), "{js}");
    assert!(js.starts_with("\"use components\";"), "{js}");
}

#[test]
fn tla_compat_needs_the_self_instantiating_module() {
    let dir = out_dir("cli/tla-compat");
    let wat = root().join("examples/hello/hello.wat");
    let (code, _, err) = run(&[
        "transpile",
        wat.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--tla-compat",
        "--instantiation",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("`--tla-compat` applies to the self-instantiating module"),
        "{err}"
    );
}

#[test]
fn run_exits_when_the_program_trapped_whatever_it_left_open() {
    let wat = root().join("crates/cli/tests/data/trap-timer.wat");
    let mut child = weft()
        .args(["run", wat.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Not a timing assertion: a run that waits for the program's ten-minute timer hangs.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("`weft run` still waits for the timer of a program that trapped");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("unreachable"), "{err}");
}

#[test]
fn run_record_writes_every_call_across_the_boundary() {
    let dir = out_dir("cli/run-record");
    std::fs::create_dir_all(&dir).unwrap();
    let trace = dir.join("args-exit.trace");
    let wat = root().join("crates/cli/tests/data/args-exit.wat");
    let (code, out, err) = run(&[
        "run",
        "--record",
        trace.to_str().unwrap(),
        wat.to_str().unwrap(),
        "x",
    ]);
    assert_eq!(code, 33, "{out}{err}");
    let text = std::fs::read_to_string(&trace).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("// weft trace 1; world root; component sha256:"),
        "{text}"
    );
    assert_eq!(
        lines[1..],
        [
            "> wasi:cli/run@0.2.0#run()",
            "  < wasi:cli/environment@0.2.0#get-arguments() -> [\"args-exit\", \"x\"]",
            "  < wasi:cli/exit@0.2.0#exit-with-code(33) -> throw WasiExit \"exit with code 33\"",
            "-> throw WasiExit \"exit with code 33\"",
        ],
        "{text}"
    );
    // The recording transpile is cached apart: a run without it records nothing.
    std::fs::remove_file(&trace).unwrap();
    let (code, _, err) = run(&["run", wat.to_str().unwrap(), "x"]);
    assert_eq!(code, 33, "{err}");
    assert!(!trace.exists());
}

#[test]
fn replay_runs_a_recorded_trace_without_the_host() {
    let dir = out_dir("cli/replay");
    std::fs::create_dir_all(&dir).unwrap();
    let trace = dir.join("args-exit.trace");
    let wat = root().join("crates/cli/tests/data/args-exit.wat");
    let wat = wat.to_str().unwrap();
    let (code, _, err) = run(&["run", "--record", trace.to_str().unwrap(), wat, "x"]);
    assert_eq!(code, 33, "{err}");
    // The trace answers the WASI calls: the program gets `x` and exits as it did.
    let (code, out, err) = run(&["replay", trace.to_str().unwrap(), wat]);
    assert_eq!(
        (code, out.as_str()),
        (0, "replayed 1 call: as in the trace\n"),
        "{err}"
    );
    // Other arguments from the trace: the program exits with another code, which the
    // run then passes to the host; the report says where the run left the trace.
    let text = std::fs::read_to_string(&trace).unwrap();
    let edited = dir.join("edited.trace");
    std::fs::write(
        &edited,
        text.replace(r#"["args-exit", "x"]"#, r#"["args-exit", "xyz"]"#),
    )
    .unwrap();
    let (code, out, err) = run(&["replay", edited.to_str().unwrap(), wat]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("at line 4 of the trace, in the call of line 2")
            && out.contains("trace: < wasi:cli/exit@0.2.0#exit-with-code(33)")
            && out.contains("run:   < wasi:cli/exit@0.2.0#exit-with-code(35)"),
        "{out}"
    );
    let (code, _, err) = run(&["replay", dir.join("none.trace").to_str().unwrap(), wat]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read the trace"), "{err}");
    // `--host`: the real host's arguments (one, the program name), not the trace's.
    let t = trace.to_str().unwrap();
    let (code, out, err) = run(&["replay", "--host", "wasi:cli/environment*", t, wat]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("run:   < wasi:cli/exit@0.2.0#exit-with-code(16)"),
        "{out}"
    );
    // `--only`: the calls it names, here none.
    let (code, out, err) = run(&["replay", "--only", "nothing", t, wat]);
    assert_eq!(
        (code, out.as_str()),
        (0, "replayed 0 calls: as in the trace\n"),
        "{err}"
    );
}

#[test]
fn record_with_jco_shapes_marks_the_functions() {
    // (tests/cases/record.test.mjs records and replays jco's shapes.)
    let dir = out_dir("cli/record-jco");
    let wat = root().join("examples/hello/hello.wat");
    let (code, _, err) = run(&[
        "transpile",
        wat.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--record",
        "--compat",
        "jco",
    ]);
    assert_eq!(code, 0, "{err}");
    let js = std::fs::read_to_string(dir.join("hello.js")).unwrap();
    assert!(
        js.contains(r#""result":{"kind":"u32"},"jco":true}"#),
        "{js}"
    );
}

#[test]
fn run_gives_every_argument_after_the_component_to_the_program() {
    // The program exits with 16 × its argument count + the length of `argv[1]`.
    let wat = root().join("crates/cli/tests/data/args-exit.wat");
    let wat = wat.to_str().unwrap();
    let cases: [(&[&str], &[&str], i32); 6] = [
        (&[], &[], 16),
        (&[], &["--help"], 32 + 6),
        // `--` right after the component is optional.
        (&[], &["--", "--help"], 32 + 6),
        (&[], &["--", "--", "x"], 48 + 2),
        // weft's options after the component are the program's.
        (&[], &["-x", "--dir", "y"], 64 + 2),
        (&["--argv0", "name", "--"], &["-h"], 32 + 2),
    ];
    for (before, after, want) in cases {
        let mut args = vec!["run"];
        args.extend_from_slice(before);
        args.push(wat);
        args.extend_from_slice(after);
        let (code, out, err) = run(&args);
        assert_eq!(code, want, "{args:?}: {out}{err}");
        assert!(
            !out.contains("Usage"),
            "{args:?}: weft printed its help: {out}"
        );
    }
}

#[test]
fn run_and_serve_refuse_a_component_that_is_not_theirs_with_65() {
    let wat = root().join("examples/hello/hello.wat");
    let wat = wat.to_str().unwrap();
    let (code, out, err) = run(&["run", wat]);
    assert_eq!(code, 65, "{out}{err}");
    assert!(
        err.contains("is not a command: it exports no `wasi:cli/run` interface (its exports: `add`, `greet`, `sum`)"),
        "{err}"
    );
    // Arguments after the component are the component's, `--help` too: no help here.
    let (code, out, err) = run(&["serve", "--port", "0", wat, "--help"]);
    assert_eq!(code, 65, "{out}{err}");
    assert!(
        err.contains("is not an http handler: it exports no `wasi:http/incoming-handler@0.2.x` or `wasi:http/handler@0.3.x`"),
        "{err}"
    );
    // WIT is not a component.
    let dir = out_dir("cli/run-wit");
    let wit = dir.join("w.wit");
    std::fs::write(&wit, "package a:b;\nworld w {}\n").unwrap();
    let (code, _, err) = run(&["run", wit.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is WIT, not a component"), "{err}");
}

#[test]
fn patterns_and_maps_that_match_nothing_warn_and_change_nothing() {
    let dir = out_dir("cli/unmatched");
    let wat = root().join("examples/hello/hello.wat");
    let wat = wat.to_str().unwrap();
    let plain = dir.join("plain");
    let (code, _, err) = run(&["transpile", wat, "-o", plain.to_str().unwrap(), "-q"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    let patterned = dir.join("patterned");
    let (code, _, err) = run(&[
        "transpile",
        wat,
        "-o",
        patterned.to_str().unwrap(),
        "-q",
        "--async-imports",
        "wasi:io/poll#poll",
        "--async-exports",
        "gret",
        "--async-exports",
        "greet",
        "--map",
        "wasi:*=./shims/*.js",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "warning: `--async-imports wasi:io/poll#poll` matches no imported function the component calls (the component has none)"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "warning: `--async-exports gret` matches no exported function (the component has `add`, `greet`, `sum`)"
        ),
        "{err}"
    );
    assert!(!err.contains("`--async-exports greet`"), "{err}");
    assert!(
        err.contains(
            "warning: `--map wasi:*=./shims/*.js` matches no import (the component has none)"
        ),
        "{err}"
    );
    // Only the patterns that match change the output: the same as with `greet` alone.
    let greet = dir.join("greet");
    let (code, _, err) = run(&[
        "transpile",
        wat,
        "-o",
        greet.to_str().unwrap(),
        "-q",
        "--async-exports",
        "greet",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    let read = |d: &PathBuf| std::fs::read(d.join("hello.js")).unwrap();
    assert_eq!(read(&patterned), read(&greet));
    // Nothing that matches: the output without the options, no JSPI or task machinery.
    let nothing = dir.join("nothing");
    let (code, _, err) = run(&[
        "transpile",
        wat,
        "-o",
        nothing.to_str().unwrap(),
        "-q",
        "--async-imports",
        "x#y",
        "--async-exports",
        "nope",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("warning:").count(), 2, "{err}");
    assert_eq!(read(&nothing), read(&plain));
}

/// Runs `script` (an ES module) with node in `dir`; returns its stdout.
fn node(dir: &Path, script: &str) -> String {
    let file = dir.join("check.mjs");
    std::fs::write(&file, script).unwrap();
    let out = Command::new("node").arg(&file).output().expect("node runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "node: {stdout}{stderr}");
    stdout
}

#[test]
fn instantiate_without_get_core_module_loads_the_files_next_to_it() {
    let dir = out_dir("cli/no-loader");
    let hello = root().join("examples/hello/hello.wat");
    let out = dir.join("files");
    let (code, _, err) = run(&[
        "transpile",
        hello.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
        "--instantiation",
        "--base64-cutoff",
        "0",
    ]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(out.join("package.json"), r#"{"type":"module"}"#).unwrap();
    let printed = node(
        &dir,
        r#"const { instantiate } = await import('./files/hello.js');
const e = await instantiate(undefined, {});
console.log(e.add(1, 2));
await instantiate('not a function', {}).catch((err) => console.log(err.name, err.message));
"#,
    );
    assert_eq!(
        printed,
        "3\nTypeError instantiate: getCoreModule must be a function, or undefined\n"
    );
}

#[test]
fn sync_instantiation_returns_the_exports() {
    let dir = out_dir("cli/sync");
    let hello = root().join("examples/hello/hello.wat");
    let hello = hello.to_str().unwrap();
    // Inlined and loaded core modules; jco's `--instantiation sync` spelling and `=sync`.
    for (name, flags) in [
        ("inline", &["--instantiation", "sync"][..]),
        (
            "files",
            &["--instantiation=sync", "--base64-cutoff", "0"][..],
        ),
        // A JSPI-entered export: the machinery compiles synchronously too.
        (
            "jspi",
            &["--instantiation", "sync", "--async-exports", "add"][..],
        ),
    ] {
        let out = dir.join(name);
        let mut args = vec!["transpile", hello, "-o", out.to_str().unwrap(), "-q"];
        args.extend_from_slice(flags);
        let (code, _, err) = run(&args);
        assert_eq!(code, 0, "{name}: {err}");
        let dts = std::fs::read_to_string(out.join("hello.d.ts")).unwrap();
        assert!(
            dts.contains("getCoreModule: (path: string) => WebAssembly.Module,\n  imports: Imports,\n): Exports;"),
            "{name}: {dts}"
        );
    }
    let printed = node(
        &dir,
        r#"import { readFileSync } from 'node:fs';
const load = (dir) => (p) => new WebAssembly.Module(readFileSync(new URL(`./${dir}/${p}`, import.meta.url)));
for (const dir of ['inline', 'files', 'jspi']) {
  const { instantiate } = await import(`./${dir}/hello.js`);
  let loaded = 0;
  const e = instantiate((p) => { loaded++; return load(dir)(p); }, {});
  if (e instanceof Promise) throw new Error(`${dir}: instantiate returned a promise`);
  const sum = dir === 'jspi' ? await e.add(1, 2) : e.add(1, 2);
  console.log(dir, loaded, sum, e.greet('sync'), e.sum([1, 2, 3]));
}
"#,
    );
    assert_eq!(
        printed,
        "inline 0 3 Hello, sync! 6n\nfiles 1 3 Hello, sync! 6n\njspi 0 3 Hello, sync! 6n\n"
    );
    // A component that uses async: its async export returns a promise, instantiation does
    // not.
    let wat = dir.join("async.wat");
    std::fs::write(
        &wat,
        r#"(component
  (core module $m
    (import "" "task.return" (func $ret (param i32)))
    (func (export "f") (result i32) (call $ret (i32.const 42)) (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core func $task-return (canon task.return (result u32)))
  (core instance $i (instantiate $m (with "" (instance (export "task.return" (func $task-return))))))
  (func (export "f") async (result u32) (canon lift (core func $i "f") async (callback (core func $i "cb")))))"#,
    )
    .unwrap();
    let out = dir.join("async");
    let (code, _, err) = run(&[
        "transpile",
        wat.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
        "--instantiation",
        "sync",
    ]);
    assert_eq!(code, 0, "{err}");
    let printed = node(
        &dir,
        r#"const { instantiate } = await import('./async/async.js');
const e = instantiate(() => { throw new Error('nothing to load'); }, {});
const r = e.f();
console.log(e instanceof Promise, r instanceof Promise, await r);
"#,
    );
    assert_eq!(printed, "false true 42\n");
    // Synchronous instantiation is instantiation mode: no `--tla-compat`.
    let (code, _, err) = run(&[
        "transpile",
        hello,
        "-o",
        out.to_str().unwrap(),
        "--instantiation",
        "sync",
        "--tla-compat",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("`--tla-compat` applies to the self-instantiating module"),
        "{err}"
    );
}

/// The WIT of `examples/hello/hello.wat`, as text.
const HELLO_WIT: &str = "package example:hello;

world hello {
  export add: func(a: u32, b: u32) -> u32;
  export greet: func(name: string) -> string;
  export sum: func(xs: list<u32>) -> u64;
}

world other {
  import log: func(msg: string);
  export run: func();
}
";

#[test]
fn types_and_wit_read_wit_text() {
    let dir = out_dir("cli/types");
    let wit = dir.join("hello.wit");
    std::fs::write(&wit, HELLO_WIT).unwrap();
    let wit = wit.to_str().unwrap();
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    // The host side is the `.d.ts` `weft transpile` writes for a component of the world,
    // in both instantiation modes.
    let hello = root().join("examples/hello/hello.wat");
    for flags in [
        &[][..],
        &["--instantiation"][..],
        &["--instantiation", "sync"][..],
    ] {
        let mut args = vec!["transpile", hello.to_str().unwrap(), "-o", out, "-q"];
        args.extend_from_slice(flags);
        let (code, _, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        let mut args = vec![
            "types", wit, "-o", out, "--world", "hello", "--name", "from-wit",
        ];
        args.extend_from_slice(flags);
        let (code, stdout, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        assert!(stdout.contains("from-wit.d.ts"), "{stdout}");
        let read = |f: &str| std::fs::read_to_string(PathBuf::from(out).join(f)).unwrap();
        assert_eq!(read("from-wit.d.ts"), read("hello.d.ts"), "{flags:?}");
        // From the component itself, too.
        let mut args = vec![
            "types",
            hello.to_str().unwrap(),
            "-o",
            out,
            "--name",
            "from-component",
            "-q",
        ];
        args.extend_from_slice(flags);
        assert_eq!(run(&args).0, 0);
        assert_eq!(read("from-component.d.ts"), read("hello.d.ts"), "{flags:?}");
    }
    // The guest side: the modules the guest imports, and what it exports.
    let (code, _, err) = run(&["types", wit, "-o", out, "--world", "other", "--guest", "-q"]);
    assert_eq!(code, 0, "{err}");
    let guest = std::fs::read_to_string(PathBuf::from(out).join("other.d.ts")).unwrap();
    assert!(
        guest.contains(
            "declare module \"log\" {\n  export default function log(msg: string): void;\n}\n"
        ),
        "{guest}"
    );
    assert!(
        guest.contains(
            "declare module \"example:hello/other\" {\n  export function run(): void;\n}\n"
        ),
        "{guest}"
    );
    // Several worlds and none chosen; a world that does not exist.
    let (code, _, err) = run(&["types", wit, "-o", out]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("declares several worlds (`hello`, `other`); choose one with `--world NAME`"),
        "{err}"
    );
    let (code, _, err) = run(&["types", wit, "-o", out, "--world", "nope"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no world `nope` in"), "{err}");
    // `weft wit` prints WIT text (resolved), and names the place of an error.
    let (code, printed, err) = run(&["wit", wit]);
    assert_eq!(code, 0, "{err}");
    assert!(
        printed.contains("export greet: func(name: string) -> string;"),
        "{printed}"
    );
    let bad = dir.join("bad.wit");
    std::fs::write(
        &bad,
        "package a:b;\nworld w { import f: func() -> nope; }\n",
    )
    .unwrap();
    for args in [
        vec!["wit", bad.to_str().unwrap()],
        vec!["types", bad.to_str().unwrap(), "-o", out],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(err.contains("name `nope` does not exist"), "{err}");
        assert!(err.contains("bad.wit:2:31"), "{err}");
    }
    // A component subcommand given WIT says what to use instead.
    let (code, _, err) = run(&["transpile", wit, "-o", out]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is WIT, not a component"), "{err}");
    assert!(err.contains("weft types"), "{err}");
}

#[test]
fn build_npm_finds_the_wasm_where_cargo_target_dir_puts_it() {
    // scripts/build-npm in a scratch root, with `cargo`, `rustup` and `wasm-bindgen`
    // stubs that do what the real ones do with CARGO_TARGET_DIR (and nothing more).
    let dir = out_dir("cli/build-npm");
    let scratch = dir.join("root");
    std::fs::create_dir_all(scratch.join("scripts")).unwrap();
    std::fs::copy(
        root().join("scripts/build-npm"),
        scratch.join("scripts/build-npm"),
    )
    .unwrap();
    // The runtime's WAVE module, which build-npm copies into the package.
    std::fs::create_dir_all(scratch.join("src/runtime")).unwrap();
    std::fs::write(scratch.join("src/runtime/wave.js"), "// wave").unwrap();
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let cache = dir.join("cache");
    std::fs::create_dir_all(cache.join("tools/bin")).unwrap();
    let target = dir.join("elsewhere");
    let stub = |path: PathBuf, body: &str| {
        std::fs::write(&path, format!("#!/usr/bin/env bash\nset -eu\n{body}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    };
    stub(scratch.join("scripts/devtools"), "exit 0");
    stub(bin.join("rustup"), "echo wasm32-unknown-unknown");
    stub(
        bin.join("cargo"),
        r#"t="${CARGO_TARGET_DIR:-$PWD/target}"
case "$1" in
  rustc) mkdir -p "$t/wasm32-unknown-unknown/wasm-release"; printf 'wasm' >"$t/wasm32-unknown-unknown/wasm-release/weft_wasm.wasm" ;;
  metadata) printf '{"packages":[],"target_directory":"%s","version":1}\n' "$t" ;;
  *) exit 1 ;;
esac"#,
    );
    stub(
        cache.join("tools/bin/weft-devtools"),
        r#"out=""; input=""
[ "$1" = wasm-bindgen ] || { echo "weft-devtools: expected wasm-bindgen, got $1" >&2; exit 1; }
shift
while [ $# -gt 0 ]; do
  case "$1" in
    --out-dir) out="$2"; shift 2 ;;
    --target|--out-name) shift 2 ;;
    --*) shift ;;
    *) input="$1"; shift ;;
  esac
done
[ -f "$input" ] || { echo "wasm-bindgen: no input at $input" >&2; exit 1; }
cp "$input" "$out/weft_bg.wasm""#,
    );
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(scratch.join("scripts/build-npm"))
        .env("PATH", path)
        .env("WEFT_CACHE", &cache)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        std::fs::read(scratch.join("npm/transpiler/wasm/weft_bg.wasm")).unwrap(),
        b"wasm"
    );
    assert_eq!(
        std::fs::read(scratch.join("npm/transpiler/runtime/wave.js")).unwrap(),
        b"// wave"
    );
}

#[test]
fn lower_writes_the_module_its_json_and_its_header() {
    let dir = out_dir("lower");
    let input = root().join("tests/cases/adapter-moves.wat");
    let (code, _, err) = lower(&input, &dir);
    assert_eq!(code, 0, "{err}");
    let wasm = std::fs::read(dir.join("adapter-moves.wasm")).unwrap();
    let mut features = wasmparser::WasmFeatures::default();
    features.insert(wasmparser::WasmFeatures::MULTI_MEMORY);
    wasmparser::Validator::new_with_features(features)
        .validate_all(&wasm)
        .unwrap();
    let json = std::fs::read_to_string(dir.join("adapter-moves.json")).unwrap();
    assert!(json.contains("\"function\": \"probe\""), "{json}");
    assert!(json.contains("\"results-through-pointer\": true"), "{json}");
    let h = std::fs::read_to_string(dir.join("adapter-moves.h")).unwrap();
    assert!(h.contains("#define ADAPTER_MOVES_EXPORT_PROBE"), "{h}");
    assert!(
        h.contains("#define ADAPTER_MOVES_TRAP_INVALID_UTF8 5"),
        "{h}"
    );
}

#[test]
fn lower_refuses_what_the_host_abi_cannot_express_with_the_reason() {
    for (case, why) in [
        (
            "component-values",
            "the component instantiates a component its host gives",
        ),
        (
            "import-modules",
            "the component instantiates a core module its host gives",
        ),
    ] {
        let dir = out_dir(&format!("lower-refused-{case}"));
        let input = root().join(format!("tests/cases/{case}.wat"));
        let (code, _, err) = lower(&input, &dir);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("failed to lower"), "{err}");
        assert!(err.contains(why), "{err}");
        assert!(!dir.join(format!("{case}.wasm")).exists());
    }
}

#[test]
fn lower_writes_exported_core_modules_and_components_beside_the_module() {
    // export-modules: three core modules exported (one in an instance), as they are.
    let (dir, json) = lower_case("export-modules", "lower-beside-modules");
    let modules = json["core-modules"].as_array().unwrap();
    let exports: Vec<&str> = modules
        .iter()
        .map(|m| m["export"].as_str().unwrap())
        .collect();
    assert_eq!(exports, ["m", "n", "bag#m2"], "{json}");
    let m = std::fs::read(dir.join(modules[0]["file"].as_str().unwrap())).unwrap();
    let exported: Vec<String> = wasmparser::Parser::new(0)
        .parse_all(&m)
        .filter_map(|p| match p {
            Ok(wasmparser::Payload::ExportSection(s)) => Some(
                s.into_iter()
                    .map(|e| e.unwrap().name.to_string())
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(exported, ["answer"]);
    let h = std::fs::read_to_string(dir.join("export-modules.h")).unwrap();
    assert!(
        h.contains("#define EXPORT_MODULES_CORE_MODULE_2_FILE \"export-modules.bag_m2.wasm\""),
        "{h}"
    );
    // A component exported: lowered on its own, beside.
    let dir = out_dir("lower-beside-component");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("outer.wat");
    std::fs::write(
        &input,
        r#"(component
          (component $inner
            (core module $m (func (export "f") (result i32) (i32.const 7)))
            (core instance $i (instantiate $m))
            (func (export "f") (result u32) (canon lift (core func $i "f"))))
          (export "inner" (component $inner)))"#,
    )
    .unwrap();
    let out = dir.join("out");
    let (code, _, err) = lower(&input, &out);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("outer.json")).unwrap()).unwrap();
    assert_eq!(json["components"][0]["export"], "inner", "{json}");
    assert_eq!(json["components"][0]["json"], "outer.inner.json", "{json}");
    let inner: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("outer.inner.json")).unwrap())
            .unwrap();
    assert_eq!(inner["exports"][0]["function"], "f", "{inner}");
    assert!(out.join("outer.inner.wasm").exists() && out.join("outer.inner.h").exists());
}

#[test]
fn lower_catches_the_core_exceptions_that_would_cross_components() {
    // exception-between: a fused adapter to a callee that throws; dtor-throws-between:
    // another component's destructor that throws, run by a core `resource.drop`. Both
    // were refused (their adapters and tables stayed JS); now the module catches what
    // would cross (try_table, catch_all_ref) and traps with code `exception`.
    for case in ["exception-between", "dtor-throws-between"] {
        let (dir, json) = lower_case(case, &format!("lower-catch-{case}"));
        let wasm = std::fs::read(dir.join(format!("{case}.wasm"))).unwrap();
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(&wasm)
            .unwrap();
        let imports: Vec<&str> = json["hooks"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|h| h["name"].as_str())
            .collect();
        assert!(imports.contains(&"trap"), "{json}");
        assert_eq!(json["hooks"]["trap"]["codes"]["exception"], 26, "{json}");
        assert!(
            wasmparser::Parser::new(0).parse_all(&wasm).any(
                |p| matches!(p, Ok(wasmparser::Payload::CodeSectionEntry(b))
                    if b.get_operators_reader().unwrap().into_iter().any(|op|
                        matches!(op, Ok(wasmparser::Operator::TryTable { .. }))))
            ),
            "{case}: no try_table in the module"
        );
    }
}

#[test]
fn lower_keeps_an_async_components_tables_in_the_module() {
    // trap-caught: async, with a resource whose `resource.drop` its core code calls.
    let (dir, json) = lower_case("trap-caught", "lower-async-tables");
    let intrinsics: Vec<&str> = json["intrinsics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["intrinsic"].as_str().unwrap())
        .collect();
    // `resource.drop` is a function of the module, no longer the host's.
    assert_eq!(intrinsics, ["subtask.drop", "task.return"]);
    let table = &json["handles"]["tables"]["0"];
    for (what, export) in [
        ("table-new", "weft:table-new:0"),
        ("table-kind", "weft:table-kind:0"),
        ("table-remove", "weft:table-remove:0"),
    ] {
        assert_eq!(table[what], export);
    }
    assert_eq!(json["handles"]["scope-borrows"], "weft:scope-borrows");
    assert_eq!(json["handles"]["release-lends"], "weft:release-lends");
    let header = std::fs::read_to_string(dir.join("trap-caught.h")).unwrap();
    assert!(
        header.contains("#define TRAP_CAUGHT_HOST_OBJECT 65535"),
        "{header}"
    );
}

#[test]
fn lower_names_the_imports_a_component_exports_as_they_are() {
    let (dir, json) = lower_case("reexports", "lower-reexports");
    assert_eq!(
        json["reexports"],
        serde_json::json!([
            { "export": "test:host/api", "import": "test:host/api" },
            { "export": "plus", "import": "test:host/api#add", "wit": "func(a: u32, b: u32) -> u32" }
        ])
    );
    let header = std::fs::read_to_string(dir.join("reexports.h")).unwrap();
    assert!(
        header.contains("#define REEXPORTS_REEXPORT_1_EXPORT \"plus\"\n#define REEXPORTS_REEXPORT_1_IMPORT \"test:host/api#add\""),
        "{header}"
    );
}

#[test]
fn lower_refuses_what_needs_a_stack_of_its_own() {
    // A stackful async lift (no callback) and a thread: both need stack switching.
    for (case, wat, why) in [
        (
            "stackful",
            r#"(component
              (core module $m (func (export "f")))
              (core instance $i (instantiate $m))
              (func (export "f") async (canon lift (core func $i "f") async)))"#,
            "the export `f` is a stackful async lift (no callback)",
        ),
        (
            "thread",
            r#"(component
              (core func $index (canon thread.index))
              (core module $m (import "" "index" (func (result i32)))
                (func (export "f") (result i32) (i32.const 0)))
              (core instance $i (instantiate $m (with "" (instance (export "index" (func $index))))))
              (func (export "f") (result u32) (canon lift (core func $i "f"))))"#,
            "the component uses threads (`thread.index`)",
        ),
    ] {
        let dir = out_dir(&format!("lower-refused-{case}"));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join(format!("{case}.wat"));
        std::fs::write(&input, wat).unwrap();
        let out = dir.join("out");
        let (code, _, err) = lower(&input, &out);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains(why), "{err}");
        assert!(!out.join(format!("{case}.wasm")).exists());
    }
}

#[test]
fn lower_gives_an_async_component_its_built_ins_as_intrinsics() {
    let (dir, json) = lower_case("yield-loop", "lower-async");
    assert_eq!(json["async"], true);
    let names: Vec<&str> = json["intrinsics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["intrinsic"].as_str().unwrap())
        .collect();
    // `waitable-set.new`, `.poll`, `.drop` and `waitable.join` are functions of the
    // module, over the waitable state in its table.
    assert_eq!(names, ["subtask.drop", "task.return"]);
    let ret = &json["intrinsics"][1];
    assert_eq!(ret["result"], "u32");
    assert_eq!(ret["params"], serde_json::json!(["i32"]));
    let table = &json["handles"]["tables"]["0"];
    for f in ["waitable-pend", "set-ready", "set-take", "set-wait"] {
        assert_eq!(table[f], format!("weft:{f}:0"), "{table}");
    }
    assert_eq!(
        json["hooks"]["event"]["results"],
        serde_json::json!(["i32", "i32", "i32"])
    );
    assert_eq!(json["hooks"]["wake"]["name"], "wake");
    let run_export = &json["exports"][0];
    assert_eq!(run_export["async"], true);
    assert_eq!(run_export["callback"], "cabi_callback_run");
    assert_eq!(run_export["results"], serde_json::json!(["i32"]));
    let sleep = &json["imports"][0];
    assert_eq!(sleep["async"], true);
    assert_eq!(sleep["type"], "async func(ms: u32)");
    let h = std::fs::read_to_string(dir.join("yield-loop.h")).unwrap();
    assert!(
        h.contains("#define YIELD_LOOP_INTRINSIC_6_NAME \"6:task.return\""),
        "{h}"
    );
    assert!(
        h.contains("typedef int32_t (*yield_loop_run_t)(void);"),
        "{h}"
    );
    // The Canonical ABI's codes, for a host to read and write.
    assert_eq!(json["codes"]["callback"]["wait"], 2);
    assert_eq!(json["codes"]["event"]["subtask"], 1);
    assert_eq!(json["codes"]["copy"]["blocked"], 0xffff_ffffu32);
    assert!(h.contains("#define YIELD_LOOP_CALLBACK_WAIT 2"), "{h}");
    assert!(h.contains("#define YIELD_LOOP_WAITABLE_SET 65533"), "{h}");
    assert!(
        h.contains("#define YIELD_LOOP_SET_TAKE_0 \"weft:set-take:0\""),
        "{h}"
    );
    assert!(
        h.contains("#define YIELD_LOOP_COPY_BLOCKED 0xffffffff"),
        "{h}"
    );
}

#[test]
fn lower_describes_resources_and_their_tables() {
    let dir = out_dir("lower-resources");
    let input = root().join("tests/cases/root-resource.wat");
    let (code, _, err) = lower(&input, &dir);
    assert_eq!(code, 0, "{err}");
    let json = std::fs::read_to_string(dir.join("root-resource.json")).unwrap();
    // The resource by its number, its table's functions, the export's instance.
    assert!(json.contains("\"defined-by\": \"guest\""), "{json}");
    assert!(json.contains("\"name\": \"r\""), "{json}");
    assert!(json.contains("\"lift-own\": \"weft:lift-own:"), "{json}");
    assert!(
        json.contains("\"begin-call\": \"weft:begin-call\""),
        "{json}"
    );
    assert!(json.contains("\"instance\": "), "{json}");
    let h = std::fs::read_to_string(dir.join("root-resource.h")).unwrap();
    assert!(h.contains("#define ROOT_RESOURCE_RESOURCE_R 1"), "{h}");
    assert!(
        h.contains("#define ROOT_RESOURCE_BEGIN_CALL \"weft:begin-call\""),
        "{h}"
    );
}
