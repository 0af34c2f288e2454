//! Parentheses where the grammar needs them, and nowhere else.
//!
//! Generated code is built as an AST without parentheses (`a + b` whose right operand is
//! `c * d` or `c - d` is one tree either way), and the runtime's parsed code comes with
//! its source's parentheses, needed or not (JSDoc casts are one). [`fix`] takes every
//! [`ParenExpr`] out and puts one back exactly where printing the tree without it would
//! read back as a different tree: an operand that binds more loosely than its operator, a
//! sequence where a comma would separate arguments, an optional chain that would go on
//! past its end, a call inside `new`'s callee, a statement that would start with `{` or
//! `function`, `??` mixed with `||`. (One regrouping is allowed: `a || (b || c)` prints
//! as `a || b || c`, which evaluates the same operands in the same order.) The test at the end prints trees, parses them back
//! and compares, case by case.

use swc_common::DUMMY_SP;
use swc_ecma_ast::{
    ArrowExpr, ArrowFunctionBody, AssignPat, AssignPatProp, AssignTarget, AssignTargetPat,
    BinaryOp, Callee, Class, ClassProp, ComputedPropName, Expr, ExprStmt, ForOfStmt, Invalid,
    KeyValueProp, Lit, Module, OptChainBase, ParenExpr, Prop, PropOrSpread, VarDeclarator,
};
use swc_ecma_visit::{VisitMut, VisitMutWith};

/// Takes out every parenthesis in `module` and puts back those the grammar needs.
pub fn fix(module: &mut Module) {
    module.visit_mut_with(&mut Parens);
}

/// How tightly an expression binds, loosest first: an operand of an operator of
/// precedence `p` is printed bare when its own precedence is at least `p` (with the
/// exceptions of [`needs_parens_as_operand`]).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Comma,
    Assign,
    Cond,
    Coalesce,
    Or,
    And,
    BitOr,
    BitXor,
    BitAnd,
    Equality,
    Relational,
    Shift,
    Additive,
    Multiplicative,
    Exponent,
    Prefix,
    Postfix,
    /// `new X` without arguments.
    NewNoArgs,
    /// Calls, member accesses, `new X()`, tagged templates: left-hand-side expressions.
    Call,
    Primary,
}

fn binary_prec(op: BinaryOp) -> Prec {
    use BinaryOp::*;
    match op {
        NullishCoalescing => Prec::Coalesce,
        LogicalOr => Prec::Or,
        LogicalAnd => Prec::And,
        BitOr => Prec::BitOr,
        BitXor => Prec::BitXor,
        BitAnd => Prec::BitAnd,
        EqEq | NotEq | EqEqEq | NotEqEq => Prec::Equality,
        Lt | LtEq | Gt | GtEq | In | InstanceOf => Prec::Relational,
        LShift | RShift | ZeroFillRShift => Prec::Shift,
        Add | Sub => Prec::Additive,
        Mul | Div | Mod => Prec::Multiplicative,
        Exp => Prec::Exponent,
    }
}

fn prec(e: &Expr) -> Prec {
    match e {
        Expr::Seq(_) => Prec::Comma,
        Expr::Assign(_) | Expr::Arrow(_) | Expr::Yield(_) => Prec::Assign,
        Expr::Cond(_) => Prec::Cond,
        Expr::Bin(b) => binary_prec(b.op),
        Expr::Unary(_) | Expr::Await(_) => Prec::Prefix,
        // Printed with its sign: `(-1) ** 2`, `(-1).toFixed()`.
        Expr::Lit(Lit::Num(n)) if n.value.is_sign_negative() => Prec::Prefix,
        Expr::Update(u) if u.prefix => Prec::Prefix,
        Expr::Update(_) => Prec::Postfix,
        Expr::New(n) if n.args.is_none() => Prec::NewNoArgs,
        Expr::Call(_)
        | Expr::Member(_)
        | Expr::SuperProp(_)
        | Expr::New(_)
        | Expr::TaggedTpl(_)
        | Expr::OptChain(_)
        | Expr::MetaProp(_) => Prec::Call,
        _ => Prec::Primary,
    }
}

/// Whether `e`, an operand of the binary operator `op` (on its left if `left`), needs
/// parentheses.
fn needs_parens_as_operand(op: BinaryOp, e: &Expr, left: bool) -> bool {
    let p = binary_prec(op);
    let own = prec(e);
    // `??` does not mix with `||` or `&&` without parentheses, either way round.
    let logical = |op| matches!(op, BinaryOp::LogicalOr | BinaryOp::LogicalAnd);
    if let Expr::Bin(inner) = e {
        let coalesce = BinaryOp::NullishCoalescing;
        if (op == coalesce && logical(inner.op)) || (logical(op) && inner.op == coalesce) {
            return true;
        }
    }
    if op == BinaryOp::Exp {
        // Right-associative, and a prefix operator on its left is a syntax error.
        return if left {
            own <= Prec::Prefix
        } else {
            own < Prec::Exponent
        };
    }
    if left {
        return own < p;
    }
    // Left-associative: an equal operator on the right was a different grouping, except
    // for the logical operators, where `a || (b || c)` and `a || b || c` evaluate the same
    // operands in the same order to the same value.
    match e {
        Expr::Bin(inner)
            if inner.op == op && (logical(op) || op == BinaryOp::NullishCoalescing) =>
        {
            false
        }
        _ => own <= p,
    }
}

/// A left-hand-side expression position: the object of `.`, a callee, a tag.
fn needs_parens_as_lhs(e: &Expr) -> bool {
    // An optional chain would go on: `(a?.b).c` is not `a?.b.c`.
    prec(e) < Prec::Call || matches!(e, Expr::OptChain(_))
}

/// `new`'s callee: a call in it would take `new`'s arguments (`new (f())()`), and so
/// would one at the bottom of a member chain (`new (f().g)()`).
fn needs_parens_as_new_callee(e: &Expr) -> bool {
    let mut e = e;
    loop {
        match e {
            Expr::Call(_) | Expr::OptChain(_) => return true,
            Expr::Member(m) => e = &m.obj,
            Expr::TaggedTpl(t) => e = &t.tag,
            // `new (new X)()` is not `new new X()`.
            other => return prec(other) < Prec::Call,
        }
    }
}

/// What an expression's first token is, where that token would mean something else at
/// the start of a statement (`{` a block, `function` or `class` a declaration) or of an
/// arrow's body (`{` a block).
#[derive(PartialEq, Eq)]
enum First {
    /// `{`: an object literal, or an object pattern assigned to (`({ a } = b)`).
    Brace,
    /// `function`, `async function` or `class`.
    Declaration,
    Other,
}

fn first_token(e: &Expr) -> First {
    let mut e = e;
    loop {
        match e {
            Expr::Object(_) => return First::Brace,
            Expr::Fn(_) | Expr::Class(_) => return First::Declaration,
            Expr::Bin(b) => e = &b.left,
            Expr::Cond(c) => e = &c.test,
            Expr::Seq(s) => match s.exprs.first() {
                Some(first) => e = first,
                None => return First::Other,
            },
            Expr::Member(m) => e = &m.obj,
            Expr::Call(c) => match &c.callee {
                Callee::Expr(callee) => e = callee,
                _ => return First::Other,
            },
            Expr::OptChain(o) => match &*o.base {
                OptChainBase::Member(m) => e = &m.obj,
                OptChainBase::Call(c) => e = &c.callee,
            },
            Expr::TaggedTpl(t) => e = &t.tag,
            Expr::Update(u) if !u.prefix => e = &u.arg,
            Expr::Assign(a) => {
                return match &a.left {
                    AssignTarget::Pat(AssignTargetPat::Object(_)) => First::Brace,
                    _ => First::Other,
                };
            }
            _ => return First::Other,
        }
    }
}

fn wrap(e: &mut Box<Expr>) {
    let inner = std::mem::replace(&mut **e, Expr::Invalid(Invalid { span: DUMMY_SP }));
    **e = Expr::Paren(ParenExpr {
        span: DUMMY_SP,
        expr: Box::new(inner),
    });
}

fn wrap_if(e: &mut Box<Expr>, needed: impl FnOnce(&Expr) -> bool) {
    if needed(e) {
        wrap(e);
    }
}

/// An AssignmentExpression position (an argument, an element, an initializer): only a
/// sequence needs parentheses.
fn wrap_sequence(e: &mut Box<Expr>) {
    wrap_if(e, |e| matches!(e, Expr::Seq(_)));
}

struct Parens;

impl VisitMut for Parens {
    fn visit_mut_expr(&mut self, e: &mut Expr) {
        while let Expr::Paren(p) = e {
            *e = std::mem::replace(&mut *p.expr, Expr::Invalid(Invalid { span: DUMMY_SP }));
        }
        e.visit_mut_children_with(self);
        match e {
            Expr::Bin(b) => {
                let op = b.op;
                wrap_if(&mut b.left, |e| needs_parens_as_operand(op, e, true));
                wrap_if(&mut b.right, |e| needs_parens_as_operand(op, e, false));
            }
            Expr::Unary(u) => wrap_if(&mut u.arg, |e| prec(e) < Prec::Prefix),
            Expr::Await(a) => wrap_if(&mut a.arg, |e| prec(e) < Prec::Prefix),
            Expr::Update(u) => wrap_if(&mut u.arg, |e| prec(e) < Prec::Postfix),
            Expr::Cond(c) => {
                wrap_if(&mut c.test, |e| prec(e) <= Prec::Cond);
                wrap_sequence(&mut c.cons);
                wrap_sequence(&mut c.alt);
            }
            Expr::Assign(a) => wrap_sequence(&mut a.right),
            Expr::Yield(y) => {
                if let Some(arg) = &mut y.arg {
                    wrap_sequence(arg);
                }
            }
            Expr::Seq(s) => s.exprs.iter_mut().for_each(wrap_sequence),
            Expr::Member(m) => wrap_if(&mut m.obj, needs_parens_as_lhs),
            Expr::Call(c) => {
                if let Callee::Expr(callee) = &mut c.callee {
                    wrap_if(callee, needs_parens_as_lhs);
                }
                c.args.iter_mut().for_each(|a| wrap_sequence(&mut a.expr));
            }
            Expr::New(n) => {
                wrap_if(&mut n.callee, needs_parens_as_new_callee);
                if let Some(args) = &mut n.args {
                    args.iter_mut().for_each(|a| wrap_sequence(&mut a.expr));
                }
            }
            Expr::OptChain(o) => match &mut *o.base {
                // Within a chain the object may be the chain's earlier link.
                OptChainBase::Member(m) => {
                    wrap_if(&mut m.obj, |e| prec(e) < Prec::Call);
                }
                OptChainBase::Call(c) => {
                    wrap_if(&mut c.callee, |e| prec(e) < Prec::Call);
                    c.args.iter_mut().for_each(|a| wrap_sequence(&mut a.expr));
                }
            },
            Expr::TaggedTpl(t) => wrap_if(&mut t.tag, needs_parens_as_lhs),
            Expr::Array(a) => a
                .elems
                .iter_mut()
                .flatten()
                .for_each(|e| wrap_sequence(&mut e.expr)),
            Expr::Object(o) => {
                for p in &mut o.props {
                    match p {
                        PropOrSpread::Spread(s) => wrap_sequence(&mut s.expr),
                        PropOrSpread::Prop(p) => match &mut **p {
                            Prop::KeyValue(KeyValueProp { value, .. }) => wrap_sequence(value),
                            Prop::Assign(a) => wrap_sequence(&mut a.value),
                            _ => {}
                        },
                    }
                }
            }
            _ => {}
        }
    }

    fn visit_mut_arrow_expr(&mut self, a: &mut ArrowExpr) {
        a.visit_mut_children_with(self);
        if let ArrowFunctionBody::Expr(body) = &mut *a.body {
            wrap_if(body, |e| {
                matches!(e, Expr::Seq(_)) || first_token(e) == First::Brace
            });
        }
    }

    fn visit_mut_expr_stmt(&mut self, s: &mut ExprStmt) {
        s.visit_mut_children_with(self);
        wrap_if(&mut s.expr, |e| first_token(e) != First::Other);
    }

    fn visit_mut_export_default_expr(&mut self, d: &mut swc_ecma_ast::ExportDefaultExpr) {
        d.visit_mut_children_with(self);
        wrap_if(&mut d.expr, |e| {
            matches!(e, Expr::Seq(_)) || first_token(e) == First::Declaration
        });
    }

    fn visit_mut_var_declarator(&mut self, d: &mut VarDeclarator) {
        d.visit_mut_children_with(self);
        if let Some(init) = &mut d.init {
            wrap_sequence(init);
        }
    }

    fn visit_mut_assign_pat(&mut self, p: &mut AssignPat) {
        p.visit_mut_children_with(self);
        wrap_sequence(&mut p.right);
    }

    fn visit_mut_assign_pat_prop(&mut self, p: &mut AssignPatProp) {
        p.visit_mut_children_with(self);
        if let Some(value) = &mut p.value {
            wrap_sequence(value);
        }
    }

    fn visit_mut_computed_prop_name(&mut self, c: &mut ComputedPropName) {
        c.visit_mut_children_with(self);
        wrap_sequence(&mut c.expr);
    }

    fn visit_mut_for_of_stmt(&mut self, f: &mut ForOfStmt) {
        f.visit_mut_children_with(self);
        wrap_sequence(&mut f.right);
    }

    fn visit_mut_class(&mut self, c: &mut Class) {
        c.visit_mut_children_with(self);
        if let Some(sup) = &mut c.super_class {
            wrap_if(sup, needs_parens_as_lhs);
        }
    }

    fn visit_mut_class_prop(&mut self, p: &mut ClassProp) {
        p.visit_mut_children_with(self);
        if let Some(value) = &mut p.value {
            wrap_sequence(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use swc_common::{EqIgnoreSpan, FileName, SourceMap, sync::Lrc};
    use swc_ecma_ast::{EsVersion, Number};
    use swc_ecma_parser::{Syntax, parse_file_as_module};

    fn parse(src: &str) -> Module {
        let cm: Lrc<SourceMap> = Lrc::default();
        let fm = cm.new_source_file(FileName::Anon.into(), src.to_string());
        parse_file_as_module(
            &fm,
            Syntax::Es(Default::default()),
            EsVersion::latest(),
            None,
            &mut vec![],
        )
        .unwrap_or_else(|e| panic!("`{src}` does not parse: {e:?}"))
    }

    fn print(module: &Module) -> String {
        let cm: Lrc<SourceMap> = Lrc::default();
        let mut buf = Vec::new();
        swc_ecma_codegen::Emitter {
            cfg: swc_ecma_codegen::Config::default().with_minify(true),
            cm: cm.clone(),
            comments: None,
            wr: swc_ecma_codegen::text_writer::omit_trailing_semi(
                swc_ecma_codegen::text_writer::JsWriter::new(cm, "\n", &mut buf, None),
            ),
        }
        .emit_module(module)
        .unwrap();
        let out = String::from_utf8(buf).unwrap();
        out.strip_suffix(';').unwrap_or(&out).to_string()
    }

    /// The tree without any parentheses: what the grouping means.
    fn bare(mut module: Module) -> Module {
        struct Strip;
        impl VisitMut for Strip {
            fn visit_mut_expr(&mut self, e: &mut Expr) {
                while let Expr::Paren(p) = e {
                    *e = (*p.expr).clone();
                }
                // Minified, `new X()` prints as `new X`, the same call.
                if let Expr::New(n) = e {
                    n.args.get_or_insert_with(Vec::new);
                }
                e.visit_mut_children_with(self);
            }
        }
        module.visit_mut_with(&mut Strip);
        module
    }

    /// `src` (with parentheses where its author put them) prints as `expected`, which
    /// parses back to the tree `src` meant.
    fn prints(src: &str, expected: &str) {
        let mut module = parse(src);
        fix(&mut module);
        let out = print(&module);
        assert_eq!(out, expected, "`{src}`");
        assert!(
            bare(parse(&out)).eq_ignore_span(&bare(parse(src))),
            "`{src}` printed as `{out}` reads back as another tree"
        );
    }

    #[test]
    fn binary_operators_by_precedence_and_associativity() {
        prints("(a + b) + c", "a+b+c");
        prints("a + (b + c)", "a+(b+c)");
        prints("a * (b + c)", "a*(b+c)");
        prints("(a * b) + c", "a*b+c");
        prints("a ** (b ** c)", "a**b**c");
        prints("(a ** b) ** c", "(a**b)**c");
        prints("(-a) ** b", "(-a)**b");
        prints("a ** (-b)", "a**-b");
        prints("(a ?? b) || c", "(a??b)||c");
        prints("a ?? (b && c)", "a??(b&&c)");
        prints("(a = b) + c", "(a=b)+c");
        prints("(() => 1) || x", "(()=>1)||x");
        prints("(a ? b : c) + d", "(a?b:c)+d");
        prints("a - (-b)", "a- -b");
    }

    #[test]
    fn logical_operators_regroup_to_the_left() {
        // `a || (b || c)` evaluates the same operands in the same order as `a || b || c`.
        for (src, expected) in [("a || (b || c)", "a||b||c"), ("a ?? (b ?? c)", "a??b??c")] {
            let mut module = parse(src);
            fix(&mut module);
            assert_eq!(print(&module), expected);
        }
    }

    #[test]
    fn prefix_and_await_operands() {
        prints("-(a + b)", "-(a+b)");
        prints("!(a && b)", "!(a&&b)");
        prints("typeof (a, b)", "typeof(a,b)");
        prints("-(-a)", "- -a");
        prints(
            "async () => { await (a || b); (await a) || b }",
            "async()=>{await (a||b);await a||b}",
        );
    }

    #[test]
    fn conditionals_and_sequences() {
        prints("(a ? b : c) ? d : e", "(a?b:c)?d:e");
        prints("a ? (b, c) : d", "a?(b,c):d");
        prints("a ? (b = 1) : (c = 2)", "a?b=1:c=2");
        prints("f((a, b), c)", "f((a,b),c)");
        prints("let x = (a, b)", "let x=(a,b)");
        prints("x = [(a, b)]", "x=[(a,b)]");
        prints("x = { k: (a, b), [(c, d)]: e }", "x={k:(a,b),[(c,d)]:e}");
        prints("(a, b)", "a,b");
        prints("for (const x of (a, b)) {}", "for(const x of(a,b)){}");
        prints("function f(x = (a, b)) {}", "function f(x=(a,b)){}");
    }

    #[test]
    fn member_calls_and_optional_chains() {
        prints("(a.b).c", "a.b.c");
        prints("(a + b).c", "(a+b).c");
        prints("(a?.b).c", "(a?.b).c");
        prints("(a?.b)()", "(a?.b)()");
        prints("a?.b.c", "a?.b.c");
        prints("(a?.b)?.c", "a?.b?.c");
        prints("(a => a)(1)", "(a=>a)(1)");
        prints("(a)`x`", "a`x`");
        prints("(a || b)`x`", "(a||b)`x`");
        prints("(0, a.b)()", "(0,a.b)()");
        prints("x = (function () {})()", "x=function(){}()");
    }

    #[test]
    fn new_and_its_callee() {
        prints("new (f())()", "new(f())");
        prints("new (f().g)()", "new(f().g)");
        prints("new (a.b)()", "new a.b");
        prints("new X().y", "new X().y");
        prints("new X(1).y", "new X(1).y");
        prints("(new X).y", "(new X).y");
        prints("(new X)()", "(new X)()");
        prints("new (new X)()", "new(new X)");
        prints("new (a?.b)()", "new(a?.b)");
    }

    #[test]
    fn what_a_statement_or_an_arrow_body_starts_with() {
        prints("(function () {})()", "(function(){}())");
        prints("(class {}).name", "(class{}.name)");
        prints("({}).toString()", "({}.toString())");
        prints("({ a } = b)", "({a}=b)");
        prints("x = () => ({})", "x=()=>({})");
        prints("x = () => ({}).a", "x=()=>({}.a)");
        prints("x = () => (a, b)", "x=()=>(a,b)");
        prints(
            "export default (function () {})",
            "export default(function(){})",
        );
        prints("export default ({})", "export default{}");
        prints("class A extends (B || C) {}", "class A extends(B||C){}");
    }

    #[test]
    fn a_negative_number_built_in_the_tree_keeps_its_sign_apart() {
        // The parser reads `-1` as negation, but generated code builds the literal.
        let minus_one = || {
            Box::new(Expr::Lit(Lit::Num(Number {
                span: DUMMY_SP,
                value: -1.0,
                raw: None,
            })))
        };
        let mut module = parse("x.toFixed(); x ** 2");
        let mut set = |i: usize, f: &dyn Fn(&mut Expr)| {
            let swc_ecma_ast::ModuleItem::Stmt(swc_ecma_ast::Stmt::Expr(s)) = &mut module.body[i]
            else {
                unreachable!()
            };
            f(&mut s.expr);
        };
        set(0, &|e| {
            let Expr::Call(c) = e else { unreachable!() };
            let Callee::Expr(callee) = &mut c.callee else {
                unreachable!()
            };
            let Expr::Member(m) = &mut **callee else {
                unreachable!()
            };
            m.obj = minus_one();
        });
        set(1, &|e| {
            let Expr::Bin(b) = e else { unreachable!() };
            b.left = minus_one();
        });
        fix(&mut module);
        assert_eq!(print(&module), "(-1).toFixed();(-1)**2");
    }
}
