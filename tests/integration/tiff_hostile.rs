//! TIFFs found wanting by the hostile-input round 6 (findings F-U to F-X): each test
//! writes its own file, with the `tiff` crate or byte by byte, and runs the binary.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

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
