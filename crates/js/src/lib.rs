//! weft-js: from an instantiation [`Plan`](weft_core::Plan) to an ES module and its
//! TypeScript declarations.
//!
//! This is the only crate that names swc types. Code is built as an swc AST
//! (`ast.rs` helpers), the runtime files under `src/runtime/` are parsed and merged in
//! (`runtime.rs`), `parens.rs` puts in the parentheses the AST needs, and
//! `swc_ecma_codegen` prints the result.

// swc's AST holds expressions as `Box<Expr>` everywhere; keeping them boxed in our
// vectors and parameters avoids re-boxing on every node we build.
#![allow(clippy::vec_box, clippy::borrowed_box)]

mod abi;
mod adapter;
mod ast;
mod binding;
mod builtins;
mod call;
mod describe;
mod dts;
mod emit;
mod esm;
mod exports;
mod facts;
mod host;
mod idl;
mod imports;
mod instantiate;
mod jspi;
mod lift;
mod link;
mod module;
mod names;
mod options;
mod output;
mod parens;
mod record;
mod runtime;
mod specifier;
mod state;
mod trace_table;
mod webidl;

use anyhow::{Context, Result};
use swc_common::{GLOBALS, Globals, SourceMap, sync::Lrc};

pub use describe::describe;
pub use options::{Compat, Options, WebIdlMissing, label_matches};
pub use runtime::FILES as RUNTIME_FILES;
pub use trace_table::header as record_header;

/// The generated files.
#[derive(Debug, Clone)]
pub struct Output {
    /// `(file name, contents)`, the JS module first.
    pub files: Vec<(String, Vec<u8>)>,
    /// Import names of the component.
    pub imports: Vec<String>,
    /// Export names of the component.
    pub exports: Vec<String>,
    /// Options that applied to nothing (`--async-imports` and `--async-exports`
    /// patterns, `--map` rules), one message each; the output is what it would be
    /// without them.
    pub warnings: Vec<String>,
}

/// Which side of a world [`types`] declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// What the transpiled module exposes and what its host provides: the `.d.ts`
    /// [`generate`] writes for a component of the world.
    Host,
    /// What a JS implementation of the world imports and exports (ambient modules).
    Guest,
}

/// TypeScript declarations for a world, from WIT alone (`weft types`).
#[derive(Debug, Clone)]
pub struct Declarations {
    /// The `.d.ts` text.
    pub text: String,
    /// Options that applied to nothing in the world, one message each.
    pub warnings: Vec<String>,
}

/// The declarations of `side` for the world `world` of `resolve`, under `opts` (the
/// host side reads `compat`, `instantiation`, `sync_instantiation`, `tla_compat`,
/// `async_exports` and `map`; the guest side `compat`).
///
/// # Errors
/// Fails for options that contradict each other, or output above `opts.limits`.
pub fn types(
    resolve: &wit_parser::Resolve,
    world: wit_parser::WorldId,
    opts: &Options,
    side: Side,
) -> Result<Declarations> {
    check_options(opts)?;
    let (text, warnings) = match side {
        Side::Host => (
            dts::host(resolve, world, opts),
            dts::unmatched_options(resolve, world, opts),
        ),
        Side::Guest => (dts::guest(resolve, world, opts), Vec::new()),
    };
    opts.limits.check_code_size(text.len())?;
    Ok(Declarations { text, warnings })
}

/// Refuses options that contradict each other.
fn check_options(opts: &Options) -> Result<()> {
    if opts.tla_compat && opts.instantiation {
        anyhow::bail!(
            "`--tla-compat` applies to the self-instantiating module; with `--instantiation` there is no top-level `await` to avoid"
        );
    }
    if opts.sync_instantiation && !opts.instantiation {
        anyhow::bail!(
            "synchronous instantiation applies to instantiation mode: set `instantiation` too (`--instantiation sync`)"
        );
    }
    Ok(())
}

/// Generates the JS module (and `.d.ts`) for a plan.
///
/// # Errors
/// Fails when the plan uses something the JS backend does not support, naming it.
pub fn generate(
    plan: &weft_core::Plan,
    wit: Option<&weft_core::WitInfo>,
    opts: &Options,
) -> Result<Output> {
    check_options(opts)?;
    let lowered;
    let plan = if opts.lowered {
        lowered = weft_lower::lower_plan(plan, facts::concurrent(plan, opts))
            .context("linking the component's core instances into one module (`--lowered`)")?;
        &lowered
    } else {
        plan
    };
    // A plan flattened under larger limits may still be too large for these.
    opts.limits.check_plan_items(
        plan.core_instances as usize + plan.trampolines.len() + plan.resources.len(),
    )?;
    GLOBALS
        .set(&Globals::new(), || {
            let runtime = runtime::Runtime::load()?;
            let out = module::generate_module(plan, opts, &runtime)?;
            let js = print(out.js, out.runtime_items, opts.minify);
            opts.limits.check_code_size(js.len())?;
            let mut files = vec![(format!("{}.js", opts.name), js.into_bytes())];
            if opts.typescript {
                let dts = dts::generate(plan, wit, opts);
                opts.limits
                    .check_code_size(files[0].1.len().saturating_add(dts.len()))?;
                files.push((format!("{}.d.ts", opts.name), dts.into_bytes()));
            }
            files.extend(out.core_files);
            Ok(Output {
                files,
                imports: out.import_names,
                exports: out.export_names,
                warnings: facts::unmatched_options(plan, opts),
            })
        })
        .and_then(|mut output| {
            // Each exported component: a module of its own, in instantiation form.
            for (i, sub) in plan.components.iter().enumerate() {
                let file = names::component_file(&opts.name, i as u32);
                let sub_opts = Options {
                    name: file.trim_end_matches(".js").to_string(),
                    instantiation: true,
                    ..opts.clone()
                };
                let out = generate(sub, None, &sub_opts)
                    .with_context(|| format!("generating the exported component `{file}`"))?;
                output.files.extend(out.files);
            }
            Ok(output)
        })
}

/// Prints the module: minified with `--minify`; else readable, except the runtime's
/// declarations (`runtime_items`), which are library code, the same in every output,
/// read in src/runtime: they are printed compactly, as `--minify` prints them.
fn print(
    module: swc_ecma_ast::Module,
    runtime_items: std::ops::Range<usize>,
    minify: bool,
) -> String {
    let mut module = module;
    parens::fix(&mut module);
    if minify || runtime_items.is_empty() {
        return print_items(module.body, minify);
    }
    let rest = module.body.split_off(runtime_items.end);
    let runtime = module.body.split_off(runtime_items.start);
    let mut out = print_items(module.body, false);
    out.push_str(&print_items(runtime, true));
    out.push('\n');
    out.push_str(&print_items(rest, false));
    out
}

fn print_items(body: Vec<swc_ecma_ast::ModuleItem>, minify: bool) -> String {
    let module = swc_ecma_ast::Module {
        span: swc_common::DUMMY_SP,
        body,
        shebang: None,
    };
    let cm: Lrc<SourceMap> = Lrc::default();
    let mut buf = Vec::new();
    {
        let mut writer =
            swc_ecma_codegen::text_writer::JsWriter::new(cm.clone(), "\n", &mut buf, None);
        // Two spaces, as JS is usually written (and src/runtime is): with swc's four, a
        // large component's output was 38% indentation.
        writer.set_indent_str("  ");
        let wr: Box<dyn swc_ecma_codegen::text_writer::WriteJs> = if minify {
            Box::new(swc_ecma_codegen::text_writer::omit_trailing_semi(writer))
        } else {
            Box::new(writer)
        };
        let mut emitter = swc_ecma_codegen::Emitter {
            cfg: swc_ecma_codegen::Config::default().with_minify(minify),
            cm,
            comments: None,
            wr,
        };
        emitter
            .emit_module(&module)
            .expect("writing to a Vec cannot fail");
    }
    String::from_utf8(buf).expect("swc prints UTF-8")
}
