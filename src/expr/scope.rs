//! The scene's `[vars]`: named constants, possibly defined by expressions of each
//! other, with `--set NAME=VALUE` overrides from the command line.

use std::collections::HashMap;
use std::ops::Range;

use indexmap::IndexMap;
use toml::de::DeValue;
use toml::Spanned;

use super::error::ExprError;
use super::graph::{self, Names, Op, ENV_NAMES, POINT_NAMES};
use super::param::Scalar;
use super::parse::{parse, Kind, Node};
use super::series::{Measures, SharedMeasures};
use crate::base::de::typed;
use crate::base::diag::{did_you_mean, Diagnostic};

/// Scene-wide names an expression may use: the `[vars]` table, `--set` applied.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    vars: IndexMap<String, f64>,
    /// The scene's `[measure.NAME]` tables, shared by every clone.
    measures: SharedMeasures,
}

/// Where a var's definition came from, for error positions.
enum Origin {
    File(Range<usize>),
    CommandLine,
}

struct Def {
    name: String,
    name_span: Range<usize>,
    text: String,
    origin: Origin,
    node: Option<Node>,
    value: Option<f64>,
}

impl Def {
    fn error(&self, e: ExprError) -> Diagnostic {
        match &self.origin {
            Origin::File(span) => e.in_file(&self.text, span.clone()),
            Origin::CommandLine => {
                let mut d = e.in_text(&format!("--set {}={}", self.name, self.text), &self.text);
                if looks_like_a_path(&self.text) {
                    d.hint = Some(
                        "`--set` gives a [vars] variable a number or an expression of other \
                         variables, not a file name; to render a scene over other data files, \
                         write the path into it (docs/cli.md: one scene, several data files)"
                            .into(),
                    );
                }
                d
            }
        }
    }
}

/// True for a value that reads as a file's path (`data/b.csv`, `b.csv`) rather than
/// a number or an expression: a folder separator, or a name ending in `.` and letters.
fn looks_like_a_path(text: &str) -> bool {
    let t = text.trim();
    if t.contains(['/', '\\']) {
        return true;
    }
    t.rsplit_once('.').is_some_and(|(stem, ext)| {
        stem.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
            && !stem.ends_with(|c: char| c.is_ascii_digit())
            && !ext.is_empty()
            && ext.chars().all(|c| c.is_ascii_alphabetic())
    })
}

/// Names a var may not take: they mean something else in expressions.
fn reserved(name: &str) -> bool {
    ENV_NAMES.iter().any(|(n, _)| *n == name)
        || POINT_NAMES.contains(&name)
        || super::func::constant(name).is_some()
        || super::parse::KEYWORDS.contains(&name)
}

/// Letters, digits and `_`, not starting with a digit: a name an expression can hold.
pub(super) fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

impl Scope {
    /// A scope with the given values (for tests and tools).
    pub fn with_vars<'a>(vars: impl IntoIterator<Item = (&'a str, f64)>) -> Scope {
        Scope {
            vars: vars.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            measures: SharedMeasures::default(),
        }
    }

    /// The same vars, with the scene's measurements (bound later, as their clips are
    /// built).
    pub fn with_measures(mut self, measures: SharedMeasures) -> Scope {
        self.measures = measures;
        self
    }

    /// The scene's measurements.
    pub fn measures(&self) -> &Measures {
        &self.measures
    }

    /// The value of a var.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.vars.get(name).copied()
    }

    /// Every var's name, in file order.
    pub fn names(&self) -> Vec<String> {
        self.vars.keys().cloned().collect()
    }

    /// The scene's `[vars]` table with `--set` overrides applied. Vars are constants:
    /// each is a number or an expression of other vars, evaluated once here.
    pub fn from_vars(
        vars: Option<Spanned<DeValue<'_>>>,
        overrides: &[(String, String)],
    ) -> Result<Scope, Diagnostic> {
        let mut defs = declared(vars)?;
        for (name, value) in overrides {
            let Some(def) = defs.iter_mut().find(|d| &d.name == name) else {
                let mut d =
                    Diagnostic::new(format!("--set {name}: the scene has no variable `{name}`"));
                let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
                d.hint = did_you_mean(name, names.iter().copied()).or_else(|| {
                    Some(if names.is_empty() {
                        "declare it in the scene's [vars] table first".into()
                    } else {
                        format!("the scene's variables: {}", names.join(", "))
                    })
                });
                return Err(d);
            };
            def.text = value.clone();
            def.origin = Origin::CommandLine;
            def.value = value.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        }
        for def in defs.iter_mut().filter(|d| d.value.is_none()) {
            def.node = Some(parse(&def.text).map_err(|e| def.error(e))?);
        }
        let order = evaluation_order(&defs)?;
        let mut values: IndexMap<String, f64> = IndexMap::new();
        // Hints offer every declared variable, not just those evaluated so far.
        let declared: Vec<String> = defs.iter().map(|d| d.name.clone()).collect();
        for i in order {
            let def = &defs[i];
            let v = match (&def.value, &def.node) {
                (Some(v), _) => *v,
                (None, Some(node)) => {
                    let lookup = |n: &str| values.get(n).copied();
                    let names = || {
                        let others = declared.iter().filter(|n| **n != def.name);
                        others.cloned().collect()
                    };
                    let g = graph::build(
                        node,
                        &Names {
                            inputs: &[],
                            vars: &lookup,
                            var_names: &names,
                            env: false,
                            measures: None,
                        },
                    )
                    .map_err(|e| def.error(e))?;
                    match g.values[g.result as usize].op {
                        Op::Const(c) => c,
                        _ => unreachable!("without inputs or time every value folds"),
                    }
                }
                (None, None) => unreachable!("parsed above"),
            };
            if !v.is_finite() {
                let e = ExprError::new(
                    format!("variable `{}` is {v}, not a finite number", def.name),
                    0..def.text.len(),
                );
                return Err(def.error(e));
            }
            values.insert(def.name.clone(), v);
        }
        // File order, for `names()` and hints.
        let vars = defs
            .iter()
            .map(|d| (d.name.clone(), values[d.name.as_str()]))
            .collect();
        Ok(Scope {
            vars,
            measures: SharedMeasures::default(),
        })
    }
}

/// The `[vars]` table's entries, checked.
fn declared(vars: Option<Spanned<DeValue<'_>>>) -> Result<Vec<Def>, Diagnostic> {
    let Some(vars) = vars else {
        return Ok(Vec::new());
    };
    let span = vars.span();
    let DeValue::Table(table) = vars.into_inner() else {
        return Err(Diagnostic::at(
            "`vars` must be a table: [vars] then name = value lines",
            span,
        ));
    };
    let mut defs = Vec::new();
    for (key, value) in table {
        let name = key.get_ref().to_string();
        if !is_identifier(&name) {
            return Err(Diagnostic::at(
                format!("`{name}` is not a valid variable name"),
                key.span(),
            )
            .with_hint("use letters, digits and `_`, starting with a letter"));
        }
        if reserved(&name) {
            return Err(Diagnostic::at(
                format!("`{name}` is a built-in name and cannot be a variable"),
                key.span(),
            )
            .with_hint(
                "built-in names: t, duration, fps, frame, x, y, u, pi, tau, e, and, or, not",
            ));
        }
        let value_span = value.span();
        let scalar: Scalar = typed(value)?;
        let (text, number) = match scalar {
            Scalar::Number(v) => (v.to_string(), Some(v)),
            Scalar::Expr(s) => (s, None),
        };
        if number.is_some_and(|v| !v.is_finite()) {
            return Err(Diagnostic::at(
                format!("variable `{name}` must be a finite number"),
                value_span,
            ));
        }
        defs.push(Def {
            name,
            name_span: key.span(),
            text,
            origin: Origin::File(value_span),
            node: None,
            value: number,
        });
    }
    Ok(defs)
}

/// Var names an expression mentions, with where.
fn mentions(node: &Node, out: &mut Vec<(String, Range<usize>)>) {
    match &node.kind {
        Kind::Num(_) => {}
        Kind::Name(n) => out.push((n.clone(), node.at.clone())),
        Kind::Call { args, .. } => args.iter().for_each(|a| mentions(a, out)),
        Kind::Neg(a) => mentions(a, out),
        Kind::Bin(_, a, b) => {
            mentions(a, out);
            mentions(b, out);
        }
    }
}

/// An order in which every var comes after the vars it uses; a cycle is an error
/// that names it.
fn evaluation_order(defs: &[Def]) -> Result<Vec<usize>, Diagnostic> {
    let index: HashMap<&str, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.as_str(), i))
        .collect();
    let deps: Vec<Vec<usize>> = defs
        .iter()
        .map(|d| {
            let mut m = Vec::new();
            if let Some(node) = &d.node {
                mentions(node, &mut m);
            }
            let mut v: Vec<usize> = m
                .iter()
                .filter_map(|(n, _)| index.get(n.as_str()).copied())
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    // Depth-first, iteratively: 0 = not seen, 1 = on the path, 2 = done.
    let mut state = vec![0u8; defs.len()];
    let mut order = Vec::with_capacity(defs.len());
    for root in 0..defs.len() {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&d) = deps[v].get(*next) {
                *next += 1;
                match state[d] {
                    0 => {
                        state[d] = 1;
                        stack.push((d, 0));
                    }
                    1 => {
                        let start = stack.iter().position(|&(s, _)| s == d).unwrap_or(0);
                        let mut names: Vec<&str> = stack[start..]
                            .iter()
                            .map(|&(s, _)| defs[s].name.as_str())
                            .collect();
                        names.push(&defs[d].name);
                        let first = &defs[stack[start].0];
                        return Err(Diagnostic::at(
                            format!(
                                "vars refer to each other in a cycle: {}",
                                crate::base::listing::joined(&names, " → ")
                            ),
                            first.name_span.clone(),
                        ));
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
                order.push(v);
                stack.pop();
            }
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(src: &str, sets: &[(&str, &str)]) -> Result<Scope, Diagnostic> {
        let doc = toml::de::DeTable::parse(src).unwrap();
        let mut top = doc.into_inner();
        let sets: Vec<(String, String)> = sets
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        Scope::from_vars(top.remove("vars"), &sets)
    }

    fn at(src: &str, d: &Diagnostic) -> String {
        src[d.span.clone().unwrap()].to_string()
    }

    #[test]
    fn vars_use_each_other_in_any_order() {
        let s = scope("[vars]\nb = \"2 * a\"\na = 3\nc = \"b + a + pi\"\n", &[]).unwrap();
        assert_eq!(s.get("a"), Some(3.0));
        assert_eq!(s.get("b"), Some(6.0));
        assert_eq!(s.get("c"), Some(9.0 + std::f64::consts::PI));
        assert_eq!(s.names(), vec!["b", "a", "c"]);
    }

    #[test]
    fn a_file_name_given_to_set_is_told_apart() {
        let src = "[vars]\nsecs = 6\n";
        for path in ["data/other.csv", "other.csv", "C:\\d\\a.csv"] {
            let e = scope(src, &[("secs", path)]).unwrap_err();
            let hint = e.hint.unwrap();
            assert!(hint.contains("not a file name"), "{path}: {hint}");
        }
        // numbers and expressions are not paths
        assert!(!looks_like_a_path("1.5"));
        assert!(!looks_like_a_path("2.e"));
        assert!(!looks_like_a_path("secs * 2"));
    }

    #[test]
    fn set_overrides_with_numbers_or_expressions() {
        let src = "[vars]\na = 3\nb = \"2 * a\"\n";
        let s = scope(src, &[("a", "5")]).unwrap();
        assert_eq!((s.get("a"), s.get("b")), (Some(5.0), Some(10.0)));
        let s = scope(src, &[("b", "a + 1")]).unwrap();
        assert_eq!(s.get("b"), Some(4.0));
        let e = scope(src, &[("c", "1")]).unwrap_err();
        assert_eq!(e.message, "--set c: the scene has no variable `c`");
        assert!(e.span.is_none());
        let e = scope(src, &[("aa", "1")]).unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean `a`?"));
        let e = scope(src, &[("b", "2 * q")]).unwrap_err();
        assert_eq!(
            e.message,
            "--set b=2 * q: unknown name `q` (column 5 of `2 * q`)"
        );
    }

    #[test]
    fn cycles_are_named() {
        let src = "[vars]\na = \"b + 1\"\nb = \"c\"\nc = \"a\"\nd = 1\n";
        let e = scope(src, &[]).unwrap_err();
        assert_eq!(
            e.message,
            "vars refer to each other in a cycle: a → b → c → a"
        );
        assert_eq!(at(src, &e), "a");
        let e = scope("[vars]\na = \"a\"\n", &[]).unwrap_err();
        assert_eq!(e.message, "vars refer to each other in a cycle: a → a");
    }

    #[test]
    fn vars_are_constants_with_checked_names() {
        let src = "[vars]\na = \"sin(t)\"\n";
        let e = scope(src, &[]).unwrap_err();
        assert_eq!(e.message, "`t` cannot be used in [vars]");
        assert_eq!(at(src, &e), "t");
        let src = "[vars]\nt = 1\n";
        assert!(scope(src, &[]).unwrap_err().message.contains("built-in"));
        let src = "[vars]\nspeed = 1\nb = \"2 * sped\"\n";
        let e = scope(src, &[]).unwrap_err();
        assert_eq!(at(src, &e), "sped");
        assert_eq!(e.hint.as_deref(), Some("did you mean `speed`?"));
        // Regression: only vars evaluated before this one were offered.
        let src = "[vars]\na = \"bb\"\nb = 2\n";
        let e = scope(src, &[]).unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean `b`?"));
        let src = "[vars]\na = \"1/0\"\n";
        assert!(scope(src, &[])
            .unwrap_err()
            .message
            .contains("not a finite"));
        let src = "[vars]\na = true\n";
        assert!(scope(src, &[])
            .unwrap_err()
            .message
            .contains("invalid type"));
    }
}
