//! The `strings-utf16` guest: the Canonical ABI written out by hand, with UTF-16
//! strings (pointer to `u16` code units, length in code units, alignment 2).
//!
//! Core names follow wit-component's legacy mangling: `weft:test/strings#echo` for the
//! exports, `cabi_post_…` for their post-return functions, and the import module
//! `weft:test/strings-host`.

#![no_std]

extern crate alloc;

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::cell::UnsafeCell;

use guest_rt as _;

/// A string the caller allocated with `cabi_realloc(0, 0, 2, 2 * len)`; this guest
/// now owns it.
///
/// # Safety
///
/// `ptr` and `len` describe such an allocation.
unsafe fn take(ptr: *mut u16, len: usize) -> Vec<u16> {
    if len == 0 {
        return Vec::new();
    }
    unsafe { Vec::from_raw_parts(ptr, len, len) }
}

/// The return area of a function returning a string: `(ptr, len)`.
struct RetArea(UnsafeCell<[usize; 2]>);

// SAFETY: one thread.
unsafe impl Sync for RetArea {}

static RET: RetArea = RetArea(UnsafeCell::new([0; 2]));

/// Hands `s` to the caller through the return area; `free_ret` frees it.
fn give(s: Vec<u16>) -> *mut [usize; 2] {
    let len = s.len();
    let ptr = Box::into_raw(s.into_boxed_slice()) as *mut u16 as usize;
    let ret = RET.0.get();
    unsafe { *ret = [ptr, len] };
    ret
}

/// The post-return of every function returning a string.
///
/// # Safety
///
/// `ret` is what `give` returned, and the string has not been freed yet.
unsafe fn free_ret(ret: *mut [usize; 2]) {
    let [ptr, len] = unsafe { *ret };
    if len != 0 {
        let slice = core::ptr::slice_from_raw_parts_mut(ptr as *mut u16, len);
        drop(unsafe { Box::from_raw(slice) });
    }
}

#[unsafe(export_name = "weft:test/strings#echo")]
unsafe extern "C" fn echo(ptr: *mut u16, len: usize) -> *mut [usize; 2] {
    give(unsafe { take(ptr, len) })
}

#[unsafe(export_name = "cabi_post_weft:test/strings#echo")]
unsafe extern "C" fn echo_post(ret: *mut [usize; 2]) {
    unsafe { free_ret(ret) }
}

#[unsafe(export_name = "weft:test/strings#concat")]
unsafe extern "C" fn concat(
    a: *mut u16,
    a_len: usize,
    b: *mut u16,
    b_len: usize,
) -> *mut [usize; 2] {
    let mut s = unsafe { take(a, a_len) };
    s.extend_from_slice(&unsafe { take(b, b_len) });
    give(s)
}

#[unsafe(export_name = "cabi_post_weft:test/strings#concat")]
unsafe extern "C" fn concat_post(ret: *mut [usize; 2]) {
    unsafe { free_ret(ret) }
}

#[unsafe(export_name = "weft:test/strings#len")]
unsafe extern "C" fn len(ptr: *mut u16, len: usize) -> u32 {
    unsafe { take(ptr, len) }.len() as u32
}

#[unsafe(export_name = "weft:test/strings#code-points")]
unsafe extern "C" fn code_points(ptr: *mut u16, len: usize) -> u32 {
    let s = unsafe { take(ptr, len) };
    let mut n = 0;
    for c in char::decode_utf16(s.iter().copied()) {
        // The runtime hands over valid UTF-16 only.
        if c.is_err() {
            core::arch::wasm32::unreachable();
        }
        n += 1;
    }
    n
}

#[link(wasm_import_module = "weft:test/strings-host")]
unsafe extern "C" {
    /// `transform(s)`: the host allocates the result with `cabi_realloc` and writes its
    /// `(ptr, len)` to `ret`.
    #[link_name = "transform"]
    fn host_transform(ptr: *const u16, len: usize, ret: *mut [usize; 2]);
}

#[unsafe(export_name = "weft:test/strings#via-host")]
unsafe extern "C" fn via_host(ptr: *mut u16, len: usize) -> *mut [usize; 2] {
    let s = unsafe { take(ptr, len) };
    let mut ret = [0usize; 2];
    unsafe { host_transform(s.as_ptr(), s.len(), &mut ret) };
    drop(s);
    let out = unsafe { take(ret[0] as *mut u16, ret[1]) };
    give(out)
}

#[unsafe(export_name = "cabi_post_weft:test/strings#via-host")]
unsafe extern "C" fn via_host_post(ret: *mut [usize; 2]) {
    unsafe { free_ret(ret) }
}
