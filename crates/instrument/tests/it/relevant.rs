//! Display conditions: the XLSForm subset, parsed and evaluated as ODK does.

use std::collections::HashMap;

use trama_i18n::Lang;
use trama_instrument::{CmpOp, Expr, ParseErrorKind};

fn parse(s: &str) -> Expr {
    Expr::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

fn eval(s: &str, answers: &[(&str, &str)]) -> bool {
    parse(s).evaluate(answers)
}

#[test]
fn parses_into_the_expected_tree() {
    assert_eq!(
        parse("${a} = 'x' or ${b} > 3 and not(${c})"),
        Expr::Or(
            Box::new(Expr::Cmp(
                CmpOp::Eq,
                Box::new(Expr::Ref("a".into())),
                Box::new(Expr::Str("x".into()))
            )),
            Box::new(Expr::And(
                Box::new(Expr::Cmp(
                    CmpOp::Gt,
                    Box::new(Expr::Ref("b".into())),
                    Box::new(Expr::Num(3.0))
                )),
                Box::new(Expr::Not(Box::new(Expr::Ref("c".into()))))
            ))
        )
    );
    assert_eq!(
        parse("selected( ${m} , \"b\" )"),
        Expr::Selected("m".into(), "b".into())
    );
    assert_eq!(
        parse("count-selected(${m})>=2"),
        Expr::Cmp(
            CmpOp::Ge,
            Box::new(Expr::CountSelected("m".into())),
            Box::new(Expr::Num(2.0))
        )
    );
}

#[test]
fn references_are_listed_once_in_order() {
    let e = parse("${b} = 1 and (selected(${a}, 'x') or ${b} != 2) and count-selected(${c}) > 0");
    assert_eq!(e.references(), ["b", "a", "c"]);
}

#[test]
fn comparisons_numbers_and_strings() {
    assert!(eval("${n} > 3", &[("n", "4")]));
    assert!(!eval("${n} > 3", &[("n", "3")]));
    assert!(eval("${n} >= 3", &[("n", "3")]));
    assert!(eval("${n} <= 3.5", &[("n", "3.5")]));
    assert!(eval("${n} < 10", &[("n", "9")]), "numeric, not lexical");
    assert!(eval("${n} = 3", &[("n", "3.0")]));
    assert!(eval("${r} = 'director'", &[("r", "director")]));
    assert!(eval("${r} != 'director'", &[("r", "docente")]));
    assert!(eval("${a} = ${b}", &[("a", "x"), ("b", "x")]));
    // "NA" is not a number: ordering against a number is false both ways.
    assert!(!eval("${q} >= 4", &[("q", "NA")]));
    assert!(!eval("${q} < 4", &[("q", "NA")]));
    assert!(eval("${q} = 'NA'", &[("q", "NA")]));
}

#[test]
fn unanswered_makes_comparisons_false() {
    for e in [
        "${q} = 'x'",
        "${q} != 'x'",
        "${q} > 1",
        "${q} < 1",
        "${q} = ${q}",
    ] {
        assert!(!eval(e, &[]), "{e}");
        assert!(!eval(e, &[("q", "")]), "{e} with empty string");
        assert!(!eval(e, &[("q", "  ")]), "{e} with blanks");
    }
    // ...except the idiom for "left blank".
    assert!(eval("${q} = ''", &[]));
    assert!(!eval("${q} != ''", &[]));
    assert!(eval("${q} != ''", &[("q", "x")]));
    assert!(eval("not(${q} = 'x')", &[]));
}

#[test]
fn logic_and_functions() {
    let a = [("m", "a c"), ("n", "2")];
    assert!(eval("selected(${m}, 'a')", &a));
    assert!(!eval("selected(${m}, 'b')", &a));
    assert!(eval("count-selected(${m}) = 2", &a));
    assert!(eval("count-selected(${x}) = 0", &a));
    assert!(eval("selected(${m}, 'c') and ${n} = 2", &a));
    assert!(eval("selected(${m}, 'b') or ${n} = 2", &a));
    assert!(!eval("not(selected(${m}, 'a') or ${n} = 9)", &a));
    assert!(eval("(${n} = 1 or ${n} = 2) and not(${n} = 3)", &a));
    assert!(eval("${n}", &a), "an answered reference is true");
    assert!(!eval("${x}", &a));
    assert!(eval("true()", &a));
    assert!(!eval("false() or false()", &a));
    assert!(eval("${n} > -1", &a));
}

#[test]
fn answers_from_maps() {
    let mut m: HashMap<String, String> = HashMap::new();
    m.insert("rol".into(), "docente".into());
    assert!(parse("${rol} = 'docente'").evaluate(&m));
    let b: std::collections::BTreeMap<String, String> = m.into_iter().collect();
    assert!(parse("${rol} = 'docente'").evaluate(&b));
}

#[test]
fn constraints_use_dot_for_the_answer() {
    let c = Expr::parse_constraint(". >= 0 and . <= 30").unwrap_or_else(|e| panic!("{e:?}"));
    let none: [(&str, &str); 0] = [];
    assert!(c.check(&none[..], "0"));
    assert!(c.check(&none[..], "30"));
    assert!(!c.check(&none[..], "31"));
    assert!(!c.check(&none[..], "-1"));
    assert!(!c.check(&none[..], "muchos"));
    assert!(
        c.check(&none[..], ""),
        "blank is the required rule's business"
    );
    assert_eq!(c.bounds(), (Some(0.0), Some(30.0)));
    assert_eq!(
        Expr::parse(". > 1").map_err(|e| e.kind),
        Err(ParseErrorKind::CurrentOutsideConstraint)
    );
}

#[test]
fn bad_expressions_say_where_and_why() {
    let cases: &[(&str, ParseErrorKind, usize)] = &[
        ("", ParseErrorKind::Empty, 1),
        ("${q9} >", ParseErrorKind::UnexpectedEnd, 8),
        ("${q9} > 'a", ParseErrorKind::UnterminatedString, 9),
        ("${q9 = 1", ParseErrorKind::BadReference, 1),
        ("${9q} = 1", ParseErrorKind::BadReference, 1),
        ("$q = 1", ParseErrorKind::BadReference, 1),
        (
            "${a} = 1 ${b}",
            ParseErrorKind::Unexpected {
                found: "${b}".into(),
            },
            10,
        ),
        (
            "${a} = 1 = 2",
            ParseErrorKind::Unexpected { found: "=".into() },
            10,
        ),
        (
            "if(${a}, 1, 2)",
            ParseErrorKind::UnknownFunction { name: "if".into() },
            1,
        ),
        ("${a} and", ParseErrorKind::UnexpectedEnd, 9),
        ("(${a} = 1", ParseErrorKind::UnexpectedEnd, 10),
        (
            "${a} + 1",
            ParseErrorKind::Unexpected { found: "+".into() },
            6,
        ),
        (
            "selected(${a})",
            ParseErrorKind::Unexpected { found: ")".into() },
            14,
        ),
        (
            "foo",
            ParseErrorKind::Unexpected {
                found: "foo".into(),
            },
            1,
        ),
    ];
    for (src, kind, pos) in cases {
        let e = Expr::parse(src)
            .err()
            .unwrap_or_else(|| panic!("{src} parsed"));
        assert_eq!((&e.kind, e.pos), (kind, *pos), "{src}");
        assert!(!e.render(Lang::Es).starts_with("instrument-"), "{src}");
        assert!(!e.render(Lang::En).starts_with("instrument-"), "{src}");
    }
}

#[test]
fn json_is_the_canonical_text() {
    let e = parse("${a}='x' or(${b}>3)");
    let json = serde_json::to_string(&e).unwrap_or_default();
    assert_eq!(json, "\"${a} = 'x' or ${b} > 3\"");
    let back: Expr = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, e);
}
