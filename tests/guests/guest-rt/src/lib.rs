//! What a `#![no_std]` guest needs from outside `core` and `alloc`: an allocator, a
//! panic handler and `cabi_realloc` (on `wasm32-wasip2` wit-bindgen leaves that one to
//! wasi-libc, which `no_std` does not link). Every guest links this crate
//! (`use guest_rt as _;`).
//!
//! The guests avoid `std` because on `wasm32-wasip2` it brings in `wasi:cli` and
//! `wasi:io` imports (its panic and stdio machinery), which the tests would then have
//! to stub; without it the components import nothing from WASI.

#![no_std]

extern crate alloc;

#[global_allocator]
static ALLOC: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// A panic traps: no message, so no stdio.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

// `memcmp` and friends, which `core` calls and `std` would have linked: wasi-libc's
// versions import nothing.
#[link(name = "c")]
unsafe extern "C" {}

/// The Canonical ABI's allocation function, exported by every guest.
///
/// # Safety
///
/// Called by the component runtime with a valid previous allocation (or `old_len == 0`)
/// and a power-of-two `align`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cabi_realloc(
    old_ptr: *mut u8,
    old_len: usize,
    align: usize,
    new_len: usize,
) -> *mut u8 {
    use alloc::alloc::{Layout, alloc, realloc};
    let ptr = unsafe {
        if old_len == 0 {
            if new_len == 0 {
                return align as *mut u8;
            }
            alloc(Layout::from_size_align_unchecked(new_len, align))
        } else {
            realloc(
                old_ptr,
                Layout::from_size_align_unchecked(old_len, align),
                new_len,
            )
        }
    };
    if ptr.is_null() {
        core::arch::wasm32::unreachable();
    }
    ptr
}

/// A value in a `static`: guests are single-threaded, so a `RefCell` is enough.
pub struct Global<T>(pub core::cell::RefCell<T>);

// SAFETY: wasm32 guests have one thread (no `atomics` target feature).
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub const fn new(value: T) -> Self {
        Global(core::cell::RefCell::new(value))
    }
}
