//! Whatever bytes arrive, reading a form returns a value or errors, never a panic.

use trama_instrument::{Expr, read_csv, read_form, read_xlsx};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() as usize) % from.len()]
    }
}

const PIECES: &[&str] = &[
    "${a}",
    "${",
    "}",
    "'",
    "\"",
    "(",
    ")",
    "=",
    "!=",
    "<",
    ">=",
    " and ",
    " or ",
    "not(",
    "selected(",
    "count-selected(",
    ",",
    ".",
    "1",
    "-2.5",
    "'x'",
    "ñ",
    " ",
    "\u{301}",
    "$",
    "!",
    "true()",
    "..",
    "-",
    "9e9",
];

#[test]
fn random_expressions() {
    let mut rng = Lcg(7);
    for _ in 0..20_000 {
        let len = rng.next() % 12;
        let text: String = (0..len).map(|_| rng.pick(PIECES)).collect();
        for e in [Expr::parse(&text), Expr::parse_constraint(&text)]
            .into_iter()
            .flatten()
        {
            let _ = e.evaluate(&[("a", "1 x")][..]);
            let _ = e.check(&[("a", "x")][..], "3");
            // What parses prints to text that parses to the same tree.
            let again = Expr::parse_constraint(&e.to_string());
            assert_eq!(again.as_ref(), Ok(&e), "{text:?} -> {e}");
        }
    }
}

const CELLS: &[&str] = &[
    "",
    "type",
    "name",
    "label",
    "label::es",
    "relevant",
    "reverse",
    "dimension",
    "subdimension",
    "begin_group",
    "end_group",
    "select_one acuerdo5",
    "select_one x",
    "select_multiple",
    "integer",
    "text",
    "note",
    "a",
    "b",
    "1",
    "2",
    "${a} = 1",
    "${",
    "d",
    "s",
    "x",
    "\"",
    ";",
    "list_name",
    "choices",
    "\u{feff}",
    "á",
    "\n",
    ",",
];

#[test]
fn random_csv_forms() {
    let mut rng = Lcg(11);
    for _ in 0..3_000 {
        let rows = rng.next() % 6;
        let mut text = String::from("type,name,label,relevant,dimension,subdimension,reverse\n");
        for _ in 0..rows {
            let cols = rng.next() % 8;
            let row: Vec<&str> = (0..cols).map(|_| rng.pick(CELLS)).collect();
            text.push_str(&row.join(if rng.next().is_multiple_of(5) {
                ";"
            } else {
                ","
            }));
            text.push('\n');
        }
        let _ = read_csv("r.csv", text.as_bytes());
    }
}

#[test]
fn random_bytes_and_broken_workbooks() {
    let mut rng = Lcg(3);
    let good =
        crate::common::xlsx(&[("survey", &[&["type", "name", "label"], &["text", "a", "A"]])]);
    for i in 0..300 {
        let mut bytes = good.clone();
        // Corrupt a few bytes, or cut the file short.
        if i % 3 == 0 {
            bytes.truncate((rng.next() as usize) % bytes.len());
        } else {
            for _ in 0..(1 + rng.next() % 8) {
                let at = (rng.next() as usize) % bytes.len();
                bytes[at] = rng.next() as u8;
            }
        }
        let _ = read_xlsx("r.xlsx", &bytes);
        let _ = read_form("r", &bytes);
    }
    for _ in 0..1_000 {
        let len = (rng.next() % 80) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let _ = read_form("r", &bytes);
        let _ = read_xlsx("r.xlsx", &bytes);
    }
}

#[test]
fn random_workbook_cells() {
    let mut rng = Lcg(5);
    for _ in 0..150 {
        let n = 1 + rng.next() % 6;
        let rows: Vec<Vec<&str>> = (0..n)
            .map(|_| (0..(rng.next() % 8)).map(|_| rng.pick(CELLS)).collect())
            .collect();
        let mut survey: Vec<&[&str]> = vec![&["type", "name", "label", "relevant", "reverse"]];
        survey.extend(rows.iter().map(Vec::as_slice));
        let choices: &[&[&str]] = &[&["list_name", "name", "label"], &["x", "a", "A"]];
        let bytes = crate::common::xlsx(&[("survey", &survey), ("choices", choices)]);
        let _ = read_xlsx("r.xlsx", &bytes);
    }
}
