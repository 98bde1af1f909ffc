//! animate's own effects, run the way `animate frame` runs them: a scene resolved by
//! `animate::scene::parse`, its root clip rendered at a time on one thread.
//!
//! This is the only file that names animate's API, and it names only the scene entry
//! point and the clip interface, which the module moves inside `src/` leave in place.

use std::path::Path;
use std::sync::Arc;

use animate::clip::{Clip, RenderCx};

use crate::fixtures::Img;

/// A resolved scene, ready to render.
pub struct Ours {
    root: Arc<dyn Clip>,
    fps: f64,
}

impl Ours {
    /// Resolves scene text whose relative paths start at `dir`; panics on an error
    /// (the scenes are this program's own).
    pub fn new(scene: &str, dir: &Path) -> Ours {
        let s = animate::scene::parse(scene, dir, &[])
            .unwrap_or_else(|e| panic!("scene refused: {e:?}\n{scene}"));
        Ours {
            root: s.root,
            fps: s.output.fps,
        }
    }

    /// Renders the frame at `t` and returns its bytes (premultiplied RGBA: straight
    /// where opaque, which every compared pixel is) with its size.
    pub fn rgba(&self, t: f64) -> (usize, usize, Vec<u8>) {
        let cx = RenderCx::new(self.fps);
        let f = self
            .root
            .render(t, &cx)
            .unwrap_or_else(|e| panic!("render failed: {e:?}"));
        (f.width() as usize, f.height() as usize, f.data().to_vec())
    }

    /// Renders the frame at `t` and drops it: what the timing measures.
    pub fn render(&self, t: f64) {
        let cx = RenderCx::new(self.fps);
        let f = self.root.render(t, &cx).expect("render");
        std::hint::black_box(&f);
    }

    /// `frames` frames at 0, 0.1, 0.2 s (the fixtures' 10 fps) as RGB images.
    pub fn frames(&self, frames: usize) -> Img {
        let all: Vec<Img> = (0..frames)
            .map(|k| {
                let (w, h, rgba) = self.rgba(k as f64 / 10.0);
                let mut img = Img::new(1, w, h, 3);
                for (o, p) in img.data.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
                    o.copy_from_slice(&p[..3]);
                }
                img
            })
            .collect();
        Img::join(all)
    }
}
