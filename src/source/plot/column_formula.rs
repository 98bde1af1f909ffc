//! A CSV series' `x` or `y` written as a formula of the file's columns
//! (`y = "price / 1000"`, `x = "day / 7"`), as a pandas user writes `df.price / 1000`
//! in `ax.plot`. The formula is computed once per row when the scene loads; a header
//! that is the text itself is always the column, so `"x (m)"` still names a column.

use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::expr::{Env, Expr, Scope, MAX_INPUTS};

/// A formula of columns, compiled, and the columns it reads (its inputs, in order).
pub(super) struct Formula {
    expr: Expr,
    pub columns: Vec<String>,
}

/// The words of `text` that could be names (letters, digits and `_`).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// `raw` (the text of `key`) against the file's `headers`: `None` when it is to be read
/// as a column's name — a header, or a text that names none of the columns, whose
/// missing-column error (with "did you mean") is the reader's — else the formula.
pub(super) fn formula_of(
    key: &str,
    raw: &Spanned<String>,
    headers: &[String],
    file: &str,
    scope: &Scope,
) -> Result<Option<Formula>, Diagnostic> {
    let text = raw.get_ref();
    if headers.iter().any(|h| h == text) {
        return Ok(None);
    }
    let named: Vec<&str> = words(text).collect();
    let mut columns: Vec<String> = Vec::new();
    for h in headers {
        if named.contains(&h.as_str())
            && crate::expr::may_name_a_column(h, scope)
            && !columns.contains(h)
        {
            columns.push(h.clone());
        }
    }
    if columns.is_empty() {
        return Ok(None);
    }
    if columns.len() > MAX_INPUTS {
        return Err(Diagnostic::at(
            format!(
                "`{key}` names {} columns of {file}; a formula may name at most {MAX_INPUTS}",
                columns.len()
            ),
            raw.span(),
        )
        .with_hint("compute the value in the script that writes the file"));
    }
    let inputs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let expr = Expr::compile(raw, scope, &inputs).map_err(|mut d| {
        let usable: Vec<&str> = headers
            .iter()
            .map(String::as_str)
            .filter(|h| crate::expr::may_name_a_column(h, scope))
            .collect();
        let unknown = named
            .iter()
            .find(|w| d.message.contains(&format!("`{w}`")) && !inputs.contains(w));
        let near =
            unknown.and_then(|w| crate::base::diag::did_you_mean_column(w, usable.iter().copied()));
        let about = format!(
            "`{key}` of a CSV series is a column's name or a formula of {file}'s columns \
             ({})",
            crate::base::listing::joined(&usable, ", ")
        );
        let add = match near {
            Some(n) => format!("{n}; {about}"),
            None => about,
        };
        // The language's own list of known names holds only the columns the text named.
        d.hint = Some(match (d.hint.take(), unknown.is_some()) {
            (Some(h), _) if h == crate::expr::NAN_HINT => format!("{h}; {add}"),
            (Some(h), false) => format!("{h}; {add}"),
            _ => add,
        });
        d
    })?;
    if expr.is_animated() {
        return Err(Diagnostic::at(
            format!(
                "`{key}` of a CSV series is computed once for each row, so it cannot change \
                 with time (`t`, `frame`, `duration`, `fps`)"
            ),
            raw.span(),
        )
        .with_hint(
            "reveal rows over time with `reveal` or `rows`; move or scale the view with the \
             plot's animated `x` and `y` limits",
        ));
    }
    Ok(Some(Formula { expr, columns }))
}

impl Formula {
    /// The formula's value on each row, its columns' values given in [`Formula::columns`]'
    /// order. A missing cell (NaN) makes a missing value, a gap in the line.
    pub fn values(&self, columns: &[Vec<f64>]) -> Vec<f64> {
        let rows = columns.first().map_or(0, Vec::len);
        let inputs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        let mut out = vec![0.0; rows];
        self.expr
            .eval_batch(&Env::new(0.0, None, 1.0), &inputs, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Spanned<String> {
        Spanned::new(0..text.len(), text.to_string())
    }

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_header_is_a_column_even_when_it_reads_as_a_formula() {
        let h = headers(&["x (m)", "a-b", "a", "b"]);
        let scope = Scope::default();
        assert!(formula_of("y", &at("x (m)"), &h, "f.csv", &scope)
            .unwrap()
            .is_none());
        assert!(formula_of("y", &at("a-b"), &h, "f.csv", &scope)
            .unwrap()
            .is_none());
        let f = formula_of("y", &at("a - b"), &h, "f.csv", &scope)
            .unwrap()
            .unwrap();
        assert_eq!(f.columns, ["a", "b"]);
        assert_eq!(f.values(&[vec![5.0, 1.0], vec![2.0, f64::NAN]])[0], 3.0);
        assert!(f.values(&[vec![5.0, 1.0], vec![2.0, f64::NAN]])[1].is_nan());
    }

    #[test]
    fn a_text_naming_no_column_is_left_to_the_reader() {
        let h = headers(&["day", "price"]);
        let scope = Scope::default();
        assert!(formula_of("y", &at("prise"), &h, "f.csv", &scope)
            .unwrap()
            .is_none());
        assert!(formula_of("y", &at("2 * pi"), &h, "f.csv", &scope)
            .unwrap()
            .is_none());
    }

    #[test]
    fn an_unknown_name_beside_a_column_is_an_error_with_the_columns() {
        let h = headers(&["day", "price", "volume"]);
        let scope = Scope::default();
        let e = formula_of("y", &at("price / volme"), &h, "f.csv", &Scope::default())
            .err()
            .unwrap();
        let hint = e.hint.unwrap();
        assert!(hint.contains("volume"), "{hint}");
        assert!(hint.contains("day, price, volume"), "{hint}");
        let e = formula_of("y", &at("price * t"), &h, "f.csv", &scope)
            .err()
            .unwrap();
        assert!(
            e.message.contains("cannot change with time"),
            "{}",
            e.message
        );
    }
}
