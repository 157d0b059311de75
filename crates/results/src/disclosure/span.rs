//! Which groups can be computed from published ones: the linear span of
//! their indicator vectors over the atoms (the finest groups), kept as an
//! echelon basis over the prime field GF(2⁶¹ − 1).
//!
//! Exactness: a target is reported as computable when it reduces to zero
//! modulo the prime. Over the rationals a computable target always does; a
//! target that is not computable could only reduce to zero if the prime
//! divided a minor of the 0/1 matrix, far larger than any table here makes
//! possible — and that error would only ever suppress more, never less.

const P: u64 = (1 << 61) - 1;

fn mul(a: u64, b: u64) -> u64 {
    ((a as u128 * b as u128) % P as u128) as u64
}

fn sub(a: u64, b: u64) -> u64 {
    if a >= b { a - b } else { a + P - b }
}

fn inv(a: u64) -> u64 {
    let (mut base, mut exp, mut out) = (a, P - 2, 1u64);
    while exp > 0 {
        if exp & 1 == 1 {
            out = mul(out, base);
        }
        base = mul(base, base);
        exp >>= 1;
    }
    out
}

/// A row of the basis: pivot 1 at its first column, and how it was made
/// from the published groups.
struct BasisRow {
    entries: Vec<(u32, u64)>,
    combo: Vec<(u32, u64)>,
}

/// The span of the published groups' indicator vectors.
pub struct Span {
    atoms: usize,
    groups: usize,
    pivots: Vec<Option<u32>>,
    rows: Vec<BasisRow>,
}

impl Span {
    /// `groups[g]` lists the atoms group `g` is made of.
    pub fn new(atoms: usize, groups: &[Vec<u32>]) -> Span {
        let mut span = Span {
            atoms,
            groups: groups.len(),
            pivots: vec![None; atoms],
            rows: vec![],
        };
        for (g, members) in groups.iter().enumerate() {
            let (v, combo) = span.reduce(members, Some(g as u32));
            if let Some(first) = v.iter().position(|&x| x != 0) {
                let scale = inv(v[first]);
                let entries = v
                    .iter()
                    .enumerate()
                    .skip(first)
                    .filter(|(_, x)| **x != 0)
                    .map(|(c, &x)| (c as u32, mul(x, scale)))
                    .collect();
                let combo = combo
                    .iter()
                    .enumerate()
                    .filter(|(_, x)| **x != 0)
                    .map(|(c, &x)| (c as u32, mul(x, scale)))
                    .collect();
                span.pivots[first] = Some(span.rows.len() as u32);
                span.rows.push(BasisRow { entries, combo });
            }
        }
        span
    }

    /// Reduces the indicator of `members` (plus group `seed`'s own
    /// coefficient) against the basis: what is left, and the combination
    /// of groups subtracted.
    fn reduce(&self, members: &[u32], seed: Option<u32>) -> (Vec<u64>, Vec<u64>) {
        let mut v = vec![0u64; self.atoms];
        for &a in members {
            v[a as usize] = 1;
        }
        let mut combo = vec![0u64; self.groups];
        if let Some(g) = seed {
            combo[g as usize] = 1;
        }
        for c in 0..self.atoms {
            let x = v[c];
            if x == 0 {
                continue;
            }
            let Some(r) = self.pivots[c] else { continue };
            let row = &self.rows[r as usize];
            for &(col, val) in &row.entries {
                v[col as usize] = sub(v[col as usize], mul(x, val));
            }
            for &(g, val) in &row.combo {
                combo[g as usize] = sub(combo[g as usize], mul(x, val));
            }
        }
        (v, combo)
    }

    /// Whether the union of `members` can be computed from the published
    /// groups, and if so from which (the groups with a non-zero
    /// coefficient in one combination that gives it).
    pub fn reveals(&self, members: &[u32]) -> Option<Vec<u32>> {
        let (v, combo) = self.reduce(members, None);
        if v.iter().any(|&x| x != 0) {
            return None;
        }
        Some(
            combo
                .iter()
                .enumerate()
                .filter(|(_, x)| **x != 0)
                .map(|(g, _)| g as u32)
                .collect(),
        )
    }
}

impl Span {
    /// Every union of atoms with between 1 and `k − 1` respondents that
    /// the published groups reveal, found exhaustively.
    ///
    /// In the reduced echelon form a vector of the span is fixed by its
    /// values on the pivot atoms: a 0/1 vector is the sum of the rows of
    /// the pivots it contains, and each of those pivots adds its own
    /// respondents. So a union below K sums fewer than K rows whose pivot
    /// atoms are below K together; and a smallest one sums rows that are
    /// linked through shared free atoms (otherwise each linked part alone
    /// would be a smaller one). Those linked sets are enumerated.
    pub fn small_unions(&self, sizes: &[u64], k: u64) -> Vec<Vec<u32>> {
        let reduced = self.reduced();
        let pivot_of: Vec<u32> = reduced.iter().map(|r| r[0].0).collect();
        let is_pivot: Vec<bool> = {
            let mut v = vec![false; self.atoms];
            for &p in &pivot_of {
                v[p as usize] = true;
            }
            v
        };
        let candidates: Vec<usize> = (0..reduced.len())
            .filter(|&i| sizes[pivot_of[i] as usize] < k)
            .collect();
        let mut by_free: Vec<Vec<usize>> = vec![vec![]; self.atoms];
        for &i in &candidates {
            for &(c, _) in &reduced[i][1..] {
                if !is_pivot[c as usize] {
                    by_free[c as usize].push(i);
                }
            }
        }
        let mut out = vec![];
        let mut seen = std::collections::HashSet::new();
        for &start in &candidates {
            let mut chosen = vec![start];
            self.extend(
                &reduced,
                &pivot_of,
                &by_free,
                sizes,
                k,
                &mut chosen,
                &mut out,
                &mut seen,
            );
        }
        out
    }

    /// Grows `chosen` (rows, in increasing order from its first) through
    /// shared free atoms while its pivots stay below K, recording each sum
    /// that is a union below K.
    #[allow(clippy::too_many_arguments)]
    fn extend(
        &self,
        reduced: &[Vec<(u32, u64)>],
        pivot_of: &[u32],
        by_free: &[Vec<usize>],
        sizes: &[u64],
        k: u64,
        chosen: &mut Vec<usize>,
        out: &mut Vec<Vec<u32>>,
        seen: &mut std::collections::HashSet<Vec<usize>>,
    ) {
        let mut key = chosen.clone();
        key.sort_unstable();
        if !seen.insert(key) {
            return;
        }
        let pivots: u64 = chosen.iter().map(|&i| sizes[pivot_of[i] as usize]).sum();
        if pivots >= k {
            return;
        }
        let mut sum: std::collections::BTreeMap<u32, u64> = std::collections::BTreeMap::new();
        for &i in chosen.iter() {
            for &(c, x) in &reduced[i] {
                let e = sum.entry(c).or_insert(0);
                *e = (*e + x) % P;
            }
        }
        if sum.values().all(|&x| x == 0 || x == 1) {
            let members: Vec<u32> = sum.iter().filter(|e| *e.1 == 1).map(|e| *e.0).collect();
            let size: u64 = members.iter().map(|&a| sizes[a as usize]).sum();
            if size > 0 && size < k {
                out.push(members);
            }
        }
        let first = chosen[0];
        let mut next: Vec<usize> = chosen
            .iter()
            .flat_map(|&i| reduced[i][1..].iter())
            .flat_map(|&(c, _)| by_free[c as usize].iter().copied())
            .filter(|&j| j > first && !chosen.contains(&j))
            .collect();
        next.sort_unstable();
        next.dedup();
        for j in next {
            chosen.push(j);
            self.extend(reduced, pivot_of, by_free, sizes, k, chosen, out, seen);
            chosen.pop();
        }
    }

    /// The basis in reduced echelon form: each row zero at every other
    /// row's pivot.
    fn reduced(&self) -> Vec<Vec<(u32, u64)>> {
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        order.sort_by_key(|&r| std::cmp::Reverse(self.rows[r].entries[0].0));
        let mut done: Vec<Option<Vec<(u32, u64)>>> = vec![None; self.rows.len()];
        let mut dense = vec![0u64; self.atoms];
        for r in order {
            for &(c, x) in &self.rows[r].entries {
                dense[c as usize] = x;
            }
            let pivot = self.rows[r].entries[0].0 as usize;
            for c in pivot + 1..self.atoms {
                let x = dense[c];
                if x == 0 {
                    continue;
                }
                if let Some(other) = self.pivots[c]
                    && let Some(row) = &done[other as usize]
                {
                    for &(col, val) in row {
                        dense[col as usize] = sub(dense[col as usize], mul(x, val));
                    }
                }
            }
            let row: Vec<(u32, u64)> = (pivot..self.atoms)
                .filter(|&c| dense[c] != 0)
                .map(|c| (c as u32, dense[c]))
                .collect();
            for &(c, _) in &row {
                dense[c as usize] = 0;
            }
            done[r] = Some(row);
        }
        done.into_iter().flatten().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Span;

    #[test]
    fn a_parent_minus_its_children_gives_the_missing_child() {
        // Atoms 0..4; parent {0,1,2,3}, children {0}, {1}, {2} published.
        let span = Span::new(4, &[vec![0, 1, 2, 3], vec![0], vec![1], vec![2]]);
        let mut by = span.reveals(&[3]).unwrap_or_default();
        by.sort();
        assert_eq!(by, vec![0, 1, 2, 3]);
        // Two hidden children stay hidden apart, but their union is known.
        let span = Span::new(4, &[vec![0, 1, 2, 3], vec![0], vec![1]]);
        assert!(span.reveals(&[3]).is_none());
        assert!(span.reveals(&[2]).is_none());
        assert!(span.reveals(&[2, 3]).is_some());
    }

    #[test]
    fn overlapping_breakdowns_combine() {
        // A 2×2 table a b / c d with both margins and the total: a row,
        // a column and one cell give every other cell.
        let (a, b, c, d) = (0, 1, 2, 3);
        let rows = [vec![a, b], vec![c, d]];
        let cols = [vec![a, c], vec![b, d]];
        let mut published: Vec<Vec<u32>> = rows.iter().chain(&cols).cloned().collect();
        assert!(Span::new(4, &published).reveals(&[a]).is_none());
        published.push(vec![b]);
        assert!(Span::new(4, &published).reveals(&[a]).is_some());
        assert!(Span::new(4, &published).reveals(&[d]).is_some());
    }
}
