//! Text that changes over time — its string (live values such as `{t:.1f}`), its look
//! (a keyframed font size or colour), or both — drawn per frame in a box fixed when the
//! scene loads (see [`measure`](super::measure) for how it is measured). The drawn
//! frames are cached by their text and look, so a frame that looks like a recent one
//! is not drawn again.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use super::look::{Look, ValuesKey};
use super::measure::{self, MAX_MEASURED};
use crate::base::error::RenderError;
use crate::base::frame::{Frame, RenderResult, Size};
use crate::clip::{Clip, RenderCx};
use crate::expr::Env;
use crate::text::template::Template;
use crate::text::{self, IntRect, Sizing, TextStyle};

/// How many drawn frames are kept, by their text and look: enough for a few render threads
/// that each hold a different frame.
const CACHE: usize = 4;
/// The most memory the kept frames may take, beyond the one most recently drawn.
const CACHE_BYTES: u64 = 64 << 20;

/// A text clip that changes over time.
pub struct LiveText {
    template: Template,
    look: Look,
    /// The face, padding, alignment and box; [`Look`] gives the rest at each instant.
    style: TextStyle,
    size: Size,
    duration: Option<f64>,
    /// The text as written, shortened, for warnings.
    label: String,
    /// How many frames `cache` keeps: [`CACHE`], fewer for a large box.
    cache_len: usize,
    cache: Mutex<VecDeque<(String, ValuesKey, Frame)>>,
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
    look: Look,
    mut style: TextStyle,
    duration: Option<f64>,
    fps: f64,
    label: String,
) -> Result<Built, String> {
    let samples = measure::samples(&template, &look, duration, fps);
    let mut warnings = Vec::new();
    let size = match style.sizing {
        Sizing::Box { size, .. } => {
            for s in measure::spread(&measure::distinct(&samples), MAX_MEASURED) {
                warnings.extend(text::render(&s.values.style(&style), &s.text)?.warnings);
            }
            size
        }
        Sizing::Fit | Sizing::Reserved { .. } => {
            let (room, w) = measure::room(&template, &style, &samples, !look.is_constant())?;
            warnings.extend(w);
            let room = room.unwrap_or_else(|| IntRect::from_xywh(0, 0, 1, 1).expect("1x1"));
            style.sizing = Sizing::Reserved { ink: room };
            text::reserved_size(room, style.padding).map_err(|(w, h)| {
                format!(
                    "the text would need a box of {w}x{h} pixels, over the limit of {} a side",
                    crate::base::limits::MAX_SIDE
                )
            })?
        }
    };
    let mut seen = HashSet::new();
    warnings.retain(|w| seen.insert(w.clone()));
    let frame_bytes = size.w as u64 * size.h as u64 * 4;
    let cache_len = (CACHE_BYTES / frame_bytes).clamp(1, CACHE as u64) as usize;
    Ok(Built {
        clip: LiveText {
            template,
            look,
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

impl LiveText {
    /// A drawn text from the cache, moved to the front.
    fn cached(&self, text: &str, look: ValuesKey) -> Option<Frame> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let i = cache.iter().position(|(s, k, _)| s == text && *k == look)?;
        let entry = cache.remove(i)?;
        let frame = entry.2.clone();
        cache.push_front(entry);
        Some(frame)
    }

    fn remember(&self, text: String, look: ValuesKey, frame: &Frame) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= self.cache_len {
            cache.pop_back();
        }
        cache.push_front((text, look, frame.clone()));
    }

    /// Prints a warning the first time it comes up.
    fn warn_once(&self, warning: String, text: &str, t: f64) {
        let mut warned = self.warned.lock().unwrap_or_else(|e| e.into_inner());
        if warned.insert(warning.clone()) {
            crate::base::report::warn(format_args!(
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
        let env = Env::new(t, self.duration, cx.fps);
        let text = self.template.at(&env);
        let values = self.look.at(&env);
        let key = values.key();
        if let Some(frame) = self.cached(&text, key) {
            return Ok(frame);
        }
        let drawn = text::render(&values.style(&self.style), &text).map_err(RenderError)?;
        for w in drawn.warnings {
            self.warn_once(w, &text, t);
        }
        self.remember(text, key, &drawn.frame);
        Ok(drawn.frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Scope;
    use crate::text::raster::draws_on_this_thread;
    use crate::text::Align;

    /// A clip made from the keys of a text clip table, as the scene file has them.
    fn from_keys(keys: &str, duration: Option<f64>, fps: f64) -> LiveText {
        let table = toml::de::DeTable::parse(keys).unwrap();
        let spec: super::super::Spec =
            crate::clip::build::spec(table.into_inner(), 0..keys.len()).unwrap();
        let mut cx = crate::clip::build::ResolveCx::new(
            std::path::Path::new("."),
            Scope::default(),
            crate::scene::resolve::build_clip,
        );
        let (style, look) = super::super::style(&spec, &mut cx).unwrap();
        let template = Template::compile(spec.text.get_ref(), &Scope::default()).unwrap();
        build(template, look, style, duration, fps, "test".into())
            .unwrap()
            .clip
    }

    fn clip(text: &str, align: Align, duration: Option<f64>, fps: f64) -> LiveText {
        let align = format!("{align:?}").to_lowercase();
        from_keys(
            &format!("text = {text:?}\nfont_size = 20\ncolor = \"white\"\nalign = \"{align}\""),
            duration,
            fps,
        )
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

    /// A growing font size: the box is the largest text's, and a frame is drawn again
    /// only when its look changes.
    #[test]
    fn a_changing_look_is_drawn_per_look_in_the_largest_box() {
        let keys = "text = \"Hg\"\ncolor = \"white\"\n\
                    font_size = { keys = [[0, 20], [0.5, 40]] }";
        let c = from_keys(keys, Some(1.0), 20.0);
        let fixed = from_keys(
            "text = \"Hg\"\ncolor = \"white\"\nfont_size = 40",
            None,
            20.0,
        );
        let cx = RenderCx::new(20.0);
        let largest = text::render(
            &fixed
                .look
                .at(&Env::new(0.0, None, 20.0))
                .style(&fixed.style),
            "Hg",
        )
        .unwrap()
        .frame;
        assert!(fixed.look.is_constant() && !c.look.is_constant());
        assert_eq!(c.size, Size::new(largest.width(), largest.height()));
        let before = draws_on_this_thread();
        let first = c.render(0.0, &cx).unwrap();
        assert!(c.render(0.25, &cx).unwrap() != first);
        let end = c.render(0.5, &cx).unwrap();
        assert!(end == largest);
        assert_eq!(draws_on_this_thread() - before, 3);
        // from 0.5 s on the look holds: served from the cache
        for i in 10..20 {
            assert!(c.render(i as f64 / 20.0, &cx).unwrap() == end);
        }
        assert_eq!(draws_on_this_thread() - before, 3);
        assert!(c.warned.lock().unwrap().is_empty());
    }

    /// A counter whose font grows: every frame fits the box measured for it, its digit
    /// variants included.
    #[test]
    fn a_growing_counter_fits_its_box() {
        let keys = "text = \"{frame}\"\ncolor = \"white\"\nalign = \"right\"\n\
                    font_size = \"10 + t\"";
        let c = from_keys(keys, Some(40.0), 25.0);
        let cx = RenderCx::new(25.0);
        for k in (0..1000).step_by(37) {
            let f = c.render(k as f64 / 25.0, &cx).unwrap();
            assert_eq!((f.width(), f.height()), (c.size.w, c.size.h));
        }
        let warned = c.warned.lock().unwrap();
        assert!(warned.is_empty(), "{warned:?}");
    }
}
