//! Output that would look wrong is said (issue 17): scaled-up grid cells, invisible
//! text, GIF transparency, the frame rate taken from the content, the progress rate,
//! and the small untruths (grid sizes of 0, legend places, clips used through `from`).

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

const LABEL_GRID: &str = r#"
[clip.label]
kind = "text"
text = "Before"
font_size = 16

[clip.panel]
kind = "color"
color = "red"
size = [120, 90]

[clip.main]
kind = "grid"
rows = [["label", "panel"]]
height = HEIGHT
"#;

#[test]
fn a_grid_that_scales_a_cell_up_more_than_twice_says_so() {
    let sb = Sandbox::new();
    sb.write("grid.toml", LABEL_GRID.replace("HEIGHT", "90"));
    let r = sb.run(&["check", "grid.toml"]);
    assert_exit!(r, 0);
    // The label is about 51×14: 90 px high is more than 6×.
    assert_stderr!(
        r,
        "warning: the grid scales `label` up ",
        "it will look blurred and the grid grows",
        "--> grid.toml:15:10",
        "hint: `height`/`width` sets every cell's size"
    );
    // The timeline shows what the grid made of the cell: its size and the original's.
    assert!(
        r.stdout
            .contains("  label  resize  328x90 (6.4× its input)  "),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("    input  text  "), "{}", r.stdout);
    // The panel is scaled by 1: nothing said about it.
    assert!(!r.stderr.contains("`panel`"), "{}", r.stderr);

    // Twice the size at most: quiet.
    let label_height = {
        let line = r
            .stdout
            .lines()
            .find(|l| l.contains("input  text"))
            .unwrap();
        let size = line.split_whitespace().nth(2).unwrap();
        size.split('x').nth(1).unwrap().parse::<u32>().unwrap()
    };
    sb.write(
        "grid.toml",
        LABEL_GRID.replace("HEIGHT", &(label_height * 2).to_string()),
    );
    let r = sb.run(&["check", "grid.toml"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn a_grid_height_or_width_of_zero_is_refused() {
    let sb = Sandbox::new();
    sb.write("grid.toml", LABEL_GRID.replace("HEIGHT", "0"));
    let r = sb.run(&["check", "grid.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: a grid's cells are at least 1 pixel: give `height` or `width` of 1 or more",
        "--> grid.toml:15:10"
    );
    sb.write(
        "grid.toml",
        LABEL_GRID.replace("height = HEIGHT", "width = 0"),
    );
    let r = sb.run(&["check", "grid.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "at least 1 pixel", "--> grid.toml:15:9");
}

#[test]
fn a_wrong_legend_lists_the_places() {
    let sb = Sandbox::new();
    let plot = |legend: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [200, 100]\nseries = [{{ y = \"x\", label = \"a\" }}]\nlegend = {legend}\n"
        )
    };
    sb.write("plot.toml", plot("\"top\""));
    let r = sb.run(&["check", "plot.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: unknown legend place `top`: places are \"upper right\", \"upper left\"",
        "\"center\"",
        "--> plot.toml:5:10"
    );
    sb.write("plot.toml", plot("3"));
    let r = sb.run(&["check", "plot.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: a legend is true, false or a place: \"upper right\"",
        "--> plot.toml:5:10"
    );
    assert!(!r.stderr.contains("untagged"), "{}", r.stderr);
    assert!(!r.stderr.contains("LegendSpec"), "{}", r.stderr);
}

#[test]
fn a_clip_the_root_is_made_from_is_not_unused() {
    let sb = Sandbox::new();
    sb.write(
        "from.toml",
        "[clip.base]\nkind = \"color\"\ncolor = \"red\"\nsize = [32, 32]\nduration = 1\n\n\
         [clip.spare]\nkind = \"color\"\ncolor = \"blue\"\nsize = [8, 8]\n\n\
         [clip.main]\nfrom = \"base\"\n",
    );
    let r = sb.run(&["check", "from.toml"]);
    assert_exit!(r, 0);
    assert!(!r.stdout.contains("unused: base"), "{}", r.stdout);
    // A clip nothing uses still is.
    assert!(
        r.stdout.contains("unused: spare (color, 8x8)"),
        "{}",
        r.stdout
    );
}

/// Runs `animate` with stderr on a pseudo-terminal (through util-linux's `script`), so
/// that the progress bar draws; `None` where `script` is missing.
fn on_terminal(sb: &Sandbox, args: &str) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_animate");
    let out = std::process::Command::new("script")
        .args(["-qfec", &format!("{bin} {args}"), "/dev/null"])
        .current_dir(sb.path(""))
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn the_progress_rate_has_one_decimal() {
    let sb = Sandbox::new();
    sb.write("field.toml", crate::util::FIELD);
    let Some(shown) = on_terminal(&sb, "render field.toml -o out.gif") else {
        eprintln!("no `script` to give the render a terminal: not checked");
        return;
    };
    let rates: Vec<&str> = shown
        .split(" frames/s")
        .map(|before| before.rsplit(' ').next().unwrap_or(""))
        .take(shown.matches(" frames/s").count())
        .collect();
    assert!(!rates.is_empty(), "no rate drawn:\n{shown:?}");
    for rate in rates {
        let (whole, frac) = rate.split_once('.').unwrap_or((rate, ""));
        assert!(
            !whole.is_empty() && whole.chars().all(|c| c.is_ascii_digit()) && frac.len() == 1,
            "rate {rate:?} is not like 12.3:\n{shown:?}"
        );
    }
}

#[test]
fn a_number_where_a_name_belongs_is_said_in_words() {
    let sb = Sandbox::new();
    sb.write(
        "text.toml",
        "[clip.main]\nkind = \"text\"\ntext = \"a\"\nalign = 3\n",
    );
    let r = sb.run(&["check", "text.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: expected one of this key's names, in quotes",
        "--> text.toml:4:9"
    );
}

/// Renders a 2-second scene at `fps` into `out` (a video, a GIF or a folder of frames).
fn make_input(sb: &Sandbox, fps: u32, out: &str) {
    sb.write(
        "input.toml",
        crate::util::FIELD.replace("fps = 10", &format!("fps = {fps}")),
    );
    let r = sb.run(&["render", "input.toml", "-o", out, "-q"]);
    assert_exit!(r, 0);
}

#[cfg(feature = "video")]
#[test]
fn without_an_fps_a_video_root_renders_at_the_videos_rate() {
    let sb = Sandbox::new();
    make_input(&sb, 20, "run.mp4");
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"video\"\npath = \"run.mp4\"\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout
            .contains("output: 64x48, 20 fps (the content's rate), 2.00 s (40 frames)"),
        "{}",
        r.stdout
    );
    let r = sb.run(&["render", "scene.toml", "-o", "frames/"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "wrote frames/: 40 frames, 64x48, 2.00 s of animation at 20 fps (the content's rate)"
    );
    assert_eq!(std::fs::read_dir(sb.path("frames")).unwrap().count(), 40);
    // `--fps` and `[output] fps` still decide, and the line says no more.
    let r = sb.run(&["render", "scene.toml", "-o", "f5/", "--fps", "5"]);
    assert_stderr!(
        r,
        "wrote f5/: 10 frames, 64x48, 2.00 s of animation at 5 fps in "
    );
    sb.write(
        "scene.toml",
        "[output]\nfps = 25\n[clip.main]\nkind = \"video\"\npath = \"run.mp4\"\n",
    );
    let r = sb.run(&["render", "scene.toml", "-o", "f25/"]);
    assert_stderr!(r, "2.00 s of animation at 25 fps in ");
}

#[test]
fn without_an_fps_the_highest_rate_among_the_roots_sources_is_taken() {
    let sb = Sandbox::new();
    make_input(&sb, 10, "ten.gif");
    make_input(&sb, 5, "five/");
    // A GIF at 10 fps beside an image sequence declared at 12: 12. A sequence without
    // its own fps follows the output's rate, whatever it is.
    sb.write(
        "scene.toml",
        "[clip.gif]\nkind = \"file\"\npath = \"ten.gif\"\n\
         [clip.seq]\nkind = \"images\"\nfiles = \"five/*.png\"\nfps = 12\n\
         [clip.free]\nkind = \"images\"\nfiles = \"five/*.png\"\n\
         [clip.main]\nkind = \"grid\"\nrows = [[\"gif\", \"seq\", \"free\"]]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout
            .contains("output: 192x48, 12 fps (the content's rate), 2.00 s (24 frames)"),
        "{}",
        r.stdout
    );
    // 10 frames at 12 fps: 0.83 s, for `seq` and `free` alike.
    assert!(
        r.stdout.contains("  free  images  64x48  0.00..0.83 s"),
        "{}",
        r.stdout
    );
    // The GIF alone: its own 10 fps.
    sb.write(
        "gif.toml",
        "[clip.main]\nkind = \"file\"\npath = \"ten.gif\"\n",
    );
    let r = sb.run(&["check", "gif.toml"]);
    assert!(
        r.stdout
            .contains("output: 64x48, 10 fps (the content's rate), 2.00 s (20 frames)"),
        "{}",
        r.stdout
    );
}

/// Regression: a NumPy field's own `fps` set the scene's rate only when drawn bare: with
/// a title (drawn on axes) or as a plot's `field` it rendered at 25 fps, 2.5 times the
/// frames; a program's or standard input's `fps` never did, and their frames were shown
/// 3, 2, 3, 2 times.
#[test]
fn regression_a_fields_or_programs_own_fps_was_not_the_scenes_rate() {
    let sb = Sandbox::new();
    let data: Vec<u8> = (0..4)
        .flat_map(|v| std::iter::repeat_n(v as f32, 4))
        .flat_map(|v| v.to_le_bytes())
        .collect();
    sb.write("a.npy", crate::plots::npy("<f4", "(4, 2, 2)", &data));
    let field = "kind = \"field\"\nnpy = \"a.npy\"\nfps = 10\nsize = [90, 60]\n";
    let scenes = [
        format!("[clip.main]\n{field}"),
        format!("[clip.main]\n{field}title = \"heat\"\n"),
        format!("[clip.main]\n{field}axis = true\n"),
        "[clip.main]\nkind = \"plot\"\nsize = [90, 60]\n\
         [clip.main.field]\nnpy = \"a.npy\"\nfps = 10\n"
            .to_string(),
    ];
    for scene in &scenes {
        sb.write("scene.toml", scene);
        let r = sb.run(&["check", "scene.toml"]);
        assert_exit!(r, 0);
        assert!(
            r.stdout
                .contains("10 fps (the content's rate), 0.40 s (4 frames)"),
            "{scene}\n{}",
            r.stdout
        );
    }
    // A program writing 5 frames at its own 10 fps: 5 output frames, each its own.
    sb.write(
        "prog.toml",
        "[clip.main]\nkind = \"program\"\n\
         run = [\"sh\", \"-c\", \"for i in 1 2 3 4 5; do printf 'abc'; done\"]\n\
         format = \"rgb\"\nsize = [1, 1]\nfps = 10\nduration = 0.5\n",
    );
    let r = sb.run(&["render", "prog.toml", "-o", "f/", "--allow-programs"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "5 frames, 1x1, 0.50 s of animation at 10 fps (the content's rate)"
    );
    // Written in [output], the rate is still the scene's.
    let text = std::fs::read_to_string(sb.path("prog.toml")).unwrap();
    sb.write("prog.toml", format!("[output]\nfps = 20\n{text}"));
    let r = sb.run(&["check", "prog.toml"]);
    assert!(
        r.stdout.contains("output: 1x1, 20 fps, 0.50 s"),
        "{}",
        r.stdout
    );
}

#[test]
fn without_an_fps_and_nothing_with_a_rate_the_default_is_said() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 0.4\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert!(
        r.stdout
            .contains("output: 8x8, 25 fps (the default), 0.40 s (10 frames)"),
        "{}",
        r.stdout
    );
    let r = sb.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "wrote out.gif: 10 frames, 8x8, 0.40 s of animation at 25 fps (the default) in "
    );
}

/// Four titles over white panels, the issue's case: a composite of a panel and a title,
/// shown twice in a grid.
const TITLED_PANELS: &str = r#"
[clip.panel]
kind = "color"
color = "white"
size = [160, 90]
duration = 0.2

[clip.title]
kind = "text"
text = "Before"
font_size = 24
COLOR

[clip.card]
kind = "composite"
layers = [{ clip = "panel" }, { clip = "title", position = "center" }]

[clip.main]
kind = "grid"
rows = [["card", "card"]]
"#;

#[test]
fn a_title_the_colour_of_the_panel_under_it_is_said_once() {
    let sb = Sandbox::new();
    sb.write("scene.toml", TITLED_PANELS.replace("COLOR", ""));
    let r = sb.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: the text `title` (layer at line 16, column 40) cannot be seen: its colour #ffffff is \
         drawn over #ffffff, too close to tell apart",
        "hint: give the text a `color` that stands out, as `color = \"black\"` over a plot, a \
         `stroke` or a `background`; a text without `color` takes the one that stands out on \
         `[output] background`, not on the layers under it. For a faint text on purpose, as a \
         watermark, give it a colour that stands out and the layer an `opacity`, which is not \
         checked"
    );
    // Once, though the card shows twice in every frame.
    assert_eq!(
        r.stderr.matches("cannot be seen").count(),
        1,
        "{}",
        r.stderr
    );
    // `animate frame` says it too.
    let r = sb.run(&["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
    assert_stderr!(
        r,
        "the text `title` (layer at line 16, column 40) cannot be seen"
    );

    // In a colour that stands out, or with an outline: nothing said.
    for look in [
        "color = \"black\"",
        "stroke = { color = \"black\", width = 2 }",
    ] {
        sb.write("scene.toml", TITLED_PANELS.replace("COLOR", look));
        let r = sb.run(&["render", "scene.toml", "-o", "out.gif"]);
        assert_exit!(r, 0);
        assert!(!r.stderr.contains("cannot be seen"), "{look}: {}", r.stderr);
    }
}

#[test]
fn a_text_cell_the_colour_of_the_grid_background_is_said() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[clip.label]\nkind = \"text\"\ntext = \"Label\"\ncolor = \"#f0f0f0\"\n\
         [clip.main]\nkind = \"grid\"\nrows = [[\"label\"]]\nbackground = \"white\"\n",
    );
    let r = sb.run(&["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: the text `label` (grid cell at line 7) cannot be seen: its colour #",
        " is drawn over #ffffff, too close to tell apart"
    );
}

#[test]
fn the_default_text_colour_contrasts_with_the_scene_background() {
    let sb = Sandbox::new();
    let scene = |bg: &str| {
        format!(
            "[output]\nbackground = \"{bg}\"\n[clip.main]\nkind = \"text\"\ntext = \"I\"\n\
             font_size = 40\npadding = 6\nduration = 1\n"
        )
    };
    // The darkest and lightest pixels of the frame: the glyph and the background.
    let extremes = |img: &image::RgbaImage| {
        let lum = img
            .pixels()
            .map(|p| p.0[0] as u32 + p.0[1] as u32 + p.0[2] as u32);
        (lum.clone().min().unwrap(), lum.max().unwrap())
    };
    let light = sb.frame(&scene("white"), 0.0);
    assert_eq!(extremes(&light), (0, 765), "black ink on white");
    let dark = sb.frame(&scene("navy"), 0.0);
    assert_eq!(extremes(&dark).1, 765, "white ink on navy");
}

/// A half-transparent red box in the middle of a transparent 32×32 scene, 2 frames.
const HALF_BOX: &str = r#"
[output]
background = "transparent"
fps = 5
[clip.box]
kind = "color"
color = [255, 0, 0, 128]
size = [16, 16]
duration = 0.4
[clip.main]
kind = "composite"
size = [32, 32]
layers = [{ clip = "box", position = "center" }]
"#;

/// Pixels of the box (8..24 both ways) that are opaque; panics on any pixel that is
/// neither opaque red nor clear, or anything outside the box that is not clear.
fn opaque_in_box(img: &image::RgbaImage) -> usize {
    let mut n = 0;
    for (x, y, p) in img.enumerate_pixels() {
        let inside = (8..24).contains(&x) && (8..24).contains(&y);
        match p.0 {
            [255, 0, 0, 255] if inside => n += 1,
            [_, _, _, 0] => {}
            other => panic!("pixel ({x}, {y}) is {other:?}"),
        }
    }
    n
}

#[test]
fn a_half_transparent_box_in_a_transparent_gif_is_dithered_and_said_once() {
    let sb = Sandbox::new();
    sb.write("scene.toml", HALF_BOX);
    let r = sb.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: GIF has only on/off transparency: partly transparent pixels (from frame 0) \
         are dithered (a pattern of opaque and clear pixels); --gif-alpha dither|threshold \
         chooses, --background COLOR flattens onto a colour instead"
    );
    assert_eq!(r.stderr.matches("on/off").count(), 1, "{}", r.stderr);
    let frames = crate::util::read_gif(&sb.path("out.gif"));
    // Half of the box's 256 pixels, in its exact colour (the lossless path).
    assert_eq!(opaque_in_box(&frames[0].0), 128);

    let r = sb.run(&[
        "render",
        "scene.toml",
        "-o",
        "cut.gif",
        "--gif-alpha",
        "threshold",
    ]);
    assert_exit!(r, 0);
    assert_stderr!(r, "are made opaque from 50 % alpha up and clear below");
    let frames = crate::util::read_gif(&sb.path("cut.gif"));
    assert_eq!(opaque_in_box(&frames[0].0), 256);
}

#[test]
fn a_transparent_scene_flattened_onto_a_colour_keeps_its_half_tones() {
    let sb = Sandbox::new();
    sb.write("scene.toml", HALF_BOX);
    let r = sb.run(&[
        "render",
        "scene.toml",
        "-o",
        "flat.gif",
        "--background",
        "white",
    ]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("on/off"), "{}", r.stderr);
    let frames = crate::util::read_gif(&sb.path("flat.gif"));
    crate::util::assert_px(&frames[0].0, 16, 16, [255, 127, 127, 255], 1);
    crate::util::assert_px(&frames[0].0, 0, 0, [255, 255, 255, 255], 0);
    // PNG keeps the alpha: nothing to say there.
    let r = sb.run(&["render", "scene.toml", "-o", "frames/"]);
    assert!(!r.stderr.contains("on/off"), "{}", r.stderr);
}

#[test]
fn a_transparent_gif_of_many_colours_is_the_same_whatever_the_threads() {
    let sb = Sandbox::new();
    // A field of many colours fading in and out: partly transparent, gifski's path.
    let scene = crate::util::FIELD.replace("fps = 10", "fps = 10\nbackground = \"transparent\"")
        + "effects = [{ opacity = \"0.2 + 0.6 * t / 2\" }]\n";
    sb.write("scene.toml", scene);
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = format!("t{threads}.gif");
        let r = sb.run(&[
            "render",
            "scene.toml",
            "-o",
            &out,
            "--threads",
            threads,
            "-q",
        ]);
        assert_exit!(r, 0);
        assert_stderr!(r, "GIF has only on/off transparency");
        outputs.push(std::fs::read(sb.path(&out)).unwrap());
    }
    assert!(
        outputs.windows(2).all(|w| w[0] == w[1]),
        "GIFs differ with --threads"
    );
    for (img, _) in crate::util::read_gif(&sb.path("t1.gif")) {
        assert!(img.pixels().all(|p| p.0[3] == 0 || p.0[3] == 255));
    }
}

#[test]
fn a_quality_out_of_range_says_the_range_of_quality() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[output]\nquality = 1000\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: quality must be 1 to 100, not 1000",
        "--> scene.toml:2:11"
    );
}

#[test]
fn without_an_fps_a_numpy_field_with_its_own_fps_sets_the_rate() {
    let sb = Sandbox::new();
    // 6 frames of 4×4 float32 values.
    let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 4, 4), }";
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    let head = format!("{header:<117}\n");
    npy.extend_from_slice(&(head.len() as u16).to_le_bytes());
    npy.extend_from_slice(head.as_bytes());
    for i in 0..96 {
        npy.extend_from_slice(&(i as f32).to_le_bytes());
    }
    sb.write("sim.npy", npy);
    let field = "[clip.main]\nkind = \"field\"\nnpy = \"sim.npy\"\nsize = [16, 16]\n";
    sb.write("scene.toml", format!("{field}fps = 12\n"));
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout
            .contains("output: 16x16, 12 fps (the content's rate), 0.50 s (6 frames)"),
        "{}",
        r.stdout
    );
    // Without its own fps an array plays one frame per output frame: no rate of its own.
    sb.write("scene.toml", field);
    let r = sb.run(&["check", "scene.toml"]);
    assert!(
        r.stdout
            .contains("output: 16x16, 25 fps (the default), 0.24 s (6 frames)"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_title_card_with_its_own_box_is_judged_against_the_box() {
    let sb = Sandbox::new();
    // Black text on a white card over a white panel: the text shows on its card.
    let look = "color = \"black\"\nbackground = \"white\"\nsize = [120, 60]";
    sb.write("scene.toml", TITLED_PANELS.replace("COLOR", look));
    let r = sb.run(&["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("cannot be seen"), "{}", r.stderr);
}
