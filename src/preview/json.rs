//! The state the page polls, as JSON.

use std::fmt::Write as _;

use super::job::Status;
use super::state::Snapshot;
use crate::base::frame::Size;

/// A JSON string literal.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn number(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "null".into()
    }
}

/// `{revision, error, warnings, scene}`: `scene` is the last one that loaded (its
/// frames stay in the page while the file is broken), `error` the latest load's.
pub fn state(s: &Snapshot, bound: Size, render: &Status) -> String {
    let mut out = format!("{{\"revision\":{},", s.revision);
    let _ = write!(
        out,
        "\"render\":{{\"phase\":\"{}\",\"done\":{},\"total\":{},\"message\":{}}},",
        render.phase,
        render.done,
        render.total,
        string(&render.message)
    );
    out += &format!(
        "\"error\":{},",
        s.error.as_deref().map_or("null".into(), string)
    );
    let warnings: Vec<String> = s.warnings.iter().map(|w| string(w)).collect();
    out += &format!("\"warnings\":[{}],", warnings.join(","));
    match &s.good {
        None => out += "\"scene\":null}",
        Some(g) => {
            let preview = super::query::fit(g.size, bound);
            let _ = write!(
                out,
                "\"scene\":{{\"revision\":{},\"path\":{},\"fps\":{},\"frames\":{},\"duration\":{},\
                 \"size\":[{},{}],\"preview\":[{},{}],\"timeline\":{}}}}}",
                s.good_revision,
                string(&g.scene.path.display().to_string()),
                number(g.fps),
                g.frames.map_or("null".into(), |n| n.to_string()),
                g.duration.map_or("null".into(), number),
                g.size.w,
                g.size.h,
                preview.w,
                preview.h,
                string(&g.timeline),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_are_escaped() {
        assert_eq!(
            super::string("a\"b\\c\nd\u{1}"),
            "\"a\\\"b\\\\c\\nd\\u0001\""
        );
    }
}
