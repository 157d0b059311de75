//! Display conditions (`relevant`) and answer checks (`constraint`) in the
//! subset of XLSForm's XPath that questionnaires actually use:
//! `${name}`, `.`, string and number literals, `=`, `!=`, `<`, `<=`, `>`, `>=`,
//! `and`, `or`, `not(...)`, parentheses, `selected(${name}, 'value')`,
//! `count-selected(${name})`, `true()` and `false()`.
//!
//! Answers are strings as stored (a multiple choice is its values separated by
//! spaces, as ODK writes them). An unanswered question makes every comparison
//! false, as ODK does, except a comparison with the empty string `''`, which is
//! how forms ask "was this left blank?".

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use trama_i18n::{FluentArgs, Lang, message};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// A parsed expression. Serialized as its canonical text, which parses back
/// to the same tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `${name}`: the answer to another question.
    Ref(String),
    /// `.`: the answer being checked (constraints only).
    Current,
    Str(String),
    Num(f64),
    Bool(bool),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    /// `selected(${name}, 'value')`
    Selected(String, String),
    /// `count-selected(${name})`
    CountSelected(String),
}

/// Why an expression could not be read. `pos` counts characters from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", self.render(Lang::En))]
pub struct ParseError {
    pub pos: usize,
    pub kind: ParseErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ParseErrorKind {
    Empty,
    /// The expression stops where a value or `)` was needed.
    UnexpectedEnd,
    Unexpected {
        found: String,
    },
    UnterminatedString,
    UnknownFunction {
        name: String,
    },
    /// `${` not followed by a name and `}`.
    BadReference,
    /// `.` outside a constraint.
    CurrentOutsideConstraint,
}

impl ParseError {
    pub fn render(&self, lang: Lang) -> String {
        let mut args = FluentArgs::new();
        args.set("pos", self.pos);
        let id = match &self.kind {
            ParseErrorKind::Empty => "instrument-expr-empty",
            ParseErrorKind::UnexpectedEnd => "instrument-expr-unexpected-end",
            ParseErrorKind::Unexpected { found } => {
                args.set("found", found.clone());
                "instrument-expr-unexpected"
            }
            ParseErrorKind::UnterminatedString => "instrument-expr-unterminated-string",
            ParseErrorKind::UnknownFunction { name } => {
                args.set("name", name.clone());
                "instrument-expr-unknown-function"
            }
            ParseErrorKind::BadReference => "instrument-expr-bad-reference",
            ParseErrorKind::CurrentOutsideConstraint => {
                "instrument-expr-current-outside-constraint"
            }
        };
        message(lang, id, Some(&args))
    }
}

/// Where answers come from when an expression is evaluated. An empty string
/// counts as unanswered.
pub trait Answers {
    fn answer(&self, name: &str) -> Option<&str>;
}

impl<S: BuildHasher> Answers for HashMap<String, String, S> {
    fn answer(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Answers for BTreeMap<String, String> {
    fn answer(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Answers for [(K, V)] {
    fn answer(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| v.as_ref())
    }
}

impl Expr {
    /// Parses a `relevant` expression (`.` is not allowed).
    pub fn parse(text: &str) -> Result<Expr, ParseError> {
        Parser::new(text, false)?.parse_all()
    }

    /// Parses a `constraint` expression, where `.` is the answer being checked.
    pub fn parse_constraint(text: &str) -> Result<Expr, ParseError> {
        Parser::new(text, true)?.parse_all()
    }

    /// The question names the expression reads, in order of appearance, once each.
    pub fn references(&self) -> Vec<&str> {
        let mut out = vec![];
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<&'a str>) {
        let mut push = |n: &'a str| {
            if !out.contains(&n) {
                out.push(n);
            }
        };
        match self {
            Expr::Ref(n) | Expr::Selected(n, _) | Expr::CountSelected(n) => push(n),
            Expr::Current | Expr::Str(_) | Expr::Num(_) | Expr::Bool(_) => {}
            Expr::Not(e) => e.collect_refs(out),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Cmp(_, a, b) => {
                a.collect_refs(out);
                b.collect_refs(out);
            }
        }
    }

    /// Whether a question with this display condition is shown.
    pub fn evaluate(&self, answers: &(impl Answers + ?Sized)) -> bool {
        self.eval(&Ctx {
            answers,
            current: None,
        })
        .truthy()
    }

    /// Whether `current` satisfies this constraint. An empty answer is not
    /// checked (whether it is required is a separate rule).
    pub fn check(&self, answers: &(impl Answers + ?Sized), current: &str) -> bool {
        if current.trim().is_empty() {
            return true;
        }
        self.eval(&Ctx {
            answers,
            current: Some(current),
        })
        .truthy()
    }

    /// For a constraint of the form `. >= a and . <= b` (in any order, either
    /// bound optional): the bounds, so that forms can set `min`/`max` on inputs.
    pub fn bounds(&self) -> (Option<f64>, Option<f64>) {
        let mut lo = None;
        let mut hi = None;
        self.collect_bounds(&mut lo, &mut hi);
        (lo, hi)
    }

    fn collect_bounds(&self, lo: &mut Option<f64>, hi: &mut Option<f64>) {
        match self {
            Expr::And(a, b) => {
                a.collect_bounds(lo, hi);
                b.collect_bounds(lo, hi);
            }
            Expr::Cmp(op, a, b) => match (a.as_ref(), b.as_ref()) {
                (Expr::Current, Expr::Num(n)) => match op {
                    CmpOp::Ge | CmpOp::Gt => *lo = Some(*n),
                    CmpOp::Le | CmpOp::Lt => *hi = Some(*n),
                    CmpOp::Eq | CmpOp::Ne => {}
                },
                (Expr::Num(n), Expr::Current) => match op {
                    CmpOp::Le | CmpOp::Lt => *lo = Some(*n),
                    CmpOp::Ge | CmpOp::Gt => *hi = Some(*n),
                    CmpOp::Eq | CmpOp::Ne => {}
                },
                _ => {}
            },
            _ => {}
        }
    }

    fn eval<'a, A: Answers + ?Sized>(&'a self, ctx: &Ctx<'a, A>) -> Val<'a> {
        match self {
            Expr::Ref(n) => match ctx.answers.answer(n) {
                Some(v) if !v.trim().is_empty() => Val::Str(v.trim()),
                _ => Val::Missing,
            },
            Expr::Current => match ctx.current {
                Some(v) if !v.trim().is_empty() => Val::Str(v.trim()),
                _ => Val::Missing,
            },
            Expr::Str(s) => Val::Str(s),
            Expr::Num(n) => Val::Num(*n),
            Expr::Bool(b) => Val::Bool(*b),
            Expr::Not(e) => Val::Bool(!e.eval(ctx).truthy()),
            Expr::And(a, b) => Val::Bool(a.eval(ctx).truthy() && b.eval(ctx).truthy()),
            Expr::Or(a, b) => Val::Bool(a.eval(ctx).truthy() || b.eval(ctx).truthy()),
            Expr::Cmp(op, a, b) => Val::Bool(compare(*op, a.eval(ctx), b.eval(ctx))),
            Expr::Selected(n, v) => Val::Bool(
                ctx.answers
                    .answer(n)
                    .is_some_and(|a| a.split_whitespace().any(|x| x == v)),
            ),
            Expr::CountSelected(n) => Val::Num(
                ctx.answers
                    .answer(n)
                    .map(|a| a.split_whitespace().count())
                    .unwrap_or(0) as f64,
            ),
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            Expr::Or(..) => 1,
            Expr::And(..) => 2,
            Expr::Cmp(..) => 3,
            _ => 4,
        }
    }
}

struct Ctx<'a, A: ?Sized> {
    answers: &'a A,
    current: Option<&'a str>,
}

#[derive(Debug, Clone, Copy)]
enum Val<'a> {
    Missing,
    Num(f64),
    Str(&'a str),
    Bool(bool),
}

impl Val<'_> {
    fn truthy(self) -> bool {
        match self {
            Val::Missing => false,
            Val::Num(n) => n != 0.0 && !n.is_nan(),
            Val::Str(s) => !s.is_empty(),
            Val::Bool(b) => b,
        }
    }

    fn number(self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(n),
            Val::Str(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            Val::Bool(b) => Some(if b { 1.0 } else { 0.0 }),
            Val::Missing => None,
        }
    }
}

fn compare(op: CmpOp, a: Val<'_>, b: Val<'_>) -> bool {
    // `${q} = ''` is the idiom for "left blank", so blank meets '' as equal.
    let (a, b) = match (a, b) {
        (Val::Missing, Val::Str("")) => (Val::Str(""), b),
        (Val::Str(""), Val::Missing) => (a, Val::Str("")),
        (Val::Missing, _) | (_, Val::Missing) => return false,
        _ => (a, b),
    };
    let ordering = match (a, b) {
        (Val::Bool(x), y) | (y, Val::Bool(x)) => {
            let y = y.truthy();
            return match op {
                CmpOp::Eq => x == y,
                CmpOp::Ne => x != y,
                _ => false,
            };
        }
        (Val::Str(x), Val::Str(y)) => match (a.number(), b.number()) {
            (Some(p), Some(q)) => p.partial_cmp(&q),
            _ => {
                return match op {
                    CmpOp::Eq => x == y,
                    CmpOp::Ne => x != y,
                    // XPath turns non-numbers into NaN, and NaN orders with nothing.
                    _ => false,
                };
            }
        },
        _ => match (a.number(), b.number()) {
            (Some(p), Some(q)) => p.partial_cmp(&q),
            _ => None,
        },
    };
    use std::cmp::Ordering::*;
    match (op, ordering) {
        (CmpOp::Ne, None) => true,
        (_, None) => false,
        (CmpOp::Eq, Some(o)) => o == Equal,
        (CmpOp::Ne, Some(o)) => o != Equal,
        (CmpOp::Lt, Some(o)) => o == Less,
        (CmpOp::Le, Some(o)) => o != Greater,
        (CmpOp::Gt, Some(o)) => o == Greater,
        (CmpOp::Ge, Some(o)) => o != Less,
    }
}

fn fmt_num(n: f64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        write!(f, "{}", n as i64)
    } else {
        write!(f, "{n}")
    }
}

fn fmt_str(s: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if s.contains('\'') {
        write!(f, "\"{s}\"")
    } else {
        write!(f, "'{s}'")
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Parentheses only where the tree differs from how the text would
        // parse: operators group to the left and comparisons do not chain.
        let side = |e: &Expr, min: u8, f: &mut fmt::Formatter<'_>| {
            if e.precedence() < min {
                write!(f, "({e})")
            } else {
                write!(f, "{e}")
            }
        };
        match self {
            Expr::Ref(n) => write!(f, "${{{n}}}"),
            Expr::Current => f.write_str("."),
            Expr::Str(s) => fmt_str(s, f),
            Expr::Num(n) => fmt_num(*n, f),
            Expr::Bool(true) => f.write_str("true()"),
            Expr::Bool(false) => f.write_str("false()"),
            Expr::Not(e) => write!(f, "not({e})"),
            Expr::Or(a, b) => {
                side(a, 1, f)?;
                f.write_str(" or ")?;
                side(b, 2, f)
            }
            Expr::And(a, b) => {
                side(a, 2, f)?;
                f.write_str(" and ")?;
                side(b, 3, f)
            }
            Expr::Cmp(op, a, b) => {
                side(a, 4, f)?;
                write!(f, " {} ", op.symbol())?;
                side(b, 4, f)
            }
            Expr::Selected(n, v) => {
                write!(f, "selected(${{{n}}}, ")?;
                fmt_str(v, f)?;
                f.write_str(")")
            }
            Expr::CountSelected(n) => write!(f, "count-selected(${{{n}}})"),
        }
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Expr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Expr::parse_constraint(&text).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ref(String),
    Str(String),
    Num(f64),
    Dot,
    Op(CmpOp),
    LParen,
    RParen,
    Comma,
    Word(String),
}

impl Tok {
    fn show(&self) -> String {
        match self {
            Tok::Ref(n) => format!("${{{n}}}"),
            Tok::Str(s) => format!("'{s}'"),
            Tok::Num(n) => n.to_string(),
            Tok::Dot => ".".into(),
            Tok::Op(o) => o.symbol().into(),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::Comma => ",".into(),
            Tok::Word(w) => w.clone(),
        }
    }
}

/// A name as XLSForm allows it: a letter or `_`, then letters, digits, `_`, `-`, `.`.
pub fn is_valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn tokenize(text: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = vec![];
    let mut i = 0;
    let err = |pos: usize, kind| ParseError { pos: pos + 1, kind };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '$' => {
                if chars.get(i + 1) != Some(&'{') {
                    return Err(err(start, ParseErrorKind::BadReference));
                }
                let close = chars[i + 2..]
                    .iter()
                    .position(|&c| c == '}')
                    .ok_or_else(|| err(start, ParseErrorKind::BadReference))?;
                let name: String = chars[i + 2..i + 2 + close].iter().collect();
                let name = name.trim().to_owned();
                if !is_valid_name(&name) {
                    return Err(err(start, ParseErrorKind::BadReference));
                }
                out.push((start, Tok::Ref(name)));
                i += close + 3;
            }
            '\'' | '"' => {
                let close = chars[i + 1..]
                    .iter()
                    .position(|&q| q == c)
                    .ok_or_else(|| err(start, ParseErrorKind::UnterminatedString))?;
                out.push((
                    start,
                    Tok::Str(chars[i + 1..i + 1 + close].iter().collect()),
                ));
                i += close + 2;
            }
            '(' => {
                out.push((start, Tok::LParen));
                i += 1;
            }
            ')' => {
                out.push((start, Tok::RParen));
                i += 1;
            }
            ',' => {
                out.push((start, Tok::Comma));
                i += 1;
            }
            '=' => {
                out.push((start, Tok::Op(CmpOp::Eq)));
                i += 1;
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                out.push((start, Tok::Op(CmpOp::Ne)));
                i += 2;
            }
            '<' | '>' => {
                let eq = chars.get(i + 1) == Some(&'=');
                let op = match (c, eq) {
                    ('<', false) => CmpOp::Lt,
                    ('<', true) => CmpOp::Le,
                    ('>', false) => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                out.push((start, Tok::Op(op)));
                i += if eq { 2 } else { 1 };
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
                || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let lit: String = chars[start..i].iter().collect();
                let n = lit
                    .parse::<f64>()
                    .map_err(|_| err(start, ParseErrorKind::Unexpected { found: lit }))?;
                out.push((start, Tok::Num(n)));
            }
            '.' => {
                out.push((start, Tok::Dot));
                i += 1;
            }
            c if c.is_ascii_alphabetic() => {
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '-') {
                    i += 1;
                }
                out.push((start, Tok::Word(chars[start..i].iter().collect())));
            }
            other => {
                return Err(err(
                    start,
                    ParseErrorKind::Unexpected {
                        found: other.to_string(),
                    },
                ));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    at: usize,
    end: usize,
    allow_current: bool,
}

impl Parser {
    fn new(text: &str, allow_current: bool) -> Result<Parser, ParseError> {
        let toks = tokenize(text)?;
        if toks.is_empty() {
            return Err(ParseError {
                pos: 1,
                kind: ParseErrorKind::Empty,
            });
        }
        Ok(Parser {
            toks,
            at: 0,
            end: text.chars().count() + 1,
            allow_current,
        })
    }

    fn parse_all(mut self) -> Result<Expr, ParseError> {
        let e = self.or()?;
        match self.toks.get(self.at) {
            None => Ok(e),
            Some((pos, t)) => Err(ParseError {
                pos: pos + 1,
                kind: ParseErrorKind::Unexpected { found: t.show() },
            }),
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|(_, t)| t)
    }

    fn next(&mut self) -> Result<(usize, Tok), ParseError> {
        let t = self.toks.get(self.at).cloned().ok_or(ParseError {
            pos: self.end,
            kind: ParseErrorKind::UnexpectedEnd,
        })?;
        self.at += 1;
        Ok((t.0 + 1, t.1))
    }

    fn unexpected(pos: usize, t: &Tok) -> ParseError {
        ParseError {
            pos,
            kind: ParseErrorKind::Unexpected { found: t.show() },
        }
    }

    fn expect(&mut self, want: &Tok) -> Result<(), ParseError> {
        let (pos, t) = self.next()?;
        if &t == want {
            Ok(())
        } else {
            Err(Self::unexpected(pos, &t))
        }
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x == w)
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.at += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.cmp()?;
        while self.is_word("and") {
            self.at += 1;
            let right = self.cmp()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn cmp(&mut self) -> Result<Expr, ParseError> {
        let left = self.primary()?;
        if let Some(Tok::Op(op)) = self.peek() {
            let op = *op;
            self.at += 1;
            let right = self.primary()?;
            return Ok(Expr::Cmp(op, Box::new(left), Box::new(right)));
        }
        Ok(left)
    }

    fn reference(&mut self) -> Result<String, ParseError> {
        match self.next()? {
            (_, Tok::Ref(n)) => Ok(n),
            (pos, t) => Err(Self::unexpected(pos, &t)),
        }
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let (pos, t) = self.next()?;
        match t {
            Tok::Ref(n) => Ok(Expr::Ref(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Dot if self.allow_current => Ok(Expr::Current),
            Tok::Dot => Err(ParseError {
                pos,
                kind: ParseErrorKind::CurrentOutsideConstraint,
            }),
            Tok::LParen => {
                let e = self.or()?;
                self.expect(&Tok::RParen)?;
                Ok(e)
            }
            Tok::Word(w) => {
                if self.peek() != Some(&Tok::LParen) {
                    return Err(Self::unexpected(pos, &Tok::Word(w)));
                }
                self.at += 1;
                let e = match w.as_str() {
                    "not" => Expr::Not(Box::new(self.or()?)),
                    "true" => Expr::Bool(true),
                    "false" => Expr::Bool(false),
                    "selected" => {
                        let n = self.reference()?;
                        self.expect(&Tok::Comma)?;
                        let v = match self.next()? {
                            (_, Tok::Str(s)) => s,
                            (_, Tok::Num(n)) => Expr::Num(n).to_string(),
                            (p, t) => return Err(Self::unexpected(p, &t)),
                        };
                        Expr::Selected(n, v)
                    }
                    "count-selected" => Expr::CountSelected(self.reference()?),
                    _ => {
                        return Err(ParseError {
                            pos,
                            kind: ParseErrorKind::UnknownFunction { name: w },
                        });
                    }
                };
                self.expect(&Tok::RParen)?;
                Ok(e)
            }
            t => Err(Self::unexpected(pos, &t)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_text_reparses_to_the_same_tree() {
        for src in [
            "${a} = 'x'",
            "${a} = 'x' or ${b} > 3 and not(${c} != 2)",
            "(${a} = 1 or ${b} = 2) and ${c} = 3",
            "${a} = 1 and (${b} = 2 and ${c} = 3)",
            "selected(${m}, 'z') or count-selected(${m}) >= 2",
            "true() and false()",
            "${a} = \"it's\"",
            "${n} >= -1.5",
        ] {
            let e = Expr::parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
            let again = Expr::parse(&e.to_string()).unwrap_or_else(|e| panic!("{src}: {e:?}"));
            assert_eq!(e, again, "{src} -> {e}");
        }
    }
}
