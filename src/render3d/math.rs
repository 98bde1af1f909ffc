//! The little vector algebra the 3-D renderer needs: 3-vectors in f64.

use std::ops::{Add, Mul, Neg, Sub};

/// A point or direction in world space.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Vec3 {
    pub x: f64,
    pub y: f64,
    pub z: f64,
}

impl Vec3 {
    pub const ZERO: Vec3 = Vec3::new(0.0, 0.0, 0.0);

    pub const fn new(x: f64, y: f64, z: f64) -> Vec3 {
        Vec3 { x, y, z }
    }

    pub fn from_f32(p: [f32; 3]) -> Vec3 {
        Vec3::new(p[0] as f64, p[1] as f64, p[2] as f64)
    }

    pub fn dot(self, o: Vec3) -> f64 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }

    pub fn cross(self, o: Vec3) -> Vec3 {
        Vec3::new(
            self.y * o.z - self.z * o.y,
            self.z * o.x - self.x * o.z,
            self.x * o.y - self.y * o.x,
        )
    }

    pub fn length(self) -> f64 {
        self.dot(self).sqrt()
    }

    /// The unit vector in the same direction; the zero vector stays zero.
    pub fn normalized(self) -> Vec3 {
        let l = self.length();
        if l > 0.0 && l.is_finite() {
            self * (1.0 / l)
        } else {
            Vec3::ZERO
        }
    }

    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite() && self.z.is_finite()
    }

    pub fn min(self, o: Vec3) -> Vec3 {
        Vec3::new(self.x.min(o.x), self.y.min(o.y), self.z.min(o.z))
    }

    pub fn max(self, o: Vec3) -> Vec3 {
        Vec3::new(self.x.max(o.x), self.y.max(o.y), self.z.max(o.z))
    }
}

impl Add for Vec3 {
    type Output = Vec3;
    fn add(self, o: Vec3) -> Vec3 {
        Vec3::new(self.x + o.x, self.y + o.y, self.z + o.z)
    }
}

impl Sub for Vec3 {
    type Output = Vec3;
    fn sub(self, o: Vec3) -> Vec3 {
        Vec3::new(self.x - o.x, self.y - o.y, self.z - o.z)
    }
}

impl Mul<f64> for Vec3 {
    type Output = Vec3;
    fn mul(self, s: f64) -> Vec3 {
        Vec3::new(self.x * s, self.y * s, self.z * s)
    }
}

impl Neg for Vec3 {
    type Output = Vec3;
    fn neg(self) -> Vec3 {
        Vec3::new(-self.x, -self.y, -self.z)
    }
}

/// An axis-aligned box, for fitting the camera and drawing the outline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub min: Vec3,
    pub max: Vec3,
}

impl Bounds {
    /// The empty box: growing it by any point gives that point.
    pub const EMPTY: Bounds = Bounds {
        min: Vec3::new(f64::INFINITY, f64::INFINITY, f64::INFINITY),
        max: Vec3::new(f64::NEG_INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY),
    };

    pub fn new(min: Vec3, max: Vec3) -> Bounds {
        Bounds { min, max }
    }

    /// Grows the box to hold `p`; points with a NaN or infinite coordinate are ignored.
    pub fn add(&mut self, p: Vec3) {
        if p.is_finite() {
            self.min = self.min.min(p);
            self.max = self.max.max(p);
        }
    }

    pub fn union(self, o: Bounds) -> Bounds {
        Bounds::new(self.min.min(o.min), self.max.max(o.max))
    }

    pub fn is_empty(&self) -> bool {
        !(self.min.x <= self.max.x && self.min.y <= self.max.y && self.min.z <= self.max.z)
    }

    pub fn center(&self) -> Vec3 {
        (self.min + self.max) * 0.5
    }

    /// Half the diagonal: the radius of the sphere around the box.
    pub fn radius(&self) -> f64 {
        (self.max - self.min).length() * 0.5
    }

    /// The eight corners, bit 0 choosing x, bit 1 y, bit 2 z.
    pub fn corners(&self) -> [Vec3; 8] {
        std::array::from_fn(|i| {
            Vec3::new(
                if i & 1 == 0 { self.min.x } else { self.max.x },
                if i & 2 == 0 { self.min.y } else { self.max.y },
                if i & 4 == 0 { self.min.z } else { self.max.z },
            )
        })
    }

    /// The twelve edges as pairs of corner indices (see [`corners`](Self::corners)).
    pub const EDGES: [[usize; 2]; 12] = [
        [0, 1],
        [2, 3],
        [4, 5],
        [6, 7],
        [0, 2],
        [1, 3],
        [4, 6],
        [5, 7],
        [0, 4],
        [1, 5],
        [2, 6],
        [3, 7],
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_follows_right_hand_rule() {
        let x = Vec3::new(1.0, 0.0, 0.0);
        let y = Vec3::new(0.0, 1.0, 0.0);
        assert_eq!(x.cross(y), Vec3::new(0.0, 0.0, 1.0));
    }

    #[test]
    fn bounds_ignore_nan_and_measure_radius() {
        let mut b = Bounds::EMPTY;
        assert!(b.is_empty());
        b.add(Vec3::new(-1.0, -2.0, -2.0));
        b.add(Vec3::new(f64::NAN, 5.0, 5.0));
        b.add(Vec3::new(1.0, 2.0, 2.0));
        assert!(!b.is_empty());
        assert_eq!(b.center(), Vec3::ZERO);
        assert!((b.radius() - 3.0).abs() < 1e-12);
        let edges = Bounds::EDGES;
        for [a, c] in edges {
            // every edge joins corners that differ in exactly one coordinate
            assert_eq!((a ^ c).count_ones(), 1);
        }
    }
}
