//! Pixel helpers every layer draws with: drawing frames onto frames, resampling.

mod over;
mod resample;

pub use over::{blit, is_opaque, over};
pub use resample::resample;
