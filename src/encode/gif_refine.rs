//! Lloyd (k-means) passes over a palette in the remap's own working space. libimagequant
//! chooses the palette in its space; every frame is then remapped in ours
//! (`gif_remap`), so a few passes that move each entry to the mean of the sample's
//! colours nearest to it, measured as the remap measures, lower the very error the
//! remap leaves.

use super::gif_nearest::{Color, Nearest};
use super::gif_remap::Space;

/// The distinct colours of opaque pixels (alpha at least half) of `pictures` (straight
/// RGBA) with how many pixels have each, in an order that depends on the pictures alone.
pub fn histogram(pictures: &[&[u8]]) -> Vec<([u8; 3], u32)> {
    let pixels: usize = pictures.iter().map(|p| p.len() / 4).sum();
    // Open addressing, at most half full; key 0 is an empty slot (keys carry a high bit).
    let mut bits = (pixels.max(1) * 2)
        .next_power_of_two()
        .trailing_zeros()
        .clamp(4, 16);
    let mut mask = (1usize << bits) - 1;
    let mut keys = vec![0u32; 1 << bits];
    let mut counts = vec![0u32; 1 << bits];
    let mut distinct = 0;
    for p in pictures {
        let mut last = (0u32, usize::MAX);
        for px in p.chunks_exact(4) {
            if px[3] < 128 {
                continue;
            }
            let key = 1 << 24 | u32::from(px[0]) << 16 | u32::from(px[1]) << 8 | u32::from(px[2]);
            // Runs of one colour (backgrounds) skip the search.
            if key == last.0 {
                counts[last.1] += 1;
                continue;
            }
            let mut slot = home(key, bits);
            loop {
                if keys[slot] == key {
                    break;
                }
                if keys[slot] == 0 {
                    keys[slot] = key;
                    distinct += 1;
                    if distinct * 2 > keys.len() {
                        (keys, counts) = grown(&keys, &counts, bits + 1);
                        bits += 1;
                        mask = (1usize << bits) - 1;
                        slot = find(&keys, key, bits);
                    }
                    break;
                }
                slot = (slot + 1) & mask;
            }
            counts[slot] += 1;
            last = (key, slot);
        }
    }
    let mut out = Vec::with_capacity(distinct);
    for (&k, &n) in keys.iter().zip(&counts) {
        if k != 0 {
            out.push(([(k >> 16) as u8, (k >> 8) as u8, k as u8], n));
        }
    }
    out
}

/// Where `key` starts its search in a table of `2^bits` slots.
#[inline(always)]
fn home(key: u32, bits: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> (32 - bits)) as usize
}

/// The slot of `key` (present) in `keys`.
fn find(keys: &[u32], key: u32, bits: u32) -> usize {
    let mask = keys.len() - 1;
    let mut slot = home(key, bits);
    while keys[slot] != key {
        slot = (slot + 1) & mask;
    }
    slot
}

/// The table rehashed into `2^bits` slots.
fn grown(keys: &[u32], counts: &[u32], bits: u32) -> (Vec<u32>, Vec<u32>) {
    let mask = (1usize << bits) - 1;
    let mut k2 = vec![0u32; 1 << bits];
    let mut c2 = vec![0u32; 1 << bits];
    for (&k, &n) in keys.iter().zip(counts) {
        if k != 0 {
            let mut slot = home(k, bits);
            while k2[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            k2[slot] = k;
            c2[slot] = n;
        }
    }
    (k2, c2)
}

/// `palette` after at most `passes` Lloyd passes over `colors` (a histogram): each entry
/// moves to the mean, in `space`, of the colours nearest to it; an entry nearest to none
/// stays. Stops early when a pass moves nothing.
pub fn refine(
    palette: &[[u8; 3]],
    colors: &[([u8; 3], u32)],
    space: &Space,
    passes: usize,
) -> Vec<[u8; 3]> {
    let mut palette = palette.to_vec();
    let points: Vec<(Color, f64)> = colors
        .iter()
        .map(|(c, n)| {
            let p: f64 = std::env::var("ANIM_LPOW")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(1.0);
            (space.color(c), f64::from(*n).powf(p))
        })
        .collect();
    let adjust = std::env::var("ANIM_LADJ").is_ok();
    let scale: f64 = std::env::var("ANIM_LADJ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0);
    let mut adjusted = vec![0f64; points.len()];
    for _ in 0..passes {
        let working: Vec<Color> = palette.iter().map(|p| space.color(p)).collect();
        let nearest = Nearest::new(&working, space.lo, space.hi);
        let mut sums = vec![[0f64; 4]; palette.len()];
        for (k, (c, n)) in points.iter().enumerate() {
            let (i, _) = nearest.find(c);
            let n = if adjust {
                // As libimagequant's k-means does: a colour whose error, passed on,
                // lands far from the palette weighs more next time.
                let q = &working[i as usize];
                let beyond = [0, 1, 2].map(|j| (2.0 * c[j] - q[j]).clamp(space.lo[j], space.hi[j]));
                let (_, d) = nearest.find(&beyond);
                adjusted[k] = (2.0 * adjusted[k] + n) * (0.5 + f64::from(d) * scale);
                adjusted[k]
            } else {
                *n
            };
            let s = &mut sums[i as usize];
            s[0] += f64::from(c[0]) * n;
            s[1] += f64::from(c[1]) * n;
            s[2] += f64::from(c[2]) * n;
            s[3] += n;
        }
        let mut moved = false;
        for (p, s) in palette.iter_mut().zip(&sums) {
            if s[3] == 0.0 {
                continue;
            }
            let mean = [0, 1, 2].map(|k| (s[k] / s[3]) as f32);
            let q = space.rgb(&mean);
            moved |= q != *p;
            *p = q;
        }
        if !moved {
            break;
        }
    }
    palette
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_counts_each_opaque_colour() {
        let a = [1, 2, 3, 255, 1, 2, 3, 255, 9, 9, 9, 255, 5, 5, 5, 0];
        let b = [9, 9, 9, 255, 1, 2, 3, 200];
        let mut h = histogram(&[&a, &b]);
        h.sort();
        assert_eq!(h, [([1, 2, 3], 3), ([9, 9, 9], 2)]);
        assert!(histogram(&[]).is_empty());
    }
}
