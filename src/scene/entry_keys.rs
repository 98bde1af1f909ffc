//! The entries of a clip's lists — a composite's `layers`, a plot's `series`, a bar
//! chart's `bars` — checked key by key before the kind's reader, which stops at the
//! first wrong key: every misspelt key of every entry is its own error, and a layout
//! whose keys are wrong still says which clip names it cannot find.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::base::schema::Key;
use crate::clip::build::ResolveCx;

/// (kind, list key, the keys of one entry).
const LISTS: &[(&str, &str, &[Key])] = &[
    ("composite", "layers", crate::layout::schema::LAYER),
    ("plot", "series", crate::source::schema::SERIES),
    ("bars", "bars", crate::source::schema::BAR),
];

/// Every key of every entry of the lists of a `kind` table that the entries do not have.
pub fn unknown(kind: &str, table: &DeTable<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (_, list, keys) in LISTS.iter().filter(|(k, _, _)| *k == kind) {
        let Some(DeValue::Array(entries)) = table.get(*list).map(|v| v.get_ref()) else {
            continue;
        };
        let known: Vec<&str> = keys.iter().map(|k| k.name).collect();
        for entry in entries {
            if let DeValue::Table(t) = entry.get_ref() {
                out.extend(crate::base::de::unknown_keys(t, &known));
            }
        }
    }
    out
}

/// A list of entries written as one table (`[clip.main.layers]`, or `layers = { … }`):
/// the reader would say only that it expected an array.
pub fn list_as_table(kind: &str, clip: &str, table: &DeTable<'_>) -> Option<Diagnostic> {
    let (_, list, _) = LISTS.iter().find(|(k, _, _)| *k == kind)?;
    let raw = table.get(*list)?;
    if !matches!(raw.get_ref(), DeValue::Table(_)) {
        return None;
    }
    let entry = match *list {
        "layers" => "{ clip = \"bg\" }, { clip = \"title\", position = \"center\" }",
        "series" => "{ y = \"sin(x)\" }, { y = \"cos(x)\" }",
        _ => "{ label = \"north\", value = 1200 }, { label = \"south\", value = 2100 }",
    };
    Some(
        Diagnostic::at(
            format!("`{list}` is a list of tables, not one table"),
            raw.span(),
        )
        .with_hint(format!(
            "write {list} = [{entry}], or a [[clip.{clip}.{list}]] header before each entry"
        )),
    )
}

/// A grid's `rows` written as one flat list of names (`["a", "b"]`): the reader would
/// say only that it expected an array.
pub fn flat_rows(kind: &str, table: &DeTable<'_>) -> Option<Diagnostic> {
    if kind != "grid" {
        return None;
    }
    let Some(DeValue::Array(rows)) = table.get("rows").map(|v| v.get_ref()) else {
        return None;
    };
    let names: Vec<String> = rows
        .iter()
        .map(|r| match r.get_ref() {
            DeValue::String(s) => Some(format!("\"{s}\"")),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let first = rows.first()?;
    Some(
        Diagnostic::at(
            "`rows` is a list of rows, each a list of clip names",
            first.span(),
        )
        .with_hint(format!(
            "one row: rows = [[{}]]; one column: rows = [{}]",
            names.join(", "),
            names
                .iter()
                .map(|n| format!("[{n}]"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    )
}

/// A program's `run` written as one command line (`run = "python3 sim.py"`): the reader
/// would say only that it expected an array. The hint splits it on blanks.
pub fn run_as_string(kind: &str, table: &DeTable<'_>) -> Option<Diagnostic> {
    if kind != "program" {
        return None;
    }
    let raw = table.get("run")?;
    let DeValue::String(line) = raw.get_ref() else {
        return None;
    };
    let words: Vec<String> = line
        .split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    let hint = if words.is_empty() {
        "write run = [\"python3\", \"sim.py\"]".to_string()
    } else {
        format!(
            "write run = [{}]: no shell reads it, so quotes, pipes and `~` mean nothing",
            words.join(", ")
        )
    };
    Some(
        Diagnostic::at(
            "`run` is a list: the program, then each of its arguments",
            raw.span(),
        )
        .with_hint(hint),
    )
}

/// A composite's `layers` written as a list of clip names (`["plot", "title"]`, as
/// MoviePy's `CompositeVideoClip([a, b])`): the reader would say only that it expected
/// a table.
pub fn bare_layers(kind: &str, table: &DeTable<'_>) -> Option<Diagnostic> {
    if kind != "composite" {
        return None;
    }
    let Some(DeValue::Array(layers)) = table.get("layers").map(|v| v.get_ref()) else {
        return None;
    };
    let first = layers
        .iter()
        .find(|l| matches!(l.get_ref(), DeValue::String(_)))?;
    let tables: Vec<String> = layers
        .iter()
        .map(|l| match l.get_ref() {
            DeValue::String(s) => format!("{{ clip = \"{s}\" }}"),
            _ => "{ … }".to_string(),
        })
        .collect();
    Some(
        Diagnostic::at(
            "expected a table for each layer, naming its clip, found a clip name",
            first.span(),
        )
        .with_hint(format!(
            "layers = [{}]; a layer may add position, start, end, duration, opacity",
            tables.join(", ")
        )),
    )
}

/// An error for each clip a layout names that the scene does not define.
pub fn unknown_clips(kind: &str, table: &DeTable<'_>, cx: &ResolveCx) -> Vec<Diagnostic> {
    let mut names: Vec<&Spanned<DeValue<'_>>> = Vec::new();
    let list = |key: &str| match table.get(key).map(|v| v.get_ref()) {
        Some(DeValue::Array(a)) => a.iter().collect(),
        _ => Vec::new(),
    };
    match kind {
        "composite" => {
            for layer in list("layers") {
                match layer.get_ref() {
                    DeValue::Table(t) => names.extend(t.get("clip")),
                    // a bare name (see `bare_layers`)
                    DeValue::String(_) => names.push(layer),
                    _ => {}
                }
            }
        }
        "sequence" => names = list("clips"),
        "grid" => {
            for row in list("rows") {
                if let DeValue::Array(cells) = row.get_ref() {
                    names.extend(cells.iter());
                }
            }
        }
        _ => {}
    }
    names
        .into_iter()
        .filter_map(|v| match v.get_ref() {
            DeValue::String(s) => cx.unknown_clip(&Spanned::new(v.span(), s.to_string())),
            _ => None,
        })
        .collect()
}
