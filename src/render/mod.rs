//! The render engine: the frame schedule, parallel workers, ordered delivery,
//! progress and cancellation.

pub mod ends;
pub mod engine;
mod order;
pub mod pass_bar;
pub mod passes;
pub mod plan;
mod prepare;
pub mod progress;
pub mod range;
pub mod sink;

pub use engine::run;
pub use plan::Plan;
pub use progress::{Bar, Progress, Silent};
