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

/// A 2-second plot beside a clock text that never ends: the composite lasts 2 s.
const PLOT_AND_CLOCK: &str = r#"
[output]
fps = 5
[clip.plot]
kind = "plot"
size = [160, 100]
duration = 2
x = [0, 6]
ylim = [-1, 1]
series = [{ y = "sin(x + 3*t)" }]
[clip.clock]
kind = "text"
text = "{t:.1f} s"
font_size = 14
color = "black"
[clip.main]
kind = "composite"
layers = [{ clip = "plot" }, { clip = "clock", position = ["right", "top"] }]
"#;

#[test]
fn a_duration_past_the_scene_says_what_stands_still() {
    let sb = Sandbox::new();
    sb.write("scene.toml", PLOT_AND_CLOCK);
    let r = sb.run(&["render", "scene.toml", "--duration", "4", "-o", "long/", "-q"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: the render lasts 4 s but the root clip `main` ends at 2 s: its last frame \
         is held still from there to the end (clips that end by then: `plot` at 2 s)"
    );
    assert_eq!(r.stderr.matches("warning:").count(), 1, "{}", r.stderr);
    assert_eq!(std::fs::read_dir(sb.path("long")).unwrap().count(), 20);
    // the frames after the end all show the root at its end
    let frame = |i: u32| crate::util::read_png(&sb.path(&format!("long/{i:04}.png")));
    assert!(frame(10) == frame(19) && frame(9) != frame(10));
    // [output] duration longer than the root says the same; a render within it nothing
    sb.write(
        "scene.toml",
        PLOT_AND_CLOCK.replace("fps = 5", "fps = 5\nduration = 3"),
    );
    let r = sb.run(&["render", "scene.toml", "-o", "out/", "-q"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "the render lasts 3 s but the root clip `main` ends at 2 s");
    for d in ["2", "1"] {
        let r = sb.run(&["render", "scene.toml", "--duration", d, "-o", "short/", "-q"]);
        assert_exit!(r, 0);
        assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    }
}
