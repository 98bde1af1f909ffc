//! Helpers shared by the fuzz targets.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use animate::base::frame::Size;
use animate::clip::Clip;

/// A folder of this process's own for inputs the code reads from files.
fn scratch_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // /dev/shm when there is one: a file per input should not touch a disk.
        let root = Path::new("/dev/shm");
        let root = if root.is_dir() {
            root.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = root.join(format!("animate-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the scratch folder");
        dir
    })
}

/// Writes `data` to the scratch file `name` (replaced at every input) and returns its
/// path: for readers that only take a path.
pub fn scratch_file(name: &str, data: &[u8]) -> PathBuf {
    let path = scratch_dir().join(name);
    std::fs::write(&path, data).expect("write the scratch file");
    path
}

/// The folder relative paths of fuzzed scenes are taken from: the fixtures `seed.sh`
/// makes (tiny stand-ins for the files the example scenes read), or
/// `ANIMATE_FUZZ_BASE`.
pub fn scene_base() -> &'static Path {
    static BASE: OnceLock<PathBuf> = OnceLock::new();
    BASE.get_or_init(|| match std::env::var_os("ANIMATE_FUZZ_BASE") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
    })
}

/// Whether a clip tree is cheap enough to render one frame of in a fuzz target: at
/// most `max_nodes` clips, none larger than `max_pixels`. Large scenes are
/// legitimate; they would only make the fuzzer report slow inputs as hangs.
pub fn cheap(root: &dyn Clip, max_nodes: usize, max_pixels: u64) -> bool {
    let mut stack = vec![(root.size(), root.children())];
    let mut seen = 1;
    while let Some((size, children)) = stack.pop() {
        if pixels(size) > max_pixels {
            return false;
        }
        for child in children {
            seen += 1;
            if seen > max_nodes {
                return false;
            }
            stack.push((child.clip.size(), child.clip.children()));
        }
    }
    true
}

fn pixels(s: Size) -> u64 {
    s.w as u64 * s.h as u64
}
