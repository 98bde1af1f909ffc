//! `mirror_x` and `mirror_y`.

use std::sync::Arc;

use tiny_skia::PremultipliedColorU8;

use crate::clip::Clip;
use crate::effect::wrap::PerFrame;

/// Left and right swapped.
pub fn mirror_x(input: Arc<dyn Clip>) -> Arc<dyn Clip> {
    let size = input.size();
    PerFrame::wrap("mirror_x", input, size, |mut frame, _, _| {
        let w = frame.width() as usize;
        frame
            .pixels_mut()
            .chunks_exact_mut(w)
            .for_each(<[PremultipliedColorU8]>::reverse);
        frame
    })
}

/// Top and bottom swapped.
pub fn mirror_y(input: Arc<dyn Clip>) -> Arc<dyn Clip> {
    let size = input.size();
    PerFrame::wrap("mirror_y", input, size, |mut frame, _, _| {
        let row = frame.width() as usize * 4;
        let data = frame.data_mut();
        let h = data.len() / row;
        for y in 0..h / 2 {
            let (top, bottom) = data.split_at_mut((h - 1 - y) * row);
            top[y * row..(y + 1) * row].swap_with_slice(&mut bottom[..row]);
        }
        frame
    })
}
