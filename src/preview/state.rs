//! What the preview knows: the latest load of the scene (its error, if it failed), the
//! last scene that loaded, and a revision number every reload bumps.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::base::error::Error;
use crate::base::frame::Size;
use crate::scene::Scene;

/// A scene that loaded, with what the page shows about it.
pub struct Loaded {
    pub scene: Scene,
    /// What `animate check` prints.
    pub timeline: String,
    pub fps: f64,
    pub duration: Option<f64>,
    pub frames: Option<u64>,
    pub size: Size,
}

impl Loaded {
    fn new(scene: Scene) -> Loaded {
        let out = &scene.output;
        let duration = out.duration.or(scene.root.duration());
        Loaded {
            timeline: crate::cli::timeline(&scene),
            fps: out.fps,
            duration,
            frames: duration.map(|d| crate::base::time::frame_count(d, out.fps)),
            size: out.size.unwrap_or(scene.root.size()),
            scene,
        }
    }
}

/// The state at one moment.
#[derive(Clone, Default)]
pub struct Snapshot {
    pub revision: u64,
    /// The latest load's error, as `check` prints it.
    pub error: Option<String>,
    /// The latest load's warnings.
    pub warnings: Vec<String>,
    /// The last scene that loaded, and its revision.
    pub good: Option<Arc<Loaded>>,
    pub good_revision: u64,
}

#[derive(Default)]
pub struct State {
    now: Mutex<Snapshot>,
    changed: Condvar,
}

impl State {
    pub fn new() -> State {
        State::default()
    }

    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        self.now.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records a load of the scene as the next revision.
    pub fn update(&self, loaded: Result<Scene, Error>, warnings: Vec<String>) {
        let mut s = self.lock();
        s.revision += 1;
        s.warnings = warnings;
        match loaded {
            Ok(scene) => {
                s.error = None;
                s.good = Some(Arc::new(Loaded::new(scene)));
                s.good_revision = s.revision;
            }
            Err(e) => s.error = Some(e.to_string()),
        }
        self.changed.notify_all();
    }

    pub fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    /// The state once its revision is past `since`, or as it is after `wait`.
    pub fn wait_past(&self, since: u64, wait: Duration) -> Snapshot {
        let end = Instant::now() + wait;
        let mut s = self.lock();
        while s.revision <= since {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            s = self
                .changed
                .wait_timeout(s, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        s.clone()
    }
}
