//! Cost of the Gaussian blur effect on one core: a 500×500 frame, σ = 4 (the article's
//! blur). Run with `cargo bench --bench filters`.
//!
//! Times are the thread's CPU time (not wall time), so other processes on a busy
//! machine do not inflate them; the mean and the best of the runs are printed.

use animate::base::frame::Frame;
use animate::effect::blur::blur_frame;

mod common;
use common::thread_cpu;

fn frame(w: u32, h: u32) -> Frame {
    let mut f = Frame::new(w, h).expect("size");
    for (i, p) in f.data_mut().chunks_exact_mut(4).enumerate() {
        let (x, y) = (i as u32 % w, i as u32 / w);
        let v = ((x * 7 + y * 13) ^ (x * y)) as u8;
        p.copy_from_slice(&[v, v / 2, 255 - v, 255]);
    }
    f
}

fn main() {
    let (w, h, sigma) = (500, 500, 4.0);
    let src = frame(w, h);
    let runs = 100;
    for _ in 0..5 {
        let mut f = src.clone();
        blur_frame(&mut f, sigma);
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let mut f = src.clone();
        let start = thread_cpu();
        blur_frame(&mut f, sigma);
        times.push(thread_cpu() - start);
        std::hint::black_box(&f);
    }
    let mean = times.iter().sum::<f64>() / runs as f64;
    let best = times.iter().cloned().fold(f64::INFINITY, f64::min);
    println!(
        "gaussian_blur {w}x{h} sigma {sigma}: mean {:.2} ms, best {:.2} ms CPU per frame ({runs} runs, one thread)",
        mean * 1e3,
        best * 1e3
    );
}
