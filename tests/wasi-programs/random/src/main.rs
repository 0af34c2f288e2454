//! 64 random bytes (through std's hasher seeds and the random interface directly), and a
//! 100 KB request, larger than one `crypto.getRandomValues` call may fill.
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

#[link(wasm_import_module = "wasi:random/random@0.2.0")]
unsafe extern "C" {
    #[link_name = "get-random-bytes"]
    fn get_random_bytes(len: u64, ret: *mut [usize; 2]);
}

fn random_bytes(len: usize) -> Vec<u8> {
    // list<u8> comes back as (ptr, len) allocated through cabi_realloc.
    let mut ret = [0usize; 2];
    unsafe {
        get_random_bytes(len as u64, &mut ret);
        Vec::from_raw_parts(ret[0] as *mut u8, ret[1], ret[1])
    }
}

fn main() {
    let small = random_bytes(64);
    assert_eq!(small.len(), 64);
    assert!(small.iter().any(|&b| b != 0), "64 zero bytes");
    println!("64 bytes, not all zero");
    let big = random_bytes(100_000);
    assert_eq!(big.len(), 100_000);
    let zeros = big.iter().filter(|&&b| b == 0).count();
    // ~390 expected; a fill that stops at 64 KiB leaves ~35 000 zeros.
    assert!(zeros < 2_000, "{zeros} zero bytes in 100 000");
    assert!(big[65_536..].iter().any(|&b| b != 0));
    println!("100000 bytes, {} distinct values", big.iter().collect::<std::collections::HashSet<_>>().len().min(256));
    let a = RandomState::new().hash_one(1u32);
    let b = RandomState::new().hash_one(1u32);
    println!("hash seeds differ: {}", a != b);
}
