//! Effects: an ordered list on any clip, each wrapping the clip before it.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::clip::Clip;
use crate::expr::RawParam;
use crate::scene::diag::Diagnostic;
use crate::scene::resolve::ResolveCx;

pub mod alpha;
pub mod args;
pub mod geometry;
#[cfg(test)]
mod testing;
pub mod time;
pub mod wrap;

/// One entry of a clip's `effects` list, written `{ name = arguments }`.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum EffectSpec {
    Resize(Spanned<geometry::ResizeSpec>),
    Crop(Spanned<geometry::CropSpec>),
    Margin(Spanned<geometry::MarginSpec>),
    Rotate(Spanned<geometry::RotateSpec>),
    MirrorX,
    MirrorY,
    Opacity(Spanned<RawParam>),
    MaskColor(Spanned<alpha::MaskColorSpec>),
    FadeIn(Spanned<alpha::FadeSpec>),
    FadeOut(Spanned<alpha::FadeSpec>),
    CrossfadeIn(Spanned<alpha::CrossfadeSpec>),
    CrossfadeOut(Spanned<alpha::CrossfadeSpec>),
    Subclip(Spanned<time::SubclipSpec>),
    Speed(Spanned<RawParam>),
    Loop(Spanned<time::LoopSpec>),
    Reverse,
    Freeze(Spanned<time::FreezeSpec>),
}

/// Wraps `input` in the effect.
pub fn build(
    spec: EffectSpec,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    match spec {
        EffectSpec::Resize(s) => geometry::resize(s, input, cx),
        EffectSpec::Crop(s) => geometry::crop(s, input, cx),
        EffectSpec::Margin(s) => geometry::margin(s, input, cx),
        EffectSpec::Rotate(s) => geometry::rotate(s, input, cx),
        EffectSpec::MirrorX => Ok(geometry::mirror_x(input)),
        EffectSpec::MirrorY => Ok(geometry::mirror_y(input)),
        EffectSpec::Opacity(p) => alpha::opacity(p, input, cx),
        EffectSpec::MaskColor(s) => alpha::mask_color(s, input, cx),
        EffectSpec::FadeIn(s) => alpha::fade(s, alpha::End::In, input, cx),
        EffectSpec::FadeOut(s) => alpha::fade(s, alpha::End::Out, input, cx),
        EffectSpec::CrossfadeIn(s) => alpha::crossfade(s, alpha::End::In, input, cx),
        EffectSpec::CrossfadeOut(s) => alpha::crossfade(s, alpha::End::Out, input, cx),
        EffectSpec::Subclip(s) => time::subclip(s, input, cx),
        EffectSpec::Speed(p) => time::speed(p, input, cx),
        EffectSpec::Loop(s) => time::repeat(s, input, cx),
        EffectSpec::Reverse => time::reverse(input),
        EffectSpec::Freeze(s) => time::freeze(s, input, cx),
    }
}
