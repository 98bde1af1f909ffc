//! [`Expr`]: an expression compiled once, evaluated at any time and any points.

use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use super::error::ExprError;
use super::eval::Program;
use super::graph::{self, Graph, Names, Op, Value, MAX_INPUTS};
use super::param::Scalar;
use super::parse::parse;
use super::{Env, Scope};
use crate::base::diag::Diagnostic;

/// A compiled expression over `t` (and the environment), the scene's vars, and the
/// per-point input variables it was compiled with. Cheap to clone, shareable across
/// threads.
#[derive(Clone)]
pub struct Expr {
    program: Arc<Program>,
    text: Arc<str>,
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Expr({:?})", &*self.text)
    }
}

impl Expr {
    /// Compiles a string from the scene file; errors point inside it.
    /// `inputs` names the per-point variables (e.g. `&["x", "y"]`), in the order their
    /// values are passed to [`eval`](Self::eval) and the batch methods.
    pub fn compile(
        src: &Spanned<String>,
        scope: &Scope,
        inputs: &[&str],
    ) -> Result<Expr, Diagnostic> {
        Expr::compile_at(src.get_ref(), src.span(), scope, inputs)
    }

    /// Like [`compile`](Self::compile) for text whose string sits at `span` in the file.
    pub fn compile_at(
        text: &str,
        span: Range<usize>,
        scope: &Scope,
        inputs: &[&str],
    ) -> Result<Expr, Diagnostic> {
        Expr::parse_text(text, scope, inputs).map_err(|e| e.in_file(text, span))
    }

    /// Compiles a formula field that may also be a plain number (`z = 0`): declare the
    /// field as `Spanned<Scalar>`.
    pub fn compile_scalar(
        raw: &Spanned<Scalar>,
        scope: &Scope,
        inputs: &[&str],
    ) -> Result<Expr, Diagnostic> {
        match raw.get_ref() {
            Scalar::Expr(text) => Expr::compile_at(text, raw.span(), scope, inputs),
            Scalar::Number(v) if v.is_finite() => Ok(Expr::constant(*v, inputs.len())),
            Scalar::Number(_) => Err(Diagnostic::at("a number must be finite", raw.span())),
        }
    }

    /// An expression that is the number `v`, over `inputs` input variables.
    pub fn constant(v: f64, inputs: usize) -> Expr {
        assert!(inputs <= MAX_INPUTS, "at most {MAX_INPUTS} input variables");
        let g = Graph {
            values: vec![Value {
                op: Op::Const(v),
                inputs: 0,
                env: false,
            }],
            result: 0,
            series: Vec::new(),
        };
        Expr {
            program: Arc::new(Program::new(g, inputs)),
            text: v.to_string().into(),
        }
    }

    /// Compiles text that is not in a scene file; the error's position is in the text.
    pub fn parse_text(text: &str, scope: &Scope, inputs: &[&str]) -> Result<Expr, ExprError> {
        assert!(
            inputs.len() <= MAX_INPUTS,
            "at most {MAX_INPUTS} input variables"
        );
        let node = parse(text)?;
        let lookup = |n: &str| scope.get(n);
        let names_of = || scope.names();
        let g = graph::build(
            &node,
            &Names {
                inputs,
                vars: &lookup,
                var_names: &names_of,
                env: true,
                measures: Some(scope.measures()),
            },
        )?;
        Ok(Expr {
            program: Arc::new(Program::new(g, inputs.len())),
            text: text.into(),
        })
    }

    /// An expression of a program compiled elsewhere in this module.
    pub(super) fn from_program(program: Arc<Program>, text: &str) -> Expr {
        Expr {
            program,
            text: text.into(),
        }
    }

    /// The text as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The value, if it depends neither on time nor on the inputs.
    pub fn as_constant(&self) -> Option<f64> {
        let g = self.program.graph();
        match g.values[g.result as usize].op {
            Op::Const(c) => Some(c),
            _ => None,
        }
    }

    /// True if the value can change from frame to frame (it uses `t` or `frame`,
    /// or `duration` or `fps`, which differ between clips).
    pub fn is_animated(&self) -> bool {
        let g = self.program.graph();
        g.values[g.result as usize].env
    }

    /// True if the value depends on input `i`.
    pub fn uses_input(&self, i: usize) -> bool {
        let g = self.program.graph();
        i < 8 && g.values[g.result as usize].inputs & (1 << i) != 0
    }

    /// The number of per-point input variables.
    pub fn inputs(&self) -> usize {
        self.program.inputs()
    }

    /// The value at one point (`point[i]` is input `i`; missing inputs read as NaN).
    pub fn eval(&self, env: &Env, point: &[f64]) -> f64 {
        self.program.eval(env, point)
    }

    /// Many points at once: `out[k]` is the value at `(inputs[0][k], inputs[1][k], …)`.
    /// Panics unless there is one slice per input, each as long as `out`.
    pub fn eval_batch(&self, env: &Env, inputs: &[&[f64]], out: &mut [f64]) {
        self.program.eval_batch(env, inputs, out)
    }

    /// True if [`eval_grid`](Self::eval_grid) keeps time-independent values between
    /// calls.
    #[cfg(test)]
    pub(crate) fn keeps_grids(&self) -> bool {
        self.program.keeps_grids()
    }

    /// A grid over a two-input expression without materialising it:
    /// `out[j * xs.len() + i]` is the value at `(xs[i], ys[j])`, row-major. Values that
    /// depend on one axis only are computed once per column or row. Panics unless the
    /// expression has exactly two inputs and `out.len() == xs.len() * ys.len()`.
    pub fn eval_grid(&self, env: &Env, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        self.program.eval_grid(env, xs, ys, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn env(t: f64) -> Env {
        Env {
            t,
            duration: 2.0,
            fps: 10.0,
        }
    }

    fn val(s: &str) -> f64 {
        Expr::parse_text(s, &Scope::default(), &[])
            .unwrap_or_else(|e| panic!("{s}: {}", e.message))
            .eval(&env(0.5), &[])
    }

    fn err(s: &str) -> (String, String, Option<String>) {
        let e = Expr::parse_text(s, &Scope::default(), &["x"]).unwrap_err();
        (e.message, s[e.at].to_string(), e.hint)
    }

    #[test]
    fn arithmetic_and_precedence() {
        assert_eq!(val("1 + 2 * 3"), 7.0);
        assert_eq!(val("2 ^ 3 ^ 2"), 512.0);
        assert_eq!(val("-2 ^ 2"), -4.0);
        assert_eq!(val("(-2) ^ 2"), 4.0);
        assert_eq!(val("2 ^ -1"), 0.5);
        assert_eq!(val("-7 % 3"), 2.0);
        assert_eq!(val("7 % -3"), -2.0);
        assert_eq!(val("10 - 4 - 3"), 3.0);
        assert_eq!(val("2 * 3 % 4"), 2.0);
        assert_eq!(val("1 < 2"), 1.0);
        assert_eq!(val("1 + 1 == 2"), 1.0);
        assert_eq!(val("2 ** 3"), 8.0);
        assert_eq!(val("+3"), 3.0);
        // Python's `and`, `or`, `not` on numbers, with 1 and 0 for true and false.
        assert_eq!(val("t > 0 and t < 1"), 1.0);
        assert_eq!(val("2 and 0"), 0.0);
        assert_eq!(val("0 or -3"), 1.0);
        assert_eq!(val("0 or 0"), 0.0);
        assert_eq!(val("not 0"), 1.0);
        assert_eq!(val("not t"), 0.0);
        assert_eq!(val("0/0 and 1"), 1.0, "NaN is true, as in Python");
        assert_eq!(val("1 or 1 and 0"), 1.0, "`and` binds tighter");
        assert_eq!(val("if(t > 1 or t < 1, 5, 6)"), 5.0);
        assert_eq!(val("--3"), 3.0);
    }

    #[test]
    fn functions_and_constants() {
        assert_eq!(val("sinc(0)"), 1.0);
        assert_eq!(val("sinc(0.5)"), 2.0 / PI);
        assert_eq!(val("max(1, 5, 3)"), 5.0);
        assert_eq!(val("min(4, 2, 3)"), 2.0);
        assert_eq!(val("clamp(5, 0, 1)"), 1.0);
        assert_eq!(val("lerp(10, 20, 0.25)"), 12.5);
        assert_eq!(val("smoothstep(0, 1, 0.5)"), 0.5);
        assert_eq!(val("hypot(3, 4)"), 5.0);
        assert_eq!(val("atan2(1, 1)"), PI / 4.0);
        assert_eq!(val("mod(-1, 3)"), 2.0);
        assert_eq!(val("if(t > 0.25, 1, 2)"), 1.0);
        assert_eq!(val("tau / pi"), 2.0);
        assert_eq!(val("ln(e)"), 1.0);
        assert_eq!(val("log10(1000)"), 3.0);
        assert_eq!(val("log2(8)"), 3.0);
        assert_eq!(val("cbrt(-8)"), -2.0);
        assert_eq!(
            val("sign(-3) + abs(-2) + floor(1.5) + ceil(1.5) + round(2.5)"),
            6.0
        );
        assert_eq!(val("t * fps + duration + frame"), 5.0 + 2.0 + 5.0);
    }

    #[test]
    fn domain_errors_are_nan() {
        for s in [
            "1/0",
            "0/0",
            "sqrt(-1)",
            "ln(-1)",
            "asin(2)",
            "1 % 0",
            "(-8)^(1/3)",
        ] {
            assert!(val(s).is_nan(), "{s}");
        }
        assert_eq!(val("ln(0)"), f64::NEG_INFINITY);
    }

    #[test]
    fn unknown_names_point_at_the_name_with_a_hint() {
        let (m, at, hint) = err("1 + sinn(x)");
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("unknown function `sinn`", "sinn")
        );
        assert_eq!(hint.as_deref(), Some("did you mean `sin`?"));
        let (m, at, hint) = err("2 * dration");
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("unknown name `dration`", "dration")
        );
        assert_eq!(hint.as_deref(), Some("did you mean `duration`?"));
        let (m, at, _) = err("sin(x, 2)");
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("`sin` takes 1 argument, not 2", "sin(x, 2)")
        );
        // Python's forms with a second argument say what to write.
        let (m, _, hint) = err("log(x, 10)");
        assert_eq!(m, "`log` takes 1 argument, not 2");
        assert!(hint.unwrap().contains("`log10(x)`"));
        let (_, _, hint) = err("atan(x, 1)");
        assert!(hint.unwrap().contains("`atan2(y, x)`"));
        let (_, _, hint) = err("sin(x, 2)");
        assert_eq!(hint, None);
        let (m, _, _) = err("max(1)");
        assert!(m.contains("two or more"), "{m}");
        let (m, _, hint) = err("x(2)");
        assert_eq!(m, "unknown function `x`");
        assert!(hint.unwrap().contains("multiply"));
        let (m, _, _) = err("sin + 1");
        assert_eq!(m, "`sin` is a function");
        // `y` is not an input here.
        let (m, _, hint) = err("y + 1");
        assert_eq!(m, "unknown name `y`");
        assert!(hint.is_some());
    }

    #[test]
    fn constants_fold_and_time_is_tracked() {
        let e = Expr::parse_text("2 * pi * 3", &Scope::default(), &[]).unwrap();
        assert_eq!(e.as_constant(), Some(6.0 * PI));
        assert!(!e.is_animated());
        let e = Expr::parse_text("sin(t)", &Scope::default(), &[]).unwrap();
        assert_eq!(e.as_constant(), None);
        assert!(e.is_animated());
        let e = Expr::parse_text("x * 2", &Scope::default(), &["x"]).unwrap();
        assert!(!e.is_animated() && e.uses_input(0) && !e.uses_input(1));
    }

    /// Deterministic pseudo-random numbers for the tests (xorshift).
    fn rng(seed: u64) -> impl FnMut() -> f64 {
        let mut s = seed;
        move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn same(a: f64, b: f64) -> bool {
        a == b || (a.is_nan() && b.is_nan())
    }

    /// Evaluates `e` (source `s`) on the grid `xs` × `ys` by the batch and grid paths
    /// and checks each value against the scalar path.
    fn assert_paths_agree(s: &str, e: &Expr, env: &Env, xs: &[f64], ys: &[f64]) {
        let (w, h) = (xs.len(), ys.len());
        let (gx, gy): (Vec<f64>, Vec<f64>) = (0..w * h).map(|k| (xs[k % w], ys[k / w])).unzip();
        let (mut batch, mut grid) = (vec![0.0; w * h], vec![0.0; w * h]);
        e.eval_batch(env, &[&gx, &gy], &mut batch);
        e.eval_grid(env, xs, ys, &mut grid);
        for k in 0..w * h {
            let want = e.eval(env, &[gx[k], gy[k]]);
            assert!(
                same(batch[k], want),
                "{s} batch at {k}: {} vs {want}",
                batch[k]
            );
            assert!(
                same(grid[k], want),
                "{s} grid at {k}: {} vs {want}",
                grid[k]
            );
        }
    }

    #[test]
    fn batch_and_grid_agree_with_the_scalar_path() {
        let exprs = [
            "sinc(x^2 + y^2) + sin(x + 2*pi*t/duration)",
            "x",
            "y",
            "t",
            "3",
            "x * y",
            "if(x < y, x, y) + clamp(x, -0.5, y)",
            "sin(x) * cos(y) + x^3 - y^-2 + x % 0.3 + hypot(x, t)",
            "lerp(x, y, smoothstep(0, 1, t)) + (x > 0) + 1 / y",
            "exp(x) + exp(x) * y",
        ];
        let mut r = rng(7);
        let (w, h) = (300, 7);
        let xs: Vec<f64> = (0..w).map(|_| r() * 4.0 - 2.0).collect();
        let ys: Vec<f64> = (0..h).map(|_| r() * 4.0 - 2.0).collect();
        for s in exprs {
            let e = Expr::parse_text(s, &Scope::default(), &["x", "y"]).unwrap();
            assert_paths_agree(s, &e, &env(0.3), &xs, &ys);
        }
    }

    #[test]
    fn one_input_batches() {
        let e = Expr::parse_text("sinc(u) * t", &Scope::default(), &["u"]).unwrap();
        let us: Vec<f64> = (0..1000).map(|i| i as f64 / 100.0).collect();
        let mut out = vec![0.0; us.len()];
        e.eval_batch(&env(2.0), &[&us], &mut out);
        for (u, o) in us.iter().zip(&out) {
            assert_eq!(*o, crate::expr::func::sinc(*u) * 2.0);
        }
        // Empty batches are fine.
        e.eval_batch(&env(2.0), &[&[]], &mut []);
    }

    #[test]
    fn numbers_are_formulas_too() {
        let raw = Spanned::new(0..1, Scalar::Number(2.0));
        let e = Expr::compile_scalar(&raw, &Scope::default(), &["x", "y"]).unwrap();
        assert_eq!(e.as_constant(), Some(2.0));
        let mut out = [0.0; 4];
        e.eval_grid(&env(0.0), &[1.0, 2.0], &[3.0, 4.0], &mut out);
        assert_eq!(out, [2.0; 4]);
        let raw = Spanned::new(10..18, Scalar::Expr("x * yy".into()));
        let d = Expr::compile_scalar(&raw, &Scope::default(), &["x", "y"]).unwrap_err();
        assert_eq!(d.span, Some(15..17));
        assert_eq!(d.hint.as_deref(), Some("did you mean `y`?"));
    }

    /// A random valid expression over x, y and the environment, at most `depth` deep.
    fn random_expr(r: &mut impl FnMut() -> f64, depth: u32) -> String {
        fn pick<'a>(r: &mut impl FnMut() -> f64, from: &[&'a str]) -> &'a str {
            from[((r() * from.len() as f64) as usize).min(from.len() - 1)]
        }
        const LEAVES: &[&str] = &[
            "x", "y", "t", "duration", "frame", "0", "1", "2.5", "pi", "0.5",
        ];
        if depth == 0 || r() < 0.2 {
            return pick(r, LEAVES).to_string();
        }
        let d = depth - 1;
        match (r() * 6.0) as usize {
            0 => {
                let op = pick(
                    r,
                    &[
                        "+", "-", "*", "/", "%", "^", "<", "<=", "==", "!=", ">", ">=", "and", "or",
                    ],
                );
                format!("({} {op} {})", random_expr(r, d), random_expr(r, d))
            }
            1 => format!("{}{}", pick(r, &["-", "not "]), random_expr(r, d)),
            2 => {
                let f = pick(
                    r,
                    &[
                        "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp",
                        "ln", "log10", "log2", "sqrt", "cbrt", "abs", "sign", "floor", "ceil",
                        "round", "sinc", "erf", "erfc",
                    ],
                );
                format!("{f}({})", random_expr(r, d))
            }
            3 => {
                let f = pick(r, &["atan2", "min", "max", "hypot", "mod", "pow"]);
                format!("{f}({}, {})", random_expr(r, d), random_expr(r, d))
            }
            4 => {
                let f = pick(r, &["if", "clamp", "lerp", "smoothstep"]);
                format!(
                    "{f}({}, {}, {})",
                    random_expr(r, d),
                    random_expr(r, d),
                    random_expr(r, d)
                )
            }
            _ => format!(
                "({})^{}",
                random_expr(r, d),
                pick(r, &["2", "3", "-1", "0"])
            ),
        }
    }

    /// Every valid expression gives the same values by the scalar, batch and grid
    /// paths (which share hoisting, folding and column allocation, the tricky parts).
    #[test]
    fn random_expressions_agree_on_every_path() {
        let mut r = rng(99);
        let w = 260;
        let xs: Vec<f64> = (0..w).map(|i| -2.0 + 4.0 * i as f64 / w as f64).collect();
        let ys = [-0.5, 0.0, 1.25];
        let env = env(0.7);
        for _ in 0..400 {
            let s = random_expr(&mut r, 6);
            let e = Expr::parse_text(&s, &Scope::default(), &["x", "y"])
                .unwrap_or_else(|err| panic!("{s}: {}", err.message));
            assert_paths_agree(&s, &e, &env, &xs, &ys);
        }
    }

    /// Grids that keep their time-independent values between calls (the first call
    /// fills the cache, the next ones read it) give the scalar path's values at every
    /// time, on random expressions and on the classifier's sum of bumps.
    #[test]
    fn kept_grid_values_agree_with_the_scalar_path() {
        let mut r = rng(1234);
        let w = 260;
        let xs: Vec<f64> = (0..w).map(|i| -2.0 + 4.0 * i as f64 / w as f64).collect();
        let ys = [-0.5, 0.0, 1.25, 2.0];
        let mut cases: Vec<String> = (0..1500).map(|_| random_expr(&mut r, 6)).collect();
        cases.push(
            "tanh(clamp(t^2, 0, 1) * exp(-2*((x-0.1)^2 + (y+0.2)^2)) \
             - clamp(t^2 - 1, 0, 1) * exp(-2*((x+0.3)^2 + (y-0.5)^2)))"
                .into(),
        );
        let mut kept = 0;
        for s in &cases {
            let e = Expr::parse_text(s, &Scope::default(), &["x", "y"])
                .unwrap_or_else(|err| panic!("{s}: {}", err.message));
            kept += e.keeps_grids() as usize;
            for t in [0.3, 0.7, 1.9] {
                assert_paths_agree(s, &e, &env(t), &xs, &ys);
            }
            // Another grid replaces the kept one.
            assert_paths_agree(s, &e, &env(0.5), &xs[..7], &ys[1..]);
        }
        assert!(
            cases
                .last()
                .map(|s| Expr::parse_text(s, &Scope::default(), &["x", "y"])
                    .unwrap()
                    .keeps_grids())
                == Some(true)
        );
        assert!(kept > 50, "only {kept} random expressions keep grids");
    }

    /// Huge expressions with many x-only parts still evaluate on a grid.
    #[test]
    fn grids_with_many_x_only_parts_fall_back_to_batches() {
        let terms: Vec<String> = (0..300).map(|i| format!("sin(x + {i}) * y")).collect();
        // Balanced sums stay within the nesting limit.
        fn sum(t: &[String]) -> String {
            if t.len() == 1 {
                return t[0].clone();
            }
            let (a, b) = t.split_at(t.len() / 2);
            format!("({} + {})", sum(a), sum(b))
        }
        let s = sum(&terms);
        let e = Expr::parse_text(&s, &Scope::default(), &["x", "y"]).unwrap();
        let (xs, ys) = ([0.1, 0.2, 0.3], [1.0, 2.0]);
        let mut out = [0.0; 6];
        e.eval_grid(&env(0.0), &xs, &ys, &mut out);
        for k in 0..6 {
            let want = e.eval(&env(0.0), &[xs[k % 3], ys[k / 3]]);
            assert!(same(out[k], want), "{k}: {} vs {want}", out[k]);
        }
    }

    /// Random text made of the language's pieces and some junk: the parser must answer
    /// (value or error) without panicking, and evaluation must not panic either.
    #[test]
    fn never_panics_on_arbitrary_input() {
        const PIECES: &[&str] = &[
            "x",
            "y",
            "t",
            "1",
            "2.5",
            "1e308",
            "1e999",
            ".5",
            "+",
            "-",
            "*",
            "/",
            "^",
            "%",
            "**",
            "(",
            ")",
            ",",
            "<",
            "<=",
            "==",
            "!=",
            ">",
            "sin(",
            "max(",
            "if(",
            "clamp(",
            "sinc(",
            "pi",
            " ",
            "é",
            "$",
            "=",
            "e",
            "foo",
            "0",
            "9999999999999999999999",
        ];
        let mut r = rng(42);
        let scope = Scope::default();
        for _ in 0..20_000 {
            let len = (r() * 24.0) as usize;
            let s: String = (0..len)
                .map(|_| PIECES[(r() * PIECES.len() as f64) as usize])
                .collect();
            if let Ok(e) = Expr::parse_text(&s, &scope, &["x", "y"]) {
                let v = e.eval(&env(0.1), &[0.5, -0.5]);
                let mut out = [0.0; 3];
                e.eval_batch(&env(0.1), &[&[1.0, 2.0, 3.0], &[0.0, 0.0, 1.0]], &mut out);
                assert!(same(out[0], e.eval(&env(0.1), &[1.0, 0.0])), "{s}");
                let _ = v;
            }
        }
        // Raw bytes too.
        for _ in 0..5_000 {
            let len = (r() * 40.0) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| (r() * 128.0) as u8).collect();
            let s = String::from_utf8_lossy(&bytes);
            let _ = Expr::parse_text(&s, &scope, &["x"]);
        }
    }

    /// Long random inputs made mostly of openers (`(`, `-`, `sin(`, `^`) reach and pass
    /// the nesting and length limits: an error, never a stack overflow, on a thread
    /// with no more stack than a render worker's.
    #[test]
    fn deep_random_input_is_an_error_not_an_overflow() {
        const OPENERS: &[&str] = &["(", "-", "sin(", "2^", "max(1,", "+", "x*", "if(x,"];
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                let mut r = rng(5);
                let scope = Scope::default();
                let mut too_deep = 0;
                for _ in 0..300 {
                    let len = 50 + (r() * 3000.0) as usize;
                    let mut s: String = (0..len)
                        .map(|_| OPENERS[(r() * OPENERS.len() as f64) as usize])
                        .collect();
                    s.push('x');
                    s.extend(std::iter::repeat_n(')', (r() * len as f64) as usize));
                    if let Err(e) = Expr::parse_text(&s, &scope, &["x"]) {
                        too_deep += e.message.contains("nested too deeply") as u32;
                    }
                }
                assert!(too_deep > 100, "only {too_deep} inputs hit the depth limit");
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
