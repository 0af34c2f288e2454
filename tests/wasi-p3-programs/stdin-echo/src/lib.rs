//! Reads stdin through `read-via-stream` to its end, then prints its length and
//! upper-cased text, and the stream's result.
use p3util::outln;
use wasip3::cli::stdin;

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let (rx, done) = stdin::read_via_stream();
        let bytes = rx.collect().await;
        let result = done.await;
        let text = String::from_utf8(bytes).expect("utf-8");
        outln!("{} bytes: {}", text.len(), text.to_uppercase().trim_end());
        outln!("result: {result:?}");
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
