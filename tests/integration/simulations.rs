//! `kind = "simulation"`: grids stepped by lines of the scene, drawn as a field.
//! Values against hand-computed grids, frames that follow time whatever the order or
//! the threads, the errors at their places and each bound, NaN as `nan_color`.

use crate::util::{assert_px, read_png, Sandbox};
use crate::{assert_exit, assert_stderr};

/// A 3×1 grid drawn one pixel a cell through `gray` (0 → black, 1 → white).
fn one_row(step: &str, boundary: &str) -> String {
    format!(
        r#"
[output]
fps = 10
[clip.main]
kind = "simulation"
size = [3, 1]
duration = 0.5
boundary = "{boundary}"
interpolation = "nearest"
colormap = "gray"
vmin = 0
vmax = 1
init = {{ u = "if(x == 1, 1, 0)" }}
step = [{step}]
show = "u"
"#
    )
}

#[test]
fn one_diffusion_step_matches_the_hand_computed_grid() {
    let s = Sandbox::new();
    // Zero outside: lap = [1, -4, 1], so u = [0.25, 0, 0.25] after one step.
    let frames = s.render_frames(&one_row("\"u = u + 0.25 * lap(u)\"", "zero"), &[]);
    assert_eq!(frames.len(), 5);
    assert_px(&frames[0], 0, 0, [0, 0, 0, 255], 0);
    assert_px(&frames[0], 1, 0, [255, 255, 255, 255], 0);
    assert_px(&frames[1], 0, 0, [64, 64, 64, 255], 1);
    assert_px(&frames[1], 1, 0, [0, 0, 0, 255], 0);
    // Clamp: up and down are the cell itself, so only left and right count:
    // lap = [1, -2, 1], u = [0.25, 0.5, 0.25].
    let frames = s.render_frames(&one_row("\"u = u + 0.25 * lap(u)\"", "clamp"), &[]);
    assert_px(&frames[1], 1, 0, [128, 128, 128, 255], 1);
    assert_px(&frames[1], 2, 0, [64, 64, 64, 255], 1);
    // A temporary and a shift on a torus: the bright cell moves one column right a step.
    let frames = s.render_frames(
        &one_row("\"left = shift(u, -1, 0)\", \"u = left\"", "wrap"),
        &[],
    );
    assert_px(&frames[1], 2, 0, [255, 255, 255, 255], 0);
    assert_px(&frames[2], 0, 0, [255, 255, 255, 255], 0);
}

const LIFE: &str = r#"
[output]
fps = 10
[clip.life]
kind = "simulation"
size = [40, 30]
grid = [40, 30]
duration = 2
boundary = "wrap"
steps_per_frame = 2
seed = 5
init = { alive = "rand() < 0.35", heat = "0" }
step = ["n = nsum8(alive)", "alive = n == 3 or (alive and n == 2)", "heat = 0.9 * heat + alive + 0.01 * rand()"]
show = "heat"
colormap = "inferno"
vmin = 0
vmax = 10
interpolation = "nearest"
"#;

#[test]
fn the_same_bytes_on_one_and_two_threads_and_reversed() {
    let s = Sandbox::new();
    let one = s.render_frames(LIFE, &["--threads", "1"]);
    std::fs::remove_dir_all(s.path("frames")).unwrap();
    let two = s.render_frames(LIFE, &["--threads", "2"]);
    assert_eq!(one.len(), 20);
    assert!(one == two, "frames differ between 1 and 2 threads");
    assert!(one[0] != one[19], "the simulation does not move");
    // Reversed: the very frames, backwards, read from what the simulation kept.
    std::fs::remove_dir_all(s.path("frames")).unwrap();
    let reversed = s.render_frames(
        &format!("{LIFE}\n[clip.main]\nfrom = \"life\"\neffects = [\"reverse\"]\n"),
        &["--threads", "2"],
    );
    for k in 0..20 {
        assert!(reversed[k] == one[19 - k], "reversed frame {k}");
    }
    // `animate frame` at 1.5 s steps from the start to frame 15.
    let late = s.frame(LIFE, 1.5);
    assert!(late == one[15], "frame --time 1.5 is not frame 15");
}

#[test]
fn the_outbreak_runs_without_a_program() {
    let s = Sandbox::new();
    let scene = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/outbreak_sim.toml"),
    )
    .unwrap();
    s.write("scene.toml", &scene);
    let r = s.run(&[
        "render",
        "scene.toml",
        "-o",
        "f/",
        "-q",
        "--frames",
        "70..80",
    ]);
    assert_exit!(r, 0);
    let last = read_png(&s.path("f/0079.png"));
    assert_eq!(last.dimensions(), (384, 288));
    // The sea keeps its colour; by day 80 the zombies hold the land near patient zero
    // (red in coolwarm), and the far west still has humans (blue).
    assert_px(&last, 4, 140, [22, 50, 79, 255], 0);
    let zombie = last.get_pixel(67 * 4 + 2, 21 * 4 + 2).0;
    assert!(
        zombie[0] > 150 && zombie[2] < 120,
        "patient zero's cell: {zombie:?}"
    );
}

#[test]
fn nan_and_infinity_take_the_nan_colour() {
    let s = Sandbox::new();
    let scene = one_row("\"u = u / 0\"", "zero").replace(
        "colormap = \"gray\"",
        "colormap = \"gray\"\nnan_color = \"red\"",
    );
    let frames = s.render_frames(&scene, &[]);
    // 0/0 is NaN: red; 1/0 is inf, which a field draws at its high end, as matplotlib.
    assert_px(&frames[1], 0, 0, [255, 0, 0, 255], 0);
    assert_px(&frames[2], 1, 0, [255, 0, 0, 255], 0);
}

fn check(s: &Sandbox, scene: &str) -> crate::util::Run {
    s.write("scene.toml", scene);
    s.run(&["check", "scene.toml"])
}

#[test]
fn errors_name_the_line_or_the_key() {
    let s = Sandbox::new();
    let r = check(&s, &one_row("\"u + 1\"", "zero"));
    assert_exit!(r, 2);
    assert_stderr!(r, "`name = expression`", "scene.toml:14");
    let r = check(&s, &one_row("\"u = u + lap(u * 2)\"", "zero"));
    assert_exit!(r, 2);
    assert_stderr!(r, "first argument is a grid's name", "u * 2");
    let r = check(&s, &one_row("\"u = u + w\"", "zero"));
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown name `w`");
    let r = check(&s, &one_row("\"u = u + tmp\", \"tmp = 1\"", "zero"));
    assert_exit!(r, 2);
    assert_stderr!(r, "`tmp` is read before a line gives it a value");
    let r = check(&s, &one_row("\"u = u\"", "sideways"));
    assert_exit!(r, 2);
    assert_stderr!(r, "sideways");
    let r = check(
        &s,
        &one_row("\"u = u\"", "zero").replace("init = {", "init = { lap = \"0\", "),
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "a grid cannot be named `lap`");
    // `init` written as `step` is: TOML's words for the two shapes, not serde's.
    let r = check(
        &s,
        &one_row("\"u = u\"", "zero")
            .replace("init = { u = \"if(x == 1, 1, 0)\" }", "init = [\"u = 0\"]"),
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "invalid type: an array, expected a table { … }",
        "scene.toml:13:8"
    );
}

/// Each bound is refused where it is written, at check time, exit 2.
#[test]
fn bounds_on_the_grid_the_work_and_the_memory() {
    let s = Sandbox::new();
    let r = check(
        &s,
        &one_row("\"u = u\"", "zero")
            .replace("size = [3, 1]", "size = [300, 100]\ngrid = [4096, 2048]"),
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "a grid of 4096x2048 cells", "grid = [4096, 2048]");
    let r = check(
        &s,
        &one_row("\"u = u\"", "zero").replace(
            "size = [3, 1]",
            "size = [300, 100]\ngrid = [2048, 2048]\nsteps_per_frame = 40",
        ),
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "cell evaluations", "steps_per_frame = 40");
    // An automatic range over a day of frames would step them all while loading.
    s.write(
        "scene.toml",
        one_row("\"u = u + 0.1 * lap(u)\"", "zero")
            .replace("size = [3, 1]", "size = [300, 100]")
            .replace("duration = 0.5", "duration = 86400")
            .replace("vmin = 0\nvmax = 1\n", ""),
    );
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "steps the whole simulation", "give `vmin` and `vmax`");
    let r = check(
        &s,
        &one_row("\"u = u\"", "zero")
            .replace("duration = 0.5", "duration = 0.5\nsteps_per_frame = 0"),
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "steps_per_frame must be a whole number from 1");
    // 100 grids of 2048² cells: 3.4 GB of state beyond the budget of what clips keep.
    let many: Vec<String> = (0..140).map(|i| format!("g{i} = \"0\"")).collect();
    let r = check(
        &s,
        &one_row("\"u = u\"", "zero")
            .replace("size = [3, 1]", "size = [300, 100]\ngrid = [2048, 2048]")
            .replace("init = {", &format!("init = {{ {}, ", many.join(", "))),
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "grid = [2048, 2048]");
}

/// Ctrl-C stops a simulation stepping towards a late frame: exit 130, no output.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_long_simulation() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        r#"
[output]
fps = 10
[clip.main]
kind = "simulation"
size = [512, 512]
duration = 86400
steps_per_frame = 20
init = { u = "rand()" }
step = ["u = u + 0.2 * lap(u)"]
show = "u"
vmin = 0
vmax = 1
"#,
    );
    let out = s.interrupt(&[
        "render",
        "scene.toml",
        "-o",
        "out.gif",
        "--frames",
        "800000..800001",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(s.files(), ["scene.toml"]);
}

/// A grid counting its frames, drawn so that frames 6000–6002 and 0–2 each have a grey
/// of their own: `show` is 10, 11, 12 at frames 6000–6002 and 0, 10, 20 at frames 0–2,
/// out of 40.
fn counter(size: u32, duration: f64) -> String {
    format!(
        r#"
[output]
fps = 30
[clip.sim]
kind = "simulation"
size = [{size}, {size}]
duration = {duration}
init = {{ u = "0" }}
step = ["u = u + 1"]
show = "if(u > 3000, u - 5990, u * 10)"
colormap = "gray"
interpolation = "nearest"
vmin = 0
vmax = 40
"#
    )
}

/// A frame 200 s into a simulation keeps the frames just before it, not the 6000 on
/// the way (hostile9 F-BC: a frame a day in kept every frame, filling the disk): here
/// 6000 frames of 80 kB went to a temporary file, over a 50 MB `ulimit -f`.
#[cfg(unix)]
#[test]
fn regression_a_far_frame_of_a_simulation_keeps_only_the_frames_just_before_it() {
    let s = Sandbox::new();
    s.write("scene.toml", counter(100, 300.0));
    let r = s.run_under_ulimit(
        "-f 51200",
        &["frame", "scene.toml", "--time", "200", "-o", "f.png"],
    );
    assert_exit!(r, 0);
    assert_px(&read_png(&s.path("f.png")), 50, 50, [64, 64, 64, 255], 1);
}

/// A frame passed over on the way to a far one, asked afterwards, is stepped to again
/// from the start: the simulation twice in a row, cut to its last frames and the
/// second copy's first ones, asks frames 6000–6002, then 0–2.
#[test]
fn a_frame_passed_over_is_stepped_to_again() {
    let s = Sandbox::new();
    let scene = counter(4, 200.1)
        + r#"
[clip.main]
kind = "sequence"
clips = ["sim", "sim"]
effects = [{ subclip = [200, 200.2] }]
"#;
    let frames = s.render_frames(&scene, &["--threads", "1"]);
    let greys: Vec<u8> = frames.iter().map(|f| f.get_pixel(1, 1).0[0]).collect();
    assert_eq!(greys, [64, 70, 76, 0, 64, 128]);
    assert_eq!(s.render_frames(&scene, &["--threads", "3"]), frames);
}
