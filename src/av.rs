//! FFmpeg glue shared by the video source and the video encoder: one-time library
//! set-up, error wording, and the colour conversion (libswscale) both directions need.

use std::sync::Once;

use ff::ffi;
pub use ffmpeg_next as ff;

/// FFmpeg's libraries are opened when first needed (see `lazy`) where animate knows how
/// to stub them: Linux on x86-64 and 64-bit ARM. Elsewhere they are linked as usual.
#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
mod lazy;

/// Opens and initialises FFmpeg once per process; every path into FFmpeg calls it
/// first. `Err` is a sentence saying FFmpeg's libraries could not be opened and how to
/// get them. FFmpeg's own log lines (x264's statistics, a decoder's complaints about a
/// damaged packet) would drown animate's messages, so they are off unless
/// `ANIMATE_FFMPEG_LOG` names a level (error, warning, info, verbose, debug).
pub fn init() -> Result<(), String> {
    #[cfg(all(
        target_os = "linux",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    lazy::load().map_err(|why| {
        format!(
            "FFmpeg's libraries, which animate needs to read and write video and sound, \
             could not be opened ({why}); install them (on Debian or Ubuntu: \
             `apt-get install ffmpeg`)"
        )
    })?;
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = ff::init();
        let level = match std::env::var("ANIMATE_FFMPEG_LOG").as_deref() {
            Ok("error") => ffi::AV_LOG_ERROR,
            Ok("warning") => ffi::AV_LOG_WARNING,
            Ok("info") => ffi::AV_LOG_INFO,
            Ok("verbose") => ffi::AV_LOG_VERBOSE,
            Ok("debug") => ffi::AV_LOG_DEBUG,
            _ => ffi::AV_LOG_QUIET,
        };
        unsafe { ffi::av_log_set_level(level) };
    });
    Ok(())
}

/// [`crate::base::input::too_many_open`]'s words when FFmpeg could not open a file
/// because the process (or the system) has no descriptor left.
fn out_of_descriptors(e: ff::Error) -> Option<String> {
    match e {
        ff::Error::Other { errno } => {
            crate::base::input::too_many_open(&std::io::Error::from_raw_os_error(errno))
        }
        _ => None,
    }
}

/// FFmpeg's description of an error, lower-cased to sit inside a sentence.
pub fn reason(e: ff::Error) -> String {
    if let Some(plain) = out_of_descriptors(e) {
        return plain;
    }
    let text = e.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "unknown error".into(),
    }
}

/// Why FFmpeg could not open a file that is known to be a readable regular file: its
/// content. FFmpeg's own words (`end of file`, `device or resource busy` for a header
/// declaring a 60000×60000 picture) name no content problem, so they come after ours.
/// `what` names the kind of file expected (`video`, `sound`).
pub fn unreadable(e: ff::Error, what: &str) -> String {
    if let Some(plain) = out_of_descriptors(e) {
        return plain;
    }
    match e {
        ff::Error::InvalidData => format!("it is damaged or not a {what} file"),
        ff::Error::Eof => "it is empty or cut short".to_string(),
        e => format!(
            "it is damaged or not a {what} file (FFmpeg says: {})",
            reason(e)
        ),
    }
}

/// A libswscale context converting between two fixed picture layouts, rebuilt only
/// when the source layout changes (a stream may change size mid-way).
pub struct Scaler {
    ctx: *mut ffi::SwsContext,
    key: Option<ScaleKey>,
}

// The context is only ever used by the thread that holds the `Scaler`.
unsafe impl Send for Scaler {}

/// What a [`Scaler`] converts from and to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ScaleKey {
    pub src: (u32, u32, ffi::AVPixelFormat),
    pub dst: (u32, u32, ffi::AVPixelFormat),
    /// YUV side's colour matrix (an `AVColorSpace` value) and whether it is full range.
    pub matrix: i32,
    pub full_range: bool,
}

impl Default for Scaler {
    fn default() -> Self {
        Scaler::new()
    }
}

impl Scaler {
    pub fn new() -> Scaler {
        Scaler {
            ctx: std::ptr::null_mut(),
            key: None,
        }
    }

    /// Prepares the context for `key`; `yuv_is_src` tells which side is YUV, whose
    /// matrix and range `key` describes (the RGB side is always full range).
    pub fn prepare(&mut self, key: ScaleKey, yuv_is_src: bool) -> Result<(), String> {
        if self.key == Some(key) && !self.ctx.is_null() {
            return Ok(());
        }
        // FFmpeg's own defaults (as the ffmpeg command line and MoviePy use them): the
        // unscaled YUV/RGB conversions then take libswscale's SIMD paths.
        let scaling = key.src.0 != key.dst.0 || key.src.1 != key.dst.1;
        let flags = if scaling {
            ffi::SWS_BICUBIC
        } else {
            ffi::SWS_BILINEAR
        };
        unsafe {
            self.ctx = ffi::sws_getCachedContext(
                self.ctx,
                key.src.0 as i32,
                key.src.1 as i32,
                key.src.2,
                key.dst.0 as i32,
                key.dst.1 as i32,
                key.dst.2,
                flags,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null(),
            );
            if self.ctx.is_null() {
                self.key = None;
                return Err(format!(
                    "cannot convert {}x{} {:?} pictures to {}x{} {:?}",
                    key.src.0, key.src.1, key.src.2, key.dst.0, key.dst.1, key.dst.2
                ));
            }
            let yuv = ffi::sws_getCoefficients(key.matrix);
            let rgb = ffi::sws_getCoefficients(ffi::SWS_CS_DEFAULT);
            let (src_table, src_full, dst_table, dst_full) = if yuv_is_src {
                (yuv, key.full_range, rgb, true)
            } else {
                (rgb, true, yuv, key.full_range)
            };
            // Fails harmlessly (-1) when neither side is YUV.
            ffi::sws_setColorspaceDetails(
                self.ctx,
                src_table,
                src_full as i32,
                dst_table,
                dst_full as i32,
                0,
                1 << 16,
                1 << 16,
            );
        }
        self.key = Some(key);
        Ok(())
    }

    /// Converts one picture. The planes and strides must match the prepared key.
    ///
    /// # Safety
    /// `src`/`dst` point at planes at least as large as the prepared layouts need.
    pub unsafe fn run(
        &mut self,
        src: &[*const u8; 4],
        src_stride: &[i32; 4],
        dst: &[*mut u8; 4],
        dst_stride: &[i32; 4],
    ) {
        let h = self.key.map_or(0, |k| k.src.1) as i32;
        ffi::sws_scale(
            self.ctx,
            src.as_ptr(),
            src_stride.as_ptr(),
            0,
            h,
            dst.as_ptr(),
            dst_stride.as_ptr(),
        );
    }
}

impl Drop for Scaler {
    fn drop(&mut self) {
        if !self.ctx.is_null() {
            unsafe { ffi::sws_freeContext(self.ctx) };
        }
    }
}

/// The colour matrix to assume for a YUV picture that does not say: BT.709 for HD
/// sizes, BT.601 below, as players do.
pub fn default_matrix(height: u32) -> i32 {
    if height >= 720 {
        ffi::AVColorSpace::AVCOL_SPC_BT709 as i32
    } else {
        ffi::AVColorSpace::AVCOL_SPC_SMPTE170M as i32
    }
}

/// Whether a pixel format carries an alpha channel.
pub fn has_alpha(format: ffi::AVPixelFormat) -> bool {
    unsafe {
        let d = ffi::av_pix_fmt_desc_get(format);
        !d.is_null() && ((*d).flags & ffi::AV_PIX_FMT_FLAG_ALPHA as u64) != 0
    }
}

/// Whether a pixel format is YUV (as opposed to RGB, grey or palette).
pub fn is_yuv(format: ffi::AVPixelFormat) -> bool {
    unsafe {
        let d = ffi::av_pix_fmt_desc_get(format);
        !d.is_null()
            && ((*d).flags & (ffi::AV_PIX_FMT_FLAG_RGB | ffi::AV_PIX_FMT_FLAG_PAL) as u64) == 0
            && (*d).nb_components >= 3
    }
}
