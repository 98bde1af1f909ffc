//! A still frame: a picture decoded once at load, or a text drawn once, shown the
//! same at every time.

use std::borrow::Cow;
use std::path::Path;

use crate::base::error::RenderError;
use crate::base::frame::{Frame, RenderResult, Size};
use crate::clip::{Clip, RenderCx};

/// A clip showing one frame for its whole life: a decoded picture, or a text drawn
/// once at load.
pub struct Still {
    kind: &'static str,
    frame: Frame,
    duration: Option<f64>,
}

impl Still {
    pub fn new(kind: &'static str, frame: Frame, duration: Option<f64>) -> Still {
        Still {
            kind,
            frame,
            duration,
        }
    }

    /// Decodes the picture at `path`; it lasts `duration` seconds, or for ever.
    pub fn open(path: &Path, duration: Option<f64>) -> Result<Still, String> {
        Ok(Still::new("image", super::decode::picture(path)?, duration))
    }
}

impl Clip for Still {
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn size(&self) -> Size {
        Size::new(self.frame.width(), self.frame.height())
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn render(&self, _t: f64, _cx: &RenderCx) -> RenderResult {
        Ok(self.frame.clone())
    }
    fn render_ref(&self, _t: f64, _cx: &RenderCx) -> Result<Cow<'_, Frame>, RenderError> {
        Ok(Cow::Borrowed(&self.frame))
    }
    fn is_still(&self) -> bool {
        true
    }
}
