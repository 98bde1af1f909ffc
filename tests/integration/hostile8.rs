//! Found by the hostile-input round 8 (findings F-AO, F-AP, F-AS): a NumPy frame's
//! memory per render worker, an interrupted frames render's temporary folder, and
//! frames written through a link to a folder on another file system. Each test makes
//! its own inputs.

use std::time::Duration;

use crate::util::Sandbox;

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
