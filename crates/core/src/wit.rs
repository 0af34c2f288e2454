//! The component's WIT: decoded with wit-parser, printed with wit-component's printer.
//! The JS backend uses the decoded world for names and `.d.ts` types.

use anyhow::{Context, Result};
use wit_parser::decoding::{DecodedWasm, decode};
use wit_parser::{Resolve, WorldId};

/// The decoded world of a component.
pub struct WitInfo {
    pub resolve: Resolve,
    pub world: WorldId,
}

/// Decodes the world a component implements.
///
/// # Errors
/// Fails when the bytes are not a component wit-parser can decode.
pub fn wit_info(bytes: &[u8]) -> Result<WitInfo> {
    // wit-parser's decoder panics on some valid components it cannot express as WIT;
    // that must be an error here, not a crash.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let decoded = std::panic::catch_unwind(|| decode(bytes));
    std::panic::set_hook(previous);
    let decoded = decoded.map_err(|_| {
        anyhow::anyhow!("the component's WIT cannot be decoded (wit-parser panicked)")
    })?;
    match decoded.context("failed to decode the component's WIT")? {
        DecodedWasm::Component(resolve, world) => Ok(WitInfo { resolve, world }),
        DecodedWasm::WitPackage(..) => anyhow::bail!("input is a WIT package, not a component"),
    }
}

/// The component's WIT as text.
///
/// # Errors
/// Fails when decoding or printing fails.
pub fn wit_text(bytes: &[u8]) -> Result<String> {
    let info = wit_info(bytes)?;
    let pkg = info.resolve.worlds[info.world]
        .package
        .context("decoded world has no package")?;
    let mut printer = wit_component::WitPrinter::default();
    printer.print(&info.resolve, pkg, &[])?;
    Ok(printer.output.to_string())
}
