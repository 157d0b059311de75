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
    pub k: usize,
    /// Respondents who answered at least one item of the scale (pingouin's n,
    /// which also sets the degrees of freedom of the interval).
    pub n: usize,
    /// Respondents who answered every item of the scale.
    pub n_complete: usize,
    pub alpha: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub items: Vec<ItemStats>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub missing: Missing,
    pub scales: Vec<ScaleStats>,
}

/// A scale's data: one row per respondent, `None` for missing.
pub type Matrix = Vec<Vec<Option<f64>>>;

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

fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    if x.len() < 2 {
        return None;
    }
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

fn item_rest(data: &Matrix, j: usize, k: usize) -> Option<f64> {
    let complete: Vec<&Vec<Option<f64>>> = data
        .iter()
        .filter(|r| r.iter().all(Option::is_some))
        .collect();
    let x: Vec<f64> = complete.iter().map(|r| r[j].unwrap_or_default()).collect();
    let rest: Vec<f64> = complete
        .iter()
        .map(|r| {
            (0..k)
                .filter(|&c| c != j)
                .map(|c| r[c].unwrap_or_default())
                .sum()
        })
        .collect();
    pearson(&x, &rest)
}

pub fn scale_stats(
    design: &Design,
    table: &ResponseTable,
    level: Level,
    code: &str,
    members: &[usize],
    missing: Missing,
) -> ScaleStats {
    let data = matrix(design, table, members);
    let k = members.len();
    let all: Vec<usize> = (0..k).collect();
    let (alpha, n) = cronbach_alpha(&data, &all, missing);
    let items = members
        .iter()
        .enumerate()
        .map(|(pos, &j)| {
            let rest: Vec<usize> = all.iter().copied().filter(|&c| c != pos).collect();
            ItemStats {
                name: design.items[j].name.clone(),
                alpha_if_deleted: cronbach_alpha(&data, &rest, missing).0,
                item_rest_r: item_rest(&data, pos, k),
            }
        })
        .collect();
    ScaleStats {
        level,
        code: code.to_owned(),
        k,
        n,
        n_complete: data
            .iter()
            .filter(|r| r.iter().all(Option::is_some))
            .count(),
        ci95: alpha.and_then(|a| feldt_ci(a, n, k, 0.95)),
        alpha,
        items,
    }
}

/// Every dimension, then every sub-dimension.
pub fn report(design: &Design, table: &ResponseTable, missing: Missing) -> Report {
    let mut scales = vec![];
    for level in [Level::Dimension, Level::Subdimension] {
        for (code, members) in design.scales_at(level) {
            scales.push(scale_stats(design, table, level, &code, &members, missing));
        }
    }
    Report { missing, scales }
}
