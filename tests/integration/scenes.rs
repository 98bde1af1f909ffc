//! The example scenes in scenes/: their inputs render with the Makefile's own rules,
//! and every scene then resolves without error.

use std::path::{Path, PathBuf};

use crate::assert_exit;
use crate::util::Sandbox;

fn scene_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_example_scene_checks_after_make_renders_its_inputs() {
    let s = Sandbox::with_example_scenes();
    let scenes = scene_files(&s.path("scenes"));
    assert!(scenes.len() >= 3, "{scenes:?}");
    // Scenes with `kind = "program"` clips are checked too: `check` lists their programs
    // without running them, so svm.toml passes without scikit-learn. outbreak.toml and
    // mandelbrot.toml render in programs.rs; svm.toml needs `make svm-demo`'s packages
    // and renders nowhere in the tests.
    for scene in scenes {
        let r = s.run(&["check", scene.to_str().unwrap()]);
        assert_exit!(r, 0);
    }
}

#[test]
fn readme_example_renders_and_its_error_is_as_shown() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("# wave.toml\n").expect("README example");
    let end = start + readme[start..].find("```").unwrap();
    let scene = &readme[start..end];
    let s = Sandbox::new();
    s.write("wave.toml", scene);
    assert_exit!(s.run(&["render", "wave.toml", "-o", "wave.gif"]), 0);
    // The error shown in the README, from the same scene with a typo.
    s.write(
        "wave.toml",
        scene.replace("clip = \"clock\"", "clip = \"clok\""),
    );
    let r = s.run(&["check", "wave.toml"]);
    assert_exit!(r, 2);
    let shown = readme
        .lines()
        .skip_while(|l| !l.starts_with("error: unknown clip `clok`"))
        .take(6)
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(r.stderr.trim_end(), shown.trim_end());
}

#[test]
fn the_image_sequence_scene_plays_its_pictures_at_their_rate_under_a_caption() {
    // scenes/image_sequence.toml: 36 numbered PNGs (rendered by the Makefile's rule) at
    // the sequence's own 12 fps, doubled, with a caption in the lower right corner.
    let s = Sandbox::with_example_scenes();
    let r = s.run(&[
        "render",
        s.path("scenes/image_sequence.toml").to_str().unwrap(),
        "-o",
        s.path("frames/").to_str().unwrap(),
    ]);
    assert_exit!(r, 0);
    crate::assert_stderr!(
        r,
        "36 frames, 400x300, 3.00 s of animation at 12 fps (the content's rate)"
    );
    let frames = std::fs::read_dir(s.path("frames")).unwrap().count();
    assert_eq!(frames, 36, "one frame per picture");
    // The ripples are symmetric top to bottom: only the caption's dark box makes the
    // lower right corner differ from the upper right one.
    let first = image::open(s.path("frames/0000.png")).unwrap().to_rgba8();
    let (top, bottom) = (first.get_pixel(398, 2)[0], first.get_pixel(398, 297)[0]);
    assert!(
        u16::from(bottom) + 100 < u16::from(top),
        "top {top}, bottom {bottom}"
    );
    let left_bottom = first.get_pixel(2, 297)[0];
    assert!(left_bottom.abs_diff(top) < 8, "{left_bottom} against {top}");
}

#[test]
fn the_spiral_scene_draws_its_curve_a_little_more_at_each_time() {
    // scenes/spiral_draw.toml: the x formula is NaN past u = 6π·t/4, so the line grows
    // from nothing at t = 0 to three turns at the end. Count the pixels it inks.
    let scene = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/spiral_draw.toml"),
    )
    .unwrap();
    let s = Sandbox::new();
    let inked = |t: f64| {
        let img = s.frame(&scene, t);
        assert_eq!(img.dimensions(), (400, 400));
        img.pixels()
            .filter(|p| p[0].min(p[1]).min(p[2]) < 200)
            .count()
    };
    let (start, third, two_thirds, end) =
        (inked(0.0), inked(4.0 / 3.0), inked(8.0 / 3.0), inked(3.96));
    assert!(start < 20, "nothing drawn yet at t = 0: {start} pixels");
    assert!(third > 300, "one turn drawn at t = 4/3: {third} pixels");
    // Each turn adds about as much line as the first; allow for the camera's turning.
    assert!(two_thirds > third * 3 / 2, "{third} then {two_thirds}");
    assert!(end > two_thirds * 5 / 4, "{two_thirds} then {end}");
}

#[test]
fn the_histogram_scene_shows_one_step_at_a_time_and_its_bars_move_with_the_mean() {
    // scenes/histogram.toml: 11 steps of 40 rows (each bin's two edges), two steps a
    // second, the current step's outline filled under in C0 at opacity 0.6. The samples'
    // mean walks from 0 to 2, so the filled bars' centre moves right by 2 data units.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scene = std::fs::read_to_string(repo.join("scenes/histogram.toml")).unwrap();
    let s = Sandbox::new();
    s.write(
        "data/histogram.csv",
        std::fs::read(repo.join("scenes/data/histogram.csv")).unwrap(),
    );
    // The fill: #1f77b4 at 0.6 over white is (121, 173, 210). Its pixels' mean x.
    let bars = |t: f64| -> (usize, f64) {
        let img = s.frame(&scene, t);
        assert_eq!(img.dimensions(), (560, 320));
        let xs: Vec<u32> = img
            .enumerate_pixels()
            .filter(|(_, _, p)| {
                p[0].abs_diff(121) <= 4 && p[1].abs_diff(173) <= 4 && p[2].abs_diff(210) <= 4
            })
            .map(|(x, _, _)| x)
            .collect();
        let n = xs.len();
        assert!(n > 2000, "the bars are filled at t = {t}: {n} pixels");
        (n, xs.iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64)
    };
    let (first, early) = (bars(0.0), bars(0.45));
    assert_eq!(first, early, "one step holds for half a second");
    let next = bars(0.5);
    assert_ne!(first, next, "the next step's counts are other counts");
    let last = bars(5.45);
    // The axes span -4.5 .. 6.5 (the data's -4 .. 6 and 5 % each side) over 77.5 % of
    // 560 pixels: 39.5 pixels a unit, so a mean 2 units on is about 79 pixels right.
    let moved = last.1 - first.1;
    assert!(
        (60.0..100.0).contains(&moved),
        "the bars moved {moved:.1} pixels"
    );
}

#[test]
fn the_bubble_scene_shows_one_year_at_a_time_and_its_regions_move_right() {
    // scenes/bubbles.toml: a long table of 12 countries a year over 31 years, one year's
    // rows shown at a time, coloured by region (C0…C3 at opacity 0.8), the year large
    // behind the chart at layer opacity 0.1, which must not be warned of.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scene = std::fs::read_to_string(repo.join("scenes/bubbles.toml")).unwrap();
    let table = std::fs::read_to_string(repo.join("scenes/data/bubbles.csv")).unwrap();
    // The scene's `n` and `years` must match the table, or years would mix.
    assert_eq!(
        table.lines().count(),
        1 + 12 * 31,
        "a header and 12 rows a year"
    );
    assert!(scene.contains("n = 12") && scene.contains("years = 31"));
    let s = Sandbox::new();
    s.write("data/bubbles.csv", &table);
    s.write("scene.toml", &scene);
    let frame = |t: f64| -> image::RgbaImage {
        let r = s.run(&["frame", "scene.toml", "-t", &t.to_string(), "-o", "f.png"]);
        assert_exit!(r, 0);
        assert!(!r.stderr.contains("cannot be seen"), "{}", r.stderr);
        crate::util::read_png(&s.path("f.png"))
    };
    let (first, last) = (frame(0.0), frame(10.3));
    // Each region's colour at opacity 0.8 over white: its pixels and their mean x.
    let region = |img: &image::RgbaImage, c: [f64; 3]| -> (usize, f64) {
        let want = c.map(|v| 51.0 + 0.8 * v);
        let xs: Vec<f64> = img
            .enumerate_pixels()
            .filter(|(_, _, p)| (0..3).all(|k| (f64::from(p[k]) - want[k]).abs() <= 4.0))
            .map(|(x, _, _)| f64::from(x))
            .collect();
        let n = xs.len();
        (n, xs.iter().sum::<f64>() / n.max(1) as f64)
    };
    let cycle = [
        [31.0, 119.0, 180.0],
        [255.0, 127.0, 14.0],
        [44.0, 160.0, 44.0],
        [214.0, 39.0, 40.0],
    ];
    for c in cycle {
        let (a, b) = (region(&first, c), region(&last, c));
        assert!(a.0 > 100 && b.0 > 100, "region {c:?} shows: {a:?} {b:?}");
        // Incomes grow: every region's bubbles sit further right in 2020 than in 1990.
        assert!(
            b.1 > a.1 + 20.0,
            "region {c:?} moved from x {:.1} to {:.1}",
            a.1,
            b.1
        );
    }
    // The year: black at 0.1 over white is 230; "1990" and "2020" cover other pixels.
    let year = |img: &image::RgbaImage| -> Vec<bool> {
        img.pixels()
            .map(|p| (0..3).all(|k| p[k].abs_diff(230) <= 3))
            .collect()
    };
    let (y0, y1) = (year(&first), year(&last));
    let count = |v: &[bool]| v.iter().filter(|&&b| b).count();
    assert!(
        count(&y0) > 5000 && count(&y1) > 5000,
        "{} {}",
        count(&y0),
        count(&y1)
    );
    let differ = y0.iter().zip(&y1).filter(|(a, b)| a != b).count();
    assert!(differ > 2000, "the year changes: {differ} pixels");
}

#[test]
fn the_pendulum_scene_marks_the_same_row_in_both_panels() {
    // scenes/pendulum.toml: 25 rows a second of a 20 s simulation, shown at 2 s a second.
    // At t the marker of both panels is row 50·t: on the angle plot at (time, theta),
    // on the phase portrait at (theta, omega). Where a data point lands follows from
    // each plot's given limits and matplotlib's default axes place (12.5 % from the
    // left, 77.5 % wide; 12 % from the top, 77 % high), within a few pixels where the
    // labels move the axes in.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scene = std::fs::read_to_string(repo.join("scenes/pendulum.toml")).unwrap();
    let table = std::fs::read_to_string(repo.join("scenes/data/pendulum.csv")).unwrap();
    let rows: Vec<Vec<f64>> = table
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|c| c.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 501, "20 s at 25 rows a second");
    let s = Sandbox::new();
    s.write("data/pendulum.csv", &table);
    // The centre of the C3 (#d62728) marker pixels between columns lo and hi.
    let marker = |img: &image::RgbaImage, lo: u32, hi: u32| -> (f64, f64) {
        let pts: Vec<(f64, f64)> = img
            .enumerate_pixels()
            .filter(|(x, _, p)| {
                (lo..hi).contains(x)
                    && p[0].abs_diff(214) <= 3
                    && p[1].abs_diff(39) <= 3
                    && p[2].abs_diff(40) <= 3
            })
            .map(|(x, y, _)| (f64::from(x), f64::from(y)))
            .collect();
        assert!(pts.len() > 40, "a marker in columns {lo}..{hi}");
        let n = pts.len() as f64;
        (
            pts.iter().map(|p| p.0).sum::<f64>() / n,
            pts.iter().map(|p| p.1).sum::<f64>() / n,
        )
    };
    let near = |got: (f64, f64), want: (f64, f64), what: &str| {
        assert!(
            (got.0 - want.0).abs() <= 6.0 && (got.1 - want.1).abs() <= 6.0,
            "{what}: marker at {got:?}, row at {want:?}"
        );
    };
    for t in [2.5, 5.0] {
        let img = s.frame(&scene, t);
        assert_eq!(img.dimensions(), (840, 360));
        let row = &rows[(50.0 * t) as usize];
        let (time, theta, omega) = (row[0], row[1], row[2]);
        // The angle plot: 480×360, xlim 0..20, ylim -3..3.
        let left = (
            480.0 * (0.125 + 0.775 * time / 20.0),
            360.0 * (0.12 + 0.77 * (3.0 - theta) / 6.0),
        );
        near(
            marker(&img, 0, 480),
            left,
            &format!("angle plot at t = {t}"),
        );
        // The phase portrait: 360×360 to its right, xlim -3..3, ylim -7..7.
        let right = (
            480.0 + 360.0 * (0.125 + 0.775 * (theta + 3.0) / 6.0),
            360.0 * (0.12 + 0.77 * (7.0 - omega) / 14.0),
        );
        near(
            marker(&img, 480, 840),
            right,
            &format!("phase portrait at t = {t}"),
        );
    }
}

#[test]
fn the_heat_mean_scene_plots_a_mean_that_falls_as_the_plate_cools() {
    // scenes/heat_mean.toml: the plate loses heat at its edges, so the plotted mean
    // (the measured grey copy) falls; its line (C0, #1f77b4) in the right panel ends
    // lower than it starts. At 0.5 s the line is still nearly level.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scene = std::fs::read_to_string(repo.join("scenes/heat_mean.toml")).unwrap();
    let s = Sandbox::new();
    // The first column of the line's pixels, and the line's mean y in a column.
    let blue = |p: &image::Rgba<u8>| {
        p[0].abs_diff(31) <= 4 && p[1].abs_diff(119) <= 4 && p[2].abs_diff(180) <= 4
    };
    let first = |img: &image::RgbaImage| {
        img.enumerate_pixels()
            .filter(|(x, _, p)| *x >= 320 && blue(p))
            .map(|(x, _, _)| x)
            .min()
            .expect("the mean's line in the right panel")
    };
    let y_at = |img: &image::RgbaImage, col: u32| {
        let ys: Vec<f64> = (0..img.height())
            .filter(|&y| blue(img.get_pixel(col, y)))
            .map(f64::from)
            .collect();
        assert!(!ys.is_empty(), "the line passes column {col}");
        ys.iter().sum::<f64>() / ys.len() as f64
    };
    // xlim 0..7 over the axes' 248 pixels: 150 pixels on is about 4.2 s, left of the
    // head's label at 5.9 s
    let late = s.frame(&scene, 5.9);
    assert_eq!(late.dimensions(), (640, 240));
    let x0 = first(&late);
    let (start, later) = (y_at(&late, x0 + 2), y_at(&late, x0 + 150));
    assert!(
        later > start + 60.0,
        "the mean falls: from y {start} to {later}"
    );
    let early = s.frame(&scene, 0.5);
    let x0 = first(&early);
    let (a, b) = (y_at(&early, x0 + 2), y_at(&early, x0 + 14));
    assert!((b - a).abs() < 6.0, "nearly level at first: {a} to {b}");
}

#[cfg(feature = "video")]
#[test]
fn the_soundtrack_scene_lasts_as_its_picture_and_ducks_under_the_middle_clip() {
    let s = Sandbox::with_example_scenes();
    let r = s.run(&["render", "scenes/soundtrack.toml", "-o", "out.mp4", "-q"]);
    assert_exit!(r, 0);
    let heard = crate::sound_util::hear(&s.path("out.mp4")).expect("the MP4 has sound");
    let video = heard.video.expect("a video stream");
    assert!((video - 8.0).abs() < 1e-3, "picture {video} s");
    // AAC ends on a whole encoder frame: 1024 samples, 21 ms
    assert!(
        (heard.duration() - video).abs() <= 1024.0 / 48000.0,
        "sound {} s, picture {video} s",
        heard.duration()
    );
    // quieter under the middle clip (2.5 to 5.5 s) than under the first and the last,
    // away from the fades (0..1 s, 6.5..8 s)
    let (first, middle, last) = (
        heard.rms(1.5, 2.3),
        heard.rms(3.0, 5.0),
        heard.rms(5.7, 6.3),
    );
    assert!(
        middle < 0.5 * first && middle < 0.5 * last,
        "{first} {middle} {last}"
    );
}

#[cfg(feature = "video")]
#[test]
fn the_sound_scope_scene_draws_what_is_heard() {
    // scenes/sound_scope.toml: a waveform, a level and a spectrum of the arpeggio it
    // plays (a note every half second: 440, 554, 659, 880 Hz).
    let s = Sandbox::with_example_scenes();
    let at = |t: f64| {
        let r = s.run(&[
            "frame",
            "scenes/sound_scope.toml",
            "-t",
            &t.to_string(),
            "-o",
            "f.png",
        ]);
        assert_exit!(r, 0);
        crate::util::read_png(&s.path("f.png"))
    };
    // The spectrum's line (C1, orange) in the bottom plot (rows 360 to 580): the column
    // of its highest pixel is the loudest frequency's.
    let peak = |img: &image::RgbaImage| {
        (360..580)
            .find_map(|y| {
                (0..640).find(|&x| {
                    let p = img.get_pixel(x, y).0;
                    p[0] > 220 && (100..150).contains(&p[1]) && p[2] < 60
                })
            })
            .expect("the spectrum is drawn")
    };
    let (a, e) = (at(0.25), at(1.25));
    assert_eq!(a.dimensions(), (640, 580));
    // From 440 to 659 Hz: 0.176 of a decade, about 44 pixels on axes of two decades.
    let (pa, pe) = (peak(&a), peak(&e));
    assert!(
        (30..60).contains(&(pe as i64 - pa as i64)),
        "the spectrum's peak moves from column {pa} to {pe}"
    );
    let r = s.run(&["render", "scenes/sound_scope.toml", "-o", "out.mp4", "-q"]);
    assert_exit!(r, 0);
    let heard = crate::sound_util::hear(&s.path("out.mp4")).expect("the MP4 has sound");
    assert!((heard.video.unwrap() - 4.0).abs() < 1e-3);
}

#[test]
fn the_polar_scene_turns_its_rose_and_fills_its_radar_chart() {
    // scenes/polar.toml: a rose on polar axes (left) turning a third of a turn over
    // 4 s, beside a radar chart of two filled closed series (right).
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scene = std::fs::read_to_string(repo.join("scenes/polar.toml")).unwrap();
    let s = Sandbox::new();
    let (a, b) = (s.frame(&scene, 0.0), s.frame(&scene, 1.0));
    assert_eq!(a.dimensions(), (720, 360));
    let count = |img: &image::RgbaImage, xs: std::ops::Range<u32>, want: [u8; 3]| {
        xs.flat_map(|x| (0..360).map(move |y| (x, y)))
            .filter(|&(x, y)| {
                let p = img.get_pixel(x, y).0;
                (0..3).all(|c| p[c].abs_diff(want[c]) <= 6)
            })
            .count()
    };
    // The rose's line (C0) keeps its length as it turns, but not its place.
    let c0 = [0x1f, 0x77, 0xb4];
    let (ra, rb) = (count(&a, 0..360, c0), count(&b, 0..360, c0));
    assert!(ra > 800 && rb > 800, "{ra} {rb}");
    assert!(ra.abs_diff(rb) < ra / 5, "{ra} then {rb}");
    let left = |img: &image::RgbaImage| -> Vec<u8> {
        (0..360)
            .flat_map(|y| (0..360).map(move |x| (x, y)))
            .flat_map(|(x, y)| img.get_pixel(x, y).0)
            .collect()
    };
    assert_ne!(left(&a), left(&b), "the rose turns");
    // The radar chart's two fills: C0 and C1 at 0.3 over white, and where they overlap.
    let fill_a = count(&a, 360..720, [188, 214, 232]);
    let fill_b = count(&a, 360..720, [255, 217, 183]);
    assert!(
        fill_a > 1500 && fill_b > 300,
        "fills {fill_a} and {fill_b} pixels"
    );
}
