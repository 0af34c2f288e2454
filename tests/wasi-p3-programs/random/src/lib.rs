//! Reads random bytes (looping, as `max-len` allows short answers), u64s, the
//! insecure variants and the insecure seed.
use p3util::outln;
use std::collections::HashSet;
use wasip3::random::{insecure, insecure_seed, random};

fn fill(n: usize, get: fn(u64) -> Vec<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    while out.len() < n {
        let chunk = get((n - out.len()) as u64);
        assert!(!chunk.is_empty() && chunk.len() <= n - out.len());
        out.extend(chunk);
    }
    out
}

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let a = fill(64, random::get_random_bytes);
        assert!(a.iter().any(|&b| b != 0));
        outln!("{} bytes, not all zero", a.len());
        let big = fill(100_000, random::get_random_bytes);
        let distinct: HashSet<u8> = big.iter().copied().collect();
        outln!("{} bytes, {} distinct values", big.len(), distinct.len());
        assert!(random::get_random_bytes(0).is_empty());
        let u = (random::get_random_u64(), random::get_random_u64());
        outln!("u64s differ: {}", u.0 != u.1);
        let i = fill(32, insecure::get_insecure_random_bytes);
        outln!("insecure: {} bytes; u64s differ: {}", i.len(), insecure::get_insecure_random_u64() != insecure::get_insecure_random_u64());
        let s1 = insecure_seed::get_insecure_seed();
        let s2 = insecure_seed::get_insecure_seed();
        outln!("seed stable: {}", s1 == s2);
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
