//! The transpile limits (issue 14): instances, nesting and generated code, each an
//! error naming the limit; and transpile time linear in the size of the output.

use std::time::{Duration, Instant};

use weft_core::Limits;
use weft_fuzz::nest_bytes;

/// Flattens and generates `bytes` under `limits`; the JS size.
fn transpile(bytes: &[u8], limits: Limits) -> anyhow::Result<usize> {
    let plan = weft_core::plan_with_limits(bytes, &limits)?;
    let opts = weft_js::Options {
        limits,
        typescript: false,
        ..weft_js::Options::default()
    };
    let out = weft_js::generate(&plan, None, &opts)?;
    Ok(out.files[0].1.len())
}

fn raised() -> Limits {
    Limits {
        max_instances: u32::MAX,
        max_nesting: u32::MAX,
        max_code_size: usize::MAX,
    }
}

#[test]
fn exponential_flattening_stops_at_the_instance_limit() {
    // 1.3 KB that flattens into 2^24 component instances: an error at once.
    let bytes = nest_bytes(24, 2);
    assert!(bytes.len() < 2000);
    let start = Instant::now();
    let e = transpile(&bytes, Limits::default()).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(!weft_core::error::is_bug(&e));
    let text = e.to_string();
    assert!(
        text.contains("more than 10000 component and core instances (limit `max-instances`)"),
        "{text}"
    );
    assert!(
        text.contains("`--max-instances N`") && text.contains("`maxInstances`"),
        "{text}"
    );
}

#[test]
fn nesting_limit_and_raising_it() {
    let bytes = nest_bytes(100, 1);
    // The root and 100 levels inside it.
    let e = transpile(&bytes, Limits::default()).unwrap_err();
    assert!(
        e.to_string()
            .contains("component instantiations nest deeper than 100 levels (limit `max-nesting`)"),
        "{e}"
    );
    assert!(
        transpile(
            &bytes,
            Limits {
                max_nesting: 101,
                ..Limits::default()
            }
        )
        .is_ok()
    );
    // A limit raised far beyond the default: 400 levels fit the 8 MiB stack of a main
    // thread, even in a debug build (about 10 KiB a level; 2.5 KiB in release). The
    // validator allows 1000 nested components and modules in all.
    let deep = nest_bytes(400, 1);
    let ok = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || transpile(&deep, raised()).map_err(|e| e.to_string()))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(ok.err(), None);
}

#[test]
fn code_size_limit_is_checked_early_and_exactly() {
    let bytes = nest_bytes(11, 2);
    let size = transpile(&bytes, raised()).unwrap();
    let at = |max_code_size| {
        transpile(
            &bytes,
            Limits {
                max_code_size,
                ..raised()
            },
        )
    };
    assert_eq!(at(size).unwrap(), size);
    let e = at(size - 1).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "the generated code is larger than {} bytes ({size} bytes) (limit `max-code-size`); \
             raise the limit with `--max-code-size N` (`weft transpile`) or the `maxCodeSize` \
             option (JS API)",
            size - 1
        )
    );
    // Far below: the flattener stops before generating anything.
    let e = at(1000).unwrap_err();
    assert!(
        e.to_string().contains("would be larger than 1000 bytes"),
        "{e}"
    );
}

/// The fastest of three runs, and the JS size.
fn timed(bytes: &[u8]) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut size = 0;
    for _ in 0..3 {
        let start = Instant::now();
        size = transpile(bytes, raised()).unwrap();
        best = best.min(start.elapsed());
    }
    (best, size)
}

/// Time per output byte of the larger input over that of the smaller; linear time keeps
/// it near 1. A quadratic step would make it about as large as the size ratio (16 and
/// 8 here); the bound leaves room for noise and caches.
fn assert_linear(small: &[u8], large: &[u8], what: &str) {
    let (t1, s1) = timed(small);
    let (t2, s2) = timed(large);
    let per1 = t1.as_secs_f64() / s1 as f64;
    let per2 = t2.as_secs_f64() / s2 as f64;
    let ratio = per2 / per1;
    eprintln!("{what}: {s1} B in {t1:?}, {s2} B in {t2:?}: {ratio:.2}x the time per byte");
    assert!(s2 >= 5 * s1, "{what}: {s1} -> {s2}");
    assert!(
        ratio < 4.0,
        "{what}: time per output byte grew {ratio:.2}x ({s1} B in {t1:?}, {s2} B in {t2:?})"
    );
}

#[test]
fn transpile_time_is_linear_in_the_output() {
    // A nesting chain that doubles per level, and one level of wide fan-out.
    assert_linear(&nest_bytes(8, 2), &nest_bytes(12, 2), "chain, fan 2");
    assert_linear(&nest_bytes(1, 300), &nest_bytes(1, 2400), "fan-out");
}
