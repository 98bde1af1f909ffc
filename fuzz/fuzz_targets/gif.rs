//! GIF bytes → a `kind = "file"` GIF source (every frame decoded and composited), and
//! a frame near its end.
#![no_main]

use animate::clip::{Clip, RenderCx};
use animate::source::gif::Gif;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = animate_fuzz::scratch_file("in.gif", data);
    if let Ok(gif) = Gif::open(&path) {
        let t = gif.duration().unwrap_or(0.0) * 0.99;
        let _ = gif.render(t, &RenderCx::new(10.0));
    }
});
