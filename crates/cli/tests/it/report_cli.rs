//! `trama report likert`, `trama stats reliability`, `trama report findings`
//! and `trama generate responses` through the built binary: figures against
//! independent references, anonymity, every bad-input case and exit codes.
//!
//! Fixture: `tests/data/report/instrumento.csv` (five rating items in two
//! dimensions and three sub-dimensions, `conf_2` reverse-keyed, `col_2`
//! answered 4 or 5 by everyone, `comp_1` with a finding template, one open
//! question) and `respuestas.csv` (44 respondents: V 20, RM 14, X 6, VIII 4;
//! jefe_utp 23, director 21; RME1 14, RME3 14, RME2 6, RME5 6, RME4 4),
//! written by a seeded numpy script.
//!
//! Reference values were computed outside the project in a throwaway
//! virtualenv (pandas 2, pingouin 0.7, scipy) on the same files; the
//! scripts are `crates/results/tests/reference/report_cli_*.py`:
//! - Likert: `df.melt(...)`, rows with an empty answer dropped, `conf_2`
//!   recoded 6 − x for dimension and sub-dimension pools (not for its item
//!   row), then `value_counts() / n * 100` per group, with NA as a category
//!   (or dropped first for `--exclude-na`).
//! - Reliability: per scale, the recoded item columns with NA/empty as NaN,
//!   rows missing every item of the scale dropped (`dropna(how="all")`),
//!   then `pingouin.cronbach_alpha(data, nan_policy=…)`; the interval bounds
//!   are pingouin's formula with `scipy.stats.f.isf` before pingouin rounds
//!   them to three decimals; alpha-if-deleted is pingouin on the scale
//!   without the item; item-rest r is pandas' `corr` on complete rows.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/tests/data/report/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn trama(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trama"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "es_CL.UTF-8")
        .output()
        .unwrap_or_else(|e| panic!("run trama: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs a command that must succeed and returns its JSON.
fn json(args: &[&str]) -> Value {
    let (code, stdout, stderr) = trama(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn likert(extra: &[&str]) -> Value {
    let (i, r) = (fixture("instrumento.csv"), fixture("respuestas.csv"));
    let mut args = vec![
        "report",
        "likert",
        "--instrument",
        &i,
        "--responses",
        &r,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    json(&args)
}

fn close(a: &Value, b: f64, what: &str) {
    let a = a
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {a} is not a number"));
    assert!((a - b).abs() < 1e-9, "{what}: {a} vs reference {b}");
}

fn group<'a>(report: &'a Value, value: Option<&str>) -> &'a Value {
    report["groups"]
        .as_array()
        .and_then(|gs| {
            gs.iter().find(|g| {
                g["value"].as_str() == value && (value.is_some() || g["by"] == "national")
            })
        })
        .unwrap_or_else(|| panic!("group {value:?} in {report}"))
}

fn row<'a>(group: &'a Value, level: &str, code: &str) -> &'a Value {
    group["rows"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["level"] == level && r["code"] == code))
        .unwrap_or_else(|| panic!("{level}/{code} in {group}"))
}

/// (level, code, n_answers, [NA, 1, 2, 3, 4, 5] %, disagree, agree)
type Expected = (&'static str, &'static str, u64, [f64; 6], f64, f64);

fn check_rows(group: &Value, expected: &[Expected], what: &str) {
    for (level, code, n, pct, disagree, agree) in expected {
        let r = row(group, level, code);
        let what = format!("{what} {level}/{code}");
        assert_eq!(r["n_answers"], *n, "{what} n_answers");
        assert_eq!(r["suppressed"], false, "{what}");
        for (key, value) in ["NA", "1", "2", "3", "4", "5"].iter().zip(pct) {
            close(&r["pct"][key], *value, &format!("{what} pct {key}"));
        }
        close(&r["disagree"], *disagree, &format!("{what} disagree"));
        close(&r["agree"], *agree, &format!("{what} agree"));
        let shown: f64 = ["NA", "1", "2", "3", "4", "5"]
            .iter()
            .map(|k| r["pct_display"][k].as_f64().unwrap_or(f64::NAN))
            .sum();
        assert!(
            (shown - 100.0).abs() < 1e-9,
            "{what}: display sums to {shown}"
        );
    }
}

// pandas, national group.
const NATIONAL: [Expected; 10] = [
    (
        "dimension",
        "capital_social",
        125,
        [7.2, 13.6, 26.4, 28.8, 16.8, 7.2],
        40.0,
        24.0,
    ),
    (
        "dimension",
        "organizacion_red",
        82,
        [
            3.658536585365854,
            8.536585365853659,
            10.975609756097562,
            13.414634146341463,
            37.80487804878049,
            25.609756097560975,
        ],
        19.512195121951223,
        63.41463414634146,
    ),
    (
        "subdimension",
        "confianza",
        84,
        [
            9.523809523809524,
            16.666666666666668,
            25.0,
            27.38095238095238,
            15.476190476190476,
            5.9523809523809526,
        ],
        41.66666666666667,
        21.42857142857143,
    ),
    (
        "subdimension",
        "compromiso",
        41,
        [
            2.4390243902439024,
            7.317073170731708,
            29.26829268292683,
            31.70731707317073,
            19.51219512195122,
            9.75609756097561,
        ],
        36.58536585365854,
        29.268292682926827,
    ),
    (
        "subdimension",
        "colaboracion",
        82,
        [
            3.658536585365854,
            8.536585365853659,
            10.975609756097562,
            13.414634146341463,
            37.80487804878049,
            25.609756097560975,
        ],
        19.512195121951223,
        63.41463414634146,
    ),
    (
        "item",
        "conf_1",
        42,
        [
            11.904761904761905,
            16.666666666666668,
            23.80952380952381,
            23.80952380952381,
            16.666666666666668,
            7.142857142857143,
        ],
        40.47619047619048,
        23.80952380952381,
    ),
    // Reverse-keyed: as answered here; recoded inside confianza above.
    (
        "item",
        "conf_2",
        42,
        [
            7.142857142857143,
            4.761904761904762,
            14.285714285714286,
            30.952380952380953,
            26.19047619047619,
            16.666666666666668,
        ],
        19.047619047619047,
        42.85714285714286,
    ),
    (
        "item",
        "comp_1",
        41,
        [
            2.4390243902439024,
            7.317073170731708,
            29.26829268292683,
            31.70731707317073,
            19.51219512195122,
            9.75609756097561,
        ],
        36.58536585365854,
        29.268292682926827,
    ),
    (
        "item",
        "col_1",
        38,
        [
            7.894736842105263,
            18.42105263157895,
            23.68421052631579,
            28.94736842105263,
            7.894736842105263,
            13.157894736842104,
        ],
        42.10526315789474,
        21.052631578947366,
    ),
    // All favourable: empty levels are kept as 0.
    (
        "item",
        "col_2",
        44,
        [0.0, 0.0, 0.0, 0.0, 63.63636363636363, 36.36363636363637],
        0.0,
        100.0,
    ),
];

// pandas, region RM (14 respondents).
const RM: [Expected; 4] = [
    (
        "dimension",
        "capital_social",
        41,
        [
            2.4390243902439024,
            17.073170731707318,
            21.951219512195124,
            26.829268292682926,
            19.51219512195122,
            12.195121951219512,
        ],
        39.024390243902445,
        31.70731707317073,
    ),
    (
        "dimension",
        "organizacion_red",
        24,
        [
            0.0,
            12.5,
            8.333333333333334,
            8.333333333333334,
            37.5,
            33.333333333333336,
        ],
        20.833333333333336,
        70.83333333333334,
    ),
    (
        "item",
        "conf_2",
        14,
        [
            7.142857142857143,
            14.285714285714286,
            21.428571428571427,
            21.428571428571427,
            14.285714285714286,
            21.428571428571427,
        ],
        35.714285714285715,
        35.714285714285715,
    ),
    (
        "item",
        "col_1",
        10,
        [0.0, 30.0, 20.0, 20.0, 10.0, 20.0],
        50.0,
        30.0,
    ),
];

// pandas, region V (20 respondents).
const V: [Expected; 2] = [
    (
        "dimension",
        "capital_social",
        56,
        [
            7.142857142857143,
            14.285714285714286,
            23.214285714285715,
            30.357142857142858,
            19.642857142857142,
            5.357142857142857,
        ],
        37.5,
        25.0,
    ),
    (
        "subdimension",
        "confianza",
        37,
        [
            8.108108108108109,
            16.216216216216218,
            27.027027027027028,
            27.027027027027028,
            18.91891891891892,
            2.7027027027027026,
        ],
        43.24324324324324,
        21.62162162162162,
    ),
];

#[test]
fn likert_figures_equal_pandas_at_every_level_and_by_region() {
    let r = likert(&["--by", "region"]);
    let groups = r["groups"].as_array().cloned().unwrap_or_default();
    let order: Vec<(Value, Value, Value)> = groups
        .iter()
        .map(|g| {
            (
                g["by"].clone(),
                g["value"].clone(),
                g["n_respondents"].clone(),
            )
        })
        .collect();
    assert_eq!(
        order,
        vec![
            ("national".into(), Value::Null, 44.into()),
            ("region".into(), "RM".into(), 14.into()),
            ("region".into(), "V".into(), 20.into()),
            ("region".into(), "VIII".into(), 4.into()),
            ("region".into(), "X".into(), 6.into()),
        ],
        "national first, then one group per region"
    );
    let national = group(&r, None);
    // Every level by default: dimensions, then sub-dimensions, then items.
    let rows: Vec<String> = national["rows"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|x| {
                    format!(
                        "{}/{}",
                        x["level"].as_str().unwrap_or(""),
                        x["code"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        rows,
        [
            "dimension/capital_social",
            "dimension/organizacion_red",
            "subdimension/confianza",
            "subdimension/compromiso",
            "subdimension/colaboracion",
            "item/conf_1",
            "item/conf_2",
            "item/comp_1",
            "item/col_1",
            "item/col_2",
        ]
    );
    check_rows(national, &NATIONAL, "national");
    check_rows(group(&r, Some("RM")), &RM, "RM");
    check_rows(group(&r, Some("V")), &V, "V");

    let cs = row(national, "dimension", "capital_social");
    assert_eq!(cs["label"], "Capital social");
    assert!(cs.get("reverse").is_none(), "reverse is an item-level flag");
    let conf_2 = row(national, "item", "conf_2");
    assert_eq!(conf_2["reverse"], true);
    assert_eq!(row(national, "item", "conf_1")["reverse"], false);
    assert_eq!(conf_2["dimension"], "capital_social");
    assert_eq!(conf_2["subdimension"], "confianza");
    assert_eq!(
        conf_2["label"],
        "Evito compartir mis dificultades en la red"
    );
    // An empty level is a number, not a missing key.
    let col_2 = row(national, "item", "col_2");
    assert_eq!(col_2["pct"]["1"], 0.0);
    assert_eq!(col_2["pct"]["NA"], 0.0);
    assert_eq!(col_2["pct_display"]["2"], 0.0);

    // One level, English labels.
    let en = likert(&["--level", "subdimension", "--lang", "en"]);
    let national = group(&en, None);
    assert_eq!(national["rows"].as_array().map(Vec::len), Some(3));
    assert_eq!(row(national, "subdimension", "confianza")["label"], "Trust");
    check_rows(national, &NATIONAL[2..5], "national subdimension");
}

#[test]
fn exclude_na_rebases_on_answers_one_to_five() {
    let r = likert(&["--exclude-na", "--level", "item"]);
    let national = group(&r, None);
    let conf_2 = row(national, "item", "conf_2");
    // pandas, NA answers dropped before counting.
    assert_eq!(conf_2["n_answers"], 39);
    assert!(conf_2["pct"].get("NA").is_none(), "{conf_2}");
    let expected = [
        5.128205128205129,
        15.384615384615385,
        33.333333333333336,
        28.205128205128204,
        17.94871794871795,
    ];
    for (k, v) in ["1", "2", "3", "4", "5"].iter().zip(expected) {
        close(&conf_2["pct"][k], v, &format!("conf_2 {k}"));
    }
    close(&conf_2["agree"], 46.15384615384615, "conf_2 agree");
    let r = likert(&["--exclude-na", "--level", "dimension"]);
    let cs = row(group(&r, None), "dimension", "capital_social");
    assert_eq!(cs["n_answers"], 116);
    let expected = [
        14.655172413793103,
        28.448275862068964,
        31.03448275862069,
        18.103448275862068,
        7.758620689655173,
    ];
    for (k, v) in ["1", "2", "3", "4", "5"].iter().zip(expected) {
        close(&cs["pct"][k], v, &format!("capital_social {k}"));
    }
    close(
        &cs["disagree"],
        43.103448275862064,
        "capital_social disagree",
    );
    close(&cs["agree"], 25.86206896551724, "capital_social agree");
}

fn assert_hidden(g: &Value) {
    assert_eq!(g["suppressed"], true, "{g}");
    for r in g["rows"].as_array().cloned().unwrap_or_default() {
        assert_eq!(r["suppressed"], true, "{r}");
        for key in ["n_answers", "pct", "pct_display", "disagree", "agree"] {
            assert_eq!(
                r[key],
                Value::Null,
                "{key} must not leave a suppressed group: {r}"
            );
        }
    }
}

fn assert_shown(g: &Value) {
    assert_eq!(g["suppressed"], false, "{g}");
    for r in g["rows"].as_array().cloned().unwrap_or_default() {
        assert_eq!(r["suppressed"], false, "{r}");
        assert!(r["pct"].is_object() && r["n_answers"].is_u64(), "{r}");
    }
}

#[test]
fn small_groups_are_suppressed_with_their_complement() {
    // VIII (4) is below 5; alone it could be recovered from the national
    // figures minus the others, so the next smallest, X (6), goes too.
    let r = likert(&["--by", "region"]);
    assert_shown(group(&r, None));
    assert_shown(group(&r, Some("RM")));
    assert_shown(group(&r, Some("V")));
    assert_hidden(group(&r, Some("VIII")));
    assert_hidden(group(&r, Some("X")));
    assert_eq!(group(&r, Some("VIII"))["n_respondents"], 4);

    // At the threshold a group is shown: with K = 4 nothing is hidden.
    let r = likert(&["--by", "region", "--min-group", "4"]);
    for g in r["groups"].as_array().cloned().unwrap_or_default() {
        assert_shown(&g);
    }

    // Networks: RME4 (4) alone below 5; RME2 and RME5 tie at 6 for next
    // smallest, and the first in order goes.
    let r = likert(&["--by", "network", "--level", "dimension"]);
    assert_hidden(group(&r, Some("RME4")));
    assert_hidden(group(&r, Some("RME2")));
    assert_shown(group(&r, Some("RME5")));
    assert_shown(group(&r, Some("RME1")));

    // Roles at K = 22: director (21) alone below, jefe_utp (23) the only
    // other group, so both are hidden; the nation (44) is shown.
    let r = likert(&["--by", "role", "--min-group", "22"]);
    assert_shown(group(&r, None));
    assert_hidden(group(&r, Some("director")));
    assert_hidden(group(&r, Some("jefe_utp")));

    // The whole file below K: nothing at all.
    let r = likert(&["--by", "region", "--min-group", "45"]);
    for g in r["groups"].as_array().cloned().unwrap_or_default() {
        assert_hidden(&g);
    }
}

#[test]
fn csv_has_one_row_per_group_and_row_at_full_precision() {
    let (i, r) = (fixture("instrumento.csv"), fixture("respuestas.csv"));
    let (code, stdout, stderr) = trama(&[
        "report",
        "likert",
        "--instrument",
        &i,
        "--responses",
        &r,
        "--by",
        "region",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let mut rdr = csv::Reader::from_reader(stdout.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map(|h| h.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    assert_eq!(
        header.join(","),
        "by,value,n_respondents,level,code,label,dimension,subdimension,reverse,n_answers,pct_NA,pct_1,pct_2,pct_3,pct_4,pct_5,disagree,agree,suppressed"
    );
    let rows: Vec<csv::StringRecord> = rdr.records().filter_map(Result::ok).collect();
    assert_eq!(rows.len(), 5 * 10, "5 groups × 10 rows");
    let find = |value: &str, code: &str| {
        rows.iter()
            .find(|r| &r[1] == value && &r[4] == code)
            .unwrap_or_else(|| panic!("{value} {code}"))
            .clone()
    };
    let conf_2 = find("", "conf_2");
    assert_eq!(&conf_2[0], "national");
    assert_eq!(&conf_2[8], "true");
    assert_eq!(&conf_2[9], "42");
    // Full precision, the same digits as the JSON.
    assert_eq!(&conf_2[17], "42.85714285714286");
    assert_eq!(&conf_2[10], "7.142857142857143");
    let col_2 = find("", "col_2");
    assert_eq!(&col_2[11], "0", "empty level kept");
    let hidden = find("VIII", "capital_social");
    assert_eq!(&hidden[18], "true");
    for c in 9..18 {
        assert_eq!(&hidden[c], "", "column {} withheld", header[c]);
    }
    let rm = find("RM", "col_1");
    assert_eq!(&rm[16], "50");
}

#[test]
fn output_file_is_written_only_when_everything_is_valid() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("likert.json");
    let o = out.to_string_lossy().into_owned();
    let (i, r) = (fixture("instrumento.csv"), fixture("respuestas.csv"));
    let (code, stdout, stderr) = trama(&[
        "report",
        "likert",
        "--instrument",
        &i,
        "--responses",
        &r,
        "--format",
        "json",
        "-o",
        &o,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty(), "results go to the file only");
    let v: Value =
        serde_json::from_slice(&std::fs::read(&out).unwrap_or_default()).unwrap_or_default();
    assert_eq!(v["groups"][0]["n_respondents"], 44);
    // Nothing else left in the directory (no temporary file).
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(names.len(), 1, "{names:?}");
}

/// (scale, n, alpha, [lo, hi], alpha_if_deleted, item_rest_r)
type AlphaRef = (
    &'static str,
    u64,
    f64,
    [f64; 2],
    &'static [Option<f64>],
    &'static [f64],
);

fn check_alpha(report: &Value, refs: &[AlphaRef], what: &str) {
    for (code, n, alpha, ci, aid, irr) in refs {
        let s = report["scales"]
            .as_array()
            .and_then(|ss| ss.iter().find(|s| s["code"] == *code))
            .unwrap_or_else(|| panic!("{code}"));
        let what = format!("{what} {code}");
        assert_eq!(s["n"], *n, "{what} n");
        close(&s["alpha"], *alpha, &format!("{what} alpha"));
        close(&s["ci95"][0], ci[0], &format!("{what} ci lower"));
        close(&s["ci95"][1], ci[1], &format!("{what} ci upper"));
        let items = s["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), aid.len(), "{what}");
        for (i, item) in items.iter().enumerate() {
            match aid[i] {
                Some(a) => close(&item["alpha_if_deleted"], a, &format!("{what} {i} aid")),
                // One item left: alpha is undefined.
                None => assert_eq!(item["alpha_if_deleted"], Value::Null),
            }
            close(
                &item["item_rest_r"],
                irr[i],
                &format!("{what} {i} item-rest"),
            );
        }
    }
}

#[test]
fn reliability_equals_pingouin_pairwise_and_listwise() {
    let (i, r) = (fixture("instrumento.csv"), fixture("respuestas.csv"));
    let base = [
        "stats",
        "reliability",
        "--instrument",
        &i,
        "--responses",
        &r,
    ];
    let pairwise = json(&[&base[..], &["--format", "json"]].concat());
    assert_eq!(pairwise["missing"], "pairwise");
    let scales: Vec<(Value, Value, Value)> = pairwise["scales"]
        .as_array()
        .map(|ss| {
            ss.iter()
                .map(|s| (s["level"].clone(), s["code"].clone(), s["k"].clone()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        scales,
        vec![
            ("dimension".into(), "capital_social".into(), 3.into()),
            ("dimension".into(), "organizacion_red".into(), 2.into()),
            ("subdimension".into(), "confianza".into(), 2.into()),
            ("subdimension".into(), "compromiso".into(), 1.into()),
            ("subdimension".into(), "colaboracion".into(), 2.into()),
        ]
    );
    check_alpha(
        &pairwise,
        &[
            (
                "capital_social",
                44,
                0.8256366689202862,
                [0.7124451529600524, 0.8990310826225096],
                &[
                    Some(0.7288237584716779),
                    Some(0.6503210731832687),
                    Some(0.8744122842097726),
                ],
                &[0.6544445228354605, 0.7856992615558611, 0.5845449426422678],
            ),
            (
                "organizacion_red",
                44,
                0.45918396482311596,
                [0.00885649990646753, 0.704904502852671],
                &[None, None],
                &[0.44955300254575337, 0.4495530025457533],
            ),
            (
                "confianza",
                44,
                0.8744122842097726,
                [0.7698377265083018, 0.9314732422558563],
                &[None, None],
                &[0.6984005188723306, 0.6984005188723306],
            ),
        ],
        "pairwise",
    );
    // A one-item scale has no alpha.
    let compromiso = &pairwise["scales"][3];
    assert_eq!(compromiso["alpha"], Value::Null);
    assert_eq!(compromiso["ci95"], Value::Null);

    let listwise = json(&[&base[..], &["--missing", "listwise"]].concat());
    assert_eq!(listwise["missing"], "listwise");
    check_alpha(
        &listwise,
        &[
            (
                "capital_social",
                44,
                0.8163434247871333,
                [0.6971190096782864, 0.8936496254477773],
                &[
                    Some(0.7150127226463106),
                    Some(0.6427688504326332),
                    Some(0.8210321324245373),
                ],
                &[0.6544445228354605, 0.7856992615558611, 0.5845449426422678],
            ),
            (
                "colaboracion",
                44,
                0.4585300067430884,
                [0.007658003082790743, 0.7045476715603516],
                &[None, None],
                &[0.44955300254575337, 0.4495530025457533],
            ),
            (
                "confianza",
                44,
                0.8210321324245373,
                [0.6720089140570629, 0.9023464386770538],
                &[None, None],
                &[0.6984005188723306, 0.6984005188723306],
            ),
        ],
        "listwise",
    );
    assert_eq!(listwise["scales"][0]["n_complete"], 30);

    // Below the anonymity threshold a scale has no figures.
    let hidden = json(&[&base[..], &["--min-group", "45"]].concat());
    for s in hidden["scales"].as_array().cloned().unwrap_or_default() {
        assert_eq!(
            (s["suppressed"].clone(), s["alpha"].clone()),
            (true.into(), Value::Null)
        );
    }
}

#[test]
fn findings_state_highest_and_lowest_agreement() {
    let (i, r) = (fixture("instrumento.csv"), fixture("respuestas.csv"));
    let base = [
        "report",
        "findings",
        "--instrument",
        &i,
        "--responses",
        &r,
        "--count",
        "3",
    ];
    let v = json(&[&base[..], &["--format", "json"]].concat());
    let list = v["findings"].as_array().cloned().unwrap_or_default();
    let summary: Vec<(String, String, u64)> = list
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or("").to_owned(),
                f["item"].as_str().unwrap_or("").to_owned(),
                f["in_ten"].as_u64().unwrap_or(99),
            )
        })
        .collect();
    // Agreement from the pandas reference above: col_2 100 %, conf_2
    // 42.9 %, comp_1 29.3 %, conf_1 23.8 %, col_1 21.1 %. conf_2 («Evito
    // compartir mis dificultades») is reverse-keyed: its favourable answer
    // is disagreement, 19.0 % (8 of 42, counted in Python from the file),
    // so it ranks lowest, not second.
    let expect = |k: &str, i: &str, n: u64| (k.to_owned(), i.to_owned(), n);
    assert_eq!(
        summary,
        vec![
            expect("highest_agreement", "col_2", 10),
            expect("highest_agreement", "comp_1", 3),
            expect("highest_agreement", "conf_1", 2),
            expect("lowest_agreement", "conf_2", 2),
            expect("lowest_agreement", "col_1", 2),
        ]
    );
    assert_eq!(
        list[1]["sentence"],
        "3 de cada 10 participantes aplican en su establecimiento el conocimiento generado en la red",
        "the instrument's finding::es template"
    );
    assert_eq!(
        list[0]["sentence"],
        "10 de cada 10 participantes están de acuerdo con «Las reuniones de la red están bien organizadas»"
    );
    assert_eq!(
        list[3]["sentence"],
        "2 de cada 10 participantes no están de acuerdo con «Evito compartir mis dificultades en la red»",
        "a reverse-keyed statement in the favourable direction"
    );
    close(
        &list[3]["favourable"],
        100.0 * 8.0 / 42.0,
        "conf_2 disagree",
    );
    close(&list[4]["agree"], 21.052631578947366, "col_1 agree");
    let en = json(&[&base[..], &["--lang", "en"]].concat());
    assert_eq!(
        en["findings"][1]["sentence"],
        "3 in 10 participants apply in their school the knowledge generated in the network"
    );
    assert_eq!(
        en["findings"][4]["sentence"],
        "2 in 10 participants agree with \"The agenda is built on the participants' priorities\""
    );
    let (code, csv_out, stderr) = trama(&[&base[..], &["--format", "csv"]].concat());
    assert_eq!(code, 0, "{stderr}");
    let first = csv_out.lines().nth(1).unwrap_or_default();
    assert!(first.starts_with("highest_agreement,1,col_2,"), "{csv_out}");

    // Too few people: nothing stated, and a note on standard error.
    let (code, stdout, stderr) = trama(&[&base[..], &["--min-group", "45"]].concat());
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&stdout).unwrap_or_default();
    assert_eq!(v["suppressed"], true);
    assert_eq!(v["findings"], Value::Array(vec![]));
    assert!(stderr.contains("menos de 45"), "{stderr}");
}

/// Writes `files` into a fresh directory and runs `report likert` with
/// `-o`, expecting exit 1, the given lines on standard error and no file.
fn bad_input(instrument: &str, responses: &str, lang: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, body: &str| -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap_or_else(|e| panic!("{e}"));
        p
    };
    let i = write("instrumento.csv", instrument);
    let r = write("respuestas.csv", responses);
    let out = dir.path().join("out.json");
    let mut lines = vec![];
    for cmd in [
        &["report", "likert"][..],
        &["stats", "reliability"][..],
        &["report", "findings"][..],
    ] {
        let args: Vec<&str> = cmd
            .iter()
            .copied()
            .chain([
                "--instrument",
                path(&i),
                "--responses",
                path(&r),
                "--lang",
                lang,
                "-o",
                path(&out),
            ])
            .collect();
        let (code, stdout, stderr) = trama(&args);
        assert_eq!(code, 1, "{cmd:?}: {stderr}");
        assert!(stdout.is_empty());
        assert!(!out.exists(), "{cmd:?} wrote {}", out.display());
        let here: Vec<String> = stderr.lines().map(str::to_owned).collect();
        if lines.is_empty() {
            lines = here;
        } else {
            assert_eq!(lines, here, "every command reports the same problems");
        }
    }
    assert!(
        std::fs::read_dir(dir.path())
            .map(|d| d.count())
            .unwrap_or(0)
            == 2,
        "no temporary file left"
    );
    lines
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

const INSTRUMENT: &str = "type,name,label::es,dimension,subdimension,reverse\nselect_one acuerdo5,q1,Uno,capital_social,confianza,0\nselect_one acuerdo5,q2,Dos,capital_social,confianza,1\ntext,abierta,Comente,,,\n";

#[test]
fn responses_columns_that_do_not_match_the_instrument() {
    // Unknown item column, missing id column, missing item column.
    let lines = bad_input(
        INSTRUMENT,
        "response_id,deprov,network,role,q1,q9\nr1,51,RME1,director,5,4\n",
        "es",
    );
    assert_eq!(
        lines,
        vec![
            "respuestas.csv:1: region: falta la columna",
            "respuestas.csv:1: q2: falta la columna",
            "respuestas.csv:1: q9: no es una columna del formato de respuestas ni un ítem del instrumento",
        ]
    );
    let lines = bad_input(
        INSTRUMENT,
        "response_id,deprov,network,role,q1,q9\nr1,51,RME1,director,5,4\n",
        "en",
    );
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].starts_with("respuestas.csv:1: region: "),
        "{lines:?}"
    );
    assert!(!lines[0].contains("falta"), "English: {lines:?}");
}

#[test]
fn values_outside_the_scale_repeated_ids_and_short_rows() {
    let lines = bad_input(
        INSTRUMENT,
        "response_id,region,deprov,network,role,q1,q2,abierta\n\
         r1,V,51,RME1,director,5,NA,\"libre, con coma\"\n\
         r2,V,51,RME1,director,6,4,\n\
         r3,V,51,RME1,director,x,0,\n\
         r2,V,51,RME1,director,4,4,\n\
         r4,V,51,RME1,director,4\n\
         r5,V,51,RME1,director, 3 ,na,\n",
        "es",
    );
    assert_eq!(
        lines,
        vec![
            "respuestas.csv:3: q1: \"6\" no es una respuesta válida (1 a 5, NA o vacío)",
            "respuestas.csv:4: q1: \"x\" no es una respuesta válida (1 a 5, NA o vacío)",
            "respuestas.csv:4: q2: \"0\" no es una respuesta válida (1 a 5, NA o vacío)",
            "respuestas.csv:5: response_id: \"r2\" repite lo ya indicado en la línea 3",
            "respuestas.csv:6: q2: la fila termina antes de esta columna: tiene 6 campos y el encabezado 8",
        ]
    );
}

#[test]
fn instruments_without_rating_items_or_unreadable() {
    let lines = bad_input(
        "type,name,label::es\ntext,abierta,Comente\n",
        "response_id,region,deprov,network,role,abierta\nr1,V,51,RME1,director,hola\n",
        "es",
    );
    assert_eq!(
        lines,
        vec![
            "instrumento.csv:1: type: el instrumento no tiene ítems de la escala de acuerdo (select_one acuerdo5): no hay nada que informar"
        ]
    );
    let lines = bad_input(
        "type,name,label::es\ntext,abierta,Comente\n",
        "response_id,region,deprov,network,role,abierta\nr1,V,51,RME1,director,hola\n",
        "en",
    );
    assert!(
        lines[0]
            .starts_with("instrumento.csv:1: type: the instrument has no agreement-scale items"),
        "{lines:?}"
    );
    // The instrument's own problems, as `trama instrument import` reports them.
    let lines = bad_input(
        "type,name,label::es\nselect_one acuerdo5,q1,Uno\nselect_one acuerdo5,q1,Otra vez\n",
        "response_id,region,deprov,network,role,q1\n",
        "es",
    );
    assert!(
        !lines.is_empty() && lines.iter().all(|l| l.starts_with("instrumento.csv:")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.contains(":3:")), "{lines:?}");
}

#[test]
fn usage_errors_are_exit_2_and_missing_files_exit_1() {
    let (i, r) = (fixture("instrumento.csv"), fixture("respuestas.csv"));
    let base = ["report", "likert", "--instrument", &i, "--responses", &r];
    for extra in [
        &["--by", "comuna"][..],
        &["--level", "dimensions"][..],
        &["--format", "xml"][..],
        &["--min-group", "0"][..],
        &["--no-such-flag"][..],
    ] {
        let (code, stdout, _) = trama(&[&base[..], extra].concat());
        assert_eq!(code, 2, "{extra:?}");
        assert!(stdout.is_empty());
    }
    let (code, _, _) = trama(&["stats", "reliability", "--instrument", &i]);
    assert_eq!(code, 2, "--responses is required");
    let (code, _, _) = trama(&[
        "stats",
        "reliability",
        "--instrument",
        &i,
        "--responses",
        &r,
        "--missing",
        "mean",
    ]);
    assert_eq!(code, 2);
    let (code, _, stderr) = trama(&[
        "report",
        "likert",
        "--instrument",
        &i,
        "--responses",
        "/no/such/respuestas.csv",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("/no/such/respuestas.csv"), "{stderr}");
}

#[test]
fn generated_responses_feed_the_reports() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = path(dir.path()).to_owned();
    let (code, stdout, stderr) = trama(&[
        "generate",
        "responses",
        "--rows",
        "300",
        "--items",
        "20",
        "--seed",
        "3",
        "-o",
        &d,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    let i = format!("{d}/instrumento.csv");
    let r = format!("{d}/respuestas.csv");
    let v = json(&[
        "report",
        "likert",
        "--instrument",
        &i,
        "--responses",
        &r,
        "--by",
        "region",
        "--level",
        "dimension",
    ]);
    assert_eq!(v["groups"][0]["n_respondents"], 300);
    assert_eq!(
        v["groups"][0]["rows"][0]["label"], "Capital social",
        "codes of the RME instrument keep its labels"
    );
    assert_eq!(
        v["groups"].as_array().map(Vec::len),
        Some(17),
        "nation + 16 regions"
    );
    let s = json(&[
        "stats",
        "reliability",
        "--instrument",
        &i,
        "--responses",
        &r,
    ]);
    assert_eq!(
        s["scales"].as_array().map(Vec::len),
        Some(12),
        "2 dimensions + 10"
    );
    // The registry form of `generate` is unchanged.
    let (code, _, stderr) = trama(&[
        "generate",
        "--schools",
        "30",
        "--networks",
        "3",
        "--people",
        "20",
        "-o",
        &d,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(dir.path().join("directorio.csv").exists());
}

#[test]
fn an_xlsform_workbook_gives_the_same_figures_as_its_survey_sheet() {
    // `instrumento.xlsx` holds the CSV's survey sheet plus `choices` (with
    // its own labels for the codes) and `settings`.
    let (x, c, r) = (
        fixture("instrumento.xlsx"),
        fixture("instrumento.csv"),
        fixture("respuestas.csv"),
    );
    let run = |i: &str| {
        json(&[
            "report",
            "likert",
            "--instrument",
            i,
            "--responses",
            &r,
            "--by",
            "region",
            "--lang",
            "en",
        ])
    };
    let (from_xlsx, from_csv) = (run(&x), run(&c));
    let strip_labels = |v: &Value| {
        let mut v = v.clone();
        if let Some(groups) = v["groups"].as_array_mut() {
            for g in groups {
                if let Some(rows) = g["rows"].as_array_mut() {
                    for row in rows {
                        row["label"] = Value::Null;
                    }
                }
            }
        }
        v
    };
    assert_eq!(strip_labels(&from_xlsx), strip_labels(&from_csv));
    let national = group(&from_xlsx, None);
    assert_eq!(
        row(national, "subdimension", "colaboracion")["label"],
        "Collaboration between schools",
        "labels from the workbook's subdimension list"
    );
    check_rows(national, &NATIONAL, "national (xlsx)");
}
