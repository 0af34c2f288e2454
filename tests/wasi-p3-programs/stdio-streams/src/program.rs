//! The program of `stdio-streams` (the newest wasip3) and `stdio-streams-wasip3-07`
//! (wasip3 0.7.1, an older async runtime): stdio through `stream<u8>`s driven by the
//! stream helpers of wit-bindgen (which `wasip3` re-exports), including the cancels and
//! drops they emit:
//! - a write and the `write-via-stream` call that takes its stream run concurrently
//!   (`join!`), the write completes in full, then the writer is dropped;
//! - a write that cannot complete (the stream's reader is still ours) is cancelled with
//!   `StreamWrite::cancel` (all bytes come back), another one by dropping its future
//!   (`stream.cancel-write` from the destructor), and the stream is used afterwards;
//! - a write to a stream whose reader was dropped gets its bytes back;
//! - `write-via-stream` calls whose writer and result future are dropped at once (the
//!   result never read), and one whose result read is cancelled by dropping it while
//!   it waits (`future.cancel-read`);
//! - stdin: a read cancelled if it is pending, short reads, then the reader and the
//!   result future dropped while the host still has input.
//!
//! Uses no code shared with the other programs, since p3util is built with the newest
//! wasip3 only.
use core::future::IntoFuture;
use core::pin::pin;
use core::task::Poll;
use wasip3::cli::{stderr, stdin, stdout};
use wasip3::wit_bindgen::StreamResult;
use wasip3::wit_stream;

/// Writes `text` to stdout through one `write-via-stream` call, concurrently with the
/// write (as wasmtime's and jco's hello-stdout programs do).
async fn out(text: &str) {
    let (mut tx, rx) = wit_stream::new();
    futures::join!(
        async {
            stdout::write_via_stream(rx)
                .await
                .expect("stdout write-via-stream")
        },
        async {
            let rest = tx.write_all(text.as_bytes().to_vec()).await;
            assert!(rest.is_empty(), "stdout dropped its reader");
            drop(tx);
        }
    );
}

macro_rules! outln {
    ($($t:tt)*) => { out(&format!("{}\n", format_args!($($t)*))).await };
}

/// One `write` that must complete in full (13 bytes), then the writer is dropped.
async fn hello() {
    let (mut tx, rx) = wit_stream::new();
    futures::join!(
        async {
            stdout::write_via_stream(rx)
                .await
                .expect("write-via-stream")
        },
        async {
            let (result, rest) = tx.write(b"hello, world\n".to_vec()).await;
            assert_eq!(result, StreamResult::Complete(13));
            assert_eq!(rest.remaining(), 0);
            drop(tx);
        }
    );
}

/// A write that blocks (nobody reads yet) is cancelled and its bytes come back; they
/// are written once the host has the reader.
async fn cancelled_write() {
    let (mut tx, rx) = wit_stream::new();
    let text = b"written after a cancel\n";
    let (result, back) = {
        let mut write = pin!(tx.write(text.to_vec()));
        assert!(
            futures::poll!(write.as_mut()).is_pending(),
            "a write with no reader completed"
        );
        write.as_mut().cancel()
    };
    outln!(
        "cancelled write: {result:?}, {} bytes back",
        back.remaining()
    );
    let back = back.into_vec();
    futures::join!(
        async {
            stdout::write_via_stream(rx)
                .await
                .expect("write-via-stream")
        },
        async {
            assert!(tx.write_all(back).await.is_empty());
            drop(tx);
        }
    );
}

/// A blocked write whose future is dropped (the destructor cancels it); the stream goes
/// on.
async fn dropped_write() {
    let (mut tx, rx) = wit_stream::new();
    {
        let mut write = pin!(tx.write(b"never written\n".to_vec()));
        assert!(
            futures::poll!(write.as_mut()).is_pending(),
            "a write with no reader completed"
        );
    }
    futures::join!(
        async {
            stdout::write_via_stream(rx)
                .await
                .expect("write-via-stream")
        },
        async {
            assert!(
                tx.write_all(b"after a dropped write\n".to_vec())
                    .await
                    .is_empty()
            );
            drop(tx);
        }
    );
}

/// A write to a stream whose reader was dropped returns what it could not write.
async fn write_to_dropped_reader() {
    let (mut tx, rx) = wit_stream::new::<u8>();
    drop(rx);
    let rest = tx.write_all(b"x".to_vec()).await;
    outln!("write after the reader dropped: {} byte back", rest.len());
}

/// `write-via-stream` calls with their writers and result futures dropped unread,
/// and one whose result read is dropped while pending.
async fn dropped_calls() {
    for _ in 0..100 {
        let (tx, rx) = wit_stream::new::<u8>();
        let _call = stdout::write_via_stream(rx);
        drop(tx);
    }
    {
        let (tx, rx) = wit_stream::new::<u8>();
        {
            let mut result = pin!(stdout::write_via_stream(rx).into_future());
            assert!(
                futures::poll!(result.as_mut()).is_pending(),
                "write-via-stream returned before its stream ended"
            );
        }
        drop(tx);
    }
    outln!("write-via-stream results dropped: 100 unread, 1 while read");
}

/// stderr the same way as [`hello`], with `write_all`.
async fn to_stderr() {
    let (mut tx, rx) = wit_stream::new();
    futures::join!(
        async {
            stderr::write_via_stream(rx)
                .await
                .expect("stderr write-via-stream")
        },
        async {
            assert!(
                tx.write_all(b"to stderr through a stream\n".to_vec())
                    .await
                    .is_empty()
            );
            drop(tx);
        }
    );
}

/// Reads the start of stdin (a first read cancelled if it is still pending, then reads
/// of at most 3 bytes) and drops the reader and the result future with input left.
async fn stdin_prefix() {
    let (mut rx, result) = stdin::read_via_stream();
    let mut got = Vec::new();
    {
        let mut read = pin!(rx.read(Vec::with_capacity(4)));
        match futures::poll!(read.as_mut()) {
            Poll::Ready((_, buf)) => got.extend(buf),
            Poll::Pending => got.extend(read.as_mut().cancel().1),
        }
    }
    while got.len() < 6 {
        let (status, buf) = rx.read(Vec::with_capacity(3)).await;
        assert!(
            matches!(status, StreamResult::Complete(1..=3)),
            "stdin read: {status:?}"
        );
        got.extend(buf);
    }
    drop(rx);
    drop(result);
    outln!("stdin starts with {:?}", String::from_utf8_lossy(&got[..6]));
}

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        hello().await;
        cancelled_write().await;
        dropped_write().await;
        write_to_dropped_reader().await;
        dropped_calls().await;
        to_stderr().await;
        stdin_prefix().await;
        outln!("stdio streams ok");
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
