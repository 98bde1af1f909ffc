//! A chart's `font`: every text of a plot (title, axis and tick labels, legend,
//! colorbar), a field's and a bar chart's, in the face it names, resolved as a text
//! clip's `font` (a family, `"serif"`, a font file) with the same errors.

use std::path::PathBuf;

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A sandbox with the system's DejaVu Serif (fonts-dejavu-core) copied in as
/// `fonts/serif.ttf`, as the text clips' font file test does.
fn sandbox() -> Sandbox {
    let system = PathBuf::from("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf");
    let s = Sandbox::new();
    s.write("fonts/serif.ttf", std::fs::read(&system).unwrap());
    s
}

/// A plot whose only texts are those `keys` add, in `font` (none: no `font` key).
fn plot(keys: &str, font: Option<&str>) -> String {
    let font = font
        .map(|f| format!("font = \"{f}\"\n"))
        .unwrap_or_default();
    format!(
        "[clip.main]\nkind = \"plot\"\nsize = [240, 180]\nx = [0, 1]\nxlim = [0, 1]\n\
         ylim = [0, 1]\n{font}{keys}\n"
    )
}

#[test]
fn every_text_of_a_plot_takes_the_font() {
    let s = sandbox();
    let series = r#"series = [{ y = "x", label = "rising" }]"#;
    let cases = [
        // tick labels alone
        ("ticks", series.to_string()),
        // a title alone: no frame or ticks
        (
            "title",
            format!("axis = false\ntitle = \"Heat flow\"\n{series}"),
        ),
        // axis labels beside the ticks
        (
            "labels",
            format!("xlabel = \"depth\"\nylabel = \"temperature\"\n{series}"),
        ),
        // a legend alone
        ("legend", format!("axis = false\nlegend = true\n{series}")),
    ];
    for (what, keys) in cases {
        let sans = s.frame(&plot(&keys, None), 0.0);
        let file = s.frame(&plot(&keys, Some("fonts/serif.ttf")), 0.0);
        let family = s.frame(&plot(&keys, Some("DejaVu Serif")), 0.0);
        assert!(file != sans, "{what}: the font file changed nothing");
        assert!(
            file == family,
            "{what}: the file and the installed family differ"
        );
        // naming the default family is the default
        let named = s.frame(&plot(&keys, Some("sans-serif")), 0.0);
        assert!(named == sans, "{what}: `sans-serif` is not the default");
    }
    // the serif face, not a shift: the default picture has no copy of the title's ink
    let keys = format!("axis = false\ntitle = \"Heat flow\"\n{series}");
    let sans = s.frame(&plot(&keys, None), 0.0);
    let serif = s.frame(&plot(&keys, Some("serif")), 0.0);
    let top = |img: &image::RgbaImage| -> Vec<u8> {
        (0..22)
            .flat_map(|y| (0..img.width()).map(move |x| (x, y)))
            .map(|(x, y)| img.get_pixel(x, y).0[0])
            .collect()
    };
    assert_ne!(top(&sans), top(&serif), "the title row is the same");
}

#[test]
fn a_field_and_a_bar_chart_take_it_too() {
    let s = sandbox();
    let field = |font: &str| {
        format!(
            "[clip.main]\nkind = \"field\"\nsize = [240, 160]\nf = \"x\"\nx = [0, 1]\n\
             y = [0, 1]\ncolorbar = true\n{font}\n"
        )
    };
    let sans = s.frame(&field(""), 0.0);
    let serif = s.frame(&field("font = \"fonts/serif.ttf\""), 0.0);
    assert!(sans != serif, "the colorbar's labels did not change");
    let bars = |font: &str| {
        format!(
            "[clip.main]\nkind = \"bars\"\nsize = [240, 160]\nvalue_labels = \"{{value:.0f}}\"\n\
             bars = [{{ label = \"north\", value = 12 }}, {{ label = \"south\", value = 20 }}]\n{font}\n"
        )
    };
    let sans = s.frame(&bars(""), 0.0);
    let serif = s.frame(&bars("font = \"fonts/serif.ttf\""), 0.0);
    assert!(sans != serif, "the bar chart's texts did not change");
}

#[test]
fn a_font_file_is_an_input_of_the_scene() {
    let s = sandbox();
    s.write(
        "scene.toml",
        plot(r#"series = [{ y = "x" }]"#, Some("fonts/serif.ttf")),
    );
    let r = s.run(&["deps", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("fonts/serif.ttf"), "{}", r.stdout);
}

#[test]
fn unknown_families_and_files_are_errors_at_the_key() {
    let s = sandbox();
    s.write("scene.toml", plot("", Some("No Such Family")));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown font family `No Such Family`", "scene.toml:7:8");
    s.write("scene.toml", plot("", Some("fonts/none.ttf")));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "cannot read `fonts/none.ttf`", "scene.toml:7:8");
    s.write("fonts/fake.ttf", "not a font");
    s.write("scene.toml", plot("", Some("fonts/fake.ttf")));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot use font file `fonts/fake.ttf`",
        "not a font file"
    );
}
