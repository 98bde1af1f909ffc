//! What an "unknown font family" error says: installed families spelled like the name
//! (only close ones), the family left once style words are cut from an
//! ImageMagick-style name (`Amiri-Bold`), or, for a well-known family that is not
//! installed (`Arial`), the generic name to write and its look-alikes.

use super::fonts::DEFAULT_FAMILY;
use super::stand_ins::StandIn;

/// How many close family names an "unknown family" error suggests.
const SUGGESTIONS: usize = 5;
/// How alike (Jaro-Winkler, 0 to 1) an installed family's name must be to the name a
/// scene gives for it to be suggested: a typo such as `DejaVu Snas` scores about 0.98,
/// an unrelated name such as `Helvetica` against `Noto Music` about 0.5. Names sharing
/// a long prefix still pass (`Noto Sans Carian` for `Noto Sans Arab`), after those that
/// contain the name or are contained in it (`Noto Sans Arabic`, `Noto Sans`).
const CLOSE_SPELLING: f64 = 0.9;

/// Why a family could not be found, and what to write instead.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownFamily {
    /// Installed families spelled like the name, closest first; only close ones.
    pub suggestions: Vec<String>,
    /// A family that exists once a style word ("Bold", "Italic") is cut from the name.
    pub base: Option<String>,
    /// A well-known family that is not installed, and what stands in for it.
    pub stand_in: Option<Box<StandInHint>>,
    /// A generic name (`serif`) none of whose families is installed: those looked for.
    pub generic_missing: Option<Vec<String>>,
    /// An ImageMagick-style name whose family is not installed either (`Purisa-Bold`):
    /// that family, and the keys its style words stand for (`weight = "bold"`).
    pub uninstalled: Option<Box<(String, Vec<String>)>>,
}

/// What to write instead of a well-known family that is not installed.
#[derive(Debug, Clone, PartialEq)]
pub struct StandInHint {
    pub stand_in: StandIn,
    /// The installed family the generic name picks (`None`: none is installed).
    pub generic_family: Option<String>,
    /// The look-alikes that are installed, as the database spells them.
    pub installed: Vec<String>,
    /// The keys that say what the style words cut from the name said:
    /// `weight = "bold"`, `style = "italic"`.
    pub style_keys: Vec<String>,
}

impl UnknownFamily {
    /// The hint an "unknown font family" error gives.
    pub fn hint(&self) -> String {
        let quoted = |names: &[String]| {
            names
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if let Some(base) = &self.base {
            return format!(
                "the family is `{base}`: write font = \"{base}\" and set `weight` or `style`"
            );
        }
        if let Some(looked_for) = &self.generic_missing {
            return format!(
                "none of the families it stands for is installed ({}); font = \"sans-serif\" \
                 is the bundled DejaVu Sans",
                looked_for.join(", ")
            );
        }
        if let Some(s) = &self.stand_in {
            return s.hint();
        }
        if let (true, Some(named)) = (self.suggestions.is_empty(), &self.uninstalled) {
            let (family, keys) = &**named;
            let keys = match keys.is_empty() {
                true => String::new(),
                false => format!(" with {}", keys.join(" and ")),
            };
            return format!(
                "the family is `{family}`, not installed either: write an installed family{keys}, \
                 as font = \"sans-serif\" (the bundled {DEFAULT_FAMILY}), or install {family}; \
                 `fc-list : family` lists the installed families"
            );
        }
        if self.suggestions.is_empty() {
            return format!(
                "no installed family has a name like it; \"sans-serif\", \"serif\" and \
                 \"monospace\" pick installed families, and `fc-list : family` lists them \
                 all (the bundled one is {DEFAULT_FAMILY})"
            );
        }
        format!("closest installed families: {}", quoted(&self.suggestions))
    }
}

impl StandInHint {
    pub fn hint(&self) -> String {
        let s = &self.stand_in;
        let generic = s.generic.name();
        let keys = if self.style_keys.is_empty() {
            String::new()
        } else {
            format!(" with {}", self.style_keys.join(" and "))
        };
        let first = match &self.generic_family {
            Some(f) => format!("write font = \"{generic}\" ({f}){keys}"),
            None => format!(
                "no {generic} family is installed: write font = \"sans-serif\" \
                 ({DEFAULT_FAMILY}){keys}"
            ),
        };
        let closest = s.alikes.first().copied().unwrap_or_default();
        let others: Vec<String> = self
            .installed
            .iter()
            .filter(|f| Some(*f) != self.generic_family.as_ref())
            .map(|f| format!("`{f}`"))
            .collect();
        let alikes = if others.is_empty() && !self.installed.is_empty() {
            String::new() // the generic family is the look-alike
        } else if others.is_empty() {
            let some: Vec<&str> = s.alikes.iter().take(2).copied().collect();
            format!(", or install a look-alike such as {}", some.join(" or "))
        } else if self
            .installed
            .iter()
            .any(|f| f.eq_ignore_ascii_case(closest))
        {
            format!(", or an installed look-alike: {}", others.join(", "))
        } else {
            format!(
                ", or an installed look-alike: {} ({closest}, the closest, is not installed)",
                others.join(", ")
            )
        };
        format!("{} is not installed; {first}{alikes}", s.family)
    }
}

/// Style words MoviePy users (ImageMagick font names) write into a family name, as
/// compared: lower case, without spaces or hyphens.
const STYLE_WORDS: &[&str] = &[
    "bolditalic",
    "boldoblique",
    "bold",
    "italic",
    "oblique",
    "regular",
    "light",
    "medium",
    "black",
    "thin",
];

/// "Amiri-Bold", "Purisa Bold Italic": the family name without the style words written
/// into it (at most two), and those words as compared.
pub fn split_style_words(name: &str) -> (&str, Vec<String>) {
    let mut base = name;
    let mut words = Vec::new();
    while words.len() < 2 {
        let Some(cut) = base.rfind(['-', ' ']) else {
            break;
        };
        let (rest, word) = (&base[..cut], &base[cut + 1..]);
        let word = word.to_lowercase().replace([' ', '-'], "");
        if !STYLE_WORDS.contains(&word.as_str()) || rest.trim().is_empty() {
            break;
        }
        words.insert(0, word);
        base = rest.trim();
    }
    (base, words)
}

/// The scene keys that say what style `words` say.
pub fn style_keys(words: &[String]) -> Vec<String> {
    let mut weight = None;
    let mut style = None;
    for w in words {
        match w.as_str() {
            "bolditalic" => (weight, style) = (Some("bold"), Some("italic")),
            "boldoblique" => (weight, style) = (Some("bold"), Some("oblique")),
            "italic" | "oblique" => style = Some(w.as_str()),
            "regular" => {}
            other => weight = Some(other),
        }
    }
    let mut keys = Vec::new();
    if let Some(w) = weight {
        keys.push(format!("weight = \"{w}\""));
    }
    if let Some(s) = style {
        keys.push(format!("style = \"{s}\""));
    }
    keys
}

/// The installed families whose names are close to `name`: those containing it (or
/// contained in it) first, then by string similarity, at least [`CLOSE_SPELLING`].
/// Names are compared in lower case without spaces or hyphens.
pub fn rank_families(name: &str, families: &[String]) -> Vec<String> {
    let squash = |s: &str| s.to_lowercase().replace([' ', '-', '_'], "");
    let want = squash(name);
    let mut scored: Vec<(f64, &String)> = families
        .iter()
        .filter_map(|f| {
            let have = squash(f);
            let mut score = strsim::jaro_winkler(&want, &have);
            if want.len().min(have.len()) >= 3 && (have.contains(&want) || want.contains(&have)) {
                score += 1.0;
            }
            (score >= CLOSE_SPELLING).then_some((score, f))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, f)| f.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_words_are_cut_from_imagemagick_names() {
        let split = |n| {
            let (base, words) = split_style_words(n);
            (base, words.join("+"))
        };
        assert_eq!(split("Amiri-Bold"), ("Amiri", "bold".into()));
        assert_eq!(split("Purisa Bold"), ("Purisa", "bold".into()));
        assert_eq!(split("Arial Bold Italic"), ("Arial", "bold+italic".into()));
        assert_eq!(
            split("Courier-BoldOblique"),
            ("Courier", "boldoblique".into())
        );
        assert_eq!(split("DejaVu Sans"), ("DejaVu Sans", String::new()));
        assert_eq!(split("-Bold"), ("-Bold", String::new()));
        let keys = |n| style_keys(&split_style_words(n).1).join(", ");
        assert_eq!(keys("Arial-Bold"), "weight = \"bold\"");
        assert_eq!(
            keys("Arial Bold Italic"),
            "weight = \"bold\", style = \"italic\""
        );
        assert_eq!(
            keys("Courier-BoldOblique"),
            "weight = \"bold\", style = \"oblique\""
        );
        assert_eq!(keys("Times-Regular"), "");
    }

    fn installed() -> Vec<String> {
        [
            "DejaVu Sans",
            "DejaVu Serif",
            "DejaVu Math TeX Gyre",
            "Noto Music",
            "Noto Nastaliq Urdu",
            "Noto Sans",
            "Noto Serif Bengali",
            "Noto Serif Malayalam",
            "Ubuntu",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn ranking_prefers_containing_names_then_similar_ones() {
        let families = installed();
        let ranked = rank_families("dejavu sans", &families);
        assert_eq!(ranked[0], "DejaVu Sans");
        assert_eq!(rank_families("DejaVu Snas", &families)[0], "DejaVu Sans");
        assert_eq!(rank_families("DejaVuSans", &families)[0], "DejaVu Sans");
        assert_eq!(rank_families("Ubuntoo", &families), ["Ubuntu"]);
    }

    #[test]
    fn names_unlike_any_installed_family_get_no_suggestions() {
        let families = installed();
        for name in ["Helvetica", "Arial-Bold", "Comic Sans", "Fira Code", "X"] {
            assert_eq!(
                rank_families(name, &families),
                Vec::<String>::new(),
                "{name}"
            );
        }
    }
}
