//! Yield loops against host timers: a task yields (`yield_async`, the callback's YIELD
//! code) in a loop until a monotonic-clock sleep of another task is over; the same
//! within one task (`join!`); and a run of 1000 yields. The host must let its timers
//! fire while a component yields.
use p3util::outln;
use std::cell::Cell;
use std::rc::Rc;
use wasip3::clocks::monotonic_clock;
use wasip3::wit_bindgen::yield_async;

const MS: u64 = 1_000_000;

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let done = Rc::new(Cell::new(false));
        let yields = Rc::new(Cell::new(0u64));
        let yielder = wasip3::spawn_local({
            let (done, yields) = (done.clone(), yields.clone());
            async move {
                while !done.get() {
                    yield_async().await;
                    yields.set(yields.get() + 1);
                }
            }
        });
        let start = monotonic_clock::now();
        monotonic_clock::wait_for(20 * MS).await;
        let slept = monotonic_clock::now() - start;
        done.set(true);
        let _ = yielder.await;
        outln!(
            "spawned yielder: slept at least 20 ms: {}, yields > 0: {}",
            slept >= 20 * MS,
            yields.get() > 0
        );

        let (done, yields) = (Cell::new(false), Cell::new(0u64));
        let start = monotonic_clock::now();
        futures::join!(
            async {
                while !done.get() {
                    yield_async().await;
                    yields.set(yields.get() + 1);
                }
            },
            async {
                monotonic_clock::wait_for(10 * MS).await;
                done.set(true);
            },
        );
        let slept = monotonic_clock::now() - start;
        outln!(
            "joined yielder: slept at least 10 ms: {}, yields > 0: {}",
            slept >= 10 * MS,
            yields.get() > 0
        );

        let start = monotonic_clock::now();
        for _ in 0..1000 {
            yield_async().await;
        }
        outln!(
            "1000 yields in under 10 s: {}",
            monotonic_clock::now() - start < 10_000 * MS
        );
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
