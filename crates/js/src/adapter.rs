//! Fused adapters: a function lifted by one component instance and lowered into
//! another becomes one JS trampoline that moves arguments and results memory to memory.
//!
//! Values never become JS objects on the way: scalars travel as JS numbers (normalised
//! and validated as lifting requires), strings are copied or transcoded between the two
//! memories by the runtime's `transcode`, lists of numbers are one bulk copy, other
//! lists, records, variants and flags are walked field by field between the memories,
//! and handles move from one instance's table to the other's. This is the JS
//! counterpart of wasmtime's fused adapter compiler.

use anyhow::{Context, Result, bail};
use swc_ecma_ast::{BinaryOp, Expr, Stmt};
use weft_core::abi::{Flat, Width, discriminant, flags_width, variant_cases};
use weft_core::plan::{CanonOptions, Lifted, StringEncoding};

use crate::link::LinkVars;
use weft_core::types::{FuncType, TypeDef, ValType};

use crate::abi::{FnGen, MemCx};
use crate::ast::*;
use crate::module::Emit;

/// Where a value comes from.
enum Src {
    /// Flat core values (consumed in order), with their core types.
    Flat(std::vec::IntoIter<(Box<Expr>, Flat)>),
    /// Linear memory of the source side, at `addr + offset`.
    Mem(Box<Expr>, u32),
}

/// Where a value goes.
enum Dst {
    /// Flat core values, pushed in order.
    Flat(Vec<Box<Expr>>),
    /// Linear memory of the destination side, at `addr + offset`.
    Mem(Box<Expr>, u32),
}

/// One side of the transfer.
#[derive(Clone)]
struct Side {
    mem: Option<MemCx>,
    instance: u32,
}

struct Xfer<'g, 'e, 'p> {
    g: &'g mut FnGen<'e, 'p>,
    src: Side,
    dst: Side,
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

fn at(addr: &Expr, offset: u32) -> Box<Expr> {
    if offset == 0 {
        Box::new(addr.clone())
    } else {
        bin(
            Box::new(addr.clone()),
            BinaryOp::Add,
            num(f64::from(offset)),
        )
    }
}

impl Xfer<'_, '_, '_> {
    fn view(side: &Side) -> Result<Box<Expr>> {
        let m = side
            .mem
            .as_ref()
            .context("internal error: adapter side without memory")?;
        Ok(call_id(&m.view, vec![]))
    }

    fn trap(&mut self, msg: &str) -> Stmt {
        self.g.emit.runtime("trap");
        expr_stmt(call_id("trap", vec![str_(msg)]))
    }

    /// Reads one core-level number (i32/i64/f32/f64) from the source.
    fn read(&mut self, src: &mut Src, getter: &str, flat: Flat) -> Result<Box<Expr>> {
        let _ = flat;
        Ok(match src {
            Src::Flat(it) => it.next().map_or_else(undefined, |(e, _)| e),
            Src::Mem(addr, off) => {
                let view = Self::view(&self.src)?;
                let mut a = vec![at(addr, *off)];
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
                let mut a = vec![at(addr, *off), v];
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
    fn xfer(&mut self, ty: ValType, src: &mut Src, dst: &mut Dst) -> Result<()> {
        let types = &self.g.emit.plan.types;
        if let Some((_, get, set)) = scalar_width(ty) {
            let flat = types.flatten(ty)[0];
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
                let (sp, sl) = self.read_pair(src)?;
                let (dp, dl) = self.transcode(sp, sl)?;
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
                        let (sp, n) = self.read_pair(src)?;
                        let (dp, dn) = self.copy_list(t, sp, n)?;
                        self.write_pair(dst, dp, dn)
                    }
                    TypeDef::Map(k, v) => {
                        let tuple = self
                            .g
                            .emit
                            .plan
                            .types
                            .intern_lookup(&TypeDef::Tuple(vec![k, v]))
                            .context("internal error: map entry tuple type was not interned")?;
                        let (sp, n) = self.read_pair(src)?;
                        let (dp, dn) = self.copy_list(tuple, sp, n)?;
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

    fn read_pair(&mut self, src: &mut Src) -> Result<(Box<Expr>, Box<Expr>)> {
        let p = self.read(src, "getUint32", Flat::I32)?;
        let p = self.g.bind(bin(p, BinaryOp::ZeroFillRShift, num(0.0)));
        if let Src::Mem(_, off) = src {
            *off += 4;
        }
        let l = self.read(src, "getUint32", Flat::I32)?;
        let l = self.g.bind(l);
        if let Src::Mem(_, off) = src {
            *off -= 4;
        }
        Ok((p, l))
    }

    fn write_pair(&mut self, dst: &mut Dst, p: Box<Expr>, l: Box<Expr>) -> Result<()> {
        self.write(dst, "setUint32", p)?;
        if let Dst::Mem(_, off) = dst {
            *off += 4;
        }
        self.write(dst, "setUint32", l)?;
        if let Dst::Mem(_, off) = dst {
            *off -= 4;
        }
        Ok(())
    }

    fn xfer_fields(&mut self, fields: &[ValType], src: &mut Src, dst: &mut Dst) -> Result<()> {
        let types = &self.g.emit.plan.types;
        let offsets = types.field_offsets(fields.iter().copied());
        let (s0, d0) = (mem_off(src), mem_off(dst));
        for (t, o) in fields.iter().zip(offsets) {
            set_off(src, s0.map(|b| b + o));
            set_off(dst, d0.map(|b| b + o));
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
            .context("internal error: string source without memory")?;
        let dm = self
            .dst
            .mem
            .clone()
            .context("internal error: string destination without memory")?;
        let realloc = dm
            .realloc
            .clone()
            .context("internal error: string destination without realloc")?;
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
        let el = self.g.emit.plan.types.layout(t);
        let sm = self
            .src
            .mem
            .clone()
            .context("internal error: list source without memory")?;
        let dm = self
            .dst
            .mem
            .clone()
            .context("internal error: list destination without memory")?;
        let n = self.g.bind(bin(n, BinaryOp::ZeroFillRShift, num(0.0)));
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
        let saved = self.g.mem.replace(dm.clone());
        let dp = self.g.alloc(bytes.clone(), el.align)?;
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
                bin(id(&i), BinaryOp::Mul, num(f64::from(el.size))),
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
        let types = &self.g.emit.plan.types;
        let cases = variant_cases(def).expect("variant-like");
        let width = discriminant(cases.len());
        let (get, set) = width_methods(width);
        let joined = types.variant_payload_flat(def);
        let poff = types.payload_offset(def);
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
            Src::Flat(it) => Some(
                joined
                    .iter()
                    .map(|_| it.next().unwrap_or_else(|| (undefined(), Flat::I32)))
                    .collect(),
            ),
            Src::Mem(..) => None,
        };
        // Destination payload slots (flat) are variables assigned per case.
        let dst_slots: Option<Vec<String>> = match dst {
            Dst::Flat(_) => {
                let names: Vec<String> = joined.iter().map(|_| self.g.tmp("s")).collect();
                for (n, f) in names.iter().zip(&joined) {
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
            let case_flat = self.g.emit.plan.types.flatten(*t);
            let mut csrc = match (&src_slots, &*src) {
                (Some(slots), _) => {
                    let mut vals = Vec::new();
                    for ((e, want), have) in slots.iter().zip(&case_flat) {
                        vals.push((coerce_lift(self, e.clone(), *want, *have), *have));
                    }
                    Src::Flat(vals.into_iter())
                }
                (None, Src::Mem(a, o)) => Src::Mem(a.clone(), o + poff),
                _ => unreachable!("source is flat or memory"),
            };
            let mut cdst = match &*dst {
                Dst::Flat(_) => Dst::Flat(Vec::new()),
                Dst::Mem(a, o) => Dst::Mem(a.clone(), o + poff),
            };
            self.xfer(*t, &mut csrc, &mut cdst)?;
            if let (Dst::Flat(vals), Some(names)) = (cdst, &dst_slots) {
                for ((v, have), (n, want)) in vals
                    .into_iter()
                    .zip(&case_flat)
                    .zip(names.iter().zip(&joined))
                {
                    let c = coerce_lower(self, v, *have, *want);
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

fn coerce_lift(x: &mut Xfer<'_, '_, '_>, v: Box<Expr>, have: Flat, want: Flat) -> Box<Expr> {
    let wrap = |v| {
        call(
            id("Number"),
            vec![call(member(id("BigInt"), "asIntN"), vec![num(32.0), v])],
        )
    };
    match (have, want) {
        (Flat::I32, Flat::F32) => {
            x.g.emit.runtime("i32ToF32");
            call_id("i32ToF32", vec![v])
        }
        (Flat::I64, Flat::I32) => wrap(v),
        (Flat::I64, Flat::F32) => {
            x.g.emit.runtime("i32ToF32");
            call_id("i32ToF32", vec![wrap(v)])
        }
        (Flat::I64, Flat::F64) => {
            x.g.emit.runtime("i64ToF64");
            call_id("i64ToF64", vec![v])
        }
        _ => v,
    }
}

fn coerce_lower(x: &mut Xfer<'_, '_, '_>, v: Box<Expr>, have: Flat, want: Flat) -> Box<Expr> {
    match (have, want) {
        (Flat::F32, Flat::I32) => {
            x.g.emit.runtime("f32ToI32");
            call_id("f32ToI32", vec![v])
        }
        (Flat::I32, Flat::I64) => {
            call_id("BigInt", vec![bin(v, BinaryOp::ZeroFillRShift, num(0.0))])
        }
        (Flat::F32, Flat::I64) => {
            x.g.emit.runtime("f32ToI32");
            let bits = call_id("f32ToI32", vec![v]);
            call_id(
                "BigInt",
                vec![bin(bits, BinaryOp::ZeroFillRShift, num(0.0))],
            )
        }
        (Flat::F64, Flat::I64) => {
            x.g.emit.runtime("f64ToI64");
            call_id("f64ToI64", vec![v])
        }
        _ => v,
    }
}

/// The two sides of a fused adapter and the core signatures they use.
struct AdapterSides<'a> {
    plan: &'a weft_core::Plan,
    caller: Side,
    callee: Side,
    /// Caller-side (lower) signature.
    lower: weft_core::abi::CoreSig,
    /// Callee-side (lift) signature.
    lift: weft_core::abi::CoreSig,
    /// The caller's core parameters, by name.
    args: Vec<String>,
}

/// Moves the parameters from the caller's core arguments (flat, or a pointer to a
/// tuple in the caller's memory) to the callee's: flat values, or a tuple allocated in
/// the callee's memory with its `realloc`. Returns the callee's core arguments.
fn params_to_callee(
    g: &mut FnGen<'_, '_>,
    a: &AdapterSides<'_>,
    params: &[ValType],
) -> Result<Vec<Box<Expr>>> {
    let plan = a.plan;
    let mut x = Xfer {
        g,
        src: a.caller.clone(),
        dst: a.callee.clone(),
    };
    let n_flat: usize = params.iter().map(|t| plan.types.flatten(*t).len()).sum();
    let mut src = if a.lower.params_spilled {
        let (layout, _) = plan.types.tuple_layout(params);
        let m = a
            .caller
            .mem
            .clone()
            .context("spilled parameters without memory")?;
        let p =
            x.g.bind(bin(id(&a.args[0]), BinaryOp::ZeroFillRShift, num(0.0)));
        x.g.check_ptr(
            &p,
            layout.align,
            num(f64::from(layout.size)),
            &m.memory,
            "parameter pointer",
        );
        Src::Mem(p, 0)
    } else {
        let flats = a.lower.params[..n_flat].to_vec();
        Src::Flat(
            a.args
                .iter()
                .map(|n| id(n))
                .zip(flats)
                .collect::<Vec<_>>()
                .into_iter(),
        )
    };
    if a.lift.params_spilled {
        let (layout, _) = plan.types.tuple_layout(params);
        x.g.mem.clone_from(&a.callee.mem);
        let p = x.g.alloc(num(f64::from(layout.size)), layout.align)?;
        x.g.mem = None;
        let mut dst = Dst::Mem(p.clone(), 0);
        x.xfer_fields(params, &mut src, &mut dst)?;
        return Ok(vec![p]);
    }
    // An async caller may spill (more than 4 flat parameters) where the callee takes
    // them flat: `xfer_fields` walks the tuple layout either way.
    let mut dst = Dst::Flat(Vec::new());
    x.xfer_fields(params, &mut src, &mut dst)?;
    let Dst::Flat(v) = dst else {
        unreachable!("flat destination")
    };
    Ok(v)
}

/// Moves a result of type `t` from the callee's core results (`vals` with their flat
/// types, or the pointer `vals[0]` into the callee's memory when `spilled`) to the
/// caller: into its out-pointer (the last core parameter) when its signature spills
/// results, else as the flat value returned (bound to a name).
fn result_to_caller(
    g: &mut FnGen<'_, '_>,
    a: &AdapterSides<'_>,
    t: ValType,
    vals: Vec<Box<Expr>>,
    flats: &[Flat],
    spilled: bool,
) -> Result<Option<Box<Expr>>> {
    let plan = a.plan;
    let mut x = Xfer {
        g,
        src: a.callee.clone(),
        dst: a.caller.clone(),
    };
    let mut src = if spilled {
        let l = plan.types.layout(t);
        let m = a
            .callee
            .mem
            .clone()
            .context("spilled results without memory")?;
        let first = vals.into_iter().next().context("a result pointer")?;
        let rp = x.g.bind(bin(first, BinaryOp::ZeroFillRShift, num(0.0)));
        x.g.check_ptr(
            &rp,
            l.align,
            num(f64::from(l.size)),
            &m.memory,
            "result pointer",
        );
        Src::Mem(rp, 0)
    } else {
        Src::Flat(
            vals.into_iter()
                .zip(flats.iter().copied())
                .collect::<Vec<_>>()
                .into_iter(),
        )
    };
    if a.lower.results_spilled {
        let l = plan.types.layout(t);
        let last = a.args.last().context("out-pointer")?;
        let retptr = x.g.bind(bin(id(last), BinaryOp::ZeroFillRShift, num(0.0)));
        let m = a
            .caller
            .mem
            .clone()
            .context("spilled results without memory")?;
        x.g.check_ptr(
            &retptr,
            l.align,
            num(f64::from(l.size)),
            &m.memory,
            "result pointer",
        );
        x.xfer(t, &mut src, &mut Dst::Mem(retptr, 0))?;
        return Ok(None);
    }
    let mut dst = Dst::Flat(Vec::new());
    x.xfer(t, &mut src, &mut dst)?;
    let Dst::Flat(v) = dst else {
        unreachable!("flat destination")
    };
    let r = v.into_iter().next().context("one flat result")?;
    let n = x.g.tmp("r");
    x.g.stmts.push(const_(&n, r));
    Ok(Some(id(&n)))
}

/// The sides, signatures and core parameter names of an adapter.
fn sides<'a>(
    emit: &mut Emit<'a>,
    callee: &Lifted,
    caller: &CanonOptions,
    func: &FuncType,
) -> AdapterSides<'a> {
    let plan = emit.plan;
    let lower = if caller.is_async {
        plan.types.flatten_func_async_lower(func)
    } else {
        plan.types.flatten_func(func, true)
    };
    let args = (0..lower.params.len()).map(|i| format!("arg{i}")).collect();
    AdapterSides {
        plan,
        caller: Side {
            mem: emit.mem_cx_of(caller),
            instance: caller.instance.0,
        },
        callee: Side {
            mem: emit.mem_cx_of(&callee.options),
            instance: callee.options.instance.0,
        },
        lift: plan.types.flatten_func(func, false),
        lower,
        args,
    }
}

/// Whether a call of `func` moves handles (and so needs a call context).
fn needs_cx(plan: &weft_core::Plan, func: &FuncType) -> bool {
    func.params
        .iter()
        .map(|p| p.1)
        .chain(func.result)
        .any(|t| plan.types.has_handles(t))
}

/// What `call_sync` leaves: the caller's result value (when returned, not stored) and
/// the callee's core results (post-return's arguments).
type SyncCall = (Option<Box<Expr>>, Vec<Box<Expr>>);

/// The middle of a sync adapter: moves the parameters to the callee, calls it (`call`
/// builds the call from the callee's core arguments) and moves the result back.
fn call_sync(
    g: &mut FnGen<'_, '_>,
    a: &AdapterSides<'_>,
    func: &FuncType,
    call: impl FnOnce(Vec<Box<Expr>>) -> Box<Expr>,
) -> Result<SyncCall> {
    let params: Vec<ValType> = func.params.iter().map(|p| p.1).collect();
    let call_args = params_to_callee(g, a, &params)?;
    let core_ret = g.tmp("ret");
    g.stmts.push(const_(&core_ret, call(call_args)));
    let Some(t) = func.result else {
        return Ok((None, Vec::new()));
    };
    let r = result_to_caller(
        g,
        a,
        t,
        vec![id(&core_ret)],
        &a.lift.results,
        a.lift.results_spilled,
    )?;
    Ok((r, vec![id(&core_ret)]))
}

/// Builds the trampoline for a lifted function lowered into another instance.
pub fn adapter_fn(
    emit: &mut Emit<'_>,
    name: &str,
    callee: &Lifted,
    caller: &CanonOptions,
) -> Result<Stmt> {
    let plan = emit.plan;
    let func: FuncType = plan.types.func(callee.ty).clone();
    if func.is_async {
        bail!(
            "unsupported: calling the async function `{name}` between components (component-model async)"
        );
    }
    let a = sides(emit, callee, caller, &func);
    let core = emit.core_def(&callee.func);
    let post = callee
        .options
        .post_return
        .as_ref()
        .map(|p| emit.core_def(p));
    let cx = needs_cx(plan, &func);
    let mut g = FnGen::new(emit, None, caller.instance.0);
    let mut body = crate::module::call_prologue(&mut g, cx);
    let (r, rets) = call_sync(&mut g, &a, &func, |args| call_id(&core, args))?;
    if let Some(p) = &post {
        g.stmts.push(expr_stmt(call_id(p, rets)));
    }
    if cx {
        g.emit.runtime("endCall");
        g.stmts.push(expr_stmt(call_id("endCall", vec![id("cx")])));
    }
    if let Some(r) = r {
        g.stmts.push(ret(Some(r)));
    }
    let inner = std::mem::take(&mut g.stmts);
    body.push(try_catch(
        inner,
        "e",
        vec![assign("poisoned", bool_(true)), throw(id("e"))],
    ));
    Ok(fn_decl(name, &a.args, body))
}

/// Builds the linked twin of an import trampoline (`link.rs`): the caller's side is the
/// import's lowering options, the callee is the export described by `link` at run time
/// (its core function, memory, realloc, post-return and encoding). Moves values as
/// `adapter_fn` does; a trap on the way poisons the callee's instance.
pub fn linked_fn(
    emit: &mut Emit<'_>,
    name: &str,
    func: &FuncType,
    caller: &CanonOptions,
    link: &LinkVars,
) -> Result<Stmt> {
    let plan = emit.plan;
    let lift = plan.types.flatten_func(func, false);
    let needs_memory = lift.params_spilled
        || lift.results_spilled
        || func
            .params
            .iter()
            .map(|p| p.1)
            .chain(func.result)
            .any(|t| plan.types.needs_memory(t));
    let callee_mem = needs_memory.then(|| MemCx {
        memory: link.memory.clone(),
        view: emit.view_fn(&link.memory),
        realloc: Some(link.realloc.clone()),
        encoding: StringEncoding::Utf8,
        encoding_var: Some(link.enc.clone()),
    });
    let lower = plan.types.flatten_func(func, true);
    let a = AdapterSides {
        plan,
        caller: Side {
            mem: emit.mem_cx_of(caller),
            instance: caller.instance.0,
        },
        callee: Side {
            mem: callee_mem,
            instance: caller.instance.0,
        },
        args: (0..lower.params.len()).map(|i| format!("arg{i}")).collect(),
        lift,
        lower,
    };
    let d = || id(&link.desc);
    let mut g = FnGen::new(emit, None, caller.instance.0);
    g.emit.runtime("trap");
    let body = vec![if_(
        call(member(d(), "poisoned"), vec![]),
        vec![expr_stmt(call_id(
            "trap",
            vec![str_("cannot enter component instance: it trapped earlier")],
        ))],
        None,
    )];
    let (r, rets) = call_sync(&mut g, &a, func, |args| method(d(), "core", args))?;
    g.stmts.push(if_(
        bin(member(d(), "post"), BinaryOp::NotEqEq, undefined()),
        vec![expr_stmt(method(d(), "post", rets))],
        None,
    ));
    if let Some(r) = r {
        g.stmts.push(ret(Some(r)));
    }
    let inner = std::mem::take(&mut g.stmts);
    let mut body = body;
    body.push(try_catch(
        inner,
        "e",
        vec![expr_stmt(method(d(), "poison", vec![])), throw(id("e"))],
    ));
    Ok(fn_decl(name, &a.args, body))
}

/// Builds the trampoline for a lifted function lowered into another instance when the
/// component uses async: the call goes through a subtask and a task (`canon lower` of
/// `canon lift`), and values still move memory to memory: parameters when the callee
/// starts, results when it returns (`task.return`, or the core return of a sync lift).
pub fn async_adapter_fn(
    emit: &mut Emit<'_>,
    name: &str,
    callee: &Lifted,
    caller: &CanonOptions,
) -> Result<Stmt> {
    let plan = emit.plan;
    let func: FuncType = plan.types.func(callee.ty).clone();
    let a = sides(emit, callee, caller, &func);
    let lift = crate::concurrency::lift_expr(emit, callee);
    let caller_ai = emit.async_instance(caller.instance.0);
    let cx = needs_cx(plan, &func);
    let mut g = FnGen::new(emit, None, caller.instance.0);
    let mut body = crate::module::call_prologue(&mut g, cx);
    // onStart: parameters, caller → callee.
    let params: Vec<ValType> = func.params.iter().map(|p| p.1).collect();
    let (mut start_body, call_args) = g.scoped(|g| params_to_callee(g, &a, &params))?;
    start_body.push(ret(Some(array(call_args))));
    // onResolve: results, callee → caller, from `task.return`'s arguments (async lift)
    // or the core result (sync lift).
    let (resolve_body, ()) = g.scoped(|g| {
        let Some(t) = func.result else {
            return Ok(());
        };
        let (flats, spilled) = if callee.options.is_async {
            plan.types.flatten_task_return(Some(t))
        } else {
            (a.lift.results.clone(), a.lift.results_spilled)
        };
        let vals = (0..flats.len())
            .map(|i| index(id("flat"), num(i as f64)))
            .collect();
        if let Some(r) = result_to_caller(g, &a, t, vals, &flats, spilled)? {
            g.stmts.push(ret(Some(r)));
        }
        Ok(())
    })?;
    let cx = if cx { id("cx") } else { null() };
    g.emit.runtime("canonLift");
    let callee_fn = arrow(
        &["s".into(), "r".into()],
        call_id("canonLift", vec![lift, id("s"), id("r"), cx.clone()]),
    );
    let mut lower_args = vec![
        id(&caller_ai),
        callee_fn,
        fn_expr(&[], start_body),
        fn_expr(&["flat".into()], resolve_body),
        cx,
    ];
    let lower = if caller.is_async {
        "canonLowerAsync"
    } else {
        lower_args.push(str_(name));
        "canonLowerSync"
    };
    g.emit.runtime(lower);
    body.push(ret(Some(call_id(lower, lower_args))));
    Ok(fn_decl(name, &a.args, body))
}
