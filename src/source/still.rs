//! A still picture from a file: decoded once at load, the same frame at every time.

use std::path::Path;

use crate::clip::{Clip, Frame, RenderCx, RenderResult, Size};

pub struct Still {
    frame: Frame,
    duration: Option<f64>,
}

impl Still {
    /// Decodes the picture at `path`; it lasts `duration` seconds, or for ever.
    pub fn open(path: &Path, duration: Option<f64>) -> Result<Still, String> {
        Ok(Still {
            frame: super::decode::picture(path)?,
            duration,
        })
    }
}

impl Clip for Still {
    fn kind(&self) -> &'static str {
        "image"
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
}
