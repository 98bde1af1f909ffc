//! Resampling a frame to another size: exact area averaging when shrinking,
//! Catmull-Rom when enlarging, in premultiplied f32 so that transparent pixels never
//! bleed their colour into visible ones.

use crate::base::frame::{blank, Frame, Size};

/// One output sample of a resampling pass: a weighted sum of consecutive inputs.
struct Taps {
    start: usize,
    weights: Vec<f32>,
}

/// Filter taps mapping `src` samples to `dst`: exact area averaging when shrinking
/// (no aliasing, block averages are exact), Catmull-Rom when enlarging.
fn taps(src: usize, dst: usize) -> Vec<Taps> {
    let ratio = src as f64 / dst as f64;
    (0..dst)
        .map(|i| {
            let (start, mut weights) = if dst < src {
                let (lo, hi) = (i as f64 * ratio, (i + 1) as f64 * ratio);
                let first = lo.floor() as usize;
                let last = (hi.ceil() as usize).min(src) - 1;
                let w = (first..=last)
                    .map(|j| ((hi.min(j as f64 + 1.0) - lo.max(j as f64)) / ratio) as f32)
                    .collect();
                (first, w)
            } else {
                let c = (i as f64 + 0.5) * ratio - 0.5;
                let base = c.floor() as i64;
                let clamp = |j: i64| j.clamp(0, src as i64 - 1) as usize;
                let first = clamp(base - 1);
                let mut w = vec![0f32; clamp(base + 2) - first + 1];
                for j in base - 1..=base + 2 {
                    w[clamp(j) - first] += catmull_rom(j as f64 - c) as f32;
                }
                (first, w)
            };
            let sum: f32 = weights.iter().sum();
            weights.iter_mut().for_each(|w| *w /= sum);
            Taps { start, weights }
        })
        .collect()
}

fn catmull_rom(x: f64) -> f64 {
    let x = x.abs();
    if x < 1.0 {
        1.5 * x * x * x - 2.5 * x * x + 1.0
    } else if x < 2.0 {
        -0.5 * x * x * x + 2.5 * x * x - 4.0 * x + 2.0
    } else {
        0.0
    }
}

/// Resizes a frame: separable, horizontal then vertical, in premultiplied f32.
pub fn resample(src: &Frame, size: Size) -> Frame {
    let (sw, sh) = (src.width() as usize, src.height() as usize);
    let (dw, dh) = (size.w as usize, size.h as usize);
    if (sw, sh) == (dw, dh) {
        return src.clone();
    }
    // Horizontal pass: sh rows of dw pixels.
    let mut tmp = vec![0f32; sh * dw * 4];
    let data = src.data();
    if dw == sw {
        tmp.iter_mut().zip(data).for_each(|(t, &b)| *t = b as f32);
    } else {
        let xt = taps(sw, dw);
        for y in 0..sh {
            // A signal stops a large resize part-way; the caller drops the frame.
            if crate::base::stop::signalled() {
                return blank(size);
            }
            let row = &data[y * sw * 4..(y + 1) * sw * 4];
            let out = &mut tmp[y * dw * 4..(y + 1) * dw * 4];
            for (x, tap) in xt.iter().enumerate() {
                let mut acc = [0f32; 4];
                for (k, &w) in tap.weights.iter().enumerate() {
                    let p = &row[(tap.start + k) * 4..(tap.start + k) * 4 + 4];
                    for c in 0..4 {
                        acc[c] += w * p[c] as f32;
                    }
                }
                out[x * 4..x * 4 + 4].copy_from_slice(&acc);
            }
        }
    }
    // Vertical pass into the output.
    let mut out = blank(size);
    let bytes = out.data_mut();
    let row_len = dw * 4;
    if dh == sh {
        for (i, v) in tmp.chunks_exact(4).enumerate() {
            store(&mut bytes[i * 4..i * 4 + 4], v);
        }
    } else {
        let yt = taps(sh, dh);
        let mut acc = vec![0f32; row_len];
        for (y, tap) in yt.iter().enumerate() {
            if crate::base::stop::signalled() {
                break;
            }
            acc.iter_mut().for_each(|a| *a = 0.0);
            for (k, &w) in tap.weights.iter().enumerate() {
                let row = &tmp[(tap.start + k) * row_len..(tap.start + k + 1) * row_len];
                acc.iter_mut().zip(row).for_each(|(a, &v)| *a += w * v);
            }
            let dst = &mut bytes[y * row_len..(y + 1) * row_len];
            for (d, v) in dst.chunks_exact_mut(4).zip(acc.chunks_exact(4)) {
                store(d, v);
            }
        }
    }
    out
}

/// Rounds a filtered premultiplied pixel, keeping every colour channel <= alpha
/// (Catmull-Rom overshoots at sharp edges).
fn store(dst: &mut [u8], v: &[f32]) {
    let a = v[3].round().clamp(0.0, 255.0);
    for c in 0..3 {
        dst[c] = v[c].round().clamp(0.0, a) as u8;
    }
    dst[3] = a as u8;
}
