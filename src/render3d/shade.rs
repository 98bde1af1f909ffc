//! Colour and light: a vertex's base colour (one colour, or a colormap of its value)
//! lit by Blinn-Phong with a head-light, on both sides of the surface.

use std::sync::Arc;

use super::math::Vec3;

/// How strongly the surface answers the light. VTK's defaults (Mayavi's look) are
/// ambient 0, diffuse 1, specular 0; ours add a little ambient and a soft highlight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Light {
    pub ambient: f64,
    pub diffuse: f64,
    pub specular: f64,
    /// The Blinn-Phong exponent: larger is a smaller, sharper highlight.
    pub shininess: f64,
    /// Where the light comes from relative to the camera, in degrees: 0, 0 is a
    /// head-light (at the eye); azimuth turns it right, elevation up.
    pub azimuth: f64,
    pub elevation: f64,
}

impl Default for Light {
    fn default() -> Self {
        Light {
            ambient: 0.2,
            diffuse: 0.8,
            specular: 0.25,
            shininess: 30.0,
            azimuth: 0.0,
            elevation: 0.0,
        }
    }
}

impl Light {
    /// True for the default head-light: the light sits at the eye.
    pub fn is_headlight(&self) -> bool {
        self.azimuth == 0.0 && self.elevation == 0.0
    }
}

/// 256 colours sampled from a colormap, from its low end to its high end.
#[derive(Clone, Debug, PartialEq)]
pub struct Lut(pub Vec<[f32; 3]>);

impl Lut {
    pub const SIZE: usize = 256;

    /// Samples `map` (0..=1 to straight RGB bytes) at 256 points.
    pub fn sample(map: impl Fn(f64) -> [u8; 3]) -> Lut {
        Lut((0..Lut::SIZE)
            .map(|i| {
                let c = map(i as f64 / (Lut::SIZE - 1) as f64);
                [
                    c[0] as f32 / 255.0,
                    c[1] as f32 / 255.0,
                    c[2] as f32 / 255.0,
                ]
            })
            .collect())
    }

    /// The colour at `u` in 0..=1, picked as matplotlib does: entry `floor(u · N)`,
    /// the last one for 1 and above, the first for NaN and below 0.
    pub fn at(&self, u: f64) -> [f32; 3] {
        let n = self.0.len();
        let i = if u.is_nan() || u <= 0.0 {
            0
        } else {
            ((u * n as f64) as usize).min(n - 1)
        };
        self.0[i]
    }
}

/// A mesh's base colour: one colour, or a colormap over a value range, placed
/// linearly or (`log`) by the logarithm, as matplotlib's `LogNorm`.
#[derive(Clone, Debug, PartialEq)]
pub enum Paint {
    Solid([f32; 3]),
    Map {
        lut: Arc<Lut>,
        lo: f64,
        hi: f64,
        log: bool,
    },
}

impl Paint {
    /// The colour of a vertex whose value is `v`.
    pub fn base(&self, v: f64) -> [f32; 3] {
        match self {
            Paint::Solid(c) => *c,
            Paint::Map {
                lut,
                lo,
                hi,
                log: false,
            } => {
                let span = hi - lo;
                let u = if span > 0.0 { (v - lo) / span } else { 0.5 };
                lut.at(u)
            }
            // Values ≤ 0 never come here (a surface leaves them out); a range that is
            // not positive takes the low end, as `LogNorm` maps everything to 0.
            Paint::Map {
                lut,
                lo,
                hi,
                log: true,
            } => {
                let u = if *lo > 0.0 && hi > lo && v > 0.0 {
                    (v.log10() - lo.log10()) / (hi.log10() - lo.log10())
                } else {
                    0.0
                };
                lut.at(u)
            }
        }
    }
}

/// The lit colour of a surface point of colour `base` and normal `n`; `to_eye` and
/// `to_light` are unit vectors from the point. Surfaces are two-sided: the normal is
/// turned towards the viewer.
pub fn shade(base: [f32; 3], n: Vec3, to_eye: Vec3, to_light: Vec3, light: &Light) -> [f32; 3] {
    let n = if n.dot(to_eye) < 0.0 { -n } else { n };
    let diffuse = n.dot(to_light).max(0.0);
    let specular = if light.specular > 0.0 && diffuse > 0.0 {
        let h = (to_light + to_eye).normalized();
        let c = n.dot(h).max(0.0);
        // Whole exponents (the usual case) by repeated squaring, much cheaper.
        if light.shininess.fract() == 0.0 && light.shininess <= 1024.0 {
            c.powi(light.shininess as i32)
        } else {
            c.powf(light.shininess)
        }
    } else {
        0.0
    };
    let k = (light.ambient + light.diffuse * diffuse) as f32;
    let s = (light.specular * specular) as f32;
    [
        (base[0] * k + s).clamp(0.0, 1.0),
        (base[1] * k + s).clamp(0.0, 1.0),
        (base[2] * k + s).clamp(0.0, 1.0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const UP: Vec3 = Vec3::new(0.0, 0.0, 1.0);

    #[test]
    fn headlight_facing_surface_gets_full_diffuse_and_highlight() {
        let l = Light::default();
        let c = shade([0.5, 0.5, 1.0], UP, UP, UP, &l);
        let want = |b: f32| (b * (l.ambient + l.diffuse) as f32 + l.specular as f32).min(1.0);
        assert_eq!(c, [want(0.5), want(0.5), want(1.0)]);
    }

    #[test]
    fn back_faces_are_lit_like_front_faces() {
        let l = Light::default();
        let eye = Vec3::new(0.0, 0.6, 0.8);
        assert_eq!(
            shade([1.0, 0.0, 0.0], UP, eye, eye, &l),
            shade([1.0, 0.0, 0.0], -UP, eye, eye, &l)
        );
    }

    #[test]
    fn grazing_light_leaves_only_ambient() {
        let l = Light {
            specular: 0.0,
            ..Light::default()
        };
        let side = Vec3::new(1.0, 0.0, 0.0);
        let c = shade([1.0, 1.0, 1.0], UP, UP, side, &l);
        assert!((c[0] - l.ambient as f32).abs() < 1e-6);
    }

    #[test]
    fn a_log_paint_spaces_decades_evenly() {
        let lut = Arc::new(Lut::sample(|u| [(u * 255.0).round() as u8, 0, 0]));
        let p = Paint::Map {
            lut,
            lo: 1.0,
            hi: 100.0,
            log: true,
        };
        assert_eq!(p.base(1.0)[0], 0.0);
        assert_eq!(p.base(100.0)[0], 1.0);
        // 10 is half-way, entry floor(0.5 · 256) = 128
        assert_eq!(p.base(10.0)[0], 128.0 / 255.0);
    }

    #[test]
    fn colormap_paint_spans_the_range() {
        let lut = Arc::new(Lut::sample(|u| [(u * 255.0) as u8, 0, 0]));
        let p = Paint::Map {
            lut,
            lo: -1.0,
            hi: 1.0,
            log: false,
        };
        assert_eq!(p.base(-1.0)[0], 0.0);
        assert_eq!(p.base(1.0)[0], 1.0);
        assert_eq!(p.base(5.0)[0], 1.0);
        assert!((p.base(0.0)[0] - 0.5).abs() < 0.01);
    }
}
