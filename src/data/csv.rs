//! Numeric columns of a CSV file, picked by their header names.
//!
//! The first record is the header. Cells are numbers (anything Rust's `f64` parser
//! takes, surrounding spaces ignored); an empty cell is a missing value (NaN: a gap in
//! a line). Anything else is an error naming the file, the line and the column.
//! A column that may hold dates ([`read_cells`] with `Cells::MaybeDates`) holds them when its first filled cell
//! is an ISO 8601 date rather than a number; then every filled cell must be one.
//! A column that may hold classes ([`Cells::MaybeClasses`]) holds them when its first
//! filled cell is not a number: each distinct text is then a class, numbered in the
//! order the rows first show it.

use std::path::Path;

/// The largest CSV file read, in bytes: columns are held in memory as `f64`.
pub const MAX_BYTES: u64 = 512 << 20;

/// The requested columns, in the order asked, each with one value per data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    pub columns: Vec<Vec<f64>>,
    /// For each column, true if it held dates (as days since 1970, [`super::dates`]).
    pub dates: Vec<bool>,
    /// For each column, the names of its classes when it held text (its values are
    /// then their numbers, 0, 1, …); empty for a column of numbers or dates.
    pub classes: Vec<Vec<String>>,
}

/// What a requested column may hold besides numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cells {
    Numbers,
    MaybeDates,
    /// Text names classes (a scatter's `c=` by category).
    MaybeClasses,
}

impl Columns {
    /// The number of data rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }
}

/// Reads the columns `names` of the CSV file at `path`. `shown` is how the file is
/// named in messages (the path as the scene wrote it).
pub fn read(path: &Path, shown: &str, names: &[&str]) -> Result<Columns, String> {
    read_cells(path, shown, names, &[], usize::MAX)
}

/// The file at `path`, refused when larger than [`MAX_BYTES`] and read within them.
pub fn open(path: &Path, shown: &str) -> Result<impl std::io::Read, String> {
    let file = crate::base::input::open(path)?;
    let len = file
        .metadata()
        .map_err(|e| format!("cannot read {shown}: {e}"))?
        .len();
    if len > MAX_BYTES {
        return Err(format!(
            "{shown} is too large: {} MiB, at most {} MiB",
            len >> 20,
            MAX_BYTES >> 20
        ));
    }
    // Bounded whatever the length said: a file that grows while read is refused.
    Ok(crate::base::input::Bounded::new(
        file,
        MAX_BYTES,
        "a CSV file",
    ))
}

/// The names of the file's columns, from its header line alone: for a key that may name
/// a column or be something else (a plot series' `fill`).
pub fn header(path: &Path, shown: &str) -> Result<Vec<String>, String> {
    header_of(open(path, shown)?, shown)
}

/// Like [`header`], from any reader.
pub fn header_of(input: impl std::io::Read, shown: &str) -> Result<Vec<String>, String> {
    let (_, headers) = records(input, shown)?;
    Ok(headers.iter().map(str::to_string).collect())
}

/// Like [`read`], from any reader.
pub fn parse(input: impl std::io::Read, shown: &str, names: &[&str]) -> Result<Columns, String> {
    parse_cells(input, shown, names, &[])
}

/// A reader of the file's records, and its header (refused when empty).
pub fn records<R: std::io::Read>(
    input: R,
    shown: &str,
) -> Result<(::csv::Reader<R>, ::csv::StringRecord), String> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| format!("{shown}: {}", reason(&e)))?
        .clone();
    if headers.is_empty() || (headers.len() == 1 && headers[0].is_empty()) {
        return Err(format!(
            "{shown} is empty: expected a header line naming the columns"
        ));
    }
    Ok((reader, headers))
}

/// Like [`read`]; each column may hold what its entry in `cells` says (numbers only
/// when it has none). Reading stops at the first data row past `max_rows`, refused
/// (see [`parse_rows`]).
pub fn read_cells(
    path: &Path,
    shown: &str,
    names: &[&str],
    cells: &[Cells],
    max_rows: usize,
) -> Result<Columns, String> {
    parse_rows(open(path, shown)?, shown, names, cells, max_rows)
}

/// Like [`read_cells`], from any reader, without a limit on the rows.
pub fn parse_cells(
    input: impl std::io::Read,
    shown: &str,
    names: &[&str],
    cells: &[Cells],
) -> Result<Columns, String> {
    parse_rows(input, shown, names, cells, usize::MAX)
}

/// The start of the error for a file with more than the rows asked for.
pub const TOO_MANY_ROWS: &str = "data rows, more than";

/// Like [`parse_cells`], refusing the file at its first data row past `max_rows`
/// (blank lines do not count): a 100 MB file far over a plot's points was read whole,
/// 25 million rows in a minute and 400 MB, before its rows were counted.
pub fn parse_rows(
    input: impl std::io::Read,
    shown: &str,
    names: &[&str],
    cells: &[Cells],
    max_rows: usize,
) -> Result<Columns, String> {
    let cell_kind = |k: usize| cells.get(k).copied().unwrap_or(Cells::Numbers);
    let (mut reader, headers) = records(input, shown)?;
    let mut index = Vec::with_capacity(names.len());
    for name in names {
        match headers.iter().position(|h| h == *name) {
            // Which of two same-named columns is meant cannot be told.
            Some(i) if headers.iter().skip(i + 1).any(|h| h == *name) => {
                let again = i
                    + 2
                    + headers
                        .iter()
                        .skip(i + 1)
                        .position(|h| h == *name)
                        .unwrap_or(0);
                return Err(format!(
                    "{shown} has two columns named `{name}` (columns {} and {again}): give them \
                     names of their own",
                    i + 1
                ));
            }
            Some(i) => index.push(i),
            None => {
                let all: Vec<&str> = headers.iter().collect();
                let formula =
                    name.contains(['(', '+', '*', '/', '^', ' ']) || name.starts_with('-');
                let hint = crate::base::diag::did_you_mean_column(name, all.iter().copied())
                    .map(|h| format!("; {h}"))
                    .or_else(|| {
                        formula.then(|| {
                            let near = name
                                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                                .filter(|w| !w.is_empty())
                                .find_map(|w| {
                                    crate::base::diag::did_you_mean_column(w, all.iter().copied())
                                })
                                .map(|h| format!(" ({h})"))
                                .unwrap_or_default();
                            format!(
                                "; `{name}` reads as a formula but names none of the \
                                 columns{near}: a formula names columns by their headers, \
                                 which must be names (letters, digits and `_`) that mean \
                                 nothing else (not `t`, `pi` or a `[vars]` name)"
                            )
                        })
                    })
                    .unwrap_or_default();
                return Err(format!(
                    "{shown} has no column `{name}` (its columns: {}){hint}{}",
                    crate::base::listing::joined(&all, ", "),
                    separated_otherwise(&headers)
                ));
            }
        }
    }
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    // Whether each column holds dates: unknown until its first filled cell.
    let mut dates: Vec<Option<bool>> = (0..names.len())
        .map(|k| (cell_kind(k) != Cells::MaybeDates).then_some(false))
        .collect();
    // Whether each column holds classes: unknown until its first filled cell.
    let mut texts: Vec<Option<bool>> = (0..names.len())
        .map(|k| (cell_kind(k) != Cells::MaybeClasses).then_some(false))
        .collect();
    let mut classes: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    // Each column's classes by name: a row's class is found at once, not by a search
    // through every class seen (100 000 classes took 18 s: hostile9 F-BE).
    let mut class_numbers: Vec<std::collections::HashMap<String, usize>> =
        vec![Default::default(); names.len()];
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(format!("{shown}: {}", reason(&e))),
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.len() == 1 && record[0].is_empty() {
            continue; // a blank line
        }
        if columns.first().is_some_and(|c| c.len() >= max_rows) {
            return Err(format!(
                "{shown} has more than {max_rows} {TOO_MANY_ROWS} the plot can take (reading \
                 stopped at line {line})"
            ));
        }
        for (k, &i) in index.iter().enumerate() {
            let value = match record.get(i) {
                None => {
                    return Err(format!(
                        "{shown}, line {line}, column `{}`: the row has only {} cells, the \
                         header has {}",
                        names[k],
                        record.len(),
                        headers.len()
                    ))
                }
                Some("") => f64::NAN,
                Some(cell) if texts[k] != Some(false) => {
                    if texts[k].is_none() {
                        texts[k] = Some(cell.parse::<f64>().is_err());
                        if texts[k] == Some(false) {
                            columns[k].push(number(cell, shown, line, names[k])?);
                            continue;
                        }
                    }
                    match class_numbers[k].get(cell) {
                        Some(&n) => n as f64,
                        None => {
                            let n = classes[k].len();
                            classes[k].push(cell.to_string());
                            class_numbers[k].insert(cell.to_string(), n);
                            n as f64
                        }
                    }
                }
                Some(cell) => {
                    if dates[k].is_none() {
                        dates[k] = Some(
                            cell.parse::<f64>().is_err() && super::dates::parse(cell).is_some(),
                        );
                        if dates[k] == Some(false) && cell.parse::<f64>().is_err() {
                            return Err(first_not_a_number(cell, shown, line, names[k]));
                        }
                    }
                    if dates[k] == Some(true) {
                        super::dates::parse(cell).ok_or_else(|| {
                            format!(
                                "{shown}, line {line}, column `{}`: {} is not a date \
                                 (ISO 8601, as 2024-01-31 or 2024-01-31T12:00)",
                                names[k],
                                crate::base::listing::visible_short(cell)
                            )
                        })?
                    } else {
                        number(cell, shown, line, names[k])?
                    }
                }
            };
            columns[k].push(value);
        }
    }
    Ok(Columns {
        columns,
        dates: dates.into_iter().map(|d| d == Some(true)).collect(),
        classes,
    })
}

/// How a missing value is often written elsewhere (pandas, R, spreadsheets). `nan`
/// is not among them: Rust's parser reads it, as NaN, a missing value.
const MISSING_WORDS: &[&str] = &["n/a", "na", "-", "--", "null", "none", "#n/a", "?"];

/// A cell's number; the error names the place (see [`not_a_number`]).
fn number(cell: &str, shown: &str, line: u64, column: &str) -> Result<f64, String> {
    cell.parse::<f64>()
        .map_err(|_| not_a_number(cell, shown, line, column))
}

/// `01/02/2024` or `31.01.24`: three groups of digits split by `/` or `.`, which is
/// a date in some country's order, not one animate can read without guessing which.
fn looks_like_a_local_date(cell: &str) -> bool {
    let parts: Vec<&str> = cell.split(['/', '.']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The error for a cell that is not a number; for a missing value written as a word,
/// it says how animate reads one, and for a date in a local order how to write it.
pub fn not_a_number(cell: &str, shown: &str, line: u64, column: &str) -> String {
    let missing = if MISSING_WORDS.iter().any(|w| cell.eq_ignore_ascii_case(w)) {
        " (leave the cell empty for a missing value)"
    } else if looks_like_a_local_date(cell) {
        " (dates are read when written ISO 8601, as 2024-01-31)"
    } else {
        ""
    };
    let cell = crate::base::listing::visible_short(cell);
    format!("{shown}, line {line}, column `{column}`: {cell} is not a number{missing}")
}

/// The error for a column whose first filled cell is not a number: when it is a name
/// (`France`), the column likely holds names, which a plot cannot place on an axis.
fn first_not_a_number(cell: &str, shown: &str, line: u64, column: &str) -> String {
    let said = not_a_number(cell, shown, line, column);
    let word = cell.starts_with(|c: char| c.is_alphabetic())
        && !MISSING_WORDS.iter().any(|w| cell.eq_ignore_ascii_case(w));
    if word {
        format!(
            "{said} (the column holds names, which are no axis: draw categories as a `bars` \
             chart, or colour a series' points by them with `color_by`)"
        )
    } else {
        said
    }
}

/// A header read as one column that holds `;` or a tab: the file is likely separated
/// by those, and this says so (empty otherwise).
pub fn separated_otherwise(headers: &::csv::StringRecord) -> String {
    if headers.len() != 1 {
        return String::new();
    }
    let which = if headers[0].contains(';') {
        "semicolons"
    } else if headers[0].contains('\t') {
        "tabs"
    } else {
        return String::new();
    };
    format!(
        "; the file looks separated by {which}, but animate reads comma-separated values: \
         separate the columns with commas (and write decimals with a point)"
    )
}

/// The message for a record the CSV reader refused.
pub fn reason(e: &::csv::Error) -> String {
    match e.kind() {
        ::csv::ErrorKind::Utf8 { pos, .. } => format!(
            "line {}: not UTF-8 text",
            pos.as_ref().map_or(0, |p| p.line())
        ),
        ::csv::ErrorKind::Io(e) => e.to_string(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str, names: &[&str]) -> Result<Columns, String> {
        parse(text.as_bytes(), "data.csv", names)
    }

    #[test]
    fn picks_columns_by_name() {
        let c = p(
            "time,value,other\n0,1.5,x\n1, 2 ,y\n2,,z\n",
            &["value", "time"],
        )
        .unwrap();
        assert_eq!(c.rows(), 3);
        assert_eq!(c.columns[1], vec![0.0, 1.0, 2.0]);
        assert_eq!(c.columns[0][..2], [1.5, 2.0]);
        assert!(c.columns[0][2].is_nan());
    }

    #[test]
    fn quoted_cells_and_blank_lines() {
        let c = p("\"a b\",c\n\"1e3\",2\n\n3,4\n", &["a b", "c"]).unwrap();
        assert_eq!(c.columns[0], vec![1000.0, 3.0]);
    }

    #[test]
    fn the_header_alone() {
        // spaces trimmed, quotes taken off, the rows not read (`oops` is no number)
        let h = header_of(" time ,\"lo\",hi\n0,1,oops\n".as_bytes(), "data.csv").unwrap();
        assert_eq!(h, ["time", "lo", "hi"]);
        assert!(header_of("".as_bytes(), "data.csv")
            .unwrap_err()
            .contains("data.csv is empty"));
    }

    #[test]
    fn missing_column_is_named_with_suggestion() {
        let e = p("time,value\n0,1\n", &["valeu"]).unwrap_err();
        assert!(e.contains("data.csv has no column `valeu`"), "{e}");
        assert!(e.contains("its columns: time, value"), "{e}");
        assert!(e.contains("did you mean `value`?"), "{e}");
    }

    #[test]
    fn a_column_named_twice_is_refused_only_when_read() {
        let e = p("x,y,y\n0,1,2\n", &["x", "y"]).unwrap_err();
        assert!(
            e.ends_with(
                "has two columns named `y` (columns 2 and 3): give them names of their own"
            ),
            "{e}"
        );
        assert!(p("x,y,y\n0,1,2\n", &["x"]).is_ok());
    }

    #[test]
    fn a_formula_naming_no_column_says_how_formulas_name_them() {
        let e = p("theta,w\n0,1\n", &["-cos(theta)"]).unwrap_err();
        assert!(
            e.starts_with("data.csv has no column `-cos(theta)` (its columns: theta, w)"),
            "{e}"
        );
        assert!(e.contains("reads as a formula but names none of"), "{e}");
        let e = p("theta,w\n0,1\n", &["-cos(thta)"]).unwrap_err();
        assert!(e.contains("(did you mean `theta`?)"), "{e}");
    }

    #[test]
    fn non_numeric_cell_names_line_and_column() {
        let e = p("time,value\n0,1\n1,abc\n", &["time", "value"]).unwrap_err();
        assert_eq!(e, "data.csv, line 3, column `value`: `abc` is not a number");
        // an x column (numbers or dates) whose first cell is a name holds names
        let x = |text: &str| {
            parse_cells(
                text.as_bytes(),
                "data.csv",
                &["country", "value"],
                &[Cells::MaybeDates, Cells::Numbers],
            )
            .unwrap_err()
        };
        let e = x("country,value\nFrance,1\n");
        assert!(
            e.starts_with("data.csv, line 2, column `country`: `France` is not a number (the column holds names"),
            "{e}"
        );
        let e = x("country,value\nn/a,1\n");
        assert!(
            e.ends_with("(leave the cell empty for a missing value)"),
            "{e}"
        );
    }

    #[test]
    fn a_cell_is_quoted_visible_and_short_and_a_local_date_gets_a_hint() {
        let e = p("t,v\n0,\u{0}2\n", &["t", "v"]).unwrap_err();
        assert!(e.ends_with("`<U+0000>2` is not a number"), "{e}");
        let e = p(&format!("t,v\n0,{}\n", "a".repeat(100_000)), &["t", "v"]).unwrap_err();
        assert!(e.len() < 200, "{} bytes", e.len());
        let e = p("t,v\n01/02/2024,1\n", &["t", "v"]).unwrap_err();
        assert!(
            e.ends_with("(dates are read when written ISO 8601, as 2024-01-31)"),
            "{e}"
        );
        let e = p("t,v\n1/2,1\n", &["t", "v"]).unwrap_err();
        assert!(!e.contains("ISO"), "{e}");
    }

    #[test]
    fn short_row_is_an_error() {
        let e = p("time,value\n0\n", &["value"]).unwrap_err();
        assert!(e.starts_with("data.csv, line 2, column `value`"), "{e}");
    }

    #[test]
    fn date_columns() {
        let text = "day,v\n2024-01-01,1\n2024-01-02T12:00,2\n,3\n";
        let c = parse_cells(
            text.as_bytes(),
            "d.csv",
            &["day", "v"],
            &[Cells::MaybeDates, Cells::MaybeDates],
        )
        .unwrap();
        assert_eq!(c.dates, vec![true, false]);
        assert_eq!(c.columns[0][..2], [19723.0, 19724.5]);
        assert!(c.columns[0][2].is_nan());
        // not where dates are not expected
        let e = p(text, &["day"]).unwrap_err();
        assert!(e.contains("`2024-01-01` is not a number"), "{e}");
        let bad = "day,v\n2024-01-01,1\n2024-01-32,2\n";
        let e = parse_cells(bad.as_bytes(), "d.csv", &["day"], &[Cells::MaybeDates]).unwrap_err();
        assert!(
            e.starts_with("d.csv, line 3, column `day`: `2024-01-32` is not a date"),
            "{e}"
        );
    }

    #[test]
    fn missing_values_written_as_words_say_how_to_write_them() {
        for word in ["n/a", "NA", "-", "null"] {
            let e = p(&format!("t,v\n0,{word}\n"), &["v"]).unwrap_err();
            assert_eq!(
                e,
                format!(
                    "data.csv, line 2, column `v`: `{word}` is not a number (leave the cell \
                     empty for a missing value)"
                )
            );
        }
        // `nan` is read, as a missing value
        assert!(p("t,v\n0,nan\n", &["v"]).unwrap().columns[0][0].is_nan());
    }

    #[test]
    fn a_file_separated_by_semicolons_says_so() {
        let e = p("date;temp\n1;2\n", &["temp"]).unwrap_err();
        assert!(
            e.starts_with("data.csv has no column `temp` (its columns: date;temp)"),
            "{e}"
        );
        assert!(e.contains("the file looks separated by semicolons"), "{e}");
        let e = p("date\ttemp\n1\t2\n", &["temp"]).unwrap_err();
        assert!(e.contains("separated by tabs"), "{e}");
        let e = p("date,temp\n1,2\n", &["temps"]).unwrap_err();
        assert!(!e.contains("separated by"), "{e}");
    }

    #[test]
    fn classes_are_numbered_in_the_order_rows_show_them() {
        let text = "x,kind\n0,b\n1,a\n2,\n3,b\n";
        let c = parse_cells(text.as_bytes(), "k.csv", &["kind"], &[Cells::MaybeClasses]).unwrap();
        assert_eq!(c.classes[0], vec!["b", "a"]);
        assert_eq!(c.columns[0][..2], [0.0, 1.0]);
        assert!(c.columns[0][2].is_nan());
        assert_eq!(c.columns[0][3], 0.0);
        // a column of numbers stays numbers, and may not turn to text later
        let c = parse_cells(
            "k\n1\n2\n".as_bytes(),
            "k.csv",
            &["k"],
            &[Cells::MaybeClasses],
        );
        assert_eq!(c.unwrap().columns[0], vec![1.0, 2.0]);
        let e = parse_cells(
            "k\n1\nb\n".as_bytes(),
            "k.csv",
            &["k"],
            &[Cells::MaybeClasses],
        );
        assert!(e.unwrap_err().contains("`b` is not a number"));
    }

    #[test]
    fn empty_file() {
        assert!(p("", &["x"]).unwrap_err().contains("is empty"));
    }

    /// Reading stops at the first data row past the limit; blank lines do not count,
    /// and a file at the limit is read whole.
    #[test]
    fn rows_past_the_limit_stop_the_reading() {
        let text = "x,y\n1,2\n\n3,4\n5,6\n7,8\n";
        let c = parse_rows(text.as_bytes(), "a.csv", &["y"], &[], 4).unwrap();
        assert_eq!(c.rows(), 4);
        let e = parse_rows(text.as_bytes(), "a.csv", &["y"], &[], 3).unwrap_err();
        assert_eq!(
            e,
            "a.csv has more than 3 data rows, more than the plot can take (reading stopped \
             at line 6)"
        );
        // the rest of the file is not read: a bad cell after the limit is not seen
        let bad = "x\n1\n2\nnot a number\n";
        assert!(parse_rows(bad.as_bytes(), "b.csv", &["x"], &[], 1)
            .unwrap_err()
            .contains("more than 1 data rows"));
    }
}
