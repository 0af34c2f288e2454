//! `compose-a`: exports `weft:test/text`.

#![no_std]

extern crate alloc;

use guest_rt as _;

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::sync::atomic::{AtomicU32, Ordering};

wit_bindgen::generate!({
    world: "compose-a",
    path: "wit",
});

use exports::weft::test::text::{self, GuestBuffer};

static DROPS: AtomicU32 = AtomicU32::new(0);

struct Component;

export!(Component);

struct Buffer(RefCell<String>);

impl Drop for Buffer {
    fn drop(&mut self) {
        DROPS.fetch_add(1, Ordering::Relaxed);
    }
}

impl GuestBuffer for Buffer {
    fn new(init: String) -> Self {
        Buffer(RefCell::new(init))
    }
    fn push(&self, s: String) {
        self.0.borrow_mut().push_str(&s);
    }
    fn contents(&self) -> String {
        self.0.borrow().clone()
    }
    fn len(&self) -> u32 {
        self.0.borrow().len() as u32
    }
}

impl text::Guest for Component {
    type Buffer = Buffer;

    fn shout(s: String) -> String {
        s.to_ascii_uppercase()
    }
    fn sum(xs: Vec<u32>) -> u64 {
        xs.iter().map(|&x| u64::from(x)).sum()
    }
    fn buffer_drops() -> u32 {
        DROPS.load(Ordering::Relaxed)
    }
}
