//! The colour and filter effects against scikit-image and MoviePy: fixtures made by
//! tests/fixtures/filters/make_fixtures.py, compared within ±1 per channel.
//!
//! Each case runs on a colour clip, and cases on grey inputs run again on a mask
//! (`to_mask` first) to check that effects on a mask change the mask the same way.

use std::sync::Arc;

use toml::{Table, Value};

use super::testing::{ok, CX};
use crate::base::frame::{blank, Frame, RenderResult, Size};
use crate::clip::{Clip, RenderCx};

const INPUTS: &str = include_str!("../../tests/fixtures/filters/inputs.toml");

/// A clip showing one frame per 0.1 s, like a 10 fps file.
struct Frames(Vec<Frame>);

impl Clip for Frames {
    fn kind(&self) -> &'static str {
        "frames"
    }
    fn size(&self) -> Size {
        Size::new(self.0[0].width(), self.0[0].height())
    }
    fn duration(&self) -> Option<f64> {
        Some(self.0.len() as f64 / 10.0)
    }
    fn render(&self, t: f64, _cx: &RenderCx) -> RenderResult {
        let i = ((t * 10.0 + 1e-7).floor() as usize).min(self.0.len() - 1);
        Ok(self.0[i].clone())
    }
}

/// An image of the fixtures: frames of `h × w` pixels with 1 (grey) or 3 channels.
struct Image {
    frames: usize,
    w: usize,
    h: usize,
    channels: usize,
    data: Vec<u8>,
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn shape(v: &Value) -> Vec<usize> {
    v.as_array()
        .expect("shape")
        .iter()
        .map(|d| d.as_integer().expect("dimension") as usize)
        .collect()
}

/// Reads an image; `input` names the input it belongs with (`frames` are a clip).
fn image(shape: &[usize], data: Vec<u8>, input: &str) -> Image {
    let (frames, h, w, channels) = match (input, shape) {
        ("frames", [n, h, w]) => (*n, *h, *w, 1),
        (_, [h, w]) => (1, *h, *w, 1),
        (_, [h, w, 3]) => (1, *h, *w, 3),
        _ => panic!("unexpected shape {shape:?}"),
    };
    assert_eq!(data.len(), frames * h * w * channels);
    Image {
        frames,
        w,
        h,
        channels,
        data,
    }
}

impl Image {
    fn value(&self, k: usize, x: usize, y: usize, c: usize) -> u8 {
        let c = c.min(self.channels - 1);
        self.data[((k * self.h + y) * self.w + x) * self.channels + c]
    }

    /// The input as an opaque clip (grey as R = G = B).
    fn clip(&self) -> Arc<dyn Clip> {
        let frames = (0..self.frames)
            .map(|k| {
                let mut f = blank(Size::new(self.w as u32, self.h as u32));
                for (i, p) in f.data_mut().chunks_exact_mut(4).enumerate() {
                    let (x, y) = (i % self.w, i / self.w);
                    for (c, v) in p[..3].iter_mut().enumerate() {
                        *v = self.value(k, x, y, c);
                    }
                    p[3] = 255;
                }
                f
            })
            .collect();
        Arc::new(Frames(frames))
    }
}

/// Runs every case of a fixture file; panics listing the first differences.
fn check(text: &str) {
    let inputs: Table = toml::from_str(INPUTS).expect("inputs.toml");
    let file: Table = toml::from_str(text).expect("fixture");
    let cases = file["case"].as_array().expect("cases");
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in cases {
        let get = |k: &str| case[k].as_str().expect(k).to_string();
        let (call, effect, name) = (get("call"), get("effect"), get("input"));
        let inp = &inputs[&name];
        let input = image(
            &shape(&inp["shape"]),
            hex(inp["hex"].as_str().unwrap()),
            &name,
        );
        let want = image(&shape(&case["shape"]), hex(&get("output")), &name);
        let mut routes = vec![("colour", ok(&effect, input.clip()))];
        if input.channels == 1 {
            let mask = ok("\"to_mask\"", input.clip());
            routes.push(("mask", ok(&effect, mask)));
        }
        for (route, clip) in routes {
            let mut bad = Vec::new();
            for k in 0..want.frames {
                let f = clip.render(k as f64 / 10.0, &CX).expect("render");
                for (i, p) in f.data().chunks_exact(4).enumerate() {
                    let (x, y) = (i % want.w, i / want.w);
                    let got: Vec<u8> = if route == "mask" {
                        vec![p[3]]
                    } else {
                        assert_eq!(p[3], 255, "{call}: alpha changed");
                        p[..3].to_vec()
                    };
                    for (c, &g) in got.iter().enumerate() {
                        let w = want.value(k, x, y, c);
                        if g.abs_diff(w) > 1 {
                            bad.push(format!("frame {k} ({x}, {y}) channel {c}: {g} vs {w}"));
                        }
                    }
                }
            }
            if !bad.is_empty() {
                failures.push(format!(
                    "{call} as `{effect}` on {route}: {} values off by more than 1, e.g. {}",
                    bad.len(),
                    bad[..bad.len().min(4)].join("; ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

macro_rules! fixture {
    ($name:ident) => {
        #[test]
        fn $name() {
            check(include_str!(concat!(
                "../../tests/fixtures/filters/",
                stringify!($name),
                ".toml"
            )));
        }
    };
}

fixture!(equalize);
fixture!(rescale_intensity);
fixture!(adjust_log);
fixture!(adjust_gamma);
fixture!(gaussian_blur);
fixture!(sharpen);
fixture!(edges);
fixture!(threshold);
fixture!(moviepy);
