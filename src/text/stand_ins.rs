//! Families that scenes (and the MoviePy scripts they come from) often name but that a
//! Linux machine rarely has — Arial, Helvetica, Times New Roman, Courier, Calibri… —
//! with the generic family that stands in for each and the free look-alikes (most of
//! them metric-compatible) that may be installed instead.

/// A generic family a scene can always name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generic {
    SansSerif,
    Serif,
    Monospace,
}

impl Generic {
    /// The name a scene writes: `font = "sans-serif"`.
    pub fn name(self) -> &'static str {
        match self {
            Generic::SansSerif => "sans-serif",
            Generic::Serif => "serif",
            Generic::Monospace => "monospace",
        }
    }
}

/// What to use instead of a well-known family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandIn {
    /// The family as it is usually spelled.
    pub family: &'static str,
    pub generic: Generic,
    /// Free families that look alike, the closest first.
    pub alikes: &'static [&'static str],
}

const fn sans(family: &'static str, alikes: &'static [&'static str]) -> StandIn {
    StandIn {
        family,
        generic: Generic::SansSerif,
        alikes,
    }
}

const fn serif(family: &'static str, alikes: &'static [&'static str]) -> StandIn {
    StandIn {
        family,
        generic: Generic::Serif,
        alikes,
    }
}

const fn mono(family: &'static str, alikes: &'static [&'static str]) -> StandIn {
    StandIn {
        family,
        generic: Generic::Monospace,
        alikes,
    }
}

const HELVETICA_LIKE: &[&str] = &[
    "Liberation Sans",
    "Arimo",
    "Nimbus Sans",
    "TeX Gyre Heros",
    "FreeSans",
];
const TIMES_LIKE: &[&str] = &[
    "Liberation Serif",
    "Tinos",
    "Nimbus Roman",
    "TeX Gyre Termes",
    "FreeSerif",
];
const COURIER_LIKE: &[&str] = &[
    "Liberation Mono",
    "Cousine",
    "Nimbus Mono PS",
    "TeX Gyre Cursor",
    "FreeMono",
];
const CODE_LIKE: &[&str] = &["DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono"];
const HUMANIST_LIKE: &[&str] = &["DejaVu Sans", "Noto Sans", "Open Sans"];
const PALATINO_LIKE: &[&str] = &["TeX Gyre Pagella", "P052", "URW Palladio L"];

/// Each entry's names, without spaces, hyphens or case: `"timesnewroman"`.
const TABLE: &[(&[&str], StandIn)] = &[
    (&["arial", "arialmt"], sans("Arial", HELVETICA_LIKE)),
    (
        &["helvetica", "helveticaneue", "helv"],
        sans("Helvetica", HELVETICA_LIKE),
    ),
    (
        &["timesnewroman", "timesnewromanpsmt"],
        serif("Times New Roman", TIMES_LIKE),
    ),
    (&["times", "timesroman"], serif("Times", TIMES_LIKE)),
    (
        &["couriernew", "couriernewpsmt"],
        mono("Courier New", COURIER_LIKE),
    ),
    (&["courier"], mono("Courier", COURIER_LIKE)),
    // DejaVu Sans grew out of Bitstream Vera, drawn in the same spirit as Verdana.
    (&["verdana"], sans("Verdana", HUMANIST_LIKE)),
    (&["tahoma"], sans("Tahoma", HUMANIST_LIKE)),
    (
        &["calibri"],
        sans("Calibri", &["Carlito", "Noto Sans", "DejaVu Sans"]),
    ),
    (&["cambria"], serif("Cambria", &["Caladea", "DejaVu Serif"])),
    (&["georgia"], serif("Georgia", &["Gelasio", "DejaVu Serif"])),
    (&["segoeui"], sans("Segoe UI", HUMANIST_LIKE)),
    (
        &["trebuchetms", "trebuchet"],
        sans("Trebuchet MS", HUMANIST_LIKE),
    ),
    (
        &["lucidagrande", "lucidasans"],
        sans("Lucida Grande", HUMANIST_LIKE),
    ),
    (
        &[
            "sanfrancisco",
            "sfpro",
            "sfprodisplay",
            "sfprotext",
            "applesystem",
            "systemui",
        ],
        sans("San Francisco", HUMANIST_LIKE),
    ),
    (
        &["gillsans", "gillsansmt"],
        sans("Gill Sans", HUMANIST_LIKE),
    ),
    (&["futura"], sans("Futura", HUMANIST_LIKE)),
    (
        &["centurygothic"],
        sans("Century Gothic", &["TeX Gyre Adventor", "URW Gothic"]),
    ),
    (
        &["comicsansms", "comicsans"],
        sans("Comic Sans MS", &["Comic Neue"]),
    ),
    (&["impact"], sans("Impact", &["Anton", "Oswald"])),
    (&["consolas"], mono("Consolas", CODE_LIKE)),
    // Menlo is DejaVu Sans Mono, reworked by Apple.
    (&["menlo"], mono("Menlo", CODE_LIKE)),
    (&["monaco"], mono("Monaco", CODE_LIKE)),
    (&["lucidaconsole"], mono("Lucida Console", CODE_LIKE)),
    (&["sfmono", "uimonospace"], mono("SF Mono", CODE_LIKE)),
    (
        &["palatino", "palatinolinotype", "bookantiqua"],
        serif("Palatino", PALATINO_LIKE),
    ),
    (
        &["garamond"],
        serif("Garamond", &["EB Garamond", "DejaVu Serif"]),
    ),
    (
        &["bookman", "bookmanoldstyle"],
        serif("Bookman", &["TeX Gyre Bonum", "URW Bookman"]),
    ),
    (
        &["uiserif"],
        serif("ui-serif", &["DejaVu Serif", "Noto Serif"]),
    ),
    (&["uisansserif"], sans("ui-sans-serif", HUMANIST_LIKE)),
];

/// The stand-in for a well-known family, matched without regard to case, spaces,
/// hyphens or underscores.
pub fn lookup(name: &str) -> Option<StandIn> {
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    TABLE
        .iter()
        .find(|(names, _)| names.contains(&key.as_str()))
        .map(|(_, s)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_names_are_found_however_they_are_written() {
        assert_eq!(lookup("Arial").unwrap().generic, Generic::SansSerif);
        assert_eq!(lookup("helvetica neue").unwrap().family, "Helvetica");
        assert_eq!(lookup("Times New Roman").unwrap().generic, Generic::Serif);
        assert_eq!(lookup("times_new_roman").unwrap().family, "Times New Roman");
        assert_eq!(lookup("Times-Roman").unwrap().family, "Times");
        assert_eq!(lookup("COURIER").unwrap().generic, Generic::Monospace);
        assert_eq!(lookup("Courier New").unwrap().alikes[0], "Liberation Mono");
        assert_eq!(lookup("Calibri").unwrap().alikes[0], "Carlito");
        assert_eq!(lookup("Verdana").unwrap().alikes[0], "DejaVu Sans");
        assert!(lookup("Noto Sans").is_none());
        assert!(lookup("Arial Narrow").is_none());
    }

    #[test]
    fn every_name_is_written_as_lookup_compares_it() {
        for (names, s) in TABLE {
            for n in *names {
                assert_eq!(lookup(n), Some(*s), "{n}");
            }
            assert!(!s.alikes.is_empty(), "{}", s.family);
        }
    }
}
