//! `kind = "grid"`: clips in rows and columns, like MoviePy's `clips_array`.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::legible::Legibility;
use crate::base::color::Rgba;
use crate::base::diag::{At, Diagnostic};
use crate::base::frame::{filled, RenderResult, Size};
use crate::base::limits;
use crate::base::pixel::over;
use crate::base::time::clamp_time;
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, Placement, RenderCx};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    rows: Spanned<Vec<Vec<Spanned<String>>>>,
    #[serde(default)]
    spacing: u32,
    background: Option<Rgba>,
    /// Scale every cell to this height, keeping its aspect.
    height: Option<Spanned<u32>>,
    /// Scale every cell to this width, keeping its aspect.
    width: Option<Spanned<u32>>,
    /// "longest" (the default), "shortest" or seconds.
    duration: Option<Spanned<crate::expr::RawParam>>,
}

/// How much a grid may scale a cell up before it says so: beyond 2× the cell is
/// visibly soft, and the grid likely far larger than meant.
pub const MAX_QUIET_SCALE: f64 = 2.0;

struct Cell {
    name: String,
    clip: Arc<dyn Clip>,
    x: u32,
    y: u32,
    /// For text cells: says when the text cannot be seen on the grid's background.
    legible: Option<Legibility>,
}

struct Grid {
    cells: Vec<Cell>,
    size: Size,
    duration: Option<f64>,
    background: Rgba,
}

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let rows = spec.rows.get_ref();
    if rows.is_empty() || rows.iter().all(|r| r.is_empty()) {
        return Err(Diagnostic::at(
            "a grid needs at least one clip",
            spec.rows.span(),
        ));
    }
    if let (Some(_), Some(w)) = (&spec.height, &spec.width) {
        return Err(Diagnostic::at(
            "give a grid `height` or `width`, not both: cells keep their aspect",
            w.span(),
        ));
    }
    for side in [&spec.height, &spec.width].into_iter().flatten() {
        if *side.get_ref() == 0 {
            return Err(Diagnostic::at(
                "a grid's cells are at least 1 pixel: give `height` or `width` of 1 or more",
                side.span(),
            ));
        }
    }
    let fit = |name: &str,
               clip: Arc<dyn Clip>,
               cx: &mut ResolveCx|
     -> Result<Arc<dyn Clip>, Diagnostic> {
        let s = clip.size();
        let size = match (&spec.height, &spec.width) {
            (Some(h), _) => (
                s.w as f64 * *h.get_ref() as f64 / s.h as f64,
                *h.get_ref() as f64,
                h.span(),
            ),
            (_, Some(w)) => (
                *w.get_ref() as f64,
                s.h as f64 * *w.get_ref() as f64 / s.w as f64,
                w.span(),
            ),
            _ => return Ok(clip),
        };
        let (w, h, span) = size;
        let size = limits::check_size(w.round().max(1.0) as u32, h.round().max(1.0) as u32)
            .at(span.clone())?;
        let scale = size.w as f64 / s.w as f64;
        if scale > MAX_QUIET_SCALE {
            cx.warn(
                Diagnostic::at(
                    format!(
                        "the grid scales `{name}` up {scale:.1}×, from {} to {}: it will look blurred and the grid grows",
                        s, size
                    ),
                    span,
                )
                .with_hint(format!(
                    "`height`/`width` sets every cell's size; give `{name}` the size it should have, or leave the grid's out"
                )),
            );
        }
        Ok(crate::effect::geometry::fixed_resize(clip, size))
    };
    cx.check_clips(rows.iter().flatten())?;
    let mut clips = Vec::new();
    for row in rows {
        let mut out = Vec::new();
        for name in row {
            let clip = cx.clip(name)?;
            let (line, _) = cx.line_col(name.span().start);
            let legible = Legibility::for_clip(clip.as_ref(), || {
                format!("the text `{}` (grid cell at line {line})", name.get_ref())
            });
            out.push((
                name.get_ref().clone(),
                fit(name.get_ref(), clip, cx)?,
                legible,
            ));
        }
        clips.push(out);
    }
    let cols = clips.iter().map(|r| r.len()).max().unwrap_or(0);
    let mut col_w = vec![0u32; cols];
    let mut row_h = vec![0u32; clips.len()];
    for (r, row) in clips.iter().enumerate() {
        for (c, (_, clip, _)) in row.iter().enumerate() {
            col_w[c] = col_w[c].max(clip.size().w);
            row_h[r] = row_h[r].max(clip.size().h);
        }
    }
    let gaps = |n: usize| spec.spacing as u64 * n.saturating_sub(1) as u64;
    let w = col_w.iter().map(|&v| v as u64).sum::<u64>() + gaps(cols);
    let h = row_h.iter().map(|&v| v as u64).sum::<u64>() + gaps(clips.len());
    let size = limits::check_size(w.min(u32::MAX as u64) as u32, h.min(u32::MAX as u64) as u32)
        .map_err(|m| Diagnostic::at(format!("the grid's {m}"), spec.rows.span()))?;

    let mut cells = Vec::new();
    let mut y = 0;
    for (r, row) in clips.into_iter().enumerate() {
        let mut x = 0;
        for (c, (name, clip, legible)) in row.into_iter().enumerate() {
            let s = clip.size();
            cells.push(Cell {
                name,
                legible,
                x: x + (col_w[c] - s.w) / 2,
                y: y + (row_h[r] - s.h) / 2,
                clip,
            });
            x = x.saturating_add(col_w[c]).saturating_add(spec.spacing);
        }
        y = y.saturating_add(row_h[r]).saturating_add(spec.spacing);
    }
    let duration = super::duration_of(
        spec.duration.as_ref(),
        cells.iter().filter_map(|c| c.clip.duration()),
        cx,
    )?;
    Ok(Arc::new(Grid {
        cells,
        size,
        duration,
        background: spec.background.unwrap_or(cx.background),
    }))
}

impl Clip for Grid {
    fn kind(&self) -> &'static str {
        "grid"
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let mut out = filled(self.size, self.background.to_skia());
        for cell in &self.cells {
            cx.check()?;
            let frame = cell
                .clip
                .render_ref(clamp_time(t, cell.clip.duration()), cx)?;
            if let Some(l) = &cell.legible {
                l.check(&out, &frame, cell.x as f64, cell.y as f64);
            }
            over(&mut out, &frame, cell.x as f64, cell.y as f64, 1.0);
        }
        cx.check()?;
        Ok(out)
    }
    fn sound(&self) -> Option<Arc<dyn crate::audio::Sound>> {
        super::mixed_sound(self.children(), 0.0)
    }
    // Each cell renders at the grid's time, held at its own end.
    fn passes_time(&self) -> bool {
        true
    }
    fn children(&self) -> Vec<Placement> {
        self.cells
            .iter()
            .map(|c| Placement {
                label: c.name.clone(),
                clip: c.clip.clone(),
                start: 0.0,
                end: c.clip.duration(),
            })
            .collect()
    }
}
