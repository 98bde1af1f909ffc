//! Text whose placeholders change over time: formatted and drawn per frame, in a box
//! fixed when the scene loads.
//!
//! Without `size`, the box is measured: the text is formatted at every frame of the
//! clip (at most [`MAX_SAMPLED_FRAMES`] of them, over its first minute if it has no
//! end); a spread of those texts is drawn, and each shape of number seen is drawn with
//! all its digits set to each digit from 0 to 9, so a counter's other values fit too.
//! A frame whose ink still falls outside is cut there, with a warning.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use crate::clip::{Clip, Frame, RenderCx, RenderError, RenderResult, Size};
use crate::effect::wrap::last_instant;
use crate::expr::Env;
use crate::text::template::Template;
use crate::text::{self, IntRect, Sizing, TextStyle};

/// The most frames whose text is formatted to measure the box.
pub const MAX_SAMPLED_FRAMES: usize = 600;
/// The span sampled for a clip without an end, in seconds.
const UNBOUNDED_SPAN: f64 = 60.0;
/// The most distinct texts drawn to measure the box, besides the digit variants.
const MAX_MEASURED: usize = 16;
/// The most distinct digit patterns (`0.00`, `00.00`, …) whose variants are measured.
const MAX_PATTERNS: usize = 16;
/// How many drawn frames are kept, by their text: enough for a few render threads
/// that each hold a different frame.
const CACHE: usize = 4;
/// The most memory the kept frames may take, beyond the one most recently drawn.
const CACHE_BYTES: u64 = 64 << 20;

/// A text clip with live values.
pub struct LiveText {
    template: Template,
    style: TextStyle,
    size: Size,
    duration: Option<f64>,
    /// The text as written, shortened, for warnings.
    label: String,
    /// How many frames `cache` keeps: [`CACHE`], fewer for a large box.
    cache_len: usize,
    cache: Mutex<VecDeque<(String, Frame)>>,
    warned: Mutex<HashSet<String>>,
}

/// What loading found out besides the clip: warnings for the user.
pub struct Built {
    pub clip: LiveText,
    pub warnings: Vec<String>,
}

/// Fixes the box of `style` (measured, unless it has a `size`) and checks the texts
/// the clip is expected to show. The error is a box over the size limit.
pub fn build(
    template: Template,
    mut style: TextStyle,
    duration: Option<f64>,
    fps: f64,
    label: String,
) -> Result<Built, String> {
    let samples = sample_envs(duration, fps);
    let texts = distinct(samples.iter().map(|e| template.at(e)));
    let mut warnings = Vec::new();
    let size = match style.sizing {
        Sizing::Box { size, .. } => {
            for t in spread(&texts, MAX_MEASURED) {
                warnings.extend(text::render(&style, t)?.warnings);
            }
            size
        }
        Sizing::Fit | Sizing::Reserved { .. } => {
            let mut measured = spread(&texts, MAX_MEASURED)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>();
            measured.extend(digit_variants(&template, &samples));
            let mut room: Option<IntRect> = None;
            for t in distinct(measured.into_iter()) {
                let (ink, w) = text::measure(&style, &t)?;
                warnings.extend(w);
                room = match (room, ink) {
                    (Some(a), Some(b)) => union(a, b),
                    (a, b) => a.or(b),
                };
            }
            let room = room.unwrap_or_else(|| IntRect::from_xywh(0, 0, 1, 1).expect("1x1"));
            style.sizing = Sizing::Reserved { ink: room };
            text::reserved_size(room, style.padding).map_err(|(w, h)| {
                format!(
                    "the text would need a box of {w}x{h} pixels, over the limit of {} a side",
                    crate::scene::limits::MAX_SIDE
                )
            })?
        }
    };
    let warnings = distinct(warnings.into_iter());
    let frame_bytes = size.w as u64 * size.h as u64 * 4;
    let cache_len = (CACHE_BYTES / frame_bytes).clamp(1, CACHE as u64) as usize;
    Ok(Built {
        clip: LiveText {
            template,
            style,
            size,
            duration,
            label,
            cache_len,
            cache: Mutex::new(VecDeque::with_capacity(cache_len)),
            warned: Mutex::new(HashSet::new()),
        },
        warnings,
    })
}

/// The instants the text is formatted at to measure it: every frame of the clip at
/// the scene's rate (evenly chosen ones when there are too many), and its last instant.
fn sample_envs(duration: Option<f64>, fps: f64) -> Vec<Env> {
    let span = duration.unwrap_or(UNBOUNDED_SPAN);
    let frames = ((span * fps).ceil() as usize).max(1);
    let picked = frames.min(MAX_SAMPLED_FRAMES);
    (0..picked)
        .map(|i| {
            let k = if picked == frames {
                i
            } else {
                (i as f64 * (frames - 1) as f64 / (picked - 1) as f64).round() as usize
            };
            k as f64 / fps
        })
        .chain(std::iter::once(last_instant(span)))
        .map(|t| Env::new(t, duration, fps))
        .collect()
}

/// The texts at `samples` with the placeholders' digits all replaced by one digit,
/// for each digit: the widest a number of that pattern can be.
fn digit_variants(template: &Template, samples: &[Env]) -> Vec<String> {
    let mut seen = HashSet::new();
    let patterns: Vec<&Env> = samples
        .iter()
        .filter(|e| seen.insert(template.at_masked(e, '0')))
        .collect();
    spread(&patterns, MAX_PATTERNS)
        .into_iter()
        .flat_map(|e| ('0'..='9').map(move |d| template.at_masked(e, d)))
        .collect()
}

/// The items in first-seen order, without repeats.
fn distinct(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    items.filter(|s| seen.insert(s.clone())).collect()
}

/// At most `n` of `items`, evenly spread, the first and last included.
fn spread<T>(items: &[T], n: usize) -> Vec<&T> {
    if items.len() <= n {
        return items.iter().collect();
    }
    let last = items.len() - 1;
    (0..n)
        .map(|i| &items[(i as f64 * last as f64 / (n - 1) as f64).round() as usize])
        .collect()
}

fn union(a: IntRect, b: IntRect) -> Option<IntRect> {
    let (l, t) = (a.left().min(b.left()), a.top().min(b.top()));
    let (r, btm) = (a.right().max(b.right()), a.bottom().max(b.bottom()));
    IntRect::from_ltrb(l, t, r, btm)
}

impl LiveText {
    /// A drawn text from the cache, moved to the front.
    fn cached(&self, text: &str) -> Option<Frame> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let i = cache.iter().position(|(s, _)| s == text)?;
        let entry = cache.remove(i)?;
        let frame = entry.1.clone();
        cache.push_front(entry);
        Some(frame)
    }

    fn remember(&self, text: String, frame: &Frame) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= self.cache_len {
            cache.pop_back();
        }
        cache.push_front((text, frame.clone()));
    }

    /// Prints a warning the first time it comes up.
    fn warn_once(&self, warning: String, text: &str, t: f64) {
        let mut warned = self.warned.lock().unwrap_or_else(|e| e.into_inner());
        if warned.insert(warning.clone()) {
            crate::report::warn(format_args!(
                "text {:?} at t = {t:.3} s ({text:?}): {warning}",
                self.label
            ));
        }
    }
}

impl Clip for LiveText {
    fn kind(&self) -> &'static str {
        "text"
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let text = self.template.at(&Env::new(t, self.duration, cx.fps));
        if let Some(frame) = self.cached(&text) {
            return Ok(frame);
        }
        let drawn = text::render(&self.style, &text).map_err(RenderError)?;
        for w in drawn.warnings {
            self.warn_once(w, &text, t);
        }
        self.remember(text, &drawn.frame);
        Ok(drawn.frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::Rgba;
    use crate::expr::Scope;
    use crate::text::raster::draws_on_this_thread;
    use crate::text::{fonts, raster, Align, Padding};

    fn style(align: Align) -> TextStyle {
        TextStyle {
            face: fonts::lock().choose(fonts::DEFAULT_FAMILY, 400, cosmic_text::Style::Normal),
            font_size: 20.0,
            line_spacing: 1.2,
            ink: raster::Ink {
                fill: Rgba::WHITE,
                stroke: None,
            },
            background: Rgba::TRANSPARENT,
            padding: Padding::default(),
            align,
            sizing: Sizing::Fit,
        }
    }

    fn clip(text: &str, align: Align, duration: Option<f64>, fps: f64) -> LiveText {
        let template = Template::compile(text, &Scope::default()).unwrap();
        build(template, style(align), duration, fps, text.into())
            .unwrap()
            .clip
    }

    #[test]
    fn a_text_is_drawn_again_only_when_it_changes() {
        let c = clip("{floor(t)} s", Align::Center, Some(3.0), 20.0);
        let cx = RenderCx::new(20.0);
        let before = draws_on_this_thread();
        let first = c.render(0.0, &cx).unwrap();
        for i in 1..20 {
            assert!(c.render(i as f64 / 20.0, &cx).unwrap() == first);
        }
        assert_eq!(draws_on_this_thread() - before, 1);
        let next = c.render(1.0, &cx).unwrap();
        assert!(next != first);
        assert_eq!(draws_on_this_thread() - before, 2);
        // Going back finds the first text in the cache.
        assert!(c.render(0.5, &cx).unwrap() == first);
        assert_eq!(draws_on_this_thread() - before, 2);
    }

    /// Every frame of a counter fits the measured box, whatever the alignment.
    #[test]
    fn every_frame_fits_the_measured_box() {
        for align in [Align::Left, Align::Center, Align::Right] {
            let c = clip("n = {frame}\n{-t:+.1f}", align, Some(40.0), 25.0);
            let cx = RenderCx::new(25.0);
            let size = c.size();
            for k in (0..1000).step_by(7) {
                let f = c.render(k as f64 / 25.0, &cx).unwrap();
                assert_eq!((f.width(), f.height()), (size.w, size.h));
            }
            let warned = c.warned.lock().unwrap();
            assert!(warned.is_empty(), "{align:?}: {warned:?}");
        }
    }

    /// Right-aligned numbers keep their right edge where it is: the units digit stays
    /// in its place as the number grows.
    #[test]
    fn aligned_text_keeps_its_anchor() {
        let c = clip("{frame}", Align::Right, Some(40.0), 25.0);
        let cx = RenderCx::new(25.0);
        let right_edge = |k: u32| {
            let f = c.render(k as f64 / 25.0, &cx).unwrap();
            let w = f.width();
            (0..w)
                .rev()
                .find(|&x| (0..f.height()).any(|y| f.pixel(x, y).unwrap().alpha() > 0))
                .unwrap()
        };
        assert_eq!(right_edge(8), right_edge(998));
        // at the box's right edge, give or take the digits' own side bearings
        assert!(
            right_edge(998) + 3 >= c.size.w,
            "{} of {}",
            right_edge(998),
            c.size.w
        );
    }

    #[test]
    fn ink_outside_the_box_is_cut_with_a_warning() {
        // After the sampled first minute of a clip without an end, a longer number.
        let c = clip("{if(t > 100, 123456789, 1)}", Align::Left, None, 10.0);
        let cx = RenderCx::new(10.0);
        let f = c.render(200.0, &cx).unwrap();
        assert_eq!((f.width(), f.height()), (c.size.w, c.size.h));
        let warned = c.warned.lock().unwrap();
        assert_eq!(warned.len(), 1);
        assert!(warned.iter().next().unwrap().contains("is cut"));
    }

    #[test]
    fn samples_cover_every_frame_or_an_even_spread() {
        let envs = sample_envs(Some(2.0), 10.0);
        let ts: Vec<f64> = envs.iter().map(|e| e.t).collect();
        assert_eq!(ts.len(), 21);
        assert_eq!(ts[3], 0.3);
        assert!(ts[20] > 1.999 && ts[20] < 2.0);
        let envs = sample_envs(None, 30.0);
        assert_eq!(envs.len(), MAX_SAMPLED_FRAMES + 1);
        assert_eq!(envs[MAX_SAMPLED_FRAMES - 1].t, 1799.0 / 30.0);
        assert_eq!(spread(&[1, 2, 3, 4, 5], 3), [&1, &3, &5]);
    }
}
