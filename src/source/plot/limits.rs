//! A plot's axis limits: given in the scene (each end possibly animated) or automatic,
//! chosen once over the clip or in every frame from the data's extent.

use super::series::Sample;
use crate::chart::axes::Decor;
use crate::chart::scale::Scale;
use crate::expr::{Env, Interval};

/// Limits of one axis, `(first, last)` in data units; `first > last` reverses it.
pub type Lim = (f64, f64);

/// How one axis's limits are found.
#[derive(Debug, Clone)]
pub enum AxisLimits {
    /// `xlim`/`ylim` as written; evaluated at each instant.
    Given(Interval),
    /// Automatic, chosen once over the whole clip.
    Clip(Lim),
    /// Automatic, chosen in each frame from what it shows.
    Frame,
}

impl AxisLimits {
    /// The limits if they are the same in every frame.
    pub fn as_constant(&self) -> Option<Lim> {
        match self {
            AxisLimits::Given(iv) => iv.as_constant(),
            AxisLimits::Clip(l) => Some(*l),
            AxisLimits::Frame => None,
        }
    }

    /// The limits at `env`, or `None` where they come from the data: automatic per
    /// frame, or given ones that the axis cannot show at this instant (an end NaN or
    /// infinite, or not positive on a log axis).
    pub fn at(&self, env: &Env, scale: Scale) -> Option<Lim> {
        match self {
            AxisLimits::Given(iv) => showable(iv.at(env), scale),
            AxisLimits::Clip(l) => Some(*l),
            AxisLimits::Frame => None,
        }
    }
}

/// Given limits if `scale` can show them.
pub fn showable((a, b): Lim, scale: Scale) -> Option<Lim> {
    let ok = |v: f64| scale.forward(v).is_finite();
    (ok(a) && ok(b)).then_some((a, b))
}

/// The smallest and largest of `v` that `scale` can show.
fn extent(v: f64, scale: Scale, acc: &mut Option<Lim>) {
    if !v.is_finite() || (scale == Scale::Log && v <= 0.0) {
        return;
    }
    *acc = Some(match *acc {
        None => (v, v),
        Some((a, b)) => (a.min(v), b.max(v)),
    });
}

/// The data's extent on both axes, gathered sample by sample.
#[derive(Default)]
pub struct Extents {
    x: Option<Lim>,
    y: Option<Lim>,
}

impl Extents {
    /// Adds a sample's points. Where one axis has limits at this instant, only points
    /// inside them count for the other: a moving `xlim` makes the automatic y range
    /// that of the points in view.
    pub fn add(&mut self, s: &Sample, decor: &Decor, xlim: Option<Lim>, ylim: Option<Lim>) {
        let inside =
            |v: f64, lim: Option<Lim>| lim.is_none_or(|(a, b)| v >= a.min(b) && v <= a.max(b));
        for (i, (&a, &b)) in s.xs.iter().zip(&s.ys).enumerate() {
            if !(a.is_finite() && b.is_finite()) {
                continue;
            }
            if inside(b, ylim) {
                extent(a, decor.xscale, &mut self.x);
            }
            if inside(a, xlim) {
                extent(b, decor.yscale, &mut self.y);
                if let Some(&y2) = s.y2.get(i) {
                    extent(y2, decor.yscale, &mut self.y);
                }
            }
        }
    }

    /// Both axes' limits: the ones given, else matplotlib's automatic ones around the
    /// extent.
    pub fn limits(&self, decor: &Decor, xlim: Option<Lim>, ylim: Option<Lim>) -> (Lim, Lim) {
        let auto = |scale: Scale, r: Option<Lim>| match r {
            Some((a, b)) => scale.auto_limits(a, b),
            None => scale.auto_limits(f64::NAN, f64::NAN),
        };
        (
            xlim.unwrap_or_else(|| auto(decor.xscale, self.x)),
            ylim.unwrap_or_else(|| auto(decor.yscale, self.y)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(xs: &[f64], ys: &[f64]) -> Sample {
        Sample {
            xs: xs.to_vec(),
            ys: ys.to_vec(),
            ..Sample::default()
        }
    }

    #[test]
    fn only_points_in_view_count_for_the_other_axis() {
        let d = Decor::default();
        let s = sample(&[0.0, 1.0, 2.0, 3.0], &[10.0, 20.0, 30.0, 40.0]);
        let mut e = Extents::default();
        e.add(&s, &d, Some((0.5, 2.5)), None);
        let (x, y) = e.limits(&d, Some((0.5, 2.5)), None);
        assert_eq!(x, (0.5, 2.5));
        assert_eq!(y, Scale::Linear.auto_limits(20.0, 30.0));
        // a window that moved on adds what it shows then
        e.add(&s, &d, Some((2.5, 3.5)), None);
        assert_eq!(
            e.limits(&d, None, None).1,
            Scale::Linear.auto_limits(20.0, 40.0)
        );
    }

    #[test]
    fn given_limits_a_log_axis_cannot_show_fall_back_to_the_data() {
        let iv = Interval::constant(-1.0, 10.0);
        let env = Env::new(0.0, None, 10.0);
        assert_eq!(
            AxisLimits::Given(iv.clone()).at(&env, Scale::Linear),
            Some((-1.0, 10.0))
        );
        assert_eq!(AxisLimits::Given(iv).at(&env, Scale::Log), None);
        assert_eq!(showable((f64::NAN, 1.0), Scale::Linear), None);
        assert_eq!(AxisLimits::Frame.at(&env, Scale::Linear), None);
    }
}
