//! `animate render`: the whole animation into a GIF, a video or PNG frames.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use super::args::RenderArgs;
use crate::encode::output::Output;
use crate::encode::SinkSpec;
use crate::error::Error;
use crate::render::plan::{Overrides, Plan};
use crate::render::{Bar, Progress, Silent};

pub fn run(a: RenderArgs) -> Result<(), Error> {
    let started = Instant::now();
    let scene = super::load(&a.common)?;
    let target = match (&a.output, &scene.output.file) {
        (Some(o), _) => o.clone(),
        (None, Some(f)) => f.to_string_lossy().into_owned(),
        (None, None) => {
            return Err(Error::Usage(
                "no output given: pass -o out.gif (or frames/%04d.png), or set [output] file = \"...\" in the scene".into(),
            ))
        }
    };
    let output = Output::parse(&target)
        .map_err(Error::Usage)?
        .with_repeat(scene.output.repeat)
        .with_video_settings(a.video_settings())
        .map_err(Error::Usage)?;
    let plan = Plan::for_scene(
        &scene,
        Overrides {
            fps: a.fps,
            size: a.size,
            duration: a.duration,
        },
    )?;
    let spec = SinkSpec {
        size: plan.size,
        fps: plan.fps,
        frames: plan.count,
        quality: a.quality.unwrap_or(scene.output.quality),
        transparent: !scene.output.background.is_opaque(),
    };
    output.check(&spec).map_err(Error::Usage)?;
    if !a.quiet {
        for w in output.warnings(&spec) {
            eprintln!("warning: {w}");
        }
    }
    // Installed before the temporary output exists: a Ctrl-C from then on stops the
    // render cleanly instead of killing the process with the temporary file left.
    let abort = interrupt_flag();
    let mut sink = output.open(&spec)?;

    let threads = a
        .threads
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let bar = Bar::for_terminal(plan.count, a.quiet);
    let progress: &dyn Progress = match &bar {
        Some(b) => b,
        None => &Silent,
    };
    let result = crate::render::run(&plan, sink.as_mut(), threads, progress, &abort);
    if let Some(b) = &bar {
        b.finish();
    }
    result?;
    sink.finish()?;
    if let Some(d) = &a.depfile {
        super::deps::write_depfile(d, std::path::Path::new(&target), &scene.inputs)?;
    }
    if !a.quiet {
        eprintln!(
            "wrote {target}: {} frames, {}, {:.2} s of animation in {:.2} s",
            plan.count,
            plan.size,
            plan.seconds(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Set by Ctrl-C (and SIGTERM): the render stops and the partial output is removed.
fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let f = flag.clone();
        let _ = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst));
        flag
    })
    .clone()
}
