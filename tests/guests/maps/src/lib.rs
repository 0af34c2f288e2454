//! The `maps` guest: `map<K, V>` echoed by the guest and through the JS host.

#![no_std]

extern crate alloc;

use guest_rt as _;

wit_bindgen::generate!({
    world: "maps-guest",
    path: "wit",
});

use alloc::string::String;
use alloc::vec::Vec;

use exports::weft::test::{map_roundtrip, maps};
use weft::test::map_host as host;
use weft::test::map_types::EntryStats;
use wit_bindgen::rt::Map;

struct Component;

export!(Component);

// One line per function: they are all alike.
#[rustfmt::skip]
impl maps::Guest for Component {
    fn echo_map(x: Map<String, u32>) -> Map<String, u32> { x }
    fn echo_map_u32(x: Map<u32, Vec<String>>) -> Map<u32, Vec<String>> { x }
    fn echo_map_record(x: Map<String, EntryStats>) -> Map<String, EntryStats> { x }
    fn echo_list_map(x: Vec<Map<u8, bool>>) -> Vec<Map<u8, bool>> { x }
    fn echo_option_map(x: Option<Map<i64, String>>) -> Option<Map<i64, String>> { x }
    fn invert(x: Map<String, u32>) -> Map<u32, String> {
        x.into_iter().map(|(k, v)| (v, k)).collect()
    }
}

// One line per function: they are all alike.
#[rustfmt::skip]
impl map_roundtrip::Guest for Component {
    fn echo_map(x: Map<String, u32>) -> Map<String, u32> { host::echo_map(&x) }
    fn echo_map_u32(x: Map<u32, Vec<String>>) -> Map<u32, Vec<String>> { host::echo_map_u32(&x) }
    fn echo_map_record(x: Map<String, EntryStats>) -> Map<String, EntryStats> {
        host::echo_map_record(&x)
    }
    fn echo_list_map(x: Vec<Map<u8, bool>>) -> Vec<Map<u8, bool>> { host::echo_list_map(&x) }
    fn echo_option_map(x: Option<Map<i64, String>>) -> Option<Map<i64, String>> {
        host::echo_option_map(x.as_ref())
    }
    fn invert(x: Map<String, u32>) -> Map<u32, String> { host::invert(&x) }
}
