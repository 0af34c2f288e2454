//! weft-core: from component bytes to an instantiation [`Plan`].
//!
//! The pipeline is `parse` (wasmparser, validating) → `inline` (flatten the component
//! graph into initializers and trampolines) → [`Plan`], with `abi` answering every
//! Canonical ABI layout question. Nothing here does I/O or knows about JS syntax, so the
//! crate builds for `wasm32-unknown-unknown`.
//!
//! ```
//! let wasm = wat_free_example();
//! let plan = weft_core::plan(&wasm).unwrap();
//! assert_eq!(plan.exports.len(), 0);
//! # fn wat_free_example() -> Vec<u8> { vec![0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0] }
//! ```

pub mod abi;
mod dwarf;
pub mod error;
mod inline;
pub mod limits;
mod parse;
pub mod plan;
mod sha256;
pub mod types;
mod wit;

pub use dwarf::without_dwarf;
pub use limits::Limits;
pub use plan::Plan;
pub use sha256::sha256_hex;
pub use wit::{WitInfo, wit_info, wit_text};

/// Validates a component binary without flattening it.
///
/// # Errors
/// Fails with the validator's message and byte offset.
pub fn validate(bytes: &[u8]) -> anyhow::Result<()> {
    parse::parse(bytes).map(drop)
}

/// Validates and flattens a component binary.
///
/// # Errors
/// Fails when the bytes are not a valid component (with the validator's message and
/// byte offset) or use a feature weft does not support yet (naming it).
pub fn plan(bytes: &[u8]) -> anyhow::Result<Plan> {
    plan_with_limits(bytes, &Limits::default())
}

/// [`plan`] within `limits` (instances, nesting, the code the plan must generate).
///
/// # Errors
/// As [`plan`], and when the flattened component crosses a limit (naming it).
pub fn plan_with_limits(bytes: &[u8], limits: &Limits) -> anyhow::Result<Plan> {
    let parsed = parse::parse(bytes)?;
    inline::inline(&parsed, limits)
}
