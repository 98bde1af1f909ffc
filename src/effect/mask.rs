//! Masks, as in MoviePy: `to_mask` turns a clip into a mask, `to_rgb` turns a mask
//! back into an opaque grey picture, and the `mask = "other"` key of any clip
//! multiplies its alpha by another clip's values.
//!
//! A mask's frames are white with the mask value (MoviePy's 0..1, here 0..255) in
//! alpha, so a mask drawn on its own shows as white over the background, and colour
//! effects applied to it change the mask value (see [`super::pixel`]).

use std::sync::Arc;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::pixel::{luminance, mask_pixel};
use crate::base::diag::Diagnostic;
use crate::base::frame::{RenderResult, Size};
use crate::base::time::clamp_time;
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, Placement, RenderCx};

/// Which value of a pixel becomes a mask value.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Rec. 709 luminance of the colour as seen over black.
    Luminance,
    Alpha,
    Red,
    Green,
    Blue,
}

impl Channel {
    /// The value of a premultiplied pixel (colours as seen over black).
    pub fn of(self, p: &[u8]) -> u8 {
        match self {
            Channel::Luminance => luminance([p[0], p[1], p[2]]),
            Channel::Red => p[0],
            Channel::Green => p[1],
            Channel::Blue => p[2],
            Channel::Alpha => p[3],
        }
    }
}

// ---------------------------------------------------------------------------------
// to_mask, to_rgb

/// `"to_mask"` or `{ to_mask = { channel = "red" } }`.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of channel, e.g. { channel = \"red\" }"
)]
pub struct ToMaskSpec {
    channel: Option<Channel>,
}

/// A clip turned into a mask, or a mask turned into an opaque grey picture.
struct Convert {
    input: Arc<dyn Clip>,
    /// `Some(channel)`: to a mask from that channel; `None`: mask to grey.
    to_mask: Option<Channel>,
}

/// MoviePy's `to_mask`: the channel (luminance by default) becomes the mask value.
/// A mask stays as it is.
pub fn to_mask(
    spec: Option<Spanned<ToMaskSpec>>,
    input: Arc<dyn Clip>,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    if input.is_mask() {
        return Ok(input);
    }
    let channel = spec
        .and_then(|s| s.into_inner().channel)
        .unwrap_or(Channel::Luminance);
    Ok(Arc::new(Convert {
        input,
        to_mask: Some(channel),
    }))
}

/// MoviePy's `to_RGB`: a mask becomes an opaque grey picture of its values. A colour
/// clip stays as it is.
pub fn to_rgb(input: Arc<dyn Clip>) -> Arc<dyn Clip> {
    if !input.is_mask() {
        return input;
    }
    Arc::new(Convert {
        input,
        to_mask: None,
    })
}

impl Clip for Convert {
    fn sound(&self) -> Option<Arc<dyn crate::audio::Sound>> {
        self.input.sound()
    }
    fn kind(&self) -> &'static str {
        if self.to_mask.is_some() {
            "to_mask"
        } else {
            "to_rgb"
        }
    }
    fn size(&self) -> Size {
        self.input.size()
    }
    fn duration(&self) -> Option<f64> {
        self.input.duration()
    }
    fn is_mask(&self) -> bool {
        self.to_mask.is_some()
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let mut frame = self.input.render(t, cx)?;
        for p in frame.data_mut().chunks_exact_mut(4) {
            let out = match self.to_mask {
                Some(ch) => mask_pixel(ch.of(p)),
                None => [p[3], p[3], p[3], 255],
            };
            p.copy_from_slice(&out);
        }
        Ok(frame)
    }
    fn children(&self) -> Vec<Placement> {
        vec![Placement {
            label: "input".to_string(),
            clip: self.input.clone(),
            start: 0.0,
            end: self.input.duration(),
        }]
    }
}

// ---------------------------------------------------------------------------------
// the `mask` key

/// `mask = "name"` or `mask = { clip = "name", channel = "alpha" }`.
pub enum MaskRef {
    Name(String),
    Table(MaskTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaskTable {
    clip: Spanned<String>,
    channel: Option<Channel>,
}

impl<'de> Deserialize<'de> for MaskRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaskRef;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a clip name, or { clip = \"name\", channel = \"luminance\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MaskRef, E> {
                Ok(MaskRef::Name(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MaskRef, A::Error> {
                MaskTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(MaskRef::Table)
            }
        }
        d.deserialize_any(V)
    }
}

/// A clip whose alpha (and so its premultiplied colour) is multiplied by a mask.
struct Masked {
    input: Arc<dyn Clip>,
    mask: Arc<dyn Clip>,
    mask_name: String,
    channel: Channel,
}

/// Applies the `mask` key of a clip table: the named clip's `channel` (luminance by
/// default; for a mask made with `to_mask` this is its value) multiplies `input`'s alpha.
pub fn apply(
    raw: Spanned<MaskRef>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let span = raw.span();
    let (name, channel) = match raw.into_inner() {
        MaskRef::Name(n) => (Spanned::new(span, n), None),
        MaskRef::Table(t) => (t.clip, t.channel),
    };
    let mask = cx.clip(&name)?;
    if mask.size() != input.size() {
        return Err(Diagnostic::at(
            format!(
                "the mask `{}` is {} but this clip is {}",
                name.get_ref(),
                mask.size(),
                input.size()
            ),
            name.span(),
        )
        .with_hint("resize one of them so that the sizes match"));
    }
    Ok(Arc::new(Masked {
        input,
        mask,
        mask_name: name.into_inner(),
        channel: channel.unwrap_or(Channel::Luminance),
    }))
}

impl Clip for Masked {
    fn sound(&self) -> Option<Arc<dyn crate::audio::Sound>> {
        self.input.sound()
    }
    fn kind(&self) -> &'static str {
        "masked"
    }
    fn size(&self) -> Size {
        self.input.size()
    }
    fn duration(&self) -> Option<f64> {
        self.input.duration()
    }
    fn is_mask(&self) -> bool {
        self.input.is_mask()
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let mut frame = self.input.render(t, cx)?;
        cx.check()?;
        let m = self.mask.render(clamp_time(t, self.mask.duration()), cx)?;
        for (p, q) in frame
            .data_mut()
            .chunks_exact_mut(4)
            .zip(m.data().chunks_exact(4))
        {
            let v = self.channel.of(q) as u32;
            if v < 255 {
                p.iter_mut()
                    .for_each(|c| *c = ((*c as u32 * v + 127) / 255) as u8);
            }
        }
        Ok(frame)
    }
    fn children(&self) -> Vec<Placement> {
        vec![
            Placement {
                label: "input".to_string(),
                clip: self.input.clone(),
                start: 0.0,
                end: self.input.duration(),
            },
            Placement {
                label: format!("mask {}", self.mask_name),
                clip: self.mask.clone(),
                start: 0.0,
                end: self.mask.duration(),
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::testing::*;

    #[test]
    fn to_mask_takes_a_channel_into_alpha() {
        let src = || solid(1, 1, [200, 100, 50, 255], None);
        let m = ok("\"to_mask\"", src());
        assert!(m.is_mask());
        // 0.2125·200 + 0.7154·100 + 0.0721·50 = 117.645
        assert_eq!(px(&render(&m, 0.0), 0, 0), [118, 118, 118, 118]);
        let m = ok("{ to_mask = { channel = \"green\" } }", src());
        assert_eq!(px(&render(&m, 0.0), 0, 0), [100, 100, 100, 100]);
        // Back to an opaque grey picture.
        let g = ok("\"to_rgb\"", m.clone());
        assert!(!g.is_mask());
        assert_eq!(px(&render(&g, 0.0), 0, 0), [100, 100, 100, 255]);
        // Both are no-ops on what they already are.
        assert!(Arc::ptr_eq(&ok("\"to_mask\"", m.clone()), &m));
        let s = src();
        assert!(Arc::ptr_eq(&ok("\"to_rgb\"", s.clone()), &s));
    }

    #[test]
    fn geometry_and_time_effects_keep_a_mask() {
        let m = ok("\"to_mask\"", solid(4, 4, [9, 9, 9, 255], Some(1.0)));
        assert!(ok("{ resize = 0.5 }", m.clone()).is_mask());
        assert!(ok("\"reverse\"", m.clone()).is_mask());
        assert!(ok("{ gaussian_blur = 1 }", m).is_mask());
    }
}
