//! Remapping GIF frames to one fixed palette: ours (`animate::encode::gif_remap`)
//! against libimagequant's `remapped` at speed 8 (plain Floyd–Steinberg), which it
//! replaced. Run with `cargo bench --bench gif_remap`.
//!
//! The input is the 40 frames of `scenes/sinc_surface.toml` (a shaded surface, 220×220)
//! and one palette of 255 colours chosen by libimagequant from 10 of them, as a GIF at
//! the default quality gets (dithering 0.3). Both remap every whole frame; the figure
//! is nanoseconds a pixel of this thread's CPU time (median of the rounds), so a busy
//! machine does not inflate it. The build of our nearest-colour grid is timed apart (its
//! coarse cubes; a fine cube is made the first time a point falls in it, so the first
//! round of ours pays for those, and the median does not).

use std::path::Path;

use animate::clip::RenderCx;
use animate::encode::gif_remap::Remapper;
use imagequant::RGBA;

mod common;
use common::thread_cpu;

const W: usize = 220;
const H: usize = 220;

/// The scene's frames, straight RGBA (opaque: premultiplied is straight).
fn frames() -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string("scenes/sinc_surface.toml").expect("run from the crate");
    let scene = animate::scene::parse(&text, Path::new("scenes"), &[]).expect("scene is valid");
    let cx = RenderCx::new(20.0);
    (0..40)
        .map(|i| {
            let f = scene.root.render(i as f64 / 20.0, &cx).expect("renders");
            assert_eq!((f.width() as usize, f.height() as usize), (W, H));
            f.data().to_vec()
        })
        .collect()
}

fn pixels(rgba: &[u8]) -> Vec<RGBA> {
    rgba.chunks_exact(4)
        .map(|c| RGBA::new(c[0], c[1], c[2], c[3]))
        .collect()
}

/// Median ns a pixel over `rounds` passes of `remap` over every frame.
fn measure(frames: &[Vec<u8>], rounds: usize, remap: impl Fn(&[u8]) -> Vec<u8>) -> f64 {
    let n = (frames.len() * W * H) as f64;
    let mut t: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = thread_cpu();
            for f in frames {
                std::hint::black_box(remap(f));
            }
            (thread_cpu() - start) / n * 1e9
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[rounds / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let frames = frames();
    let gamma = 0.6;
    let mut attr = imagequant::new();
    attr.set_max_colors(255).unwrap();
    attr.set_speed(8).unwrap();
    let mut hist = imagequant::Histogram::new(&attr);
    for f in frames.iter().step_by(4) {
        let mut img = attr.new_image(pixels(f), W, H, gamma).unwrap();
        hist.add_image(&attr, &mut img).unwrap();
    }
    let colors = hist.quantize(&attr).unwrap().palette_vec();
    let mut fixed = imagequant::QuantizationResult::from_palette(&attr, &colors, gamma).unwrap();
    fixed.set_dithering_level(0.3).unwrap();
    let rgb: Vec<[u8; 3]> = colors.iter().map(|c| [c.r, c.g, c.b]).collect();

    let rounds = 11;
    let mut builds: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = thread_cpu();
            std::hint::black_box(Remapper::new(&rgb, 0.3));
            (thread_cpu() - start) * 1e3
        })
        .collect();
    builds.sort_by(f64::total_cmp);
    let ours = Remapper::new(&rgb, 0.3);
    let theirs = measure(&frames, rounds, |f| {
        let mut img = attr.new_image(pixels(f), W, H, gamma).unwrap();
        fixed.clone().remapped(&mut img).unwrap().1
    });
    let mine = measure(&frames, rounds, |f| {
        ours.remap(f, W, (0, 0, W, H), None, 255)
    });
    println!(
        "GIF remap to a fixed palette of {} colours, sinc_surface 40 frames {W}x{H}, one thread, median of {rounds}:",
        colors.len()
    );
    println!("  libimagequant remapped (speed 8) {theirs:6.1} ns/pixel");
    println!("  animate gif_remap                {mine:6.1} ns/pixel");
    println!("  ours / libimagequant: {:.2}x the speed", theirs / mine);
    println!(
        "  building our nearest-colour grid (coarse cubes): {:.2} ms",
        builds[rounds / 2]
    );
}
