//! The waitable state in core wasm (CanonicalABI.md "Waitable State"): which waitable is
//! in which waitable set, which has an event pending, which a synchronous call waits on,
//! and how many tasks wait on a set — kept in the handle tables' slots, so that
//! `waitable-set.new`, `waitable-set.drop`, `waitable.join` and `waitable-set.poll` are
//! functions of the module. The waitables themselves (subtasks, stream and future ends)
//! are the host's objects: it says when one has an event pending (`pend`), and the
//! module asks it for the event when it is delivered (the `event` hook), as the spec's
//! pending event is a closure run on delivery (a copy's count is read then). The JS
//! runtime's `Waitable` and `WaitableSet` (src/runtime/waitable.js) are the reference.
//!
//! A slot of kind [`WAITABLE`] holds its set (0: none), its flags ([`PENDING`],
//! [`SYNC_WAITER`]) and the next waitable of its set; one of kind [`WAITABLE_SET`] the
//! first waitable of its list and the number of tasks waiting on it. A waitable joins at
//! the head of the list, so the longest-joined one is the last: `take` delivers it first,
//! as the JS runtime does (the spec picks any).

use wasm_encoder::{BlockType, Function, Instruction as I, ValType as W};
use weft_core::plan::{WAITABLE, WAITABLE_SET};

use super::{Handles, LENDS, REP, SCOPE, Table, Types, field, slot};
use crate::asm::{Asm, mem};
use crate::code;

// A waitable's fields in its slot.
const SET: u32 = REP;
const FLAGS: u32 = LENDS;
const NEXT: u32 = SCOPE;
// A set's.
const HEAD: u32 = REP;
const WAITING: u32 = LENDS;
/// A waitable's flags: an event is pending; a synchronous call waits on it.
const PENDING: i32 = 1;
const SYNC_WAITER: i32 = 2;

impl Handles {
    /// Table `t`'s waitable functions, `(type, body)` in index order.
    pub(super) fn waitable_functions(&self, t: &Table, ty: &Types) -> Vec<(u32, Function)> {
        vec![
            (ty.ii_i, self.kind_entry(t)),
            (ty.i, unlink(t)),
            (ty.ii, self.set_flag(t, PENDING)),
            (ty.ii, self.set_flag(t, SYNC_WAITER)),
            (ty.i_i, self.set_of(t)),
            (ty.i, self.leave(t)),
            (ty.i_i, self.ready(t)),
            (ty.i_i, self.take(t)),
            (ty.ii, self.wait(t)),
        ]
    }

    /// `(handle, kind) -> address`: `get`'s checks, then the kind's.
    fn kind_entry(&self, t: &Table) -> Function {
        let mut a = Asm::new(2, &[W::I32, W::I32]);
        let (addr, have) = (2, 3);
        self.known_slot(&mut a, t, 0, addr, have);
        a.ops(&[
            I::LocalGet(have),
            I::LocalGet(1),
            I::I32Ne,
            I::If(BlockType::Empty),
        ]);
        self.trap(&mut a, code::NOT_KIND, &[I::LocalGet(0), I::LocalGet(1)]);
        a.ops(&[I::End, I::LocalGet(addr), I::End]);
        a.finish()
    }

    /// `(waitable, on)`: flag `bit` set (`on` non-zero) or cleared.
    fn set_flag(&self, t: &Table, bit: i32) -> Function {
        let mut a = Asm::new(2, &[W::I32]);
        let addr = 2;
        a.ops(&[
            I::LocalGet(0),
            I::I32Const(WAITABLE as i32),
            I::Call(t.waitables.kind_entry),
            I::LocalTee(addr),
            I::LocalGet(addr),
            I::I32Load(field(t, FLAGS)),
            I::I32Const(!bit),
            I::I32And,
            I::I32Const(bit),
            I::I32Const(0),
            I::LocalGet(1),
            I::Select,
            I::I32Or,
            I::I32Store(field(t, FLAGS)),
            I::End,
        ]);
        a.finish()
    }

    /// `(waitable) -> set`.
    fn set_of(&self, t: &Table) -> Function {
        let mut a = Asm::new(1, &[]);
        a.ops(&[
            I::LocalGet(0),
            I::I32Const(WAITABLE as i32),
            I::Call(t.waitables.kind_entry),
            I::I32Load(field(t, SET)),
            I::End,
        ]);
        a.finish()
    }

    /// `(waitable)`: out of its set.
    fn leave(&self, t: &Table) -> Function {
        let mut a = Asm::new(1, &[]);
        a.ops(&[
            I::LocalGet(0),
            I::I32Const(WAITABLE as i32),
            I::Call(t.waitables.kind_entry),
            I::Drop,
            I::LocalGet(0),
            I::Call(t.waitables.unlink),
            I::End,
        ]);
        a.finish()
    }

    /// `(set, delta)`: the number of tasks waiting on it, plus `delta`.
    fn wait(&self, t: &Table) -> Function {
        let mut a = Asm::new(2, &[W::I32]);
        let addr = 2;
        a.ops(&[
            I::LocalGet(0),
            I::I32Const(WAITABLE_SET as i32),
            I::Call(t.waitables.kind_entry),
            I::LocalTee(addr),
            I::LocalGet(addr),
            I::I32Load(field(t, WAITING)),
            I::LocalGet(1),
            I::I32Add,
            I::I32Store(field(t, WAITING)),
            I::End,
        ]);
        a.finish()
    }

    /// Runs `pending` (with `i32.and` of the flags and [`PENDING`] tested by an `if`
    /// around it) for each waitable of set `local 0` with an event pending, the
    /// waitable in local `w`, from the head of the list (the newest) on.
    fn each_pending(t: &Table, a: &mut Asm, w: u32, pending: &[I<'static>]) {
        a.ops(&[
            I::LocalGet(0),
            I::I32Const(WAITABLE_SET as i32),
            I::Call(t.waitables.kind_entry),
            I::I32Load(field(t, HEAD)),
            I::LocalSet(w),
            I::Block(BlockType::Empty),
            I::Loop(BlockType::Empty),
            I::LocalGet(w),
            I::I32Eqz,
            I::BrIf(1),
        ]);
        a.ops(&slot(t, w));
        a.ops(&[
            I::I32Load(field(t, FLAGS)),
            I::I32Const(PENDING),
            I::I32And,
            I::If(BlockType::Empty),
        ]);
        a.ops(pending);
        a.ops(&[I::End]);
        a.ops(&slot(t, w));
        a.ops(&[
            I::I32Load(field(t, NEXT)),
            I::LocalSet(w),
            I::Br(0),
            I::End,
            I::End,
        ]);
    }

    /// `(set) -> i32`: whether a waitable of it has an event pending.
    fn ready(&self, t: &Table) -> Function {
        let mut a = Asm::new(1, &[W::I32]);
        Self::each_pending(t, &mut a, 1, &[I::I32Const(1), I::Return]);
        a.ops(&[I::I32Const(0), I::End]);
        a.finish()
    }

    /// `(set) -> waitable`: the longest-joined waitable with an event pending (the last
    /// of the list), its event no longer pending; 0 if none.
    fn take(&self, t: &Table) -> Function {
        let mut a = Asm::new(1, &[W::I32, W::I32]);
        let (w, found) = (1, 2);
        Self::each_pending(t, &mut a, w, &[I::LocalGet(w), I::LocalSet(found)]);
        a.ops(&[I::LocalGet(found), I::If(BlockType::Empty)]);
        a.ops(&slot(t, found));
        a.ops(&slot(t, found));
        a.ops(&[
            I::I32Load(field(t, FLAGS)),
            I::I32Const(!PENDING),
            I::I32And,
            I::I32Store(field(t, FLAGS)),
            I::End,
            I::LocalGet(found),
            I::End,
        ]);
        a.finish()
    }

    /// The body of `waitable-set.new` in `instance`: `() -> set`.
    pub fn waitable_set_new(&self, instance: u32) -> Function {
        let t = &self.tables[&instance];
        let mut a = Asm::new(0, &[]);
        self.check_may_leave(&mut a);
        a.ops(&[
            I::I32Const(0),
            I::I32Const(WAITABLE_SET as i32),
            I::I32Const(0),
            I::Call(t.add),
            I::End,
        ]);
        a.finish()
    }

    /// The body of `waitable-set.drop`: `(set)`: traps while it has waitables or tasks
    /// wait on it.
    pub fn waitable_set_drop(&self, instance: u32) -> Function {
        let t = &self.tables[&instance];
        let mut a = Asm::new(1, &[W::I32]);
        let addr = 1;
        self.check_may_leave(&mut a);
        a.ops(&[
            I::LocalGet(0),
            I::I32Const(WAITABLE_SET as i32),
            I::Call(t.waitables.kind_entry),
            I::LocalTee(addr),
            I::I32Load(field(t, HEAD)),
        ]);
        self.trap_if(&mut a, code::SET_NOT_EMPTY);
        a.ops(&[I::LocalGet(addr), I::I32Load(field(t, WAITING))]);
        self.trap_if(&mut a, code::SET_WAITED_ON);
        a.ops(&[I::LocalGet(0), I::Call(t.remove), I::End]);
        a.finish()
    }

    /// The body of `waitable.join`: `(waitable, set)`: out of its set, into `set` (0:
    /// none); the host woken when it has an event pending.
    pub fn waitable_join(&self, instance: u32) -> Function {
        let t = &self.tables[&instance];
        let f = t.waitables;
        const WI: u32 = 0;
        const SI: u32 = 1;
        let mut a = Asm::new(2, &[W::I32, W::I32]);
        let (addr, set) = (2, 3);
        self.check_may_leave(&mut a);
        a.ops(&[
            I::LocalGet(WI),
            I::I32Const(WAITABLE as i32),
            I::Call(f.kind_entry),
            I::LocalTee(addr),
            I::I32Load(field(t, FLAGS)),
            I::I32Const(SYNC_WAITER),
            I::I32And,
            I::If(BlockType::Empty),
        ]);
        self.trap(
            &mut a,
            code::JOIN_SYNC_WAITER,
            &[I::LocalGet(WI), I::I32Const(0)],
        );
        a.ops(&[I::End, I::LocalGet(SI), I::If(BlockType::Empty)]);
        a.ops(&[
            I::LocalGet(SI),
            I::I32Const(WAITABLE_SET as i32),
            I::Call(f.kind_entry),
            I::LocalSet(set),
            I::End,
            I::LocalGet(WI),
            I::Call(f.unlink),
            I::LocalGet(SI),
            I::If(BlockType::Empty),
            // At the head of the set's list.
            I::LocalGet(addr),
            I::LocalGet(set),
            I::I32Load(field(t, HEAD)),
            I::I32Store(field(t, NEXT)),
            I::LocalGet(set),
            I::LocalGet(WI),
            I::I32Store(field(t, HEAD)),
            I::LocalGet(addr),
            I::LocalGet(SI),
            I::I32Store(field(t, SET)),
        ]);
        if let Some(wake) = self.wake {
            a.ops(&[
                I::LocalGet(addr),
                I::I32Load(field(t, FLAGS)),
                I::I32Const(PENDING),
                I::I32And,
                I::If(BlockType::Empty),
                I::Call(wake),
                I::End,
            ]);
        }
        a.ops(&[I::End, I::End]);
        a.finish()
    }

    /// The body of `waitable-set.poll` writing its event to memory `memory`: `(set,
    /// ptr) -> code`: the event of the longest-joined waitable with one pending, made by
    /// the host (`event`), else none; the waitable's index and the payload at `ptr`.
    pub fn waitable_set_poll(&self, instance: u32, memory: u32) -> Function {
        let t = &self.tables[&instance];
        let f = t.waitables;
        const SI: u32 = 0;
        const PTR: u32 = 1;
        let mut a = Asm::new(2, &[W::I32, W::I32, W::I32, W::I32]);
        let (w, code_, index, payload) = (2, 3, 4, 5);
        self.check_may_leave(&mut a);
        a.ops(&[
            I::LocalGet(SI),
            I::Call(f.take),
            I::LocalTee(w),
            I::If(BlockType::Empty),
            I::I32Const(instance as i32),
            I::LocalGet(w),
            I::Call(
                self.event
                    .expect("poll compiled in without the `event` hook"),
            ),
            I::LocalSet(payload),
            I::LocalSet(index),
            I::LocalSet(code_),
            I::End,
        ]);
        // ptr + 8 past the memory's end (in 64 bits): out of bounds.
        a.ops(&[
            I::LocalGet(PTR),
            I::I64ExtendI32U,
            I::I64Const(8),
            I::I64Add,
            I::MemorySize(memory),
            I::I64ExtendI32U,
            I::I64Const(16),
            I::I64Shl,
            I::I64GtU,
            I::If(BlockType::Empty),
        ]);
        self.trap(
            &mut a,
            code::EVENT_OUT_OF_BOUNDS,
            &[I::LocalGet(PTR), I::I32Const(0)],
        );
        a.ops(&[
            I::End,
            I::LocalGet(PTR),
            I::LocalGet(index),
            I::I32Store(mem(memory, 0)),
            I::LocalGet(PTR),
            I::LocalGet(payload),
            I::I32Store(mem(memory, 4)),
            I::LocalGet(code_),
            I::End,
        ]);
        a.finish()
    }
}

/// `(waitable)`: out of its set, if it is in one (its list walked for the one before it).
fn unlink(t: &Table) -> Function {
    let mut a = Asm::new(1, &[W::I32, W::I32, W::I32]);
    let (set, cur, next) = (1, 2, 3);
    let field = |off| field(t, off);
    a.ops(&slot(t, 0));
    a.ops(&[
        I::I32Load(field(SET)),
        I::LocalTee(set),
        I::I32Eqz,
        I::If(BlockType::Empty),
        I::Return,
        I::End,
    ]);
    a.ops(&slot(t, set));
    a.ops(&[
        I::I32Load(field(HEAD)),
        I::LocalTee(cur),
        I::LocalGet(0),
        I::I32Eq,
        I::If(BlockType::Empty),
    ]);
    // First of the list: the head is the next one.
    a.ops(&slot(t, set));
    a.ops(&slot(t, 0));
    a.ops(&[
        I::I32Load(field(NEXT)),
        I::I32Store(field(HEAD)),
        I::Else,
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
    ]);
    a.ops(&slot(t, cur));
    a.ops(&[
        I::I32Load(field(NEXT)),
        I::LocalTee(next),
        I::I32Eqz,
        I::BrIf(1),
        I::LocalGet(next),
        I::LocalGet(0),
        I::I32Eq,
        I::If(BlockType::Empty),
    ]);
    a.ops(&slot(t, cur));
    a.ops(&slot(t, 0));
    a.ops(&[
        I::I32Load(field(NEXT)),
        I::I32Store(field(NEXT)),
        I::Br(2),
        I::End,
        I::LocalGet(next),
        I::LocalSet(cur),
        I::Br(0),
        I::End,
        I::End,
        I::End,
    ]);
    for off in [SET, NEXT] {
        a.ops(&slot(t, 0));
        a.ops(&[I::I32Const(0), I::I32Store(field(off))]);
    }
    a.ops(&[I::End]);
    a.finish()
}
