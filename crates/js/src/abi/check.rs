//! Validation of JS values before they are lowered (docs/js-api.md, "Values from JS"):
//! [`FnGen::check_all`] emits, per type, the tests a JS value must pass, each throwing a
//! `TypeError` (a `RangeError` for a length) that names the value by its [`Path`].
//! Callers check every value of a call before lowering any (`call::check_args`), so a
//! value that does not fit throws before `realloc` runs or a handle moves: nothing of
//! the guest ran, and the instance stays usable.
//!
//! The tests are inline (`typeof`, `Array.isArray`, a `switch` over tags) and messages
//! are built only on failure, so a valid value costs a few comparisons. The reads the
//! checks bind at the top of the value (not inside a list or a variant case) are kept
//! (`FnGen::bind_checked`): the lowering reads them from those variables, so a getter
//! runs once and the lowering sees what was checked. What the lowering reads again (list
//! elements) may differ only if a getter or Proxy answers differently the second time;
//! the lowering stays memory-safe then (its lengths are re-read as `>>> 0` and bounded),
//! and what it throws then happens after the guest was entered: a trap.

use anyhow::Result;
use swc_ecma_ast::{BinaryOp, Expr, UnaryOp};
use weft_core::abi::MAX_BYTE_LENGTH;
use weft_core::bug;
use weft_core::types::{ResourceIdx, TypeDef, ValType};

use super::FnGen;
use crate::ast::*;
use crate::binding::typed_array;

/// Where a value sits in what JS passed, for messages: a root (`arg 0`, `this`, `result
/// of wasi:cli/stdout#get-stdout`) and accessors (`.name` for a record field, flag or
/// variant payload, `[3]` for an element of a list, tuple or map, or an item of a
/// stream). Accessors may be loop variables, so a path is a JS expression, built only
/// when a check fails.
#[derive(Clone, Debug)]
pub struct Path {
    root: String,
    segs: Vec<Seg>,
    /// The root is what the caller of an outlined check passed (`outline.rs`): the
    /// variables `path0` (its root) and `segs0` (its accessors, maybe none); `root` is
    /// unused.
    passed: bool,
}

#[derive(Clone, Debug)]
enum Seg {
    Text(String),
    /// A variable holding an index.
    Var(String),
}

impl Path {
    /// The path of a whole value.
    pub fn root(root: impl Into<String>) -> Path {
        Path {
            root: root.into(),
            segs: Vec::new(),
            passed: false,
        }
    }

    /// The path of the value an outlined check is called for (`Path::passed`).
    pub(super) fn passed() -> Path {
        Path {
            root: String::new(),
            segs: Vec::new(),
            passed: true,
        }
    }

    fn text(&self, s: String) -> Path {
        let mut p = self.clone();
        p.segs.push(Seg::Text(s));
        p
    }

    /// `.name`
    fn field(&self, name: &str) -> Path {
        self.text(format!(".{name}"))
    }

    /// `[i]`
    fn at(&self, i: u32) -> Path {
        self.text(format!("[{i}]"))
    }

    /// `[i]`, `i` a variable.
    fn at_var(&self, var: &str) -> Path {
        let mut p = self.text("[".into());
        p.segs.push(Seg::Var(var.into()));
        p.segs.push(Seg::Text("]".into()));
        p
    }

    /// The path as a JS string expression: `"arg 0 .items[" + i3 + "].name"`, or with
    /// the root in variable `root_var`, `at3 + " .items[" + i3 + "].name"`.
    fn expr(&self, root_var: Option<String>) -> Box<Expr> {
        if self.passed {
            // `path0 + (segs0 && " " + segs0)`, or `path0 + " " + segs0 + ".a"`.
            if self.segs.is_empty() {
                let spaced = bin(str_(" "), BinaryOp::Add, id("segs0"));
                let segs = bin(id("segs0"), BinaryOp::LogicalAnd, spaced);
                return bin(id("path0"), BinaryOp::Add, segs);
            }
            let head = [Seg::Var("path0".into()), Seg::Text(" ".into())];
            let head = head.into_iter().chain([Seg::Var("segs0".into())]);
            return concat(head.chain(self.segs.iter().cloned()));
        }
        let root = root_var.map_or_else(|| Seg::Text(self.root.clone()), Seg::Var);
        let space = Seg::Text(" ".into());
        let sep = (!self.segs.is_empty()).then_some(space);
        concat(
            [root]
                .into_iter()
                .chain(sep)
                .chain(self.segs.iter().cloned()),
        )
    }

    /// The two arguments of an outlined check (`outline.rs`): the root, and the
    /// accessors without the space before them (`""` for none).
    fn split(&self, root_var: Option<String>) -> (Box<Expr>, Box<Expr>) {
        if self.passed {
            let segs = [Seg::Var("segs0".into())].into_iter();
            return (id("path0"), concat(segs.chain(self.segs.iter().cloned())));
        }
        let root = root_var.map_or_else(|| str_(&self.root), |v| id(&v));
        (root, concat(self.segs.iter().cloned()))
    }
}

/// The JS string expression of `segs` joined, adjacent texts merged: `"a .b[" + i + "]"`.
fn concat(segs: impl IntoIterator<Item = Seg>) -> Box<Expr> {
    let mut parts: Vec<Seg> = Vec::new();
    for s in segs {
        match (parts.last_mut(), s) {
            (Some(Seg::Text(a)), Seg::Text(b)) => a.push_str(&b),
            (_, s) => parts.push(s),
        }
    }
    let mut e: Option<Box<Expr>> = None;
    for p in parts {
        let x = match p {
            Seg::Text(t) => str_(&t),
            Seg::Var(v) => id(&v),
        };
        e = Some(match e {
            None => x,
            Some(l) => bin(l, BinaryOp::Add, x),
        });
    }
    e.unwrap_or_else(|| str_(""))
}

/// From how many cases a variant's tag is tested and lowered through the module's table
/// of its cases (`enumN`, `enumNIndex`) instead of a `switch` over all of them.
pub(super) const TAG_TABLE_MIN: usize = 4;

/// `one of 'a', 'b', 'c'` (at most 12 names, then how many there are).
fn one_of(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(12).map(|n| format!("'{n}'")).collect();
    let mut s = format!("one of {}", shown.join(", "));
    if names.len() > 12 {
        s.push_str(&format!(", … ({} cases)", names.len()));
    }
    s
}

fn not(e: Box<Expr>) -> Box<Expr> {
    unary(UnaryOp::Bang, e)
}

fn typeof_is_not(v: &Box<Expr>, t: &str) -> Box<Expr> {
    bin(
        unary(UnaryOp::TypeOf, v.clone()),
        BinaryOp::NotEqEq,
        str_(t),
    )
}

/// The one test a JS value of a scalar type must pass (docs/js-api.md): its `typeof`,
/// or `isChar` for a `char`. The range of an integer is not tested: numbers wrap into
/// it as WebAssembly's JS API converts them.
#[derive(Clone, Copy)]
pub enum ScalarTest {
    Typeof(&'static str),
    Char,
}

impl ScalarTest {
    /// What a message says the value should have been.
    fn expected(self) -> &'static str {
        match self {
            ScalarTest::Typeof(t) => t,
            ScalarTest::Char => "a string of one Unicode scalar value",
        }
    }
}

/// The test of a scalar type, `None` for any other type.
pub fn scalar_test(ty: ValType) -> Option<ScalarTest> {
    Some(match ty {
        ValType::Bool => ScalarTest::Typeof("boolean"),
        ValType::S8
        | ValType::U8
        | ValType::S16
        | ValType::U16
        | ValType::S32
        | ValType::U32
        | ValType::F32
        | ValType::F64 => ScalarTest::Typeof("number"),
        ValType::S64 | ValType::U64 => ScalarTest::Typeof("bigint"),
        ValType::Char => ScalarTest::Char,
        _ => return None,
    })
}

/// `typeof v !== 'object' || v === null`
fn not_object(v: &Box<Expr>) -> Box<Expr> {
    bin(
        typeof_is_not(v, "object"),
        BinaryOp::LogicalOr,
        bin(v.clone(), BinaryOp::EqEqEq, null()),
    )
}

fn is_array(v: &Box<Expr>) -> Box<Expr> {
    call(member(id("Array"), "isArray"), vec![v.clone()])
}

impl FnGen<'_, '_> {
    /// The JS string of `path`, for a message. A long root (`result of
    /// wasi:sockets/udp@0.2.9#[method]udp-socket.remote-address`, repeated by every
    /// check of one value) is a module constant (`State::path_root`).
    fn path_expr(&mut self, path: &Path) -> Box<Expr> {
        let var = self.root_var(path);
        path.expr(var)
    }

    /// The root and the accessors of `path`, the arguments of an outlined check.
    pub(super) fn path_args(&mut self, path: &Path) -> [Box<Expr>; 2] {
        let var = self.root_var(path);
        let (root, segs) = path.split(var);
        [root, segs]
    }

    fn root_var(&mut self, path: &Path) -> Option<String> {
        (!path.passed && path.root.len() > 16).then(|| self.emit.path_root(&path.root))
    }

    /// `if (!tableIndex.has(v)) checkEnumFail(path, table, v)`: `v` is one of the cases
    /// of `table` (an enum's values or a variant's tags), whose list the message is made
    /// from when the check fails.
    fn in_table(&mut self, table: &str, v: &Box<Expr>, path: &Path) -> swc_ecma_ast::Stmt {
        let known = method(id(&format!("{table}Index")), "has", vec![v.clone()]);
        let fail = call(
            self.rt("checkEnumFail"),
            vec![self.path_expr(path), id(table), v.clone()],
        );
        if_(unary(UnaryOp::Bang, known), vec![expr_stmt(fail)], None)
    }

    /// The one test that checks a value of type `ty` in full, or `None` when its check
    /// is more than that (any type but a scalar; the strict bindings' integers, whose
    /// range is checked; 64-bit integers a binding takes as numbers too).
    fn one_test(&self, ty: ValType) -> Option<ScalarTest> {
        if self.strict_integers() && int_range(ty).is_some()
            || matches!(ty, ValType::S64 | ValType::U64) && self.binding.u64_from_numbers()
        {
            return None;
        }
        scalar_test(ty)
    }

    /// The failing side of a scalar test: `typeof v !== "number"`, `!isChar(v)`.
    fn scalar_bad(&mut self, test: ScalarTest, v: &Box<Expr>) -> Box<Expr> {
        match test {
            ScalarTest::Typeof(t) => typeof_is_not(v, t),
            ScalarTest::Char => not(call(self.rt("isChar"), vec![v.clone()])),
        }
    }

    /// The passing side of the one test that checks a value of type `ty` in full
    /// (`typeof v === "number"`, `isChar(v)`; `one_test`), if it has one.
    pub fn scalar_ok(&mut self, ty: ValType, v: &Box<Expr>) -> Option<Box<Expr>> {
        Some(match self.one_test(ty)? {
            ScalarTest::Typeof(t) => {
                bin(unary(UnaryOp::TypeOf, v.clone()), BinaryOp::EqEqEq, str_(t))
            }
            ScalarTest::Char => call(self.rt("isChar"), vec![v.clone()]),
        })
    }

    /// `if (bad) checkFail(path, expected, v)`.
    fn fail_if(&mut self, bad: Box<Expr>, path: &Path, expected: &str, v: &Box<Expr>) {
        let fail = call(
            self.rt("checkFail"),
            vec![self.path_expr(path), str_(expected), v.clone()],
        );
        self.stmts.push(if_(bad, vec![expr_stmt(fail)], None));
    }

    /// Emits the checks of the JS values of one call (each a type, the value and its
    /// path): statements that throw unless every value fits (docs/js-api.md, "Values
    /// from JS"). When a type holds an owned handle of a guest resource, one map of the
    /// handles passed (`handleProblem`) serves them all: no object is moved twice, or
    /// lent and moved, by one call.
    pub fn check_all(&mut self, values: &[(ValType, Box<Expr>, Path)]) -> Result<()> {
        let owns = values.iter().any(|(t, _, _)| self.has_guest_owns(*t));
        let saved = self.seen.take();
        if owns {
            let o = self.tmp("seen");
            self.stmts.push(const_(&o, new_(id("Map"), vec![])));
            self.seen = Some(o);
        }
        // A borrowed handle's rep is read once when the lowering follows and every other
        // value's check is a `typeof` (no getter runs before the lowering reads the rep).
        let keep = self.lowering_follows
            && values
                .iter()
                .all(|(t, _, _)| scalar_test(*t).is_some() || self.guest_borrow(*t).is_some());
        let saved_keep = std::mem::replace(&mut self.keep_reps, keep);
        let r = values
            .iter()
            .try_for_each(|(t, v, p)| self.check_value(*t, v.clone(), p, false));
        self.seen = saved;
        self.keep_reps = saved_keep;
        r
    }

    /// The resource of `t` when it is a `borrow` of a resource a guest implements.
    fn guest_borrow(&self, t: ValType) -> Option<ResourceIdx> {
        let ValType::Defined(tid) = t else {
            return None;
        };
        match self.types().def(tid) {
            TypeDef::Borrow(r) if !self.emit.facts.is_host_resource(*r) => Some(*r),
            _ => None,
        }
    }

    /// The checks of a host import's result `v` (its root is `result of <label>`); a
    /// top-level `result` is the value the host returned (`ok`) or the payload of what it
    /// threw (`err`), so neither payload is under `.value`.
    pub fn check_result(&mut self, ty: ValType, v: Box<Expr>, label: &str) -> Result<()> {
        let path = Path::root(format!("result of {label}"));
        let top_result = self.emit.facts.is_result(ty);
        let owns = self.has_guest_owns(ty);
        let saved = self.seen.take();
        if owns {
            let o = self.tmp("seen");
            self.stmts.push(const_(&o, new_(id("Map"), vec![])));
            self.seen = Some(o);
        }
        let r = self.check_value(ty, v, &path, top_result);
        self.seen = saved;
        r
    }

    /// Whether a value of type `t` may hold an owned handle of a guest resource (whose
    /// lowering moves it out of its JS object, so the same object cannot be passed twice).
    fn has_guest_owns(&self, t: ValType) -> bool {
        let facts = self.emit.facts;
        self.types().contains(
            t,
            &mut |_, d| matches!(d, Some(TypeDef::Own(r)) if !facts.is_host_resource(*r)),
        )
    }

    /// `unwrapped`: `v` is the `result` a host import's value or exception became.
    fn check_value(
        &mut self,
        ty: ValType,
        v: Box<Expr>,
        path: &Path,
        unwrapped: bool,
    ) -> Result<()> {
        if !unwrapped && self.outlined(ty) {
            return self.check_outlined(ty, v, path);
        }
        self.check_inline(ty, v, path, unwrapped)
    }

    /// [`Self::check_value`], spelled out here.
    pub(super) fn check_inline(
        &mut self,
        ty: ValType,
        v: Box<Expr>,
        path: &Path,
        unwrapped: bool,
    ) -> Result<()> {
        let v = self.bind_checked(v);
        if let Some(test) = self.one_test(ty) {
            let bad = self.scalar_bad(test, &v);
            self.fail_if(bad, path, test.expected(), &v);
            return Ok(());
        }
        match ty {
            _ if self.strict_integers() && int_range(ty).is_some() => {
                self.check_int_range(ty, &v, path)?;
            }
            ValType::S64 | ValType::U64 if self.binding.u64_from_numbers() => {
                let bad = not_integer(&v, true);
                self.fail_if(bad, path, "bigint or an integer number", &v);
            }
            // Every other scalar has its one test (above).
            ValType::Bool
            | ValType::S8
            | ValType::U8
            | ValType::S16
            | ValType::U16
            | ValType::S32
            | ValType::U32
            | ValType::S64
            | ValType::U64
            | ValType::F32
            | ValType::F64
            | ValType::Char => bug!("the scalar {ty:?} without its one test"),
            ValType::String => {
                // MAX_STRING_BYTE_LENGTH / 2 code units: any longer, the UTF-16 form
                // could never be lifted (`stringFromHost`).
                let max = f64::from(MAX_BYTE_LENGTH / 2);
                let bad = bin(
                    typeof_is_not(&v, "string"),
                    BinaryOp::LogicalOr,
                    bin(member(v.clone(), "length"), BinaryOp::Gt, num(max)),
                );
                let fail = call(
                    self.rt("checkString"),
                    vec![self.path_expr(path), v.clone()],
                );
                self.stmts.push(if_(bad, vec![expr_stmt(fail)], None));
            }
            // Any value: an `ErrorContext`, or anything else as the message of a new one.
            ValType::ErrorContext => {}
            ValType::Defined(tid) => match self.types().def(tid).clone() {
                TypeDef::List(t) => self.check_list(t, &v, path, None)?,
                TypeDef::FixedList(t, n) => self.check_list(t, &v, path, Some(n))?,
                TypeDef::Map(k, val) => self.check_map(k, val, &v, path)?,
                TypeDef::Record(fields) => {
                    let bad = not_object(&v);
                    self.fail_if(bad, path, "object", &v);
                    for (name, t) in fields {
                        let js = self.field(&name);
                        let f = member(v.clone(), &js);
                        self.check_value(t, f, &path.field(&js), false)?;
                    }
                }
                TypeDef::Tuple(ts) => {
                    let n = ts.len();
                    let bad = bin(
                        not(is_array(&v)),
                        BinaryOp::LogicalOr,
                        bin(
                            member(v.clone(), "length"),
                            BinaryOp::NotEqEq,
                            num(n as f64),
                        ),
                    );
                    self.fail_if(bad, path, &format!("Array of {n} elements"), &v);
                    for (i, t) in ts.into_iter().enumerate() {
                        let e = index(v.clone(), num(i as f64));
                        self.check_value(t, e, &path.at(i as u32), false)?;
                    }
                }
                TypeDef::Flags(names) => {
                    let bad = not_object(&v);
                    self.fail_if(bad, path, "object", &v);
                    for n in names {
                        let js = self.field(&n);
                        let f = self.bind_checked(member(v.clone(), &js));
                        let bad = bin(
                            bin(f.clone(), BinaryOp::NotEqEq, undefined()),
                            BinaryOp::LogicalAnd,
                            typeof_is_not(&f, "boolean"),
                        );
                        self.fail_if(bad, &path.field(&js), "boolean or undefined", &f);
                    }
                }
                TypeDef::Enum(names) => {
                    let table = self.enum_table(&names);
                    let check = self.in_table(&table, &v, path);
                    self.stmts.push(check);
                }
                TypeDef::Option(t) if self.option_is_nullable(t) => {
                    let some = bin(v.clone(), BinaryOp::NotEq, null());
                    let (body, ()) = self.scoped(|g| g.check_value(t, v.clone(), path, false))?;
                    if !body.is_empty() {
                        self.stmts.push(if_(some, body, None));
                    }
                }
                TypeDef::Own(r) => self.check_handle(r, &v, path, true),
                TypeDef::Borrow(r) => self.check_handle(r, &v, path, false),
                TypeDef::Stream(_) => {
                    let problem = call(self.rt("streamProblem"), vec![v.clone()]);
                    self.fail_problem(problem, path);
                }
                // Any value: a promise of the value, or the value.
                TypeDef::Future(_) => {}
                TypeDef::Variant(cases) if self.binding.bare_variants() => {
                    self.check_bare_variant(&cases, &v, path)?;
                }
                def => self.check_cases(&def, &v, path, unwrapped)?,
            },
        }
        Ok(())
    }

    /// A bare variant (a WebIDL union): the first case whose test the value passes, and
    /// its payload's checks.
    fn check_bare_variant(
        &mut self,
        cases: &[(String, Option<ValType>)],
        v: &Box<Expr>,
        path: &Path,
    ) -> Result<()> {
        let mut arms = Vec::new();
        let mut names = Vec::new();
        for (_, (name, t)) in self.bare_case_order(cases) {
            let test = self.case_test(&name, t, v);
            let (mut body, ()) = self.scoped(|g| match t {
                Some(t) => g.check_value(t, v.clone(), path, false),
                None => Ok(()),
            })?;
            body.push(break_());
            arms.push((Some(test), body));
            names.push(name);
        }
        let fail = call(
            self.rt("checkFail"),
            vec![
                self.path_expr(path),
                str_(&format!(
                    "a value of one of the union's types ({})",
                    names.join(", ")
                )),
                v.clone(),
            ],
        );
        arms.push((None, vec![expr_stmt(fail)]));
        self.stmts.push(switch(bool_(true), arms));
        Ok(())
    }

    /// A variant, `result` or `option<option<T>>`: `{ tag, value }`.
    fn check_cases(
        &mut self,
        def: &TypeDef,
        v: &Box<Expr>,
        path: &Path,
        unwrapped: bool,
    ) -> Result<()> {
        let cases: Vec<(String, Option<ValType>)> = match def {
            TypeDef::Variant(cases) => cases.clone(),
            TypeDef::Option(t) => vec![("none".into(), None), ("some".into(), Some(*t))],
            TypeDef::Result { ok, err } => vec![("ok".into(), *ok), ("err".into(), *err)],
            _ => unreachable!("variant-like"),
        };
        let key = self.tag_key();
        let jco_result = matches!(def, TypeDef::Result { .. }) && !unwrapped;
        let v = &if jco_result && self.bare_ok_results() {
            let normal = call(self.rt("jcoResult"), vec![v.clone()]);
            self.bind_checked(normal)
        } else {
            v.clone()
        };
        // The `result` weft made of what a host import returned or threw is an object
        // whose tag is `ok` or `err`: only its payload needs checks.
        let made_here = unwrapped && !self.bare_ok_results();
        if !made_here {
            let bad = not_object(v);
            self.fail_if(bad, path, "object with a `tag`", v);
        }
        let tag = self.bind_checked(member(v.clone(), "tag"));
        // A variant of many cases tests its tag against the module's table of them; the
        // `switch` keeps only the cases with a payload to check.
        let table =
            (matches!(def, TypeDef::Variant(_)) && cases.len() >= TAG_TABLE_MIN).then(|| {
                let names: Vec<String> = cases.iter().map(|c| c.0.clone()).collect();
                self.emit.enum_table(&names)
            });
        let mut arms = Vec::new();
        for (name, t) in &cases {
            let (mut body, ()) = self.scoped(|g| {
                let Some(t) = t else { return Ok(()) };
                let at = if unwrapped {
                    // The root is `result of <label>`: what the host returned, or for
                    // `err` the payload of what it threw.
                    match name.as_str() {
                        "ok" => path.clone(),
                        _ => Path::root(path.root.replacen("result of", "err payload of", 1)),
                    }
                } else {
                    path.field(key)
                };
                g.check_value(*t, member(v.clone(), key), &at, false)
            })?;
            if table.is_some() && body.is_empty() {
                continue;
            }
            body.push(break_());
            arms.push((Some(str_(name)), body));
        }
        if let Some(table) = table {
            let check = self.in_table(&table, &tag, &path.field("tag"));
            if !arms.is_empty() {
                arms.push((None, vec![check]));
                self.stmts.push(switch(tag, arms));
            } else {
                self.stmts.push(check);
            }
            return Ok(());
        }
        if !made_here {
            let names: Vec<String> = cases.into_iter().map(|c| c.0).collect();
            let fail = call(
                self.rt("checkFail"),
                vec![
                    self.path_expr(&path.field("tag")),
                    str_(&one_of(&names)),
                    tag.clone(),
                ],
            );
            arms.push((None, vec![expr_stmt(fail)]));
        }
        // No test in any arm (each is its `break`): nothing to switch on.
        if arms.iter().any(|(_, body)| body.len() > 1) || !made_here {
            self.stmts.push(switch(tag, arms));
        }
        Ok(())
    }

    /// A list: an `Array`, or for number elements the typed array of the element type;
    /// with `fixed`, of exactly that length.
    /// `FnGen::strict_integers`: `v` must be an integer in the range of `ty` (a 64-bit
    /// one a BigInt, or a Number that is an integer).
    fn check_int_range(&mut self, ty: ValType, v: &Box<Expr>, path: &Path) -> Result<()> {
        let Some((name, lo, hi)) = int_range(ty) else {
            bug!("check_int_range of {ty:?}")
        };
        let wide = matches!(ty, ValType::U64 | ValType::S64);
        let bound = |n: i128| if wide { bigint(n) } else { num(n as f64) };
        let not_int = not_integer(v, wide);
        let out = bin(
            bin(v.clone(), BinaryOp::Lt, bound(lo)),
            BinaryOp::LogicalOr,
            bin(v.clone(), BinaryOp::Gt, bound(hi)),
        );
        let bad = bin(not_int, BinaryOp::LogicalOr, out);
        let fail = call(
            self.rt("checkIntRange"),
            vec![
                self.path_expr(path),
                str_(name),
                str_(&format!("[{lo}, {hi}]")),
                v.clone(),
            ],
        );
        self.stmts.push(if_(bad, vec![expr_stmt(fail)], None));
        Ok(())
    }

    fn check_list(
        &mut self,
        t: ValType,
        v: &Box<Expr>,
        path: &Path,
        fixed: Option<u32>,
    ) -> Result<()> {
        let ta = typed_array(t);
        let is_ta = ta.map(|ta| {
            let name = self.tmp("ta");
            self.stmts
                .push(const_(&name, bin(v.clone(), BinaryOp::InstanceOf, id(ta))));
            id(&name)
        });
        let mut bad = not(is_array(v));
        if let Some(is_ta) = &is_ta {
            bad = bin(not(is_ta.clone()), BinaryOp::LogicalAnd, bad);
        }
        let mut expected = match ta {
            Some(ta) => format!("Array or {ta}"),
            None => "Array".to_string(),
        };
        let n = match fixed {
            Some(n) => {
                // Of exactly `n` elements.
                let wrong = bin(
                    member(v.clone(), "length"),
                    BinaryOp::NotEqEq,
                    num(f64::from(n)),
                );
                bad = bin(bad, BinaryOp::LogicalOr, wrong);
                expected.push_str(&format!(" of {n} elements"));
                self.fail_if(bad, path, &expected, v);
                num(f64::from(n))
            }
            None => {
                self.fail_if(bad, path, &expected, v);
                let n = self.bind_checked(member(v.clone(), "length"));
                // An array length (a Proxy's `length` can be anything; a number first,
                // since `>>> 0` throws for a bigint or a symbol and runs an object's
                // `valueOf`), and at most MAX_BYTE_LENGTH bytes of elements.
                let size = self.layout(t).size;
                let max = MAX_BYTE_LENGTH.checked_div(size).unwrap_or(u32::MAX);
                let not_len = bin(
                    typeof_is_not(&n, "number"),
                    BinaryOp::LogicalOr,
                    bin(
                        bin(n.clone(), BinaryOp::ZeroFillRShift, num(0.0)),
                        BinaryOp::NotEqEq,
                        n.clone(),
                    ),
                );
                let too_long = bin(n.clone(), BinaryOp::Gt, num(f64::from(max)));
                let bad_len = if max == u32::MAX {
                    not_len
                } else {
                    bin(not_len, BinaryOp::LogicalOr, too_long)
                };
                let fail = call(
                    self.rt("checkLength"),
                    vec![self.path_expr(path), n.clone(), num(f64::from(max))],
                );
                self.stmts.push(if_(bad_len, vec![expr_stmt(fail)], None));
                n
            }
        };
        if !self.needs_check(t) {
            return Ok(());
        }
        let i = self.tmp("i");
        // jco checks the range of every integer of an `Array` given for a list, in
        // components that use async or not (`FnGen::strict_integers` is for the others).
        let strict = int_range(t).is_some() && self.binding.strict_integers();
        let (body, ()) = self.scoped(|g| {
            let e = g.bind(index(v.clone(), id(&i)));
            if strict {
                g.check_int_range(t, &e, &path.at_var(&i))
            } else {
                g.check_value(t, e, &path.at_var(&i), false)
            }
        })?;
        let each = for_range(&i, n, body);
        match is_ta {
            Some(is_ta) => self.stmts.push(if_(not(is_ta), vec![each], None)),
            None => self.stmts.push(each),
        }
        Ok(())
    }

    /// A map: a `Map`, or a plain object (its own enumerable string keys); its entries
    /// are checked as the list of `[key, value]` pairs they are lowered as. The entries
    /// are kept for the lowering (`lower_map`).
    fn check_map(&mut self, k: ValType, val: ValType, v: &Box<Expr>, path: &Path) -> Result<()> {
        let entries = self.tmp("e");
        let objects = self.binding.maps_from_objects();
        let expected = if objects {
            "Map or plain object"
        } else {
            "Map"
        };
        let fail = call(
            self.rt("checkFail"),
            vec![self.path_expr(path), str_(expected), v.clone()],
        );
        let other = if objects {
            let plain = call(self.rt("isPlainObject"), vec![v.clone()]);
            cond(
                plain,
                call(member(id("Object"), "entries"), vec![v.clone()]),
                fail,
            )
        } else {
            fail
        };
        let from = cond(
            bin(v.clone(), BinaryOp::InstanceOf, id("Map")),
            call(member(id("Array"), "from"), vec![v.clone()]),
            other,
        );
        self.stmts.push(const_(&entries, from));
        if let Some(key) = super::expr_key(v) {
            self.checked
                .push((format!("{key}#entries"), entries.clone(), self.depth));
        }
        let tuple = super::map_entry(self.types(), k, val)?;
        self.check_list(tuple, &id(&entries), path, None)
    }

    /// A resource handle: an object of the resource's class, live (for `own`, owned,
    /// and not passed as owned earlier in the call); any object for a host resource.
    fn check_handle(&mut self, r: ResourceIdx, v: &Box<Expr>, path: &Path, own: bool) {
        if self.emit.facts.is_host_resource(r) {
            let bad = bin(
                not_object(v),
                BinaryOp::LogicalAnd,
                typeof_is_not(v, "function"),
            );
            self.fail_if(bad, path, "object", v);
            return;
        }
        let rt = id(&self.emit.resource_type(r));
        if !own
            && self.keep_reps
            && self.seen.is_none()
            && let Some(key) = super::expr_key(v)
        {
            return self.check_lent(&key, v, rt, path);
        }
        let seen = self.seen.as_deref().map_or_else(null, id);
        let problem = call(
            self.rt("handleProblem"),
            vec![v.clone(), rt, bool_(own), seen],
        );
        self.fail_problem(problem, path);
    }

    /// A borrowed handle whose rep the lowering takes from its check (`keep_reps`):
    /// `const rep = liveRep(v, rt); if (rep === undefined) checkProblem(path,
    /// handleProblem(v, rt, false, null))`, the object's fields read once on the way in.
    fn check_lent(&mut self, key: &str, v: &Box<Expr>, rt: Box<Expr>, path: &Path) {
        let rep = self.tmp("rep");
        let live = call(self.rt("liveRep"), vec![v.clone(), rt.clone()]);
        self.stmts.push(const_(&rep, live));
        let problem = call(
            self.rt("handleProblem"),
            vec![v.clone(), rt, bool_(false), null()],
        );
        let fail = call(self.rt("checkProblem"), vec![self.path_expr(path), problem]);
        self.stmts.push(if_(
            bin(id(&rep), BinaryOp::EqEqEq, id("undefined")),
            vec![expr_stmt(fail)],
            None,
        ));
        self.checked.push((format!("{key}#rep"), rep, self.depth));
    }

    /// `const p = problem; if (p !== '') checkProblem(path, p)`: for the tests a runtime
    /// helper makes, which say what is wrong.
    fn fail_problem(&mut self, problem: Box<Expr>, path: &Path) {
        let p = self.tmp("problem");
        self.stmts.push(const_(&p, problem));
        let fail = call(self.rt("checkProblem"), vec![self.path_expr(path), id(&p)]);
        self.stmts.push(if_(
            bin(id(&p), BinaryOp::NotEqEq, str_("")),
            vec![expr_stmt(fail)],
            None,
        ));
    }

    /// A function `(v, k) => …` checking an item `v` (the `k`-th, from 0) of a stream, or
    /// the value of a future, of element type `elem` (for `stream<u8>`, an item is a
    /// chunk: a `Uint8Array` or an `Array` of numbers); `whole` is the path of the stream
    /// or future, when known. `null` when every value passes.
    pub fn end_check(
        &mut self,
        elem: Option<ValType>,
        stream: bool,
        bytes: bool,
        whole: &str,
    ) -> Result<Box<Expr>> {
        let Some(t) = elem else { return Ok(null()) };
        if !self.needs_check(t) {
            return Ok(null());
        }
        let v = self.tmp("v");
        let k = self.tmp("k");
        let saved = self.seen.take();
        let r = self.scoped(|g| {
            if bytes {
                let path = Path::root(whole.to_string()).at_var(&k);
                g.check_list(t, &id(&v), &path, None)
            } else if stream {
                let path = Path::root(whole.to_string()).at_var(&k);
                g.check_value(t, id(&v), &path, false)
            } else {
                let path = Path::root(format!("{whole} (resolved)"));
                g.check_value(t, id(&v), &path, false)
            }
        });
        self.seen = saved;
        let (body, ()) = r?;
        Ok(fn_expr(&[v, k], body))
    }

    /// Whether some JS value of type `t` fails its checks (any value passes as a future
    /// or an error context).
    fn needs_check(&self, t: ValType) -> bool {
        match t {
            ValType::ErrorContext => false,
            ValType::Defined(tid) => !matches!(self.types().def(tid), TypeDef::Future(_)),
            _ => true,
        }
    }
}

/// The WIT name and the range of an integer type; `None` for other types.
fn int_range(ty: ValType) -> Option<(&'static str, i128, i128)> {
    Some(match ty {
        ValType::U8 => ("u8", 0, 0xff),
        ValType::S8 => ("s8", -0x80, 0x7f),
        ValType::U16 => ("u16", 0, 0xffff),
        ValType::S16 => ("s16", -0x8000, 0x7fff),
        ValType::U32 => ("u32", 0, 0xffff_ffff),
        ValType::S32 => ("s32", -0x8000_0000, 0x7fff_ffff),
        ValType::U64 => ("u64", 0, u64::MAX.into()),
        ValType::S64 => ("s64", i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    })
}

/// `!Number.isInteger(v)`; for a 64-bit integer (`wide`), also not a BigInt.
fn not_integer(v: &Box<Expr>, wide: bool) -> Box<Expr> {
    let not_number = not(call(member(id("Number"), "isInteger"), vec![v.clone()]));
    if wide {
        bin(typeof_is_not(v, "bigint"), BinaryOp::LogicalAnd, not_number)
    } else {
        not_number
    }
}
