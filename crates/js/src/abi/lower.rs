//! Lowering: JS values into flat core values (`lower_flat`) and into linear memory
//! (`store`). The values are checked first (`check.rs`): `lower_flat` and `store` check
//! the one value they lower, `lower_flat_valid` and `store_valid` lower a value the
//! caller checked (with the other values of its call). The lowering itself stays
//! memory-safe whatever it reads (a getter may answer differently the second time): it
//! allocates from lengths it read itself, made array lengths with `>>> 0` and bounded.

use anyhow::Result;
use swc_ecma_ast::{BinaryOp, Expr};
use weft_core::abi::{Addr, Flat, Width, discriminant, flags_width, variant_cases};
use weft_core::bug;
use weft_core::plan::StringEncoding;
use weft_core::types::{ResourceIdx, TypeDef, TypeId, ValType};

use super::{FnGen, HandleCx, Path, end_info, expr_key, map_entry};
use crate::ast::*;
use crate::binding::typed_array;

impl FnGen<'_, '_> {
    /// A JS value as a readable stream/future end handed to this instance. The items of
    /// a stream, or the value of a future, are checked when they arrive (`end_check`).
    fn lower_end(&mut self, tid: TypeId, v: Box<Expr>) -> Result<Box<Expr>> {
        let info = end_info(self.types(), tid);
        let whole = match &self.lowering {
            Some((key, path)) if expr_key(&v).as_ref() == Some(key) => path.clone(),
            Some((_, path)) => format!("{path} …"),
            None => "value".into(),
        };
        // jco's sources yield one element per item, `stream<u8>` included.
        let jco = self.binding.jco_ends();
        let bytes = info.bytes && !jco;
        let check = self.end_check(info.elem, info.stream, bytes, &whole)?;
        let mut args = vec![
            v,
            num(f64::from(tid.0)),
            bool_(info.plain),
            bool_(bytes),
            bool_(info.stream),
            check,
        ];
        if jco && info.stream {
            args.push(bool_(true));
        }
        // jco: a rejected promise for a `future<result<…>>` is its `err`.
        if let Some(t) = info
            .elem
            .filter(|t| jco && !info.stream && self.emit.facts.is_result(*t))
        {
            let payload = self.rt(self.err_payload(t));
            args.extend([bool_(false), call(self.rt("jcoRejectedAs"), vec![payload])]);
        }
        let end = call(self.rt("toEnd"), args);
        let ai = self.async_inst();
        Ok(call(self.rt("lowerEnd"), vec![ai, end]))
    }

    /// The checks of the one value `v` a `lower_flat` or `store` lowers: a host import's
    /// result (`result_label`), else a value named `value`.
    fn check_one(&mut self, ty: ValType, v: &Box<Expr>) -> Result<()> {
        match self.result_label.clone() {
            Some(label) => {
                self.check_result(ty, v.clone(), &label)?;
                self.lowering = expr_key(v).map(|k| (k, format!("result of {label}")));
            }
            None => {
                self.check_all(&[(ty, v.clone(), Path::root("value"))])?;
                self.lowering = expr_key(v).map(|k| (k, "value".to_string()));
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------- lower (JS → flat)

    /// Checks JS value `v` of type `ty` and lowers it to flat core values.
    pub fn lower_flat(&mut self, ty: ValType, v: Box<Expr>) -> Result<Vec<Box<Expr>>> {
        let v = self.bind(v);
        self.check_one(ty, &v)?;
        self.lower_flat_valid(ty, v)
    }

    /// Lowers JS value `v` of type `ty`, which the caller checked, to flat core values.
    pub fn lower_flat_valid(&mut self, ty: ValType, v: Box<Expr>) -> Result<Vec<Box<Expr>>> {
        let v = self.bind(v);
        Ok(match ty {
            ValType::Bool => vec![cond(v, num(1.0), num(0.0))],
            // In range, as `ToUint8` … `ToInt16` make them (what a store does); a 32-bit
            // one is wrapped by the core call (`ToInt32`).
            ValType::U8 => vec![bin(v, BinaryOp::BitAnd, num(255.0))],
            ValType::U16 => vec![bin(v, BinaryOp::BitAnd, num(65535.0))],
            ValType::S8 | ValType::S16 => {
                let shift = num(if ty == ValType::S8 { 24.0 } else { 16.0 });
                let up = bin(v, BinaryOp::LShift, shift.clone());
                vec![bin(up, BinaryOp::RShift, shift)]
            }
            ValType::S32 | ValType::U32 => vec![v],
            // `Binding::u64_from_numbers` lets a 64-bit integer be a Number too.
            ValType::S64 | ValType::U64 if self.binding.u64_from_numbers() => {
                vec![call(id("BigInt"), vec![v])]
            }
            ValType::S64 | ValType::U64 | ValType::F32 | ValType::F64 => vec![v],
            ValType::Char => vec![call(self.rt("lowerChar"), vec![v])],
            ValType::String => {
                let (p, l) = self.lower_string(v)?;
                let p = self.addr_out(p);
                vec![p, self.string_len_out(l)]
            }
            ValType::ErrorContext => {
                let ai = self.async_inst();
                vec![call(self.rt("lowerErrorContext"), vec![ai, v])]
            }
            ValType::Defined(tid) => match self.types().def(tid).clone() {
                TypeDef::List(t) => {
                    let (p, l) = self.lower_list(t, v)?;
                    vec![self.addr_out(p), self.addr_out(l)]
                }
                TypeDef::Map(k, val) => {
                    let (p, l) = self.lower_map(k, val, v)?;
                    vec![self.addr_out(p), self.addr_out(l)]
                }
                TypeDef::FixedList(t, n) => {
                    self.check_fixed(&v, n);
                    let mut out = Vec::new();
                    for i in 0..n {
                        out.extend(self.lower_flat_valid(t, index(v.clone(), num(f64::from(i))))?);
                    }
                    out
                }
                TypeDef::Record(fields) => {
                    let mut out = Vec::new();
                    for (name, t) in fields {
                        out.extend(
                            self.lower_flat_valid(t, member(v.clone(), &self.field(&name)))?,
                        );
                    }
                    out
                }
                TypeDef::Tuple(ts) => {
                    let mut out = Vec::new();
                    for (i, t) in ts.into_iter().enumerate() {
                        out.extend(self.lower_flat_valid(t, index(v.clone(), num(i as f64)))?);
                    }
                    out
                }
                TypeDef::Flags(names) => vec![self.lower_flags(&names, v)],
                TypeDef::Own(r) => vec![self.lower_own(r, v)?],
                TypeDef::Borrow(r) => vec![self.lower_borrow(r, v)?],
                TypeDef::Future(_) | TypeDef::Stream(_) => vec![self.lower_end(tid, v)?],
                def => self.lower_variant_flat(&def, v)?,
            },
        })
    }

    fn check_fixed(&mut self, v: &Box<Expr>, n: u32) {
        let bad = bin(
            member(v.clone(), "length"),
            BinaryOp::NotEqEq,
            num(f64::from(n)),
        );
        self.stmts.push(if_(
            bad,
            vec![Self::type_error(&format!(
                "expected a list of exactly {n} elements"
            ))],
            None,
        ));
    }

    fn lower_flags(&mut self, names: &[String], v: Box<Expr>) -> Box<Expr> {
        let mut e = num(0.0);
        for (i, n) in names.iter().enumerate() {
            let bit = if i == 31 {
                -2147483648.0
            } else {
                f64::from(1u32 << i)
            };
            let f = self.bind(member(v.clone(), &self.field(n)));
            let term = cond(f, num(bit), num(0.0));
            e = bin(e, BinaryOp::BitOr, term);
        }
        e
    }

    /// Decodes which case JS value `v` is: returns statements setting `d` (case index)
    /// and, per case, an expression for the payload.
    fn match_case(
        &mut self,
        def: &TypeDef,
        v: &Box<Expr>,
        d: &str,
    ) -> Result<Vec<Option<Box<Expr>>>> {
        let key = self.tag_key();
        match def {
            TypeDef::Enum(names) => {
                let table = self.enum_table(names);
                let index = call(
                    self.rt("enumIndex"),
                    vec![id(&format!("{table}Index")), v.clone()],
                );
                self.stmts.push(assign(d, index));
                Ok(vec![None; names.len()])
            }
            TypeDef::Option(t) if self.option_is_nullable(*t) => {
                let none = bin(v.clone(), BinaryOp::EqEq, null());
                self.stmts.push(assign(d, cond(none, num(0.0), num(1.0))));
                Ok(vec![None, Some(v.clone())])
            }
            TypeDef::Variant(cases) if self.binding.bare_variants() => {
                // `switch (true)`: the first case whose test the value passes.
                let mut arms = Vec::new();
                for (i, (name, t)) in self.bare_case_order(cases) {
                    let test = self.case_test(&name, t, v);
                    arms.push((Some(test), vec![assign(d, num(i as f64)), break_()]));
                }
                arms.push((
                    None,
                    vec![Self::type_error("a value of none of the union's types")],
                ));
                self.stmts.push(switch(bool_(true), arms));
                Ok(cases.iter().map(|c| c.1.map(|_| v.clone())).collect())
            }
            _ => {
                let names: Vec<String> = match def {
                    TypeDef::Variant(cases) => cases.iter().map(|c| c.0.clone()).collect(),
                    TypeDef::Option(_) => vec!["none".into(), "some".into()],
                    TypeDef::Result { .. } => vec!["ok".into(), "err".into()],
                    _ => unreachable!("variant-like"),
                };
                let result = matches!(def, TypeDef::Result { .. });
                let v = &if result && self.bare_ok_results() {
                    let normal = call(self.rt("jcoResult"), vec![v.clone()]);
                    self.bind(normal)
                } else {
                    v.clone()
                };
                let tag = self.bind(member(v.clone(), "tag"));
                if matches!(def, TypeDef::Variant(_)) && names.len() >= super::check::TAG_TABLE_MIN
                {
                    let table = self.emit.enum_table(&names);
                    let index = call(self.rt("tagIndex"), vec![id(&format!("{table}Index")), tag]);
                    self.stmts.push(assign(d, index));
                } else {
                    let mut cases = Vec::new();
                    for (i, n) in names.iter().enumerate() {
                        cases.push((Some(str_(n)), vec![assign(d, num(i as f64)), break_()]));
                    }
                    let invalid = call(self.rt("invalidTag"), vec![]);
                    cases.push((None, vec![expr_stmt(invalid)]));
                    self.stmts.push(switch(tag, cases));
                }
                let payload = member(v.clone(), key);
                let cases = variant_cases(def).expect("variant-like");
                Ok(cases.iter().map(|c| c.map(|_| payload.clone())).collect())
            }
        }
    }

    /// Whether `option<t>` uses the nullable shape (`null` for none) rather than tags.
    pub fn option_is_nullable(&self, t: ValType) -> bool {
        match t {
            ValType::Defined(id) => !matches!(self.types().def(id), TypeDef::Option(_)),
            _ => true,
        }
    }

    fn lower_variant_flat(&mut self, def: &TypeDef, v: Box<Expr>) -> Result<Vec<Box<Expr>>> {
        let joined = self.types().variant_payload_flat(def, self.addr());
        let d = self.tmp("d");
        self.stmts.push(let_(&d, Some(num(0.0))));
        let slots: Vec<String> = joined.iter().map(|_| self.tmp("s")).collect();
        for (s, f) in slots.iter().zip(&joined) {
            self.stmts.push(let_(s, Some(zero(*f))));
        }
        let payloads = self.match_case(def, &v, &d)?;
        let cases = variant_cases(def).expect("variant-like");
        let mut arms = Vec::new();
        for (i, (case, payload)) in cases.iter().zip(payloads).enumerate() {
            let Some(t) = case else { continue };
            let payload = payload.expect("payload for a case with a type");
            let (body, ()) = self.scoped(|g| {
                let have = g.flatten(*t);
                let vals = g.lower_flat_valid(*t, payload)?;
                for ((val, h), (slot, want)) in
                    vals.into_iter().zip(have).zip(slots.iter().zip(&joined))
                {
                    let coerced = coerce_lower(g, val, h, *want);
                    g.stmts.push(assign(slot, coerced));
                }
                Ok(())
            })?;
            let mut body = body;
            body.push(break_());
            arms.push((Some(num(i as f64)), body));
        }
        if !arms.is_empty() {
            self.stmts.push(switch(id(&d), arms));
        }
        let mut out = vec![id(&d)];
        out.extend(slots.iter().map(|s| id(s)));
        Ok(out)
    }

    fn lower_string(&mut self, v: Box<Expr>) -> Result<(Box<Expr>, Box<Expr>)> {
        let m = self.mem()?;
        let realloc = self.realloc()?;
        let f = match m.encoding {
            StringEncoding::Utf8 => "lowerUtf8",
            StringEncoding::Utf16 => "lowerUtf16",
            StringEncoding::CompactUtf16 => "lowerCompactUtf16",
        };
        let p = self.tmp("p");
        let l = self.tmp("l");
        let f = self.rt(f);
        self.stmts
            .push(const_(&p, call(f, vec![id(&m.memory), id(&realloc), v])));
        let lowered = self.rt("lowered");
        self.stmts.push(const_(&l, member(lowered, "len")));
        Ok((id(&p), id(&l)))
    }

    /// A string's length as `lower_string` left it (a byte or code-unit count, for
    /// `latin1+utf16` tagged with `1 << 31`) as the core value the guest takes: for a
    /// 64-bit memory a BigInt, tagged with `1 << 63` (`compactLenWide`; an untagged
    /// length is below `1 << 31` in every encoding).
    fn string_len_out(&mut self, l: Box<Expr>) -> Box<Expr> {
        match self.addr() {
            Addr::I32 => l,
            Addr::I64 => call(self.rt("compactLenWide"), vec![l]),
        }
    }

    fn lower_list(&mut self, t: ValType, v: Box<Expr>) -> Result<(Box<Expr>, Box<Expr>)> {
        let el = self.layout(t);
        // The length the checks read, or (in an element of a list, which the checks saw
        // in a loop of their own) the length read again, made an array length.
        let len = member(v.clone(), "length");
        let n = match self.checked_read(&len) {
            Some(n) => n,
            None => {
                let n = self.tmp("n");
                let len = bin(len, BinaryOp::ZeroFillRShift, num(0.0));
                self.stmts.push(const_(&n, len));
                id(&n)
            }
        };
        let bytes = bin(n.clone(), BinaryOp::Mul, num(f64::from(el.size)));
        let bytes = self.bind(bytes);
        let max = f64::from(weft_core::abi::MAX_BYTE_LENGTH);
        let too_long = throw(new_(
            id("RangeError"),
            vec![str_("list is too long for the canonical ABI")],
        ));
        self.stmts.push(if_(
            bin(bytes.clone(), BinaryOp::Gt, num(max)),
            vec![too_long],
            None,
        ));
        let p = self.alloc(bytes.clone(), el.align)?;
        if let Some(ta) = typed_array(t) {
            // Numbers: one bulk copy from the typed array, or from the `Array` of numbers
            // (the checks saw no other value, so `set` converts as the DataView setters
            // would, calling no `valueOf`). A view of the block bounds the writes
            // whatever `v` turned into since.
            let m = self.mem()?;
            let dst = new_(
                id(ta),
                vec![member(id(&m.memory), "buffer"), p.clone(), n.clone()],
            );
            // `Binding::u64_from_numbers` lets a 64-bit element be a Number too.
            let wide = matches!(t, ValType::U64 | ValType::S64);
            let src = if wide && self.binding.u64_from_numbers() {
                call(member(id("Array"), "from"), vec![v.clone(), id("BigInt")])
            } else {
                v.clone()
            };
            self.stmts.push(expr_stmt(method(dst, "set", vec![src])));
            return Ok((p, n));
        }
        // The element-by-element store loop.
        // Storing calls `realloc` (which may grow the memory) only for strings and lists.
        let hoist = !self.types().needs_realloc(t);
        self.for_each_element(&p, el.size, &n, hoist, |g, i, addr| {
            g.store_valid(t, index(v.clone(), id(i)), addr, 0)
        })?;
        Ok((p, n))
    }

    fn lower_map(
        &mut self,
        k: ValType,
        val: ValType,
        v: Box<Expr>,
    ) -> Result<(Box<Expr>, Box<Expr>)> {
        // A map is a list of (key, value) tuples: the entries the checks made, when
        // they are still in scope.
        let tuple = map_entry(self.types(), k, val)?;
        if let Some(entries) = self.checked_as(&v, "#entries") {
            return self.lower_list(tuple, entries);
        }
        let entries = self.tmp("e");
        let is_map = bin(v.clone(), BinaryOp::InstanceOf, id("Map"));
        let from = cond(
            is_map,
            call(member(id("Array"), "from"), vec![v.clone()]),
            call(member(id("Object"), "entries"), vec![v]),
        );
        self.stmts.push(const_(&entries, from));
        self.lower_list(tuple, id(&entries))
    }

    /// Checks and lowers the `result` of type `ty` a host import's call became without
    /// an object for it: `d` is its case (0 for what the host returned, 1 for what it
    /// threw) and `v` that case's payload (`host::catch_case`). Stored at `retptr`, or
    /// with neither case a payload, returned as the flat `d` (`None`).
    pub fn lower_made_result(
        &mut self,
        ty: ValType,
        d: &str,
        v: Box<Expr>,
        retptr: Option<Box<Expr>>,
        label: &str,
    ) -> Result<Option<Box<Expr>>> {
        let ValType::Defined(tid) = ty else {
            bug!("a made result of a type that is not a result")
        };
        let def = self.types().def(tid).clone();
        let TypeDef::Result { ok, err } = def else {
            bug!("a made result of a type that is not a result")
        };
        let roots = [
            format!("result of {label}"),
            format!("err payload of {label}"),
        ];
        let cases = [ok, err];
        let mut arms = Vec::new();
        for (i, (t, root)) in cases.iter().zip(&roots).enumerate() {
            let Some(t) = *t else { continue };
            let path = Path::root(root.clone());
            let (mut body, ()) = self.scoped(|g| g.check_all(&[(t, v.clone(), path)]))?;
            if !body.is_empty() {
                body.push(break_());
                arms.push((Some(num(i as f64)), body));
            }
        }
        if !arms.is_empty() {
            self.stmts.push(switch(id(d), arms));
        }
        let Some(retptr) = retptr else {
            if cases.iter().any(Option::is_some) {
                bug!("a flat result with a payload");
            }
            return Ok(Some(id(d)));
        };
        self.store_cases(&def, d, &retptr, 0, |g, i| {
            g.lowering = expr_key(&v).map(|k| (k, roots[i].clone()));
            v.clone()
        })?;
        Ok(None)
    }

    // ---------------------------------------------------------------- store (JS → memory)

    /// Checks JS value `v` of type `ty` and stores it at `addr + offset`.
    pub fn store(&mut self, ty: ValType, v: Box<Expr>, addr: Box<Expr>, offset: u32) -> Result<()> {
        let v = self.bind(v);
        self.check_one(ty, &v)?;
        self.store_valid(ty, v, addr, offset)
    }

    /// Stores JS value `v` of type `ty`, which the caller checked, at `addr + offset`.
    pub fn store_valid(
        &mut self,
        ty: ValType,
        v: Box<Expr>,
        addr: Box<Expr>,
        offset: u32,
    ) -> Result<()> {
        if self.outlined(ty) {
            return self.store_outlined(ty, v, plus(&addr, offset));
        }
        self.store_inline(ty, v, addr, offset)
    }

    /// [`Self::store_valid`], spelled out here.
    pub(super) fn store_inline(
        &mut self,
        ty: ValType,
        v: Box<Expr>,
        addr: Box<Expr>,
        offset: u32,
    ) -> Result<()> {
        let v = self.bind(v);
        let at = plus(&addr, offset);
        let set = |g: &mut Self, m: &str, val: Box<Expr>| -> Result<()> {
            let view = g.view()?;
            let mut a = vec![at.clone(), val];
            if !matches!(m, "setUint8" | "setInt8") {
                a.push(bool_(true));
            }
            g.stmts.push(expr_stmt(method(view, m, a)));
            Ok(())
        };
        match ty {
            ValType::Bool => set(self, "setUint8", cond(v, num(1.0), num(0.0)))?,
            ValType::S8 | ValType::U8 => set(self, "setUint8", v)?,
            ValType::S16 | ValType::U16 => set(self, "setUint16", v)?,
            ValType::S32 | ValType::U32 => set(self, "setUint32", v)?,
            ValType::S64 | ValType::U64 if self.binding.u64_from_numbers() => {
                let big = call(id("BigInt"), vec![v]);
                let wrapped = call(member(id("BigInt"), "asUintN"), vec![num(64.0), big]);
                set(self, "setBigUint64", wrapped)?;
            }
            ValType::S64 | ValType::U64 => set(
                self,
                "setBigUint64",
                call(member(id("BigInt"), "asUintN"), vec![num(64.0), v]),
            )?,
            ValType::F32 => set(self, "setFloat32", v)?,
            ValType::F64 => set(self, "setFloat64", v)?,
            ValType::Char => {
                let c = call(self.rt("lowerChar"), vec![v]);
                set(self, "setUint32", c)?;
            }
            ValType::String => {
                let flat = self.lower_flat_valid(ty, v)?;
                self.store_ptr_len(&addr, offset, flat[0].clone(), flat[1].clone())?;
            }
            ValType::ErrorContext => {
                let h = self.lower_flat_valid(ty, v)?;
                set(self, "setUint32", h[0].clone())?;
            }
            ValType::Defined(tid) => {
                let def = self.types().def(tid).clone();
                match def {
                    TypeDef::List(_) | TypeDef::Map(..) => {
                        let flat = self.lower_flat_valid(ty, v)?;
                        self.store_ptr_len(&addr, offset, flat[0].clone(), flat[1].clone())?;
                    }
                    TypeDef::FixedList(t, n) => {
                        self.check_fixed(&v, n);
                        let size = self.layout(t).size;
                        for i in 0..n {
                            self.store_valid(
                                t,
                                index(v.clone(), num(f64::from(i))),
                                addr.clone(),
                                offset + i * size,
                            )?;
                        }
                    }
                    TypeDef::Record(fields) => {
                        let offs = self
                            .types()
                            .field_offsets(fields.iter().map(|f| f.1), self.addr());
                        for ((name, t), o) in fields.into_iter().zip(offs) {
                            self.store_valid(
                                t,
                                member(v.clone(), &self.field(&name)),
                                addr.clone(),
                                offset + o,
                            )?;
                        }
                    }
                    TypeDef::Tuple(ts) => {
                        let offs = self.types().field_offsets(ts.iter().copied(), self.addr());
                        for (i, (t, o)) in ts.into_iter().zip(offs).enumerate() {
                            self.store_valid(
                                t,
                                index(v.clone(), num(i as f64)),
                                addr.clone(),
                                offset + o,
                            )?;
                        }
                    }
                    TypeDef::Flags(names) => {
                        let bits = self.lower_flags(&names, v);
                        let m = match flags_width(names.len()) {
                            Width::U8 => "setUint8",
                            Width::U16 => "setUint16",
                            Width::U32 => "setUint32",
                        };
                        set(self, m, bits)?;
                    }
                    TypeDef::Own(_)
                    | TypeDef::Borrow(_)
                    | TypeDef::Future(_)
                    | TypeDef::Stream(_) => {
                        let h = self.lower_flat_valid(ty, v)?;
                        set(self, "setUint32", h[0].clone())?;
                    }
                    def => {
                        let d = self.tmp("d");
                        self.stmts.push(let_(&d, Some(num(0.0))));
                        let payloads = self.match_case(&def, &v, &d)?;
                        self.store_cases(&def, &d, &addr, offset, |_, i| {
                            payloads[i].clone().expect("payload")
                        })?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Stores the case index in variable `d` of variant-like `def` at `addr + offset`,
    /// then, in a `switch (d)`, the payload of each case that has one: `payload(g, i)`
    /// is case `i`'s value (checked).
    fn store_cases(
        &mut self,
        def: &TypeDef,
        d: &str,
        addr: &Box<Expr>,
        offset: u32,
        mut payload: impl FnMut(&mut Self, usize) -> Box<Expr>,
    ) -> Result<()> {
        let cases = variant_cases(def).expect("variant-like");
        let mut args = vec![plus(addr, offset), id(d)];
        let set = match discriminant(cases.len()) {
            Width::U8 => "setUint8",
            Width::U16 => "setUint16",
            Width::U32 => "setUint32",
        };
        if set != "setUint8" {
            args.push(bool_(true));
        }
        let view = self.view()?;
        self.stmts.push(expr_stmt(method(view, set, args)));
        let poff = self.types().payload_offset(def, self.addr());
        let mut arms = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let Some(t) = case else { continue };
            let v = payload(self, i);
            let (mut body, ()) =
                self.scoped(|g| g.store_valid(*t, v, addr.clone(), offset + poff))?;
            body.push(break_());
            arms.push((Some(num(i as f64)), body));
        }
        if !arms.is_empty() {
            self.stmts.push(switch(id(d), arms));
        }
        Ok(())
    }

    fn lower_own(&mut self, r: ResourceIdx, v: Box<Expr>) -> Result<Box<Expr>> {
        let rep = self.emit.take_rep(r, v);
        let rep = self.bind(rep);
        if self.emit.facts.core_handles {
            let (f, ty) = self
                .emit
                .core_table_fn(self.instance, r, |t| &t.lower_own)?;
            return Ok(call_id(&f, vec![rep, ty]));
        }
        let rt = id(&self.emit.resource_type(r));
        let table = self.table(self.instance);
        Ok(call(self.rt("lowerOwn"), vec![table, rep, rt]))
    }

    fn lower_borrow(&mut self, r: ResourceIdx, v: Box<Expr>) -> Result<Box<Expr>> {
        if self.emit.facts.implements(r, self.instance) {
            // The callee's own resource: the rep itself, no handle (`lowerBorrow`'s
            // first case, decided here).
            return Ok(self.lent_rep(r, v));
        }
        if self.handle_cx == HandleCx::None {
            bug!("a borrow lowered outside a call");
        }
        if self.emit.facts.core_handles {
            let rep = self.lent_rep(r, v);
            let (f, ty) = self
                .emit
                .core_table_fn(self.instance, r, |t| &t.lower_borrow)?;
            return Ok(call_id(&f, vec![rep, ty, crate::emit::core_scope()]));
        }
        let rt = id(&self.emit.resource_type(r));
        let rep = self.lent_rep(r, v);
        let table = self.table(self.instance);
        let instance = num(f64::from(self.instance));
        Ok(call(
            self.rt("lowerBorrow"),
            vec![table, rep, rt, id("cx"), instance],
        ))
    }

    /// The rep of the JS object `v` lent to a guest: the one its check read when it
    /// kept it (`check_handle`), else read now.
    fn lent_rep(&mut self, r: ResourceIdx, v: Box<Expr>) -> Box<Expr> {
        if let Some(rep) = self.checked_as(&v, "#rep") {
            return rep;
        }
        self.emit.borrow_rep(r, v)
    }
}

fn zero(f: Flat) -> Box<Expr> {
    match f {
        Flat::I64 => bigint(0),
        _ => num(0.0),
    }
}

/// Converts a case's flat value into its joined slot type (`lower_flat_variant`).
pub fn coerce_lower(g: &mut FnGen<'_, '_>, v: Box<Expr>, have: Flat, want: Flat) -> Box<Expr> {
    match (have, want) {
        (Flat::F32, Flat::I32) => call(g.rt("f32ToI32"), vec![v]),
        (Flat::I32, Flat::I64) => {
            call_id("BigInt", vec![bin(v, BinaryOp::ZeroFillRShift, num(0.0))])
        }
        (Flat::F32, Flat::I64) => {
            let bits = call(g.rt("f32ToI32"), vec![v]);
            call_id(
                "BigInt",
                vec![bin(bits, BinaryOp::ZeroFillRShift, num(0.0))],
            )
        }
        (Flat::F64, Flat::I64) => call(g.rt("f64ToI64"), vec![v]),
        _ => v,
    }
}
