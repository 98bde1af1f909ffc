//! GIF encoding on the render workers. A frame's encoding needs the picture before it:
//! each worker publishes its frame's picture as soon as it is rendered. If the picture
//! before is not there yet (another worker is still rendering it), the worker does not
//! wait for it: the frame is left [`Pending`], and the worker that renders the picture
//! before encodes it too, right after its own. Waiting there idled a core for a frame's
//! time, several times a render (`sinc_surface` on two threads: 40 ms of a 331 ms
//! render, in gaps of 10 ms, `perf sched timehist`; docs/gif-measurements.md).

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

use super::gif_exact::Global;
use super::gif_frame::{self, Encoded, Input, Layout};
use super::gif_palette::{Palette, SamplePalette};
use crate::base::error::RenderError;
use crate::base::frame::Frame;
use crate::render::sink::{FrameWork, Worked};

pub struct GifWork {
    layout: Layout,
    /// The sample's palette, if the sample had frames of many colours; else a frame of
    /// many colours (which the sample missed) gets a palette of its own.
    palette: Option<Arc<SamplePalette>>,
    quality: u8,
    global: Option<Arc<Global>>,
    shared: Mutex<Shared>,
}

#[derive(Default)]
struct Shared {
    /// Pictures rendered whose next frame has not taken them yet.
    inputs: HashMap<u64, Arc<Input>>,
    /// Frames rendered before the picture they follow: their picture and where their
    /// encoding goes.
    waiting: HashMap<u64, (Arc<Input>, Arc<Pending>)>,
    stopped: bool,
}

/// A frame handed to the sink before it could be encoded (the picture before it was
/// not rendered yet); the worker that renders that picture fills it. In index order the
/// picture before is delivered first, so the sink finds it filled.
#[derive(Default)]
pub struct Pending {
    encoded: Mutex<Option<Result<Encoded, RenderError>>>,
    filled: Condvar,
}

impl Pending {
    fn fill(&self, result: Result<Encoded, RenderError>) {
        *self.encoded.lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
        self.filled.notify_all();
    }

    /// The frame's encoding, once there.
    pub fn wait(&self) -> Result<Encoded, RenderError> {
        let mut e = self.encoded.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(result) = e.take() {
                return result;
            }
            e = self.filled.wait(e).unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl GifWork {
    pub fn new(
        layout: Layout,
        palette: Option<Arc<SamplePalette>>,
        quality: u8,
        global: Option<Arc<Global>>,
    ) -> GifWork {
        GifWork {
            layout,
            palette,
            quality,
            global,
            shared: Mutex::new(Shared::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `input` encoded after `prev` (the picture before it; `None` for the first).
    fn encode(&self, input: &Input, prev: Option<&Input>) -> Result<Encoded, RenderError> {
        let own;
        let palette = match (&input.exact, &self.palette) {
            (Some(_), _) => None,
            (None, Some(p)) => Some(p.get().map_err(encoding_failed)?),
            (None, None) => {
                let (w, h) = (self.layout.w, self.layout.h);
                own = Palette::from_sample(&[&input.rgba], w, h, self.quality)
                    .map_err(encoding_failed)?;
                Some(&own)
            }
        };
        gif_frame::encode(&self.layout, palette, self.global.as_deref(), input, prev)
            .map_err(encoding_failed)
    }
}

fn encoding_failed(e: String) -> RenderError {
    RenderError(format!("GIF encoding failed: {e}"))
}

impl FrameWork for GifWork {
    fn prepare(&self) -> Result<(), RenderError> {
        match &self.palette {
            Some(p) => p.get().map(drop).map_err(encoding_failed),
            None => Ok(()),
        }
    }

    fn work(&self, index: u64, frame: Frame) -> Result<Worked, RenderError> {
        let input = Arc::new(Input::new(&frame, self.layout.transparent));
        drop(frame);
        let (prev, next, pending) = {
            let mut s = self.lock();
            if s.stopped {
                return Err(RenderError::interrupted());
            }
            // The next frame, rendered first, waits for this picture: it is encoded
            // here, so the picture is not published.
            let next = s.waiting.remove(&(index + 1));
            if next.is_none() {
                s.inputs.insert(index, input.clone());
            }
            let prev = match index {
                0 => Some(None),
                i => s.inputs.remove(&(i - 1)).map(Some),
            };
            let pending = prev.is_none().then(|| {
                let p = Arc::new(Pending::default());
                s.waiting.insert(index, (input.clone(), p.clone()));
                p
            });
            (prev, next, pending)
        };
        let own: Result<Worked, RenderError> = match (prev, pending) {
            (Some(prev), _) => self
                .encode(&input, prev.as_deref())
                .map(|e| Box::new(e) as Worked),
            (None, p) => p.map(|p| Box::new(p) as Worked).ok_or_else(|| {
                RenderError(format!("internal error: GIF frame {index} lost its place"))
            }),
        };
        if let Some((next_input, slot)) = next {
            slot.fill(self.encode(&next_input, Some(&input)));
        }
        own
    }

    fn stop(&self) {
        let mut s = self.lock();
        s.stopped = true;
        for (_, (_, slot)) in s.waiting.drain() {
            slot.fill(Err(RenderError::interrupted()));
        }
    }
}
