//! What the progress bar shows while passes over a clip run inside the render (see
//! [`crate::clip::pass`]): the newest pass still running, with its own count, and the
//! render's frames again once every pass has ended.

use crate::clip::pass::PassWatch;

/// Something that shows [`Passes`] (the render's bar, the bar before a render): it
/// applies a change and draws the result. Each is a [`PassWatch`] through it.
pub trait ShowsPasses: Sync {
    fn update(&self, change: &mut dyn FnMut(&mut Passes));
}

impl<T: ShowsPasses> PassWatch for T {
    fn pass_begun(&self, id: u64, what: &str, frames: u64) {
        self.update(&mut |p| p.begun(id, what, frames));
    }
    fn pass_frames(&self, id: u64, done: u64) {
        self.update(&mut |p| p.frames(id, done));
    }
    fn pass_ended(&self, id: u64) {
        self.update(&mut |p| p.ended(id));
    }
}

/// The render's frames and the passes running, newest last.
#[derive(Debug, Default)]
pub struct Passes {
    render: (u64, u64),
    running: Vec<Running>,
}

#[derive(Debug)]
struct Running {
    id: u64,
    what: String,
    done: u64,
    frames: u64,
}

/// One state of the bar: the text before it (empty for the render's frames), the
/// position and the length.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub prefix: String,
    pub pos: u64,
    pub len: u64,
}

impl Passes {
    /// None of the render's `total` frames done yet, no pass running.
    pub fn new(total: u64) -> Passes {
        Passes {
            render: (0, total),
            running: Vec::new(),
        }
    }

    /// What the bar shows now.
    pub fn view(&self) -> View {
        match self.running.last() {
            Some(p) => View {
                prefix: format!("{} ", p.what),
                pos: p.done,
                len: p.frames,
            },
            None => View {
                prefix: String::new(),
                pos: self.render.0,
                len: self.render.1,
            },
        }
    }

    /// The render delivered `done` of `total` frames.
    pub fn render_done(&mut self, done: u64, total: u64) {
        self.render = (done, total);
    }

    pub fn begun(&mut self, id: u64, what: &str, frames: u64) {
        self.running.push(Running {
            id,
            what: what.to_string(),
            done: 0,
            frames,
        });
    }

    /// Frames of a pass finish on several threads, so their counts may arrive out of
    /// order: the highest is kept.
    pub fn frames(&mut self, id: u64, done: u64) {
        if let Some(p) = self.running.iter_mut().find(|p| p.id == id) {
            p.done = p.done.max(done);
        }
    }

    pub fn ended(&mut self, id: u64) {
        self.running.retain(|p| p.id != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(prefix: &str, pos: u64, len: u64) -> View {
        View {
            prefix: prefix.into(),
            pos,
            len,
        }
    }

    #[test]
    fn a_pass_shows_then_the_render_again() {
        let mut p = Passes::new(30);
        assert_eq!(p.view(), view("", 0, 30));
        p.render_done(2, 30);
        p.begun(7, "measuring population", 12);
        assert_eq!(p.view(), view("measuring population ", 0, 12));
        p.frames(7, 2);
        p.frames(7, 1);
        assert_eq!(p.view(), view("measuring population ", 2, 12));
        // Frames the render delivers meanwhile are kept for later.
        p.render_done(3, 30);
        assert_eq!(p.view().pos, 2);
        p.ended(7);
        assert_eq!(p.view(), view("", 3, 30));
    }

    #[test]
    fn nested_passes_show_the_newest() {
        let mut p = Passes::new(10);
        p.begun(1, "measuring area", 40);
        p.frames(1, 5);
        p.begun(2, "statistics of video", 40);
        assert_eq!(p.view(), view("statistics of video ", 0, 40));
        // An unknown pass changes nothing.
        p.frames(9, 3);
        p.ended(9);
        p.ended(2);
        assert_eq!(p.view(), view("measuring area ", 5, 40));
        p.ended(1);
        assert_eq!(p.view(), view("", 0, 10));
    }
}
