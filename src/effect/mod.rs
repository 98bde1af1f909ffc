//! Effects: an ordered list on any clip, each wrapping the clip before it.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::expr::RawParam;
use args::Short;

pub mod alpha;
pub mod args;
pub mod blur;
pub mod bounds;
pub mod clip_stats;
pub mod color;
pub mod combine;
pub mod exposure;
pub mod filter;
pub mod filtered;
pub mod geometry;
pub mod mask;
pub mod painting;
pub mod pixel;
#[cfg(test)]
mod reference;
pub mod schema;
pub mod sound;
pub mod stats;
#[cfg(test)]
mod testing;
pub mod time;
pub mod wrap;

/// One entry of a clip's `effects` list, written `{ name = arguments }`, or a bare
/// `"name"` for effects without arguments or with only optional ones (see [`args::entry`]).
#[derive(Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
pub enum EffectSpec {
    Resize(Spanned<geometry::ResizeSpec>),
    Crop(Spanned<geometry::CropSpec>),
    Margin(Spanned<geometry::MarginSpec>),
    Rotate(Spanned<geometry::RotateSpec>),
    MirrorX,
    MirrorY,
    Opacity(Spanned<RawParam>),
    MaskColor(Spanned<alpha::MaskColorArg>),
    FadeIn(Spanned<alpha::FadeSpec>),
    FadeOut(Spanned<alpha::FadeSpec>),
    CrossfadeIn(Spanned<alpha::CrossfadeSpec>),
    CrossfadeOut(Spanned<alpha::CrossfadeSpec>),
    Subclip(Spanned<time::SubclipSpec>),
    Speed(Spanned<RawParam>),
    Loop(Spanned<time::LoopSpec>),
    Reverse,
    Freeze(Spanned<time::FreezeSpec>),
    Blackwhite(Option<Spanned<color::BlackwhiteSpec>>),
    Invert,
    Gamma(Spanned<color::GammaSpec>),
    LumContrast(Spanned<color::LumContrastSpec>),
    MultiplyColor(Spanned<color::MultiplyColorSpec>),
    Threshold(Option<Spanned<color::ThresholdSpec>>),
    Equalize(Option<Spanned<exposure::EqualizeSpec>>),
    RescaleIntensity(Option<Spanned<exposure::RescaleSpec>>),
    AdjustLog(Option<Spanned<exposure::AdjustLogSpec>>),
    AdjustGamma(Spanned<exposure::AdjustGammaSpec>),
    GaussianBlur(Spanned<filter::GaussianSpec>),
    Sharpen(Option<Spanned<filter::SharpenSpec>>),
    Edges,
    Painting(Option<Spanned<painting::PaintingSpec>>),
    MasksAnd(Spanned<combine::ClipName>),
    MasksOr(Spanned<combine::ClipName>),
    ToMask(Option<Spanned<mask::ToMaskSpec>>),
    ToRgb,
    Volume(Spanned<RawParam>),
    AudioFadeIn(Spanned<RawParam>),
    AudioFadeOut(Spanned<RawParam>),
}

/// Whether `key` names an effect (for messages about a table holding two).
pub fn is_effect_name(key: &str) -> bool {
    args::is_name::<EffectSpec>(key)
}

impl<'de> Deserialize<'de> for EffectSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        args::entry(d)
    }
}

impl args::Entry for EffectSpec {
    fn tagged<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        EffectSpec::deserialize(d)
    }
    fn bare(name: &str) -> Option<Self> {
        Some(match name {
            "blackwhite" => EffectSpec::Blackwhite(None),
            "threshold" => EffectSpec::Threshold(None),
            "equalize" => EffectSpec::Equalize(None),
            "rescale_intensity" => EffectSpec::RescaleIntensity(None),
            "adjust_log" => EffectSpec::AdjustLog(None),
            "sharpen" => EffectSpec::Sharpen(None),
            "painting" => EffectSpec::Painting(None),
            "to_mask" => EffectSpec::ToMask(None),
            // All their arguments are optional too (and all left out change nothing).
            "adjust_gamma" => {
                EffectSpec::AdjustGamma(Spanned::new(0..0, Short::Table(Default::default())))
            }
            "lum_contrast" => EffectSpec::LumContrast(Spanned::new(0..0, Default::default())),
            _ => return None,
        })
    }
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
        EffectSpec::Volume(p) => sound::volume(p, input, cx),
        EffectSpec::AudioFadeIn(p) => sound::fade(p, sound::End::In, input, cx),
        EffectSpec::AudioFadeOut(p) => sound::fade(p, sound::End::Out, input, cx),
        EffectSpec::Blackwhite(s) => color::blackwhite(s, input, cx),
        EffectSpec::Invert => Ok(color::invert(input)),
        EffectSpec::Gamma(s) => color::gamma(s, input, cx),
        EffectSpec::LumContrast(s) => color::lum_contrast(s, input, cx),
        EffectSpec::MultiplyColor(s) => color::multiply_color(s, input, cx),
        EffectSpec::Threshold(s) => color::threshold(s, input, cx),
        EffectSpec::Equalize(s) => exposure::equalize(s, input, cx),
        EffectSpec::RescaleIntensity(s) => exposure::rescale_intensity(s, input, cx),
        EffectSpec::AdjustLog(s) => exposure::adjust_log(s, input, cx),
        EffectSpec::AdjustGamma(s) => exposure::adjust_gamma(s, input, cx),
        EffectSpec::GaussianBlur(s) => filter::gaussian_blur(s, input, cx),
        EffectSpec::Sharpen(s) => filter::sharpen(s, input, cx),
        EffectSpec::Edges => Ok(filter::edges(input)),
        EffectSpec::Painting(s) => painting::painting(s, input, cx),
        EffectSpec::MasksAnd(n) => combine::combine(n, combine::Op::And, input, cx),
        EffectSpec::MasksOr(n) => combine::combine(n, combine::Op::Or, input, cx),
        EffectSpec::ToMask(s) => mask::to_mask(s, input),
        EffectSpec::ToRgb => Ok(mask::to_rgb(input)),
    }
}
