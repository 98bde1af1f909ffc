//! Key names users bring from matplotlib and MoviePy (`lw`, `linestyle`, `alpha`…),
//! and the animate key each one is: an unknown key that is one of them is answered
//! with the key to write, not a list of every key.

/// (what matplotlib or MoviePy call it, the animate key).
const KEYS: &[(&str, &str)] = &[
    ("lw", "width"),
    ("linewidth", "width"),
    ("ls", "dash"),
    ("linestyle", "dash"),
    ("alpha", "opacity"),
    ("c", "color"),
    ("colour", "color"),
    ("facecolor", "color"),
    ("s", "size"),
    ("ms", "size"),
    ("markersize", "size"),
    ("pos", "position"),
    ("clips", "layers"),
    ("fontsize", "font_size"),
];

/// Keys whose per-point form, from a column, has a key of its own (plot series).
const BY_COLUMN: &[(&str, &str)] = &[("color", "color_by"), ("size", "size_by")];

/// The hint for an unknown key `name` among `known`: the animate name of a matplotlib
/// habit when it is known here, else the closest known key.
pub fn key_hint<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    let habit = KEYS
        .iter()
        .find(|(theirs, ours)| *theirs == name && known.clone().into_iter().any(|k| k == *ours));
    match habit {
        Some((theirs, ours)) => {
            let by = BY_COLUMN
                .iter()
                .find(|(one, by)| one == ours && known.clone().into_iter().any(|k| k == *by))
                .map(|(_, by)| format!("; `{by}` names a CSV column with a value per point"))
                .unwrap_or_default();
            Some(format!(
                "did you mean `{ours}`? (matplotlib's `{theirs}` is `{ours}` here{by})"
            ))
        }
        None => super::diag::did_you_mean(name, known),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn habits_are_named_only_where_their_key_exists() {
        let series = ["width", "dash", "opacity", "color", "size"];
        assert_eq!(
            key_hint("lw", series).as_deref(),
            Some("did you mean `width`? (matplotlib's `lw` is `width` here)")
        );
        assert!(key_hint("linestyle", series).unwrap().contains("`dash`"));
        assert_eq!(key_hint("lw", ["clip"]), None);
        // where a column may give each point its own, that key is named too
        let scatter = ["color", "color_by", "size", "size_by"];
        assert_eq!(
            key_hint("c", scatter).as_deref(),
            Some(
                "did you mean `color`? (matplotlib's `c` is `color` here; `color_by` names a \
                 CSV column with a value per point)"
            )
        );
        assert!(key_hint("s", scatter)
            .unwrap()
            .contains("`size_by` names a CSV column"));
        assert!(!key_hint("c", series).unwrap().contains("color_by"));
        assert_eq!(
            key_hint("widht", series).as_deref(),
            Some("did you mean `width`?")
        );
    }
}
