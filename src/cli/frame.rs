//! `animate frame`: one PNG at one time.

use super::args::FrameArgs;
use crate::error::Error;
use crate::render::plan::{Overrides, Plan};

pub fn run(a: FrameArgs) -> Result<(), Error> {
    let png = a.output.extension().and_then(|e| e.to_str());
    if !png.is_some_and(|e| e.eq_ignore_ascii_case("png")) {
        return Err(Error::Usage(format!(
            "`-o {}`: a frame is written as PNG; give a file name ending in .png",
            a.output.display()
        )));
    }
    let scene = super::load(&a.common)?;
    let plan = Plan::for_scene(
        &scene,
        Overrides {
            size: a.size,
            duration: Some(a.t.max(1e-3)),
            ..Overrides::default()
        },
    )?;
    let frame = plan.frame_at(a.t)?;
    crate::encode::still::write_png(&frame, &a.output)?;
    Ok(())
}
