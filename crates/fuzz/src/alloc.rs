//! A counting global allocator: the live bytes and the peak of each thread, so that a
//! fuzz input's memory can be measured (the transpiler runs an input on one thread;
//! the core function bodies it validates on helper threads are bounded by the input's
//! size). Binaries that want the numbers install it with
//! `#[global_allocator] static A: weft_fuzz::alloc::Counting = weft_fuzz::alloc::Counting;`.

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting per thread.
#[derive(Debug)]
pub struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(n: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + n;
        live.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counting touches only const-initialised thread-locals without destructors.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as given.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            add(layout.size().cast_signed());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as given.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            add(layout.size().cast_signed());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as given.
        unsafe { System.dealloc(ptr, layout) };
        add(-layout.size().cast_signed());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as given.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            add(new_size.cast_signed() - layout.size().cast_signed());
        }
        p
    }
}

/// Starts measuring the current thread: its peak becomes its live bytes now.
pub fn reset_peak() {
    let live = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(live));
}

/// The current thread's peak since [`reset_peak`], above its live bytes then, in bytes
/// (0 when the counting allocator is not installed).
pub fn peak_since(start: isize) -> usize {
    PEAK.with(Cell::get)
        .saturating_sub(start)
        .max(0)
        .cast_unsigned()
}

/// The current thread's live bytes.
pub fn live() -> isize {
    LIVE.with(Cell::get)
}
