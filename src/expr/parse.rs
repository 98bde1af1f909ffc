//! The parser: tokens to a syntax tree, by precedence climbing.
//!
//! Precedence, loosest first: comparisons (not chained), `+ -`, `* / %`, unary `-`,
//! `^` (right-associative, binding tighter than a unary minus on its left, so
//! `-2^2 = -4` as in Python). Recursion and tree depth are both bounded, so hostile
//! input is an error, never a stack overflow.

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
        format!("the expression is nested too deeply (more than {MAX_DEPTH} levels)"),
        at,
    )
    .with_hint("split it into [vars] or simplify it")
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
            Tok::Name("if") => {
                e.with_hint("Python's `a if c else b` is written `if(c, a, b)` here")
            }
            _ => e.with_hint_opt(logic_hint(&p.toks, p.pos).map(String::from)),
        });
    }
    Ok(node)
}

/// Python's `and`, `or` and `not` written where an operator was expected (at
/// `toks[i]`, or `not` just before it): how they are written here, where a comparison
/// is 1 or 0.
fn logic_hint(toks: &[Token], i: usize) -> Option<&'static str> {
    match (
        toks.get(i).map(|t| t.tok),
        i.checked_sub(1).map(|j| toks[j].tok),
    ) {
        (Some(Tok::Name("and")), _) => Some(AND),
        (Some(Tok::Name("or")), _) => Some(OR),
        (_, Some(Tok::Name("not"))) => Some(NOT),
        _ => None,
    }
}

/// How conditions combine here (the lexer gives them for `&&`, `||` and `!`).
pub const AND: &str =
    "there is no `and`: a comparison is 1 or 0, so `a and b` is written `(a) * (b)`";
pub const OR: &str = "there is no `or`: a comparison is 1 or 0, so `a or b` is written `max(a, b)`";
pub const NOT: &str = "there is no `not`: a comparison is 1 or 0, so `not a` is written `1 - (a)`";

struct Parser<'s> {
    toks: Vec<Token<'s>>,
    pos: usize,
    depth: usize,
    end: usize,
}

/// Binding powers of infix operators: (operator, left, right).
fn infix(t: Tok) -> Option<(BinOp, u8, u8)> {
    Some(match t {
        Tok::Lt => (BinOp::Lt, 1, 2),
        Tok::Le => (BinOp::Le, 1, 2),
        Tok::Gt => (BinOp::Gt, 1, 2),
        Tok::Ge => (BinOp::Ge, 1, 2),
        Tok::EqEq => (BinOp::Eq, 1, 2),
        Tok::Ne => (BinOp::Ne, 1, 2),
        Tok::Plus => (BinOp::Add, 3, 4),
        Tok::Minus => (BinOp::Sub, 3, 4),
        Tok::Star => (BinOp::Mul, 5, 6),
        Tok::Slash => (BinOp::Div, 5, 6),
        Tok::Percent => (BinOp::Rem, 5, 6),
        // Right-associative: the right side may hold another `^`.
        Tok::Caret => (BinOp::Pow, 9, 8),
        _ => return None,
    })
}

/// A unary minus covers everything that binds tighter than `*`: the `^` chain after it.
const PREFIX_BP: u8 = 7;

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
            if op.is_comparison() && chained_cmp {
                return Err(ExprError::new("comparisons cannot be chained", op_at)
                    .with_hint("compare two values at a time, e.g. (a < b) * (b < c)"));
            }
            self.pos += 1;
            let rhs = self.expr(rbp)?;
            let at = lhs.at.start..rhs.at.end;
            lhs = Node::new(Kind::Bin(op, Box::new(lhs), Box::new(rhs)), at)?;
            chained_cmp = op.is_comparison();
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
                            other => return Err(self.unclosed(open, other)),
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
                    other => Err(self.unclosed(t.at, other)),
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

    fn unclosed(&self, open: Range<usize>, found: Option<Token>) -> ExprError {
        match found {
            None => ExprError::new("this `(` is never closed", open),
            Some(t) => ExprError::new(
                format!("expected `,` or `)`, found {}", t.tok.describe()),
                t.at,
            )
            .with_hint_opt(logic_hint(&self.toks, self.pos).map(String::from)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pythons_and_or_not_get_a_hint() {
        let hint = |src: &str| parse(src).unwrap_err().hint.unwrap_or_default();
        assert!(hint("x > 0 and x < 1").contains("`(a) * (b)`"));
        assert!(hint("max(x > 0 and x < 1, 0)").contains("`(a) * (b)`"));
        assert!(hint("x < 0 or x > 1").contains("`max(a, b)`"));
        assert!(hint("not x").contains("`1 - (a)`"));
        assert!(hint("x > 0 && x < 1").contains("`(a) * (b)`"));
        assert!(hint("x < 0 || x > 1").contains("`max(a, b)`"));
        assert!(hint("!x").contains("`1 - (a)`"));
        assert_eq!(hint("2 x"), "");
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

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}1{}", "(".repeat(4000), ")".repeat(4000));
        assert!(parse(&deep).unwrap_err().message.contains("too deeply"));
        let minus = "-".repeat(5000) + "x";
        assert!(parse(&minus).unwrap_err().message.contains("too deeply"));
        let chain = vec!["x"; 3000].join("+");
        assert!(parse(&chain).unwrap_err().message.contains("too deeply"));
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
