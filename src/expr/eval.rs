//! Evaluation of a compiled [`Graph`]: one point at a time, or column by column over
//! many points.
//!
//! Values are split by what they depend on. Those that depend on no per-point input
//! (constants, `t`, `t`-only subexpressions) are computed once per call into a register
//! file. The rest run as a [`Kernel`]: a list of column operations over chunks of
//! [`CHUNK`] points, each operand a column, an input slice or a register broadcast, so
//! the inner loops are tight and the cheap ones vectorise. On a grid, values that depend
//! on x only are computed once per column of the grid and values that depend on y only
//! once per row; values on both axes that do not depend on time are kept from one call
//! to the next while the grid stays the same ([`GridCache`]).

use super::cache::{Entry, Got, GridCache};
use super::func::{Bin, Tern, Un};
use std::sync::Arc;

use super::graph::{EnvVar, Graph, Op};
use super::series::Series;
use super::Env;

/// Points per column chunk: small enough that every live column stays in L1.
pub const CHUNK: usize = 256;

/// Where a kernel step reads an operand.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Arg {
    /// A register (a value that is the same for every point of the chunk).
    Reg(u32),
    /// A column computed by an earlier step.
    Col(u16),
    /// An external slice: an input, or a column computed beforehand.
    Ext(u8),
}

#[derive(Debug, Clone, Copy)]
enum StepOp {
    Un(Un),
    Bin(Bin),
    Tern(Tern),
}

#[derive(Debug, Clone)]
struct Step {
    op: StepOp,
    args: [Arg; 3],
    dst: u16,
}

/// Column operations computing some of a graph's values over many points.
#[derive(Debug, Clone, Default)]
struct Kernel {
    steps: Vec<Step>,
    slots: usize,
    /// Column slot of each kept value, in the order asked for.
    kept: Vec<u16>,
}

impl Kernel {
    /// Computes the values `member` selects; the others are found with `locate`. The
    /// values in `keep` stay in their columns until the end.
    fn build(
        g: &Graph,
        member: impl Fn(u32) -> bool,
        locate: impl Fn(u32) -> Arg,
        keep: &[u32],
    ) -> Kernel {
        let members: Vec<u32> = (0..g.values.len() as u32).filter(|&v| member(v)).collect();
        let mut last_use = vec![0usize; g.values.len()];
        for (i, &v) in members.iter().enumerate() {
            for a in g.values[v as usize].op.args() {
                last_use[a as usize] = i;
            }
        }
        for &k in keep {
            last_use[k as usize] = usize::MAX;
        }
        let mut slot_of = vec![u16::MAX; g.values.len()];
        let mut free: Vec<u16> = Vec::new();
        let mut slots = 0usize;
        let mut steps = Vec::with_capacity(members.len());
        for (i, &v) in members.iter().enumerate() {
            let op = g.values[v as usize].op;
            let arg = |a: u32| {
                if member(a) {
                    Arg::Col(slot_of[a as usize])
                } else {
                    locate(a)
                }
            };
            let (sop, args) = match op {
                Op::Un(o, a) => (StepOp::Un(o), [arg(a), Arg::Reg(0), Arg::Reg(0)]),
                Op::Bin(o, a, b) => (StepOp::Bin(o), [arg(a), arg(b), Arg::Reg(0)]),
                Op::Tern(o, a, b, c) => (StepOp::Tern(o), [arg(a), arg(b), arg(c)]),
                Op::Const(_) | Op::Env(_) | Op::Input(_) => {
                    unreachable!("leaves are never kernel members")
                }
            };
            let dst = free.pop().unwrap_or_else(|| {
                slots += 1;
                (slots - 1) as u16
            });
            slot_of[v as usize] = dst;
            // Operands read for the last time free their columns (after the output has
            // its own, so a step never reads and writes the same column).
            let mut freed: [u32; 3] = [u32::MAX; 3];
            for (k, a) in op.args().enumerate() {
                if member(a) && last_use[a as usize] == i && !freed.contains(&a) {
                    free.push(slot_of[a as usize]);
                    freed[k] = a;
                }
            }
            steps.push(Step { op: sop, args, dst });
        }
        Kernel {
            steps,
            slots,
            kept: keep.iter().map(|&k| slot_of[k as usize]).collect(),
        }
    }

    fn columns(&self, len: usize) -> Vec<Vec<f64>> {
        vec![vec![0.0; len]; self.slots]
    }

    /// Runs every step over the first `n` points of the columns.
    fn run(&self, regs: &[f64], ext: &[&[f64]], cols: &mut [Vec<f64>], n: usize) {
        for s in &self.steps {
            let mut out = std::mem::take(&mut cols[s.dst as usize]);
            {
                let src = |a: Arg| match a {
                    Arg::Reg(r) => Src::S(regs[r as usize]),
                    Arg::Col(c) => Src::V(&cols[c as usize][..n]),
                    Arg::Ext(e) => Src::V(&ext[e as usize][..n]),
                };
                let o = &mut out[..n];
                match s.op {
                    StepOp::Un(u) => un(u, src(s.args[0]), o),
                    StepOp::Bin(b) => bin(b, src(s.args[0]), src(s.args[1]), o),
                    StepOp::Tern(t) => tern(t, src(s.args[0]), src(s.args[1]), src(s.args[2]), o),
                }
            }
            cols[s.dst as usize] = out;
        }
    }
}

#[derive(Clone, Copy)]
enum Src<'a> {
    S(f64),
    V(&'a [f64]),
}

impl Src<'_> {
    #[inline(always)]
    fn at(&self, i: usize) -> f64 {
        match self {
            Src::S(v) => *v,
            Src::V(s) => s[i],
        }
    }
}

#[inline(always)]
fn map1(a: Src, out: &mut [f64], f: impl Fn(f64) -> f64) {
    match a {
        Src::V(a) => out.iter_mut().zip(a).for_each(|(o, &x)| *o = f(x)),
        Src::S(x) => out.fill(f(x)),
    }
}

#[inline(always)]
fn map2(a: Src, b: Src, out: &mut [f64], f: impl Fn(f64, f64) -> f64) {
    match (a, b) {
        (Src::V(a), Src::V(b)) => out
            .iter_mut()
            .zip(a.iter().zip(b))
            .for_each(|(o, (&x, &y))| *o = f(x, y)),
        (Src::V(a), Src::S(y)) => out.iter_mut().zip(a).for_each(|(o, &x)| *o = f(x, y)),
        (Src::S(x), Src::V(b)) => out.iter_mut().zip(b).for_each(|(o, &y)| *o = f(x, y)),
        (Src::S(x), Src::S(y)) => out.fill(f(x, y)),
    }
}

/// Expands a match so that each operation gets its own monomorphised loop.
macro_rules! each_un {
    ($u:expr, $a:expr, $out:expr, [$($v:ident),*]) => {
        match $u {
            $(Un::$v => map1($a, $out, |x| Un::$v.apply(x)),)*
            Un::PowI(2) => map1($a, $out, |x| Un::PowI(2).apply(x)),
            Un::PowI(n) => map1($a, $out, |x| Un::PowI(n).apply(x)),
        }
    };
}

fn un(u: Un, a: Src, out: &mut [f64]) {
    each_un!(
        u,
        a,
        out,
        [
            Neg, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh, Exp, Ln, Log10, Log2, Sqrt,
            Cbrt, Abs, Sign, Floor, Ceil, Round, Sinc, Erf, Erfc
        ]
    )
}

macro_rules! each_bin {
    ($b:expr, $x:expr, $y:expr, $out:expr, [$($v:ident),*]) => {
        match $b {
            $(Bin::$v => map2($x, $y, $out, |p, q| Bin::$v.apply(p, q)),)*
        }
    };
}

fn bin(b: Bin, x: Src, y: Src, out: &mut [f64]) {
    each_bin!(
        b,
        x,
        y,
        out,
        [Add, Sub, Mul, Div, Pow, Mod, Lt, Le, Gt, Ge, Eq, Ne, Atan2, Min, Max, Hypot]
    )
}

fn tern(t: Tern, a: Src, b: Src, c: Src, out: &mut [f64]) {
    for (i, o) in out.iter_mut().enumerate() {
        *o = t.apply(a.at(i), b.at(i), c.at(i));
    }
}

/// One value computed alone.
#[inline]
fn scalar(op: Op, regs: &[f64], env: &Env, point: &[f64], series: &[Arc<dyn Series>]) -> f64 {
    let r = |v: u32| regs[v as usize];
    match op {
        Op::Const(c) => c,
        Op::Env(EnvVar::T) => env.t,
        Op::Env(EnvVar::Duration) => env.duration,
        Op::Env(EnvVar::Fps) => env.fps,
        Op::Env(EnvVar::Frame) => env.frame(),
        Op::Env(EnvVar::Series(k)) => series
            .get(k as usize)
            .map_or(f64::NAN, |s| s.at(env.t, env.fps)),
        Op::Input(i) => point.get(i as usize).copied().unwrap_or(f64::NAN),
        Op::Un(u, a) => u.apply(r(a)),
        Op::Bin(b, x, y) => b.apply(r(x), r(y)),
        Op::Tern(t, x, y, z) => t.apply(r(x), r(y), r(z)),
    }
}

/// How to evaluate a graph over a grid of two inputs.
#[derive(Debug, Clone)]
struct GridPlan {
    /// x-only values, computed along the x axis once per call.
    xs: Kernel,
    /// The kept x-only values, in the order of their `Ext` slots (after `xs` itself).
    x_kept: Vec<u32>,
    /// y-only values, computed as registers once per row.
    ys: Vec<u32>,
    /// Values that depend on both, per row in chunks.
    both: Kernel,
    /// How to keep the time-independent ones between calls, when worth it.
    kept: Option<KeptPlan>,
}

/// How a grid keeps and reads back values on both axes that do not depend on time.
#[derive(Debug, Clone)]
struct KeptPlan {
    /// Those values read by values that do depend on time: the ones kept.
    values: Vec<u32>,
    /// The grid's `both` kernel keeping them too (after the result): fills the cache.
    fill: Kernel,
    /// The values on both axes that depend on time, reading the kept ones as external
    /// slots after the x-only columns.
    moving: Kernel,
}

/// True for operations that cost more than reading a kept value back from memory.
fn costly(op: Op) -> bool {
    match op {
        Op::Un(u, _) => !matches!(
            u,
            Un::Neg | Un::Abs | Un::Sign | Un::Floor | Un::Ceil | Un::Round | Un::PowI(_)
        ),
        Op::Bin(b, _, _) => matches!(b, Bin::Pow | Bin::Mod | Bin::Atan2 | Bin::Hypot),
        _ => false,
    }
}

impl KeptPlan {
    /// A plan if the result depends on time and on both axes and reads values on both
    /// axes that do not, some of them costly to compute.
    fn new(graph: &Graph, x_kept: &[u32]) -> Option<KeptPlan> {
        let vals = &graph.values;
        let n = vals.len() as u32;
        let val = |v: u32| &vals[v as usize];
        let both = |v: u32| val(v).inputs == 3;
        let still = |v: u32| both(v) && !val(v).env;
        let moving = |v: u32| both(v) && val(v).env;
        if !moving(graph.result) || !(0..n).any(|v| still(v) && costly(val(v).op)) {
            return None;
        }
        let mut values: Vec<u32> = (0..n)
            .filter(|&v| moving(v))
            .flat_map(|v| val(v).op.args().collect::<Vec<_>>())
            .filter(|&a| still(a))
            .collect();
        values.sort_unstable();
        values.dedup();
        // External slots are numbered by a byte: the x input, x-only columns, kept ones.
        if 1 + x_kept.len() + values.len() > 256 {
            return None;
        }
        let x_slot = |v: u32| x_kept.iter().position(|&k| k == v).map(|k| 1 + k as u8);
        let locate = |v: u32| match val(v).op {
            Op::Input(0) => Arg::Ext(0),
            _ => x_slot(v).map_or(Arg::Reg(v), Arg::Ext),
        };
        let mut keep = vec![graph.result];
        keep.extend(&values);
        let fill = Kernel::build(graph, both, locate, &keep);
        let base = 1 + x_kept.len();
        let moving = Kernel::build(
            graph,
            moving,
            |v| match values.iter().position(|&k| k == v) {
                Some(k) => Arg::Ext((base + k) as u8),
                None => locate(v),
            },
            &[graph.result],
        );
        Some(KeptPlan {
            values,
            fill,
            moving,
        })
    }
}

/// How [`Program::eval_grid`] computes the rows of values on both axes.
enum Rows<'a> {
    /// Everything, every call.
    Plain,
    /// Everything, keeping the time-independent values in these grids.
    Fill(&'a KeptPlan, &'a mut [Vec<f64>]),
    /// Only what depends on time, reading the rest from a kept entry.
    Hit(&'a KeptPlan, &'a Entry),
}

/// More x-only columns than this and a grid is evaluated as a plain batch.
const MAX_KEPT: usize = 200;

impl GridPlan {
    fn new(graph: &Graph) -> Option<GridPlan> {
        let vals = &graph.values;
        let n = vals.len() as u32;
        let is_input = |v: u32| matches!(vals[v as usize].op, Op::Input(_));
        let mask = |v: u32| vals[v as usize].inputs;
        let x_only = |v: u32| mask(v) == 1 && !is_input(v);
        let both = |v: u32| mask(v) == 3;
        // x-only values read by a value on both axes (or the result) are kept.
        let mut x_kept: Vec<u32> = (0..n)
            .filter(|&v| both(v))
            .flat_map(|v| vals[v as usize].op.args().collect::<Vec<_>>())
            .chain(std::iter::once(graph.result))
            .filter(|&a| x_only(a))
            .collect();
        x_kept.sort_unstable();
        x_kept.dedup();
        // Each kept column is an external slot numbered by a byte.
        if x_kept.len() >= MAX_KEPT {
            return None;
        }
        let xs = Kernel::build(
            graph,
            x_only,
            |v| match vals[v as usize].op {
                Op::Input(0) => Arg::Ext(0),
                _ => Arg::Reg(v),
            },
            &x_kept,
        );
        let ys = (0..n).filter(|&v| mask(v) == 2 && !is_input(v)).collect();
        let both_k = Kernel::build(
            graph,
            both,
            |v| match vals[v as usize].op {
                Op::Input(0) => Arg::Ext(0),
                _ if x_only(v) => {
                    Arg::Ext(1 + x_kept.iter().position(|&k| k == v).unwrap_or(0) as u8)
                }
                _ => Arg::Reg(v),
            },
            &[graph.result],
        );
        let kept = KeptPlan::new(graph, &x_kept);
        Some(GridPlan {
            xs,
            x_kept,
            ys,
            both: both_k,
            kept,
        })
    }
}

/// A graph ready to evaluate in every mode.
#[derive(Debug)]
pub struct Program {
    graph: Graph,
    inputs: usize,
    /// Registers preset with the constants.
    template: Vec<f64>,
    /// Values without per-point inputs that are not constants, in order.
    uniform: Vec<u32>,
    /// Every non-constant value, in order (the scalar path).
    all: Vec<u32>,
    batch: Kernel,
    grid: Option<GridPlan>,
    /// Values the grid plan keeps between calls.
    cache: GridCache,
}

/// Registers on the stack for small programs.
const STACK_REGS: usize = 48;

impl Program {
    pub fn new(graph: Graph, inputs: usize) -> Program {
        let vals = &graph.values;
        let n = vals.len() as u32;
        let template = vals
            .iter()
            .map(|v| match v.op {
                Op::Const(c) => c,
                _ => 0.0,
            })
            .collect();
        let is_const = |v: u32| matches!(vals[v as usize].op, Op::Const(_));
        let is_input = |v: u32| matches!(vals[v as usize].op, Op::Input(_));
        let mask = |v: u32| vals[v as usize].inputs;
        let uniform = (0..n).filter(|&v| mask(v) == 0 && !is_const(v)).collect();
        let all = (0..n).filter(|&v| !is_const(v)).collect();
        let batch = Kernel::build(
            &graph,
            |v| mask(v) != 0 && !is_input(v),
            |v| match vals[v as usize].op {
                Op::Input(i) => Arg::Ext(i),
                _ => Arg::Reg(v),
            },
            &[graph.result],
        );
        let grid = if inputs == 2 {
            GridPlan::new(&graph)
        } else {
            None
        };
        Program {
            graph,
            inputs,
            template,
            uniform,
            all,
            batch,
            grid,
            cache: GridCache::default(),
        }
    }

    /// True if grids keep time-independent values between calls.
    #[cfg(test)]
    pub fn keeps_grids(&self) -> bool {
        self.grid.as_ref().is_some_and(|p| p.kept.is_some())
    }

    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    pub fn inputs(&self) -> usize {
        self.inputs
    }

    fn with_regs<R>(&self, f: impl FnOnce(&mut [f64]) -> R) -> R {
        let n = self.template.len();
        if n <= STACK_REGS {
            let mut buf = [0.0; STACK_REGS];
            buf[..n].copy_from_slice(&self.template);
            f(&mut buf[..n])
        } else {
            let mut regs = self.template.clone();
            f(&mut regs)
        }
    }

    fn compute(&self, order: &[u32], regs: &mut [f64], env: &Env, point: &[f64]) {
        for &v in order {
            let op = self.graph.values[v as usize].op;
            regs[v as usize] = scalar(op, regs, env, point, &self.graph.series);
        }
    }

    /// The value at one point.
    pub fn eval(&self, env: &Env, point: &[f64]) -> f64 {
        self.with_regs(|regs| {
            self.compute(&self.all, regs, env, point);
            regs[self.graph.result as usize]
        })
    }

    /// `out[i]` = the value at the point `(inputs[0][i], inputs[1][i], …)`.
    pub fn eval_batch(&self, env: &Env, inputs: &[&[f64]], out: &mut [f64]) {
        assert_eq!(
            inputs.len(),
            self.inputs,
            "eval_batch: one slice per input variable"
        );
        assert!(
            inputs.iter().all(|s| s.len() == out.len()),
            "eval_batch: every input slice has out.len() points"
        );
        let result = self.graph.result;
        self.with_regs(|regs| {
            self.compute(&self.uniform, regs, env, &[]);
            match self.graph.values[result as usize].op {
                Op::Input(i) => return out.copy_from_slice(inputs[i as usize]),
                _ if self.graph.values[result as usize].inputs == 0 => {
                    return out.fill(regs[result as usize])
                }
                _ => {}
            }
            let mut cols = self.batch.columns(CHUNK.min(out.len()));
            let slot = self.batch.kept[0] as usize;
            let mut ext: Vec<&[f64]> = Vec::with_capacity(inputs.len());
            for (start, o) in (0..).step_by(CHUNK).zip(out.chunks_mut(CHUNK)) {
                let n = o.len();
                ext.clear();
                ext.extend(inputs.iter().map(|s| &s[start..start + n]));
                self.batch.run(regs, &ext, &mut cols, n);
                o.copy_from_slice(&cols[slot][..n]);
            }
        })
    }

    /// `out[j * xs.len() + i]` = the value at `(xs[i], ys[j])`: a row-major grid over a
    /// two-input expression (input 0 along rows, input 1 down columns).
    pub fn eval_grid(&self, env: &Env, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        assert_eq!(
            self.inputs, 2,
            "eval_grid: the expression has exactly two input variables"
        );
        let w = xs.len();
        assert_eq!(
            out.len(),
            w * ys.len(),
            "eval_grid: out has xs.len() * ys.len() points"
        );
        if w == 0 {
            return;
        }
        let Some(plan) = self.grid.as_ref() else {
            let (gx, gy): (Vec<f64>, Vec<f64>) =
                (0..out.len()).map(|k| (xs[k % w], ys[k / w])).unzip();
            return self.eval_batch(env, &[&gx, &gy], out);
        };
        let vals = &self.graph.values;
        let result = self.graph.result;
        let y_input = (0..vals.len()).find(|&v| vals[v].op == Op::Input(1));
        self.with_regs(|regs| {
            self.compute(&self.uniform, regs, env, &[]);
            let mut xcols = plan.xs.columns(w);
            plan.xs.run(regs, &[xs], &mut xcols, w);
            let x_of = |v: u32| -> Option<&[f64]> {
                let k = plan.x_kept.iter().position(|&k| k == v)?;
                Some(&xcols[plan.xs.kept[k] as usize][..])
            };
            let mut ext: Vec<&[f64]> = vec![xs];
            ext.extend(plan.x_kept.iter().map(|&v| x_of(v).unwrap_or(xs)));
            let rmask = vals[result as usize].inputs;
            let rows = |regs: &mut [f64], out: &mut [f64], mut mode: Rows| {
                let kernel = match mode {
                    Rows::Plain => &plan.both,
                    Rows::Fill(k, _) => &k.fill,
                    Rows::Hit(k, _) => &k.moving,
                };
                let mut cols = kernel.columns(CHUNK.min(w));
                let slot = kernel.kept[0] as usize;
                let mut row_ext: Vec<&[f64]> = Vec::with_capacity(ext.len());
                for (j, row) in out.chunks_mut(w).enumerate() {
                    if let Some(yv) = y_input {
                        regs[yv] = ys[j];
                    }
                    self.compute(&plan.ys, regs, env, &[]);
                    match (rmask, vals[result as usize].op) {
                        (_, Op::Input(0)) => row.copy_from_slice(xs),
                        (1, _) => row.copy_from_slice(x_of(result).unwrap_or(xs)),
                        (0 | 2, _) => row.fill(regs[result as usize]),
                        _ => {
                            for (start, o) in (0..).step_by(CHUNK).zip(row.chunks_mut(CHUNK)) {
                                let (n, at) = (o.len(), j * w + start);
                                row_ext.clear();
                                row_ext.extend(ext.iter().map(|s| &s[start..start + n]));
                                if let Rows::Hit(_, e) = &mode {
                                    row_ext.extend(e.cols.iter().map(|c| &c[at..at + n]));
                                }
                                kernel.run(regs, &row_ext, &mut cols, n);
                                o.copy_from_slice(&cols[slot][..n]);
                                if let Rows::Fill(_, grids) = &mut mode {
                                    for (g, &s) in grids.iter_mut().zip(&kernel.kept[1..]) {
                                        g[at..at + n].copy_from_slice(&cols[s as usize][..n]);
                                    }
                                }
                            }
                        }
                    }
                }
            };
            if let (3, Some(k)) = (rmask, &plan.kept) {
                let fill = |grids: &mut [Vec<f64>]| rows(regs, out, Rows::Fill(k, grids));
                match self.cache.lookup(xs, ys, k.values.len(), fill) {
                    Got::Hit(e) => return rows(regs, out, Rows::Hit(k, &e)),
                    Got::Filled => return,
                    Got::Off => {}
                }
            }
            rows(regs, out, Rows::Plain)
        })
    }
}
