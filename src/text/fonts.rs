//! The font database, shared by every text clip of the process.
//!
//! Two databases: the *working set* that cosmic-text lays text out with, and the
//! *catalog* of the system's fonts. The working set starts with the bundled DejaVu Sans
//! faces, so a scene that names no font renders the same pixels on every machine. The
//! catalog is scanned once per process, and only when a scene names a family that is not
//! bundled or a character needs a fallback font; the families a text needs are then
//! copied into the working set. Keeping the working set small bounds cosmic-text's
//! fallback search (it may try every face it knows for every word), and choosing
//! fallback families here, by name, keeps the choice independent of the order the
//! system's font folders happen to be read in.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use cosmic_text::fontdb::{self, FaceInfo, Family, Query, Source, Stretch, Style, Weight, ID};
use cosmic_text::skrifa::{FontRef, MetadataProvider};
use cosmic_text::{Fallback, FontSystem, PlatformFallback};
use unicode_script::{Script, UnicodeScript};

use super::stand_ins::{self, StandIn};

/// The family a scene gets when it names none; embedded in the binary.
pub const DEFAULT_FAMILY: &str = "DejaVu Sans";

/// The largest font file read, in bytes (CJK collections are around 30 MB).
pub const MAX_FONT_FILE: u64 = 256 << 20;

/// How many close family names an "unknown family" error suggests.
const SUGGESTIONS: usize = 5;
/// How alike (Jaro-Winkler, 0 to 1) an installed family's name must be to the name a
/// scene gives for it to be suggested: a typo such as `DejaVu Snas` scores about 0.98,
/// an unrelated name such as `Helvetica` against `Noto Music` about 0.5, and names that
/// only share a prefix (`Noto Sans Arab`, `Noto Sans Carian`) below 0.9.
const CLOSE_SPELLING: f64 = 0.9;

/// A face to lay text out with: the family as the database spells it and the weight of
/// the face that matched, with the style the scene asked for (cosmic-text slants an
/// upright face itself when italic is asked for and the family has none).
#[derive(Debug, Clone, PartialEq)]
pub struct FaceChoice {
    pub family: String,
    pub weight: u16,
    pub style: Style,
}

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
    fn hint(&self) -> String {
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

/// The process-wide databases and the cosmic-text state built on the working set.
pub struct Fonts {
    /// The working set: what text is laid out with.
    pub system: FontSystem,
    /// The system's fonts, once scanned.
    catalog: Option<fontdb::Database>,
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
            catalog: None,
            files: HashMap::new(),
        }
    }

    pub fn db(&self) -> &fontdb::Database {
        self.system.db()
    }

    /// Whether the system's fonts have been scanned (for tests and measurements).
    pub fn system_loaded(&self) -> bool {
        self.catalog.is_some()
    }

    /// The system's fonts, scanned on first use.
    fn catalog(&mut self) -> &mut fontdb::Database {
        self.catalog.get_or_insert_with(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            db
        })
    }

    /// The family a scene names, as the database spells it, ready to lay text out with.
    /// Names are matched without regard to case; `sans-serif`, `serif` and `monospace`
    /// pick an installed family.
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
        if let Some(found) = spelling(self.db(), wanted) {
            return Ok(found);
        }
        self.catalog();
        let candidates: Vec<&str> = if generic.is_empty() {
            vec![wanted]
        } else {
            generic.to_vec()
        };
        for candidate in candidates {
            if let Some(found) = self.catalog.as_ref().and_then(|c| spelling(c, candidate)) {
                self.adopt(&found);
                return Ok(found);
            }
        }
        if !generic.is_empty() {
            return Err(UnknownFamily {
                suggestions: Vec::new(),
                base: None,
                stand_in: None,
                generic_missing: Some(generic.iter().map(|s| s.to_string()).collect()),
            });
        }
        let (plain, words) = split_style_words(wanted);
        let base = (!words.is_empty())
            .then(|| {
                spelling(self.db(), plain)
                    .or_else(|| self.catalog.as_ref().and_then(|c| spelling(c, plain)))
            })
            .flatten();
        let stand_in = match (&base, stand_ins::lookup(plain)) {
            (None, Some(s)) => Some(Box::new(self.stand_in_hint(s, &words))),
            _ => None,
        };
        let suggestions = if stand_in.is_some() {
            Vec::new()
        } else {
            rank_families(wanted, &self.families())
        };
        Err(UnknownFamily {
            suggestions,
            base,
            stand_in,
            generic_missing: None,
        })
    }

    /// What an error says instead of a well-known family that is not installed.
    fn stand_in_hint(&mut self, s: StandIn, words: &[String]) -> StandInHint {
        let generic_family = self.family(s.generic.name()).ok();
        let installed = s
            .alikes
            .iter()
            .filter_map(|a| {
                spelling(self.db(), a)
                    .or_else(|| self.catalog.as_ref().and_then(|c| spelling(c, a)))
            })
            .collect();
        StandInHint {
            stand_in: s,
            generic_family,
            installed,
            style_keys: style_keys(words),
        }
    }

    /// Copies a catalog family's faces into the working set, except faces the working
    /// set already has (the system's own copy of DejaVu Sans, say).
    fn adopt(&mut self, family: &str) {
        let known: HashSet<_> = self.db().faces().map(face_key).collect();
        let Some(catalog) = self.catalog.as_ref() else {
            return;
        };
        let faces: Vec<FaceInfo> = catalog
            .faces()
            .filter(|f| f.families.iter().any(|(n, _)| n == family))
            .filter(|f| !known.contains(&face_key(f)))
            .cloned()
            .collect();
        let db = self.system.db_mut();
        for mut face in faces {
            face.id = ID::dummy();
            db.push_face_info(face);
        }
    }

    /// Every family name known, installed or bundled, sorted, without repeats.
    pub fn families(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .db()
            .faces()
            .chain(self.catalog.iter().flat_map(|c| c.faces()))
            .flat_map(|f| f.families.iter().map(|(n, _)| n.clone()))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// `text` ready to lay out: [`cover`](Self::cover)ed, with the characters no font has
    /// replaced by U+FFFD (drawn by the bundled font), which also spares cosmic-text a
    /// search through every face for them. Returns the text and those characters.
    pub fn drawable(&mut self, text: &str, face: &FaceChoice) -> (String, Vec<char>) {
        let missing = self.cover(text, face);
        let shown = if missing.is_empty() {
            text.to_string()
        } else {
            text.chars()
                .map(|c| if missing.contains(&c) { '\u{FFFD}' } else { c })
                .collect()
        };
        (shown, missing)
    }

    /// Makes sure the working set can draw every character of `text` that any installed
    /// font can, adding fallback families from the catalog. Returns the characters no
    /// font has.
    pub fn cover(&mut self, text: &str, face: &FaceChoice) -> Vec<char> {
        let needed: BTreeSet<char> = text.chars().filter(|c| needs_glyph(*c)).collect();
        let mut remaining = uncovered(self.system.db_mut(), needed.into_iter().collect());
        if remaining.is_empty() {
            return remaining;
        }
        self.catalog();
        let order = self.fallback_order(&remaining);
        let catalog = self.catalog.as_mut().expect("scanned above");
        let mut adopted = Vec::new();
        for family in order {
            if remaining.is_empty() {
                break;
            }
            let query = Query {
                families: &[Family::Name(&family)],
                weight: Weight(face.weight),
                stretch: Stretch::Normal,
                style: face.style,
            };
            let Some(id) = catalog.query(&query) else {
                continue;
            };
            // SAFETY: maps the font file read-only, as cosmic-text does for every font it
            // uses; font files are not expected to change while a scene is rendered.
            let Some((data, index)) = (unsafe { catalog.make_shared_face_data(id) }) else {
                continue;
            };
            let Ok(font) = FontRef::from_index((*data).as_ref(), index) else {
                continue;
            };
            if font.outline_glyphs().format().is_none() {
                continue; // bitmap-only (colour emoji): nothing to draw outlines from
            }
            let charmap = font.charmap();
            let before = remaining.len();
            remaining.retain(|c| charmap.map(*c).is_none());
            if remaining.len() < before {
                adopted.push(family);
            }
        }
        for family in adopted {
            self.adopt(&family);
        }
        remaining
    }

    /// Catalog families to look for `chars` in: the fallback lists of their scripts,
    /// then the common fallbacks, then every other family by name.
    fn fallback_order(&mut self, chars: &[char]) -> Vec<String> {
        let mut order: Vec<String> = Vec::new();
        let push = |name: &str, order: &mut Vec<String>| {
            if !order.iter().any(|o| o == name) {
                order.push(name.to_string());
            }
        };
        for c in chars {
            for name in SceneFallback.script_fallback(c.script(), "en-US") {
                push(name, &mut order);
            }
        }
        for name in SceneFallback.common_fallback() {
            push(name, &mut order);
        }
        let catalog = self.catalog();
        let mut all: Vec<String> = catalog
            .faces()
            .filter_map(|f| f.families.first().map(|(n, _)| n.clone()))
            .collect();
        all.sort();
        all.dedup();
        for name in &all {
            push(name, &mut order);
        }
        // only families that are installed, in their installed spelling
        order.retain(|n| all.contains(n));
        order
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

/// The database's spelling of a family name, matched without regard to case.
fn spelling(db: &fontdb::Database, name: &str) -> Option<String> {
    db.faces()
        .flat_map(|f| f.families.iter())
        .find(|(family, _)| family.eq_ignore_ascii_case(name))
        .map(|(family, _)| family.clone())
}

/// The characters of `chars` that no face of `db` maps to a glyph.
fn uncovered(db: &mut fontdb::Database, mut chars: Vec<char>) -> Vec<char> {
    let ids: Vec<ID> = db.faces().map(|f| f.id).collect();
    for id in ids {
        if chars.is_empty() {
            break;
        }
        // SAFETY: as in `Fonts::cover`: a read-only mapping of a font file.
        let Some((data, index)) = (unsafe { db.make_shared_face_data(id) }) else {
            continue;
        };
        if let Ok(font) = FontRef::from_index((*data).as_ref(), index) {
            let charmap = font.charmap();
            chars.retain(|c| charmap.map(*c).is_none());
        }
    }
    chars
}

/// Whether a character is drawn with a glyph of its own: not a control, space, or
/// default-ignorable format character (joiners, direction marks, variation selectors),
/// which the shaper handles without the font's help.
pub fn needs_glyph(c: char) -> bool {
    const IGNORABLE: &[(u32, u32)] = &[
        (0x00AD, 0x00AD),
        (0x034F, 0x034F),
        (0x061C, 0x061C),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180F),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x206F),
        (0x3164, 0x3164),
        (0xFE00, 0xFE0F),
        (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0),
        (0xFFF0, 0xFFF8),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0000, 0xE0FFF),
    ];
    let u = c as u32;
    !(c.is_control()
        || c.is_whitespace()
        || IGNORABLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&u)))
}

fn style_distance(want: Style, have: Style) -> u8 {
    match (want, have) {
        (a, b) if a == b => 0,
        (Style::Normal, _) | (_, Style::Normal) => 2,
        _ => 1,
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
fn split_style_words(name: &str) -> (&str, Vec<String>) {
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
fn style_keys(words: &[String]) -> Vec<String> {
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

    #[test]
    fn well_known_families_point_at_generic_names_and_look_alikes() {
        let mut fonts = Fonts::new();
        // a machine that has them installed has nothing to say
        let Err(e) = fonts.family("Helvetica") else {
            return;
        };
        let s = e.stand_in.as_ref().expect("a stand-in");
        assert_eq!(s.generic_family.as_deref(), Some(DEFAULT_FAMILY));
        assert!(e.suggestions.is_empty(), "{e:?}");
        let hint = e.hint();
        assert!(
            hint.starts_with(
                "Helvetica is not installed; write font = \"sans-serif\" (DejaVu Sans)"
            ),
            "{hint}"
        );
        assert!(hint.contains("Liberation Sans"), "{hint}");
        let Err(e) = fonts.family("Arial-Bold") else {
            return;
        };
        assert!(
            e.hint()
                .contains("font = \"sans-serif\" (DejaVu Sans) with weight = \"bold\""),
            "{}",
            e.hint()
        );
        let Err(e) = fonts.family("Courier New") else {
            return;
        };
        assert!(e.hint().contains("font = \"monospace\""), "{}", e.hint());
        let Err(e) = fonts.family("Times New Roman") else {
            return;
        };
        assert!(e.hint().contains("font = \"serif\""), "{}", e.hint());
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
