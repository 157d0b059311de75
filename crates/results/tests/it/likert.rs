//! Likert distributions checked against an independent computation in
//! pandas (melt → drop empty → recode q3 as 6 − x → value_counts / n), run
//! outside the project on `tests/data/reliability_large.csv`.

use std::collections::HashSet;

use trama_results::design::{Design, Level, RatingItem};
use trama_results::likert::{Options, report};
use trama_results::responses::{GroupBy, ResponseTable};

fn design() -> Design {
    let item = |n: &str| RatingItem {
        name: n.into(),
        dimension: "d1".into(),
        subdimension: if n < "q4" { "s1".into() } else { "s2".into() },
        reverse: n == "q3",
        label_es: n.into(),
        label_en: n.into(),
        finding_es: None,
        finding_en: None,
    };
    Design {
        items: ["q1", "q2", "q3", "q4", "q5", "q6"]
            .iter()
            .map(|n| item(n))
            .collect(),
        scales: vec![],
    }
}

fn table() -> ResponseTable {
    let path = format!(
        "{}/tests/data/reliability_large.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    ResponseTable::read("r.csv", bytes.as_slice(), &design(), &HashSet::new())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 1e-9, "{what}: {a} vs {b}");
}

/// (group, respondents, answers, [NA, 1..5] %, agree, disagree)
type Expected = (&'static str, u64, u64, [f64; 6], f64, f64);

#[test]
fn dimension_by_region_matches_pandas() {
    let r = report(
        &design(),
        &table(),
        &Options {
            by: Some(GroupBy::Region),
            ..Default::default()
        },
    );
    // (group, respondents, answers, [NA, 1..5], agree, disagree)
    let expected: [Expected; 4] = [
        (
            "national",
            300,
            1736,
            [
                7.546082949308755,
                11.463133640552995,
                19.5852534562212,
                26.036866359447004,
                20.276497695852534,
                15.09216589861751,
            ],
            35.36866359447004,
            31.048387096774192,
        ),
        (
            "RM",
            94,
            543,
            [
                6.445672191528545,
                9.760589318600369,
                17.863720073664826,
                27.25598526703499,
                19.521178637200737,
                19.152854511970535,
            ],
            38.67403314917127,
            27.624309392265197,
        ),
        (
            "V",
            93,
            537,
            [
                7.4487895716946,
                13.40782122905028,
                19.180633147113593,
                24.767225325884542,
                21.60148975791434,
                13.594040968342645,
            ],
            35.19553072625698,
            32.588454376163874,
        ),
        (
            "VIII",
            113,
            656,
            [
                8.536585365853659,
                11.28048780487805,
                21.341463414634145,
                26.067073170731707,
                19.817073170731707,
                12.957317073170731,
            ],
            32.77439024390244,
            32.6219512195122,
        ),
    ];
    assert_eq!(r.groups.len(), 4);
    for (g, (name, n_resp, n_answers, pct, agree, disagree)) in r.groups.iter().zip(expected) {
        let label = g.value.clone().unwrap_or_else(|| g.by.clone());
        assert_eq!(label, name);
        assert_eq!(g.n_respondents, n_resp, "{name}");
        let row = &g.rows[0];
        assert_eq!(row.n_answers, Some(n_answers), "{name}");
        let p = row.pct.unwrap_or_else(|| panic!("{name} pct")).values();
        for (i, (a, b)) in p.iter().zip(pct).enumerate() {
            close(*a, b, &format!("{name} category {i}"));
        }
        close(row.agree.unwrap_or_default(), agree, name);
        close(row.disagree.unwrap_or_default(), disagree, name);
        let shown: f64 = row
            .pct_display
            .map(|d| d.values().iter().sum())
            .unwrap_or_default();
        close(shown, 100.0, "display sums to 100");
    }
}

#[test]
fn reverse_item_is_reported_as_answered_at_item_level() {
    let r = report(
        &design(),
        &table(),
        &Options {
            level: Some(Level::Item),
            ..Default::default()
        },
    );
    let q3 = r.groups[0]
        .rows
        .iter()
        .find(|row| row.code == "q3")
        .unwrap_or_else(|| panic!("q3"));
    assert_eq!(q3.n_answers, Some(291));
    assert_eq!(q3.reverse, Some(true));
    let expected = [
        7.903780068728523,
        17.869415807560138,
        18.556701030927837,
        23.367697594501717,
        20.61855670103093,
        11.683848797250858,
    ];
    for (a, b) in q3
        .pct
        .unwrap_or_else(|| panic!("pct"))
        .values()
        .iter()
        .zip(expected)
    {
        close(*a, b, "q3");
    }
}
