//! The render engine: the frame schedule, parallel workers, ordered delivery,
//! progress and cancellation.

pub mod engine;
pub mod plan;
pub mod progress;
pub mod range;

pub use engine::run;
pub use plan::{clamp_time, frame_count, last_instant, within, Plan};
pub use progress::{Bar, Progress, Silent};
