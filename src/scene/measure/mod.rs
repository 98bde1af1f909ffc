//! `[measure.NAME]`: a statistic of a clip's frames as a named value, one per frame,
//! that expressions, text templates (`{population:.0f}`) and plot series
//! (`{ measure = "population" }`) read.
//!
//! The measured clips are built first, in the order the tables are written, and each
//! name is usable from the moment its clip is built: a clip cannot use a measurement of
//! itself (or of a clip it is part of), so no pass waits for itself. The values are
//! measured by one pass over the measured clip when the first frame needs one
//! ([`pass`]); the root clip is wrapped so that a render runs every pass first, on its
//! threads and stopped by its stop flag ([`Prepared`]).

pub mod pass;
pub mod stat;

use std::borrow::Cow;
use std::sync::Arc;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::base::de::typed;
use crate::base::diag::Diagnostic;
use crate::base::error::RenderError;
use crate::base::frame::{Frame, RenderResult, Size};
use crate::base::limits::MAX_MEASURED_FRAMES;
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, Placement, RenderCx};
use crate::expr::{Expr, Measures, Scope};
use pass::{ClipPass, Measurement};
use stat::{Channel, Measure, Stat};

/// One `[measure.NAME]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeasure {
    /// The measured clip.
    pub clip: Spanned<String>,
    pub stat: Option<Spanned<Stat>>,
    pub channel: Option<Spanned<Channel>>,
    pub threshold: Option<Spanned<f64>>,
}

/// The threshold of `count_above` and `fraction_above` when none is given: the
/// `threshold` effect's white (255) and every value from 128 count.
pub const DEFAULT_THRESHOLD: f64 = 127.0;

/// The `[measure]` tables, checked, in file order.
pub struct Declared {
    pub tables: Vec<(Spanned<String>, RawMeasure)>,
}

impl Declared {
    /// Reads the `[measure]` table; each wrong entry is added to `errors` and left out.
    pub fn read(value: Option<Spanned<DeValue<'_>>>, errors: &mut Vec<Diagnostic>) -> Declared {
        let mut tables = Vec::new();
        let Some(value) = value else {
            return Declared { tables };
        };
        let span = value.span();
        let DeValue::Table(table) = value.into_inner() else {
            errors.push(Diagnostic::at(
                "`measure` must be a table of named measurements: [measure.NAME]",
                span,
            ));
            return Declared { tables };
        };
        for (key, value) in DeTable::into_iter(table) {
            let name = Spanned::new(key.span(), key.get_ref().to_string());
            if let Err(d) = check_name(&name) {
                errors.push(d);
                continue;
            }
            if !matches!(value.get_ref(), DeValue::Table(_)) {
                // `[measure]` with `clip = "cells"` under it: the keys of one unnamed
                // measurement, each read as a measurement's name (hostile11 F-DI).
                errors.push(
                    Diagnostic::at(
                        format!("`{}` under `[measure]` is not a measurement: each measurement is a table of its own", name.get_ref()),
                        name.span(),
                    )
                    .with_hint("give the measurement a name and put its keys under it: [measure.population] with `clip = \"cells\"`"),
                );
                continue;
            }
            match typed::<RawMeasure>(value) {
                Ok(raw) => match check(&raw) {
                    Ok(()) => tables.push((name, raw)),
                    Err(d) => errors.push(d),
                },
                Err(d) => errors.push(d),
            }
        }
        Declared { tables }
    }

    /// The names, none bound yet: a scope's measurements for one build of the scene.
    pub fn names(&self) -> Measures {
        Measures::declare(
            self.tables
                .iter()
                .map(|(n, raw)| (n.get_ref().clone(), raw.clip.get_ref().clone())),
        )
    }

    /// Builds each measured clip, in order, and binds its name; errors go to `cx`.
    /// Measurements of one clip share one pass over its frames.
    pub fn bind(&self, cx: &mut ResolveCx) -> Vec<Arc<Measurement>> {
        let mut out = Vec::new();
        let mut passes: std::collections::HashMap<&str, Arc<ClipPass>> = Default::default();
        for (name, raw) in &self.tables {
            if cx.enough_errors() {
                break;
            }
            let before = cx.error_count();
            let known = cx.declares(raw.clip.get_ref());
            let clip = match cx.clip(&raw.clip) {
                Ok(clip) => clip,
                Err(d) => {
                    // A clip that failed is reported with its own errors.
                    if !known {
                        cx.also(d);
                    }
                    cx.measure_failed(name.get_ref(), before);
                    continue;
                }
            };
            let Some(duration) = clip.duration() else {
                cx.also(
                    Diagnostic::at(
                        format!(
                            "measurement `{}`: clip `{}` lasts for ever, so it has no last frame to measure up to",
                            name.get_ref(),
                            raw.clip.get_ref()
                        ),
                        raw.clip.span(),
                    )
                    .with_hint("give the measured clip a `duration`"),
                );
                cx.measure_failed(name.get_ref(), before);
                continue;
            };
            // Every frame is rendered and kept, before anything else runs: a day at
            // 1000 fps took minutes and gigabytes, even for `check`.
            let frames = crate::base::time::frame_count(duration, cx.fps);
            if frames > MAX_MEASURED_FRAMES {
                cx.also(
                    Diagnostic::at(
                        format!(
                            "measurement `{}`: clip `{}` lasts {} s, {frames} frames at {} fps, more than the {MAX_MEASURED_FRAMES} a measurement may render",
                            name.get_ref(),
                            raw.clip.get_ref(),
                            crate::base::limits::shown(duration),
                            crate::base::time::fps_text(cx.fps)
                        ),
                        raw.clip.span(),
                    )
                    .with_hint("measure a part of it (a clip made from it with effects = [{ subclip = [0, 60] }]), or at a lower [output] fps"),
                );
                cx.measure_failed(name.get_ref(), before);
                continue;
            }
            if let Err(d) = check_values(name.get_ref(), raw, clip.as_ref()) {
                cx.also(d);
                cx.measure_failed(name.get_ref(), before);
                continue;
            }
            let measure = Measure {
                stat: raw.stat.as_ref().map_or(Stat::default(), |s| *s.get_ref()),
                channel: raw
                    .channel
                    .as_ref()
                    .map_or(Channel::default(), |c| *c.get_ref()),
                threshold: raw
                    .threshold
                    .as_ref()
                    .map_or(DEFAULT_THRESHOLD, |t| *t.get_ref()),
            };
            let pass = passes
                .entry(raw.clip.get_ref())
                .or_insert_with(|| ClipPass::new(clip, duration));
            let m = Arc::new(Measurement::sharing(
                name.get_ref().clone(),
                pass.clone(),
                measure,
            ));
            cx.scope.measures().bind(name.get_ref(), m.clone());
            out.push(m);
        }
        out
    }
}

/// A measurement's name must be a name expressions can read, not one they already know.
fn check_name(name: &Spanned<String>) -> Result<(), Diagnostic> {
    let n = name.get_ref();
    let mut chars = n.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !identifier {
        return Err(Diagnostic::at(
            format!("`{n}` is not a valid measurement name"),
            name.span(),
        )
        .with_hint(
            "use letters, digits and `_`, starting with a letter: expressions read it by name",
        ));
    }
    // A name that compiles without any var is built in (t, x, pi, …).
    let builtin = Expr::parse_text(n, &Scope::default(), &["x", "y", "u", "i"]).is_ok()
        || crate::expr::func::function(n).is_some();
    if builtin {
        return Err(Diagnostic::at(
            format!("`{n}` is a built-in name and cannot name a measurement"),
            name.span(),
        ));
    }
    Ok(())
}

fn check(raw: &RawMeasure) -> Result<(), Diagnostic> {
    if let Some(t) = &raw.threshold {
        if !t.get_ref().is_finite() {
            return Err(Diagnostic::at(
                "the threshold must be a finite number",
                t.span(),
            ));
        }
    }
    Ok(())
}

/// A measurement of values (`channel = "value"`) needs a clip that draws numbers, and
/// a statistic of numbers with its threshold in their units.
fn check_values(name: &str, raw: &RawMeasure, clip: &dyn Clip) -> Result<(), Diagnostic> {
    let Some(channel) = raw
        .channel
        .as_ref()
        .filter(|c| *c.get_ref() == Channel::Value)
    else {
        return Ok(());
    };
    if !clip.draws_numbers() {
        return Err(Diagnostic::at(
            format!(
                "measurement `{name}`: clip `{}` ({}) draws a picture, not numbers: \
                 `channel = \"value\"` measures the values of a field or a simulation",
                raw.clip.get_ref(),
                clip.kind()
            ),
            channel.span(),
        )
        .with_hint(
            "measure the field or simulation clip itself (its `effects`, a `caption` or a \
             layout make a picture of it), or a pixel channel such as `\"luminance\"`",
        ));
    }
    let stat = raw.stat.as_ref();
    match stat.map(|s| *s.get_ref()) {
        Some(Stat::SumAlpha) => Err(Diagnostic::at(
            "`sum_alpha` adds up pixels' coverage; the values of a field have none: \
             `stat = \"sum\"` adds the values up",
            stat.unwrap().span(),
        )),
        Some(s @ (Stat::CountAbove | Stat::FractionAbove)) if raw.threshold.is_none() => {
            Err(Diagnostic::at(
                format!(
                    "`{}` of values needs a `threshold`, in the values' units (the 127 \
                     of pixels means nothing here)",
                    if s == Stat::CountAbove {
                        "count_above"
                    } else {
                        "fraction_above"
                    }
                ),
                stat.unwrap().span(),
            ))
        }
        _ => Ok(()),
    }
}

/// Checks that no measurement has the name of a var (the var would hide it).
pub fn check_against_vars(declared: &Declared, scope: &Scope) -> Vec<Diagnostic> {
    declared
        .tables
        .iter()
        .filter(|(n, _)| scope.get(n.get_ref()).is_some())
        .map(|(n, _)| {
            Diagnostic::at(
                format!("`{}` is both a var and a measurement", n.get_ref()),
                n.span(),
            )
            .with_hint("rename one of them")
        })
        .collect()
}

/// The root clip, run after every measurement's pass: the passes use the render's
/// threads and stop with it, before the frames that need their values.
pub struct Prepared {
    inner: Arc<dyn Clip>,
    measurements: Vec<Arc<Measurement>>,
}

impl Prepared {
    /// `root`, wrapped when there are measurements.
    pub fn wrap(root: Arc<dyn Clip>, measurements: Vec<Arc<Measurement>>) -> Arc<dyn Clip> {
        if measurements.is_empty() {
            return root;
        }
        Arc::new(Prepared {
            inner: root,
            measurements,
        })
    }
}

impl Clip for Prepared {
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }
    fn size(&self) -> Size {
        self.inner.size()
    }
    fn duration(&self) -> Option<f64> {
        self.inner.duration()
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        // An owned frame passes through; a lent one is copied, as `inner.render` would.
        self.render_ref(t, cx).map(Cow::into_owned)
    }
    fn render_ref(&self, t: f64, cx: &RenderCx) -> Result<Cow<'_, Frame>, RenderError> {
        for m in &self.measurements {
            m.values_in(cx)?;
        }
        self.inner.render_ref(t, cx)
    }
    fn is_still(&self) -> bool {
        self.inner.is_still()
    }
    fn is_mask(&self) -> bool {
        self.inner.is_mask()
    }
    fn children(&self) -> Vec<Placement> {
        self.inner.children()
    }
    fn rate(&self) -> Option<f64> {
        self.inner.rate()
    }
    fn passes_time(&self) -> bool {
        self.inner.passes_time()
    }
    fn will_need(&self, span: Option<(f64, f64)>) {
        self.inner.will_need(span)
    }
    fn sound(&self) -> Option<Arc<dyn crate::audio::Sound>> {
        self.inner.sound()
    }
}
