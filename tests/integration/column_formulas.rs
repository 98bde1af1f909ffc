//! A CSV series' `x` and `y` as formulas of the file's columns (`y = "price / 1000"`),
//! computed once per row: the same picture as the column written out by a script.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

fn plot(csv: &str, x: &str, y: &str, extra: &str) -> String {
    format!(
        "[clip.main]\nkind = \"plot\"\nsize = [240, 160]\nduration = 2\n\
         series = [{{ csv = \"{csv}\", x = \"{x}\", y = \"{y}\"{extra} }}]\n"
    )
}

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.write(
        "d.csv",
        "day,price,volume\n0,1000,5\n1,1500,6\n2,1200,\n3,1800,8\n4,900,2\n",
    );
    // What a script would have written: price / 1000, and price / volume (a gap where
    // volume is missing).
    s.write(
        "k.csv",
        "day,k,per\n0,1,200\n1,1.5,250\n2,1.2,\n3,1.8,225\n4,0.9,450\n",
    );
    s
}

#[test]
fn a_formula_of_columns_draws_what_the_computed_column_draws() {
    let s = sandbox();
    for t in [0.0, 1.5] {
        let formula = s.frame(&plot("d.csv", "day", "price / 1000", ""), t);
        let column = s.frame(&plot("k.csv", "day", "k", ""), t);
        assert!(
            formula == column,
            "price / 1000 differs from its column at t = {t}"
        );
    }
}

#[test]
fn a_missing_cell_in_a_formula_leaves_a_gap_as_an_empty_cell_does() {
    let s = sandbox();
    let reveal = ", reveal = \"x <= 2*t\", marker = \"o\"";
    let formula = s.frame(&plot("d.csv", "day", "price / volume", reveal), 2.0);
    let column = s.frame(&plot("k.csv", "day", "per", reveal), 2.0);
    assert!(formula == column, "price / volume differs from its column");
}

#[test]
fn x_may_be_a_formula_and_a_formula_of_dates_stays_on_a_date_axis() {
    let s = sandbox();
    s.write(
        "t.csv",
        "date,price\n2024-01-01,10\n2024-01-05,12\n2024-01-09,11\n",
    );
    s.write(
        "u.csv",
        "date,price\n2024-01-08,20\n2024-01-12,24\n2024-01-16,22\n",
    );
    let label = ", head_label = \"{y:.0f} on {x:%d %b}\", sweep = true";
    let formula = s.frame(&plot("t.csv", "date + 7", "price * 2", label), 1.0);
    let column = s.frame(&plot("u.csv", "date", "price", label), 1.0);
    assert!(
        formula == column,
        "dates moved by a formula differ from the dates written"
    );
    // and a formula of a number column on x
    let formula = s.frame(&plot("d.csv", "day / 2", "price", ""), 0.0);
    s.write(
        "h.csv",
        "half,price\n0,1000\n0.5,1500\n1,1200\n1.5,1800\n2,900\n",
    );
    let column = s.frame(&plot("h.csv", "half", "price", ""), 0.0);
    assert!(formula == column, "x = day / 2 differs from its column");
}

#[test]
fn a_header_that_reads_like_a_formula_is_still_its_column() {
    let s = Sandbox::new();
    s.write("w.csv", "x (m),a-b,a,b\n0,5,1,1\n1,6,1,1\n2,4,1,1\n");
    let named = s.frame(&plot("w.csv", "x (m)", "a-b", ""), 0.0);
    s.write("v.csv", "x,y\n0,5\n1,6\n2,4\n");
    let plain = s.frame(&plot("v.csv", "x", "y", ""), 0.0);
    assert!(
        named == plain,
        "the headers `x (m)` and `a-b` were not read as columns"
    );
}

#[test]
fn a_misspelt_column_in_a_formula_is_an_error_at_it_with_the_columns() {
    let s = sandbox();
    s.write("p.toml", plot("d.csv", "day", "price / volme", ""));
    let out = s.run(&["check", "p.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "unknown name `volme`");
    assert_stderr!(out, "p.toml:5:");
    assert_stderr!(out, "did you mean `volume`?");
    assert_stderr!(out, "formula of d.csv's columns (day, price, volume)");
}

#[test]
fn a_formula_naming_no_column_says_how_formulas_name_them() {
    let s = sandbox();
    s.write("p.toml", plot("d.csv", "day", "prise / 1000", ""));
    let out = s.run(&["check", "p.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "has no column `prise / 1000`");
    assert_stderr!(
        out,
        "reads as a formula but names none of the columns (did you mean `price`?)"
    );
}

#[test]
fn a_formula_of_time_on_a_csv_series_is_refused_with_what_to_use() {
    let s = sandbox();
    s.write("p.toml", plot("d.csv", "day", "price * t", ""));
    let out = s.run(&["check", "p.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "computed once for each row, so it cannot change with time"
    );
    assert_stderr!(out, "`reveal` or `rows`");
}

#[test]
fn a_formula_of_more_than_eight_columns_is_refused() {
    let s = Sandbox::new();
    let names: Vec<String> = (0..9).map(|i| format!("c{i}")).collect();
    let ones = ["1"; 9].join(",");
    s.write("n.csv", format!("{}\n{ones}\n{ones}\n", names.join(",")));
    s.write("p.toml", plot("n.csv", "c0", &names.join(" + "), ""));
    let out = s.run(&["check", "p.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "`y` names 9 columns of n.csv; a formula may name at most 8"
    );
}
