//! Effects: an ordered list on any clip, each wrapping the clip before it.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::clip::Clip;
use crate::expr::RawParam;
use crate::scene::diag::Diagnostic;
use crate::scene::resolve::ResolveCx;

/// One entry of a clip's `effects` list, written `{ name = arguments }`.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum EffectSpec {
    Opacity(Spanned<RawParam>),
}

/// Wraps `input` in the effect.
pub fn build(
    spec: EffectSpec,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    match spec {
        EffectSpec::Opacity(p) => {
            let _ = cx.param(&p)?;
            Ok(input)
        }
    }
}
