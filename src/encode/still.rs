//! One frame as one PNG file (`animate frame`), written atomically.

use std::path::Path;

use crate::clip::{Frame, RenderError};

/// Writes `frame` as a PNG to `path` through a temporary file beside it.
pub fn write_png(frame: &Frame, path: &Path) -> Result<(), RenderError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail =
        |e: &dyn std::fmt::Display| RenderError(format!("cannot write {}: {e}", path.display()));
    let tmp = tempfile::Builder::new()
        .prefix(".animate-")
        .suffix(".png.tmp")
        .tempfile_in(dir)
        .map_err(|e| fail(&e))?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file());
        super::png::encode_png(frame, &mut w).map_err(|e| fail(&e))?;
        std::io::Write::flush(&mut w).map_err(|e| fail(&e))?;
    }
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}
