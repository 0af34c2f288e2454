//! Hand-written traces, one trial per `tests/traces/<name>.trace` (`cargo test --test
//! traces -- <name>`): each is a test of a guest written as the calls it must answer
//! (docs/record-replay.md). Its header names the guest and what replaying it must give:
//!
//! ```text
//! // component: values                 target/guests/values.wasm (scripts/build-guests)
//! // expect: ok                        or `differs at line N`
//! // report: run:   > …                (optional) a line the report must have
//! ```
//!
//! The guest is transpiled with `--record` in instantiation mode into
//! `target/test-out/traces/<name>`, and `npm/transpiler/src/host/replay.mjs` (what
//! `weft replay` runs) replays the trace there, on node 20 and node 24 (when installed).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use weft_tests::trials::Harness;
use weft_tests::{nodes, out_dir, root, shown, transpile};

fn main() {
    let mut harness = Harness::new("traces");
    harness.add_files(&root().join("tests/traces"), "trace", run_trace);
    harness.run();
}

/// What a trace's header asks for.
struct Header {
    component: String,
    /// `None`: replays as written; `Some(n)`: differs first at line `n`.
    differs_at: Option<usize>,
    report: Vec<String>,
}

fn header(path: &Path) -> Result<Header> {
    let text = std::fs::read_to_string(path)?;
    let mut component = None;
    let mut expect = None;
    let mut report = Vec::new();
    for line in text.lines().take_while(|l| l.starts_with("//")) {
        let l = line.trim_start_matches("//").trim();
        if let Some(c) = l.strip_prefix("component:") {
            component = Some(c.trim().to_string());
        } else if let Some(e) = l.strip_prefix("expect:") {
            let e = e.trim();
            expect = Some(match e.strip_prefix("differs at line ") {
                Some(n) => Some(
                    n.parse::<usize>()
                        .with_context(|| format!("`expect: {e}`"))?,
                ),
                None if e == "ok" => None,
                None => bail!("`expect: {e}`: expected `ok` or `differs at line N`"),
            });
        } else if let Some(r) = l.strip_prefix("report:") {
            report.push(r.trim_start().to_string());
        }
    }
    Ok(Header {
        component: component.context("no `// component: <guest>` line in the header")?,
        differs_at: expect.context("no `// expect: ok | differs at line N` line in the header")?,
        report,
    })
}

fn run_trace(name: &str, trace: &Path) -> Result<()> {
    let file = shown(trace);
    let h = header(trace).with_context(|| file.clone())?;
    let wasm = root()
        .join("target/guests")
        .join(format!("{}.wasm", h.component));
    let bytes = std::fs::read(&wasm)
        .with_context(|| format!("reading {}; run scripts/build-guests", shown(&wasm)))?;
    let out = out_dir(&format!("traces/{name}"));
    let wit = weft_core::wit_info(&bytes).ok();
    let opts = weft_js::Options {
        name: "component".into(),
        instantiation: true,
        record: Some(weft_js::record_header(&bytes, wit.as_ref())),
        ..weft_js::Options::default()
    };
    transpile(&bytes, &out, &opts).with_context(|| format!("{}: transpiling", shown(&wasm)))?;
    let replayer = root().join("npm/transpiler/src/host/replay.mjs");
    let mut failures = Vec::new();
    for node in nodes() {
        let output = Command::new(&node.path)
            .arg(&replayer)
            .arg(&out)
            .arg(trace)
            .output()
            .with_context(|| format!("failed to run `{}`", node.path.display()))?;
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let problem = match h.differs_at {
            None if !output.status.success() => Some("expected it to replay as written"),
            Some(_) if output.status.code() != Some(1) => Some("expected it to differ (exit 1)"),
            Some(n) if !report.contains(&format!("at line {n} of the trace")) => {
                Some("the report names another line")
            }
            _ if h.report.iter().any(|r| !report.contains(r.as_str())) => {
                Some("the report lacks a `// report:` line")
            }
            _ => None,
        };
        if let Some(p) = problem {
            failures.push(format!("{file} [{}]: {p}:\n{report}", node.name));
        }
    }
    if !failures.is_empty() {
        bail!("{}", failures.join("\n\n"));
    }
    Ok(())
}
