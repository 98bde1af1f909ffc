//! Hostile input: scenes wrong in some absurd way must get a clear error with its place
//! in the file (exit code 2), never a panic, a hang or exhausted memory, and a failed
//! run must leave no output behind.
//!
//! `hostile_scenes_never_crash_hang_or_leave_output` throws many random scenes, most of
//! them wrong somewhere, at the real binary. Its generator is a seeded xorshift, so a
//! failure can be replayed and longer runs made:
//! `HOSTILE_SEED=123 HOSTILE_SCENES=5000 cargo test hostile_scenes -- --nocapture`.
//! Below it, one regression test per bug it (or reading the code) found.

use std::fmt::Write as _;

use crate::util::{assert_px, read_png, Run, Sandbox};
use crate::{assert_exit, assert_stderr};

/// The start of a long text, for failure messages.
fn short(text: &str) -> String {
    if text.len() <= 3000 {
        return text.to_string();
    }
    let mut end = 3000;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &text[..end], text.len())
}

/// xorshift64*: small, seeded, good enough to pick shapes of scenes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Numbers at and beyond every limit, and the values that break arithmetic.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "0.5",
    "0.25",
    "-1",
    "-0.0",
    "7.3",
    "1e-300",
    "5e-324",
    "1e300",
    "-1e300",
    "1.7976931348623157e308",
    "86400",
    "86401",
    "16384",
    "16385",
    "4294967295",
    "4294967296",
    "9007199254740993",
    "1000",
    "1001",
    "250",
    "251",
    "1e9",
    "4096",
    "4097",
    "-2147483648",
    "18446744073709551615",
];

/// Expressions and keyframes that are infinite, NaN, huge, animated or malformed.
const ANIMATED: &[&str] = &[
    "\"t\"",
    "\"1/0\"",
    "\"0/0\"",
    "\"t * 1e300\"",
    "\"sin(t) * 1e9\"",
    "\"if(t > 0.5, 1e300, 0)\"",
    "\"fps * 1e6\"",
    "\"fps * 16\"",
    "\"frame\"",
    "\"duration\"",
    "\"-t\"",
    "\"t^t^t^t\"",
    "\"exp(t * 1000)\"",
    "\"ln(0)\"",
    "\"clamp(t, 0, 1)\"",
    "\"\"",
    "\"t +\"",
    "\"((((t))))\"",
    "\"nope(t)\"",
    "\"1e400\"",
    "\"min(t)\"",
    "{ keys = [[0, 0], [1, 1e300]] }",
    "{ keys = [[0, 0], [\"0/0\", 1]] }",
    "{ keys = [] }",
    "{ keys = [[1e300, 1], [-1e300, 0]] }",
    "{ keys = [[0, 1], [1, 2]], ease = \"in-out-elastic\" }",
    "{ keys = [[0, 1], [0, 2], [0, 3]] }",
    "{ keys = [[0, 1], [1, 2]], ease = \"bogus\" }",
    "{ keys = [[0, 1, \"in-back\"], [1e-300, 2]] }",
];

const COLORS: &[&str] = &[
    "\"red\"",
    "\"#ff000080\"",
    "[1, 2, 3]",
    "[1, 2, 3, 4]",
    "\"transparent\"",
    "\"nope\"",
    "[300, 0, 0]",
    "[]",
    "{ keys = [[0, \"red\"], [1, \"blue\"]] }",
    "{ keys = [[0, \"red\"], [1e300, \"#00000000\"]] }",
];

const SIZES: &[&str] = &[
    "[0, 1]",
    "[16385, 1]",
    "[4294967295, 1]",
    "[4294967296, 1]",
    "[-1, 2]",
    "[1]",
    "[1, 2, 3]",
    "\"big\"",
    "[16384, 0]",
    "[1.5, 2]",
];

/// Short words, one long line, odd characters.
const TEXTS: &[&str] = &[
    "\"A\"",
    "\"\"",
    "\"  \"",
    "\"a\\nb\\r\\nc\"",
    "\"\\u0000\\uFFFF\"",
    "\"אבג abc\"",
    "\"\\U0010FFFF\"",
    "\"汉字\"",
    "\"\\t\\t\"",
];

/// Scene generator: a few named clips, references among them, effects on them.
struct Gen<'r> {
    rng: &'r mut Rng,
    /// Clips defined so far (references may also name later or missing ones).
    names: Vec<String>,
    /// The share of values that are hostile in this scene.
    hostile: f64,
}

impl Gen<'_> {
    /// Whether this value is a hostile one.
    fn bad(&mut self) -> bool {
        self.rng.chance(self.hostile)
    }

    /// The first (sensible) choice, or any one of them when hostile.
    fn choice<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        if self.bad() {
            self.rng.pick(xs)
        } else {
            xs[0]
        }
    }

    fn number(&mut self) -> String {
        match self.rng.below(10) {
            0..=5 => self.rng.pick(NUMBERS).to_string(),
            6 | 7 => self.rng.pick(ANIMATED).to_string(),
            8 => format!("{}", self.rng.below(5)),
            _ => format!("{:e}", f64::from_bits(self.rng.next())),
        }
    }

    /// A small, usually valid, value: most scenes should get past resolution.
    fn small(&mut self) -> String {
        if self.bad() {
            return self.number();
        }
        if self.rng.chance(0.2) {
            return self
                .rng
                .pick(&[
                    "\"0.5 + 0.5 * sin(t)\"",
                    "\"1 + t\"",
                    "{ keys = [[0, 0.5], [1, 2]], ease = \"in-out-cubic\" }",
                    "\"1.5 - t / duration\"",
                ])
                .to_string();
        }
        format!("{}", self.rng.below(4) as f64 * 0.5 + 0.5)
    }

    fn size(&mut self) -> String {
        if self.bad() {
            return self.rng.pick(SIZES).to_string();
        }
        format!("[{}, {}]", 1 + self.rng.below(6), 1 + self.rng.below(6))
    }

    fn color(&mut self) -> String {
        if !self.bad() {
            "\"red\"".into()
        } else {
            self.rng.pick(COLORS).to_string()
        }
    }

    fn reference(&mut self) -> String {
        if self.names.is_empty() || self.rng.chance(self.hostile / 4.0) {
            return format!("\"c{}\"", self.rng.below(12));
        }
        let i = self.rng.below(self.names.len());
        format!("\"{}\"", self.names[i])
    }

    /// A small number where a constant is required (durations, counts, rates).
    fn konst(&mut self) -> String {
        if self.bad() {
            return self.number();
        }
        format!("{}", self.rng.below(4) as f64 * 0.5 + 0.5)
    }

    fn effect(&mut self) -> String {
        let (n, m) = (self.small(), self.small());
        let (c, d) = (self.konst(), self.konst());
        match self.rng.below(36) {
            0 => format!("{{ resize = {n} }}"),
            1 => format!("{{ resize = {{ width = {c}, height = {d} }} }}"),
            2 => format!("{{ crop = {{ x1 = {n}, width = {m} }} }}"),
            3 => format!(
                "{{ crop = {{ x_center = {n}, width = {m}, y2 = {} }} }}",
                self.small()
            ),
            4 => format!("{{ margin = {n} }}"),
            5 => format!(
                "{{ margin = {{ left = {n}, top = {m}, color = {} }} }}",
                self.color()
            ),
            6 => format!("{{ rotate = {n} }}"),
            7 => format!("{{ rotate = {{ angle = {n}, expand = false }} }}"),
            8 => "\"mirror_x\"".into(),
            9 => "\"mirror_y\"".into(),
            10 => format!("{{ opacity = {n} }}"),
            11 => format!(
                "{{ mask_color = {{ color = {}, threshold = {n}, stiffness = {m} }} }}",
                self.color()
            ),
            12 => format!("{{ fade_in = {n} }}"),
            13 => format!(
                "{{ fade_out = {{ duration = {n}, color = {} }} }}",
                self.color()
            ),
            14 => format!("{{ crossfade_in = {n} }}"),
            15 => format!("{{ crossfade_out = {n} }}"),
            16 => format!("{{ subclip = [{c}, {d}] }}"),
            17 => format!("{{ subclip = [{c}] }}"),
            18 => format!("{{ speed = {c} }}"),
            19 => format!("{{ loop = {c} }}"),
            20 => format!("{{ loop = {{ duration = {c} }} }}"),
            21 => "\"reverse\"".into(),
            22 => format!(
                "{{ freeze = {{ t = {}, duration = {d} }} }}",
                if self.rng.chance(0.3) {
                    "\"end\"".to_string()
                } else {
                    c
                }
            ),
            23 => "\"blackwhite\"".into(),
            24 => "\"invert\"".into(),
            25 => format!("{{ gamma = {n} }}"),
            26 => format!("{{ lum_contrast = {{ lum = {n}, contrast = {m} }} }}"),
            27 => format!("{{ multiply_color = {n} }}"),
            28 => format!("{{ threshold = {n} }}"),
            29 => "{ equalize = { over = \"clip\" } }".into(),
            30 => format!("{{ rescale_intensity = {{ in_range = [{n}, {m}] }} }}"),
            31 => format!("{{ adjust_log = {n} }}"),
            32 => format!("{{ gaussian_blur = {n} }}"),
            33 => format!("{{ sharpen = {{ radius = {n}, amount = {m} }} }}"),
            34 => self
                .choice(&[
                    "\"edges\"",
                    "\"to_mask\"",
                    "\"to_rgb\"",
                    "\"bogus\"",
                    "{}",
                    "{ invert = 1 }",
                ])
                .to_string(),
            _ => format!("{{ adjust_gamma = {{ gamma = {n}, gain = {m} }} }}"),
        }
    }

    fn effects(&mut self) -> String {
        let count = if self.rng.chance(self.hostile / 10.0) {
            300
        } else {
            self.rng.below(4)
        };
        let list: Vec<String> = (0..count).map(|_| self.effect()).collect();
        format!("effects = [{}]\n", list.join(", "))
    }

    fn source(&mut self) -> String {
        let mut t = String::new();
        // Layouts need clips defined before them (unless the scene is hostile).
        let kinds = if self.names.is_empty() && !self.bad() {
            5
        } else {
            8
        };
        match self.rng.below(kinds) {
            0 | 1 => {
                let _ = write!(
                    t,
                    "kind = \"color\"\ncolor = {}\nsize = {}\n",
                    self.color(),
                    self.size()
                );
                if !self.bad() {
                    let _ = writeln!(t, "duration = {}", self.konst());
                }
            }
            2 => {
                let text = if self.rng.chance(self.hostile / 4.0) {
                    format!("\"{}\"", "W".repeat(20_001))
                } else {
                    self.rng.pick(TEXTS).to_string()
                };
                let _ = write!(
                    t,
                    "kind = \"text\"\ntext = {text}\nfont_size = {}\n",
                    if !self.bad() {
                        "6".to_string()
                    } else {
                        self.number()
                    }
                );
                if self.rng.chance(0.3) {
                    let _ = writeln!(
                        t,
                        "padding = {}",
                        self.choice(&[
                            "1",
                            "[1, 2]",
                            "[1, 2, 3, 4]",
                            "16385",
                            "-1",
                            "[1, 2, 3]",
                            "8000"
                        ])
                    );
                }
                if self.rng.chance(0.3) {
                    let _ = writeln!(t, "size = {}", self.size());
                }
                if self.rng.chance(0.2) {
                    let _ = writeln!(t, "stroke = {{ width = {} }}", self.number());
                }
                if self.rng.chance(0.2) {
                    let _ = writeln!(t, "line_spacing = {}", self.number());
                }
                if self.rng.chance(0.5) {
                    let _ = writeln!(t, "duration = {}", self.konst());
                }
            }
            3 => {
                let path = if self.rng.chance(0.5) {
                    "\"tiny.gif\""
                } else {
                    ""
                };
                let path = self.choice(&[
                    if path.is_empty() {
                        "\"tiny.png\""
                    } else {
                        path
                    },
                    "\"tiny.gif\"",
                    "\"missing.png\"",
                    "\"scene.toml\"",
                    "\"bad.png\"",
                    "\"..\"",
                    "\"\"",
                ]);
                let _ = writeln!(t, "kind = \"file\"\npath = {path}");
                if self.rng.chance(0.5) {
                    let _ = writeln!(t, "duration = {}", self.konst());
                }
                if path.contains("gif") && self.rng.chance(0.5) {
                    let _ = writeln!(t, "loop = true");
                }
            }
            4 => {
                let pattern = self.choice(&[
                    "\"seq/%02d.png\"",
                    "\"seq/*.png\"",
                    "\"seq/%d%d.png\"",
                    "\"none/*.png\"",
                    "\"seq/%099d.png\"",
                ]);
                let _ = write!(t, "kind = \"images\"\nfiles = {pattern}\n");
                if self.rng.chance(0.5) {
                    let _ = writeln!(t, "fps = {}", self.konst());
                }
            }
            5 => {
                let layers: Vec<String> = (0..1 + self.rng.below(3))
                    .map(|_| {
                        let mut l = format!("{{ clip = {}", self.reference());
                        if self.rng.chance(0.4) {
                            let _ = write!(
                                l,
                                ", position = [{}, {}]",
                                self.small(),
                                self.choice(&[
                                    "\"center\"",
                                    "\"50%\"",
                                    "\"1e300%\"",
                                    "\"bottom\"",
                                    "\"left\"",
                                    "3"
                                ])
                            );
                        }
                        if self.rng.chance(0.3) {
                            let _ = write!(l, ", start = {}", self.konst());
                        }
                        if self.rng.chance(0.3) {
                            let _ = write!(
                                l,
                                ", {} = {}",
                                self.rng.pick(&["end", "duration"]),
                                self.konst()
                            );
                        }
                        if self.rng.chance(0.3) {
                            let _ = write!(l, ", opacity = {}", self.small());
                        }
                        l + " }"
                    })
                    .collect();
                let _ = write!(
                    t,
                    "kind = \"composite\"\nlayers = [{}]\n",
                    layers.join(", ")
                );
                if self.rng.chance(0.3) {
                    let _ = writeln!(t, "size = {}", self.size());
                }
            }
            6 => {
                let rows: Vec<String> = (0..1 + self.rng.below(2))
                    .map(|_| {
                        let cells: Vec<String> = (0..1 + self.rng.below(3))
                            .map(|_| self.reference())
                            .collect();
                        format!("[{}]", cells.join(", "))
                    })
                    .collect();
                let _ = write!(t, "kind = \"grid\"\nrows = [{}]\n", rows.join(", "));
                if self.rng.chance(0.3) {
                    let _ = writeln!(
                        t,
                        "spacing = {}",
                        self.choice(&["1", "4294967295", "16384", "-1"])
                    );
                }
                if self.rng.chance(0.3) {
                    let _ = writeln!(
                        t,
                        "{} = {}",
                        self.rng.pick(&["width", "height"]),
                        self.choice(&["3", "0", "16385", "4294967295"])
                    );
                }
            }
            _ => {
                let clips: Vec<String> = (0..1 + self.rng.below(3))
                    .map(|_| self.reference())
                    .collect();
                let _ = write!(t, "kind = \"sequence\"\nclips = [{}]\n", clips.join(", "));
                if self.rng.chance(0.3) {
                    let _ = writeln!(
                        t,
                        "{} = {}",
                        self.rng.pick(&["padding", "crossfade"]),
                        self.konst()
                    );
                }
            }
        }
        t
    }

    fn scene(&mut self) -> String {
        let mut s = String::new();
        let count = 1 + self.rng.below(5);
        if self.rng.chance(0.9) {
            let _ = writeln!(s, "[output]\nroot = \"c{}\"", count - 1);
            if self.rng.chance(0.5) {
                let _ = writeln!(s, "fps = {}", self.konst());
            }
            if self.rng.chance(0.5) {
                let _ = writeln!(s, "duration = {}", self.konst());
            }
            if self.rng.chance(0.2) {
                let _ = writeln!(s, "size = {}", self.size());
            }
            if self.rng.chance(0.1) {
                let _ = writeln!(s, "background = {}", self.color());
            }
        }
        if self.rng.chance(0.2) {
            let _ = writeln!(s, "[vars]\nk = {}\nj = \"k * 2\"", self.number());
        }
        for i in 0..count {
            let name = format!("c{i}");
            let _ = writeln!(s, "[clip.{name}]");
            if !self.names.is_empty() && self.rng.chance(0.25) {
                let _ = writeln!(s, "from = {}", self.reference());
            } else {
                s += &self.source();
            }
            if self.rng.chance(0.6) {
                s += &self.effects();
            }
            if self.rng.chance(0.05) {
                let _ = writeln!(s, "mask = {}", self.reference());
            }
            self.names.push(name);
        }
        // Deep chains and shared clips fanning out, now and then.
        if self.rng.chance(self.hostile / 10.0) {
            s += &chain_tables(300);
        }
        if self.rng.chance(self.hostile / 10.0) {
            s += &fan_out_tables(40);
        }
        s
    }
}

/// `n` clips each made `from` the next one, the last a colour: resolution recurses `n`
/// deep.
fn chain_tables(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = writeln!(
            s,
            "[clip.chain{i}]\nfrom = \"chain{}\"\neffects = [\"invert\"]",
            i + 1
        );
    }
    let _ = writeln!(
        s,
        "[clip.chain{n}]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = 1"
    );
    s
}

/// `n` grids each showing the one below twice: a small file that draws 2^n clips per
/// frame if nothing stops it.
fn fan_out_tables(n: usize) -> String {
    let mut s = String::from(
        "[clip.fan0]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = 1\n",
    );
    for i in 1..=n {
        let _ = writeln!(
            s,
            "[clip.fan{i}]\nkind = \"grid\"\nrows = [[\"fan{0}\", \"fan{0}\"]]\nwidth = 2",
            i - 1
        );
    }
    s
}

/// Inputs the scenes may name: a tiny picture, a tiny animation, a broken file and a
/// short numbered sequence.
fn inputs(s: &Sandbox) {
    s.write_picture("tiny.png", 3, 2, [10, 20, 30, 255]);
    s.write_gif(
        "tiny.gif",
        2,
        2,
        &[([255, 0, 0, 255], 0), ([0, 0, 255, 128], 3)],
    );
    s.write("bad.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xff\xff\xff");
    for i in 0..3 {
        s.write_picture(&format!("seq/{i:02}.png"), 2, 2, [i * 80, 0, 0, 255]);
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn hostile_scenes_never_crash_hang_or_leave_output() {
    let seed = env_number("HOSTILE_SEED", 0x5eed_1234_abcd_0001);
    let scenes = env_number("HOSTILE_SCENES", 400);
    let mut rng = Rng(seed | 1);
    let s = Sandbox::new();
    inputs(&s);
    let mut codes = [0usize; 3];
    for n in 0..scenes {
        let scene = Gen {
            rng: &mut rng,
            names: Vec::new(),
            hostile: [0.0, 0.01, 0.03, 0.1, 0.3][n as usize % 5],
        }
        .scene();
        s.write("scene.toml", &scene);
        let t = rng.pick(&["0", "0.5", "1.9", "1e9", "1e300"]);
        let args: Vec<&str> = match rng.below(4) {
            0 => vec!["check", "scene.toml"],
            1 => vec![
                "render",
                "scene.toml",
                "-o",
                "out/",
                "-q",
                "--duration",
                "0.1",
                "--fps",
                "10",
            ],
            _ => vec!["frame", "scene.toml", "-t", t, "-o", "frame.png"],
        };
        let _ = std::fs::remove_file(s.path("frame.png"));
        let _ = std::fs::remove_dir_all(s.path("out"));
        let what = format!(
            "scene {n} of seed {seed:#x}, `animate {}`:\n{}",
            args.join(" "),
            short(&scene)
        );
        let r = s
            .run_bounded(&args, None)
            .unwrap_or_else(|e| panic!("{what}\n{e}"));
        assert!(
            (0..=2).contains(&r.code) && !r.stderr.contains("panicked"),
            "{what}\nexit code {}\n{}",
            r.code,
            short(&r.stderr)
        );
        codes[r.code as usize] += 1;
        if r.code != 0 {
            assert!(
                r.stderr.starts_with("error: ") || r.stderr.contains("\nerror: "),
                "{what}\n{}",
                short(&r.stderr)
            );
            assert!(
                !s.path("frame.png").exists() && !s.path("out").exists(),
                "{what}\na failed run left output behind"
            );
            let leftovers: Vec<String> = s
                .files()
                .into_iter()
                .filter(|f| f.ends_with(".tmp"))
                .collect();
            assert!(
                leftovers.is_empty(),
                "{what}\ntemporary files left: {leftovers:?}"
            );
        }
        // A scene error points at its line and column, unless it is about the file
        // as a whole.
        let whole_file = ["which clip is rendered?", "the scene defines no clips"];
        if r.code == 2 && r.stderr.contains("--> scene.toml") {
            assert!(
                r.stderr.contains("--> scene.toml:")
                    || whole_file.iter().any(|m| r.stderr.contains(m)),
                "{what}\n{}",
                short(&r.stderr)
            );
        }
    }
    eprintln!(
        "hostile scenes: {} rendered, {} failed to render, {} refused",
        codes[0], codes[1], codes[2]
    );
    // The generator must reach rendering, not only be refused at the door.
    assert!(
        codes[0] * 10 >= scenes as usize,
        "too few scenes rendered: {codes:?}"
    );
}

/// Runs `args` on `scene` and returns the run, failing on a crash or a hang.
fn run_scene(scene: &str, args: &[&str]) -> Run {
    let s = Sandbox::new();
    s.write("scene.toml", scene);
    s.run_bounded(args, None).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn regression_grid_spacing_overflow() {
    // A one-cell grid ignores its spacing; adding it after the last cell overflowed.
    let one = "[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n\
               [clip.main]\nkind = \"grid\"\nrows = [[\"a\"]]\nspacing = 4294967295\n";
    assert_exit!(
        run_scene(one, &["frame", "scene.toml", "-t", "0", "-o", "f.png"]),
        0
    );
    let two = one.replace("[[\"a\"]]", "[[\"a\", \"a\"]]");
    let r = run_scene(&two, &["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "the grid's size", "is too large", "--> scene.toml:7:8");
}

/// A 2x2 red clip called `a` lasting `duration`, then `rest`.
fn red(duration: &str, rest: &str) -> String {
    format!(
        "[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = {duration}\n{rest}"
    )
}

#[test]
fn regression_endless_durations_are_refused() {
    // Each of these asked for more than u64::MAX frames: the render never ended.
    let cases = [
        (red("1e300", ""), "duration 1e300 s is too long", "scene.toml:5:12"),
        (
            red("1", "[clip.main]\nkind = \"composite\"\nlayers = [{ clip = \"a\", start = 1e300 }]\n"),
            "start: 1e300 s is outside 0..86400 s",
            "scene.toml:8:33",
        ),
        (
            red("1", "[clip.main]\nkind = \"composite\"\nlayers = [{ clip = \"a\", duration = 1e300 }]\n"),
            "the layer's end: 1e300 s is outside",
            "scene.toml:8:36",
        ),
        (
            red("86400", "[clip.main]\nkind = \"sequence\"\nclips = [\"a\", \"a\"]\n"),
            "the sequence is too long: duration 172800 s is too long",
            "scene.toml:8:9",
        ),
        (
            red("1", "[clip.main]\nkind = \"sequence\"\nclips = [\"a\", \"a\"]\npadding = 1e300\n"),
            "padding: 1e300 s is outside",
            "scene.toml:9:11",
        ),
        (
            "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\neffects = [{ subclip = [0, 1e300] }]\n".to_string(),
            "the result is too long",
            "scene.toml:5:24",
        ),
    ];
    for (scene, message, place) in cases {
        let r = run_scene(&scene, &["render", "scene.toml", "-o", "out.gif"]);
        assert_exit!(r, 2);
        assert_stderr!(r, message, place);
    }
}

/// `n` clips, each made `from` the next one with `effects`, declared so that resolving
/// the first recurses through all of them; the last is a colour.
fn from_chain(n: usize, effects: &str) -> String {
    let mut s = String::from("[output]\nroot = \"k0\"\n");
    for i in 0..n {
        s += &format!(
            "[clip.k{i}]\nfrom = \"k{}\"\neffects = [{effects}]\n",
            i + 1
        );
    }
    s + &format!("[clip.k{n}]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = 1\n")
}

#[test]
fn regression_deep_from_chain_overflowed_the_stack() {
    // 10 000 links aborted with a stack overflow (signal 6) while resolving.
    let r = run_scene(&from_chain(10_000, ""), &["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "clips are nested more than 256 deep", "--> scene.toml:");
    // At the limit the chain resolves and renders: the colour is one level, every
    // `from` and every effect one more.
    for chain in [from_chain(255, ""), from_chain(127, "\"invert\"")] {
        let r = run_scene(&chain, &["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
        assert_exit!(r, 0);
    }
    let r = run_scene(&from_chain(128, "\"invert\""), &["check", "scene.toml"]);
    assert_exit!(r, 2);
}

#[test]
fn regression_long_effect_list_overflowed_render_threads() {
    // 20 000 effects on one clip overflowed a render thread's stack; 100 000 took
    // minutes first (every effect asked the whole chain below it whether it is a mask).
    let effects = vec!["\"invert\""; 20_000].join(", ");
    let scene = format!(
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\neffects = [{effects}]\n"
    );
    let r = run_scene(&scene, &["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "effects and clips are nested more than 256 deep here",
        "--> scene.toml:5:"
    );
}

/// Grids `fan1`…`fanN` each showing the one below twice, at a fixed small size.
fn fan_out(n: usize) -> String {
    let mut s = format!("[output]\nroot = \"fan{n}\"\n[clip.fan0]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = 0.1\n");
    for i in 1..=n {
        s += &format!(
            "[clip.fan{i}]\nkind = \"grid\"\nrows = [[\"fan{0}\", \"fan{0}\"]]\nwidth = 2\n",
            i - 1
        );
    }
    s
}

#[test]
fn regression_shared_clips_fanning_out_hung() {
    // 40 levels draw 2^40 clips a frame: the render (and `animate check`) never ended.
    let r = run_scene(&fan_out(40), &["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "would draw 131070 clips or more",
        "at most 100000",
        "--> scene.toml:"
    );
    // Below the limit `check` lists a shared clip's inside once.
    let r = run_scene(&fan_out(15), &["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.lines().count() < 100, "{}", r.stdout);
    assert!(r.stdout.contains("(as above)"), "{}", r.stdout);
}

#[test]
fn regression_tiny_font_size_or_line_spacing_panicked_the_shaper() {
    // A line height or font size that is 0 in f32 tripped an assertion in cosmic-text.
    let text = |keys: &str| format!("[clip.main]\nkind = \"text\"\ntext = \"汉字\"\n{keys}\n");
    let r = run_scene(
        &text("line_spacing = 5e-324"),
        &["frame", "scene.toml", "-t", "0", "-o", "f.png"],
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "line_spacing must be at least 0.01, not 5e-324",
        "--> scene.toml:4:16"
    );
    let r = run_scene(
        &text("font_size = 1e-300"),
        &["frame", "scene.toml", "-t", "0", "-o", "f.png"],
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "font_size must be at least 1", "--> scene.toml:4:13");
}

#[test]
fn regression_animated_resize_and_margin_beyond_their_samples_took_gigabytes() {
    // The canvas is sized from values sampled at 30 fps; rendered at 1000 fps these
    // expressions of `fps` went far beyond it and each frame allocated up to 16384 px
    // a side (resize: 27 s and 2.5 GB for two 1000x1000 frames in the debug build).
    let s = Sandbox::new();
    let scene =
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [1000, 1000]\nduration = 1\n\
                 effects = [{ resize = \"fps / 30\" }]\n";
    s.write("scene.toml", scene);
    let args = [
        "render",
        "scene.toml",
        "-o",
        "out/",
        "--fps",
        "1000",
        "--duration",
        "0.002",
    ];
    assert_exit!(s.run_bounded(&args, None).unwrap(), 0);
    let f = read_png(&s.path("out/0001.png"));
    assert_eq!(f.dimensions(), (1000, 1000));
    assert_px(&f, 0, 0, [255, 0, 0, 255], 0);
    assert_px(&f, 999, 999, [255, 0, 0, 255], 0);

    // A margin growing with fps: at 1000 fps the framing is 16004 px wide and its
    // middle (all margin) shows in the 484 px canvas.
    let scene = "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 40]\nduration = 1\n\
                 effects = [{ margin = { left = \"fps * 16\", color = \"white\" } }]\n";
    s.write("scene.toml", scene);
    let _ = std::fs::remove_dir_all(s.path("out"));
    assert_exit!(s.run_bounded(&args, None).unwrap(), 0);
    let f = read_png(&s.path("out/0001.png"));
    assert_eq!(f.dimensions(), (484, 40));
    assert!(f.pixels().all(|p| p.0 == [255, 255, 255, 255]));
    // At 25 fps the same scene frames the clip 400 px from the left, centred.
    s.write("scene.toml", scene);
    let r = s
        .run_bounded(&["frame", "scene.toml", "-t", "0", "-o", "f.png"], None)
        .unwrap();
    assert_exit!(r, 0);
    let f = read_png(&s.path("f.png"));
    assert_px(&f, 440, 20, [255, 0, 0, 255], 0);
    assert_px(&f, 439, 20, [255, 255, 255, 255], 0);
    assert_px(&f, 39, 20, [0, 0, 0, 255], 0);
}

/// A GIF with a `w`x`h` screen and `n` frames of one pixel each, 20 ms apart: a few
/// bytes per frame, each composited onto the whole screen when decoded.
fn gif_of_tiny_frames(w: u16, h: u16, n: usize) -> Vec<u8> {
    let mut g = b"GIF89a".to_vec();
    g.extend_from_slice(&w.to_le_bytes());
    g.extend_from_slice(&h.to_le_bytes());
    g.extend_from_slice(&[0xF0, 0, 0, 0, 0, 0, 255, 255, 255]);
    for _ in 0..n {
        g.extend_from_slice(&[0x21, 0xF9, 4, 0, 2, 0, 0, 0]);
        g.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
        g.extend_from_slice(&[2, 2, 0x44, 0x01, 0]);
    }
    g.push(0x3B);
    g
}

#[test]
fn regression_gif_of_many_tiny_frames_on_a_large_screen_took_hours() {
    // 2 KB: 100 frames of 1 pixel on a 4000x4000 screen, each decoded to 64 MB; a
    // 46 KB file of 2000 such frames on 8000x8000 took 23 minutes to load.
    let s = Sandbox::new();
    s.write("bomb.gif", gif_of_tiny_frames(4000, 4000, 100));
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"file\"\npath = \"bomb.gif\"\n",
    );
    let r = s.run_bounded(&["check", "scene.toml"], None).unwrap();
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "bomb.gif has too many frames for its 4000x4000 screen",
        "more than 4 GiB (frame 68)",
        "--> scene.toml:3:8"
    );
    // The same frames on a small screen are an ordinary animation.
    s.write("bomb.gif", gif_of_tiny_frames(40, 40, 100));
    let r = s.run_bounded(&["check", "scene.toml"], None).unwrap();
    assert_exit!(r, 0);
    assert!(
        r.stdout.contains("gif  40x40  0.00..2.00 s"),
        "{}",
        r.stdout
    );
}

#[test]
#[cfg(unix)]
fn regression_endless_scene_file_filled_the_memory() {
    // `animate check /dev/zero` read until the memory was gone.
    let s = Sandbox::new();
    let r = s.run_bounded(&["check", "/dev/zero"], None).unwrap();
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot read scene file /dev/zero: it is a character device, not a regular file"
    );
    s.write("latin1.toml", b"[clip.main] # caf\xe9\n");
    let r = s.run_bounded(&["check", "latin1.toml"], None).unwrap();
    assert_exit!(r, 2);
    // Regression: the message did not say where the first bad byte is.
    assert_stderr!(
        r,
        "the scene file is not UTF-8 text",
        "--> latin1.toml:1:18"
    );
}

#[test]
fn regression_field_levels_over_values_near_the_largest_double_panicked() {
    // Values from -1e308 to 1e308: their span overflows, and the round levels came out
    // empty (index out of bounds).
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        r#"[output]
fps = 2
[clip.main]
kind = "field"
size = [40, 30]
duration = 1
f = "if(x > 0, 1e308, -1e308)"
x = [-1, 1]
y = [-1, 1]
levels = 5
"#,
    );
    let r = s.run(&["render", "scene.toml", "-o", "out.gif", "-q"]);
    assert_exit!(r, 0);
    let frames = crate::util::read_gif(&s.path("out.gif"));
    let (left, right) = (
        frames[0].0.get_pixel(5, 15).0,
        frames[0].0.get_pixel(34, 15).0,
    );
    assert_ne!(left, right, "the two halves fall in different bands");
}

/// A mono 16-bit WAV of `n` samples at `rate` samples a second.
fn wav(rate: u32, n: usize) -> Vec<u8> {
    let data: Vec<u8> = (0..n)
        .flat_map(|i| ((i % 64) as i16 * 256).to_le_bytes())
        .collect();
    let mut w = b"RIFF".to_vec();
    w.extend((36 + data.len() as u32).to_le_bytes());
    w.extend(b"WAVEfmt ");
    for v in [16u32, 1 | (1 << 16), rate, rate * 2, 2 | (16 << 16)] {
        w.extend(v.to_le_bytes());
    }
    w.extend(b"data");
    w.extend((data.len() as u32).to_le_bytes());
    w.extend(data);
    w
}

#[test]
fn regression_a_wav_of_one_sample_a_second_took_gigabytes() {
    // 4 000 samples at 1 Hz were resampled to 48 kHz in one piece: 1.5 GB in memory.
    let s = Sandbox::new();
    s.write("slow.wav", wav(1, 4000));
    s.write(
        "scene.toml",
        "[output]\nfps = 10\naudio = \"slow.wav\"\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [16, 16]\nduration = 1\n",
    );
    let r = s
        .run_bounded(&["check", "scene.toml"], Some(512 << 20))
        .unwrap();
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot decode the sound of ./slow.wav: it is sampled at 1 Hz, too slowly to be sound",
        "--> scene.toml:3:9"
    );
    // The lowest rate taken plays: 40 s at 1 kHz, in bounded memory.
    s.write("slow.wav", wav(1000, 40_000));
    let r = s
        .run_bounded(
            &["render", "scene.toml", "-o", "out.mp4", "-q"],
            Some(512 << 20),
        )
        .unwrap();
    assert_exit!(r, 0);
}

#[test]
fn regression_a_composite_of_100_000_layers_took_minutes_to_load() {
    // Each layer's place (line and column, for its warnings) was counted from the start
    // of the file, and the layers of a generated scene sit on one line: quadratic.
    let s = Sandbox::new();
    let mut layers = String::new();
    for i in 0..99_990 {
        let _ = write!(
            layers,
            "{{ clip = \"a\", position = [{}, {}] }},",
            i % 56,
            (i / 56) % 56
        );
    }
    s.write(
        "scene.toml",
        format!(
            "[output]\nfps = 5\n[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 1\n\
             [clip.main]\nkind = \"composite\"\nsize = [64, 64]\nlayers = [{layers}]\n"
        ),
    );
    let r = s.run_bounded(&["check", "scene.toml"], None).unwrap();
    assert_exit!(r, 0);
    assert!(r.stdout.contains("main  composite  64x64"), "{}", r.stdout);
}

#[test]
fn regression_messages_wrote_control_characters_and_numbers_of_309_digits() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"surface\"\nsize = [32, 32]\nz = \"x*y\"\nx = [-1, 1]\ny = [-1, 1]\n\
         light = { ambient = -1e308 }\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "ambient must be at least 0, not -1e308");
    assert!(r.stderr.len() < 600, "{}", r.stderr);
    // A text's control characters are named in the warning, not sent to the terminal.
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"text\"\ntext = \"a\\u001b]0;pwned\\u0007\\u001b[31mRED\"\nsize = [64, 32]\nduration = 1\n",
    );
    let r = s.run(&["render", "scene.toml", "-o", "t.gif", "-q"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "U+001B", "U+0007");
    assert!(
        !r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'),
        "{:?}",
        r.stderr
    );
}

/// Regression: `/proc/kmsg` as a video (a file of the kernel's that says it is regular
/// and empty) hung the render in FFmpeg's read until killed. A media file of 0 bytes is
/// now refused before FFmpeg opens it, with its place.
#[test]
fn regression_an_empty_file_said_regular_by_the_kernel_hung_the_video_reader() {
    let s = Sandbox::new();
    s.write("empty.mp4", "");
    s.write("empty.wav", "");
    for (kind, path) in [("file", "empty.mp4"), ("audio", "empty.wav")] {
        s.write(
            "scene.toml",
            format!(
                "[output]\nduration = 0.2\n[clip.main]\nkind = \"{kind}\"\npath = \"{path}\"\n"
            ),
        );
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            &format!("cannot read ./{path}: it is empty (0 bytes)"),
            "scene.toml:5:8"
        );
    }
    // Where the kernel's file can be read (as root), it no longer blocks.
    if std::fs::File::open("/proc/kmsg").is_ok() {
        std::os::unix::fs::symlink("/proc/kmsg", s.path("kmsg.mp4")).unwrap();
        s.write(
            "scene.toml",
            "[output]\nduration = 0.2\n[clip.main]\nkind = \"file\"\npath = \"kmsg.mp4\"\n",
        );
        let r = s
            .run_bounded(&["check", "scene.toml"], Some(1 << 30))
            .expect("check of /proc/kmsg hung");
        assert_exit!(r, 2);
        assert_stderr!(r, "it is empty (0 bytes)");
    }
}

/// Regression: a CSV cell was quoted in the error as it was: a NUL byte printed raw (the
/// message quoted a value that looked valid), a 1 MB cell gave a 1 MB message, and a
/// date in a local order (`01/02/2024`) got no word about how dates are read.
#[test]
fn regression_a_csv_cells_nul_or_megabyte_was_printed_raw() {
    let s = Sandbox::new();
    let scene = "[clip.main]\nkind = \"plot\"\nsize = [100, 100]\n\
                 series = [{ csv = \"d.csv\", x = \"x\", y = \"y\" }]\n";
    s.write("scene.toml", scene);
    for (cell, says) in [
        (
            "\u{0}2".to_string(),
            "`<U+0000>2` is not a number".to_string(),
        ),
        (
            "a".repeat(1 << 20),
            format!("`{}…` is not a number", "a".repeat(60)),
        ),
        (
            "01/02/2024".to_string(),
            "(dates are read when written ISO 8601".to_string(),
        ),
    ] {
        s.write("d.csv", format!("x,y\n1,{cell}\n"));
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, &says);
        assert!(r.stderr.len() < 1000, "{} bytes", r.stderr.len());
    }
}

/// Regression: `-o in.png/x.gif` with `in.png` a file failed with "cannot create the
/// folder in.png: File exists (os error 17)" and exit 1.
#[test]
fn regression_an_output_under_a_file_said_file_exists() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nduration = 0.1\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n",
    );
    s.write("in.png", "x");
    for out in ["in.png/x.gif", "in.png/deeper/x.gif", "in.png/frames/"] {
        let r = s.run(&["render", "scene.toml", "-o", out]);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "in.png is not a folder: the output's path goes through it"
        );
    }
    let r = s.run(&[
        "render",
        "scene.toml",
        "-o",
        "x.gif",
        "--depfile",
        "in.png/x.d",
    ]);
    assert_exit!(r, 2);
    assert_stderr!(r, "in.png is not a folder");
    assert!(!s.path("x.gif").exists());
}

/// Regression: `[output] file = "out.xyz"` was refused without its place in the scene.
#[test]
fn regression_an_output_file_named_in_the_scene_was_refused_without_its_place() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nfile = \"out.xyz\"\nduration = 0.1\n\
         [clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n",
    );
    let r = s.run(&["render", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot tell the output format of `./out.xyz`",
        "scene.toml:2:8"
    );
    // Named on the command line, it has no place in the scene.
    let r = s.run(&["render", "scene.toml", "-o", "y.abc"]);
    assert_exit!(r, 2);
    assert!(!r.stderr.contains("scene.toml:"), "{}", r.stderr);
}

/// Regression: a font path that is a folder got the hint about folders of pictures.
#[test]
fn regression_a_font_folder_was_told_about_image_sequences() {
    let s = Sandbox::new();
    std::fs::create_dir_all(s.path("fonts")).unwrap();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"text\"\ntext = \"x\"\nfont = \"./fonts\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "is a folder, not a file");
    assert!(!r.stderr.contains("images"), "{}", r.stderr);
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"file\"\npath = \"fonts\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_stderr!(r, "is a folder, not a file", "kind = \"images\"");
}

/// Whether a message shows Rust's debug formatting: braces of a struct, `Some(…)`,
/// escapes, or an enum variant's CamelCase name (`BadCodeLengthHuffmanTree`, `Png`).
fn shows_debug_formatting(text: &str) -> bool {
    text.contains(['{', '}'])
        || text.contains("Some(")
        || text.contains("\\u")
        || text.contains("Png")
        || text.contains("Gif:")
        || text.split([' ', ':', '(', ')', ',']).any(|w| {
            let b = w.as_bytes();
            w != "WebP"
                && b.windows(2)
                    .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase())
                && b.windows(2)
                    .any(|p| p[0].is_ascii_uppercase() && p[1].is_ascii_lowercase())
        })
}

/// `data` with the byte `offset` bytes into the data of its first chunk of type
/// `kind` changed, its CRC left as it was.
fn damaged(data: &[u8], kind: &[u8; 4], offset: usize) -> Vec<u8> {
    let at = data.windows(4).position(|w| w == kind).unwrap() + 4 + offset;
    let mut out = data.to_vec();
    out[at] ^= 0x5a;
    out
}

/// Found by a tester: a PNG whose IHDR checksum was wrong (one byte flipped) was
/// refused with `Format error decoding Png: CRC error: expected 0xc40fbe8b have
/// 0x581614b while decoding ChunkType { type: IHDR, critical: true, private: false,
/// reserved: false, safecopy: false } chunk.` — the `png` crate's debug output. Every
/// damaged picture now says what is wrong in words, with its place in the scene.
#[test]
fn regression_a_png_with_a_bad_checksum_showed_rust_debug_formatting() {
    let s = Sandbox::new();
    let good = std::fs::read(s.write_picture("good.png", 8, 8, [255, 0, 0, 255])).unwrap();
    let scene =
        |path: &str| format!("[clip.main]\nkind = \"file\"\npath = \"{path}\"\nduration = 1\n");
    let first_line = |r: &Run| r.stderr.lines().next().unwrap_or_default().to_string();

    // The IHDR's width changed: its checksum no longer matches.
    s.write("ihdr.png", damaged(&good, b"IHDR", 1));
    s.write("scene.toml", scene("ihdr.png"));
    for args in [
        &["check", "scene.toml"][..],
        &["render", "scene.toml", "-o", "out.gif"],
    ] {
        let r = s.run(args);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "error: ./ihdr.png is corrupt or unreadable: the checksum of its IHDR chunk does not match its data",
            "scene.toml:3:8"
        );
        assert!(!shows_debug_formatting(&r.stderr), "{}", r.stderr);
    }

    // Other damage: the pixel data, the chunk names, the file cut short; a GIF cut
    // short or with a broken LZW stream; a JPEG with a broken table. Each is refused
    // in words.
    let gif = std::fs::read(s.write_gif("good.gif", 8, 8, &[([0, 0, 255, 255], 10)])).unwrap();
    let jpeg = std::fs::read(s.write_picture("good.jpg", 16, 16, [0, 255, 0, 255])).unwrap();
    let mut broken: Vec<(String, Vec<u8>)> = Vec::new();
    for offset in 0..8 {
        broken.push((format!("idat{offset}.png"), damaged(&good, b"IDAT", offset)));
    }
    for (n, kind) in [b"IHDR", b"IDAT", b"IEND"].iter().enumerate() {
        broken.push((format!("first{n}.png"), damaged(&good, kind, 0)));
        let at = good.windows(4).position(|w| w == *kind).unwrap();
        let mut renamed = good.clone();
        renamed[at] = 0x13;
        broken.push((format!("renamed{n}.png"), renamed));
    }
    for cut in [good.len() / 2, good.len() - 5] {
        broken.push((format!("cut{cut}.png"), good[..cut].to_vec()));
    }
    for cut in [gif.len() / 2, gif.len() - 3] {
        broken.push((format!("cut{cut}.gif"), gif[..cut].to_vec()));
    }
    for at in (20..gif.len()).step_by(7) {
        let mut g = gif.clone();
        g[at] ^= 0x5a;
        broken.push((format!("flip{at}.gif"), g));
    }
    for at in (4..jpeg.len()).step_by(29) {
        let mut j = jpeg.clone();
        j[at] ^= 0x5a;
        broken.push((format!("flip{at}.jpg"), j));
    }
    let mut refused = 0;
    for (name, bytes) in &broken {
        s.write(name, bytes);
        s.write("scene.toml", scene(name));
        let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
        assert!(
            r.code == 0 || r.code == 2,
            "{name}: exit {}\n{}",
            r.code,
            r.stderr
        );
        if r.code == 2 {
            refused += 1;
            assert_stderr!(r, &format!("./{name} "), "scene.toml:3:8");
        }
        assert!(
            !shows_debug_formatting(&r.stderr),
            "{name}: {}",
            first_line(&r)
        );
    }
    assert!(
        refused > broken.len() / 2,
        "only {refused} of {} refused",
        broken.len()
    );

    // A picture of an image sequence: its header is read by `check` (exit 2), its
    // pixels when the render shows it (exit 1); both name it in words.
    for (bad, code) in [
        (damaged(&good, b"IHDR", 1), 2),
        (damaged(&good, b"IDAT", 3), 1),
    ] {
        let s = Sandbox::new();
        for k in 0..3 {
            s.write(&format!("seq/{k}.png"), if k == 1 { &bad } else { &good });
        }
        s.write(
            "scene.toml",
            "[clip.main]\nkind = \"images\"\nfiles = \"seq/%d.png\"\nfps = 3\n",
        );
        let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
        assert_exit!(r, code);
        assert_stderr!(r, "seq/1.png is corrupt or unreadable: ");
        assert!(!shows_debug_formatting(&r.stderr), "{}", r.stderr);
    }
}

/// Regression: a CSV with two columns of the same name was read silently, the first
/// one plotted, where pandas would have named the second `y.1`.
#[test]
fn regression_a_csv_column_named_twice_was_read_silently() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [100, 100]\n\
         series = [{ csv = \"d.csv\", x = \"x\", y = \"y\" }]\n",
    );
    s.write("d.csv", "x,y,y\n0,1,2\n1,2,3\n");
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "d.csv has two columns named `y` (columns 2 and 3)",
        "scene.toml:4"
    );
    s.write("d.csv", "x,y,x2,x2\n0,1,2,2\n1,2,3,3\n");
    assert_exit!(s.run(&["check", "scene.toml"]), 0);
}

/// Regression (hostile F-J): names, paths and arguments quoted in messages and in
/// `check`'s timeline reached the terminal with their control characters, so a scene
/// could clear the screen, retitle the window, or reorder a line (U+202E). They are
/// named now (`<U+001B>`), on stderr and stdout alike.
#[test]
fn regression_escape_sequences_from_a_scene_reached_the_terminal() {
    let s = Sandbox::new();
    let clean = |text: &str, what: &str| {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202E}'),
            "{what}: raw control characters in {text:?}"
        );
    };
    let cases = [
        // a missing file's path
        (
            "[clip.main]\nkind = \"file\"\npath = \"x\\u001b[2Jy.png\"\n",
            vec![],
            "x<U+001B>[2Jy.png",
        ),
        // an unknown kind, written with a right-to-left override
        (
            "[clip.main]\nkind = \"colo\\u202Er\"\n",
            vec![],
            "colo<U+202E>r",
        ),
        // a `--set` name
        (
            "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\nduration = 1\n",
            vec!["--set", "b\u{1b}[31m=2"],
            "b<U+001B>[31m",
        ),
    ];
    for (scene, extra, named) in cases {
        s.write("scene.toml", scene);
        let mut args = vec!["render", "scene.toml", "-o", "out.gif"];
        args.extend(extra);
        let r = s.run(&args);
        assert_exit!(r, 2);
        assert_stderr!(r, named);
        clean(&r.stderr, scene);
    }
    // The timeline on stdout names an unused clip's escape sequence.
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\nduration = 1\n[clip.\"u\\u001b]0;T\\u0007\"]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout.contains("unused: u<U+001B>]0;T<U+0007>"),
        "{}",
        r.stdout
    );
    clean(&r.stdout, "check");
    // An output name, and a command line clap refuses.
    let r = s.run(&["render", "scene.toml", "-o", "x\u{1b}[31m.xyz"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "x<U+001B>[31m.xyz");
    clean(&r.stderr, "-o");
    let r = s.run(&["\u{202E}x"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "<U+202E>x");
    clean(&r.stderr, "subcommand");
}

/// Regression (hostile F-M): `[output] file = ""` rendered PNG frames into the scene's
/// folder (`-o ""` is refused), and `file = "/etc"` put frames into /etc: a scene's
/// output that names a folder must say so with a trailing `/`.
#[test]
fn regression_an_empty_or_folder_output_file_put_frames_beside_the_scene() {
    let s = Sandbox::new();
    std::fs::create_dir(s.path("existing")).unwrap();
    let scene = |file: &str| {
        format!("[output]\nfile = {file}\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [16, 16]\nduration = 0.1\n")
    };
    for (file, message) in [
        ("\"\"", "[output] file is empty"),
        ("\"existing\"", "[output] file names the folder `existing`"),
    ] {
        s.write("scene.toml", scene(file));
        let r = s.run(&["render", "scene.toml", "-q"]);
        assert_exit!(r, 2);
        assert_stderr!(r, message, "scene.toml:2:8");
        assert!(!s.path("0000.png").exists() && !s.path("existing/0000.png").exists());
    }
    // With the slash, the frames go into the folder, as documented.
    s.write("scene.toml", scene("\"existing/\""));
    let r = s.run(&["render", "scene.toml", "-q"]);
    assert_exit!(r, 0);
    assert!(s.path("existing/0000.png").exists());
}

/// Regression (hostile F-I): a measurement rendered and kept every frame of its clip
/// with no bound, while the scene loaded: a 1-second scene measuring a day-long clip at
/// 1000 fps kept `deps` and `check` busy for minutes and gigabytes, then aborted. At most
/// a million frames are measured; more is refused at the measured clip's place.
#[test]
fn regression_a_measurement_of_a_day_at_1000_fps_ate_the_memory_of_deps() {
    let s = Sandbox::new();
    let scene = |fps: u32| {
        format!(
            "[output]\nfps = {fps}\n[measure.pop]\nclip = \"cells\"\nstat = \"mean\"\n[clip.cells]\nkind = \"color\"\ncolor = \"red\"\nsize = [1, 1]\nduration = 86400\n[clip.txt]\nkind = \"text\"\ntext = \"{{pop:.0f}}\"\nduration = 0.1\n[clip.main]\nkind = \"composite\"\nlayers = [{{ clip = \"txt\" }}]\n"
        )
    };
    s.write("scene.toml", scene(1000));
    for command in ["deps", "check"] {
        let r = s
            .run_bounded(&[command, "scene.toml"], Some(1 << 30))
            .expect("the measurement ran on");
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "measurement `pop`: clip `cells` lasts 86400 s, 86400000 frames at 1000 fps, more than the 1000000",
            "scene.toml:4:8"
        );
    }
    // Asked for on the command line, the rate is checked when the pass runs.
    s.write("scene.toml", scene(10));
    let r = s
        .run_bounded(
            &["render", "scene.toml", "--fps", "20", "-o", "x.gif", "-q"],
            Some(1 << 30),
        )
        .expect("the measurement ran on");
    assert_exit!(r, 1);
    assert_stderr!(r, "1728000 frames at 20 fps, more than the 1000000");
    assert!(!s.path("x.gif").exists());
}

#[test]
fn regression_deps_and_check_wrote_a_names_line_break_and_tab_raw() {
    // `deps` lists one file a line and `check` one clip a line: a name holding a line
    // break read as two, a tab split a field. They are named as other control
    // characters are.
    let s = Sandbox::new();
    s.write("nl\nx", "a");
    s.write("tab\tx", "a");
    s.write(
        "scene.toml",
        "[clip.\"a\\nb\"]\nkind = \"program\"\nrun = [\"cat\", \"nl\\nx\", \"tab\\tx\"]\nformat = \"rgb\"\n\
         size = [2, 2]\nduration = 1\n[clip.\"t\\tu\"]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n\
         duration = 1\n[clip.main]\nkind = \"composite\"\nlayers = [{ clip = \"a\\nb\" }]\n",
    );
    let r = s.run(&["deps", "scene.toml"]);
    assert_exit!(r, 0);
    assert_eq!(r.stdout, "scene.toml\nnl<U+000A>x\ntab<U+0009>x\n");
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout.contains("  a<U+000A>b  program  2x2")
            && r.stdout.contains("unused: t<U+0009>u (color, 2x2)")
            && r.stdout
                .contains("  a<U+000A>b: cat 'nl<U+000A>x' 'tab<U+0009>x'"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains('\t'), "{:?}", r.stdout);
}
