//! Values that expressions read by name but that only a render can know: a scene's
//! `[measure.NAME]` tables (a statistic of a clip's frames, one value per frame).
//!
//! The scope holds the names from the start; each is bound to its [`Series`] once the
//! measured clip is built, in the order they are declared, so that a clip can only
//! use measurements of clips built before it (no measurement can wait for itself).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// A value per frame of a measured clip.
pub trait Series: Send + Sync + std::fmt::Debug {
    /// The value at clip-local time `t` when the scene is rendered at `fps`: the
    /// measurement of frame `floor(t·fps)`, the last one after the measured clip ends.
    /// NaN where there is none (the measured clip failed).
    fn at(&self, t: f64, fps: f64) -> f64;
    /// Every frame's value at `fps` (frame `i` at `t = i / fps`).
    fn values(&self, fps: f64) -> Arc<[f64]>;
    /// How many values [`values`](Self::values) has at `fps`, without measuring.
    fn frames(&self, fps: f64) -> usize;
}

/// A declared name, bound to its series when its clip is built.
#[derive(Debug, Default)]
pub struct Slot {
    pub name: String,
    pub clip: String,
    series: OnceLock<Arc<dyn Series>>,
    /// Its clip failed to build (its errors are reported with it).
    failed: AtomicBool,
}

/// Every declared measurement of a scene, in file order.
#[derive(Debug, Default)]
pub struct Measures {
    slots: Vec<Slot>,
    /// How many times a failed measurement was looked up: a clip whose build failed
    /// while this grew failed because of an error already reported.
    failed_reads: AtomicUsize,
    /// The name of the last failed measurement looked up.
    last_failed: Mutex<Option<String>>,
}

/// What looking a name up among the measurements found.
pub enum Found {
    /// Not a measurement.
    No,
    Series(Arc<dyn Series>),
    /// Declared, but its clip is not built yet: used inside the clip it measures, or by
    /// an earlier measurement.
    NotYet {
        clip: String,
    },
    /// It could not be made: its clip has errors, or the measurement itself is wrong
    /// (a clip without an end); either was reported when it failed.
    Failed {
        clip: String,
    },
}

impl Found {
    /// The error and hint for a name that was found but cannot be read.
    pub fn unusable(&self, name: &str) -> Option<(String, String)> {
        match self {
            Found::NotYet { clip } => Some((
                format!("measurement `{name}` cannot be used here"),
                Measures::not_yet(name, clip),
            )),
            Found::Failed { clip } => Some((
                format!(
                    "measurement `{name}` has no values: it or its clip `{clip}` has errors (reported on their own)"
                ),
                "fix those first".into(),
            )),
            _ => None,
        }
    }
}

impl Measures {
    /// The names and the clips they measure, none bound yet.
    pub fn declare(names: impl IntoIterator<Item = (String, String)>) -> Measures {
        Measures {
            slots: names
                .into_iter()
                .map(|(name, clip)| Slot {
                    name,
                    clip,
                    series: OnceLock::new(),
                    failed: AtomicBool::new(false),
                })
                .collect(),
            failed_reads: AtomicUsize::new(0),
            last_failed: Mutex::new(None),
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.slots.iter().map(|s| s.name.as_str())
    }

    /// Binds `name` to `series` (once; later calls are ignored).
    pub fn bind(&self, name: &str, series: Arc<dyn Series>) {
        if let Some(slot) = self.slots.iter().find(|s| s.name == name) {
            let _ = slot.series.set(series);
        }
    }

    /// Marks `name` as failed: its clip did not build.
    pub fn fail(&self, name: &str) {
        if let Some(slot) = self.slots.iter().find(|s| s.name == name) {
            slot.failed.store(true, Ordering::SeqCst);
        }
    }

    /// How many times a failed measurement has been looked up (see `failed_reads`).
    pub fn failed_reads(&self) -> usize {
        self.failed_reads.load(Ordering::SeqCst)
    }

    /// The name of the last failed measurement looked up (see [`Found::Failed`]), so
    /// that its error can also name the place of a clip that read it.
    pub fn last_failed(&self) -> Option<String> {
        self.last_failed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn find(&self, name: &str) -> Found {
        match self.slots.iter().find(|s| s.name == name) {
            None => Found::No,
            Some(slot) => match slot.series.get() {
                Some(s) => Found::Series(s.clone()),
                None if slot.failed.load(Ordering::SeqCst) => {
                    *self.last_failed.lock().unwrap_or_else(|p| p.into_inner()) =
                        Some(slot.name.clone());
                    self.failed_reads.fetch_add(1, Ordering::SeqCst);
                    Found::Failed {
                        clip: slot.clip.clone(),
                    }
                }
                None => Found::NotYet {
                    clip: slot.clip.clone(),
                },
            },
        }
    }

    /// The hint for a name that is [`Found::NotYet`].
    pub fn not_yet(name: &str, clip: &str) -> String {
        format!(
            "`{name}` measures clip `{clip}`: it cannot be used by that clip, by the clips it \
             is made of, or by a measurement declared above `{name}`"
        )
    }
}

/// The series of a scope, shared by its clones.
pub type SharedMeasures = Arc<Measures>;
