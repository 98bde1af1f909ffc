//! TIFFs found wanting by the hostile-input round 6 (findings F-U to F-X): each test
//! writes its own file, with the `tiff` crate or byte by byte, and runs the binary.

use crate::util::{read_png, Sandbox};
use crate::{assert_exit, assert_stderr};

/// A little-endian TIFF of one `w`×`h` page of 8-bit samples (`spp` of them a pixel),
/// uncompressed, whose every row is one strip and every strip points at the same row
/// of `row` bytes: a large page in a small file. `strip_bytes` overrides each strip's
/// byte count (a damaged field).
fn shared_row_tiff(w: u32, h: u32, spp: u16, px: &[u8], strip_bytes: Option<u32>) -> Vec<u8> {
    let row: Vec<u8> = (0..w).flat_map(|_| px[..spp as usize].to_vec()).collect();
    let mut out = b"II*\0\0\0\0\0".to_vec();
    let data = out.len() as u32;
    out.extend_from_slice(&row);
    let offsets = out.len() as u32;
    for _ in 0..h {
        out.extend_from_slice(&data.to_le_bytes());
    }
    let counts = out.len() as u32;
    for _ in 0..h {
        out.extend_from_slice(&strip_bytes.unwrap_or(row.len() as u32).to_le_bytes());
    }
    let bits = out.len() as u32;
    for _ in 0..spp {
        out.extend_from_slice(&8u16.to_le_bytes());
    }
    // (tag, type: 3 short or 4 long, count, value or offset)
    let mut entries: Vec<(u16, u16, u32, u32)> = vec![
        (256, 4, 1, w),
        (257, 4, 1, h),
        (258, 3, spp as u32, if spp > 2 { bits } else { 8 }),
        (259, 3, 1, 1),
        (262, 3, 1, if spp >= 3 { 2 } else { 1 }),
        (273, 4, h, offsets),
        (277, 3, 1, spp as u32),
        (278, 4, 1, 1),
        (279, 4, h, counts),
    ];
    if spp == 4 {
        entries.push((338, 3, 1, 2));
    }
    let ifd = out.len() as u32;
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, ty, count, value) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&ty.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        if ty == 3 && count == 1 {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&[0; 4]);
    out[4..8].copy_from_slice(&ifd.to_le_bytes());
    out
}

#[test]
fn regression_a_float_grey_tiff_still_was_refused_as_an_unknown_colour_type() {
    use tiff::encoder::{colortype, TiffEncoder};
    let s = Sandbox::new();
    {
        let mut enc = TiffEncoder::new(std::fs::File::create(s.path("f32.tif")).unwrap()).unwrap();
        enc.write_image::<colortype::Gray32Float>(2, 1, &[0.5, f32::NAN])
            .unwrap();
        let mut enc = TiffEncoder::new(std::fs::File::create(s.path("f64.tif")).unwrap()).unwrap();
        enc.write_image::<colortype::Gray64Float>(2, 1, &[0.25, 7.0])
            .unwrap();
    }
    for (name, want) in [("f32.tif", [128, 0]), ("f64.tif", [64, 255])] {
        s.write(
            "scene.toml",
            format!("[clip.main]\nkind = \"file\"\npath = \"{name}\"\nduration = 0.1\n"),
        );
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 0);
        assert!(r.stdout.contains("main  image  2x1"), "{}", r.stdout);
        let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
        assert_exit!(r, 0);
        let f = read_png(&s.path("f.png"));
        for (x, v) in want.into_iter().enumerate() {
            assert_eq!(
                f.get_pixel(x as u32, 0).0,
                [v, v, v, 255],
                "{name} pixel {x}"
            );
        }
    }
}

#[test]
fn regression_tiff_stack_pages_of_signed_or_32_bit_integer_samples_passed_check() {
    use tiff::encoder::{colortype, TiffEncoder};
    let s = Sandbox::new();
    {
        let mut enc = TiffEncoder::new(std::fs::File::create(s.path("i8.tif")).unwrap()).unwrap();
        enc.write_image::<colortype::Gray8>(2, 2, &[9; 4]).unwrap();
        enc.write_image::<colortype::GrayI8>(2, 2, &[-3; 4])
            .unwrap();
        let mut enc = TiffEncoder::new(std::fs::File::create(s.path("u32.tif")).unwrap()).unwrap();
        enc.write_image::<colortype::Gray32>(2, 2, &[7; 4]).unwrap();
        let mut enc = TiffEncoder::new(std::fs::File::create(s.path("ok.tif")).unwrap()).unwrap();
        enc.write_image::<colortype::Gray8>(2, 2, &[9; 4]).unwrap();
        enc.write_image::<colortype::Gray32Float>(2, 2, &[0.5; 4])
            .unwrap();
    }
    for (name, page, kind) in [
        ("i8.tif", "page 2", "8-bit signed integer"),
        ("u32.tif", "page 1", "32-bit unsigned integer"),
    ] {
        s.write(
            "scene.toml",
            format!("[output]\nfps = 4\n[clip.cells]\nkind = \"images\"\nfiles = \"{name}\"\n"),
        );
        // Refused at load, where `check` sees it, not when the render reaches the page.
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, name, page, kind, "scene.toml:5:");
    }
    s.write(
        "scene.toml",
        "[output]\nfps = 4\n[clip.cells]\nkind = \"images\"\nfiles = \"ok.tif\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
}

#[test]
fn regression_a_tiff_strip_claiming_gigabytes_was_called_larger_than_16384_pixels() {
    let s = Sandbox::new();
    s.write(
        "sbc.tif",
        shared_row_tiff(16, 16, 1, &[128], Some(0xFFFF_FFF0)),
    );
    for (kind, key) in [("file", "path"), ("images", "files")] {
        s.write(
            "scene.toml",
            format!("[output]\nfps = 4\nduration = 0.25\n[clip.main]\nkind = \"{kind}\"\n{key} = \"sbc.tif\"\n"),
        );
        let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
        assert!(
            r.code == 1 || r.code == 2,
            "{kind}: exit {}: {}",
            r.code,
            r.stderr
        );
        assert_stderr!(r, "sbc.tif is damaged or too large to decode");
        assert!(!r.stderr.contains("16384x16384"), "{kind}: {}", r.stderr);
    }
}

#[test]
#[cfg(unix)]
fn regression_a_large_tiff_stack_page_took_three_times_its_frame_while_decoded() {
    // An 8192x8192 RGBA page: a 256 MiB frame. Its decoding held the samples, an RGBA
    // copy and the frame: the release binary needed 850-880 MB of address space for
    // this `frame` (`ulimit -v`), and 600-640 MB once the samples became the frame in
    // place.
    let s = Sandbox::new();
    s.write(
        "big.tif",
        shared_row_tiff(8192, 8192, 4, &[200, 100, 50, 255], None),
    );
    s.write(
        "scene.toml",
        "[output]\nfps = 4\n[clip.main]\nkind = \"images\"\nfiles = \"big.tif\"\n",
    );
    let r = s
        .run_bounded(
            &[
                "frame",
                "scene.toml",
                "-t",
                "0",
                "-o",
                "f.png",
                "--size",
                "16x16",
            ],
            Some(768 << 20),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_exit!(r, 0);
    let f = read_png(&s.path("f.png"));
    assert_eq!(f.get_pixel(8, 8).0, [200, 100, 50, 255]);
}
