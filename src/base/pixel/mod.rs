//! Pixel helpers every layer draws with: drawing frames onto frames, resampling.

mod band;
mod over;
mod resample;

pub use band::{band_rows, draw_pixmap};
pub use over::{blit, is_opaque, over};
pub use resample::resample;
