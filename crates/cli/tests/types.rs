//! The generated `.d.ts` in use: TypeScript programs (`tests/types/*.ts`) compiled with
//! `tsc --strict` against the declarations `weft transpile` and `weft types` write, so
//! that what the runtime accepts type-checks (the README's `sum([1, 2, 3, 4294967295])`)
//! and what it rejects does not (`// @ts-expect-error` lines). The outputs are under
//! `target/test-out/types/<case>`, where scripts/test's tsc lane checks them too.
//!
//! Needs the TypeScript compiler `scripts/setup` installs (`$WEFT_CACHE/ts`, by default
//! `~/.cache/weft/ts`); without it the declarations are still generated and the test
//! says it skipped the compile.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tsc() -> Option<PathBuf> {
    let cache = std::env::var_os("WEFT_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/weft")))?;
    let tsc = cache.join("ts/node_modules/.bin/tsc");
    tsc.exists().then_some(tsc)
}

/// Runs `weft <args>` and fails on a non-zero exit.
fn weft(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "weft {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn declarations_type_check_in_use() {
    let out = root().join("target/test-out/types");
    let _ = std::fs::remove_dir_all(&out);
    let hello = root().join("examples/hello/hello.wat");
    let shapes = root().join("tests/types/shapes.wit");
    // (case, subcommand, input, flags, program)
    let cases: [(&str, &str, &Path, &[&str], &str); 5] = [
        ("readme", "transpile", &hello, &[], "readme.ts"),
        (
            "readme-jco",
            "transpile",
            &hello,
            &["--compat", "jco"],
            "readme.ts",
        ),
        (
            "readme-inst",
            "transpile",
            &hello,
            &["--instantiation"],
            "readme-inst.ts",
        ),
        ("shapes", "types", &shapes, &[], "shapes.ts"),
        (
            "shapes-inst-jco",
            "types",
            &shapes,
            &["--instantiation", "--compat", "jco"],
            "shapes-inst-jco.ts",
        ),
    ];
    let mut programs = Vec::new();
    for (case, cmd, input, flags, program) in cases {
        let dir = out.join(case);
        std::fs::create_dir_all(&dir).unwrap();
        let mut args = vec![cmd, input.to_str().unwrap(), "-o", dir.to_str().unwrap()];
        args.extend_from_slice(flags);
        // The file the program imports: `hello.js` or `shapes.js`.
        let name = input.file_stem().unwrap().to_str().unwrap();
        args.extend(["--name", name, "-q"]);
        weft(&args);
        // `check.ts` imports `./hello.js` or `./shapes.js` (never itself).
        let check = dir.join("check.ts");
        std::fs::copy(root().join("tests/types").join(program), &check).unwrap();
        programs.push(check);
    }
    // The guest side is generated (and checked by the tsc lane) too.
    let guest = out.join("shapes-guest");
    weft(&[
        "types",
        shapes.to_str().unwrap(),
        "-o",
        guest.to_str().unwrap(),
        "--guest",
        "-q",
    ]);
    let dts = std::fs::read_to_string(out.join("shapes/shapes.d.ts")).unwrap();
    // Named types, `use`d ones resolved, an input form where the runtime takes more.
    for want in [
        "export type Point = { x: number; y: number; tags: Uint32Array; label: string | null };",
        "export type PointInput = { x: number; y: number; tags: Uint32Array | ReadonlyArray<number>; label?: string | null | undefined };",
        "export type Point = Import_types.Point;",
        "export function area(s: api.ShapeInput): number;",
        "export function open(b: Import_types.Blob): Import_types.Blob;",
    ] {
        assert!(dts.contains(want), "missing `{want}` in\n{dts}");
    }
    let Some(tsc) = tsc() else {
        eprintln!("skipped: no TypeScript compiler (scripts/setup installs it)");
        return;
    };
    let output = Command::new(tsc)
        .args([
            "--noEmit",
            "--strict",
            "--target",
            "es2022",
            "--module",
            "es2022",
            "--moduleResolution",
            "bundler",
            "--lib",
            "es2022,esnext.disposable,dom",
        ])
        .args(&programs)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "tsc:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
