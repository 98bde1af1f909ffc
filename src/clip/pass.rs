//! Passes over a clip made inside one frame's render (a measurement, statistics over a
//! whole clip): they cost a render of that clip, so whoever shows the render's progress
//! is told of them. The trait lives here, below the render layer that implements it,
//! so that clips can report without knowing who listens.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use super::RenderCx;

/// Told of each pass a render makes: when it begins (what it is, its frames), each
/// frame done, and when it ends (finished, failed or stopped). Passes may nest (a
/// measured clip with statistics over a clip inside) and run at once on other threads;
/// `id` tells them apart.
pub trait PassWatch: Sync {
    fn pass_begun(&self, id: u64, what: &str, frames: u64);
    /// `done` frames of the pass are measured (they finish in any order).
    fn pass_frames(&self, id: u64, done: u64);
    fn pass_ended(&self, id: u64);
}

/// One pass being reported to the render's [`PassWatch`], if it has one: begun when
/// made, ended when dropped, so a pass that fails or is stopped ends too.
pub struct PassReport<'a> {
    watch: Option<&'a dyn PassWatch>,
    id: u64,
    done: AtomicU64,
}

impl<'a> PassReport<'a> {
    /// Begins a pass of `frames` frames described by `what` (`measuring population`).
    pub fn begin(cx: &RenderCx<'a>, what: &str, frames: usize) -> PassReport<'a> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        if let Some(w) = cx.passes {
            w.pass_begun(id, what, frames as u64);
        }
        PassReport {
            watch: cx.passes,
            id,
            done: AtomicU64::new(0),
        }
    }

    /// One more frame of the pass is done (from any of its threads).
    pub fn frame_done(&self) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(w) = self.watch {
            w.pass_frames(self.id, done);
        }
    }
}

impl Drop for PassReport<'_> {
    fn drop(&mut self) {
        if let Some(w) = self.watch {
            w.pass_ended(self.id);
        }
    }
}

/// Who is told of passes made outside a render: while a scene loads, a plot's automatic
/// limits or a text's box may need a measurement's values, and no render context exists
/// yet to carry a watch.
static OUTSIDE: RwLock<Option<Arc<dyn PassWatch + Send>>> = RwLock::new(None);

/// Tells `watch` of the passes made outside a render until the guard is dropped.
pub fn watch_outside_renders(watch: Arc<dyn PassWatch + Send>) -> OutsideRenders {
    let before = OUTSIDE
        .write()
        .unwrap_or_else(|p| p.into_inner())
        .replace(watch);
    OutsideRenders { before }
}

/// The watch of passes made outside a render, if one is set.
pub fn outside_renders() -> Option<Arc<dyn PassWatch + Send>> {
    OUTSIDE.read().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Puts back the watch that was set before, when dropped.
pub struct OutsideRenders {
    before: Option<Arc<dyn PassWatch + Send>>,
}

impl Drop for OutsideRenders {
    fn drop(&mut self) {
        *OUTSIDE.write().unwrap_or_else(|p| p.into_inner()) = self.before.take();
    }
}

/// A [`PassWatch`] that records what it is told, for tests of passes.
#[cfg(test)]
pub mod testing {
    use std::sync::Mutex;

    use super::PassWatch;

    /// One event a pass reported.
    #[derive(Clone, Debug, PartialEq)]
    pub enum Event {
        Begun(String, u64),
        Frames(u64),
        Ended,
    }

    #[derive(Default)]
    pub struct Recorder(pub Mutex<Vec<(u64, Event)>>);

    impl Recorder {
        /// The events, without the pass ids.
        pub fn events(&self) -> Vec<Event> {
            let got = self.0.lock().unwrap_or_else(|p| p.into_inner());
            got.iter().map(|(_, e)| e.clone()).collect()
        }

        /// The highest frame count reported.
        pub fn most_frames(&self) -> u64 {
            self.events()
                .iter()
                .filter_map(|e| match e {
                    Event::Frames(n) => Some(*n),
                    _ => None,
                })
                .max()
                .unwrap_or(0)
        }

        /// The events of the first pass that began with `begun`, that one included.
        pub fn pass(&self, begun: &Event) -> Vec<Event> {
            let got = self.0.lock().unwrap_or_else(|p| p.into_inner());
            let Some((id, _)) = got.iter().find(|(_, e)| e == begun) else {
                return Vec::new();
            };
            got.iter()
                .filter(|(i, _)| i == id)
                .map(|(_, e)| e.clone())
                .collect()
        }

        fn push(&self, id: u64, e: Event) {
            let mut got = self.0.lock().unwrap_or_else(|p| p.into_inner());
            got.push((id, e));
        }
    }

    impl PassWatch for Recorder {
        fn pass_begun(&self, id: u64, what: &str, frames: u64) {
            self.push(id, Event::Begun(what.to_string(), frames));
        }
        fn pass_frames(&self, id: u64, done: u64) {
            self.push(id, Event::Frames(done));
        }
        fn pass_ended(&self, id: u64) {
            self.push(id, Event::Ended);
        }
    }
}
