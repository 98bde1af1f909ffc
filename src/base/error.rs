//! Top-level errors and their exit codes.

use std::path::PathBuf;

use crate::base::diag::{Diagnostic, Diagnostics};

/// Everything that can stop a command. The variant decides the exit code.
#[derive(Debug)]
pub enum Error {
    /// The scene file is wrong: nothing was rendered (exit 2).
    Scene {
        /// Boxed: a diagnostic with its notes would make every `Result<_, Error>` large.
        diag: Box<Diagnostic>,
        path: PathBuf,
        src: String,
    },
    /// The scene file is wrong in several places, shown all at once (exit 2).
    Scenes {
        diags: Diagnostics,
        path: PathBuf,
        src: String,
    },
    /// The command line is wrong (exit 2).
    Usage(String),
    /// Rendering, decoding, encoding or writing failed (exit 1).
    Render(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scene { .. } | Error::Scenes { .. } | Error::Usage(_) => 2,
            Error::Render(_) => 1,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Scene { diag, path, src } => f.write_str(diag.render(path, src).trim_end()),
            Error::Scenes { diags, path, src } => f.write_str(diags.render(path, src).trim_end()),
            Error::Usage(msg) => write!(f, "error: {msg}"),
            Error::Render(msg) => write!(f, "error: {msg}"),
        }
    }
}

impl From<RenderError> for Error {
    fn from(e: RenderError) -> Error {
        Error::Render(e.0)
    }
}

/// A failure while producing a frame (a decoder error, an I/O error): exit code 1.
#[derive(Debug, Clone)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RenderError {}

impl RenderError {
    /// The render was stopped from outside (Ctrl-C) or by another frame's failure.
    pub fn interrupted() -> RenderError {
        RenderError("interrupted".into())
    }
}

/// What to tell someone whose build has no video support.
pub const NO_VIDEO_HINT: &str = "this animate was built without the `video` feature: rebuild it with \
     `cargo build --release --features video` (it needs FFmpeg's development files; `make deps` installs them)";
