//! What a newcomer met writing scenes from the docs alone (part 2): crowded tick
//! labels on small charts, `--duration` past the end of the scene, and the hints for
//! CSV files and positions written another tool's way.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// The tick marks under the x axis of `img`: runs of dark pixels in the row a few
/// pixels below the axes' bottom edge (the lowest row that is dark across most of it).
fn x_ticks(img: &image::RgbaImage) -> usize {
    let dark = |x: u32, y: u32| img.get_pixel(x, y)[0] < 60;
    let (w, h) = img.dimensions();
    let bottom = (0..h)
        .rev()
        .find(|&y| (0..w).filter(|&x| dark(x, y)).count() > w as usize / 2)
        .expect("the axes' bottom edge");
    let row = bottom + 3;
    (0..w)
        .filter(|&x| dark(x, row) && (x == 0 || !dark(x - 1, row)))
        .count()
}

#[test]
fn a_small_bars_clip_has_tick_labels_that_do_not_run_together() {
    let sb = Sandbox::new();
    let scene = |w: u32| {
        format!(
            "[clip.main]\nkind = \"bars\"\nsize = [{w}, 200]\norientation = \"horizontal\"\n\
             bars = [{{ label = \"LA\", value = 25000 }}, {{ label = \"NY\", value = 12000 }}]\n"
        )
    };
    // 330 pixels wide: 0, 10000, 20000 (matplotlib's guess of room put a tick every 5000,
    // five-digit labels 3 pixels apart)
    let small = sb.frame(&scene(330), 0.0);
    assert_eq!(x_ticks(&small), 3);
    // wide enough, matplotlib's six ticks stay
    let wide = sb.frame(&scene(560), 0.0);
    assert_eq!(x_ticks(&wide), 6);
}
