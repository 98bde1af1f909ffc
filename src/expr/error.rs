//! Errors found in one expression, positioned within its text, and their mapping
//! to the scene file.

use std::ops::Range;

use crate::base::diag::Diagnostic;

/// A problem in an expression; `at` is a byte range of the expression's own text.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    pub message: String,
    pub at: Range<usize>,
    pub hint: Option<String>,
}

impl ExprError {
    pub fn new(message: impl Into<String>, at: Range<usize>) -> ExprError {
        ExprError {
            message: message.into(),
            at,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> ExprError {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_hint_opt(mut self, hint: Option<String>) -> ExprError {
        self.hint = hint;
        self
    }

    /// Places the error in the scene file. `span` is where the expression's string is
    /// in the file, quotes included. A one-line string without escapes maps character
    /// for character after its opening quote, so the error points inside it; any other
    /// string (escapes, multi-line) gets the whole string's span.
    pub fn in_file(self, text: &str, span: Range<usize>) -> Diagnostic {
        let exact = span.len() == text.len() + 2;
        let at = if exact {
            let s = span.start + 1;
            s + self.at.start.min(text.len())..s + self.at.end.min(text.len())
        } else {
            span
        };
        Diagnostic {
            message: self.message,
            span: Some(at),
            hint: self.hint.or_else(|| unit_hint(text)),
            notes: Vec::new(),
        }
    }

    /// For expressions outside the scene file (`--set`): `label` says where the text
    /// came from and the message gives the column.
    pub fn in_text(self, label: &str, text: &str) -> Diagnostic {
        let col = text[..self.at.start.min(text.len())].chars().count() + 1;
        Diagnostic {
            message: format!("{label}: {} (column {col} of `{text}`)", self.message),
            span: None,
            hint: self.hint.or_else(|| unit_hint(text)),
            notes: Vec::new(),
        }
    }
}

/// `"2s"` where a number is read (an opacity, a var): units are for the places that
/// read a time, so say what to write here.
pub(super) fn unit_hint(text: &str) -> Option<String> {
    if let Some(hint) = angle_hint(text) {
        return Some(hint);
    }
    let v = crate::base::seconds::parse(text)?.ok()?;
    Some(format!(
        "a unit is read only where a time or duration is written; here write plain seconds: {}",
        crate::base::limits::shown(v)
    ))
}

/// `"90deg"`, `"45°"`, `"1.5 rad"`: a number with an angle's unit, where angles are
/// plain degrees.
fn angle_hint(text: &str) -> Option<String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
        .filter(|&i| i > 0)?;
    let (number, unit) = (&text[..split], text[split..].trim());
    number.parse::<f64>().ok()?;
    match unit.to_ascii_lowercase().as_str() {
        "deg" | "degs" | "degree" | "degrees" | "°" => Some(format!(
            "angles are degrees, written without a unit: write {number}"
        )),
        "rad" | "rads" | "radian" | "radians" => Some(format!(
            "angles are degrees, written without a unit: {number} radians is {number}*180/pi"
        )),
        // `font_size = "14px"`, `width = "2pt"`: CSS's and matplotlib's units.
        "px" | "pixel" | "pixels" | "pt" | "pts" | "point" | "points" | "em" | "rem" => {
            Some(format!(
                "numbers are written without a unit here: write {number} (each key has \
                 one unit, given in the docs: pixels for sizes, positions and a text clip's \
                 `font_size`; points for a plot's line widths, marker and font sizes)"
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_angle_with_a_unit_is_told_to_drop_it() {
        assert_eq!(
            unit_hint("90deg").unwrap(),
            "angles are degrees, written without a unit: write 90"
        );
        assert!(unit_hint("-45 °").unwrap().ends_with("write -45"));
        assert!(unit_hint("1.5rad").unwrap().contains("1.5*180/pi"));
        assert_eq!(angle_hint("deg"), None);
        assert!(angle_hint("90 px")
            .unwrap()
            .contains("without a unit here: write 90"));
        assert!(unit_hint("2pt").unwrap().contains("write 2 "));
        assert_eq!(angle_hint("90 furlongs"), None);
        assert!(unit_hint("2s").unwrap().contains("plain seconds: 2"));
    }

    #[test]
    fn maps_into_plain_strings_only() {
        let file = r#"a = "1 + sinn(t)""#;
        let span = 4..file.len();
        let d = ExprError::new("unknown function", 4..8).in_file("1 + sinn(t)", span.clone());
        assert_eq!(&file[d.span.unwrap()], "sinn");
        // An escaped string is longer in the file than its text: the whole string.
        let file = r#"a = "1 + \u0073inn(t)""#;
        let span = 4..file.len();
        let d = ExprError::new("unknown function", 4..8).in_file("1 + sinn(t)", span.clone());
        assert_eq!(d.span.unwrap(), span);
    }
}
