//! MoviePy's `MasksAnd` and `MasksOr`: a clip combined with another, value by value,
//! by the smaller (`masks_and`) or the larger (`masks_or`) of the two.
//!
//! Both clips must have the same size and be of the same kind. Two masks combine their
//! mask values. Two colour clips combine each of R, G, B: this clip's straight colour
//! with the other's colour as it looks over black; this clip's alpha is kept, and its
//! fully transparent pixels are left alone. The other clip is shown at the same
//! clip-local time, its last frame past its end; the result lasts as long as this clip.

use std::sync::Arc;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::pixel::{mask_pixel, straight};
use crate::base::diag::Diagnostic;
use crate::base::frame::premultiply_channel;
use crate::base::frame::{RenderResult, Size};
use crate::base::time::clamp_time;
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, Placement, RenderCx};

/// Which of two values is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// The smaller: MoviePy's `MasksAnd`.
    And,
    /// The larger: MoviePy's `MasksOr`.
    Or,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::And => "masks_and",
            Op::Or => "masks_or",
        }
    }

    fn apply(self, a: u8, b: u8) -> u8 {
        match self {
            Op::And => a.min(b),
            Op::Or => a.max(b),
        }
    }
}

/// The argument: another clip's name.
pub struct ClipName(String);

impl<'de> Deserialize<'de> for ClipName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ClipName;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the name of another clip, e.g. \"mask\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ClipName, E> {
                Ok(ClipName(v.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

struct Combined {
    input: Arc<dyn Clip>,
    other: Arc<dyn Clip>,
    other_name: String,
    op: Op,
}

/// `{ masks_and = "other" }` / `{ masks_or = "other" }` on `input`.
pub fn combine(
    name: Spanned<ClipName>,
    op: Op,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let name = Spanned::new(name.span(), name.into_inner().0);
    let other = cx.clip(&name)?;
    let n = name.get_ref();
    if other.size() != input.size() {
        return Err(Diagnostic::at(
            format!(
                "`{n}` is {} but this clip is {}: {} needs clips of the same size",
                other.size(),
                input.size(),
                op.name()
            ),
            name.span(),
        )
        .with_hint("resize one of them so that the sizes match"));
    }
    if other.is_mask() != input.is_mask() {
        let (this, that) = if input.is_mask() {
            ("a mask", "a colour clip")
        } else {
            ("a colour clip", "a mask")
        };
        return Err(Diagnostic::at(
            format!(
                "`{n}` is {that} but this clip is {this}: {} combines two masks or two colour clips",
                op.name()
            ),
            name.span(),
        )
        .with_hint("make both masks with \"to_mask\", or both colour clips with \"to_rgb\""));
    }
    Ok(Arc::new(Combined {
        input,
        other,
        other_name: name.into_inner(),
        op,
    }))
}

impl Clip for Combined {
    fn sound(&self) -> Option<Arc<dyn crate::audio::Sound>> {
        self.input.sound()
    }
    fn kind(&self) -> &'static str {
        self.op.name()
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
        let other = self
            .other
            .render(clamp_time(t, self.other.duration()), cx)?;
        let mask = self.input.is_mask();
        let op = self.op;
        for (p, q) in frame
            .data_mut()
            .chunks_exact_mut(4)
            .zip(other.data().chunks_exact(4))
        {
            if mask {
                p.copy_from_slice(&mask_pixel(op.apply(p[3], q[3])));
                continue;
            }
            let a = p[3];
            if a == 0 {
                continue;
            }
            let s = straight(p);
            for c in 0..3 {
                let v = op.apply(s[c], q[c]);
                p[c] = if a == 255 {
                    v
                } else {
                    premultiply_channel(v, a)
                };
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
                label: format!("{} {}", self.op.name(), self.other_name),
                clip: self.other.clone(),
                start: 0.0,
                end: self.other.duration(),
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::testing::*;

    fn combined(op: Op, a: Arc<dyn Clip>, b: Arc<dyn Clip>) -> Arc<dyn Clip> {
        Arc::new(Combined {
            input: a,
            other: b,
            other_name: "b".into(),
            op,
        })
    }

    #[test]
    fn moviepy_examples() {
        // MoviePy's docs: red AND green is black, red OR green is yellow.
        let red = || solid(1, 1, [255, 0, 0, 255], None);
        let green = || solid(1, 1, [0, 255, 0, 255], None);
        let at = |c: Arc<dyn Clip>| px(&render(&c, 0.0), 0, 0);
        assert_eq!(at(combined(Op::And, red(), green())), [0, 0, 0, 255]);
        assert_eq!(at(combined(Op::Or, red(), green())), [255, 255, 0, 255]);
    }

    #[test]
    fn masks_take_the_smaller_or_larger_value() {
        let m = |v: u8| ok("\"to_mask\"", solid(2, 1, [v, v, v, 255], None));
        let (a, b) = (m(200), m(60));
        let and = combined(Op::And, a.clone(), b.clone());
        assert!(and.is_mask());
        assert_eq!(px(&render(&and, 0.0), 1, 0), [60, 60, 60, 60]);
        let or = combined(Op::Or, a, b);
        assert_eq!(px(&render(&or, 0.0), 0, 0), [200, 200, 200, 200]);
    }

    #[test]
    fn colour_keeps_its_alpha_and_reads_the_other_over_black() {
        // Half-transparent straight (199, 100, 0) AND the other's half-transparent
        // white, seen over black as (128, 128, 128): straight min (128, 100, 0),
        // premultiplied again by 128/255.
        let a = solid(1, 1, [100, 50, 0, 128], None);
        let b = solid(1, 1, [128, 128, 128, 128], None);
        let f = render(&combined(Op::And, a.clone(), b.clone()), 0.0);
        assert_eq!(px(&f, 0, 0), [64, 50, 0, 128]);
        // Transparent pixels of this clip stay transparent.
        let clear = solid(1, 1, [0, 0, 0, 0], None);
        let f = render(&combined(Op::Or, clear, b), 0.0);
        assert_eq!(px(&f, 0, 0), [0, 0, 0, 0]);
    }
}
