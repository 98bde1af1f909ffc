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
use super::unknown::{rank_families, split_style_words, style_keys};
pub use super::unknown::{StandInHint, UnknownFamily};

/// The family a scene gets when it names none; embedded in the binary.
pub const DEFAULT_FAMILY: &str = "DejaVu Sans";

/// The largest font file read, in bytes (CJK collections are around 30 MB).
pub const MAX_FONT_FILE: u64 = 256 << 20;

/// A face to lay text out with: the family as the database spells it and the weight of
/// the face that matched, with the style the scene asked for (cosmic-text slants an
/// upright face itself when italic is asked for and the family has none).
#[derive(Debug, Clone, PartialEq)]
pub struct FaceChoice {
    pub family: String,
    pub weight: u16,
    pub style: Style,
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
                uninstalled: None,
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
        // `Purisa-Bold` with no Purisa installed: the style words still have their keys.
        let uninstalled = (base.is_none() && !words.is_empty())
            .then(|| Box::new((plain.to_string(), style_keys(&words))));
        Err(UnknownFamily {
            suggestions,
            base,
            stand_in,
            generic_missing: None,
            uninstalled,
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
        self.pick(&ids, weight, style)
    }

    /// A working set holding nothing but the font in `data`, read as [`Fonts::file`]
    /// reads a file, and its face closest to `weight` and `style`. For the font fuzz
    /// target: the process-wide set would grow with every input.
    #[doc(hidden)]
    pub fn isolated(
        data: Vec<u8>,
        weight: u16,
        style: Style,
    ) -> Result<(Fonts, FaceChoice), String> {
        let system = FontSystem::new_with_locale_and_db_and_fallback(
            "en-US".into(),
            fontdb::Database::new(),
            SceneFallback,
        );
        let mut fonts = Fonts {
            system,
            // An empty catalog: no fallback search scans the system's fonts.
            catalog: Some(fontdb::Database::new()),
            files: HashMap::new(),
        };
        let ids = fonts.load(data)?;
        let face = fonts.pick(&ids, weight, style)?;
        Ok((fonts, face))
    }

    /// The face among `ids` closest to `weight` and `style`.
    fn pick(&self, ids: &[ID], weight: u16, style: Style) -> Result<FaceChoice, String> {
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
        let data = crate::base::input::read(path, MAX_FONT_FILE, "a font file")?;
        crate::base::guard::decoding(path.display(), || self.load(data))
    }

    /// Adds the faces of a font file's bytes; they shadow known faces of the same
    /// family, weight and style.
    fn load(&mut self, data: Vec<u8>) -> Result<Vec<ID>, String> {
        if let Some(faces) = collection_overflow(&data) {
            return Err(format!(
                "the font collection is corrupt: it lists {faces} faces, more than its {} \
                 bytes can hold",
                data.len()
            ));
        }
        if maps_past_u16(&data) {
            return Err("the font file is corrupt: its character map names glyphs \
                        above 65535, more than a font can hold"
                .into());
        }
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

/// The face count of a font collection (`ttcf`) whose table of face offsets would not
/// fit in the file. ttf-parser asserts (in debug builds) that the table ends within
/// 4 GiB, and panicked on such a header. Found by the `font` fuzz target.
fn collection_overflow(data: &[u8]) -> Option<u32> {
    let header = data.get(..12)?;
    if &header[..4] != b"ttcf" {
        return None;
    }
    let faces = u32::from_be_bytes([header[8], header[9], header[10], header[11]]);
    (12 + 4 * faces as u64 > data.len() as u64).then_some(faces)
}

/// Whether a face of the font file `data` maps a character to a glyph number above
/// 65535 (cmap formats 8, 12 and 13 hold 32-bit numbers): cosmic-text panics shaping
/// such a character. Found by the `font` fuzz target.
fn maps_past_u16(data: &[u8]) -> bool {
    use cosmic_text::skrifa::raw::tables::cmap::CmapSubtable;
    use cosmic_text::skrifa::raw::{FileRef, TableProvider};
    const MAX: u64 = u16::MAX as u64;
    // Only characters that exist can be shaped.
    let last = |end: u32| end.min(char::MAX as u32) as u64;
    let Ok(file) = FileRef::new(data) else {
        return false;
    };
    file.fonts().flatten().any(|font| {
        let Ok(cmap) = font.cmap() else {
            return false;
        };
        cmap.encoding_records()
            .iter()
            .any(|r| match r.subtable(cmap.offset_data()) {
                Ok(CmapSubtable::Format8(t)) => t.groups().iter().any(|g| {
                    g.start_glyph_id() as u64
                        + last(g.end_char_code()).saturating_sub(g.start_char_code() as u64)
                        > MAX
                }),
                Ok(CmapSubtable::Format12(t)) => t.groups().iter().any(|g| {
                    g.start_glyph_id() as u64
                        + last(g.end_char_code()).saturating_sub(g.start_char_code() as u64)
                        > MAX
                }),
                Ok(CmapSubtable::Format13(t)) => {
                    t.groups().iter().any(|g| g.glyph_id() as u64 > MAX)
                }
                _ => false,
            })
    })
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
