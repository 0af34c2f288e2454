//! The transfer walker of fused adapters: [`Xfer`] walks a type once and emits the
//! code that moves a value of it from one instance to another — from flat core values
//! or the source's memory, to flat core values or the destination's memory — without
//! making a JS object of it.

use anyhow::Result;
use swc_ecma_ast::{BinaryOp, Expr, Stmt};
use weft_core::abi::{Addr, Flat, Width, discriminant, flags_width, variant_cases};
use weft_core::bug;
use weft_core::error::OrBug;
use weft_core::types::{ResourceIdx, TypeDef, ValType};

use crate::abi::{FnGen, addr_accessors_of, addr_out_as, coerce_lift, coerce_lower, map_entry};
use crate::ast::*;
use crate::emit::MemCx;

/// Where a value comes from.
pub(super) enum Src {
    /// Flat core values (consumed in order), with their core types.
    Flat(std::vec::IntoIter<(Box<Expr>, Flat)>),
    /// Linear memory of the source side, at `addr + offset`.
    Mem(Box<Expr>, u32),
}

/// Where a value goes.
pub(super) enum Dst {
    /// Flat core values, pushed in order.
    Flat(Vec<Box<Expr>>),
    /// Linear memory of the destination side, at `addr + offset`.
    Mem(Box<Expr>, u32),
}

/// One side of the transfer.
#[derive(Clone)]
pub(super) struct Side {
    pub(super) mem: Option<MemCx>,
    pub(super) instance: u32,
}

impl Side {
    /// The address type of this side's memory (🐘: the two sides of an adapter may
    /// differ, and with them every layout that holds a string or a list).
    pub(super) fn addr(&self) -> Addr {
        self.mem.as_ref().map_or(Addr::I32, |m| m.addr)
    }
}

pub(super) struct Xfer<'g, 'e, 'p> {
    pub(super) g: &'g mut FnGen<'e, 'p>,
    pub(super) src: Side,
    pub(super) dst: Side,
}

fn scalar_width(t: ValType) -> Option<(u32, &'static str, &'static str)> {
    Some(match t {
        ValType::Bool | ValType::U8 => (1, "getUint8", "setUint8"),
        ValType::S8 => (1, "getInt8", "setUint8"),
        ValType::U16 => (2, "getUint16", "setUint16"),
        ValType::S16 => (2, "getInt16", "setUint16"),
        ValType::U32 | ValType::Char => (4, "getUint32", "setUint32"),
        ValType::S32 => (4, "getInt32", "setUint32"),
        ValType::U64 | ValType::S64 => (8, "getBigInt64", "setBigInt64"),
        ValType::F32 => (4, "getFloat32", "setFloat32"),
        ValType::F64 => (8, "getFloat64", "setFloat64"),
        _ => return None,
    })
}

fn width_methods(w: Width) -> (&'static str, &'static str) {
    match w {
        Width::U8 => ("getUint8", "setUint8"),
        Width::U16 => ("getUint16", "setUint16"),
        Width::U32 => ("getUint32", "setUint32"),
    }
}

impl Xfer<'_, '_, '_> {
    fn view(side: &Side) -> Result<Box<Expr>> {
        let m = side.mem.as_ref().or_bug("an adapter side without memory")?;
        Ok(call_id(&m.view, vec![]))
    }

    fn trap(&mut self, msg: &str) -> Stmt {
        self.g.emit.runtime("trap");
        expr_stmt(call_id("trap", vec![str_(msg)]))
    }

    /// A handle moved through the core module's tables (`Facts::core_handles`): lifted
    /// from the source instance's, lowered into the destination's (a borrow of the
    /// destination's own resource is the rep itself).
    fn core_handle(&mut self, r: ResourceIdx, own: bool, h: Box<Expr>) -> Result<Box<Expr>> {
        let (src, dst) = (self.src.instance, self.dst.instance);
        let (lift, ty) = if own {
            self.g.emit.core_table_fn(src, r, |t| &t.lift_own)?
        } else {
            self.g.emit.core_table_fn(src, r, |t| &t.lift_borrow)?
        };
        let mut args = vec![h, ty.clone()];
        if !own {
            args.push(crate::emit::core_scope());
        }
        let rep = self.g.bind(call_id(&lift, args));
        if !own && self.g.emit.facts.implements(r, dst) {
            return Ok(rep);
        }
        let (lower, _) = if own {
            self.g.emit.core_table_fn(dst, r, |t| &t.lower_own)?
        } else {
            self.g.emit.core_table_fn(dst, r, |t| &t.lower_borrow)?
        };
        let mut args = vec![rep, ty];
        if !own {
            args.push(crate::emit::core_scope());
        }
        Ok(self.g.bind(call_id(&lower, args)))
    }

    /// Reads one core-level number (i32/i64/f32/f64) from the source.
    fn read(&mut self, src: &mut Src, getter: &str, flat: Flat) -> Result<Box<Expr>> {
        Ok(match src {
            Src::Flat(it) => match it.next() {
                Some((e, have)) if have == flat => e,
                Some((_, have)) => {
                    bug!("a flat value of type {have:?} where {flat:?} was expected")
                }
                None => bug!("a flat value of type {flat:?} is missing"),
            },
            Src::Mem(addr, off) => {
                let view = Self::view(&self.src)?;
                let mut a = vec![plus(addr, *off)];
                if !matches!(getter, "getUint8" | "getInt8") {
                    a.push(bool_(true));
                }
                let e = method(view, getter, a);
                self.g.bind(e)
            }
        })
    }

    /// Writes one core-level number to the destination.
    fn write(&mut self, dst: &mut Dst, setter: &str, v: Box<Expr>) -> Result<()> {
        match dst {
            Dst::Flat(out) => out.push(v),
            Dst::Mem(addr, off) => {
                let view = Self::view(&self.dst)?;
                let mut a = vec![plus(addr, *off), v];
                if !matches!(setter, "setUint8" | "setInt8") {
                    a.push(bool_(true));
                }
                self.g.stmts.push(expr_stmt(method(view, setter, a)));
            }
        }
        Ok(())
    }

    /// Moves a value of type `ty` from `src` to `dst`. For memory sides the offsets are
    /// where the value starts; the caller positions them.
    #[allow(clippy::too_many_lines)]
    pub(super) fn xfer(&mut self, ty: ValType, src: &mut Src, dst: &mut Dst) -> Result<()> {
        let types = self.g.types();
        if let Some((_, get, set)) = scalar_width(ty) {
            let flat = types.flatten(ty, Addr::I32)[0];
            let v = self.read(src, get, flat)?;
            let v = self.g.bind(v);
            let v = match ty {
                ValType::Bool => cond(bin(v, BinaryOp::NotEqEq, num(0.0)), num(1.0), num(0.0)),
                ValType::U8 => bin(v, BinaryOp::BitAnd, num(255.0)),
                ValType::S8 => bin(
                    bin(v, BinaryOp::LShift, num(24.0)),
                    BinaryOp::RShift,
                    num(24.0),
                ),
                ValType::U16 => bin(v, BinaryOp::BitAnd, num(65535.0)),
                ValType::S16 => bin(
                    bin(v, BinaryOp::LShift, num(16.0)),
                    BinaryOp::RShift,
                    num(16.0),
                ),
                ValType::Char => {
                    let c = bin(v.clone(), BinaryOp::ZeroFillRShift, num(0.0));
                    let bad = bin(
                        bin(c.clone(), BinaryOp::GtEq, num(1_114_112.0)),
                        BinaryOp::LogicalOr,
                        bin(
                            bin(c.clone(), BinaryOp::GtEq, num(55296.0)),
                            BinaryOp::LogicalAnd,
                            bin(c, BinaryOp::LtEq, num(57343.0)),
                        ),
                    );
                    let t = self.trap("invalid char code point");
                    self.g.stmts.push(if_(bad, vec![t], None));
                    v
                }
                _ => v,
            };
            return self.write(dst, set, v);
        }
        match ty {
            ValType::String => {
                let (sp, sl) = self.read_pair(src, false)?;
                let (dp, dl) = self.transcode(sp, sl)?;
                let dl = match self.dst.addr() {
                    Addr::I32 => dl,
                    Addr::I64 => call(self.g.emit.rt("compactLenWide"), vec![dl]),
                };
                self.write_pair(dst, dp, dl)
            }
            ValType::ErrorContext => {
                let h = self.read(src, "getUint32", Flat::I32)?;
                let sa = id(&self.g.emit.async_instance(self.src.instance));
                let da = id(&self.g.emit.async_instance(self.dst.instance));
                self.g.emit.runtime("liftErrorContext");
                self.g.emit.runtime("lowerErrorContext");
                let e = call_id("liftErrorContext", vec![sa, h]);
                let out = self.g.bind(call_id("lowerErrorContext", vec![da, e]));
                self.write(dst, "setUint32", out)
            }
            ValType::Defined(tid) => {
                let def = types.def(tid).clone();
                match def {
                    TypeDef::List(t) => {
                        let (sp, n) = self.read_pair(src, true)?;
                        let (dp, dn) = self.copy_list(t, sp, n)?;
                        let dn = addr_out_as(self.dst.addr(), dn);
                        self.write_pair(dst, dp, dn)
                    }
                    TypeDef::Map(k, v) => {
                        let tuple = map_entry(types, k, v)?;
                        let (sp, n) = self.read_pair(src, true)?;
                        let (dp, dn) = self.copy_list(tuple, sp, n)?;
                        let dn = addr_out_as(self.dst.addr(), dn);
                        self.write_pair(dst, dp, dn)
                    }
                    TypeDef::Record(fields) => {
                        self.xfer_fields(&fields.iter().map(|f| f.1).collect::<Vec<_>>(), src, dst)
                    }
                    TypeDef::Tuple(ts) => self.xfer_fields(&ts, src, dst),
                    TypeDef::FixedList(t, n) => self.xfer_fields(&vec![t; n as usize], src, dst),
                    TypeDef::Flags(names) => {
                        let (get, set) = width_methods(flags_width(names.len()));
                        let v = self.read(src, get, Flat::I32)?;
                        let mask = if names.len() >= 32 {
                            -1.0
                        } else {
                            f64::from((1u32 << names.len()) - 1)
                        };
                        self.write(dst, set, bin(v, BinaryOp::BitAnd, num(mask)))
                    }
                    TypeDef::Own(r) | TypeDef::Borrow(r) => {
                        let own = matches!(def, TypeDef::Own(_));
                        let h = self.read(src, "getUint32", Flat::I32)?;
                        if self.g.emit.facts.core_handles {
                            let out = self.core_handle(r, own, h)?;
                            return self.write(dst, "setUint32", out);
                        }
                        let rt = id(&self.g.emit.resource_type(r));
                        let st = id(&self.g.emit.handle_table(self.src.instance));
                        let dt = id(&self.g.emit.handle_table(self.dst.instance));
                        let out = if own {
                            self.g.emit.runtime("liftOwn");
                            self.g.emit.runtime("lowerOwn");
                            let rep = self.g.bind(call_id("liftOwn", vec![st, h, rt.clone()]));
                            call_id("lowerOwn", vec![dt, rep, rt])
                        } else {
                            self.g.emit.runtime("liftBorrow");
                            self.g.emit.runtime("lowerBorrow");
                            let rep = self
                                .g
                                .bind(call_id("liftBorrow", vec![st, h, rt.clone(), id("cx")]));
                            let inst = num(f64::from(self.dst.instance));
                            call_id("lowerBorrow", vec![dt, rep, rt, id("cx"), inst])
                        };
                        let out = self.g.bind(out);
                        self.write(dst, "setUint32", out)
                    }
                    TypeDef::Future(_) | TypeDef::Stream(_) => {
                        // The readable end moves between the instances' tables.
                        let stream = matches!(def, TypeDef::Stream(_));
                        let h = self.read(src, "getUint32", Flat::I32)?;
                        let sa = id(&self.g.emit.async_instance(self.src.instance));
                        let da = id(&self.g.emit.async_instance(self.dst.instance));
                        self.g.emit.runtime("liftEnd");
                        self.g.emit.runtime("lowerEnd");
                        let end =
                            call_id("liftEnd", vec![sa, h, num(f64::from(tid.0)), bool_(stream)]);
                        let out = self.g.bind(call_id("lowerEnd", vec![da, end]));
                        self.write(dst, "setUint32", out)
                    }
                    def => self.xfer_variant(&def, src, dst),
                }
            }
            _ => unreachable!("scalars handled above"),
        }
    }

    /// Reads a (pointer, length) pair from the source: the pointer as an unsigned
    /// Number; the length too when `number_len` (a list's), else as `transcode` reads
    /// a string's tagged length (the core value, or a 64-bit memory's `taggedNum`).
    fn read_pair(&mut self, src: &mut Src, number_len: bool) -> Result<(Box<Expr>, Box<Expr>)> {
        let addr = self.src.addr();
        let (get, _) = addr_accessors_of(addr);
        let p = self.read(src, get, addr.flat())?;
        let p = self.g.addr_in_as(addr, p);
        let p = self.g.bind(p);
        if let Src::Mem(_, off) = src {
            *off += addr.size();
        }
        let l = self.read(src, get, addr.flat())?;
        let l = match (number_len, addr) {
            (true, _) => self.g.addr_in_as(addr, l),
            (false, Addr::I32) => l,
            (false, Addr::I64) => call(self.g.emit.rt("taggedNum"), vec![l]),
        };
        let l = self.g.bind(l);
        if let Src::Mem(_, off) = src {
            *off -= addr.size();
        }
        Ok((p, l))
    }

    /// Writes a (pointer, length) pair to the destination: the pointer a Number, the
    /// length already the destination's core value.
    fn write_pair(&mut self, dst: &mut Dst, p: Box<Expr>, l: Box<Expr>) -> Result<()> {
        let addr = self.dst.addr();
        let (_, set) = addr_accessors_of(addr);
        self.write(dst, set, addr_out_as(addr, p))?;
        if let Dst::Mem(_, off) = dst {
            *off += addr.size();
        }
        self.write(dst, set, l)?;
        if let Dst::Mem(_, off) = dst {
            *off -= addr.size();
        }
        Ok(())
    }

    pub(super) fn xfer_fields(
        &mut self,
        fields: &[ValType],
        src: &mut Src,
        dst: &mut Dst,
    ) -> Result<()> {
        let types = self.g.types();
        let src_offsets = types.field_offsets(fields.iter().copied(), self.src.addr());
        let dst_offsets = types.field_offsets(fields.iter().copied(), self.dst.addr());
        let (s0, d0) = (mem_off(src), mem_off(dst));
        for ((t, so), d_o) in fields.iter().zip(src_offsets).zip(dst_offsets) {
            set_off(src, s0.map(|b| b + so));
            set_off(dst, d0.map(|b| b + d_o));
            self.xfer(*t, src, dst)?;
        }
        set_off(src, s0);
        set_off(dst, d0);
        Ok(())
    }

    fn transcode(&mut self, sp: Box<Expr>, sl: Box<Expr>) -> Result<(Box<Expr>, Box<Expr>)> {
        let sm = self
            .src
            .mem
            .clone()
            .or_bug("a string source without memory")?;
        let dm = self
            .dst
            .mem
            .clone()
            .or_bug("a string destination without memory")?;
        let realloc = dm
            .realloc
            .clone()
            .or_bug("a string destination without realloc")?;
        let enc = |m: &MemCx| match &m.encoding_var {
            Some(v) => id(v),
            None => str_(crate::link::encoding_name(m.encoding)),
        };
        self.g.emit.runtime("transcode");
        self.g.emit.runtime("lowered");
        let p = self.g.tmp("p");
        self.g.stmts.push(const_(
            &p,
            call_id(
                "transcode",
                vec![
                    id(&sm.memory),
                    enc(&sm),
                    sp,
                    sl,
                    id(&dm.memory),
                    id(&realloc),
                    enc(&dm),
                ],
            ),
        ));
        let l = self.g.bind(member(id("lowered"), "len"));
        Ok((id(&p), l))
    }

    /// Copies a list between memories, returning the destination (pointer, length).
    fn copy_list(
        &mut self,
        t: ValType,
        sp: Box<Expr>,
        n: Box<Expr>,
    ) -> Result<(Box<Expr>, Box<Expr>)> {
        let el = self.g.types().layout(t, self.src.addr());
        let del = self.g.types().layout(t, self.dst.addr());
        let sm = self
            .src
            .mem
            .clone()
            .or_bug("a list source without memory")?;
        let dm = self
            .dst
            .mem
            .clone()
            .or_bug("a list destination without memory")?;
        let n = self.g.bind(n);
        let bytes = self
            .g
            .bind(bin(n.clone(), BinaryOp::Mul, num(f64::from(el.size))));
        let max = f64::from(weft_core::abi::MAX_BYTE_LENGTH);
        let t_long = self.trap("list is too long for the canonical ABI");
        self.g.stmts.push(if_(
            bin(bytes.clone(), BinaryOp::Gt, num(max)),
            vec![t_long],
            None,
        ));
        self.g
            .check_ptr(&sp, el.align, bytes.clone(), &sm.memory, "list pointer");
        // The destination's size differs from the source's (🐘) only for elements
        // that hold strings or lists, which are never plain.
        let dbytes = if del.size == el.size {
            bytes.clone()
        } else {
            self.g
                .bind(bin(n.clone(), BinaryOp::Mul, num(f64::from(del.size))))
        };
        let saved = self.g.mem.replace(dm.clone());
        let dp = self.g.alloc(dbytes, del.align)?;
        self.g.mem = saved;
        let plain = scalar_width(t).is_some() && !matches!(t, ValType::Bool | ValType::Char);
        if plain {
            let src = new_(
                id("Uint8Array"),
                vec![member(id(&sm.memory), "buffer"), sp, bytes.clone()],
            );
            let dstv = new_(
                id("Uint8Array"),
                vec![member(id(&dm.memory), "buffer"), dp.clone(), bytes],
            );
            self.g.stmts.push(expr_stmt(method(dstv, "set", vec![src])));
        } else {
            let i = self.g.tmp("i");
            // Build the loop body with a fresh transfer on element addresses.
            let saved_stmts = std::mem::take(&mut self.g.stmts);
            let s = bin(
                sp.clone(),
                BinaryOp::Add,
                bin(id(&i), BinaryOp::Mul, num(f64::from(el.size))),
            );
            let s = self.g.bind(s);
            let d = bin(
                dp.clone(),
                BinaryOp::Add,
                bin(id(&i), BinaryOp::Mul, num(f64::from(del.size))),
            );
            let d = self.g.bind(d);
            self.xfer(t, &mut Src::Mem(s, 0), &mut Dst::Mem(d, 0))?;
            let body = std::mem::replace(&mut self.g.stmts, saved_stmts);
            self.g.stmts.push(for_range(&i, n.clone(), body));
        }
        Ok((dp, n))
    }

    #[allow(clippy::too_many_lines)]
    fn xfer_variant(&mut self, def: &TypeDef, src: &mut Src, dst: &mut Dst) -> Result<()> {
        let types = self.g.types();
        let cases = variant_cases(def).expect("variant-like");
        let width = discriminant(cases.len());
        let (get, set) = width_methods(width);
        let (sa, da) = (self.src.addr(), self.dst.addr());
        let src_joined = types.variant_payload_flat(def, sa);
        let dst_joined = types.variant_payload_flat(def, da);
        let (src_poff, dst_poff) = (types.payload_offset(def, sa), types.payload_offset(def, da));
        let d = self.read(src, get, Flat::I32)?;
        let d = self.g.bind(d);
        let bad = bin(
            bin(d.clone(), BinaryOp::ZeroFillRShift, num(0.0)),
            BinaryOp::GtEq,
            num(cases.len() as f64),
        );
        let t = self.trap("invalid variant discriminant");
        self.g.stmts.push(if_(bad, vec![t], None));
        self.write(dst, set, d.clone())?;
        // Source payload slots (flat) are read up front; memory payloads per case.
        let src_slots: Option<Vec<(Box<Expr>, Flat)>> = match src {
            Src::Flat(it) => {
                let mut slots = Vec::new();
                for want in &src_joined {
                    match it.next() {
                        Some((e, have)) if have == *want => slots.push((e, have)),
                        _ => bug!("a variant's flat payload slot of type {want:?} is missing"),
                    }
                }
                Some(slots)
            }
            Src::Mem(..) => None,
        };
        // Destination payload slots (flat) are variables assigned per case.
        let dst_slots: Option<Vec<String>> = match dst {
            Dst::Flat(_) => {
                let names: Vec<String> = dst_joined.iter().map(|_| self.g.tmp("s")).collect();
                for (n, f) in names.iter().zip(&dst_joined) {
                    let z = if *f == Flat::I64 { bigint(0) } else { num(0.0) };
                    self.g.stmts.push(let_(n, Some(z)));
                }
                Some(names)
            }
            Dst::Mem(..) => None,
        };
        let mut arms = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let Some(t) = case else { continue };
            let saved = std::mem::take(&mut self.g.stmts);
            let src_flat = self.g.types().flatten(*t, sa);
            let dst_flat = self.g.types().flatten(*t, da);
            let mut csrc = match (&src_slots, &*src) {
                (Some(slots), _) => {
                    let mut vals = Vec::new();
                    for ((e, want), have) in slots.iter().zip(&src_flat) {
                        vals.push((coerce_lift(self.g, e.clone(), *want, *have), *have));
                    }
                    Src::Flat(vals.into_iter())
                }
                (None, Src::Mem(a, o)) => Src::Mem(a.clone(), o + src_poff),
                _ => unreachable!("source is flat or memory"),
            };
            let mut cdst = match &*dst {
                Dst::Flat(_) => Dst::Flat(Vec::new()),
                Dst::Mem(a, o) => Dst::Mem(a.clone(), o + dst_poff),
            };
            self.xfer(*t, &mut csrc, &mut cdst)?;
            if let (Dst::Flat(vals), Some(names)) = (cdst, &dst_slots) {
                for ((v, have), (n, want)) in vals
                    .into_iter()
                    .zip(&dst_flat)
                    .zip(names.iter().zip(&dst_joined))
                {
                    let c = coerce_lower(self.g, v, *have, *want);
                    self.g.stmts.push(assign(n, c));
                }
            }
            let mut body = std::mem::replace(&mut self.g.stmts, saved);
            body.push(break_());
            arms.push((Some(num(i as f64)), body));
        }
        if !arms.is_empty() {
            self.g.stmts.push(switch(d, arms));
        }
        if let (Dst::Flat(out), Some(names)) = (dst, dst_slots) {
            out.extend(names.iter().map(|n| id(n)));
        }
        Ok(())
    }
}

fn mem_off<T: OffsetOf>(x: &T) -> Option<u32> {
    x.offset()
}

fn set_off<T: OffsetOf>(x: &mut T, o: Option<u32>) {
    if let Some(o) = o {
        x.set_offset(o);
    }
}

trait OffsetOf {
    fn offset(&self) -> Option<u32>;
    fn set_offset(&mut self, o: u32);
}

impl OffsetOf for Src {
    fn offset(&self) -> Option<u32> {
        match self {
            Src::Mem(_, o) => Some(*o),
            Src::Flat(_) => None,
        }
    }
    fn set_offset(&mut self, o: u32) {
        if let Src::Mem(_, off) = self {
            *off = o;
        }
    }
}

impl OffsetOf for Dst {
    fn offset(&self) -> Option<u32> {
        match self {
            Dst::Mem(_, o) => Some(*o),
            Dst::Flat(_) => None,
        }
    }
    fn set_offset(&mut self, o: u32) {
        if let Dst::Mem(_, off) = self {
            *off = o;
        }
    }
}
