//! A core exception must not leave the component that threw it: where weft's JS glue
//! turns one into a trap at the boundary (`boundaryError` in src/runtime/trap.js: "a core
//! wasm exception was not caught inside the component"), core code that calls from one
//! component into another — a fused adapter, a `resource.drop` running another
//! instance's destructor — runs the call inside `try_table (catch_all_ref)`. What it
//! catches is rethrown as it is when the instance is already poisoned (a trap of
//! weft's own, or a host function's exception, which poison first: as `boundaryError`
//! leaves those be), and otherwise becomes the trap `exception` through the `trap` hook.

use wasm_encoder::{BlockType, Catch, Instruction as I, ValType as W};

use crate::code;

/// What opens the guarded region: `block`, `block (result exnref)`, `try_table
/// (catch_all_ref 0)`.
pub(crate) fn open() -> [I<'static>; 3] {
    [
        I::Block(BlockType::Empty),
        I::Block(BlockType::Result(W::EXNREF)),
        I::TryTable(BlockType::Empty, vec![Catch::AllRef { label: 0 }].into()),
    ]
}

/// What closes it: past the region, out of both blocks; a caught exception in local
/// `exn` (an `exnref`), rethrown if global `poisoned` is set, else the trap.
pub(crate) fn close(exn: u32, poisoned: u32, trap: u32) -> Vec<I<'static>> {
    vec![
        I::End,
        I::Br(1),
        I::End,
        I::LocalSet(exn),
        I::GlobalGet(poisoned),
        I::If(BlockType::Empty),
        I::LocalGet(exn),
        I::ThrowRef,
        I::End,
        I::I32Const(code::EXCEPTION),
        I::I32Const(0),
        I::I32Const(0),
        I::Call(trap),
        I::Unreachable,
        I::End,
    ]
}
