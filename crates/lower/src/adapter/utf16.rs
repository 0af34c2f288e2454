//! The UTF-16 validator the core adapters call: one function per memory.

use wasm_encoder::{BlockType, Function, Instruction as I, ValType as W};

use crate::asm::mem;

// Parameters and locals of the validator.
const PTR: u32 = 0;
const UNITS: u32 = 1;
const I_: u32 = 2;
const C: u32 = 3;

/// `(func (param $ptr i32) (param $units i32) (result i32))`: whether the `units` code
/// units at `ptr` in memory `m` are UTF-16, as the runtime's `utf16Valid` decides: every
/// high surrogate followed by a low one, no low surrogate alone. The range is aligned
/// and in bounds (checked before).
pub fn validator(m: u32) -> Function {
    let mut f = Function::new([(2, W::I32)]);
    let unit = |k: u32| {
        [
            I::LocalGet(PTR),
            I::LocalGet(I_),
            I::I32Const(1),
            I::I32Shl,
            I::I32Add,
            I::I32Load16U(mem(m, 2 * k)),
        ]
    };
    let mut ops: Vec<I<'static>> = vec![I::Loop(BlockType::Empty)];
    // i >= units: valid.
    ops.extend([
        I::LocalGet(I_),
        I::LocalGet(UNITS),
        I::I32GeU,
        I::If(BlockType::Empty),
        I::I32Const(1),
        I::Return,
        I::End,
    ]);
    ops.extend(unit(0));
    ops.push(I::LocalSet(C));
    // Not a surrogate (c - 0xD800 >= 0x800): on with the next unit.
    ops.extend([
        I::LocalGet(C),
        I::I32Const(0xD800),
        I::I32Sub,
        I::I32Const(0x800),
        I::I32GeU,
        I::If(BlockType::Empty),
        I::LocalGet(I_),
        I::I32Const(1),
        I::I32Add,
        I::LocalSet(I_),
        I::Br(1),
        I::End,
    ]);
    // A low surrogate first, or a high one at the end: invalid.
    ops.extend([
        I::LocalGet(C),
        I::I32Const(0xDBFF),
        I::I32GtU,
        I::LocalGet(I_),
        I::I32Const(1),
        I::I32Add,
        I::LocalGet(UNITS),
        I::I32GeU,
        I::I32Or,
        I::If(BlockType::Empty),
        I::I32Const(0),
        I::Return,
        I::End,
    ]);
    // The next unit must be a low surrogate (0xDC00..=0xDFFF).
    ops.extend(unit(1));
    ops.extend([
        I::I32Const(0xDC00),
        I::I32Sub,
        I::I32Const(0x400),
        I::I32GeU,
        I::If(BlockType::Empty),
        I::I32Const(0),
        I::Return,
        I::End,
        I::LocalGet(I_),
        I::I32Const(2),
        I::I32Add,
        I::LocalSet(I_),
        I::Br(0),
    ]);
    // The loop only leaves by `return`.
    ops.extend([I::End, I::I32Const(0), I::End]);
    for op in &ops {
        f.instruction(op);
    }
    f
}
