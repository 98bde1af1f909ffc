//! `animate check`: validate a scene and print its resolved timeline.

use std::fmt::Write as _;

use super::args::CheckArgs;
use crate::clip::Clip;
use crate::error::Error;

pub fn run(a: CheckArgs) -> Result<(), Error> {
    let scene = super::load(&a.common)?;
    let out = &scene.output;
    let mut text = format!("{}: ok\n", scene.path.display());
    let duration = out.duration.or(scene.root.duration());
    let size = out.size.unwrap_or(scene.root.size());
    match duration {
        Some(d) => {
            let frames = crate::render::frame_count(d, out.fps);
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
    line(
        &mut text,
        0,
        &scene.root_name,
        scene.root.as_ref(),
        0.0,
        scene.root.duration(),
    );
    for (name, clip) in &scene.clips {
        if !contains(scene.root.as_ref(), clip) && name != &scene.root_name {
            let _ = writeln!(text, "unused: {name} ({}, {})", clip.kind(), clip.size());
        }
    }
    print!("{text}");
    Ok(())
}

/// One line per clip: name, kind, size, and its place in its parent's timeline.
fn line(
    text: &mut String,
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
    if depth > 32 {
        return;
    }
    for child in clip.children() {
        line(
            text,
            depth + 1,
            &child.label,
            child.clip.as_ref(),
            child.start,
            child.end,
        );
    }
}

fn contains(root: &dyn Clip, target: &std::sync::Arc<dyn Clip>) -> bool {
    fn walk(c: &dyn Clip, target: &std::sync::Arc<dyn Clip>, depth: usize) -> bool {
        depth < 64
            && c.children().iter().any(|p| {
                std::sync::Arc::ptr_eq(&p.clip, target) || walk(p.clip.as_ref(), target, depth + 1)
            })
    }
    walk(root, target, 0)
}
