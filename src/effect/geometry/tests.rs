use std::sync::Arc;

use super::*;
use crate::effect::testing::*;

const R: [u8; 4] = [255, 0, 0, 255];
const K: [u8; 4] = [0, 0, 0, 255];
const T: [u8; 4] = [0, 0, 0, 0];

fn size(c: &Arc<dyn Clip>) -> (u32, u32) {
    (c.size().w, c.size().h)
}

#[test]
fn shrinking_averages_blocks_exactly() {
    let a = [0, 0, 0, 255];
    let b = [100, 0, 0, 255];
    let c = [0, 0, 200, 255];
    let d = [0, 0, 100, 255];
    let clip = ok("{ resize = 0.5 }", still(&[&[a, b, c, d], &[b, a, d, c]]));
    assert_eq!(size(&clip), (2, 1));
    assert_eq!(
        pixels(&render(&clip, 0.0)),
        vec![[50, 0, 0, 255], [0, 0, 150, 255]]
    );
}

#[test]
fn shrinking_by_a_fraction_weighs_by_area() {
    let clip = ok(
        "{ resize = { width = 2, height = 1 } }",
        still(&[&[[0, 0, 0, 255], [90, 0, 0, 255], [180, 0, 0, 255]]]),
    );
    assert_eq!(
        pixels(&render(&clip, 0.0)),
        vec![[30, 0, 0, 255], [150, 0, 0, 255]]
    );
}

#[test]
fn width_or_height_keep_the_aspect() {
    assert_eq!(
        size(&ok("{ resize = { width = 2 } }", pattern(4, 2, None))),
        (2, 1)
    );
    assert_eq!(
        size(&ok("{ resize = { height = 4 } }", pattern(4, 2, None))),
        (8, 4)
    );
    assert_eq!(
        size(&ok(
            "{ resize = { width = 3, height = 7 } }",
            pattern(4, 2, None)
        )),
        (3, 7)
    );
    assert_eq!(
        size(&ok("{ resize = { scale = 1.5 } }", pattern(4, 2, None))),
        (6, 3)
    );
    // Rounding keeps at least one pixel.
    assert_eq!(
        size(&ok("{ resize = { width = 1 } }", pattern(40, 2, None))),
        (1, 1)
    );
}

#[test]
fn enlarging_a_solid_stays_solid_and_edges_stay_premultiplied() {
    let clip = ok(
        "{ resize = { width = 5, height = 3 } }",
        solid(2, 2, [10, 20, 30, 40], None),
    );
    assert!(pixels(&render(&clip, 0.0))
        .iter()
        .all(|p| *p == [10, 20, 30, 40]));
    let clip = ok("{ resize = 4 }", still(&[&[R, T, R], &[T, R, T]]));
    let f = render(&clip, 0.0);
    assert_eq!((f.width(), f.height()), (12, 8));
    assert!(pixels(&f)
        .iter()
        .all(|p| p[0] <= p[3] && p[1] == 0 && p[2] == 0));
    assert_eq!(
        px(&f, 0, 0),
        R,
        "the corner pixel is interpolated from itself"
    );
}

#[test]
fn resize_errors_point_at_the_argument() {
    let text = "{ resize = 0 }";
    assert_eq!(
        err(text, pattern(4, 2, None)),
        (
            "the resize scale must be greater than 0, not 0".into(),
            "0".into()
        )
    );
    let (m, at) = err("{ resize = {} }", pattern(4, 2, None));
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("resize needs `scale`, `width` or `height`", "{}")
    );
    let (m, at) = err("{ resize = { scale = 2, width = 3 } }", pattern(4, 2, None));
    assert!(m.contains("not both") && at == "2", "{m} at {at}");
    let (m, _) = err("{ resize = 10000 }", pattern(4, 2, None));
    assert!(m.contains("at most 16384"), "{m}");
    let (m, at) = err("{ resize = { widht = 3 } }", pattern(4, 2, None));
    assert_eq!((m.as_str(), at.as_str()), ("unknown key `widht`", "widht"));
    let (m, at) = err("{ resize = { width = 0 } }", pattern(4, 2, None));
    assert!(
        m.contains("width must be at least 1") && at == "0",
        "{m} at {at}"
    );
}

#[test]
fn crop_by_box_by_centre_and_from_an_edge() {
    let p = pattern(4, 3, None);
    let clip = ok("{ crop = { x1 = 1, y1 = 1, x2 = 3, y2 = 3 } }", p.clone());
    assert_eq!(size(&clip), (2, 2));
    let f = render(&clip, 0.0);
    assert_eq!(px(&f, 0, 0), [10, 10, 0, 255]);
    assert_eq!(px(&f, 1, 1), [20, 20, 0, 255]);
    let clip = ok(
        "{ crop = { width = 2, height = 1, x_center = 2, y_center = 1.5 } }",
        p.clone(),
    );
    assert_eq!(size(&clip), (2, 1));
    assert_eq!(
        pixels(&render(&clip, 0.0)),
        vec![[10, 10, 0, 255], [20, 10, 0, 255]]
    );
    let clip = ok("{ crop = { x2 = 4, width = 1, y1 = 2 } }", p.clone());
    assert_eq!(pixels(&render(&clip, 0.0)), vec![[30, 20, 0, 255]]);
    let clip = ok("{ crop = { width = 2 } }", p);
    assert_eq!(size(&clip), (2, 3));
    assert_eq!(px(&render(&clip, 0.0), 1, 2), [10, 20, 0, 255]);
}

#[test]
fn animated_crop_pans_and_grows_inside_the_largest_box() {
    // A 2-pixel window panning right by 10 px/s.
    let clip = ok(
        "{ crop = { x1 = \"10 * t\", width = 2 } }",
        pattern(4, 3, Some(0.3)),
    );
    assert_eq!(size(&clip), (2, 3));
    assert_eq!(px(&render(&clip, 0.0), 0, 0), [0, 0, 0, 255]);
    assert_eq!(px(&render(&clip, 0.2), 0, 1), [20, 10, 2, 255]);
    // A growing box is centred in the largest one, transparent around.
    let clip = ok(
        "{ crop = { width = { keys = [[0, 2], [0.2, 4]] } } }",
        pattern(4, 1, Some(0.3)),
    );
    assert_eq!(size(&clip), (4, 1));
    assert_eq!(
        pixels(&render(&clip, 0.0)),
        vec![T, [0, 0, 0, 255], [10, 0, 0, 255], T]
    );
    assert_eq!(px(&render(&clip, 0.25), 3, 0), [30, 0, 2, 255]);
    // A box partly outside the frame at some instant is clipped to it.
    let clip = ok(
        "{ crop = { x1 = \"20 * t - 1\", width = 2 } }",
        pattern(4, 1, Some(0.3)),
    );
    assert_eq!(pixels(&render(&clip, 0.0)), vec![[0, 0, 0, 255], T]);
}

#[test]
fn animated_margin_frames_inside_the_largest_framing() {
    let w = [255, 255, 255, 255];
    let clip = ok(
        "{ margin = { left = \"10 * t\", color = \"white\" } }",
        pattern(2, 1, Some(0.3)),
    );
    assert_eq!(size(&clip), (5, 1));
    assert_eq!(
        pixels(&render(&clip, 0.0)),
        vec![T, [0, 0, 0, 255], [10, 0, 0, 255], T, T]
    );
    assert_eq!(
        pixels(&render(&clip, 0.2)),
        vec![w, w, [0, 0, 2, 255], [10, 0, 2, 255], T]
    );
    let (m, at) = err("{ margin = { left = -1 } }", pattern(2, 1, None));
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("left must be at least 0, not -1", "-1")
    );
}

#[test]
fn crop_outside_the_frame_is_an_error() {
    let text = "{ crop = { x1 = 1, x2 = 5 } }";
    let (m, at) = err(text, pattern(4, 3, None));
    assert_eq!(m, "crop: x1..x2 = 1..5 is outside the frame's 0..4");
    assert_eq!(at, "{ x1 = 1, x2 = 5 }");
    let (m, _) = err("{ crop = { y1 = 2, y2 = 2 } }", pattern(4, 3, None));
    assert!(m.contains("outside"), "{m}");
    let (m, at) = err("{ crop = { x_center = 2 } }", pattern(4, 3, None));
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("crop: `x_center` needs `width`", "2")
    );
    let (m, _) = err(
        "{ crop = { x1 = 0, x2 = 2, width = 2 } }",
        pattern(4, 3, None),
    );
    assert!(m.contains("not all three"), "{m}");
    let (m, _) = err(
        "{ crop = { x1 = 0, x_center = 2, width = 2 } }",
        pattern(4, 3, None),
    );
    assert!(m.contains("goes with"), "{m}");
}

#[test]
fn margin_on_all_sides_or_each_with_a_colour() {
    let clip = ok("{ margin = 1 }", solid(1, 1, R, None));
    assert_eq!(size(&clip), (3, 3));
    assert_eq!(pixels(&render(&clip, 0.0)), vec![K, K, K, K, R, K, K, K, K]);
    let clip = ok(
        "{ margin = { left = 2, top = 1, color = \"transparent\" } }",
        solid(1, 1, R, None),
    );
    assert_eq!(pixels(&render(&clip, 0.0)), vec![T, T, T, T, T, R]);
    let clip = ok(
        "{ margin = { all = 1, right = 0, color = \"white\" } }",
        solid(1, 1, R, None),
    );
    let w = [255, 255, 255, 255];
    assert_eq!(pixels(&render(&clip, 0.0)), vec![w, w, w, R, w, w]);
    // The clip's own transparency is kept inside the margin.
    let clip = ok("{ margin = 1 }", solid(1, 1, T, None));
    assert_eq!(px(&render(&clip, 0.0), 1, 1), T);
    let (m, at) = err("{ margin = -1 }", solid(1, 1, R, None));
    assert!(m.contains("at least 0") && at == "-1", "{m} at {at}");
}

#[test]
fn rotate_by_quarter_turns_permutes_pixels() {
    let p = pattern(3, 2, None);
    let f = render(&ok("{ rotate = 90 }", p.clone()), 0.0);
    assert_eq!((f.width(), f.height()), (2, 3));
    // Counter-clockwise: the top-right corner goes to the top-left.
    assert_eq!(px(&f, 0, 0), [20, 0, 0, 255]);
    assert_eq!(px(&f, 1, 0), [20, 10, 0, 255]);
    assert_eq!(px(&f, 0, 2), [0, 0, 0, 255]);
    let f = render(&ok("{ rotate = 180 }", p.clone()), 0.0);
    assert_eq!(
        pixels(&f),
        pixels(&render(
            &ok("\"mirror_x\"", ok("\"mirror_y\"", p.clone())),
            0.0
        ))
    );
    let cw = pixels(&render(&ok("{ rotate = 270 }", p.clone()), 0.0));
    assert_eq!(cw, pixels(&render(&ok("{ rotate = -90 }", p.clone()), 0.0)));
    assert_eq!(
        cw,
        pixels(&render(
            &ok("{ rotate = 90 }", ok("{ rotate = 180 }", p.clone())),
            0.0
        ))
    );
    assert_eq!(
        cw[..2],
        [[0, 10, 0, 255], [0, 0, 0, 255]],
        "clockwise: the left column becomes the top row"
    );
    assert!(Arc::ptr_eq(&ok("{ rotate = 360 }", p.clone()), &p));
}

#[test]
fn rotate_without_expand_keeps_the_size() {
    let f = render(
        &ok(
            "{ rotate = { angle = 90, expand = false } }",
            pattern(3, 1, None),
        ),
        0.0,
    );
    // The 1x3 turned frame is centred: its middle pixel stays in the middle.
    assert_eq!(pixels(&f), vec![T, [10, 0, 0, 255], T]);
    let f = render(
        &ok(
            "{ rotate = { angle = 90, expand = false } }",
            pattern(2, 2, None),
        ),
        0.0,
    );
    assert_eq!(
        pixels(&f),
        pixels(&render(&ok("{ rotate = 90 }", pattern(2, 2, None)), 0.0))
    );
}

#[test]
fn rotate_by_any_angle_expands_with_transparent_corners() {
    let clip = ok("{ rotate = 45 }", solid(10, 10, R, None));
    assert_eq!(size(&clip), (15, 15));
    let f = render(&clip, 0.0);
    assert_eq!(px(&f, 7, 7), R);
    assert_eq!(px(&f, 0, 0), T);
    assert_eq!(px(&f, 14, 14), T);
    assert_eq!(
        size(&ok(
            "{ rotate = { angle = 30, expand = false } }",
            solid(10, 4, R, None)
        )),
        (10, 4)
    );
}

#[test]
fn smooth_rotation_turns_the_same_way_as_quarter_turns() {
    let f = render(&pattern(6, 4, None), 0.0);
    let exact = quarter_turn(&f, 1);
    let smooth = rotate_smooth(&f, 90.0, Size::new(4, 6));
    for y in 1..5 {
        for x in 1..3 {
            let (a, b) = (px(&exact, x, y), px(&smooth, x, y));
            assert!(
                a.iter().zip(b).all(|(a, b)| a.abs_diff(b) <= 2),
                "({x},{y}): {a:?} vs {b:?}"
            );
        }
    }
}

#[test]
fn mirrors_swap_sides() {
    let p = pattern(3, 2, None);
    let f = render(&ok("\"mirror_x\"", p.clone()), 0.0);
    assert_eq!(px(&f, 0, 0), [20, 0, 0, 255]);
    assert_eq!(px(&f, 2, 1), [0, 10, 0, 255]);
    let f = render(&ok("\"mirror_y\"", pattern(2, 3, None)), 0.0);
    assert_eq!(pixels(&f)[..2], [[0, 20, 0, 255], [10, 20, 0, 255]]);
    assert_eq!(px(&f, 1, 1), [10, 10, 0, 255]);
    assert_eq!(px(&f, 0, 2), [0, 0, 0, 255]);
}
