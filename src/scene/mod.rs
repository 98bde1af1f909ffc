//! Scene files: TOML in, a resolved clip tree out.

pub mod de;
pub mod diag;
pub mod limits;
pub mod resolve;
