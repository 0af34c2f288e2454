//! stdio-streams' program (`../../stdio-streams/src/program.rs`) built with wasip3 0.7.1
//! and wit-bindgen 0.57.1 (see Cargo.toml).
#[path = "../../stdio-streams/src/program.rs"]
mod program;
