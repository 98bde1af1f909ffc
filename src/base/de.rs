//! Typed views of parts of the TOML tree, with errors turned into diagnostics.

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use super::diag::Diagnostic;

/// Deserializes one value of the parsed file into `T`, keeping positions for errors.
pub fn typed<T: DeserializeOwned>(value: Spanned<DeValue<'_>>) -> Result<T, Diagnostic> {
    let span = value.span();
    T::deserialize(ValueDeserializer::from(value)).map_err(|e| translate(&e, span, &[]))
}

/// Like [`typed`] for a table whose common keys were taken out first: those keys are
/// offered too when a key is unknown.
pub fn typed_table<T: DeserializeOwned>(
    table: DeTable<'_>,
    span: std::ops::Range<usize>,
    also_known: &[&str],
) -> Result<T, Diagnostic> {
    // The common keys belong to the clip table itself, not to tables nested in it
    // (`camera = { … }`): they are offered only for a key of the outer table.
    let own_keys: Vec<_> = table.keys().map(|k| k.span()).collect();
    let value = Spanned::new(span.clone(), DeValue::Table(table));
    T::deserialize(ValueDeserializer::from(value)).map_err(|e| {
        let outer = e.span().is_some_and(|s| own_keys.contains(&s));
        translate(&e, span, if outer { also_known } else { &[] })
    })
}

/// Rewrites serde's messages into the scene file's vocabulary, with a hint.
pub fn translate(
    e: &toml::de::Error,
    outer: std::ops::Range<usize>,
    also_known: &[&str],
) -> Diagnostic {
    let msg = e.message().trim().to_string();
    let span = e.span().unwrap_or(outer);
    // toml hands its dates and times of day to serde as a table with a private key.
    if msg.contains("$__toml_private_datetime") {
        return Diagnostic::at(
            "TOML reads this as a date or a time of day, which animate does not use",
            span,
        )
        .with_hint(
            "write a time or duration in quotes: \"1:30\" is 90 s, \"0:01:30.5\" is 90.5 s",
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (name, expected) = split_name(rest);
        let mut known = expected_names(expected);
        known.extend(also_known.iter().map(|s| s.to_string()));
        let mut d = unknown_key(
            &name,
            span,
            &known.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        );
        if name == "keys" && !known.is_empty() {
            d.hint = Some(format!(
                "keyframes take the place of one value: name it, e.g. `{} = {{ keys = [[0, 0], [1, 1]] }}` (keys here: {})",
                known[0],
                known.join(", ")
            ));
        }
        return d;
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (name, expected) = split_name(rest);
        let known = expected_names(expected);
        let mut d = Diagnostic::at(format!("unknown name `{name}`"), span);
        // matplotlib's point marker: the markers here have no point of their own.
        if name == "." && known.iter().any(|k| k == "circle") {
            return d.with_hint(
                "matplotlib's `.` (a point) is a small circle here: marker = \"circle\" with a small `size`",
            );
        }
        d.hint = super::habits::name_hint(&name, known.iter().map(|s| s.as_str())).or_else(|| {
            (!known.is_empty()).then(|| format!("expected one of: {}", known.join(", ")))
        });
        return d;
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let (name, _) = split_name(rest);
        return Diagnostic::at(format!("missing key `{name}`"), span);
    }
    Diagnostic::at(plain_words(&msg), span)
}

/// Serde's wording with Rust's type names (`expected u32`, `struct LayerSpec`,
/// `integer \`-4\` as i128`) put in the words of a scene file.
/// An unknown key `name` where `known` are the keys: hinted with the animate name of a
/// matplotlib habit, the closest key, or the list of them.
pub fn unknown_key(name: &str, span: std::ops::Range<usize>, known: &[&str]) -> Diagnostic {
    let mut d = Diagnostic::at(format!("unknown key `{name}`"), span);
    d.hint = super::habits::key_hint(name, known.iter().copied())
        .or_else(|| (!known.is_empty()).then(|| format!("known keys here: {}", known.join(", "))));
    d
}

/// An error for each key of `table` that is not among `known`.
pub fn unknown_keys(table: &DeTable<'_>, known: &[&str]) -> Vec<Diagnostic> {
    table
        .iter()
        .filter(|(key, _)| !known.contains(&key.get_ref().as_ref()))
        .map(|(key, _)| unknown_key(key.get_ref(), key.span(), known))
        .collect()
}

fn plain_words(msg: &str) -> String {
    let msg = &short_floats(msg);
    // The TOML reader's word for a value that should have named one of an enum's cases.
    if msg == "wanted string or table" {
        return "expected one of this key's names, in quotes (\"…\")".to_string();
    }
    // serde's `untagged` fallback names the Rust enum: no use to a scene's author.
    if msg.starts_with("data did not match any variant of untagged enum") {
        return "this value has none of the forms this key takes".to_string();
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        if let Some((n, expected)) = rest.split_once(", expected ") {
            let found = match n {
                "0" => "no values".to_string(),
                "1" => "1 value".to_string(),
                n => format!("{n} values"),
            };
            return format!("{found}, expected {expected}");
        }
    }
    let (found, expected) = match msg.rsplit_once("expected ") {
        Some((found, expected)) => (found, expected),
        None => return msg.to_string(),
    };
    let expected = match expected {
        "u8" => "a whole number from 0 to 255",
        "u16" => "a whole number from 0 to 65535",
        "u32" | "u64" | "usize" => "a whole number, 0 or more",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "bool" | "a boolean" => "true or false",
        "a sequence" => "an array [ … ]",
        "map" | "a map" => "a table { … }",
        e if e.starts_with("struct ") => "a table { … }",
        e => e,
    };
    let found = found
        .replace(" as i128", "")
        .replace(" as u128", "")
        .replace("invalid value: integer", "invalid value:")
        .replace("invalid value: floating point", "invalid value:")
        // serde's names of TOML's arrays and tables.
        .replace("invalid type: sequence", "invalid type: an array")
        .replace("invalid type: map", "invalid type: a table");
    format!("{found}expected {expected}")
}

/// serde writes a float it did not want in full: `1e308` as 309 digits. Each such
/// number is written as a message writes numbers (hostile11 F-DE).
fn short_floats(msg: &str) -> String {
    const MARK: &str = "floating point `";
    let mut out = String::new();
    let mut rest = msg;
    while let Some(i) = rest.find(MARK) {
        let (head, tail) = rest.split_at(i + MARK.len());
        out.push_str(head);
        let end = tail.find('`').unwrap_or(tail.len());
        let written = &tail[..end];
        match written.parse::<f64>() {
            Ok(v) if written.len() > 20 => out.push_str(&super::limits::shown(v)),
            _ => out.push_str(written),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn split_name(rest: &str) -> (String, &str) {
    match rest.find('`') {
        Some(i) => (rest[..i].to_string(), &rest[i + 1..]),
        None => (rest.to_string(), ""),
    }
}

fn expected_names(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_of_hundreds_of_digits_are_shortened() {
        let long = format!(
            "invalid type: floating point `1{}`, expected a weight",
            "0".repeat(308)
        );
        assert_eq!(
            plain_words(&long),
            "invalid type: floating point `1e308`, expected a weight"
        );
        assert_eq!(
            plain_words("invalid type: floating point `400.5`, expected a weight"),
            "invalid type: floating point `400.5`, expected a weight"
        );
    }

    #[test]
    fn rust_type_names_become_words() {
        assert_eq!(
            plain_words("invalid value: integer `-4`, expected u32"),
            "invalid value: `-4`, expected a whole number, 0 or more"
        );
        assert_eq!(
            plain_words("invalid value: integer `99999999999999999999` as i128, expected u16"),
            "invalid value: `99999999999999999999`, expected a whole number from 0 to 65535"
        );
        assert_eq!(
            plain_words("invalid type: string \"c\", expected struct LayerSpec"),
            "invalid type: string \"c\", expected a table { … }"
        );
        assert_eq!(
            plain_words("invalid length 3, expected a pair of values [a, b]"),
            "3 values, expected a pair of values [a, b]"
        );
        assert_eq!(
            plain_words("data did not match any variant of untagged enum LegendSpec"),
            "this value has none of the forms this key takes"
        );
        assert_eq!(
            plain_words("wanted string or table"),
            "expected one of this key's names, in quotes (\"…\")"
        );
        assert_eq!(
            plain_words("invalid type: sequence, expected a map"),
            "invalid type: an array, expected a table { … }"
        );
        assert_eq!(
            plain_words("invalid type: map, expected a sequence"),
            "invalid type: a table, expected an array [ … ]"
        );
        assert_eq!(plain_words("something else"), "something else");
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Demo {
        opacity: f64,
        width: Option<u32>,
    }

    #[test]
    fn unknown_key_points_at_key_and_suggests() {
        let src = "opacty = 1.0";
        let v = DeValue::parse("{ opacty = 1.0 }").unwrap();
        let err = typed::<Demo>(v).unwrap_err();
        assert_eq!(err.message, "unknown key `opacty`");
        assert_eq!(err.hint.as_deref(), Some("did you mean `opacity`?"));
        let _ = src;
        let span = err.span.unwrap();
        assert_eq!(&"{ opacty = 1.0 }"[span], "opacty");
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Option<Demo>,
    }

    fn table_error(text: &str) -> Diagnostic {
        let v = DeValue::parse(text).unwrap();
        let span = v.span();
        let DeValue::Table(t) = v.into_inner() else {
            unreachable!()
        };
        typed_table::<Outer>(t, span, &["from", "kind"]).unwrap_err()
    }

    #[test]
    fn common_keys_are_offered_for_the_outer_table_only() {
        let e = table_error("{ frm = 1 }");
        assert_eq!(e.hint.as_deref(), Some("did you mean `from`?"));
        // A nested table's keys are its own: no `from` there, and `zoom` is not close
        // to any of them.
        let e = table_error("{ inner = { opacity = 1, zoom = 2 } }");
        assert_eq!(e.message, "unknown key `zoom`");
        assert_eq!(e.hint.as_deref(), Some("known keys here: opacity, width"));
        let e = table_error("{ inner = { opacity = 1, frm = 2 } }");
        assert_eq!(e.hint.as_deref(), Some("known keys here: opacity, width"));
    }

    #[test]
    fn wrong_type_points_at_value() {
        let text = "{ opacity = \"x\" }";
        let err = typed::<Demo>(DeValue::parse(text).unwrap()).unwrap_err();
        assert!(err.message.contains("invalid type"), "{}", err.message);
        assert_eq!(&text[err.span.unwrap()], "\"x\"");
    }
}
