//! `animate frame`: one PNG at one time.

use super::args::FrameArgs;
use crate::base::error::Error;
use crate::render::plan::{Overrides, Plan};

pub fn run(a: FrameArgs) -> Result<(), Error> {
    super::render::catch_signals();
    let to_stdout = a.output.as_os_str() == "-";
    if to_stdout && crate::base::stdio::stdout_was_closed() {
        return Err(Error::Usage(super::render::STDOUT_CLOSED.into()));
    }
    let png = a.output.extension().and_then(|e| e.to_str());
    if !to_stdout && !png.is_some_and(|e| e.eq_ignore_ascii_case("png")) {
        return Err(Error::Usage(format!(
            "`-o {}`: a frame is written as PNG; give a file name ending in .png (or - for stdout)",
            a.output.display()
        )));
    }
    if to_stdout && a.depfile.is_some() {
        return Err(Error::Usage(
            "--depfile needs a named output for Make's rule, not -o -".into(),
        ));
    }
    let scene = super::load(&a.common, super::programs_when(a.allow_programs), None)?;
    let output = match to_stdout {
        true => a.output.clone(),
        false => crate::encode::output::through_link(&a.output).map_err(Error::Usage)?,
    };
    let mut depfile = None;
    if !to_stdout {
        use super::overwrite::{refuse_overwrite, Reads, Writes};
        let reads = Reads::Scene(&scene);
        refuse_overwrite(
            &format!("the output {}", a.output.display()),
            &Writes::File(&output),
            &reads,
        )?;
        if let Some(d) = &a.depfile {
            depfile = Some(super::deps::check_depfile(d, &a.output, &reads)?);
        }
    }
    let end = scene.output.duration.or(scene.root.duration());
    if let Some(end) = end.filter(|&end| a.t > end + crate::base::time::TIME_EPSILON) {
        crate::base::report::warn(format_args!(
            "-t {} is after the scene's end ({end:.2} s): the frame shows the scene at its end",
            crate::base::limits::shown_seconds(a.t)
        ));
    }
    let plan = plan_at(&scene, a.t, a.size)?;
    if let Some(note) = plan.fit_note() {
        crate::base::report::warn(note);
    }
    let frame = frame_of(&plan, a.t)?;
    if to_stdout {
        return crate::base::report::stdout_data(&png_bytes(&frame)?, "the frame");
    }
    crate::encode::still::write_png(&frame, &output)?;
    if let Some(d) = depfile {
        d.write(&a.output, &scene.inputs)?;
    }
    Ok(())
}

/// The output frame at time `t`, scaled to fit `size` when given (also what
/// `animate preview` shows).
pub(crate) fn frame_at(
    scene: &crate::scene::Scene,
    t: f64,
    size: Option<crate::base::frame::Size>,
) -> Result<crate::base::frame::Frame, Error> {
    let size = size.map(crate::render::plan::SizeArg::Both);
    frame_of(&plan_at(scene, t, size)?, t)
}

/// The plan of a render that ends at `t` (so that `t` is inside it).
fn plan_at(
    scene: &crate::scene::Scene,
    t: f64,
    size: Option<crate::render::plan::SizeArg>,
) -> Result<Plan, Error> {
    Plan::for_scene(
        scene,
        Overrides {
            size,
            duration: Some(t.max(1e-3)),
            ..Overrides::default()
        },
    )
}

/// `plan`'s output frame at time `t`, on every core.
fn frame_of(plan: &Plan, t: f64) -> Result<crate::base::frame::Frame, Error> {
    // Ctrl-C stops the frame cleanly, so that the programs it started are stopped too.
    let abort = super::render::interrupt_flag();
    let cores = crate::base::parallel::cores();
    let cx = crate::clip::RenderCx::new(plan.fps).with_threads(cores, Some(&abort));
    Ok(plan.frame_at_in(t, &cx)?)
}

/// A frame as the PNG bytes `animate frame` writes.
pub(crate) fn png_bytes(frame: &crate::base::frame::Frame) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    crate::encode::png::encode_png(frame, &mut bytes, None)
        .map_err(|e| Error::Render(format!("cannot encode the frame: {e}")))?;
    Ok(bytes)
}
