//! The UTF-8 validator the core adapters call: one function per memory.

use wasm_encoder::{BlockType, Function, Instruction as I, ValType as W};

use crate::asm::mem;

// Parameters and locals of the validator.
const PTR: u32 = 0;
const LEN: u32 = 1;
const I_: u32 = 2;
const C: u32 = 3;
const C1: u32 = 4;

/// `(func (param $ptr i32) (param $len i32) (result i32))`: whether `len` bytes at
/// `ptr` in memory `m` are UTF-8, as the runtime's `utf8Valid` decides (eight ASCII
/// bytes at a time while it can, then byte by byte: no overlong forms, no surrogates,
/// nothing above U+10FFFF, nothing cut short). The range is in bounds (checked before).
pub fn validator(m: u32) -> Function {
    let mut v = V {
        f: Function::new([(3, W::I32)]),
        m,
    };
    v.ops(&[I::Loop(BlockType::Empty)]);
    // i >= len: valid.
    v.ops(&[
        I::LocalGet(I_),
        I::LocalGet(LEN),
        I::I32GeU,
        I::If(BlockType::Empty),
    ]);
    v.ops(&[I::I32Const(1), I::Return, I::End]);
    v.ascii_run();
    v.byte(0);
    v.ops(&[I::LocalSet(C)]);
    // One byte.
    v.ops(&[
        I::LocalGet(C),
        I::I32Const(0x80),
        I::I32LtU,
        I::If(BlockType::Empty),
    ]);
    v.advance(1);
    v.ops(&[I::End]);
    // 0x80..=0xC1: a continuation byte, or the lead of an overlong form.
    v.ops(&[I::LocalGet(C), I::I32Const(0xC2), I::I32LtU]);
    v.fail_if();
    // Two bytes.
    v.ops(&[
        I::LocalGet(C),
        I::I32Const(0xE0),
        I::I32LtU,
        I::If(BlockType::Empty),
    ]);
    v.need(1);
    v.continuation(1);
    v.advance(2);
    v.ops(&[I::End]);
    // Above 0xF4: no lead.
    v.ops(&[I::LocalGet(C), I::I32Const(0xF5), I::I32GeU]);
    v.fail_if();
    // Three bytes: no overlong form (E0 needs A0..), no surrogate (ED needs ..9F).
    v.ops(&[
        I::LocalGet(C),
        I::I32Const(0xF0),
        I::I32LtU,
        I::If(BlockType::Empty),
    ]);
    v.need(2);
    v.second_byte((0xE0, 0xA0), (0xED, 0x9F));
    v.continuation(2);
    v.advance(3);
    v.ops(&[I::End]);
    // Four bytes: no overlong form (F0 needs 90..), nothing past U+10FFFF (F4 needs ..8F).
    v.need(3);
    v.second_byte((0xF0, 0x90), (0xF4, 0x8F));
    v.continuation(2);
    v.continuation(3);
    v.ops(&[
        I::LocalGet(I_),
        I::I32Const(4),
        I::I32Add,
        I::LocalSet(I_),
        I::Br(0),
    ]);
    // The loop only leaves by `return`.
    v.ops(&[I::End, I::I32Const(0), I::End]);
    v.f
}

/// The validator being written.
struct V {
    f: Function,
    m: u32,
}

impl V {
    fn ops(&mut self, ops: &[I<'static>]) {
        for op in ops {
            self.f.instruction(op);
        }
    }

    /// Pushes byte `ptr + i + k`.
    fn byte(&mut self, k: u32) {
        let at = mem(self.m, k);
        self.ops(&[
            I::LocalGet(PTR),
            I::LocalGet(I_),
            I::I32Add,
            I::I32Load8U(at),
        ]);
    }

    /// `if (cond) return 0`.
    fn fail_if(&mut self) {
        self.ops(&[I::If(BlockType::Empty), I::I32Const(0), I::Return, I::End]);
    }

    /// Fails unless byte `k` is a continuation byte (`10xxxxxx`).
    fn continuation(&mut self, k: u32) {
        self.byte(k);
        self.ops(&[I::I32Const(0xC0), I::I32And, I::I32Const(0x80), I::I32Ne]);
        self.fail_if();
    }

    /// Fails if the sequence would end past `len` (`i + k >= len`).
    fn need(&mut self, k: i32) {
        self.ops(&[
            I::LocalGet(I_),
            I::I32Const(k),
            I::I32Add,
            I::LocalGet(LEN),
            I::I32GeU,
        ]);
        self.fail_if();
    }

    /// `i += k`, and on with the loop (from inside one `if`).
    fn advance(&mut self, k: i32) {
        self.ops(&[
            I::LocalGet(I_),
            I::I32Const(k),
            I::I32Add,
            I::LocalSet(I_),
            I::Br(1),
        ]);
    }

    /// Fails unless the second byte is a continuation byte in its lead's range: at
    /// least `low.1` after lead `low.0`, at most `high.1` after lead `high.0`.
    fn second_byte(&mut self, low: (i32, i32), high: (i32, i32)) {
        self.byte(1);
        self.ops(&[I::LocalSet(C1)]);
        self.ops(&[
            I::LocalGet(C1),
            I::I32Const(0xC0),
            I::I32And,
            I::I32Const(0x80),
            I::I32Ne,
        ]);
        self.ops(&[I::LocalGet(C), I::I32Const(low.0), I::I32Eq]);
        self.ops(&[
            I::LocalGet(C1),
            I::I32Const(low.1),
            I::I32LtU,
            I::I32And,
            I::I32Or,
        ]);
        self.ops(&[I::LocalGet(C), I::I32Const(high.0), I::I32Eq]);
        self.ops(&[
            I::LocalGet(C1),
            I::I32Const(high.1),
            I::I32GtU,
            I::I32And,
            I::I32Or,
        ]);
        self.fail_if();
    }

    /// Eight ASCII bytes at once: if `i + 8 <= len` and none has its high bit set,
    /// `i += 8` and on with the loop.
    fn ascii_run(&mut self) {
        let at = mem(self.m, 0);
        self.ops(&[
            I::LocalGet(LEN),
            I::LocalGet(I_),
            I::I32Sub,
            I::I32Const(8),
            I::I32GeU,
        ]);
        self.ops(&[I::If(BlockType::Empty)]);
        self.ops(&[I::LocalGet(PTR), I::LocalGet(I_), I::I32Add, I::I64Load(at)]);
        self.ops(&[
            I::I64Const(0x8080_8080_8080_8080_u64 as i64),
            I::I64And,
            I::I64Eqz,
        ]);
        self.ops(&[I::If(BlockType::Empty)]);
        // Out of both `if`s to the loop.
        self.ops(&[
            I::LocalGet(I_),
            I::I32Const(8),
            I::I32Add,
            I::LocalSet(I_),
            I::Br(2),
        ]);
        self.ops(&[I::End, I::End]);
    }
}
