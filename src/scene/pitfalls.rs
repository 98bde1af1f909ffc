//! TOML's pitfalls, told as such. A key written under the wrong `[table]` header (every
//! key after a header belongs to it, however far down, so a `title = …` meant for a
//! plot and written after `[output]` is `[output]`'s), a key above the first header
//! (it belongs to no table), and a table or key given twice: the reader's own words
//! ("unknown key", "duplicate key") leave a newcomer to find the header at fault.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::schema::{self, KINDS, MEASURE, OUTPUT};
use crate::base::diag::Diagnostic;
use crate::base::schema::Key;

/// The keys every clip table may have, whatever its kind.
const CLIP_KEYS: &[&str] = &["kind", "from", "effects", "mask"];

/// A table written with a header line, where the header starts.
struct Header {
    /// Byte offset of the header's `[`.
    at: usize,
    /// As written in the file: `[output]`, `[clip.plot]`.
    name: String,
    /// The keys this table may have; `None` when any key goes (`[vars]`) or they are
    /// unknown (a clip of an unknown kind).
    keys: Option<Vec<&'static str>>,
}

/// Sharpens the hints of `diags` where a key is under the wrong header.
pub fn explain(src: &str, diags: &mut [Diagnostic]) {
    // Read again only for what it may explain: a scene refused for its size (a million
    // items) is not parsed a second time.
    let unknown = |d: &Diagnostic| {
        d.message.starts_with("unknown key `") || d.message.starts_with("unknown table `")
    };
    if !diags.iter().any(unknown) {
        return;
    }
    let Ok(doc) = DeTable::parse(src) else {
        return;
    };
    let headers = headers(src, doc.get_ref());
    for d in diags.iter_mut() {
        let Some(span) = d.span.clone() else { continue };
        if let Some(key) = quoted(&d.message, "unknown key `") {
            if let Some(hint) = misplaced(src, &headers, &key, &span) {
                d.hint = Some(hint);
            }
        } else if let Some(key) = quoted(&d.message, "unknown table `") {
            if let Some(hint) = above_every_header(src, &key, &span) {
                d.hint = Some(hint);
            }
        }
    }
}

/// The name between `prefix` and the next backtick of `message`.
fn quoted(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    Some(rest[..rest.find('`')?].to_string())
}

/// 1-based line number of byte `at`.
fn line_of(src: &str, at: usize) -> usize {
    src[..at.min(src.len())].matches('\n').count() + 1
}

/// The start of the line holding byte `at`.
fn line_start(src: &str, at: usize) -> usize {
    src[..at.min(src.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// Whether the key at `span` is written at the start of its line (`key = …`): a key of
/// the table of the header above, not one inside an inline table or a list.
fn starts_its_line(src: &str, span: &Range<usize>) -> bool {
    src.get(line_start(src, span.start)..span.start)
        .is_some_and(|before| before.trim().is_empty())
}

/// Every table of the scene written as a header, in file order.
fn headers(src: &str, top: &DeTable<'_>) -> Vec<Header> {
    let mut found = Vec::new();
    let mut push = |span: Range<usize>, name: String, keys: Option<Vec<&'static str>>| {
        let start = line_start(src, span.start);
        if src[start..].trim_start().starts_with('[') {
            let at = start + src[start..].find('[').unwrap_or(0);
            found.push(Header { at, name, keys });
        }
    };
    for (key, value) in top.iter() {
        match key.get_ref().as_ref() {
            "output" => push(key.span(), "[output]".into(), Some(names(OUTPUT))),
            "vars" => push(key.span(), "[vars]".into(), None),
            group @ ("clip" | "measure") => {
                let DeValue::Table(tables) = value.get_ref() else {
                    continue;
                };
                for (name, _) in tables.iter() {
                    let keys = if group == "measure" {
                        Some(names(MEASURE))
                    } else {
                        clip_keys(tables, name.get_ref(), 0)
                    };
                    push(name.span(), format!("[{group}.{}]", name.get_ref()), keys);
                }
            }
            _ => {}
        }
    }
    found.sort_by_key(|h| h.at);
    found
}

fn names(keys: &[Key]) -> Vec<&'static str> {
    keys.iter().map(|k| k.name).collect()
}

/// The keys the clip `name` may have: its kind's, or (made `from` another) the other
/// clip's, followed a few steps.
fn clip_keys(clips: &DeTable<'_>, name: &str, depth: usize) -> Option<Vec<&'static str>> {
    let DeValue::Table(table) = clips.get(name)?.get_ref() else {
        return None;
    };
    let text = |key: &str| match table.get(key).map(|v| v.get_ref()) {
        Some(DeValue::String(s)) => Some(s.to_string()),
        _ => None,
    };
    if let Some(kind) = text("kind") {
        let (_, parts, _) = KINDS.iter().find(|(k, _, _)| *k == kind)?;
        let mut keys = names(&schema::kind_keys(parts));
        keys.extend(CLIP_KEYS);
        return Some(keys);
    }
    let other = text("from")?;
    (depth < 16 && other != name)
        .then(|| clip_keys(clips, &other, depth + 1))
        .flatten()
}

/// The hint for an unknown `key` at `span` that the table of the header before its own
/// takes: it was meant for that table, and written after the next header.
fn misplaced(src: &str, headers: &[Header], key: &str, span: &Range<usize>) -> Option<String> {
    if !starts_its_line(src, span) {
        return None;
    }
    let own = headers.iter().rposition(|h| h.at < span.start)?;
    let (this, before) = (&headers[own], &headers[..own]);
    let meant = before
        .iter()
        .rev()
        .find(|h| h.keys.as_ref().is_some_and(|keys| keys.contains(&key)))?;
    Some(format!(
        "`{key}` is a key of `{}` (line {}), not of `{}`: in TOML every key after a \
         `[table]` header belongs to that header's table, however far below it — move \
         this line up, under `{}`",
        meant.name,
        line_of(src, meant.at),
        this.name,
        meant.name,
    ))
}

/// The hint for `key` written above every header (an "unknown table"): the table it
/// belongs in.
fn above_every_header(src: &str, key: &str, span: &Range<usize>) -> Option<String> {
    // A key above the first header: the header lines come after it.
    if !starts_its_line(src, span) || src[line_start(src, span.start)..].starts_with('[') {
        return None;
    }
    let before = &src[..span.start];
    if before.lines().any(|l| l.trim_start().starts_with('[')) {
        return None;
    }
    if let Some(hint) = header_after_its_keys(src, key, span) {
        return Some(hint);
    }
    let (table, header) = if OUTPUT.iter().any(|k| k.name == key) {
        ("`[output]`", "an `[output]` header")
    } else if CLIP_KEYS.contains(&key)
        || KINDS
            .iter()
            .any(|(_, parts, _)| parts.iter().any(|p| p.iter().any(|k| k.name == key)))
    {
        ("a clip", "a `[clip.NAME]` header")
    } else {
        return None;
    };
    Some(format!(
        "`{key}` is a key of {table}: a key above every `[table]` header belongs to no \
         table, so write it below {header}"
    ))
}

/// The hint for `key` above every header when the first header below it has no keys
/// of its own (`kind = …` … then `[clip.main]`): the header was written after its keys.
fn header_after_its_keys(src: &str, key: &str, span: &Range<usize>) -> Option<String> {
    let after = &src[span.start..];
    let mut lines = after.lines().enumerate().skip(1);
    let (offset, header) = lines.find_map(|(i, l)| {
        let l = l.split('#').next().unwrap_or(l).trim();
        is_header(l).then(|| (i, l.to_string()))
    })?;
    // Nothing but blank lines and comments between that header and the next (or the end).
    let empty = lines
        .map(|(_, l)| l.split('#').next().unwrap_or(l).trim())
        .take_while(|l| !is_header(l))
        .all(str::is_empty);
    if !empty {
        return None;
    }
    let line = line_of(src, span.start) + offset;
    Some(format!(
        "the header `{header}` (line {line}) comes after its keys and holds none: a \
         `[table]` header starts its table, and the keys below it are its own, so move \
         `{header}` above `{key}`"
    ))
}

/// Whether a line (its comment cut) is a table header, `[clip.main]` or `[[x]]`, not a
/// row of a multi-line array (`[0, 1],`).
fn is_header(l: &str) -> bool {
    let inner = l
        .strip_prefix("[[")
        .and_then(|r| r.strip_suffix("]]"))
        .or_else(|| l.strip_prefix('[').and_then(|r| r.strip_suffix(']')))
        .map(str::trim);
    inner.is_some_and(|n| {
        !n.contains(['[', ']', ',', '='])
            && n.starts_with(|c: char| c.is_alphabetic() || c == '_' || c == '"' || c == '\'')
    })
}

/// The TOML reader's "duplicate key" at `span`, told as the table or key given twice,
/// with where it was first.
pub fn duplicate(src: &str, span: &Range<usize>) -> Option<Diagnostic> {
    let name = src.get(span.clone())?.trim().trim_matches('"');
    let start = line_start(src, span.start);
    let line = src[start..].lines().next().unwrap_or_default().trim();
    if line.starts_with('[') {
        let header = line.split('#').next().unwrap_or(line).trim();
        // `[[clip]]` after `[clip.main]`: `clip` is a table of named clips already.
        if header.starts_with("[[") && name == "clip" {
            return Some(
                Diagnostic::at("`[[clip]]` does not add a clip", span.clone()).with_hint(
                    "each clip is a table of its own with its name in the header, \
                     `[clip.NAME]`, not an entry of `[[clip]]`",
                ),
            );
        }
        // `[clip.main]` twice: the header as written, first seen where?
        let first = src[..start]
            .lines()
            .position(|l| l.split('#').next().unwrap_or(l).trim() == header)
            .map(|i| i + 1);
        let mut d = Diagnostic::at(format!("the table `{header}` is given twice"), span.clone());
        d.hint = Some(match first {
            Some(n) => format!(
                "its first header is at line {n}: TOML gives a table one header, so put \
                 these keys under that one (or give this table another name)"
            ),
            None => "TOML gives a table one header: put its keys under one".into(),
        });
        return Some(d);
    }
    // A key twice in one table: the earlier line of the same table that sets it.
    let section = src[..start].rfind("\n[").map_or(0, |i| i + 1);
    let first = src[section..start]
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| line_of(src, section) + i);
    let mut d = Diagnostic::at(
        format!("`{name}` is given twice in one table"),
        span.clone(),
    );
    d.hint = Some(match first {
        Some(n) => format!("line {n} gives it already: keep one of the two"),
        None => "keep one of the two".into(),
    });
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint_of(src: &str, message: &str, needle: &str) -> Option<String> {
        let at = src.find(needle).unwrap();
        let mut d = vec![Diagnostic::at(message.to_string(), at..at + needle.len())];
        explain(src, &mut d);
        d.pop().unwrap().hint
    }

    #[test]
    fn a_plot_key_after_the_output_header_names_the_plot() {
        let src =
            "[clip.plot]\nkind = \"plot\"\nsize = [9, 9]\n\n[output]\nfps = 2\ntitle = \"A\"\n";
        let hint = hint_of(src, "unknown key `title`", "title").unwrap();
        assert!(
            hint.contains("`title` is a key of `[clip.plot]` (line 1), not of `[output]`"),
            "{hint}"
        );
    }

    #[test]
    fn an_array_of_clips_after_a_named_clip_is_told_as_such() {
        let src = "[clip.main]\nkind = \"color\"\n[[clip]]\nname = \"b\"\n";
        let at = src.find("clip]]").unwrap();
        let d = duplicate(src, &(at..at + 4)).unwrap();
        assert_eq!(d.message, "`[[clip]]` does not add a clip");
        assert!(d.hint.unwrap().contains("`[clip.NAME]`"));
    }

    #[test]
    fn a_key_of_neither_table_keeps_its_hint() {
        let src = "[clip.plot]\nkind = \"plot\"\nsize = [9, 9]\n\n[output]\ntitel = \"A\"\n";
        assert_eq!(hint_of(src, "unknown key `titel`", "titel"), None);
    }

    #[test]
    fn a_clip_made_from_another_takes_the_others_keys() {
        let src = "[clip.a]\nkind = \"color\"\n[clip.b]\nfrom = \"a\"\n[output]\ncolor = 1\n";
        let hint = hint_of(src, "unknown key `color`", "color = 1").unwrap();
        assert!(hint.contains("of `[clip.b]` (line 3)"), "{hint}");
    }

    #[test]
    fn an_output_key_above_every_header_says_where_it_goes() {
        let src = "fps = 20\n[clip.a]\nkind = \"color\"\n";
        let hint = hint_of(src, "unknown table `fps`", "fps").unwrap();
        assert!(hint.contains("a key of `[output]`"), "{hint}");
    }

    #[test]
    fn a_header_twice_names_the_first() {
        let src = "[vars]\na = 1\n[clip.x]\nkind = \"color\"\n[vars]\nb = 2\n";
        let at = src.rfind("vars").unwrap();
        let d = duplicate(src, &(at..at + 4)).unwrap();
        assert_eq!(d.message, "the table `[vars]` is given twice");
        assert!(d.hint.unwrap().contains("line 1"));
    }

    #[test]
    fn a_key_twice_names_the_first() {
        let src = "[clip.x]\nkind = \"color\"\ncolor = \"red\"\nsize = [1, 1]\ncolor = \"blue\"\n";
        let at = src.rfind("color").unwrap();
        let d = duplicate(src, &(at..at + 5)).unwrap();
        assert_eq!(d.message, "`color` is given twice in one table");
        assert_eq!(
            d.hint.as_deref(),
            Some("line 3 gives it already: keep one of the two")
        );
    }

    #[test]
    fn rows_of_an_array_are_not_headers() {
        assert!(is_header("[clip.main]") && is_header("[[series]]") && is_header("[clip.\"a b\"]"));
        assert!(!is_header("[0, 1],") && !is_header("[2, 3]]") && is_header("[\"a\"]"));
        assert!(!is_header("[3]") && !is_header("[]"));
    }
}
