//! Sources: clips made from files, colours, text or generated from expressions; and
//! the registry of every clip `kind`, layouts included.

use std::ops::Range;
use std::sync::Arc;

use toml::de::DeTable;
use toml::Spanned;

use crate::clip::Clip;
use crate::scene::diag::{did_you_mean, Diagnostic};
use crate::scene::resolve::{spec, ResolveCx};

pub mod color;
pub mod curve3d;
pub mod decode;
pub mod field;
pub mod file;
pub mod gif;
pub mod images;
pub mod plot;
mod still;
pub mod surface;
pub mod text;
pub mod video;
pub mod view3d;

/// Every `kind` a clip table may name.
pub const KINDS: &[&str] = &[
    "color",
    "file",
    "images",
    "text",
    "plot",
    "field",
    "surface",
    "curve3d",
    "grid",
    "composite",
    "sequence",
    "video",
];

/// Builds the clip a table describes, by its `kind`.
pub fn build(
    kind: &Spanned<String>,
    table: DeTable<'_>,
    span: Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    match kind.get_ref().as_str() {
        "color" => color::build(spec(table, span)?, cx),
        "file" => file::build(spec(table, span)?, cx),
        "images" => images::build(spec(table, span)?, cx),
        "text" => text::build(spec(table, span)?, cx),
        "plot" => plot::build(spec(table, span.clone())?, span, cx),
        "field" => field::build(spec(table, span.clone())?, span, cx),
        "surface" => surface::build(spec(table, span)?, cx),
        "curve3d" => curve3d::build(spec(table, span)?, cx),
        "grid" => crate::layout::grid::build(spec(table, span)?, cx),
        "composite" => crate::layout::composite::build(spec(table, span)?, cx),
        "sequence" => crate::layout::sequence::build(spec(table, span)?, cx),
        "video" => video::build(spec(table, span)?, cx),
        other => {
            let mut d = Diagnostic::at(format!("unknown clip kind `{other}`"), kind.span());
            d.hint = did_you_mean(other, KINDS.iter().copied())
                .or_else(|| Some(format!("kinds: {}", KINDS.join(", "))));
            Err(d)
        }
    }
}
