//! Layouts: clips made of other clips — grid, composite (layers), sequence.

pub mod composite;
pub mod grid;
pub mod legible;
pub mod position;
pub mod schema;
pub mod sequence;
