//! Distributions of agreement answers, as the seed's 100 % stacked bars.
//!
//! At each level all non-empty answers of the group's rating items are pooled
//! (not a mean of item percentages). Percentages are over those answers with
//! No aplica as its own category, so a row sums to 100 with NA included;
//! `exclude_na` rebases on 1–5. Reverse-keyed items are shown as answered at
//! item level and recoded 6 − x when pooled into a (sub-)dimension, so that
//! "agree" always means favourable.

use serde::Serialize;
use trama_i18n::Lang;

use crate::design::{Design, Level};
use crate::responses::{GroupBy, NA, ResponseTable};
use crate::rounding::largest_remainder;
use crate::suppress::suppressed;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub by: Option<GroupBy>,
    /// One level, or every level (dimension rows, then sub-dimension rows,
    /// then item rows) when `None`.
    pub level: Option<Level>,
    pub min_group: u64,
    pub exclude_na: bool,
    pub lang: Lang,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            by: None,
            level: None,
            min_group: 5,
            exclude_na: false,
            lang: Lang::Es,
        }
    }
}

/// Percent of answers per category, in the order bars are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pct {
    #[serde(rename = "NA", skip_serializing_if = "Option::is_none")]
    pub na: Option<f64>,
    #[serde(rename = "1")]
    pub p1: f64,
    #[serde(rename = "2")]
    pub p2: f64,
    #[serde(rename = "3")]
    pub p3: f64,
    #[serde(rename = "4")]
    pub p4: f64,
    #[serde(rename = "5")]
    pub p5: f64,
}

impl Pct {
    pub fn values(&self) -> Vec<f64> {
        let mut v = vec![];
        if let Some(na) = self.na {
            v.push(na);
        }
        v.extend([self.p1, self.p2, self.p3, self.p4, self.p5]);
        v
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub level: Level,
    pub code: String,
    pub label: String,
    /// The dimension of a sub-dimension or item row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    /// The sub-dimension of an item row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subdimension: Option<String>,
    /// Pooled non-empty answers (NA included unless excluded); `None` when suppressed.
    pub n_answers: Option<u64>,
    pub pct: Option<Pct>,
    /// The same percentages rounded to one decimal so that they sum to 100.
    pub pct_display: Option<Pct>,
    pub disagree: Option<f64>,
    pub agree: Option<f64>,
    pub suppressed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reverse: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub by: String,
    pub value: Option<String>,
    pub n_respondents: u64,
    pub suppressed: bool,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The levels the rows cover, in the order they appear in each group.
    pub levels: Vec<Level>,
    pub min_group: u64,
    pub exclude_na: bool,
    pub groups: Vec<Group>,
}

/// Answer counts per group and item: `[NA, 1, 2, 3, 4, 5]`.
type Counts = Vec<[u64; 6]>;

fn tally(table: &ResponseTable, by: Option<GroupBy>, n_groups: usize) -> (Vec<Counts>, Vec<u64>) {
    let k = table.k;
    let mut counts: Vec<Counts> = vec![vec![[0u64; 6]; k]; n_groups + 1];
    let mut sizes = vec![0u64; n_groups + 1];
    for r in 0..table.len() {
        let g = by.map(|b| table.group_of(r, b) as usize + 1);
        sizes[0] += 1;
        if let Some(g) = g {
            sizes[g] += 1;
        }
        for (j, &a) in table.row(r).iter().enumerate() {
            if a == 0 {
                continue;
            }
            let c = if a == NA { 0 } else { a as usize };
            counts[0][j][c] += 1;
            if let Some(g) = g {
                counts[g][j][c] += 1;
            }
        }
    }
    (counts, sizes)
}

fn pooled(design: &Design, counts: &Counts, members: &[usize], level: Level) -> [u64; 6] {
    let mut out = [0u64; 6];
    for &j in members {
        let c = &counts[j];
        let recode = level != Level::Item && design.items[j].reverse;
        out[0] += c[0];
        for (v, &count) in c.iter().enumerate().skip(1) {
            let target = if recode { 6 - v } else { v };
            out[target] += count;
        }
    }
    out
}

fn row(design: &Design, code: &str, level: Level, c: [u64; 6], opts: &Options, hide: bool) -> Row {
    let reverse =
        (level == Level::Item).then(|| design.items.iter().any(|i| i.name == code && i.reverse));
    let (dimension, subdimension) = design.parents(level, code);
    let (dimension, subdimension) = (
        dimension.map(str::to_owned),
        subdimension.map(str::to_owned),
    );
    let label = match level {
        Level::Item => design
            .items
            .iter()
            .find(|i| i.name == code)
            .map(|i| i.label(opts.lang).to_owned())
            .unwrap_or_else(|| code.to_owned()),
        _ => design.label(code, opts.lang),
    };
    if hide {
        return Row {
            level,
            code: code.to_owned(),
            label,
            dimension,
            subdimension,
            n_answers: None,
            pct: None,
            pct_display: None,
            disagree: None,
            agree: None,
            suppressed: true,
            reverse,
        };
    }
    let n: u64 = if opts.exclude_na {
        c[1..].iter().sum()
    } else {
        c.iter().sum()
    };
    let p = |x: u64| {
        if n == 0 {
            0.0
        } else {
            100.0 * x as f64 / n as f64
        }
    };
    let pct = Pct {
        na: (!opts.exclude_na).then(|| p(c[0])),
        p1: p(c[1]),
        p2: p(c[2]),
        p3: p(c[3]),
        p4: p(c[4]),
        p5: p(c[5]),
    };
    let rounded = largest_remainder(&pct.values(), 1);
    let off = usize::from(!opts.exclude_na);
    let display = Pct {
        na: (!opts.exclude_na).then(|| rounded[0]),
        p1: rounded[off],
        p2: rounded[off + 1],
        p3: rounded[off + 2],
        p4: rounded[off + 3],
        p5: rounded[off + 4],
    };
    Row {
        level,
        code: code.to_owned(),
        label,
        dimension,
        subdimension,
        n_answers: Some(n),
        disagree: Some(pct.p1 + pct.p2),
        agree: Some(pct.p4 + pct.p5),
        pct: Some(pct),
        pct_display: Some(display),
        suppressed: false,
        reverse,
    }
}

/// Orders group values numerically when they are numbers, else by text.
fn group_order(table: &ResponseTable, by: GroupBy) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..table.group_count(by) as u32).collect();
    ids.sort_by(|&a, &b| {
        let (x, y) = (table.group_name(by, a), table.group_name(by, b));
        match (x.parse::<f64>(), y.parse::<f64>()) {
            (Ok(p), Ok(q)) => p.total_cmp(&q),
            _ => natural_key(x).cmp(&natural_key(y)),
        }
    });
    ids
}

/// "RME2" before "RME10".
fn natural_key(s: &str) -> (String, u64, String) {
    let prefix: String = s.chars().take_while(|c| !c.is_ascii_digit()).collect();
    let digits: String = s[prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let rest = s[prefix.len() + digits.len()..].to_owned();
    (prefix, digits.parse().unwrap_or(0), rest)
}

/// Answer counts per item, `[NA, 1, 2, 3, 4, 5]`, of some respondents: what
/// every figure of a group is made of, and what adds up across groups.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub respondents: u64,
    pub items: Vec<[u64; 6]>,
}

impl Tally {
    /// Counts respondent `r` of `table`.
    pub fn add_row(&mut self, table: &ResponseTable, r: usize) {
        self.items.resize(table.k, [0; 6]);
        self.respondents += 1;
        for (j, &a) in table.row(r).iter().enumerate() {
            if a != 0 {
                self.items[j][if a == NA { 0 } else { a as usize }] += 1;
            }
        }
    }

    /// Adds another group's counts (a disjoint one).
    pub fn add(&mut self, other: &Tally) {
        if self.items.len() < other.items.len() {
            self.items.resize(other.items.len(), [0; 6]);
        }
        self.respondents += other.respondents;
        for (mine, theirs) in self.items.iter_mut().zip(&other.items) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
    }
}

/// One group from its counts, at the levels of `opts`, with no figures
/// when `hide` (a decision taken elsewhere, over every table the group is
/// part of).
pub fn group(
    design: &Design,
    tally: &Tally,
    by: &str,
    value: Option<String>,
    hide: bool,
    opts: &Options,
) -> Group {
    let levels = match opts.level {
        Some(l) => vec![l],
        None => vec![Level::Dimension, Level::Subdimension, Level::Item],
    };
    let mut counts = tally.items.clone();
    counts.resize(design.items.len(), [0; 6]);
    Group {
        by: by.to_owned(),
        value,
        n_respondents: if hide { 0 } else { tally.respondents },
        suppressed: hide,
        rows: levels
            .iter()
            .flat_map(|&l| design.scales_at(l).into_iter().map(move |s| (l, s)))
            .map(|(level, (code, members))| {
                let c = pooled(design, &counts, &members, level);
                row(design, &code, level, c, opts, hide)
            })
            .collect(),
    }
}

pub fn report(design: &Design, table: &ResponseTable, opts: &Options) -> Report {
    let n_groups = opts.by.map(|b| table.group_count(b)).unwrap_or(0);
    let (counts, sizes) = tally(table, opts.by, n_groups);
    let levels = match opts.level {
        Some(l) => vec![l],
        None => vec![Level::Dimension, Level::Subdimension, Level::Item],
    };
    let scales: Vec<(Level, String, Vec<usize>)> = levels
        .iter()
        .flat_map(|&l| {
            design
                .scales_at(l)
                .into_iter()
                .map(move |(code, members)| (l, code, members))
        })
        .collect();
    let make_group = |by: String, value: Option<String>, g: usize, hide: bool| Group {
        by,
        value,
        n_respondents: sizes[g],
        suppressed: hide,
        rows: scales
            .iter()
            .map(|(level, code, members)| {
                row(
                    design,
                    code,
                    *level,
                    pooled(design, &counts[g], members, *level),
                    opts,
                    hide,
                )
            })
            .collect(),
    };
    let national_hidden = sizes[0] < opts.min_group;
    let mut groups = vec![make_group("national".into(), None, 0, national_hidden)];
    if let Some(by) = opts.by {
        let order = group_order(table, by);
        let group_sizes: Vec<u64> = order.iter().map(|&id| sizes[id as usize + 1]).collect();
        let hidden = suppressed(&group_sizes, opts.min_group);
        let by_name = serde_json::to_value(by)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        for (pos, &id) in order.iter().enumerate() {
            groups.push(make_group(
                by_name.clone(),
                Some(table.group_name(by, id).to_owned()),
                id as usize + 1,
                hidden[pos] || national_hidden,
            ));
        }
    }
    Report {
        levels,
        min_group: opts.min_group,
        exclude_na: opts.exclude_na,
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::RatingItem;

    fn item(name: &str, sub: &str, reverse: bool) -> RatingItem {
        RatingItem {
            name: name.into(),
            dimension: "capital_social".into(),
            subdimension: sub.into(),
            reverse,
            label_es: format!("Ítem {name}"),
            label_en: format!("Item {name}"),
            finding_es: None,
            finding_en: None,
        }
    }

    fn design() -> Design {
        Design {
            items: vec![
                item("q1", "confianza", false),
                item("q2", "confianza", true),
            ],
            scales: vec![],
        }
    }

    fn table(rows: &[(&str, [u8; 2])]) -> ResponseTable {
        let mut t = ResponseTable::default();
        for (region, a) in rows {
            t.push([region, "d", "n", "director"], a);
        }
        t
    }

    #[test]
    fn pools_answers_and_recodes_reverse_items_above_item_level() {
        // q1: 5, 4, NA ; q2 (reverse): 1, 2, empty.
        let t = table(&[("V", [5, 1]), ("V", [4, 2]), ("V", [NA, 0])]);
        let opts = Options {
            min_group: 1,
            level: Some(Level::Dimension),
            ..Default::default()
        };
        let r = report(&design(), &t, &opts);
        let d = &r.groups[0].rows[0];
        assert_eq!(d.n_answers, Some(5));
        let p = d.pct.unwrap_or_else(|| panic!("pct"));
        // After recoding q2: 5, 4, NA, 5, 4 → NA 20 %, 4: 40 %, 5: 40 %.
        assert_eq!((p.na, p.p4, p.p5), (Some(20.0), 40.0, 40.0));
        assert_eq!(d.agree, Some(80.0));
        assert_eq!(d.disagree, Some(0.0));
        let items = report(
            &design(),
            &t,
            &Options {
                level: Some(Level::Item),
                ..opts
            },
        );
        let q2 = &items.groups[0].rows[1];
        assert_eq!(q2.reverse, Some(true));
        assert_eq!(q2.disagree, Some(100.0), "item level shows q2 as answered");
    }

    #[test]
    fn a_group_from_summed_tallies_is_the_report_of_its_rows() {
        let t = table(&[
            ("V", [5, 1]),
            ("V", [4, 2]),
            ("RM", [NA, 0]),
            ("RM", [2, 5]),
        ]);
        let opts = Options {
            min_group: 1,
            ..Default::default()
        };
        let whole = report(&design(), &t, &opts);
        let (mut v, mut rm) = (Tally::default(), Tally::default());
        for r in 0..t.len() {
            if r < 2 {
                v.add_row(&t, r)
            } else {
                rm.add_row(&t, r)
            }
        }
        let mut all = v.clone();
        all.add(&rm);
        let g = group(&design(), &all, "national", None, false, &opts);
        assert_eq!(g, whole.groups[0]);
        let hidden = group(&design(), &v, "region", Some("V".into()), true, &opts);
        assert!(hidden.suppressed && hidden.n_respondents == 0);
        assert!(hidden.rows.iter().all(|r| r.pct.is_none()));
    }

    #[test]
    fn exclude_na_rebases_on_the_scale() {
        let t = table(&[("V", [5, 0]), ("V", [NA, 0]), ("V", [1, 0]), ("V", [NA, 0])]);
        let opts = Options {
            min_group: 1,
            exclude_na: true,
            level: Some(Level::Item),
            ..Default::default()
        };
        let r = report(&design(), &t, &opts);
        let q1 = &r.groups[0].rows[0];
        assert_eq!(q1.n_answers, Some(2));
        let p = q1.pct.unwrap_or_else(|| panic!("pct"));
        assert_eq!((p.na, p.p1, p.p5), (None, 50.0, 50.0));
        let json = serde_json::to_string(&q1.pct).unwrap_or_default();
        assert!(!json.contains("NA"), "{json}");
    }

    #[test]
    fn groups_below_threshold_show_no_figures_and_protect_each_other() {
        let mut rows = vec![];
        for _ in 0..6 {
            rows.push(("V", [4u8, 2u8]));
        }
        for _ in 0..3 {
            rows.push(("RM", [1, 5]));
        }
        for _ in 0..7 {
            rows.push(("VIII", [3, 3]));
        }
        let t = table(&rows);
        let opts = Options {
            by: Some(GroupBy::Region),
            min_group: 5,
            ..Default::default()
        };
        let r = report(&design(), &t, &opts);
        let by_value: Vec<_> = r
            .groups
            .iter()
            .map(|g| (g.value.clone(), g.suppressed))
            .collect();
        assert_eq!(
            by_value,
            vec![
                (None, false),
                (Some("RM".into()), true),
                (Some("V".into()), true),
                (Some("VIII".into()), false)
            ],
            "RM alone would be recoverable from the total, so V (next smallest) goes too"
        );
        let rm = &r.groups[1].rows[0];
        assert!(rm.pct.is_none() && rm.agree.is_none() && rm.n_answers.is_none());
        let json = serde_json::to_value(&r).unwrap_or_default();
        assert_eq!(json["groups"][1]["rows"][0]["pct"], serde_json::Value::Null);
    }

    #[test]
    fn empty_levels_and_all_favourable_items_draw_correctly() {
        let t = table(&[("V", [5, 1]); 5]);
        let r = report(
            &design(),
            &t,
            &Options {
                level: Some(Level::Item),
                ..Default::default()
            },
        );
        let q1 = &r.groups[0].rows[0];
        let p = q1.pct_display.unwrap_or_else(|| panic!("pct"));
        assert_eq!(p.values(), vec![0.0, 0.0, 0.0, 0.0, 0.0, 100.0]);
        assert_eq!(q1.agree, Some(100.0));
        // A group at exactly the threshold is shown.
        assert!(!r.groups[0].suppressed);
    }

    #[test]
    fn json_keeps_the_contract_names_and_order() {
        let t = table(&[("V", [5, 1]); 5]);
        let r = report(&design(), &t, &Options::default());
        let s = serde_json::to_string(&r.groups[0].rows[0]).unwrap_or_default();
        let na = s.find("\"NA\"").unwrap_or(usize::MAX);
        let one = s.find("\"1\"").unwrap_or(0);
        assert!(na < one, "NA comes first in pct: {s}");
        for key in [
            "\"level\":\"dimension\"",
            "\"code\":\"capital_social\"",
            "\"n_answers\":10",
            "\"disagree\"",
            "\"agree\"",
            "\"suppressed\":false",
        ] {
            assert!(s.contains(key), "{key} in {s}");
        }
    }
}
