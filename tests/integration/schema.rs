//! `animate schema`: the JSON Schema editors read. It is a valid draft-7 schema, every
//! example scene validates against it, a misspelt key does not, and every key the
//! reference tables in docs/ name is in it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::Sandbox;

fn schema() -> Value {
    let run = Sandbox::new().run(&["schema"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("animate schema prints JSON")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::validator_for(schema).expect("the schema compiles")
}

/// A TOML scene as the JSON value a schema validator (and taplo) sees.
fn scene_json(text: &str) -> Value {
    let value: toml::Value = toml::from_str(text).expect("TOML");
    serde_json::to_value(value).unwrap()
}

/// The validator's messages for a scene, with where each points.
fn errors(v: &jsonschema::Validator, text: &str) -> Vec<String> {
    v.iter_errors(&scene_json(text))
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            toml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn schema_is_draft_7_and_names_every_kind() {
    let s = schema();
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::meta::validate(&s).expect("a valid draft-7 schema");
    let text = s.to_string();
    for kind in [
        "color",
        "file",
        "images",
        "text",
        "plot",
        "field",
        "surface",
        "curve3d",
        "grid",
        "composite",
        "sequence",
        "video",
    ] {
        assert!(text.contains(&format!("\"enum\":[\"{kind}\"]")), "{kind}");
    }
    // Keys carry their one-line doc and, where it is a value, their default.
    let quality = &s["properties"]["output"]["properties"]["quality"];
    assert_eq!(quality["default"], 90);
    let fps = &s["properties"]["output"]["properties"]["fps"];
    assert!(fps["description"]
        .as_str()
        .unwrap()
        .contains("frames per second"));
}

#[test]
fn every_example_scene_validates() {
    let v = validator(&schema());
    let mut files = Vec::new();
    toml_files(&root().join("scenes"), &mut files);
    assert!(files.len() >= 20, "found {files:?}");
    assert!(files
        .iter()
        .any(|f| f.starts_with(root().join("scenes/assets"))));
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let errs = errors(&v, &text);
        assert!(errs.is_empty(), "{}: {errs:#?}", f.display());
    }
}

#[test]
fn every_whole_scene_in_the_docs_validates() {
    // Examples that are whole scenes (fragments are checked by running them elsewhere).
    let v = validator(&schema());
    let mut pages = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        pages.push(entry.unwrap().path());
    }
    let mut checked = 0;
    for page in pages
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
    {
        let text = std::fs::read_to_string(page).unwrap();
        for block in text.split("```toml\n").skip(1) {
            let block = &block[..block.find("```").unwrap_or(block.len())];
            let whole = block.contains("[clip.");
            if !whole || toml::from_str::<toml::Value>(block).is_err() {
                continue;
            }
            checked += 1;
            let errs = errors(&v, block);
            assert!(errs.is_empty(), "{}:\n{block}\n{errs:#?}", page.display());
        }
    }
    assert!(checked >= 20, "only {checked} scenes found in the docs");
}

#[test]
fn misspelt_keys_and_names_fail_validation() {
    let v = validator(&schema());
    let good = r#"
[output]
fps = 10
[clip.main]
kind = "text"
text = "Hi"
color = "red"
font_size = "20 + 4*t"
effects = [{ fade_in = 0.5 }, "mirror_x", { resize = { height = 100 } }]
"#;
    assert_eq!(errors(&v, good), Vec::<String>::new());

    // A misspelt key of a clip is named, at the clip.
    let errs = errors(&v, &good.replace("font_size", "font_sise"));
    assert!(
        errs.iter()
            .any(|e| e.starts_with("/clip/main") && e.contains("'font_sise' was unexpected")),
        "{errs:?}"
    );

    // A misspelt key of [output] is named.
    let errs = errors(&v, &good.replace("fps = 10", "fsp = 10"));
    assert!(errs.iter().any(|e| e.contains("fsp")), "{errs:?}");

    // A misspelt effect is named.
    let errs = errors(&v, &good.replace("fade_in", "fade_inn"));
    assert!(
        errs.iter().any(|e| e.contains("'fade_inn' was unexpected")),
        "{errs:?}"
    );

    // A misspelt kind, effect, effect argument or top-level table.
    for (from, to) in [
        ("kind = \"text\"", "kind = \"txt\""),
        ("fade_in", "fade_inn"),
        ("\"mirror_x\"", "\"mirror\""),
        ("height = 100", "hieght = 100"),
        ("[output]", "[outptu]"),
    ] {
        let bad = good.replace(from, to);
        assert!(!errors(&v, &bad).is_empty(), "{to} should fail");
    }

    // A key of the wrong type: `text` is a string, `loop` a boolean.
    assert!(!errors(&v, &good.replace("text = \"Hi\"", "text = 3")).is_empty());
    // An effect that needs its arguments is not bare; one without arguments takes none.
    assert!(!errors(&v, &good.replace("\"mirror_x\"", "\"gaussian_blur\"")).is_empty());
    assert!(!errors(&v, &good.replace("\"mirror_x\"", "{ mirror_x = 2 }")).is_empty());
}

#[test]
fn loose_where_the_loader_is_precise() {
    // Numbers may be expressions or keyframes, durations strings (units are the
    // loader's business), colours names or lists: the editor must not flag them.
    let v = validator(&schema());
    let scene = r#"
[vars]
speed = 2
[clip.bg]
kind = "color"
color = { keys = [[0, "red"], [1, [0, 0, 255]]], ease = "in-out-sine" }
size = ["100 * speed", 60]
duration = "2s"
[clip.main]
kind = "composite"
layers = [{ clip = "bg", position = ["center", "25%"], opacity = { keys = [[0, 0], [1, 1]] } }]
mask = { clip = "bg", channel = "alpha" }
"#;
    assert_eq!(errors(&v, scene), Vec::<String>::new());
}

/// Every property name anywhere under a schema value, and every name of a list of
/// choices (kinds, bare effects).
fn names_in(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                out.extend(props.keys().cloned());
            }
            if let Some(Value::Array(e)) = map.get("enum") {
                out.extend(e.iter().filter_map(|s| s.as_str().map(String::from)));
            }
            map.values().for_each(|x| names_in(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| names_in(x, out)),
        _ => {}
    }
}

/// The names in backticks of a table row's first cell: `x`, `stroke.color` (both
/// parts), skipping forms such as `mask = "name"`.
fn row_keys(row: &str) -> Vec<String> {
    let cell = row.trim_start_matches('|').split('|').next().unwrap_or("");
    cell.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        })
        .flat_map(|s| s.split('.').map(String::from).collect::<Vec<_>>())
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn every_key_in_the_reference_tables_is_in_the_schema() {
    let s = schema();
    let mut all = BTreeSet::new();
    names_in(&s, &mut all);
    // Per kind (a `## \`kind\`` section) and per effect (a `### \`effect\`` section):
    // the names under its branch of the schema.
    let effects = &s["definitions"]["effect_table"]["properties"];
    let scoped = |heading: &str| -> Option<BTreeSet<String>> {
        let mut out = BTreeSet::new();
        if let Some(b) = s["definitions"].get(format!("kind_{heading}")) {
            names_in(b, &mut out);
            // Colours, pairs and keyframes are shared definitions.
            names_in(&s["definitions"]["param"], &mut out);
            return Some(out);
        }
        let e = effects.get(heading)?;
        names_in(e, &mut out);
        Some(out)
    };

    let mut checked = 0;
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut heading = String::new();
        // Some(true): a table of keys; Some(false): a table of effects.
        let mut table: Option<bool> = None;
        for line in text.lines() {
            if line.starts_with('#') {
                // The first name in backticks of the heading: `## \`grid\` — rows…`.
                heading = line.split('`').nth(1).unwrap_or("").to_string();
                table = None;
            } else if line.starts_with("| key |") {
                table = Some(true);
            } else if line.starts_with("| effect |") {
                table = Some(false);
            } else if !line.starts_with('|') {
                table = None;
            } else if let (Some(keys), false) = (table, line.starts_with("| ---")) {
                let names = if keys { scoped(&heading) } else { None };
                for k in row_keys(line) {
                    checked += 1;
                    let found = match &names {
                        Some(scope) => scope.contains(&k) || k == heading,
                        None => all.contains(&k),
                    };
                    if !found {
                        missing.push(format!("{}: `{k}` ({line})", path.display()));
                    }
                }
            }
        }
    }
    eprintln!("{checked} keys of docs/ tables checked");
    assert!(checked > 150, "only {checked} keys found in docs/ tables");
    assert!(
        missing.is_empty(),
        "keys in docs/ but not in the schema:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_schema_line_of_docs_editor_is_a_comment_to_animate() {
    let doc = std::fs::read_to_string(root().join("docs/editor.md")).unwrap();
    let start = doc.find("```toml\n#:schema").expect("the #:schema example") + "```toml\n".len();
    let scene = &doc[start..start + doc[start..].find("```").unwrap()];
    let sb = Sandbox::new();
    sb.write("animate.schema.json", sb.run(&["schema"]).stdout);
    sb.write("scene.toml", scene);
    let run = sb.run(&["check", "scene.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("scene.toml: ok"), "{}", run.stdout);
    let v = validator(&schema());
    assert_eq!(errors(&v, scene), Vec::<String>::new());
}
