//! Writes its first argument and a newline to stdout as many times as its second says,
//! through one stream: writes of 1, 2, 4, … 512 lines (then 1 again) run concurrently
//! with the `write-via-stream` call, each completed with `write_all`, as wasmtime's
//! much-stdout program does. Then prints the byte and write counts to stderr.
use p3util::errln;
use wasip3::cli::{environment, stdout};
use wasip3::wit_stream;

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let args = environment::get_arguments();
        let line = format!("{}\n", args[1]);
        let times: usize = args[2].parse().expect("a count");
        let (mut tx, rx) = wit_stream::new();
        let (mut total, mut writes) = (0, 0);
        futures::join!(
            async {
                stdout::write_via_stream(rx)
                    .await
                    .expect("write-via-stream")
            },
            async {
                let (mut left, mut batch) = (times, 1);
                while left > 0 {
                    let n = batch.min(left);
                    assert!(
                        tx.write_all(line.repeat(n).into_bytes()).await.is_empty(),
                        "stdout closed early"
                    );
                    total += n * line.len();
                    writes += 1;
                    left -= n;
                    batch = if batch == 512 { 1 } else { batch * 2 };
                }
                drop(tx);
            }
        );
        errln!("wrote {total} bytes in {writes} writes");
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
