//! Time effects: subclip, speed, loop, reverse, freeze.
//!
//! Each maps the output's time to the input's. Mapped times stay strictly below the
//! input's end (see [`last_instant`]), so the frame at the end of a clip is its last one.

use std::sync::Arc;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::args::Short;
use crate::audio::retime::TimeMap;
use crate::audio::{frames_in, RATE};
use crate::base::diag::Diagnostic;
use crate::base::limits::{self, shown_seconds};
use crate::base::time::just_before;
use crate::base::time::{last_instant, TIME_EPSILON};
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::effect::wrap::Retime;
use crate::expr::RawParam;

/// Refuses an effect that needs the input's end on a clip that has none.
fn bounded(input: &dyn Clip, what: &str, span: &std::ops::Range<usize>) -> Result<f64, Diagnostic> {
    input.duration().ok_or_else(|| {
        Diagnostic::at(
            format!("{what} needs a clip with an end, and this one has none"),
            span.clone(),
        )
        .with_hint(
            "give the clip a duration first (the source's `duration`, or `subclip = [0, seconds]`)",
        )
    })
}

/// Checks a resulting duration against the limits.
fn check_duration(d: f64, span: &std::ops::Range<usize>) -> Result<f64, Diagnostic> {
    limits::check_duration(d)
        .map_err(|m| Diagnostic::at(format!("the result is too long: {m}"), span.clone()))
}

// ---------------------------------------------------------------------------------
// subclip

/// `{ subclip = [start, end] }` or `[start]`; negative times count from the end.
pub type SubclipSpec = Vec<Spanned<RawParam>>;

pub fn subclip(
    spec: Spanned<SubclipSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let span = spec.span();
    let times = spec.into_inner();
    if times.is_empty() || times.len() > 2 {
        return Err(Diagnostic::at(
            "subclip takes [start] or [start, end], in seconds",
            span,
        ));
    }
    let total = input.duration();
    // A time as written, negative counting back from the end.
    let at = |raw: &Spanned<RawParam>, cx: &ResolveCx| -> Result<f64, Diagnostic> {
        let v = cx.seconds(raw, "a subclip time", f64::NEG_INFINITY, false)?;
        // -0 reads as "0 s from the end" but is the number 0, the clip's start.
        if v == 0.0 && v.is_sign_negative() {
            return Err(Diagnostic::at(
                "a subclip time of -0 is 0, the clip's start, not its end",
                raw.span(),
            )
            .with_hint(
                "write 0 for the start; to keep the clip to its end, leave the end out: subclip = [start]",
            ));
        }
        if v >= 0.0 {
            return Ok(v);
        }
        match total {
            Some(d) => Ok(d + v),
            None => Err(Diagnostic::at(
                "a negative time counts from the end, and this clip has none",
                raw.span(),
            )),
        }
    };
    let start = at(&times[0], cx)?;
    let end = match times.get(1) {
        Some(raw) => Some((at(raw, cx)?, raw.span())),
        None => None,
    };
    let outside = |what: &str, v: f64, s: std::ops::Range<usize>| {
        let len = total.map_or("without end".to_string(), |d| {
            format!("{} s long", shown_seconds(d))
        });
        Diagnostic::at(
            format!(
                "subclip {what} {} s is outside the clip, which is {len}",
                shown_seconds(v)
            ),
            s,
        )
    };
    if start < 0.0 || total.is_some_and(|d| start >= d) {
        return Err(outside("start", start, times[0].span()));
    }
    let end = match end {
        Some((e, s)) if e < 0.0 || total.is_some_and(|d| e > d + TIME_EPSILON) => {
            return Err(outside("end", e, s))
        }
        Some((e, s)) if e <= start => {
            return Err(Diagnostic::at(
                format!(
                    "subclip end {} s must be after its start {} s",
                    shown_seconds(e),
                    shown_seconds(start)
                ),
                s,
            ))
        }
        Some((e, _)) => Some(e.min(total.unwrap_or(e))),
        None => total,
    };
    let duration = end.map(|e| check_duration(e - start, &span)).transpose()?;
    Ok(Retime::wrap(
        "subclip",
        input,
        duration,
        move |t| start + t,
        TimeMap::Shift(frames_in(start)),
    ))
}

// ---------------------------------------------------------------------------------
// speed

/// `{ speed = 2 }`: plays `factor` times faster (the duration is divided by it).
pub fn speed(
    raw: Spanned<RawParam>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let factor = cx.constant(&raw, "speed", 0.0, false)?;
    let duration = match input.duration() {
        Some(d) => Some(check_duration(d / factor, &raw.span())?),
        None => None,
    };
    Ok(Retime::wrap(
        "speed",
        input,
        duration,
        move |t| t * factor,
        TimeMap::Scale(factor),
    ))
}

// ---------------------------------------------------------------------------------
// loop

/// `{ loop = 3 }` (a count) or `{ loop = { count = 3 } }` or `{ loop = { duration = 5 } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoopTable {
    count: Option<Spanned<RawParam>>,
    duration: Option<Spanned<RawParam>>,
}

pub type LoopSpec = Short<LoopTable>;

pub fn repeat(
    spec: Spanned<LoopSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (span, arg) = Short::split(spec);
    let table = arg.map_or_else(
        |t| t,
        |count| LoopTable {
            count: Some(count),
            duration: None,
        },
    );
    let period = bounded(&*input, "loop", &span)?;
    let duration = match (table.count, table.duration) {
        (Some(n), None) => period * cx.constant(&n, "the loop count", 0.0, false)?,
        (None, Some(d)) => cx.seconds(&d, "the loop duration", 0.0, false)?,
        (Some(n), Some(_)) => {
            return Err(Diagnostic::at(
                "loop takes `count` or `duration`, not both",
                n.span(),
            ))
        }
        (None, None) => return Err(Diagnostic::at("loop needs `count` or `duration`", span)),
    };
    let duration = check_duration(duration, &span)?;
    Ok(Retime::wrap(
        "loop",
        input,
        Some(duration),
        move |t| wrap_time(t, period),
        TimeMap::Loop(period * RATE as f64),
    ))
}

/// An animation made to last `duration` (cut, or holding its last frame), repeating
/// when `repeat` — for ever if no duration is given. Sources use it for their own
/// `loop`/`duration` keys.
pub fn looped(input: Arc<dyn Clip>, repeat: bool, duration: Option<f64>) -> Arc<dyn Clip> {
    match (repeat, input.duration()) {
        (true, Some(period)) => {
            let sound = TimeMap::Loop(period * RATE as f64);
            Retime::wrap(
                "loop",
                input,
                duration,
                move |t| wrap_time(t, period),
                sound,
            )
        }
        _ if duration.is_some() => Retime::wrap("hold", input, duration, |t| t, TimeMap::Shift(0)),
        _ => input,
    }
}

/// `t` modulo `period`, snapping times within [`TIME_EPSILON`] of a period boundary onto it, so
/// that frame times computed as i / fps start each repetition with the first frame.
fn wrap_time(t: f64, period: f64) -> f64 {
    let k = ((t + TIME_EPSILON) / period).floor();
    (t - k * period).clamp(0.0, last_instant(period))
}

// ---------------------------------------------------------------------------------
// reverse

/// `"reverse"`: plays the clip backwards, frame for frame (the first frame shown is
/// the input's last one, the last shown is its first).
pub fn reverse(input: Arc<dyn Clip>) -> Result<Arc<dyn Clip>, Diagnostic> {
    let d = bounded(&*input, "reverse", &(0..0)).map_err(|mut e| {
        e.span = None;
        e
    })?;
    Ok(Retime::wrap_at_rate(
        "reverse",
        input,
        Some(d),
        move |t, fps| mirrored(t, d, fps),
        TimeMap::Reverse(frames_in(d)),
    ))
}

/// The input time that output time `t` of a reversed clip of length `d` shows at `fps`:
/// frame k of the n the clip lasts shows the input's frame n − 1 − k, at the time that
/// frame starts. So the reversed clip shows the very instants the clip shows played
/// forwards (a `speed` under the reverse included), backwards, and a value drawn from
/// `t` (a text's `{t}`) is the time of the frame in the picture. Times between frames
/// (a slowed-down reverse) keep their offset into the frame.
fn mirrored(t: f64, d: f64, fps: f64) -> f64 {
    if !(fps.is_finite() && fps > 0.0) {
        return just_before(d - t);
    }
    let n = (d * fps - TIME_EPSILON).ceil().max(1.0);
    let k = (t * fps + TIME_EPSILON).floor();
    let into = (t - k / fps).max(0.0);
    ((n - 1.0 - k) / fps + into).max(0.0)
}

// ---------------------------------------------------------------------------------
// freeze

/// `{ freeze = { t = 1, duration = 2 } }`: the frame at `t` (default 0, or "end") is
/// held for `duration`, then the clip goes on.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of t, duration, e.g. { t = 1, duration = 2 }"
)]
pub struct FreezeSpec {
    t: Option<Spanned<FreezeAt>>,
    duration: Spanned<RawParam>,
}

/// Where a freeze happens: seconds into the clip, or its end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FreezeAt {
    At(f64),
    End,
}

impl<'de> Deserialize<'de> for FreezeAt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FreezeAt;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a time in seconds (2, \"2s\", \"1:30\") or \"end\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FreezeAt, E> {
                Ok(FreezeAt::At(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FreezeAt, E> {
                Ok(FreezeAt::At(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<FreezeAt, E> {
                Ok(FreezeAt::At(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FreezeAt, E> {
                match (v, crate::base::seconds::parse(v)) {
                    ("end", _) => Ok(FreezeAt::End),
                    (_, Some(Ok(t))) => Ok(FreezeAt::At(t)),
                    (_, Some(Err(m))) => Err(E::custom(m)),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

pub fn freeze(
    spec: Spanned<FreezeSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let span = spec.span();
    let s = spec.into_inner();
    let hold = cx.seconds(&s.duration, "the freeze duration", 0.0, false)?;
    let total = input.duration();
    let at = match &s.t {
        None => 0.0,
        Some(t) => match *t.get_ref() {
            FreezeAt::End => bounded(&*input, "freezing at the end", &t.span())?,
            FreezeAt::At(v) if !v.is_finite() || v < 0.0 || total.is_some_and(|d| v > d) => {
                let len = total.map_or(String::new(), |d| format!(" 0..{}", shown_seconds(d)));
                return Err(Diagnostic::at(
                    format!(
                        "freeze time {} s is outside the clip{len}",
                        shown_seconds(v)
                    ),
                    t.span(),
                ));
            }
            FreezeAt::At(v) => v,
        },
    };
    let duration = match total {
        Some(d) => Some(check_duration(d + hold, &span)?),
        None => None,
    };
    // At the end, the held frame is the last one (the mapping is clamped below the end).
    let sound = TimeMap::Freeze {
        at: frames_in(at),
        hold: frames_in(hold),
    };
    let map = move |t: f64| {
        if t < at - TIME_EPSILON {
            t
        } else if t < at + hold - TIME_EPSILON {
            at
        } else {
            t - hold
        }
    };
    Ok(Retime::wrap("freeze", input, duration, map, sound))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::testing::*;

    /// The frame indices (blue channel of the pattern) shown at output frames 0, 0.1, ….
    fn frames(clip: &Arc<dyn Clip>) -> Vec<u8> {
        let n = (clip.duration().unwrap() * 10.0).round() as u32;
        (0..n)
            .map(|i| px(&render(clip, i as f64 / 10.0), 0, 0)[2])
            .collect()
    }

    #[test]
    fn subclip_start_end_and_negative_times() {
        let p = pattern(1, 1, Some(1.0));
        let c = ok("{ subclip = [0.2, 0.5] }", p.clone());
        assert_eq!(c.duration(), Some(0.5 - 0.2));
        assert_eq!(frames(&c), vec![2, 3, 4]);
        let c = ok("{ subclip = [0.7] }", p.clone());
        assert_eq!(frames(&c), vec![7, 8, 9]);
        let c = ok("{ subclip = [-0.3, -0.1] }", p.clone());
        assert_eq!(frames(&c), vec![7, 8]);
        // The end instant itself shows the last frame.
        assert_eq!(px(&render(&c, 0.2), 0, 0)[2], 8);
        let c = ok("{ subclip = [1, 3] }", pattern(1, 1, None));
        assert_eq!(c.duration(), Some(2.0));
        assert_eq!(
            ok("{ subclip = [1] }", pattern(1, 1, None)).duration(),
            None
        );
    }

    #[test]
    fn subclip_outside_the_clip_is_an_error() {
        let p = pattern(1, 1, Some(1.0));
        let (m, at) = err("{ subclip = [0.5, 2] }", p.clone());
        assert_eq!(
            (m.as_str(), at.as_str()),
            (
                "subclip end 2 s is outside the clip, which is 1 s long",
                "2"
            )
        );
        let (m, at) = err("{ subclip = [1] }", p.clone());
        assert!(
            m.starts_with("subclip start 1 s is outside") && at == "1",
            "{m}"
        );
        let (m, _) = err("{ subclip = [-2] }", p.clone());
        assert!(m.contains("outside"), "{m}");
        let (m, _) = err("{ subclip = [0.5, 0.5] }", p.clone());
        assert!(m.contains("must be after"), "{m}");
        let (m, _) = err("{ subclip = [] }", p);
        assert!(m.contains("[start, end]"), "{m}");
        let (m, at) = err("{ subclip = [-1] }", pattern(1, 1, None));
        assert!(m.contains("has none") && at == "-1", "{m}");
    }

    #[test]
    fn speed_scales_time() {
        let c = ok("{ speed = 2 }", pattern(1, 1, Some(1.0)));
        assert_eq!(c.duration(), Some(0.5));
        assert_eq!(frames(&c), vec![0, 2, 4, 6, 8]);
        let c = ok("{ speed = 0.5 }", pattern(1, 1, Some(0.3)));
        assert_eq!(frames(&c), vec![0, 0, 1, 1, 2, 2]);
        let (m, at) = err("{ speed = 0 }", pattern(1, 1, None));
        assert!(m.contains("greater than 0") && at == "0", "{m}");
    }

    #[test]
    fn loop_by_count_or_duration() {
        let c = ok("{ loop = 3 }", pattern(1, 1, Some(0.3)));
        assert_eq!(c.duration(), Some(0.3 * 3.0));
        assert_eq!(frames(&c), vec![0, 1, 2, 0, 1, 2, 0, 1, 2]);
        let c = ok("{ loop = { duration = 0.5 } }", pattern(1, 1, Some(0.2)));
        assert_eq!(frames(&c), vec![0, 1, 0, 1, 0]);
        let c = ok("{ loop = { count = 2 } }", pattern(1, 1, Some(0.7)));
        assert_eq!(frames(&c), vec![0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6]);
        let (m, at) = err("{ loop = 3 }", pattern(1, 1, None));
        assert!(
            m.starts_with("loop needs a clip with an end") && at == "3",
            "{m}"
        );
        let (m, _) = err(
            "{ loop = { count = 2, duration = 1 } }",
            pattern(1, 1, Some(1.0)),
        );
        assert!(m.contains("not both"), "{m}");
    }

    #[test]
    fn reverse_shows_frames_backwards() {
        let c = ok("\"reverse\"", pattern(1, 1, Some(1.0)));
        assert_eq!(frames(&c), vec![9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
        assert_eq!(
            px(&render(&c, 1.0), 0, 0)[2],
            0,
            "the end shows the first frame"
        );
        let (m, _) = err("\"reverse\"", pattern(1, 1, None));
        assert!(m.starts_with("reverse needs a clip with an end"), "{m}");
    }

    /// `[{ speed = 2 }, "reverse"]` showed the odd frames, which the sped-up clip
    /// played forwards never shows, and a `{t}` under it was a frame ahead of them.
    #[test]
    fn regression_a_reversed_speed_up_showed_other_frames_than_forwards() {
        let fast = ok("{ speed = 2 }", pattern(1, 1, Some(1.0)));
        assert_eq!(frames(&fast), vec![0, 2, 4, 6, 8]);
        assert_eq!(frames(&ok("\"reverse\"", fast)), vec![8, 6, 4, 2, 0]);
        // A length between frames: its three frames backwards.
        assert_eq!(
            frames(&ok("\"reverse\"", pattern(1, 1, Some(0.25)))),
            vec![2, 1, 0]
        );
        // Slowed down after the reverse: each frame twice, the first and last too.
        let slow = ok(
            "{ speed = 0.5 }",
            ok("\"reverse\"", pattern(1, 1, Some(1.0))),
        );
        let want: Vec<u8> = (0..10).rev().flat_map(|i| [i, i]).collect();
        assert_eq!(frames(&slow), want);
    }

    #[test]
    fn freeze_holds_a_frame_then_goes_on() {
        let c = ok(
            "{ freeze = { t = 0.3, duration = 0.2 } }",
            pattern(1, 1, Some(0.6)),
        );
        assert_eq!(c.duration(), Some(0.8));
        assert_eq!(frames(&c), vec![0, 1, 2, 3, 3, 3, 4, 5]);
        let c = ok(
            "{ freeze = { t = \"end\", duration = 0.3 } }",
            pattern(1, 1, Some(0.4)),
        );
        assert_eq!(frames(&c), vec![0, 1, 2, 3, 3, 3, 3]);
        let c = ok("{ freeze = { duration = 0.2 } }", pattern(1, 1, Some(0.2)));
        assert_eq!(frames(&c), vec![0, 0, 0, 1]);
        let (m, at) = err(
            "{ freeze = { t = 2, duration = 1 } }",
            pattern(1, 1, Some(1.0)),
        );
        assert!(m.contains("outside the clip 0..1") && at == "2", "{m}");
        let (m, _) = err(
            "{ freeze = { t = \"start\", duration = 1 } }",
            pattern(1, 1, Some(1.0)),
        );
        assert!(
            m.contains("expected a time in seconds (2, \"2s\", \"1:30\") or \"end\""),
            "{m}"
        );
    }
}
