//! The JSON Schema (draft 7) of scene files that `animate schema` prints, for editors
//! (taplo, Even Better TOML): completion, hover docs and checks while typing.
//!
//! Built from tables of keys written beside the code that reads them: `[output]` here
//! ([`OUTPUT`]), the kinds in `source/schema.rs` and `layout/schema.rs` (listed in
//! [`KINDS`]), the effects in `effect/schema.rs`. Adding a key is one line in its
//! table; adding a kind, one line in [`KINDS`] (beside its line in `kinds.rs`). The
//! tests below compare every table with the serde struct it describes, so neither can
//! change alone.

use serde_json::{json, Map, Value};

use crate::base::schema::{definitions, key, table, Key, Ty};
use crate::effect::schema as effects;
use crate::layout::schema as layouts;
use crate::source::schema as sources;

/// `[output]`.
pub const OUTPUT: &[Key] = &[
    key("root", Ty::Clip, "the clip that is rendered (default: main, or the only clip)"),
    key("fps", Ty::Param, "frames per second, 1/655.35 ≤ fps ≤ 1000 (default: the content's rate — a video's, a GIF's, an image sequence's — else 25)"),
    key("size", Ty::Pair, "output [width, height]; the root is scaled to fit, keeping aspect (default: the root clip's size)"),
    key("duration", Ty::Param, "seconds rendered (default: the root clip's duration)"),
    key("background", Ty::Color, "what shows where the root is transparent; \"transparent\" keeps alpha").default("\"black\""),
    key("file", Ty::Path, "output file when -o is not given"),
    key("quality", Ty::Int, "encoder quality, 1–100").default("90"),
    key("repeat", Ty::Int, "how many times a GIF plays; 0 loops for ever").default("0"),
    key("audio", Ty::Path, "a soundtrack: a sound file (relative to the scene file) or a clip's name, looped or cut to the render's length, mixed with the root's sound"),
];

/// `[measure.NAME]` (scene/measure/).
pub const MEASURE: &[Key] = &[
    key("clip", Ty::Clip, "the measured clip; it must have an end").required(),
    key(
        "stat",
        Ty::OneOf(&[
            "mean",
            "sum",
            "count_above",
            "fraction_above",
            "sum_alpha",
            "min",
            "max",
        ]),
        "the statistic of each frame",
    )
    .default("\"mean\""),
    key(
        "channel",
        Ty::OneOf(&["luminance", "red", "green", "blue", "alpha", "value"]),
        "the value measured in each pixel, 0–255 (straight, not premultiplied); value: a field's or simulation's numbers",
    )
    .default("\"luminance\""),
    key(
        "threshold",
        Ty::Number,
        "count_above and fraction_above count values above it (with channel = value, in the values' units, and required)",
    )
    .default("127"),
];

/// Every clip kind: its name, its keys (in parts), and what it is.
pub const KINDS: &[(&str, &[&[Key]], &str)] = &[
    ("color", &[sources::COLOR], "a solid colour"),
    (
        "file",
        &[sources::FILE],
        "a picture, an animated GIF or APNG, or a video",
    ),
    ("images", &[sources::IMAGES], "an image sequence"),
    ("text", &[sources::TEXT], "text in a font"),
    (
        "plot",
        &[sources::PLOT],
        "curves and data on matplotlib-style axes",
    ),
    (
        "field",
        &[sources::FIELD, sources::FIELD_LOOK, sources::FIELD_DRAWING],
        "a scalar field or NumPy frames through a colormap",
    ),
    (
        "simulation",
        &[
            sources::SIMULATION,
            sources::FIELD_LOOK,
            sources::FIELD_DRAWING,
        ],
        "a grid simulation stepped by lines of the scene, drawn as a field",
    ),
    (
        "bars",
        &[sources::BARS],
        "bars from numbers, expressions or a CSV table; ranked, a bar chart race",
    ),
    (
        "surface",
        &[sources::SURFACE, sources::VIEW3D],
        "a 3-D surface z = f(x, y, t)",
    ),
    (
        "curve3d",
        &[sources::CURVE3D, sources::VIEW3D],
        "a 3-D curve: a tube or a line",
    ),
    ("grid", &[layouts::GRID], "clips in rows and columns"),
    (
        "composite",
        &[layouts::COMPOSITE],
        "clips layered over each other",
    ),
    ("sequence", &[layouts::SEQUENCE], "clips one after another"),
    ("video", &[sources::VIDEO], "a video file"),
    (
        "audio",
        &[sources::AUDIO],
        "a sound file: something to hear, nothing to see",
    ),
    (
        "program",
        &[sources::PROGRAM, sources::PROGRAM_STREAM],
        "frames from a program the scene names (needs --allow-programs)",
    ),
    (
        "stdin",
        &[sources::STDIN],
        "frames read from animate's standard input",
    ),
];

/// The keys of one kind, all parts together.
pub fn kind_keys(parts: &[&[Key]]) -> Vec<Key> {
    parts.concat()
}

/// The whole schema document.
pub fn document() -> Value {
    let mut defs = definitions();
    let effects = effect_list(&mut defs);
    defs.insert("effects".into(), effects);
    defs.insert(
        "mask".into(),
        json!({
            "description": "a clip whose values multiply this clip's alpha, after its effects: a clip name or { clip, channel }",
            "anyOf": [{ "type": "string" }, Ty::Table(effects::MASK).json()]
        }),
    );
    let clip = clip(&mut defs);
    defs.insert("clip".into(), clip);
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "animate scene",
        "description": "A scene for animate: [output], [vars] and named [clip.NAME] tables (see docs/scene.md).",
        "type": "object",
        "properties": {
            "output": describe(table(OUTPUT, &[]), "how the root clip is rendered; every key optional"),
            "vars": {
                "type": "object",
                "description": "named constants expressions can use; --set NAME=VALUE overrides them",
                "additionalProperties": { "type": ["number", "string"] }
            },
            "measure": {
                "type": "object",
                "description": "named measurements: a statistic of a clip's frames, one value per frame, read by expressions, text and plot series",
                "additionalProperties": describe(table(MEASURE, &[]), "a statistic of each frame of a clip")
            },
            "clip": {
                "type": "object",
                "description": "the clips, by name",
                "additionalProperties": { "$ref": "#/definitions/clip" }
            }
        },
        "additionalProperties": false,
        "definitions": defs
    })
}

fn describe(mut v: Value, doc: &str) -> Value {
    v["description"] = Value::String(doc.to_string());
    v
}

/// A clip table: one branch for each kind, and one for a clip made `from` another, each
/// put in `defs` as `kind_NAME` (and `from`).
///
/// `oneOf` the branches gives editors the keys of every kind to complete; the `if kind =
/// NAME then` rules beside it make a misspelt key an error that names the key (through
/// `oneOf` alone, a validator only says that no branch matched).
fn clip(defs: &mut Map<String, Value>) -> Value {
    let common = |extra: (&'static str, Value)| {
        vec![
            extra,
            (
                "effects",
                json!({ "allOf": [{ "$ref": "#/definitions/effects" }], "description": "effects applied in order, each { name = arguments } or a bare \"name\"" }),
            ),
            ("mask", json!({ "$ref": "#/definitions/mask" })),
        ]
    };
    let mut branches = Vec::new();
    let mut rules = Vec::new();
    for (name, parts, doc) in KINDS {
        let kind = json!({ "enum": [name], "description": format!("{name}: {doc}") });
        let mut t = table(&kind_keys(parts), &common(("kind", kind)));
        let mut required = vec![json!("kind")];
        if let Some(Value::Array(r)) = t.get("required") {
            required.extend(r.iter().cloned());
        }
        t["required"] = Value::Array(required);
        let def = format!("kind_{name}");
        defs.insert(
            def.clone(),
            describe(t, &format!("kind = \"{name}\": {doc}")),
        );
        let branch = json!({ "$ref": format!("#/definitions/{def}") });
        rules.push(json!({
            "if": { "properties": { "kind": { "enum": [name] } }, "required": ["kind"] },
            "then": branch
        }));
        branches.push(branch);
    }
    let from = json!({ "type": "string", "description": "this clip is the named clip, with the keys this table gives changed and its effects and mask after the named clip's" });
    let mut t = table(&[], &common(("from", from)));
    t["required"] = json!(["from"]);
    // The other keys belong to the named clip's kind, which the schema cannot see:
    // any key is let through here and `animate check` names a wrong one.
    t["additionalProperties"] = json!(true);
    t["not"] = json!({ "required": ["kind"] });
    defs.insert("from".into(), describe(t, "a clip made from another"));
    let branch = json!({ "$ref": "#/definitions/from" });
    rules.push(json!({
        "if": { "required": ["from"], "not": { "required": ["kind"] } },
        "then": branch
    }));
    branches.push(branch);
    json!({
        "description": "a clip: a kind and its keys, or from = \"another clip\"",
        "type": "object",
        "oneOf": branches,
        "allOf": rules
    })
}

/// The `effects` list: bare names (`effect_name`), or one-key tables `{ name = argument }`
/// (`effect_table`); as for clips, `if` rules beside `anyOf` name a misspelt effect.
fn effect_list(defs: &mut Map<String, Value>) -> Value {
    let bare: Vec<&str> = effects::EFFECTS
        .iter()
        .filter(|e| e.bare)
        .map(|e| e.name)
        .collect();
    let mut props = Map::new();
    for e in effects::EFFECTS {
        let mut v = e.arg.json();
        if v.get("$ref").is_some() {
            v = json!({ "allOf": [v] });
        }
        v["description"] = Value::String(e.doc.to_string());
        props.insert(e.name.to_string(), v);
    }
    // Read by the scene with the sources' text keys, beside the effects.
    let caption = super::caption::SCHEMA;
    let mut v = caption.arg.json();
    v["description"] = Value::String(caption.doc.to_string());
    props.insert(caption.name.to_string(), v);
    defs.insert(
        "effect_name".into(),
        json!({ "type": "string", "enum": bare, "description": "an effect without arguments, or with its defaults" }),
    );
    defs.insert(
        "effect_table".into(),
        json!({
            "type": "object",
            "description": "{ name = arguments }: one effect",
            "minProperties": 1,
            "maxProperties": 1,
            "properties": props,
            "additionalProperties": false
        }),
    );
    let name = json!({ "$ref": "#/definitions/effect_name" });
    let table = json!({ "$ref": "#/definitions/effect_table" });
    json!({
        "type": "array",
        "items": {
            "anyOf": [name, table],
            "allOf": [
                { "if": { "type": "string" }, "then": name },
                { "if": { "type": "object" }, "then": table }
            ]
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::schema::probe::{listed, names, names_with, same};
    use crate::effect::{self, EffectSpec};
    use crate::layout::{composite, grid, sequence};
    use crate::source::{self, color, curve3d, field, file, images, plot, surface, text, video};

    fn kind(name: &str) -> Vec<Key> {
        let (_, parts, _) = KINDS.iter().find(|(n, _, _)| *n == name).unwrap();
        kind_keys(parts)
    }

    #[test]
    fn every_kind_has_its_keys() {
        let listed: Vec<&str> = KINDS.iter().map(|(n, _, _)| *n).collect();
        assert_eq!(
            listed,
            super::super::kinds::names(),
            "a kind of scene/kinds.rs needs its line in scene/schema.rs KINDS"
        );
        same(
            "kind color (source/schema.rs COLOR)",
            &kind("color"),
            names::<color::Spec>(),
        );
        same(
            "kind file (source/schema.rs FILE)",
            &kind("file"),
            names::<file::Spec>(),
        );
        same(
            "kind images (source/schema.rs IMAGES)",
            &kind("images"),
            names::<images::Spec>(),
        );
        same(
            "kind video (source/schema.rs VIDEO)",
            &kind("video"),
            names::<video::Spec>(),
        );
        same(
            "kind audio (source/schema.rs AUDIO)",
            &kind("audio"),
            names::<source::audio::Spec>(),
        );
        same(
            "kind program (source/schema.rs PROGRAM, STREAM)",
            &kind("program"),
            names::<source::program::ProgramSpec>(),
        );
        same(
            "kind stdin (source/schema.rs STREAM)",
            &kind("stdin"),
            names::<source::program::StdinSpec>(),
        );
        same(
            "kind text (source/schema.rs TEXT)",
            &kind("text"),
            names::<text::spec::Spec>(),
        );
        same(
            "kind plot (source/schema.rs PLOT)",
            &kind("plot"),
            names::<plot::spec::Spec>(),
        );
        same(
            "kind field (source/schema.rs FIELD)",
            &kind("field"),
            names::<field::Spec>(),
        );
        same(
            "kind simulation (source/schema.rs SIMULATION, FIELD_LOOK, FIELD_DRAWING)",
            &kind("simulation"),
            names::<crate::source::simulation::Spec>(),
        );
        same(
            "kind bars (source/schema.rs BARS)",
            &kind("bars"),
            names::<crate::source::bars::Spec>(),
        );
        same(
            "kind surface (source/schema.rs SURFACE, VIEW3D)",
            &kind("surface"),
            names::<surface::Spec>(),
        );
        same(
            "kind curve3d (source/schema.rs CURVE3D, VIEW3D)",
            &kind("curve3d"),
            names::<curve3d::Spec>(),
        );
        same(
            "kind grid (layout/schema.rs GRID)",
            &kind("grid"),
            names::<grid::Spec>(),
        );
        same(
            "kind composite (layout/schema.rs COMPOSITE)",
            &kind("composite"),
            names::<composite::Spec>(),
        );
        same(
            "kind sequence (layout/schema.rs SEQUENCE)",
            &kind("sequence"),
            names::<sequence::Spec>(),
        );
    }

    #[test]
    fn every_nested_table_has_its_keys() {
        use source::view3d::{camera, look};
        same(
            "[output] (scene/schema.rs OUTPUT)",
            OUTPUT,
            names::<super::super::output::RawOutput>(),
        );
        same(
            "[measure.NAME] (scene/schema.rs MEASURE)",
            MEASURE,
            names::<super::super::measure::RawMeasure>(),
        );
        same(
            "text stroke (source/schema.rs STROKE)",
            sources::STROKE,
            names::<text::spec::StrokeSpec>(),
        );
        same(
            "plot series (source/schema.rs SERIES)",
            sources::SERIES,
            names::<plot::spec::SeriesSpec>(),
        );
        same(
            "plot field (source/schema.rs PLOT_FIELD)",
            sources::PLOT_FIELD,
            names::<plot::layer::LayerSpec>(),
        );
        same(
            "bars entry (source/schema.rs BAR)",
            sources::BAR,
            names::<crate::source::bars::spec::BarSpec>(),
        );
        same(
            "camera (source/schema.rs CAMERA)",
            sources::CAMERA,
            names::<camera::CameraSpec>(),
        );
        same(
            "light (source/schema.rs LIGHT)",
            sources::LIGHT,
            names::<camera::LightSpec>(),
        );
        same(
            "mesh_lines (source/schema.rs LINES)",
            sources::LINES,
            names::<look::LinesSpec>(),
        );
        same(
            "outline (source/schema.rs OUTLINE)",
            sources::OUTLINE,
            names::<look::OutlineSpec>(),
        );
        same(
            "tube (source/schema.rs TUBE)",
            sources::TUBE,
            names::<curve3d::TubeSpec>(),
        );
        same(
            "line (source/schema.rs LINE)",
            sources::LINE,
            names::<curve3d::LineSpec>(),
        );
        same(
            "composite layer (layout/schema.rs LAYER)",
            layouts::LAYER,
            names::<composite::LayerSpec>(),
        );
        same(
            "mask (effect/schema.rs MASK)",
            effects::MASK,
            names::<effect::mask::MaskTable>(),
        );
    }

    #[test]
    fn every_effect_has_its_arguments() {
        use effect::{alpha, color, exposure, filter, geometry, mask, painting, time};
        let variants = names_with(EffectSpec::deserialize);
        let listed: Vec<&str> = effects::EFFECTS.iter().map(|e| e.name).collect();
        let mut a = listed.clone();
        let mut b = variants.clone();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(
            a, b,
            "effects of EffectSpec and of effect/schema.rs EFFECTS differ"
        );
        for e in effects::EFFECTS {
            let takes_none = matches!(e.arg, Ty::Nothing);
            let bare = takes_none || <EffectSpec as effect::args::Entry>::bare(e.name).is_some();
            assert_eq!(
                e.bare, bare,
                "effect/schema.rs: whether `{}` may be bare",
                e.name
            );
        }
        // effects.md: a bare name works for every effect whose arguments are all
        // optional, but those that need one of their keys (a size, a box, a colour…).
        let one_key_needed = ["resize", "crop", "margin", "mask_color", "loop"];
        for e in effects::EFFECTS {
            let keys = match e.arg {
                Ty::Table(keys) => keys,
                Ty::Either([_, Ty::Table(keys)]) => keys,
                _ => continue,
            };
            assert!(
                e.bare || keys.iter().any(|k| k.required) || one_key_needed.contains(&e.name),
                "`{}` has only optional arguments but is not accepted bare",
                e.name
            );
        }
        let table = |name: &str| {
            let e = effects::EFFECTS.iter().find(|e| e.name == name).unwrap();
            match e.arg {
                Ty::Table(keys) => keys,
                Ty::Either([_, Ty::Table(keys)]) => keys,
                _ => panic!("`{name}` takes no table"),
            }
        };
        same(
            "resize",
            table("resize"),
            names::<geometry::resize::ResizeTable>(),
        );
        same("crop", table("crop"), names::<geometry::CropSpec>());
        same(
            "margin",
            table("margin"),
            names::<geometry::margin::MarginTable>(),
        );
        same(
            "rotate",
            table("rotate"),
            names::<geometry::rotate::RotateTable>(),
        );
        same(
            "mask_color",
            table("mask_color"),
            names::<alpha::MaskColorSpec>(),
        );
        same("fade_in", table("fade_in"), names::<alpha::FadeTable>());
        same("fade_out", table("fade_out"), names::<alpha::FadeTable>());
        same(
            "crossfade_in",
            table("crossfade_in"),
            names::<alpha::CrossfadeTable>(),
        );
        same(
            "crossfade_out",
            table("crossfade_out"),
            names::<alpha::CrossfadeTable>(),
        );
        same("loop", table("loop"), names::<time::LoopTable>());
        same("freeze", table("freeze"), names::<time::FreezeSpec>());
        same(
            "blackwhite",
            table("blackwhite"),
            names::<color::BlackwhiteSpec>(),
        );
        same("gamma", table("gamma"), names::<color::GammaTable>());
        same(
            "lum_contrast",
            table("lum_contrast"),
            names::<color::LumContrastSpec>(),
        );
        same(
            "multiply_color",
            table("multiply_color"),
            names::<color::MultiplyColorTable>(),
        );
        same(
            "threshold",
            table("threshold"),
            names::<color::ThresholdTable>(),
        );
        same(
            "equalize",
            table("equalize"),
            names::<exposure::EqualizeSpec>(),
        );
        same(
            "rescale_intensity",
            table("rescale_intensity"),
            names::<exposure::RescaleSpec>(),
        );
        same(
            "adjust_log",
            table("adjust_log"),
            names::<exposure::AdjustLogTable>(),
        );
        same(
            "adjust_gamma",
            table("adjust_gamma"),
            names::<exposure::AdjustGammaTable>(),
        );
        same(
            "gaussian_blur",
            table("gaussian_blur"),
            names::<filter::GaussianTable>(),
        );
        same("sharpen", table("sharpen"), names::<filter::SharpenTable>());
        same(
            "painting",
            table("painting"),
            names::<painting::PaintingTable>(),
        );
        same("to_mask", table("to_mask"), names::<mask::ToMaskSpec>());
    }

    #[test]
    fn every_choice_is_listed() {
        let choices =
            |keys: &[Key], name: &str| match keys.iter().find(|k| k.name == name).unwrap().ty {
                Ty::OneOf(names) => names,
                Ty::Either([_, Ty::OneOf(names)]) => names,
                t => panic!("{name} is {t:?}"),
            };
        listed(
            "text style",
            choices(sources::TEXT, "style"),
            names::<text::spec::FontStyle>(),
        );
        listed(
            "text align",
            choices(sources::TEXT, "align"),
            names::<crate::text::Align>(),
        );
        listed(
            "text valign",
            choices(sources::TEXT, "valign"),
            names::<crate::text::VAlign>(),
        );
        listed(
            "plot limits",
            choices(sources::PLOT, "limits"),
            names::<plot::spec::LimitsMode>(),
        );
        listed(
            "bars orientation",
            choices(sources::BARS, "orientation"),
            names::<crate::source::bars::spec::Orientation>(),
        );
        listed(
            "bars limits",
            choices(sources::BARS, "limits"),
            names::<crate::source::bars::spec::LimitsMode>(),
        );
        listed(
            "plot xscale",
            choices(sources::PLOT, "xscale"),
            names::<crate::chart::scale::Scale>(),
        );
        listed(
            "plot legend",
            choices(sources::PLOT, "legend"),
            names::<crate::chart::legend::Place>(),
        );
        listed(
            "series cap",
            choices(sources::SERIES, "cap"),
            names::<crate::chart::style::Cap>(),
        );
        listed(
            "series marker",
            choices(sources::SERIES, "marker"),
            names::<crate::chart::style::Marker>(),
        );
        listed(
            "3-D shading",
            choices(sources::VIEW3D, "shading"),
            names::<source::view3d::ShadingSpec>(),
        );
        listed(
            "to_mask channel",
            effects::CHANNELS,
            names::<effect::mask::Channel>(),
        );
        listed(
            "over",
            choices(effects::EQUALIZE, "over"),
            names::<effect::stats::Over>(),
        );
        use crate::scene::measure::stat;
        listed(
            "measure stat",
            choices(MEASURE, "stat"),
            names::<stat::Stat>(),
        );
        listed(
            "measure channel",
            choices(MEASURE, "channel"),
            names::<stat::Channel>(),
        );
    }

    #[test]
    fn defaults_are_values_of_their_keys() {
        // Every default written as TOML parses; one that does not would be shown as text.
        let mut tables: Vec<&[Key]> = vec![
            OUTPUT,
            MEASURE,
            sources::STROKE,
            sources::SERIES,
            sources::CAMERA,
        ];
        tables.extend([
            sources::LIGHT,
            sources::LINES,
            sources::OUTLINE,
            sources::TUBE,
            sources::LINE,
        ]);
        tables.extend([layouts::LAYER, effects::MASK]);
        tables.extend(KINDS.iter().flat_map(|(_, parts, _)| parts.iter().copied()));
        for keys in tables {
            for k in keys {
                if let Some(d) = k.default {
                    assert!(
                        crate::base::schema::toml_value(d).is_some(),
                        "default of `{}` is not a TOML value: {d}",
                        k.name
                    );
                }
            }
        }
    }

    #[test]
    fn a_document_names_every_kind_and_effect() {
        let doc = document();
        let text = doc.to_string();
        for (name, _, _) in KINDS {
            assert!(text.contains(&format!("\"enum\":[\"{name}\"]")), "{name}");
        }
        let props = &doc["definitions"]["effect_table"]["properties"];
        assert_eq!(
            props.as_object().unwrap().len(),
            effects::EFFECTS.len() + 1,
            "every effect and the caption"
        );
    }
}
