//! Integration tests: each runs the real `animate` binary on scenes written into a
//! temporary folder, and checks what a user would check.

mod util;

mod cli;
mod errors;
mod layouts;
mod render;
mod video;
