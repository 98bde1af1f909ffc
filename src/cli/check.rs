//! `animate check`: validate a scene and print its resolved timeline.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::args::CheckArgs;
use crate::base::error::Error;
use crate::base::listing::one_line;
use crate::base::time::fps_text;
use crate::clip::Clip;

pub fn run(a: CheckArgs) -> Result<(), Error> {
    let scene = super::load(&a.common, crate::clip::build::ProgramMode::List, None)?;
    let out = &scene.output;
    // `render` without `-o` writes `[output] file`: one it cannot write is an error
    // here too, at its place, not "ok" until the render.
    if let (Some(file), Some(span)) = (&out.file, &out.file_at) {
        if let Err(message) = crate::encode::output::Output::parse(&file.to_string_lossy()) {
            return Err(scene.error(crate::base::diag::Diagnostic::at(message, span.clone())));
        }
    }
    if let Some(short) = out
        .duration
        .or(scene.root.duration())
        .and_then(|d| crate::base::time::shorter_than_a_frame(d, out.fps))
    {
        crate::base::report::warn(short);
    }
    // The timeline quotes the scene's names: shown, not acted on by the terminal.
    crate::base::report::stdout(crate::base::listing::printable(&timeline(&scene)).as_bytes())
}

/// What `check` prints for a loaded scene (also shown by `animate preview`).
pub(crate) fn timeline(scene: &crate::scene::Scene) -> String {
    let out = &scene.output;
    let mut text = format!("{}: ok\n", one_line(&scene.path.display().to_string()));
    let duration = out.duration.or(scene.root.duration());
    let size = out.size.unwrap_or(scene.root.size());
    match duration {
        Some(d) => {
            let frames = crate::base::time::frame_count(d, out.fps);
            let _ = writeln!(
                text,
                "output: {size}, {} fps{}, {d:.2} s ({})",
                fps_text(out.fps),
                out.fps_from.note(),
                crate::base::listing::count(frames, "frame")
            );
        }
        None => match scene.programs.iter().find(|p| {
            let drawn = reachable(scene.root.as_ref());
            p.open_ended
                && scene.clips.get(&p.clip).is_some_and(|c| {
                    let at = address(c.as_ref());
                    at == address(scene.root.as_ref()) || drawn.contains(&at)
                })
        }) {
            // Streams without a duration are read to their end only when rendering.
            Some(p) => {
                let _ = writeln!(
                    text,
                    "output: {size}, {} fps{}, length known when the program of `{}` ends (render with --allow-programs)",
                    fps_text(out.fps),
                    out.fps_from.note(),
                    one_line(&p.clip)
                );
            }
            None => {
                let _ = writeln!(
                    text,
                    "output: {size}, {} fps{}, no end (give --duration to render)",
                    fps_text(out.fps),
                    out.fps_from.note()
                );
            }
        },
    }
    let _ = writeln!(text, "root: {}", one_line(&scene.root_name));
    if let Some(name) = &scene.soundtrack_name {
        let _ = writeln!(
            text,
            "soundtrack: {}, repeated from the start if shorter than the render, cut at its end",
            one_line(name)
        );
    }
    let mut shown = HashSet::new();
    line(
        &mut text,
        &mut shown,
        0,
        &scene.root_name,
        scene.root.as_ref(),
        0.0,
        scene.root.duration(),
    );
    for (name, clip) in &scene.measures {
        let _ = writeln!(
            text,
            "measure: {} (of `{}`, one value per frame)",
            one_line(name),
            one_line(clip)
        );
    }
    let mut used = reachable(scene.root.as_ref());
    // The `[output] audio` clip is heard, with whatever it is made of.
    if let Some(sound) = scene
        .soundtrack_name
        .as_ref()
        .and_then(|n| scene.clips.get(n))
    {
        used.extend(reachable(sound.as_ref()));
    }
    for (name, clip) in &scene.clips {
        // The root may be wrapped (to measure first); a measured clip is used by its
        // measurement.
        let measured = scene.measures.iter().any(|(_, c)| c == name);
        if *name != scene.root_name && !measured && !used.contains(&address(clip.as_ref())) {
            let _ = writeln!(
                text,
                "unused: {} ({}, {})",
                one_line(name),
                clip.kind(),
                clip.size()
            );
        }
    }
    if !scene.programs.is_empty() {
        let _ = writeln!(
            text,
            "programs (not run by check; render with --allow-programs to run them):"
        );
        for p in &scene.programs {
            let _ = writeln!(text, "  {}: {}", one_line(&p.clip), one_line(&p.what));
        }
    }
    text
}

/// Identifies a clip node: the same `Arc` shown in several places is one node.
fn address(clip: &dyn Clip) -> *const () {
    clip as *const dyn Clip as *const ()
}

/// One line per clip: name, kind, size, and its place in its parent's timeline. A clip
/// shown in several places has its inside listed the first time only, so a scene whose
/// clips share clips prints in time proportional to its size.
fn line(
    text: &mut String,
    shown: &mut HashSet<*const ()>,
    depth: usize,
    label: &str,
    clip: &dyn Clip,
    start: f64,
    end: Option<f64>,
) {
    let end = end.map_or("end".to_string(), |e| format!("{e:.2}"));
    let children = clip.children();
    // Clips that carry sound say so: what a video output keeps (docs/audio.md).
    let sound = if clip.sound().is_some() {
        "  sound"
    } else {
        ""
    };
    let _ = writeln!(
        text,
        "{:indent$}{}  {}  {}{}  {start:.2}..{end} s{sound}",
        "",
        one_line(label),
        clip.kind(),
        clip.size(),
        scaled(clip, &children),
        indent = depth * 2
    );
    if depth > 32 || children.is_empty() {
        return;
    }
    if !shown.insert(address(clip)) {
        let _ = writeln!(text, "{:indent$}(as above)", "", indent = (depth + 1) * 2);
        return;
    }
    for child in children {
        line(
            text,
            shown,
            depth + 1,
            &child.label,
            child.clip.as_ref(),
            child.start,
            child.end,
        );
    }
}

/// Every clip node the root draws, each visited once, the root among them (a root made
/// `from` another clip is that clip).
fn reachable(root: &dyn Clip) -> HashSet<*const ()> {
    let mut seen = HashSet::from([address(root)]);
    let mut todo: Vec<std::sync::Arc<dyn Clip>> =
        root.children().into_iter().map(|p| p.clip).collect();
    while let Some(clip) = todo.pop() {
        if seen.insert(address(clip.as_ref())) {
            todo.extend(clip.children().into_iter().map(|p| p.clip));
        }
    }
    seen
}

/// ` (6.4× its input)` after a resize's size (a grid's `height` makes one per cell), so
/// that what scaling did to a clip shows in the timeline.
fn scaled(clip: &dyn Clip, children: &[crate::clip::Placement]) -> String {
    let [only] = children else {
        return String::new();
    };
    let (outer, inner) = (clip.size(), only.clip.size());
    if clip.kind() != "resize" || inner.w == 0 {
        return String::new();
    }
    format!(" ({}× its input)", factor(inner, outer))
}

/// The scale factor from `inner` to `outer` with the fewest decimals (at most three)
/// that give one of the output's sides to within a pixel: a `resize = 0.75` of 320x240
/// shows as 0.75, not 0.8, and a grid's scaling to a height shows as 6.4 though the
/// width, rounded to pixels, says 6.431.
fn factor(inner: crate::base::frame::Size, outer: crate::base::frame::Size) -> String {
    let (iw, ih, ow, oh) = (
        inner.w as f64,
        inner.h as f64,
        outer.w as f64,
        outer.h as f64,
    );
    let exact = if iw >= ih { ow / iw } else { oh / ih };
    let fits = |f: f64| (iw * f - ow).abs() < 1.0 || (ih * f - oh).abs() < 1.0;
    let digits = (0..3).find(|&d| fits(round_to(exact, d))).unwrap_or(3);
    format!("{:.*}", digits, round_to(exact, digits))
}

fn round_to(f: f64, digits: usize) -> f64 {
    let scale = 10f64.powi(digits as i32);
    (f * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::factor;
    use crate::base::frame::Size;

    fn shown(from: (u32, u32), to: (u32, u32)) -> String {
        factor(Size::new(from.0, from.1), Size::new(to.0, to.1))
    }

    #[test]
    fn factors_keep_the_digits_they_need() {
        assert_eq!(shown((320, 240), (240, 180)), "0.75");
        assert_eq!(shown((51, 14), (328, 90)), "6.4");
        assert_eq!(shown((100, 100), (200, 200)), "2");
        assert_eq!(shown((300, 300), (100, 100)), "0.333");
        assert_eq!(shown((1000, 1000), (1234, 1234)), "1.234");
    }
}
