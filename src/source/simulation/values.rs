//! A simulation's keys compiled into the values a field draws
//! ([`grid::Values::Simulation`]), with its bounds checked where they are written:
//! the grid (a field's most points), the work of one frame, the memory it holds.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::base::frame::Size;
use crate::base::pair::Pair;
use crate::clip::build::ResolveCx;
use crate::expr::{RawParam, Scalar};
use crate::sim::{self, Boundary, Program, Runner, Shape, Written, MAX_WORK};
use crate::source::grid::{Values, MAX_POINTS};

/// The keys of `kind = "simulation"` beyond a field's, as written.
#[derive(Clone)]
pub struct SimKeys {
    pub grid: Option<Spanned<Pair<u32>>>,
    pub steps_per_frame: Option<Spanned<i64>>,
    pub boundary: Option<Spanned<Boundary>>,
    pub init: Spanned<BTreeMap<Spanned<String>, Spanned<Scalar>>>,
    pub step: Option<Spanned<Vec<Spanned<String>>>>,
    pub show: Spanned<Show>,
    pub seed: Option<Spanned<i64>>,
    /// The clip's table, for errors of keys not written.
    pub table: Range<usize>,
    /// The `size` key's place, when written (the grid's size by default).
    pub size_at: Option<Range<usize>>,
}

/// `show` as written: one expression (values drawn through a colormap), or a list
/// (three expressions: red, green, blue, each read from 0 to 1 as matplotlib's `imshow`
/// reads float RGB; another length is refused at `show`).
#[derive(Clone, Debug)]
pub enum Show {
    One(String),
    List(Vec<Spanned<String>>),
}

impl<'de> serde::Deserialize<'de> for Show {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Show, D::Error> {
        use serde::de::{self, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Show;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an expression of the grids, or a list of three (red, green, blue)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Show, E> {
                Ok(Show::One(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Show, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element::<Spanned<String>>()? {
                    // A list is three expressions: reading a long one stops at the fourth.
                    if v.len() == 3 {
                        return Err(de::Error::custom(
                            "`show` is one expression or a list of three (red, green, blue), not more",
                        ));
                    }
                    v.push(x);
                }
                Ok(Show::List(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// The expressions of `show`, each with its place: one, or three (red, green, blue).
pub fn show_lines(show: &Spanned<Show>) -> Result<Vec<Spanned<String>>, Diagnostic> {
    match show.get_ref() {
        Show::One(s) => Ok(vec![Spanned::new(show.span(), s.clone())]),
        Show::List(v) if v.len() == 3 => Ok(v.clone()),
        Show::List(v) => Err(Diagnostic::at(
            format!(
                "`show` is one expression, or a list of exactly three (red, green, blue), not {}",
                v.len()
            ),
            show.span(),
        )
        .with_hint("e.g. show = \"u\", or show = [\"u\", \"v / 2\", \"0\"]")),
    }
}

impl SimKeys {
    /// True for a `show` of three expressions: an RGB picture, not values.
    pub fn is_rgb(&self) -> bool {
        matches!(self.show.get_ref(), Show::List(v) if v.len() == 3)
    }
}

/// The most steps one frame may take (the work bound usually comes first).
const MAX_STEPS_PER_FRAME: i64 = 100_000;

/// The values, the grid's size and the clip's duration; `default_grid` is the clip's
/// size (or a plot's axes) when `grid` is not written.
pub fn compile(
    keys: &SimKeys,
    fps: Option<&Spanned<RawParam>>,
    default_grid: Option<(u32, u32)>,
    duration: Option<f64>,
    cx: &mut ResolveCx,
) -> Result<(Values, Size, Option<f64>), Diagnostic> {
    let (w, h, grid_at) = match (&keys.grid, default_grid) {
        (Some(g), _) => {
            let [w, h] = g.get_ref().values();
            (w, h, g.span())
        }
        (None, Some((w, h))) => (w, h, keys.size_at.clone().unwrap_or(keys.table.clone())),
        (None, None) => {
            return Err(Diagnostic::at(
                "a simulation needs its `grid = [columns, rows]` or its `size`",
                keys.table.clone(),
            ))
        }
    };
    let cells = w as u64 * h as u64;
    if w == 0 || h == 0 || cells > MAX_POINTS {
        return Err(Diagnostic::at(
            format!("a grid of {w}x{h} cells: it must have no zero side and at most {MAX_POINTS} cells (a field's most points)"),
            grid_at,
        )
        .with_hint("give `grid = [columns, rows]` smaller than the picture: it is drawn scaled up"));
    }
    let spf = match &keys.steps_per_frame {
        None => 1,
        Some(s) if (1..=MAX_STEPS_PER_FRAME).contains(s.get_ref()) => *s.get_ref() as u32,
        Some(s) => {
            return Err(Diagnostic::at(
                format!(
                "steps_per_frame must be a whole number from 1 to {MAX_STEPS_PER_FRAME}, not {}",
                s.get_ref()
            ),
                s.span(),
            ))
        }
    };
    let seed = match &keys.seed {
        None => 0,
        Some(s) if *s.get_ref() >= 0 => *s.get_ref() as u64,
        Some(s) => {
            return Err(Diagnostic::at(
                "seed must be a whole number from 0 up",
                s.span(),
            ))
        }
    };
    let empty = Spanned::new(keys.table.clone(), Vec::new());
    let step = keys.step.as_ref().unwrap_or(&empty);
    let show = show_lines(&keys.show)?;
    let lines = sim::compile_lines(
        &Written {
            init: &keys.init,
            step,
            show: &show,
        },
        &cx.scope,
    )?;
    let rate = fps.map(|f| cx.rate(f)).transpose()?;
    let program = Program {
        lines,
        shape: Shape {
            w: w as usize,
            h: h as usize,
        },
        steps_per_frame: spf,
        boundary: keys
            .boundary
            .as_ref()
            .map(|b| *b.get_ref())
            .unwrap_or_default(),
        seed,
        fps: rate.unwrap_or(cx.fps),
        duration,
    };
    let work = program.work_per_frame();
    if work > MAX_WORK {
        let at = keys
            .steps_per_frame
            .as_ref()
            .map(|s| s.span())
            .unwrap_or(step.span());
        return Err(Diagnostic::at(
            format!(
                "one frame of this simulation is {work} cell evaluations ({cells} cells × {} lines × {spf} steps), more than {MAX_WORK}",
                program.lines.step.len()
            ),
            at,
        )
        .with_hint("use fewer steps per frame, a smaller `grid`, or a higher `fps` with fewer steps each"));
    }
    let record = program.frame_bytes();
    let held = program.held_bytes()
        + crate::base::held::MEMORY_BUDGET.max(record * crate::base::held::MIN_FRAMES as u64);
    cx.hold(held, grid_at.clone())
        .map_err(|d| d.with_hint("a simulation keeps its grids and its recent frames: use a smaller `grid` or fewer grids"))?;
    let fps = program.fps;
    Ok((
        Values::Simulation {
            run: Arc::new(Runner::new(program)),
            fps,
            written: rate.is_some(),
        },
        Size::new(w, h),
        duration,
    ))
}
