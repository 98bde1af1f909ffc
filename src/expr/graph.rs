//! From a syntax tree to a list of values in evaluation order (SSA): names resolved,
//! constants folded, common subexpressions shared, unused values dropped.
//!
//! Each value records which per-point inputs it depends on and whether it depends on
//! time, which is what lets the evaluator hoist everything that does not vary.

use std::collections::HashMap;
use std::sync::Arc;

use super::error::ExprError;
use super::func::{self, Bin, Fun, Tern, Un, CONSTANTS, FUNCTIONS};
use super::parse::{BinOp, Kind, Node};
use super::series::{Found, Measures, Series};
use crate::base::diag::did_you_mean;

/// The most per-point inputs an expression may have.
pub const MAX_INPUTS: usize = 8;

/// The hint for `nan` (numpy's `np.nan`), a name the language does not have.
pub const NAN_HINT: &str = "there is no `nan` name: NaN is written `0/0` (numpy's `np.nan`); \
     a point whose value is NaN is left out, and a line breaks there";

/// What the evaluation environment provides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnvVar {
    T,
    Duration,
    Fps,
    Frame,
    /// A measurement: index into [`Graph::series`].
    Series(u16),
}

/// The most measurements one expression may read.
pub const MAX_SERIES: usize = 64;

pub const ENV_NAMES: &[(&str, EnvVar)] = &[
    ("t", EnvVar::T),
    ("duration", EnvVar::Duration),
    ("fps", EnvVar::Fps),
    ("frame", EnvVar::Frame),
];

/// Names some sources give per-point values; elsewhere they are not defined.
pub const POINT_NAMES: &[&str] = &["x", "y", "u"];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Const(f64),
    Env(EnvVar),
    Input(u8),
    Un(Un, u32),
    Bin(Bin, u32, u32),
    Tern(Tern, u32, u32, u32),
}

impl Op {
    /// The values this one reads.
    pub fn args(&self) -> impl Iterator<Item = u32> {
        let (a, n) = match *self {
            Op::Const(_) | Op::Env(_) | Op::Input(_) => ([0; 3], 0),
            Op::Un(_, a) => ([a, 0, 0], 1),
            Op::Bin(_, a, b) => ([a, b, 0], 2),
            Op::Tern(_, a, b, c) => ([a, b, c], 3),
        };
        a.into_iter().take(n)
    }

    fn map_args(self, f: impl Fn(u32) -> u32) -> Op {
        match self {
            Op::Un(o, a) => Op::Un(o, f(a)),
            Op::Bin(o, a, b) => Op::Bin(o, f(a), f(b)),
            Op::Tern(o, a, b, c) => Op::Tern(o, f(a), f(b), f(c)),
            other => other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Value {
    pub op: Op,
    /// Bit `i` set: depends on per-point input `i`.
    pub inputs: u8,
    /// Depends on `t`, `frame` (or `duration`, `fps`): varies between calls.
    pub env: bool,
}

/// The compiled form: `values` in evaluation order, each reading only earlier ones.
#[derive(Debug, Clone)]
pub struct Graph {
    pub values: Vec<Value>,
    pub result: u32,
    /// The measurements read by [`EnvVar::Series`].
    pub series: Vec<Arc<dyn Series>>,
}

/// What names mean while compiling.
pub struct Names<'a> {
    pub inputs: &'a [&'a str],
    pub vars: &'a dyn Fn(&str) -> Option<f64>,
    pub var_names: &'a dyn Fn() -> Vec<String>,
    /// False in `[vars]`: time and the environment are not available there.
    pub env: bool,
    /// The scene's measurements, when they may be used.
    pub measures: Option<&'a Measures>,
}

#[derive(Hash, PartialEq, Eq)]
enum Key {
    Const(u64),
    Env(EnvVar),
    Input(u8),
    Un(Un, u32),
    Bin(Bin, u32, u32),
    Tern(Tern, u32, u32, u32),
}

fn key(op: &Op) -> Key {
    match *op {
        Op::Const(v) => Key::Const(v.to_bits()),
        Op::Env(e) => Key::Env(e),
        Op::Input(i) => Key::Input(i),
        Op::Un(o, a) => Key::Un(o, a),
        Op::Bin(o, a, b) => Key::Bin(o, a, b),
        Op::Tern(o, a, b, c) => Key::Tern(o, a, b, c),
    }
}

struct Builder<'a> {
    names: &'a Names<'a>,
    values: Vec<Value>,
    seen: HashMap<Key, u32>,
    series: Vec<(String, Arc<dyn Series>)>,
}

/// Compiles a parsed expression.
pub fn build(node: &Node, names: &Names) -> Result<Graph, ExprError> {
    let mut b = Builder {
        names,
        values: Vec::new(),
        seen: HashMap::new(),
        series: Vec::new(),
    };
    let result = b.node(node)?;
    let series = b.series.into_iter().map(|(_, s)| s).collect();
    Ok(compact(b.values, result, series))
}

impl Builder<'_> {
    fn konst(&self, v: u32) -> Option<f64> {
        match self.values[v as usize].op {
            Op::Const(c) => Some(c),
            _ => None,
        }
    }

    /// Adds a value, folding constants and reusing an identical earlier value.
    fn push(&mut self, op: Op) -> u32 {
        let op = self.simplify(op);
        if let Op::Un(Un::PowI(1), a) = op {
            return a;
        }
        let k = key(&op);
        if let Some(&v) = self.seen.get(&k) {
            return v;
        }
        let (mut inputs, mut env) = match op {
            Op::Env(_) => (0, true),
            Op::Input(i) => (1u8 << i, false),
            _ => (0, false),
        };
        for a in op.args() {
            inputs |= self.values[a as usize].inputs;
            env |= self.values[a as usize].env;
        }
        let id = self.values.len() as u32;
        self.values.push(Value { op, inputs, env });
        self.seen.insert(k, id);
        id
    }

    fn simplify(&self, op: Op) -> Op {
        let c = |v| self.konst(v);
        match op {
            Op::Un(o, a) => match c(a) {
                Some(x) => Op::Const(o.apply(x)),
                None => op,
            },
            Op::Bin(o, a, b) => match (c(a), c(b)) {
                (Some(x), Some(y)) => Op::Const(o.apply(x, y)),
                // Small integer powers are multiplications (x^2 is x*x).
                (None, Some(n)) if o == Bin::Pow && n.fract() == 0.0 && n.abs() <= 16.0 => {
                    Op::Un(Un::PowI(n as i32), a)
                }
                _ => op,
            },
            Op::Tern(o, a, b, cc) => match (c(a), c(b), c(cc)) {
                (Some(x), Some(y), Some(z)) => Op::Const(o.apply(x, y, z)),
                _ => op,
            },
            other => other,
        }
    }

    fn node(&mut self, n: &Node) -> Result<u32, ExprError> {
        match &n.kind {
            Kind::Num(v) => Ok(self.push(Op::Const(*v))),
            Kind::Name(name) => self.name(name, n),
            Kind::Neg(a) => {
                let a = self.node(a)?;
                Ok(self.push(Op::Un(Un::Neg, a)))
            }
            Kind::Bin(op, a, b) => {
                let (a, b) = (self.node(a)?, self.node(b)?);
                let o = match op {
                    BinOp::Add => Bin::Add,
                    BinOp::Sub => Bin::Sub,
                    BinOp::Mul => Bin::Mul,
                    BinOp::Div => Bin::Div,
                    BinOp::Rem => Bin::Mod,
                    BinOp::Pow => Bin::Pow,
                    BinOp::Lt => Bin::Lt,
                    BinOp::Le => Bin::Le,
                    BinOp::Gt => Bin::Gt,
                    BinOp::Ge => Bin::Ge,
                    BinOp::Eq => Bin::Eq,
                    BinOp::Ne => Bin::Ne,
                };
                Ok(self.push(Op::Bin(o, a, b)))
            }
            Kind::Call {
                name,
                name_at,
                args,
            } => self.call(name, name_at, args, n),
        }
    }

    fn name(&mut self, name: &str, n: &Node) -> Result<u32, ExprError> {
        if let Some(i) = self.names.inputs.iter().position(|&p| p == name) {
            return Ok(self.push(Op::Input(i as u8)));
        }
        if let Some(&(_, e)) = ENV_NAMES.iter().find(|(k, _)| *k == name) {
            if !self.names.env {
                return Err(ExprError::new(
                    format!("`{name}` cannot be used in [vars]"),
                    n.at.clone(),
                )
                .with_hint("vars are constants of the scene; use t in the parameters themselves"));
            }
            return Ok(self.push(Op::Env(e)));
        }
        if let Some(v) = func::constant(name) {
            return Ok(self.push(Op::Const(v)));
        }
        if let Some(v) = (self.names.vars)(name) {
            return Ok(self.push(Op::Const(v)));
        }
        if let Some(id) = self.measure(name, n)? {
            return Ok(id);
        }
        if func::function(name).is_some() {
            return Err(
                ExprError::new(format!("`{name}` is a function"), n.at.clone())
                    .with_hint(format!("call it: {name}(…)")),
            );
        }
        let err = ExprError::new(format!("unknown name `{name}`"), n.at.clone());
        if name.eq_ignore_ascii_case("nan") {
            return Err(err.with_hint(NAN_HINT));
        }
        if let Some(hint) = did_you_mean(name, self.known().iter().map(|s| s.as_str())) {
            return Err(err.with_hint(hint));
        }
        if POINT_NAMES.contains(&name) {
            // A chart's title or label is one value per frame, not per point: say what it
            // can read, since "a plot defines x" is no help in a plot's title.
            let whose = if self.names.inputs.is_empty() {
                "not here: this expression has one value per frame"
            } else {
                "not in this one"
            };
            return Err(err.with_hint(format!(
                "`{name}` is a per-point name of a field's, plot series' or curve's \
                 expressions, {whose}; names known here: {}",
                self.known().join(", ")
            )));
        }
        Err(err.with_hint(format!("names known here: {}", self.known().join(", "))))
    }

    /// A measurement read by name, or `None` if `name` is not one.
    fn measure(&mut self, name: &str, n: &Node) -> Result<Option<u32>, ExprError> {
        let Some(measures) = self.names.measures.filter(|_| self.names.env) else {
            return Ok(None);
        };
        let series = match measures.find(name) {
            Found::No => return Ok(None),
            Found::Series(s) => s,
            other => {
                let (message, hint) = other.unusable(name).unwrap_or_default();
                return Err(ExprError::new(message, n.at.clone()).with_hint(hint));
            }
        };
        let k = match self.series.iter().position(|(s, _)| s == name) {
            Some(k) => k,
            None if self.series.len() < MAX_SERIES => {
                self.series.push((name.to_string(), series));
                self.series.len() - 1
            }
            None => {
                return Err(ExprError::new(
                    format!("an expression may read at most {MAX_SERIES} measurements"),
                    n.at.clone(),
                ))
            }
        };
        Ok(Some(self.push(Op::Env(EnvVar::Series(k as u16)))))
    }

    fn known(&self) -> Vec<String> {
        let mut k: Vec<String> = self.names.inputs.iter().map(|s| s.to_string()).collect();
        if self.names.env {
            k.extend(ENV_NAMES.iter().map(|(n, _)| n.to_string()));
        }
        k.extend(CONSTANTS.iter().map(|(n, _)| n.to_string()));
        k.extend((self.names.var_names)());
        if let Some(m) = self.names.measures.filter(|_| self.names.env) {
            k.extend(m.names().map(str::to_string));
        }
        k
    }

    fn call(
        &mut self,
        name: &str,
        name_at: &std::ops::Range<usize>,
        args: &[Node],
        n: &Node,
    ) -> Result<u32, ExprError> {
        let Some(f) = func::function(name) else {
            let err = ExprError::new(format!("unknown function `{name}`"), name_at.clone());
            if self.names.inputs.contains(&name)
                || ENV_NAMES.iter().any(|(k, _)| *k == name)
                || (self.names.vars)(name).is_some()
                || func::constant(name).is_some()
            {
                return Err(err.with_hint(format!(
                    "`{name}` is a value; multiply with `*`: {name}*(…)"
                )));
            }
            // The closest by spelling, or else the whole (short) list.
            let hint = did_you_mean(name, FUNCTIONS.iter().map(|(n, _)| *n)).unwrap_or_else(|| {
                let all: Vec<&str> = FUNCTIONS.iter().map(|(n, _)| *n).collect();
                format!(
                    "the functions are {} (docs/expressions.md#functions)",
                    all.join(", ")
                )
            });
            return Err(err.with_hint(hint));
        };
        let want = match f {
            Fun::Un(_) => 1,
            Fun::Bin(_) => 2,
            Fun::Tern(_) => 3,
            Fun::Fold(_) => 0,
        };
        let count_err = |what: String| {
            ExprError::new(
                format!("`{name}` takes {what}, not {}", args.len()),
                n.at.clone(),
            )
        };
        if want == 0 && args.len() < 2 {
            return Err(count_err("two or more arguments".into()));
        }
        if want != 0 && args.len() != want {
            let what = if want == 1 {
                "1 argument".to_string()
            } else {
                format!("{want} arguments")
            };
            // Python's and numpy's forms with a second argument.
            let hint = match (name, args.len()) {
                ("log" | "ln", 2) => Some(
                    "Python's `math.log(x, base)`: `log` here is the natural logarithm of one \
                     number; write `log10(x)`, `log2(x)`, or `log(x) / log(base)`",
                ),
                ("atan", 2) => Some("the angle of a point (y, x) is `atan2(y, x)`"),
                ("round", 2) => Some(
                    "`round` gives a whole number; to 2 decimals write `round(x * 100) / 100` \
                     (a text's `{x:.2f}` rounds only what is shown)",
                ),
                _ => None,
            };
            return Err(count_err(what).with_hint_opt(hint.map(str::to_string)));
        }
        let mut ids = Vec::with_capacity(args.len());
        for a in args {
            ids.push(self.node(a)?);
        }
        Ok(match f {
            Fun::Un(o) => self.push(Op::Un(o, ids[0])),
            Fun::Bin(o) => self.push(Op::Bin(o, ids[0], ids[1])),
            Fun::Tern(o) => self.push(Op::Tern(o, ids[0], ids[1], ids[2])),
            Fun::Fold(o) => {
                let mut acc = ids[0];
                for &b in &ids[1..] {
                    acc = self.push(Op::Bin(o, acc, b));
                }
                acc
            }
        })
    }
}

/// Keeps only the values the result needs, renumbered in order.
fn compact(values: Vec<Value>, result: u32, series: Vec<Arc<dyn Series>>) -> Graph {
    let mut live = vec![false; values.len()];
    live[result as usize] = true;
    for i in (0..values.len()).rev() {
        if live[i] {
            for a in values[i].op.args() {
                live[a as usize] = true;
            }
        }
    }
    let mut new_id = vec![u32::MAX; values.len()];
    let mut out = Vec::new();
    for (i, v) in values.into_iter().enumerate() {
        if live[i] {
            new_id[i] = out.len() as u32;
            out.push(Value {
                op: v.op.map_args(|a| new_id[a as usize]),
                ..v
            });
        }
    }
    Graph {
        result: new_id[result as usize],
        values: out,
        series,
    }
}
