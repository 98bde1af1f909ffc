//! Diagnostics: one clear sentence, the place in the scene file, and a hint.

use std::ops::Range;
use std::path::Path;

/// A problem found in a scene file. `span` is a byte range into the file's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub message: String,
    pub span: Option<Range<usize>>,
    pub hint: Option<String>,
    /// Other places the problem involves, each with a line saying why (a failed
    /// measurement read by a clip: where the measurement is declared).
    pub notes: Vec<(String, Range<usize>)>,
}

/// Gives a message-only error its place in the scene file, as typst's `At` does:
/// `limits::check_fps(v).at(span)?`.
pub trait At<T> {
    fn at(self, span: Range<usize>) -> Result<T, Diagnostic>;
}

impl<T, M: Into<String>> At<T> for Result<T, M> {
    fn at(self, span: Range<usize>) -> Result<T, Diagnostic> {
        self.map_err(|m| Diagnostic::at(m, span))
    }
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            span: None,
            hint: None,
            notes: Vec::new(),
        }
    }

    pub fn at(message: impl Into<String>, span: Range<usize>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            span: Some(span),
            hint: None,
            notes: Vec::new(),
        }
    }

    /// Adds another place the problem involves, shown after the first as `note:`.
    pub fn with_note(mut self, note: impl Into<String>, span: Range<usize>) -> Diagnostic {
        self.notes.push((note.into(), span));
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Keeps an existing span: the innermost place is the most precise one.
    pub fn or_span(mut self, span: Range<usize>) -> Diagnostic {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }

    /// Formats the diagnostic the way a compiler does:
    ///
    /// ```text
    /// error: unknown clip `plto`
    ///   --> scene.toml:12:20
    ///    |
    /// 12 | layers = [{ clip = "plto" }]
    ///    |                    ^^^^^^
    ///    = hint: did you mean `plot`?
    /// ```
    pub fn render(&self, path: &Path, src: &str) -> String {
        let mut out = format!("error: {}\n", shortened(&self.message));
        if let Some(span) = &self.span {
            let (place, width) = place(span, path, src);
            out += &place;
            if let Some(hint) = &self.hint {
                out += &format!("{:w$} = hint: {hint}\n", "", w = width);
            }
        } else {
            out += &format!("  --> {}\n", path.display());
            if let Some(hint) = &self.hint {
                out += &format!("  = hint: {hint}\n");
            }
        }
        for (note, span) in &self.notes {
            out += &format!("note: {note}\n");
            out += &place(span, path, src).0;
        }
        out
    }
}

/// The `--> file:line:col` line, the source line and carets under `span`, as a
/// diagnostic shows them.
pub fn place_lines(span: &Range<usize>, path: &Path, src: &str) -> String {
    place(span, path, src).0
}

/// The `--> file:line:col` line, the source line and carets under `span`, and the
/// width of the line number column (for the hint under them).
fn place(span: &Range<usize>, path: &Path, src: &str) -> (String, usize) {
    let start = span.start.min(src.len());
    let (line, col) = line_col(src, start);
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    let text = src[line_start..line_end].trim_end_matches('\r');
    let width = line.to_string().len();
    let end = span.end.clamp(start, line_end);
    let caret_pad = src[line_start..start].chars().count();
    let carets = src[start..end].chars().count().max(1);
    let (text, caret_pad, carets) = excerpt(text, caret_pad, carets);
    // One character for one, so the carets stay under the place.
    let text: String = text
        .chars()
        .map(
            |c| match crate::base::listing::acts_on_terminal(c) && c != '\t' {
                true => char::REPLACEMENT_CHARACTER,
                false => c,
            },
        )
        .collect();
    let mut out = format!(
        "{:w$}--> {}:{}:{}\n",
        "",
        path.display(),
        line,
        col,
        w = width
    );
    out += &format!("{:w$} |\n", "", w = width);
    out += &format!("{line} | {text}\n");
    out += &format!(
        "{:w$} | {}{}\n",
        "",
        " ".repeat(caret_pad),
        "^".repeat(carets),
        w = width
    );
    (out, width)
}

/// The most places a repeated error names besides its own (see [`merge_repeats`]).
const MAX_REPEATS_SHOWN: usize = 5;

/// `errors` with each one that is `shared` (one problem met in several places: a
/// damaged file several series read) and repeated, with the same message and hint,
/// given once: the first, with the others' places as notes saying `note` (at most
/// [`MAX_REPEATS_SHOWN`], the last counting those left out).
pub fn merge_repeats(
    errors: Vec<Diagnostic>,
    shared: impl Fn(&Diagnostic) -> bool,
    note: &str,
) -> Vec<Diagnostic> {
    let mut groups: Vec<Vec<Diagnostic>> = Vec::new();
    for d in errors {
        let same = match shared(&d) && d.span.is_some() {
            true => groups.iter().position(|g| {
                g[0].message == d.message && g[0].hint == d.hint && g[0].span.is_some()
            }),
            false => None,
        };
        match same {
            Some(i) => groups[i].push(d),
            None => groups.push(vec![d]),
        }
    }
    groups
        .into_iter()
        .map(|mut g| {
            // The first place in the file is the error's, the others in file order.
            g.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
            g.dedup_by(|a, b| a.span == b.span);
            let rest = g.split_off(1);
            let mut places = rest.into_iter().filter_map(|d| d.span);
            let mut first = g.pop().expect("a group has an error");
            first.notes.extend(
                places
                    .by_ref()
                    .take(MAX_REPEATS_SHOWN)
                    .map(|s| (note.to_string(), s)),
            );
            let n = places.count();
            if let (Some(last), true) = (first.notes.last_mut(), n > 0) {
                let places = if n == 1 { "place" } else { "places" };
                last.0 += &format!(" (and in {n} more {places})");
            }
            first
        })
        .collect()
}

/// The most errors shown for one scene: the rest are counted in one line.
pub const MAX_SHOWN_ERRORS: usize = 20;

/// The most errors of clips and measurements looked for: each one's hint may go over
/// every clip name or a folder, so thousands of them took minutes. Past it the rest of
/// the scene is not checked, and the last line says so ([`STOPPED`]).
pub const MAX_FOUND_ERRORS: usize = 100;

/// How the notice that checking stopped begins (a message without a place, shown last).
pub const STOPPED: &str = "the scene was checked no further after";

/// Every problem found in a scene file that does not follow from another, so that
/// one run shows them all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}

impl Diagnostics {
    /// In file order (those without a place last), the first [`MAX_SHOWN_ERRORS`]
    /// rendered one after another, then one line counting the rest.
    pub fn render(&self, path: &Path, src: &str) -> String {
        let stopped = |d: &&Diagnostic| d.span.is_none() && d.message.starts_with(STOPPED);
        let notice = self.0.iter().find(stopped);
        let mut sorted: Vec<&Diagnostic> = self.0.iter().filter(|d| !stopped(d)).collect();
        sorted.sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
        let shown: Vec<String> = sorted
            .iter()
            .take(MAX_SHOWN_ERRORS)
            .map(|d| d.render(path, src))
            .collect();
        let mut out = shown.join("\n");
        let rest = sorted.len().saturating_sub(MAX_SHOWN_ERRORS);
        if rest > 0 {
            let s = if rest == 1 { "" } else { "s" };
            out += &format!("\n… and {rest} more error{s}\n");
        }
        if let Some(n) = notice {
            // Under the count of the rest, which it explains.
            out += &format!("{}{}\n", if rest > 0 { "" } else { "\n" }, n.message);
        }
        out
    }
}

impl Diagnostic {
    /// Like [`Diagnostic::render`], headed `warning:`: the scene works, but the user
    /// should look at this place.
    pub fn render_warning(&self, path: &Path, src: &str) -> String {
        let text = self.render(path, src);
        match text.strip_prefix("error") {
            Some(rest) => format!("warning{rest}"),
            None => text,
        }
    }
}

/// The longest name quoted whole in a message (between backticks), in characters.
const QUOTED: usize = 1000;

/// `message` with every name quoted between backticks that is longer than [`QUOTED`]
/// cut to its first 200 characters and `…`: a key, table or clip name of a megabyte
/// made a megabyte of message, once in the message and again in the line shown.
fn shortened(message: &str) -> std::borrow::Cow<'_, str> {
    let parts: Vec<&str> = message.split('`').collect();
    // Quoted parts are the odd ones, when each has its closing backtick.
    let long = |(i, part): (usize, &&str)| {
        i % 2 == 1 && i + 1 < parts.len() && part.chars().nth(QUOTED).is_some()
    };
    if !parts.iter().enumerate().any(long) {
        return std::borrow::Cow::Borrowed(message);
    }
    let cut: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, part)| match long((i, part)) {
            true => format!("{}…", part.chars().take(200).collect::<String>()),
            false => part.to_string(),
        })
        .collect();
    std::borrow::Cow::Owned(cut.join("`"))
}

/// The longest source line shown whole in a diagnostic, in characters.
const SHOWN_LINE: usize = 120;

/// A line of at most about [`SHOWN_LINE`] characters around the marked part of `text`
/// (`pad` characters in, `len` long), with `…` where it was cut, and the marked part's
/// new offset and length: a generated scene may have lines of megabytes.
fn excerpt(text: &str, pad: usize, len: usize) -> (String, usize, usize) {
    let total = text.chars().count();
    if total <= SHOWN_LINE {
        return (text.to_string(), pad, len);
    }
    let len = len.min(SHOWN_LINE / 2);
    let from = pad.saturating_sub(SHOWN_LINE / 4);
    let to = (pad + len + SHOWN_LINE / 4).min(total);
    let mut out: String = if from > 0 {
        "…".into()
    } else {
        String::new()
    };
    out.extend(text.chars().skip(from).take(to - from));
    if to < total {
        out.push('…');
    }
    (out, pad - from + usize::from(from > 0), len)
}

/// Where each line of a text starts, for many [`line_col`] lookups in one text: a scene
/// of 16 000 layers took 1.4 s to load, each layer's place counted from the start.
pub struct LineIndex {
    starts: Vec<usize>,
    /// Per line, whether it is ASCII: its columns are then byte counts (a generated
    /// scene may hold 100 000 layers on one line).
    ascii: Vec<bool>,
}

impl LineIndex {
    pub fn new(src: &str) -> LineIndex {
        let rest = src.match_indices('\n').map(|(i, _)| i + 1);
        let starts: Vec<usize> = std::iter::once(0).chain(rest).collect();
        let ascii = starts
            .iter()
            .zip(starts.iter().skip(1).copied().chain([src.len()]))
            .map(|(&a, b)| src[a..b].is_ascii())
            .collect();
        LineIndex { starts, ascii }
    }

    /// As [`line_col`] for `src`, the text the index was made from.
    pub fn line_col(&self, src: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(src.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = if self.ascii[line - 1] {
            offset - start
        } else {
            src[start..offset].chars().count()
        };
        (line, col + 1)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo:
/// at most one edit (an insertion, deletion, substitution or swap of neighbours) for
/// every three characters of the candidate, at least one, and case ignored. `zoom` is
/// two edits from `from` but nothing like it, so it gets no suggestion.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let len = word.chars().count();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| {
            let n = c.chars().count();
            *d <= 1.max(n / 3) && *d < n.max(len)
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// "did you mean `x`?" for the closest candidate, if any.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    if let Some(c) = candidates.clone().into_iter().find(|c| look_alike(word, c)) {
        return Some(format!(
            "did you mean `{c}`? The two look alike but are other characters: `{}` here, `{}` \
             there (an accented letter typed as one character or as a letter and an accent): \
             write both the same way",
            spelled(word),
            spelled(c)
        ));
    }
    closest(word, candidates).map(|c| match other_letters(word, c) {
        // Cyrillic `а` (U+0430) for Latin `a`: the hint would read as the name typed
        true => format!(
            "did you mean `{c}`? It is written with other characters: `{}` here, `{}` there",
            spelled(word),
            spelled(c)
        ),
        false => format!("did you mean `{c}`?"),
    })
}

/// Whether `a` and `b` differ only where one has a letter outside ASCII and the other
/// an ASCII one (`bar` and `bаr` with a Cyrillic `а`): letters of other alphabets
/// that may be drawn alike, so that a hint naming `b` must spell it out.
fn other_letters(a: &str, b: &str) -> bool {
    a != b
        && a.chars().count() == b.chars().count()
        && a.chars().zip(b.chars()).all(|(p, q)| {
            p == q
                || (p.is_ascii_alphanumeric() && !q.is_ascii() && q.is_alphabetic())
                || (q.is_ascii_alphanumeric() && !p.is_ascii() && p.is_alphabetic())
        })
}

/// The pairs (earlier, later) of `names` that look alike (see [`look_alike`]): two
/// clips named `café`, one with é as one character and one as e and an accent. Names
/// are grouped by their letters with accented ones blurred first, so a scene of many
/// names is not compared pair by pair.
pub fn look_alike_pairs(names: &[&str]) -> Vec<(usize, usize)> {
    let blurred = |s: &str| -> String {
        let mut out = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            let mut marks = false;
            while chars.peek().is_some_and(|&m| combining(m)) {
                chars.next();
                marks = true;
            }
            out.push(if marks || !c.is_ascii() { '?' } else { c });
        }
        out
    };
    let mut groups: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (i, n) in names.iter().enumerate() {
        if n.chars().any(combining) || !n.is_ascii() {
            groups.entry(blurred(n)).or_default().push(i);
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for list in groups.values() {
        for (k, &i) in list.iter().enumerate() {
            if let Some(&j) = list[..k].iter().find(|&&j| look_alike(names[j], names[i])) {
                pairs.push((j, i));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// `name` spelt out, its letters outside ASCII as code points: `caf U+00E9`.
pub fn spelt_out(name: &str) -> String {
    spelled(name)
}

/// Whether two different names could show the same on screen: letter by letter, the
/// same, or an accented letter written as one character in one (`é`) and as an ASCII
/// letter with combining accents in the other (`e` and U+0301): Unicode's two normal
/// forms, which text editors mix. Other characters outside ASCII (`图一`, `图二`) are
/// told apart as usual.
fn look_alike(a: &str, b: &str) -> bool {
    /// Each letter with the combining accents after it.
    fn letters(s: &str) -> Vec<(char, usize)> {
        let mut out: Vec<(char, usize)> = Vec::new();
        for c in s.chars() {
            match out.last_mut() {
                Some((_, marks)) if combining(c) => *marks += 1,
                _ => out.push((c, 0)),
            }
        }
        out
    }
    let (x, y) = (letters(a), letters(b));
    let composed = |p: (char, usize), q: (char, usize)| {
        !p.0.is_ascii() && p.1 == 0 && q.0.is_ascii_alphabetic() && q.1 > 0
    };
    a != b
        && x.len() == y.len()
        && x.iter()
            .zip(&y)
            .all(|(&p, &q)| p == q || composed(p, q) || composed(q, p))
}

/// The combining diacritical marks: an accent drawn over the letter before it.
fn combining(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// A name with every character outside ASCII as its code point: `cafe U+0301`.
fn spelled(name: &str) -> String {
    name.chars()
        .map(|c| match c.is_ascii() {
            true => c.to_string(),
            false => format!(" U+{:04X} ", c as u32),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "did you mean `x`?" for a column of a table: a likely typo ([`closest`]), or else
/// the one column that begins with `word` (`lang` for `language`, `temp` for
/// `temperature`), as column names are often shortened when written from memory.
pub fn did_you_mean_column<'a>(
    word: &str,
    columns: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    if let Some(h) = did_you_mean(word, columns.clone()) {
        return Some(h);
    }
    let lower = word.to_lowercase();
    if lower.chars().count() < 3 {
        return None;
    }
    let mut starting = columns
        .into_iter()
        .filter(|c| c.to_lowercase().starts_with(&lower));
    match (starting.next(), starting.next()) {
        (Some(c), None) => Some(format!("did you mean `{c}`?")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_that_differ_only_in_how_an_accent_is_written_are_told_apart() {
        let (one, two) = ("caf\u{e9}", "cafe\u{301}");
        let hint = super::did_you_mean(two, [one, "main"]).unwrap();
        assert!(
            hint.contains("`cafe U+0301` here, `caf U+00E9` there"),
            "{hint}"
        );
        assert!(!super::look_alike("cafe", "cafe"));
        assert!(!super::look_alike("cafe", "cafx"));
        assert!(
            !super::look_alike("\u{56fe}\u{4e00}", "\u{56fe}\u{4e8c}"),
            "not for CJK"
        );
        assert!(
            !super::look_alike("caf\u{e9}", "caf\u{e8}"),
            "two accented letters"
        );
        assert!(super::look_alike(
            "\u{c5}ngstr\u{f6}m",
            "A\u{30a}ngstro\u{308}m"
        ));
        assert_eq!(
            super::did_you_mean("colr", ["color"]).unwrap(),
            "did you mean `color`?"
        );
    }

    /// A name typed in Latin letters, defined with a Cyrillic `а` (U+0430): the hint
    /// read "did you mean `bаr`?", the name typed (hostile12 F-EB).
    #[test]
    fn a_name_in_letters_of_another_alphabet_is_spelled_out() {
        let hint = super::did_you_mean("bar", ["b\u{430}r", "main"]).unwrap();
        assert!(hint.contains("`bar` here, `b U+0430 r` there"), "{hint}");
        assert!(!super::other_letters("bar", "baz"));
        assert_eq!(
            super::did_you_mean("bax", ["bar"]).unwrap(),
            "did you mean `bar`?"
        );
    }

    #[test]
    fn a_name_of_a_megabyte_is_cut_in_the_message() {
        let name = "a".repeat(1_000_000);
        let d = super::Diagnostic::at(format!("unknown key `{name}` here"), 0..1);
        let text = d.render(std::path::Path::new("s.toml"), "x = 1\n");
        assert!(text.len() < 2000, "{} bytes", text.len());
        assert!(text.starts_with(&format!("error: unknown key `{}…` here", "a".repeat(200))));
        let short = super::Diagnostic::new("unknown key `ab` and `cd`");
        assert!(short
            .render(std::path::Path::new("s"), "")
            .starts_with("error: unknown key `ab` and `cd`\n"));
    }

    use super::*;

    /// One bad file read by three series: one error with two notes; an error not
    /// shared, repeated, stays twice; past five notes the last counts the rest.
    #[test]
    fn a_shared_error_is_reported_once_with_its_places() {
        let bad = |at: usize| Diagnostic::at("c.csv, line 5: oops is not a number", at..at + 1);
        let other = |at: usize| Diagnostic::at("unknown key", at..at + 1);
        let errors = vec![bad(30), other(20), bad(10), other(40), bad(50), bad(30)];
        let shared = |d: &Diagnostic| d.message.starts_with("c.csv");
        let out = merge_repeats(errors, shared, "read here too");
        assert_eq!(out.len(), 3);
        // the first place in the file is the error's
        assert_eq!(out[0].span, Some(10..11));
        let notes: Vec<_> = out[0].notes.iter().map(|n| n.1.start).collect();
        assert_eq!(notes, [30, 50]);
        assert!(out[1].notes.is_empty() && out[2].notes.is_empty());
        let many: Vec<Diagnostic> = (0..9).map(|k| bad(10 * k)).collect();
        let out = merge_repeats(many, shared, "read here too");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].notes.len(), 5);
        assert_eq!(out[0].notes[4].0, "read here too (and in 3 more places)");
    }

    #[test]
    fn a_shortened_column_name_is_suggested() {
        let cols = ["year", "language", "users"];
        assert_eq!(
            did_you_mean_column("lang", cols).as_deref(),
            Some("did you mean `language`?")
        );
        assert_eq!(
            did_you_mean_column("usres", cols).as_deref(),
            Some("did you mean `users`?")
        );
        // too short, or more than one column starts so
        assert_eq!(did_you_mean_column("la", cols), None);
        assert_eq!(
            did_you_mean_column("lang", ["language_a", "language_b"]),
            None
        );
    }

    #[test]
    fn the_line_index_agrees_with_counting_from_the_start() {
        for src in ["", "a", "\n", "ab\ncdé\n\nfg", "x\n\n", "é\nü\n"] {
            let index = LineIndex::new(src);
            for offset in (0..=src.len() + 2).filter(|&o| o >= src.len() || src.is_char_boundary(o))
            {
                assert_eq!(
                    index.line_col(src, offset),
                    line_col(src, offset),
                    "{src:?} {offset}"
                );
            }
        }
    }

    #[test]
    fn line_and_column_count_characters() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, src.find('=').unwrap()), (1, 3));
        assert_eq!(line_col(src, src.rfind('=').unwrap()), (2, 4));
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(closest("opacty", ["opacity", "resize"]), Some("opacity"));
        assert_eq!(closest("zzz", ["opacity", "resize"]), None);
        // Two edits in a four-letter word is a different word.
        assert_eq!(closest("zoom", ["from", "fov", "target"]), None);
        assert_eq!(closest("duraton", ["duration"]), Some("duration"));
        assert_eq!(closest("rdbu", ["RdBu", "RdBu_r"]), Some("RdBu"));
        assert_eq!(closest("aa", ["a", "b"]), Some("a"));
    }

    #[test]
    fn long_lines_are_shown_around_the_span() {
        let src = format!(
            "x = [{}\"bad\", {}]\n",
            "1, ".repeat(5000),
            "2, ".repeat(5000)
        );
        let start = src.find("\"bad\"").unwrap();
        let text = Diagnostic::at("wrong", start..start + 5).render(Path::new("s.toml"), &src);
        assert!(text.len() < 600, "{text}");
        assert!(
            text.contains(&format!("--> s.toml:1:{}", start + 1)),
            "{text}"
        );
        let lines: Vec<&str> = text.lines().collect();
        let (code, carets) = (lines[3], lines[4]);
        let at = carets.find('^').unwrap();
        // The carets sit under the marked text, counted in characters.
        let under: String = code
            .chars()
            .skip(carets[..at].chars().count())
            .take(5)
            .collect();
        assert_eq!(under, "\"bad\"", "{text}");
        assert!(
            code.contains("1 | …1, 1,") && code.ends_with(", 2…"),
            "{code}"
        );
    }

    #[test]
    fn renders_caret_under_span() {
        let src = "x = 1\nclip = \"plto\"\n";
        let start = src.find("\"plto\"").unwrap();
        let d = Diagnostic::at("unknown clip `plto`", start..start + 6)
            .with_hint("did you mean `plot`?");
        let text = d.render(Path::new("s.toml"), src);
        assert!(text.contains("--> s.toml:2:8"), "{text}");
        assert!(text.contains("2 | clip = \"plto\""), "{text}");
        assert!(text.contains("  |        ^^^^^^"), "{text}");
        assert!(text.contains("= hint: did you mean `plot`?"), "{text}");
    }

    #[test]
    fn the_notice_that_checking_stopped_comes_last_under_the_count() {
        let src = "x = 1\n".repeat(30);
        let mut list: Vec<Diagnostic> = (0..25)
            .map(|k| Diagnostic::at(format!("wrong {k}"), 6 * k..6 * k + 1))
            .collect();
        // Found before the last errors, shown after them all.
        list.insert(3, Diagnostic::new(format!("{STOPPED} 25 errors")));
        let text = Diagnostics(list).render(Path::new("s.toml"), &src);
        assert!(
            text.ends_with(&format!("… and 5 more errors\n{STOPPED} 25 errors\n")),
            "{text}"
        );
        assert!(text.starts_with("error: wrong 0"), "{text}");
    }
}
