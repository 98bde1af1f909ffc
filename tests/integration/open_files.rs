//! Files kept open through a render (hard11, F-AR): a source that keeps a descriptor
//! for each clip made a scene of many clips fail with "Too many open files". Each test
//! writes more clips than the process may have descriptors, and runs the binary under
//! a low `ulimit -n` (set by `sh -c`, as other tests set `ulimit -v`).

use crate::plots::npy;
use crate::util::{Run, Sandbox};
use crate::{assert_exit, assert_stderr};

/// The descriptors the binary may have open in these tests.
const LIMIT: u32 = 64;
/// Clips reading files in each scene: well past [`LIMIT`].
const CLIPS: usize = 150;

/// `animate args…` in `s`, with at most `limit` open files.
pub(crate) fn run_with_open_files(s: &Sandbox, limit: u32, args: &[&str]) -> Run {
    s.run_under_ulimit(&format!("-n {limit}"), args)
}

/// The frames rendered into `out/`, in order.
fn frames(s: &Sandbox) -> Vec<image::RgbaImage> {
    let mut names: Vec<_> = std::fs::read_dir(s.path("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names.iter().map(|p| crate::util::read_png(p)).collect()
}

/// A composite of `names` drawn on top of each other.
fn composite(names: impl Iterator<Item = String>) -> String {
    let layers: Vec<String> = names.map(|n| format!("{{ clip = \"{n}\" }}")).collect();
    format!(
        "[clip.main]\nkind = \"composite\"\nlayers = [\n  {}\n]\n",
        layers.join(",\n  ")
    )
}

/// A scene of `programs` program clips `p0`, `p1`… composited, each writing the 2×2
/// frame in `px.raw` and holding its pipes open a second.
pub(crate) fn program_streams(programs: usize) -> String {
    let mut scene = String::from("[output]\nfps = 2\n");
    for i in 0..programs {
        scene += &format!(
            "[clip.p{i}]\nkind = \"program\"\nrun = [\"sh\", \"-c\", \"cat px.raw; sleep 1\"]\n\
             format = \"rgba\"\nsize = [2, 2]\nduration = 0.5\n"
        );
    }
    scene + &composite((0..programs).map(|i| format!("p{i}")))
}

/// Two 2×2 frames of `f4`: 0 then `v` everywhere.
fn two_frames(v: f32) -> Vec<u8> {
    let data: Vec<u8> = [0.0f32, v]
        .iter()
        .flat_map(|x| std::iter::repeat_n(*x, 4))
        .flat_map(|x| x.to_le_bytes())
        .collect();
    npy("<f4", "(2, 2, 2)", &data)
}

#[test]
fn regression_each_numpy_clip_kept_its_file_open_for_the_whole_render() {
    let s = Sandbox::new();
    let mut scene = String::from("[output]\nfps = 2\n");
    for i in 0..CLIPS {
        s.write(&format!("a{i}.npy"), two_frames(1.0));
        scene += &format!(
            "[clip.f{i}]\nkind = \"field\"\nnpy = \"a{i}.npy\"\ncolormap = \"gray\"\nvmin = 0\nvmax = 1\n"
        );
    }
    scene += &composite((0..CLIPS).map(|i| format!("f{i}")));
    s.write("scene.toml", scene);
    let r = run_with_open_files(&s, LIMIT, &["render", "scene.toml", "-o", "out/", "-q"]);
    assert_exit!(r, 0);
    let second = frames(&s)[1].clone();
    assert_eq!(second.get_pixel(1, 1).0, [255, 255, 255, 255]);
}

#[test]
fn regression_from_copies_of_a_numpy_clip_each_kept_the_file_open() {
    let s = Sandbox::new();
    s.write("a.npy", two_frames(1.0));
    let mut scene = String::from(
        "[output]\nfps = 2\n[clip.a]\nkind = \"field\"\nnpy = \"a.npy\"\ncolormap = \"gray\"\n",
    );
    // Keys of their own: each copy is built again from the table, file and all.
    for i in 0..CLIPS {
        scene += &format!("[clip.c{i}]\nfrom = \"a\"\nvmin = 0\nvmax = {}\n", i + 1);
    }
    scene += &composite((0..CLIPS).map(|i| format!("c{i}")));
    s.write("scene.toml", scene);
    let r = run_with_open_files(&s, LIMIT, &["render", "scene.toml", "-o", "out.gif", "-q"]);
    assert_exit!(r, 0);
    assert!(s.path("out.gif").exists());
}

/// A little-endian TIFF of `pages` 2×2 grey 8-bit pages, page k of level 100·k.
fn tiff_stack(pages: u8) -> Vec<u8> {
    use tiff::encoder::{colortype, TiffEncoder};
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut enc = TiffEncoder::new(&mut out).unwrap();
        for k in 0..pages {
            enc.write_image::<colortype::Gray8>(2, 2, &[100 * k; 4])
                .unwrap();
        }
    }
    out.into_inner()
}

#[test]
fn regression_each_tiff_stack_kept_its_file_open_for_the_whole_render() {
    let s = Sandbox::new();
    let mut scene = String::from("[output]\nfps = 2\n");
    for i in 0..CLIPS {
        s.write(&format!("s{i}.tif"), tiff_stack(2));
        scene += &format!("[clip.s{i}]\nkind = \"images\"\nfiles = \"s{i}.tif\"\nfps = 2\n");
    }
    scene += &composite((0..CLIPS).map(|i| format!("s{i}")));
    s.write("scene.toml", scene);
    let r = run_with_open_files(&s, LIMIT, &["render", "scene.toml", "-o", "out/", "-q"]);
    assert_exit!(r, 0);
    let second = frames(&s)[1].clone();
    assert_eq!(second.get_pixel(0, 0).0, [100, 100, 100, 255]);
}

/// Pictures, GIFs, image sequences and CSV files are read whole while the scene loads
/// (or, for a sequence, a picture at a time when it is drawn): none keeps a descriptor.
#[test]
fn pictures_gifs_sequences_and_csv_files_keep_no_file_open() {
    let s = Sandbox::new();
    s.write_picture("p.png", 2, 2, [255, 0, 0, 255]);
    s.write_gif(
        "g.gif",
        2,
        2,
        &[([0, 255, 0, 255], 10), ([0, 0, 255, 255], 10)],
    );
    s.write_picture("seq/0001.png", 2, 2, [0, 0, 255, 255]);
    s.write_picture("seq/0002.png", 2, 2, [0, 0, 255, 255]);
    s.write("d.csv", "x,y\n0,1\n1,2\n");
    let mut scene = String::from("[output]\nfps = 2\n");
    let mut names = Vec::new();
    for i in 0..CLIPS / 3 {
        scene += &format!(
            "[clip.p{i}]\nkind = \"file\"\npath = \"p.png\"\nduration = 1\n\
             [clip.g{i}]\nkind = \"file\"\npath = \"g.gif\"\n\
             [clip.s{i}]\nkind = \"images\"\nfiles = \"seq/%04d.png\"\nfps = 2\n\
             [clip.c{i}]\nkind = \"plot\"\nsize = [8, 8]\nduration = 1\nseries = [{{ csv = \"d.csv\", x = \"x\", y = \"y\" }}]\n"
        );
        names.extend([
            format!("p{i}"),
            format!("g{i}"),
            format!("s{i}"),
            format!("c{i}"),
        ]);
    }
    scene += &composite(names.into_iter());
    s.write("scene.toml", scene);
    let r = run_with_open_files(&s, LIMIT, &["render", "scene.toml", "-o", "out.gif", "-q"]);
    assert_exit!(r, 0);
}

/// Running programs each hold their output and error pipes: drawn at once, enough of
/// them run out of descriptors whatever animate does. The error says so in plain
/// words, names the clip and suggests `ulimit -n` (it said "Too many open files (os
/// error 24)"), and nothing is written.
#[test]
fn regression_running_out_of_descriptors_was_told_in_the_system_s_words() {
    let s = Sandbox::new();
    s.write("px.raw", [9u8; 16]);
    // 60: each stream may hold 64 MiB of frames, and a scene at most 4 GiB.
    let programs = 60;
    let scene = program_streams(programs);
    s.write("scene.toml", scene);
    let r = run_with_open_files(
        &s,
        LIMIT,
        &[
            "render",
            "scene.toml",
            "-o",
            "out.gif",
            "-q",
            "--allow-programs",
        ],
    );
    assert_exit!(r, 1);
    assert_stderr!(
        r,
        "clip `p",
        "animate has as many files open as the system lets one process have (`ulimit -n` is 64)",
        "ulimit -n 4096"
    );
    assert!(!r.stderr.contains("os error"), "{}", r.stderr);
    let left: Vec<String> = s
        .files()
        .into_iter()
        .filter(|f| f.contains("out"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[cfg(feature = "video")]
mod media {
    use super::*;
    use crate::sound_util::{mono, tone, write_wav};

    #[test]
    fn regression_each_sound_kept_a_temporary_file_open_for_the_whole_render() {
        let s = Sandbox::new();
        write_wav(
            &s.path("a.wav"),
            8000,
            1,
            &mono(8000, 0.5, tone(440.0, 0.1)),
        );
        let mut scene = String::from(
            "[output]\nfps = 4\n[clip.bg]\nkind = \"color\"\ncolor = \"navy\"\nsize = [16, 16]\nduration = 0.5\n",
        );
        for i in 0..CLIPS {
            scene += &format!("[clip.a{i}]\nkind = \"audio\"\npath = \"a.wav\"\n");
        }
        scene += &composite(
            std::iter::once("bg".to_string()).chain((0..CLIPS).map(|i| format!("a{i}"))),
        );
        s.write("scene.toml", scene);
        let r = run_with_open_files(&s, LIMIT, &["render", "scene.toml", "-o", "out.mp4", "-q"]);
        assert_exit!(r, 0);
        assert!(s.path("out.mp4").exists());
    }

    /// A video decoder reads its file as it goes, so it keeps it open: each video clip
    /// drawn kept one, and a scene of more than the limit allows failed while loading
    /// ("it is damaged or not a video file (FFmpeg says: too many open files)"). At
    /// most an eighth of the limit stay open now, idle ones closed for others.
    #[test]
    fn regression_each_video_clip_kept_a_decoder_and_its_file_open() {
        let s = Sandbox::new();
        s.write(
            "gen.toml",
            "[output]\nfps = 4\n[clip.main]\nkind = \"color\"\ncolor = \"teal\"\nsize = [16, 16]\nduration = 0.5\n",
        );
        assert_exit!(s.run(&["render", "gen.toml", "-o", "v.mp4", "-q"]), 0);
        let mut scene = String::from("[output]\nfps = 4\n");
        for i in 0..CLIPS {
            scene += &format!("[clip.v{i}]\nkind = \"video\"\npath = \"v.mp4\"\n");
        }
        scene += &composite((0..CLIPS).map(|i| format!("v{i}")));
        s.write("scene.toml", scene);
        let r = run_with_open_files(&s, LIMIT, &["render", "scene.toml", "-o", "out/", "-q"]);
        assert_exit!(r, 0);
        let last = frames(&s)[1].clone();
        let [r_, g, b, _] = last.get_pixel(8, 8).0;
        assert!(r_ < 20 && g > 100 && b > 100, "teal: {r_} {g} {b}");
    }
}
