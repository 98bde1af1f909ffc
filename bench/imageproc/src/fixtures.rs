//! The scikit-image fixtures of tests/fixtures/filters/ (made by make_fixtures.py):
//! inputs and expected outputs as 8-bit images, one or more frames.

use std::path::{Path, PathBuf};

use toml::{Table, Value};

/// `frames` pictures of `w × h` pixels with `channels` (1 or 3) interleaved values.
#[derive(Clone, Debug)]
pub struct Img {
    pub frames: usize,
    pub w: usize,
    pub h: usize,
    pub channels: usize,
    pub data: Vec<u8>,
}

impl Img {
    pub fn new(frames: usize, w: usize, h: usize, channels: usize) -> Img {
        Img {
            frames,
            w,
            h,
            channels,
            data: vec![0; frames * w * h * channels],
        }
    }

    /// The value of channel `c` (a grey image answers for every channel).
    pub fn value(&self, k: usize, x: usize, y: usize, c: usize) -> u8 {
        let c = c.min(self.channels - 1);
        self.data[((k * self.h + y) * self.w + x) * self.channels + c]
    }

    pub fn frame(&self, k: usize) -> &[u8] {
        let n = self.w * self.h * self.channels;
        &self.data[k * n..(k + 1) * n]
    }

    /// Frame `k` alone.
    pub fn single(&self, k: usize) -> Img {
        Img {
            frames: 1,
            data: self.frame(k).to_vec(),
            ..*self
        }
    }

    /// All frames stacked into one tall picture (the same histogram as the clip).
    pub fn stacked(&self) -> Img {
        Img {
            frames: 1,
            h: self.h * self.frames,
            data: self.data.clone(),
            ..*self
        }
    }

    /// The inverse of [`Img::stacked`].
    pub fn unstacked(self, frames: usize) -> Img {
        Img {
            frames,
            h: self.h / frames,
            ..self
        }
    }

    /// Frames joined back into one clip.
    pub fn join(frames: Vec<Img>) -> Img {
        let first = &frames[0];
        Img {
            frames: frames.len(),
            w: first.w,
            h: first.h,
            channels: first.channels,
            data: frames.iter().flat_map(|f| f.data.iter().copied()).collect(),
        }
    }
}

/// The largest and the mean absolute difference over every value of `want`, and how
/// many values differ by more than `tol`.
pub fn diff(got: &Img, want: &Img, tol: u8) -> (u8, f64, usize) {
    assert_eq!(
        (got.frames, got.w, got.h),
        (want.frames, want.w, want.h),
        "sizes differ"
    );
    let channels = got.channels.max(want.channels);
    let (mut max, mut sum, mut n, mut over) = (0u8, 0u64, 0u64, 0usize);
    for k in 0..want.frames {
        for y in 0..want.h {
            for x in 0..want.w {
                for c in 0..channels {
                    let d = got.value(k, x, y, c).abs_diff(want.value(k, x, y, c));
                    max = max.max(d);
                    sum += d as u64;
                    n += 1;
                    over += (d > tol) as usize;
                }
            }
        }
    }
    (max, sum as f64 / n as f64, over)
}

/// One fixture case: an effect of the scene language on a named input.
pub struct Case {
    /// The scikit-image call, as the fixture states it.
    pub call: String,
    /// The effect entry, e.g. `{ gaussian_blur = 1 }` or `"equalize"`.
    pub effect: String,
    /// The input's name in inputs.toml (`grey`, `low`, `rgb`, `frames`).
    pub name: String,
    pub input: Img,
    pub want: Img,
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn image(shape: &Value, data: Vec<u8>, input: &str) -> Img {
    let shape: Vec<usize> = shape
        .as_array()
        .expect("shape")
        .iter()
        .map(|d| d.as_integer().expect("dimension") as usize)
        .collect();
    let (frames, h, w, channels) = match (input, shape.as_slice()) {
        ("frames", [n, h, w]) => (*n, *h, *w, 1),
        (_, [h, w]) => (1, *h, *w, 1),
        (_, [h, w, 3]) => (1, *h, *w, 3),
        _ => panic!("unexpected shape {shape:?}"),
    };
    assert_eq!(data.len(), frames * h * w * channels);
    Img {
        frames,
        w,
        h,
        channels,
        data,
    }
}

/// The fixtures folder of the repository this program sits in.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/filters")
}

fn read(name: &str) -> Table {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    toml::from_str(&text).expect("fixture TOML")
}

/// The cases of one fixture file (`equalize`, `gaussian_blur`, …).
pub fn cases(file: &str) -> Vec<Case> {
    let inputs = read("inputs.toml");
    let file = read(&format!("{file}.toml"));
    file["case"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            let get = |k: &str| c[k].as_str().expect(k).to_string();
            let name = get("input");
            let inp = &inputs[&name];
            Case {
                call: get("call"),
                effect: get("effect"),
                input: image(&inp["shape"], hex(inp["hex"].as_str().unwrap()), &name),
                want: image(&c["shape"], hex(&get("output")), &name),
                name,
            }
        })
        .collect()
}
