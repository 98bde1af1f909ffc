//! The nearest palette colour of a point, found in a grid built once per palette. A GIF
//! is remapped to one fixed palette, frame after frame, so whatever speeds up the search
//! can be paid for once: the working space is cut into cubes, and each cube keeps the
//! few palette entries that can be nearest to some point inside it. A search then
//! compares a point with that short list only, and gives exactly what comparing it with
//! every entry would (the same entry, ties going to the lowest index).

/// A point of the working colour space (see `gif_remap`): three weighted channels.
pub type Color = [f32; 3];

/// Squared distance, the measure every search minimises.
#[inline(always)]
pub fn dist(a: &Color, b: &Color) -> f32 {
    let (d0, d1, d2) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    d0 * d0 + d1 * d1 + d2 * d2
}

/// The cubes' edge in working-space units. Smaller cubes have shorter lists (palettes
/// of shaded pictures are dense in places) but are more to build: 1/48 makes about
/// 44 000 cubes over the working space. They are built from the lists of cubes four
/// times their edge, so that each compares itself with a few dozen entries, not all.
const CELL: f32 = 1.0 / 48.0;
const COARSE: usize = 4;

/// A palette entry as a cube of the coarse grid lists it: its colour beside its index.
#[derive(Clone, Copy)]
struct Candidate {
    color: Color,
    index: u8,
}

/// The palette's entries by cube, for points inside `lo..hi` (points are clamped to it
/// before they are looked up). A fine cube's list is made the first time a point falls
/// in it, from its coarse cube's list: a clip's colours visit a small part of the
/// space (a grey picture, a thin line of it), so most cubes are never made. Whichever
/// thread makes a list, it is the same list, so the output does not depend on threads.
pub struct Nearest {
    lo: Color,
    /// Fine cubes along each channel.
    n: [usize; 3],
    /// Coarse cubes along each channel, their ranges in `coarse_lists`, and the lists.
    nc: [usize; 3],
    coarse: Vec<(u32, u32)>,
    coarse_lists: Vec<Candidate>,
    /// Each fine cube's list of palette indices, once made. A search waits on this
    /// load, so it is small: indices only, the colours are in `palette`.
    fine: Vec<std::sync::OnceLock<Box<[u8]>>>,
    palette: Vec<Color>,
}

/// The entries among `from` that can be nearest to some point of the cube of edge `edge`
/// centred at `centre`, in the same order (`d2`: a buffer).
fn near_cube<'a>(
    centre: Color,
    edge: f32,
    from: &'a [Candidate],
    d2: &'a mut Vec<f32>,
) -> impl Iterator<Item = &'a Candidate> {
    // Half the diagonal of a cube: no point of it is farther from its centre.
    let half_diagonal = edge * 3f32.sqrt() / 2.0;
    d2.clear();
    d2.extend(from.iter().map(|p| dist(&centre, &p.color)));
    let nearest = d2.iter().copied().fold(f32::INFINITY, f32::min).sqrt();
    // A point of the cube is at most `nearest + half_diagonal` from its nearest entry,
    // so that entry is at most `nearest + 2 half_diagonal` from the centre. The margin
    // covers rounding in `dist`.
    let reach = (nearest + 2.0 * half_diagonal) * 1.0001 + 1e-6;
    let reach2 = reach * reach;
    from.iter()
        .zip(d2.iter())
        .filter(move |(_, &d)| d <= reach2)
        .map(|(p, _)| p)
}

/// The centre of cube `i` of edge `edge` from `lo`.
fn centre(lo: Color, i: [usize; 3], edge: f32) -> Color {
    [0, 1, 2].map(|k| lo[k] + (i[k] as f32 + 0.5) * edge)
}

impl Nearest {
    /// The grid for `palette` (at least one colour, at most 256) over the box `lo..hi`.
    pub fn new(palette: &[Color], lo: Color, hi: Color) -> Nearest {
        assert!(!palette.is_empty() && palette.len() <= 256);
        let all: Vec<Candidate> = palette
            .iter()
            .enumerate()
            .map(|(i, &color)| Candidate {
                color,
                index: i as u8,
            })
            .collect();
        let n = [0, 1, 2].map(|c| (((hi[c] - lo[c]) / CELL).ceil() as usize).max(1));
        let nc = n.map(|k| k.div_ceil(COARSE));
        let edge = CELL * COARSE as f32;
        let mut coarse = Vec::with_capacity(nc[0] * nc[1] * nc[2]);
        let mut coarse_lists = Vec::new();
        let mut d2 = Vec::new();
        for i0 in 0..nc[0] {
            for i1 in 0..nc[1] {
                for i2 in 0..nc[2] {
                    let start = coarse_lists.len() as u32;
                    let c = centre(lo, [i0, i1, i2], edge);
                    coarse_lists.extend(near_cube(c, edge, &all, &mut d2).copied());
                    coarse.push((start, coarse_lists.len() as u32));
                }
            }
        }
        Nearest {
            lo,
            n,
            nc,
            coarse,
            coarse_lists,
            fine: (0..n[0] * n[1] * n[2])
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            palette: palette.to_vec(),
        }
    }

    /// The list of fine cube `i`, chosen among its coarse cube's.
    fn make(&self, [i0, i1, i2]: [usize; 3]) -> Box<[u8]> {
        let nc = self.nc;
        let (a, b) = self.coarse[((i0 / COARSE) * nc[1] + i1 / COARSE) * nc[2] + i2 / COARSE];
        let from = &self.coarse_lists[a as usize..b as usize];
        let c = centre(self.lo, [i0, i1, i2], CELL);
        near_cube(c, CELL, from, &mut Vec::with_capacity(from.len()))
            .map(|p| p.index)
            .collect()
    }

    /// The index of the entry nearest to `c` (which must lie in the grid's box) and its
    /// squared distance.
    #[inline]
    pub fn find(&self, c: &Color) -> (u8, f32) {
        // Truncation is the floor here (the offsets are not negative) and, unlike
        // `floor`, no library call on baseline x86-64.
        let at =
            |k: usize| (((c[k] - self.lo[k]) * (1.0 / CELL)).max(0.0) as usize).min(self.n[k] - 1);
        let i = [at(0), at(1), at(2)];
        let cell = (i[0] * self.n[1] + i[1]) * self.n[2] + i[2];
        let list = self.fine[cell].get_or_init(|| self.make(i));
        let mut best = (list[0], dist(c, &self.palette[list[0] as usize]));
        for &i in &list[1..] {
            let d = dist(c, &self.palette[i as usize]);
            if d < best.1 {
                best = (i, d);
            }
        }
        best
    }

    /// Entries listed per cube on average (how much a search compares), every cube made.
    #[cfg(test)]
    fn mean_list(&self) -> f64 {
        let n = self.n;
        let mut total = 0;
        for i0 in 0..n[0] {
            for i1 in 0..n[1] {
                for i2 in 0..n[2] {
                    total += self.make([i0, i1, i2]).len();
                }
            }
        }
        total as f64 / self.fine.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so that failures repeat.
    struct Rng(u64);

    impl Rng {
        fn unit(&mut self) -> f32 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 40) as f32 / (1u64 << 24) as f32
        }
    }

    fn brute(palette: &[Color], c: &Color) -> (u8, f32) {
        let mut best = (0, dist(c, &palette[0]));
        for (i, p) in palette.iter().enumerate().skip(1) {
            let d = dist(c, p);
            if d < best.1 {
                best = (i as u8, d);
            }
        }
        best
    }

    const LO: Color = [-0.05, -0.1, -0.045];
    const HI: Color = [0.55, 1.1, 0.495];

    fn random_in(rng: &mut Rng, lo: Color, hi: Color) -> Color {
        [0, 1, 2].map(|k| lo[k] + rng.unit() * (hi[k] - lo[k]))
    }

    #[test]
    fn finds_exactly_the_nearest_that_every_entry_would() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for size in [1, 2, 3, 16, 100, 255, 256] {
            // Entries inside the colour range, points anywhere in the box (dithered
            // colours overshoot the range).
            let inner = ([0.0; 3], [0.5, 1.0, 0.45]);
            let palette: Vec<Color> = (0..size)
                .map(|_| random_in(&mut rng, inner.0, inner.1))
                .collect();
            let grid = Nearest::new(&palette, LO, HI);
            for _ in 0..20_000 {
                let c = random_in(&mut rng, LO, HI);
                assert_eq!(
                    grid.find(&c),
                    brute(&palette, &c),
                    "{size} colours, point {c:?}"
                );
            }
            // Points on cube boundaries and at the palette's own colours.
            for p in &palette {
                assert_eq!(grid.find(p), brute(&palette, p));
            }
            for k in 0..200 {
                let c = [0, 1, 2].map(|ch| {
                    LO[ch] + (k % 13) as f32 * CELL + (k % 3) as f32 * CELL * (ch as f32)
                });
                let c = [0, 1, 2].map(|ch| c[ch].min(HI[ch]));
                assert_eq!(
                    grid.find(&c),
                    brute(&palette, &c),
                    "{size} colours, boundary point {c:?}"
                );
            }
        }
    }

    #[test]
    fn clustered_and_repeated_entries_give_the_lowest_index() {
        // Palettes of real pictures are dense in places; equal entries tie.
        let mut rng = Rng(42);
        let mut palette: Vec<Color> = (0..200)
            .map(|_| random_in(&mut rng, [0.2, 0.4, 0.2], [0.25, 0.45, 0.22]))
            .collect();
        let repeated: Vec<Color> = (0..55).map(|i| palette[i * 3]).collect();
        palette.extend(repeated);
        let grid = Nearest::new(&palette, LO, HI);
        for _ in 0..20_000 {
            let c = random_in(&mut rng, LO, HI);
            assert_eq!(grid.find(&c), brute(&palette, &c));
        }
    }

    #[test]
    fn lists_are_short_for_a_spread_palette() {
        let mut rng = Rng(7);
        let palette: Vec<Color> = (0..255)
            .map(|_| random_in(&mut rng, [0.0; 3], [0.5, 1.0, 0.45]))
            .collect();
        let grid = Nearest::new(&palette, LO, HI);
        assert!(
            grid.mean_list() < 12.0,
            "{} entries a cube",
            grid.mean_list()
        );
    }
}
