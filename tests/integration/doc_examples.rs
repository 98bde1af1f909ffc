//! Every ```toml example in docs/*.md and the README goes through `animate check` (and
//! `animate frame`, a cheap render of its first frame), so the docs stay true.
//!
//! A block that is a whole scene runs as written, with any clip it names but does not
//! define added as a small grey colour clip. A block of keys alone is put into a host
//! clip chosen by its page and first key (see [`host`]); a block that sets the same key
//! several times shows alternatives, and each is run on its own. Files examples read
//! (`sinc.gif`, `assets/logo.png`, …) are made first, by the binary itself where it can.
//!
//! A block that is wrong on purpose opts out with `<!-- doc-test: skip (why) -->` on the
//! line before its fence; the test lists the opt-outs so they stay few.

use crate::util::Sandbox;

/// One example: where it is, and its text.
struct Example {
    place: String,
    text: String,
}

/// Pages whose examples are checked: docs/*.md and the README.
fn pages() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages.push(root.join("README.md"));
    pages
}

/// The ```toml blocks of a page, with the ones marked to skip left out (and returned).
fn examples(page: &std::path::Path) -> (Vec<Example>, Vec<String>) {
    let name = page.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(page).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (mut found, mut skipped) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() != "```toml" {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && lines[end].trim_end() != "```" {
            end += 1;
        }
        let place = format!("{name}:{start}");
        let marked = i > 0 && lines[i - 1].trim_start().starts_with("<!-- doc-test: skip");
        if marked {
            skipped.push(format!("{place} {}", lines[i - 1].trim()));
        } else {
            found.push(Example {
                place,
                text: lines[start..end].join("\n") + "\n",
            });
        }
        i = end + 1;
    }
    (found, skipped)
}

/// The scene a fragment of keys is put into: `{}` is where the keys go. By page and
/// first key; `None` when the test does not know where such keys live.
fn host(page: &str, key: &str) -> Option<&'static str> {
    // As large as the docs' own examples assume (a crop at x = 110..210).
    const COLOR: &str =
        "[clip.main]\nkind = \"color\"\ncolor = \"gray\"\nsize = [320, 240]\nduration = 4\n{}";
    const LAYER: &str = "[clip.base]\nkind = \"color\"\ncolor = \"gray\"\nsize = [32, 24]\n\
         duration = 3\n[clip.main]\nkind = \"composite\"\nsize = [64, 48]\n\
         [[clip.main.layers]]\nclip = \"base\"\n{}";
    const SURFACE: &str = "[clip.main]\nkind = \"surface\"\nsize = [64, 64]\nduration = 2\n\
         z = \"x * y\"\nx = [-1, 1]\ny = [-1, 1]\nresolution = [8, 8]\n{}";
    const PLOT: &str = "[clip.main]\nkind = \"plot\"\nsize = [160, 100]\nduration = 2\n\
         x = [0, 6.3]\n{}";
    const FIELD: &str = "[clip.main]\nkind = \"field\"\nsize = [48, 32]\nduration = 2\n\
         f = \"x * y\"\nx = [-1, 1]\ny = [-1, 1]\n{}";
    const TEXT: &str = "[vars]\nsigma = 4\n[clip.main]\nkind = \"text\"\ntext = \"Hi\"\n\
         duration = 2\n{}";
    Some(match (page, key) {
        (_, "effects") => COLOR,
        ("3d.md", _) => SURFACE,
        ("plots.md", "series") => PLOT,
        ("plots.md", "vmin" | "vmax") => FIELD,
        ("text.md", _) => TEXT,
        ("expressions.md", "opacity" | "position") => LAYER,
        ("expressions.md", "color") => COLOR,
        _ => return None,
    })
}

/// The top-level statements of a fragment (a key and its value, which may span lines,
/// with the comments and blank lines before it), in order.
fn statements(fragment: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut pending = String::new();
    for line in fragment.lines() {
        let starts_key = line.split_once('=').map(|(k, _)| k.trim()).filter(|k| {
            !k.is_empty()
                && !line.starts_with([' ', '\t', '#'])
                && k.chars().all(|c| c.is_alphanumeric() || c == '_')
        });
        match starts_key {
            Some(k) => {
                out.push((k.to_string(), std::mem::take(&mut pending) + line + "\n"));
            }
            None => match out.last_mut() {
                Some((_, text)) if !line.starts_with('#') => {
                    text.push_str(line);
                    text.push('\n');
                }
                _ => {
                    pending.push_str(line);
                    pending.push('\n');
                }
            },
        }
    }
    out
}

/// The scenes an example stands for: itself when it has tables, else its fragment in
/// its host (once, or once per alternative when it sets a key more than once).
fn scenes(page: &str, ex: &Example) -> Result<Vec<String>, String> {
    let has_tables = ex.text.lines().any(|l| l.trim_start().starts_with('['));
    if has_tables && !ex.text.contains("[clip.") {
        // `[vars]` or `[output]` alone: with a clip to be a scene.
        return Ok(vec![format!("{}{STUB_MAIN}", ex.text)]);
    }
    if has_tables {
        return Ok(vec![ex.text.clone()]);
    }
    let parts = statements(&ex.text);
    let Some((first, _)) = parts.first() else {
        return Err(format!("{}: an example with no keys", ex.place));
    };
    let Some(host) = host(page, first) else {
        return Err(format!(
            "{}: the test does not know where `{first}` lives on {page}: add a host for it in \
             tests/integration/doc_examples.rs, or mark the block <!-- doc-test: skip (why) -->",
            ex.place
        ));
    };
    let mut keys: Vec<&str> = parts.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    let repeated = keys.windows(2).any(|w| w[0] == w[1]);
    // The host's own value of a key the example sets gives way to the example's.
    let host = |keys: &[&str]| -> String {
        host.lines()
            .filter(|l| !l.split_once(" = ").is_some_and(|(k, _)| keys.contains(&k)))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    Ok(if repeated {
        parts
            .iter()
            .map(|(k, s)| host(&[k.as_str()]).replace("{}\n", s))
            .collect()
    } else {
        vec![host(&keys).replace("{}\n", &ex.text)]
    })
}

/// A clip for examples of `[vars]` or `[output]` alone.
const STUB_MAIN: &str =
    "[clip.main]\nkind = \"color\"\ncolor = \"gray\"\nsize = [64, 48]\nduration = 2\n";

/// The name of a clip `check` says is unknown, so that a stub can stand in for it.
fn unknown_clip(stderr: &str) -> Option<String> {
    let rest = stderr.split("unknown clip `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

/// The name of a stand-in clip `check` says should have been a mask.
fn wanted_mask(stderr: &str) -> Option<String> {
    let (before, _) = stderr.split_once("` is a colour clip but this clip is a mask")?;
    Some(before.rsplit('`').next()?.to_string())
}

/// Files the examples read, made small.
fn inputs(sb: &Sandbox) {
    let stub = "[output]\nfps = 5\n[clip.main]\nkind = \"color\"\ncolor = \"teal\"\n\
         size = [32, 24]\nduration = 6\n";
    sb.write("stub.toml", stub);
    for out in [
        "sinc.gif",
        "sinc_mpl.gif",
        "run.mp4",
        "runs/experiment.mp4",
        "frames/",
    ] {
        let r = sb.run(&["render", "stub.toml", "-o", out, "-q"]);
        assert_eq!(r.code, 0, "making {out}: {}", r.stderr);
    }
    sb.write_picture("assets/logo.png", 24, 24, [200, 40, 40, 255]);
    // A second of a quiet tone for docs/audio.md.
    #[cfg(feature = "video")]
    {
        let tone = crate::sound_util::mono(48000, 1.0, crate::sound_util::tone(440.0, 0.2));
        crate::sound_util::write_wav(&sb.path("music.wav"), 48000, 1, &tone);
    }
    // 2 frames of 4×4 float32 values.
    let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4, 4), }";
    let mut head = format!("{header:<117}\n").into_bytes();
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    npy.extend_from_slice(&(head.len() as u16).to_le_bytes());
    npy.append(&mut head);
    for i in 0..32 {
        npy.extend_from_slice(&(i as f32 / 31.0).to_le_bytes());
    }
    // The same values stand for docs/sources.md's microscope stack.
    sb.write("stack.npy", npy.clone());
    sb.write("heights.npy", npy.clone());
    // …and its 16-bit TIFF stack (two 4×4 pages of 12-bit values), for `in_range`.
    {
        use tiff::encoder::{colortype, TiffEncoder};
        let file = std::fs::File::create(sb.path("stack.tif")).unwrap();
        let mut enc = TiffEncoder::new(file).unwrap();
        for page in 0..2u16 {
            let px: Vec<u16> = (0..16u16).map(|i| i * 256 + page).collect();
            enc.write_image::<colortype::Gray16>(4, 4, &px).unwrap();
        }
    }
    sb.write("assets/outbreak.npy", npy);
    let mut csv = String::from("day,temperature\n");
    for d in 0..30 {
        csv += &format!("{d},{}\n", 10 + d % 7);
    }
    sb.write("data/temperature.csv", csv);
    // docs/plots.md's points coloured and sized by columns.
    sb.write(
        "data/flowers.csv",
        "x,y,species,weight\n1,1.0,setosa,4\n2,1.5,versicolor,8\n3,2.5,setosa,12\n",
    );
    // docs/3d.md's trajectory from data.
    let mut track = String::from("time,x,y,z\n");
    for i in 0..40 {
        let a = i as f64 * 0.3;
        track += &format!("{},{},{},{}\n", i as f64 * 0.01, a.cos(), a.sin(), a * 0.1);
    }
    sb.write("data/trajectory.csv", track);
    // docs/plots.md's band between two columns.
    sb.write(
        "data/band.csv",
        "day,mean,lo,hi\n0,10.0,9.1,10.8\n1,11.2,10.0,12.5\n2,10.6,9.2,11.9\n3,12.1,10.4,13.6\n",
    );
    // docs/plots.md's error bars: three rows a bar, and the points.
    sb.write(
        "data/errors.csv",
        "x,y\n0,9.5\n0,10.5\n0,\n2,10.1\n2,11.3\n2,\n",
    );
    sb.write("data/points.csv", "x,y\n0,10.0\n2,10.7\n");
    // docs/plots.md's formulas of columns.
    sb.write(
        "data/prices.csv",
        "day,price,high,low\n0,1000,1100,950\n1,1500,1600,1400\n2,1200,1300,1150\n",
    );
    // docs/plots.md's long table: three points at each of three steps.
    sb.write(
        "data/particles.csv",
        "step,x,y\n0,0.0,0.0\n0,1.0,0.5\n0,2.0,1.0\n1,0.2,0.3\n1,1.1,0.6\n1,2.3,0.8\n\
         2,0.5,0.4\n2,1.3,0.9\n2,2.4,0.5\n",
    );
    // docs/plots.md's date, bar chart race and histogram examples read the example
    // scenes' tables.
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/data");
    for name in ["demand.csv", "cities.csv", "histogram.csv"] {
        let text = std::fs::read(data.join(name)).expect("an example table");
        sb.write(&format!("data/{name}"), text);
    }
    // The programs that docs/programs.md's examples run are the example scenes' own.
    let programs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/programs");
    for name in ["outbreak.py", "mandelbrot.py"] {
        let text = std::fs::read(programs.join(name)).expect("an example program");
        sb.write(&format!("programs/{name}"), text);
    }
}

/// Checks one scene, standing in a grey clip for each clip it names but does not
/// define, then renders its first frame.
fn run_scene(sb: &Sandbox, place: &str, scene: &str) -> Result<(), String> {
    let mut text = scene.to_string();
    for _ in 0..8 {
        sb.write("example.toml", &text);
        let r = sb.run(&["check", "example.toml"]);
        // Frames on standard input are the user's own: `check` alone for such a scene.
        if r.code == 0 && text.contains("kind = \"stdin\"") {
            return Ok(());
        }
        if r.code == 0 {
            let f = sb.run(&[
                "frame",
                "example.toml",
                "-t",
                "0",
                "-o",
                "example.png",
                "--allow-programs",
            ]);
            if f.code != 0 {
                return Err(format!(
                    "{place}: `animate frame` failed:\n{}\n{text}",
                    f.stderr
                ));
            }
            return Ok(());
        }
        let stub = |name: &str| {
            format!("\n[clip.{name}]\nkind = \"color\"\ncolor = \"gray\"\nsize = [64, 48]\nduration = 4\n")
        };
        match (unknown_clip(&r.stderr), wanted_mask(&r.stderr)) {
            (Some(name), _) if !text.contains(&format!("[clip.{name}]")) => text += &stub(&name),
            (_, Some(name)) if text.contains(&stub(&name)) => {
                text = text.replace(&stub(&name), &(stub(&name) + "effects = [\"to_mask\"]\n"));
            }
            _ => {
                return Err(format!(
                    "{place}: `animate check` failed:\n{}\n{text}",
                    r.stderr
                ))
            }
        }
    }
    Err(format!("{place}: too many clips to stand in for:\n{text}"))
}

/// Picks the root of a whole-scene example that has no `main`: the last clip it
/// defines, as a reader would take it (clips standing in for others come after).
fn with_root(scene: &str) -> String {
    let clips: Vec<&str> = scene
        .lines()
        .filter_map(|l| l.trim().strip_prefix("[clip.")?.split(']').next())
        .filter(|n| !n.contains('.'))
        .collect();
    if clips.is_empty() || clips.contains(&"main") || scene.contains("root =") {
        return scene.to_string();
    }
    format!("[output]\nroot = \"{}\"\n{scene}", clips[clips.len() - 1])
}

#[test]
fn every_toml_example_in_the_docs_checks_and_renders() {
    let sb = Sandbox::new();
    inputs(&sb);
    let mut failures = Vec::new();
    let (mut count, mut skipped) = (0, Vec::new());
    for page in pages() {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let (found, skips) = examples(&page);
        skipped.extend(skips);
        for ex in found {
            count += 1;
            match scenes(&name, &ex) {
                Ok(list) => {
                    for scene in list {
                        if let Err(e) = run_scene(&sb, &ex.place, &with_root(&scene)) {
                            failures.push(e);
                        }
                    }
                }
                Err(e) => failures.push(e),
            }
        }
    }
    assert!(
        count >= 50,
        "only {count} examples found: is the fence still ```toml?"
    );
    assert!(skipped.len() <= 3, "too many opt-outs: {skipped:#?}");
    assert!(
        failures.is_empty(),
        "{} of {count} doc examples fail:\n\n{}",
        failures.len(),
        failures.join("\n---\n")
    );
}

#[test]
fn a_fragment_that_sets_a_key_twice_is_two_examples() {
    let ex = Example {
        place: "effects.md:1".into(),
        text: "effects = [\"invert\"]   # one\n# two\neffects = [{ gamma = 0.5 }]\n".into(),
    };
    let list = scenes("effects.md", &ex).unwrap();
    assert_eq!(list.len(), 2);
    assert!(
        list[0].ends_with("effects = [\"invert\"]   # one\n"),
        "{}",
        list[0]
    );
    assert!(
        list[1].ends_with("# two\neffects = [{ gamma = 0.5 }]\n"),
        "{}",
        list[1]
    );
}
