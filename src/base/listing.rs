//! Lists inside messages, bounded: a cycle through 100 000 `[vars]` or a scene of
//! 200 000 clips must still give a message one can read (and not megabytes of it);
//! and names quoted in messages, their control characters shown.

/// Items shown at the start of a long list…
const HEAD: usize = 5;
/// …and at its end.
const TAIL: usize = 3;
/// The longest item shown whole, in characters (names can be arbitrarily long).
const ITEM: usize = 60;

/// `items` joined by `sep`; a list longer than `HEAD + TAIL` shows its first and last
/// few items and how many were left out between them.
pub fn joined<S: AsRef<str>>(items: &[S], sep: &str) -> String {
    let item = |s: &S| short(s.as_ref());
    if items.len() <= HEAD + TAIL + 1 {
        return items.iter().map(item).collect::<Vec<_>>().join(sep);
    }
    let head: Vec<String> = items[..HEAD].iter().map(item).collect();
    let tail: Vec<String> = items[items.len() - TAIL..].iter().map(item).collect();
    let left_out = items.len() - HEAD - TAIL;
    format!(
        "{}{sep}… {left_out} more …{sep}{}",
        head.join(sep),
        tail.join(sep)
    )
}

/// `text` in backquotes, each control character named (`<U+000A>`) rather than
/// written: it would act on the terminal, or be invisible (a NUL).
pub fn visible(text: &str) -> String {
    let mut out = String::from("`");
    for c in text.chars() {
        match c.is_control() {
            true => out += &format!("<U+{:04X}>", c as u32),
            false => out.push(c),
        }
    }
    out + "`"
}

/// True for a character that acts on a terminal or hides what follows it rather than
/// showing: control characters, and the bidirectional overrides and isolates, which
/// reorder the rest of the line (U+202E shows `gpj.exe` as `exe.jpg`).
pub fn acts_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` as it may be written to a terminal: line breaks and tabs kept, every other
/// character that [`acts_on_terminal`] named (`<U+001B>`). Everything animate says
/// goes through it, so that a name quoted from a scene (a clip, a path, a colour) cannot
/// clear the screen, retitle the window or hide the rest of the message.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    named(text, |c| c == '\n' || c == '\t' || !acts_on_terminal(c))
}

/// A name (a path, a clip's name) for a listing of one per line: like [`printable`],
/// with its line breaks and tabs named too, so that one name stays one line and one
/// field (`deps`' list, `check`'s timeline).
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    named(text, |c| !acts_on_terminal(c))
}

/// `text` with each character `shown` rejects named by its code.
fn named(text: &str, shown: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if text.chars().all(&shown) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match shown(c) {
            true => out.push(c),
            false => out += &format!("<U+{:04X}>", c as u32),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Like [`visible`], cut to [`ITEM`] characters with `…`: for a value quoted from a
/// file (a CSV cell may be megabytes long).
pub fn visible_short(text: &str) -> String {
    visible(&short(text))
}

/// One item, cut to [`ITEM`] characters with `…`.
fn short(s: &str) -> String {
    match s.char_indices().nth(ITEM) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// `n` and the noun, plural unless `n` is 1: `1 frame`, `2 frames`.
pub fn count(n: u64, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_say_one_in_the_singular() {
        assert_eq!(count(1, "frame"), "1 frame");
        assert_eq!(count(0, "frame"), "0 frames");
        assert_eq!(count(20, "frame"), "20 frames");
    }

    #[test]
    fn control_characters_are_named() {
        assert_eq!(visible("a\nb\u{0}c é"), "`a<U+000A>b<U+0000>c é`");
        assert_eq!(visible_short(&"x".repeat(1000)).chars().count(), 60 + 3);
    }

    #[test]
    fn what_acts_on_a_terminal_is_named_and_lines_are_kept() {
        assert_eq!(printable("a\u{1b}[2Jb\n\tc"), "a<U+001B>[2Jb\n\tc");
        assert_eq!(printable("x\u{202E}gpj.exe\r"), "x<U+202E>gpj.exe<U+000D>");
        assert!(matches!(
            printable("plain é"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_name_on_one_line_has_its_line_breaks_and_tabs_named() {
        assert_eq!(
            one_line("nl\nx\ttab\u{1b}"),
            "nl<U+000A>x<U+0009>tab<U+001B>"
        );
        assert!(matches!(one_line("a b.csv"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn long_lists_keep_their_ends() {
        assert_eq!(joined(&["a", "b", "a"], " → "), "a → b → a");
        let many: Vec<String> = (0..100_000).map(|i| format!("v{i}")).collect();
        let text = joined(&many, " → ");
        assert_eq!(
            text,
            "v0 → v1 → v2 → v3 → v4 → … 99992 more … → v99997 → v99998 → v99999"
        );
        let long = "x".repeat(1000);
        assert_eq!(joined(&[long.as_str()], ", ").chars().count(), ITEM + 1);
    }
}
