//! GIF encoding (issue 19): frames of many colours share a palette and are encoded on
//! the render workers; what must hold whatever the machine does.

use crate::assert_exit;
use crate::util::{read_gif, Sandbox};

/// The keys of a rippling shaded surface of 96×64.
macro_rules! rippled_surface {
    () => {
        r#"kind = "surface"
size = [96, 64]
z = "0.1*sin(10*sqrt(x^2 + y^2) - 2*pi*t)"
x = [-1, 1]
y = [-1, 1]
resolution = [40, 40]
color = [128, 128, 255]
shading = "smooth"
"#
    };
}

/// A shaded surface: every frame has far more than 255 colours and differs from the last.
const SHADED: &str = concat!(
    "[output]\nfps = 30\n[clip.main]\nduration = 0.5\n",
    rippled_surface!()
);

/// Flat colours, then a shaded surface, then flat colours again, 0.1 s a frame.
const MIXED: &str = concat!(
    r#"
[output]
fps = 10
[clip.flat]
kind = "color"
color = [31, 119, 181]
size = [96, 64]
duration = 0.3
[clip.field]
duration = 0.4
"#,
    rippled_surface!(),
    r#"[clip.white]
kind = "color"
color = [250, 250, 249]
size = [96, 64]
duration = 0.2
[clip.main]
kind = "sequence"
clips = ["flat", "field", "white", "flat"]
"#
);

fn colours(img: &image::RgbaImage) -> usize {
    let mut set: Vec<[u8; 4]> = img.pixels().map(|p| p.0).collect();
    set.sort_unstable();
    set.dedup();
    set.len()
}

/// The GIF's frames, one per output frame of `cs` hundredths of a second.
fn per_output_frame(gif: &[(image::RgbaImage, u16)], cs: u16) -> Vec<image::RgbaImage> {
    let mut out = Vec::new();
    for (img, delay) in gif {
        assert_eq!(delay % cs, 0, "delay {delay} is not whole frames of {cs}");
        out.extend(std::iter::repeat_n(img.clone(), (delay / cs) as usize));
    }
    out
}

#[test]
fn shaded_gif_is_byte_identical_on_any_number_of_threads() {
    let s = Sandbox::new();
    s.write("scene.toml", SHADED);
    let mut outputs = Vec::new();
    for threads in ["1", "2", "5"] {
        let name = format!("t{threads}.gif");
        let r = s.run(&[
            "render",
            "scene.toml",
            "-o",
            &name,
            "--threads",
            threads,
            "-q",
        ]);
        assert_exit!(r, 0);
        outputs.push(std::fs::read(s.path(&name)).unwrap());
    }
    assert!(outputs.iter().all(|o| *o == outputs[0]), "outputs differ");
    let frames = s.render_frames(SHADED, &[]);
    assert!(
        frames.iter().all(|f| colours(f) > 255),
        "every frame needs quantising"
    );
}

#[test]
fn every_frame_is_in_the_gif_with_delays_rounded_on_the_running_total() {
    let s = Sandbox::new();
    s.write("scene.toml", SHADED);
    assert_exit!(s.run(&["render", "scene.toml", "-o", "out.gif", "-q"]), 0);
    let frames = read_gif(&s.path("out.gif"));
    // 0.5 s at 30 fps: 15 frames, each ending at round((i + 1) * 100 / 30) cs
    assert_eq!(frames.len(), 15);
    let delays: Vec<u16> = frames.iter().map(|f| f.1).collect();
    let want: Vec<u16> = (0..15u32)
        .map(|i| {
            ((i + 1) as f64 * 100.0 / 30.0).round() as u16
                - (i as f64 * 100.0 / 30.0).round() as u16
        })
        .collect();
    assert_eq!(delays, want);
    assert_eq!(delays.iter().sum::<u16>(), 50);
    // --frames: a part of the render is timed from its own start
    assert_exit!(
        s.run(&[
            "render",
            "scene.toml",
            "-o",
            "part.gif",
            "--frames",
            "4..9",
            "-q"
        ]),
        0
    );
    let part = read_gif(&s.path("part.gif"));
    assert_eq!(part.len(), 5);
    assert_eq!(
        part.iter().map(|f| f.1).sum::<u16>(),
        17,
        "5 frames of 1/30 s"
    );
}

#[test]
fn flat_frames_stay_lossless_and_shaded_ones_close() {
    let s = Sandbox::new();
    s.write("scene.toml", MIXED);
    assert_exit!(s.run(&["render", "scene.toml", "-o", "out.gif", "-q"]), 0);
    let want = s.render_frames(MIXED, &[]);
    assert_eq!(want.len(), 12);
    let got = per_output_frame(&read_gif(&s.path("out.gif")), 10);
    assert_eq!(got.len(), want.len(), "frame count");
    let mut shaded = 0;
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        if colours(w) <= 255 {
            assert!(g == w, "frame {i} ({} colours) is not exact", colours(w));
            continue;
        }
        shaded += 1;
        let err: u64 = g
            .as_raw()
            .iter()
            .zip(w.as_raw())
            .map(|(a, b)| a.abs_diff(*b) as u64)
            .sum();
        let mean = err as f64 / w.as_raw().len() as f64;
        assert!(mean < 3.0, "frame {i}: mean channel error {mean:.2}");
    }
    assert_eq!(shaded, 4, "the surface's frames");
}

/// Two shaded frames, then 58 flat ones at 20 fps: the palette's sample (frames spread
/// over the clip) sees only flat frames, so each shaded frame gets a palette of its own.
const SHADED_FIRST: &str = concat!(
    r#"
[output]
fps = 20
[clip.field]
duration = 0.1
"#,
    rippled_surface!(),
    r#"[clip.flat]
kind = "color"
color = [31, 119, 181]
size = [96, 64]
duration = 2.9
[clip.main]
kind = "sequence"
clips = ["field", "flat"]
"#
);

#[test]
fn frames_the_sample_missed_are_close_and_the_same_on_any_number_of_threads() {
    let s = Sandbox::new();
    let mut outputs = Vec::new();
    for (scene, text) in [("shaded_first.toml", SHADED_FIRST), ("mixed.toml", MIXED)] {
        s.write(scene, text);
        let mut gifs = Vec::new();
        for threads in ["1", "2", "3"] {
            let name = format!("{scene}.{threads}.gif");
            let r = s.run(&["render", scene, "-o", &name, "--threads", threads, "-q"]);
            assert_exit!(r, 0);
            gifs.push(std::fs::read(s.path(&name)).unwrap());
        }
        assert!(
            gifs.iter().all(|g| *g == gifs[0]),
            "{scene}: outputs differ"
        );
        outputs.push(s.path(&format!("{scene}.1.gif")));
    }
    let want = s.render_frames(SHADED_FIRST, &[]);
    assert_eq!(want.len(), 60);
    let got = per_output_frame(&read_gif(&outputs[0]), 5);
    assert_eq!(got.len(), 60, "frame count");
    assert!(colours(&want[0]) > 255 && colours(&want[1]) > 255);
    assert!(got[2..] == want[2..], "flat frames exact");
    for i in 0..2 {
        let err: u64 = got[i]
            .as_raw()
            .iter()
            .zip(want[i].as_raw())
            .map(|(a, b)| a.abs_diff(*b) as u64)
            .sum();
        let mean = err as f64 / want[i].as_raw().len() as f64;
        assert!(mean < 3.0, "frame {i}: mean channel error {mean:.2}");
    }
}

/// The LZW streams (our own encoder, `encode/gif_lzw.rs`) read the same in FFmpeg's
/// GIF decoder (through animate's video source) as in the `gif` crate's: every frame,
/// shaded (dithered, differenced) and flat, composes to the same picture.
#[cfg(feature = "video")]
#[test]
fn ffmpeg_reads_the_same_pictures_as_the_gif_crate() {
    use animate::clip::{Clip, RenderCx};
    use animate::source::video::VideoClip;
    let s = Sandbox::new();
    // 15 frames; 12 of which runs of flat ones merge into 7
    for (name, text, frames) in [("shaded", SHADED, 15), ("mixed", MIXED, 7)] {
        s.write(&format!("{name}.toml"), text);
        let gif = format!("{name}.gif");
        assert_exit!(
            s.run(&["render", &format!("{name}.toml"), "-o", &gif, "-q"]),
            0
        );
        let want = read_gif(&s.path(&gif));
        assert_eq!(want.len(), frames, "{name}: frames in the GIF");
        let clip = VideoClip::open(&s.path(&gif)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(clip.frame_count(), want.len(), "{name}: frames FFmpeg sees");
        let cx = RenderCx::new(30.0);
        for (n, (img, _)) in want.iter().enumerate() {
            let got = clip.render(clip.frame_time(n), &cx).unwrap();
            assert!(
                got.data() == img.as_raw().as_slice(),
                "{name}: frame {n} differs between FFmpeg and the gif crate"
            );
        }
    }
}

/// Our own remapping (`encode/gif_remap.rs`) leaves flat areas of shaded frames flat:
/// the background around the surface is its own colour in every frame, away from the
/// surface's edge, with no dithering noise.
#[test]
fn flat_background_of_shaded_frames_has_no_dither_noise() {
    let s = Sandbox::new();
    let scene = concat!(
        "[output]\nfps = 20\n[clip.main]\nduration = 0.5\n",
        rippled_surface!()
    );
    s.write("scene.toml", scene);
    assert_exit!(s.run(&["render", "scene.toml", "-o", "out.gif", "-q"]), 0);
    let want = s.render_frames(scene, &[]);
    let got = per_output_frame(&read_gif(&s.path("out.gif")), 5);
    assert_eq!(got.len(), want.len(), "frame count");
    let bg = *want[0].get_pixel(0, 0);
    let mut checked = 0;
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert!(colours(w) > 255, "frame {i} is shaded");
        let (width, height) = w.dimensions();
        let flat_around = |x: u32, y: u32| {
            (x.saturating_sub(3)..(x + 4).min(width)).all(|u| {
                (y.saturating_sub(3)..(y + 4).min(height)).all(|v| *w.get_pixel(u, v) == bg)
            })
        };
        for y in 0..height {
            for x in 0..width {
                if flat_around(x, y) {
                    checked += 1;
                    assert_eq!(g.get_pixel(x, y), &bg, "frame {i} at ({x}, {y})");
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} flat pixels");
}
