//! The one table of clip kinds: the name a scene writes as `kind`, and the builder of
//! its clip. Adding a kind is one line here.

use std::ops::Range;
use std::sync::Arc;

use toml::de::DeTable;
use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::clip::build::{spec, ResolveCx};
use crate::clip::Clip;
use crate::layout::{composite, grid, sequence};
use crate::source::{
    audio, bars, color, curve3d, field, file, images, plot, program, simulation, surface, text,
    video,
};

/// Builds a clip of one kind from the kind-specific keys of its table.
type Builder =
    fn(DeTable<'_>, Range<usize>, &mut ResolveCx<'_>) -> Result<Arc<dyn Clip>, Diagnostic>;

/// Every `kind` a clip table may name, in the order hints list them.
const KINDS: &[(&str, Builder)] = &[
    ("color", |t, s, cx| color::build(spec(t, s)?, cx)),
    ("file", |t, s, cx| file::build(spec(t, s)?, cx)),
    ("images", |t, s, cx| images::build(spec(t, s)?, cx)),
    ("text", |t, s, cx| text::build(spec(t, s)?, cx)),
    ("plot", |t, s, cx| plot::build(spec(t, s.clone())?, s, cx)),
    ("field", |t, s, cx| field::build(spec(t, s.clone())?, s, cx)),
    ("simulation", |t, s, cx| {
        simulation::build(spec(t, s.clone())?, s, cx)
    }),
    ("bars", |t, s, cx| bars::build(spec(t, s.clone())?, s, cx)),
    ("surface", |t, s, cx| surface::build(spec(t, s)?, cx)),
    ("curve3d", |t, s, cx| curve3d::build(spec(t, s)?, cx)),
    ("grid", |t, s, cx| grid::build(spec(t, s)?, cx)),
    ("composite", |t, s, cx| composite::build(spec(t, s)?, cx)),
    ("sequence", |t, s, cx| sequence::build(spec(t, s)?, cx)),
    ("video", |t, s, cx| video::build(spec(t, s)?, cx)),
    ("audio", |t, s, cx| audio::build(spec(t, s)?, cx)),
    ("program", |t, s, cx| {
        program::build_program(spec(t, s.clone())?, s, cx)
    }),
    ("stdin", |t, s, cx| {
        program::build_stdin(spec(t, s.clone())?, s, cx)
    }),
];

/// The names of every kind, for hints.
pub fn names() -> Vec<&'static str> {
    KINDS.iter().map(|(name, _)| *name).collect()
}

/// Builds the clip a table describes, by its `kind`.
pub fn build(
    kind: &Spanned<String>,
    table: DeTable<'_>,
    span: Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let name = kind.get_ref().as_str();
    match KINDS.iter().find(|(k, _)| *k == name) {
        Some((_, builder)) => builder(table, span, cx),
        None => {
            let mut d = Diagnostic::at(format!("unknown clip kind `{name}`"), kind.span());
            d.hint = crate::base::habits::name_hint(name, names())
                .or_else(|| Some(format!("kinds: {}", names().join(", "))));
            Err(d)
        }
    }
}
