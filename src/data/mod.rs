//! Reading users' data files: CSV columns for plots, NumPy arrays for fields.
//! Errors are sentences naming the file and the place in it.

pub mod csv;
pub mod npy;
