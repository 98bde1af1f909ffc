//! `animate check`: validate a scene and print its resolved timeline.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::args::CheckArgs;
use crate::base::error::Error;
use crate::clip::Clip;

pub fn run(a: CheckArgs) -> Result<(), Error> {
    let scene = super::load(&a.common)?;
    crate::base::report::stdout(timeline(&scene))
}

/// What `check` prints for a loaded scene (also shown by `animate preview`).
pub(crate) fn timeline(scene: &crate::scene::Scene) -> String {
    let out = &scene.output;
    let mut text = format!("{}: ok\n", scene.path.display());
    let duration = out.duration.or(scene.root.duration());
    let size = out.size.unwrap_or(scene.root.size());
    match duration {
        Some(d) => {
            let frames = crate::base::time::frame_count(d, out.fps);
            let _ = writeln!(
                text,
                "output: {size}, {} fps, {d:.2} s ({frames} frames)",
                out.fps
            );
        }
        None => {
            let _ = writeln!(
                text,
                "output: {size}, {} fps, no end (give --duration to render)",
                out.fps
            );
        }
    }
    let _ = writeln!(text, "root: {}", scene.root_name);
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
    let used = reachable(scene.root.as_ref());
    for (name, clip) in &scene.clips {
        if !used.contains(&address(clip.as_ref())) && name != &scene.root_name {
            let _ = writeln!(text, "unused: {name} ({}, {})", clip.kind(), clip.size());
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
    let _ = writeln!(
        text,
        "{:indent$}{label}  {}  {}  {start:.2}..{end} s",
        "",
        clip.kind(),
        clip.size(),
        indent = depth * 2
    );
    let children = clip.children();
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

/// Every clip node the root draws, each visited once.
fn reachable(root: &dyn Clip) -> HashSet<*const ()> {
    let mut seen = HashSet::new();
    let mut todo: Vec<std::sync::Arc<dyn Clip>> =
        root.children().into_iter().map(|p| p.clip).collect();
    while let Some(clip) = todo.pop() {
        if seen.insert(address(clip.as_ref())) {
            todo.extend(clip.children().into_iter().map(|p| p.clip));
        }
    }
    seen
}
