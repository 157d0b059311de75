//! Statistical disclosure control for a campaign: one decision, taken once
//! over every table any output publishes, of which groups are shown.
//!
//! **The tables.** Respondents fall into atoms — one network and one role
//! (with the network's region and DEPROV). Outputs publish groups that are
//! unions of atoms: the nation, each region, DEPROV and network, and the
//! nation and each region by role. Every figure of a group (its
//! respondents, its answer counts at every level) is a sum over its atoms,
//! so a group's figures can be recovered from others exactly when its atom
//! indicator is a linear combination of theirs.
//!
//! **The decision.** Primary suppression hides every group below K
//! respondents. Secondary suppression then works as HITAS does over the
//! linked hierarchy: in every relation *parent = Σ parts* (nation → regions
//! → DEPROVs → networks, the nation and each region → roles, each role of
//! the nation → the regions' same role) a published parent must leave
//! either nothing or at least K respondents unaccounted for by its
//! published parts (for the geographic tree, its maximal published
//! descendants), and when it does not the smallest published part is
//! hidden too. Rules settle first; then an exact check ([`span`]) looks,
//! over all the published groups together, for any union of atoms below K
//! that a linear combination of them reveals (see [`audit::targets`]), and
//! hides the smallest published group of that combination; rules and
//! check repeat until nothing is revealed. Each round hides one more
//! group, so it ends.

pub mod audit;
pub mod microdata;
pub mod span;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::responses::{GroupBy, ResponseTable};

/// Where a group is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "by", content = "value", rename_all = "snake_case")]
pub enum Place {
    Nation,
    Region(String),
    Deprov(String),
    Network(String),
}

/// A published group: a place, all its respondents or one role's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Cell {
    pub place: Place,
    pub role: Option<String>,
}

impl Cell {
    pub fn nation() -> Cell {
        Cell::at(Place::Nation)
    }

    pub fn at(place: Place) -> Cell {
        Cell { place, role: None }
    }

    pub fn with_role(place: Place, role: &str) -> Cell {
        Cell {
            place,
            role: Some(role.to_owned()),
        }
    }

    /// The cell a breakdown's group stands for, inside `within`: a region's
    /// network is that network, a region's role is the region's role.
    pub fn of_group(within: &Place, by: GroupBy, value: &str) -> Cell {
        match by {
            GroupBy::Region => Cell::at(Place::Region(value.to_owned())),
            GroupBy::Deprov => Cell::at(Place::Deprov(value.to_owned())),
            GroupBy::Network => Cell::at(Place::Network(value.to_owned())),
            GroupBy::Role => Cell::with_role(within.clone(), value),
        }
    }

    fn contains(&self, atom: &Atom) -> bool {
        self.holds(&atom.region, &atom.deprov, &atom.network, &atom.role)
    }

    /// Whether a respondent of this region, DEPROV, network and role is in
    /// the group.
    pub fn holds(&self, region: &str, deprov: &str, network: &str, role: &str) -> bool {
        let here = match &self.place {
            Place::Nation => true,
            Place::Region(r) => region == r,
            Place::Deprov(d) => deprov == d,
            Place::Network(n) => network == n,
        };
        here && self.role.as_deref().is_none_or(|r| role == r)
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.place {
            Place::Nation => write!(f, "national")?,
            Place::Region(r) => write!(f, "region {r}")?,
            Place::Deprov(d) => write!(f, "deprov {d}")?,
            Place::Network(n) => write!(f, "network {n}")?,
        }
        if let Some(r) = &self.role {
            write!(f, " × role {r}")?;
        }
        Ok(())
    }
}

/// The finest group: one network's respondents of one role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Atom {
    pub region: String,
    pub deprov: String,
    pub network: String,
    pub role: String,
}

/// Respondents per atom.
#[derive(Debug, Clone, Default)]
pub struct Atoms {
    pub atoms: Vec<Atom>,
    pub sizes: Vec<u64>,
}

impl Atoms {
    pub fn from_table(table: &ResponseTable) -> Atoms {
        Atoms::count((0..table.len()).map(|r| {
            let name = |by| table.group_name(by, table.group_of(r, by)).to_owned();
            Atom {
                region: name(GroupBy::Region),
                deprov: name(GroupBy::Deprov),
                network: name(GroupBy::Network),
                role: name(GroupBy::Role),
            }
        }))
    }

    /// The atoms of one respondent each.
    pub fn count(respondents: impl IntoIterator<Item = Atom>) -> Atoms {
        let mut count: BTreeMap<Atom, u64> = BTreeMap::new();
        for atom in respondents {
            *count.entry(atom).or_default() += 1;
        }
        let (atoms, sizes) = count.into_iter().unzip();
        Atoms { atoms, sizes }
    }

    /// Atom indices of `cell`.
    pub fn members(&self, cell: &Cell) -> Vec<u32> {
        self.atoms
            .iter()
            .enumerate()
            .filter(|(_, a)| cell.contains(a))
            .map(|(i, _)| i as u32)
            .collect()
    }

    pub fn size_of(&self, members: &[u32]) -> u64 {
        members.iter().map(|&a| self.sizes[a as usize]).sum()
    }

    /// Every cell some output publishes, with its parts in each relation.
    fn universe(&self) -> Universe {
        let mut cells: Vec<Cell> = vec![Cell::nation()];
        let mut roles: Vec<&str> = self.atoms.iter().map(|a| a.role.as_str()).collect();
        roles.sort();
        roles.dedup();
        let mut regions: BTreeMap<&str, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
        for a in &self.atoms {
            let nets = regions
                .entry(&a.region)
                .or_default()
                .entry(&a.deprov)
                .or_default();
            if !nets.contains(&a.network.as_str()) {
                nets.push(&a.network);
            }
        }
        let mut index: HashMap<Cell, usize> = HashMap::new();
        index.insert(Cell::nation(), 0);
        let mut add = |cells: &mut Vec<Cell>, c: Cell| -> usize {
            *index.entry(c.clone()).or_insert_with(|| {
                cells.push(c);
                cells.len() - 1
            })
        };
        let mut tree: Vec<Vec<usize>> = vec![];
        let mut flat: Vec<(usize, Vec<usize>)> = vec![];
        let mut region_ids = vec![];
        for (region, deprovs) in &regions {
            let r = add(&mut cells, Cell::at(Place::Region((*region).to_owned())));
            region_ids.push(r);
            let mut ds = vec![];
            for (deprov, nets) in deprovs {
                let d = add(&mut cells, Cell::at(Place::Deprov((*deprov).to_owned())));
                ds.push(d);
                let ns = nets
                    .iter()
                    .map(|n| add(&mut cells, Cell::at(Place::Network((*n).to_owned()))))
                    .collect();
                set(&mut tree, d, ns);
            }
            set(&mut tree, r, ds);
            let by_role = roles
                .iter()
                .map(|role| {
                    add(
                        &mut cells,
                        Cell::with_role(Place::Region((*region).to_owned()), role),
                    )
                })
                .collect();
            flat.push((r, by_role));
        }
        set(&mut tree, 0, region_ids.clone());
        let mut nation_roles = vec![];
        for role in &roles {
            let nr = add(&mut cells, Cell::with_role(Place::Nation, role));
            nation_roles.push(nr);
            let parts = regions
                .keys()
                .map(|region| {
                    add(
                        &mut cells,
                        Cell::with_role(Place::Region((*region).to_owned()), role),
                    )
                })
                .collect();
            flat.push((nr, parts));
        }
        flat.push((0, nation_roles));
        let members: Vec<Vec<u32>> = cells.iter().map(|c| self.members(c)).collect();
        tree.resize(cells.len(), vec![]);
        Universe {
            cells,
            members,
            tree,
            flat,
        }
    }
}

fn set(tree: &mut Vec<Vec<usize>>, at: usize, children: Vec<usize>) {
    if tree.len() <= at {
        tree.resize(at + 1, vec![]);
    }
    tree[at] = children;
}

/// The cells, their atoms and the relations between them.
struct Universe {
    cells: Vec<Cell>,
    members: Vec<Vec<u32>>,
    /// Children in the geographic tree (nation → regions → DEPROVs → networks).
    tree: Vec<Vec<usize>>,
    /// Flat relations: parent and its parts by role.
    flat: Vec<(usize, Vec<usize>)>,
}

/// Why a cell is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Fewer than K respondents.
    Small,
    /// Hidden so that a smaller group cannot be worked out from it.
    Protects,
}

/// Which groups of a campaign every output may show.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    pub k: u64,
    cells: HashMap<Cell, (u64, Option<Reason>)>,
}

impl Decision {
    /// Whether `cell` is shown; a group no output publishes is not.
    pub fn published(&self, cell: &Cell) -> bool {
        matches!(self.cells.get(cell), Some((_, None)))
    }

    /// Why `cell` is hidden, if it is a decided cell that is.
    pub fn reason(&self, cell: &Cell) -> Option<Reason> {
        self.cells.get(cell).and_then(|c| c.1)
    }

    /// The respondents of a published cell; none for a hidden one.
    pub fn respondents(&self, cell: &Cell) -> Option<u64> {
        match self.cells.get(cell) {
            Some((n, None)) => Some(*n),
            _ => None,
        }
    }

    /// Every decided cell with its size and why it is hidden, in order.
    pub fn cells(&self) -> Vec<(&Cell, u64, Option<Reason>)> {
        let mut out: Vec<_> = self.cells.iter().map(|(c, (n, r))| (c, *n, *r)).collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    pub fn count_hidden(&self) -> (usize, usize) {
        let small = self
            .cells
            .values()
            .filter(|c| c.1 == Some(Reason::Small))
            .count();
        let protects = self
            .cells
            .values()
            .filter(|c| c.1 == Some(Reason::Protects))
            .count();
        (small, protects)
    }
}

/// Decides, for the atoms of a campaign and threshold `k`, which groups
/// every output may show.
pub fn decide(atoms: &Atoms, k: u64) -> Decision {
    let u = atoms.universe();
    let sizes: Vec<u64> = u.members.iter().map(|m| atoms.size_of(m)).collect();
    let mut hidden: Vec<Option<Reason>> = sizes
        .iter()
        .map(|&n| (n < k).then_some(Reason::Small))
        .collect();
    // A cell with the same respondents as another shares its fate.
    let mut same: HashMap<&[u32], Vec<usize>> = HashMap::new();
    for (i, m) in u.members.iter().enumerate() {
        same.entry(m.as_slice()).or_default().push(i);
    }
    let twins: Vec<Vec<usize>> = u
        .members
        .iter()
        .map(|m| same.get(m.as_slice()).cloned().unwrap_or_default())
        .collect();
    let hide = |hidden: &mut Vec<Option<Reason>>, i: usize| {
        for &t in &twins[i] {
            if hidden[t].is_none() {
                hidden[t] = Some(Reason::Protects);
            }
        }
    };
    loop {
        while let Some(i) = rule_breach(&u, &sizes, &hidden, k) {
            hide(&mut hidden, i);
        }
        let published: Vec<usize> = (0..u.cells.len())
            .filter(|&i| hidden[i].is_none())
            .collect();
        let groups: Vec<Vec<u32>> = published.iter().map(|&i| u.members[i].clone()).collect();
        let small: Vec<Vec<u32>> = (0..u.cells.len())
            .filter(|&i| hidden[i].is_some() && sizes[i] > 0 && sizes[i] < k)
            .map(|i| u.members[i].clone())
            .collect();
        let Some(by) = first_breach(atoms, &groups, &small, k) else {
            break;
        };
        let pick = by
            .iter()
            .map(|&g| published[g as usize])
            .filter(|&i| i != 0)
            .min_by_key(|&i| (sizes[i], i))
            .unwrap_or(0);
        hide(&mut hidden, pick);
    }
    Decision {
        k,
        cells: u
            .cells
            .into_iter()
            .zip(sizes.into_iter().zip(hidden))
            .collect(),
    }
}

/// The published groups (by index) of one combination that reveals a
/// union of atoms below K, if any does: the audit's named targets first,
/// then an exhaustive search ([`span::Span::small_unions`]).
pub fn first_breach(
    atoms: &Atoms,
    published: &[Vec<u32>],
    hidden_small: &[Vec<u32>],
    k: u64,
) -> Option<Vec<u32>> {
    let span = span::Span::new(atoms.atoms.len(), published);
    audit::targets(atoms, published, hidden_small, k)
        .into_iter()
        .map(|t| t.members)
        .chain(span.small_unions(&atoms.sizes, k))
        .find_map(|t| span.reveals(&t))
}

/// A part to hide because some published parent leaves between 1 and K − 1
/// respondents unaccounted for by its published parts.
fn rule_breach(u: &Universe, sizes: &[u64], hidden: &[Option<Reason>], k: u64) -> Option<usize> {
    let short = |rest: u64| rest > 0 && rest < k;
    for p in (0..u.cells.len()).filter(|&p| hidden[p].is_none()) {
        if !u.tree[p].is_empty() {
            let frontier = published_frontier(u, hidden, p);
            let covered: u64 = frontier.iter().map(|&i| sizes[i]).sum();
            if short(sizes[p] - covered.min(sizes[p]))
                && let Some(i) = frontier.into_iter().min_by_key(|&i| (sizes[i], i))
            {
                return Some(i);
            }
        }
    }
    for (p, parts) in &u.flat {
        if hidden[*p].is_some() {
            continue;
        }
        let rest: u64 = parts
            .iter()
            .filter(|&&i| hidden[i].is_some())
            .map(|&i| sizes[i])
            .sum();
        let pick = parts
            .iter()
            .copied()
            .filter(|&i| hidden[i].is_none() && sizes[i] > 0)
            .min_by_key(|&i| (sizes[i], i));
        if short(rest)
            && let Some(i) = pick
        {
            return Some(i);
        }
    }
    None
}

/// The maximal published descendants of `p` in the geographic tree.
fn published_frontier(u: &Universe, hidden: &[Option<Reason>], p: usize) -> Vec<usize> {
    let mut out = vec![];
    let mut stack: Vec<usize> = u.tree[p].clone();
    while let Some(c) = stack.pop() {
        if u.members[c] == u.members[p] {
            // A DEPROV with one network is that network: look below it.
            stack.extend(u.tree[c].iter().copied());
        } else if hidden[c].is_none() {
            out.push(c);
        } else {
            stack.extend(u.tree[c].iter().copied());
        }
    }
    out
}

#[cfg(test)]
mod tests;
