//! `kind = "color"`: a solid colour, possibly keyframed.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::base::frame::{filled, RenderResult, Size};
use crate::clip::build::{RawSize, ResolveCx};
use crate::clip::{Clip, RenderCx};
use crate::expr::{AnimatedColor, Env, RawColor, RawParam};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    color: Spanned<RawColor>,
    size: RawSize,
    duration: Option<Spanned<RawParam>>,
}

struct Color {
    color: AnimatedColor,
    size: Size,
    duration: Option<f64>,
}

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let duration = cx.duration(spec.duration.as_ref())?;
    Ok(Arc::new(Color {
        color: AnimatedColor::compile(&spec.color, &cx.scope)?,
        size: cx.size(&spec.size)?,
        duration,
    }))
}

impl Clip for Color {
    fn kind(&self) -> &'static str {
        "color"
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let env = Env {
            t,
            duration: self.duration.unwrap_or(0.0),
            fps: cx.fps,
        };
        Ok(filled(self.size, self.color.eval(&env).to_skia()))
    }
}
