//! The base layer: what every other part of animate builds on, importing nothing of
//! animate above it. Frames and pixel helpers, time arithmetic, colours and colormaps,
//! diagnostics with their places in the scene file, limits, errors and the one channel
//! for messages to the user.

pub mod color;
pub mod colormap;
pub mod de;
pub mod diag;
pub mod error;
pub mod frame;
pub mod guard;
pub mod habits;
pub mod held;
pub mod input;
pub mod limits;
pub mod listing;
pub mod malloc;
pub mod pair;
pub mod parallel;
pub mod pattern;
pub mod pixel;
pub mod quoted;
pub mod report;
pub mod schema;
pub mod seconds;
pub mod similar_name;
pub mod stdio;
pub mod stop;
pub mod time;
