//! The WASI 0.3 twin of tests/wasi-programs/broken-pipe: writes to stdout and then to
//! stderr until a reader that stopped early makes the writes fail, as `prog | head -1`
//! does, and checks the errors it gets, each stream two ways: through
//! `write-via-stream` (the guest's write comes back unwritten, and the call's result is
//! `err(pipe)`), then through Rust's std (`wasi:io` 0.2 streams, which the 0.3 host also
//! answers), whose write fails with `BrokenPipe` as natively. Its reader (the runner,
//! `closeOutput` in expected.json) reads one line of stdout, closes it, reads the line
//! this program then writes to stderr (what stdout's writes failed with), and closes
//! stderr too. The whole report goes to `/data/report.txt` (std::fs); the exit code is 0
//! when every error was the expected one, else 1.
use std::io::{self, ErrorKind, Write};

use wasip3::cli::types::ErrorCode;
use wasip3::cli::{stderr, stdout};
use wasip3::wit_stream;

const LINE: &[u8] = b"a line the reader may never read\n";
/// Far more than any pipe buffers: a reader that never closes is a failure.
const MAX_LINES: usize = 1 << 22;

/// Writes `LINE`s through one `write-via-stream` call of stdout (or stderr) until a
/// write comes back unwritten; returns whether one did and the call's result.
async fn stream_until_failure(to_stderr: bool) -> (bool, Result<(), ErrorCode>) {
    let (mut tx, rx) = wit_stream::new();
    let call = async {
        if to_stderr {
            stderr::write_via_stream(rx).await
        } else {
            stdout::write_via_stream(rx).await
        }
    };
    let write = async move {
        let mut refused = false;
        for _ in 0..MAX_LINES {
            if !tx.write_all(LINE.to_vec()).await.is_empty() {
                refused = true;
                break;
            }
        }
        // The end of the stream, which the call waits for when no write failed.
        drop(tx);
        refused
    };
    let (result, refused) = futures::join!(call, write);
    (refused, result)
}

/// One line of the report on a stream; `true` when its errors were the expected ones.
async fn check(name: &str, to_stderr: bool) -> (String, bool) {
    let (refused, result) = stream_until_failure(to_stderr).await;
    let std_write = if to_stderr {
        io::stderr().write_all(LINE).and_then(|()| io::stderr().flush())
    } else {
        io::stdout().write_all(LINE).and_then(|()| io::stdout().flush())
    };
    let ok = refused
        && matches!(result, Err(ErrorCode::Pipe))
        && std_write.as_ref().is_err_and(|e| e.kind() == ErrorKind::BrokenPipe);
    let stream = if refused { format!("{result:?}") } else { format!("{MAX_LINES} lines written, {result:?}") };
    let std_write = match std_write {
        Ok(()) => "ok".to_string(),
        Err(e) => format!("{:?}", e.kind()),
    };
    (format!("{name}: stream {stream}, std {std_write}\n"), ok)
}

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let (out_line, out_ok) = check("stdout", false).await;
        // The reader closes stderr once it has read this line.
        let (mut tx, rx) = wit_stream::new();
        let (written, _) = futures::join!(
            async {
                let rest = tx.write_all(out_line.clone().into_bytes()).await;
                drop(tx);
                rest.is_empty()
            },
            async { stderr::write_via_stream(rx).await }
        );
        assert!(written, "stderr closed before the report");
        let (err_line, err_ok) = check("stderr", true).await;
        std::fs::write("/data/report.txt", format!("{out_line}{err_line}")).expect("write /data/report.txt");
        if out_ok && err_ok { Ok(()) } else { Err(()) }
    }
}

wasip3::cli::command::export!(Run);
