//! Frames from a NumPy `.npy` file, read one frame at a time.
//!
//! Only the header is read when the file is opened; each frame is read from its offset
//! when it is asked for, so a file of any length costs one frame of memory. The file is
//! not kept open between reads: each frame opens it again (a few microseconds beside
//! reading the frame), so that a scene of a thousand arrays does not hold a thousand
//! descriptors through the render and run into the process's limit (`ulimit -n`). Accepted
//! arrays (C order): `T×H×W` (or `H×W`, one frame) of any of NumPy's numeric dtypes or
//! `bool` (what `np.save` writes for a simulation's grid without an `astype`), or
//! pictures `T×H×W×3` (RGB) or `T×H×W×4` (RGBA) as matplotlib's `imshow` takes them:
//! floats from 0 to 1, integers from 0 to 255.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::base::limits::MAX_SIDE;

/// The longest header read, in bytes (NumPy writes a few hundred).
const MAX_HEADER: usize = 1 << 20;

/// The largest frame read at once, in bytes.
const MAX_FRAME_BYTES: usize = 256 << 20;

/// What the file holds, as this reader describes it to users.
pub const EXPECTED: &str = "a C-order array of shape T×H×W (or H×W) of numbers (a float, \
                            int, uint or bool dtype), or T×H×W×3 (RGB) or T×H×W×4 (RGBA) \
                            pictures";

/// The element type: NumPy's numeric dtypes and `bool`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    Bool,
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F16,
    F32,
    F64,
}

impl Dtype {
    fn size(self) -> usize {
        match self {
            Dtype::Bool | Dtype::I8 | Dtype::U8 => 1,
            Dtype::I16 | Dtype::U16 | Dtype::F16 => 2,
            Dtype::I32 | Dtype::U32 | Dtype::F32 => 4,
            Dtype::I64 | Dtype::U64 | Dtype::F64 => 8,
        }
    }

    /// The dtype of a `descr` such as `<f4`, `>i2` or `|b1`, and whether its bytes
    /// are big-endian. `None` for anything else (complex, strings, dates, objects).
    fn of_descr(descr: &str) -> Option<(Dtype, bool)> {
        let b = descr.as_bytes();
        let (order, code) = match b.first()? {
            o @ (b'<' | b'>' | b'|' | b'=') => (*o, &descr[1..]),
            _ => (b'=', descr),
        };
        let dtype = match code {
            "b1" | "?" => Dtype::Bool,
            "i1" => Dtype::I8,
            "u1" => Dtype::U8,
            "i2" => Dtype::I16,
            "u2" => Dtype::U16,
            "i4" => Dtype::I32,
            "u4" => Dtype::U32,
            "i8" => Dtype::I64,
            "u8" => Dtype::U64,
            "f2" => Dtype::F16,
            "f4" => Dtype::F32,
            "f8" => Dtype::F64,
            _ => return None,
        };
        let big = match order {
            b'>' => true,
            b'=' => cfg!(target_endian = "big"),
            _ => false,
        };
        Some((dtype, big && dtype.size() > 1))
    }

    /// Appends the values of `raw`'s elements to `out`. One loop per dtype, so
    /// that converting a large frame does not decide the dtype per element.
    fn extend(self, raw: &[u8], big_endian: bool, out: &mut Vec<f64>) {
        fn each<const N: usize>(raw: &[u8], be: bool, out: &mut Vec<f64>, f: fn([u8; N]) -> f64) {
            out.extend(raw.chunks_exact(N).map(|c| {
                let mut b = [0u8; N];
                b.copy_from_slice(c);
                if be {
                    b.reverse();
                }
                f(b)
            }));
        }
        let be = big_endian;
        match self {
            Dtype::Bool => each(raw, be, out, |[b]| f64::from(u8::from(b != 0))),
            Dtype::I8 => each(raw, be, out, |[b]| f64::from(b as i8)),
            Dtype::U8 => each(raw, be, out, |[b]| f64::from(b)),
            Dtype::I16 => each(raw, be, out, |b| f64::from(i16::from_le_bytes(b))),
            Dtype::U16 => each(raw, be, out, |b| f64::from(u16::from_le_bytes(b))),
            Dtype::F16 => each(raw, be, out, |b| half_to_f64(u16::from_le_bytes(b))),
            Dtype::I32 => each(raw, be, out, |b| f64::from(i32::from_le_bytes(b))),
            Dtype::U32 => each(raw, be, out, |b| f64::from(u32::from_le_bytes(b))),
            Dtype::F32 => each(raw, be, out, |b| f64::from(f32::from_le_bytes(b))),
            Dtype::I64 => each(raw, be, out, |b| i64::from_le_bytes(b) as f64),
            Dtype::U64 => each(raw, be, out, |b| u64::from_le_bytes(b) as f64),
            Dtype::F64 => each(raw, be, out, f64::from_le_bytes),
        }
    }
}

/// An IEEE 754 half-precision number's value (NumPy's `float16`).
fn half_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((h >> 10) & 0x1f);
    let frac = f64::from(h & 0x3ff);
    sign * match exp {
        0 => frac * (-24f64).exp2(),
        31 if frac == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (1.0 + frac / 1024.0) * f64::from(e - 15).exp2(),
    }
}

/// The parsed header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub dtype: Dtype,
    pub big_endian: bool,
    pub fortran_order: bool,
    pub shape: Vec<usize>,
    /// Where the data starts in the file.
    pub data_offset: u64,
}

/// An opened `.npy` file of frames.
pub struct Npy {
    /// Opened again for each frame read.
    path: PathBuf,
    /// Its length when it was opened: a file that changed since is refused, not read
    /// as if it had not.
    len: u64,
    shown: String,
    pub dtype: Dtype,
    big_endian: bool,
    data_offset: u64,
    /// Frames, height, width.
    pub frames: usize,
    pub height: usize,
    pub width: usize,
    /// True for pictures (`T×H×W×3` or `T×H×W×4`) rather than values.
    pub rgb: bool,
    /// Samples a pixel: 1 for values, 3 for RGB, 4 for RGBA.
    channels: usize,
}

impl std::fmt::Debug for Npy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Npy({}, {:?} {}x{}x{}{})",
            self.shown,
            self.dtype,
            self.frames,
            self.height,
            self.width,
            if self.rgb {
                format!("x{}", self.channels)
            } else {
                String::new()
            }
        )
    }
}

impl Npy {
    /// Opens `path` and checks its header, dtype, shape and length. `shown` names the
    /// file in messages.
    pub fn open(path: &Path, shown: &str) -> Result<Npy, String> {
        let mut file = crate::base::input::open(path)?;
        let len = file
            .metadata()
            .map_err(|e| format!("cannot read {shown}: {e}"))?
            .len();
        let header = read_header(&mut file).map_err(|e| format!("{shown}: {e}"))?;
        drop(file);
        let npy = Npy::from_header(path, len, shown, &header)?;
        let need = npy.frame_bytes() as u128 * npy.frames as u128;
        let have = len.saturating_sub(header.data_offset) as u128;
        if have < need {
            return Err(format!(
                "{shown} is truncated: its shape {} needs {need} bytes of data, the file has {have}",
                shape_text(&header.shape)
            ));
        }
        Ok(npy)
    }

    fn from_header(path: &Path, len: u64, shown: &str, h: &Header) -> Result<Npy, String> {
        let wrong = |what: String| format!("{shown}: {what}; expected {EXPECTED}");
        if h.fortran_order {
            return Err(
                wrong("the array is in Fortran order".into()) + " (save np.ascontiguousarray(a))"
            );
        }
        let (frames, height, width, channels) = match (h.shape.as_slice(), h.dtype) {
            ([hh, ww], _) => (1, *hh, *ww, 1),
            ([t, hh, ww], _) => (*t, *hh, *ww, 1),
            ([_, _, _, 3 | 4], Dtype::Bool) => {
                return Err(wrong(
                    "a picture (last axis 3 or 4) of bool cannot be shown as colours".into(),
                ))
            }
            ([t, hh, ww, c @ (3 | 4)], _) => (*t, *hh, *ww, *c),
            ([.., 2], _) => {
                return Err(wrong(format!("its shape is {}", shape_text(&h.shape)))
                    + " (two values a point, as a vector field's u and v: save one number \
                       a point, as np.hypot(u, v) for its length or np.arctan2(v, u) for its \
                       angle)")
            }
            (s, _) => return Err(wrong(format!("its shape is {}", shape_text(s)))),
        };
        let rgb = channels > 1;
        if frames == 0 || height == 0 || width == 0 {
            return Err(wrong(format!(
                "its shape {} has no frames or pixels",
                shape_text(&h.shape)
            )));
        }
        if height > MAX_SIDE as usize || width > MAX_SIDE as usize {
            return Err(format!(
                "{shown}: frames of {width}x{height} are too large: a side may be at most {MAX_SIDE}"
            ));
        }
        let frame_bytes = height * width * channels * h.dtype.size();
        if frame_bytes > MAX_FRAME_BYTES {
            return Err(format!(
                "{shown}: a frame of {width}x{height} takes {} MiB, at most {} MiB",
                frame_bytes >> 20,
                MAX_FRAME_BYTES >> 20
            ));
        }
        Ok(Npy {
            path: path.to_path_buf(),
            len,
            shown: shown.to_string(),
            dtype: h.dtype,
            big_endian: h.big_endian,
            data_offset: h.data_offset,
            frames,
            height,
            width,
            rgb,
            channels,
        })
    }

    fn frame_bytes(&self) -> usize {
        self.height * self.width * self.channels * self.dtype.size()
    }

    /// The memory a reader of one frame holds at once: the frame's bytes as read, and
    /// what they become — 8 bytes a value ([`scalar_frame`](Self::scalar_frame)) or 4 a
    /// pixel ([`rgba_frame`](Self::rgba_frame)). A `uint8` frame of the largest size
    /// read (256 MiB) is 2 GiB of values: the render counts this per worker.
    pub fn frame_memory(&self) -> u64 {
        let held = match self.rgb {
            true => 4 * self.width * self.height,
            false => 8 * self.width * self.height,
        };
        (self.frame_bytes() + held) as u64
    }

    fn read_raw(&self, i: usize, buf: &mut Vec<u8>) -> Result<(), String> {
        let n = self.frame_bytes();
        buf.resize(n, 0);
        let at = self.data_offset + (i.min(self.frames - 1) * n) as u64;
        let f = crate::base::input::open(&self.path)
            .map_err(|e| format!("cannot read frame {i} of {}: {}", self.shown, e.reason))?;
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        if len != self.len {
            return Err(format!(
                "{} changed while rendering (now {len} bytes, {} when it was opened)",
                self.shown, self.len
            ));
        }
        crate::base::input::read_exact_at(&f, buf, at)
            .map_err(|e| format!("cannot read frame {i} of {}: {e}", self.shown))
    }

    /// Frame `i` (clamped to the last) as `H·W` values, row by row. Scalar files only.
    pub fn scalar_frame(&self, i: usize, out: &mut Vec<f64>) -> Result<(), String> {
        debug_assert!(!self.rgb);
        let mut raw = Vec::new();
        self.read_raw(i, &mut raw)?;
        out.clear();
        self.dtype.extend(&raw, self.big_endian, out);
        Ok(())
    }

    /// Frame `i` (clamped to the last) as `H·W·4` straight RGBA bytes, opaque for an
    /// RGB array. Pictures only. As matplotlib's `imshow` reads them: floats from 0 to 1,
    /// integers from 0 to 255, clipped to that range (NaN as 0).
    pub fn rgba_frame(&self, i: usize, out: &mut Vec<u8>) -> Result<(), String> {
        debug_assert!(self.rgb);
        let mut raw = Vec::new();
        self.read_raw(i, &mut raw)?;
        let scale = match self.dtype {
            Dtype::F16 | Dtype::F32 | Dtype::F64 => 255.0,
            _ => 1.0,
        };
        let byte = |v: f64| (v * scale).round().clamp(0.0, 255.0) as u8;
        out.clear();
        out.reserve(self.width * self.height * 4);
        // A row at a time, so that the values take a row of memory, not a frame's.
        let mut vals = Vec::new();
        for row in raw.chunks_exact(self.width * self.channels * self.dtype.size()) {
            vals.clear();
            self.dtype.extend(row, self.big_endian, &mut vals);
            for px in vals.chunks_exact(self.channels) {
                out.extend(px.iter().map(|&v| byte(v)));
                if self.channels == 3 {
                    out.push(255);
                }
            }
        }
        Ok(())
    }

    /// The smallest and largest finite values of the frames `which` (scalar files).
    /// `None` if they hold no finite value.
    pub fn range(&self, which: impl Iterator<Item = usize>) -> Result<Option<(f64, f64)>, String> {
        let mut buf = Vec::new();
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for i in which {
            self.scalar_frame(i, &mut buf)?;
            for &v in buf.iter().filter(|v| v.is_finite()) {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        Ok((lo <= hi).then_some((lo, hi)))
    }
}

fn shape_text(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("({})", parts.join(", "))
}

/// Reads the magic string, version and header dictionary.
pub fn read_header(r: &mut impl Read) -> Result<Header, String> {
    let mut magic = [0u8; 8];
    r.read_exact(&mut magic)
        .map_err(|_| "not a .npy file: too short".to_string())?;
    if &magic[..6] != b"\x93NUMPY" {
        return Err("not a .npy file (no \\x93NUMPY magic string)".into());
    }
    let (len, prefix) = match magic[6] {
        1 => {
            let mut b = [0u8; 2];
            r.read_exact(&mut b).map_err(|_| "truncated header")?;
            (u16::from_le_bytes(b) as usize, 10)
        }
        2 | 3 => {
            let mut b = [0u8; 4];
            r.read_exact(&mut b).map_err(|_| "truncated header")?;
            (u32::from_le_bytes(b) as usize, 12)
        }
        v => {
            return Err(format!(
                ".npy format version {v} is not supported (1, 2 or 3)"
            ))
        }
    };
    if len > MAX_HEADER {
        return Err(format!("header of {len} bytes is too long"));
    }
    let mut text = vec![0u8; len];
    r.read_exact(&mut text).map_err(|_| "truncated header")?;
    let text = String::from_utf8(text).map_err(|_| "header is not text")?;
    let mut h = parse_dict(&text)?;
    h.data_offset = (prefix + len) as u64;
    Ok(h)
}

/// Parses NumPy's header dictionary: `{'descr': '<f4', 'fortran_order': False,
/// 'shape': (2, 3, 4), }`.
fn parse_dict(text: &str) -> Result<Header, String> {
    let mut p = Lit {
        s: text.trim().as_bytes(),
        i: 0,
    };
    let mut descr = None;
    let mut fortran = None;
    let mut shape = None;
    p.expect(b'{')?;
    loop {
        p.ws();
        if p.eat(b'}') {
            break;
        }
        let key = p.string()?;
        p.ws();
        p.expect(b':')?;
        p.ws();
        match key.as_str() {
            "descr" => {
                if p.peek() != Some(b'\'') && p.peek() != Some(b'"') {
                    return Err(format!(
                        "a structured dtype is not supported; expected {EXPECTED}"
                    ));
                }
                descr = Some(p.string()?)
            }
            "fortran_order" => fortran = Some(p.boolean()?),
            "shape" => shape = Some(p.tuple()?),
            other => return Err(format!("unknown header key `{other}`")),
        }
        p.ws();
        if !p.eat(b',') {
            p.ws();
            p.expect(b'}')?;
            break;
        }
    }
    let descr = descr.ok_or("header has no `descr`")?;
    let Some((dtype, big_endian)) = Dtype::of_descr(&descr) else {
        return Err(format!(
            "dtype `{descr}` is not supported; expected {EXPECTED}{}",
            descr_hint(&descr)
        ));
    };
    Ok(Header {
        dtype,
        big_endian,
        fortran_order: fortran.ok_or("header has no `fortran_order`")?,
        shape: shape.ok_or("header has no `shape`")?,
        data_offset: 0,
    })
}

/// What to do with a dtype that is not a plain number.
fn descr_hint(descr: &str) -> &'static str {
    match descr
        .trim_start_matches(['<', '>', '|', '='])
        .chars()
        .next()
    {
        Some('c') => " (complex numbers: save np.abs(a), a.real or np.angle(a))",
        Some('M' | 'm') => " (dates and durations: save them as numbers)",
        Some('U' | 'S' | 'O' | 'V') => " (save a numeric array: a.astype(np.float32))",
        _ => "",
    }
}

/// A cursor over the header's Python literal.
struct Lit<'a> {
    s: &'a [u8],
    i: usize,
}

impl Lit<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("malformed header: expected `{}`", c as char))
        }
    }
    fn string(&mut self) -> Result<String, String> {
        let q = self.peek().filter(|c| *c == b'\'' || *c == b'"');
        let q = q.ok_or("malformed header: expected a quoted string")?;
        self.i += 1;
        let start = self.i;
        while self.peek().is_some_and(|c| c != q) {
            self.i += 1;
        }
        let s = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        self.expect(q)?;
        Ok(s)
    }
    fn boolean(&mut self) -> Result<bool, String> {
        for (word, v) in [("True", true), ("False", false)] {
            if self.s[self.i..].starts_with(word.as_bytes()) {
                self.i += word.len();
                return Ok(v);
            }
        }
        Err("malformed header: expected True or False".into())
    }
    fn tuple(&mut self) -> Result<Vec<usize>, String> {
        self.expect(b'(')?;
        let mut dims = Vec::new();
        loop {
            self.ws();
            if self.eat(b')') {
                return Ok(dims);
            }
            let start = self.i;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
            let digits = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
            let d: usize = digits
                .parse()
                .map_err(|_| "malformed header: expected a dimension")?;
            dims.push(d);
            if dims.len() > 32 {
                return Err("malformed header: too many dimensions".into());
            }
            self.ws();
            if !self.eat(b',') {
                self.ws();
                self.expect(b')')?;
                return Ok(dims);
            }
        }
    }
}

/// Writes a `.npy` file (version 1.0, C order) — for tests and generated inputs.
pub fn write(
    out: &mut impl std::io::Write,
    descr: &str,
    shape: &[usize],
    data: &[u8],
) -> std::io::Result<()> {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let tuple = if dims.len() == 1 {
        format!("({},)", dims[0])
    } else {
        format!("({})", dims.join(", "))
    };
    let mut dict = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {tuple}, }}");
    // Pad so that the data starts on a 64-byte boundary, ending with a newline.
    while (10 + dict.len() + 1) % 64 != 0 {
        dict.push(' ');
    }
    dict.push('\n');
    out.write_all(b"\x93NUMPY\x01\x00")?;
    out.write_all(&(dict.len() as u16).to_le_bytes())?;
    out.write_all(dict.as_bytes())?;
    out.write_all(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(descr: &str, shape: &[usize], data: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.npy");
        let mut f = std::fs::File::create(&p).unwrap();
        write(&mut f, descr, shape, data).unwrap();
        (dir, p)
    }

    fn f32s(v: &[f32]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    #[test]
    fn header_of_numpy() {
        // As numpy 1.26 writes np.zeros((2, 3, 4), np.float32).
        let mut bytes = b"\x93NUMPY\x01\x00v\x00".to_vec();
        let mut dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }".to_string();
        while dict.len() < 117 {
            dict.push(' ');
        }
        dict.push('\n');
        bytes.extend(dict.as_bytes());
        let h = read_header(&mut bytes.as_slice()).unwrap();
        assert_eq!(h.dtype, Dtype::F32);
        assert_eq!(h.shape, vec![2, 3, 4]);
        assert!(!h.fortran_order);
        assert_eq!(h.data_offset, 128);
    }

    #[test]
    fn a_frame_in_memory_is_its_bytes_and_what_they_become() {
        // 3x4 uint8 values: 12 bytes read, 96 as numbers; RGB pictures: 4 bytes a pixel.
        let (_d, p) = file("|u1", &[1, 3, 4], &[0; 12]);
        assert_eq!(Npy::open(&p, "a.npy").unwrap().frame_memory(), 12 + 96);
        let (_d, p) = file("<f8", &[1, 3, 4], &[0; 96]);
        assert_eq!(Npy::open(&p, "a.npy").unwrap().frame_memory(), 96 + 96);
        let (_d, p) = file("|u1", &[1, 3, 4, 3], &[0; 36]);
        assert_eq!(Npy::open(&p, "a.npy").unwrap().frame_memory(), 36 + 48);
    }

    #[test]
    fn reads_frames_of_floats() {
        let vals: Vec<f32> = (0..24).map(|i| i as f32 * 0.5).collect();
        let (_d, p) = file("<f4", &[2, 3, 4], &f32s(&vals));
        let n = Npy::open(&p, "a.npy").unwrap();
        assert_eq!((n.frames, n.height, n.width, n.rgb), (2, 3, 4, false));
        let mut out = Vec::new();
        n.scalar_frame(1, &mut out).unwrap();
        assert_eq!(out.len(), 12);
        assert_eq!(out[0], 6.0);
        n.scalar_frame(9, &mut out).unwrap();
        assert_eq!(out[11], 11.5, "past the end: the last frame");
        assert_eq!(n.range(0..2).unwrap(), Some((0.0, 11.5)));
    }

    #[test]
    fn big_endian_doubles_and_rgb() {
        let data: Vec<u8> = [1.0f64, -2.0]
            .iter()
            .flat_map(|x| x.to_be_bytes())
            .collect();
        let (_d, p) = file(">f8", &[1, 2], &data);
        let n = Npy::open(&p, "a.npy").unwrap();
        let mut out = Vec::new();
        n.scalar_frame(0, &mut out).unwrap();
        assert_eq!(out, vec![1.0, -2.0]);
        let (_d2, p2) = file("|u1", &[2, 1, 2, 3], &(0..12).collect::<Vec<u8>>());
        let n = Npy::open(&p2, "b.npy").unwrap();
        assert!(n.rgb);
        let mut rgba = Vec::new();
        n.rgba_frame(1, &mut rgba).unwrap();
        assert_eq!(rgba, vec![6, 7, 8, 255, 9, 10, 11, 255]);
    }

    #[test]
    fn a_vector_field_gets_a_hint() {
        let (_d, p) = file("<f4", &[1, 2, 2, 2], &[0; 32]);
        let e = Npy::open(&p, "v.npy").unwrap_err();
        assert!(e.contains("its shape is (1, 2, 2, 2)"), "{e}");
        assert!(e.ends_with("np.arctan2(v, u) for its angle)"), "{e}");
    }

    #[test]
    fn wrong_dtype_or_shape_says_what_was_expected() {
        let (_d, p) = file("<c8", &[1, 2, 2], &[0; 32]);
        let e = Npy::open(&p, "a.npy").unwrap_err();
        assert!(
            e.contains("dtype `<c8` is not supported; expected a C-order array"),
            "{e}"
        );
        assert!(e.contains("save np.abs(a)"), "{e}");
        let (_d, p) = file("<U3", &[1, 2, 2], &[0; 48]);
        assert!(Npy::open(&p, "a.npy")
            .unwrap_err()
            .contains("a.astype(np.float32)"));
        let (_d, p) = file("<f4", &[2, 2, 2, 2, 2], &[0; 128]);
        let e = Npy::open(&p, "a.npy").unwrap_err();
        assert!(e.contains("its shape is (2, 2, 2, 2, 2); expected"), "{e}");
        let (_d, p) = file("<f4", &[1, 2, 2, 5], &[0; 80]);
        let e = Npy::open(&p, "a.npy").unwrap_err();
        assert!(e.contains("its shape is (1, 2, 2, 5)"), "{e}");
        let (_d, p) = file("<f4", &[0, 2, 2], &[]);
        assert!(Npy::open(&p, "a.npy").unwrap_err().contains("no frames"));
    }

    #[test]
    fn every_numeric_dtype_in_either_byte_order() {
        // The values 1, -2 (or 254 and so on for unsigned) and 3 in each dtype, as
        // numpy's `tobytes()` gives them.
        let cases: [(&str, Vec<u8>, [f64; 3]); 12] = [
            ("|b1", vec![1, 0, 7], [1.0, 0.0, 1.0]),
            ("|i1", vec![1, 0xfe, 3], [1.0, -2.0, 3.0]),
            ("|u1", vec![1, 0xfe, 3], [1.0, 254.0, 3.0]),
            (
                "<i2",
                [1i16, -2, 3].iter().flat_map(|v| v.to_le_bytes()).collect(),
                [1.0, -2.0, 3.0],
            ),
            (
                ">u2",
                [1u16, 65534, 3]
                    .iter()
                    .flat_map(|v| v.to_be_bytes())
                    .collect(),
                [1.0, 65534.0, 3.0],
            ),
            (
                ">i4",
                [1i32, -2, 3].iter().flat_map(|v| v.to_be_bytes()).collect(),
                [1.0, -2.0, 3.0],
            ),
            (
                "<u4",
                [1u32, u32::MAX, 3]
                    .iter()
                    .flat_map(|v| v.to_le_bytes())
                    .collect(),
                [1.0, 4294967295.0, 3.0],
            ),
            (
                "<i8",
                [1i64, -2, 3].iter().flat_map(|v| v.to_le_bytes()).collect(),
                [1.0, -2.0, 3.0],
            ),
            (
                ">u8",
                [1u64, 1 << 40, 3]
                    .iter()
                    .flat_map(|v| v.to_be_bytes())
                    .collect(),
                [1.0, 1099511627776.0, 3.0],
            ),
            // float16: 1.0 is 0x3c00, -2.0 0xc000, 0.000061035156 (the smallest normal) 0x0400.
            (
                "<f2",
                vec![0x00, 0x3c, 0x00, 0xc0, 0x00, 0x04],
                [1.0, -2.0, 6.103515625e-5],
            ),
            (
                ">f4",
                [1f32, -2.0, 3.0]
                    .iter()
                    .flat_map(|v| v.to_be_bytes())
                    .collect(),
                [1.0, -2.0, 3.0],
            ),
            (
                "<f8",
                [1f64, -2.0, 3.0]
                    .iter()
                    .flat_map(|v| v.to_le_bytes())
                    .collect(),
                [1.0, -2.0, 3.0],
            ),
        ];
        for (descr, data, want) in cases {
            let (_d, p) = file(descr, &[1, 3], &data);
            let n = Npy::open(&p, "a.npy").unwrap_or_else(|e| panic!("{descr}: {e}"));
            let mut out = Vec::new();
            n.scalar_frame(0, &mut out).unwrap();
            assert_eq!(out, want, "{descr}");
        }
    }

    #[test]
    fn half_precision_specials() {
        assert_eq!(half_to_f64(0x7c00), f64::INFINITY);
        assert_eq!(half_to_f64(0xfc00), f64::NEG_INFINITY);
        assert!(half_to_f64(0x7e00).is_nan());
        assert_eq!(
            half_to_f64(0x0001),
            (-24f64).exp2(),
            "the smallest subnormal"
        );
        assert_eq!(half_to_f64(0x7bff), 65504.0, "the largest finite");
        assert_eq!(half_to_f64(0x8000), 0.0);
    }

    #[test]
    fn pictures_of_floats_integers_and_with_alpha() {
        // Floats from 0 to 1 (clipped, NaN as 0), as imshow reads them.
        let px: Vec<u8> = [0.0f32, 0.5, 1.0, 2.0, -1.0, f32::NAN]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let (_d, p) = file("<f4", &[1, 1, 2, 3], &px);
        let n = Npy::open(&p, "a.npy").unwrap();
        let mut out = Vec::new();
        n.rgba_frame(0, &mut out).unwrap();
        assert_eq!(out, vec![0, 128, 255, 255, 255, 0, 0, 255]);
        // int64 RGBA from 0 to 255, clipped.
        let px: Vec<u8> = [10i64, 300, -5, 128]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let (_d, p) = file("<i8", &[1, 1, 1, 4], &px);
        let n = Npy::open(&p, "a.npy").unwrap();
        assert!(n.rgb);
        n.rgba_frame(0, &mut out).unwrap();
        assert_eq!(out, vec![10, 255, 0, 128]);
        let (_d, p) = file("|b1", &[1, 1, 1, 3], &[0; 3]);
        let e = Npy::open(&p, "a.npy").unwrap_err();
        assert!(e.contains("of bool cannot be shown as colours"), "{e}");
    }

    #[test]
    fn truncated_and_garbage_files() {
        let (_d, p) = file("<f4", &[100, 100, 100], &[0; 16]);
        let e = Npy::open(&p, "a.npy").unwrap_err();
        assert!(e.contains("is truncated"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let g = dir.path().join("g.npy");
        std::fs::write(&g, b"hello world").unwrap();
        assert!(Npy::open(&g, "g.npy")
            .unwrap_err()
            .contains("not a .npy file"));
        // A shape whose byte count overflows is refused, not allocated.
        let (_d, p) = file("<f8", &[usize::MAX / 2, 16384, 16384], &[]);
        assert!(Npy::open(&p, "a.npy").is_err());
    }

    #[test]
    fn malformed_dicts() {
        for bad in [
            "{'descr': '<f4', 'shape': (1, 2), }",
            "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,2)}",
            "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, x)}",
            "",
        ] {
            assert!(parse_dict(bad).is_err(), "{bad}");
        }
    }
}
