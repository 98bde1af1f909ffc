//! Scene text → resolved scene (`scene::parse`), then one frame at t = 0 when the
//! clip tree is small. Relative paths are read from the fixtures `seed.sh` makes.
#![no_main]

use animate::render::plan::{Overrides, Plan};
use libfuzzer_sys::fuzz_target;

/// Device and kernel files: reading them blocks or never ends, which is issue 20
/// part 2 (its own fix and tests), not something for this target to rediscover.
const SKIPPED: &[&str] = &["/dev", "/proc", "/sys"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if SKIPPED.iter().any(|p| text.contains(p)) {
        return;
    }
    let Ok(scene) = animate::scene::parse(text, animate_fuzz::scene_base(), &[]) else {
        return;
    };
    if !animate_fuzz::cheap(&*scene.root, 64, 256 * 256) {
        return;
    }
    let Ok(plan) = Plan::for_scene(
        &scene,
        Overrides {
            duration: Some(1.0),
            ..Overrides::default()
        },
    ) else {
        return;
    };
    if plan.size.w as u64 * plan.size.h as u64 <= 256 * 256 {
        let _ = plan.frame_at(0.0);
    }
});
