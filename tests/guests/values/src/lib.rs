//! The `values` guest: `values` echoes every WIT value type, `roundtrip` sends each
//! value through the JS host's `host` import and back.

#![no_std]

extern crate alloc;

use guest_rt as _;

wit_bindgen::generate!({
    world: "values-guest",
    path: "wit",
});

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use exports::weft::test::{roundtrip, values};
use weft::test::host;
use weft::test::types::{
    Color, Many, Mixed, Point, Results, Shape, SmallFlags, Spread, Triple, WideFlags,
};

struct Component;

export!(Component);

// One line per function: they are all alike.
#[rustfmt::skip]
impl values::Guest for Component {
    fn nop() {}
    fn echo_bool(x: bool) -> bool { x }
    fn echo_s8(x: i8) -> i8 { x }
    fn echo_u8(x: u8) -> u8 { x }
    fn echo_s16(x: i16) -> i16 { x }
    fn echo_u16(x: u16) -> u16 { x }
    fn echo_s32(x: i32) -> i32 { x }
    fn echo_u32(x: u32) -> u32 { x }
    fn echo_s64(x: i64) -> i64 { x }
    fn echo_u64(x: u64) -> u64 { x }
    fn echo_f32(x: f32) -> f32 { x }
    fn echo_f64(x: f64) -> f64 { x }
    fn echo_char(x: char) -> char { x }
    fn echo_string(x: String) -> String { x }
    fn echo_list_u8(x: Vec<u8>) -> Vec<u8> { x }
    fn echo_list_s8(x: Vec<i8>) -> Vec<i8> { x }
    fn echo_list_u16(x: Vec<u16>) -> Vec<u16> { x }
    fn echo_list_s16(x: Vec<i16>) -> Vec<i16> { x }
    fn echo_list_u32(x: Vec<u32>) -> Vec<u32> { x }
    fn echo_list_s32(x: Vec<i32>) -> Vec<i32> { x }
    fn echo_list_u64(x: Vec<u64>) -> Vec<u64> { x }
    fn echo_list_s64(x: Vec<i64>) -> Vec<i64> { x }
    fn echo_list_f32(x: Vec<f32>) -> Vec<f32> { x }
    fn echo_list_f64(x: Vec<f64>) -> Vec<f64> { x }
    fn echo_list_bool(x: Vec<bool>) -> Vec<bool> { x }
    fn echo_list_char(x: Vec<char>) -> Vec<char> { x }
    fn echo_list_string(x: Vec<String>) -> Vec<String> { x }
    fn echo_list_list_u8(x: Vec<Vec<u8>>) -> Vec<Vec<u8>> { x }
    fn echo_list_point(x: Vec<Point>) -> Vec<Point> { x }
    fn echo_list_shape(x: Vec<Shape>) -> Vec<Shape> { x }
    fn echo_list_option_string(x: Vec<Option<String>>) -> Vec<Option<String>> { x }
    fn echo_list_result(x: Vec<Result<u32, String>>) -> Vec<Result<u32, String>> { x }
    fn echo_point(x: Point) -> Point { x }
    fn echo_mixed(x: Mixed) -> Mixed { x }
    fn echo_triple(x: Triple) -> Triple { x }
    fn echo_shape(x: Shape) -> Shape { x }
    fn echo_color(x: Color) -> Color { x }
    fn echo_option_u32(x: Option<u32>) -> Option<u32> { x }
    fn echo_option_option_u32(x: Option<Option<u32>>) -> Option<Option<u32>> { x }
    fn echo_option_string(x: Option<String>) -> Option<String> { x }
    fn echo_option_point(x: Option<Point>) -> Option<Point> { x }
    fn echo_result_u32_string(x: Result<u32, String>) -> Result<u32, String> { x }
    fn echo_result_unit_string(x: Result<(), String>) -> Result<(), String> { x }
    fn echo_result_string(x: Result<String, ()>) -> Result<String, ()> { x }
    fn echo_result(x: Result<(), ()>) -> Result<(), ()> { x }
    fn echo_results(x: Results) -> Results { x }
    fn fallible(x: u32, fail: bool) -> Result<u32, String> {
        if fail { Err(format!("failed: {x}")) } else { Ok(x) }
    }
    fn echo_small_flags(x: SmallFlags) -> SmallFlags { x }
    fn echo_wide_flags(x: WideFlags) -> WideFlags { x }
    fn many_params(
        a: u8, b: i8, c: u16, d: i16, e: u32, f: i32, g: u64, h: i64, i: f32, j: f64,
        k: bool, l: char, m: String, n: Vec<u8>, o: Option<u32>, p: Point, q: Color, r: u32,
    ) -> Many {
        (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r)
    }
    fn split_u64(x: u64) -> Spread {
        (x as u8, x as u16, x as u32, x, x as i8, x as i16, x as i32, x as i64)
    }
    fn trap_now() {
        core::arch::wasm32::unreachable()
    }
}

// One line per function: they are all alike.
#[rustfmt::skip]
impl roundtrip::Guest for Component {
    fn nop() { host::nop() }
    fn echo_bool(x: bool) -> bool { host::echo_bool(x) }
    fn echo_s8(x: i8) -> i8 { host::echo_s8(x) }
    fn echo_u8(x: u8) -> u8 { host::echo_u8(x) }
    fn echo_s16(x: i16) -> i16 { host::echo_s16(x) }
    fn echo_u16(x: u16) -> u16 { host::echo_u16(x) }
    fn echo_s32(x: i32) -> i32 { host::echo_s32(x) }
    fn echo_u32(x: u32) -> u32 { host::echo_u32(x) }
    fn echo_s64(x: i64) -> i64 { host::echo_s64(x) }
    fn echo_u64(x: u64) -> u64 { host::echo_u64(x) }
    fn echo_f32(x: f32) -> f32 { host::echo_f32(x) }
    fn echo_f64(x: f64) -> f64 { host::echo_f64(x) }
    fn echo_char(x: char) -> char { host::echo_char(x) }
    fn echo_string(x: String) -> String { host::echo_string(&x) }
    fn echo_list_u8(x: Vec<u8>) -> Vec<u8> { host::echo_list_u8(&x) }
    fn echo_list_s8(x: Vec<i8>) -> Vec<i8> { host::echo_list_s8(&x) }
    fn echo_list_u16(x: Vec<u16>) -> Vec<u16> { host::echo_list_u16(&x) }
    fn echo_list_s16(x: Vec<i16>) -> Vec<i16> { host::echo_list_s16(&x) }
    fn echo_list_u32(x: Vec<u32>) -> Vec<u32> { host::echo_list_u32(&x) }
    fn echo_list_s32(x: Vec<i32>) -> Vec<i32> { host::echo_list_s32(&x) }
    fn echo_list_u64(x: Vec<u64>) -> Vec<u64> { host::echo_list_u64(&x) }
    fn echo_list_s64(x: Vec<i64>) -> Vec<i64> { host::echo_list_s64(&x) }
    fn echo_list_f32(x: Vec<f32>) -> Vec<f32> { host::echo_list_f32(&x) }
    fn echo_list_f64(x: Vec<f64>) -> Vec<f64> { host::echo_list_f64(&x) }
    fn echo_list_bool(x: Vec<bool>) -> Vec<bool> { host::echo_list_bool(&x) }
    fn echo_list_char(x: Vec<char>) -> Vec<char> { host::echo_list_char(&x) }
    fn echo_list_string(x: Vec<String>) -> Vec<String> { host::echo_list_string(&x) }
    fn echo_list_list_u8(x: Vec<Vec<u8>>) -> Vec<Vec<u8>> { host::echo_list_list_u8(&x) }
    fn echo_list_point(x: Vec<Point>) -> Vec<Point> { host::echo_list_point(&x) }
    fn echo_list_shape(x: Vec<Shape>) -> Vec<Shape> { host::echo_list_shape(&x) }
    fn echo_list_option_string(x: Vec<Option<String>>) -> Vec<Option<String>> {
        host::echo_list_option_string(&x)
    }
    fn echo_list_result(x: Vec<Result<u32, String>>) -> Vec<Result<u32, String>> {
        host::echo_list_result(&x)
    }
    fn echo_point(x: Point) -> Point { host::echo_point(x) }
    fn echo_mixed(x: Mixed) -> Mixed { host::echo_mixed(&x) }
    fn echo_triple(x: Triple) -> Triple { host::echo_triple(&x) }
    fn echo_shape(x: Shape) -> Shape { host::echo_shape(&x) }
    fn echo_color(x: Color) -> Color { host::echo_color(x) }
    fn echo_option_u32(x: Option<u32>) -> Option<u32> { host::echo_option_u32(x) }
    fn echo_option_option_u32(x: Option<Option<u32>>) -> Option<Option<u32>> {
        host::echo_option_option_u32(x)
    }
    fn echo_option_string(x: Option<String>) -> Option<String> {
        host::echo_option_string(x.as_deref())
    }
    fn echo_option_point(x: Option<Point>) -> Option<Point> { host::echo_option_point(x) }
    fn echo_result_u32_string(x: Result<u32, String>) -> Result<u32, String> {
        host::echo_result_u32_string(x.as_ref().copied().map_err(String::as_str))
    }
    fn echo_result_unit_string(x: Result<(), String>) -> Result<(), String> {
        host::echo_result_unit_string(x.as_ref().copied().map_err(String::as_str))
    }
    fn echo_result_string(x: Result<String, ()>) -> Result<String, ()> {
        host::echo_result_string(x.as_deref().map_err(|&()| ()))
    }
    fn echo_result(x: Result<(), ()>) -> Result<(), ()> { host::echo_result(x) }
    fn echo_results(x: Results) -> Results { host::echo_results(&x) }
    fn fallible(x: u32, fail: bool) -> Result<u32, String> { host::fallible(x, fail) }
    fn echo_small_flags(x: SmallFlags) -> SmallFlags { host::echo_small_flags(x) }
    fn echo_wide_flags(x: WideFlags) -> WideFlags { host::echo_wide_flags(x) }
    fn many_params(
        a: u8, b: i8, c: u16, d: i16, e: u32, f: i32, g: u64, h: i64, i: f32, j: f64,
        k: bool, l: char, m: String, n: Vec<u8>, o: Option<u32>, p: Point, q: Color, r: u32,
    ) -> Many {
        host::many_params(a, b, c, d, e, f, g, h, i, j, k, l, &m, &n, o, p, q, r)
    }
    fn split_u64(x: u64) -> Spread { host::split_u64(x) }
}
