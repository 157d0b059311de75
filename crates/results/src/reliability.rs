//! Internal consistency of each dimension and sub-dimension: Cronbach's alpha
//! computed from the item covariance matrix, exactly as pingouin's
//! `cronbach_alpha` does, with Feldt's confidence interval.
//!
//! `NA` (No aplica) and empty answers are missing; reverse-keyed items are
//! recoded 6 − x first. Pairwise (default) uses, for each pair of items, the
//! respondents who answered both; listwise drops respondents missing any item
//! of the scale. Respondents who answered no item of a scale are not rows of
//! that scale (they would change only the degrees of freedom).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, FisherSnedecor};
use trama_i18n::Lang;

use crate::design::{Design, Level};
use crate::responses::{NA, ResponseTable};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    Pairwise,
    Listwise,
}

impl Missing {
    pub fn parse(s: &str) -> Option<Missing> {
        match s {
            "pairwise" => Some(Missing::Pairwise),
            "listwise" => Some(Missing::Listwise),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    pub name: String,
    /// Alpha of the scale without this item (same missing-data policy).
    pub alpha_if_deleted: Option<f64>,
    /// Pearson correlation of the item with the sum of the other items, over
    /// respondents who answered every item of the scale.
    pub item_rest_r: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleStats {
    pub level: Level,
    pub code: String,
    pub label: String,
    pub k: usize,
    /// Respondents who answered at least one item of the scale (pingouin's n,
    /// which also sets the degrees of freedom of the interval).
    pub n: usize,
    /// Respondents who answered every item of the scale.
    pub n_complete: usize,
    pub alpha: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    /// Fewer than the anonymity threshold answered: no figures.
    pub suppressed: bool,
    pub items: Vec<ItemStats>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub missing: Missing,
    pub min_group: u64,
    pub scales: Vec<ScaleStats>,
}

/// A scale's data: one row per respondent, `None` for missing. The direct
/// form of the computation, for small data sets and for checking the
/// one-pass sums the reports use.
pub type Matrix = Vec<Vec<Option<f64>>>;

/// Sample covariance (ddof 1) of columns `a` and `b` over rows where both are present.
fn pair_cov(data: &Matrix, a: usize, b: usize) -> Option<f64> {
    let (mut n, mut sa, mut sb) = (0usize, 0.0, 0.0);
    for row in data {
        if let (Some(x), Some(y)) = (row[a], row[b]) {
            n += 1;
            sa += x;
            sb += y;
        }
    }
    if n < 2 {
        return None;
    }
    let (ma, mb) = (sa / n as f64, sb / n as f64);
    let mut s = 0.0;
    for row in data {
        if let (Some(x), Some(y)) = (row[a], row[b]) {
            s += (x - ma) * (y - mb);
        }
    }
    Some(s / (n - 1) as f64)
}

/// Alpha for the given columns of `data`, and n: the rows with any of those
/// columns answered. As in pingouin, n counts rows before listwise deletion.
pub fn cronbach_alpha(data: &Matrix, cols: &[usize], missing: Missing) -> (Option<f64>, usize) {
    let k = cols.len();
    let n = data
        .iter()
        .filter(|row| cols.iter().any(|&c| row[c].is_some()))
        .count();
    let rows: Matrix = data
        .iter()
        .filter(|row| match missing {
            Missing::Listwise => cols.iter().all(|&c| row[c].is_some()),
            Missing::Pairwise => cols.iter().any(|&c| row[c].is_some()),
        })
        .map(|row| cols.iter().map(|&c| row[c]).collect())
        .collect();
    if k < 2 {
        return (None, n);
    }
    let (mut trace, mut total) = (0.0, 0.0);
    for a in 0..k {
        for b in 0..k {
            let Some(c) = pair_cov(&rows, a, b) else {
                return (None, n);
            };
            if a == b {
                trace += c;
            }
            total += c;
        }
    }
    if total == 0.0 {
        return (None, n);
    }
    let kf = k as f64;
    (Some(kf / (kf - 1.0) * (1.0 - trace / total)), n)
}

/// Feldt's interval: with df1 = n − 1 and df2 = df1 (k − 1),
/// 1 − (1 − α) F⁻¹(1 − q/2) and 1 − (1 − α) F⁻¹(q/2).
pub fn feldt_ci(alpha: f64, n: usize, k: usize, level: f64) -> Option<[f64; 2]> {
    if n < 2 || k < 2 {
        return None;
    }
    let df1 = (n - 1) as f64;
    let df2 = df1 * (k - 1) as f64;
    let f = FisherSnedecor::new(df1, df2).ok()?;
    let q = 1.0 - level;
    let upper_quantile = f.inverse_cdf(1.0 - q / 2.0);
    let lower_quantile = f.inverse_cdf(q / 2.0);
    Some([
        1.0 - (1.0 - alpha) * upper_quantile,
        1.0 - (1.0 - alpha) * lower_quantile,
    ])
}

/// What one pass over a scale's respondents leaves, enough for every figure
/// of the scale: answers are whole numbers 1–5, so sums of values and of
/// products are kept exactly as integers and each covariance is one
/// division of an exact numerator, with no second pass and no copy of the
/// data (a million respondents cost the same memory as ten).
struct Sums {
    k: usize,
    /// Respondents who answered at least one item (pingouin's n).
    n_any: usize,
    /// Pairwise: for items a ≤ b, counts of each (x_a, x_b) over
    /// respondents who answered both, cell (x_a − 1) · 5 + (x_b − 1).
    pairs: Vec<[u64; 25]>,
    /// Respondents who answered every item.
    complete: Moments,
    /// `missing_one[c]`: respondents who answered every item but `c`, the
    /// rest of the rows that listwise deletion keeps once `c` is left out.
    missing_one: Vec<Moments>,
}

/// Sums over a set of complete rows: count, Σ x_a and Σ x_a x_b (a ≤ b).
/// Answers are at most 5, so i64 cannot overflow below 10¹⁷ respondents.
#[derive(Clone)]
struct Moments {
    n: i64,
    sum: Vec<i64>,
    prod: Vec<i64>,
}

impl Moments {
    fn new(k: usize) -> Moments {
        Moments {
            n: 0,
            sum: vec![0; k],
            prod: vec![0; k * k],
        }
    }

    /// Adds a row; `None` marks the one item this block leaves out.
    fn add(&mut self, k: usize, row: &[Option<u8>]) {
        self.n += 1;
        for (a, x) in row.iter().enumerate() {
            let Some(x) = *x else { continue };
            self.sum[a] += i64::from(x);
            for (b, y) in row.iter().enumerate().skip(a) {
                if let Some(y) = *y {
                    self.prod[a * k + b] += i64::from(x) * i64::from(y);
                }
            }
        }
    }

    /// The row count and the exact integer n Σxy − Σx Σy, which is
    /// n (n − 1) times the sample covariance, of items a and b over the
    /// rows of `blocks` together (widened: the product needs 128 bits).
    fn numerator(blocks: &[&Moments], k: usize, a: usize, b: usize) -> (i128, i128) {
        let (lo, hi) = (a.min(b), a.max(b));
        let (mut n, mut sa, mut sb, mut sab) = (0i128, 0i128, 0i128, 0i128);
        for m in blocks {
            n += i128::from(m.n);
            sa += i128::from(m.sum[lo]);
            sb += i128::from(m.sum[hi]);
            sab += i128::from(m.prod[lo * k + hi]);
        }
        (n, n * sab - sa * sb)
    }
}

impl Sums {
    fn collect(
        design: &Design,
        table: &ResponseTable,
        members: &[usize],
        missing: Missing,
    ) -> Sums {
        let k = members.len();
        let mut s = Sums {
            k,
            n_any: 0,
            pairs: if missing == Missing::Pairwise {
                vec![[0; 25]; k * k]
            } else {
                vec![]
            },
            complete: Moments::new(k),
            missing_one: if missing == Missing::Listwise {
                vec![Moments::new(k); k]
            } else {
                vec![]
            },
        };
        let mut row: Vec<Option<u8>> = vec![None; k];
        for r in 0..table.len() {
            let answers = table.row(r);
            let mut present = 0usize;
            let mut absent = 0usize;
            for (slot, &j) in row.iter_mut().zip(members) {
                *slot = match answers[j] {
                    0 | NA => None,
                    v if design.items[j].reverse => Some(6 - v),
                    v => Some(v),
                };
            }
            for (c, v) in row.iter().enumerate() {
                if v.is_some() {
                    present += 1;
                } else {
                    absent = c;
                }
            }
            if present == 0 {
                continue;
            }
            s.n_any += 1;
            if missing == Missing::Pairwise {
                for (a, x) in row.iter().enumerate() {
                    let Some(x) = *x else { continue };
                    let base = usize::from(x - 1) * 5;
                    for (b, y) in row.iter().enumerate().skip(a) {
                        if let Some(y) = *y {
                            s.pairs[a * k + b][base + usize::from(y - 1)] += 1;
                        }
                    }
                }
            }
            if present == k {
                s.complete.add(k, &row);
            } else if present == k - 1 && missing == Missing::Listwise {
                s.missing_one[absent].add(k, &row);
            }
        }
        s
    }

    /// Sample covariance (ddof 1) of items a and b under `missing`, for the
    /// scale without item `left_out` when given (listwise keeps then the
    /// rows missing only that item), `None` below two rows.
    fn cov(&self, a: usize, b: usize, missing: Missing, left_out: Option<usize>) -> Option<f64> {
        let (n, num) = match missing {
            Missing::Pairwise => {
                let (lo, hi) = (a.min(b), a.max(b));
                let cells = &self.pairs[lo * self.k + hi];
                let (mut n, mut sa, mut sb, mut sab) = (0i128, 0i128, 0i128, 0i128);
                for (cell, &count) in cells.iter().enumerate() {
                    let c = i128::from(count);
                    let (x, y) = ((cell / 5 + 1) as i128, (cell % 5 + 1) as i128);
                    n += c;
                    sa += c * x;
                    sb += c * y;
                    sab += c * x * y;
                }
                (n, n * sab - sa * sb)
            }
            Missing::Listwise => match left_out {
                Some(c) => {
                    Moments::numerator(&[&self.complete, &self.missing_one[c]], self.k, a, b)
                }
                None => Moments::numerator(&[&self.complete], self.k, a, b),
            },
        };
        (n >= 2).then(|| num as f64 / (n * (n - 1)) as f64)
    }

    /// Alpha of the scale, or of the scale without item `left_out`.
    fn alpha(&self, missing: Missing, left_out: Option<usize>) -> Option<f64> {
        let cols: Vec<usize> = (0..self.k).filter(|&c| Some(c) != left_out).collect();
        let k = cols.len();
        if k < 2 {
            return None;
        }
        let (mut trace, mut total) = (0.0, 0.0);
        for &a in &cols {
            for &b in &cols {
                let c = self.cov(a, b, missing, left_out)?;
                if a == b {
                    trace += c;
                }
                total += c;
            }
        }
        if total == 0.0 {
            return None;
        }
        let kf = k as f64;
        Some(kf / (kf - 1.0) * (1.0 - trace / total))
    }

    /// Pearson r of item j with the sum of the other items, over complete
    /// rows: from the exact numerators, where the common factors cancel.
    fn item_rest(&self, j: usize) -> Option<f64> {
        if self.complete.n < 2 {
            return None;
        }
        let num = |a: usize, b: usize| Moments::numerator(&[&self.complete], self.k, a, b).1;
        let others: Vec<usize> = (0..self.k).filter(|&c| c != j).collect();
        let cross: i128 = others.iter().map(|&l| num(j, l)).sum();
        let var_item = num(j, j);
        let var_rest: i128 = others
            .iter()
            .flat_map(|&l| others.iter().map(move |&m| (l, m)))
            .map(|(l, m)| num(l, m))
            .sum();
        (var_item > 0 && var_rest > 0)
            .then(|| cross as f64 / ((var_item as f64) * (var_rest as f64)).sqrt())
    }
}

/// The figures of one scale. Below `min_group` respondents the scale is
/// suppressed: its size is shown, none of its figures.
#[allow(clippy::too_many_arguments)]
pub fn scale_stats(
    design: &Design,
    table: &ResponseTable,
    level: Level,
    code: &str,
    members: &[usize],
    missing: Missing,
    min_group: u64,
    lang: Lang,
) -> ScaleStats {
    let sums = Sums::collect(design, table, members, missing);
    let k = members.len();
    let n = sums.n_any;
    let suppressed = (n as u64) < min_group;
    let alpha = (!suppressed).then(|| sums.alpha(missing, None)).flatten();
    let items = members
        .iter()
        .enumerate()
        .map(|(pos, &j)| ItemStats {
            name: design.items[j].name.clone(),
            alpha_if_deleted: (!suppressed)
                .then(|| sums.alpha(missing, Some(pos)))
                .flatten(),
            item_rest_r: (!suppressed).then(|| sums.item_rest(pos)).flatten(),
        })
        .collect();
    ScaleStats {
        level,
        code: code.to_owned(),
        label: design.label(code, lang),
        k,
        n,
        n_complete: sums.complete.n as usize,
        ci95: alpha.and_then(|a| feldt_ci(a, n, k, 0.95)),
        alpha,
        suppressed,
        items,
    }
}

/// Every dimension, then every sub-dimension.
pub fn report(
    design: &Design,
    table: &ResponseTable,
    missing: Missing,
    min_group: u64,
    lang: Lang,
) -> Report {
    let mut scales = vec![];
    for level in [Level::Dimension, Level::Subdimension] {
        for (code, members) in design.scales_at(level) {
            scales.push(scale_stats(
                design, table, level, &code, &members, missing, min_group, lang,
            ));
        }
    }
    Report {
        missing,
        min_group,
        scales,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth;

    fn matrix(design: &Design, table: &ResponseTable, members: &[usize]) -> Matrix {
        (0..table.len())
            .filter_map(|r| {
                let row = table.row(r);
                let values: Vec<Option<f64>> = members
                    .iter()
                    .map(|&j| match row[j] {
                        0 | NA => None,
                        v if design.items[j].reverse => Some(f64::from(6 - v)),
                        v => Some(f64::from(v)),
                    })
                    .collect();
                values.iter().any(Option::is_some).then_some(values)
            })
            .collect()
    }

    /// The one-pass integer sums give pingouin's figures as the direct
    /// two-pass computation on the data matrix does, for every missing
    /// policy and every item left out.
    #[test]
    fn one_pass_sums_equal_the_direct_computation() {
        let design = synth::design(12);
        let mut csv = vec![];
        synth::write_responses(&design, 400, 11, &mut csv).unwrap_or_else(|e| panic!("{e}"));
        let table = ResponseTable::read("s.csv", csv.as_slice(), &design, &Default::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        for level in [Level::Dimension, Level::Subdimension] {
            for (code, members) in design.scales_at(level) {
                let data = matrix(&design, &table, &members);
                let all: Vec<usize> = (0..members.len()).collect();
                for missing in [Missing::Pairwise, Missing::Listwise] {
                    let s = scale_stats(
                        &design,
                        &table,
                        level,
                        &code,
                        &members,
                        missing,
                        5,
                        Lang::Es,
                    );
                    let (alpha, n) = cronbach_alpha(&data, &all, missing);
                    assert_eq!(s.n, n, "{code}");
                    let close = |a: Option<f64>, b: Option<f64>, what: &str| match (a, b) {
                        (Some(a), Some(b)) => {
                            assert!((a - b).abs() < 1e-12, "{code} {what}: {a} vs {b}")
                        }
                        (a, b) => assert_eq!(a, b, "{code} {what}"),
                    };
                    close(s.alpha, alpha, "alpha");
                    for (pos, item) in s.items.iter().enumerate() {
                        let rest: Vec<usize> = all.iter().copied().filter(|&c| c != pos).collect();
                        close(
                            item.alpha_if_deleted,
                            cronbach_alpha(&data, &rest, missing).0,
                            &item.name,
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn small_scales_are_suppressed() {
        let design = synth::design(4);
        let mut csv = vec![];
        synth::write_responses(&design, 4, 1, &mut csv).unwrap_or_else(|e| panic!("{e}"));
        let table = ResponseTable::read("s.csv", csv.as_slice(), &design, &Default::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let r = report(&design, &table, Missing::Pairwise, 5, Lang::Es);
        for s in &r.scales {
            assert!(
                s.suppressed && s.alpha.is_none() && s.ci95.is_none(),
                "{}",
                s.code
            );
            assert!(
                s.items
                    .iter()
                    .all(|i| i.alpha_if_deleted.is_none() && i.item_rest_r.is_none())
            );
        }
    }
}
