//! The program of `post-return` (the newest wasip3) and `post-return-wasip3-07`
//! (wasip3 0.7.1): writes a line to stdout and returns from `run` while a task it
//! spawned still holds the `write-via-stream` call and another still holds the
//! stream's writer. After the return, the component-model task goes on: the second
//! task yields ten times, writes a line, sleeps 5 ms on the host's clock, writes
//! another and drops the writer, which ends the call, and the task exits.
use crate::spawn;
use wasip3::cli::stdout;
use wasip3::clocks::monotonic_clock;
use wasip3::wit_bindgen::yield_async;
use wasip3::wit_stream;

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let (mut tx, rx) = wit_stream::new();
        spawn(async move {
            stdout::write_via_stream(rx)
                .await
                .expect("write-via-stream")
        });
        assert!(tx.write_all(b"hello, world\n".to_vec()).await.is_empty());
        spawn(async move {
            for _ in 0..10 {
                yield_async().await;
            }
            assert!(
                tx.write_all(b"hello again, after return\n".to_vec())
                    .await
                    .is_empty()
            );
            monotonic_clock::wait_for(5_000_000).await;
            assert!(
                tx.write_all(b"and after a sleep\n".to_vec())
                    .await
                    .is_empty()
            );
            drop(tx);
        });
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
