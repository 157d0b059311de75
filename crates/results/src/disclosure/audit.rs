//! The attack: everything a reader can obtain, combined, against every
//! group below K.
//!
//! The targets tried are the unions of atoms an attacker would aim at:
//! every atom below K, every hidden group below K, every published group
//! minus all the published groups inside it (a parent minus its published
//! children), and every published group minus any one published group
//! inside it (two overlapping breakdowns). Each is tried against the span
//! of *all* the published groups at once, so any linear combination
//! counts, not only the one the target was named after.

use serde::Serialize;

use super::span::Span;
use super::{Atoms, Cell};

/// A union of atoms an attacker would like to read.
#[derive(Debug, Clone)]
pub struct Target {
    pub what: String,
    pub members: Vec<u32>,
}

fn bits(atoms: usize, members: &[u32]) -> Vec<u64> {
    let mut b = vec![0u64; atoms.div_ceil(64)];
    for &a in members {
        b[a as usize / 64] |= 1 << (a % 64);
    }
    b
}

fn subset(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x & !y == 0)
}

fn minus(a: &[u32], remove: &[u64]) -> Vec<u32> {
    a.iter()
        .copied()
        .filter(|&x| remove[x as usize / 64] & (1 << (x % 64)) == 0)
        .collect()
}

/// The unions of atoms below K worth trying, given the published groups
/// (atom lists) and the hidden groups below K.
pub fn targets(atoms: &Atoms, published: &[Vec<u32>], hidden: &[Vec<u32>], k: u64) -> Vec<Target> {
    targets_named(atoms, published, &[], hidden, &[], k)
}

fn targets_named(
    atoms: &Atoms,
    published: &[Vec<u32>],
    names: &[String],
    hidden: &[Vec<u32>],
    hidden_names: &[String],
    k: u64,
) -> Vec<Target> {
    let n = atoms.atoms.len();
    let small = |m: &[u32]| {
        let s = atoms.size_of(m);
        s > 0 && s < k
    };
    let name =
        |i: usize, names: &[String]| names.get(i).cloned().unwrap_or_else(|| format!("#{i}"));
    let mut out = vec![];
    for (i, a) in atoms.atoms.iter().enumerate() {
        if atoms.sizes[i] < k {
            out.push(Target {
                what: format!("network {} × role {}", a.network, a.role),
                members: vec![i as u32],
            });
        }
    }
    for (i, h) in hidden.iter().enumerate() {
        if small(h) {
            out.push(Target {
                what: name(i, hidden_names),
                members: h.clone(),
            });
        }
    }
    let sets: Vec<Vec<u64>> = published.iter().map(|m| bits(n, m)).collect();
    let sizes: Vec<u64> = published.iter().map(|m| atoms.size_of(m)).collect();
    for (i, a) in published.iter().enumerate() {
        let mut inside = vec![0u64; n.div_ceil(64)];
        for (j, b) in sets.iter().enumerate() {
            if j == i || sizes[j] >= sizes[i] || !subset(b, &sets[i]) {
                continue;
            }
            for (w, x) in inside.iter_mut().zip(b) {
                *w |= x;
            }
            let diff = sizes[i] - sizes[j];
            if diff > 0 && diff < k {
                out.push(Target {
                    what: format!("{} minus {}", name(i, names), name(j, names)),
                    members: minus(a, b),
                });
            }
        }
        let rest = minus(a, &inside);
        if small(&rest) {
            out.push(Target {
                what: format!("{} minus its published parts", name(i, names)),
                members: rest,
            });
        }
    }
    out
}

/// A group below K that the published groups reveal.
#[derive(Debug, Clone, Serialize)]
pub struct Recovered {
    pub group: String,
    pub n_respondents: u64,
    /// The published groups of one combination that gives it, with the
    /// outputs each is read from.
    pub revealed_by: Vec<String>,
}

/// What an audit found.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    pub k: u64,
    pub published_cells: usize,
    pub suppressed_cells: usize,
    pub targets_tried: usize,
    pub recoverable: Vec<Recovered>,
    /// The groups obtained, each with the outputs it is read from.
    pub published: Vec<String>,
    /// The groups the outputs mark as suppressed.
    pub suppressed: Vec<String>,
}

fn recoverable_members(targets: &[Target], span: &Span) -> Vec<Vec<u32>> {
    targets
        .iter()
        .filter(|t| span.reveals(&t.members).is_some())
        .map(|t| {
            let mut m = t.members.clone();
            m.sort_unstable();
            m
        })
        .collect()
}

/// One group a reader can obtain, and where from.
#[derive(Debug, Clone)]
pub struct Seen {
    pub cell: Cell,
    pub sources: Vec<String>,
}

/// Tries every target below K against everything in `seen` together.
/// `hidden` are the groups the reader's outputs mark as suppressed.
pub fn audit(atoms: &Atoms, k: u64, seen: &[Seen], hidden: &[Cell]) -> Audit {
    let published: Vec<Vec<u32>> = seen.iter().map(|s| atoms.members(&s.cell)).collect();
    let names: Vec<String> = seen
        .iter()
        .map(|s| format!("{} [{}]", s.cell, s.sources.join(", ")))
        .collect();
    let hidden_members: Vec<Vec<u32>> = hidden.iter().map(|c| atoms.members(c)).collect();
    let hidden_names: Vec<String> = hidden.iter().map(|c| c.to_string()).collect();
    let mut recoverable = vec![];
    // A group shown below K needs no arithmetic at all.
    for (s, m) in seen.iter().zip(&published) {
        let n = atoms.size_of(m);
        if n > 0 && n < k {
            recoverable.push(Recovered {
                group: s.cell.to_string(),
                n_respondents: n,
                revealed_by: vec![format!("{} [{}]", s.cell, s.sources.join(", "))],
            });
        }
    }
    let span = Span::new(atoms.atoms.len(), &published);
    let targets = targets_named(atoms, &published, &names, &hidden_members, &hidden_names, k);
    for t in &targets {
        if let Some(by) = span.reveals(&t.members) {
            recoverable.push(Recovered {
                group: t.what.clone(),
                n_respondents: atoms.size_of(&t.members),
                revealed_by: by.iter().map(|&g| names[g as usize].clone()).collect(),
            });
        }
    }
    // Then any other union below K, whatever combination gives it.
    let named: std::collections::HashSet<Vec<u32>> =
        recoverable_members(&targets, &span).into_iter().collect();
    let mut tried = targets.len();
    for members in span.small_unions(&atoms.sizes, k) {
        tried += 1;
        if named.contains(&members) {
            continue;
        }
        if let Some(by) = span.reveals(&members) {
            recoverable.push(Recovered {
                group: members
                    .iter()
                    .map(|&a| {
                        let a = &atoms.atoms[a as usize];
                        format!("{} × {}", a.network, a.role)
                    })
                    .collect::<Vec<_>>()
                    .join(" + "),
                n_respondents: atoms.size_of(&members),
                revealed_by: by.iter().map(|&g| names[g as usize].clone()).collect(),
            });
        }
    }
    Audit {
        k,
        published_cells: seen.len(),
        suppressed_cells: hidden.len(),
        targets_tried: tried,
        recoverable,
        published: names,
        suppressed: hidden_names,
    }
}
