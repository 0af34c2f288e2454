//! Module-level syntax: the directive prologue, imports and exports.

use swc_common::DUMMY_SP;
use swc_ecma_ast::{
    Decl, ExportDecl, ExportNamedSpecifier, ExportSpecifier, FnDecl, ImportDecl,
    ImportDefaultSpecifier, ImportNamedSpecifier, ImportPhase, ImportSpecifier,
    ImportStarAsSpecifier, ModuleDecl, ModuleExportName, ModuleItem, NamedExport, Stmt,
};

use crate::ast::{expr_stmt, function, ident, is_ident_name, str_, str_lit};

/// A directive such as `"use components";`.
pub fn directive(text: &str) -> ModuleItem {
    ModuleItem::Stmt(expr_stmt(str_(text)))
}

/// What an `import` declaration binds.
pub enum Binds<'a> {
    /// `import * as var from 'spec'`.
    Namespace,
    /// `import var from 'spec'`.
    Default,
    /// `import { name as var } from 'spec'` (a string name when not an identifier).
    Member(&'a str),
}

/// An `import` declaration binding `var`.
pub fn import(var: &str, spec: &str, what: Binds<'_>) -> ModuleItem {
    let local = ident(var);
    let specifier = match what {
        Binds::Namespace => ImportSpecifier::Namespace(ImportStarAsSpecifier {
            span: DUMMY_SP,
            local,
        }),
        Binds::Default => ImportSpecifier::Default(ImportDefaultSpecifier {
            span: DUMMY_SP,
            local,
        }),
        Binds::Member(name) => ImportSpecifier::Named(ImportNamedSpecifier {
            span: DUMMY_SP,
            local,
            imported: Some(if is_ident_name(name) {
                ModuleExportName::Ident(ident(name))
            } else {
                ModuleExportName::Str(str_lit(name))
            }),
            is_type_only: false,
        }),
    };
    ModuleItem::ModuleDecl(ModuleDecl::Import(ImportDecl {
        span: DUMMY_SP,
        specifiers: vec![specifier],
        src: Box::new(str_lit(spec)),
        type_only: false,
        with: None,
        phase: ImportPhase::Evaluation,
    }))
}

/// `export async function name(params) { body }`, or without `async`.
pub fn export_fn(name: &str, params: &[String], body: Vec<Stmt>, is_async: bool) -> ModuleItem {
    ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ExportDecl {
        span: DUMMY_SP,
        decl: Decl::Fn(FnDecl {
            ident: ident(name),
            declare: false,
            function: function(params, body, is_async),
        }),
    }))
}

/// `export { local as exported, … }`.
pub fn export_names(names: &[(String, String)]) -> ModuleItem {
    let specifiers = names
        .iter()
        .map(|(local, exported)| {
            let exported = if local == exported {
                None
            } else if is_ident_name(exported) {
                Some(ModuleExportName::Ident(ident(exported)))
            } else {
                Some(ModuleExportName::Str(str_lit(exported)))
            };
            ExportSpecifier::Named(ExportNamedSpecifier {
                span: DUMMY_SP,
                orig: ModuleExportName::Ident(ident(local)),
                exported,
                is_type_only: false,
            })
        })
        .collect();
    ModuleItem::ModuleDecl(ModuleDecl::ExportNamed(NamedExport {
        span: DUMMY_SP,
        specifiers,
        src: None,
        type_only: false,
        with: None,
    }))
}
