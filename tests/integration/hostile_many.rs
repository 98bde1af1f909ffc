//! Scenes found wanting by the hostile-input round 7 (findings F-AL to F-AN): the cost of
//! scenes with many clips, measurements or items, which should follow what the scene
//! draws. Each test writes its own scene and inputs.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A scene of `extra` unused copies of a video clip beside the one the root shows.
#[cfg(feature = "video")]
fn copies_of_a_video(extra: usize) -> String {
    let mut s = String::from("[clip.main]\nkind = \"video\"\npath = \"in.mp4\"\n");
    for k in 0..extra {
        s += &format!("\n[clip.unused{k}]\nkind = \"video\"\npath = \"in.mp4\"\n");
    }
    s
}

#[test]
#[cfg(all(feature = "video", target_os = "linux"))]
fn regression_an_unused_video_clip_kept_its_decoder_open() {
    let sb = Sandbox::new();
    let mut gen = String::from("[output]\nfps = 25\n");
    for k in 0..10 {
        gen += &format!(
            "[clip.f{k}]\nkind = \"color\"\ncolor = [{}, 60, 99]\nsize = [320, 240]\nduration = 0.04\n",
            k * 20
        );
    }
    let names: Vec<String> = (0..10).map(|k| format!("\"f{k}\"")).collect();
    gen += &format!(
        "[clip.main]\nkind = \"sequence\"\nclips = [{}]\n",
        names.join(", ")
    );
    sb.write("gen.toml", gen);
    assert_exit!(sb.run(&["render", "gen.toml", "-o", "in.mp4", "-q"]), 0);
    sb.write("many.toml", copies_of_a_video(100));
    // Each clip kept the decoder that read its first frame, with FFmpeg's buffers and
    // threads: 100 unused copies of this 320x240 file took 610 MB for `check` (5.6 MB
    // each), and under a 1.5 GB address space they failed "cannot start its decoder".
    let (code, peak, stderr) = sb.code_and_peak(&["check", "many.toml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(peak < 200 << 20, "check took {} MiB", peak >> 20);
    let r = sb
        .run_bounded(&["check", "many.toml"], Some(1500 << 20))
        .unwrap();
    assert_exit!(r, 0);
    // Rendered, the unused ones open nothing either, and the used one still plays.
    let r = sb
        .run_bounded(
            &["render", "many.toml", "-o", "out.gif", "-q"],
            Some(1500 << 20),
        )
        .unwrap();
    assert_exit!(r, 0);
    let frames = crate::util::read_gif(&sb.path("out.gif"));
    assert_eq!(frames.len(), 10);
    let px = frames[3].0.get_pixel(160, 120).0;
    assert!(
        px[0].abs_diff(60) <= 12 && px[1].abs_diff(60) <= 12,
        "{px:?}"
    );
}

#[test]
fn regression_each_measurement_of_one_clip_rendered_it_again() {
    let sb = Sandbox::new();
    // A program run once a frame, logging each run: how often the clip is rendered.
    sb.write_picture("one.png", 4, 4, [200, 100, 50, 255]);
    let scene = r#"
[output]
fps = 10
[clip.p]
kind = "program"
each = "frame"
run = ["sh", "-c", "echo run >> runs.log; cat one.png"]
size = [4, 4]
duration = 0.5
[measure.red]
clip = "p"
channel = "red"
[measure.green]
clip = "p"
channel = "green"
[measure.blue]
clip = "p"
channel = "blue"
stat = "max"
[measure.lum]
clip = "p"
[clip.main]
kind = "color"
color = "white"
size = [4, 4]
duration = 0.1
effects = [{ opacity = "(red - green - blue + 0 * lum) / 255" }]
"#;
    sb.write("scene.toml", scene);
    let r = sb.run(&[
        "frame",
        "scene.toml",
        "-t",
        "0",
        "-o",
        "out.png",
        "--allow-programs",
    ]);
    assert_exit!(r, 0);
    // Each measurement made a pass of its own: the program ran 8 times (it keeps its 4
    // latest frames, so each later pass ran it once more). One shared pass runs it 5.
    let runs = std::fs::read_to_string(sb.path("runs.log")).unwrap();
    assert_eq!(runs.lines().count(), 5, "{runs}");
    // Each measurement keeps its own statistic: (200 - 100 - 50) / 255 white on black.
    let img = crate::util::read_png(&sb.path("out.png"));
    crate::util::assert_px(&img, 2, 2, [50, 50, 50, 255], 1);
}

#[test]
#[cfg(target_os = "linux")]
fn regression_a_scene_of_a_million_inline_tables_took_gigabytes_to_load() {
    let sb = Sandbox::new();
    let head = "[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 1\n\n\
                [clip.main]\nkind = \"composite\"\nlayers = [";
    // 400 000 layers of three items each (`{`, `clip`, `"a"`), 4.4 MB: loading kept
    // about 2 KB a layer before the draw limit refused it (150 000 took 326 MB); 1.5
    // million took 3.2 GB. Counted before parsing, the scene is refused at the
    // 1 000 001st item.
    let layers = vec!["{clip=\"a\"}"; 400_000].join(",");
    sb.write("big.toml", format!("{head}{layers}]\n"));
    let r = sb.run(&["check", "big.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "the scene has more than 1000000 keys, values, tables and lists",
        "big.toml:9:"
    );
    let (code, peak, stderr) = sb.code_and_peak(&["check", "big.toml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(peak < 100 << 20, "check took {} MiB", peak >> 20);
    // A scene of over 1 MiB of clips still loads: 14 000 clip tables.
    let mut real = String::from("[output]\nroot = \"c0\"\n");
    for k in 0..14_000 {
        real += &format!(
            "\n[clip.c{k}]\nkind = \"color\"\ncolor = [{}, 128, 0]\nsize = [64, 48]\nduration = 2\n",
            k % 256
        );
    }
    assert!(real.len() > 1 << 20);
    sb.write("real.toml", real);
    assert_exit!(sb.run(&["check", "real.toml"]), 0);
}

#[test]
#[cfg(target_os = "linux")]
fn regression_an_unused_gif_kept_its_decoded_frames() {
    let sb = Sandbox::new();
    // 20 distinct 200x200 frames: 3.2 MB decoded.
    let frames: Vec<([u8; 4], u16)> = (0..20u8).map(|k| ([k * 12, 80, 160, 255], 5)).collect();
    sb.write_gif("anim.gif", 200, 200, &frames);
    let mut scene = String::from(
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 0.2\n",
    );
    for k in 0..100 {
        scene += &format!("\n[clip.unused{k}]\nkind = \"file\"\npath = \"anim.gif\"\n");
    }
    sb.write("many.toml", &scene);
    // Each unused copy kept its frames: 100 of them took 330 MB for `check`.
    for args in [
        &["check", "many.toml"][..],
        &["render", "many.toml", "-o", "out.gif", "-q"][..],
    ] {
        let (code, peak, stderr) = sb.code_and_peak(args);
        assert_eq!(code, 0, "{stderr}");
        assert!(peak < 120 << 20, "{args:?} took {} MiB", peak >> 20);
    }
    // Used, the same GIF still plays its frames, and a broken one is still refused.
    scene += "\n[clip.shown]\nkind = \"file\"\npath = \"anim.gif\"\n";
    sb.write(
        "used.toml",
        scene.replace("[clip.main]", "[clip.old]") + "\n[output]\nroot = \"shown\"\n",
    );
    let r = sb.run(&["render", "used.toml", "-o", "used.gif", "-q"]);
    assert_exit!(r, 0);
    let got = crate::util::read_gif(&sb.path("used.gif"));
    assert_eq!(got.len(), 20);
    crate::util::assert_px(&got[10].0, 5, 5, [120, 80, 160, 255], 2);
    sb.write("anim.gif", b"GIF89a broken");
    let r = sb.run(&["check", "many.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "anim.gif");
}
