//! Expression evaluation speed: `cargo bench --bench expr`.
//!
//! The target: a 200×200 grid of `sinc(x^2+y^2) + sin(x + 2*pi*t/duration)`
//! in under 3 ms per frame on one core. Prints the median and best time per frame of
//! each way of evaluating it, a native Rust closure for reference, and the cost of
//! evaluating scalar parameters.

use std::hint::black_box;
use std::time::Instant;

use animate::expr::{Env, Expr, Param, RawParam, Scope};
use toml::Spanned;

const FORMULA: &str = "sinc(x^2+y^2) + sin(x + 2*pi*t/duration)";
const N: usize = 200;
const FRAMES: usize = 100;

/// Runs `f` once per frame (t = frame / 20 s) and returns (median, best) in ms.
fn time_frames(mut f: impl FnMut(&Env)) -> (f64, f64) {
    let mut times: Vec<f64> = (0..FRAMES)
        .map(|i| {
            let env = Env {
                t: i as f64 / 20.0,
                duration: 2.0,
                fps: 20.0,
            };
            let start = Instant::now();
            f(black_box(&env));
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[FRAMES / 2], times[0])
}

fn report(what: &str, (median, best): (f64, f64)) {
    println!("{what:<46} {median:>8.3} ms/frame (best {best:.3})");
}

fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        let y = std::f64::consts::PI * x;
        y.sin() / y
    }
}

fn main() {
    let scope = Scope::default();
    let e = Expr::parse_text(FORMULA, &scope, &["x", "y"]).expect("compiles");
    let axis: Vec<f64> = (0..N)
        .map(|i| -2.0 + 4.0 * i as f64 / (N - 1) as f64)
        .collect();
    let (xs, ys): (Vec<f64>, Vec<f64>) = (0..N * N).map(|k| (axis[k % N], axis[k / N])).unzip();
    let mut out = vec![0.0; N * N];

    println!("{N}×{N} grid of `{FORMULA}`, {FRAMES} frames, one thread");
    report(
        "eval_grid (axes, separable hoisting, sinc kept)",
        time_frames(|env| e.eval_grid(env, &axis, &axis, &mut out)),
    );
    let grid_sum: f64 = out.iter().sum();
    report(
        "eval_batch (flattened x, y slices)",
        time_frames(|env| e.eval_batch(env, &[&xs, &ys], &mut out)),
    );
    let batch_sum: f64 = out.iter().sum();
    report(
        "eval per point (scalar interpreter)",
        time_frames(|env| {
            for (o, (x, y)) in out.iter_mut().zip(xs.iter().zip(&ys)) {
                *o = e.eval(env, &[*x, *y]);
            }
        }),
    );
    report(
        "native Rust closure (reference)",
        time_frames(|env| {
            let phase = 2.0 * std::f64::consts::PI * env.t / env.duration;
            for (o, (x, y)) in out.iter_mut().zip(xs.iter().zip(&ys)) {
                *o = sinc(x * x + y * y) + (x + phase).sin();
            }
        }),
    );
    assert!((grid_sum - batch_sum).abs() < 1e-6, "grid and batch agree");

    println!();
    let params = [
        ("number", "0.5"),
        ("expression", "\"0.5 + 0.5 * sin(2 * pi * t / duration)\""),
        (
            "keyframes",
            "{ keys = [[0, 0], [0.5, 1], [1, 0.2], [2, 1]], ease = \"in-out-cubic\" }",
        ),
    ];
    for (name, text) in params {
        let value = toml::de::DeValue::parse(text).expect("valid TOML");
        let raw: Spanned<RawParam> = animate::base::de::typed(value).expect("a parameter");
        let p = Param::compile(&raw, &scope).expect("compiles");
        let calls = 1_000_000;
        let start = Instant::now();
        let mut acc = 0.0;
        for i in 0..calls {
            acc += p.eval(black_box(&Env {
                t: (i % 40) as f64 / 20.0,
                duration: 2.0,
                fps: 20.0,
            }));
        }
        black_box(acc);
        let ns = start.elapsed().as_secs_f64() * 1e9 / calls as f64;
        println!("Param::eval, {name:<36} {ns:>8.1} ns/call");
    }
}
