//! Lifting: flat core values into JS values (`lift_flat`) and linear memory into JS
//! values (`load`), with the checks that trap on what a guest must not produce.

use anyhow::Result;
use swc_ecma_ast::{BinaryOp, Expr};
use weft_core::abi::{Addr, Flat, Width, discriminant, flags_width, variant_cases};
use weft_core::plan::StringEncoding;
use weft_core::types::{ResourceIdx, TypeDef, TypeId, ValType};

use super::{FlatIter, FnGen, end_info, map_entry};
use crate::ast::*;
use crate::binding::typed_array;

impl FnGen<'_, '_> {
    /// A guest's readable stream/future end (handle `h`) as a JS value.
    fn lift_end(&mut self, tid: TypeId, h: Box<Expr>) -> Box<Expr> {
        let info = end_info(self.types(), tid);
        let ai = self.async_inst();
        let end = call(
            self.rt("liftEnd"),
            vec![ai, h, num(f64::from(tid.0)), bool_(info.stream)],
        );
        if self.raw_ends {
            return end;
        }
        match (info.stream, self.binding.jco_ends()) {
            (true, false) => call(self.rt("streamToJs"), vec![end, bool_(info.bytes)]),
            (false, false) => call(self.rt("futureToJs"), vec![end]),
            (true, true) => new_(self.rt("JcoStream"), vec![end, bool_(info.bytes)]),
            (false, true) => new_(self.rt("JcoFuture"), vec![end]),
        }
    }

    // ---------------------------------------------------------------- lift (flat → JS)

    /// Lifts flat values (consumed from `vals`, with their core types) into a JS value.
    pub fn lift_flat(&mut self, ty: ValType, vals: &mut FlatIter) -> Result<Box<Expr>> {
        Ok(match ty {
            ValType::Bool => bin(vals.next(Flat::I32)?, BinaryOp::NotEqEq, num(0.0)),
            ValType::U8 => bin(vals.next(Flat::I32)?, BinaryOp::BitAnd, num(255.0)),
            ValType::S8 => bin(
                bin(vals.next(Flat::I32)?, BinaryOp::LShift, num(24.0)),
                BinaryOp::RShift,
                num(24.0),
            ),
            ValType::U16 => bin(vals.next(Flat::I32)?, BinaryOp::BitAnd, num(65535.0)),
            ValType::S16 => bin(
                bin(vals.next(Flat::I32)?, BinaryOp::LShift, num(16.0)),
                BinaryOp::RShift,
                num(16.0),
            ),
            ValType::S32 => vals.next(Flat::I32)?,
            ValType::U32 => bin(vals.next(Flat::I32)?, BinaryOp::ZeroFillRShift, num(0.0)),
            ValType::S64 if self.binding.wide_ints_as_numbers() => {
                call(id("Number"), vec![vals.next(Flat::I64)?])
            }
            ValType::U64 if self.binding.wide_ints_as_numbers() => call(
                id("Number"),
                vec![call(
                    member(id("BigInt"), "asUintN"),
                    vec![num(64.0), vals.next(Flat::I64)?],
                )],
            ),
            ValType::S64 => vals.next(Flat::I64)?,
            ValType::U64 => call(
                member(id("BigInt"), "asUintN"),
                vec![num(64.0), vals.next(Flat::I64)?],
            ),
            ValType::F32 => vals.next(Flat::F32)?,
            ValType::F64 => vals.next(Flat::F64)?,
            ValType::Char => {
                let c = vals.next(Flat::I32)?;
                call(self.rt("liftChar"), vec![c])
            }
            ValType::String => {
                let p = vals.next(self.addr().flat())?;
                let l = vals.next(self.addr().flat())?;
                self.lift_string(p, l)?
            }
            ValType::ErrorContext => {
                let h = vals.next(Flat::I32)?;
                let ai = self.async_inst();
                call(self.rt("liftErrorContext"), vec![ai, h])
            }
            ValType::Defined(tid) => {
                let def = self.types().def(tid).clone();
                match def {
                    TypeDef::List(t) => {
                        let p = vals.next(self.addr().flat())?;
                        let l = vals.next(self.addr().flat())?;
                        self.lift_list(t, p, l)?
                    }
                    TypeDef::Map(k, v) => {
                        let p = vals.next(self.addr().flat())?;
                        let l = vals.next(self.addr().flat())?;
                        self.lift_map(k, v, p, l)?
                    }
                    TypeDef::FixedList(t, n) => {
                        let mut elems = Vec::new();
                        for _ in 0..n {
                            let e = self.lift_flat(t, vals)?;
                            elems.push(self.bind(e));
                        }
                        self.fixed_list_value(t, elems)
                    }
                    TypeDef::Record(fields) => {
                        let mut props = Vec::new();
                        for (name, t) in fields {
                            let e = self.lift_flat(t, vals)?;
                            props.push((self.field(&name), self.bind(e)));
                        }
                        object(props)
                    }
                    TypeDef::Tuple(ts) => {
                        let mut elems = Vec::new();
                        for t in ts {
                            let e = self.lift_flat(t, vals)?;
                            elems.push(self.bind(e));
                        }
                        array(elems)
                    }
                    TypeDef::Flags(names) => {
                        let bits = vals.next(Flat::I32)?;
                        let bits = self.bind(bits);
                        self.lift_flags(&names, bits)
                    }
                    TypeDef::Own(r) => {
                        let h = vals.next(Flat::I32)?;
                        self.lift_own(r, h)?
                    }
                    TypeDef::Borrow(r) => {
                        let h = vals.next(Flat::I32)?;
                        self.lift_borrow(r, h)?
                    }
                    TypeDef::Future(_) | TypeDef::Stream(_) => {
                        let h = vals.next(Flat::I32)?;
                        self.lift_end(tid, h)
                    }
                    def => {
                        let d = vals.next(Flat::I32)?;
                        let d = self.bind(d);
                        let joined = self.types().variant_payload_flat(&def, self.addr());
                        let mut slots: Vec<(Box<Expr>, Flat)> = Vec::new();
                        for f in &joined {
                            slots.push((vals.next(*f)?, *f));
                        }
                        let slots: Vec<(Box<Expr>, Flat)> =
                            slots.into_iter().map(|(e, f)| (self.bind(e), f)).collect();
                        self.lift_variant(&def, d, |g, t| {
                            let have = g.flatten(t);
                            let mut coerced = Vec::new();
                            for ((e, want), h) in slots.iter().zip(have.iter()) {
                                coerced.push((coerce_lift(g, e.clone(), *want, *h), *h));
                            }
                            let mut it = FlatIter::new(coerced);
                            g.lift_flat(t, &mut it)
                        })?
                    }
                }
            }
        })
    }

    /// The (pointer, length) pair of a string or list at `addr + offset`: the pointer
    /// bound to a name, the length as a read to bind or use once.
    fn load_ptr_len(&mut self, addr: &Expr, offset: u32) -> Result<(Box<Expr>, Box<Expr>)> {
        let (get, _) = self.addr_accessors();
        let size = self.addr().size();
        let view = self.view()?;
        let p = method(view, get, vec![plus(addr, offset), bool_(true)]);
        let p = self.bind(p);
        let view = self.view()?;
        let l = method(view, get, vec![plus(addr, offset + size), bool_(true)]);
        Ok((p, l))
    }

    fn lift_flags(&mut self, names: &[String], bits: Box<Expr>) -> Box<Expr> {
        let props = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let bit = if i == 31 {
                    -2147483648.0
                } else {
                    f64::from(1u32 << i)
                };
                (
                    self.field(n),
                    bin(
                        bin(bits.clone(), BinaryOp::BitAnd, num(bit)),
                        BinaryOp::NotEqEq,
                        num(0.0),
                    ),
                )
            })
            .collect();
        object(props)
    }

    /// Builds the JS value of a variant-like type from discriminant `d`; `payload`
    /// produces the JS value of a case's payload (in the case's own statements).
    fn lift_variant(
        &mut self,
        def: &TypeDef,
        d: Box<Expr>,
        mut payload: impl FnMut(&mut Self, ValType) -> Result<Box<Expr>>,
    ) -> Result<Box<Expr>> {
        let cases = variant_cases(def).expect("variant-like");
        if let TypeDef::Enum(names) = def {
            return Ok(self.lift_enum(names, d));
        }
        let r = self.tmp("r");
        self.stmts.push(let_(&r, None));
        let key = self.tag_key();
        let mut arms = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let (mut body, value) = self.scoped(|g| match case {
                Some(t) => Ok(Some(payload(g, *t)?)),
                None => Ok(None),
            })?;
            let result = match def {
                TypeDef::Enum(names) => str_(&self.enum_case(&names[i])),
                // A bare variant (a WebIDL union): the payload, or for a case without
                // one what its name says (`null`, else `undefined`).
                TypeDef::Variant(cs) if self.binding.bare_variants() => match value {
                    // `any`'s `bigint` case is a BigInt whatever the binding's integers.
                    Some(v) if cs[i].0 == "bigint" => call(id("BigInt"), vec![v]),
                    Some(v) => v,
                    None if cs[i].0 == "null" => null(),
                    None => undefined(),
                },
                TypeDef::Option(t) if self.option_is_nullable(*t) => match value {
                    Some(v) => v,
                    None => self.binding.none(),
                },
                _ => {
                    let tag = match def {
                        TypeDef::Variant(cs) => cs[i].0.clone(),
                        TypeDef::Option(_) => ["none", "some"][i].to_string(),
                        TypeDef::Result { .. } => ["ok", "err"][i].to_string(),
                        _ => unreachable!("variant-like"),
                    };
                    let mut props = vec![("tag".to_string(), str_(&tag))];
                    if let Some(v) = value {
                        props.push((key.to_string(), v));
                    } else if self.binding.unit_result_payload()
                        && matches!(def, TypeDef::Result { .. })
                    {
                        props.push((key.to_string(), undefined()));
                    }
                    object(props)
                }
            };
            body.push(assign(&r, result));
            body.push(break_());
            arms.push((Some(num(i as f64)), body));
        }
        let t = self.trap(bin(
            str_("invalid discriminant: "),
            BinaryOp::Add,
            d.clone(),
        ));
        arms.push((None, vec![t]));
        self.stmts.push(switch(d, arms));
        Ok(id(&r))
    }

    /// Case `d` of an enum from the module's table of its cases (`enumN[d]`); a
    /// discriminant past the last case traps.
    fn lift_enum(&mut self, names: &[String], d: Box<Expr>) -> Box<Expr> {
        let table = self.enum_table(names);
        let r = self.tmp("r");
        self.stmts.push(const_(&r, index(id(&table), d.clone())));
        let t = self.trap(bin(str_("invalid discriminant: "), BinaryOp::Add, d));
        let unknown = bin(id(&r), BinaryOp::EqEqEq, undefined());
        self.stmts.push(if_(unknown, vec![t], None));
        id(&r)
    }

    fn lift_string(&mut self, p: Box<Expr>, l: Box<Expr>) -> Result<Box<Expr>> {
        let m = self.mem()?;
        let f = match m.encoding {
            StringEncoding::Utf8 => "liftUtf8",
            StringEncoding::Utf16 => "liftUtf16",
            StringEncoding::CompactUtf16 => "liftCompactUtf16",
        };
        let f = self.rt(f);
        // The string helpers take a 64-bit memory's pointer as a Number and its length
        // in the 32-bit tagged form (`taggedNum`).
        let (p, l) = match m.addr {
            Addr::I32 => (p, l),
            Addr::I64 => (self.addr_in(p), call(self.rt("taggedNum"), vec![l])),
        };
        let s = self.tmp("s");
        self.stmts
            .push(const_(&s, call(f, vec![id(&m.memory), p, l])));
        Ok(id(&s))
    }

    fn lift_list(&mut self, t: ValType, p: Box<Expr>, l: Box<Expr>) -> Result<Box<Expr>> {
        let m = self.mem()?;
        let el = self.layout(t);
        let p = self.addr_in(p);
        let p = self.bind(p);
        let n = self.tmp("n");
        let l = self.addr_in(l);
        self.stmts.push(const_(&n, l));
        let bytes = bin(id(&n), BinaryOp::Mul, num(f64::from(el.size)));
        let bytes = self.bind(bytes);
        // `load_list_from_range`: the length, then the alignment and the bounds.
        let max = f64::from(weft_core::abi::MAX_BYTE_LENGTH);
        let too_long = self.trap(str_("list is too long for the canonical ABI"));
        self.stmts.push(if_(
            bin(bytes.clone(), BinaryOp::Gt, num(max)),
            vec![too_long],
            None,
        ));
        self.check_ptr(&p, el.align, bytes.clone(), &m.memory, "list pointer");
        if let Some(ta) = typed_array(t) {
            let src = new_(id(ta), vec![member(id(&m.memory), "buffer"), p, id(&n)]);
            return Ok(method(src, "slice", vec![]));
        }
        let out = self.tmp("a");
        self.stmts
            .push(const_(&out, new_(id("Array"), vec![id(&n)])));
        // Lifting reads memory and calls no wasm: one view serves the whole loop.
        self.for_each_element(&p, el.size, &id(&n), true, |g, i, addr| {
            let v = g.load(t, addr, 0)?;
            g.stmts.push(expr_stmt(assign_index(&out, id(i), v)));
            Ok(())
        })?;
        Ok(id(&out))
    }

    fn lift_map(
        &mut self,
        k: ValType,
        v: ValType,
        p: Box<Expr>,
        l: Box<Expr>,
    ) -> Result<Box<Expr>> {
        let tuple = map_entry(self.types(), k, v)?;
        let entries = self.lift_list(tuple, p, l)?;
        Ok(new_(id("Map"), vec![entries]))
    }

    fn fixed_list_value(&mut self, t: ValType, elems: Vec<Box<Expr>>) -> Box<Expr> {
        let typed = typed_array(t).filter(|_| self.binding.typed_fixed_lists());
        match typed {
            Some(ta) => call(member(id(ta), "of"), elems),
            None => array(elems),
        }
    }

    // ---------------------------------------------------------------- load (memory → JS)

    /// Loads a JS value of type `ty` from `addr + offset`.
    pub fn load(&mut self, ty: ValType, addr: Box<Expr>, offset: u32) -> Result<Box<Expr>> {
        if self.outlined(ty) {
            return self.load_outlined(ty, plus(&addr, offset));
        }
        self.load_inline(ty, addr, offset)
    }

    /// [`Self::load`], spelled out here.
    pub(super) fn load_inline(
        &mut self,
        ty: ValType,
        addr: Box<Expr>,
        offset: u32,
    ) -> Result<Box<Expr>> {
        let at = plus(&addr, offset);
        let get = |g: &mut Self, m: &str| -> Result<Box<Expr>> {
            let view = g.view()?;
            let mut a = vec![at.clone()];
            if !matches!(m, "getUint8" | "getInt8") {
                a.push(bool_(true));
            }
            Ok(method(view, m, a))
        };
        Ok(match ty {
            ValType::Bool => bin(get(self, "getUint8")?, BinaryOp::NotEqEq, num(0.0)),
            ValType::U8 => get(self, "getUint8")?,
            ValType::S8 => get(self, "getInt8")?,
            ValType::U16 => get(self, "getUint16")?,
            ValType::S16 => get(self, "getInt16")?,
            ValType::U32 => get(self, "getUint32")?,
            ValType::S32 => get(self, "getInt32")?,
            ValType::U64 if self.binding.wide_ints_as_numbers() => {
                call(id("Number"), vec![get(self, "getBigUint64")?])
            }
            ValType::S64 if self.binding.wide_ints_as_numbers() => {
                call(id("Number"), vec![get(self, "getBigInt64")?])
            }
            ValType::U64 => get(self, "getBigUint64")?,
            ValType::S64 => get(self, "getBigInt64")?,
            ValType::F32 => get(self, "getFloat32")?,
            ValType::F64 => get(self, "getFloat64")?,
            ValType::Char => {
                let c = get(self, "getUint32")?;
                call(self.rt("liftChar"), vec![c])
            }
            ValType::String => {
                let (p, l) = self.load_ptr_len(&addr, offset)?;
                self.lift_string(p, l)?
            }
            ValType::ErrorContext => {
                let h = get(self, "getUint32")?;
                let h = self.bind(h);
                let mut it = FlatIter::new(vec![(h, Flat::I32)]);
                self.lift_flat(ty, &mut it)?
            }
            ValType::Defined(tid) => {
                let def = self.types().def(tid).clone();
                match def {
                    TypeDef::List(_) | TypeDef::Map(..) => {
                        let (p, l) = self.load_ptr_len(&addr, offset)?;
                        let l = self.bind(l);
                        let f = self.addr().flat();
                        let mut it = FlatIter::new(vec![(p, f), (l, f)]);
                        self.lift_flat(ty, &mut it)?
                    }
                    TypeDef::FixedList(t, n) => {
                        let size = self.layout(t).size;
                        let mut elems = Vec::new();
                        for i in 0..n {
                            let e = self.load(t, addr.clone(), offset + i * size)?;
                            elems.push(self.bind(e));
                        }
                        self.fixed_list_value(t, elems)
                    }
                    TypeDef::Record(fields) => {
                        let offs = self
                            .types()
                            .field_offsets(fields.iter().map(|f| f.1), self.addr());
                        let mut props = Vec::new();
                        for ((name, t), o) in fields.into_iter().zip(offs) {
                            let e = self.load(t, addr.clone(), offset + o)?;
                            props.push((self.field(&name), self.bind(e)));
                        }
                        object(props)
                    }
                    TypeDef::Tuple(ts) => {
                        let offs = self.types().field_offsets(ts.iter().copied(), self.addr());
                        let mut elems = Vec::new();
                        for (t, o) in ts.into_iter().zip(offs) {
                            let e = self.load(t, addr.clone(), offset + o)?;
                            elems.push(self.bind(e));
                        }
                        array(elems)
                    }
                    TypeDef::Flags(names) => {
                        let m = match flags_width(names.len()) {
                            Width::U8 => "getUint8",
                            Width::U16 => "getUint16",
                            Width::U32 => "getUint32",
                        };
                        let bits = get(self, m)?;
                        let bits = self.bind(bits);
                        self.lift_flags(&names, bits)
                    }
                    TypeDef::Own(_)
                    | TypeDef::Borrow(_)
                    | TypeDef::Future(_)
                    | TypeDef::Stream(_) => {
                        let h = get(self, "getUint32")?;
                        let h = self.bind(h);
                        let mut it = FlatIter::new(vec![(h, Flat::I32)]);
                        self.lift_flat(ty, &mut it)?
                    }
                    def => {
                        let cases = variant_cases(&def).expect("variant-like");
                        let m = match discriminant(cases.len()) {
                            Width::U8 => "getUint8",
                            Width::U16 => "getUint16",
                            Width::U32 => "getUint32",
                        };
                        let d = get(self, m)?;
                        let d = self.bind(d);
                        let poff = self.types().payload_offset(&def, self.addr());
                        self.lift_variant(&def, d, |g, t| g.load(t, addr.clone(), offset + poff))?
                    }
                }
            }
        })
    }

    fn lift_own(&mut self, r: ResourceIdx, h: Box<Expr>) -> Result<Box<Expr>> {
        let rep = if self.emit.facts.core_handles {
            let (f, ty) = self.emit.core_table_fn(self.instance, r, |t| &t.lift_own)?;
            call_id(&f, vec![h, ty])
        } else {
            let rt = id(&self.emit.resource_type(r));
            let table = self.table(self.instance);
            call(self.rt("liftOwn"), vec![table, h, rt])
        };
        let rep = self.bind(rep);
        Ok(self.emit.wrap_own(r, rep))
    }

    fn lift_borrow(&mut self, r: ResourceIdx, h: Box<Expr>) -> Result<Box<Expr>> {
        let rep = if self.emit.facts.core_handles {
            let (f, ty) = self
                .emit
                .core_table_fn(self.instance, r, |t| &t.lift_borrow)?;
            call_id(&f, vec![h, ty, crate::emit::core_scope()])
        } else {
            let rt = id(&self.emit.resource_type(r));
            let table = self.table(self.instance);
            call(self.rt("liftBorrow"), vec![table, h, rt, id("cx")])
        };
        let rep = self.bind(rep);
        Ok(self.emit.wrap_borrow(r, rep))
    }
}

/// `a[i] = v` as an expression.
fn assign_index(arr: &str, i: Box<Expr>, v: Box<Expr>) -> Box<Expr> {
    use swc_ecma_ast::{AssignExpr, AssignOp, SimpleAssignTarget};
    let Expr::Member(m) = *index(id(arr), i) else {
        unreachable!("index() builds a member expression")
    };
    Box::new(Expr::Assign(AssignExpr {
        span: swc_common::DUMMY_SP,
        op: AssignOp::Assign,
        left: SimpleAssignTarget::Member(m).into(),
        right: v,
    }))
}

/// Converts a joined slot back into a case's flat type (`lift_flat_variant`).
pub fn coerce_lift(g: &mut FnGen<'_, '_>, v: Box<Expr>, have: Flat, want: Flat) -> Box<Expr> {
    let wrap = |v| {
        call(
            id("Number"),
            vec![call(member(id("BigInt"), "asIntN"), vec![num(32.0), v])],
        )
    };
    match (have, want) {
        (Flat::I32, Flat::F32) => call(g.rt("i32ToF32"), vec![v]),
        (Flat::I64, Flat::I32) => wrap(v),
        (Flat::I64, Flat::F32) => call(g.rt("i32ToF32"), vec![wrap(v)]),
        (Flat::I64, Flat::F64) => call(g.rt("i64ToF64"), vec![v]),
        _ => v,
    }
}
