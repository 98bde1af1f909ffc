//! A sink's preparation ([`FrameWork::prepare`], e.g. choosing a GIF palette) overlapped
//! with the render: one worker runs it while the others go on rendering, and frames
//! rendered meanwhile are held here until it is done, then worked in index order.
//!
//! [`FrameWork::prepare`]: super::sink::FrameWork::prepare

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::base::frame::Frame;

#[derive(PartialEq)]
enum Stage {
    /// Nobody has started the preparation.
    Waiting,
    Running,
    Done,
}

struct State {
    stage: Stage,
    /// Frames rendered before the preparation was done, by index.
    held: BTreeMap<u64, Frame>,
}

pub struct Prepare {
    state: Mutex<State>,
}

impl Prepare {
    /// `needed`: whether there is a preparation to run (else frames are never held).
    pub fn new(needed: bool) -> Prepare {
        let stage = if needed { Stage::Waiting } else { Stage::Done };
        Prepare {
            state: Mutex::new(State {
                stage,
                held: BTreeMap::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// True for the one caller that must run the preparation now.
    pub fn claim(&self) -> bool {
        let mut s = self.lock();
        let first = s.stage == Stage::Waiting;
        if first {
            s.stage = Stage::Running;
        }
        first
    }

    /// The preparation has run: held frames may be worked.
    pub fn done(&self) {
        self.lock().stage = Stage::Done;
    }

    /// The lowest held frame, once the preparation is done.
    pub fn next_held(&self) -> Option<(u64, Frame)> {
        let mut s = self.lock();
        if s.stage != Stage::Done {
            return None;
        }
        s.held.pop_first()
    }

    /// A frame just rendered: handed back to be worked now, or held (while the
    /// preparation runs, or behind lower frames still held, so that frames are worked
    /// in order as far as possible).
    pub fn hold(&self, index: u64, frame: Frame) -> Option<Frame> {
        let mut s = self.lock();
        if s.stage == Stage::Done && s.held.is_empty() {
            return Some(frame);
        }
        s.held.insert(index, frame);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::{blank, Size};

    #[test]
    fn frames_wait_for_the_preparation_then_come_in_order() {
        let p = Prepare::new(true);
        let f = || blank(Size::new(1, 1));
        assert!(p.claim());
        assert!(!p.claim(), "only one worker prepares");
        assert!(p.hold(3, f()).is_none());
        assert!(p.hold(2, f()).is_none());
        assert!(p.next_held().is_none(), "held while preparing");
        p.done();
        assert!(p.hold(4, f()).is_none(), "behind lower held frames");
        let order: Vec<u64> = std::iter::from_fn(|| p.next_held().map(|(i, _)| i)).collect();
        assert_eq!(order, [2, 3, 4]);
        assert!(p.hold(5, f()).is_some());
    }

    #[test]
    fn without_a_preparation_nothing_is_held() {
        let p = Prepare::new(false);
        assert!(!p.claim());
        assert!(p.hold(0, blank(Size::new(1, 1))).is_some());
    }
}
