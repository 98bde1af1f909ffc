//! Reading users' data files: CSV columns for plots, NumPy arrays for fields, wide CSV
//! tables for bar charts, ISO 8601 dates and
//! their formats. Errors are sentences naming the file and the
//! place in it.

pub mod csv;
pub mod date_format;
pub mod dates;
pub mod npy;
pub mod wide;
