//! The walk of a core adapter: a value moved from one side's flat locals or memory to the
//! other's (`xfer`), as the JS adapter's `xfer.rs` does, with the checks and traps of
//! each kind of value.

use wasm_encoder::{BlockType, Function, Instruction as I, MemArg, ValType as W};
use weft_core::abi::{
    Addr, Flat, MAX_BYTE_LENGTH, Width, discriminant, flags_width, variant_cases,
};
use weft_core::error::OrBug;
use weft_core::plan::{Plan, Resource, StringEncoding};
use weft_core::types::{ResourceIdx, TypeDef, ValType};

use super::Indices;
use crate::asm::mem;
use crate::code;

/// The kinds of the host's values the `move-end` hook moves (`Hook::MoveEnd`).
pub(crate) const END_STREAM: i32 = 0;
pub(crate) const END_FUTURE: i32 = 1;
pub(crate) const END_ERROR_CONTEXT: i32 = 2;

/// Which pointer a failed pointer check names.
#[derive(Clone, Copy)]
pub(super) enum Ptr {
    List = 0,
    Realloc = 1,
    Result = 2,
    Param = 3,
}

pub(super) fn need(x: Option<u32>, what: &str) -> anyhow::Result<u32> {
    x.ok_or_else(|| weft_core::error::Bug::new(what).into())
}

/// One side of an adapter: its memory and `realloc`.
pub(super) struct Side {
    pub(super) memory: Option<u32>,
    pub(super) realloc: Option<u32>,
    pub(super) encoding: StringEncoding,
    /// Its component instance (whose handle table it lifts from or lowers into).
    pub(super) instance: u32,
}

/// Where a value comes from: flat locals, or memory at a local's address plus an
/// offset.
pub(super) enum Src {
    Flat(std::vec::IntoIter<(u32, Flat)>),
    Mem { memory: u32, base: u32, off: u32 },
}

/// Where a value goes: new flat locals, or memory.
pub(super) enum Dst {
    Flat(Vec<u32>),
    Mem { memory: u32, base: u32, off: u32 },
}

impl Src {
    /// The offset of a value in memory (`None` for flat values).
    fn off_mut(&mut self) -> Option<&mut u32> {
        match self {
            Src::Mem { off, .. } => Some(off),
            Src::Flat(_) => None,
        }
    }
}

impl Dst {
    /// The offset of a value in memory (`None` for flat values).
    fn off_mut(&mut self) -> Option<&mut u32> {
        match self {
            Dst::Mem { off, .. } => Some(off),
            Dst::Flat(_) => None,
        }
    }
}

/// A size checked against memory: a constant or an `i32` local.
pub(super) enum Size {
    Const(u32),
    Local(u32),
}

/// The zero of a flat type.
fn zero(f: Flat) -> I<'static> {
    match f {
        Flat::I32 => I::I32Const(0),
        Flat::I64 => I::I64Const(0),
        Flat::F32 => I::F32Const(0.0.into()),
        Flat::F64 => I::F64Const(0.0.into()),
    }
}

pub(super) fn wasm(f: Flat) -> W {
    match f {
        Flat::I32 => W::I32,
        Flat::I64 => W::I64,
        Flat::F32 => W::F32,
        Flat::F64 => W::F64,
    }
}

/// A function being generated: its instructions and the locals after its parameters.
pub(super) struct Gen<'a> {
    plan: &'a Plan,
    pub(super) ix: &'a Indices<'a>,
    params: u32,
    locals: Vec<W>,
    body: Vec<I<'static>>,
    /// The local holding the call's borrow scope, when it moves handles.
    pub(super) scope: Option<u32>,
}

impl<'a> Gen<'a> {
    pub(super) fn new(plan: &'a Plan, ix: &'a Indices<'a>, params: u32) -> Self {
        Gen {
            plan,
            ix,
            params,
            locals: Vec::new(),
            body: Vec::new(),
            scope: None,
        }
    }

    pub(super) fn emit(&mut self, i: I<'static>) {
        self.body.push(i);
    }

    pub(super) fn ops(&mut self, ops: &[I<'static>]) {
        self.body.extend_from_slice(ops);
    }

    pub(super) fn local(&mut self, t: W) -> u32 {
        self.locals.push(t);
        self.params + self.locals.len() as u32 - 1
    }

    pub(super) fn finish(self) -> Function {
        let mut f = Function::new(self.locals.iter().map(|t| (1, *t)));
        for i in &self.body {
            f.instruction(i);
        }
        f
    }

    /// `trap(code, a, b)`: the two numbers are left on the stack by `args`.
    fn trap(&mut self, code: i32, args: impl FnOnce(&mut Self)) {
        self.emit(I::I32Const(code));
        args(self);
        self.emit(I::Call(self.ix.trap));
        self.emit(I::Unreachable);
    }

    /// `if (cond on the stack) trap(...)`.
    pub(super) fn trap_if(&mut self, code: i32, args: impl FnOnce(&mut Self)) {
        self.emit(I::If(BlockType::Empty));
        self.trap(code, args);
        self.emit(I::End);
    }

    /// `if (cond on the stack) trap(code, 0, 0)`: a trap whose message has no numbers.
    pub(super) fn fail_if(&mut self, code: i32) {
        self.trap_if(code, |g| {
            g.emit(I::I32Const(0));
            g.emit(I::I32Const(0));
        });
    }

    pub(super) fn poison_check(&mut self) {
        self.emit(I::GlobalGet(self.ix.poisoned));
        self.fail_if(code::POISONED);
    }

    /// Pushes the byte size of memory `m` as an `i64`.
    fn memory_bytes(&mut self, m: u32) {
        self.emit(I::MemorySize(m));
        self.emit(I::I64ExtendI32U);
        self.emit(I::I64Const(16));
        self.emit(I::I64Shl);
    }

    /// Pushes `(u64) p + size > byte size of m`.
    pub(super) fn past_end(&mut self, p: u32, size: &Size, m: u32) {
        self.emit(I::LocalGet(p));
        self.emit(I::I64ExtendI32U);
        match size {
            Size::Const(n) => self.emit(I::I64Const(i64::from(*n))),
            Size::Local(l) => {
                self.emit(I::LocalGet(*l));
                self.emit(I::I64ExtendI32U);
            }
        }
        self.emit(I::I64Add);
        self.memory_bytes(m);
        self.emit(I::I64GtU);
    }

    /// `checkPtr`: traps unless `p` is aligned to `align` and `p + size` fits in `m`.
    pub(super) fn check_ptr(&mut self, p: u32, align: u32, size: Size, m: u32, what: Ptr) {
        if align > 1 {
            self.emit(I::LocalGet(p));
            self.emit(I::I32Const(align as i32 - 1));
            self.emit(I::I32And);
            self.trap_if(code::UNALIGNED, |g| {
                g.emit(I::I32Const(what as i32));
                g.emit(I::I32Const(align as i32));
            });
        }
        self.past_end(p, &size, m);
        self.trap_if(code::OUT_OF_BOUNDS, |g| {
            g.emit(I::I32Const(what as i32));
            g.emit(I::I32Const(0));
        });
    }

    /// Reads one flat value of type `f` from `src` into a new local.
    fn read(&mut self, src: &mut Src, f: Flat, load: Load) -> anyhow::Result<u32> {
        match src {
            Src::Flat(it) => match it.next() {
                Some((l, have)) if have == f => Ok(l),
                other => {
                    weft_core::bug!("a flat value {other:?} where {f:?} was expected")
                }
            },
            Src::Mem { memory, base, off } => {
                self.emit(I::LocalGet(*base));
                self.emit(load(mem(*memory, *off)));
                let l = self.local(wasm(f));
                self.emit(I::LocalSet(l));
                Ok(l)
            }
        }
    }

    /// Writes local `v` to `dst` (with `store` in memory).
    fn write(&mut self, dst: &mut Dst, v: u32, store: Load) {
        match dst {
            Dst::Flat(out) => out.push(v),
            Dst::Mem { memory, base, off } => {
                self.emit(I::LocalGet(*base));
                self.emit(I::LocalGet(v));
                self.emit(store(mem(*memory, *off)));
            }
        }
    }

    /// Moves a value of type `t` from `src` (on side `from`) to `dst` (on side `to`).
    pub(super) fn xfer(
        &mut self,
        t: ValType,
        from: &Side,
        src: &mut Src,
        to: &Side,
        dst: &mut Dst,
    ) -> anyhow::Result<()> {
        if let Some((f, load, store)) = scalar(t) {
            let v = self.read(src, f, load)?;
            let out = self.normalise(t, v);
            self.write(dst, out, store);
            return Ok(());
        }
        match t {
            ValType::String => self.string(from, src, to, dst),
            ValType::Defined(id) => match self.plan.types.def(id).clone() {
                TypeDef::Record(fields) => {
                    let ts: Vec<ValType> = fields.iter().map(|f| f.1).collect();
                    self.fields(&ts, from, src, to, dst)
                }
                TypeDef::Tuple(ts) => self.fields(&ts, from, src, to, dst),
                TypeDef::FixedList(e, n) => self.fields(&vec![e; n as usize], from, src, to, dst),
                TypeDef::List(e) => self.list(&[e], from, src, to, dst),
                TypeDef::Map(k, v) => self.list(&[k, v], from, src, to, dst),
                TypeDef::Flags(names) => {
                    // Bits past the last label are dropped (the JS adapter's mask).
                    let (load, store) = width_ops(flags_width(names.len()));
                    let v = self.read(src, Flat::I32, load)?;
                    if names.len() < 32 {
                        self.emit(I::LocalGet(v));
                        self.emit(I::I32Const(((1u64 << names.len()) - 1) as i32));
                        self.emit(I::I32And);
                        self.emit(I::LocalSet(v));
                    }
                    self.write(dst, v, store);
                    Ok(())
                }
                def @ (TypeDef::Variant(_)
                | TypeDef::Enum(_)
                | TypeDef::Option(_)
                | TypeDef::Result { .. }) => self.variant(&def, from, src, to, dst),
                TypeDef::Own(r) => self.handle(r, true, from, src, to, dst),
                TypeDef::Borrow(r) => self.handle(r, false, from, src, to, dst),
                TypeDef::Stream(_) => self.end(END_STREAM, id.0, from, src, to, dst),
                TypeDef::Future(_) => self.end(END_FUTURE, id.0, from, src, to, dst),
            },
            ValType::ErrorContext => self.end(END_ERROR_CONTEXT, 0, from, src, to, dst),
            other => weft_core::bug!("a core adapter for {other:?}"),
        }
    }

    /// A handle: lifted from the caller's table (an owned one moved out, a borrowed one
    /// lent for the call), lowered into the callee's (a borrow of the callee's own
    /// resource is the rep itself), as the JS adapter's `liftOwn`/`lowerOwn` and
    /// `liftBorrow`/`lowerBorrow`.
    fn handle(
        &mut self,
        r: ResourceIdx,
        own: bool,
        from: &Side,
        src: &mut Src,
        to: &Side,
        dst: &mut Dst,
    ) -> anyhow::Result<()> {
        let h = self
            .ix
            .handles
            .or_bug("a handle moved without core tables")?;
        let (Some(st), Some(dt)) = (h.tables.get(&from.instance), h.tables.get(&to.instance))
        else {
            weft_core::bug!("a handle moved between instances without tables");
        };
        let ty = r.0 as i32 + 1;
        let scope = match (own, self.scope) {
            (true, _) => 0,
            (false, Some(s)) => s,
            (false, None) => weft_core::bug!("a borrow moved outside a borrow scope"),
        };
        let v = self.read(src, Flat::I32, I::I32Load)?;
        self.emit(I::LocalGet(v));
        self.emit(I::I32Const(ty));
        if !own {
            self.emit(I::LocalGet(scope));
        }
        self.emit(I::Call(if own { st.lift_own } else { st.lift_borrow }));
        let implements = matches!(
            &self.plan.resources[r.0 as usize],
            Resource::Defined { instance, .. } if instance.0 == to.instance
        );
        if own || !implements {
            self.emit(I::I32Const(ty));
            if !own {
                self.emit(I::LocalGet(scope));
            }
            self.emit(I::Call(if own { dt.lower_own } else { dt.lower_borrow }));
        }
        let out = self.local(W::I32);
        self.emit(I::LocalSet(out));
        self.write(dst, out, I::I32Store);
        Ok(())
    }

    /// A stream or future end, or an error context (`kind`, of type `ty`): the host's
    /// object moved from the caller's table to the callee's by the `move-end` hook, as
    /// the JS adapter's `liftEnd`/`lowerEnd` (`liftErrorContext`/`lowerErrorContext`).
    fn end(
        &mut self,
        kind: i32,
        ty: u32,
        from: &Side,
        src: &mut Src,
        to: &Side,
        dst: &mut Dst,
    ) -> anyhow::Result<()> {
        let hook = self
            .ix
            .move_end
            .or_bug("an end moved without the `move-end` hook")?;
        let v = self.read(src, Flat::I32, I::I32Load)?;
        self.ops(&[
            I::I32Const(kind),
            I::I32Const(ty as i32),
            I::I32Const(from.instance as i32),
            I::LocalGet(v),
            I::I32Const(to.instance as i32),
            I::Call(hook),
        ]);
        let out = self.local(W::I32);
        self.emit(I::LocalSet(out));
        self.write(dst, out, I::I32Store);
        Ok(())
    }

    /// A scalar as lifting leaves it: the JS adapter's normalisation.
    fn normalise(&mut self, t: ValType, v: u32) -> u32 {
        let op: &[I<'static>] = match t {
            ValType::Bool => &[I::I32Const(0), I::I32Ne],
            ValType::U8 => &[I::I32Const(255), I::I32And],
            ValType::S8 => &[I::I32Extend8S],
            ValType::U16 => &[I::I32Const(65535), I::I32And],
            ValType::S16 => &[I::I32Extend16S],
            ValType::Char => {
                // >= 0x110000, or a surrogate (0xD800..=0xDFFF).
                self.emit(I::LocalGet(v));
                self.emit(I::I32Const(0x11_0000));
                self.emit(I::I32GeU);
                self.emit(I::LocalGet(v));
                self.emit(I::I32Const(0xD800));
                self.emit(I::I32Sub);
                self.emit(I::I32Const(0x800));
                self.emit(I::I32LtU);
                self.emit(I::I32Or);
                self.fail_if(code::INVALID_CHAR);
                return v;
            }
            _ => return v,
        };
        self.emit(I::LocalGet(v));
        for i in op {
            self.emit(i.clone());
        }
        let out = self.local(W::I32);
        self.emit(I::LocalSet(out));
        out
    }

    /// Fields one after another: at their offsets in memory (both sides have one
    /// layout, 32-bit), or flat in order.
    pub(super) fn fields(
        &mut self,
        ts: &[ValType],
        from: &Side,
        src: &mut Src,
        to: &Side,
        dst: &mut Dst,
    ) -> anyhow::Result<()> {
        let offsets = self.plan.types.field_offsets(ts.iter().copied(), Addr::I32);
        let (s0, d0) = (src.off_mut().map(|o| *o), dst.off_mut().map(|o| *o));
        for (t, at) in ts.iter().zip(offsets) {
            if let (Some(o), Some(base)) = (src.off_mut(), s0) {
                *o = base + at;
            }
            if let (Some(o), Some(base)) = (dst.off_mut(), d0) {
                *o = base + at;
            }
            self.xfer(*t, from, src, to, dst)?;
        }
        if let (Some(o), Some(base)) = (src.off_mut(), s0) {
            *o = base;
        }
        if let (Some(o), Some(base)) = (dst.off_mut(), d0) {
            *o = base;
        }
        Ok(())
    }

    /// A variant (and enum, option, result): as the JS adapter's `xfer_variant`, the
    /// discriminant checked and moved, then the payload of its case.
    fn variant(
        &mut self,
        def: &TypeDef,
        from: &Side,
        src: &mut Src,
        to: &Side,
        dst: &mut Dst,
    ) -> anyhow::Result<()> {
        let types = &self.plan.types;
        let cases = variant_cases(def).unwrap_or_default();
        let (load, store) = width_ops(discriminant(cases.len()));
        let joined = types.variant_payload_flat(def, Addr::I32);
        let poff = types.payload_offset(def, Addr::I32);
        let d = self.read(src, Flat::I32, load)?;
        self.emit(I::LocalGet(d));
        self.emit(I::I32Const(cases.len() as i32));
        self.emit(I::I32GeU);
        self.fail_if(code::INVALID_DISCRIMINANT);
        self.write(dst, d, store);
        // Flat sources: the payload slots, read up front; flat destinations: new slots,
        // zero unless the case sets them.
        let src_slots: Option<Vec<(u32, Flat)>> = match src {
            Src::Flat(it) => {
                let mut slots = Vec::new();
                for want in &joined {
                    match it.next() {
                        Some((l, have)) if have == *want => slots.push((l, have)),
                        _ => weft_core::bug!("a variant's flat payload slot {want:?} is missing"),
                    }
                }
                Some(slots)
            }
            Src::Mem { .. } => None,
        };
        let dst_slots: Option<Vec<(u32, Flat)>> = match dst {
            Dst::Flat(_) => {
                let mut slots = Vec::new();
                for f in &joined {
                    let l = self.local(wasm(*f));
                    self.emit(zero(*f));
                    self.emit(I::LocalSet(l));
                    slots.push((l, *f));
                }
                Some(slots)
            }
            Dst::Mem { .. } => None,
        };
        for (i, case) in cases.iter().enumerate() {
            let Some(t) = case else { continue };
            self.emit(I::LocalGet(d));
            self.emit(I::I32Const(i as i32));
            self.emit(I::I32Eq);
            self.emit(I::If(BlockType::Empty));
            let case_flat = self.plan.types.flatten(*t, Addr::I32);
            let mut csrc = match (&src_slots, &*src) {
                (Some(slots), _) => {
                    let mut vals = Vec::new();
                    for ((l, slot), have) in slots.iter().zip(&case_flat) {
                        let conv = from_slot(*slot, *have);
                        if conv.is_empty() {
                            vals.push((*l, *have));
                        } else {
                            self.emit(I::LocalGet(*l));
                            for op in conv {
                                self.emit(op.clone());
                            }
                            let c = self.local(wasm(*have));
                            self.emit(I::LocalSet(c));
                            vals.push((c, *have));
                        }
                    }
                    Src::Flat(vals.into_iter())
                }
                (None, Src::Mem { memory, base, off }) => Src::Mem {
                    memory: *memory,
                    base: *base,
                    off: off + poff,
                },
                _ => unreachable!("a source is flat or in memory"),
            };
            let mut cdst = match &*dst {
                Dst::Flat(_) => Dst::Flat(Vec::new()),
                Dst::Mem { memory, base, off } => Dst::Mem {
                    memory: *memory,
                    base: *base,
                    off: off + poff,
                },
            };
            self.xfer(*t, from, &mut csrc, to, &mut cdst)?;
            if let (Dst::Flat(vals), Some(slots)) = (cdst, &dst_slots) {
                for ((v, have), (slot, want)) in vals.into_iter().zip(&case_flat).zip(slots) {
                    self.emit(I::LocalGet(v));
                    for op in to_slot(*have, *want) {
                        self.emit(op.clone());
                    }
                    self.emit(I::LocalSet(*slot));
                }
            }
            self.emit(I::End);
        }
        if let (Dst::Flat(out), Some(slots)) = (dst, dst_slots) {
            out.extend(slots.iter().map(|s| s.0));
        }
        Ok(())
    }

    /// Reads a (pointer, length) pair into two new locals.
    pub(super) fn read_pair(&mut self, src: &mut Src) -> anyhow::Result<(u32, u32)> {
        let p = self.read(src, Flat::I32, I::I32Load)?;
        if let Some(off) = src.off_mut() {
            *off += 4;
        }
        let l = self.read(src, Flat::I32, I::I32Load)?;
        if let Some(off) = src.off_mut() {
            *off -= 4;
        }
        Ok((p, l))
    }

    pub(super) fn write_pair(&mut self, dst: &mut Dst, p: u32, l: u32) {
        self.write(dst, p, I::I32Store);
        if let Some(off) = dst.off_mut() {
            *off += 4;
        }
        self.write(dst, l, I::I32Store);
        if let Some(off) = dst.off_mut() {
            *off -= 4;
        }
    }

    /// `realloc(0, 0, align, size)` of side `to` into a new local.
    pub(super) fn realloc(&mut self, to: &Side, align: u32, size: u32) -> anyhow::Result<u32> {
        let r = need(to.realloc, "a destination without realloc")?;
        self.emit(I::I32Const(0));
        self.emit(I::I32Const(0));
        self.emit(I::I32Const(align as i32));
        self.emit(I::LocalGet(size));
        self.emit(I::Call(r));
        let p = self.local(W::I32);
        self.emit(I::LocalSet(p));
        Ok(p)
    }

    /// A list: as the JS adapter's `copy_list` (length, source pointer, the block, then
    /// one copy for plain numbers or a walk).
    ///
    /// `elem` is the element type, or a map's key and value (an entry is their tuple).
    fn list(
        &mut self,
        elem: &[ValType],
        from: &Side,
        src: &mut Src,
        to: &Side,
        dst: &mut Dst,
    ) -> anyhow::Result<()> {
        let sm = need(from.memory, "a list source without memory")?;
        let dm = need(to.memory, "a list destination without memory")?;
        let el = match elem {
            [e] => self.plan.types.layout(*e, Addr::I32),
            kv => self.plan.types.tuple_layout(kv, Addr::I32).0,
        };
        let (sp, n) = self.read_pair(src)?;
        // bytes = n * size, > MAX_BYTE_LENGTH traps (in 64 bits: no overflow).
        self.emit(I::LocalGet(n));
        self.emit(I::I64ExtendI32U);
        self.emit(I::I64Const(i64::from(el.size)));
        self.emit(I::I64Mul);
        self.emit(I::I64Const(i64::from(MAX_BYTE_LENGTH)));
        self.emit(I::I64GtU);
        self.fail_if(code::LIST_TOO_LONG);
        let bytes = self.local(W::I32);
        self.emit(I::LocalGet(n));
        self.emit(I::I32Const(el.size as i32));
        self.emit(I::I32Mul);
        self.emit(I::LocalSet(bytes));
        self.check_ptr(sp, el.align, Size::Local(bytes), sm, Ptr::List);
        let dp = self.realloc(to, el.align, bytes)?;
        self.check_ptr(dp, el.align, Size::Local(bytes), dm, Ptr::Realloc);
        let plain = matches!(elem, [e] if scalar(*e).is_some() && !matches!(e, ValType::Bool | ValType::Char));
        if plain {
            self.emit(I::LocalGet(dp));
            self.emit(I::LocalGet(sp));
            self.emit(I::LocalGet(bytes));
            self.emit(I::MemoryCopy {
                src_mem: sm,
                dst_mem: dm,
            });
        } else {
            // for i in 0..n: the element at sp + i*size → dp + i*size.
            let i = self.local(W::I32);
            let (s, d) = (self.local(W::I32), self.local(W::I32));
            self.emit(I::I32Const(0));
            self.emit(I::LocalSet(i));
            self.emit(I::Block(BlockType::Empty));
            self.emit(I::Loop(BlockType::Empty));
            self.emit(I::LocalGet(i));
            self.emit(I::LocalGet(n));
            self.emit(I::I32GeU);
            self.emit(I::BrIf(1));
            for (base, out) in [(sp, s), (dp, d)] {
                self.emit(I::LocalGet(base));
                self.emit(I::LocalGet(i));
                self.emit(I::I32Const(el.size as i32));
                self.emit(I::I32Mul);
                self.emit(I::I32Add);
                self.emit(I::LocalSet(out));
            }
            let mut es = Src::Mem {
                memory: sm,
                base: s,
                off: 0,
            };
            let mut ed = Dst::Mem {
                memory: dm,
                base: d,
                off: 0,
            };
            match elem {
                [e] => self.xfer(*e, from, &mut es, to, &mut ed)?,
                kv => self.fields(kv, from, &mut es, to, &mut ed)?,
            }
            self.emit(I::LocalGet(i));
            self.emit(I::I32Const(1));
            self.emit(I::I32Add);
            self.emit(I::LocalSet(i));
            self.emit(I::Br(0));
            self.emit(I::End);
            self.emit(I::End);
        }
        self.write_pair(dst, dp, n);
        Ok(())
    }
}

/// How a discriminant or flags value of width `w` is loaded and stored.
fn width_ops(w: Width) -> (Load, Load) {
    match w {
        Width::U8 => (I::I32Load8U, I::I32Store8),
        Width::U16 => (I::I32Load16U, I::I32Store16),
        Width::U32 => (I::I32Load, I::I32Store),
    }
}

/// Converts a flat value from a variant's joined slot type `slot` to its case's type
/// `case` (the spec's `CoerceValueIter` on lifting).
fn from_slot(slot: Flat, case: Flat) -> &'static [I<'static>] {
    match (slot, case) {
        (Flat::I32, Flat::F32) => &[I::F32ReinterpretI32],
        (Flat::I64, Flat::I32) => &[I::I32WrapI64],
        (Flat::I64, Flat::F32) => &[I::I32WrapI64, I::F32ReinterpretI32],
        (Flat::I64, Flat::F64) => &[I::F64ReinterpretI64],
        _ => &[],
    }
}

/// Converts a case's flat value of type `case` to the joined slot type `slot` (on
/// lowering).
fn to_slot(case: Flat, slot: Flat) -> &'static [I<'static>] {
    match (case, slot) {
        (Flat::F32, Flat::I32) => &[I::I32ReinterpretF32],
        (Flat::I32, Flat::I64) => &[I::I64ExtendI32U],
        (Flat::F32, Flat::I64) => &[I::I32ReinterpretF32, I::I64ExtendI32U],
        (Flat::F64, Flat::I64) => &[I::I64ReinterpretF64],
        _ => &[],
    }
}

/// A load or store instruction at an address.
type Load = fn(MemArg) -> I<'static>;

/// A scalar's flat type and how it is loaded and stored.
fn scalar(t: ValType) -> Option<(Flat, Load, Load)> {
    Some(match t {
        ValType::Bool | ValType::U8 => (Flat::I32, I::I32Load8U, I::I32Store8),
        ValType::S8 => (Flat::I32, I::I32Load8S, I::I32Store8),
        ValType::U16 => (Flat::I32, I::I32Load16U, I::I32Store16),
        ValType::S16 => (Flat::I32, I::I32Load16S, I::I32Store16),
        ValType::U32 | ValType::S32 | ValType::Char => (Flat::I32, I::I32Load, I::I32Store),
        ValType::U64 | ValType::S64 => (Flat::I64, I::I64Load, I::I64Store),
        ValType::F32 => (Flat::F32, I::F32Load, I::F32Store),
        ValType::F64 => (Flat::F64, I::F64Load, I::F64Store),
        _ => return None,
    })
}
