//! A small CPU renderer for generated 3-D scenes (surfaces, tubes, lines): a turntable
//! camera, meshes with per-vertex normals, Blinn-Phong shading with a head-light, and
//! a supersampled z-buffered rasterizer. One frame is rendered on one thread; the
//! engine renders frames in parallel, each with a [`workspace::Workspace`] borrowed from
//! a memory-budgeted pool.

pub mod camera;
pub mod draw;
pub mod math;
pub mod mesh;
pub mod raster;
pub mod shade;
#[cfg(test)]
mod tests;
pub mod tube;
pub mod workspace;
