//! Positions inside a TOML string: which byte of the file each byte of the string's
//! value came from, through escapes, multi-line strings and line-ending backslashes,
//! so an error inside a value can point at the exact character in the file.

use std::ops::Range;

/// The file range that `at` (a byte range of `value`) came from, where `span` is the
/// string's place in `source`, quotes included. `None` when the string cannot be
/// followed (a form this module does not know): callers then point at the whole string.
pub fn place(
    source: &str,
    span: Range<usize>,
    value: &str,
    at: Range<usize>,
) -> Option<Range<usize>> {
    let token = source.get(span.clone())?;
    let map = offsets(token, value)?;
    let start = *map.get(at.start)?;
    let end = *map.get(at.end)?;
    Some(span.start + start..span.start + end.max(start))
}

/// For each byte of `value` (and one past its end), its offset in `token`, the string
/// as written; `None` unless decoding `token` gives exactly `value`.
pub fn offsets(token: &str, value: &str) -> Option<Vec<usize>> {
    let (quote, multi) = if token.starts_with("\"\"\"") {
        ('"', true)
    } else if token.starts_with("'''") {
        ('\'', true)
    } else if token.starts_with('"') {
        ('"', false)
    } else if token.starts_with('\'') {
        ('\'', false)
    } else {
        return None;
    };
    let delim = if multi { 3 } else { 1 };
    if token.len() < 2 * delim {
        return None;
    }
    let body = &token[..token.len() - delim];
    let mut i = delim;
    // A newline right after the opening delimiter is not part of a multi-line string.
    if multi {
        if body[i..].starts_with("\r\n") {
            i += 2;
        } else if body[i..].starts_with('\n') {
            i += 1;
        }
    }
    let mut out = String::with_capacity(value.len());
    let mut map = Vec::with_capacity(value.len() + 1);
    let push = |out: &mut String, map: &mut Vec<usize>, c: char, from: usize| {
        out.push(c);
        map.extend(std::iter::repeat_n(from, c.len_utf8()));
    };
    while i < body.len() {
        let c = body[i..].chars().next()?;
        if c != '\\' || quote == '\'' {
            // Characters written as themselves map byte for byte.
            out.push(c);
            map.extend((0..c.len_utf8()).map(|k| i + k));
            i += c.len_utf8();
            continue;
        }
        let e = body[i + 1..].chars().next()?;
        let simple = match e {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(s) = simple {
            push(&mut out, &mut map, s, i);
            i += 2;
            continue;
        }
        let hex = match e {
            'u' => 4,
            'U' => 8,
            'x' => 2,
            _ => 0,
        };
        if hex > 0 {
            let digits = body.get(i + 2..i + 2 + hex)?;
            let code = u32::from_str_radix(digits, 16).ok()?;
            push(&mut out, &mut map, char::from_u32(code)?, i);
            i += 2 + hex;
            continue;
        }
        // A backslash at the end of a line (spaces may follow it) joins the next
        // non-blank text, in multi-line strings.
        if multi {
            let rest = &body[i + 1..];
            let blank = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let after = &rest[blank..];
            if after.starts_with('\n') || after.starts_with("\r\n") {
                let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
                i += 1 + skipped;
                continue;
            }
        }
        return None;
    }
    map.push(body.len());
    (out == value).then_some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file text an error at `needle` (found in the value) points to.
    fn pointed(source: &str, value: &str, needle: &str) -> Option<String> {
        let start = source.find(['"', '\'']).unwrap();
        let span = start..source.trim_end().len();
        let at = value.find(needle).unwrap();
        let r = place(source, span, value, at..at + needle.len())?;
        Some(source[r].to_string())
    }

    #[test]
    fn follows_escapes_and_multi_line_forms() {
        assert_eq!(
            pointed(r#"a = "x {t} y""#, "x {t} y", "{t}").unwrap(),
            "{t}"
        );
        assert_eq!(
            pointed(r#"a = "é\n\u00e9 {t:.2q}""#, "é\né {t:.2q}", "q").unwrap(),
            "q"
        );
        assert_eq!(pointed(r#"a = "\u00e9""#, "é", "é").unwrap(), r"\u00e9");
        assert_eq!(
            pointed(r#"a = 'C:\x {bad}'"#, r"C:\x {bad}", "bad").unwrap(),
            "bad"
        );
        let src = "a = \"\"\"\nline one\nline {two}\"\"\"";
        assert_eq!(pointed(src, "line one\nline {two}", "two").unwrap(), "two");
        let src = "a = \"\"\"\nfirst \\\n    {x}\"\"\"";
        assert_eq!(pointed(src, "first {x}", "x").unwrap(), "x");
        let src = "a = '''\n{raw\\n}'''";
        assert_eq!(pointed(src, "{raw\\n}", "\\n").unwrap(), "\\n");
    }

    #[test]
    fn gives_up_when_the_value_does_not_match() {
        assert!(offsets(r#""abc""#, "abd").is_none());
        assert!(offsets("abc", "abc").is_none());
        assert!(offsets(r#""\q""#, "q").is_none());
        assert_eq!(offsets(r#""ab""#, "ab").unwrap(), vec![1, 2, 3]);
    }
}
