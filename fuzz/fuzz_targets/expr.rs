//! Expression text → compiled expression, evaluated at a few points, in a batch and on
//! a grid. The three ways of evaluating must agree value for value.
#![no_main]

use animate::expr::{Env, Expr, Scope};
use libfuzzer_sys::fuzz_target;

const XS: [f64; 5] = [-2.0, 0.0, 0.5, 1e300, f64::NAN];
const YS: [f64; 3] = [-0.0, 3.0, f64::INFINITY];

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scope = Scope::with_vars([("k", 2.0), ("speed", -0.5)]);
    let Ok(expr) = Expr::parse_text(text, &scope, &["x", "y"]) else {
        return;
    };
    for env in [Env::new(0.0, None, 20.0), Env::new(1.25, Some(2.0), 30.0)] {
        let mut grid = [0.0; XS.len() * YS.len()];
        expr.eval_grid(&env, &XS, &YS, &mut grid);
        let (mut bx, mut by) = (Vec::new(), Vec::new());
        for y in YS {
            for x in XS {
                bx.push(x);
                by.push(y);
            }
        }
        let mut batch = [0.0; XS.len() * YS.len()];
        expr.eval_batch(&env, &[&bx, &by], &mut batch);
        for (k, (&x, &y)) in bx.iter().zip(&by).enumerate() {
            let one = expr.eval(&env, &[x, y]);
            assert!(
                same(one, grid[k]) && same(one, batch[k]),
                "{text:?} at x={x}, y={y}: eval {one}, grid {}, batch {}",
                grid[k],
                batch[k]
            );
        }
    }
});
