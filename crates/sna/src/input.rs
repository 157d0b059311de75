//! Reading edge and node lists as people bring them (see `shared/CLI.md`):
//! `source,target[,weight]` and `id` plus attribute columns. Every problem in
//! both files is reported, each naming file, line and column.

use std::collections::HashMap;

use trama_domain::Problem;
use trama_tabular::{CellError, Issue, Table};

use crate::network::{Arc, Network};

/// How to combine two rows that give the same arc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// Add the weights (two rows of one survey answered twice, say).
    Sum,
    /// Keep the stronger tie.
    Max,
}

/// How to turn the directed network into a symmetric one (both arcs of every
/// kept tie present, with the same weight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symmetrize {
    /// Keep a tie only when both people name each other; its weight is the
    /// weaker of the two (statnet's "strong" rule).
    Mutual,
    /// Keep a tie when either names the other; its weight is the stronger
    /// of the two (statnet's "weak" rule).
    Any,
}

/// Options applied while loading, in this order: duplicates are merged,
/// self-loops dropped, ties below `min_weight` removed, then symmetrized.
/// Nodes are never removed: a person whose ties were all filtered out stays
/// as an isolate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadOptions {
    /// Keep only ties with `weight >= min_weight`.
    pub min_weight: Option<f64>,
    /// `None` refuses duplicate arcs, naming both lines.
    pub merge_duplicates: Option<Merge>,
    /// `false` refuses self-loops, naming the line.
    pub drop_self_loops: bool,
    pub symmetrize: Option<Symmetrize>,
}

struct RawArc {
    source: usize,
    target: usize,
    weight: f64,
    line: u64,
}

/// Parses an edge list and, optionally, a node list into a [`Network`].
///
/// `edges_file` and the nodes file name are used only in error messages.
/// Node order: the nodes file's order, then new ids from the edge list by
/// first appearance (source before target). Attributes are every column of
/// the nodes file other than `id`, as categorical strings; empty cells are
/// missing values; a column named `responded` must hold `1` (answered the
/// questionnaire), `0` or nothing. A weight may use a decimal comma (`2,5`). On any problem,
/// returns every problem found in both files.
pub fn load(
    edges_file: &str,
    edges: &[u8],
    nodes: Option<(&str, &[u8])>,
    opts: &LoadOptions,
) -> Result<Network, Vec<CellError>> {
    let mut errors = vec![];
    let node_table = match nodes {
        Some((name, bytes)) => match Table::parse(name, bytes) {
            Ok(t) => Some(t),
            Err(e) => {
                errors.extend(e);
                None
            }
        },
        None => None,
    };
    let edge_table = match Table::parse(edges_file, edges) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.extend(e);
            None
        }
    };

    let mut builder = Network::builder();
    // Node ids from the nodes file, with the line each was first given on.
    let mut listed: Option<HashMap<String, u64>> = None;
    if let Some(t) = &node_table {
        listed = read_nodes(t, &mut builder, &mut errors);
    }
    let raw = match &edge_table {
        Some(t) => read_edges(
            t,
            listed.as_ref(),
            nodes.is_some(),
            opts,
            &mut builder,
            &mut errors,
        ),
        None => vec![],
    };
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut network = builder.build();
    let kept = raw
        .into_iter()
        .filter(|a| opts.min_weight.is_none_or(|min| a.weight >= min))
        .map(|a| Arc {
            source: a.source,
            target: a.target,
            weight: a.weight,
        })
        .collect::<Vec<_>>();
    let arcs = match opts.symmetrize {
        Some(rule) => symmetrize(&kept, rule),
        None => kept,
    };
    network.set_arcs(arcs);
    Ok(network)
}

/// Returns the listed ids, or `None` when the `id` column is missing (then
/// edges are not checked against the list: that error is already reported).
fn read_nodes(
    t: &Table,
    builder: &mut crate::network::NetworkBuilder,
    errors: &mut Vec<CellError>,
) -> Option<HashMap<String, u64>> {
    let id_col = match t.require(&["id"]) {
        Ok(cols) => cols[0],
        Err(e) => {
            errors.extend(e);
            return None;
        }
    };
    // Columns with an empty or repeated header carry no usable name. Found
    // in one pass: a file may have a hundred thousand columns.
    let mut attr_cols: Vec<(usize, String)> = vec![];
    let mut names = std::collections::HashSet::new();
    for (i, h) in t.headers.iter().enumerate() {
        let h = h.trim();
        if i != id_col && !h.is_empty() && names.insert(h) {
            attr_cols.push((i, h.to_owned()));
        }
    }
    for (_, name) in &attr_cols {
        builder.declare_attribute(name);
    }
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in &t.rows {
        let id = row.get(id_col);
        if id.is_empty() {
            errors.push(t.cell_error(row, id_col, Problem::Required));
            continue;
        }
        if let Some(&first_line) = seen.get(id) {
            errors.push(t.cell_error(row, id_col, Problem::DuplicateOf { first_line }));
            continue;
        }
        seen.insert(id.to_owned(), row.line);
        builder.node(id);
        for (col, name) in &attr_cols {
            let v = row.get(*col);
            if name == crate::RESPONDED && !matches!(v, "" | "0" | "1") {
                errors.push(t.cell_error(row, *col, Problem::NotABoolean));
            }
            if !v.is_empty() {
                builder.attribute(id, name, Some(v.to_owned()));
            }
        }
    }
    Some(seen)
}

fn read_edges(
    t: &Table,
    listed: Option<&HashMap<String, u64>>,
    nodes_given: bool,
    opts: &LoadOptions,
    builder: &mut crate::network::NetworkBuilder,
    errors: &mut Vec<CellError>,
) -> Vec<RawArc> {
    let (s_col, t_col) = match t.require(&["source", "target"]) {
        Ok(cols) => (cols[0], cols[1]),
        Err(e) => {
            errors.extend(e);
            return vec![];
        }
    };
    let w_col = t.column("weight");
    let mut raw: Vec<RawArc> = vec![];
    let mut by_pair: HashMap<(usize, usize), usize> = HashMap::new();
    for row in &t.rows {
        let before = errors.len();
        let source = row.get(s_col);
        let target = row.get(t_col);
        for (col, id) in [(s_col, source), (t_col, target)] {
            if id.is_empty() {
                errors.push(t.cell_error(row, col, Problem::Required));
            } else if nodes_given && listed.is_some_and(|l| !l.contains_key(id)) {
                errors.push(t.cell_error(row, col, Issue::message("sna-unknown-node")));
            }
        }
        let weight = match w_col {
            None => 1.0,
            Some(c) => match parse_weight(row.get(c)) {
                Ok(w) => w,
                Err(issue) => {
                    errors.push(t.cell_error(row, c, issue));
                    f64::NAN
                }
            },
        };
        if errors.len() > before {
            continue;
        }
        // Ids count as nodes from their first mention, even on a row that is
        // then dropped (self-loop) or filtered out later (min weight).
        let s = builder.node(source);
        let d = builder.node(target);
        if s == d {
            if !opts.drop_self_loops {
                errors.push(t.cell_error(row, t_col, Issue::message("sna-self-loop")));
            }
            continue;
        }
        match by_pair.get(&(s, d)) {
            None => {
                by_pair.insert((s, d), raw.len());
                raw.push(RawArc {
                    source: s,
                    target: d,
                    weight,
                    line: row.line,
                });
            }
            Some(&first) => {
                let prev = &mut raw[first];
                match opts.merge_duplicates {
                    Some(Merge::Sum) => prev.weight += weight,
                    Some(Merge::Max) => prev.weight = prev.weight.max(weight),
                    None => errors.push(t.cell_error(
                        row,
                        t_col,
                        Issue::with_args(
                            "sna-duplicate-arc",
                            vec![
                                ("line", prev.line.to_string()),
                                ("source", source.to_owned()),
                                ("target", target.to_owned()),
                            ],
                        ),
                    )),
                }
            }
        }
    }
    raw
}

/// A tie strength: a finite number `>= 0`, with `.` or a decimal comma.
fn parse_weight(text: &str) -> Result<f64, Issue> {
    if text.is_empty() {
        return Err(Problem::Required.into());
    }
    let normalised;
    let text = if !text.contains('.') && text.matches(',').count() == 1 {
        normalised = text.replace(',', ".");
        normalised.as_str()
    } else {
        text
    };
    // Rust accepts "inf" and "NaN"; no survey produces them on purpose.
    match text.parse::<f64>() {
        Ok(w) if !w.is_finite() => Err(Problem::NotANumber.into()),
        Ok(w) if w < 0.0 => Err(Issue::message("sna-negative-weight")),
        Ok(w) => Ok(w),
        Err(_) => Err(Problem::NotANumber.into()),
    }
}

fn symmetrize(arcs: &[Arc], rule: Symmetrize) -> Vec<Arc> {
    let weight: HashMap<(usize, usize), f64> = arcs
        .iter()
        .map(|a| ((a.source, a.target), a.weight))
        .collect();
    let mut emitted: std::collections::HashSet<(usize, usize)> = Default::default();
    let mut out = Vec::with_capacity(arcs.len() * 2);
    for a in arcs {
        let back = weight.get(&(a.target, a.source)).copied();
        let w = match (rule, back) {
            (Symmetrize::Mutual, None) => continue,
            (Symmetrize::Mutual, Some(b)) => a.weight.min(b),
            (Symmetrize::Any, None) => a.weight,
            (Symmetrize::Any, Some(b)) => a.weight.max(b),
        };
        for (s, t) in [(a.source, a.target), (a.target, a.source)] {
            if emitted.insert((s, t)) {
                out.push(Arc {
                    source: s,
                    target: t,
                    weight: w,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_accept_decimal_comma_and_refuse_the_rest() {
        assert_eq!(parse_weight("2,5"), Ok(2.5));
        assert_eq!(parse_weight("3"), Ok(3.0));
        assert_eq!(parse_weight("0"), Ok(0.0));
        assert_eq!(parse_weight("inf"), Err(Problem::NotANumber.into()));
        assert_eq!(parse_weight("1,000.5"), Err(Problem::NotANumber.into()));
        assert_eq!(
            parse_weight("-1"),
            Err(Issue::message("sna-negative-weight"))
        );
        assert_eq!(parse_weight(""), Err(Problem::Required.into()));
    }
}
