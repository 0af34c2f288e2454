//! `weft webidl`: WIT from WebIDL. `tests/data/webidl/shapes.idl` holds every shape the
//! generator maps; its WIT and warnings are compared with `shapes.wit` and
//! `shapes.stderr` beside it (`BLESS=1` rewrites them). Bad IDL, unknown names and the
//! specs of `@webref/idl` (installed by `scripts/setup`) too.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/webidl")
}

fn out_dir(case: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("webidl")
        .join(case);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn weft(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .arg("webidl")
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn webref() -> PathBuf {
    let cache = std::env::var_os("WEFT_CACHE").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache/weft"),
        PathBuf::from,
    );
    cache.join("webref/node_modules/@webref/idl")
}

/// `actual` equals the file `expected` (or, with `BLESS=1`, becomes it).
fn snapshot(expected: &Path, actual: &str) {
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(expected, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_default();
    assert!(
        want == actual,
        "{} differs (BLESS=1 rewrites it):\n--- expected\n{want}\n--- actual\n{actual}",
        expected.display()
    );
}

#[test]
fn every_shape() {
    let out = out_dir("shapes");
    let r = weft(&["shapes.idl", "-o", out.to_str().unwrap(), "-q"], &data());
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{stderr}");
    assert!(r.stdout.is_empty(), "-q prints nothing");
    let wit = std::fs::read_to_string(out.join("web.wit")).unwrap();
    snapshot(&data().join("shapes.wit"), &wit);
    snapshot(&data().join("shapes.stderr"), &stderr);
}

#[test]
fn idl_that_does_not_parse_is_an_error_naming_the_place() {
    let r = weft(
        &["bad.idl", "-o", out_dir("bad").to_str().unwrap()],
        &data(),
    );
    assert_eq!(r.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(
        stderr.trim(),
        "error: bad.idl:2:22: expected the attribute's name, found `;` (in an attribute)"
    );
}

#[test]
fn a_spec_name_without_webref_is_an_error_saying_what_to_do() {
    let dir = out_dir("no-webref");
    std::fs::create_dir_all(&dir).unwrap();
    let r = weft(&["dom", "-o", "out"], &dir);
    assert_eq!(r.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(stderr.contains("no `@webref/idl` package"), "{stderr}");
    let r = weft(
        &[
            "no-such-spec",
            "-o",
            "out",
            "--webref",
            webref().to_str().unwrap(),
        ],
        &dir,
    );
    assert_eq!(r.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(
        stderr.contains("`no-such-spec` is neither a file nor a spec of"),
        "{stderr}"
    );
}

#[test]
fn an_interface_the_idl_lacks_is_an_error() {
    let r = weft(
        &[
            "shapes.idl",
            "-o",
            out_dir("unknown").to_str().unwrap(),
            "--interface",
            "Nope",
        ],
        &data(),
    );
    assert_eq!(r.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(
        stderr.trim(),
        "error: `Nope` is not an interface or namespace of the given IDL"
    );
}

#[test]
fn the_dom_of_webref_with_one_kept_interface() {
    let webref = webref();
    assert!(
        webref.is_dir(),
        "{}: missing (scripts/setup installs @webref/idl)",
        webref.display()
    );
    let out = out_dir("webref-dom");
    let r = weft(
        &[
            "dom",
            "--interface",
            "Element",
            "--package",
            "webidl:dom",
            "-o",
            out.to_str().unwrap(),
            "--webref",
            webref.to_str().unwrap(),
        ],
        &data(),
    );
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{stderr}");
    let wit = std::fs::read_to_string(out.join("dom.wit")).unwrap();
    for line in [
        "package webidl:dom;",
        "  resource element {",
        // `(TrustedHTML or [LegacyNullToEmptyString] DOMString) innerHTML`.
        "    inner-HTML: func() -> trusted-HTML-or-DOM-string;",
        "    set-inner-HTML: func(inner-HTML: trusted-HTML-or-DOM-string-borrowed);",
        "    get-elements-by-tag-name-NS: func(namespace: option<string>, local-name: string) -> HTML-collection;",
        "    as-node: func() -> node;",
        "    as-event-target: func() -> event-target;",
    ] {
        assert!(
            wit.lines().any(|l| l == line),
            "no line `{line}` in {}",
            out.join("dom.wit").display()
        );
    }
}

/// The guest's `wit/deps/web/web.wit` is what `weft webidl` makes of its `idl/` (BLESS=1
/// rewrites the WIT), so the two stay together.
fn guest_wit_is_generated(guest: &str, idl: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/guests")
        .join(guest);
    let out = out_dir(&format!("guest-{guest}"));
    let r = weft(&[idl, "-o", out.to_str().unwrap(), "-q"], &dir);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let wit = std::fs::read_to_string(out.join("web.wit")).unwrap();
    snapshot(&dir.join("wit/deps/web/web.wit"), &wit);
}

#[test]
fn the_webidl_guest_wit_is_what_its_idl_gives() {
    guest_wit_is_generated("webidl", "idl/platform.idl");
}

#[test]
fn the_async_webidl_guest_wit_is_what_its_idl_gives() {
    guest_wit_is_generated("async-webidl", "idl/events.idl");
}

fn transpile(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .arg("transpile")
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

#[test]
fn webidl_imports_bind_only_against_idl_that_has_every_member() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let wasm = root.join("target/guests/webidl.wasm");
    assert!(
        wasm.exists(),
        "{}: missing (scripts/build-guests builds it)",
        wasm.display()
    );
    let wasm = wasm.to_str().unwrap();
    let dir = out_dir("transpile");
    std::fs::create_dir_all(&dir).unwrap();
    // No IDL at all (no --webidl, no node_modules/@webref/idl above the directory).
    let r = transpile(&[wasm, "-o", "out"], &dir);
    assert_eq!(r.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(
        stderr.contains("weft needs the WebIDL it was made from (`weft transpile --webidl FILES`"),
        "{stderr}"
    );
    // IDL without one member the guest imports.
    let idl = std::fs::read_to_string(root.join("tests/guests/webidl/idl/platform.idl")).unwrap();
    let lacking = idl.replace("  USVString toJSON();\n", "");
    assert_ne!(idl, lacking);
    std::fs::write(dir.join("lacking.idl"), lacking).unwrap();
    let r = transpile(&[wasm, "-o", "out", "--webidl", "lacking.idl"], &dir);
    assert_eq!(r.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(stderr.contains("`webidl:web/web#[method]URL.to-JSON`: `URL` has no member `to-JSON` (nor an ancestor of it)"), "{stderr}");
    // The IDL it was made from.
    let idl_dir = root.join("tests/guests/webidl/idl");
    let r = transpile(
        &[
            wasm,
            "-o",
            "out",
            "-q",
            "--webidl",
            idl_dir.to_str().unwrap(),
        ],
        &dir,
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

#[test]
fn only_keeps_the_named_interfaces_and_their_ancestors() {
    let webref = webref();
    let out = out_dir("only");
    let r = weft(
        &[
            "dom",
            "html",
            "--interface",
            "HTMLElement",
            "--interface",
            "Document",
            "--only",
            "-o",
            out.to_str().unwrap(),
            "--webref",
            webref.to_str().unwrap(),
        ],
        &data(),
    );
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{stderr}");
    let wit = std::fs::read_to_string(out.join("web.wit")).unwrap();
    let resources: Vec<&str> = wit
        .lines()
        .filter_map(|l| {
            l.strip_prefix("  resource ")
                .map(|r| r.trim_end_matches([' ', '{', ';']))
        })
        .collect();
    // The two, their ancestors, the helper resource `js-object` and `event` (the events
    // of `on*` attributes, its interface not kept).
    assert_eq!(
        resources,
        [
            "js-object",
            "event",
            "document",
            "element",
            "event-target",
            "HTML-element",
            "node"
        ]
    );
    assert!(
        stderr.contains("interface `Window` is not kept (`--only`); left out"),
        "{stderr}"
    );
    assert!(wit.contains("    append-child: func(node: borrow<node>) -> node;"));
    // A union keeps the members that are kept: `(TrustedType or DOMString)`, where
    // `TrustedType` is a typedef of a union of interfaces not kept, is a `string`.
    assert!(
        wit.contains("    set-attribute: func(qualified-name: string, value: string);"),
        "{wit}"
    );
    assert!(wit.contains("    inner-HTML: func() -> string;"));
}

#[test]
fn only_and_sync_on_the_window() {
    // Window's unions of interfaces not kept and `undefined` (onerror's) once gave a
    // variant without cases: now they are left out, with a warning, and the WIT parses.
    let out = out_dir("only-sync");
    let webref = webref();
    let r = weft(
        &[
            "dom",
            "html",
            "--interface",
            "Window",
            "--interface",
            "Document",
            "--interface",
            "HTMLElement",
            "--only",
            "--sync",
            "-o",
            out.to_str().unwrap(),
            "--webref",
            webref.to_str().unwrap(),
            "-q",
        ],
        &data(),
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let wit = std::fs::read_to_string(out.join("web.wit")).unwrap();
    assert!(wit.contains("  get-window: func() -> window;"));
}

#[test]
fn sync_leaves_out_what_would_be_async() {
    let out = out_dir("sync");
    let r = weft(
        &["shapes.idl", "-o", out.to_str().unwrap(), "--sync"],
        &data(),
    );
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{stderr}");
    let wit = std::fs::read_to_string(out.join("web.wit")).unwrap();
    assert!(
        !wit.contains("async func") && !wit.contains("stream<") && !wit.contains("future<"),
        "{wit}"
    );
    assert!(
        stderr.contains(
            "`Node.fetchText`: returns a promise (an `async func`), left out under `--sync`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("`Node.onclick`: an async member (a stream of events or a promise), left out under `--sync`"), "{stderr}");
}

#[test]
fn webidl2wit_style_names_bind_loosely() {
    // A dummy component of a world with webidl2wit's lower-cased names, bound against
    // shapes.idl: each name finds the platform's (members, dictionary members, enum values).
    let cache = webref().join("../../../..");
    // wasm-tools' `component embed` and `component new` (scripts/devtools builds it).
    let devtools = cache.join("tools/bin/weft-devtools");
    assert!(
        devtools.exists(),
        "{}: missing (scripts/setup builds it)",
        devtools.display()
    );
    let dir = out_dir("webidl2wit");
    std::fs::create_dir_all(&dir).unwrap();
    let wit = data().join("webidl2wit");
    let run = |args: &[&str]| {
        let r = Command::new(&devtools).args(args).output().unwrap();
        assert!(
            r.status.success(),
            "weft-devtools {args:?}: {}",
            String::from_utf8_lossy(&r.stderr)
        );
    };
    let core = dir.join("core.wasm");
    let component = dir.join("c.wasm");
    run(&[
        "component",
        "embed",
        "--dummy",
        wit.to_str().unwrap(),
        "-w",
        "shapes",
        "-o",
        core.to_str().unwrap(),
    ]);
    run(&[
        "component",
        "new",
        core.to_str().unwrap(),
        "-o",
        component.to_str().unwrap(),
    ]);
    let idl = data().join("shapes.idl");
    let r = transpile(
        &[
            component.to_str().unwrap(),
            "-o",
            "out",
            "-q",
            "--webidl",
            idl.to_str().unwrap(),
        ],
        &dir,
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let js = std::fs::read_to_string(dir.join("out/c.js")).unwrap();
    for want in [
        ".innerHTML",
        ".innerHTML = ",
        ".getElementsByTagNameNS(",
        ".orientation(",
        "\"flipY\"",
        "\"2d\"",
        "\"from-image\"",
        "new idl_Event(",
        "composed",
        ".scroll(...idlParams(",
        "idlInterface(\"HTMLCollection\"",
    ] {
        assert!(
            js.contains(want),
            "no `{want}` in {}",
            dir.join("out/c.js").display()
        );
    }
}
