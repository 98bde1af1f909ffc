//! `animate join`: the parts of a segmented render put back together — video
//! segments by stream copy, PNG frames by one final encoding pass.

pub mod frames;
pub mod parts;
#[cfg(feature = "video")]
pub mod sound;
#[cfg(feature = "video")]
pub mod video;
