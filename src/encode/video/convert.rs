//! RGBA to 8-bit 4:2:0 YUV (BT.709, limited range), the conversion every H.264 and
//! opaque VP9 frame goes through. libswscale's generic path for this costs about as
//! much as a tenth of x264's work at `medium`; this one is written so the compiler
//! vectorises it, and it is what keeps video output close to the `ffmpeg` CLI's speed.

/// BT.709 limited-range coefficients in 16.16 fixed point (rows sum to 0 for
/// chroma, so greys map to exactly 128).
const Y: [i32; 3] = [11966, 40254, 4064];
const CB: [i32; 3] = [-6596, -22188, 28784];
const CR: [i32; 3] = [28784, -26145, -2639];

/// One plane to write: its bytes and the distance between rows.
pub struct Plane<'a> {
    pub data: &'a mut [u8],
    pub stride: usize,
}

/// Converts `w`×`h` RGBA pixels (rows of `w * 4` bytes, alpha ignored) into the
/// Y, Cb and Cr planes. `w` and `h` must be even. Chroma is the average of each
/// 2×2 block.
pub fn rgba_to_yuv420(src: &[u8], w: usize, h: usize, y: Plane, cb: Plane, cr: Plane) {
    assert!(w.is_multiple_of(2) && h.is_multiple_of(2) && src.len() >= w * h * 4);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { rows_avx2(src, w, h, y, cb, cr) };
    }
    rows(src, w, h, y, cb, cr)
}

/// [`rows`] compiled for AVX2 (eight 32-bit lanes, multiplies included).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn rows_avx2(src: &[u8], w: usize, h: usize, y: Plane, cb: Plane, cr: Plane) {
    rows(src, w, h, y, cb, cr)
}

/// Two rows at a time, luma then chroma, so that the source is read from memory once
/// (a 720p frame does not stay in a core's cache between two passes over it).
#[inline(always)]
fn rows(src: &[u8], w: usize, h: usize, y: Plane, cb: Plane, cr: Plane) {
    let row = w * 4;
    for pair in 0..h / 2 {
        let top = &src[2 * pair * row..][..row];
        let bottom = &src[(2 * pair + 1) * row..][..row];
        for (line, px) in [(2 * pair, top), (2 * pair + 1, bottom)] {
            let out = &mut y.data[line * y.stride..][..w];
            for (p, o) in px.chunks_exact(4).zip(out.iter_mut()) {
                *o = luma(p[0] as i32, p[1] as i32, p[2] as i32);
            }
        }
        let u = &mut cb.data[pair * cb.stride..][..w / 2];
        let v = &mut cr.data[pair * cr.stride..][..w / 2];
        let blocks = top.chunks_exact(8).zip(bottom.chunks_exact(8));
        for ((t, b), (u, v)) in blocks.zip(u.iter_mut().zip(v.iter_mut())) {
            let (r4, g4, b4) = block_sums(t, b);
            *u = chroma(&CB, r4, g4, b4);
            *v = chroma(&CR, r4, g4, b4);
        }
    }
}

/// The sums of R, G and B over a 2×2 block (two pixels of each row). Each pair of
/// pixels is read as one 64-bit word and its channels added in 16-bit lanes, which the
/// compiler vectorises; picking single bytes out of the rows did not.
#[inline(always)]
fn block_sums(top: &[u8], bottom: &[u8]) -> (i32, i32, i32) {
    const LANES: u64 = 0x00ff_00ff_00ff_00ff;
    let word = |p: &[u8]| u64::from_le_bytes(p[..8].try_into().expect("8 bytes"));
    let (t, b) = (word(top), word(bottom));
    // lanes: r0 b0 r1 b1, and g0 a0 g1 a1, each the sum of the two rows
    let rb = (t & LANES) + (b & LANES);
    let ga = ((t >> 8) & LANES) + ((b >> 8) & LANES);
    let lane = |w: u64, i: u32| ((w >> (16 * i)) & 0xffff) as i32;
    (
        lane(rb, 0) + lane(rb, 2),
        lane(ga, 0) + lane(ga, 2),
        lane(rb, 1) + lane(rb, 3),
    )
}

#[inline(always)]
fn luma(r: i32, g: i32, b: i32) -> u8 {
    ((Y[0] * r + Y[1] * g + Y[2] * b + (16 << 16) + (1 << 15)) >> 16).clamp(0, 255) as u8
}

/// Chroma from the sums of four pixels' components.
#[inline(always)]
fn chroma(k: &[i32; 3], r4: i32, g4: i32, b4: i32) -> u8 {
    ((k[0] * r4 + k[1] * g4 + k[2] * b4 + (128 << 18) + (1 << 17)) >> 18).clamp(0, 255) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The BT.709 limited-range formulas in floating point.
    fn reference(r: f64, g: f64, b: f64) -> (f64, f64, f64) {
        let (kr, kb) = (0.2126, 0.0722);
        let luma = kr * r + (1.0 - kr - kb) * g + kb * b;
        let y = 16.0 + 219.0 / 255.0 * luma;
        let cb = 128.0 + 224.0 / 255.0 * (b - luma) / (2.0 * (1.0 - kb));
        let cr = 128.0 + 224.0 / 255.0 * (r - luma) / (2.0 * (1.0 - kr));
        (y, cb, cr)
    }

    fn convert(src: &[u8], w: usize, h: usize) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let (mut y, mut u, mut v) = (vec![0; w * h], vec![0; w * h / 4], vec![0; w * h / 4]);
        rgba_to_yuv420(
            src,
            w,
            h,
            Plane {
                data: &mut y,
                stride: w,
            },
            Plane {
                data: &mut u,
                stride: w / 2,
            },
            Plane {
                data: &mut v,
                stride: w / 2,
            },
        );
        (y, u, v)
    }

    #[test]
    fn matches_the_formulas_within_rounding() {
        // 34 x 2: two full blocks of 16 and a tail of 2; 2x2 blocks of one colour.
        let (w, h) = (34, 2);
        let colour = |x: usize| -> [u8; 3] {
            let k = (x / 2) as u32;
            [
                (k * 37 % 256) as u8,
                (k * 91 % 256) as u8,
                (k * 13 % 256) as u8,
            ]
        };
        let mut src = vec![0u8; w * h * 4];
        for yy in 0..h {
            for x in 0..w {
                let [r, g, b] = colour(x);
                src[(yy * w + x) * 4..][..4].copy_from_slice(&[r, g, b, 255]);
            }
        }
        let (y, u, v) = convert(&src, w, h);
        for x in 0..w {
            let [r, g, b] = colour(x);
            let (ry, rcb, rcr) = reference(r as f64, g as f64, b as f64);
            assert!(
                (y[x] as f64 - ry).abs() <= 0.51,
                "Y at {x}: {} vs {ry}",
                y[x]
            );
            assert_eq!(y[x], y[w + x]);
            assert!(
                (u[x / 2] as f64 - rcb).abs() <= 0.51,
                "Cb at {x}: {} vs {rcb}",
                u[x / 2]
            );
            assert!(
                (v[x / 2] as f64 - rcr).abs() <= 0.51,
                "Cr at {x}: {} vs {rcr}",
                v[x / 2]
            );
        }
    }

    #[test]
    fn extremes_and_greys() {
        let px = |c: [u8; 3]| -> (u8, u8, u8) {
            let src: Vec<u8> = (0..4).flat_map(|_| [c[0], c[1], c[2], 255]).collect();
            let (y, u, v) = convert(&src, 2, 2);
            (y[0], u[0], v[0])
        };
        assert_eq!(px([0, 0, 0]), (16, 128, 128));
        assert_eq!(px([255, 255, 255]), (235, 128, 128));
        assert_eq!(px([128, 128, 128]).1, 128);
        assert_eq!(px([0, 0, 255]).1, 240);
        assert_eq!(px([255, 0, 0]).2, 240);
    }

    #[test]
    fn chroma_averages_each_block() {
        // Left block: black and white columns (average grey); right block: red.
        let mut src = Vec::new();
        for _ in 0..2 {
            src.extend_from_slice(&[
                0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 255, 255, 0, 0, 255,
            ]);
        }
        let (y, u, v) = convert(&src, 4, 2);
        assert_eq!(&y[..2], &[16, 235]);
        assert_eq!((u[0], v[0]), (128, 128));
        assert_eq!(v[1], 240);
    }
}
