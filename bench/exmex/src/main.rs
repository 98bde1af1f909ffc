//! The 200×200 grid of `sinc(x^2+y^2) + sin(x + 2*pi*t/duration)` evaluated with exmex,
//! point by point (exmex has no column evaluation), for comparison with animate's own
//! evaluator in `benches/expr.rs`. Prints the median and best time per frame.

use std::time::Instant;

use exmex::prelude::*;

fn main() {
    let (t, duration) = (0.5f64, 2.0f64);
    // exmex has no sinc: numpy's normalised sinc written out. The axes avoid 0, where
    // the written-out form is 0/0.
    let text = "sin(PI*(x^2+y^2))/(PI*(x^2+y^2)) + sin(x + 2*PI*t/d)";
    let expr = exmex::parse::<f64>(text).expect("a valid expression");
    assert_eq!(
        expr.var_names(),
        ["d", "t", "x", "y"],
        "variables in sorted order"
    );
    let axis: Vec<f64> = (0..200)
        .map(|i| -2.0 + 4.0 * i as f64 / 199.0 + 1e-9)
        .collect();
    let mut out = vec![0.0; axis.len() * axis.len()];
    let mut times = Vec::new();
    for _ in 0..51 {
        let start = Instant::now();
        for (j, &y) in axis.iter().enumerate() {
            for (i, &x) in axis.iter().enumerate() {
                out[j * axis.len() + i] = expr.eval(&[duration, t, x, y]).expect("evaluates");
            }
        }
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "exmex 0.20.5, point by point                      {:.3} ms/frame (best {:.3}; checksum {:.4})",
        times[times.len() / 2],
        times[0],
        out.iter().sum::<f64>()
    );
}
