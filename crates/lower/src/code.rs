//! The codes of the `trap` hook (`weft` `trap(code, a, b)`), which the core code
//! weft-lower writes — fused adapters, handle tables — calls when a check fails; the host
//! raises the trap (weft's JS: `adapterTrap` in src/runtime/trap.js, which spells each
//! one out as the JS adapter or the JS tables would). `a` and `b` are numbers for the
//! message.

/// The instance trapped earlier.
pub const POISONED: i32 = 0;
/// `a`: the pointer (the adapter's `Ptr`), `b`: the alignment.
pub const UNALIGNED: i32 = 1;
/// `a`: the pointer (the adapter's `Ptr`).
pub const OUT_OF_BOUNDS: i32 = 2;
/// `a`, `b`: the byte length's low and high 32 bits.
pub const STRING_TOO_LONG: i32 = 3;
pub const STRING_OUT_OF_BOUNDS: i32 = 4;
pub const INVALID_UTF8: i32 = 5;
/// `a`: the pointer, `b`: the size.
pub const STRING_REALLOC_OUT_OF_BOUNDS: i32 = 6;
pub const LIST_TOO_LONG: i32 = 7;
pub const INVALID_CHAR: i32 = 8;
pub const INVALID_DISCRIMINANT: i32 = 9;
/// `a`: the pointer, `b`: the alignment.
pub const STRING_UNALIGNED: i32 = 10;
pub const INVALID_UTF16: i32 = 11;
/// `a`: the pointer, `b`: the alignment.
pub const REALLOC_UNALIGNED: i32 = 12;
/// A handle table would pass 2^28 - 1 slots.
pub const TABLE_FULL: i32 = 13;
/// `a`: the handle.
pub const UNKNOWN_HANDLE: i32 = 14;
/// `a`: the handle; `b`: the resource type expected (`ResourceIdx + 1`) in its low
/// 16 bits, the one the handle holds above.
pub const WRONG_RESOURCE: i32 = 15;
pub const LENT_MOVE: i32 = 16;
pub const NOT_OWN: i32 = 17;
pub const LENT_DROP: i32 = 18;
pub const BORROWS_REMAIN: i32 = 19;
/// A built-in called while the instance may not leave (its post-return runs).
pub const MAY_NOT_LEAVE: i32 = 20;
/// `a`: the handle; `b`: the kind it should hold (`weft_core::plan::WAITABLE` or
/// `WAITABLE_SET`).
pub const NOT_KIND: i32 = 21;
/// `waitable-set.drop` of a set that still has waitables.
pub const SET_NOT_EMPTY: i32 = 22;
/// `waitable-set.drop` of a set a task waits on.
pub const SET_WAITED_ON: i32 = 23;
/// `a`: the waitable `waitable.join` was given, which a synchronous call waits on.
pub const JOIN_SYNC_WAITER: i32 = 24;
/// `a`: the pointer `waitable-set.poll` was to write its event at.
pub const EVENT_OUT_OF_BOUNDS: i32 = 25;
/// A core exception would leave the component that threw it (`catch.rs`).
pub const EXCEPTION: i32 = 26;
/// `backpressure.inc` past 2^16 - 1.
pub const BACKPRESSURE_OVERFLOW: i32 = 27;
/// `backpressure.dec` below 0.
pub const BACKPRESSURE_UNDERFLOW: i32 = 28;

/// Every code with its name in the host ABI (the JSON's; the header's in capitals).
pub const ALL: [(&str, i32); 29] = [
    ("poisoned", POISONED),
    ("unaligned", UNALIGNED),
    ("out-of-bounds", OUT_OF_BOUNDS),
    ("string-too-long", STRING_TOO_LONG),
    ("string-out-of-bounds", STRING_OUT_OF_BOUNDS),
    ("invalid-utf8", INVALID_UTF8),
    ("string-realloc-out-of-bounds", STRING_REALLOC_OUT_OF_BOUNDS),
    ("list-too-long", LIST_TOO_LONG),
    ("invalid-char", INVALID_CHAR),
    ("invalid-discriminant", INVALID_DISCRIMINANT),
    ("string-unaligned", STRING_UNALIGNED),
    ("invalid-utf16", INVALID_UTF16),
    ("realloc-unaligned", REALLOC_UNALIGNED),
    ("table-full", TABLE_FULL),
    ("unknown-handle", UNKNOWN_HANDLE),
    ("wrong-resource", WRONG_RESOURCE),
    ("lent-move", LENT_MOVE),
    ("not-own", NOT_OWN),
    ("lent-drop", LENT_DROP),
    ("borrows-remain", BORROWS_REMAIN),
    ("may-not-leave", MAY_NOT_LEAVE),
    ("not-kind", NOT_KIND),
    ("set-not-empty", SET_NOT_EMPTY),
    ("set-waited-on", SET_WAITED_ON),
    ("join-sync-waiter", JOIN_SYNC_WAITER),
    ("event-out-of-bounds", EVENT_OUT_OF_BOUNDS),
    ("exception", EXCEPTION),
    ("backpressure-overflow", BACKPRESSURE_OVERFLOW),
    ("backpressure-underflow", BACKPRESSURE_UNDERFLOW),
];
