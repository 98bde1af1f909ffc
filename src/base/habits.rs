//! Names users bring from matplotlib and MoviePy (`lw`, `linestyle`, `alpha`,
//! `clips_array`, `TextClip`, `blur`…), and the animate name each one is: an unknown key,
//! kind or effect that is one of them is answered with the name to write, not a list of
//! every name.

/// (what matplotlib or MoviePy call a key, the animate key, how the hint names it).
const KEYS: &[(&str, &str, &str)] = &[
    ("lw", "width", "matplotlib's"),
    ("linewidth", "width", "matplotlib's"),
    ("ls", "dash", "matplotlib's"),
    ("linestyle", "dash", "matplotlib's"),
    ("alpha", "opacity", "matplotlib's"),
    ("c", "color", "matplotlib's"),
    ("colour", "color", "British"),
    ("facecolor", "color", "matplotlib's"),
    ("s", "size", "matplotlib's"),
    ("ms", "size", "matplotlib's"),
    ("markersize", "size", "matplotlib's"),
    ("pos", "position", "MoviePy's"),
    ("clips", "layers", "MoviePy's"),
    ("fontsize", "font_size", "matplotlib's"),
    ("newsize", "width", "MoviePy's"),
    ("fps_source", "fps", "MoviePy's"),
];

/// Keys whose per-point form, from a column, has a key of its own (plot series).
const BY_COLUMN: &[(&str, &str)] = &[("color", "color_by"), ("size", "size_by")];

/// Keys of where a clip is placed, which belong to the layer that places it.
const PLACEMENT: &[&str] = &["pos", "position", "set_position"];

/// (a MoviePy clip class or function, the animate kind or effect).
const NAMES: &[(&str, &str)] = &[
    ("clips_array", "grid"),
    ("concatenate", "sequence"),
    ("concatenate_videoclips", "sequence"),
    ("CompositeVideoClip", "composite"),
    ("TextClip", "text"),
    ("ImageClip", "file"),
    ("VideoFileClip", "video"),
    ("ColorClip", "color"),
    ("AudioFileClip", "audio"),
    ("ImageSequenceClip", "images"),
    ("blur", "gaussian_blur"),
    ("fadein", "fade_in"),
    ("fadeout", "fade_out"),
    ("crossfadein", "crossfade_in"),
    ("crossfadeout", "crossfade_out"),
    ("mirrorx", "mirror_x"),
    ("mirrory", "mirror_y"),
    ("time_mirror", "reverse"),
    ("colorx", "multiply_color"),
    ("audio_fadein", "audio_fade_in"),
    ("audio_fadeout", "audio_fade_out"),
    ("volumex", "volume"),
];

/// The hint for an unknown key `name` among `known`: the animate name of a matplotlib
/// habit when it is known here, else the closest known key.
pub fn key_hint<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    let has = |key: &str| known.clone().into_iter().any(|k| k == key);
    if let Some((theirs, ours, whose)) = KEYS.iter().find(|(t, o, _)| *t == name && has(o)) {
        let ours = match *theirs {
            "newsize" if has("height") => "`width` and `height`".to_string(),
            _ => format!("`{ours}`"),
        };
        let first = ours.split(' ').next().unwrap_or_default();
        let by = BY_COLUMN
            .iter()
            .find(|(one, by)| format!("`{one}`") == ours && has(by))
            .map(|(_, by)| format!("; `{by}` names a CSV column with a value per point"))
            .unwrap_or_default();
        return Some(format!(
            "did you mean {first}? ({whose} `{theirs}` is {ours} here{by})"
        ));
    }
    if PLACEMENT.contains(&name) && !has("position") {
        return Some(
            "a clip's place is set where it is used: `position` of a composite's layer, \
             e.g. layers = [{ clip = \"title\", position = \"center\" }]"
                .into(),
        );
    }
    super::diag::did_you_mean(name, known)
}

/// The hint for an unknown kind or effect `name` among `known`: the animate name of a
/// MoviePy class or effect when it is known here, else the closest known name.
pub fn name_hint<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    let habit = NAMES.iter().find(|(theirs, ours)| {
        theirs.eq_ignore_ascii_case(name)
            && *theirs != *ours
            && known.clone().into_iter().any(|k| k == *ours)
    });
    match habit {
        Some((theirs, ours)) => Some(format!(
            "did you mean `{ours}`? (MoviePy's `{theirs}` is `{ours}` here)"
        )),
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
        assert_eq!(
            key_hint("newsize", ["width", "height", "scale"]).as_deref(),
            Some("did you mean `width`? (MoviePy's `newsize` is `width` and `height` here)")
        );
        assert!(key_hint("pos", ["text", "font_size"])
            .unwrap()
            .contains("`position` of a composite's layer"));
    }

    #[test]
    fn moviepy_names_give_the_kind_or_effect() {
        let kinds = ["grid", "sequence", "text", "file", "video"];
        assert_eq!(
            name_hint("clips_array", kinds).as_deref(),
            Some("did you mean `grid`? (MoviePy's `clips_array` is `grid` here)")
        );
        assert!(name_hint("textclip", kinds).unwrap().contains("`text`"));
        assert!(name_hint("blur", ["gaussian_blur", "resize"])
            .unwrap()
            .contains("`gaussian_blur`"));
        assert_eq!(name_hint("blur", kinds), None);
    }
}
