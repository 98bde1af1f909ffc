//! Drawing charts the way matplotlib does: tick choice and labels, the data-to-pixel
//! transform, and the drawing of axes, series, legends and colorbars. Shared by the
//! `plot` and `field` sources.

pub mod axes;
pub mod clabel;
pub mod colorbar;
pub mod contour;
pub mod dates;
pub mod fonts;
pub mod format;
pub mod label;
pub mod legend;
pub mod levels;
pub mod paint;
pub mod polar;
pub mod scale;
pub mod style;
pub mod ticks;
