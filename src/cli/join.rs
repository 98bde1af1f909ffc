//! `animate join`: video segments by stream copy, or a folder of PNG frames through
//! one final encoding pass (the render engine playing them as an image sequence).

use std::path::Path;
use std::time::Instant;

use super::args::JoinArgs;
use super::overwrite::{refuse_overwrite, Reads, Writes};
use super::render::{summary, Job};
use crate::base::color::Rgba;
use crate::base::error::Error;
use crate::encode::output::{Output, VIDEO_EXTENSIONS};
use crate::join::frames;
use crate::render::Plan;
use crate::scene::output::DEFAULT_QUALITY;

pub fn run(a: JoinArgs) -> Result<(), Error> {
    let started = Instant::now();
    if a.parts.iter().any(|p| frames::is_frames(p)) {
        if a.parts.len() > 1 {
            return Err(Error::Usage(
                "join takes one folder (or pattern) of PNG frames, or video parts, not several folders or a mix"
                    .into(),
            ));
        }
        return join_frames(&a, started);
    }
    for p in &a.parts {
        let ext = Path::new(p)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if ext == "gif" {
            return Err(Error::Usage(format!(
                "{p}: GIF parts cannot be joined without re-encoding; render the segments as PNG frames into one \
                 folder (-o frames/ --segment K/N) and join the folder: animate join frames/ -o out.gif"
            )));
        }
        if !VIDEO_EXTENSIONS.contains(&ext.as_str()) {
            return Err(Error::Usage(format!(
                "cannot join `{p}`: give video parts (.{}) or one folder of PNG frames",
                VIDEO_EXTENSIONS.join(", .")
            )));
        }
    }
    let e = &a.encode;
    let encoding = a.fps.is_some()
        || e.format.is_some()
        || e.quality.is_some()
        || !e.video_settings().is_default();
    if encoding {
        return Err(Error::Usage(
            "video parts are joined by stream copy, without re-encoding: --fps, --format, --quality, --codec, \
             --crf, --preset and --bitrate do not apply"
                .into(),
        ));
    }
    join_videos(&a, started)
}

#[cfg(feature = "video")]
fn join_videos(a: &JoinArgs, started: Instant) -> Result<(), Error> {
    let parts: Vec<std::path::PathBuf> = a.parts.iter().map(Into::into).collect();
    let output = crate::encode::output::through_link(Path::new(&a.output)).map_err(Error::Usage)?;
    refuse_overwrite(
        &format!("the output {}", a.output),
        &Writes::File(&output),
        &Reads::Parts(&parts),
    )?;
    let abort = super::render::interrupt_flag();
    let joined = crate::join::video::join(&parts, &output, &abort)?;
    if !a.encode.quiet {
        crate::base::report::line(format_args!(
            "wrote {}: {} parts joined, {} frames, {}x{}, {:.2} s of animation{} in {:.2} s",
            a.output,
            joined.parts,
            joined.frames,
            joined.width,
            joined.height,
            joined.frames as f64 / joined.fps,
            if joined.sound { " with sound" } else { "" },
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(())
}

#[cfg(not(feature = "video"))]
fn join_videos(_: &JoinArgs, _: Instant) -> Result<(), Error> {
    Err(Error::Usage(format!(
        "cannot join videos: {}",
        crate::base::error::NO_VIDEO_HINT
    )))
}

fn join_frames(a: &JoinArgs, started: Instant) -> Result<(), Error> {
    let output = Output::parse_with_format(&a.output, a.encode.format)
        .map_err(Error::Usage)?
        .with_video_settings(a.encode.video_settings())
        .and_then(Output::through_links)
        .map_err(Error::Usage)?;
    let set = frames::scan(&a.parts[0]).map_err(Error::Usage)?;
    if let Some(out) = Writes::of(&output) {
        // The frames, and their folder: a join must not write among them.
        let mut read = set.files.clone();
        if let Some(dir) = set.files[0].parent() {
            read.push(if dir.as_os_str().is_empty() {
                ".".into()
            } else {
                dir.to_path_buf()
            });
        }
        refuse_overwrite(
            &format!("the output {}", a.output),
            &out,
            &Reads::Parts(&read),
        )?;
    }
    let fps = match (a.fps, &set.render) {
        (Some(f), _) => f,
        (None, Some(r)) => r.fps(),
        (None, None) => {
            return Err(Error::Usage(format!(
            "the frames in {} do not say their frame rate (animate did not write them): give --fps",
            a.parts[0]
        )))
        }
    };
    let count = set.files.len() as u64;
    let clip = crate::source::images::from_files(set.files, fps).map_err(Error::Usage)?;
    let plan = Plan {
        size: clip.size(),
        root: clip,
        fps,
        first: 0,
        count,
        total: count,
        background: if set.transparent {
            Rgba::TRANSPARENT
        } else {
            Rgba::BLACK
        },
    };
    Job {
        plan: &plan,
        output: &output,
        quality: a.encode.quality.unwrap_or(DEFAULT_QUALITY),
        transparent: set.transparent,
        notes: Vec::new(),
        render_id: set.render.as_ref().and_then(|r| r.scene),
        options: set.render.map(|r| r.options).unwrap_or_default(),
        sound: None,
    }
    .run(&a.encode)?;
    if !a.encode.quiet {
        summary(&a.output, &plan, plan.size, started, "");
    }
    Ok(())
}
