//! The clip behind the colour and filter effects: a per-frame operation that may need
//! more than the current frame (statistics over the whole clip) and so may fail.

use std::sync::Arc;

use crate::base::frame::{Frame, RenderResult, Size};
use crate::clip::{Clip, Placement, RenderCx};

/// The operation: the input's frame at `t` in (changed in place), an error out.
pub type FilterOp =
    dyn Fn(&mut Frame, f64, &RenderCx) -> Result<(), crate::base::error::RenderError> + Send + Sync;

/// An effect that changes pixel values, never the size or the timing. A mask stays a
/// mask.
pub struct Filtered {
    kind: &'static str,
    input: Arc<dyn Clip>,
    op: Box<FilterOp>,
}

impl Filtered {
    pub fn wrap(
        kind: &'static str,
        input: Arc<dyn Clip>,
        op: impl Fn(&mut Frame, f64, &RenderCx) -> Result<(), crate::base::error::RenderError>
            + Send
            + Sync
            + 'static,
    ) -> Arc<dyn Clip> {
        Arc::new(Filtered {
            kind,
            input,
            op: Box::new(op),
        })
    }
}

impl Clip for Filtered {
    fn sound(&self) -> Option<Arc<dyn crate::audio::Sound>> {
        self.input.sound()
    }
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn size(&self) -> Size {
        self.input.size()
    }
    fn duration(&self) -> Option<f64> {
        self.input.duration()
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let mut frame = self.input.render(t, cx)?;
        (self.op)(&mut frame, t, cx)?;
        // A signal may have cut the operation short (see `base::stop`).
        cx.check()?;
        Ok(frame)
    }
    fn is_mask(&self) -> bool {
        self.input.is_mask()
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

/// An effect that maps every touched value through a table (see [`super::pixel`]),
/// rebuilt each frame from the parameters at that time; no table (a parameter that is
/// not a number, see [`super::bounds`]) leaves the frame as it is.
pub fn lut(
    kind: &'static str,
    input: Arc<dyn Clip>,
    table: impl Fn(&crate::expr::Env) -> Option<[u8; 256]> + Send + Sync + 'static,
) -> Arc<dyn Clip> {
    let mask = input.is_mask();
    let source = input.clone();
    Filtered::wrap(kind, input, move |frame, t, rcx| {
        if let Some(lut) = table(&super::wrap::env(&*source, t, rcx)) {
            super::pixel::apply_lut(frame, mask, &lut);
        }
        Ok(())
    })
}

/// A table of `f(v)` for every 8-bit value, truncated like NumPy's `astype(uint8)`
/// after clamping to 0..255. A tiny allowance keeps exact results exact (255 · 0.2 is
/// 51, not 50.999…).
pub fn truncated(f: impl Fn(f64) -> f64) -> [u8; 256] {
    let mut lut = [0u8; 256];
    for (v, out) in lut.iter_mut().enumerate() {
        let y = f(v as f64);
        *out = if y.is_nan() {
            0
        } else {
            (y + 1e-6).clamp(0.0, 255.0).floor() as u8
        };
    }
    lut
}
