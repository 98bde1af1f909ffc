//! animate: a declarative TOML scene file in, an animated GIF, video or PNG frames out.
//!
//! The data flow runs one way: [`scene`] parses and resolves a file into a tree of
//! [`clip::Clip`]s, [`render`] samples the root clip at the output frame rate on all
//! cores, and [`encode`] writes the frames, committing the output file only on success.

pub mod audio;
#[cfg(feature = "video")]
pub mod av;
pub mod base;
pub mod chart;
pub mod cli;
pub mod clip;
pub mod data;
pub mod effect;
pub mod encode;
pub mod expr;
pub mod join;
pub mod layout;
pub mod preview;
pub mod render;
pub mod render3d;
pub mod scene;
pub mod sim;
pub mod source;
pub mod text;
