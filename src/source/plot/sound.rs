//! A plot series drawn from a sound file (`sound = "music.wav"`): its waveform's
//! envelope or its level against time, computed once, or its spectrum at the instant
//! drawn. Times are the sound's own seconds, which are the plot's `t` when the plot
//! and the sound start together.

use std::sync::Arc;

use toml::Spanned;

use super::spec::{SeriesSpec, SoundChannel, SoundDraw};
use crate::audio::analysis::{self, Blocks, Channel, Spectrum};
use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;

/// Seconds in a block of a waveform or a level when `block` is not given: 10 ms.
pub const DEFAULT_BLOCK: f64 = 0.01;
/// The longest block: an hour.
const MAX_BLOCK: f64 = 3600.0;
/// Samples in a spectrum's window when `window` is not given.
pub const DEFAULT_WINDOW: usize = 2048;

/// What a sound series shows.
pub enum SoundPoints {
    /// Points against the sound's time, the same in every frame (revealed as a CSV
    /// file's rows are).
    Blocks { xs: Vec<f64>, ys: Vec<f64> },
    /// Magnitudes against frequency, of the window centred on the plot's `t`.
    Spectrum(Arc<Spectrum>),
}

/// The sound series `spec`, reading `file`, in a plot lasting `duration`; `points_left`
/// is what the plot's point limit leaves it.
pub fn compile(
    spec: &SeriesSpec,
    file: &Spanned<String>,
    duration: Option<f64>,
    points_left: usize,
    cx: &mut ResolveCx,
) -> Result<SoundPoints, Diagnostic> {
    let not_here = |key: &str, span: std::ops::Range<usize>, why: &str| {
        Err(Diagnostic::at(
            format!("`{key}` is not for a sound series: {why}"),
            span,
        ))
    };
    let xy = "its x and y are the sound's time (or frequency) and values, as `draw` says";
    if let Some(v) = &spec.x {
        return not_here("x", v.span(), xy);
    }
    if let Some(v) = &spec.y {
        return not_here("y", v.span(), xy);
    }
    if let Some(v) = &spec.u {
        return not_here("u", v.span(), xy);
    }
    if let Some(v) = &spec.samples {
        return not_here(
            "samples",
            v.span(),
            "its points are its blocks, or its spectrum's bins",
        );
    }
    if let Some(v) = &spec.csv {
        return not_here(
            "csv",
            v.span(),
            "a series reads a sound file or a CSV file, not both",
        );
    }
    if let Some(v) = &spec.measure {
        return not_here(
            "measure",
            v.span(),
            "a series draws a sound or a measurement, not both",
        );
    }
    let draw = spec
        .draw
        .as_ref()
        .map_or(SoundDraw::default(), |d| *d.get_ref());
    let channel = match spec.channel.as_ref().map(|c| *c.get_ref()) {
        None | Some(SoundChannel::Mix) => Channel::Mix,
        Some(SoundChannel::Left) => Channel::Left,
        Some(SoundChannel::Right) => Channel::Right,
    };
    let decibels = spec.db.as_ref().is_none_or(|d| *d.get_ref());
    if draw == SoundDraw::Waveform {
        if let Some(d) = &spec.db {
            return not_here(
                "db",
                d.span(),
                "a waveform is drawn as samples, from −1 to 1; `db` is for `draw = \"rms\"`, \
                 \"peak\" and \"spectrum\"",
            );
        }
    }
    if draw == SoundDraw::Spectrum {
        if let Some(b) = &spec.block {
            return Err(Diagnostic::at(
                "`block` is for waveforms and levels: a spectrum's length is its `window`",
                b.span(),
            ));
        }
        for (key, span) in [
            ("reveal", spec.reveal.as_ref().map(|r| r.span())),
            ("rows", spec.rows.as_ref().map(|r| r.span())),
            ("sweep", spec.sweep.as_ref().map(|r| r.span())),
        ] {
            if let Some(span) = span {
                return Err(Diagnostic::at(
                    format!(
                        "`{key}` is not for a spectrum: it is drawn whole, the spectrum at the \
                         instant shown"
                    ),
                    span,
                ));
            }
        }
    } else if let Some(w) = &spec.window {
        return Err(Diagnostic::at(
            "`window` is for `draw = \"spectrum\"`: a waveform's or a level's points are \
             `block` seconds apart",
            w.span(),
        ));
    }
    let window = match &spec.window {
        None => DEFAULT_WINDOW,
        Some(w) => {
            let (lo, hi) = analysis::WINDOW_RANGE;
            let v = *w.get_ref();
            if v < lo as i64 || v > hi as i64 {
                return Err(Diagnostic::at(
                    format!("`window` is {v} samples: give {lo} to {hi} (2048 is usual)"),
                    w.span(),
                ));
            }
            v as usize
        }
    };
    let block = match &spec.block {
        None => DEFAULT_BLOCK,
        Some(b) => {
            let v = *b.get_ref();
            if !(v.is_finite() && v > 0.0 && v <= MAX_BLOCK) {
                return Err(Diagnostic::at(
                    format!(
                        "`block` is {} seconds: give more than 0, at most {MAX_BLOCK} \
                         (0.01 is usual)",
                        crate::base::limits::shown(v)
                    ),
                    b.span(),
                ));
            }
            v
        }
    };
    // A spectrum reads no further than its window past the plot's end: of a long file,
    // only that much is decoded.
    let until = duration
        .filter(|_| draw == SoundDraw::Spectrum)
        .map(|d| d + window as f64 / f64::from(crate::audio::RATE) + 1.0);
    let (sound, frames) = crate::source::audio::decoded(file, until, "to draw", cx)?;
    if draw == SoundDraw::Spectrum {
        return Ok(SoundPoints::Spectrum(Arc::new(Spectrum::new(
            sound, channel, window, decibels,
        ))));
    }
    let block = ((block * f64::from(crate::audio::RATE)).round() as usize).max(1);
    let what = match draw {
        SoundDraw::Rms => Blocks::Rms,
        SoundDraw::Peak => Blocks::Peak,
        _ => Blocks::Envelope,
    };
    let points = what.points(analysis::block_count(frames, block));
    if points > points_left {
        return Err(Diagnostic::at(
            format!(
                "`{}` would be drawn with {points} points (its blocks of {} s), more than the \
                 plot's limit leaves this series ({points_left})",
                file.get_ref(),
                crate::base::limits::shown(block as f64 / f64::from(crate::audio::RATE)),
            ),
            spec.block.as_ref().map_or(file.span(), |b| b.span()),
        )
        .with_hint("give a larger `block`, in seconds"));
    }
    let (xs, ys) = analysis::blocks(&*sound, channel, frames, block, what, decibels)
        .map_err(|m| Diagnostic::at(m, file.span()))?;
    Ok(SoundPoints::Blocks { xs, ys })
}
