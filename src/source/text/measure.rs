//! The box of a text that changes, measured when the scene loads.
//!
//! The text and its look are evaluated at every frame of the clip at the scene's rate
//! (at most [`MAX_SAMPLED_FRAMES`] of them, over its first minute if it has no end),
//! at its last instant, and at the keyframe times of the values that size it. When only
//! the string changes, a spread of those texts is drawn, and each shape of number seen
//! is drawn with all its digits set to each digit from 0 to 9, so a counter's other
//! values fit too. When the look changes (a font size that grows), every distinct
//! sampled frame is drawn, not only the keyframe times: an expression can peak at any
//! frame, several changing values need not peak together, and rounding baselines to
//! whole pixels makes a slightly smaller size reach a pixel further now and then, so
//! only drawing the frames themselves gives a box that none of them leaves. That costs
//! one drawing per distinct sampled frame at load (a three-second title at 20 fps adds
//! a few tens of milliseconds); keyframes that hold a value are drawn once. Digit
//! variants are drawn with the look at which their shape of number had the most ink.
//! The box is the union of all their ink.

use std::collections::{HashMap, HashSet};

use super::look::{Look, Values, ValuesKey};
use crate::base::time::last_instant;
use crate::expr::Env;
use crate::text::template::Template;
use crate::text::{self, IntRect, TextStyle};

/// The most frames whose text is formatted to measure the box.
pub const MAX_SAMPLED_FRAMES: usize = 600;
/// The span sampled for a clip without an end, in seconds.
const UNBOUNDED_SPAN: f64 = 60.0;
/// The most distinct texts drawn to measure the box of a text whose look is constant,
/// besides the digit variants.
pub const MAX_MEASURED: usize = 16;
/// The most distinct digit patterns (`0.00`, `00.00`, …) whose variants are measured.
const MAX_PATTERNS: usize = 16;

/// The clip at one instant.
pub struct Sample {
    pub env: Env,
    pub text: String,
    pub values: Values,
}

impl Sample {
    fn key(&self) -> (String, ValuesKey) {
        (self.text.clone(), self.values.key())
    }
}

/// The clip at the instants it is measured at.
pub fn samples(template: &Template, look: &Look, duration: Option<f64>, fps: f64) -> Vec<Sample> {
    sample_envs(duration, fps, &look.key_times())
        .into_iter()
        .map(|env| Sample {
            text: template.at(&env),
            values: look.at(&env),
            env,
        })
        .collect()
}

/// The instants the clip is evaluated at: every frame of the clip at the scene's rate
/// (evenly chosen ones when there are too many), its last instant, and the `keys`
/// that fall inside it.
fn sample_envs(duration: Option<f64>, fps: f64, keys: &[f64]) -> Vec<Env> {
    let span = duration.unwrap_or(UNBOUNDED_SPAN);
    let frames = ((span * fps).ceil() as usize).max(1);
    let picked = frames.min(MAX_SAMPLED_FRAMES);
    let end = duration.map_or(f64::INFINITY, last_instant);
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
        .chain(keys.iter().map(|&k| k.min(end)).filter(|k| *k >= 0.0))
        .map(|t| Env::new(t, duration, fps))
        .collect()
}

/// The samples worth drawing: one per distinct text and look, the first seen.
pub fn distinct(samples: &[Sample]) -> Vec<&Sample> {
    let mut seen = HashSet::new();
    samples.iter().filter(|s| seen.insert(s.key())).collect()
}

/// The room the ink of `samples` needs around the still point of
/// [`Sizing::Reserved`](crate::text::Sizing::Reserved) (`None`: no ink at all), and the
/// warnings drawing them gave. `every`: measure every distinct sample, not a spread.
pub fn room(
    template: &Template,
    base: &TextStyle,
    samples: &[Sample],
    every: bool,
) -> Result<(Option<IntRect>, Vec<String>), String> {
    let mut acc = Room::default();
    let unique = distinct(samples);
    let chosen = if every {
        unique.iter().collect()
    } else {
        spread(&unique, MAX_MEASURED)
    };
    for s in chosen {
        acc.measure(base, &s.text, &s.values)?;
    }
    for s in patterns(template, samples, &acc.measured) {
        for d in '0'..='9' {
            acc.measure(base, &template.at_masked(&s.env, d), &s.values)?;
        }
    }
    Ok((acc.room, acc.warnings))
}

/// The union of the ink measured so far.
#[derive(Default)]
struct Room {
    room: Option<IntRect>,
    warnings: Vec<String>,
    /// What was measured, with the area of its ink.
    measured: HashMap<(String, ValuesKey), u64>,
}

impl Room {
    fn measure(&mut self, base: &TextStyle, text: &str, values: &Values) -> Result<(), String> {
        let key = (text.to_string(), values.key());
        if self.measured.contains_key(&key) {
            return Ok(());
        }
        let (ink, w) = text::measure(&values.style(base), text)?;
        self.warnings.extend(w);
        let area = ink.map_or(0, |b| b.width() as u64 * b.height() as u64);
        self.measured.insert(key, area);
        self.room = match (self.room, ink) {
            (Some(a), Some(b)) => union(a, b),
            (a, b) => a.or(b),
        };
        Ok(())
    }
}

/// For each shape of number the samples show (at most [`MAX_PATTERNS`], evenly
/// spread), the sample showing it with the most ink among those measured (the first,
/// if none was).
fn patterns<'a>(
    template: &Template,
    samples: &'a [Sample],
    measured: &HashMap<(String, ValuesKey), u64>,
) -> Vec<&'a Sample> {
    let mut order: Vec<String> = Vec::new();
    let mut best: HashMap<String, (&Sample, u64)> = HashMap::new();
    for s in samples {
        let pattern = template.at_masked(&s.env, '0');
        let area = measured.get(&s.key()).copied().unwrap_or(0);
        match best.get_mut(&pattern) {
            Some(b) if area > b.1 => *b = (s, area),
            Some(_) => {}
            None => {
                order.push(pattern.clone());
                best.insert(pattern, (s, area));
            }
        }
    }
    spread(&order, MAX_PATTERNS)
        .into_iter()
        .map(|p| best[p].0)
        .collect()
}

/// At most `n` of `items`, evenly spread, the first and last included.
pub fn spread<T>(items: &[T], n: usize) -> Vec<&T> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_cover_every_frame_or_an_even_spread() {
        let envs = sample_envs(Some(2.0), 10.0, &[]);
        let ts: Vec<f64> = envs.iter().map(|e| e.t).collect();
        assert_eq!(ts.len(), 21);
        assert_eq!(ts[3], 0.3);
        assert!(ts[20] > 1.999 && ts[20] < 2.0);
        let envs = sample_envs(None, 30.0, &[]);
        assert_eq!(envs.len(), MAX_SAMPLED_FRAMES + 1);
        assert_eq!(envs[MAX_SAMPLED_FRAMES - 1].t, 1799.0 / 30.0);
        assert_eq!(spread(&[1, 2, 3, 4, 5], 3), [&1, &3, &5]);
    }

    #[test]
    fn keyframe_times_inside_the_clip_are_sampled_too() {
        // 0.525 falls between frames at 20 fps; -1 is before the clip; 5 is after its
        // end and stands for its last instant.
        let envs = sample_envs(Some(2.0), 20.0, &[0.525, -1.0, 5.0]);
        let ts: Vec<f64> = envs.iter().map(|e| e.t).collect();
        assert_eq!(ts.len(), 40 + 1 + 2);
        assert_eq!(ts[41], 0.525);
        assert_eq!(ts[42], last_instant(2.0));
    }
}
