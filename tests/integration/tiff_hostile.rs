//! TIFFs found wanting by the hostile-input round 6 (findings F-U to F-X): each test
//! writes its own file, with the `tiff` crate or byte by byte, and runs the binary.

use crate::util::{read_png, Sandbox};
use crate::{assert_exit, assert_stderr};

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
