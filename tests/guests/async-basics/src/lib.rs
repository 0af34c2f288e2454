//! `async-basics`: async exports (`weft:test/async-api`) over streams, futures and
//! spawned tasks, calling async imports (`weft:test/async-host`) implemented in JS.
//!
//! `no_std` like the other guests: wit-bindgen's async runtime needs only `alloc`, and
//! on `wasm32-wasip2` keeps each task's state in `context.get`/`context.set` slot 0.

#![no_std]

extern crate alloc;

use guest_rt::Global;

wit_bindgen::generate!({
    world: "async-basics",
    path: "wit",
});

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;

use exports::weft::test::async_api::Guest;
use futures::future::{Either, select};
use weft::test::async_host::{host_sleep, host_upper};
use wit_bindgen::{FutureReader, StreamReader, StreamResult, spawn_local, yield_async};

struct Component;

export!(Component);

/// Bytes per read when a guest drains a `stream<u8>`.
const READ_CHUNK: usize = 64 * 1024;

/// `slow` calls that returned, and that were dropped before returning.
static SLOW_RETURNED: Global<u32> = Global::new(0);
static SLOW_CANCELLED: Global<u32> = Global::new(0);

/// Counts a `slow` call as cancelled when dropped before `returned` is set: the
/// async runtime drops an export's future when the caller cancels its task.
struct SlowGuard {
    returned: bool,
}

impl Drop for SlowGuard {
    fn drop(&mut self) {
        let counter = if self.returned {
            &SLOW_RETURNED
        } else {
            &SLOW_CANCELLED
        };
        *counter.0.borrow_mut() += 1;
    }
}

/// Reads `s` to its end, `READ_CHUNK` bytes at most per read, passing what each read
/// got to `f`.
async fn drain(mut s: StreamReader<u8>, mut f: impl FnMut(&[u8])) {
    let mut buf = Vec::with_capacity(READ_CHUNK);
    loop {
        let (result, got) = s.read(buf).await;
        buf = got;
        f(&buf);
        buf.clear();
        match result {
            StreamResult::Complete(_) => {}
            StreamResult::Dropped => break,
            StreamResult::Cancelled => unreachable!(),
        }
    }
}

/// Byte `i` of what `produce` writes.
fn produced_byte(i: u32) -> u8 {
    (i % 251) as u8
}

impl Guest for Component {
    async fn echo(s: String) -> String {
        s
    }

    async fn sum_bytes(s: StreamReader<u8>) -> u64 {
        let mut sum = 0u64;
        drain(s, |bytes| {
            sum += bytes.iter().map(|&b| u64::from(b)).sum::<u64>()
        })
        .await;
        sum
    }

    async fn hash_bytes(s: StreamReader<u8>) -> u32 {
        let mut hash = 0x811c_9dc5_u32;
        drain(s, |bytes| {
            for &b in bytes {
                hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
            }
        })
        .await;
        hash
    }

    async fn produce(total: u32, chunk: u32) -> StreamReader<u8> {
        let (mut tx, rx) = wit_stream::new::<u8>();
        let chunk = chunk.max(1);
        spawn_local(async move {
            // The pattern repeats every 251 bytes: build one chunk's worth (plus a
            // period) once and copy windows of it, so the guest's own work per write is
            // a memcpy and the benchmark measures the stream, not the byte loop.
            let pattern: Vec<u8> = (0..chunk.min(total) + 251).map(produced_byte).collect();
            let mut i = 0;
            while i < total {
                let n = chunk.min(total - i);
                let start = (i % 251) as usize;
                let buf: Vec<u8> = pattern[start..start + n as usize].to_vec();
                // What comes back was not written: the reader went away.
                if !tx.write_all(buf).await.is_empty() {
                    break;
                }
                i += n;
            }
            // Dropping `tx` ends the stream.
        });
        rx
    }

    async fn echo_future(f: FutureReader<String>) -> String {
        f.await
    }

    async fn make_future(s: String) -> FutureReader<String> {
        let (tx, rx) = wit_future::new::<String>(String::new);
        spawn_local(async move {
            yield_async().await;
            // An error means the reader was dropped; nothing to do then.
            let _ = tx.write(s).await;
        });
        rx
    }

    async fn spawn_count(n: u32) -> u32 {
        let counter = Rc::new(Cell::new(0u32));
        let tasks: Vec<_> = (0..n)
            .map(|i| {
                let counter = counter.clone();
                spawn_local(async move {
                    for _ in 0..=i % 4 {
                        yield_async().await;
                    }
                    counter.set(counter.get() + 1);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(counter.get(), n);
        counter.get()
    }

    async fn call_host(s: String) -> String {
        let upper = host_upper(s).await;
        host_sleep(5).await;
        upper
    }

    async fn upper_stream(mut s: StreamReader<String>) -> StreamReader<String> {
        let (mut tx, rx) = wit_stream::new::<String>();
        spawn_local(async move {
            loop {
                let (result, items) = s.read(Vec::with_capacity(16)).await;
                let upper: Vec<String> = items.iter().map(|x| x.to_ascii_uppercase()).collect();
                if !upper.is_empty() && !tx.write_all(upper).await.is_empty() {
                    break;
                }
                if result == StreamResult::Dropped {
                    break;
                }
            }
        });
        rx
    }

    fn backpressure_on() {
        wit_bindgen::backpressure_inc();
    }

    fn backpressure_off() {
        wit_bindgen::backpressure_dec();
    }

    fn sync_add(a: u32, b: u32) -> u32 {
        a.wrapping_add(b)
    }

    async fn slow(ms: u32) -> u32 {
        let mut guard = SlowGuard { returned: false };
        host_sleep(ms).await;
        guard.returned = true;
        ms
    }

    fn slow_stats() -> (u32, u32) {
        (*SLOW_RETURNED.0.borrow(), *SLOW_CANCELLED.0.borrow())
    }

    async fn sleep_race(a: u32, b: u32) -> u32 {
        match select(Box::pin(host_sleep(a)), Box::pin(host_sleep(b))).await {
            // Dropping the unfinished call cancels its subtask (`subtask.cancel`).
            Either::Left(((), other)) => {
                drop(other);
                0
            }
            Either::Right(((), other)) => {
                drop(other);
                1
            }
        }
    }

    async fn read_timeout(mut s: StreamReader<u8>, ms: u32) -> Option<u32> {
        let read = Box::pin(s.read(Vec::with_capacity(READ_CHUNK)));
        let got = match select(read, Box::pin(host_sleep(ms))).await {
            Either::Left(((_, buf), sleep)) => {
                drop(sleep);
                Some(buf.len() as u32)
            }
            // Dropping the pending read cancels it (`stream.cancel-read`).
            Either::Right(((), read)) => {
                drop(read);
                None
            }
        };
        drop(s);
        got
    }

    async fn trap_after_yield() {
        yield_async().await;
        core::arch::wasm32::unreachable()
    }
}
