//! Sources: clips made from files, colours, text or generated from expressions. The
//! table of every clip `kind`, layouts included, is the scene layer's
//! (`scene/kinds.rs`).

pub mod apng;
pub mod audio;
pub mod bars;
pub mod chart_text;
pub mod color;
pub mod curve3d;
pub mod decode;
mod decode_text;
pub mod field;
pub mod file;
pub mod font;
pub mod gif;
mod gif_repair;
mod glob_walk;
pub mod grid;
pub mod images;
pub mod in_range;
mod jpeg;
pub mod plot;
pub mod program;
pub mod schema;
pub mod simulation;
mod still;
pub mod surface;
pub mod text;
mod tiff_pages;
pub mod video;
pub mod view3d;
mod webp;
