//! Step semantics against grids computed by hand.

use std::collections::BTreeMap;

use toml::Spanned;

use super::*;
use crate::expr::{Scalar, Scope};

fn program(
    init: &[(&str, &str)],
    step: &[&str],
    show: &str,
    w: usize,
    h: usize,
    b: Boundary,
    spf: u32,
) -> Result<Runner, String> {
    let init: BTreeMap<Spanned<String>, Spanned<Scalar>> = init
        .iter()
        .map(|(k, v)| {
            (
                Spanned::new(0..0, k.to_string()),
                Spanned::new(0..0, Scalar::Expr(v.to_string())),
            )
        })
        .collect();
    let init = Spanned::new(0..0, init);
    let step = Spanned::new(
        0..0,
        step.iter()
            .map(|s| Spanned::new(0..0, s.to_string()))
            .collect(),
    );
    // Several `show` lines (red, green, blue) are written separated by `;`.
    let show: Vec<_> = show
        .split(';')
        .map(|s| Spanned::new(0..0, s.to_string()))
        .collect();
    let lines = compile_lines(
        &Written {
            init: &init,
            step: &step,
            show: &show,
        },
        &Scope::with_vars([("k", 0.5)]),
    )
    .map_err(|d| d.message)?;
    Ok(Runner::new(Program {
        lines,
        shape: Shape { w, h },
        steps_per_frame: spf,
        boundary: b,
        seed: 1,
        fps: 10.0,
        duration: Some(1.0),
    }))
}

fn frame(r: &Runner, k: u64) -> Vec<f64> {
    let mut out = Vec::new();
    r.frame(k, &mut out).unwrap();
    out
}

#[test]
fn each_line_reads_the_grids_left_by_the_line_before() {
    // u starts at x; each step: u = u + 1, then v = u * 2 reads the new u.
    let r = program(
        &[("u", "x"), ("v", "0")],
        &["u = u + 1", "v = u * 2"],
        "v",
        3,
        1,
        Boundary::Clamp,
        2,
    )
    .unwrap();
    assert_eq!(frame(&r, 0), [0.0, 0.0, 0.0]);
    // Two steps per frame: u = x + 2, v = 2u.
    assert_eq!(frame(&r, 1), [4.0, 6.0, 8.0]);
    assert_eq!(frame(&r, 3), [12.0, 14.0, 16.0]);
    // Asked again, backwards: the same values.
    assert_eq!(frame(&r, 1), [4.0, 6.0, 8.0]);
}

#[test]
fn three_show_lines_keep_three_planes_in_order() {
    let r = program(
        &[("u", "x")],
        &["u = u + 1"],
        "u; u * 10; 0 - u",
        2,
        1,
        Boundary::Clamp,
        1,
    )
    .unwrap();
    assert_eq!(r.program().planes(), 3);
    assert_eq!(r.program().frame_bytes(), 3 * 2 * 8);
    assert_eq!(frame(&r, 0), [0.0, 1.0, 0.0, 10.0, 0.0, -1.0]);
    assert_eq!(frame(&r, 2), [2.0, 3.0, 20.0, 30.0, -2.0, -3.0]);
    // Read again from what was kept.
    assert_eq!(frame(&r, 0), [0.0, 1.0, 0.0, 10.0, 0.0, -1.0]);
}

#[test]
fn diffusion_by_hand_on_each_boundary() {
    // 1-row grid [0, 4, 0]; one step of u = u + k * lap(u), k = 0.5.
    let step = ["u = u + k * lap(u)"];
    let init = [("u", "if(x == 1, 4, 0)")];
    let want = [
        // clamp: lap = [4 - 0, 0 + 0 + 4 + 4 - 16 ... ]: up/down are the cell itself.
        (Boundary::Clamp, [2.0, 0.0, 2.0]),
        // zero: lap(0) = 4, lap(1) = -16, lap(2) = 4.
        (Boundary::Zero, [2.0, -4.0, 2.0]),
        // wrap on a 1-row grid: up and down are the cell itself, left/right wrap.
        (Boundary::Wrap, [2.0, 0.0, 2.0]),
    ];
    for (b, v) in want {
        let r = program(&init, &step, "u", 3, 1, b, 1).unwrap();
        assert_eq!(frame(&r, 1), v, "{b:?}");
    }
}

#[test]
fn temporaries_init_order_and_shift() {
    // init reads another init grid whatever the order written.
    let r = program(
        &[("a", "b + 1"), ("b", "x * 10")],
        &["d = shift(a, 1, 0) - a", "a = d"],
        "a",
        3,
        1,
        Boundary::Wrap,
        1,
    )
    .unwrap();
    assert_eq!(frame(&r, 0), [1.0, 11.0, 21.0]);
    assert_eq!(frame(&r, 1), [10.0, 10.0, -20.0]);
}

#[test]
fn rand_is_the_same_whatever_the_order_of_frames() {
    let make = || {
        program(
            &[("u", "0")],
            &["u = u + rand()"],
            "u",
            8,
            8,
            Boundary::Clamp,
            3,
        )
        .unwrap()
    };
    let (a, b) = (make(), make());
    let late = frame(&a, 5);
    for k in 0..=5 {
        frame(&b, k);
    }
    assert_eq!(frame(&b, 5), late);
    assert!(late.iter().all(|v| (0.0..15.0).contains(v)));
    // Cells differ.
    assert!(late.iter().any(|v| *v != late[0]));
}

#[test]
fn errors_name_the_problem() {
    let e = |init: &[(&str, &str)], step: &[&str], show: &str| {
        program(init, step, show, 2, 2, Boundary::Clamp, 1)
            .err()
            .unwrap()
    };
    assert!(e(&[("u", "0")], &["u + 1"], "u").contains("`name = expression`"));
    assert!(e(&[("u", "0")], &["u = lap(u + 1)"], "u").contains("grid's name"));
    assert!(
        e(&[("u", "0")], &["u = u + tmp", "tmp = 1"], "u").contains("read before a line gives it")
    );
    assert!(e(&[("u", "0")], &["tmp = 1"], "tmp").contains("temporary of the step"));
    assert!(e(&[("u", "v"), ("v", "u")], &[], "u").contains("in a circle"));
    assert!(e(&[("x", "0")], &[], "x").contains("column and row"));
    assert!(e(&[("u", "0")], &["u = w"], "u").contains("unknown name `w`"));
    assert!(e(&[("u", "0")], &["1u = 2"], "u").contains("not a name"));
    // `==` and `<=` are not the line's `=`.
    assert!(e(&[("u", "0")], &["u == 1"], "u").contains("no `=`"));
}

#[test]
fn nan_stays_a_value() {
    let r = program(&[("u", "0")], &["u = u / 0"], "u", 2, 1, Boundary::Clamp, 1).unwrap();
    assert!(frame(&r, 1).iter().all(|v| v.is_nan()));
}
