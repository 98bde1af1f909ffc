//! Found by the hostile-input round 8 (findings F-AO, F-AP, F-AS): a NumPy frame's
//! memory per render worker, an interrupted frames render's temporary folder, and
//! frames written through a link to a folder on another file system. Each test makes
//! its own inputs.

use std::time::Duration;

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A `.npy` header (version 1.0) for `descr` and `shape`, padded as NumPy pads it.
fn npy_header(descr: &str, shape: &str) -> Vec<u8> {
    let dict = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    let pad = (64 - (10 + dict.len() + 1) % 64) % 64;
    let text = format!("{dict}{}\n", " ".repeat(pad));
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(text.len() as u16).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    out
}

#[cfg(target_os = "linux")]
#[test]
fn regression_uint8_npy_frames_took_eight_times_their_bound_on_every_thread() {
    let sb = Sandbox::new();
    // Two frames of 16384x16384 uint8: 256 MiB each in the file (a sparse file: the
    // zeros take no disk), 2 GiB each once widened to numbers. Every worker held one:
    // `--threads 2` peaked at 4.7 GB (and aborted under a 4 GB `ulimit -v`); counted,
    // they leave one worker, at about 2.4 GB.
    let header = npy_header("|u1", "(2, 16384, 16384)");
    let path = sb.write("big.npy", &header);
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(header.len() as u64 + 2 * 16384 * 16384)
        .unwrap();
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"field\"\nnpy = \"big.npy\"\nfps = 2\nsize = [64, 48]\nvmin = 0\nvmax = 1\n",
    );
    let args = [
        "render",
        "scene.toml",
        "-o",
        "out.gif",
        "-q",
        "--threads",
        "2",
    ];
    let (code, peak, stderr) = sb.code_and_peak(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(peak < 3_500 << 20, "peak {} MiB", peak >> 20);
}

#[test]
fn regression_an_interrupted_frames_render_left_its_temporary_folder() {
    // The signal handler decided to end the process (the scene still loading) while the
    // render, a moment later, made its temporary folder; the exit left it behind, empty
    // (about one interrupt in sixty on a loaded machine). The signals here come at many
    // moments around the end of loading; none may leave anything beside the target.
    let sb = Sandbox::new();
    sb.write("scene.toml", crate::util::FIELD);
    let args = ["render", "scene.toml", "-o", "frames/", "-q"];
    for step in 0..40u64 {
        let after = Duration::from_micros(500 * step);
        // A signal before the handler is installed (the first instants of the process)
        // ends it as the signal does: nothing is made by then either.
        match sb.run_signalled(&args, None, after) {
            Ok(r) => assert!(
                r.code == 130 || r.code == 0,
                "exit {}: {}",
                r.code,
                r.stderr
            ),
            Err(e) => assert!(e.starts_with("killed by signal 15"), "{e}"),
        }
        let left: Vec<String> = sb
            .files()
            .into_iter()
            .filter(|n| n.starts_with(".frames."))
            .collect();
        assert!(
            left.is_empty(),
            "after a signal at {after:?}: {left:?} left"
        );
    }
}

#[cfg(unix)]
#[test]
fn regression_frames_through_a_link_to_another_file_system_failed_to_move() {
    use std::os::unix::fs::MetadataExt;
    // Needs a second file system for the link: /dev/shm (tmpfs) where there is one.
    let shm = std::path::Path::new("/dev/shm");
    let sb = Sandbox::new();
    let Ok(away) = tempfile::tempdir_in(shm) else {
        eprintln!("no /dev/shm: not tested here");
        return;
    };
    if std::fs::metadata(away.path()).unwrap().dev()
        == std::fs::metadata(sb.path("")).unwrap().dev()
    {
        eprintln!("/dev/shm is on the sandbox's file system: not tested here");
        return;
    }
    sb.write("scene.toml", crate::util::FIELD);
    std::fs::create_dir(sb.path("real")).unwrap();
    let link = away.path().join("frames");
    std::os::unix::fs::symlink(sb.path("real"), &link).unwrap();
    let folder = format!("{}/", link.display());
    let pattern = format!("{}/f_%03d.png", link.display());
    for out in [&folder, &folder, &pattern] {
        // The temporary folder was made beside the link and moved into the folder:
        // "Invalid cross-device link", exit 1.
        let r = sb.run(&["render", "scene.toml", "-o", out, "-q"]);
        assert_exit!(r, 0);
    }
    let mut names: Vec<String> = std::fs::read_dir(sb.path("real"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 40, "{names:?}");
    assert_eq!(
        (names[0].as_str(), names[20].as_str()),
        ("0000.png", "f_000.png")
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let beside: Vec<_> = std::fs::read_dir(away.path()).unwrap().collect();
    assert_eq!(beside.len(), 1, "only the link beside it");
    // A link to nothing is still refused, naming the folder.
    let gone = away.path().join("gone");
    std::os::unix::fs::symlink(sb.path("missing/deeper"), &gone).unwrap();
    let r = sb.run(&[
        "render",
        "scene.toml",
        "-o",
        &format!("{}/", gone.display()),
        "-q",
    ]);
    assert_exit!(r, 1);
    assert_stderr!(r, "gone");
}

#[test]
fn regression_a_colour_bar_on_an_rgb_picture_was_silently_left_out() {
    // hostile8 F-AQ: `colorbar = true` on a T×H×W×3 array drew nothing and said nothing, and
    // `colorbar_label` then asked for the `colorbar = true` that was there.
    let s = Sandbox::new();
    s.write(
        "rgb.npy",
        crate::plots::npy("|u1", "(1, 2, 2, 3)", &[128; 12]),
    );
    for (keys, at) in [
        ("colorbar = true", "p.toml:4:7"),
        ("colorbar = true\ncolorbar_label = \"K\"", "p.toml:6:18"),
    ] {
        s.write(
            "p.toml",
            format!("[clip.main]\nkind = \"field\"\nsize = [8, 8]\nnpy = \"rgb.npy\"\n{keys}\n"),
        );
        let out = s.run(&["check", "p.toml"]);
        assert_exit!(out, 2);
        assert_stderr!(out, "this array holds RGB(A) pictures");
        assert_stderr!(out, at);
        assert!(
            !out.stderr.contains("add `colorbar = true`"),
            "{}",
            out.stderr
        );
    }
}
