//! `async-pair-b`: imports `weft:test/async-pair` and exports `run` and `echo-twice`,
//! which make async calls into it: streams in both directions and concurrent calls.

#![no_std]

extern crate alloc;

use guest_rt as _;

wit_bindgen::generate!({
    world: "async-pair-b",
    path: "wit",
});

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use futures::future::join_all;
use weft::test::async_pair::{echo, produce, sum_bytes};
use wit_bindgen::StreamResult;

struct Component;

export!(Component);

/// Bytes per piece when writing the stream passed to `sum-bytes`.
const WRITE_PIECE: u32 = 1000;

impl Guest for Component {
    async fn run(n: u32) -> u64 {
        let len = 4096 * n + 13;

        // A stream we write, read by the callee at the same time.
        let (mut tx, rx) = wit_stream::new::<u8>();
        let write = async move {
            let mut i = 0;
            while i < len {
                let end = (i + WRITE_PIECE).min(len);
                let piece: Vec<u8> = (i..end)
                    .map(|i| (i.wrapping_mul(7).wrapping_add(n) % 256) as u8)
                    .collect();
                assert!(
                    tx.write_all(piece).await.is_empty(),
                    "sum-bytes dropped its stream"
                );
                i = end;
            }
            // Dropping `tx` ends the stream.
        };
        let ((), written) = futures::join!(write, sum_bytes(rx));

        // A stream the callee writes, read to its end and checked here.
        let mut stream = produce(len, 1500).await;
        let mut produced = 0u64;
        let mut count = 0u32;
        let mut buf = Vec::with_capacity(4096);
        loop {
            let (result, got) = stream.read(buf).await;
            buf = got;
            for &b in &buf {
                assert_eq!(b, (count % 251) as u8, "produce: wrong byte at {count}");
                produced += u64::from(b);
                count += 1;
            }
            buf.clear();
            if result == StreamResult::Dropped {
                break;
            }
        }
        assert_eq!(count, len, "produce: wrong length");

        // Concurrent calls.
        let k = n % 5 + 3;
        let words: Vec<String> = (0..k).map(|i| format!("echo-{i}")).collect();
        let echoed = join_all(words.iter().cloned().map(echo)).await;
        assert_eq!(echoed, words);
        let echo_len: u64 = echoed.iter().map(|s| s.len() as u64).sum();

        written + u64::from(len) + produced + echo_len
    }

    async fn echo_twice(s: String) -> String {
        let first = echo(s.clone()).await;
        let second = echo(format!("{first}|")).await;
        first + &second
    }
}
