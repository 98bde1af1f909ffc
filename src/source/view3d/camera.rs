//! The camera and the light of a 3-D source: every setting a number, an expression of
//! `t` or keyframes, evaluated per frame.

use serde::Deserialize;
use toml::Spanned;

use super::{DEFAULT_AZIMUTH, DEFAULT_ELEVATION};
use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::expr::{Env, Param, RawParam};
use crate::render3d::camera::{Camera, DEFAULT_FOV};
use crate::render3d::math::{Bounds, Vec3};
use crate::render3d::shade::Light;

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
                    format!(
                        "fov must be 0 (orthographic) to 170 degrees, not {}",
                        crate::base::limits::shown(v)
                    ),
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
                            format!(
                                "distance must be positive, not {}",
                                crate::base::limits::shown(v)
                            ),
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
                    format!(
                        "{what} must be at least 0, not {}",
                        crate::base::limits::shown(v)
                    ),
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
