//! Module-level syntax: the directive prologue, imports and exports.

use swc_common::DUMMY_SP;
use swc_ecma_ast::{
    Decl, ExportDecl, ExportNamedSpecifier, ExportSpecifier, FnDecl, ImportDecl,
    ImportDefaultSpecifier, ImportPhase, ImportSpecifier, ImportStarAsSpecifier, ModuleDecl,
    ModuleExportName, ModuleItem, NamedExport, Stmt,
};

use crate::ast::{expr_stmt, function, ident, is_ident_name, str_, str_lit};

/// A directive such as `"use components";`.
pub fn directive(text: &str) -> ModuleItem {
    ModuleItem::Stmt(expr_stmt(str_(text)))
}

/// `import * as var from 'spec'` or `import var from 'spec'`.
pub fn import(var: &str, spec: &str, default: bool) -> ModuleItem {
    let specifier = if default {
        ImportSpecifier::Default(ImportDefaultSpecifier {
            span: DUMMY_SP,
            local: ident(var),
        })
    } else {
        ImportSpecifier::Namespace(ImportStarAsSpecifier {
            span: DUMMY_SP,
            local: ident(var),
        })
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

/// `export async function name(params) { body }`.
pub fn export_async_fn(name: &str, params: &[String], body: Vec<Stmt>) -> ModuleItem {
    ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ExportDecl {
        span: DUMMY_SP,
        decl: Decl::Fn(FnDecl {
            ident: ident(name),
            declare: false,
            function: function(params, body, true),
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
