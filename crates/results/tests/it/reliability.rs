//! Cronbach's alpha checked against pingouin 0.5 (`pingouin.cronbach_alpha`,
//! run outside the project on the CSV files in `tests/data/`). Interval
//! bounds are scipy's `f.isf` before pingouin rounds them to three decimals;
//! alpha-if-deleted is pingouin on the remaining items; item-rest r is
//! pandas' Pearson correlation on complete rows. q3 is reverse-keyed.

use std::collections::HashSet;

use trama_results::design::{Design, Level, RatingItem, Scale};
use trama_results::reliability::{Missing, report};
use trama_results::responses::ResponseTable;

fn design() -> Design {
    let item = |n: &str, sub: &str| RatingItem {
        name: n.into(),
        dimension: "d1".into(),
        subdimension: sub.into(),
        reverse: n == "q3",
        label_es: n.into(),
        label_en: n.into(),
        finding_es: None,
        finding_en: None,
    };
    Design {
        items: vec![
            item("q1", "s1"),
            item("q2", "s1"),
            item("q3", "s1"),
            item("q4", "s2"),
            item("q5", "s2"),
            item("q6", "s2"),
        ],
        scales: vec![Scale {
            code: "d1".into(),
            label_es: "D1".into(),
            label_en: "D1".into(),
        }],
    }
}

fn load(name: &str) -> ResponseTable {
    let path = format!("{}/tests/data/{name}.csv", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    ResponseTable::read(name, bytes.as_slice(), &design(), &HashSet::new())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

struct Reference {
    missing: Missing,
    code: &'static str,
    n: usize,
    alpha: f64,
    ci: [f64; 2],
    alpha_if_deleted: &'static [f64],
    item_rest_r: &'static [f64],
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() < tol, "{what}: {a} vs reference {b}");
}

fn check(name: &str, refs: &[Reference]) {
    let table = load(name);
    for missing in [Missing::Pairwise, Missing::Listwise] {
        let r = report(&design(), &table, missing, 5, trama_i18n::Lang::Es);
        assert_eq!(r.scales.len(), 3, "d1, s1, s2");
        assert_eq!(r.scales[0].level, Level::Dimension);
        for reference in refs.iter().filter(|x| x.missing == missing) {
            let s = r
                .scales
                .iter()
                .find(|s| s.code == reference.code)
                .unwrap_or_else(|| panic!("{}", reference.code));
            let what = format!("{name} {missing:?} {}", reference.code);
            assert_eq!(s.n, reference.n, "{what} n");
            close(
                s.alpha.unwrap_or(f64::NAN),
                reference.alpha,
                1e-12,
                &format!("{what} alpha"),
            );
            let ci = s.ci95.unwrap_or([f64::NAN; 2]);
            close(ci[0], reference.ci[0], 1e-9, &format!("{what} ci lower"));
            close(ci[1], reference.ci[1], 1e-9, &format!("{what} ci upper"));
            for (i, item) in s.items.iter().enumerate() {
                close(
                    item.alpha_if_deleted.unwrap_or(f64::NAN),
                    reference.alpha_if_deleted[i],
                    1e-12,
                    &format!("{what} {} alpha if deleted", item.name),
                );
                close(
                    item.item_rest_r.unwrap_or(f64::NAN),
                    reference.item_rest_r[i],
                    1e-12,
                    &format!("{what} {} item-rest r", item.name),
                );
            }
        }
    }
}

#[test]
fn small_sample_with_missing_answers_matches_pingouin() {
    check(
        "reliability_small",
        &[
            Reference {
                missing: Missing::Pairwise,
                code: "d1",
                n: 40,
                alpha: 0.8085485139180051,
                ci: [0.6993369035635966, 0.8875839429460772],
                alpha_if_deleted: &[
                    0.7442099905011013,
                    0.7857135234328277,
                    0.7685008623437031,
                    0.8008131242318589,
                    0.7618374477268407,
                    0.8008971212572704,
                ],
                item_rest_r: &[
                    0.6102626728794117,
                    0.521741436668144,
                    0.5741315287165882,
                    0.5236341894387417,
                    0.5862621147194556,
                    0.5865912330388796,
                ],
            },
            Reference {
                missing: Missing::Pairwise,
                code: "s1",
                n: 40,
                alpha: 0.7181771914489332,
                ci: [0.523753806262031, 0.8414999853000905],
                alpha_if_deleted: &[0.5713046686155614, 0.6956167881540865, 0.6086038963404947],
                item_rest_r: &[0.5597863811639848, 0.48187410240502987, 0.5490586353651075],
            },
            Reference {
                missing: Missing::Pairwise,
                code: "s2",
                n: 40,
                alpha: 0.5553525633939551,
                ci: [0.24860003231213923, 0.7499257579587826],
                alpha_if_deleted: &[0.5930648826510669, 0.3540111729212436, 0.3710838418821196],
                item_rest_r: &[0.2456514366503937, 0.39454209963869885, 0.4129650232565634],
            },
            // Listwise: pingouin keeps n = rows before deletion for the interval.
            Reference {
                missing: Missing::Listwise,
                code: "s2",
                n: 40,
                alpha: 0.5344497607655503,
                ci: [0.2132768438114826, 0.7381698091024602],
                alpha_if_deleted: &[0.5779904306220096, 0.3394100099436528, 0.3573097896650219],
                item_rest_r: &[0.2456514366503937, 0.39454209963869885, 0.4129650232565634],
            },
            Reference {
                missing: Missing::Listwise,
                code: "d1",
                n: 40,
                alpha: 0.8009294843149523,
                ci: [0.6873716737334483, 0.8831102181185484],
                alpha_if_deleted: &[
                    0.7566441069659955,
                    0.7887857447716604,
                    0.7461916461916462,
                    0.7795756536648093,
                    0.754739336492891,
                    0.8025767497236159,
                ],
                item_rest_r: &[
                    0.6102626728794117,
                    0.521741436668144,
                    0.5741315287165882,
                    0.5236341894387417,
                    0.5862621147194556,
                    0.5865912330388796,
                ],
            },
        ],
    );
}

#[test]
fn larger_sample_matches_pingouin() {
    check(
        "reliability_large",
        &[
            Reference {
                missing: Missing::Pairwise,
                code: "d1",
                n: 300,
                alpha: 0.8801362531019569,
                ci: [0.8578334921246613, 0.8999897578837917],
                alpha_if_deleted: &[
                    0.8593432880581786,
                    0.8607132745573297,
                    0.8623775657172289,
                    0.8629852922426797,
                    0.8531316245262738,
                    0.8585743236147423,
                ],
                item_rest_r: &[
                    0.6725001990177386,
                    0.6897703066749831,
                    0.6873544804026641,
                    0.6815993097867411,
                    0.703142976980722,
                    0.7134310258207268,
                ],
            },
            Reference {
                missing: Missing::Pairwise,
                code: "s2",
                n: 300,
                alpha: 0.7823718371642479,
                ci: [0.7359465956832283, 0.8218018201643951],
                alpha_if_deleted: &[0.7446169457423886, 0.6425477497305803, 0.7263997467549266],
                item_rest_r: &[0.6017607281386733, 0.6574655151211917, 0.6036613944345685],
            },
            Reference {
                missing: Missing::Listwise,
                code: "s2",
                n: 300,
                alpha: 0.7827107400205882,
                ci: [0.7363577945454678, 0.8220793204260983],
                alpha_if_deleted: &[0.7448327696354748, 0.6522096082541937, 0.7295874229688886],
                item_rest_r: &[0.6017607281386733, 0.6574655151211917, 0.6036613944345685],
            },
        ],
    );
}
