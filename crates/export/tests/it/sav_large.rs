//! A larger table (20,000 responses to the RME instrument) streamed to a
//! file: PSPP must count every case and every answer.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;

use crate::common::{frequencies, table, tables};
use trama_export::{Codebook, NA_CODE, NA_TOKEN, SavOptions, SavWriter, Value};
use trama_i18n::Lang;
use trama_instrument::default_rme;

const N: u64 = 20_000;

#[test]
fn pspp_counts_twenty_thousand_cases_and_their_answers() {
    if !crate::common::pspp_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("rme.sav");
    let cb = Codebook::from_instrument(&default_rme(), Lang::Es).expect("codebook");
    let ratings: Vec<usize> = (0..cb.len())
        .filter(|&j| !cb.variables[j].missing.is_empty())
        .collect();
    assert!(ratings.len() >= 30, "the RME form has its ratings");

    // Expected counts by (variable, section, category), as PSPP labels them.
    let mut want: Vec<BTreeMap<(String, String), u64>> = vec![BTreeMap::new(); cb.len()];
    let file = BufWriter::new(File::create(&path).expect("create"));
    let mut w = SavWriter::new(file, &cb, &SavOptions::default()).expect("dictionary");
    let mut rows = crate::common::Rows::new(7);
    let mut owned: Vec<Option<String>> = vec![];
    for _ in 0..N {
        rows.fill(&cb, &mut owned);
        let row: Vec<Option<&str>> = owned.iter().map(Option::as_deref).collect();
        w.write_row(&row).expect("row");
        for &j in &ratings {
            let v = &cb.variables[j];
            let key = match row[j] {
                None => ("Missing".to_owned(), ".".to_owned()),
                Some(t) if t == NA_TOKEN => {
                    let na = v
                        .value_labels
                        .iter()
                        .find(|l| l.value == Value::Number(NA_CODE));
                    ("Missing".to_owned(), na.expect("NA labelled").label.clone())
                }
                Some(t) => {
                    let value = Value::Number(t.parse().expect("rating"));
                    let label = v.value_labels.iter().find(|l| l.value == value);
                    ("Valid".to_owned(), label.expect("labelled").label.clone())
                }
            };
            *want[j].entry(key).or_default() += 1;
        }
    }
    w.finish_seekable().expect("finish");

    let names: Vec<&str> = ratings
        .iter()
        .map(|&j| cb.variables[j].spss_name.as_str())
        .collect();
    let out = crate::common::run_pspp(
        dir.path(),
        &format!(
            "SYSFILE INFO FILE='{0}'.\nGET FILE='{0}'.\nFREQUENCIES VARIABLES={1} /STATISTICS=NONE.\n",
            path.display(),
            names.join(" ")
        ),
    );
    let t = tables(&out);
    let cases = table(&t, "File Information")
        .rows
        .iter()
        .find(|r| r[0] == "Cases")
        .map(|r| r[1].clone());
    assert_eq!(cases.as_deref(), Some("20000"));
    for &j in &ratings {
        let v = &cb.variables[j];
        let want: Vec<(String, String, u64)> = want[j]
            .iter()
            .map(|((s, c), n)| (s.clone(), c.clone(), *n))
            .collect();
        let got = frequencies(table(&t, &v.label));
        assert_eq!(got.iter().map(|g| g.2).sum::<u64>(), N, "{}", v.name);
        assert_eq!(got, want, "{}", v.name);
    }
}
