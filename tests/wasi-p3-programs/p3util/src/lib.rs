//! Helpers shared by the WASI 0.3 test programs: printing through
//! `wasi:cli/stdout` and `wasi:cli/stderr` streams.
use wasip3::cli::{stderr, stdout};
use wasip3::wit_stream;

/// Writes `bytes` to stdout through one `write-via-stream` call and waits for the
/// host's result.
pub async fn out(bytes: &[u8]) {
    let (mut tx, rx) = wit_stream::new();
    let done = stdout::write_via_stream(rx);
    let rest = tx.write_all(bytes.to_vec()).await;
    assert!(rest.is_empty(), "stdout closed early");
    drop(tx);
    done.await.expect("stdout write-via-stream failed");
}

/// Same as [`out`] for stderr.
pub async fn err(bytes: &[u8]) {
    let (mut tx, rx) = wit_stream::new();
    let done = stderr::write_via_stream(rx);
    let rest = tx.write_all(bytes.to_vec()).await;
    assert!(rest.is_empty(), "stderr closed early");
    drop(tx);
    done.await.expect("stderr write-via-stream failed");
}

/// `println!` over [`out`].
#[macro_export]
macro_rules! outln {
    ($($t:tt)*) => { $crate::out(format!("{}\n", format_args!($($t)*)).as_bytes()).await };
}

/// `eprintln!` over [`err`].
#[macro_export]
macro_rules! errln {
    ($($t:tt)*) => { $crate::err(format!("{}\n", format_args!($($t)*)).as_bytes()).await };
}
