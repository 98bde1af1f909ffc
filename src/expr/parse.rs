//! The parser: tokens to a syntax tree, by precedence climbing.
//!
//! Precedence, loosest first: `or`, `and`, `not`, comparisons (not chained), `+ -`,
//! `* / %`, unary `-`, `^` (right-associative, binding tighter than a unary minus on
//! its left, so `-2^2 = -4` as in Python). `and`, `or` and `not` are Python's on
//! numbers (0 is false, anything else true, the result 1 or 0) and are spelt out here
//! in comparisons and arithmetic, so nothing after the parser knows them. Recursion and
//! tree depth are both bounded, so hostile input is an error, never a stack overflow.

use std::ops::Range;

use super::error::ExprError;
use super::lex::{tokens, Tok, Token};

/// The longest expression text accepted, in bytes.
pub const MAX_LEN: usize = 10_000;
/// The deepest nesting accepted: parentheses, calls and chained operators all count.
pub const MAX_DEPTH: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl BinOp {
    fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Num(f64),
    Name(String),
    Call {
        name: String,
        name_at: Range<usize>,
        args: Vec<Node>,
    },
    Neg(Box<Node>),
    Bin(BinOp, Box<Node>, Box<Node>),
}

/// A syntax tree node and the text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub at: Range<usize>,
    depth: usize,
}

impl Node {
    fn new(kind: Kind, at: Range<usize>) -> Result<Node, ExprError> {
        let depth = 1 + match &kind {
            Kind::Num(_) | Kind::Name(_) => 0,
            Kind::Call { args, .. } => args.iter().map(|a| a.depth).max().unwrap_or(0),
            Kind::Neg(a) => a.depth,
            Kind::Bin(_, a, b) => a.depth.max(b.depth),
        };
        if depth > MAX_DEPTH {
            return Err(too_deep(at));
        }
        Ok(Node { kind, at, depth })
    }
}

fn too_deep(at: Range<usize>) -> ExprError {
    ExprError::new(
        format!(
            "the expression is nested too deeply (more than {MAX_DEPTH} levels: brackets, \
             calls, or operators in a row, as a sum of more than {MAX_DEPTH} terms)"
        ),
        at,
    )
    .with_hint(
        "split it into [vars] (a long sum in parts, each a var, then their sum) or simplify it",
    )
}

/// Parses a whole expression.
pub fn parse(src: &str) -> Result<Node, ExprError> {
    if src.len() > MAX_LEN {
        return Err(ExprError::new(
            format!(
                "the expression is too long ({} bytes, at most {MAX_LEN})",
                src.len()
            ),
            0..0,
        ));
    }
    let toks = tokens(src)?;
    if toks.is_empty() {
        return Err(ExprError::new("the expression is empty", 0..src.len()));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        end: src.len(),
    };
    let node = p.expr(0)?;
    if let Some(t) = p.toks.get(p.pos) {
        let msg = if t.tok == Tok::RParen {
            "unmatched `)`".to_string()
        } else {
            format!("expected an operator, found {}", t.tok.describe())
        };
        let e = ExprError::new(msg, t.at.clone());
        return Err(match t.tok {
            Tok::Comma => e.with_hint(
                "an expression gives one number, not a list; commas separate a function's \
                 arguments, as in `max(1, 2)`",
            ),
            Tok::Name("if") => {
                e.with_hint("Python's `a if c else b` is written `if(c, a, b)` here")
            }
            // `"2s"` where a number is read: the unit's own hint says more (error.rs).
            _ if super::error::unit_hint(src).is_some() => e,
            _ => e.with_hint_opt(p.side_by_side()),
        });
    }
    Ok(node)
}

/// The words that combine conditions: not names of values.
pub const KEYWORDS: [&str; 3] = ["and", "or", "not"];

/// How C's `&&`, `||` and `!` are written here (the lexer refuses them).
pub const AND: &str = "write `and` to require both: `x > 0 and x < 1`";
pub const OR: &str = "write `or` for either: `x < 0 or x > 1`";
pub const NOT: &str = "write `not` for the opposite: `not (x > 1)`, or `!=` for unequal";

struct Parser<'s> {
    toks: Vec<Token<'s>>,
    pos: usize,
    depth: usize,
    end: usize,
}

/// An infix operator: arithmetic and comparisons, or `and` / `or`.
#[derive(Clone, Copy)]
enum Infix {
    Op(BinOp),
    And,
    Or,
}

/// Binding powers of infix operators: (operator, left, right).
fn infix(t: Tok) -> Option<(Infix, u8, u8)> {
    let op = |o| Infix::Op(o);
    Some(match t {
        Tok::Name("or") => (Infix::Or, 1, 2),
        Tok::Name("and") => (Infix::And, 3, 4),
        Tok::Lt => (op(BinOp::Lt), 5, 6),
        Tok::Le => (op(BinOp::Le), 5, 6),
        Tok::Gt => (op(BinOp::Gt), 5, 6),
        Tok::Ge => (op(BinOp::Ge), 5, 6),
        Tok::EqEq => (op(BinOp::Eq), 5, 6),
        Tok::Ne => (op(BinOp::Ne), 5, 6),
        Tok::Plus => (op(BinOp::Add), 7, 8),
        Tok::Minus => (op(BinOp::Sub), 7, 8),
        Tok::Star => (op(BinOp::Mul), 9, 10),
        Tok::Slash => (op(BinOp::Div), 9, 10),
        Tok::Percent => (op(BinOp::Rem), 9, 10),
        // Right-associative: the right side may hold another `^`.
        Tok::Caret => (op(BinOp::Pow), 13, 12),
        _ => return None,
    })
}

/// `not` covers a comparison and everything tighter, as in Python: `not x < 1` is
/// `not (x < 1)`.
const NOT_BP: u8 = 5;
/// A unary minus covers everything that binds tighter than `*`: the `^` chain after it.
const PREFIX_BP: u8 = 11;

/// `a` as a condition: 1 when it is not 0 (NaN included, as in Python), else 0.
fn truth(a: Node) -> Result<Node, ExprError> {
    let at = a.at.clone();
    let zero = Node::new(Kind::Num(0.0), at.end..at.end)?;
    Node::new(Kind::Bin(BinOp::Ne, Box::new(a), Box::new(zero)), at)
}

impl<'s> Parser<'s> {
    fn peek(&self) -> Option<&Token<'s>> {
        self.toks.get(self.pos)
    }

    fn expr(&mut self, min_bp: u8) -> Result<Node, ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let at = self.peek().map_or(self.end..self.end, |t| t.at.clone());
            return Err(too_deep(at));
        }
        let r = self.expr_inner(min_bp);
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self, min_bp: u8) -> Result<Node, ExprError> {
        let mut lhs = self.unary()?;
        let mut chained_cmp = false;
        while let Some(t) = self.peek() {
            let Some((op, lbp, rbp)) = infix(t.tok) else {
                break;
            };
            if lbp < min_bp {
                break;
            }
            let op_at = t.at.clone();
            let comparison = matches!(op, Infix::Op(o) if o.is_comparison());
            if comparison && chained_cmp {
                return Err(ExprError::new("comparisons cannot be chained", op_at)
                    .with_hint("compare two values at a time, e.g. a < b and b < c"));
            }
            self.pos += 1;
            let rhs = self.expr(rbp)?;
            let at = lhs.at.start..rhs.at.end;
            let bin = |op, a, b| Node::new(Kind::Bin(op, Box::new(a), Box::new(b)), at.clone());
            lhs = match op {
                Infix::Op(o) => bin(o, lhs, rhs)?,
                // Both true: the product of the two truths.
                Infix::And => bin(BinOp::Mul, truth(lhs)?, truth(rhs)?)?,
                // Either true: the sum of the truths is above 0.
                Infix::Or => {
                    let sum = bin(BinOp::Add, truth(lhs)?, truth(rhs)?)?;
                    let zero = Node::new(Kind::Num(0.0), at.end..at.end)?;
                    bin(BinOp::Gt, sum, zero)?
                }
            };
            chained_cmp = comparison;
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Node, ExprError> {
        match self.peek().map(|t| (t.tok, t.at.clone())) {
            Some((Tok::Minus, at)) => {
                self.pos += 1;
                let operand = self.expr(PREFIX_BP)?;
                let span = at.start..operand.at.end;
                // A literal's minus is part of the number.
                if let Kind::Num(v) = operand.kind {
                    return Node::new(Kind::Num(-v), span);
                }
                Node::new(Kind::Neg(Box::new(operand)), span)
            }
            Some((Tok::Plus, _)) => {
                self.pos += 1;
                self.expr(PREFIX_BP)
            }
            // False where the operand is true: the operand equals 0.
            Some((Tok::Name("not"), at)) => {
                self.pos += 1;
                let operand = self.expr(NOT_BP)?;
                let span = at.start..operand.at.end;
                let zero = Node::new(Kind::Num(0.0), span.end..span.end)?;
                Node::new(
                    Kind::Bin(BinOp::Eq, Box::new(operand), Box::new(zero)),
                    span,
                )
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Node, ExprError> {
        let Some(t) = self.peek().cloned() else {
            let e = ExprError::new("the expression ends too soon", self.end..self.end);
            // `"40%"`: a percentage, where `%` is the remainder.
            let percent = self.toks.last().is_some_and(|t| t.tok == Tok::Percent);
            return Err(if percent {
                e.with_hint("`%` is the remainder here, not percent: write 40 % as 0.4 (opacity and other fractions go from 0 to 1)")
            } else {
                e
            });
        };
        self.pos += 1;
        match t.tok {
            Tok::Num(v) => Node::new(Kind::Num(v), t.at),
            Tok::Name(word @ ("and" | "or")) => Err(ExprError::new(
                format!("`{word}` needs a value on each side"),
                t.at,
            )),
            Tok::Name(name) => {
                if self.peek().map(|n| n.tok) != Some(Tok::LParen) {
                    return Node::new(Kind::Name(name.to_string()), t.at);
                }
                let open = self.peek().map(|n| n.at.clone()).unwrap_or(t.at.clone());
                self.pos += 1;
                let mut args = Vec::new();
                if self.peek().map(|n| n.tok) == Some(Tok::RParen) {
                    self.pos += 1;
                } else {
                    loop {
                        args.push(self.expr(0)?);
                        match self.peek().cloned() {
                            Some(Token {
                                tok: Tok::Comma, ..
                            }) => self.pos += 1,
                            Some(Token {
                                tok: Tok::RParen, ..
                            }) => {
                                self.pos += 1;
                                break;
                            }
                            other => return Err(self.unclosed(open, other, true)),
                        }
                    }
                }
                let end = self.toks[self.pos - 1].at.end;
                Node::new(
                    Kind::Call {
                        name: name.to_string(),
                        name_at: t.at.clone(),
                        args,
                    },
                    t.at.start..end,
                )
            }
            Tok::LParen => {
                let inner = self.expr(0)?;
                match self.peek().cloned() {
                    Some(Token {
                        tok: Tok::RParen, ..
                    }) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    other => Err(self.unclosed(t.at, other, false)),
                }
            }
            other => Err(ExprError::new(
                format!(
                    "expected a number, a name or `(`, found {}",
                    other.describe()
                ),
                t.at,
            )),
        }
    }

    /// The hint for the token at `self.pos` coming right after the one before it with
    /// no operator between them: maths' `2x` and `(a)(b)`, which need `*`, or `sin x`,
    /// whose argument needs brackets.
    fn side_by_side(&self) -> Option<String> {
        let cur = self.toks.get(self.pos)?.tok;
        let prev = self.toks.get(self.pos.checked_sub(1)?)?.tok;
        let value = |t: Tok| match t {
            Tok::Name(w) => !KEYWORDS.contains(&w),
            Tok::Num(_) | Tok::LParen => true,
            _ => false,
        };
        if !value(cur) {
            return None;
        }
        let text = |t: Tok| match t {
            Tok::Num(v) => format!("{v}"),
            Tok::Name(w) => w.to_string(),
            _ => "(…)".to_string(),
        };
        match prev {
            Tok::Num(_) | Tok::RParen => {
                let left = if prev == Tok::RParen {
                    "(…)".to_string()
                } else {
                    text(prev)
                };
                Some(format!(
                    "a product needs `*` between its factors: `{left}*{}`",
                    text(cur)
                ))
            }
            Tok::Name(f) if super::func::function(f).is_some() && cur != Tok::LParen => {
                Some(format!(
                    "a function's argument goes in brackets: `{f}({})`",
                    text(cur)
                ))
            }
            Tok::Name(w) if !KEYWORDS.contains(&w) => Some(format!(
                "a product needs `*` between its factors: `{w}*{}`",
                text(cur)
            )),
            _ => None,
        }
    }

    /// The error for a bracket opened at `open` where `found` comes instead of its
    /// end: a call's arguments go on after a comma, a group holds one value.
    fn unclosed(&self, open: Range<usize>, found: Option<Token>, call: bool) -> ExprError {
        match found {
            None => ExprError::new("this `(` is never closed", open),
            // Two numbers side by side in a call are more likely two arguments than a
            // product: `max(1 2)`.
            Some(t) if call => {
                let after_number = self
                    .pos
                    .checked_sub(1)
                    .and_then(|i| self.toks.get(i))
                    .is_some_and(|p| matches!(p.tok, Tok::Num(_)));
                let numbers = matches!(t.tok, Tok::Num(_)) && after_number;
                let hint = match numbers {
                    true => Some(
                        "a function's arguments are separated by commas: `max(1, 2)`".to_string(),
                    ),
                    false => self.side_by_side(),
                };
                ExprError::new(
                    format!("expected `,` or `)`, found {}", t.tok.describe()),
                    t.at,
                )
                .with_hint_opt(hint)
            }
            Some(t) if t.tok == Tok::Comma => ExprError::new(
                "brackets around a value hold one value: expected `)`, found `,`",
                t.at,
            )
            .with_hint(
                "an expression gives one number, not a tuple; commas separate a \
                 function's arguments, as in `max(1, 2)`",
            ),
            Some(t) => ExprError::new(format!("expected `)`, found {}", t.tok.describe()), t.at)
                .with_hint_opt(self.side_by_side()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn and_or_not_are_pythons_on_numbers() {
        assert_eq!(p("x > 0 and x < 1"), "(((x > 0) != 0) * ((x < 1) != 0))");
        assert_eq!(p("a or b"), "(((a != 0) + (b != 0)) > 0)");
        assert_eq!(p("not x < 1"), "((x < 1) == 0)");
        // `and` binds tighter than `or`, `not` tighter than `and`.
        assert_eq!(
            p("a or b and not c"),
            "(((a != 0) + (((b != 0) * ((c == 0) != 0)) != 0)) > 0)"
        );
        assert_eq!(p("not not x"), "((x == 0) == 0)");
        assert_eq!(p("-x and 2 ^ y"), "(((-x) != 0) * ((2 ^ y) != 0))");
    }

    #[test]
    fn values_side_by_side_are_told_to_multiply_or_bracket() {
        let hint = |src: &str| parse(src).unwrap_err().hint.unwrap_or_default();
        assert_eq!(hint("2x"), "a product needs `*` between its factors: `2*x`");
        assert_eq!(
            hint("sin(2x)"),
            "a product needs `*` between its factors: `2*x`"
        );
        assert_eq!(
            hint("(x + 1)(x - 1)"),
            "a product needs `*` between its factors: `(…)*(…)`"
        );
        assert_eq!(
            hint("sin x"),
            "a function's argument goes in brackets: `sin(x)`"
        );
        assert_eq!(
            hint("(a b)"),
            "a product needs `*` between its factors: `a*b`"
        );
        // In a call, two numbers are more likely two arguments.
        assert_eq!(
            hint("max(1 2)"),
            "a function's arguments are separated by commas: `max(1, 2)`"
        );
        // Not for tokens that are no value.
        assert_eq!(hint("x ="), "compare with `==`; expressions cannot assign");
    }

    #[test]
    fn c_style_logic_and_lone_keywords_are_errors() {
        let e = |src: &str| parse(src).unwrap_err();
        assert!(e("x > 0 && x < 1").hint.unwrap().contains("`and`"));
        assert!(e("x < 0 || x > 1").hint.unwrap().contains("`or`"));
        assert!(e("!x").hint.unwrap().contains("`not`"));
        assert_eq!(e("and x").message, "`and` needs a value on each side");
        assert_eq!(e("x or").message, "the expression ends too soon");
        assert_eq!(
            e("a < b and b < c < d").message,
            "comparisons cannot be chained"
        );
        assert!(parse("a < b and b < c").is_ok());
    }

    /// The tree written back with full parentheses.
    fn show(n: &Node) -> String {
        match &n.kind {
            Kind::Num(v) => format!("{v}"),
            Kind::Name(s) => s.clone(),
            Kind::Call { name, args, .. } => format!(
                "{name}({})",
                args.iter().map(show).collect::<Vec<_>>().join(", ")
            ),
            Kind::Neg(a) => format!("(-{})", show(a)),
            Kind::Bin(op, a, b) => {
                let o = match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    BinOp::Mul => "*",
                    BinOp::Div => "/",
                    BinOp::Rem => "%",
                    BinOp::Pow => "^",
                    BinOp::Lt => "<",
                    BinOp::Le => "<=",
                    BinOp::Gt => ">",
                    BinOp::Ge => ">=",
                    BinOp::Eq => "==",
                    BinOp::Ne => "!=",
                };
                format!("({} {o} {})", show(a), show(b))
            }
        }
    }

    fn p(s: &str) -> String {
        show(&parse(s).unwrap())
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(p("1 + 2 * 3"), "(1 + (2 * 3))");
        assert_eq!(p("1 - 2 - 3"), "((1 - 2) - 3)");
        assert_eq!(p("2 ^ 3 ^ 2"), "(2 ^ (3 ^ 2))");
        assert_eq!(p("-x ^ 2"), "(-(x ^ 2))");
        assert_eq!(p("-2 ^ 2"), "(-(2 ^ 2))");
        assert_eq!(p("2 ^ -x"), "(2 ^ (-x))");
        assert_eq!(p("-x * y"), "((-x) * y)");
        assert_eq!(p("a < b + 1"), "(a < (b + 1))");
        assert_eq!(p("x % 3 * 2"), "((x % 3) * 2)");
        assert_eq!(p("f(1, g(x), -3)"), "f(1, g(x), -3)");
        assert_eq!(p("x ** 2"), "(x ^ 2)");
        assert_eq!(p("a + 1 == b"), "((a + 1) == b)");
    }

    #[test]
    fn errors_point_at_the_problem() {
        fn at(s: &str) -> (String, &str) {
            let e = parse(s).unwrap_err();
            (e.message, &s[e.at])
        }
        assert_eq!(at("sin(x"), ("this `(` is never closed".into(), "("));
        assert_eq!(at("(1 + 2"), ("this `(` is never closed".into(), "("));
        assert_eq!(at("1 +"), ("the expression ends too soon".into(), ""));
        assert_eq!(at("2 x"), ("expected an operator, found `x`".into(), "x"));
        assert_eq!(at("1)"), ("unmatched `)`".into(), ")"));
        assert_eq!(at("a < b < c").1, "<");
        assert_eq!(at("max(1 2)").1, "2");
        assert_eq!(at("1 + * 2").1, "*");
        assert!(parse("  ").unwrap_err().message.contains("empty"));
    }

    /// No message names as expected the very token it reports as found (hostile7
    /// F-AK: `(1, 2)` said "expected `,` or `)`, found `,`"), and each points at it.
    #[test]
    fn regression_no_message_expects_what_it_found() {
        let bad = [
            "(1, 2)",
            "-(1, 2)",
            "max((1, 2))",
            "(t, )",
            "not (1, 2)",
            "(1 2)",
            "(1; 2)",
            "max(1 2)",
            "max(1, 2",
            "max(1,, 2)",
            "f(,)",
            "1, 2",
            "1 2",
            "(,)",
            "()",
            "max(1 (2))",
            "((1, 2), 3)",
            "1 + (2,",
            "sin(x) (1)",
            "not",
            "1 and",
            "and 1",
            "x < < 1",
            "1 ** ** 2",
        ];
        for src in bad {
            let Err(e) = parse(src) else {
                continue; // a lexer error or a valid form is not this test's concern
            };
            if let Some((expected, found)) = e.message.split_once(", found ") {
                let found = found.trim();
                let named: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
                assert!(
                    !named.contains(&found.trim_matches('`')),
                    "{src:?}: {}",
                    e.message
                );
            }
            assert!(e.at.end <= src.len(), "{src:?}: {:?}", e.at);
        }
        let e = parse("(1, 2)").unwrap_err();
        assert_eq!(
            e.message,
            "brackets around a value hold one value: expected `)`, found `,`"
        );
        assert_eq!(&"(1, 2)"[e.at], ",");
        assert!(e.hint.unwrap().contains("not a tuple"));
        assert_eq!(
            parse("(1 2)").unwrap_err().message,
            "expected `)`, found a number"
        );
        // a call's arguments do go on after a comma
        assert_eq!(
            parse("max(1 2)").unwrap_err().message,
            "expected `,` or `)`, found a number"
        );
        assert!(parse("1, 2")
            .unwrap_err()
            .hint
            .unwrap()
            .contains("not a list"));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}1{}", "(".repeat(4000), ")".repeat(4000));
        assert!(parse(&deep).unwrap_err().message.contains("too deeply"));
        let minus = "-".repeat(5000) + "x";
        assert!(parse(&minus).unwrap_err().message.contains("too deeply"));
        let chain = vec!["x"; 3000].join("+");
        assert!(parse(&chain).unwrap_err().message.contains("too deeply"));
        // A flat sum is deep for the parser, not for its writer: the message says so.
        assert!(parse(&chain)
            .unwrap_err()
            .message
            .contains("a sum of more than"));
        let pow = vec!["x"; 3000].join("^");
        assert!(parse(&pow).unwrap_err().message.contains("too deeply"));
        let calls = format!("{}x{}", "sin(".repeat(1500), ")".repeat(1500));
        assert!(parse(&calls).unwrap_err().message.contains("too deeply"));
        assert!(parse(&"1".repeat(20_000))
            .unwrap_err()
            .message
            .contains("too long"));
        // Within the limits: fine.
        let ok = vec!["x"; 150].join("+");
        assert!(parse(&ok).is_ok());
    }
}
