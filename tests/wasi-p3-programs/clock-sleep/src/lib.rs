//! Sleeps through `monotonic-clock.wait-for` and `wait-until` (two concurrent waits
//! with `join!`), checks the elapsed time, and checks the system clock.
use p3util::outln;
use wasip3::clocks::{monotonic_clock, system_clock};

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let start = monotonic_clock::now();
        monotonic_clock::wait_for(20_000_000).await;
        let slept = monotonic_clock::now() - start;
        assert!(slept >= 20_000_000, "slept only {slept} ns");
        outln!("slept at least 20 ms");

        let start = monotonic_clock::now();
        futures::join!(
            monotonic_clock::wait_for(30_000_000),
            monotonic_clock::wait_until(start + 10_000_000),
        );
        let both = monotonic_clock::now() - start;
        assert!(both >= 30_000_000, "concurrent waits took {both} ns");
        assert!(both < 1_000_000_000, "concurrent waits took {both} ns (not concurrent?)");
        outln!("two concurrent waits took at least 30 ms");

        monotonic_clock::wait_for(0).await;
        monotonic_clock::wait_until(0).await;
        outln!("zero waits return");

        let now = system_clock::now();
        assert!(now.seconds > 1_600_000_000 && now.nanoseconds < 1_000_000_000);
        assert!(system_clock::get_resolution() > 0 && monotonic_clock::get_resolution() > 0);
        outln!("system clock sane");
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
