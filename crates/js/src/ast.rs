//! Small constructors for swc AST nodes, so the generators read like the JS they build.
//! Everything that names an swc type outside this file is a plain `Box<Expr>`/`Stmt`.

use swc_atoms::Atom;
use swc_common::{DUMMY_SP, SyntaxContext};
use swc_ecma_ast::{
    ArrayLit, ArrowExpr, ArrowFunctionBody, AssignExpr, AssignOp, BinExpr, BinaryOp, BindingIdent,
    BlockStmt, BreakStmt, CallExpr, Callee, CatchClause, ComputedPropName, CondExpr, Decl, Expr,
    ExprOrSpread, ExprStmt, FnDecl, ForStmt, Function, Ident, IdentName, IfStmt, KeyValueProp, Lit,
    MemberExpr, MemberProp, NewExpr, Number, ObjectLit, Param, Pat, Prop, PropName, PropOrSpread,
    ReturnStmt, SeqExpr, SimpleAssignTarget, Stmt, Str, SwitchCase, SwitchStmt, ThrowStmt, TryStmt,
    UnaryExpr, UnaryOp, UpdateExpr, UpdateOp, VarDecl, VarDeclKind, VarDeclOrExpr, VarDeclarator,
};

/// An identifier.
pub fn ident(name: &str) -> Ident {
    Ident::new_no_ctxt(Atom::from(name), DUMMY_SP)
}

/// An identifier expression.
pub fn id(name: &str) -> Box<Expr> {
    Box::new(Expr::Ident(ident(name)))
}

/// A number literal.
pub fn num(n: f64) -> Box<Expr> {
    Box::new(Expr::Lit(Lit::Num(Number {
        span: DUMMY_SP,
        value: n,
        raw: None,
    })))
}

/// A BigInt literal.
pub fn bigint(n: impl Into<swc_ecma_ast::BigIntValue>) -> Box<Expr> {
    Box::new(Expr::Lit(Lit::BigInt(swc_ecma_ast::BigInt {
        span: DUMMY_SP,
        value: Box::new(n.into()),
        raw: None,
    })))
}

/// A string literal.
pub fn str_(s: &str) -> Box<Expr> {
    Box::new(Expr::Lit(Lit::Str(str_lit(s))))
}

/// A string literal node.
pub fn str_lit(s: &str) -> Str {
    Str {
        span: DUMMY_SP,
        value: s.into(),
        raw: None,
    }
}

/// A boolean literal.
pub fn bool_(b: bool) -> Box<Expr> {
    Box::new(Expr::Lit(Lit::Bool(b.into())))
}

/// `null`.
pub fn null() -> Box<Expr> {
    Box::new(Expr::Lit(Lit::Null(swc_ecma_ast::Null { span: DUMMY_SP })))
}

/// `undefined`.
pub fn undefined() -> Box<Expr> {
    id("undefined")
}

fn args(args: Vec<Box<Expr>>) -> Vec<ExprOrSpread> {
    args.into_iter()
        .map(|expr| ExprOrSpread { spread: None, expr })
        .collect()
}

/// `callee(args…)`.
pub fn call(callee: Box<Expr>, a: Vec<Box<Expr>>) -> Box<Expr> {
    Box::new(Expr::Call(CallExpr {
        span: DUMMY_SP,
        ctxt: SyntaxContext::empty(),
        callee: Callee::Expr(callee),
        args: args(a),
        type_args: None,
    }))
}

/// `name(args…)`.
pub fn call_id(name: &str, a: Vec<Box<Expr>>) -> Box<Expr> {
    call(id(name), a)
}

/// `new callee(args…)`.
pub fn new_(callee: Box<Expr>, a: Vec<Box<Expr>>) -> Box<Expr> {
    Box::new(Expr::New(NewExpr {
        span: DUMMY_SP,
        ctxt: SyntaxContext::empty(),
        callee,
        args: Some(args(a)),
        type_args: None,
    }))
}

/// Whether `s` can be written as `obj.s`.
pub fn is_ident_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// `obj.prop`, or `obj["prop"]` when `prop` is not an identifier name.
pub fn member(obj: Box<Expr>, prop: &str) -> Box<Expr> {
    let prop = if is_ident_name(prop) {
        MemberProp::Ident(IdentName::new(Atom::from(prop), DUMMY_SP))
    } else {
        MemberProp::Computed(ComputedPropName {
            span: DUMMY_SP,
            expr: str_(prop),
        })
    };
    Box::new(Expr::Member(MemberExpr {
        span: DUMMY_SP,
        obj,
        prop,
    }))
}

/// `obj[index]`.
pub fn index(obj: Box<Expr>, index: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Member(MemberExpr {
        span: DUMMY_SP,
        obj,
        prop: MemberProp::Computed(ComputedPropName {
            span: DUMMY_SP,
            expr: index,
        }),
    }))
}

/// `obj.method(args…)`.
pub fn method(obj: Box<Expr>, name: &str, a: Vec<Box<Expr>>) -> Box<Expr> {
    call(member(obj, name), a)
}

/// A binary expression.
pub fn bin(l: Box<Expr>, op: BinaryOp, r: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Bin(BinExpr {
        span: DUMMY_SP,
        op,
        left: l,
        right: r,
    }))
}

/// A unary expression.
pub fn unary(op: UnaryOp, arg: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Unary(UnaryExpr {
        span: DUMMY_SP,
        op,
        arg,
    }))
}

/// `test ? cons : alt`.
pub fn cond(test: Box<Expr>, cons: Box<Expr>, alt: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Cond(CondExpr {
        span: DUMMY_SP,
        test,
        cons,
        alt,
    }))
}

/// `a, b, …` (a sequence expression; `parens.rs` parenthesises it where a comma would
/// mean more).
pub fn seq(exprs: Vec<Box<Expr>>) -> Box<Expr> {
    Box::new(Expr::Seq(SeqExpr {
        span: DUMMY_SP,
        exprs,
    }))
}

/// An array literal.
pub fn array(elems: Vec<Box<Expr>>) -> Box<Expr> {
    Box::new(Expr::Array(ArrayLit {
        span: DUMMY_SP,
        elems: elems
            .into_iter()
            .map(|expr| Some(ExprOrSpread { spread: None, expr }))
            .collect(),
    }))
}

/// An object literal.
pub fn object(props: Vec<(String, Box<Expr>)>) -> Box<Expr> {
    Box::new(Expr::Object(ObjectLit {
        span: DUMMY_SP,
        props: props
            .into_iter()
            .map(|(k, v)| {
                let key = if is_ident_name(&k) {
                    PropName::Ident(IdentName::new(Atom::from(k.as_str()), DUMMY_SP))
                } else {
                    PropName::Str(str_lit(&k))
                };
                PropOrSpread::Prop(Box::new(Prop::KeyValue(KeyValueProp { key, value: v })))
            })
            .collect(),
    }))
}

fn binding(name: &str) -> Pat {
    Pat::Ident(BindingIdent {
        id: ident(name),
        type_ann: None,
    })
}

fn var(kind: VarDeclKind, name: &str, init: Option<Box<Expr>>) -> Stmt {
    Stmt::Decl(Decl::Var(Box::new(VarDecl {
        span: DUMMY_SP,
        ctxt: SyntaxContext::empty(),
        kind,
        declare: false,
        decls: vec![VarDeclarator {
            span: DUMMY_SP,
            name: binding(name),
            init,
            definite: false,
        }],
    })))
}

/// `const name = init;`
pub fn const_(name: &str, init: Box<Expr>) -> Stmt {
    var(VarDeclKind::Const, name, Some(init))
}

/// `let name = init;` (or `let name;`).
pub fn let_(name: &str, init: Option<Box<Expr>>) -> Stmt {
    var(VarDeclKind::Let, name, init)
}

/// `target = value` as an expression.
pub fn assign_expr(target: &str, value: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Assign(AssignExpr {
        span: DUMMY_SP,
        op: AssignOp::Assign,
        left: SimpleAssignTarget::Ident(BindingIdent {
            id: ident(target),
            type_ann: None,
        })
        .into(),
        right: value,
    }))
}

/// `target ??= value`
pub fn nullish_assign(target: &str, value: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Assign(AssignExpr {
        span: DUMMY_SP,
        op: AssignOp::NullishAssign,
        left: SimpleAssignTarget::Ident(BindingIdent {
            id: ident(target),
            type_ann: None,
        })
        .into(),
        right: value,
    }))
}

/// `target = value;`
pub fn assign(target: &str, value: Box<Expr>) -> Stmt {
    expr_stmt(assign_expr(target, value))
}

/// `obj.prop = value;`
pub fn assign_member(obj: Box<Expr>, prop: &str, value: Box<Expr>) -> Stmt {
    expr_stmt(assign_member_expr(obj, prop, value))
}

/// `obj.prop = value` (an expression).
pub fn assign_member_expr(obj: Box<Expr>, prop: &str, value: Box<Expr>) -> Box<Expr> {
    let Expr::Member(m) = *member(obj, prop) else {
        unreachable!("member() builds a member expression")
    };
    Box::new(Expr::Assign(AssignExpr {
        span: DUMMY_SP,
        op: AssignOp::Assign,
        left: SimpleAssignTarget::Member(m).into(),
        right: value,
    }))
}

/// An expression statement.
pub fn expr_stmt(e: Box<Expr>) -> Stmt {
    Stmt::Expr(ExprStmt {
        span: DUMMY_SP,
        expr: e,
    })
}

/// `return e;`
pub fn ret(e: Option<Box<Expr>>) -> Stmt {
    Stmt::Return(ReturnStmt {
        span: DUMMY_SP,
        arg: e,
    })
}

/// `throw e;`
pub fn throw(e: Box<Expr>) -> Stmt {
    Stmt::Throw(ThrowStmt {
        span: DUMMY_SP,
        arg: e,
    })
}

/// `break;`
pub fn break_() -> Stmt {
    Stmt::Break(BreakStmt {
        span: DUMMY_SP,
        label: None,
    })
}

/// A block.
pub fn block(stmts: Vec<Stmt>) -> BlockStmt {
    BlockStmt {
        span: DUMMY_SP,
        ctxt: SyntaxContext::empty(),
        stmts,
    }
}

/// `if (test) { cons } else { alt }`.
pub fn if_(test: Box<Expr>, cons: Vec<Stmt>, alt: Option<Vec<Stmt>>) -> Stmt {
    Stmt::If(IfStmt {
        span: DUMMY_SP,
        test,
        cons: Box::new(Stmt::Block(block(cons))),
        alt: alt.map(|a| Box::new(Stmt::Block(block(a)))),
    })
}

/// `switch (disc) { case k: body… }`; `None` keys are `default:`.
pub fn switch(disc: Box<Expr>, cases: Vec<(Option<Box<Expr>>, Vec<Stmt>)>) -> Stmt {
    Stmt::Switch(SwitchStmt {
        span: DUMMY_SP,
        body_ctxt: SyntaxContext::empty(),
        discriminant: disc,
        cases: cases
            .into_iter()
            .map(|(test, cons)| SwitchCase {
                span: DUMMY_SP,
                test,
                cons,
            })
            .collect(),
    })
}

/// `for (let i = 0; i < n; i++) { body }`.
pub fn for_range(i: &str, n: Box<Expr>, body: Vec<Stmt>) -> Stmt {
    let Stmt::Decl(Decl::Var(init)) = let_(i, Some(num(0.0))) else {
        unreachable!("let_ builds a var decl")
    };
    Stmt::For(ForStmt {
        span: DUMMY_SP,
        init: Some(VarDeclOrExpr::VarDecl(init)),
        test: Some(bin(id(i), BinaryOp::Lt, n)),
        update: Some(Box::new(Expr::Update(UpdateExpr {
            span: DUMMY_SP,
            op: UpdateOp::PlusPlus,
            prefix: false,
            arg: id(i),
        }))),
        body: Box::new(Stmt::Block(block(body))),
    })
}

/// `try { body } catch (e) { handler }`.
pub fn try_catch(body: Vec<Stmt>, e: &str, handler: Vec<Stmt>) -> Stmt {
    Stmt::Try(Box::new(TryStmt {
        span: DUMMY_SP,
        block: block(body),
        handler: Some(CatchClause {
            span: DUMMY_SP,
            param: Some(binding(e)),
            body: block(handler),
        }),
        finalizer: None,
    }))
}

/// A `function` node with plain parameters.
pub fn function(params: &[String], body: Vec<Stmt>, is_async: bool) -> Box<Function> {
    Box::new(Function {
        this_param: None,
        params: params
            .iter()
            .map(|p| Param {
                span: DUMMY_SP,
                decorators: vec![],
                pat: binding(p),
            })
            .collect(),
        decorators: vec![],
        span: DUMMY_SP,
        ctxt: SyntaxContext::empty(),
        body: Some(swc_ecma_ast::FunctionBody {
            span: DUMMY_SP,
            stmts: body,
        }),
        is_generator: false,
        is_async,
        type_params: None,
        return_type: None,
    })
}

/// `function name(params) { body }`.
pub fn fn_decl(name: &str, params: &[String], body: Vec<Stmt>) -> Stmt {
    Stmt::Decl(Decl::Fn(FnDecl {
        ident: ident(name),
        declare: false,
        function: function(params, body, false),
    }))
}

/// `async function name(params) { body }`.
pub fn async_fn_decl(name: &str, params: &[String], body: Vec<Stmt>) -> Stmt {
    Stmt::Decl(Decl::Fn(FnDecl {
        ident: ident(name),
        declare: false,
        function: function(params, body, true),
    }))
}

/// `(params) => expr`.
pub fn arrow(params: &[String], body: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Arrow(ArrowExpr {
        span: DUMMY_SP,
        ctxt: SyntaxContext::empty(),
        params: params.iter().map(|p| binding(p)).collect(),
        body: Box::new(ArrowFunctionBody::Expr(body)),
        is_async: false,
        is_generator: false,
        type_params: None,
        return_type: None,
    }))
}

/// `function (params) { body }` as an expression.
pub fn fn_expr(params: &[String], body: Vec<Stmt>) -> Box<Expr> {
    Box::new(Expr::Fn(swc_ecma_ast::FnExpr {
        ident: None,
        function: function(params, body, false),
    }))
}

/// `async function (params) { body }` as an expression.
pub fn async_fn_expr(params: &[String], body: Vec<Stmt>) -> Box<Expr> {
    Box::new(Expr::Fn(swc_ecma_ast::FnExpr {
        ident: None,
        function: function(params, body, true),
    }))
}

/// `await e`.
pub fn await_(e: Box<Expr>) -> Box<Expr> {
    Box::new(Expr::Await(swc_ecma_ast::AwaitExpr {
        span: DUMMY_SP,
        arg: e,
    }))
}

/// `addr + offset`, or `addr` itself for offset 0.
pub fn plus(addr: &Expr, offset: u32) -> Box<Expr> {
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
