//! `compose-b`: imports `weft:test/text`, exports functions calling it.

#![no_std]

extern crate alloc;

use guest_rt as _;

wit_bindgen::generate!({
    world: "compose-b",
    path: "wit",
});

use alloc::string::String;
use alloc::vec::Vec;

use weft::test::text::{self, Buffer};

struct Component;

export!(Component);

impl Guest for Component {
    fn run(s: String) -> String {
        let mut out = text::shout(&s);
        out.push('!');
        out
    }
    fn total(xs: Vec<u32>) -> u64 {
        text::sum(&xs).wrapping_mul(2)
    }
    fn join(parts: Vec<String>, sep: String) -> (String, u32) {
        let buf = Buffer::new("");
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                buf.push(&sep);
            }
            buf.push(p);
        }
        (buf.contents(), buf.len())
    }
    fn drops() -> u32 {
        text::buffer_drops()
    }
}
