//! Expressions over whole grids (a simulation's lines): names of grids are per-point
//! inputs, and calls of functions that need a cell's neighbours (`lap(u)`,
//! `shift(u, 1, 0)`, `rand()`) are taken out of the expression, to be computed as
//! grids of their own beforehand and read as inputs. What those functions mean is the
//! caller's; this file only finds them, checks their arguments and compiles the rest.

use std::ops::Range;
use std::sync::Arc;

use super::compiled::Expr;
use super::error::ExprError;
use super::eval::Program;
use super::graph::{self, Names, MAX_INPUTS};
use super::parse::{parse, Kind, Node};
use super::Scope;

/// A function computed over a whole grid: its name, whether its first argument names
/// a grid, and how many integer arguments follow.
#[derive(Debug, Clone, Copy)]
pub struct GridFn {
    pub name: &'static str,
    pub takes_grid: bool,
    pub ints: usize,
    /// How a call is written, for messages (`shift(u, dx, dy)`).
    pub usage: &'static str,
}

/// One call of a [`GridFn`] found in an expression; its value is input `input`.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCall {
    pub fun: &'static str,
    pub grid: Option<String>,
    pub ints: Vec<i64>,
    /// Where the call is, in the text given.
    pub at: Range<usize>,
    pub input: usize,
}

/// A compiled expression over grids: `inputs` names its inputs in order (grid names
/// as written, and each call as it reads, e.g. `lap(u)`), `calls` the calls among them.
pub struct GridExpr {
    pub expr: Expr,
    pub inputs: Vec<String>,
    pub calls: Vec<GridCall>,
}

/// What a name means in a grid expression.
pub enum GridName {
    /// A grid that may be read here.
    Grid,
    /// Not a grid: a var, a constant, `t`… as anywhere else.
    Other,
    /// A grid that may not be read here, and why.
    Refused(String),
}

/// Compiles `text` (errors point inside it, shifted by `offset`), with `grids` saying
/// what each name is and `funs` the grid functions.
pub fn compile_grid_expr(
    text: &str,
    offset: usize,
    scope: &Scope,
    grids: &dyn Fn(&str) -> GridName,
    funs: &[GridFn],
) -> Result<GridExpr, ExprError> {
    let shift = |mut e: ExprError| {
        e.at = e.at.start + offset..e.at.end + offset;
        e
    };
    let mut node = parse(text).map_err(shift)?;
    let mut found = Found {
        inputs: Vec::new(),
        calls: Vec::new(),
        scope,
        grids,
        funs,
    };
    found.walk(&mut node).map_err(shift)?;
    if found.inputs.len() > MAX_INPUTS {
        return Err(shift(ExprError::new(
            format!(
                "this line reads {} grids and neighbour values ({}): at most {MAX_INPUTS}",
                found.inputs.len(),
                found.inputs.join(", ")
            ),
            0..text.len(),
        ))
        .with_hint("give part of it a line of its own (a temporary grid) and read that"));
    }
    let inputs: Vec<&str> = found.inputs.iter().map(|s| s.as_str()).collect();
    let lookup = |n: &str| scope.get(n);
    let names_of = || scope.names();
    let g = graph::build(
        &node,
        &Names {
            inputs: &inputs,
            vars: &lookup,
            var_names: &names_of,
            env: true,
            measures: Some(scope.measures()),
        },
    )
    .map_err(shift)?;
    let n = inputs.len();
    Ok(GridExpr {
        expr: Expr::from_program(Arc::new(Program::new(g, n)), text),
        inputs: found.inputs,
        calls: found
            .calls
            .into_iter()
            .map(|mut c| {
                c.at = c.at.start + offset..c.at.end + offset;
                c
            })
            .collect(),
    })
}

struct Found<'a> {
    inputs: Vec<String>,
    calls: Vec<GridCall>,
    scope: &'a Scope,
    grids: &'a dyn Fn(&str) -> GridName,
    funs: &'a [GridFn],
}

impl Found<'_> {
    fn input(&mut self, name: &str) -> usize {
        match self.inputs.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                self.inputs.push(name.to_string());
                self.inputs.len() - 1
            }
        }
    }

    fn walk(&mut self, n: &mut Node) -> Result<(), ExprError> {
        match &mut n.kind {
            Kind::Num(_) => Ok(()),
            Kind::Name(name) => match (self.grids)(name.as_str()) {
                GridName::Grid => {
                    let name = name.clone();
                    self.input(&name);
                    Ok(())
                }
                GridName::Other => Ok(()),
                GridName::Refused(why) => Err(ExprError::new(why, n.at.clone())),
            },
            Kind::Neg(a) => self.walk(a),
            Kind::Bin(_, a, b) => {
                self.walk(a)?;
                self.walk(b)
            }
            Kind::Call { name, args, .. } => {
                let Some(f) = self.funs.iter().find(|f| f.name == name.as_str()).copied() else {
                    for a in args.iter_mut() {
                        self.walk(a)?;
                    }
                    return Ok(());
                };
                let call = self.call(f, args, n.at.clone())?;
                n.kind = Kind::Name(call);
                Ok(())
            }
        }
    }

    /// Checks a grid function's arguments and returns the input its value is read as.
    fn call(&mut self, f: GridFn, args: &[Node], at: Range<usize>) -> Result<String, ExprError> {
        let want = f.takes_grid as usize + f.ints;
        if args.len() != want {
            return Err(ExprError::new(
                format!(
                    "`{}` takes {want} argument{}, not {}: {}",
                    f.name,
                    if want == 1 { "" } else { "s" },
                    args.len(),
                    f.usage
                ),
                at,
            ));
        }
        let mut grid = None;
        if f.takes_grid {
            let a = &args[0];
            let named = match &a.kind {
                Kind::Name(g) => match (self.grids)(g.as_str()) {
                    GridName::Grid => Some(g.clone()),
                    GridName::Refused(why) => return Err(ExprError::new(why, a.at.clone())),
                    GridName::Other => None,
                },
                _ => None,
            };
            let Some(g) = named else {
                return Err(ExprError::new(
                    format!("`{}` reads the neighbours of a grid: its first argument is a grid's name", f.name),
                    a.at.clone(),
                )
                .with_hint(format!(
                    "{}; to take it of an expression, give the expression a line of its own (`tmp = …`) and write {}(tmp…)",
                    f.usage, f.name
                )));
            };
            grid = Some(g);
        }
        let mut ints = Vec::new();
        for a in &args[f.takes_grid as usize..] {
            ints.push(self.int(a, f)?);
        }
        let shown = match &grid {
            Some(g) if ints.is_empty() => format!("{}({g})", f.name),
            Some(g) => {
                let i: Vec<String> = ints.iter().map(|v| v.to_string()).collect();
                format!("{}({g}, {})", f.name, i.join(", "))
            }
            // Each `rand()` is a value of its own, as each np.random call is.
            None => format!("{}()#{}", f.name, self.calls.len()),
        };
        let input = self.input(&shown);
        if !self.calls.iter().any(|c| c.input == input) {
            self.calls.push(GridCall {
                fun: f.name,
                grid,
                ints,
                at,
                input,
            });
        }
        Ok(shown)
    }

    /// A whole number written as a literal, a negated one, or a var.
    fn int(&self, a: &Node, f: GridFn) -> Result<i64, ExprError> {
        let v = match &a.kind {
            Kind::Num(v) => Some(*v),
            Kind::Neg(b) => match &b.kind {
                Kind::Num(v) => Some(-*v),
                Kind::Name(n) => self.scope.get(n).map(|v| -v),
                _ => None,
            },
            Kind::Name(n) => self.scope.get(n),
            _ => None,
        };
        match v {
            Some(v) if v.fract() == 0.0 && v.abs() <= 1e6 => Ok(v as i64),
            _ => Err(ExprError::new(
                format!(
                    "`{}` takes whole numbers of cells here (a number or a [vars] name): {}",
                    f.name, f.usage
                ),
                a.at.clone(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Env;

    const FUNS: &[GridFn] = &[
        GridFn {
            name: "lap",
            takes_grid: true,
            ints: 0,
            usage: "lap(u)",
        },
        GridFn {
            name: "shift",
            takes_grid: true,
            ints: 2,
            usage: "shift(u, dx, dy)",
        },
        GridFn {
            name: "rand",
            takes_grid: false,
            ints: 0,
            usage: "rand()",
        },
    ];

    fn grids(n: &str) -> GridName {
        match n {
            "u" | "v" => GridName::Grid,
            "later" => GridName::Refused("`later` is given by a later line".into()),
            _ => GridName::Other,
        }
    }

    fn compile(text: &str) -> Result<GridExpr, ExprError> {
        compile_grid_expr(text, 10, &Scope::with_vars([("k", 2.0)]), &grids, FUNS)
    }

    #[test]
    fn grids_and_calls_become_inputs() {
        let g = compile("u + k * lap(u) - shift(v, -1, k) + lap(u) + rand() + rand()").unwrap();
        assert_eq!(
            g.inputs,
            ["u", "lap(u)", "shift(v, -1, 2)", "rand()#2", "rand()#3"]
        );
        assert_eq!(g.calls.len(), 4);
        assert_eq!(g.calls[1].grid.as_deref(), Some("v"));
        assert_eq!(g.calls[1].ints, [-1, 2]);
        assert_eq!(g.calls[0].at, 18..24);
        let v = g
            .expr
            .eval(&Env::new(0.0, None, 1.0), &[1.0, 10.0, 100.0, 0.5, 0.25]);
        assert_eq!(v, 1.0 + 20.0 - 100.0 + 10.0 + 0.75);
    }

    #[test]
    fn misuse_points_at_the_argument() {
        let e = compile("lap(u + 1)").err().unwrap();
        assert!(
            e.message.contains("first argument is a grid"),
            "{}",
            e.message
        );
        assert_eq!(e.at, 14..19);
        let e = compile("lap(k)").err().unwrap();
        assert!(e.message.contains("grid's name"));
        let e = compile("shift(u, 0.5, 0)").err().unwrap();
        assert!(e.message.contains("whole numbers"), "{}", e.message);
        let e = compile("lap(u, 1)").err().unwrap();
        assert!(
            e.message.contains("takes 1 argument, not 2"),
            "{}",
            e.message
        );
        let e = compile("u + later").err().unwrap();
        assert_eq!(
            (e.message.as_str(), e.at.clone()),
            ("`later` is given by a later line", 14..19)
        );
        let e = compile("u + w").err().unwrap();
        assert_eq!(e.at, 14..15);
        let e = compile("u + ").err().unwrap();
        assert!(e.at.start >= 10);
    }

    #[test]
    fn too_many_inputs_asks_for_a_temporary() {
        let e = compile("shift(u,1,0)+shift(u,2,0)+shift(u,3,0)+shift(u,4,0)+shift(u,5,0)+shift(u,6,0)+shift(u,7,0)+shift(u,8,0)+u")
            .err()
            .unwrap();
        assert!(e.message.contains("at most 8"), "{}", e.message);
        assert!(e.hint.unwrap().contains("temporary"));
    }
}
