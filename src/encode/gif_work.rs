//! GIF encoding on the render workers. A frame's encoding needs the picture before it:
//! each worker publishes its frame's picture as soon as it is rendered, then waits for
//! the previous one (taken earlier by another worker, so it always comes, unless the
//! render stops).

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

use super::gif_exact::Global;
use super::gif_frame::{self, Input, Layout};
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
    published: Condvar,
}

#[derive(Default)]
struct Shared {
    /// Pictures rendered whose next frame has not taken them yet.
    inputs: HashMap<u64, Arc<Input>>,
    stopped: bool,
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
            published: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for the picture of frame `index` and takes it (only one frame needs it).
    fn take(&self, index: u64) -> Result<Arc<Input>, RenderError> {
        let mut s = self.lock();
        loop {
            if let Some(input) = s.inputs.remove(&index) {
                return Ok(input);
            }
            if s.stopped {
                return Err(RenderError::interrupted());
            }
            s = self.published.wait(s).unwrap_or_else(|p| p.into_inner());
        }
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
        self.lock().inputs.insert(index, input.clone());
        self.published.notify_all();
        let prev = match index {
            0 => None,
            i => Some(self.take(i - 1)?),
        };
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
        let encoded = gif_frame::encode(
            &self.layout,
            palette,
            self.global.as_deref(),
            &input,
            prev.as_deref(),
        )
        .map_err(encoding_failed)?;
        Ok(Box::new(encoded))
    }

    fn stop(&self) {
        self.lock().stopped = true;
        self.published.notify_all();
    }
}
