//! Separable Gaussian convolution: the engine of `gaussian_blur` and `sharpen`.
//!
//! The kernel is SciPy's (`ndimage.gaussian_filter`, which scikit-image's `gaussian`
//! calls): weights `exp(-x² / 2σ²)` for |x| <= round(4σ), normalised. Rows are
//! filtered first, into a small ring of `f32` lines, then columns; each pass is a sum
//! of shifted lines scaled by a weight, which the compiler vectorises.

/// How samples beyond the frame's edge are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// The edge pixel repeats (`mode='nearest'`, scikit-image's `gaussian` default).
    Nearest,
    /// Mirrored about the edge, edge pixel included (`mode='reflect'`, used by
    /// `unsharp_mask`).
    Reflect,
}

/// The largest σ the effects accept: a kernel of 2001 taps.
pub const MAX_SIGMA: f64 = 250.0;

/// A symmetric 1-D kernel: `weights[radius + i]` is the weight at offset `i`.
pub struct Kernel {
    pub radius: usize,
    pub weights: Vec<f32>,
}

impl Kernel {
    /// SciPy's Gaussian kernel for `sigma` in (0, MAX_SIGMA], truncated at 4σ.
    pub fn gaussian(sigma: f64) -> Kernel {
        let sigma = sigma.clamp(1e-3, MAX_SIGMA);
        let radius = (4.0 * sigma + 0.5) as usize;
        let w: Vec<f64> = (0..=2 * radius)
            .map(|i| {
                let x = i as f64 - radius as f64;
                (-0.5 * x * x / (sigma * sigma)).exp()
            })
            .collect();
        let sum: f64 = w.iter().sum();
        Kernel {
            radius,
            weights: w.iter().map(|v| (v / sum) as f32).collect(),
        }
    }
}

/// The index read for position `i` of a line of `n` samples.
fn source_index(i: isize, n: usize, edge: Edge) -> usize {
    let n = n as isize;
    match edge {
        Edge::Nearest => i.clamp(0, n - 1) as usize,
        Edge::Reflect => {
            let period = 2 * n;
            let m = i.rem_euclid(period);
            (if m < n { m } else { period - 1 - m }) as usize
        }
    }
}

/// Adds `w · (a + b)` to `acc`, element by element (fused when `FMA`).
#[inline(always)]
fn add_pair<const FMA: bool>(acc: &mut [f32], a: &[f32], b: &[f32], w: f32) {
    for ((o, x), y) in acc.iter_mut().zip(a).zip(b) {
        let s = x + y;
        *o = if FMA { s.mul_add(w, *o) } else { *o + w * s };
    }
}

/// Adds `w · a` to `acc` (fused when `FMA`).
#[inline(always)]
fn add_scaled<const FMA: bool>(acc: &mut [f32], a: &[f32], w: f32) {
    for (o, x) in acc.iter_mut().zip(a) {
        *o = if FMA { x.mul_add(w, *o) } else { *o + w * x };
    }
}

/// Convolves an image of `w × h` pixels with `channels` interleaved 8-bit values each,
/// rows then columns, and hands every output row (`w · channels` values, unrounded)
/// to `emit` in order. Uses AVX2 and FMA where the processor has them.
pub fn convolve(
    src: &[u8],
    w: usize,
    h: usize,
    channels: usize,
    kernel: &Kernel,
    edge: Edge,
    emit: impl FnMut(usize, &[f32]),
) {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: the processor has the features `convolve_avx2` is compiled for.
        unsafe { convolve_avx2(src, w, h, channels, kernel, edge, emit) };
        return;
    }
    convolve_with::<false>(src, w, h, channels, kernel, edge, emit);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn convolve_avx2(
    src: &[u8],
    w: usize,
    h: usize,
    channels: usize,
    kernel: &Kernel,
    edge: Edge,
    emit: impl FnMut(usize, &[f32]),
) {
    convolve_with::<true>(src, w, h, channels, kernel, edge, emit);
}

#[inline(always)]
fn convolve_with<const FMA: bool>(
    src: &[u8],
    w: usize,
    h: usize,
    channels: usize,
    kernel: &Kernel,
    edge: Edge,
    mut emit: impl FnMut(usize, &[f32]),
) {
    let r = kernel.radius;
    let line = w * channels;
    debug_assert_eq!(src.len(), line * h);
    let k = &kernel.weights;

    // Row-filtered lines live in a ring of 2r + 1 slots (all rows when fewer): the
    // rows one output row needs are at most 2r + 1 consecutive ones, whatever the edge
    // mode, so memory stays small and each row is filtered once.
    let slots = (2 * r + 1).min(h);
    let mut ring = vec![0f32; slots * line];
    let mut held = vec![usize::MAX; slots];
    let mut acc = vec![0f32; line];
    let mut padded = vec![0f32; (w + 2 * r) * channels];
    let mut filter_row = |ys: usize, out: &mut [f32]| {
        let row = &src[ys * line..(ys + 1) * line];
        for (j, px) in padded.chunks_exact_mut(channels).enumerate() {
            let x = source_index(j as isize - r as isize, w, edge);
            for (d, s) in px.iter_mut().zip(&row[x * channels..(x + 1) * channels]) {
                *d = *s as f32;
            }
        }
        out.fill(0.0);
        let at = |i: usize| &padded[i * channels..i * channels + line];
        for (i, &wi) in k[..r].iter().enumerate() {
            add_pair::<FMA>(out, at(i), at(2 * r - i), wi);
        }
        add_scaled::<FMA>(out, at(r), k[r]);
    };

    for y in 0..h {
        // A signal stops a large blur part-way; the caller drops the frame.
        if crate::base::stop::signalled() {
            return;
        }
        let yi = y as isize;
        for o in -(r as isize)..=r as isize {
            let ys = source_index(yi + o, h, edge);
            let slot = ys % slots;
            if held[slot] != ys {
                // the first output row alone filters r + 1 rows (a thousand at σ 250)
                if crate::base::stop::signalled() {
                    return;
                }
                filter_row(ys, &mut acc);
                ring[slot * line..(slot + 1) * line].copy_from_slice(&acc);
                held[slot] = ys;
            }
        }
        let row_at = |i: isize| {
            let slot = source_index(i, h, edge) % slots;
            &ring[slot * line..(slot + 1) * line]
        };
        acc.fill(0.0);
        for (i, &wi) in k[..r].iter().enumerate() {
            let d = (r - i) as isize;
            add_pair::<FMA>(&mut acc, row_at(yi - d), row_at(yi + d), wi);
        }
        add_scaled::<FMA>(&mut acc, row_at(yi), k[r]);
        emit(y, &acc);
    }
}

/// Blurs a premultiplied RGBA frame in place, all four channels (so transparency
/// blurs too, and no colour bleeds from transparent pixels).
pub fn blur_frame(frame: &mut crate::base::frame::Frame, sigma: f64) {
    if sigma.is_nan() || sigma <= 0.0 {
        return;
    }
    let (w, h) = (frame.width() as usize, frame.height() as usize);
    let kernel = Kernel::gaussian(sigma);
    let src = frame.data().to_vec();
    let dst = frame.data_mut();
    convolve(&src, w, h, 4, &kernel, Edge::Nearest, |y, row| {
        let out = &mut dst[y * w * 4..(y + 1) * w * 4];
        for (o, v) in out.chunks_exact_mut(4).zip(row.chunks_exact(4)) {
            let a = (v[3] + 0.5).clamp(0.0, 255.0) as u8;
            for c in 0..3 {
                o[c] = ((v[c] + 0.5).clamp(0.0, 255.0) as u8).min(a);
            }
            o[3] = a;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_matches_scipy() {
        let k = Kernel::gaussian(1.0);
        assert_eq!(k.radius, 4);
        // scipy.ndimage._filters._gaussian_kernel1d(1, 0, 4)
        let want = [
            0.00013383, 0.00443186, 0.05399112, 0.24197144, 0.39894347, 0.24197144, 0.05399112,
            0.00443186, 0.00013383,
        ];
        for (a, b) in k.weights.iter().zip(want) {
            assert!((*a as f64 - b).abs() < 1e-6, "{a} vs {b}");
        }
        assert_eq!(Kernel::gaussian(4.0).radius, 16);
        assert_eq!(Kernel::gaussian(0.1).radius, 0);
    }

    #[test]
    fn edges_repeat_or_mirror() {
        let idx = |e| (-3..8).map(|i| source_index(i, 3, e)).collect::<Vec<_>>();
        assert_eq!(idx(Edge::Nearest), [0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2]);
        // d c b a | a b c d | d c b a, repeating.
        assert_eq!(idx(Edge::Reflect), [2, 1, 0, 0, 1, 2, 2, 1, 0, 0, 1]);
    }

    #[test]
    fn ring_of_rows_matches_a_direct_convolution() {
        let (w, h) = (7, 40);
        let src: Vec<u8> = (0..w * h).map(|i| (i * 89 % 256) as u8).collect();
        let k = Kernel::gaussian(1.5);
        assert!(2 * k.radius + 1 < h);
        for edge in [Edge::Nearest, Edge::Reflect] {
            let r = k.radius as isize;
            let at = |x: isize, y: isize| {
                src[source_index(y, h, edge) * w + source_index(x, w, edge)] as f64
            };
            convolve(&src, w, h, 1, &k, edge, |y, row| {
                for (x, got) in row.iter().enumerate() {
                    let mut want = 0.0;
                    for dy in -r..=r {
                        for dx in -r..=r {
                            let wt = k.weights[(dy + r) as usize] as f64
                                * k.weights[(dx + r) as usize] as f64;
                            want += wt * at(x as isize + dx, y as isize + dy);
                        }
                    }
                    assert!((*got as f64 - want).abs() < 1e-3, "{edge:?} ({x}, {y})");
                }
            });
        }
    }

    #[test]
    fn fused_and_plain_paths_agree() {
        let src: Vec<u8> = (0..23 * 9 * 3).map(|i| (i * 37 % 251) as u8).collect();
        let k = Kernel::gaussian(2.3);
        let mut plain = Vec::new();
        convolve_with::<false>(&src, 23, 9, 3, &k, Edge::Nearest, |_, r| {
            plain.extend_from_slice(r)
        });
        let mut fused = Vec::new();
        convolve_with::<true>(&src, 23, 9, 3, &k, Edge::Nearest, |_, r| {
            fused.extend_from_slice(r)
        });
        assert_eq!(plain.len(), 23 * 9 * 3);
        assert!(plain.iter().zip(&fused).all(|(a, b)| (a - b).abs() < 1e-3));
    }

    #[test]
    fn flat_images_stay_flat_and_mass_is_kept() {
        let src = vec![77u8; 5 * 4 * 2];
        let k = Kernel::gaussian(3.0);
        convolve(&src, 5, 4, 2, &k, Edge::Reflect, |_, row| {
            assert!(row.iter().all(|v| (v - 77.0).abs() < 1e-3), "{row:?}");
        });
        // One bright pixel in the middle of a wide line spreads as the kernel.
        let mut src = vec![0u8; 41];
        src[20] = 200;
        let k = Kernel::gaussian(2.0);
        convolve(&src, 41, 1, 1, &k, Edge::Nearest, |_, row| {
            let total: f32 = row.iter().sum();
            assert!((total - 200.0).abs() < 1e-3);
            assert!((row[20] - 200.0 * k.weights[k.radius]).abs() < 1e-3);
            assert!((row[18] - row[22]).abs() < 1e-5);
        });
    }
}
