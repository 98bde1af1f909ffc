//! What the 3-D sources (`surface`, `curve3d`) share: the camera and the light
//! ([`camera`]), how they look ([`look`]: colours, lines, outline, background,
//! antialiasing), the colour range of heights ([`zlim`]), and small helpers. Compiled
//! once at resolve time, evaluated per frame.

pub mod camera;
pub mod look;
pub mod zlim;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

pub use camera::{CameraParams, CameraSpec, LightParams, LightSpec};
pub use look::{LinesSpec, Look, LookSpec, OutlineSpec};
pub use zlim::{Zlim, ZlimSpec};

use crate::base::colormap::Colormap;
use crate::base::diag::{did_you_mean, Diagnostic};
use crate::base::limits::shown;
use crate::base::pair::Pair;
use crate::clip::build::ResolveCx;
use crate::expr::RawParam;
use crate::render3d::shade::Lut;

/// Mayavi's default view (its "isometric" camera): azimuth 45°, 54.74° from the z axis.
pub const DEFAULT_AZIMUTH: f64 = 45.0;
pub const DEFAULT_ELEVATION: f64 = 35.264_389_682_754_654;
/// The colormap of heights when neither `color` nor `colormap` is given.
pub const DEFAULT_COLORMAP: &str = "viridis";
/// The default supersampling factor (3 × 3 samples a pixel).
pub const DEFAULT_ANTIALIAS: u32 = 3;
/// Sample buffers hold at most this many samples (width × height × antialias²): about
/// 256 MiB a render thread.
pub const MAX_SAMPLES: u64 = 1 << 25;

/// `shading = "smooth" | "flat"`.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum ShadingSpec {
    Smooth,
    Flat,
}

/// A key that is `true`/`false` or a table of options (`true` = the defaults).
pub struct Toggle<T>(pub Option<T>);

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for Toggle<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for V<T> {
            type Value = Toggle<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true, false or a table of options")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Toggle<T>, E> {
                Ok(Toggle(v.then(T::default)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Toggle<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|t| Toggle(Some(t)))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// The low and high finite values of `v`, or `None` if there are none.
pub fn finite_range(v: &[f64]) -> Option<(f64, f64)> {
    let mut r: Option<(f64, f64)> = None;
    for &x in v.iter().filter(|x| x.is_finite()) {
        r = Some(r.map_or((x, x), |(lo, hi)| (lo.min(x), hi.max(x))));
    }
    r
}

/// The range covering both (either may be missing).
pub fn union(a: Option<(f64, f64)>, b: Option<(f64, f64)>) -> Option<(f64, f64)> {
    match (a, b) {
        (Some((a0, a1)), Some((b0, b1))) => Some((a0.min(b0), a1.max(b1))),
        (a, b) => a.or(b),
    }
}

/// `measure` run over `times` (cut into one stretch per thread, on up to `threads` but
/// no more than the cores),
/// the stretches' results folded with `join`, first to last. A 3-D source measures its
/// extent over the whole animation while the scene loads, before any frame can start:
/// on one thread that was 22 ms of `scenes/sinc_surface.toml`'s 0.26 s on two cores
/// (docs/gif-measurements.md, "PNG frames on two cores"). `join` takes lowest and highest values
/// here, so the result does not depend on how many threads there are. `None` when
/// `times` is empty.
pub fn measure_over<A: Send>(
    threads: usize,
    times: &[f64],
    measure: impl Fn(&[f64]) -> A + Sync,
    join: impl Fn(A, A) -> A,
) -> Option<A> {
    // No more threads than cores: each holds a grid of its own.
    let cores = crate::base::parallel::cores();
    measure_in(threads.clamp(1, cores), times, measure, join)
}

/// [`measure_over`] on exactly `threads` threads (fewer if there are fewer times).
fn measure_in<A: Send>(
    threads: usize,
    times: &[f64],
    measure: impl Fn(&[f64]) -> A + Sync,
    join: impl Fn(A, A) -> A,
) -> Option<A> {
    let stretch = times.len().div_ceil(threads.max(1)).max(1);
    if stretch >= times.len() {
        return (!times.is_empty()).then(|| measure(times));
    }
    let measure = &measure;
    let parts: Vec<A> = std::thread::scope(|scope| {
        let running: Vec<_> = times
            .chunks(stretch)
            .map(|part| scope.spawn(move || measure(part)))
            .collect();
        running
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    parts.into_iter().reduce(join)
}

/// The times at which an animation is sampled to measure its extent: every frame, at
/// most `max` of them evenly spread; the first 10 s of a clip without an end.
pub fn sample_times(duration: Option<f64>, fps: f64, animated: bool, max: usize) -> Vec<f64> {
    if !animated {
        return vec![0.0];
    }
    crate::base::time::spread_instants(duration.unwrap_or(10.0), fps, max)
}

/// An axis range `[start, end]` of constants (numbers or expressions of `[vars]`):
/// two different numbers whose span is finite, so that points spread over it are too.
pub fn axis_range(
    raw: &Spanned<Pair<RawParam>>,
    what: &str,
    cx: &ResolveCx,
) -> Result<(f64, f64), Diagnostic> {
    let (a, b) = (raw.get_ref().first(), raw.get_ref().second());
    let a = cx.constant(a, what, f64::NEG_INFINITY, false)?;
    let b = cx.constant(b, what, f64::NEG_INFINITY, false)?;
    let shown_range = format!("[{}, {}]", shown(a), shown(b));
    if a == b {
        return Err(Diagnostic::at(
            format!(
                "{what} must be a range [start, end] of two different numbers, not {shown_range}"
            ),
            raw.span(),
        ));
    }
    if !(b - a).is_finite() {
        return Err(Diagnostic::at(
            format!(
                "{what} = {shown_range} is too wide: its span is more than the largest number (about 1.8e308), so it overflows to infinity"
            ),
            raw.span(),
        )
        .with_hint(format!("use a narrower range and scale `{what}` inside the formulas")));
    }
    Ok((a, b))
}

/// The colormap `name` as a lookup table: Mayavi's `blue-red` or one of matplotlib's
/// ([`crate::base::colormap`]); `_r` reverses it.
pub fn colormap(name: &Spanned<String>) -> Result<Arc<Lut>, Diagnostic> {
    let full = name.get_ref().as_str();
    match full {
        "blue-red" => return Ok(Arc::new(Lut::sample(blue_red))),
        "blue-red_r" => return Ok(Arc::new(Lut::sample(|u| blue_red(1.0 - u)))),
        _ => {}
    }
    if let Some(map) = Colormap::by_name(full) {
        return Ok(Arc::new(Lut::sample(|u| map.map(u))));
    }
    let names: Vec<String> = std::iter::once("blue-red")
        .chain(crate::base::colormap::NAMES.iter().copied())
        .flat_map(|n| [n.to_string(), format!("{n}_r")])
        .collect();
    let mut d = Diagnostic::at(format!("unknown colormap `{full}`"), name.span());
    d.hint = did_you_mean(full, names.iter().map(|s| s.as_str())).or_else(|| {
        Some(format!(
            "colormaps: blue-red, {} (each reversed with `_r`)",
            crate::base::colormap::NAMES.join(", ")
        ))
    });
    Err(d)
}

/// Mayavi's default "blue-red" lookup table: the hue runs from blue (2/3) to red (0)
/// at full saturation and value, as VTK's default `vtkLookupTable`.
pub fn blue_red(u: f64) -> [u8; 3] {
    let h = (1.0 - u.clamp(0.0, 1.0)) * 4.0; // sixths of the hue circle: 4 = blue
    let x = 1.0 - (h % 2.0 - 1.0).abs();
    let (r, g, b) = match h as u32 {
        0 => (1.0, x, 0.0),
        1 => (x, 1.0, 0.0),
        2 => (0.0, 1.0, x),
        3 => (0.0, x, 1.0),
        _ => (0.0, 0.0, 1.0),
    };
    let byte = |v: f64| (v * 255.0 + 0.5) as u8;
    [byte(r), byte(g), byte(b)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blue_red_runs_through_the_hues() {
        assert_eq!(blue_red(0.0), [0, 0, 255]);
        assert_eq!(blue_red(0.25), [0, 255, 255]);
        assert_eq!(blue_red(0.5), [0, 255, 0]);
        assert_eq!(blue_red(0.75), [255, 255, 0]);
        assert_eq!(blue_red(1.0), [255, 0, 0]);
    }

    #[test]
    fn reversed_colormap_and_unknown_names() {
        let lut = colormap(&Spanned::new(0..0, "blue-red_r".to_string())).unwrap();
        assert_eq!(lut.at(0.0), [1.0, 0.0, 0.0]);
        let err = colormap(&Spanned::new(0..8, "blue-rad".to_string())).unwrap_err();
        assert_eq!(err.hint.as_deref(), Some("did you mean `blue-red`?"));
        let err = colormap(&Spanned::new(0..8, "virdis_r".to_string())).unwrap_err();
        assert_eq!(err.hint.as_deref(), Some("did you mean `viridis_r`?"));
    }

    #[test]
    fn matplotlib_colormaps_keep_their_colours() {
        // The 256-entry lookup table is matplotlib's own, entry for entry.
        for name in ["viridis", "coolwarm_r"] {
            let map = Colormap::by_name(name).unwrap();
            let lut = colormap(&Spanned::new(0..0, name.to_string())).unwrap();
            for v in [0.0, 0.1, 0.37, 0.5, 0.999, 1.0] {
                let want = map.map(v).map(|c| c as f32 / 255.0);
                assert_eq!(lut.at(v), want, "{name} at {v}");
            }
        }
    }

    #[test]
    fn sampling_times_cover_the_animation() {
        assert_eq!(sample_times(Some(2.0), 20.0, false, 64), [0.0]);
        let t = sample_times(Some(2.0), 20.0, true, 64);
        assert_eq!(t.len(), 40);
        assert_eq!(t[1], 0.05);
        assert_eq!(sample_times(Some(100.0), 20.0, true, 64).len(), 64);
    }

    fn ranges(text: &str) -> Result<(f64, f64), Diagnostic> {
        let raw = crate::base::de::typed(toml::de::DeValue::parse(text).unwrap())?;
        let cx = ResolveCx::new(
            std::path::Path::new("."),
            crate::expr::Scope::default(),
            crate::scene::resolve::build_clip,
        );
        axis_range(&raw, "x", &cx)
    }

    #[test]
    fn axis_ranges_must_have_a_finite_span() {
        assert_eq!(
            ranges("[2, \"-pi\"]").unwrap(),
            (2.0, -std::f64::consts::PI)
        );
        assert_eq!(ranges("[-1e308, 1e300]").unwrap(), (-1e308, 1e300));
        let e = ranges("[-1e308, 1e308]").unwrap_err();
        assert!(
            e.message.starts_with("x = [-1e308, 1e308] is too wide")
                && e.message.contains("overflows to infinity"),
            "{}",
            e.message
        );
        // Numbers are shown short, never with hundreds of digits.
        assert!(e.message.len() < 200, "{}", e.message);
        let e = ranges("[1e300, 1e300]").unwrap_err();
        assert_eq!(
            e.message,
            "x must be a range [start, end] of two different numbers, not [1e300, 1e300]"
        );
        let e = ranges("[0, \"t\"]").unwrap_err();
        assert_eq!(e.message, "x cannot change over time");
    }

    #[test]
    fn a_measure_over_time_is_the_same_on_any_number_of_threads() {
        let times: Vec<f64> = (0..37).map(|k| k as f64 * 0.1).collect();
        let range = |ts: &[f64]| {
            let values: Vec<f64> = ts.iter().map(|t| (t * 3.0).sin() * t).collect();
            finite_range(&values)
        };
        let one = measure_in(1, &times, range, union).flatten();
        assert!(one.is_some());
        for threads in [2, 3, 7, 64] {
            assert_eq!(measure_in(threads, &times, range, union).flatten(), one);
        }
        assert_eq!(measure_over(1024, &times, range, union).flatten(), one);
        assert_eq!(measure_over(4, &[], range, union), None);
        assert_eq!(union(None, Some((1.0, 2.0))), Some((1.0, 2.0)));
        assert_eq!(
            union(Some((0.0, 1.0)), Some((-1.0, 0.5))),
            Some((-1.0, 1.0))
        );
    }

    #[test]
    fn finite_range_skips_nan() {
        assert_eq!(finite_range(&[f64::NAN, 2.0, -1.0]), Some((-1.0, 2.0)));
        assert_eq!(finite_range(&[f64::NAN]), None);
    }
}
