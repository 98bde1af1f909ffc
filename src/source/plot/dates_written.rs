//! Dates written where a plot takes x values: `xlim = ["2024-01-15", "2024-02-15"]`,
//! `reveal = "x >= 2024-02-01"`. On a date axis they are day numbers (the CSV date
//! columns' parser reads them); elsewhere they are refused, because the expression
//! language would read `2024-01-15` as the subtraction 2024 − 1 − 15 and draw an empty
//! axis without a word.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::base::pair::Pair;
use crate::data::dates;
use crate::expr::RawParam;

/// What the axis a value is written for holds.
#[derive(Clone, Copy)]
pub enum Axis<'a> {
    /// Dates: days since 1970.
    Dates,
    /// Numbers, and the sentence that says why a date makes no sense here.
    Numbers(&'a str),
}

/// `raw` with every end that is a date turned into its day number, on a date axis; an
/// error at the date anywhere else.
pub fn limits<'r>(
    raw: &'r Spanned<Pair<RawParam>>,
    what: &str,
    axis: Axis,
    source: &str,
) -> Result<Cow<'r, Spanned<Pair<RawParam>>>, Diagnostic> {
    let pair = raw.get_ref();
    let mut ends = [pair.first().clone(), pair.second().clone()];
    let mut changed = false;
    for end in &mut ends {
        let RawParam::Expr(text) = end.get_ref() else {
            continue;
        };
        if let Some(days) = dates::parse(text) {
            match axis {
                Axis::Dates => {
                    *end = Spanned::new(end.span(), RawParam::Number(days));
                    changed = true;
                }
                Axis::Numbers(why) => {
                    return Err(refused(text.trim(), what, why, end.span()));
                }
            }
        } else if let Cow::Owned(t) = in_expression(text, what, axis, end.span(), source)? {
            *end = Spanned::new(end.span(), RawParam::Expr(t));
            changed = true;
        }
    }
    if !changed {
        return Ok(Cow::Borrowed(raw));
    }
    let [a, b] = ends;
    Ok(Cow::Owned(Spanned::new(raw.span(), Pair(a, b))))
}

/// `text`, an expression, with each date `YYYY-MM-DD` in it written as its day number
/// (padded to the date's length, so that error places inside the text stay right).
pub fn in_expression<'t>(
    text: &'t str,
    what: &str,
    axis: Axis,
    span: Range<usize>,
    source: &str,
) -> Result<Cow<'t, str>, Diagnostic> {
    let found = dates::literals(text);
    if found.is_empty() {
        return Ok(Cow::Borrowed(text));
    }
    let at = |r: Range<usize>| crate::base::quoted::place(source, span.clone(), text, r);
    let mut out = text.to_string();
    for r in found {
        let date = &text[r.clone()];
        let place = at(r.clone()).unwrap_or(span.clone());
        let why = match axis {
            Axis::Numbers(why) => why,
            Axis::Dates => {
                let after = &text[r.end..];
                let days = dates::parse(&dates::padded(date)).ok_or_else(|| {
                    Diagnostic::at(format!("`{date}` is not a date"), place.clone())
                        .with_hint("a date is YYYY-MM-DD, as 2024-01-31")
                })?;
                if after.starts_with('T') {
                    return Err(Diagnostic::at(
                        "a date inside an expression is a day: its time cannot be written here",
                        place,
                    )
                    .with_hint(format!(
                        "write the day alone (`{date}`) and add hours as days: `{date} + 12/24`"
                    )));
                }
                let mut n = format!("{days:.0}");
                if days < 0.0 {
                    n = format!("({n})");
                }
                out.replace_range(r.clone(), &format!("{n:<width$}", width = date.len()));
                continue;
            }
        };
        return Err(refused(date, what, why, place));
    }
    Ok(Cow::Owned(out))
}

fn refused(date: &str, what: &str, why: &str, span: Range<usize>) -> Diagnostic {
    Diagnostic::at(format!("`{date}` in `{what}` is a date, but {why}"), span).with_hint(
        "dates are for the x axis of a plot whose CSV series take x from a column of dates; \
         to subtract, write spaces: `2024 - 1 - 15`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_a_date_axis_a_date_becomes_its_day_at_the_same_length() {
        let out = in_expression("x >= 2024-01-15 + 1", "reveal", Axis::Dates, 0..1, "").unwrap();
        assert_eq!(out, "x >= 19737      + 1");
        let out = in_expression("x < 2024-1-5", "reveal", Axis::Dates, 0..1, "").unwrap();
        assert_eq!(out, "x < 19727   ");
        let e =
            in_expression("x >= 2024-01-15", "reveal", Axis::Numbers("no"), 0..1, "").unwrap_err();
        assert!(e.message.contains("is a date, but no"), "{}", e.message);
    }
}
