//! Placeholders in a program's arguments: `{t}`, `{frame}`, `{out}`, `{width}`, …
//! checked when the scene is resolved, filled in for each run.

/// Placeholders a stream program's arguments may use.
pub const STREAM_NAMES: &[&str] = &[
    "width", "height", "fps", "duration", "frames", "first", "last",
];

/// Placeholders a per-frame program's arguments may use.
pub const EACH_NAMES: &[&str] = &[
    "width", "height", "fps", "duration", "frames", "t", "frame", "out",
];

/// Every placeholder name: braces around any other text are not a placeholder.
const KNOWN: &[&str] = &[
    "width", "height", "fps", "duration", "frames", "t", "frame", "out", "first", "last",
];

/// One argument: literal text and placeholders.
#[derive(Clone, Debug)]
pub struct Template {
    text: String,
    parts: Vec<Part>,
}

#[derive(Clone, Debug)]
enum Part {
    Text(String),
    Name(&'static str),
}

impl Template {
    /// Parses `arg`, allowing the placeholders in `names`. Only a known placeholder
    /// name between braces is one: other braces (inline code in `sh -c`, `perl -e`)
    /// stay as written.
    pub fn parse(arg: &str, names: &[&'static str]) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = arg;
        while let Some(i) = rest.find('{') {
            text.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let name = after.find('}').map(|end| &after[..end]);
            let Some(known) = name.and_then(|n| KNOWN.iter().find(|k| **k == n)) else {
                text.push('{');
                rest = after;
                continue;
            };
            if !names.contains(known) && !EACH_NAMES.contains(known) {
                return Err(format!(
                    "the placeholder `{{{known}}}` is given only to a stream program (a program \
                     run once per frame runs only for the frames needed): its placeholders are {}",
                    shown_names(names)
                ));
            }
            if !names.contains(known) {
                return Err(format!(
                    "the placeholder `{{{known}}}` is given only to a program run once per frame \
                     (each = \"frame\"): a stream program's placeholders are {}",
                    shown_names(names)
                ));
            }
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(Part::Name(known));
            rest = &after[known.len() + 1..];
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template {
            text: arg.to_string(),
            parts,
        })
    }

    /// The argument as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the argument names a placeholder.
    pub fn uses(&self, name: &str) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Name(n) if *n == name))
    }

    /// The argument with every placeholder replaced by its value in `values`.
    pub fn fill(&self, values: &[(&'static str, String)]) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Name(n) => {
                    if let Some((_, v)) = values.iter().find(|(k, _)| k == n) {
                        out.push_str(v);
                    }
                }
            }
        }
        out
    }
}

/// `{width}, {height}, …` for messages.
fn shown_names(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("{{{n}}}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An argument as a shell would need it written, for messages.
pub fn shell_word(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%{}".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// The `ANIMATE_*` environment variable carrying a placeholder's value.
pub fn env_name(name: &str) -> String {
    format!("ANIMATE_{}", name.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders_and_keeps_other_braces() {
        let t = Template::parse("frame-{frame}.png at {t}s {x} ${HOME} {", EACH_NAMES).unwrap();
        let got = t.fill(&[("frame", "7".into()), ("t", "0.35".into())]);
        assert_eq!(got, "frame-7.png at 0.35s {x} ${HOME} {");
        assert!(t.uses("frame") && !t.uses("out"));
    }

    #[test]
    fn refuses_per_frame_placeholders_in_a_stream() {
        let e = Template::parse("{t}", STREAM_NAMES).unwrap_err();
        assert!(e.contains("each = \"frame\""), "{e}");
        assert!(Template::parse("{width}", STREAM_NAMES).is_ok());
        assert!(Template::parse("{first}-{last}", STREAM_NAMES).is_ok());
        let e = Template::parse("{first}", EACH_NAMES).unwrap_err();
        assert!(e.contains("only to a stream program"), "{e}");
    }

    #[test]
    fn shows_arguments_as_a_shell_would_need_them() {
        assert_eq!(shell_word("sim.py"), "sim.py");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }
}
