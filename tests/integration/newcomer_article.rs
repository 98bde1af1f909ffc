//! What a MoviePy + matplotlib user met re-making the article from the docs alone: names
//! from MoviePy, scikit-image, Mayavi and matplotlib, guessed kinds, `write_gif`'s
//! options and 0–1 colours are answered at their place with what to write, exit code 2.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// `check` on `scene`: exit code 2 and every one of `wanted` on stderr.
fn refused(scene: &str, wanted: &[&str]) {
    let sb = Sandbox::new();
    sb.write("scene.toml", scene);
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    for w in wanted {
        assert_stderr!(r, w);
    }
}

#[test]
fn a_guessed_kind_for_a_gif_or_a_picture_points_at_file() {
    let gif = "[clip.main]\nkind = \"gif\"\npath = \"sinc.gif\"\n";
    refused(
        gif,
        &[
            "unknown clip kind `gif`",
            "scene.toml:2:8",
            "did you mean `file`? (a GIF, a picture or a video file is `kind = \"file\"`",
        ],
    );
    // `image` is one letter from `images`, the numbered sequence: the hint says which.
    refused(
        &gif.replace("\"gif\"", "\"image\""),
        &[
            "did you mean `file`? (one picture is `kind = \"file\"`; `images` is a numbered sequence",
        ],
    );
    refused(
        &gif.replace("\"gif\"", "\"VideoClip\""),
        &["MoviePy's `VideoClip(make_frame)` is a `program` clip here"],
    );
}

#[test]
fn the_articles_filter_names_give_the_effect_to_write() {
    let scene = "[clip.main]\nkind = \"color\"\ncolor = \"gray\"\nsize = [8, 8]\nduration = 1\n\
                 effects = [\"blackwhite\", \"equalize_hist\", { invert_colors = {} }]\n";
    refused(
        scene,
        &[
            "unknown effect `equalize_hist`",
            "scene.toml:6:26",
            "did you mean `invert`? (MoviePy's `invert_colors` is `invert` here)",
            "did you mean `equalize`? (scikit-image's `equalize_hist` is `equalize` here)",
        ],
    );
    refused(
        &scene.replace("\"equalize_hist\"", "{ set_opacity = 0.4 }"),
        &["did you mean `opacity`? (MoviePy's `set_opacity` is `{ opacity = 0.4 }` here)"],
    );
    refused(
        &scene.replace("\"equalize_hist\"", "\"grayscale\""),
        &["did you mean `blackwhite`?"],
    );
}

#[test]
fn write_gif_and_write_videofile_options_say_where_they_went() {
    let scene = "[output]\nfps = 20\nloop = 0\ncodec = \"libx264\"\nopt = \"OptimizePlus\"\n\
                 [clip.main]\nkind = \"color\"\ncolor = \"gray\"\nsize = [8, 8]\nduration = 1\n";
    refused(
        scene,
        &[
            // all three in one run
            "scene.toml:3:1",
            "did you mean `repeat`? (write_gif's `loop` is `repeat` here)",
            "scene.toml:4:1",
            "`codec` is a flag of `animate render`, not a scene key: `--codec …`",
            "scene.toml:5:1",
            "write_gif's `opt` has no counterpart: a GIF's colours and dithering follow `quality`",
        ],
    );
}

#[test]
fn keys_from_textclip_matplotlib_and_mayavi_give_the_key_to_write() {
    refused(
        "[clip.main]\nkind = \"text\"\ntext = \"Equalized\"\nbg_color = \"white\"\n",
        &[
            "scene.toml:4:1",
            "did you mean `background`? (MoviePy's `bg_color` is `background` here)",
        ],
    );
    refused(
        "[clip.main]\nkind = \"plot\"\nfigsize = [5, 3]\nx = [0, 1]\nseries = [{ y = \"x\" }]\n",
        &["did you mean `size`? (matplotlib's `figsize` is `size` here, in pixels: figsize × dpi"],
    );
    let surface = "[clip.main]\nkind = \"surface\"\nsize = [40, 40]\nz = \"x*y\"\nx = [-1, 1]\n\
                   y = [-1, 1]\nKEY\n";
    refused(
        &surface.replace("KEY", "cmap = \"hot\""),
        &["did you mean `colormap`? (matplotlib's `cmap` is `colormap` here)"],
    );
    refused(
        &surface.replace("KEY", "view = { azimuth = 30 }"),
        &["did you mean `camera`? (Mayavi's `view` is `camera = { azimuth, elevation, distance }` here)"],
    );
    refused(
        &surface.replace("KEY", "fps = 20\nduration = 2"),
        &[
            "`fps` is for surfaces given by `npy`",
            "scene.toml:7:7",
            "a scene has one frame rate, `[output] fps = 20`",
        ],
    );
}

#[test]
fn numpy_ranges_and_single_numbers_where_a_pair_is_wanted_say_what_to_write() {
    let surface = "[clip.main]\nkind = \"surface\"\nsize = [40, 40]\nz = \"x*y\"\nKEYS\n";
    refused(
        &surface.replace("KEYS", "x = [-2, 2, 200]\ny = [-2, 2]"),
        &[
            "scene.toml:5:5",
            "expected two values [a, b], not 3 values (numpy's linspace(start, stop, num) is \
             [start, stop] here; the number of points has its own key, `samples` or `resolution`)",
        ],
    );
    refused(
        &surface.replace("KEYS", "x = [-2, 2]\ny = [-2, 2]\nresolution = 200"),
        &[
            "scene.toml:7:14",
            "invalid type: the one value 200, expected two values [a, b]: write [200, 200]",
        ],
    );
}

#[test]
fn colours_from_0_to_1_are_given_back_in_0_to_255() {
    refused(
        "[clip.main]\nkind = \"color\"\ncolor = [0.5, 0.5, 1]\nsize = [8, 8]\n",
        &[
            "scene.toml:3:9",
            "colour components go from 0 to 255 here, not from 0 to 1 as in matplotlib or Vispy: \
             (0.5, 0.5, 1) is [128, 128, 255]",
        ],
    );
    // A fraction among 0–255 components is still the "half opaque" mistake.
    refused(
        "[clip.main]\nkind = \"color\"\ncolor = [255, 0, 0, 0.5]\nsize = [8, 8]\n",
        &[
            "colour component 0.5 is not a whole number",
            "half opaque is 128",
        ],
    );
}

#[test]
fn moviepy_placement_written_in_python_says_how_toml_writes_it() {
    let base = "[clip.a]\nkind = \"color\"\ncolor = \"gray\"\nsize = [8, 8]\nduration = 1\n\
                [clip.main]\nkind = \"composite\"\nLAYERS\n";
    // CompositeVideoClip([a, b]): a list of names, each unknown name told in the same run
    refused(
        &base.replace("LAYERS", "layers = [\"a\", \"b\"]"),
        &[
            "expected a table for each layer, naming its clip, found a clip name",
            "scene.toml:8:11",
            "hint: layers = [{ clip = \"a\" }, { clip = \"b\" }]",
            "unknown clip `b`",
        ],
    );
    // set_position(("center", "top")): a tuple, then the pair as one string
    refused(
        &base.replace(
            "LAYERS",
            "layers = [{ clip = \"a\", position = (\"center\", \"top\") }]",
        ),
        &[
            "TOML syntax",
            "TOML has no tuples: write a list in brackets, [\"center\", \"top\"]",
        ],
    );
    refused(
        &base.replace(
            "LAYERS",
            "layers = [{ clip = \"a\", position = \"center, top\" }]",
        ),
        &["a corner is two keywords, x then y: [\"center\", \"top\"]"],
    );
    refused(
        "[clip.main]\nkind = \"plot\"\nsize = [80, 60]\nylim = (-1.5, 2.5)\n",
        &[
            "scene.toml:4:",
            "TOML has no tuples: write a list in brackets, [-1.5, 2.5]",
        ],
    );
    refused(
        &base.replace("LAYERS", "layers = [{ clip = \"a\", set_duration = 2 }]"),
        &["did you mean `duration`? (MoviePy's `set_duration` is `duration` here)"],
    );
}

#[test]
fn a_frame_rate_written_with_a_unit_says_to_write_the_number() {
    let scene = "[output]\nfps = \"20fps\"\n[clip.main]\nkind = \"color\"\ncolor = \"gray\"\n\
                 size = [8, 8]\nduration = 1\n";
    refused(
        scene,
        &[
            "fps must be a number: a unit is not part of it",
            "scene.toml:2:7",
            "hint: write the number alone: 20",
        ],
    );
    // `2pi` is a missing `*`, not a unit: the expression's own error stays.
    let sb = Sandbox::new();
    sb.write("scene.toml", scene.replace("\"20fps\"", "\"2pi\""));
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert!(!r.stderr.contains("a unit"), "{}", r.stderr);
}

#[test]
fn a_command_line_without_its_command_or_its_o_says_what_to_type() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"gray\"\nsize = [8, 8]\nduration = 1\n",
    );
    let r = sb.run(&["scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "hint: the command comes first: `animate render scene.toml -o out.gif`"
    );
    let r = sb.run(&["render", "scene.toml", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "hint: the output is given with -o: `-o out.gif`");
    assert!(!sb.path("out.gif").exists());
}

#[test]
fn a_fraction_as_resize_height_gives_the_scale_to_write() {
    // MoviePy's resize(0.85) habit written as a height: the error said only "at least 1".
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [100, 100]\nduration = 1\n\
         effects = [{ resize = { height = 0.85 } }]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "height must be at least 1, not 0.85",
        "scene.toml:6:34",
        "hint: `height` is in pixels; to scale by 0.85, write `{ resize = 0.85 }`"
    );
}
