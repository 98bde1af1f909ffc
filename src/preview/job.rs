//! The page's render button: the whole output, as `animate render scene.toml` writes
//! it, on a thread of its own, its progress kept for the state the page polls.

use std::sync::{Arc, Mutex};

use crate::cli::{EncodeArgs, RenderArgs, SceneArgs};
use crate::clip::pass::PassWatch;
use crate::render::passes::Passes;
use crate::render::Progress;

/// Where the last render stands.
#[derive(Clone, Default)]
pub struct Status {
    /// `idle`, `running`, `done` or `failed`.
    pub phase: &'static str,
    pub done: u64,
    pub total: u64,
    /// What was written, or why it failed.
    pub message: String,
}

#[derive(Default)]
pub struct Renders {
    status: Mutex<Status>,
    /// Passes over a clip running in the render, shown instead of its frames.
    passes: Mutex<Passes>,
}

impl Renders {
    pub fn status(&self) -> Status {
        let s = self
            .status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if s.phase.is_empty() {
            return Status { phase: "idle", ..s };
        }
        let pass = self.passes.lock().unwrap_or_else(|p| p.into_inner()).view();
        if s.phase == "running" && !pass.prefix.is_empty() {
            return Status {
                done: pass.pos,
                total: pass.len,
                message: pass.prefix.trim_end().to_string(),
                ..s
            };
        }
        s
    }

    /// Starts rendering the scene into `target` (its `[output] file`), unless a
    /// render runs already.
    pub fn start(
        self: &Arc<Self>,
        args: &SceneArgs,
        target: String,
        allow_programs: bool,
    ) -> Result<(), String> {
        {
            let mut s = self.status.lock().unwrap_or_else(|p| p.into_inner());
            if s.phase == "running" {
                return Err(format!(
                    "a render is running already ({}/{} frames)",
                    s.done, s.total
                ));
            }
            *self.passes.lock().unwrap_or_else(|p| p.into_inner()) = Passes::default();
            *s = Status {
                phase: "running",
                message: format!("rendering {target}"),
                ..Status::default()
            };
        }
        let render = RenderArgs {
            common: SceneArgs {
                scene: args.scene.clone(),
                set: args.set.clone(),
            },
            output: None,
            fps: None,
            size: None,
            duration: None,
            frames: None,
            segment: None,
            encode: EncodeArgs {
                format: None,
                quality: None,
                codec: None,
                crf: None,
                preset: None,
                bitrate: None,
                threads: None,
                quiet: false,
                gif_alpha: Default::default(),
            },
            depfile: None,
            background: None,
            allow_programs,
            no_audio: false,
        };
        let me = self.clone();
        std::thread::spawn(move || {
            let result = crate::cli::render_watched(render, Some(me.as_ref()));
            let mut s = me.status.lock().unwrap_or_else(|p| p.into_inner());
            match result {
                Ok(()) => {
                    s.phase = "done";
                    s.message = format!("wrote {target}");
                }
                Err(e) => {
                    crate::base::report::line(&e);
                    s.phase = "failed";
                    s.message = e.to_string();
                }
            }
        });
        Ok(())
    }
}

impl Progress for Renders {
    fn frame_done(&self, done: u64, total: u64) -> bool {
        let mut s = self.status.lock().unwrap_or_else(|p| p.into_inner());
        s.done = done;
        s.total = total;
        true
    }

    fn passes(&self) -> Option<&dyn PassWatch> {
        Some(self)
    }
}

impl PassWatch for Renders {
    fn pass_begun(&self, id: u64, what: &str, frames: u64) {
        let mut p = self.passes.lock().unwrap_or_else(|p| p.into_inner());
        p.begun(id, what, frames);
    }
    fn pass_frames(&self, id: u64, done: u64) {
        let mut p = self.passes.lock().unwrap_or_else(|p| p.into_inner());
        p.frames(id, done);
    }
    fn pass_ended(&self, id: u64) {
        let mut p = self.passes.lock().unwrap_or_else(|p| p.into_inner());
        p.ended(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_pass_shows_in_the_status() {
        let r = Renders::default();
        *r.status.lock().unwrap() = Status {
            phase: "running",
            message: "rendering out.gif".into(),
            ..Status::default()
        };
        r.frame_done(1, 30);
        r.pass_begun(4, "measuring population", 12);
        r.pass_frames(4, 5);
        let s = r.status();
        assert_eq!((s.done, s.total), (5, 12));
        assert_eq!(s.message, "measuring population");
        r.pass_ended(4);
        let s = r.status();
        assert_eq!((s.done, s.total), (1, 30));
        assert_eq!(s.message, "rendering out.gif");
    }
}
