//! Font file bytes → read as a text clip's `font_file` is read, then a line of mixed
//! scripts laid out, its glyph outlines taken and drawn (plain and outlined).
#![no_main]

use animate::base::color::Rgba;
use animate::text::fonts::Fonts;
use animate::text::{layout, raster, Align};
use cosmic_text::fontdb::Style;
use libfuzzer_sys::fuzz_target;

const TEXT: &str = "Hello, fiﬂ 1/2 — Ωμέγα Жж مرحبا 中文 é\u{301} ⅓\nline two\tTAB";

fuzz_target!(|data: &[u8]| {
    let Ok((mut fonts, face)) = Fonts::isolated(data.to_vec(), 400, Style::Normal) else {
        return;
    };
    let params = layout::Params {
        face: &face,
        font_size: 24.0,
        line_height: 30.0,
        wrap_width: Some(120.0),
        align: Align::Center,
    };
    let laid = layout::lay_out(&mut fonts.system, TEXT, &params);
    let paths = raster::outlines(&mut fonts.system, &laid.glyphs);
    let ink = raster::Ink {
        fill: Rgba::BLACK,
        stroke: Some((Rgba::WHITE, 2.0)),
    };
    let _ = raster::draw(&paths, &ink);
});
