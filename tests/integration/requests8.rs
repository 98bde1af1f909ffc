//! Gaps earlier testers met (newcomer6 findings 4 and 10, findings6 F-Y, F-Z and its
//! cosmetic item 8): each test runs the binary on inputs it writes.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// newcomer6 finding 10: one bad CSV read by three series gave the same error three
/// times; now once, with the other two series' places as notes.
#[test]
fn regression_one_bad_csv_read_by_three_series_is_one_error() {
    let s = Sandbox::new();
    s.write("centre.csv", "t,u,v\n0,1,2\n1,2,3\n2,oops,4\n");
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [200, 150]\nseries = [\n\
         { csv = \"centre.csv\", x = \"t\", y = \"u\" },\n\
         { csv = \"centre.csv\", x = \"t\", y = \"u\", color = \"red\" },\n\
         { csv = \"centre.csv\", x = \"t\", y = \"v\" },\n\
         { csv = \"centre.csv\", x = \"t\", y = \"u\", width = 3 },\n]\n\
         [clip.other]\nkind = \"plot\"\nsize = [200, 150]\n\
         series = [{ csv = \"centre.csv\", x = \"t\", y = \"u\" }]\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    let said = "centre.csv, line 4, column `u`: `oops` is not a number";
    assert_eq!(r.stderr.matches(said).count(), 1, "{}", r.stderr);
    assert_eq!(r.stderr.matches("error:").count(), 1, "{}", r.stderr);
    assert_eq!(
        r.stderr
            .matches("note: the same file is read here too")
            .count(),
        3,
        "{}",
        r.stderr
    );
    // the first series is the error's place; the others' lines are the notes'
    assert_stderr!(
        r,
        "scene.toml:5:",
        "scene.toml:6:",
        "scene.toml:8:",
        "scene.toml:13:"
    );
    assert!(!r.stderr.contains("scene.toml:7:"), "{}", r.stderr);
}

/// findings6, cosmetic: "but f_0006.png come after it" for a single file.
#[test]
fn regression_one_picture_after_a_gap_comes_after_it() {
    let s = Sandbox::new();
    for n in [0, 2] {
        s.write_picture(&format!("f_{n:04}.png"), 8, 6, [200, 0, 0, 255]);
    }
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"images\"\nfiles = \"f_%04d.png\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "f_0001.png is missing, but f_0002.png comes after it");
}

/// findings6, cosmetic: a TIFF page of 255 samples of 8 bits listed "8" 255 times.
#[test]
fn regression_a_tiff_of_255_samples_is_said_in_a_few_words() {
    let s = Sandbox::new();
    s.write("spp.tif", tiff_255_samples());
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"images\"\nfiles = \"spp.tif\"\nfps = 1\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "bits per sample 8 (255 times)", "scene.toml:3:9");
    assert!(!r.stderr.contains("8, 8, 8"), "{}", r.stderr);
}

/// A little-endian TIFF of one 2×2 page with 255 samples a pixel, 8 bits each, RGB.
fn tiff_255_samples() -> Vec<u8> {
    let (w, h, spp) = (2u32, 2u32, 255u32);
    let data_len = w * h * spp;
    // header, then the BitsPerSample array (255 shorts), then the pixels, then the IFD
    let bps_at = 8u32;
    let data_at = bps_at + 2 * spp;
    let ifd_at = data_at + data_len;
    let mut out = b"II*\0".to_vec();
    out.extend(ifd_at.to_le_bytes());
    for _ in 0..spp {
        out.extend(8u16.to_le_bytes());
    }
    out.extend(vec![0u8; data_len as usize]);
    // (tag, type, count, value): type 3 SHORT, 4 LONG
    let entries: [(u16, u16, u32, u32); 9] = [
        (256, 4, 1, w),
        (257, 4, 1, h),
        (258, 3, spp, bps_at),
        (259, 3, 1, 1),
        (262, 3, 1, 2),
        (273, 4, 1, data_at),
        (277, 3, 1, spp),
        (278, 4, 1, h),
        (279, 4, 1, data_len),
    ];
    out.extend((entries.len() as u16).to_le_bytes());
    for (tag, ty, count, value) in entries {
        out.extend(tag.to_le_bytes());
        out.extend(ty.to_le_bytes());
        out.extend(count.to_le_bytes());
        out.extend(value.to_le_bytes());
    }
    out.extend(0u32.to_le_bytes());
    out
}

/// A 64×64 grey ramp of the 4096 values of 12 bits (0 at the top left, 4095 at the
/// bottom right), as 16-bit TIFF pages (`pages` of them) and a 16-bit PNG.
fn twelve_bit_ramp() -> Vec<u16> {
    (0..4096u16).collect()
}

fn write_tiff16(s: &Sandbox, name: &str, pages: usize) {
    use tiff::encoder::{colortype, TiffEncoder};
    let file = std::fs::File::create(s.path(name)).unwrap();
    let mut enc = TiffEncoder::new(file).unwrap();
    for _ in 0..pages {
        enc.write_image::<colortype::Gray16>(64, 64, &twelve_bit_ramp())
            .unwrap();
    }
}

fn grey_levels(img: &image::RgbaImage) -> std::collections::BTreeSet<u8> {
    img.pixels().map(|p| p[0]).collect()
}

/// newcomer6 finding 4: 12-bit data in 16 bits kept 16 grey levels; with `in_range`
/// all 256, on a TIFF stack (`images`), a 16-bit PNG still (`file`) and a sequence of
/// 16-bit PNGs.
#[test]
fn in_range_stretches_sixteen_bit_samples_before_the_eight_bit_reduction() {
    let s = Sandbox::new();
    write_tiff16(&s, "stack.tif", 2);
    let images = |extra: &str| {
        format!("[clip.main]\nkind = \"images\"\nfiles = \"stack.tif\"\nfps = 1\n{extra}")
    };
    let plain = s.frame(&images(""), 0.0);
    assert_eq!(grey_levels(&plain).len(), 17, "0–4095 reduced by 257");
    let stretched = s.frame(&images("in_range = [0, 4095]\n"), 1.0);
    assert_eq!(grey_levels(&stretched).len(), 256);
    // value 2048 (row 32, column 0) is round(2048 / 4095 · 255) = 128; the ends 0, 255
    assert_eq!(stretched.get_pixel(0, 32)[0], 128);
    assert_eq!(stretched.get_pixel(0, 0)[0], 0);
    assert_eq!(stretched.get_pixel(63, 63)[0], 255);
    // a narrower range clips: 1000..2000 → everything before row 15 black
    let narrow = s.frame(&images("in_range = [1000, 2000]\n"), 0.0);
    assert_eq!(narrow.get_pixel(0, 15)[0], 0);
    assert_eq!(narrow.get_pixel(0, 32)[0], 255);
    // a 16-bit PNG still, and a sequence of them
    let png =
        image::ImageBuffer::<image::Luma<u16>, _>::from_raw(64, 64, twelve_bit_ramp()).unwrap();
    png.save(s.path("p_0.png")).unwrap();
    png.save(s.path("p_1.png")).unwrap();
    let still = s.frame(
        "[clip.main]\nkind = \"file\"\npath = \"p_0.png\"\nin_range = [0, 4095]\n",
        0.0,
    );
    assert!(
        still == stretched,
        "a 16-bit PNG differs from the same TIFF page"
    );
    let seq = s.frame(
        "[clip.main]\nkind = \"images\"\nfiles = \"p_%d.png\"\nfps = 1\nin_range = [0, 4095]\n",
        0.0,
    );
    assert!(seq == stretched);
}

/// newcomer6 finding 4: a float TIFF of raw counts (63–3417) rendered all white,
/// silently; now a warning names the range, and `in_range` shows it.
#[test]
fn regression_a_float_tiff_beyond_one_is_clipped_with_a_warning() {
    use tiff::encoder::{colortype, TiffEncoder};
    let s = Sandbox::new();
    let counts: Vec<f32> = (0..64 * 64)
        .map(|i| 63.0 + (3417.0 - 63.0) * i as f32 / 4095.0)
        .collect();
    let file = std::fs::File::create(s.path("f.tif")).unwrap();
    let mut enc = TiffEncoder::new(file).unwrap();
    enc.write_image::<colortype::Gray32Float>(64, 64, &counts)
        .unwrap();
    for kind in ["kind = \"file\"\npath", "kind = \"images\"\nfps = 1\nfiles"] {
        let scene = format!("[clip.main]\n{kind} = \"f.tif\"\n");
        s.write("scene.toml", &scene);
        let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "white.png"]);
        assert_exit!(r, 0);
        assert_stderr!(
            r,
            "f.tif has floating-point samples from 63 to 3417",
            "in_range = [63, 3417]"
        );
        let white = crate::util::read_png(&s.path("white.png"));
        assert_eq!(grey_levels(&white).into_iter().collect::<Vec<_>>(), [255]);
        s.write("scene.toml", format!("{scene}in_range = [63, 3417]\n"));
        let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "ramp.png"]);
        assert_exit!(r, 0);
        assert!(!r.stderr.contains("warning"), "{}", r.stderr);
        let ramp = crate::util::read_png(&s.path("ramp.png"));
        assert_eq!(grey_levels(&ramp).len(), 256);
    }
}

#[test]
fn in_range_errors_point_at_the_key() {
    let s = Sandbox::new();
    write_tiff16(&s, "stack.tif", 1);
    s.write_gif(
        "a.gif",
        4,
        4,
        &[([255, 0, 0, 255], 10), ([0, 0, 255, 255], 10)],
    );
    s.write(
        "a.toml",
        "[clip.main]\nkind = \"images\"\nfiles = \"stack.tif\"\nin_range = [4095, 0]\n",
    );
    let r = s.run(&["check", "a.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "in_range must be [low, high], two numbers with low < high, not [4095, 0]",
        "a.toml:4:12"
    );
    s.write(
        "b.toml",
        "[clip.main]\nkind = \"file\"\npath = \"a.gif\"\nin_range = [0, 100]\n",
    );
    let r = s.run(&["check", "b.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`in_range` stretches the samples of a still picture",
        "b.toml:4:12"
    );
    s.write(
        "c.toml",
        "[clip.main]\nkind = \"file\"\npath = \"stack.tif\"\nin_range = [0, 1, 2]\n",
    );
    let r = s.run(&["check", "c.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "c.toml:4:");
}

/// findings6 F-Z: a 16384×16384 MP4 failed as the encoder opened ("cannot start
/// libx264: invalid argument", exit 1); now refused before the render, naming the
/// limit and the size, with the way out: at `--size`, or at `[output] size`.
#[test]
fn regression_a_video_too_large_for_ffmpeg_is_refused_before_the_render() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [64, 64]\nduration = 0.2\n",
    );
    for out in ["o.mp4", "o.webm", "o.mov"] {
        let r = s
            .run_bounded(
                &["render", "scene.toml", "--size", "16384x16384", "-o", out],
                Some(2 << 30),
            )
            .unwrap();
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "a 16384x16384 video is too large for",
            "(width + 128) × (height + 128) is under 268435455",
            "a smaller --size"
        );
        assert!(!s.path(out).exists());
    }
    s.write(
        "big.toml",
        "[output]\nsize = [16384, 16384]\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\n\
         size = [64, 64]\nduration = 0.2\n",
    );
    let r = s
        .run_bounded(&["render", "big.toml", "-o", "big.mp4"], Some(2 << 30))
        .unwrap();
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "too large for libx264",
        "a smaller `size`",
        "big.toml:2:8"
    );
}

/// findings6 F-Y: a colorbar_label with line breaks kept one line's room; the other
/// lines ran off the right edge, silently. Now every line has its room (the bar moves
/// left by a line's height each), nothing is drawn in the last columns, and a label of
/// only line breaks, or of more lines than fit, is an error at its place.
#[test]
fn regression_a_colorbar_label_of_three_lines_has_room_for_each() {
    let s = Sandbox::new();
    let scene = |label: &str| {
        format!(
            "[clip.main]\nkind = \"field\"\nsize = [400, 300]\nf = \"x*y\"\nx = [-1, 1]\n\
             y = [-1, 1]\ncolorbar = true\ncolorbar_label = \"{label}\"\n"
        )
    };
    let one = s.frame(&scene("line1"), 0.0);
    let three = s.frame(&scene("line1\\nline2\\nline3\\n\\n\\n"), 0.0);
    // the bar's left edge: its dark frame, the first dark column at mid-height (the
    // field there is viridis' teal)
    let bar_start = |img: &image::RgbaImage| {
        (0..400)
            .find(|&x| {
                let p = img.get_pixel(x, 150);
                p[0] < 60 && p[1] < 60 && p[2] < 60
            })
            .unwrap()
    };
    let moved = bar_start(&one) as i32 - bar_start(&three) as i32;
    assert!((20..=40).contains(&moved), "the bar moved {moved} pixels");
    // no ink in the last three columns: the third line is inside the picture
    for x in 397..400 {
        for y in 0..300 {
            let p = three.get_pixel(x, y);
            assert!(p[0] > 200 && p[1] > 200 && p[2] > 200, "ink at ({x}, {y})");
        }
    }
    // the third line ends where a single line does: the room moved the bar, not the text
    let inked = |img: &image::RgbaImage, x: u32| (0..300).any(|y| img.get_pixel(x, y)[0] < 128);
    let last_ink = (300..400).rev().find(|&x| inked(&three, x)).unwrap();
    let last_ink_one = (300..400).rev().find(|&x| inked(&one, x)).unwrap();
    assert!(
        last_ink.abs_diff(last_ink_one) <= 4,
        "{last_ink} against {last_ink_one}"
    );
    s.write("nl.toml", scene("\\n\\n\\n"));
    let r = s.run(&["check", "nl.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "`colorbar_label` holds only line breaks", "nl.toml:8:18");
    s.write(
        "many.toml",
        scene("x\\n".repeat(11).trim_end_matches("\\n")),
    );
    let r = s.run(&["check", "many.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`colorbar_label` has 11 lines; a colorbar makes room for at most 10"
    );
}
