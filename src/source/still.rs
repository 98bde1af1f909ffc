//! A still frame: a picture decoded once at load, or a text drawn once, shown the
//! same at every time.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::in_range::InRange;
use crate::base::error::RenderError;
use crate::base::frame::{Frame, RenderResult, Size};
use crate::clip::{Clip, RenderCx};

/// A clip showing one frame for its whole life: a decoded picture, or a text drawn
/// once at load.
pub struct Still {
    kind: &'static str,
    size: Size,
    /// The frame, or why the picture could not be decoded; set at load, or at the
    /// first frame for a picture only listed (see [`Still::header_only`]).
    frame: OnceLock<Result<Frame, String>>,
    /// The picture decoded at the first frame, when not at load.
    path: Option<PathBuf>,
    /// Its `in_range`.
    range: Option<InRange>,
    duration: Option<f64>,
}

impl Still {
    pub fn new(kind: &'static str, frame: Frame, duration: Option<f64>) -> Still {
        Still {
            kind,
            size: Size::new(frame.width(), frame.height()),
            frame: OnceLock::from(Ok(frame)),
            path: None,
            range: None,
            duration,
        }
    }

    /// Decodes the picture at `path` (its samples stretched from `range`); it lasts
    /// `duration` seconds, or for ever.
    pub fn open(
        path: &Path,
        duration: Option<f64>,
        range: Option<InRange>,
    ) -> Result<Still, String> {
        let frame = super::decode::picture_in(path, range)?;
        Ok(Still::new("image", frame, duration))
    }

    /// The picture at `path` of `size` (read from its header), decoded only when a
    /// frame is asked for: `check` and `deps` list a 16384² picture without taking
    /// its gigabyte.
    pub fn header_only(
        path: &Path,
        size: Size,
        duration: Option<f64>,
        range: Option<InRange>,
    ) -> Still {
        Still {
            kind: "image",
            size,
            frame: OnceLock::new(),
            path: Some(path.to_path_buf()),
            range,
            duration,
        }
    }

    fn frame(&self) -> Result<&Frame, RenderError> {
        let decoded = self.frame.get_or_init(|| {
            // a still made with its frame has it set: only a listed picture gets here
            let Some(path) = self.path.as_deref() else {
                return Err("a still picture without a frame".into());
            };
            let frame = super::decode::picture_in(path, self.range)?;
            if (frame.width(), frame.height()) != (self.size.w, self.size.h) {
                return Err(format!("{} changed size while rendering", path.display()));
            }
            Ok(frame)
        });
        decoded.as_ref().map_err(|e| RenderError(e.clone()))
    }
}

impl Clip for Still {
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn render(&self, _t: f64, _cx: &RenderCx) -> RenderResult {
        self.frame().cloned()
    }
    fn render_ref(&self, _t: f64, _cx: &RenderCx) -> Result<Cow<'_, Frame>, RenderError> {
        self.frame().map(Cow::Borrowed)
    }
    fn is_still(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_picture_is_decoded_at_its_first_frame() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.png");
        let img = image::RgbaImage::from_fn(5, 3, |x, y| {
            image::Rgba([x as u8 * 40, y as u8 * 80, 7, 255])
        });
        img.save(&path).unwrap();
        let size = super::super::decode::dimensions(&path).unwrap();
        let listed = Still::header_only(&path, size, None, None);
        assert_eq!(listed.size(), Size::new(5, 3));
        let cx = RenderCx::new(10.0);
        let decoded = Still::open(&path, None, None).unwrap();
        assert_eq!(
            listed.render(0.0, &cx).unwrap().data(),
            decoded.render(0.0, &cx).unwrap().data()
        );
        // a picture cut inside its pixels: an error at the frame, every time
        let bytes = std::fs::read(&path).unwrap();
        let at = bytes.windows(4).position(|w| w == b"IDAT").unwrap();
        std::fs::write(&path, &bytes[..at + 6]).unwrap();
        let cut = Still::header_only(&path, size, None, None);
        assert_eq!(cut.size(), Size::new(5, 3));
        for _ in 0..2 {
            let e = cut.render(0.0, &cx).unwrap_err();
            assert!(e.0.contains("p.png"), "{}", e.0);
        }
    }
}
