//! Writes to stdout and then to stderr until a reader that stopped early makes the
//! writes fail, as `prog | head -1` does, and checks the errors it gets: the native
//! program sees `BrokenPipe` (EPIPE) for the failing write and for every later one,
//! and exits 0 when it handles them. Its reader (the runner, `closeOutput` in
//! expected.json) reads one line of stdout, closes it, reads the line this program then
//! writes to stderr (what stdout's writes failed with), and closes stderr too. The
//! whole report goes to `/data/report.txt`; the exit code is 0 when both streams failed
//! with `BrokenPipe` and went on failing, else 1.
use std::io::{self, ErrorKind, Write};

const LINE: &[u8] = b"a line the reader may never read\n";
/// Far more than any pipe buffers: a reader that never closes is a failure.
const MAX_LINES: usize = 1 << 22;

/// Writes `LINE` to `out` until a write fails; returns that error and the next write's.
fn write_until_failure(out: &mut dyn Write) -> Option<(io::Error, io::Result<()>)> {
    for _ in 0..MAX_LINES {
        if let Err(e) = out.write_all(LINE).and_then(|()| out.flush()) {
            let again = out.write_all(LINE).and_then(|()| out.flush());
            return Some((e, again));
        }
    }
    None
}

/// One line of the report on a stream; `true` when its errors were the expected ones.
fn describe(name: &str, r: Option<(io::Error, io::Result<()>)>) -> (String, bool) {
    match r {
        None => (format!("{name}: {MAX_LINES} lines written, no error\n"), false),
        Some((first, again)) => {
            let again_kind = again.as_ref().err().map(io::Error::kind);
            let ok = first.kind() == ErrorKind::BrokenPipe && again_kind == Some(ErrorKind::BrokenPipe);
            let again = match again {
                Ok(()) => "ok".to_string(),
                Err(e) => format!("{:?}", e.kind()),
            };
            (format!("{name}: {:?}, then {again}\n", first.kind()), ok)
        }
    }
}

fn main() {
    let (out_line, out_ok) = describe("stdout", write_until_failure(&mut io::stdout()));
    // The reader closes stderr once it has read this line.
    let _ = io::stderr().write_all(out_line.as_bytes());
    let (err_line, err_ok) = describe("stderr", write_until_failure(&mut io::stderr()));
    std::fs::write("/data/report.txt", format!("{out_line}{err_line}")).expect("write /data/report.txt");
    std::process::exit(if out_ok && err_ok { 0 } else { 1 });
}
