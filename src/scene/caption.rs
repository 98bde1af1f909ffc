//! The `caption` effect: a text drawn over the clip, written in its `effects` list
//! (`{ caption = "Equalized" }`) instead of a text clip and a composite of its own.
//! It takes a text clip's keys and a `position`, so it is read here, where sources and
//! layouts are both in reach, rather than among the effects below them.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::base::de::typed_table;
use crate::base::diag::Diagnostic;
use crate::base::frame::Size;
use crate::base::schema::{effect, key, Effect, Key, Ty};
use crate::clip::build::{take, ResolveCx};
use crate::clip::Clip;
use crate::expr::RawParam;
use crate::layout::composite;
use crate::layout::position::{Position, RawPosition};
use crate::source::text;

/// The name scenes write.
pub const NAME: &str = "caption";

/// Where a caption goes when no `position` is given: centred at the top, as a title.
const DEFAULT_PLACE: (f64, f64) = (0.5, 0.0);

/// The caption for `animate schema`: a text clip's keys and where it goes.
pub const SCHEMA: Effect = effect(
    NAME,
    Ty::Either(&[Ty::Str, Ty::Table(KEYS)]),
    "a text drawn over the clip: the text, or a text clip's keys and a position",
);

const KEYS: &[Key] = &with_position();

const fn with_position() -> [Key; crate::source::schema::TEXT.len() + 1] {
    let text = crate::source::schema::TEXT;
    let mut out = [key(
        "position",
        Ty::Position,
        "where the caption sits on the clip, as a layer's position",
    )
    .default("[\"center\", \"top\"]"); crate::source::schema::TEXT.len() + 1];
    let mut i = 0;
    while i < text.len() {
        out[i] = text[i];
        i += 1;
    }
    out
}

/// `base` with the caption `raw` (a text, or a table of a text clip's keys and a
/// `position`) drawn over it.
pub fn apply(
    raw: Spanned<DeValue<'_>>,
    base: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let span = raw.span();
    let mut table = match raw.into_inner() {
        DeValue::String(s) => {
            let mut t = DeTable::new();
            t.insert(
                Spanned::new(span.clone(), Cow::Borrowed("text")),
                Spanned::new(span.clone(), DeValue::String(s)),
            );
            t
        }
        DeValue::Table(t) => t,
        _ => return Err(wrong_shape(span)),
    };
    let position: Option<Spanned<RawPosition>> = take(&mut table, "position")?;
    // A caption is a text, not a clip table: `kind`, `effects` and the like are
    // unknown keys here, named as such.
    let spec: text::Spec = typed_table(table, span.clone(), &["position"])?;
    let words = spec.text.get_ref().clone();
    let font_size = match spec.font_size.as_ref().map(|f| f.get_ref()) {
        None => Some(text::DEFAULT_FONT_SIZE),
        Some(RawParam::Number(n)) => Some(*n),
        Some(_) => None,
    };
    let boxed = spec.size.is_some();
    let drawn = text::build(spec, cx)?;
    if let Some(w) = cut_caption(&words, drawn.size(), base.size(), font_size, boxed) {
        cx.warn(Diagnostic::at(w.0, span.clone()).with_hint(w.1));
    }
    let position = match &position {
        Some(p) => Position::compile(p, cx)?,
        None => Position::aligned(DEFAULT_PLACE.0, DEFAULT_PLACE.1),
    };
    let (line, column) = cx.line_col(span.start);
    let of = cx
        .current_clip()
        .map_or(String::new(), |name| format!(" of `{name}`"));
    Ok(composite::caption(base, drawn, position, || {
        format!("the caption{of} (line {line}, column {column})")
    }))
}

/// A warning (message, hint) when the caption `words`, drawn `text` large, does not fit
/// on the clip of size `clip` it is written on: whatever its position, the composite is
/// the clip's size, so the rest is cut at the clip's edges (the default 32-pixel text
/// on a 160-pixel panel of a grid). `font_size` is the caption's when it is a number;
/// `boxed` when it has a `size` of its own.
fn cut_caption(
    words: &str,
    text: Size,
    clip: Size,
    font_size: Option<f64>,
    boxed: bool,
) -> Option<(String, String)> {
    if text.w <= clip.w && text.h <= clip.h {
        return None;
    }
    let shown: String = words.chars().take(40).collect();
    let more = if shown.len() < words.len() { "…" } else { "" };
    let message = format!(
        "the caption `{shown}{more}` is {}x{} pixels, larger than the {}x{} clip it is on: \
         it is cut at the clip's edges",
        text.w, text.h, clip.w, clip.h
    );
    let fit = (clip.w as f64 / text.w as f64).min(clip.h as f64 / text.h as f64);
    let hint = match font_size {
        Some(fs) if !boxed => format!(
            "a `font_size` of at most {} fits (it is {}), or give the caption a `size` \
             (`size = [{}, …]` wraps its lines at the clip's width)",
            (fs * fit).floor().max(1.0),
            fs,
            clip.w
        ),
        _ => format!(
            "give the caption a smaller `font_size`, or a `size` within {}x{} (which wraps \
             its lines)",
            clip.w, clip.h
        ),
    };
    Some((message, hint))
}

fn wrong_shape(span: Range<usize>) -> Diagnostic {
    Diagnostic::at(
        "`caption` is a text, or a table of a text clip's keys and a position",
        span,
    )
    .with_hint("{ caption = \"Blurred\" } or { caption = { text = \"Blurred\", color = \"black\", position = [\"center\", \"bottom\"] } }")
}
