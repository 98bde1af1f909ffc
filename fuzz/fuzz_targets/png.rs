//! Picture bytes → a still frame as `kind = "file"` reads it (the format is guessed
//! from the content, so PNG seeds also reach the JPEG, WebP and GIF decoders), and the
//! header-only size reading that `check` uses.
#![no_main]

use animate::source::decode;
use libfuzzer_sys::fuzz_target;

/// Pictures larger than this are not decoded: a tiny file may legitimately declare a
/// 16384x16384 picture (the documented limit), which takes seconds to fill.
const MAX_PIXELS: u64 = 1 << 22;

fuzz_target!(|data: &[u8]| {
    let path = animate_fuzz::scratch_file("in.png", data);
    let size = decode::dimensions(&path);
    if let Ok(size) = size {
        if size.w as u64 * size.h as u64 > MAX_PIXELS {
            return;
        }
    }
    if let Ok(frame) = decode::picture(&path) {
        // Whatever the header says, the decoded picture is what a scene gets: a size
        // read from the header must be the size decoded.
        if let Ok(size) = size {
            assert_eq!((frame.width(), frame.height()), (size.w, size.h));
        }
    }
});
