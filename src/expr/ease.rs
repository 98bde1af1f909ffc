//! Easing curves: how a keyframe segment moves from 0 to 1.
//!
//! The named family follows easings.net (Robert Penner's equations): `in-`, `out-`
//! and `in-out-` variants of sine, quad, cubic, quart, quint, expo, circ, back, elastic
//! and bounce; plus `linear`, `hold`, CSS's `ease`, `ease-in`, `ease-out`,
//! `ease-in-out`, and `cubic-bezier(x1, y1, x2, y2)`.

use std::f64::consts::PI;

use crate::base::diag::did_you_mean;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Family {
    Sine,
    Quad,
    Cubic,
    Quart,
    Quint,
    Expo,
    Circ,
    Back,
    Elastic,
    Bounce,
}

const FAMILIES: &[(&str, Family)] = &[
    ("sine", Family::Sine),
    ("quad", Family::Quad),
    ("cubic", Family::Cubic),
    ("quart", Family::Quart),
    ("quint", Family::Quint),
    ("expo", Family::Expo),
    ("circ", Family::Circ),
    ("back", Family::Back),
    ("elastic", Family::Elastic),
    ("bounce", Family::Bounce),
];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dir {
    In,
    Out,
    InOut,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ease {
    Linear,
    /// Keeps the segment's start value until the next key.
    Hold,
    Curve(Family, Dir),
    /// CSS `cubic-bezier(x1, y1, x2, y2)`.
    Bezier([f64; 4]),
}

/// Every easing name, for hints and the docs.
pub fn names() -> Vec<String> {
    let mut v: Vec<String> = [
        "linear",
        "hold",
        "ease",
        "ease-in",
        "ease-out",
        "ease-in-out",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for dir in ["in", "out", "in-out"] {
        v.extend(FAMILIES.iter().map(|(f, _)| format!("{dir}-{f}")));
    }
    v
}

impl Ease {
    /// Reads an easing name. `_` may stand for `-`; case does not matter.
    pub fn parse(s: &str) -> Result<Ease, String> {
        let n = s.trim().to_ascii_lowercase().replace('_', "-");
        let css = |p| Ok(Ease::Bezier(p));
        match n.as_str() {
            "linear" => return Ok(Ease::Linear),
            "hold" | "step" => return Ok(Ease::Hold),
            "ease" => return css([0.25, 0.1, 0.25, 1.0]),
            "ease-in" => return css([0.42, 0.0, 1.0, 1.0]),
            "ease-out" => return css([0.0, 0.0, 0.58, 1.0]),
            "ease-in-out" => return css([0.42, 0.0, 0.58, 1.0]),
            _ => {}
        }
        if let Some(args) = n
            .strip_prefix("cubic-bezier(")
            .and_then(|r| r.strip_suffix(')'))
        {
            return bezier(args, s);
        }
        let split = [
            ("in-out-", Dir::InOut),
            ("in-", Dir::In),
            ("out-", Dir::Out),
        ]
        .into_iter()
        .find_map(|(p, d)| n.strip_prefix(p).map(|f| (d, f)));
        if let Some((dir, fam)) = split {
            if let Some((_, f)) = FAMILIES.iter().find(|(name, _)| *name == fam) {
                return Ok(Ease::Curve(*f, dir));
            }
        }
        let all = names();
        let hint = did_you_mean(&n, all.iter().map(|s| s.as_str()))
            .map(|h| format!("; {h}"))
            .unwrap_or_else(|| {
                "; use linear, in-/out-/in-out- with sine, quad, cubic, quart, quint, expo, circ, back, elastic or bounce, or cubic-bezier(x1, y1, x2, y2)".into()
            });
        Err(format!("unknown easing `{s}`{hint}"))
    }

    /// The eased fraction for a segment fraction `u` in [0, 1]. Back and elastic
    /// curves overshoot outside [0, 1] on purpose.
    pub fn apply(self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match self {
            Ease::Linear => u,
            Ease::Hold => {
                if u >= 1.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Ease::Curve(f, Dir::In) => ease_in(f, u),
            Ease::Curve(f, Dir::Out) => 1.0 - ease_in(f, 1.0 - u),
            Ease::Curve(Family::Back, Dir::InOut) => back_in_out(u),
            Ease::Curve(Family::Elastic, Dir::InOut) => elastic_in_out(u),
            Ease::Curve(f, Dir::InOut) => {
                if u < 0.5 {
                    ease_in(f, 2.0 * u) / 2.0
                } else {
                    1.0 - ease_in(f, 2.0 - 2.0 * u) / 2.0
                }
            }
            Ease::Bezier(p) => cubic_bezier(p, u),
        }
    }
}

/// The `in` form of each family; `out` and `in-out` are derived by symmetry, which
/// gives exactly the easings.net formulas.
fn ease_in(f: Family, x: f64) -> f64 {
    const C1: f64 = 1.70158;
    match f {
        Family::Sine => 1.0 - (x * PI / 2.0).cos(),
        Family::Quad => x * x,
        Family::Cubic => x * x * x,
        Family::Quart => x * x * x * x,
        Family::Quint => x * x * x * x * x,
        Family::Expo => {
            if x == 0.0 {
                0.0
            } else {
                2f64.powf(10.0 * x - 10.0)
            }
        }
        Family::Circ => 1.0 - (1.0 - x * x).max(0.0).sqrt(),
        Family::Back => (C1 + 1.0) * x * x * x - C1 * x * x,
        Family::Elastic => {
            if x == 0.0 || x == 1.0 {
                x
            } else {
                -(2f64.powf(10.0 * x - 10.0)) * ((10.0 * x - 10.75) * (2.0 * PI / 3.0)).sin()
            }
        }
        Family::Bounce => 1.0 - bounce_out(1.0 - x),
    }
}

/// easings.net's in-out-back uses a larger overshoot than twice in-back.
fn back_in_out(x: f64) -> f64 {
    const C2: f64 = 1.70158 * 1.525;
    if x < 0.5 {
        (2.0 * x).powi(2) * ((C2 + 1.0) * 2.0 * x - C2) / 2.0
    } else {
        ((2.0 * x - 2.0).powi(2) * ((C2 + 1.0) * (2.0 * x - 2.0) + C2) + 2.0) / 2.0
    }
}

/// easings.net's in-out-elastic has its own period.
fn elastic_in_out(x: f64) -> f64 {
    const C5: f64 = 2.0 * PI / 4.5;
    if x == 0.0 || x == 1.0 {
        x
    } else if x < 0.5 {
        -(2f64.powf(20.0 * x - 10.0) * ((20.0 * x - 11.125) * C5).sin()) / 2.0
    } else {
        2f64.powf(-20.0 * x + 10.0) * ((20.0 * x - 11.125) * C5).sin() / 2.0 + 1.0
    }
}

fn bounce_out(x: f64) -> f64 {
    const N: f64 = 7.5625;
    const D: f64 = 2.75;
    if x < 1.0 / D {
        N * x * x
    } else if x < 2.0 / D {
        let x = x - 1.5 / D;
        N * x * x + 0.75
    } else if x < 2.5 / D {
        let x = x - 2.25 / D;
        N * x * x + 0.9375
    } else {
        let x = x - 2.625 / D;
        N * x * x + 0.984375
    }
}

fn bezier(args: &str, original: &str) -> Result<Ease, String> {
    let nums: Vec<f64> = args
        .split(',')
        .map(|a| a.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{original}`: cubic-bezier takes four numbers"))?;
    let [x1, y1, x2, y2] = nums[..] else {
        return Err(format!("`{original}`: cubic-bezier takes four numbers"));
    };
    if !(0.0..=1.0).contains(&x1) || !(0.0..=1.0).contains(&x2) {
        return Err(format!(
            "`{original}`: x1 and x2 must be between 0 and 1 (as in CSS)"
        ));
    }
    if !(y1.is_finite() && y2.is_finite()) {
        return Err(format!("`{original}`: the numbers must be finite"));
    }
    Ok(Ease::Bezier([x1, y1, x2, y2]))
}

/// CSS's cubic-bezier timing function: find s with x(s) = u, return y(s).
fn cubic_bezier([x1, y1, x2, y2]: [f64; 4], u: f64) -> f64 {
    // Polynomial coefficients of a 1-D Bézier from (0) through p1, p2 to (1).
    let coef = |p1: f64, p2: f64| {
        let c = 3.0 * p1;
        let b = 3.0 * (p2 - p1) - c;
        (1.0 - c - b, b, c)
    };
    let (ax, bx, cx) = coef(x1, x2);
    let (ay, by, cy) = coef(y1, y2);
    let x = |s: f64| ((ax * s + bx) * s + cx) * s;
    let dx = |s: f64| (3.0 * ax * s + 2.0 * bx) * s + cx;
    let mut s = u;
    for _ in 0..8 {
        let err = x(s) - u;
        if err.abs() < 1e-12 {
            return ((ay * s + by) * s + cy) * s;
        }
        let d = dx(s);
        if d.abs() < 1e-9 {
            break;
        }
        s -= err / d;
    }
    // Newton stalled: bisect (x is monotonic on [0, 1] since x1, x2 are in [0, 1]).
    let (mut lo, mut hi) = (0.0, 1.0);
    s = u;
    for _ in 0..60 {
        if x(s) < u {
            lo = s;
        } else {
            hi = s;
        }
        s = (lo + hi) / 2.0;
    }
    ((ay * s + by) * s + cy) * s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(name: &str, u: f64) -> f64 {
        Ease::parse(name).unwrap().apply(u)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn known_values() {
        assert_eq!(e("in-out-cubic", 0.25), 0.0625);
        assert_eq!(e("in-out-cubic", 0.75), 0.9375);
        assert_eq!(e("in-quad", 0.5), 0.25);
        assert_eq!(e("out-quad", 0.5), 0.75);
        assert!(close(e("in-sine", 0.5), 1.0 - (PI / 4.0).cos()));
        assert!(close(e("out-sine", 0.5), (PI / 4.0).sin()));
        assert_eq!(e("in-expo", 0.5), 2f64.powf(-5.0));
        assert_eq!(e("linear", 0.3), 0.3);
        assert_eq!(e("hold", 0.99), 0.0);
        // easings.net's out-bounce at 0.5 and in-back's undershoot.
        assert!(close(
            e("out-bounce", 0.5),
            7.5625 * (0.5f64 - 1.5 / 2.75).powi(2) + 0.75
        ));
        assert!(e("in-back", 0.3) < 0.0);
        assert!(e("out-elastic", 0.2) > 1.0);
        // In-out variants are symmetric about the middle.
        for name in names() {
            let ease = Ease::parse(&name).unwrap();
            assert!(close(ease.apply(0.0), 0.0), "{name} at 0");
            assert!(close(ease.apply(1.0), 1.0), "{name} at 1");
            if name.starts_with("in-out-") {
                assert!(close(ease.apply(0.5), 0.5), "{name} at 0.5");
                assert!(close(ease.apply(0.3), 1.0 - ease.apply(0.7)), "{name}");
            }
        }
    }

    #[test]
    fn bezier_matches_css() {
        // Linear control points give the identity.
        for u in [0.1, 0.37, 0.9] {
            assert!(close(e("cubic-bezier(0.25, 0.25, 0.75, 0.75)", u), u));
        }
        // CSS "ease-in-out" is symmetric.
        assert!(close(e("ease-in-out", 0.5), 0.5));
        assert!(close(e("ease-in-out", 0.2), 1.0 - e("ease-in-out", 0.8)));
        // Flat ends: x1 = 0 and x2 = 1 still converge.
        assert!(close(e("cubic-bezier(0, 0, 1, 1)", 0.5), 0.5));
    }

    #[test]
    fn names_are_checked() {
        assert!(Ease::parse("In_Out_Cubic").is_ok());
        let err = Ease::parse("in-out-cubc").unwrap_err();
        assert!(err.contains("did you mean `in-out-cubic`?"), "{err}");
        assert!(Ease::parse("cubic-bezier(2, 0, 1, 1)")
            .unwrap_err()
            .contains("between 0 and 1"));
        assert!(Ease::parse("cubic-bezier(1, 2)").is_err());
    }
}
