//! The camera: a turntable around a target point with z up, the way Mayavi's
//! `mlab.view` and matplotlib's `view_init` describe it, and its projection onto an
//! image.
//!
//! The eye sits at `target + distance · (cos e cos a, cos e sin a, sin e)` for azimuth
//! `a` (degrees, from the x axis towards the y axis) and elevation `e` (degrees above
//! the x-y plane). Mayavi's `elevation` is the angle from the z axis, `90 − e`; Vispy's
//! turntable azimuth is `a + 90`.

use super::math::{Bounds, Vec3};

/// Mayavi's (VTK's) default vertical field of view, in degrees.
pub const DEFAULT_FOV: f64 = 30.0;

/// The nearest depth drawn, as a fraction of the camera's distance to the target.
const NEAR_FRACTION: f64 = 1e-3;

/// Where the camera is and how it sees, at one instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// Degrees; the eye turns around the z axis, from +x towards +y.
    pub azimuth: f64,
    /// Degrees above the x-y plane: 0 looks from the side, 90 from straight above.
    pub elevation: f64,
    /// From the eye to the target, in scene units.
    pub distance: f64,
    /// Vertical field of view in degrees; 0 is an orthographic projection, which shows
    /// the target plane at the scale a [`DEFAULT_FOV`] camera would.
    pub fov: f64,
    /// The point the camera looks at; it projects to the image centre.
    pub target: Vec3,
}

impl Camera {
    /// The distance at which the sphere around `bounds` just fits the image, as VTK's
    /// `ResetCamera` (and so Mayavi) place the camera.
    pub fn fit_distance(bounds: &Bounds, fov: f64, aspect: f64) -> f64 {
        let r = bounds.radius().max(1e-9);
        let perspective = fov > 0.0;
        let fov = if perspective {
            fov.min(179.0)
        } else {
            DEFAULT_FOV
        };
        // The tighter of the vertical and horizontal half-angles.
        let half = ((fov * 0.5).to_radians().tan() * aspect.min(1.0)).atan();
        if perspective {
            r / half.sin()
        } else {
            r / half.tan()
        }
    }

    /// The direction from the target to the eye (unit length).
    pub fn eye_direction(&self) -> Vec3 {
        let (sa, ca) = self.azimuth.to_radians().sin_cos();
        let (se, ce) = self.elevation.to_radians().sin_cos();
        Vec3::new(ce * ca, ce * sa, se)
    }
}

/// A camera fixed to an image of `width × height` pixels: world points to pixels.
#[derive(Clone, Copy, Debug)]
pub struct View {
    pub eye: Vec3,
    /// Unit vectors of the image: right, up, and forward (into the image).
    pub right: Vec3,
    pub up: Vec3,
    pub forward: Vec3,
    pub perspective: bool,
    /// Pixels per scene unit at depth 1 (perspective) or everywhere (orthographic).
    pub focal: f64,
    pub cx: f64,
    pub cy: f64,
    /// Depths below this are not drawn (perspective only).
    pub near: f64,
}

/// A point in camera space, ready for clipping: `hx / hw`, `hy / hw` are pixel
/// coordinates (y down) and `depth` is the distance along the view direction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Homogeneous {
    pub hx: f64,
    pub hy: f64,
    pub hw: f64,
    pub depth: f64,
}

impl View {
    pub fn new(cam: &Camera, width: f64, height: f64) -> View {
        let dir = cam.eye_direction();
        let distance = if cam.distance.is_finite() {
            cam.distance.abs().max(1e-9)
        } else {
            1.0
        };
        let eye = cam.target + dir * distance;
        let forward = -dir;
        let (sa, ca) = cam.azimuth.to_radians().sin_cos();
        // Taken from the azimuth alone, so looking straight down is not a special case.
        let right = Vec3::new(-sa, ca, 0.0);
        let up = right.cross(forward);
        let perspective = cam.fov > 0.0;
        let focal = if perspective {
            let half = (cam.fov.min(179.0) * 0.5).to_radians();
            height * 0.5 / half.tan()
        } else {
            height * 0.5 / (distance * (DEFAULT_FOV * 0.5).to_radians().tan())
        };
        View {
            eye,
            right,
            up,
            forward,
            perspective,
            focal,
            cx: width * 0.5,
            cy: height * 0.5,
            near: distance * NEAR_FRACTION,
        }
    }

    /// Camera-space coordinates: along right, up and forward from the eye.
    pub fn to_camera(&self, p: Vec3) -> Vec3 {
        let d = p - self.eye;
        Vec3::new(d.dot(self.right), d.dot(self.up), d.dot(self.forward))
    }

    /// Homogeneous image coordinates of `p`.
    pub fn homogeneous(&self, p: Vec3) -> Homogeneous {
        let c = self.to_camera(p);
        if self.perspective {
            Homogeneous {
                hx: self.cx * c.z + self.focal * c.x,
                hy: self.cy * c.z - self.focal * c.y,
                hw: c.z,
                depth: c.z,
            }
        } else {
            Homogeneous {
                hx: self.cx + self.focal * c.x,
                hy: self.cy - self.focal * c.y,
                hw: 1.0,
                depth: c.z,
            }
        }
    }

    /// The pixel a point lands on, or `None` behind the near plane.
    pub fn project(&self, p: Vec3) -> Option<(f64, f64)> {
        let h = self.homogeneous(p);
        if self.perspective && h.hw < self.near {
            return None;
        }
        Some((h.hx / h.hw, h.hy / h.hw))
    }

    /// The unit vector from `p` towards the eye (the viewer, and the head-light).
    pub fn towards_eye(&self, p: Vec3) -> Vec3 {
        if self.perspective {
            (self.eye - p).normalized()
        } else {
            -self.forward
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cam(azimuth: f64, elevation: f64, fov: f64) -> Camera {
        Camera {
            azimuth,
            elevation,
            distance: 5.0,
            fov,
            target: Vec3::new(0.3, -0.2, 0.1),
        }
    }

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    #[test]
    fn target_projects_to_image_centre() {
        for fov in [0.0, 30.0, 60.0] {
            for (az, el) in [(0.0, 0.0), (45.0, 35.0), (-120.0, 90.0), (200.0, -30.0)] {
                let c = cam(az, el, fov);
                let v = View::new(&c, 200.0, 100.0);
                assert!(close(v.project(c.target).unwrap(), (100.0, 50.0)));
            }
        }
    }

    #[test]
    fn azimuth_plus_90_turns_x_axis_onto_y_axis() {
        for fov in [0.0, 30.0] {
            for el in [0.0, 20.0, 65.0] {
                let mut c = cam(10.0, el, fov);
                c.target = Vec3::ZERO;
                let a = View::new(&c, 300.0, 200.0);
                c.azimuth += 90.0;
                let b = View::new(&c, 300.0, 200.0);
                let on_x = a.project(Vec3::new(1.5, 0.0, 0.4)).unwrap();
                let on_y = b.project(Vec3::new(0.0, 1.5, 0.4)).unwrap();
                assert!(close(on_x, on_y), "{on_x:?} vs {on_y:?}");
            }
        }
    }

    #[test]
    fn z_is_up_and_right_handed_on_screen() {
        // From +x at eye level: +y goes right, +z goes up (smaller pixel row).
        let mut c = cam(0.0, 0.0, 30.0);
        c.target = Vec3::ZERO;
        let v = View::new(&c, 100.0, 100.0);
        let (x, _) = v.project(Vec3::new(0.0, 1.0, 0.0)).unwrap();
        let (_, y) = v.project(Vec3::new(0.0, 0.0, 1.0)).unwrap();
        assert!(x > 50.0 && y < 50.0);
        // Straight above with azimuth -90: x right, y up, like a map.
        let mut c = cam(-90.0, 90.0, 0.0);
        c.target = Vec3::ZERO;
        let v = View::new(&c, 100.0, 100.0);
        let (x, y) = v.project(Vec3::new(1.0, 0.0, 0.0)).unwrap();
        assert!(x > 50.0 && (y - 50.0).abs() < 1e-9);
        let (x, y) = v.project(Vec3::new(0.0, 1.0, 0.0)).unwrap();
        assert!(y < 50.0 && (x - 50.0).abs() < 1e-9);
    }

    #[test]
    fn elevation_matches_matplotlib_convention() {
        let c = cam(0.0, 90.0, 30.0);
        let d = c.eye_direction();
        assert!((d.z - 1.0).abs() < 1e-12);
        let c = cam(90.0, 0.0, 30.0);
        let d = c.eye_direction();
        assert!((d.y - 1.0).abs() < 1e-12);
    }

    #[test]
    fn fitted_sphere_touches_the_image_edge() {
        let b = Bounds::new(Vec3::new(-1.0, -1.0, -1.0), Vec3::new(1.0, 1.0, 1.0));
        for (fov, aspect) in [(30.0, 1.0), (30.0, 0.5), (60.0, 2.0), (0.0, 1.0)] {
            let h = 100.0;
            let w = h * aspect;
            let c = Camera {
                azimuth: 30.0,
                elevation: 20.0,
                distance: Camera::fit_distance(&b, fov, aspect),
                fov,
                target: Vec3::ZERO,
            };
            let v = View::new(&c, w, h);
            // The sphere's silhouette radius in pixels equals the tighter half-side.
            let r = b.radius();
            let pixels = if fov > 0.0 {
                let d = c.distance;
                let ang = (r / d).asin();
                ang.tan() * v.focal
            } else {
                r * v.focal
            };
            let want = (w.min(h)) * 0.5;
            assert!(
                (pixels - want).abs() < 1e-6,
                "{fov} {aspect}: {pixels} vs {want}"
            );
        }
    }
}
