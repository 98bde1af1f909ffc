//! Points coloured and sized by CSV columns (`color_by`, `size_by`): each checked
//! against the same picture written the long way (a series per class, a colour or size
//! per series), and the errors a newcomer meets.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// x, y, a class written as text, a class written as a number, a marker size; and the
/// y of each text class alone (empty in the other class's rows).
const TABLE: &str = "x,y,species,class,w,y_a,y_b\n\
    1,1,setosa,0,5,1,\n\
    2,3,versicolor,1,5,,3\n\
    3,2,setosa,0,5,2,\n\
    4,4,versicolor,1,5,,4\n";

/// A plot of the series `SERIES` over fixed limits, the legend given by `LEGEND`.
fn plot(series: &str, legend: &str) -> String {
    format!(
        "[clip.main]\nkind = \"plot\"\nsize = [200, 150]\nxlim = [0, 5]\nylim = [0, 5]\n\
         {legend}\nseries = [{series}]\n"
    )
}

fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write("t.csv", TABLE);
    sb
}

const CSV: &str = r#"csv = "t.csv", x = "x""#;

#[test]
fn classes_take_the_colour_cycle_and_a_legend_row_each() {
    let sb = sandbox();
    let by = sb.frame(
        &plot(
            &format!(r#"{{ {CSV}, y = "y", color_by = "species", size = 12 }}"#),
            "legend = true",
        ),
        0.0,
    );
    // the same as one series per class, in the cycle's first two colours, labelled
    let long = sb.frame(
        &plot(
            &format!(
                r#"{{ {CSV}, y = "y_a", line = false, marker = "o", size = 12, label = "setosa" }},
                   {{ {CSV}, y = "y_b", line = false, marker = "o", size = 12, label = "versicolor" }}"#
            ),
            "legend = true",
        ),
        0.0,
    );
    assert!(by == long, "color_by differs from a series per class");
    // and not the picture without the legend
    let bare = sb.frame(
        &plot(
            &format!(r#"{{ {CSV}, y = "y", color_by = "species", size = 12 }}"#),
            "",
        ),
        0.0,
    );
    assert!(by != bare, "the legend of the classes was not drawn");
    // a row whose class or size is empty is not drawn
    let more = format!("{TABLE}0.5,0.5,,,,0.5,\n4.5,0.5,setosa,0,,0.5,\n");
    sb.write("more.csv", more);
    let series = |file: &str| {
        plot(
            &format!(
                r#"{{ csv = "{file}", x = "x", y = "y", color_by = "species", size_by = "w" }}"#
            ),
            "",
        )
    };
    assert!(sb.frame(&series("more.csv"), 0.0) == sb.frame(&series("t.csv"), 0.0));
}

#[test]
fn numbers_go_through_the_colormap_over_their_range() {
    let sb = sandbox();
    let by = sb.frame(
        &plot(
            &format!(r#"{{ {CSV}, y = "y", color_by = "class", size = 12 }}"#),
            "",
        ),
        0.0,
    );
    // class 0 is viridis's start, class 1 its end
    let long = sb.frame(
        &plot(
            &format!(
                r##"{{ {CSV}, y = "y_a", line = false, marker = "o", size = 12, color = "#440154" }},
                    {{ {CSV}, y = "y_b", line = false, marker = "o", size = 12, color = "#fde725" }}"##
            ),
            "",
        ),
        0.0,
    );
    assert!(
        by == long,
        "color_by of numbers differs from viridis's ends"
    );
    let bone = sb.frame(
        &plot(
            &format!(r#"{{ {CSV}, y = "y", color_by = "class", colormap = "bone", size = 12 }}"#),
            "",
        ),
        0.0,
    );
    assert!(bone != by, "colormap was not used");
}

#[test]
fn a_colorbar_shows_the_column_s_range() {
    let sb = sandbox();
    // the points on the left of wide axes: right of them only the colorbar is drawn
    let img = |bar: &str| {
        let scene = format!(
            "[clip.main]\nkind = \"plot\"\nsize = [300, 150]\nxlim = [0, 40]\nylim = [0, 5]\n\
             series = [{{ {CSV}, y = \"y\", color_by = \"class\", size = 6{bar} }}]\n"
        );
        sb.frame(&scene, 0.0)
    };
    let on_the_right = |img: &image::RgbaImage, rgb: [u8; 3]| {
        img.enumerate_pixels()
            .filter(|(x, _, p)| *x > 200 && (0..3).all(|c| p[c].abs_diff(rgb[c]) <= 12))
            .count()
    };
    let with = img(", colorbar = true");
    // viridis from #440154 at the bottom to #fde725 at the top (each end's rows within
    // a few entries of them: the bar's rows sample the map between entries)
    assert!(
        on_the_right(&with, [0x44, 0x01, 0x54]) > 5,
        "no start of viridis"
    );
    assert!(
        on_the_right(&with, [0xfd, 0xe7, 0x25]) > 5,
        "no end of viridis"
    );
    let without = img("");
    assert_eq!(on_the_right(&without, [0xfd, 0xe7, 0x25]), 0);
    // only for a column of numbers, and one colorbar per plot
    sb.write(
        "scene.toml",
        plot(
            &format!(r#"{{ {CSV}, y = "y", color_by = "species", colorbar = true }}"#),
            "",
        ),
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "a series' colorbar shows the colormap of its `color_by` column of numbers"
    );
    let field = "[clip.main.field]\nf = \"x\"\nx = [0, 5]\ny = [0, 5]\ncolorbar = true\n";
    sb.write(
        "scene.toml",
        plot(
            &format!(r#"{{ {CSV}, y = "y", color_by = "class", colorbar = true }}"#),
            "",
        ) + field,
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "the plot's field already has the colorbar");
}

#[test]
fn sizes_come_from_a_column_or_an_expression_of_it() {
    let sb = sandbox();
    let each = |series: &str| sb.frame(&plot(series, ""), 0.0);
    // w is 5 in every row: diameters of 5 points, or 2·5 through `s`
    let five = each(&format!(
        r#"{{ {CSV}, y = "y", line = false, marker = "o", size = 5 }}"#
    ));
    assert!(each(&format!(r#"{{ {CSV}, y = "y", size_by = "w" }}"#)) == five);
    let ten = each(&format!(
        r#"{{ {CSV}, y = "y", line = false, marker = "o", size = 10 }}"#
    ));
    assert!(
        each(&format!(
            r#"{{ {CSV}, y = "y", size_by = "w", size = "2*s" }}"#
        )) == ten
    );
    assert!(five != ten);
}

#[test]
fn the_classifier_scene_colours_its_moons_by_class() {
    let sb = Sandbox::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes");
    sb.write(
        "data/moons.csv",
        std::fs::read(root.join("data/moons.csv")).unwrap(),
    );
    let scene = std::fs::read_to_string(root.join("classifier.toml")).unwrap();
    assert!(scene.contains("color_by = \"class\""), "{scene}");
    // every point shown at the end: black (class 0) and white (class 1) markers over
    // the bands, which are never pure black or white (below the white title strip)
    let img = sb.frame(&scene, 6.9);
    let count = |want: u8| {
        img.enumerate_pixels()
            .filter(|(_, y, p)| *y >= 40 && p[0] == want && p[1] == want && p[2] == want)
            .count()
    };
    assert!(count(0) > 500, "{} black pixels", count(0));
    assert!(count(255) > 500, "{} white pixels", count(255));
}

#[test]
fn wrong_columns_and_keys_say_what_to_write() {
    let sb = sandbox();
    let cases: [(&str, &[&str]); 7] = [
        (
            r#"c = "species""#,
            &[
                "unknown key `c`",
                "`color_by` names a CSV column with a value per point",
            ],
        ),
        (
            r#"color_by = "specie""#,
            &[
                "t.csv has no column `specie`",
                "did you mean `species`?",
                "scene.toml:7:",
            ],
        ),
        (
            r#"size_by = "weight""#,
            &["t.csv has no column `weight`", "its columns: x, y, species"],
        ),
        (
            r#"color = "species""#,
            &["unknown colour `species`", "name it with `color_by`"],
        ),
        (
            r#"color_by = "species", label = "flowers""#,
            &["listed in the legend by its classes' names"],
        ),
        (
            r#"colormap = "bone""#,
            &["`colormap` colours the points by a column of numbers: give `color_by` too"],
        ),
        (
            r#"color_by = "species", colormap = "bone""#,
            &["`species` holds classes (text), which take the colour cycle"],
        ),
    ];
    for (keys, messages) in cases {
        sb.write(
            "scene.toml",
            plot(&format!(r#"{{ {CSV}, y = "y", {keys} }}"#), ""),
        );
        let r = sb.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        for m in messages {
            assert_stderr!(r, m);
        }
    }
    // a function series has no columns
    sb.write(
        "scene.toml",
        plot(r#"{ y = "x", color_by = "species" }"#, "x = [0, 1]"),
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`color_by` names a column of the series' CSV file: give `csv` too"
    );
}

/// `classes` orders the classes (legend rows and cycle colours, seaborn's `hue_order`)
/// whatever order the rows show them in.
#[test]
fn classes_set_the_order_of_the_legend_and_the_colours() {
    let sb = sandbox();
    let by = sb.frame(
        &plot(
            &format!(
                r#"{{ {CSV}, y = "y", color_by = "species", classes = ["versicolor", "setosa"], size = 12 }}"#
            ),
            "legend = true",
        ),
        0.0,
    );
    let long = sb.frame(
        &plot(
            &format!(
                r#"{{ {CSV}, y = "y_b", line = false, marker = "o", size = 12, label = "versicolor" }},
                   {{ {CSV}, y = "y_a", line = false, marker = "o", size = 12, label = "setosa" }}"#
            ),
            "legend = true",
        ),
        0.0,
    );
    assert!(
        by == long,
        "classes = [versicolor, setosa] differs from that order of series"
    );
    let first_seen = sb.frame(
        &plot(
            &format!(r#"{{ {CSV}, y = "y", color_by = "species", size = 12 }}"#),
            "legend = true",
        ),
        0.0,
    );
    assert!(by != first_seen, "`classes` changed nothing");
    // a column of numbers named as classes is read as classes: 1 first takes C0
    let numbers = sb.frame(
        &plot(
            &format!(r#"{{ {CSV}, y = "y", color_by = "class", classes = [1, 0], size = 12 }}"#),
            "",
        ),
        0.0,
    );
    let texts = sb.frame(
        &plot(
            &format!(
                r#"{{ {CSV}, y = "y", color_by = "species", classes = ["versicolor", "setosa"], size = 12 }}"#
            ),
            "",
        ),
        0.0,
    );
    assert!(
        numbers == texts,
        "classes [1, 0] of numbers differ from the same classes as text"
    );
}

/// `class_colors` gives each class its colour (seaborn's `palette` dict).
#[test]
fn class_colors_give_each_class_its_colour() {
    let sb = sandbox();
    let by = sb.frame(
        &plot(
            &format!(
                r##"{{ {CSV}, y = "y", color_by = "species", class_colors = {{ versicolor = "#000000", setosa = "C3" }}, size = 12 }}"##
            ),
            "legend = true",
        ),
        0.0,
    );
    let long = sb.frame(
        &plot(
            &format!(
                r##"{{ {CSV}, y = "y_a", line = false, marker = "o", size = 12, label = "setosa", color = "C3" }},
                   {{ {CSV}, y = "y_b", line = false, marker = "o", size = 12, label = "versicolor", color = "#000000" }}"##
            ),
            "legend = true",
        ),
        0.0,
    );
    assert!(
        by == long,
        "class_colors differ from the series coloured by hand"
    );
}

/// A class `classes` leaves out is not drawn, with a warning; names the column lacks
/// are warned of with the closest class; a class without a colour is an error.
#[test]
fn classes_the_column_lacks_or_leaves_out_are_named() {
    let sb = sandbox();
    let only = plot(
        &format!(r#"{{ {CSV}, y = "y", color_by = "species", classes = ["setosa"], size = 12 }}"#),
        "",
    );
    let alone = plot(
        &format!(r#"{{ {CSV}, y = "y_a", line = false, marker = "o", size = 12 }}"#),
        "",
    );
    assert!(sb.frame(&only, 0.0) == sb.frame(&alone, 0.0));
    sb.write("scene.toml", &only);
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "column `species` holds a class `versicolor` that `classes` does not list: its points are not drawn",
        "scene.toml:7:",
    );
    let warned: [(&str, &[&str]); 2] = [
        (
            r#"classes = ["setosa", "versicolr"]"#,
            &[
                "`classes` lists `versicolr`, which column `species` does not hold",
                "did you mean `versicolor`?",
            ],
        ),
        (
            r#"class_colors = { setosa = "C0", versicolor = "C1", virginica = "C2" }"#,
            &["`class_colors` gives a colour to `virginica`, which column `species` does not hold"],
        ),
    ];
    for (keys, messages) in warned {
        sb.write(
            "scene.toml",
            plot(
                &format!(r#"{{ {CSV}, y = "y", color_by = "species", {keys} }}"#),
                "",
            ),
        );
        let r = sb.run(&["check", "scene.toml"]);
        assert_exit!(r, 0);
        for m in messages {
            assert_stderr!(r, m);
        }
    }
    let errors: [(&str, &[&str]); 5] = [
        (
            r#"color_by = "species", classes = ["setosa", "setosa"]"#,
            &[
                "class `setosa` is listed twice in `classes`",
                "scene.toml:7:",
            ],
        ),
        (
            r#"color_by = "species", class_colors = { setosa = "red" }"#,
            &["class `versicolor` of column `species` has no colour in `class_colors`"],
        ),
        (
            r#"color_by = "species", class_colors = { setosa = "reddish", versicolor = "C1" }"#,
            &["reddish", "scene.toml:7:"],
        ),
        (
            r#"classes = ["setosa"]"#,
            &["`classes` is for the classes of a `color_by` column: give `color_by` too"],
        ),
        (
            r#"color_by = "class", classes = [0, 1], colormap = "bone""#,
            &["`class` is read as classes (as `classes` or `class_colors` asks)"],
        ),
    ];
    for (keys, messages) in errors {
        sb.write(
            "scene.toml",
            plot(&format!(r#"{{ {CSV}, y = "y", {keys} }}"#), ""),
        );
        let r = sb.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        for m in messages {
            assert_stderr!(r, m);
        }
    }
}

/// `opacity` an expression of the point (matplotlib's `scatter(…, alpha=array)`):
/// each marker as a series of its own with that opacity would draw it.
#[test]
fn an_opacity_of_each_point_is_the_opacity_of_its_marker() {
    let sb = sandbox();
    let each = sb.frame(
        &plot(
            &format!(
                r#"{{ {CSV}, y = "y", line = false, marker = "o", size = 12, color = "C0", opacity = "i / 3" }}"#
            ),
            "",
        ),
        0.0,
    );
    let alone: Vec<String> = (0..4)
        .map(|k| {
            format!(
                r#"{{ {CSV}, y = "y", reveal = "i == {k}", line = false, marker = "o", size = 12, color = "C0", opacity = {} }}"#,
                k as f64 / 3.0
            )
        })
        .collect();
    let long = sb.frame(&plot(&alone.join(", "), ""), 0.0);
    assert!(
        each == long,
        "per-point opacity differs from a series per point"
    );
    // and with classes: the class's colour at the point's opacity
    let classes = sb.frame(
        &plot(
            &format!(
                r#"{{ {CSV}, y = "y", color_by = "species", size = 12, opacity = "1 - x / 5" }}"#
            ),
            "",
        ),
        0.0,
    );
    let opaque = sb.frame(
        &plot(
            &format!(r#"{{ {CSV}, y = "y", color_by = "species", size = 12 }}"#),
            "",
        ),
        0.0,
    );
    assert!(
        classes != opaque,
        "the opacity of each class point changed nothing"
    );
    // a line or a fill has one opacity; a name that is no point's is the usual error
    let errors: [(&str, &str); 4] = [
        (r#"opacity = "i / 3""#, "is for markers: give `marker` too"),
        (
            r#"marker = "o", opacity = "i / 3""#,
            "with `line = false`: a line has one opacity",
        ),
        (
            r#"marker = "o", line = false, fill = "under", opacity = "i / 3""#,
            "without `fill`: a fill has one opacity",
        ),
        (r#"marker = "o", line = false, opacity = "q / 3""#, "`q`"),
    ];
    for (keys, message) in errors {
        sb.write(
            "scene.toml",
            plot(&format!(r#"{{ {CSV}, y = "y", {keys} }}"#), ""),
        );
        let r = sb.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, message, "scene.toml:7:");
    }
}
