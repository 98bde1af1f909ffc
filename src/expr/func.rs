//! The operations of the language and their exact scalar meaning.
//!
//! Both evaluators (scalar and vectorised) call these same functions, so a value is
//! the same whichever path computed it. Division by zero and domain errors give NaN;
//! NaN spreads through every operation (min, max and clamp included, as in numpy).

use std::f64::consts::PI;

/// One-argument operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Un {
    Neg,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Exp,
    Ln,
    Log10,
    Log2,
    Sqrt,
    Cbrt,
    Abs,
    Sign,
    Floor,
    Ceil,
    Round,
    Sinc,
    /// The error function, and its complement `1 - erf(x)` (exact far into the tail,
    /// where `1 - erf(x)` rounds to 0): the heat equation's step solution.
    Erf,
    Erfc,
    /// `x^n` for a small constant integer `n`: repeated multiplication.
    PowI(i32),
}

/// Two-argument operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bin {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Mod,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    Atan2,
    Min,
    Max,
    Hypot,
}

/// Three-argument operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tern {
    If,
    Clamp,
    Lerp,
    Smoothstep,
}

/// A function name's meaning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fun {
    Un(Un),
    Bin(Bin),
    Tern(Tern),
    /// `min` and `max` take two or more arguments.
    Fold(Bin),
}

/// Every function: name, meaning, and a short description for the docs and hints.
pub const FUNCTIONS: &[(&str, Fun)] = &[
    ("sin", Fun::Un(Un::Sin)),
    ("cos", Fun::Un(Un::Cos)),
    ("tan", Fun::Un(Un::Tan)),
    ("asin", Fun::Un(Un::Asin)),
    ("acos", Fun::Un(Un::Acos)),
    ("atan", Fun::Un(Un::Atan)),
    ("atan2", Fun::Bin(Bin::Atan2)),
    ("sinh", Fun::Un(Un::Sinh)),
    ("cosh", Fun::Un(Un::Cosh)),
    ("tanh", Fun::Un(Un::Tanh)),
    ("exp", Fun::Un(Un::Exp)),
    ("ln", Fun::Un(Un::Ln)),
    ("log", Fun::Un(Un::Ln)),
    ("log10", Fun::Un(Un::Log10)),
    ("log2", Fun::Un(Un::Log2)),
    ("sqrt", Fun::Un(Un::Sqrt)),
    ("cbrt", Fun::Un(Un::Cbrt)),
    ("abs", Fun::Un(Un::Abs)),
    ("sign", Fun::Un(Un::Sign)),
    ("floor", Fun::Un(Un::Floor)),
    ("ceil", Fun::Un(Un::Ceil)),
    ("round", Fun::Un(Un::Round)),
    ("sinc", Fun::Un(Un::Sinc)),
    ("erf", Fun::Un(Un::Erf)),
    ("erfc", Fun::Un(Un::Erfc)),
    ("min", Fun::Fold(Bin::Min)),
    ("max", Fun::Fold(Bin::Max)),
    ("hypot", Fun::Bin(Bin::Hypot)),
    ("mod", Fun::Bin(Bin::Mod)),
    ("pow", Fun::Bin(Bin::Pow)),
    ("if", Fun::Tern(Tern::If)),
    ("clamp", Fun::Tern(Tern::Clamp)),
    ("lerp", Fun::Tern(Tern::Lerp)),
    ("smoothstep", Fun::Tern(Tern::Smoothstep)),
];

pub fn function(name: &str) -> Option<Fun> {
    FUNCTIONS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// The built-in constants.
pub const CONSTANTS: &[(&str, f64)] = &[
    ("pi", PI),
    ("tau", std::f64::consts::TAU),
    ("e", std::f64::consts::E),
];

pub fn constant(name: &str) -> Option<f64> {
    CONSTANTS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

impl Un {
    #[inline(always)]
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Un::Neg => -x,
            Un::Sin => x.sin(),
            Un::Cos => x.cos(),
            Un::Tan => x.tan(),
            Un::Asin => x.asin(),
            Un::Acos => x.acos(),
            Un::Atan => x.atan(),
            Un::Sinh => x.sinh(),
            Un::Cosh => x.cosh(),
            Un::Tanh => x.tanh(),
            Un::Exp => x.exp(),
            Un::Ln => x.ln(),
            Un::Log10 => x.log10(),
            Un::Log2 => x.log2(),
            Un::Sqrt => x.sqrt(),
            Un::Cbrt => x.cbrt(),
            Un::Abs => x.abs(),
            Un::Sign => sign(x),
            Un::Floor => x.floor(),
            Un::Ceil => x.ceil(),
            Un::Round => x.round_ties_even(),
            Un::Sinc => sinc(x),
            // libm's, a port of FreeBSD's msun (within 1 ulp); NaN stays NaN
            Un::Erf => libm::erf(x),
            Un::Erfc => libm::erfc(x),
            Un::PowI(n) => x.powi(n),
        }
    }
}

impl Bin {
    #[inline(always)]
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Bin::Add => a + b,
            Bin::Sub => a - b,
            Bin::Mul => a * b,
            Bin::Div => div(a, b),
            Bin::Pow => a.powf(b),
            Bin::Mod => modulo(a, b),
            Bin::Lt => truth(a < b),
            Bin::Le => truth(a <= b),
            Bin::Gt => truth(a > b),
            Bin::Ge => truth(a >= b),
            Bin::Eq => truth(a == b),
            Bin::Ne => truth(a != b),
            Bin::Atan2 => a.atan2(b),
            Bin::Min => min(a, b),
            Bin::Max => max(a, b),
            Bin::Hypot => a.hypot(b),
        }
    }
}

impl Tern {
    #[inline(always)]
    pub fn apply(self, a: f64, b: f64, c: f64) -> f64 {
        match self {
            Tern::If => select(a, b, c),
            Tern::Clamp => min(max(a, b), c),
            Tern::Lerp => a + (b - a) * c,
            Tern::Smoothstep => smoothstep(a, b, c),
        }
    }
}

#[inline(always)]
fn truth(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// `a / b`, NaN when `b` is zero.
#[inline(always)]
pub fn div(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        f64::NAN
    } else {
        a / b
    }
}

/// Python's `%`: the result takes the sign of the divisor; NaN when `b` is zero.
#[inline(always)]
pub fn modulo(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        return f64::NAN;
    }
    let r = a % b;
    if r != 0.0 && ((r < 0.0) != (b < 0.0)) {
        r + b
    } else {
        r
    }
}

#[inline(always)]
fn min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

#[inline(always)]
fn max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

/// `if(c, a, b)`: `a` where `c` is non-zero, `b` where it is zero, NaN where it is NaN.
#[inline(always)]
fn select(c: f64, a: f64, b: f64) -> f64 {
    if c.is_nan() {
        f64::NAN
    } else if c != 0.0 {
        a
    } else {
        b
    }
}

/// numpy's sign: -1, 0 or 1, NaN for NaN.
#[inline(always)]
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x
    }
}

/// numpy's normalised sinc: sin(πx)/(πx), 1 at 0.
#[inline(always)]
pub fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        let y = PI * x;
        y.sin() / y
    }
}

/// GLSL's smoothstep; with equal edges, a step at the edge.
#[inline(always)]
fn smoothstep(e0: f64, e1: f64, x: f64) -> f64 {
    if e0 == e1 {
        return if x.is_nan() { f64::NAN } else { truth(x >= e0) };
    }
    let t = min(max((x - e0) / (e1 - e0), 0.0), 1.0);
    t * t * (3.0 - 2.0 * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sinc_like_numpy() {
        assert_eq!(sinc(0.0), 1.0);
        assert_eq!(sinc(0.5), 2.0 / PI);
        assert!(sinc(1.0).abs() < 1e-15);
        assert_eq!(sinc(-0.5), sinc(0.5));
    }

    #[test]
    fn erf_and_erfc_take_known_values() {
        // printed by Python's math.erf and math.erfc (glibc's), an implementation apart
        let known = [
            (0.0, 0.0),
            (0.1, 0.112_462_916_018_284_9),
            (0.5, 0.520_499_877_813_046_5),
            (1.0, 0.842_700_792_949_714_9),
            (2.0, 0.995_322_265_018_952_7),
            (3.0, 0.999_977_909_503_001_4),
        ];
        for (x, want) in known {
            let got = Un::Erf.apply(x);
            assert!((got - want).abs() < 1e-15, "erf({x}) = {got}, not {want}");
            // odd
            assert!((Un::Erf.apply(-x) + want).abs() < 1e-15, "erf(-{x})");
            assert!(
                (Un::Erfc.apply(x) - (1.0 - want)).abs() < 1e-15,
                "erfc({x})"
            );
        }
        // the tail, where 1 - erf(x) has no digits left: erfc(5) = 1.5374597944280351e-12,
        // erfc(10) = 2.088487583762545e-45
        assert!((Un::Erfc.apply(5.0) / 1.537_459_794_428_035_1e-12 - 1.0).abs() < 1e-14);
        assert!((Un::Erfc.apply(10.0) / 2.088_487_583_762_545e-45 - 1.0).abs() < 1e-14);
        assert_eq!(Un::Erf.apply(f64::INFINITY), 1.0);
        assert_eq!(Un::Erfc.apply(f64::NEG_INFINITY), 2.0);
        assert!(Un::Erf.apply(f64::NAN).is_nan() && Un::Erfc.apply(f64::NAN).is_nan());
    }

    #[test]
    fn modulo_like_python() {
        assert_eq!(modulo(-1.0, 3.0), 2.0);
        assert_eq!(modulo(1.0, -3.0), -2.0);
        assert_eq!(modulo(5.5, 2.0), 1.5);
        assert!(modulo(1.0, 0.0).is_nan());
        assert!(div(0.0, 0.0).is_nan() && div(1.0, 0.0).is_nan());
    }

    #[test]
    fn nan_spreads_and_edges() {
        assert!(Bin::Min.apply(f64::NAN, 1.0).is_nan());
        assert!(Bin::Max.apply(1.0, f64::NAN).is_nan());
        assert!(Tern::If.apply(f64::NAN, 1.0, 2.0).is_nan());
        assert_eq!(Tern::If.apply(0.0, 1.0, 2.0), 2.0);
        assert_eq!(Tern::If.apply(-3.0, 1.0, 2.0), 1.0);
        assert_eq!(Un::Sign.apply(-0.0), 0.0);
        assert_eq!(Un::Round.apply(2.5), 2.0);
        assert_eq!(Un::Round.apply(-1.5), -2.0);
        assert_eq!(Tern::Smoothstep.apply(0.0, 1.0, 0.5), 0.5);
        assert_eq!(Tern::Smoothstep.apply(1.0, 1.0, 1.0), 1.0);
        assert_eq!(Tern::Clamp.apply(5.0, 0.0, 1.0), 1.0);
        assert!(Un::Sqrt.apply(-1.0).is_nan() && Un::Ln.apply(-1.0).is_nan());
        assert!(Un::Asin.apply(2.0).is_nan());
    }
}
