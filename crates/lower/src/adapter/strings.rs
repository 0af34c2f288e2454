//! Strings in a core adapter: the runtime's `transcode` (src/runtime/transcode.js),
//! which is the spec's `load_string_from_range` on the source side, then
//! `store_string_into_range` on the destination side, for every pair of encodings.
//!
//! The source is checked first, as the spec decodes it before it stores: its byte
//! length against `MAX_STRING_BYTE_LENGTH`, its alignment (2 for UTF-16 and
//! latin1+utf16), its bounds, and UTF-8 or UTF-16 validity (a validator function per
//! memory). Then the destination's `realloc` is called exactly as the spec calls it —
//! the same `(old_ptr, old_size, align, new_size)` sequence, which a guest can observe:
//! one block for copies, a guess then a grow then a shrink for the transcodings — and
//! each pointer it returns is checked (alignment, then bounds) before anything is
//! written.

use wasm_encoder::{BlockType, Instruction as I, ValType as W};
use weft_core::abi::MAX_BYTE_LENGTH;
use weft_core::error::OrBug;
use weft_core::plan::StringEncoding;

use super::Validator;
use super::xfer::{Dst, Gen, Side, Size, Src, need};
use crate::asm::mem;
use crate::code;

/// `UTF16_TAG` of a 32-bit memory: the top bit of a latin1+utf16 length.
const UTF16_TAG: i32 = i32::MIN;

/// What a source string is at run time (a latin1+utf16 string is either of the last
/// two, by its tag).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Utf8,
    Utf16,
    Latin1,
}

/// A source string, checked: its form and its locals.
struct Source {
    form: Form,
    memory: u32,
    ptr: u32,
    /// Code units: bytes for UTF-8 and Latin-1.
    units: u32,
    /// Bytes.
    bytes: u32,
}

/// Where the destination string goes: its memory and `realloc`, and the locals that
/// receive the pointer and the (tagged) length.
struct Out {
    memory: u32,
    realloc: u32,
    ptr: u32,
    len: u32,
}

impl Gen<'_> {
    /// A string from side `from` to side `to`, transcoded between their encodings.
    pub(super) fn string(
        &mut self,
        from: &Side,
        src: &mut Src,
        to: &Side,
        dst: &mut Dst,
    ) -> anyhow::Result<()> {
        let sm = need(from.memory, "a string source without memory")?;
        let out = Out {
            memory: need(to.memory, "a string destination without memory")?,
            realloc: need(to.realloc, "a string destination without realloc")?,
            ptr: self.local(W::I32),
            len: self.local(W::I32),
        };
        let (sp, sl) = self.read_pair(src)?;
        match from.encoding {
            StringEncoding::Utf8 => {
                let s = self.source(Form::Utf8, sm, sp, sl)?;
                self.store(&s, from.encoding, to.encoding, &out);
            }
            StringEncoding::Utf16 => {
                let s = self.source(Form::Utf16, sm, sp, sl)?;
                self.store(&s, from.encoding, to.encoding, &out);
            }
            StringEncoding::CompactUtf16 => {
                // Tagged: UTF-16 of `len ^ tag` code units; else Latin-1 bytes.
                self.ops(&[I::LocalGet(sl), I::I32Const(UTF16_TAG), I::I32And]);
                self.emit(I::If(BlockType::Empty));
                let n = self.local(W::I32);
                self.ops(&[
                    I::LocalGet(sl),
                    I::I32Const(UTF16_TAG),
                    I::I32Xor,
                    I::LocalSet(n),
                ]);
                let s = self.source(Form::Utf16, sm, sp, n)?;
                self.store(&s, from.encoding, to.encoding, &out);
                self.emit(I::Else);
                let s = self.source(Form::Latin1, sm, sp, sl)?;
                self.store(&s, from.encoding, to.encoding, &out);
                self.emit(I::End);
            }
        }
        self.write_pair(dst, out.ptr, out.len);
        Ok(())
    }

    /// The checks of `load_string_from_range`, in its order: length, alignment,
    /// bounds, then validity.
    fn source(&mut self, form: Form, memory: u32, ptr: u32, units: u32) -> anyhow::Result<Source> {
        // The byte length, in 64 bits (2 × a UTF-16 count can pass 2^32).
        let wide = self.local(W::I64);
        self.ops(&[I::LocalGet(units), I::I64ExtendI32U]);
        if form == Form::Utf16 {
            self.ops(&[I::I64Const(1), I::I64Shl]);
        }
        self.ops(&[
            I::LocalTee(wide),
            I::I64Const(i64::from(MAX_BYTE_LENGTH)),
            I::I64GtU,
        ]);
        self.trap_if(code::STRING_TOO_LONG, |g| {
            g.ops(&[
                I::LocalGet(wide),
                I::I32WrapI64,
                I::LocalGet(wide),
                I::I64Const(32),
                I::I64ShrU,
                I::I32WrapI64,
            ]);
        });
        let bytes = self.local(W::I32);
        self.ops(&[I::LocalGet(wide), I::I32WrapI64, I::LocalSet(bytes)]);
        if form != Form::Utf8 {
            self.ops(&[I::LocalGet(ptr), I::I32Const(1), I::I32And]);
            self.trap_if(code::STRING_UNALIGNED, |g| {
                g.ops(&[I::LocalGet(ptr), I::I32Const(2)]);
            });
        }
        self.past_end(ptr, &Size::Local(bytes), memory);
        self.fail_if(code::STRING_OUT_OF_BOUNDS);
        let check = match form {
            Form::Utf8 => Some((Validator::Utf8, bytes, code::INVALID_UTF8)),
            Form::Utf16 => Some((Validator::Utf16, units, code::INVALID_UTF16)),
            Form::Latin1 => None,
        };
        if let Some((v, n, fail)) = check {
            let f = *self
                .ix
                .validators
                .get(&(v, memory))
                .or_bug("no validator for a memory strings are read from")?;
            self.ops(&[I::LocalGet(ptr), I::LocalGet(n), I::Call(f), I::I32Eqz]);
            self.fail_if(fail);
        }
        Ok(Source {
            form,
            memory,
            ptr,
            units,
            bytes,
        })
    }

    /// `store_string_into_range`: the source's form and encoding, the destination's
    /// encoding.
    fn store(&mut self, s: &Source, from: StringEncoding, to: StringEncoding, out: &Out) {
        use StringEncoding as E;
        match (s.form, to) {
            (Form::Utf8, E::Utf8) => self.copy(s, 1, out),
            (Form::Utf16, E::Utf16) | (Form::Latin1, E::CompactUtf16) => self.copy(s, 2, out),
            (Form::Latin1, E::Utf16) => self.widen(s, out),
            (Form::Utf16, E::Utf8) => self.store_utf8(s, 3, out),
            (Form::Latin1, E::Utf8) => self.store_utf8(s, 2, out),
            (Form::Utf8, E::Utf16) => self.utf8_to_utf16(s, out),
            (Form::Utf16, E::CompactUtf16) if from == E::CompactUtf16 => {
                self.probably_utf16(s, out);
            }
            (Form::Utf8 | Form::Utf16, E::CompactUtf16) => self.latin1_or_utf16(s, out),
        }
    }

    /// `store_string_copy`: one block of the source's size, the bytes copied.
    fn copy(&mut self, s: &Source, align: u32, out: &Out) {
        self.string_realloc(out, None, align, Size::Local(s.bytes));
        self.ops(&[
            I::LocalGet(out.ptr),
            I::LocalGet(s.ptr),
            I::LocalGet(s.bytes),
            I::MemoryCopy {
                src_mem: s.memory,
                dst_mem: out.memory,
            },
            I::LocalGet(s.units),
            I::LocalSet(out.len),
        ]);
    }

    /// `store_string_copy` from Latin-1 to UTF-16: each byte widened to a code unit.
    fn widen(&mut self, s: &Source, out: &Out) {
        let size = self.local(W::I32);
        self.ops(&[
            I::LocalGet(s.units),
            I::I32Const(1),
            I::I32Shl,
            I::LocalSet(size),
        ]);
        self.string_realloc(out, None, 2, Size::Local(size));
        let k = self.local(W::I32);
        self.counted(k, s.units, |g| {
            g.ops(&[
                I::LocalGet(out.ptr),
                I::LocalGet(k),
                I::I32Const(1),
                I::I32Shl,
                I::I32Add,
                I::LocalGet(s.ptr),
                I::LocalGet(k),
                I::I32Add,
                I::I32Load8U(mem(s.memory, 0)),
                I::I32Store16(mem(out.memory, 0)),
            ]);
            g.ops(&[I::LocalGet(k), I::I32Const(1), I::I32Add, I::LocalSet(k)]);
        });
        self.ops(&[I::LocalGet(s.units), I::LocalSet(out.len)]);
    }

    /// `store_string_to_utf8` (from UTF-16 or Latin-1; `worst` bytes per code unit):
    /// one byte per code unit while they are ASCII; at the first that is not, grow to
    /// the worst case, encode the rest, and shrink to what was written.
    fn store_utf8(&mut self, s: &Source, worst: i32, out: &Out) {
        self.string_realloc(out, None, 1, Size::Local(s.units));
        let (i, o) = (self.zeroed(), self.zeroed());
        self.ops(&[I::Block(BlockType::Empty), I::Block(BlockType::Empty)]);
        self.ops(&[I::Loop(BlockType::Empty)]);
        // All ASCII: done (out of both blocks).
        self.ops(&[I::LocalGet(i), I::LocalGet(s.bytes), I::I32GeU, I::BrIf(2)]);
        let c = self.local(W::I32);
        let load = if s.form == Form::Utf16 {
            I::I32Load16U(mem(s.memory, 0))
        } else {
            I::I32Load8U(mem(s.memory, 0))
        };
        self.ops(&[
            I::LocalGet(s.ptr),
            I::LocalGet(i),
            I::I32Add,
            load,
            I::LocalTee(c),
        ]);
        // Not ASCII: out of the loop to the rest.
        self.ops(&[I::I32Const(0x80), I::I32GeU, I::BrIf(1)]);
        self.ops(&[
            I::LocalGet(out.ptr),
            I::LocalGet(o),
            I::I32Add,
            I::LocalGet(c),
            I::I32Store8(mem(out.memory, 0)),
        ]);
        self.advance(i, s.form.unit());
        self.advance(o, 1);
        self.ops(&[I::Br(0), I::End, I::End]);
        // Not ASCII: the worst case, the rest encoded, then the exact size.
        let w = self.local(W::I32);
        self.ops(&[
            I::LocalGet(s.units),
            I::I32Const(worst),
            I::I32Mul,
            I::LocalSet(w),
        ]);
        self.string_realloc(out, Some(Size::Local(s.units)), 1, Size::Local(w));
        let cp = self.local(W::I32);
        self.each_code_point(s, i, cp, |g| g.put_utf8(out, o, cp));
        self.shrink(out, w, 1, o);
        self.emit(I::End);
        self.ops(&[I::LocalGet(o), I::LocalSet(out.len)]);
    }

    /// `store_utf8_to_utf16`: a block of twice the bytes, the code points written as
    /// UTF-16, then the exact size.
    fn utf8_to_utf16(&mut self, s: &Source, out: &Out) {
        let w = self.local(W::I32);
        self.ops(&[
            I::LocalGet(s.bytes),
            I::I32Const(1),
            I::I32Shl,
            I::LocalSet(w),
        ]);
        self.string_realloc(out, None, 2, Size::Local(w));
        let (i, o, cp) = (self.zeroed(), self.zeroed(), self.local(W::I32));
        self.each_code_point(s, i, cp, |g| g.put_utf16(out, o, cp));
        self.shrink(out, w, 2, o);
        self.ops(&[
            I::LocalGet(o),
            I::I32Const(1),
            I::I32ShrU,
            I::LocalSet(out.len),
        ]);
    }

    /// `store_string_to_latin1_or_utf16` (from UTF-8 or UTF-16): a block of the source's
    /// code units, one byte per code point while they fit; at the first that does not,
    /// grow to twice, widen what was written in place, write the rest as UTF-16 and
    /// shrink to it (tagged); else shrink to the bytes written.
    fn latin1_or_utf16(&mut self, s: &Source, out: &Out) {
        self.string_realloc(out, None, 2, Size::Local(s.units));
        let (i, o, cp) = (self.zeroed(), self.zeroed(), self.local(W::I32));
        // block $out, block $latin1, block $wide, loop.
        self.ops(&[
            I::Block(BlockType::Empty),
            I::Block(BlockType::Empty),
            I::Block(BlockType::Empty),
            I::Loop(BlockType::Empty),
        ]);
        self.ops(&[I::LocalGet(i), I::LocalGet(s.bytes), I::I32GeU, I::BrIf(2)]);
        self.next_code_point(s, i, cp);
        self.ops(&[I::LocalGet(cp), I::I32Const(0xFF), I::I32GtU, I::BrIf(1)]);
        self.ops(&[
            I::LocalGet(out.ptr),
            I::LocalGet(o),
            I::I32Add,
            I::LocalGet(cp),
            I::I32Store8(mem(out.memory, 0)),
        ]);
        self.advance(o, 1);
        self.ops(&[I::Br(0), I::End, I::End]);
        // $wide: `cp` is the first code point past Latin-1.
        let w = self.local(W::I32);
        self.ops(&[
            I::LocalGet(s.units),
            I::I32Const(1),
            I::I32Shl,
            I::LocalSet(w),
        ]);
        self.string_realloc(out, Some(Size::Local(s.units)), 2, Size::Local(w));
        // The UTF-16 goes on after the widened bytes (at byte 2 × `o`); widen the `o`
        // bytes written, last first: byte j to code unit j.
        let at = self.local(W::I32);
        self.ops(&[I::LocalGet(o), I::I32Const(1), I::I32Shl, I::LocalSet(at)]);
        self.ops(&[I::Block(BlockType::Empty), I::Loop(BlockType::Empty)]);
        self.ops(&[I::LocalGet(o), I::I32Eqz, I::BrIf(1)]);
        self.advance(o, -1);
        self.ops(&[
            I::LocalGet(out.ptr),
            I::LocalGet(o),
            I::I32Const(1),
            I::I32Shl,
            I::I32Add,
            I::LocalGet(out.ptr),
            I::LocalGet(o),
            I::I32Add,
            I::I32Load8U(mem(out.memory, 0)),
            I::I32Store16(mem(out.memory, 0)),
        ]);
        self.ops(&[I::Br(0), I::End, I::End]);
        self.put_utf16(out, at, cp);
        self.each_code_point(s, i, cp, |g| g.put_utf16(out, at, cp));
        self.shrink(out, w, 2, at);
        self.ops(&[
            I::LocalGet(at),
            I::I32Const(1),
            I::I32ShrU,
            I::I32Const(UTF16_TAG),
            I::I32Or,
            I::LocalSet(out.len),
            I::Br(1),
            I::End,
        ]);
        // $latin1: every code point fit a byte.
        self.ops(&[I::LocalGet(o), I::LocalGet(s.units), I::I32LtU]);
        self.emit(I::If(BlockType::Empty));
        self.string_realloc(out, Some(Size::Local(s.units)), 2, Size::Local(o));
        self.emit(I::End);
        self.ops(&[I::LocalGet(o), I::LocalSet(out.len), I::End]);
    }

    /// `store_probably_utf16_to_latin1_or_utf16`: the UTF-16 copied; if every code unit
    /// fits a byte, narrowed in place and shrunk to the bytes (alignment 1), else kept,
    /// tagged.
    fn probably_utf16(&mut self, s: &Source, out: &Out) {
        self.string_realloc(out, None, 2, Size::Local(s.bytes));
        self.ops(&[
            I::LocalGet(out.ptr),
            I::LocalGet(s.ptr),
            I::LocalGet(s.bytes),
            I::MemoryCopy {
                src_mem: s.memory,
                dst_mem: out.memory,
            },
        ]);
        // block $out, block $wide: any high byte set → $wide.
        let j = self.local(W::I32);
        self.ops(&[
            I::Block(BlockType::Empty),
            I::Block(BlockType::Empty),
            I::I32Const(1),
            I::LocalSet(j),
            I::Block(BlockType::Empty),
            I::Loop(BlockType::Empty),
            I::LocalGet(j),
            I::LocalGet(s.bytes),
            I::I32GeU,
            I::BrIf(1),
            I::LocalGet(out.ptr),
            I::LocalGet(j),
            I::I32Add,
            I::I32Load8U(mem(out.memory, 0)),
            I::BrIf(2),
        ]);
        self.advance(j, 2);
        self.ops(&[I::Br(0), I::End, I::End]);
        // Latin-1: byte k ← the low byte of code unit k.
        let k = self.local(W::I32);
        self.counted(k, s.units, |g| {
            g.ops(&[
                I::LocalGet(out.ptr),
                I::LocalGet(k),
                I::I32Add,
                I::LocalGet(out.ptr),
                I::LocalGet(k),
                I::I32Const(1),
                I::I32Shl,
                I::I32Add,
                I::I32Load8U(mem(out.memory, 0)),
                I::I32Store8(mem(out.memory, 0)),
            ]);
            g.advance(k, 1);
        });
        self.string_realloc(out, Some(Size::Local(s.bytes)), 1, Size::Local(s.units));
        self.ops(&[I::LocalGet(s.units), I::LocalSet(out.len), I::Br(1), I::End]);
        // $wide.
        self.ops(&[
            I::LocalGet(s.units),
            I::I32Const(UTF16_TAG),
            I::I32Or,
            I::LocalSet(out.len),
            I::End,
        ]);
    }

    /// `realloc(old_ptr, old_size, align, size)` of the destination into `out.ptr`
    /// (`old`: the block `out.ptr` holds, of that size; `None`: a new block), then the
    /// checks of `stringRealloc`: alignment, then bounds.
    fn string_realloc(&mut self, out: &Out, old: Option<Size>, align: u32, size: Size) {
        match &old {
            Some(old) => {
                self.emit(I::LocalGet(out.ptr));
                self.push(old);
            }
            None => self.ops(&[I::I32Const(0), I::I32Const(0)]),
        }
        self.emit(I::I32Const(align as i32));
        self.push(&size);
        self.ops(&[I::Call(out.realloc), I::LocalSet(out.ptr)]);
        if align > 1 {
            self.ops(&[
                I::LocalGet(out.ptr),
                I::I32Const(align as i32 - 1),
                I::I32And,
            ]);
            self.trap_if(code::REALLOC_UNALIGNED, |g| {
                g.ops(&[I::LocalGet(out.ptr), I::I32Const(align as i32)]);
            });
        }
        self.past_end(out.ptr, &size, out.memory);
        self.trap_if(code::STRING_REALLOC_OUT_OF_BOUNDS, |g| {
            g.emit(I::LocalGet(out.ptr));
            g.push(&size);
        });
    }

    /// Shrinks the destination block from `worst` bytes to `written` when smaller.
    fn shrink(&mut self, out: &Out, worst: u32, align: u32, written: u32) {
        self.ops(&[I::LocalGet(written), I::LocalGet(worst), I::I32LtU]);
        self.emit(I::If(BlockType::Empty));
        self.string_realloc(out, Some(Size::Local(worst)), align, Size::Local(written));
        self.emit(I::End);
    }

    /// A new `i32` local set to 0 here (a string in a list runs this code once per
    /// element: a local keeps the last element's value).
    fn zeroed(&mut self) -> u32 {
        let l = self.local(W::I32);
        self.ops(&[I::I32Const(0), I::LocalSet(l)]);
        l
    }

    /// Pushes a size.
    fn push(&mut self, size: &Size) {
        self.emit(match size {
            Size::Const(n) => I::I32Const(*n as i32),
            Size::Local(l) => I::LocalGet(*l),
        });
    }

    /// `local += k`.
    fn advance(&mut self, local: u32, k: i32) {
        self.ops(&[
            I::LocalGet(local),
            I::I32Const(k),
            I::I32Add,
            I::LocalSet(local),
        ]);
    }

    /// `for (k = 0; k < n; ) body` (the body advances `k`).
    fn counted(&mut self, k: u32, n: u32, body: impl FnOnce(&mut Self)) {
        self.ops(&[
            I::I32Const(0),
            I::LocalSet(k),
            I::Block(BlockType::Empty),
            I::Loop(BlockType::Empty),
            I::LocalGet(k),
            I::LocalGet(n),
            I::I32GeU,
            I::BrIf(1),
        ]);
        body(self);
        self.ops(&[I::Br(0), I::End, I::End]);
    }

    /// For each code point of the source from byte `i` on: `cp` set, `body` run.
    fn each_code_point(&mut self, s: &Source, i: u32, cp: u32, body: impl FnOnce(&mut Self)) {
        self.ops(&[
            I::Block(BlockType::Empty),
            I::Loop(BlockType::Empty),
            I::LocalGet(i),
            I::LocalGet(s.bytes),
            I::I32GeU,
            I::BrIf(1),
        ]);
        self.next_code_point(s, i, cp);
        body(self);
        self.ops(&[I::Br(0), I::End, I::End]);
    }

    /// Decodes the code point at byte `i` of the (validated) source into `cp`, and
    /// moves `i` past it.
    fn next_code_point(&mut self, s: &Source, i: u32, cp: u32) {
        let byte = |k: u32| {
            [
                I::LocalGet(s.ptr),
                I::LocalGet(i),
                I::I32Add,
                I::I32Load8U(mem(s.memory, k)),
            ]
        };
        match s.form {
            Form::Latin1 => {
                self.ops(&byte(0));
                self.emit(I::LocalSet(cp));
                self.advance(i, 1);
            }
            Form::Utf16 => {
                let unit = |k: u32| {
                    [
                        I::LocalGet(s.ptr),
                        I::LocalGet(i),
                        I::I32Add,
                        I::I32Load16U(mem(s.memory, k)),
                    ]
                };
                self.ops(&unit(0));
                self.emit(I::LocalSet(cp));
                // A high surrogate: the pair's code point (validated: a low one follows).
                self.ops(&[
                    I::LocalGet(cp),
                    I::I32Const(0xFC00),
                    I::I32And,
                    I::I32Const(0xD800),
                    I::I32Eq,
                    I::If(BlockType::Empty),
                    I::LocalGet(cp),
                    I::I32Const(0xD800),
                    I::I32Sub,
                    I::I32Const(10),
                    I::I32Shl,
                ]);
                self.ops(&unit(2));
                self.ops(&[
                    I::I32Const(0xDC00),
                    I::I32Sub,
                    I::I32Add,
                    I::I32Const(0x1_0000),
                    I::I32Add,
                    I::LocalSet(cp),
                ]);
                self.advance(i, 2);
                self.emit(I::End);
                self.advance(i, 2);
            }
            Form::Utf8 => {
                // The lead's payload bits, then six bits per continuation byte.
                self.ops(&byte(0));
                self.emit(I::LocalSet(cp));
                self.ops(&[I::LocalGet(cp), I::I32Const(0x80), I::I32LtU]);
                self.emit(I::If(BlockType::Empty));
                self.advance(i, 1);
                self.emit(I::Else);
                self.ladder(
                    cp,
                    &[(0xE0, (0x1F, 1)), (0xF0, (0x0F, 2)), (i32::MAX, (0x07, 3))],
                    |g, (mask, n)| {
                        g.ops(&[I::LocalGet(cp), I::I32Const(mask), I::I32And]);
                        for k in 1..=n {
                            g.ops(&[I::I32Const(6), I::I32Shl]);
                            g.ops(&byte(k));
                            g.ops(&[I::I32Const(0x3F), I::I32And, I::I32Or]);
                        }
                        g.emit(I::LocalSet(cp));
                        g.advance(i, n as i32 + 1);
                    },
                );
                self.emit(I::End);
            }
        }
    }

    /// Writes `cp` as UTF-8 at byte `o` of the destination block; `o` moves past it.
    fn put_utf8(&mut self, out: &Out, o: u32, cp: u32) {
        let at = |k: u32| mem(out.memory, k);
        let addr = [I::LocalGet(out.ptr), I::LocalGet(o), I::I32Add];
        // (limit, lead bits, byte count): below 0x80 one byte, 0x800 two, 0x10000 three.
        self.ops(&[I::LocalGet(cp), I::I32Const(0x80), I::I32LtU]);
        self.emit(I::If(BlockType::Empty));
        self.ops(&addr);
        self.ops(&[I::LocalGet(cp), I::I32Store8(at(0))]);
        self.advance(o, 1);
        self.emit(I::Else);
        let arms = [
            (0x800, (0xC0, 2u32)),
            (0x1_0000, (0xE0, 3)),
            (i32::MAX, (0xF0, 4)),
        ];
        self.ladder(cp, &arms, |g, (lead, n)| {
            for k in 0..n {
                let shift = 6 * (n - 1 - k) as i32;
                g.ops(&addr);
                g.ops(&[I::LocalGet(cp), I::I32Const(shift), I::I32ShrU]);
                if k == 0 {
                    g.ops(&[I::I32Const(lead), I::I32Or]);
                } else {
                    g.ops(&[I::I32Const(0x3F), I::I32And, I::I32Const(0x80), I::I32Or]);
                }
                g.emit(I::I32Store8(at(k)));
            }
            g.advance(o, n as i32);
        });
        self.emit(I::End);
    }

    /// `if (v < below0) arm(a0) else if (v < below1) arm(a1) …`: the first arm whose
    /// bound local `v` is below (the last bound covers every value that reaches it).
    fn ladder<A: Copy>(&mut self, v: u32, arms: &[(i32, A)], mut arm: impl FnMut(&mut Self, A)) {
        for &(below, a) in arms {
            self.ops(&[I::LocalGet(v), I::I32Const(below), I::I32LtU]);
            self.emit(I::If(BlockType::Empty));
            arm(self, a);
            self.emit(I::Else);
        }
        for _ in arms {
            self.emit(I::End);
        }
    }

    /// Writes `cp` as UTF-16 at byte `o` of the destination block; `o` moves past it.
    fn put_utf16(&mut self, out: &Out, o: u32, cp: u32) {
        let at = |k: u32| mem(out.memory, k);
        let addr = [I::LocalGet(out.ptr), I::LocalGet(o), I::I32Add];
        self.ops(&[I::LocalGet(cp), I::I32Const(0x1_0000), I::I32LtU]);
        self.emit(I::If(BlockType::Empty));
        self.ops(&addr);
        self.ops(&[I::LocalGet(cp), I::I32Store16(at(0))]);
        self.advance(o, 2);
        self.emit(I::Else);
        self.ops(&addr);
        self.ops(&[
            I::LocalGet(cp),
            I::I32Const(0x1_0000),
            I::I32Sub,
            I::I32Const(10),
            I::I32ShrU,
            I::I32Const(0xD800),
            I::I32Or,
            I::I32Store16(at(0)),
        ]);
        self.ops(&addr);
        self.ops(&[
            I::LocalGet(cp),
            I::I32Const(0x3FF),
            I::I32And,
            I::I32Const(0xDC00),
            I::I32Or,
            I::I32Store16(at(2)),
        ]);
        self.advance(o, 4);
        self.emit(I::End);
    }
}

impl Form {
    /// Bytes per code unit.
    fn unit(self) -> i32 {
        match self {
            Form::Utf16 => 2,
            Form::Utf8 | Form::Latin1 => 1,
        }
    }
}
