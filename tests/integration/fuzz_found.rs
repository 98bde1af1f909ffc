//! Regressions for what the coverage-guided fuzz targets (`fuzz/`, docs/fuzzing.md)
//! found, each reproduced through the real binary with an input the test generates.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A minimal TrueType font (family "Fuzz Mapped", no outlines) whose character map is
/// one format-12 group mapping `A`..`Z` to glyph numbers from `first_glyph`.
fn font_with_cmap12(first_glyph: u32) -> Vec<u8> {
    let be16 = |v: u16| v.to_be_bytes().to_vec();
    let be32 = |v: u32| v.to_be_bytes().to_vec();
    let mut head = Vec::new();
    head.extend(be32(0x0001_0000)); // version
    head.extend(be32(0x0001_0000)); // fontRevision
    head.extend(be32(0)); // checksumAdjustment
    head.extend(be32(0x5F0F_3CF5)); // magicNumber
    head.extend(be16(0)); // flags
    head.extend(be16(1000)); // unitsPerEm
    head.extend([0; 16]); // created, modified
    for v in [0i16, -200, 500, 800] {
        head.extend(v.to_be_bytes()); // xMin, yMin, xMax, yMax
    }
    head.extend(be16(0)); // macStyle
    head.extend(be16(8)); // lowestRecPPEM
    head.extend(be16(2)); // fontDirectionHint
    head.extend(be16(0)); // indexToLocFormat
    head.extend(be16(0)); // glyphDataFormat

    let mut hhea = Vec::new();
    hhea.extend(be32(0x0001_0000));
    for v in [800i16, -200, 0] {
        hhea.extend(v.to_be_bytes()); // ascender, descender, lineGap
    }
    hhea.extend(be16(500)); // advanceWidthMax
    hhea.extend([0; 22]); // extents, caret, reserved, metricDataFormat
    hhea.extend(be16(1)); // numberOfHMetrics

    let mut maxp = be32(0x0000_5000);
    maxp.extend(be16(2)); // numGlyphs

    let mut hmtx = be16(500);
    hmtx.extend(be16(0));
    hmtx.extend(be16(0)); // the second glyph's left side bearing

    let mut cmap = be16(0);
    cmap.extend(be16(1));
    cmap.extend(be16(3)); // Windows
    cmap.extend(be16(10)); // full Unicode
    cmap.extend(be32(12));
    cmap.extend(be16(12)); // format 12
    cmap.extend(be16(0));
    cmap.extend(be32(28)); // length
    cmap.extend(be32(0)); // language
    cmap.extend(be32(1)); // one group
    cmap.extend(be32('A' as u32));
    cmap.extend(be32('Z' as u32));
    cmap.extend(be32(first_glyph));

    let family: Vec<u8> = "Fuzz Mapped"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let mut name = be16(0);
    name.extend(be16(2)); // count
    name.extend(be16(30)); // string offset
    for id in [1u16, 6] {
        // The family and the PostScript name, one string for both.
        for v in [3u16, 1, 0x409, id, family.len() as u16, 0] {
            name.extend(be16(v)); // platform, encoding, language, name id, length, offset
        }
    }
    name.extend(family);

    // Tables in tag order, each 4-byte aligned; checksums are not checked by readers.
    let tables = [
        (b"cmap", cmap),
        (b"head", head),
        (b"hhea", hhea),
        (b"hmtx", hmtx),
        (b"maxp", maxp),
        (b"name", name),
    ];
    let mut font = be32(0x0001_0000);
    font.extend(be16(tables.len() as u16));
    font.extend([0; 6]); // searchRange, entrySelector, rangeShift
    let mut offset = 12 + 16 * tables.len();
    let mut body = Vec::new();
    for (tag, data) in &tables {
        font.extend(*tag);
        font.extend(be32(0));
        font.extend(be32(offset as u32));
        font.extend(be32(data.len() as u32));
        body.extend(data);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        offset = 12 + 16 * tables.len() + body.len();
    }
    font.extend(body);
    font
}

fn text_scene(font: &str) -> String {
    format!("[clip.main]\nkind = \"text\"\ntext = \"AB\"\nfont = \"{font}\"\n")
}

/// cosmic-text panicked ("failed to cast glyph ID") shaping a character that a font
/// file's format-12 character map sends past glyph 65535.
#[test]
fn font_cmap_glyph_past_65535_panicked() {
    let s = Sandbox::new();
    s.write("bad.ttf", font_with_cmap12(70_000));
    s.write("scene.toml", text_scene("bad.ttf"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot use font file `bad.ttf`",
        "glyphs above 65535",
        "scene.toml:4:8"
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);

    // The same font with glyph numbers a font can have is read and used.
    s.write("good.ttf", font_with_cmap12(1));
    s.write("scene.toml", text_scene("good.ttf"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
}

/// ttf-parser's debug assertion panicked reading a font collection header that counts
/// more faces than 4 GiB of offsets (the fuzz target's minimized input, 19 bytes).
#[test]
fn font_collection_face_count_past_4gib_panicked() {
    let s = Sandbox::new();
    s.write("bad.ttc", "ttcfo Sans Symbols1");
    s.write("scene.toml", text_scene("bad.ttc"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot use font file `bad.ttc`",
        "the font collection is corrupt: it lists 1853038675 faces",
        "scene.toml:4:8"
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}
