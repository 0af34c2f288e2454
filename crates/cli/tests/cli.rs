//! The `weft` binary: exit codes and error messages for bad input and bad usage.

use std::process::Command;

use std::path::PathBuf;

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
fn imported_core_module_is_named_in_the_error() {
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
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("imported core module `plugin`"), "{err}");
    assert!(err.contains("not known at transpile time"), "{err}");
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
