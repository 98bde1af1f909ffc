//! Bar names and value labels that run into each other: many bars on a narrow chart
//! write `MATLABC++Zig`. matplotlib draws them so; animate says so, once per clip, as
//! it refuses numeric tick labels run together.

use std::sync::atomic::{AtomicBool, Ordering};

/// Labels nearer than this (pixels) read as one word.
const MIN_GAP: f64 = 1.0;

/// A label's box in pixels, with the bar's place (its slot, fractional while it slides).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelBox {
    pub place: f64,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl LabelBox {
    /// The box (x0, y0, x1, y1) of the label of the bar at `place`.
    pub fn new(place: f64, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> LabelBox {
        LabelBox {
            place,
            x0,
            y0,
            x1,
            y1,
        }
    }
}

/// The first two labels of bars at least a slot apart whose boxes come nearer than
/// [`MIN_GAP`], as indices into `boxes` (sorted by place inside). Bars sliding past
/// each other in a race meet for a moment: that is no crowding.
pub fn first_clash(boxes: &[LabelBox]) -> Option<(usize, usize)> {
    let mut order: Vec<usize> = (0..boxes.len()).collect();
    order.sort_by(|&a, &b| boxes[a].place.total_cmp(&boxes[b].place));
    order.windows(2).find_map(|w| {
        let (a, b) = (&boxes[w[0]], &boxes[w[1]]);
        let apart = b.place - a.place >= 1.0 - 1e-6;
        let near = a.x0 < b.x1 + MIN_GAP
            && b.x0 < a.x1 + MIN_GAP
            && a.y0 < b.y1 + MIN_GAP
            && b.y0 < a.y1 + MIN_GAP;
        (apart && near).then_some((w[0], w[1]))
    })
}

/// Says once per clip that its bar names, and once that its value labels, run together.
#[derive(Debug, Default)]
pub struct Crowding {
    /// How the warning names the clip: "`main`".
    clip: String,
    names: AtomicBool,
    values: AtomicBool,
    /// Whether names, then value labels, were said to be cut at the figure's edge.
    cut: [AtomicBool; 2],
}

/// Which labels a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    Names,
    Values,
}

impl Crowding {
    pub fn new(clip: Option<&str>) -> Crowding {
        Crowding {
            clip: clip.map_or("the bars".to_string(), |c| format!("`{c}`")),
            ..Crowding::default()
        }
    }

    /// Whether `which` has warned already, of both crowding and cutting (then its
    /// labels need no measuring).
    pub fn done(&self, which: Labels) -> bool {
        self.flag(which).load(Ordering::Relaxed) && self.cut[which as usize].load(Ordering::Relaxed)
    }

    /// Warns (once for `which`) when one of `labels` (text and box, in pixels of the
    /// `w`×`h` figure) reaches past the figure's edge, where it is cut: the axes keep
    /// matplotlib's place in the figure and do not move for long names.
    pub fn check_cut(&self, which: Labels, labels: &[(String, LabelBox)], w: f64, h: f64) {
        let flag = &self.cut[which as usize];
        if flag.load(Ordering::Relaxed) {
            return;
        }
        let Some((text, edge, wide)) = labels.iter().find_map(|(t, b)| {
            let wide = b.x1 - b.x0;
            let edge = outside(b, w, h)?;
            Some((t, edge, wide))
        }) else {
            return;
        };
        if flag.swap(true, Ordering::Relaxed) {
            return;
        }
        let (what, room) = match which {
            Labels::Names => (
                "bar name",
                "a wider `size` or shorter names in the table show all of it",
            ),
            Labels::Values => (
                "value label",
                "a wider `size` or a shorter `value_labels` format (`\"{value / 1e6:.1f} M\"`) \
                 shows all of it",
            ),
        };
        crate::base::report::warn(format_args!(
            "the {what} `{text}` of {} ({wide:.0} px wide) is cut at the figure's {edge} edge; {room}",
            self.clip
        ));
    }

    fn flag(&self, which: Labels) -> &AtomicBool {
        match which {
            Labels::Names => &self.names,
            Labels::Values => &self.values,
        }
    }

    /// Warns (once for `which`) when two of `labels` (text and box) run together;
    /// `horizontal` chooses the hint.
    pub fn check(&self, which: Labels, labels: &[(String, LabelBox)], horizontal: bool) {
        if self.done(which) {
            return;
        }
        let boxes: Vec<LabelBox> = labels.iter().map(|l| l.1).collect();
        let Some((a, b)) = first_clash(&boxes) else {
            return;
        };
        if self.flag(which).swap(true, Ordering::Relaxed) {
            return;
        }
        let what = match which {
            Labels::Names => "bar names",
            Labels::Values => "value labels",
        };
        let room = match (which, horizontal) {
            (Labels::Names, false) => {
                "a wider `size`, fewer bars (`top` in a race), shorter names or \
                 `orientation = \"horizontal\"` gives them room"
            }
            (Labels::Values, false) => {
                "a wider `size`, fewer bars, a shorter `value_labels` format or \
                 `orientation = \"horizontal\"` gives them room"
            }
            (_, true) => "a taller `size` or fewer bars (`top` in a race) gives them room",
        };
        crate::base::report::warn(format_args!(
            "the {what} of {} run together: `{}` touches `{}`; {room}",
            self.clip, labels[a].0, labels[b].0
        ));
    }
}

/// The edge of the `w`×`h` figure that box `b` reaches past (by more than half a
/// pixel: anti-aliasing), if any.
fn outside(b: &LabelBox, w: f64, h: f64) -> Option<&'static str> {
    const SLACK: f64 = 0.5;
    if b.x0 < -SLACK {
        Some("left")
    } else if b.x1 > w + SLACK {
        Some("right")
    } else if b.y0 < -SLACK {
        Some("top")
    } else if b.y1 > h + SLACK {
        Some("bottom")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_past_an_edge_is_cut() {
        let b = |x0, x1| LabelBox::new(0.0, (x0, 10.0, x1, 20.0));
        assert_eq!(outside(&b(-0.4, 30.0), 100.0, 50.0), None);
        assert_eq!(outside(&b(-12.0, 30.0), 100.0, 50.0), Some("left"));
        assert_eq!(outside(&b(80.0, 104.0), 100.0, 50.0), Some("right"));
        assert_eq!(outside(&b(80.0, 100.0), 100.0, 50.0), None);
    }

    fn at(place: f64, x0: f64, x1: f64) -> LabelBox {
        LabelBox::new(place, (x0, 0.0, x1, 10.0))
    }

    #[test]
    fn neighbours_closer_than_a_pixel_clash() {
        // apart by 3 px, then by half a pixel
        assert_eq!(
            first_clash(&[at(0.0, 0.0, 20.0), at(1.0, 23.0, 40.0)]),
            None
        );
        assert_eq!(
            first_clash(&[at(1.0, 20.5, 40.0), at(0.0, 0.0, 20.0)]),
            Some((1, 0))
        );
        // side by side but at different heights (value labels of bars far apart)
        let mut high = at(1.0, 10.0, 30.0);
        high.y0 = 40.0;
        high.y1 = 50.0;
        assert_eq!(first_clash(&[at(0.0, 0.0, 20.0), high]), None);
    }

    #[test]
    fn bars_sliding_past_each_other_do_not_count() {
        assert_eq!(first_clash(&[at(0.0, 0.0, 20.0), at(0.4, 5.0, 25.0)]), None);
        assert_eq!(
            first_clash(&[at(0.0, 0.0, 20.0), at(1.0, 10.0, 25.0)]),
            Some((0, 1))
        );
    }
}
