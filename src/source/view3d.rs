//! What the 3-D sources (`surface`, `curve3d`) share: the camera, the light, colours,
//! lines, the bounding-box outline, the background and antialiasing. Compiled once at
//! resolve time, evaluated per frame.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::color::Rgba;
use crate::colormap::Colormap;
use crate::expr::{Env, Param, RawParam};
use crate::render3d::camera::{Camera, DEFAULT_FOV};
use crate::render3d::draw::{LineStyle, MeshStyle, Shading};
use crate::render3d::math::{Bounds, Vec3};
use crate::render3d::shade::{Light, Lut, Paint};
use crate::scene::diag::{did_you_mean, Diagnostic};
use crate::scene::resolve::ResolveCx;

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

/// `camera = { … }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CameraSpec {
    azimuth: Option<Spanned<RawParam>>,
    elevation: Option<Spanned<RawParam>>,
    distance: Option<Spanned<RawParam>>,
    fov: Option<Spanned<RawParam>>,
    target: Option<Spanned<Vec<Spanned<RawParam>>>>,
}

/// `light = { … }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LightSpec {
    ambient: Option<Spanned<RawParam>>,
    diffuse: Option<Spanned<RawParam>>,
    specular: Option<Spanned<RawParam>>,
    shininess: Option<Spanned<RawParam>>,
    azimuth: Option<Spanned<RawParam>>,
    elevation: Option<Spanned<RawParam>>,
}

/// `mesh_lines = true` or `{ color, width, every }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LinesSpec {
    color: Option<Rgba>,
    width: Option<Spanned<RawParam>>,
    every: Option<Spanned<i64>>,
}

/// `outline = true` or `{ color, width }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OutlineSpec {
    color: Option<Rgba>,
    width: Option<Spanned<RawParam>>,
}

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

/// `zlim = "auto" | "frame" | [lo, hi]`: the heights the colormap spans (and the
/// outline box's height).
pub enum ZlimSpec {
    Auto,
    Frame,
    Fixed(Spanned<RawParam>, Spanned<RawParam>),
}

impl<'de> Deserialize<'de> for ZlimSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ZlimSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"auto\", \"frame\" or [low, high]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ZlimSpec, E> {
                match v {
                    "auto" => Ok(ZlimSpec::Auto),
                    "frame" => Ok(ZlimSpec::Frame),
                    other => Err(E::custom(format!(
                        "unknown zlim `{other}`: use \"auto\", \"frame\" or [low, high]"
                    ))),
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ZlimSpec, A::Error> {
                let lo = seq.next_element()?;
                let hi = seq.next_element()?;
                match (lo, hi, seq.next_element::<de::IgnoredAny>()?) {
                    (Some(lo), Some(hi), None) => Ok(ZlimSpec::Fixed(lo, hi)),
                    _ => Err(de::Error::custom("zlim takes two numbers: [low, high]")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// The height range colours are mapped over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zlim {
    /// Known before rendering: fixed, or measured over the whole animation.
    Fixed(f64, f64),
    /// Each frame's own lowest and highest finite height.
    Frame,
}

/// Compiles `zlim`; `measure` gives the range over the animation when it is needed.
pub fn zlim(
    spec: Option<&Spanned<ZlimSpec>>,
    cx: &ResolveCx,
    measure: impl FnOnce() -> (f64, f64),
) -> Result<(Zlim, (f64, f64)), Diagnostic> {
    match spec.map(|s| s.get_ref()) {
        Some(ZlimSpec::Fixed(lo, hi)) => {
            let l = cx.constant(lo, "zlim", f64::NEG_INFINITY, false)?;
            let h = cx.constant(hi, "zlim", f64::NEG_INFINITY, false)?;
            if l >= h {
                return Err(Diagnostic::at(
                    format!("zlim must be [low, high] with low < high, not [{l}, {h}]"),
                    spec.map(|s| s.span()).unwrap_or(lo.span()),
                ));
            }
            Ok((Zlim::Fixed(l, h), (l, h)))
        }
        Some(ZlimSpec::Frame) => Ok((Zlim::Frame, measure())),
        Some(ZlimSpec::Auto) | None => {
            let r = measure();
            Ok((Zlim::Fixed(r.0, r.1), r))
        }
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

/// The times at which an animation is sampled to measure its extent: every frame, at
/// most `max` of them evenly spread; the first 10 s of a clip without an end.
pub fn sample_times(duration: Option<f64>, fps: f64, animated: bool, max: usize) -> Vec<f64> {
    if !animated {
        return vec![0.0];
    }
    crate::render::plan::spread_instants(duration.unwrap_or(10.0), fps, max)
}

/// The compiled camera.
pub struct CameraParams {
    azimuth: Param,
    elevation: Param,
    distance: Option<Param>,
    fov: Param,
    target: Option<[Param; 3]>,
}

impl CameraParams {
    pub fn compile(spec: Option<&CameraSpec>, cx: &ResolveCx) -> Result<CameraParams, Diagnostic> {
        let default = CameraSpec::default();
        let s = spec.unwrap_or(&default);
        let param = |p: &Option<Spanned<RawParam>>, d: f64| -> Result<Param, Diagnostic> {
            p.as_ref().map_or(Ok(Param::constant(d)), |p| cx.param(p))
        };
        let fov = param(&s.fov, DEFAULT_FOV)?;
        if let (Some(v), Some(raw)) = (fov.as_constant(), &s.fov) {
            if !(0.0..=170.0).contains(&v) {
                return Err(Diagnostic::at(
                    format!("fov must be 0 (orthographic) to 170 degrees, not {v}"),
                    raw.span(),
                ));
            }
        }
        let distance = match &s.distance {
            Some(raw) => {
                let p = cx.param(raw)?;
                if let Some(v) = p.as_constant() {
                    if v <= 0.0 {
                        return Err(Diagnostic::at(
                            format!("distance must be positive, not {v}"),
                            raw.span(),
                        ));
                    }
                }
                Some(p)
            }
            None => None,
        };
        let target = match &s.target {
            Some(raw) => {
                let v = raw.get_ref();
                if v.len() != 3 {
                    return Err(Diagnostic::at(
                        format!("target is a point [x, y, z], not {} numbers", v.len()),
                        raw.span(),
                    ));
                }
                Some([cx.param(&v[0])?, cx.param(&v[1])?, cx.param(&v[2])?])
            }
            None => None,
        };
        Ok(CameraParams {
            azimuth: param(&s.azimuth, DEFAULT_AZIMUTH)?,
            elevation: param(&s.elevation, DEFAULT_ELEVATION)?,
            distance,
            fov,
            target,
        })
    }

    /// The camera at `env`. Without `distance` the camera backs off until `fit` fills
    /// the image (as Mayavi does); without `target` it looks at the centre of `fit`.
    /// Values that come out NaN fall back to the defaults.
    pub fn at(&self, env: &Env, fit: &Bounds, aspect: f64) -> Camera {
        let or = |v: f64, d: f64| if v.is_finite() { v } else { d };
        let fov = or(self.fov.eval(env), DEFAULT_FOV).clamp(0.0, 170.0);
        let fitted = Camera::fit_distance(fit, fov, aspect);
        let distance = match &self.distance {
            Some(p) => {
                let d = p.eval(env);
                if d.is_finite() && d > 0.0 {
                    d
                } else {
                    fitted
                }
            }
            None => fitted,
        };
        let centre = fit.center();
        let target = match &self.target {
            Some([x, y, z]) => Vec3::new(
                or(x.eval(env), centre.x),
                or(y.eval(env), centre.y),
                or(z.eval(env), centre.z),
            ),
            None => centre,
        };
        Camera {
            azimuth: or(self.azimuth.eval(env), DEFAULT_AZIMUTH),
            elevation: or(self.elevation.eval(env), DEFAULT_ELEVATION),
            distance,
            fov,
            target,
        }
    }
}

/// The compiled light.
pub struct LightParams {
    ambient: Param,
    diffuse: Param,
    specular: Param,
    shininess: Param,
    azimuth: Param,
    elevation: Param,
}

impl LightParams {
    pub fn compile(spec: Option<&LightSpec>, cx: &ResolveCx) -> Result<LightParams, Diagnostic> {
        let default = LightSpec::default();
        let s = spec.unwrap_or(&default);
        let d = Light::default();
        let non_negative = |p: &Option<Spanned<RawParam>>, what: &str, dv: f64| {
            let Some(raw) = p else {
                return Ok(Param::constant(dv));
            };
            let param = cx.param(raw)?;
            match param.as_constant() {
                Some(v) if v < 0.0 => Err(Diagnostic::at(
                    format!("{what} must be at least 0, not {v}"),
                    raw.span(),
                )),
                _ => Ok(param),
            }
        };
        let angle = |p: &Option<Spanned<RawParam>>| {
            p.as_ref().map_or(Ok(Param::constant(0.0)), |p| cx.param(p))
        };
        Ok(LightParams {
            ambient: non_negative(&s.ambient, "ambient", d.ambient)?,
            diffuse: non_negative(&s.diffuse, "diffuse", d.diffuse)?,
            specular: non_negative(&s.specular, "specular", d.specular)?,
            shininess: non_negative(&s.shininess, "shininess", d.shininess)?,
            azimuth: angle(&s.azimuth)?,
            elevation: angle(&s.elevation)?,
        })
    }

    pub fn at(&self, env: &Env) -> Light {
        let pos = |p: &Param, d: f64| {
            let v = p.eval(env);
            if v.is_finite() {
                v.max(0.0)
            } else {
                d
            }
        };
        let ang = |p: &Param| {
            let v = p.eval(env);
            if v.is_finite() {
                v
            } else {
                0.0
            }
        };
        let d = Light::default();
        Light {
            ambient: pos(&self.ambient, d.ambient),
            diffuse: pos(&self.diffuse, d.diffuse),
            specular: pos(&self.specular, d.specular),
            shininess: pos(&self.shininess, d.shininess).max(1.0),
            azimuth: ang(&self.azimuth),
            elevation: ang(&self.elevation),
        }
    }
}

/// The keys of a 3-D source's look, as written (each source declares them itself).
pub struct LookSpec<'a> {
    pub color: Option<&'a Spanned<Rgba>>,
    pub colormap: Option<&'a Spanned<String>>,
    pub default_colormap: &'static str,
    pub light: Option<&'a LightSpec>,
    pub shading: Option<ShadingSpec>,
    pub wireframe: bool,
    pub mesh_lines: Option<&'a Toggle<LinesSpec>>,
    pub outline: Option<&'a Toggle<OutlineSpec>>,
    pub background: Option<Rgba>,
    pub antialias: Option<&'a Spanned<i64>>,
}

/// Lines drawn along mesh edges.
#[derive(Clone, Copy, Debug)]
pub struct Lines {
    /// `None`: the mesh's own lit colours (a wireframe).
    pub color: Option<[f32; 3]>,
    pub width: f64,
    pub every: usize,
}

/// How a 3-D source looks, compiled.
pub struct Look {
    pub paint: Painter,
    pub light: LightParams,
    pub shading: Shading,
    pub wireframe: bool,
    pub lines: Option<Lines>,
    pub outline: Option<LineStyle>,
    pub background: Rgba,
    pub antialias: usize,
}

/// One colour, or a colormap (its range is chosen per frame).
#[derive(Clone)]
pub enum Painter {
    Solid([f32; 3]),
    Map(Arc<Lut>),
}

impl Look {
    pub fn compile(
        s: LookSpec,
        size: crate::clip::Size,
        cx: &ResolveCx,
    ) -> Result<Look, Diagnostic> {
        let paint =
            match (s.color, s.colormap) {
                (Some(_), Some(map)) => return Err(Diagnostic::at(
                    "give either `color` (one colour) or `colormap` (colour by height), not both",
                    map.span(),
                )),
                (Some(c), None) => Painter::Solid(unit_rgb(*c.get_ref())),
                (None, Some(name)) => Painter::Map(colormap(name)?),
                (None, None) => Painter::Map(
                    colormap(&Spanned::new(0..0, s.default_colormap.to_string()))
                        .expect("default colormap exists"),
                ),
            };
        let background = s.background.unwrap_or(cx.background);
        let antialias = match s.antialias {
            Some(a) => {
                let v = *a.get_ref();
                if !(1..=4).contains(&v) {
                    return Err(Diagnostic::at(
                        format!("antialias must be 1 to 4 (samples a pixel per axis), not {v}"),
                        a.span(),
                    ));
                }
                v as u32
            }
            None => DEFAULT_ANTIALIAS,
        };
        let samples = size.w as u64 * size.h as u64 * (antialias * antialias) as u64;
        if samples > MAX_SAMPLES {
            let msg = format!(
                "a {size} frame with antialias = {antialias} needs {samples} samples, more than the {MAX_SAMPLES} allowed"
            );
            let d = match s.antialias {
                Some(a) => Diagnostic::at(msg, a.span()),
                None => Diagnostic::new(msg),
            };
            return Err(d.with_hint("lower `antialias` or the size"));
        }
        let lines = match s.mesh_lines.and_then(|t| t.0.as_ref()) {
            Some(l) => {
                let width = line_width(&l.width, 1.0, cx)?;
                let every = match &l.every {
                    Some(e) if *e.get_ref() < 1 || *e.get_ref() > 100_000 => {
                        return Err(Diagnostic::at(
                            format!("every must be 1 to 100000, not {}", e.get_ref()),
                            e.span(),
                        ))
                    }
                    Some(e) => *e.get_ref() as usize,
                    None => 1,
                };
                Some(Lines {
                    color: l.color.map(unit_rgb).or((!s.wireframe).then_some([0.0; 3])),
                    width,
                    every,
                })
            }
            None if s.wireframe => Some(Lines {
                color: None,
                width: 1.0,
                every: 1,
            }),
            None => None,
        };
        let outline = match s.outline.and_then(|t| t.0.as_ref()) {
            Some(o) => Some(LineStyle {
                color: o
                    .color
                    .map(unit_rgb)
                    .unwrap_or_else(|| contrast(background)),
                width: line_width(&o.width, 1.0, cx)?,
            }),
            None => None,
        };
        Ok(Look {
            paint,
            light: LightParams::compile(s.light, cx)?,
            shading: match s.shading {
                Some(ShadingSpec::Flat) => Shading::Flat,
                _ => Shading::Smooth,
            },
            wireframe: s.wireframe,
            lines,
            outline,
            background,
            antialias: antialias as usize,
        })
    }

    /// The mesh style at `env`, colours spanning `lo..hi`.
    pub fn mesh_style(&self, env: &Env, lo: f64, hi: f64) -> MeshStyle {
        MeshStyle {
            paint: match &self.paint {
                Painter::Solid(c) => Paint::Solid(*c),
                Painter::Map(lut) => Paint::Map {
                    lut: lut.clone(),
                    lo,
                    hi,
                },
            },
            light: self.light.at(env),
            shading: self.shading,
            fill: !self.wireframe,
            wire_width: self.lines.map_or(1.0, |l| l.width),
            mesh_lines: match self.lines {
                Some(Lines {
                    color: Some(color),
                    width,
                    ..
                }) if !self.wireframe => Some(LineStyle { color, width }),
                _ => None,
            },
        }
    }

    /// The background as stored in frames.
    pub fn background_premultiplied(&self) -> [u8; 4] {
        self.background.premultiplied()
    }
}

/// A line width in pixels: a constant from 0.1 to 100.
fn line_width(
    raw: &Option<Spanned<RawParam>>,
    default: f64,
    cx: &ResolveCx,
) -> Result<f64, Diagnostic> {
    let Some(raw) = raw else {
        return Ok(default);
    };
    let v = cx.constant(raw, "width", 0.0, false)?;
    if v > 100.0 {
        return Err(Diagnostic::at(
            format!("width must be at most 100 pixels, not {v}"),
            raw.span(),
        ));
    }
    Ok(v.max(0.1))
}

/// Straight RGB in 0..=1 (alpha is not used: 3-D fills are opaque).
pub fn unit_rgb(c: Rgba) -> [f32; 3] {
    let [r, g, b, _] = c.0;
    [r as f32 / 255.0, g as f32 / 255.0, b as f32 / 255.0]
}

/// Black on light backgrounds, white on dark ones.
fn contrast(bg: Rgba) -> [f32; 3] {
    let [r, g, b, a] = bg.0;
    let luma = (0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32) * a as f32 / 255.0;
    if a < 128 || luma > 128.0 {
        [0.0; 3]
    } else {
        [1.0; 3]
    }
}

/// The colormap `name` as a lookup table: Mayavi's `blue-red` or one of matplotlib's
/// ([`crate::colormap`]); `_r` reverses it.
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
        .chain(crate::colormap::NAMES.iter().copied())
        .flat_map(|n| [n.to_string(), format!("{n}_r")])
        .collect();
    let mut d = Diagnostic::at(format!("unknown colormap `{full}`"), name.span());
    d.hint = did_you_mean(full, names.iter().map(|s| s.as_str())).or_else(|| {
        Some(format!(
            "colormaps: blue-red, {} (each reversed with `_r`)",
            crate::colormap::NAMES.join(", ")
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

    #[test]
    fn finite_range_skips_nan() {
        assert_eq!(finite_range(&[f64::NAN, 2.0, -1.0]), Some((-1.0, 2.0)));
        assert_eq!(finite_range(&[f64::NAN]), None);
    }
}
