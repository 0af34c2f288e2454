//! Waits with nothing to wait for are ready the first time they are polled, as in
//! wasmtime (whose p3_clocks_sleep program checks it): `wait-until` of `now()` and of a
//! passed instant and `wait-for(0)`, each polled once with a no-op waker, complete
//! without a subtask (the host's call returns at once). A wait that must wait is
//! pending on its first poll (and cancelled when dropped); then two real 10 ms waits.
use core::pin::pin;
use core::task::{Context, Waker};
use p3util::outln;
use wasip3::clocks::monotonic_clock;

const MS: u64 = 1_000_000;

/// Whether `f` is ready on its first poll; a pending `f` is dropped (cancelled).
fn ready_at_once(f: impl Future<Output = ()>) -> bool {
    pin!(f)
        .poll(&mut Context::from_waker(Waker::noop()))
        .is_ready()
}

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        outln!(
            "wait-until now() ready at once: {}",
            ready_at_once(monotonic_clock::wait_until(monotonic_clock::now()))
        );
        outln!(
            "wait-until a passed instant ready at once: {}",
            ready_at_once(monotonic_clock::wait_until(monotonic_clock::now() - 1))
        );
        outln!(
            "wait-for 0 ready at once: {}",
            ready_at_once(monotonic_clock::wait_for(0))
        );
        outln!(
            "wait-for 1 s ready at once: {}",
            ready_at_once(monotonic_clock::wait_for(1000 * MS))
        );
        let start = monotonic_clock::now();
        monotonic_clock::wait_until(start + 10 * MS).await;
        monotonic_clock::wait_for(10 * MS).await;
        outln!(
            "two 10 ms waits took at least 20 ms: {}",
            monotonic_clock::now() - start >= 20 * MS
        );
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
