//! Exact palettes for pictures of at most 255 colours — plots, text, flat graphics:
//! such a GIF frame needs no quantisation at all, so it is written losslessly (and much
//! faster than a quantised one).

/// The most colours a frame may have (one palette slot stays free for transparency).
pub const MAX_COLORS: usize = 255;

/// A frame as palette indices.
#[derive(Clone, PartialEq, Debug)]
pub struct Indexed {
    /// Straight RGBA; alpha is 0 or 255.
    pub palette: Vec<[u8; 4]>,
    pub pixels: Vec<u8>,
}

/// Colour → index for at most [`MAX_COLORS`] colours: open addressing in 512 slots (at
/// most half full), several times faster per pixel than a `HashMap`.
struct ColorTable {
    keys: [u32; 512],
    /// Index + 1; 0 is an empty slot.
    values: [u16; 512],
}

impl ColorTable {
    fn new() -> ColorTable {
        ColorTable {
            keys: [0; 512],
            values: [0; 512],
        }
    }

    /// The slot holding `key`, or the empty slot where it goes.
    fn slot(&self, key: u32) -> usize {
        let mut i = (key.wrapping_mul(0x9E37_79B1) >> 23) as usize;
        while self.values[i] != 0 && self.keys[i] != key {
            i = (i + 1) & 511;
        }
        i
    }
}

/// Straight RGBA pixels as indices, if there are at most [`MAX_COLORS`] colours and no
/// partly transparent pixel (GIF has none). Fully transparent pixels are one colour.
pub fn index(rgba: &[u8]) -> Option<Indexed> {
    let mut table = ColorTable::new();
    let mut palette: Vec<[u8; 4]> = Vec::new();
    let mut pixels = vec![0u8; rgba.len() / 4];
    // Neighbours are mostly equal: the last pixel as read and its index skip the table.
    let mut last: Option<(u32, u8)> = None;
    for (out, px) in pixels.iter_mut().zip(rgba.chunks_exact(4)) {
        let raw = u32::from_le_bytes([px[0], px[1], px[2], px[3]]);
        match last {
            Some((k, i)) if k == raw => {
                *out = i;
                continue;
            }
            _ => {}
        }
        let c = match px[3] {
            0 => [0, 0, 0, 0],
            255 => [px[0], px[1], px[2], 255],
            _ => return None,
        };
        let key = u32::from_le_bytes(c);
        let slot = table.slot(key);
        let i = match table.values[slot] {
            0 => {
                if palette.len() == MAX_COLORS {
                    return None;
                }
                palette.push(c);
                table.keys[slot] = key;
                table.values[slot] = palette.len() as u16;
                palette.len() as u8 - 1
            }
            v => v as u8 - 1,
        };
        last = Some((raw, i));
        *out = i;
    }
    Some(Indexed { palette, pixels })
}

/// The colours of the sampled exact frames, as the GIF's global colour table: an exact
/// frame whose colours are all in it needs no table of its own (768 bytes a frame).
pub struct Global {
    /// Sorted, so that the table depends on the set of colours only.
    colors: Vec<[u8; 4]>,
}

impl Global {
    /// The union of the frames' colours, if it fits in a table (256): a frame has at most
    /// 255 colours, so one index of the table is always free to be its transparent one.
    pub fn from_frames<'a>(frames: impl IntoIterator<Item = &'a Indexed>) -> Option<Global> {
        let mut colors: Vec<[u8; 4]> = Vec::new();
        for ix in frames {
            colors.extend_from_slice(&ix.palette);
            colors.sort_unstable();
            colors.dedup();
            if colors.len() > 256 {
                return None;
            }
        }
        (!colors.is_empty()).then_some(Global { colors })
    }

    /// The colour table, with a spare entry last when there is room.
    pub fn table(&self) -> Vec<u8> {
        let mut t: Vec<u8> = self
            .colors
            .iter()
            .flat_map(|c| [c[0], c[1], c[2]])
            .collect();
        if self.colors.len() < 256 {
            t.extend([0, 0, 0]);
        }
        t
    }

    /// The transparent index for a frame whose colours are at `lut`: the first entry of
    /// the table it does not use.
    pub fn clear(&self, lut: &[u8]) -> u8 {
        let mut used = [false; 256];
        for &i in lut {
            used[i as usize] = true;
        }
        used.iter().position(|u| !u).unwrap_or(255) as u8
    }

    /// Where each of a frame's colours is in the table, if all are.
    pub fn lookup(&self, ix: &Indexed) -> Option<Vec<u8>> {
        ix.palette
            .iter()
            .map(|c| self.colors.binary_search(c).ok().map(|i| i as u8))
            .collect()
    }
}

/// The smallest box (x0, y0, x1, y1) holding every pixel that differs between two
/// RGBA pictures of `w` × `h`.
pub fn changed_box(a: &[u8], b: &[u8], w: usize, h: usize) -> Option<(usize, usize, usize, usize)> {
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for y in 0..h {
        let row = y * w * 4..(y + 1) * w * 4;
        let (ra, rb) = (&a[row.clone()], &b[row]);
        if ra == rb {
            continue;
        }
        y0 = y0.min(y);
        y1 = y + 1;
        let differs = |x: &usize| ra[x * 4..x * 4 + 4] != rb[x * 4..x * 4 + 4];
        if let (Some(f), Some(l)) = ((0..w).find(differs), (0..w).rev().find(differs)) {
            x0 = x0.min(f);
            x1 = x1.max(l + 1);
        }
    }
    (y1 > y0).then_some((x0, y0, x1, y1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(w: usize, h: usize, f: impl Fn(usize, usize) -> [u8; 4]) -> Vec<u8> {
        (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .flat_map(|(x, y)| f(x, y))
            .collect()
    }

    #[test]
    fn indexes_few_colours_and_refuses_many() {
        let two = picture(8, 8, |x, _| {
            if x < 4 {
                [255, 0, 0, 255]
            } else {
                [0, 0, 255, 255]
            }
        });
        let ix = index(&two).unwrap();
        assert_eq!(ix.palette, [[255, 0, 0, 255], [0, 0, 255, 255]]);
        assert_eq!(ix.pixels[..5], [0, 0, 0, 0, 1]);
        let many = picture(32, 32, |x, y| [(x * 8) as u8, (y * 8) as u8, 0, 255]);
        assert!(index(&many).is_none());
        let half = picture(2, 2, |_, _| [10, 10, 10, 128]);
        assert!(index(&half).is_none(), "partial alpha has no GIF index");
        let clear = picture(2, 2, |x, _| [x as u8, 9, 9, 0]);
        assert_eq!(index(&clear).unwrap().palette, [[0, 0, 0, 0]]);
    }

    #[test]
    fn global_table_holds_the_union_of_few_colours() {
        let a = index(&picture(2, 1, |x, _| [x as u8 * 9, 0, 0, 255])).unwrap();
        let b = index(&picture(2, 1, |x, _| [0, x as u8 * 9, 0, 255])).unwrap();
        let g = Global::from_frames([&a, &b]).unwrap();
        assert_eq!(g.clear(&[0, 1]), 2, "black, red, green");
        assert_eq!(g.clear(&[2, 0]), 1);
        assert_eq!(g.table().len(), 4 * 3);
        assert_eq!(g.lookup(&b), Some(vec![0, 1]));
        let c = index(&picture(1, 1, |_, _| [1, 2, 3, 255])).unwrap();
        assert_eq!(g.lookup(&c), None);
        // 256 grey levels over two frames: a full table, each frame has a free index
        let dark = index(&picture(255, 1, |x, _| [x as u8, x as u8, x as u8, 255])).unwrap();
        let light = index(&picture(255, 1, |x, _| {
            [x as u8 + 1, x as u8 + 1, x as u8 + 1, 255]
        }))
        .unwrap();
        let full = Global::from_frames([&dark, &light]).unwrap();
        assert_eq!(full.table().len(), 256 * 3);
        assert_eq!(full.clear(&full.lookup(&light).unwrap()), 0);
        assert_eq!(full.clear(&full.lookup(&dark).unwrap()), 255);
        let more = index(&picture(200, 1, |x, _| [0, x as u8, 1, 255])).unwrap();
        assert!(Global::from_frames([&dark, &more]).is_none());
    }

    #[test]
    fn finds_the_box_of_changes() {
        let a = picture(6, 5, |_, _| [1, 2, 3, 255]);
        let mut b = a.clone();
        assert_eq!(changed_box(&a, &b, 6, 5), None);
        b[(6 + 4) * 4] = 9; // (4, 1)
        b[(3 * 6 + 2) * 4 + 3] = 0;
        assert_eq!(changed_box(&a, &b, 6, 5), Some((2, 1, 5, 4)));
    }
}
