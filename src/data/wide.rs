//! A "wide" CSV table: one row per named thing, one numeric column per step (a bar
//! chart race's countries and years). Empty cells are 0: a thing not yet present.

use std::path::Path;

/// The most rows (bars) a wide table may have.
pub const MAX_ROWS: usize = 10_000;

/// The most values a wide table may hold (80 MB as `f64`): empty cells take one byte of
/// the file but eight of memory.
pub const MAX_VALUES: usize = 10_000_000;

/// Names, the headers of the value columns, and each row's values, one per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Wide {
    pub names: Vec<String>,
    pub headers: Vec<String>,
    pub values: Vec<Vec<f64>>,
}

/// Reads the table at `path`: names from the column `names`, values from `columns`
/// (every other column when `None`). `shown` names the file in messages.
pub fn read(
    path: &Path,
    shown: &str,
    names: &str,
    columns: Option<&[String]>,
) -> Result<Wide, String> {
    parse(super::csv::open(path, shown)?, shown, names, columns)
}

/// Like [`read`], from any reader.
pub fn parse(
    input: impl std::io::Read,
    shown: &str,
    names: &str,
    columns: Option<&[String]>,
) -> Result<Wide, String> {
    let (mut reader, headers) = super::csv::records(input, shown)?;
    let all: Vec<&str> = headers.iter().collect();
    let find = |name: &str| {
        all.iter().position(|h| *h == name).ok_or_else(|| {
            let hint = crate::base::diag::did_you_mean_column(name, all.iter().copied())
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            format!(
                "{shown} has no column `{name}` (its columns: {}){hint}{}",
                crate::base::listing::joined(&all, ", "),
                super::csv::separated_otherwise(&headers)
            )
        })
    };
    let name_at = find(names)?;
    let value_at: Vec<usize> = match columns {
        Some(list) => list.iter().map(|c| find(c)).collect::<Result<_, _>>()?,
        None => (0..all.len()).filter(|&i| i != name_at).collect(),
    };
    if value_at.is_empty() {
        return Err(format!("{shown} has no column of values beside `{names}`"));
    }
    let mut wide = Wide {
        names: Vec::new(),
        headers: value_at.iter().map(|&i| all[i].to_string()).collect(),
        values: Vec::new(),
    };
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(format!("{shown}: {}", super::csv::reason(&e))),
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        if wide.names.len() == MAX_ROWS {
            return Err(format!("{shown} has more than {MAX_ROWS} rows"));
        }
        if (wide.names.len() + 1) * value_at.len() > MAX_VALUES {
            return Err(format!(
                "{shown} has too many values: at most {MAX_VALUES} (rows × columns)"
            ));
        }
        let mut row = Vec::with_capacity(value_at.len());
        for &i in &value_at {
            let v = match record.get(i) {
                None | Some("") => 0.0,
                Some(cell) => cell
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| super::csv::not_a_number(cell, shown, line, all[i]))?,
            };
            row.push(v);
        }
        wide.names
            .push(record.get(name_at).unwrap_or("").to_string());
        wide.values.push(row);
    }
    if wide.names.is_empty() {
        return Err(format!("{shown} has no rows under its header"));
    }
    Ok(wide)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_steps() {
        let text = "country,2000,2001\nA,1,2\nB,,5\n";
        let w = parse(text.as_bytes(), "w.csv", "country", None).unwrap();
        assert_eq!(w.names, vec!["A", "B"]);
        assert_eq!(w.headers, vec!["2000", "2001"]);
        assert_eq!(w.values, vec![vec![1.0, 2.0], vec![0.0, 5.0]]);
        let one = parse(text.as_bytes(), "w.csv", "country", Some(&["2001".into()])).unwrap();
        assert_eq!(one.values, vec![vec![2.0], vec![5.0]]);
    }

    #[test]
    fn tables_too_large_for_memory_are_refused() {
        let header = format!("n{}\n", ",".repeat(MAX_VALUES / 100));
        let row = format!("a{}\n", ",".repeat(MAX_VALUES / 100));
        let text = header + &row.repeat(101);
        let e = parse(text.as_bytes(), "w.csv", "n", None).unwrap_err();
        assert!(e.contains("too many values"), "{e}");
    }

    #[test]
    fn errors_name_the_place() {
        let e = parse("n,2000\nA,x\n".as_bytes(), "w.csv", "n", None).unwrap_err();
        assert_eq!(e, "w.csv, line 2, column `2000`: `x` is not a number");
        let e = parse("n,2000\nA,1\n".as_bytes(), "w.csv", "name", None).unwrap_err();
        assert!(e.contains("has no column `name`"), "{e}");
        let e = parse("n\nA\n".as_bytes(), "w.csv", "n", None).unwrap_err();
        assert!(e.contains("no column of values"), "{e}");
    }
}
