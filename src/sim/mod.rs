//! Grid simulations written in the scene (`kind = "simulation"`, docs/simulations.md):
//! NumPy-like lines over whole grids, stepped natively and deterministically. This
//! layer compiles and runs them; the source layer draws what `show` gives as a field.
//!
//! - `lines.rs`: `init`, `step` and `show` compiled, names checked, init ordered.
//! - `neighbours.rs`: `lap`, `nsum`, `nsum8`, `shift` over a grid with its edge rule.
//! - `run.rs`: the grids stepped forward once, `show`'s frames kept for random access.

mod lines;
mod neighbours;
mod run;
#[cfg(test)]
mod tests;

pub use lines::{compile as compile_lines, Written, FUNCTIONS, MAX_LINES};
pub use neighbours::{Boundary, Shape};
pub use run::{Program, Runner};

/// The most cell evaluations (cells × step lines × steps per frame) one frame may
/// cost: about a second of work. A frame over it is refused at the scene's keys rather
/// than left to run for minutes.
pub const MAX_WORK: u64 = 1 << 27;

/// What a frame costs at least, in cell evaluations, however small its grid: its `show`,
/// keeping it, the loop. A one-cell simulation stepped 3.6 million frames in 11.9 s
/// (3.3 µs a frame, a few hundred cells' worth); counted by cells alone, a day of one
/// cell at 1000 fps passed the bound of the automatic range and loaded for minutes
/// (hostile9 F-BB).
pub const FRAME_COST: u64 = 1024;
