//! Bounds on one transpile, so that no input can make weft run for hours or fill the
//! memory: a component of a few hundred bytes that instantiates a nested component
//! twice per level flattens into 2^depth instances.
//!
//! The flattener counts as it goes and stops at the first bound crossed, with an
//! ordinary error (bad input, exit 1) that names the limit and how to raise it. The
//! defaults are far above what real components need (the largest compositions met have
//! tens of instances and a few MiB of JS).

use anyhow::{Result, bail};

/// The limits of one transpile. `weft transpile` sets them with `--max-instances`,
/// `--max-nesting` and `--max-code-size`; the JS API with `maxInstances`, `maxNesting`
/// and `maxCodeSize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Component and core instances the flattened component creates, the root
    /// included (default 10,000).
    pub max_instances: u32,
    /// Levels of nested component instantiation, the root being level 1 (default 100).
    pub max_nesting: u32,
    /// Bytes of generated code: the JS module and its `.d.ts` (default 64 MiB). The
    /// flattener checks a lower bound of it as the plan grows ([`MIN_CODE_PER_ITEM`]
    /// per core instance, trampoline and resource type), so a plan that cannot fit
    /// stops early; the JS backend checks the printed size.
    pub max_code_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_instances: 10_000,
            max_nesting: 100,
            max_code_size: 64 << 20,
        }
    }
}

/// The fewest bytes of JS any core instance, trampoline or resource type of a plan
/// generates (minified: `core12=await instantiateCore(…)`, `function trampoline7(…){…}`,
/// `const rt3=new ResourceType(…)`).
pub const MIN_CODE_PER_ITEM: usize = 16;

/// `N` flags of the CLI and the JS API, for the messages.
fn how_to_raise(flag: &str, option: &str) -> String {
    format!(
        "raise the limit with `--{flag} N` (`weft transpile`) or the `{option}` option (JS API)"
    )
}

impl Limits {
    /// Fails when `count` instances exceed [`Limits::max_instances`].
    ///
    /// # Errors
    /// The limit's error.
    pub fn check_instances(&self, count: u64) -> Result<()> {
        if count > u64::from(self.max_instances) {
            bail!(
                "the component creates more than {} component and core instances (limit \
                 `max-instances`); {}",
                self.max_instances,
                how_to_raise("max-instances", "maxInstances")
            );
        }
        Ok(())
    }

    /// Fails when instantiations nest `depth` levels, more than [`Limits::max_nesting`].
    ///
    /// # Errors
    /// The limit's error.
    pub fn check_nesting(&self, depth: u32) -> Result<()> {
        if depth > self.max_nesting {
            bail!(
                "component instantiations nest deeper than {} levels (limit `max-nesting`); {}",
                self.max_nesting,
                how_to_raise("max-nesting", "maxNesting")
            );
        }
        Ok(())
    }

    /// Fails when a plan of `items` core instances, trampolines and resource types must
    /// generate more than [`Limits::max_code_size`] bytes.
    ///
    /// # Errors
    /// The limit's error.
    pub fn check_plan_items(&self, items: usize) -> Result<()> {
        let least = items.saturating_mul(MIN_CODE_PER_ITEM);
        if least > self.max_code_size {
            bail!(
                "the generated code would be larger than {} bytes: the flattened component has \
                 {items} core instances, trampolines and resource types, of at least \
                 {MIN_CODE_PER_ITEM} bytes each (limit `max-code-size`); {}",
                self.max_code_size,
                how_to_raise("max-code-size", "maxCodeSize")
            );
        }
        Ok(())
    }

    /// Fails when generated code of `size` bytes exceeds [`Limits::max_code_size`].
    ///
    /// # Errors
    /// The limit's error.
    pub fn check_code_size(&self, size: usize) -> Result<()> {
        if size > self.max_code_size {
            bail!(
                "the generated code is larger than {} bytes ({size} bytes) (limit \
                 `max-code-size`); {}",
                self.max_code_size,
                how_to_raise("max-code-size", "maxCodeSize")
            );
        }
        Ok(())
    }
}
