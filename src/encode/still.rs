//! One frame as one PNG file (`animate frame`), written atomically.

use std::path::Path;

use crate::base::error::RenderError;
use crate::base::frame::Frame;

/// Writes `frame` as a PNG to `path` through a temporary file beside it.
pub fn write_png(frame: &Frame, path: &Path) -> Result<(), RenderError> {
    let fail =
        |e: &dyn std::fmt::Display| RenderError(format!("cannot write {}: {e}", path.display()));
    let dir = super::output::parent_dir(path)?;
    let tmp = super::output::temp_file_beside(path, &dir)?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file());
        super::png::encode_png(frame, &mut w, None).map_err(|e| fail(&e))?;
        std::io::Write::flush(&mut w).map_err(|e| fail(&e))?;
    }
    crate::base::stop::check()?;
    tmp.persist(path).map_err(|e| fail(&e))?;
    Ok(())
}
