//! FFmpeg's libraries opened when a video or a sound is first read or written, not when
//! animate starts.
//!
//! Linked the usual way, libavcodec, libavformat and the 130-odd libraries their codecs
//! need are loaded and relocated before `main`: about 22 ms of CPU on every run, also
//! on the many that never touch a video (a GIF of a plot, `check`, PNG frames), and
//! serial, so it capped how far a short render scales over threads (docs/gif-measurements.md, "PNG
//! frames on two cores"). Here every FFmpeg function animate's build calls is defined
//! as a stub of one jump through a slot. Nothing is then left for the libraries to
//! provide, so the linker (which rustc runs with `--as-needed`) does not record them,
//! and [`load`] opens them with `dlopen` and fills the slots the first time they are
//! needed. A function missing from [`stubs!`]'s list still works: the linker then
//! records its library, which is loaded at start as before (and the test
//! `video::ffmpeg_is_loaded_only_for_video_and_sound` fails, to say so).

use std::ffi::{c_void, CStr, CString};
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::OnceLock;

use super::ff::ffi;

/// Opens FFmpeg's libraries and points every stub at its function, once per process;
/// later calls return the first one's result. `Err` says which library could not be
/// opened and why, for a message that tells the user to install FFmpeg.
pub fn load() -> Result<(), String> {
    static LOADED: OnceLock<Result<(), String>> = OnceLock::new();
    LOADED.get_or_init(open_and_fill).clone()
}

/// The libraries, each by the file name of the major version animate was built against
/// (its ABI): dependencies first.
fn libraries() -> [String; 4] {
    [
        format!("libavutil.so.{}", ffi::LIBAVUTIL_VERSION_MAJOR),
        format!("libavcodec.so.{}", ffi::LIBAVCODEC_VERSION_MAJOR),
        format!("libavformat.so.{}", ffi::LIBAVFORMAT_VERSION_MAJOR),
        format!("libswscale.so.{}", ffi::LIBSWSCALE_VERSION_MAJOR),
    ]
}

fn open_and_fill() -> Result<(), String> {
    let mut handles = Vec::new();
    for name in libraries() {
        let c_name = CString::new(name.clone()).map_err(|e| e.to_string())?;
        // SAFETY: a NUL-terminated name; FFmpeg's constructors are safe to run at any time.
        let handle = unsafe { libc::dlopen(c_name.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        if handle.is_null() {
            return Err(last_dl_error(&name));
        }
        handles.push(handle);
    }
    for (name, slot) in TABLE {
        // A function this FFmpeg lacks keeps its stub's own "missing" target, which
        // names it if it is ever called.
        let found = handles.iter().find_map(|&h| {
            // SAFETY: a handle from dlopen above and a NUL-terminated name.
            let f = unsafe { libc::dlsym(h, name.as_ptr()) };
            (!f.is_null()).then_some(f)
        });
        if let Some(f) = found {
            slot.store(f, Ordering::Release);
        }
    }
    Ok(())
}

fn last_dl_error(name: &str) -> String {
    // SAFETY: dlerror returns null or a NUL-terminated string valid until the next call.
    let e = unsafe { libc::dlerror() };
    if e.is_null() {
        format!("{name} could not be opened")
    } else {
        unsafe { CStr::from_ptr(e) }.to_string_lossy().into_owned()
    }
}

/// What a stub jumps to until [`load`] has found its function: called only if animate
/// calls FFmpeg before loading it (a bug) or this FFmpeg lacks the function.
fn missing(name: &str) -> ! {
    eprintln!(
        "animate: FFmpeg's function {name} was called but is not loaded (FFmpeg not yet \
         opened, or the installed FFmpeg lacks it: animate was built against libavcodec \
         {}); please report this",
        ffi::LIBAVCODEC_VERSION_MAJOR
    );
    std::process::abort()
}

/// Defines, for each name, a slot (`name::SLOT`, at first the address of
/// `name::missing`), a stub exported under the name that jumps through the slot, and
/// the table [`load`] fills. The stubs take and pass on any arguments untouched, so no
/// signature is needed: the jump leaves every register and the stack as the caller set
/// them.
macro_rules! stubs {
    ($($name:ident)*) => {
        $(
            #[allow(non_snake_case)]
            mod $name {
                use super::*;
                pub static SLOT: AtomicPtr<c_void> = AtomicPtr::new(missing as *mut c_void);
                extern "C" fn missing() {
                    super::missing(stringify!($name))
                }
            }

            #[unsafe(no_mangle)]
            #[unsafe(naked)]
            unsafe extern "C" fn $name() {
                jump!($name::SLOT)
            }
        )*

        /// Every stub's name (as FFmpeg spells it) and slot.
        static TABLE: &[(&CStr, &AtomicPtr<c_void>)] = &[
            $( (
                match CStr::from_bytes_with_nul(concat!(stringify!($name), "\0").as_bytes()) {
                    Ok(c) => c,
                    Err(_) => panic!("a stub name holds a NUL"),
                },
                &$name::SLOT,
            ), )*
        ];
    };
}

#[cfg(target_arch = "x86_64")]
macro_rules! jump {
    ($slot:path) => {
        core::arch::naked_asm!("jmp qword ptr [rip + {slot}]", slot = sym $slot)
    };
}

#[cfg(target_arch = "aarch64")]
macro_rules! jump {
    ($slot:path) => {
        core::arch::naked_asm!(
            "adrp x16, {slot}",
            "ldr x16, [x16, :lo12:{slot}]",
            "br x16",
            slot = sym $slot
        )
    };
}

// Every FFmpeg function the release build of animate imports (`nm -D --undefined-only
// target/release/animate` before this module existed), in alphabetical order.
stubs! {
    av_channel_layout_default av_codec_is_decoder av_codec_is_encoder av_dict_free
    av_dict_get av_dict_set av_find_best_stream av_frame_alloc av_frame_free
    av_frame_get_buffer av_frame_make_writable av_guess_sample_aspect_ratio
    av_image_get_buffer_size av_init_packet av_interleaved_write_frame av_log_set_level
    av_packet_rescale_ts av_packet_unref av_pix_fmt_desc_get av_read_frame av_rescale_q
    av_sample_fmt_is_planar av_seek_frame av_strerror av_write_trailer
    avcodec_alloc_context3 avcodec_close avcodec_find_decoder
    avcodec_find_decoder_by_name avcodec_find_encoder_by_name avcodec_flush_buffers
    avcodec_free_context avcodec_get_name avcodec_open2 avcodec_parameters_alloc
    avcodec_parameters_copy avcodec_parameters_free avcodec_parameters_from_context
    avcodec_parameters_to_context avcodec_receive_frame avcodec_receive_packet
    avcodec_send_frame avcodec_send_packet avformat_alloc_output_context2
    avformat_close_input avformat_find_stream_info avformat_free_context
    avformat_index_get_entries_count avformat_index_get_entry
    avformat_new_stream avformat_open_input avformat_write_header avio_close avio_open
    avio_size
    sws_freeContext sws_getCachedContext sws_getCoefficients sws_scale
    sws_setColorspaceDetails
}
