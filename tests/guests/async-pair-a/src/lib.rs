//! `async-pair-a`: exports `weft:test/async-pair` (async functions over strings and
//! `stream<u8>`), called by `async-pair-b` once composed, or by JS.

#![no_std]

extern crate alloc;

use guest_rt as _;

wit_bindgen::generate!({
    world: "async-pair-a",
    path: "wit",
});

use alloc::string::String;
use alloc::vec::Vec;

use exports::weft::test::async_pair::Guest;
use wit_bindgen::{StreamReader, StreamResult, spawn_local, yield_async};

struct Component;

export!(Component);

impl Guest for Component {
    async fn echo(s: String) -> String {
        yield_async().await;
        s
    }

    async fn sum_bytes(mut s: StreamReader<u8>) -> u64 {
        let mut sum = 0u64;
        let mut buf = Vec::with_capacity(64 * 1024);
        loop {
            let (result, got) = s.read(buf).await;
            buf = got;
            sum += buf.iter().map(|&b| u64::from(b)).sum::<u64>();
            buf.clear();
            match result {
                StreamResult::Complete(_) => {}
                StreamResult::Dropped => break,
                StreamResult::Cancelled => unreachable!(),
            }
        }
        sum
    }

    async fn produce(total: u32, chunk: u32) -> StreamReader<u8> {
        let (mut tx, rx) = wit_stream::new::<u8>();
        let chunk = chunk.max(1);
        spawn_local(async move {
            let mut i = 0;
            while i < total {
                let n = chunk.min(total - i);
                let buf: Vec<u8> = (i..i + n).map(|k| (k % 251) as u8).collect();
                if !tx.write_all(buf).await.is_empty() {
                    break;
                }
                i += n;
            }
        });
        rx
    }
}
