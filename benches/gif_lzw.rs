//! LZW compression of GIF frames: ours (`animate::encode::gif_lzw`) against weezl, the
//! encoder under the `gif` crate's `Frame::make_lzw_pre_encoded`, which it replaced.
//! Run with `cargo bench --bench gif_lzw`.
//!
//! The input is realistic: the 40 frames of `scenes/sinc_surface.toml` (a shaded
//! surface, 220×220), quantised to 255 colours and dithered by libimagequant as a GIF
//! at the default quality is (speed 8, dithering 0.3). Both encoders compress every
//! frame; the figure is megabytes of indices per second of this thread's CPU time
//! (median of the rounds), so a busy machine does not inflate it.

use std::path::Path;

use animate::clip::RenderCx;

mod common;
use common::thread_cpu;

/// The scene's frames as dithered palette indices.
fn dithered_frames() -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string("scenes/sinc_surface.toml").expect("run from the crate");
    let scene = animate::scene::parse(&text, Path::new("scenes"), &[]).expect("scene is valid");
    let cx = RenderCx::new(20.0);
    let frames: Vec<_> = (0..40)
        .map(|i| scene.root.render(i as f64 / 20.0, &cx).expect("renders"))
        .collect();
    let (w, h) = (220, 220);
    let pixels = |f: &animate::base::frame::Frame| -> Vec<imagequant::RGBA> {
        // opaque (white background): premultiplied is straight
        f.data()
            .chunks_exact(4)
            .map(|c| imagequant::RGBA::new(c[0], c[1], c[2], c[3]))
            .collect()
    };
    let mut attr = imagequant::new();
    attr.set_max_colors(255).unwrap();
    attr.set_speed(8).unwrap();
    let mut hist = imagequant::Histogram::new(&attr);
    for f in frames.iter().step_by(4) {
        let mut img = attr.new_image(pixels(f), w, h, 0.5).unwrap();
        hist.add_image(&attr, &mut img).unwrap();
    }
    let mut result = hist.quantize(&attr).unwrap();
    result.set_dithering_level(0.3).unwrap();
    frames
        .iter()
        .map(|f| {
            let mut img = attr.new_image(pixels(f), w, h, 0.5).unwrap();
            result.remapped(&mut img).unwrap().1
        })
        .collect()
}

fn weezl(indices: &[u8]) -> Vec<u8> {
    let mut f = gif::Frame {
        buffer: std::borrow::Cow::Borrowed(indices),
        ..gif::Frame::default()
    };
    f.make_lzw_pre_encoded();
    f.buffer.into_owned()
}

/// Median MB/s over `rounds` passes of `encode` over every frame, and the bytes out.
fn measure(frames: &[Vec<u8>], rounds: usize, encode: impl Fn(&[u8]) -> Vec<u8>) -> (f64, usize) {
    let input: usize = frames.iter().map(Vec::len).sum();
    let mut bytes = 0;
    let mut rates: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = thread_cpu();
            bytes = frames
                .iter()
                .map(|f| std::hint::black_box(encode(f)).len())
                .sum();
            input as f64 / 1e6 / (thread_cpu() - start)
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    (rates[rounds / 2], bytes)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let frames = dithered_frames();
    let input: usize = frames.iter().map(Vec::len).sum();
    for f in &frames {
        let ours = animate::encode::gif_lzw::compress(f);
        let back = weezl::decode::Decoder::new(weezl::BitOrder::Lsb, ours[0])
            .decode(&ours[1..])
            .expect("decodes");
        assert!(back == *f, "our stream decodes to the frame");
    }
    let rounds = 21;
    let (w_rate, w_bytes) = measure(&frames, rounds, weezl);
    let (o_rate, o_bytes) = measure(&frames, rounds, animate::encode::gif_lzw::compress);
    println!(
        "GIF LZW, sinc_surface 40 frames 220x220 dithered ({input} indices), one thread, median of {rounds}:"
    );
    println!(
        "  weezl (gif make_lzw_pre_encoded) {w_rate:7.1} MB/s ({:.2} ns/index), {w_bytes} bytes",
        1e3 / w_rate
    );
    println!(
        "  animate gif_lzw                  {o_rate:7.1} MB/s ({:.2} ns/index), {o_bytes} bytes",
        1e3 / o_rate
    );
    println!("  ours / weezl: {:.2}x the speed", o_rate / w_rate);
}
