//! NumPy `.npy` bytes → the header parser on its own, then the file opened as a
//! `field` source opens it, its first and last frames read, and their value range.
#![no_main]

use animate::data::npy::{read_header, Npy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_header(&mut &data[..]);
    let path = animate_fuzz::scratch_file("in.npy", data);
    let Ok(npy) = Npy::open(&path, "in.npy") else {
        return;
    };
    let last = npy.frames - 1;
    if npy.rgb {
        let mut out = Vec::new();
        let _ = npy.rgba_frame(0, &mut out);
        let _ = npy.rgba_frame(last, &mut out);
    } else {
        let _ = npy.range([0, last].into_iter());
    }
});
