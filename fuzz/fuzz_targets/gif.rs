//! GIF bytes → a `kind = "file"` GIF source (every frame decoded and composited), and
//! a frame near its end.
#![no_main]

use animate::clip::{Clip, RenderCx};
use animate::source::gif::Gif;
use libfuzzer_sys::fuzz_target;

/// Screens larger than this are skipped: every frame is composited onto the whole
/// screen, so a 200-byte file of a few frames on a 2329x9472 screen legitimately takes
/// seconds (within the documented limits), and would be reported as a hang.
const MAX_SCREEN: u64 = 1 << 22;

fuzz_target!(|data: &[u8]| {
    if let [_, _, _, _, _, _, w0, w1, h0, h1, ..] = *data {
        let (w, h) = (u16::from_le_bytes([w0, w1]), u16::from_le_bytes([h0, h1]));
        if w as u64 * h as u64 > MAX_SCREEN {
            return;
        }
    }
    let path = animate_fuzz::scratch_file("in.gif", data);
    if let Ok(gif) = Gif::open(&path, u64::MAX) {
        let t = gif.duration().unwrap_or(0.0) * 0.99;
        let _ = gif.render(t, &RenderCx::new(10.0));
    }
});
