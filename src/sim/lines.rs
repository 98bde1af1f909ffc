//! A simulation's text compiled: `init` grids in the order they read each other, the
//! `step` lines as written (`name = expression`), and what `show` draws. Errors point at
//! the key or inside the line.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use crate::base::diag::{did_you_mean, Diagnostic};
use crate::expr::{
    compile_grid_expr, Expr, ExprError, GridCall, GridExpr, GridFn, GridName, Scalar, Scope,
};

/// The functions of a cell's neighbours, and `rand()`.
pub const FUNCTIONS: &[GridFn] = &[
    GridFn {
        name: "lap",
        takes_grid: true,
        ints: 0,
        usage: "lap(u): the 4 neighbours' sum minus 4 u",
    },
    GridFn {
        name: "nsum",
        takes_grid: true,
        ints: 0,
        usage: "nsum(u): the sum of the 4 neighbours",
    },
    GridFn {
        name: "nsum8",
        takes_grid: true,
        ints: 0,
        usage: "nsum8(u): the sum of the 8 neighbours",
    },
    GridFn {
        name: "shift",
        takes_grid: true,
        ints: 2,
        usage: "shift(u, dx, dy): the value dx columns right and dy rows down",
    },
    GridFn {
        name: "rand",
        takes_grid: false,
        ints: 0,
        usage: "rand(): a number in [0, 1), new for each cell and step",
    },
];

/// The most lines a step may have.
pub const MAX_LINES: usize = 256;
/// The most grids `init` may name: ordering them and finding names costs the square of
/// their number (100 000 grids of one cell each took 36 s to load: hostile9 F-BA).
pub const MAX_GRIDS: usize = 256;

/// Where a line's input comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Input {
    /// A grid (a state grid or a temporary).
    Slot(usize),
    /// Cell column and row.
    X,
    Y,
    /// A neighbour function or `rand()`: index into [`Line::calls`].
    Call(usize),
}

/// A neighbour call, by slot.
#[derive(Debug, Clone)]
pub struct Call {
    pub fun: &'static str,
    pub slot: Option<usize>,
    pub ints: Vec<i64>,
}

/// One line: its value goes to `target` (a slot; none for `show`).
#[derive(Debug, Clone)]
pub struct Line {
    pub target: usize,
    pub expr: Expr,
    pub inputs: Vec<Input>,
    pub calls: Vec<Call>,
}

/// A simulation compiled.
#[derive(Debug)]
pub struct Lines {
    /// Names of the slots: the state grids (init's keys), then the temporaries.
    pub names: Vec<String>,
    pub state: usize,
    /// Init lines in an order where each reads only grids before it.
    pub init: Vec<Line>,
    pub step: Vec<Line>,
    /// What a frame shows: one expression (values), or three (red, green, blue).
    pub show: Vec<Line>,
}

/// The keys as written.
pub struct Written<'a> {
    pub init: &'a Spanned<BTreeMap<Spanned<String>, Spanned<Scalar>>>,
    pub step: &'a Spanned<Vec<Spanned<String>>>,
    /// One expression, or three (red, green, blue).
    pub show: &'a [Spanned<String>],
}

/// Names a grid may not take: they mean something in expressions already.
fn reserved(name: &str, scope: &Scope) -> Option<&'static str> {
    if matches!(name, "x" | "y") {
        return Some("`x` and `y` are each cell's column and row");
    }
    if FUNCTIONS.iter().any(|f| f.name == name) {
        return Some("it is a function of the grids");
    }
    if !crate::expr::may_name_a_column(name, scope) {
        return Some("a grid's name is a name of letters, digits and `_`, not a function, constant, var, `t`, `frame`, `fps` or `duration`");
    }
    None
}

pub fn compile(w: &Written, scope: &Scope) -> Result<Lines, Diagnostic> {
    if w.init.get_ref().is_empty() {
        return Err(Diagnostic::at(
            "`init` names no grid: give each grid its starting value, e.g. init = { u = \"0\" }",
            w.init.span(),
        ));
    }
    if w.init.get_ref().len() > MAX_GRIDS {
        return Err(Diagnostic::at(
            format!(
                "`init` names {} grids: at most {MAX_GRIDS}",
                w.init.get_ref().len()
            ),
            w.init.span(),
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for key in w.init.get_ref().keys() {
        if let Some(why) = reserved(key.get_ref(), scope) {
            return Err(Diagnostic::at(
                format!("a grid cannot be named `{}`: {why}", key.get_ref()),
                key.span(),
            ));
        }
        names.push(key.get_ref().clone());
    }
    let state = names.len();
    let init = compile_init(w, &names, scope)?;
    // Step lines: targets first, so that a temporary read too early is named as such.
    let lines = w.step.get_ref();
    if lines.len() > MAX_LINES {
        return Err(Diagnostic::at(
            format!("a step has at most {MAX_LINES} lines, not {}", lines.len()),
            w.step.span(),
        ));
    }
    let mut split = Vec::new();
    for line in lines {
        let (target, rhs) = split_line(line)?;
        if !names.contains(&target) {
            if let Some(why) = reserved(&target, scope) {
                return Err(Diagnostic::at(
                    format!("a grid cannot be named `{target}`: {why}"),
                    line.span(),
                ));
            }
            names.push(target.clone());
        }
        split.push((target, rhs));
    }
    let mut given = vec![false; names.len()];
    given[..state].fill(true);
    let mut step = Vec::new();
    for (k, (line, (target, rhs))) in lines.iter().zip(&split).enumerate() {
        let text = line.get_ref();
        let grids = |n: &str| {
            match names.iter().position(|g| g == n) {
            Some(i) if given[i] => GridName::Grid,
            Some(_) => GridName::Refused(format!(
                "`{n}` is read before a line gives it a value: a temporary (a name not in `init`) is read only after its line{}",
                match split.iter().position(|(t, _)| t == n) {
                    Some(at) => format!(" (line {} of `step`, this is line {})", at + 1, k + 1),
                    None => String::new(),
                }
            )),
            None => xy(n),
        }
        };
        let at = *rhs;
        let g = compile_expr(&text[at..], at, scope, &grids)
            .map_err(|e| e.in_file(text, line.span()))?;
        let slot = names.iter().position(|g| g == target).expect("named above");
        step.push(line_of(slot, g, &names));
        given[slot] = true;
    }
    let show_grids = |n: &str| {
        match names.iter().position(|g| g == n) {
        Some(i) if i < state => GridName::Grid,
        Some(_) => GridName::Refused(format!(
            "`{n}` is a temporary of the step: `show` reads the grids named in `init` (give `{n}` a starting value there to show it)"
        )),
        None => xy(n),
    }
    };
    let mut show = Vec::new();
    for text in w.show {
        let g = compile_expr(text.get_ref(), 0, scope, &show_grids)
            .map_err(|e| e.in_file(text.get_ref(), text.span()))?;
        show.push(line_of(usize::MAX, g, &names));
    }
    Ok(Lines {
        names,
        state,
        init,
        step,
        show,
    })
}

/// A line's expression compiled with the simulation's functions. `x` and `y` are read
/// as grids, but are no grid of the simulation's slots: a neighbour function of them is
/// refused at the call (it was a panic: hostile9 F-BF).
fn compile_expr(
    text: &str,
    offset: usize,
    scope: &Scope,
    grids: &dyn Fn(&str) -> GridName,
) -> Result<GridExpr, ExprError> {
    let g = compile_grid_expr(text, offset, scope, grids, FUNCTIONS)?;
    if let Some(c) = g
        .calls
        .iter()
        .find(|c| matches!(c.grid.as_deref(), Some("x" | "y")))
    {
        let xy = c.grid.as_deref().unwrap_or("x");
        return Err(ExprError::new(
            format!(
                "`{}` reads the neighbours of a grid of the simulation, and `{xy}` is each cell's {}, not one",
                c.fun,
                if xy == "x" { "column" } else { "row" }
            ),
            c.at.clone(),
        )
        .with_hint(format!(
            "give it a grid of its own in `init` (`{xy}{xy} = \"{xy}\"`) and write {}({xy}{xy}…)",
            c.fun
        )));
    }
    Ok(g)
}

fn xy(n: &str) -> GridName {
    match n {
        "x" | "y" => GridName::Grid,
        _ => GridName::Other,
    }
}

/// `name = expression`: the name, and where the expression starts in the text.
fn split_line(line: &Spanned<String>) -> Result<(String, usize), Diagnostic> {
    let text = line.get_ref();
    let bad = |why: &str| {
        Diagnostic::at(
            format!("a step line is `name = expression`, {why}: `{text}`"),
            line.span(),
        )
        .with_hint("e.g. \"u = u + 0.2 * lap(u)\"; each line gives one grid (or a temporary) its new value")
    };
    let b = text.as_bytes();
    let eq = (0..b.len()).find(|&i| {
        b[i] == b'='
            && b.get(i + 1) != Some(&b'=')
            && (i == 0 || !matches!(b[i - 1], b'<' | b'>' | b'!' | b'='))
    });
    let Some(eq) = eq else {
        return Err(bad("and this one has no `=`"));
    };
    let name = text[..eq].trim();
    if name.is_empty() {
        return Err(bad("and this one names no grid before `=`"));
    }
    if !name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(bad(&format!("and `{name}` is not a name")));
    }
    Ok((name.to_string(), eq + 1))
}

fn line_of(target: usize, g: crate::expr::GridExpr, names: &[String]) -> Line {
    let calls: Vec<Call> = g
        .calls
        .iter()
        .map(|c: &GridCall| Call {
            fun: c.fun,
            slot: c
                .grid
                .as_ref()
                .map(|n| names.iter().position(|g| g == n).expect("a grid")),
            ints: c.ints.clone(),
        })
        .collect();
    let inputs = g
        .inputs
        .iter()
        .enumerate()
        .map(|(i, n)| match g.calls.iter().position(|c| c.input == i) {
            Some(c) => Input::Call(c),
            None => match n.as_str() {
                "x" => Input::X,
                "y" => Input::Y,
                n => Input::Slot(names.iter().position(|g| g == n).expect("a grid")),
            },
        })
        .collect();
    Line {
        target,
        expr: g.expr,
        inputs,
        calls,
    }
}

/// Init lines ordered so that each reads only grids computed before it.
fn compile_init(w: &Written, names: &[String], scope: &Scope) -> Result<Vec<Line>, Diagnostic> {
    let mut compiled: Vec<(usize, Line, Vec<usize>, Range<usize>)> = Vec::new();
    for (slot, (key, value)) in w.init.get_ref().iter().enumerate() {
        let line = match value.get_ref() {
            Scalar::Number(v) if v.is_finite() => Line {
                target: slot,
                expr: Expr::constant(*v, 0),
                inputs: Vec::new(),
                calls: Vec::new(),
            },
            Scalar::Number(_) => {
                return Err(Diagnostic::at("a number must be finite", value.span()))
            }
            Scalar::Expr(text) => {
                let grids = |n: &str| {
                    if names.iter().any(|g| g == n) {
                        GridName::Grid
                    } else {
                        xy(n)
                    }
                };
                let g = compile_expr(text, 0, scope, &grids).map_err(|e| {
                    let mut d = e.in_file(text, value.span());
                    if let Some(h) = did_you_mean(text.trim(), names.iter().map(|s| s.as_str())) {
                        d.hint.get_or_insert(h);
                    }
                    d
                })?;
                line_of(slot, g, names)
            }
        };
        let mut reads: Vec<usize> = line
            .inputs
            .iter()
            .filter_map(|i| match i {
                Input::Slot(s) => Some(*s),
                _ => None,
            })
            .chain(line.calls.iter().filter_map(|c| c.slot))
            .collect();
        reads.sort_unstable();
        reads.dedup();
        compiled.push((slot, line, reads, key.span()));
    }
    let mut done = vec![false; names.len()];
    let mut order = Vec::new();
    while !compiled.is_empty() {
        let Some(k) = compiled
            .iter()
            .position(|(_, _, reads, _)| reads.iter().all(|&r| done[r]))
        else {
            let (slot, _, reads, span) = &compiled[0];
            let waiting: Vec<String> = reads
                .iter()
                .filter(|&&r| !done[r])
                .map(|&r| format!("`{}`", names[r]))
                .collect();
            return Err(Diagnostic::at(
                format!(
                    "the starting values of `init` read each other in a circle: `{}` reads {}",
                    names[*slot],
                    waiting.join(", ")
                ),
                span.clone(),
            )
            .with_hint(
                "each grid's starting value may read grids whose starting values do not read it",
            ));
        };
        let (slot, line, _, _) = compiled.remove(k);
        done[slot] = true;
        order.push(line);
    }
    Ok(order)
}
