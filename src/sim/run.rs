//! Stepping a simulation: the grids live in one place, move forward only, and what
//! `show` gives at each frame is kept (in memory up to a budget, then in a temporary
//! file: [`crate::base::held`]) so that frames asked again, backwards or out of order
//! are read, not recomputed. Frame k is the state after k × `steps_per_frame` steps,
//! whoever asks and in whatever order.

use std::sync::{Arc, Mutex};

use super::lines::{Input, Line, Lines};
use super::neighbours::{fill, Boundary, Shape};
use crate::base::error::RenderError;
use crate::base::held::HeldCache;
use crate::expr::Env;

/// A compiled simulation and its settings.
#[derive(Debug)]
pub struct Program {
    pub lines: Lines,
    pub shape: Shape,
    pub steps_per_frame: u32,
    pub boundary: Boundary,
    pub seed: u64,
    /// Frames per second: time in expressions, and frame k at t = k / fps.
    pub fps: f64,
    /// The clip's duration, for `duration` in expressions.
    pub duration: Option<f64>,
}

impl Program {
    fn cells(&self) -> usize {
        self.shape.w * self.shape.h
    }

    /// The grids of values a frame shows: 1, or 3 for red, green and blue.
    pub fn planes(&self) -> usize {
        self.lines.show.len()
    }

    /// The bytes of one frame kept: its planes of f64 values.
    pub fn frame_bytes(&self) -> u64 {
        self.planes() as u64 * self.cells() as u64 * 8
    }

    /// Scratch grids a line may need at once: one per input and the result.
    fn scratch(&self) -> usize {
        let all = self
            .lines
            .init
            .iter()
            .chain(&self.lines.step)
            .chain(&self.lines.show);
        all.map(|l| l.calls.len()).max().unwrap_or(0) + 1
    }

    /// The bytes of grids a running simulation holds (state, temporaries, scratch,
    /// x and y).
    pub fn held_bytes(&self) -> u64 {
        (self.lines.names.len() + self.scratch() + 2) as u64 * self.cells() as u64 * 8
    }

    /// Cells × lines × steps evaluated for one frame.
    pub fn work_per_frame(&self) -> u64 {
        self.cells() as u64 * self.lines.step.len().max(1) as u64 * self.steps_per_frame as u64
    }

    /// What stepping one frame costs, counted in cell evaluations: its work, and at
    /// least [`super::FRAME_COST`].
    pub fn cost_per_frame(&self) -> u64 {
        self.work_per_frame().max(super::FRAME_COST)
    }

    /// The last frame a simulation is stepped to: a day of its own time (the longest
    /// render), at its rate.
    pub fn last_frame(&self) -> u64 {
        (crate::base::limits::MAX_DURATION * self.fps).ceil() as u64
    }
}

/// A simulation being run, shared by every render worker.
pub struct Runner {
    program: Arc<Program>,
    state: Mutex<State>,
}

struct State {
    /// Empty until the first frame is asked for.
    grids: Vec<Vec<f64>>,
    scratch: Vec<Vec<f64>>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// The frame the grids are at.
    at: u64,
    /// `show` of frames 0..=at, as native-endian f64 bytes (its planes one after another),
    /// but for the frames passed on the way to one far ahead (see [`Runner::frame`]).
    shown: HeldCache<Vec<u8>>,
    /// Whether every frame stepped is kept: after a frame passed over was asked for.
    keep_all: bool,
}

/// The bytes of the frames kept before a frame asked for far ahead of the others: its
/// neighbours, which a render's other workers, a `reverse` or a short loop ask next.
const KEPT_BEFORE_A_JUMP: u64 = 256 << 20;

impl Runner {
    pub fn new(program: Program) -> Runner {
        let record = program.frame_bytes();
        Runner {
            program: Arc::new(program),
            state: Mutex::new(State {
                grids: Vec::new(),
                scratch: Vec::new(),
                xs: Vec::new(),
                ys: Vec::new(),
                at: 0,
                shown: HeldCache::of_bytes(record),
                keep_all: false,
            }),
        }
    }

    pub fn program(&self) -> &Program {
        &self.program
    }

    /// `show` at frame `k`, row by row from the top, into `out`: for an RGB `show`, the
    /// red plane, then the green, then the blue.
    pub fn frame(&self, k: u64, out: &mut Vec<f64>) -> Result<(), RenderError> {
        if k > self.program.last_frame() {
            // A time far past any render (`frame --time 1e9`, a `subclip` of a simulation
            // without end) stepped for hours and filled the disk with the frames kept on
            // the way (hostile9 F-BC).
            return Err(RenderError(format!(
                "a simulation runs at most a day of its own time ({} frames at {} fps): \
                 its frame {k}, at {} s, is past that",
                self.program.last_frame(),
                crate::base::limits::shown(self.program.fps),
                crate::base::limits::shown_seconds(k as f64 / self.program.fps),
            )));
        }
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let keep = |e: std::io::Error| {
            RenderError(format!(
                "a simulation cannot keep its frames in a temporary file (it keeps the frames \
                 before the one asked for, here frame {k}, at {} s): {e}",
                crate::base::limits::shown_seconds(k as f64 / self.program.fps),
            ))
        };
        if st.grids.is_empty() {
            self.restart(&mut st)?;
        }
        let mut bytes = match k <= st.at {
            true => st.shown.get(k).map_err(keep)?,
            false => None,
        };
        if bytes.is_none() && k <= st.at {
            // A frame passed over on the way to one far ahead: from the start again,
            // keeping every frame from now on (asked twice, it would be passed twice).
            st.keep_all = true;
            self.restart(&mut st)?;
        }
        if bytes.is_none() {
            // Frames more than a window before `k` are not kept unless every frame is:
            // a frame a day ahead (`frame --time`, a `subclip` far into the simulation)
            // kept every frame on the way, filling the disk (hostile9 F-BC).
            let window = (KEPT_BEFORE_A_JUMP / self.program.frame_bytes().max(1)).clamp(16, 1024);
            while st.at < k {
                // A frame is at most `MAX_WORK` evaluations: stopping between frames is
                // soon enough, and keeps the grids whole.
                crate::base::stop::check()?;
                let f = st.at;
                for s in 0..self.program.steps_per_frame {
                    self.step(&mut st, f * self.program.steps_per_frame as u64 + s as u64);
                }
                st.at += 1;
                let at = st.at;
                if st.keep_all || at + window > k {
                    let shown = self.show(&mut st, at);
                    st.shown.insert(at, shown).map_err(keep)?;
                }
            }
            bytes = st.shown.get(k).map_err(keep)?;
        }
        let bytes = bytes.ok_or_else(|| {
            RenderError(format!(
                "a simulation's frame {k} was computed but not kept"
            ))
        })?;
        out.clear();
        out.extend(
            bytes
                .chunks_exact(8)
                .map(|b| f64::from_ne_bytes(b.try_into().expect("8 bytes"))),
        );
        Ok(())
    }

    /// The grids at their starting values (the old ones let go first), frame 0 kept.
    fn restart(&self, st: &mut State) -> Result<(), RenderError> {
        (st.grids, st.scratch) = (Vec::new(), Vec::new());
        self.start(st)?;
        st.at = 0;
        let first = self.show(st, 0);
        st.shown.insert(0, first).map_err(keep)
    }

    fn start(&self, st: &mut State) -> Result<(), RenderError> {
        let p = &self.program;
        let (w, n) = (p.shape.w, p.cells());
        // The grids are what a simulation holds (up to the scene's 4 GiB budget): where
        // less memory is allowed (`ulimit -v`), an error rather than an abort.
        let grid = |fill: &dyn Fn(usize) -> f64| -> Result<Vec<f64>, RenderError> {
            let mut v = Vec::new();
            v.try_reserve_exact(n).map_err(|_| {
                RenderError(format!(
                    "a simulation's grids ({} MiB) do not fit in the memory this process may use",
                    p.held_bytes() >> 20
                ))
            })?;
            v.extend((0..n).map(fill));
            Ok(v)
        };
        let zero = |_| 0.0;
        // All made before any is kept: the state starts whole or not at all.
        let grids = (0..p.lines.names.len())
            .map(|_| grid(&zero))
            .collect::<Result<_, _>>()?;
        let scratch = (0..p.scratch())
            .map(|_| grid(&zero))
            .collect::<Result<_, _>>()?;
        let (xs, ys) = (grid(&|i| (i % w) as f64)?, grid(&|i| (i / w) as f64)?);
        (st.grids, st.scratch, st.xs, st.ys) = (grids, scratch, xs, ys);
        let env = self.env(0.0);
        for (k, line) in p.lines.init.iter().enumerate() {
            self.run(st, line, &env, (u64::MAX, k));
        }
        Ok(())
    }

    fn env(&self, t: f64) -> Env {
        Env::new(t, self.program.duration, self.program.fps)
    }

    /// Step number `s` (the first is 0): every line in order.
    fn step(&self, st: &mut State, s: u64) {
        let p = &self.program;
        let t = s as f64 / (p.steps_per_frame as f64 * p.fps);
        let env = self.env(t);
        for (k, line) in p.lines.step.iter().enumerate() {
            self.run(st, line, &env, (s, k));
        }
    }

    fn show(&self, st: &mut State, frame: u64) -> Vec<u8> {
        let env = self.env(frame as f64 / self.program.fps);
        let mut bytes = Vec::with_capacity(self.program.frame_bytes() as usize);
        for (k, line) in self.program.lines.show.iter().enumerate() {
            let out = self.eval(st, line, &env, (u64::MAX - 1 - frame, k));
            for v in out {
                bytes.extend_from_slice(&v.to_ne_bytes());
            }
        }
        bytes
    }

    /// Runs one line: its neighbour grids, then its expression into its target.
    fn run(&self, st: &mut State, line: &Line, env: &Env, at: (u64, usize)) {
        let last = st.scratch.len() - 1;
        self.eval(st, line, env, at);
        std::mem::swap(&mut st.grids[line.target], &mut st.scratch[last]);
    }

    /// Evaluates a line into the last scratch grid (returned as a copy for `show`,
    /// which has no target).
    fn eval(&self, st: &mut State, line: &Line, env: &Env, at: (u64, usize)) -> Vec<f64> {
        let p = &self.program;
        let State {
            grids,
            scratch,
            xs,
            ys,
            ..
        } = st;
        let last = scratch.len() - 1;
        let (calls, rest) = scratch.split_at_mut(last);
        for (c, (call, buf)) in line.calls.iter().zip(calls.iter_mut()).enumerate() {
            match call.slot {
                Some(slot) => fill(call.fun, &grids[slot], p.shape, &call.ints, p.boundary, buf),
                None => random(buf, p.seed, at.0, at.1, c),
            }
        }
        let inputs: Vec<&[f64]> = line
            .inputs
            .iter()
            .map(|i| match *i {
                Input::Slot(s) => grids[s].as_slice(),
                Input::X => xs.as_slice(),
                Input::Y => ys.as_slice(),
                Input::Call(c) => calls[c].as_slice(),
            })
            .collect();
        let out = &mut rest[0];
        line.expr.eval_batch(env, &inputs, out);
        if line.target == usize::MAX {
            out.clone()
        } else {
            Vec::new()
        }
    }
}

fn keep(e: std::io::Error) -> RenderError {
    RenderError(format!(
        "a simulation cannot keep its frames in a temporary file: {e}"
    ))
}

/// `rand()` of every cell for one call: a hash of the seed, the step, the line, the
/// call and the cell (SplitMix64), so the numbers never depend on threads or order.
fn random(out: &mut [f64], seed: u64, step: u64, line: usize, call: usize) {
    let base = mix(mix(mix(seed ^ 0x5EED) ^ step) ^ ((line as u64) << 32 | call as u64));
    for (i, o) in out.iter_mut().enumerate() {
        *o = (mix(base ^ i as u64) >> 11) as f64 / (1u64 << 53) as f64;
    }
}

fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
