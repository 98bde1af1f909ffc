//! A band between two CSV columns (matplotlib's `fill_between(x, lo, hi)`): a CSV
//! series whose `fill` names a column. Checked against the same band written as two
//! expressions, and pixel by pixel inside and outside it.

use crate::util::{assert_px, Sandbox};
use crate::{assert_exit, assert_stderr};

/// A band 2 high around the line y = 1 + x/2, over x = 0 … 4, and a column of y = 1.
const TABLE: &str = "x,lo,hi,mid\n0,0,2,1\n4,2,4,3\n";

/// A plot of `series` over fixed limits, with no ticks or frame in the way.
fn plot(series: &str) -> String {
    format!(
        "[clip.main]\nkind = \"plot\"\nsize = [200, 200]\naxis = false\nx = [0, 4]\n\
         xlim = [0, 4]\nylim = [0, 4]\nseries = [{series}]\n"
    )
}

fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write("band.csv", TABLE);
    sb
}

#[test]
fn fill_names_a_column_and_draws_between_the_two() {
    let sb = sandbox();
    let band = sb.frame(
        &plot(
            r##"{ csv = "band.csv", x = "x", y = "hi", fill = "lo", line = false, color = "#0000ff", fill_opacity = 1 }"##,
        ),
        0.0,
    );
    // the same band written as two functions of x, sampled at the rows' x
    let curves = sb.frame(
        &plot(
            r##"{ y = "2 + x/2", fill = "x/2", samples = 2, line = false, color = "#0000ff", fill_opacity = 1 }"##,
        ),
        0.0,
    );
    assert!(
        band == curves,
        "the band between columns differs from the curves' band"
    );
    // axis = false: the data fill the figure, 50 pixels a unit, y up from row 200.
    // At x = 2 (column 100) the band runs from y = 1 to y = 3: rows 150 to 50.
    let blue = [0, 0, 255, 255];
    let white = [255, 255, 255, 255];
    assert_px(&band, 100, 100, blue, 0);
    assert_px(&band, 100, 60, blue, 0);
    assert_px(&band, 100, 140, blue, 0);
    assert_px(&band, 100, 40, white, 0);
    assert_px(&band, 100, 160, white, 0);
    // at x = 0.2 (column 10) it runs from y = 0.1 to 2.1: rows 195 to 95
    assert_px(&band, 10, 190, blue, 0);
    assert_px(&band, 10, 100, blue, 0);
    assert_px(&band, 10, 85, white, 0);
    // filling to "under" instead reaches the bottom: the `lo` column was used above
    let under = sb.frame(
        &plot(
            r##"{ csv = "band.csv", x = "x", y = "hi", fill = "under", line = false, color = "#0000ff", fill_opacity = 1 }"##,
        ),
        0.0,
    );
    assert_px(&under, 100, 190, blue, 0);
    assert_px(&band, 100, 190, white, 0);
}

#[test]
fn a_band_grows_with_its_series_sweep() {
    let sb = sandbox();
    let scene = plot(
        r##"{ csv = "band.csv", x = "x", y = "hi", fill = "lo", line = false, color = "#0000ff", fill_opacity = 1, sweep = true }"##,
    )
    .replace("size = [200, 200]", "size = [200, 200]\nduration = 1");
    // 1 s at 11 fps: half way, the sweep has reached x = 2 to 2.2 (column 100 to 110)
    let half = sb.frame(&format!("[output]\nfps = 11\n{scene}"), 0.5);
    let blue = [0, 0, 255, 255];
    assert_px(&half, 50, 100, blue, 0);
    assert_px(&half, 95, 100, blue, 0);
    assert_px(&half, 140, 100, [255, 255, 255, 255], 0);
}

#[test]
fn a_fill_column_the_file_lacks_is_an_error_at_the_key() {
    let sb = sandbox();
    sb.write(
        "scene.toml",
        plot(r#"{ csv = "band.csv", x = "x", y = "hi", fill = "low" }"#),
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "band.csv has no column `low` (its columns: x, lo, hi, mid)",
        "did you mean `lo`?",
        "scene.toml:8:57"
    );
    // an expression naming something unknown says what `fill` may be on a CSV series
    sb.write(
        "scene.toml",
        plot(r#"{ csv = "band.csv", x = "x", y = "hi", fill = "lo - 1" }"#),
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown name `lo`",
        "`fill` is the name of one of band.csv's columns or an expression of x and t"
    );
    // a column name on a function series is no column
    sb.write("scene.toml", plot(r#"{ y = "x", fill = "lo" }"#));
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown name `lo`");
}
