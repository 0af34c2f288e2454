//! Prints a line to stdout in two stream writes (one `write-via-stream` call, the
//! stream written twice) and one to stderr.
use wasip3::cli::stdout;
use wasip3::wit_stream;

struct Hello;

impl wasip3::exports::cli::run::Guest for Hello {
    async fn run() -> Result<(), ()> {
        let (mut tx, rx) = wit_stream::new();
        let done = stdout::write_via_stream(rx);
        assert!(tx.write_all(b"hello from ".to_vec()).await.is_empty());
        assert!(tx.write_all(b"wasi p3\n".to_vec()).await.is_empty());
        drop(tx);
        done.await.expect("write-via-stream");
        p3util::errln!("to stderr");
        Ok(())
    }
}

wasip3::cli::command::export!(Hello);
