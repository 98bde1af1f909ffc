//! Integration tests: each runs the real `animate` binary on scenes written into a
//! temporary folder, and checks what a user would check.

mod util;

mod batch;
mod cli;
mod effects;
mod errors;
mod expressions;
mod files;
mod filters;
mod fuzz_found;
mod hostile;
mod layers;
mod layouts;
mod media;
mod plots;
mod plots_animated;
mod preview;
mod preview_browser;
mod remux;
mod render;
mod safety;
mod scenes;
mod surface;
mod text;
mod text_animated;
mod text_live;
mod video;
