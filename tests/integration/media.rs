//! Pictures and animations as people have them (issue 20, part 4): EXIF orientation,
//! GIFs that browsers show although they break the rules, damaged JPEGs, animated
//! PNGs, AVIF. Every input is generated here, byte by byte where the point is a byte.

use std::io::Cursor;

use image::{ImageEncoder, RgbaImage};

use crate::util::{assert_px, Sandbox};
use crate::{assert_exit, assert_stderr};

const RED: [u8; 4] = [255, 0, 0, 255];
const GREEN: [u8; 4] = [0, 255, 0, 255];
const BLUE: [u8; 4] = [0, 0, 255, 255];
const WHITE: [u8; 4] = [255, 255, 255, 255];

// ---------------------------------------------------------------- EXIF orientation

/// A 32x16 picture in four 16x8 quadrants: red, blue over green, white.
fn quadrants() -> RgbaImage {
    RgbaImage::from_fn(32, 16, |x, y| {
        image::Rgba(match (x >= 16, y >= 8) {
            (false, false) => RED,
            (true, false) => BLUE,
            (false, true) => GREEN,
            (true, true) => WHITE,
        })
    })
}

/// A big-endian TIFF block with one IFD entry: Orientation (0x0112) = `o`.
fn exif_tiff(o: u16) -> Vec<u8> {
    let mut t = b"MM\x00\x2a\x00\x00\x00\x08".to_vec(); // header, IFD at offset 8
    t.extend_from_slice(&1u16.to_be_bytes()); // one entry
    t.extend_from_slice(&0x0112u16.to_be_bytes()); // tag: Orientation
    t.extend_from_slice(&3u16.to_be_bytes()); // type: SHORT
    t.extend_from_slice(&1u32.to_be_bytes()); // count
    t.extend_from_slice(&o.to_be_bytes());
    t.extend_from_slice(&[0, 0]); // the value field is 4 bytes
    t.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    t
}

/// `img` as a JPEG with an APP1 Exif segment, written by hand, right after SOI.
fn jpeg_with_orientation(img: &RgbaImage, o: u16) -> Vec<u8> {
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 95)
        .encode_image(&image::DynamicImage::ImageRgba8(img.clone()).to_rgb8())
        .unwrap();
    let mut payload = b"Exif\x00\x00".to_vec();
    payload.extend(exif_tiff(o));
    let mut out = plain[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&(payload.len() as u16 + 2).to_be_bytes());
    out.extend(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

/// The colours at the centres of the four quadrants of a 16x32 or 32x16 picture:
/// top-left, top-right, bottom-left, bottom-right.
fn corners(f: &RgbaImage) -> [[u8; 4]; 4] {
    let (w, h) = f.dimensions();
    let at = |x: u32, y: u32| f.get_pixel(x, y).0;
    let (l, r, t, b) = (w / 4, w - 1 - w / 4, h / 4, h - 1 - h / 4);
    [at(l, t), at(r, t), at(l, b), at(r, b)]
}

#[track_caller]
fn assert_colours(got: [[u8; 4]; 4], want: [[u8; 4]; 4], tol: u8) {
    let ok = got
        .iter()
        .zip(want)
        .all(|(g, w)| g.iter().zip(w).all(|(a, b)| a.abs_diff(b) <= tol));
    assert!(ok, "quadrants are {got:?}, expected {want:?} ± {tol}");
}

fn one_file(path: &str) -> String {
    format!("[output]\nfps = 1\nduration = 1\n[clip.main]\nkind = \"file\"\npath = \"{path}\"\n")
}

#[test]
fn exif_orientation_was_ignored_jpeg_photos_came_out_sideways() {
    let s = Sandbox::new();
    let img = quadrants();
    s.write("o6.jpg", jpeg_with_orientation(&img, 6));
    s.write("o3.jpg", jpeg_with_orientation(&img, 3));
    s.write("o1.jpg", jpeg_with_orientation(&img, 1));

    // 6: turn 90° clockwise. The clip is 16 wide and 32 high.
    let f = s.frame(&one_file("o6.jpg"), 0.0);
    assert_eq!(f.dimensions(), (16, 32));
    assert_colours(corners(&f), [GREEN, RED, WHITE, BLUE], 8);
    // The clip's size follows the turned picture for layouts too.
    let r = s.run(&["check", "scene.toml"]);
    assert!(r.stdout.contains("16x32"), "{}", r.stdout);

    // 3: turn 180°.
    let f = s.frame(&one_file("o3.jpg"), 0.0);
    assert_eq!(f.dimensions(), (32, 16));
    assert_colours(corners(&f), [WHITE, GREEN, BLUE, RED], 8);

    // 1: as stored.
    let f = s.frame(&one_file("o1.jpg"), 0.0);
    assert_colours(corners(&f), [RED, BLUE, GREEN, WHITE], 8);
}

#[test]
fn exif_orientation_of_png_and_webp_and_of_image_sequences() {
    let s = Sandbox::new();
    let img = quadrants();
    // PNG (eXIf chunk) turned 270° clockwise, lossless WebP mirrored then turned 90°.
    let mut png = Vec::new();
    let mut enc = image::codecs::png::PngEncoder::new(Cursor::new(&mut png));
    enc.set_exif_metadata(exif_tiff(8)).unwrap();
    enc.write_image(&img, 32, 16, image::ExtendedColorType::Rgba8)
        .unwrap();
    s.write("o8.png", png);
    let mut webp = Vec::new();
    let mut enc = image::codecs::webp::WebPEncoder::new_lossless(Cursor::new(&mut webp));
    enc.set_exif_metadata(exif_tiff(5)).unwrap();
    enc.write_image(&img, 32, 16, image::ExtendedColorType::Rgba8)
        .unwrap();
    s.write("o5.webp", webp);

    let f = s.frame(&one_file("o8.png"), 0.0);
    assert_eq!(f.dimensions(), (16, 32));
    assert_colours(corners(&f), [BLUE, WHITE, RED, GREEN], 0);
    let f = s.frame(&one_file("o5.webp"), 0.0);
    assert_eq!(f.dimensions(), (16, 32));
    assert_colours(corners(&f), [RED, GREEN, BLUE, WHITE], 0);

    // A sequence of turned photos is as large as the turned pictures.
    s.write("seq/1.jpg", jpeg_with_orientation(&img, 6));
    s.write("seq/2.jpg", jpeg_with_orientation(&img, 6));
    let frames = s.render_frames(
        "[output]\nfps = 2\n[clip.main]\nkind = \"images\"\nfiles = \"seq/%d.jpg\"\n",
        &[],
    );
    assert_eq!(frames.len(), 2);
    for f in &frames {
        assert_eq!(f.dimensions(), (16, 32));
        assert_colours(corners(f), [GREEN, RED, WHITE, BLUE], 8);
    }
}

// ---------------------------------------------------------------- lenient GIFs

/// LZW data of `indices` with 8-bit codes, written without compression (a clear code
/// every 200 codes keeps codes 9 bits wide), in sub-blocks, after its code size.
fn lzw(indices: &[u8]) -> Vec<u8> {
    let (clear, end) = (256u32, 257u32);
    let mut codes = vec![clear];
    for (i, &p) in indices.iter().enumerate() {
        if i > 0 && i % 200 == 0 {
            codes.push(clear);
        }
        codes.push(p as u32);
    }
    codes.push(end);
    let mut bytes = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in codes {
        acc |= c << bits;
        bits += 9;
        while bits >= 8 {
            bytes.push(acc as u8);
            acc >>= 8;
            bits -= 8;
        }
    }
    if bits > 0 {
        bytes.push(acc as u8);
    }
    let mut out = vec![8];
    for chunk in bytes.chunks(255) {
        out.push(chunk.len() as u8);
        out.extend_from_slice(chunk);
    }
    out.push(0);
    out
}

/// A GIF89a header for a `w`x`h` screen, with `palette` as its global colour table (none
/// if empty; 256 entries otherwise).
fn gif_header(w: u16, h: u16, palette: &[[u8; 3]]) -> Vec<u8> {
    let mut g = b"GIF89a".to_vec();
    g.extend_from_slice(&w.to_le_bytes());
    g.extend_from_slice(&h.to_le_bytes());
    if palette.is_empty() {
        g.extend_from_slice(&[0x00, 0, 0]);
    } else {
        g.extend_from_slice(&[0xF7, 0, 0]);
        for i in 0..256 {
            g.extend_from_slice(&palette.get(i).copied().unwrap_or([0, 0, 0]));
        }
    }
    g
}

/// A whole-screen frame of `indices`, shown for `delay` hundredths of a second.
fn gif_frame(w: u16, h: u16, delay: u16, indices: &[u8]) -> Vec<u8> {
    let mut f = vec![0x21, 0xF9, 0x04, 0x00];
    f.extend_from_slice(&delay.to_le_bytes());
    f.extend_from_slice(&[0x00, 0x00]);
    f.extend_from_slice(&[0x2C, 0, 0, 0, 0]);
    f.extend_from_slice(&w.to_le_bytes());
    f.extend_from_slice(&h.to_le_bytes());
    f.push(0x00); // no local colour table
    f.extend(lzw(indices));
    f
}

#[test]
fn gif_with_an_unknown_extension_block_was_refused() {
    // As image-gif's issue-209-extension-block-type.gif: an extension labelled 0x2A.
    let s = Sandbox::new();
    let mut g = gif_header(2, 1, &[[255, 0, 0], [0, 0, 255]]);
    g.extend_from_slice(b"\x21\x2a\x05Hello\x05World\x00");
    g.extend(gif_frame(2, 1, 10, &[1, 0]));
    g.push(0x3B);
    s.write("ext.gif", &g);
    let f = s.frame(&one_file("ext.gif"), 0.0);
    assert_px(&f, 0, 0, BLUE, 0);
    assert_px(&f, 1, 0, RED, 0);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn gif_with_an_unknown_block_after_its_last_frame_was_refused() {
    // As Pillow's test_extents_transparency.gif: a second GIF appended to the first.
    let s = Sandbox::new();
    let mut g = gif_header(2, 1, &[[255, 0, 0], [0, 0, 255]]);
    g.extend(gif_frame(2, 1, 20, &[0, 1]));
    g.extend(gif_frame(2, 1, 30, &[1, 1]));
    let end = g.len();
    g.extend(gif_header(2, 1, &[[0, 255, 0]]));
    g.extend(gif_frame(2, 1, 10, &[0, 0]));
    g.push(0x3B);
    s.write("two.gif", &g);
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"file\"\npath = \"two.gif\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "two.gif has an unknown block (0x47)",
        &format!("at byte {end}, after frame 2")
    );
    // Both frames before it play, for their own delays: 0.2 s + 0.3 s.
    assert!(r.stdout.contains("gif  2x1  0.00..0.50 s"), "{}", r.stdout);
    let frames = s.render_frames(
        "[output]\nfps = 10\n[clip.main]\nkind = \"file\"\npath = \"two.gif\"\n",
        &[],
    );
    let colours: Vec<[u8; 4]> = frames.iter().map(|f| f.get_pixel(0, 0).0).collect();
    assert_eq!(colours, [RED, RED, BLUE, BLUE, BLUE]);

    // Before any frame the same block is still an error with its place.
    let mut bad = gif_header(2, 1, &[[255, 0, 0]]);
    bad.push(0x47);
    s.write("bad.gif", &bad);
    s.write("scene.toml", one_file("bad.gif"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "bad.gif", "scene.toml:6:8");
}

#[test]
fn gif_without_a_colour_table_was_refused() {
    // As Pillow's no_palette.gif: no global table, no local one. Index i is grey i.
    let s = Sandbox::new();
    let mut g = gif_header(3, 1, &[]);
    g.extend(gif_frame(3, 1, 10, &[0, 200, 255]));
    g.push(0x3B);
    s.write("grey.gif", &g);
    s.write("scene.toml", one_file("grey.gif"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "grey.gif has no colour table", "grey levels");
    let f = s.frame(&one_file("grey.gif"), 0.0);
    assert_px(&f, 0, 0, [0, 0, 0, 255], 0);
    assert_px(&f, 1, 0, [200, 200, 200, 255], 0);
    assert_px(&f, 2, 0, WHITE, 0);
}

// ---------------------------------------------------------------- damaged JPEG

#[test]
fn jpeg_with_a_corrupt_scan_rendered_half_grey_without_a_warning() {
    let s = Sandbox::new();
    let img = RgbaImage::from_pixel(64, 64, image::Rgba(RED));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&image::DynamicImage::ImageRgba8(img).to_rgb8())
        .unwrap();
    // The entropy-coded data runs from after the SOS segment to EOI. Replace its second
    // half with ones (0xFF, stuffed as 0xFF 0x00): no Huffman code is all ones.
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let start = sos + 2 + u16::from_be_bytes([jpeg[sos + 2], jpeg[sos + 3]]) as usize;
    let end = jpeg.len() - 2;
    let mid = start + (end - start) / 2;
    let mut bad = jpeg[..mid].to_vec();
    for _ in mid..end {
        bad.extend_from_slice(&[0xFF, 0x00]);
    }
    bad.extend_from_slice(&[0xFF, 0xD9]);
    s.write("seq/1.jpg", &bad);
    s.write("seq/2.jpg", &bad);
    s.write("seq/3.jpg", &jpeg);

    let f = s.frame(&one_file("seq/1.jpg"), 0.0);
    assert_px(&f, 2, 2, RED, 8); // before the damage
    assert_px(&f, 60, 60, [128, 128, 128, 255], 8); // after it
                                                    // The warning names the file, once even when a sequence shows it over many frames.
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"images\"\nfiles = \"seq/%d.jpg\"\nfps = 2\n",
    );
    let r = s.run(&["render", "scene.toml", "-o", "out/", "-q"]);
    assert_exit!(r, 0);
    assert_eq!(
        r.stderr.matches("1.jpg is damaged").count(),
        1,
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stderr.matches("2.jpg is damaged").count(),
        1,
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("3.jpg"), "{}", r.stderr);
    assert_stderr!(r, "what follows the damage is shown grey");

    // Stray bytes between header segments (libjpeg skips them too): the picture is
    // whole, so nothing is said.
    let mut junk = jpeg[..2].to_vec();
    junk.extend_from_slice(&[0x00; 8]);
    junk.extend_from_slice(&jpeg[2..]);
    s.write("junk.jpg", &junk);
    s.write("scene.toml", one_file("junk.jpg"));
    let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "junk.png"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("damaged"), "{}", r.stderr);
    let f = crate::util::read_png(&s.path("junk.png"));
    assert_px(&f, 60, 60, RED, 8);
}

// ---------------------------------------------------------------- APNG

/// An 8x8 APNG: red (0.1 s, kept); a half-transparent blue square over it (0.2 s, then
/// cleared); a green corner (0 s: plays as 0.1 s, then put back); a white pixel
/// (50/0: the spec reads a denominator of 0 as 100, so 0.5 s).
fn write_apng(path: &std::path::Path) {
    use png::{BlendOp, DisposeOp};
    let file = std::fs::File::create(path).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), 8, 8);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_animated(4, 0).unwrap();
    let mut w = enc.write_header().unwrap();
    let solid = |n: usize, c: [u8; 4]| -> Vec<u8> { (0..n).flat_map(|_| c).collect() };
    // (x, y, w, h, colour, delay, dispose, blend)
    type Spec = ([u32; 4], [u8; 4], (u16, u16), DisposeOp, BlendOp);
    let frames: [Spec; 4] = [
        ([0, 0, 8, 8], RED, (1, 10), DisposeOp::None, BlendOp::Source),
        (
            [4, 0, 4, 4],
            [0, 0, 255, 128],
            (20, 100),
            DisposeOp::Background,
            BlendOp::Over,
        ),
        (
            [0, 6, 2, 2],
            GREEN,
            (0, 100),
            DisposeOp::Previous,
            BlendOp::Source,
        ),
        (
            [7, 7, 1, 1],
            WHITE,
            (50, 0),
            DisposeOp::None,
            BlendOp::Source,
        ),
    ];
    for ([x, y, fw, fh], c, (num, den), dispose, blend) in frames {
        w.set_frame_dimension(fw, fh).unwrap();
        w.set_frame_position(x, y).unwrap();
        w.set_frame_delay(num, den).unwrap();
        w.set_dispose_op(dispose).unwrap();
        w.set_blend_op(blend).unwrap();
        w.write_image_data(&solid((fw * fh) as usize, c)).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn apng_was_refused_by_its_extension() {
    let s = Sandbox::new();
    write_apng(&s.path("anim.apng"));
    let scene = "[output]\nfps = 20\nbackground = \"transparent\"\n[clip.main]\nkind = \"file\"\npath = \"anim.apng\"\n";
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout.contains("main  apng  8x8  0.00..0.90 s"),
        "{}",
        r.stdout
    );
    let frames = s.render_frames(scene, &[]);
    assert_eq!(frames.len(), 18);
    // 0.00–0.10: red.
    assert_px(&frames[1], 5, 1, RED, 0);
    // 0.10–0.30: the blue square blended over red.
    assert_px(&frames[3], 5, 1, [127, 0, 128, 255], 1);
    assert_px(&frames[3], 1, 1, RED, 0);
    // 0.30–0.40: the square cleared to transparent; the green corner.
    assert_px(&frames[7], 5, 1, [0, 0, 0, 0], 0);
    assert_px(&frames[7], 0, 7, GREEN, 0);
    // 0.40–0.90: the corner put back as it was before; the white pixel.
    for f in &frames[8..] {
        assert_px(f, 0, 7, RED, 0);
        assert_px(f, 7, 7, WHITE, 0);
        assert_px(f, 5, 1, [0, 0, 0, 0], 0);
    }
}

#[test]
fn animated_png_plays_with_loop_and_duration_like_a_gif() {
    let s = Sandbox::new();
    // The same animation named .png.
    write_apng(&s.path("anim.png"));
    let scene = "[output]\nfps = 20\n[clip.main]\nkind = \"file\"\npath = \"anim.png\"\nloop = true\nduration = 2\n";
    let frames = s.render_frames(scene, &[]);
    assert_eq!(frames.len(), 40);
    // 1.0 s is 0.1 s into the second play: the blue square.
    assert_px(&frames[21], 5, 1, [127, 0, 128, 255], 1);
    // 1.75 s is 0.85 s into the second play: the white pixel; 1.95 s the square again.
    assert_px(&frames[35], 7, 7, WHITE, 0);
    assert_px(&frames[39], 5, 1, [127, 0, 128, 255], 1);

    // A still PNG named .apng is a still picture.
    let mut still = Vec::new();
    RgbaImage::from_pixel(3, 2, image::Rgba(GREEN))
        .write_to(&mut Cursor::new(&mut still), image::ImageFormat::Png)
        .unwrap();
    s.write("still.apng", still);
    let f = s.frame(&one_file("still.apng"), 0.0);
    assert_eq!(f.dimensions(), (3, 2));
    assert_px(&f, 1, 1, GREEN, 0);
}

// ---------------------------------------------------------------- AVIF

#[test]
fn avif_was_refused_with_a_generic_message() {
    let s = Sandbox::new();
    // The start of an AVIF file: an ISO-BMFF `ftyp` box with the `avif` brand.
    let head = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf";
    s.write("photo.avif", head);
    s.write("scene.toml", one_file("photo.avif"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`photo.avif` is an AVIF picture, which animate cannot decode",
        "convert it to PNG",
        "scene.toml:6:8"
    );
    // Told by its contents whatever its name.
    s.write("photo.png", head);
    s.write("scene.toml", one_file("photo.png"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "photo.png is an AVIF picture", "scene.toml:6:8");
}

/// CRC-32 as PNG chunks use it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[test]
fn apng_claiming_billions_of_frames_is_refused_before_decoding() {
    let s = Sandbox::new();
    write_apng(&s.path("anim.apng"));
    let mut data = std::fs::read(s.path("anim.apng")).unwrap();
    // acTL: num_frames = 2^31 - 1, the most the spec allows (the file holds 4): so many
    // composites of an 8x8 canvas would write 512 GiB.
    let at = data.windows(4).position(|w| w == b"acTL").unwrap();
    data[at + 4..at + 8].copy_from_slice(&0x7FFF_FFFFu32.to_be_bytes());
    let crc = crc32(&data[at..at + 12]);
    data[at + 12..at + 16].copy_from_slice(&crc.to_be_bytes());
    s.write("bomb.apng", &data);
    s.write("scene.toml", one_file("bomb.apng"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "bomb.apng has too many frames", "scene.toml:6:8");
}

/// A PNG chunk: length, type, data, CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let crc = crc32(&c[4..]);
    c.extend_from_slice(&crc.to_be_bytes());
    c
}

/// `raw` in a zlib stream of one stored (uncompressed) deflate block.
fn zlib_stored(raw: &[u8]) -> Vec<u8> {
    let mut z = vec![0x78, 0x01, 0x01];
    z.extend_from_slice(&(raw.len() as u16).to_le_bytes());
    z.extend_from_slice(&(!(raw.len() as u16)).to_le_bytes());
    z.extend_from_slice(raw);
    let (mut a, mut b) = (1u32, 0u32);
    for &x in raw {
        a = (a + x as u32) % 65521;
        b = (b + a) % 65521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    z
}

/// An fcTL chunk's data: a `w`x`h` frame at (`x`, `y`) shown 0.1 s, dispose none,
/// blend source.
fn fctl(seq: u32, [w, h, x, y]: [u32; 4]) -> Vec<u8> {
    let mut d = seq.to_be_bytes().to_vec();
    for v in [w, h, x, y] {
        d.extend_from_slice(&v.to_be_bytes());
    }
    d.extend_from_slice(&[0, 1, 0, 10, 0, 0]);
    d
}

#[test]
fn interlaced_apng_frames_narrower_than_the_canvas() {
    // Written by hand (the png crate writes no interlaced files): a 2x2 RGBA canvas,
    // Adam7-interlaced. Frame 1 covers it; frame 2 is a 1x2 column at x = 1.
    let mut ihdr = 2u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&2u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 1]); // 8-bit RGBA, interlaced
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    let mut actl = 2u32.to_be_bytes().to_vec();
    actl.extend_from_slice(&0u32.to_be_bytes());
    png.extend(chunk(b"acTL", &actl));
    png.extend(chunk(b"fcTL", &fctl(0, [2, 2, 0, 0])));
    // Adam7 of 2x2: pass 1 holds (0,0), pass 6 (1,0), pass 7 the row y = 1; each
    // reduced row starts with filter type 0.
    let mut raw = vec![0];
    raw.extend(RED);
    raw.push(0);
    raw.extend(GREEN);
    raw.push(0);
    raw.extend(BLUE);
    raw.extend(WHITE);
    png.extend(chunk(b"IDAT", &zlib_stored(&raw)));
    png.extend(chunk(b"fcTL", &fctl(1, [1, 2, 1, 0])));
    // Adam7 of 1x2: pass 1 holds (0,0), pass 7 (0,1).
    let mut raw = vec![0];
    raw.extend(BLUE);
    raw.push(0);
    raw.extend(RED);
    let mut fdat = 2u32.to_be_bytes().to_vec();
    fdat.extend(zlib_stored(&raw));
    png.extend(chunk(b"fdAT", &fdat));
    png.extend(chunk(b"IEND", &[]));
    let s = Sandbox::new();
    s.write("interlaced.apng", &png);
    let frames = s.render_frames(
        "[output]\nfps = 10\n[clip.main]\nkind = \"file\"\npath = \"interlaced.apng\"\n",
        &[],
    );
    assert_eq!(frames.len(), 2);
    assert_px(&frames[0], 0, 0, RED, 0);
    assert_px(&frames[0], 1, 0, GREEN, 0);
    assert_px(&frames[0], 0, 1, BLUE, 0);
    assert_px(&frames[0], 1, 1, WHITE, 0);
    assert_px(&frames[1], 0, 0, RED, 0);
    assert_px(&frames[1], 1, 0, BLUE, 0);
    assert_px(&frames[1], 0, 1, BLUE, 0);
    assert_px(&frames[1], 1, 1, RED, 0);
}

#[test]
fn sixteen_bit_and_grey_apng_frames_are_read_at_8_bits() {
    // `image`'s APNG decoder panics on 16-bit frames; these are read through `png`.
    let s = Sandbox::new();
    let file = std::fs::File::create(s.path("deep.apng")).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), 2, 1);
    enc.set_color(png::ColorType::GrayscaleAlpha);
    enc.set_depth(png::BitDepth::Sixteen);
    enc.set_animated(2, 0).unwrap();
    let mut w = enc.write_header().unwrap();
    w.set_frame_delay(1, 10).unwrap();
    // grey 0xFFFF opaque, grey 0x8080 opaque
    w.write_image_data(&[0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x80, 0xFF, 0xFF])
        .unwrap();
    w.set_frame_dimension(1, 1).unwrap();
    w.set_frame_position(1, 0).unwrap();
    w.write_image_data(&[0x00, 0x00, 0xFF, 0xFF]).unwrap();
    w.finish().unwrap();
    let frames = s.render_frames(
        "[output]\nfps = 10\n[clip.main]\nkind = \"file\"\npath = \"deep.apng\"\n",
        &[],
    );
    assert_eq!(frames.len(), 2);
    assert_px(&frames[0], 0, 0, WHITE, 0);
    assert_px(&frames[0], 1, 0, [128, 128, 128, 255], 0);
    assert_px(&frames[1], 0, 0, WHITE, 0);
    assert_px(&frames[1], 1, 0, [0, 0, 0, 255], 0);
}

#[test]
fn apng_with_two_animation_controls_shows_its_still_picture() {
    // Not a valid APNG (Pillow's chunk_multi_actl.png): its default picture is shown.
    let s = Sandbox::new();
    write_apng(&s.path("anim.apng"));
    let data = std::fs::read(s.path("anim.apng")).unwrap();
    let at = data.windows(4).position(|w| w == b"acTL").unwrap() - 4;
    let mut twice = data[..at + 20].to_vec();
    twice.extend_from_slice(&data[at..]);
    s.write("twice.apng", &twice);
    s.write("scene.toml", one_file("twice.apng"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("main  image  8x8"), "{}", r.stdout);
    let f = s.frame(&one_file("twice.apng"), 0.0);
    assert_px(&f, 5, 1, RED, 0);
}
