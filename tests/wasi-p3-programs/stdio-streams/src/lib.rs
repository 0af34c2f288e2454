//! stdin, stdout and stderr through streams the way the `wasip3` crate's stream helpers
//! use them, cancels and drops included (see `program.rs`, which
//! stdio-streams-wasip3-07 builds with an older wasip3).
mod program;
