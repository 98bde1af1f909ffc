//! LZW compression of one GIF frame's palette indices, written for GIF alone (codes of
//! at most 12 bits, bytes as the alphabet): the general-purpose encoder under the `gif`
//! crate (`weezl`) was the largest single cost of a GIF of exact frames (16 % of
//! `scenes/effects_grid.toml`). Measured against it in `benches/gif_lzw.rs`; the
//! figure is in docs/architecture.md.
//!
//! The stream is the standard one every GIF decoder reads: a clear code first, the
//! code width growing by one bit as soon as the newest table entry needs it, a clear
//! code (and an empty table) when the table's 4096 codes are used up, an end code last.

/// The most codes a GIF stream may have (12 bits).
const MAX_CODES: u32 = 4096;

/// Slots of the (prefix code, byte) → code table: at most 4096 entries in 16384 slots,
/// so a lookup rarely probes more than once or twice.
const SLOTS: usize = 1 << 14;

/// The frame's LZW data as `gif::Frame::buffer` holds it for
/// `gif::Encoder::write_lzw_pre_encoded_frame`: the minimum code size, then the
/// stream (the writer splits it into sub-blocks).
pub fn compress(indices: &[u8]) -> Vec<u8> {
    let min = min_code_size(indices);
    let mut bits = Bits::new(indices.len() / 2 + 16);
    bits.out.push(min);
    let mut table = Table::new();
    let clear = 1u32 << min;
    let end = clear + 1;
    let mut next = end + 1;
    let mut width = u32::from(min) + 1;
    bits.put(clear, width);
    let Some((&first, rest)) = indices.split_first() else {
        bits.put(end, width);
        return bits.finish();
    };
    let mut prefix = u32::from(first);
    let mut ladders = Ladders::new();
    // The prefix is `run_byte` repeated `run_len` times (0: it is not a run).
    let (mut run_byte, mut run_len) = (first, 1);
    for &byte in rest {
        // Where a new string's code goes: a table slot, or none for a ladder's next rung.
        let slot = if run_len > 0 && byte == run_byte {
            if let Some(code) = ladders.rung(byte, run_len) {
                prefix = code;
                run_len += 1;
                continue;
            }
            None
        } else {
            match table.find((prefix << 8) | u32::from(byte)) {
                Ok(code) => {
                    prefix = code;
                    run_len = 0;
                    continue;
                }
                Err(slot) => Some(slot),
            }
        };
        bits.put(prefix, width);
        if next == MAX_CODES {
            bits.put(clear, width);
            table.clear();
            ladders.clear();
            next = end + 1;
            width = u32::from(min) + 1;
        } else {
            match slot {
                Some(slot) => table.insert(slot, (prefix << 8) | u32::from(byte), next),
                None => ladders.climb(byte, next),
            }
            // The decoder adds this entry one code later, and widens then as well.
            if next == 1 << width {
                width += 1;
            }
            next += 1;
        }
        prefix = u32::from(byte);
        (run_byte, run_len) = (byte, 1);
    }
    bits.put(prefix, width);
    // The decoder adds an entry for the last code too, and may widen for it.
    if next == 1 << width && width < 12 {
        width += 1;
    }
    bits.put(end, width);
    bits.finish()
}

/// The smallest code size that holds every index (GIF allows 2..=8).
fn min_code_size(indices: &[u8]) -> u8 {
    let max = indices.iter().copied().max().unwrap_or(0);
    (8 - max.leading_zeros() as u8).max(2)
}

/// Open addressing: a slot holds `key << 12 | code`, 0 when empty (no code is 0:
/// codes given to strings start after the end code).
struct Table {
    slots: Box<[u32; SLOTS]>,
}

impl Table {
    fn new() -> Table {
        Table {
            slots: Box::new([0; SLOTS]),
        }
    }

    /// The code of `key`, or the empty slot where it goes. The slot is the prefix code
    /// xor the byte shifted past most of it: one cycle on the path from one pixel's
    /// lookup to the next (a multiplicative hash measured 15 % slower).
    #[inline(always)]
    fn find(&self, key: u32) -> Result<u32, usize> {
        let mut slot = ((key >> 8) ^ ((key & 0xFF) << 6)) as usize & (SLOTS - 1);
        loop {
            let e = self.slots[slot];
            if e == 0 {
                return Err(slot);
            }
            if e >> 12 == key {
                return Ok(e & 0xFFF);
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }

    #[inline(always)]
    fn insert(&mut self, slot: usize, key: u32, code: u32) {
        self.slots[slot] = (key << 12) | code;
    }

    fn clear(&mut self) {
        self.slots.fill(0);
    }
}

/// The codes of the strings b, bb, bbb, … for each byte b. A run of one index (a flat
/// area, unchanged pixels' transparent index) follows its ladder: the next rung's place
/// is known before the current one is read, where a table lookup waits for the previous
/// lookup's code (on the frames of finished GIFs, docs/gif-measurements.md: `sinc_composite`'s
/// 1.7× faster, `effects_grid`'s 1.5×, `sinc_surface`'s 10 % slower). These strings
/// are kept here only, never in the table.
struct Ladders {
    rungs: Vec<Vec<u16>>,
}

impl Ladders {
    fn new() -> Ladders {
        Ladders {
            rungs: (0..=255u16).map(|b| vec![b]).collect(),
        }
    }

    /// The code of `byte` repeated `len + 1` times, if it has one.
    #[inline(always)]
    fn rung(&self, byte: u8, len: usize) -> Option<u32> {
        self.rungs[byte as usize].get(len).map(|&c| u32::from(c))
    }

    /// `code` is the string one longer than the ladder's top.
    fn climb(&mut self, byte: u8, code: u32) {
        self.rungs[byte as usize].push(code as u16);
    }

    fn clear(&mut self) {
        for r in &mut self.rungs {
            r.truncate(1);
        }
    }
}

/// Codes packed least significant bit first, as GIF stores them.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn new(capacity: usize) -> Bits {
        Bits {
            out: Vec::with_capacity(capacity),
            acc: 0,
            n: 0,
        }
    }

    #[inline(always)]
    fn put(&mut self, code: u32, width: u32) {
        self.acc |= u64::from(code) << self.n;
        self.n += width;
        if self.n >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.n -= 32;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        let bytes = self.n.div_ceil(8) as usize;
        self.out.extend_from_slice(&self.acc.to_le_bytes()[..bytes]);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weezl::{decode::Decoder, BitOrder};

    /// Deterministic pseudo-random bytes below `below` (xorshift).
    fn noise(len: usize, below: u32, seed: u64) -> Vec<u8> {
        let mut s = seed | 1;
        (0..len)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                ((s >> 32) as u32 % below) as u8
            })
            .collect()
    }

    /// Decodes with weezl's GIF decoder and checks the indices come back exactly.
    #[track_caller]
    fn round_trip(indices: &[u8]) -> Vec<u8> {
        let data = compress(indices);
        let min = data[0];
        assert_eq!(min, min_code_size(indices));
        let back = Decoder::new(BitOrder::Lsb, min)
            .decode(&data[1..])
            .expect("weezl decodes the stream");
        assert!(back == indices, "{} indices changed", indices.len());
        data
    }

    /// weezl's own encoding, as the `gif` crate does it.
    fn weezl(indices: &[u8]) -> Vec<u8> {
        let mut f = gif::Frame {
            buffer: std::borrow::Cow::Borrowed(indices),
            ..gif::Frame::default()
        };
        f.make_lzw_pre_encoded();
        f.buffer.into_owned()
    }

    #[test]
    fn random_indices_round_trip_at_every_code_size() {
        for min in 2..=8u32 {
            let below = 1 << min;
            // the highest index sets the code size
            let mut data = noise(20_000, below, min.into());
            data[7] = (below - 1) as u8;
            let ours = round_trip(&data);
            assert_eq!(ours[0] as u32, min);
            let theirs = weezl(&data);
            assert_eq!(theirs[0], ours[0]);
            // the same algorithm: no more bytes than weezl's (beyond a few bits)
            assert!(
                ours.len() <= theirs.len() + 4,
                "code size {min}: {} bytes against weezl's {}",
                ours.len(),
                theirs.len()
            );
        }
    }

    #[test]
    fn runs_equal_bytes_single_pixel_and_empty() {
        round_trip(&[]);
        round_trip(&[0]);
        round_trip(&[200]);
        round_trip(&[3; 100_000]);
        let runs: Vec<u8> = (0..200_000u32).map(|i| ((i / 37) % 5) as u8).collect();
        round_trip(&runs);
        let mut stripes = vec![0u8; 65_536];
        for (i, b) in stripes.iter_mut().enumerate() {
            *b = if i % 256 < 128 { 1 } else { 254 };
        }
        round_trip(&stripes);
        assert!(
            compress(&[1; 100_000]).len() < 1000,
            "a flat frame is small"
        );
    }

    #[test]
    fn table_fills_many_times() {
        // random 8-bit indices fill 4096 codes within about 4000 pixels
        let data = noise(300_000, 256, 99);
        let ours = round_trip(&data);
        let theirs = weezl(&data);
        assert!(
            ours.len() <= theirs.len() + 4,
            "{} bytes, weezl {}",
            ours.len(),
            theirs.len()
        );
        // the table fills exactly at each width change for every length near it
        for len in 3800..3900 {
            round_trip(&data[..len]);
        }
        for len in [4093, 4094, 4095, 4096, 4097, 4098, 8190, 8191, 8192, 8193] {
            round_trip(&data[..len]);
            round_trip(&noise(len * 2, 4, len as u64));
        }
    }

    #[test]
    fn runs_of_every_length_through_many_clears() {
        // runs of 1..=255 of a few indices, mixed with noise: ladders and the table
        // both fill and are cleared many times
        let lens = noise(4000, 255, 3);
        let vals = noise(4000, 6, 4);
        let mut data = Vec::new();
        for (k, (&l, &v)) in lens.iter().zip(&vals).enumerate() {
            data.extend(std::iter::repeat_n(v, l as usize + 1));
            if k % 3 == 0 {
                data.extend(noise(50, 8, k as u64));
            }
        }
        let ours = round_trip(&data);
        let theirs = weezl(&data);
        assert!(
            ours.len() <= theirs.len() + 4,
            "{} against {}",
            ours.len(),
            theirs.len()
        );
    }

    #[test]
    fn the_largest_frame_round_trips() {
        // 4096 × 4096 (MAX_GIF_PIXELS) of smooth-ish indices with dithering noise
        let n = 4096 * 4096;
        let mut data = noise(n, 4, 5);
        for (i, b) in data.iter_mut().enumerate() {
            *b = b.wrapping_add(((i % 4096) / 17) as u8);
        }
        round_trip(&data);
    }

    #[test]
    fn the_gif_crate_reads_a_whole_gif_of_it() {
        let (w, h) = (67u16, 41u16);
        let indices = noise(w as usize * h as usize, 200, 7);
        let palette: Vec<u8> = (0..256 * 3).map(|i| (i % 251) as u8).collect();
        let mut gif = Vec::new();
        {
            let mut enc = gif::Encoder::new(&mut gif, w, h, &palette).unwrap();
            let frame = gif::Frame {
                width: w,
                height: h,
                buffer: std::borrow::Cow::Owned(compress(&indices)),
                ..gif::Frame::default()
            };
            enc.write_lzw_pre_encoded_frame(&frame).unwrap();
        }
        let mut opts = gif::DecodeOptions::new();
        opts.set_color_output(gif::ColorOutput::Indexed);
        let mut dec = opts.read_info(gif.as_slice()).unwrap();
        let frame = dec.read_next_frame().unwrap().expect("one frame");
        assert!(frame.buffer.as_ref() == indices.as_slice());
    }
}
