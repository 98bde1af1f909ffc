//! Live text cost: `cargo bench --bench text`.
//!
//! Loads a scene with a changing label (measuring its box) and renders the label clip
//! alone at 300 instants, a different text each frame, then a label whose text changes
//! once a second (drawn once, then served from the cache). Prints the median time per
//! load and per frame over several rounds, on one thread. The label is what a 640×360
//! frame shows in a corner; compositing it onto the frame is the layout's cost, not
//! counted here (bench/text.sh measures whole renders).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use animate::clip::RenderCx;

const ROUNDS: usize = 7;
const FRAMES: usize = 300;

fn scene(text: &str) -> String {
    format!(
        "[output]\nfps = 30\n[clip.label]\nkind = \"text\"\ntext = \"{text}\"\ncolor = \"white\"\n\
         padding = 6\nduration = 10\n"
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let cx = RenderCx::new(30.0);
    for text in ["t = {t:.2f} s", "t = {floor(t)} s", "t = 0.00 s"] {
        let src = scene(text);
        let mut loads = Vec::new();
        let mut frames = Vec::new();
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let scene = animate::scene::parse(&src, Path::new("."), &[]).expect("scene");
            loads.push(start.elapsed().as_secs_f64() * 1e3);
            let start = Instant::now();
            for k in 0..FRAMES {
                let frame = scene.root.render(k as f64 / 30.0, &cx).expect("frame");
                black_box(frame);
            }
            frames.push(start.elapsed().as_secs_f64() * 1e3 / FRAMES as f64);
        }
        println!(
            "{:<20} load {:6.2} ms   {:6.3} ms per frame",
            format!("{text:?}"),
            median(loads),
            median(frames)
        );
    }
}
