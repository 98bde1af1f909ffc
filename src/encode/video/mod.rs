//! Video output through FFmpeg's libraries: H.264, VP9 or ProRes in MP4, MKV, WebM or
//! MOV, chosen by extension and flags (see docs/video.md).

#[cfg(feature = "video")]
pub mod audio;
#[cfg(feature = "video")]
mod convert;
pub mod settings;
#[cfg(feature = "video")]
mod sink;
#[cfg(feature = "video")]
mod yuv_work;

#[cfg(feature = "video")]
pub use sink::VideoSink;
