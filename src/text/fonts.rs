//! The font database, shared by every text clip of the process.
//!
//! The bundled DejaVu Sans faces are always there, so a scene that names no font renders
//! the same pixels on every machine. The system's fonts are slow to scan (hundreds of
//! files), so they are loaded once, and only when a scene names a family that is not
//! bundled or a character needs a fallback font. Faces that duplicate one already known
//! (a system copy of DejaVu Sans, say) are dropped so the choice never depends on what
//! happens to be installed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use cosmic_text::fontdb::{self, FaceInfo, Family, Query, Source, Stretch, Style, Weight, ID};
use cosmic_text::{Fallback, FontSystem, PlatformFallback};
use unicode_script::Script;

/// The family a scene gets when it names none; embedded in the binary.
pub const DEFAULT_FAMILY: &str = "DejaVu Sans";

/// The largest font file read, in bytes (CJK collections are around 30 MB).
pub const MAX_FONT_FILE: u64 = 256 << 20;

/// How many close family names an "unknown family" error suggests.
const SUGGESTIONS: usize = 5;

/// A face to lay text out with: the family as the database spells it and the weight of
/// the face that matched, with the style the scene asked for (cosmic-text slants an
/// upright face itself when italic is asked for and the family has none).
#[derive(Debug, Clone, PartialEq)]
pub struct FaceChoice {
    pub family: String,
    pub weight: u16,
    pub style: Style,
}

/// Why a family could not be found: the closest installed family names.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownFamily {
    pub suggestions: Vec<String>,
    /// A family that exists once a style word ("Bold", "Italic") is cut from the name.
    pub base: Option<String>,
}

/// The process-wide database and the cosmic-text state built on it.
pub struct Fonts {
    pub system: FontSystem,
    system_loaded: bool,
    /// Font files already read, by path: the ids of their faces.
    files: HashMap<PathBuf, Vec<ID>>,
}

static FONTS: LazyLock<Mutex<Fonts>> = LazyLock::new(|| Mutex::new(Fonts::new()));

/// The shared font state. Text is laid out at resolve time, one clip at a time, so the
/// lock is never contended in practice.
pub fn lock() -> MutexGuard<'static, Fonts> {
    FONTS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn bundled() -> [&'static [u8]; 4] {
    [
        dejavu::sans::regular(),
        dejavu::sans::bold(),
        dejavu::sans::oblique(),
        dejavu::sans::bold_oblique(),
    ]
}

/// Identity of a face for de-duplication: family, weight, style, stretch.
fn face_key(face: &FaceInfo) -> (String, u16, u8, u16) {
    let family = face
        .families
        .first()
        .map(|(name, _)| name.to_lowercase())
        .unwrap_or_default();
    let style = match face.style {
        Style::Normal => 0,
        Style::Italic => 1,
        Style::Oblique => 2,
    };
    (family, face.weight.0, style, face.stretch.to_number())
}

impl Fonts {
    fn new() -> Fonts {
        let mut db = fontdb::Database::new();
        for data in bundled() {
            db.load_font_source(Source::Binary(Arc::new(data)));
        }
        db.set_sans_serif_family(DEFAULT_FAMILY);
        // A fixed locale: fallback choices (which CJK forms) must not follow the
        // machine's language settings.
        let system =
            FontSystem::new_with_locale_and_db_and_fallback("en-US".into(), db, SceneFallback);
        Fonts {
            system,
            system_loaded: false,
            files: HashMap::new(),
        }
    }

    pub fn db(&self) -> &fontdb::Database {
        self.system.db()
    }

    /// Whether the system's fonts have been scanned (for tests and measurements).
    pub fn system_loaded(&self) -> bool {
        self.system_loaded
    }

    /// Scans the system's fonts once; faces that duplicate a known one are dropped.
    pub fn load_system(&mut self) {
        if self.system_loaded {
            return;
        }
        self.system_loaded = true;
        let known: std::collections::HashSet<_> = self.db().faces().map(face_key).collect();
        let before: std::collections::HashSet<ID> = self.db().faces().map(|f| f.id).collect();
        let db = self.system.db_mut();
        db.load_system_fonts();
        let duplicates: Vec<ID> = db
            .faces()
            .filter(|f| !before.contains(&f.id) && known.contains(&face_key(f)))
            .map(|f| f.id)
            .collect();
        for id in duplicates {
            db.remove_face(id);
        }
    }

    /// The family a scene names, as the database spells it. Names are matched without
    /// regard to case; `sans-serif`, `serif` and `monospace` pick an installed family.
    pub fn family(&mut self, name: &str) -> Result<String, UnknownFamily> {
        let wanted = name.trim();
        let generic: &[&str] = match wanted.to_lowercase().as_str() {
            "sans-serif" | "sans" => return Ok(DEFAULT_FAMILY.to_string()),
            "serif" => &[
                "DejaVu Serif",
                "Noto Serif",
                "Liberation Serif",
                "FreeSerif",
            ],
            "monospace" | "mono" => &[
                "DejaVu Sans Mono",
                "Noto Sans Mono",
                "Liberation Mono",
                "FreeMono",
            ],
            _ => &[],
        };
        if wanted.eq_ignore_ascii_case(DEFAULT_FAMILY) {
            return Ok(DEFAULT_FAMILY.to_string());
        }
        self.load_system();
        if !generic.is_empty() {
            return generic
                .iter()
                .find_map(|g| self.installed(g))
                .ok_or_else(|| UnknownFamily {
                    suggestions: generic.iter().map(|s| s.to_string()).collect(),
                    base: None,
                });
        }
        if let Some(found) = self.installed(wanted) {
            return Ok(found);
        }
        Err(UnknownFamily {
            suggestions: self.suggest(wanted),
            base: strip_style_word(wanted).and_then(|b| self.installed(b)),
        })
    }

    /// The database's spelling of an installed family, matched without regard to case.
    fn installed(&self, name: &str) -> Option<String> {
        self.db()
            .faces()
            .flat_map(|f| f.families.iter())
            .find(|(family, _)| family.eq_ignore_ascii_case(name))
            .map(|(family, _)| family.clone())
    }

    /// Every family name known, sorted, without repeats.
    pub fn families(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .db()
            .faces()
            .flat_map(|f| f.families.iter().map(|(n, _)| n.clone()))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    fn suggest(&self, name: &str) -> Vec<String> {
        rank_families(name, &self.families())
    }

    /// The face of `family` that best matches `weight` and `style`.
    pub fn choose(&self, family: &str, weight: u16, style: Style) -> FaceChoice {
        let query = Query {
            families: &[Family::Name(family)],
            weight: Weight(weight),
            stretch: Stretch::Normal,
            style,
        };
        let matched = self.db().query(&query).and_then(|id| self.db().face(id));
        FaceChoice {
            family: family.to_string(),
            weight: matched.map_or(weight, |f| f.weight.0),
            style,
        }
    }

    /// Reads a font file (once per process) and picks its face closest to `weight` and
    /// `style`. Its faces win over any known face of the same family, weight and style.
    pub fn file(&mut self, path: &Path, weight: u16, style: Style) -> Result<FaceChoice, String> {
        let ids = match self.files.get(path) {
            Some(ids) => ids.clone(),
            None => {
                let ids = self.read_file(path)?;
                self.files.insert(path.to_path_buf(), ids.clone());
                ids
            }
        };
        let faces: Vec<&FaceInfo> = ids.iter().filter_map(|id| self.db().face(*id)).collect();
        let best = faces
            .iter()
            .min_by_key(|f| (style_distance(style, f.style), f.weight.0.abs_diff(weight)))
            .ok_or("the font file has no usable face")?;
        let family = best
            .families
            .first()
            .map(|(n, _)| n.clone())
            .ok_or("the font file's face has no family name")?;
        Ok(FaceChoice {
            family,
            weight: best.weight.0,
            style,
        })
    }

    fn read_file(&mut self, path: &Path) -> Result<Vec<ID>, String> {
        let len = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
        if len > MAX_FONT_FILE {
            return Err(format!(
                "the file is {} MB; a font file may be at most {} MB",
                len >> 20,
                MAX_FONT_FILE >> 20
            ));
        }
        let data = std::fs::read(path).map_err(|e| e.to_string())?;
        let db = self.system.db_mut();
        let ids: Vec<ID> = db
            .load_font_source(Source::Binary(Arc::new(data)))
            .into_iter()
            .collect();
        if ids.is_empty() {
            return Err(
                "not a font file that can be read (TrueType, OpenType or a collection of them)"
                    .into(),
            );
        }
        let new_keys: std::collections::HashSet<_> = ids
            .iter()
            .filter_map(|id| db.face(*id))
            .map(face_key)
            .collect();
        let shadowed: Vec<ID> = db
            .faces()
            .filter(|f| !ids.contains(&f.id) && new_keys.contains(&face_key(f)))
            .map(|f| f.id)
            .collect();
        for id in shadowed {
            db.remove_face(id);
        }
        Ok(ids)
    }
}

fn style_distance(want: Style, have: Style) -> u8 {
    match (want, have) {
        (a, b) if a == b => 0,
        (Style::Normal, _) | (_, Style::Normal) => 2,
        _ => 1,
    }
}

/// "Amiri-Bold", "Purisa Bold Italic": the family name without the style words MoviePy
/// users (ImageMagick font names) write into it.
fn strip_style_word(name: &str) -> Option<&str> {
    const WORDS: &[&str] = &[
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
    let cut = name.rfind(['-', ' '])?;
    let (base, word) = (&name[..cut], &name[cut + 1..]);
    let word = word.to_lowercase().replace([' ', '-'], "");
    (WORDS.contains(&word.as_str()) && !base.trim().is_empty()).then(|| base.trim())
}

/// The installed families closest to `name`: those containing it (or contained in it)
/// first, then by string similarity.
pub fn rank_families(name: &str, families: &[String]) -> Vec<String> {
    let want = name.to_lowercase();
    let mut scored: Vec<(f64, &String)> = families
        .iter()
        .map(|f| {
            let have = f.to_lowercase();
            let mut score = strsim::jaro_winkler(&want, &have);
            if have.contains(&want) || want.contains(&have) {
                score += 1.0;
            }
            (score, f)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, f)| f.clone())
        .collect()
}

/// cosmic-text's fallback lists, with the CJK and right-to-left families common on Linux
/// added, so that a fallback font is picked by name rather than by the order the
/// system's font folders happen to be read in.
struct SceneFallback;

static PLATFORM: PlatformFallback = PlatformFallback;

impl Fallback for SceneFallback {
    fn common_fallback(&self) -> &[&'static str] {
        PLATFORM.common_fallback()
    }

    fn forbidden_fallback(&self) -> &[&'static str] {
        PLATFORM.forbidden_fallback()
    }

    fn script_fallback(&self, script: Script, locale: &str) -> &[&'static str] {
        const HAN: &[&str] = &[
            "Noto Sans CJK SC",
            "Noto Sans SC",
            "Source Han Sans SC",
            "WenQuanYi Micro Hei",
            "WenQuanYi Zen Hei",
            "Noto Sans CJK JP",
            "Droid Sans Fallback",
            "AR PL UMing CN",
        ];
        const JAPANESE: &[&str] = &[
            "Noto Sans CJK JP",
            "Noto Sans JP",
            "Source Han Sans JP",
            "IPAGothic",
            "TakaoGothic",
            "WenQuanYi Micro Hei",
            "WenQuanYi Zen Hei",
            "Droid Sans Fallback",
        ];
        const HANGUL: &[&str] = &[
            "Noto Sans CJK KR",
            "Noto Sans KR",
            "Source Han Sans KR",
            "NanumGothic",
            "UnDotum",
            "WenQuanYi Micro Hei",
            "WenQuanYi Zen Hei",
            "Droid Sans Fallback",
        ];
        const ARABIC: &[&str] = &[
            "Noto Sans Arabic",
            "Noto Naskh Arabic",
            "DejaVu Sans",
            "Amiri",
            "FreeSerif",
        ];
        const HEBREW: &[&str] = &["Noto Sans Hebrew", "DejaVu Sans", "FreeSans", "FreeSerif"];
        match script {
            Script::Han | Script::Bopomofo => HAN,
            Script::Hiragana | Script::Katakana => JAPANESE,
            Script::Hangul => HANGUL,
            Script::Arabic => ARABIC,
            Script::Hebrew => HEBREW,
            other => PLATFORM.script_fallback(other, locale),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_words_are_cut_from_imagemagick_names() {
        assert_eq!(strip_style_word("Amiri-Bold"), Some("Amiri"));
        assert_eq!(strip_style_word("Purisa Bold"), Some("Purisa"));
        assert_eq!(strip_style_word("DejaVu Sans"), None);
        assert_eq!(strip_style_word("-Bold"), None);
    }

    #[test]
    fn ranking_prefers_containing_names_then_similar_ones() {
        let families: Vec<String> = ["DejaVu Sans", "DejaVu Serif", "Noto Sans", "Ubuntu"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let ranked = rank_families("dejavu sans", &families);
        assert_eq!(ranked[0], "DejaVu Sans");
        let ranked = rank_families("DejaVu Snas", &families);
        assert_eq!(&ranked[..2], &["DejaVu Sans", "DejaVu Serif"]);
        assert_eq!(ranked.len(), 4);
    }

    #[test]
    fn the_default_family_needs_no_system_scan() {
        let mut fonts = Fonts::new();
        assert_eq!(fonts.family("dejavu sans").unwrap(), DEFAULT_FAMILY);
        assert_eq!(fonts.family("sans-serif").unwrap(), DEFAULT_FAMILY);
        assert!(!fonts.system_loaded());
        let bold = fonts.choose(DEFAULT_FAMILY, 700, Style::Normal);
        assert_eq!(bold.weight, 700);
        // no bundled face weighs 500: the nearest one is taken
        let medium = fonts.choose(DEFAULT_FAMILY, 500, Style::Normal);
        assert!(medium.weight == 400 || medium.weight == 700, "{medium:?}");
    }

    #[test]
    fn golden_texts_need_only_the_bundled_font() {
        // the golden images must not depend on what a machine has installed
        let mut fonts = Fonts::new();
        for (weight, style, text) in [
            (400, Style::Normal, "Ag Éy 0.5\nBold ƒ → ∑ Agjpqy ÅÉ"),
            (700, Style::Italic, "Outline"),
        ] {
            let face = fonts.choose(DEFAULT_FAMILY, weight, style);
            let params = crate::text::layout::Params {
                face: &face,
                font_size: 20.0,
                line_height: 24.0,
                wrap_width: None,
                align: crate::text::Align::Left,
            };
            let laid = crate::text::layout::lay_out(&mut fonts.system, text, &params);
            assert!(laid.missing.is_empty(), "{:?}", laid.missing);
            assert!(laid.glyphs.iter().all(|g| !g.fake_italic));
        }
        assert!(!fonts.system_loaded());
    }
}
