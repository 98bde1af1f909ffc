//! The RGBA → 4:2:0 conversion of opaque H.264/VP9 frames on the render workers, right
//! after each frame is drawn (while it is still in that core's cache), instead of on
//! the thread that feeds the encoder in order, where it ran serially beside x264's
//! own input work. Buffers come back to a pool, so no frame-sized memory is freshly
//! mapped (and zeroed by the kernel) per frame.

use std::sync::Mutex;

use super::convert::{self, Plane};
use crate::base::error::RenderError;
use crate::base::frame::{Frame, Size};
use crate::render::sink::{FrameWork, Worked};

/// The most buffers kept for reuse. The pool never holds more than were in flight at
/// once (the engine's window, sized for the larger RGBA frames); this only caps it.
const POOL: usize = 32;

/// A frame as 8-bit 4:2:0 planes, packed: Y (w × h), then Cb and Cr (w/2 × h/2 each).
pub struct Yuv420(pub Vec<u8>);

impl Yuv420 {
    /// The Y, Cb and Cr planes and their row lengths.
    pub fn planes(&self, size: Size) -> [(&[u8], usize); 3] {
        let (w, h) = (size.w as usize, size.h as usize);
        let (y, c) = self.0.split_at(w * h);
        let (u, v) = c.split_at(w * h / 4);
        [(y, w), (u, w / 2), (v, w / 2)]
    }
}

pub struct YuvWork {
    size: Size,
    pool: Mutex<Vec<Vec<u8>>>,
}

impl YuvWork {
    /// For frames of `size` (both even: the encoder's size, no padding).
    pub fn new(size: Size) -> YuvWork {
        YuvWork {
            size,
            pool: Mutex::new(Vec::new()),
        }
    }

    /// Gives a converted frame's buffer back once its planes are copied.
    pub fn recycle(&self, yuv: Yuv420) {
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < POOL {
            pool.push(yuv.0);
        }
    }

    /// Converts `frame` (premultiplied RGBA, opaque: alpha is ignored).
    pub fn convert(&self, frame: &Frame) -> Yuv420 {
        let (w, h) = (self.size.w as usize, self.size.h as usize);
        let len = w * h * 3 / 2;
        let reused = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        // every byte is written below, so a reused buffer needs no clearing
        let mut buf = reused.unwrap_or_else(|| vec![0; len]);
        buf.resize(len, 0);
        let (y, c) = buf.split_at_mut(w * h);
        let (u, v) = c.split_at_mut(w * h / 4);
        let plane = |data, stride| Plane { data, stride };
        convert::rgba_to_yuv420(
            frame.data(),
            w,
            h,
            plane(y, w),
            plane(u, w / 2),
            plane(v, w / 2),
        );
        Yuv420(buf)
    }
}

impl FrameWork for YuvWork {
    fn work(&self, index: u64, frame: Frame) -> Result<Worked, RenderError> {
        if (frame.width(), frame.height()) != (self.size.w, self.size.h) {
            return Err(RenderError(format!(
                "internal error: frame {index} is {}x{}, expected {}",
                frame.width(),
                frame.height(),
                self.size
            )));
        }
        Ok(Box::new(self.convert(&frame)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planes_as_converted_in_place_and_buffers_reused() {
        let size = Size::new(6, 4);
        let mut frame = crate::base::frame::blank(size);
        for (i, p) in frame.data_mut().chunks_exact_mut(4).enumerate() {
            p.copy_from_slice(&[(i * 40 % 256) as u8, (i * 7) as u8, 200, 255]);
        }
        let work = YuvWork::new(size);
        let yuv = work.convert(&frame);
        let (mut y, mut u, mut v) = (vec![0; 24], vec![0; 6], vec![0; 6]);
        convert::rgba_to_yuv420(
            frame.data(),
            6,
            4,
            Plane {
                data: &mut y,
                stride: 6,
            },
            Plane {
                data: &mut u,
                stride: 3,
            },
            Plane {
                data: &mut v,
                stride: 3,
            },
        );
        let [py, pu, pv] = yuv.planes(size);
        assert_eq!((py, pu, pv), ((&y[..], 6), (&u[..], 3), (&v[..], 3)));
        let at = yuv.0.as_ptr();
        work.recycle(yuv);
        // a black frame in the same buffer: every byte rewritten
        let again = work.convert(&crate::base::frame::filled(size, tiny_skia::Color::BLACK));
        assert_eq!(again.0.as_ptr(), at, "the buffer is reused");
        assert!(again.planes(size)[0].0.iter().all(|&l| l == 16));
        assert!(again.0[24..].iter().all(|&c| c == 128));
    }
}
