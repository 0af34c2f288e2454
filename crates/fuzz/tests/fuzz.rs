//! The fuzz suite's CI mode: a short, seeded pass, one named trial per batch.
//!
//! First every file of `tests/fuzz-regressions/` is replayed (`regression::<file>`),
//! then each corpus component is mutated (`mutate::<seed>`, 20 inputs each) and each
//! generator makes its batches (`wit-smith::<k>`, `wasm-smith::<k>`, `nest::<k>`,
//! `deep-type::<k>`). A trial fails when one of its inputs panics, hits a `Bug`, runs
//! past the deadline or past the memory bound, and names the input (its generator,
//! seed and index, to re-make it with `scripts/fuzz --seed S --only G`, and where it was
//! saved under `target/fuzz-failures/`). The last line counts the inputs.
//!
//! `WEFT_FUZZ_SEED` (default 14) and `WEFT_FUZZ_SCALE` (a multiplier of the batch
//! sizes, default 1) change the pass.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};
use weft_fuzz::{Bounds, Input, Verdict, check, corpus, generate, mutant, regressions_dir};

#[global_allocator]
static ALLOC: weft_fuzz::alloc::Counting = weft_fuzz::alloc::Counting;

static INPUTS: AtomicU64 = AtomicU64::new(0);
static TRANSPILED: AtomicU64 = AtomicU64::new(0);
static FAILED: AtomicU64 = AtomicU64::new(0);

/// Inputs per corpus component, and batches × inputs per generator.
const MUTANTS_PER_SEED: u64 = 20;
const BATCHES: [(&str, u64, u64); 4] = [
    ("wit-smith", 8, 60),
    ("wasm-smith", 4, 40),
    ("nest", 2, 20),
    ("deep-type", 2, 20),
];

fn bounds() -> Bounds {
    Bounds {
        // Debug builds are slow; a hang is an input that never ends, not a slow one.
        deadline: Duration::from_secs(60),
        memory: 2 << 30,
    }
}

fn main() {
    let args = Arguments::from_args();
    weft_fuzz::install_panic_hook();
    let seed: u64 = std::env::var("WEFT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(14);
    let scale: f64 = std::env::var("WEFT_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let scaled = |n: u64| ((n as f64 * scale).ceil() as u64).max(1);
    let corpus = Arc::new(corpus(false));
    let mut trials = Vec::new();

    for path in weft_fuzz::sorted(&regressions_dir(), "wasm") {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        trials.push(Trial::test(format!("regression::{name}"), move || {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            // Both ends of the options: none set, and all of them.
            let inputs = [0, 0x3ff].map(|variant| Input {
                name: format!("regression:{name}"),
                bytes: bytes.clone(),
                variant,
            });
            run_batch(inputs.into_iter().map(|i| (None, i)), "")
        }));
    }

    for (k, of) in corpus.iter().enumerate() {
        let corpus = Arc::clone(&corpus);
        let n = scaled(MUTANTS_PER_SEED);
        trials.push(Trial::test(format!("mutate::{}", of.name), move || {
            let of = &corpus[k];
            run_batch(
                (0..n).map(|i| (Some(i), mutant(seed, i, of, &corpus))),
                &format!("mutating `{}` with --seed {seed}", of.name),
            )
        }));
    }

    for (generator, batches, per) in BATCHES {
        let per = scaled(per);
        for b in 0..batches {
            let corpus = Arc::clone(&corpus);
            trials.push(Trial::test(format!("{generator}::{b}"), move || {
                run_batch(
                    (b * per..(b + 1) * per)
                        .map(|i| (Some(i), generate(seed, i, &corpus, Some(generator)))),
                    &format!("scripts/fuzz --seed {seed} --only {generator}"),
                )
            }));
        }
    }

    let conclusion = libtest_mimic::run(&args, trials);
    let n = INPUTS.load(Ordering::Relaxed);
    if n > 0 {
        println!(
            "fuzz: {n} inputs, {} transpiled, {} failing (seed {seed})",
            TRANSPILED.load(Ordering::Relaxed),
            FAILED.load(Ordering::Relaxed)
        );
    }
    conclusion.exit();
}

/// Checks each input; the failures, named, are the trial's error.
fn run_batch(inputs: impl Iterator<Item = (Option<u64>, Input)>, how: &str) -> Result<(), Failed> {
    let mut failures = Vec::new();
    for (index, input) in inputs {
        let o = check(Arc::new(input.bytes.clone()), input.variant, bounds());
        INPUTS.fetch_add(1, Ordering::Relaxed);
        if o.verdict == Verdict::Transpiled {
            TRANSPILED.fetch_add(1, Ordering::Relaxed);
        }
        if o.verdict.is_failure() {
            FAILED.fetch_add(1, Ordering::Relaxed);
            let dir = weft_fuzz::root().join("target/fuzz-failures");
            let saved = weft_fuzz::save(&dir, o.verdict.kind(), &input.bytes)
                .map_or_else(|e| format!("not saved: {e}"), |p| p.display().to_string());
            let at = index
                .map(|i| format!(" input {i} ({how})"))
                .unwrap_or_default();
            failures.push(format!(
                "{}{at}, options variant {:#x}: {} [saved as {saved}]",
                input.name, input.variant, o.verdict
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}
