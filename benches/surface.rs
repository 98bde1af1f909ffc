//! 3-D rendering speed: `cargo bench --bench surface`.
//!
//! The issue's target: a 200×200 surface rendered at 500×500 in under 20 ms per frame
//! on one core. Renders the `surface` clip of a scene (expression evaluation, normals,
//! shading, rasterization and resolve: everything but encoding) frame after frame on
//! this thread, for each antialias factor, and a tube for comparison. Prints the
//! median and best wall time per frame, and the thread's CPU time per frame (from
//! /proc/thread-self/schedstat on Linux), which is what matters on a busy machine.

use std::path::Path;
use std::time::Instant;

use animate::clip::RenderCx;

/// Frames timed per configuration (`SURFACE_BENCH_FRAMES` overrides).
fn frames() -> usize {
    std::env::var("SURFACE_BENCH_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60)
}

fn scene(kind_keys: &str, antialias: u32) -> String {
    format!(
        r#"
[output]
fps = 20
[clip.main]
size = [500, 500]
duration = 3
background = "white"
antialias = {antialias}
{kind_keys}
"#
    )
}

const SURFACE: &str = r#"
kind = "surface"
z = "sinc(x^2 + y^2) + sin(x + 2*pi*t/duration)"
x = [-2, 2]
y = [-2, 2]
resolution = [200, 200]
colormap = "blue-red"
outline = true
"#;

const TUBE: &str = r#"
kind = "curve3d"
u = [0, "2*pi"]
samples = 100
x = "cos(u)"
y = "sin(3*u) * (0.2 + 0.5*cos(2*pi*t/duration))"
z = "sin(u)"
tube = { radius = 0.2, sides = 5 }
camera = { azimuth = "360*t/duration", distance = 9 }
"#;

/// Nanoseconds this thread has run on a CPU, if the kernel says.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn time(what: &str, text: &str) {
    // `cargo bench --bench surface -- WORDS` runs the configurations naming WORDS.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !filter.is_empty() && !filter.iter().any(|f| what.contains(f.as_str())) {
        return;
    }
    let n = frames();
    let scene = animate::scene::parse(text, Path::new("."), &[]).expect("bench scene is valid");
    let cx = RenderCx::new(20.0);
    // One frame first: buffers are allocated once per thread.
    scene.root.render(0.0, &cx).expect("renders");
    let cpu_start = cpu_ns();
    let mut ms: Vec<f64> = (0..n)
        .map(|i| {
            let start = Instant::now();
            let frame = scene.root.render(i as f64 / 20.0, &cx).expect("renders");
            std::hint::black_box(frame);
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    let cpu = match (cpu_start, cpu_ns()) {
        (Some(a), Some(b)) => format!("{:.2}", (b - a) as f64 / 1e6 / n as f64),
        _ => "?".to_string(),
    };
    ms.sort_by(f64::total_cmp);
    println!(
        "{what:<44} {:>7.2} ms/frame (best {:.2}, CPU {cpu})",
        ms[n / 2],
        ms[0]
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    for aa in [1, 2, 3, 4] {
        time(
            &format!("surface 200x200 at 500x500, antialias {aa}"),
            &scene(SURFACE, aa),
        );
    }
    time(
        "tube 100x5 wireframe at 500x500, antialias 3",
        &scene(&format!("{TUBE}wireframe = true"), 3),
    );
    time("tube 100x5 filled at 500x500, antialias 3", &scene(TUBE, 3));
}
