//! The monotonic clock advances over a 20 ms sleep; the wall clock is after 2020.
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn main() {
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_millis(20));
    let slept = t0.elapsed();
    assert!(slept >= Duration::from_millis(20), "slept only {slept:?}");
    assert!(slept < Duration::from_secs(10), "slept {slept:?}");
    println!("slept at least 20 ms");
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after epoch");
    assert!(now.as_secs() > 1_577_836_800, "wall clock {now:?} is before 2020");
    assert!(now.as_secs() < 4_102_444_800, "wall clock {now:?} is after 2100");
    println!("wall clock sane");
}
