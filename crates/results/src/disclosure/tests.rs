//! The decision's rules on the cases that motivated them, and its
//! guarantee checked by brute force: on small random campaigns, no union
//! of atoms below K at all — not only the audit's targets — lies in the
//! rational span of the published groups (an f64 elimination written here,
//! independent of `span`).

use trama_stdx::rng::SplitMix64;

use super::audit::{Seen, audit};
use super::*;

fn atoms(rows: &[(&str, &str, &str, &str, u64)]) -> Atoms {
    let mut out = Atoms::default();
    for &(region, deprov, network, role, n) in rows {
        out.atoms.push(Atom {
            region: region.into(),
            deprov: deprov.into(),
            network: network.into(),
            role: role.into(),
        });
        out.sizes.push(n);
    }
    out
}

fn net(code: &str) -> Cell {
    Cell::at(Place::Network(code.into()))
}

fn region(code: &str) -> Cell {
    Cell::at(Place::Region(code.into()))
}

/// Every published cell of the decision, as a reader of everything sees it.
fn everything(d: &Decision) -> (Vec<Seen>, Vec<Cell>) {
    let mut seen = vec![];
    let mut hidden = vec![];
    for (cell, _, reason) in d.cells() {
        match reason {
            None => seen.push(Seen {
                cell: cell.clone(),
                sources: vec!["all".into()],
            }),
            Some(_) => hidden.push(cell.clone()),
        }
    }
    (seen, hidden)
}

#[test]
fn the_valparaiso_attack_finds_nothing() {
    // Region 5: RME1 6, RME2 7, RME3 8, RME13 3; region 13 has RME4.
    let a = atoms(&[
        ("5", "51", "RME1", "director", 5),
        ("5", "51", "RME1", "supervisor", 1),
        ("5", "51", "RME2", "director", 6),
        ("5", "51", "RME2", "supervisor", 1),
        ("5", "52", "RME3", "director", 7),
        ("5", "52", "RME3", "supervisor", 1),
        ("5", "52", "RME13", "director", 2),
        ("5", "52", "RME13", "supervisor", 1),
        ("13", "131", "RME4", "director", 9),
        ("13", "131", "RME4", "supervisor", 1),
    ]);
    let d = decide(&a, 5);
    assert_eq!(d.reason(&net("RME13")), Some(Reason::Small));
    assert!(d.published(&region("5")));
    // RME13 cannot be the region minus the others: a second network goes.
    let hidden_in_5 = ["RME1", "RME2", "RME3"]
        .iter()
        .filter(|n| !d.published(&net(n)))
        .count();
    assert!(hidden_in_5 >= 1, "{:?}", d.cells());
    assert_eq!(
        d.respondents(&net("RME13")),
        None,
        "no size for a hidden group"
    );
    // Supervisors: one per network, so every region's are below K.
    assert!(!d.published(&Cell::with_role(Place::Region("5".into()), "supervisor")));
    let (seen, hidden) = everything(&d);
    let found = audit(&a, 5, &seen, &hidden);
    assert!(found.recoverable.is_empty(), "{:#?}", found.recoverable);
}

#[test]
fn a_campaign_of_one_shown_and_one_small_network_hides_both() {
    let a = atoms(&[
        ("5", "51", "RME1", "director", 6),
        ("5", "51", "RME13", "director", 1),
    ]);
    let d = decide(&a, 5);
    assert_eq!(d.reason(&net("RME13")), Some(Reason::Small));
    assert_eq!(d.reason(&net("RME1")), Some(Reason::Protects));
    assert!(d.published(&region("5")) && d.published(&Cell::nation()));
}

#[test]
fn a_network_of_one_role_does_not_open_the_regions_role_table() {
    // RME1 has only directors (10): the region's directors (12) minus RME1
    // would be RME2's two directors.
    let a = atoms(&[
        ("5", "51", "RME1", "director", 10),
        ("5", "51", "RME2", "director", 2),
        ("5", "51", "RME2", "jefe_utp", 5),
        ("5", "51", "RME3", "jefe_utp", 6),
    ]);
    let naive = primary_only(&a, 5);
    assert!(
        !audit(&a, 5, &naive.0, &naive.1).recoverable.is_empty(),
        "the attack works without secondary suppression"
    );
    let d = decide(&a, 5);
    let (seen, hidden) = everything(&d);
    let found = audit(&a, 5, &seen, &hidden);
    assert!(found.recoverable.is_empty(), "{:#?}", found.recoverable);
    assert!(brute_force(&a, &d, 5).is_none());
}

#[test]
fn the_threshold_itself_is_shown() {
    let a = atoms(&[
        ("5", "51", "RME1", "director", 5),
        ("5", "51", "RME2", "director", 5),
    ]);
    let d = decide(&a, 5);
    assert!(d.published(&net("RME1")) && d.published(&net("RME2")));
    assert_eq!(d.count_hidden(), (0, 0));
}

/// What publishing every group of K or more would show.
fn primary_only(a: &Atoms, k: u64) -> (Vec<Seen>, Vec<Cell>) {
    let u = a.universe();
    let mut seen = vec![];
    let mut hidden = vec![];
    for (cell, m) in u.cells.iter().zip(&u.members) {
        if a.size_of(m) >= k {
            seen.push(Seen {
                cell: cell.clone(),
                sources: vec!["page".into()],
            });
        } else {
            hidden.push(cell.clone());
        }
    }
    (seen, hidden)
}

/// The smallest union of atoms below K in the rational span of the
/// published groups, by trying every union.
fn brute_force(a: &Atoms, d: &Decision, k: u64) -> Option<Vec<usize>> {
    let groups: Vec<Vec<u32>> = d
        .cells()
        .into_iter()
        .filter(|c| c.2.is_none())
        .map(|(cell, _, _)| a.members(cell))
        .collect();
    brute_force_groups(a, &groups, k)
}

fn brute_force_groups(a: &Atoms, groups: &[Vec<u32>], k: u64) -> Option<Vec<usize>> {
    let n = a.atoms.len();
    let rows: Vec<Vec<f64>> = groups
        .iter()
        .map(|members| {
            let mut v = vec![0.0; n];
            for &m in members {
                v[m as usize] = 1.0;
            }
            v
        })
        .collect();
    let basis = echelon(rows);
    for mask in 1u64..(1 << n) {
        let members: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        let size: u64 = members.iter().map(|&i| a.sizes[i]).sum();
        if size == 0 || size >= k {
            continue;
        }
        let mut v = vec![0.0; n];
        for &i in &members {
            v[i] = 1.0;
        }
        for (pivot, row) in &basis {
            let x = v[*pivot];
            if x != 0.0 {
                for (vi, ri) in v.iter_mut().zip(row) {
                    *vi -= x * ri;
                }
            }
        }
        if v.iter().all(|x| x.abs() < 1e-9) {
            return Some(members);
        }
    }
    None
}

fn echelon(mut rows: Vec<Vec<f64>>) -> Vec<(usize, Vec<f64>)> {
    let mut basis: Vec<(usize, Vec<f64>)> = vec![];
    for row in rows.iter_mut() {
        for (pivot, b) in &basis {
            let x = row[*pivot];
            if x != 0.0 {
                for (ri, bi) in row.iter_mut().zip(b) {
                    *ri -= x * bi;
                }
            }
        }
        let Some(p) = row.iter().position(|x| x.abs() > 1e-9) else {
            continue;
        };
        let scale = row[p];
        let normal: Vec<f64> = row.iter().map(|x| x / scale).collect();
        for (q, b) in basis.iter_mut() {
            let x = b[p];
            if x != 0.0 {
                for (bi, ni) in b.iter_mut().zip(&normal) {
                    *bi -= x * ni;
                }
            }
            let _ = q;
        }
        basis.push((p, normal));
    }
    basis
}

fn random_round(seed: u64) -> Atoms {
    let mut rng = SplitMix64::new(seed);
    let roles = ["director", "jefe_utp", "supervisor"];
    let mut rows = vec![];
    let networks = rng.range(2, 6);
    for n in 0..networks {
        let region = if n % 2 == 0 { "5" } else { "8" };
        let deprov = format!("{region}{}", rng.range(1, 3));
        for role in roles {
            let size = match rng.below(4) {
                0 => 0,
                1 => rng.range(1, 3),
                _ => rng.range(1, 9),
            };
            if size > 0 && rows.len() < 13 {
                rows.push((region, deprov.clone(), format!("N{n}"), role, size));
            }
        }
    }
    let mut a = Atoms::default();
    for (region, deprov, network, role, size) in rows {
        a.atoms.push(Atom {
            region: region.into(),
            deprov,
            network,
            role: role.into(),
        });
        a.sizes.push(size);
    }
    a
}

#[test]
fn no_union_below_k_is_ever_computable() {
    let mut naive_leaks = 0;
    for seed in 0..250 {
        let a = random_round(seed);
        let d = decide(&a, 5);
        if let Some(members) = brute_force(&a, &d, 5) {
            panic!(
                "seed {seed}: atoms {members:?} of {:?} computable; {:?}",
                a.atoms,
                d.cells()
            );
        }
        let (seen, hidden) = everything(&d);
        assert!(
            audit(&a, 5, &seen, &hidden).recoverable.is_empty(),
            "seed {seed}"
        );
        let naive = primary_only(&a, 5);
        if !audit(&a, 5, &naive.0, &naive.1).recoverable.is_empty() {
            naive_leaks += 1;
        }
    }
    assert!(
        naive_leaks > 50,
        "the generated rounds exercise the attack ({naive_leaks})"
    );
}

mod microdata {
    use std::collections::BTreeMap;

    use super::super::microdata::{Respondent, release};
    use super::*;

    fn respondents(a: &Atoms, seed: u64) -> Vec<Respondent> {
        let mut rng = SplitMix64::new(seed);
        let mut out = vec![];
        for (atom, &n) in a.atoms.iter().zip(&a.sizes) {
            for _ in 0..n {
                out.push(Respondent {
                    region: atom.region.clone(),
                    deprov: atom.deprov.clone(),
                    network: atom.network.clone(),
                    role: atom.role.clone(),
                    answered_role: atom.role.clone(),
                    years: rng.below(12).to_string(),
                    submitted_at: format!("2026-0{}-1{}T12:00:00Z", rng.range(4, 6), rng.below(10)),
                    extra: vec![rng.below(3).to_string()],
                });
            }
        }
        out
    }

    #[test]
    fn released_rows_are_k_anonymous_and_add_nothing_to_the_tables() {
        let mut generalised_somewhere = 0;
        for seed in 0..150 {
            let a = random_round(seed);
            let d = decide(&a, 5);
            let rows = respondents(&a, seed);
            let (out, kept) = release(&rows, &a, &d, 5);
            let mut classes: BTreeMap<_, usize> = BTreeMap::new();
            for o in out.iter().filter(|o| !o.withheld) {
                let key = (
                    &o.region,
                    &o.deprov,
                    &o.network,
                    &o.role,
                    &o.answered_role,
                    &o.years,
                    &o.submitted_at,
                    &o.extra,
                );
                *classes.entry(key).or_default() += 1;
            }
            assert!(
                classes.values().all(|&n| n >= 5),
                "seed {seed}: {classes:?}"
            );
            // The file's place × role groups beside every published table:
            // no union below K, by brute force.
            let mut groups: Vec<Vec<u32>> = d
                .cells()
                .into_iter()
                .filter(|c| c.2.is_none())
                .map(|(cell, _, _)| a.members(cell))
                .collect();
            let mut by: BTreeMap<(String, String, String, String), Vec<u32>> = BTreeMap::new();
            for (r, o) in rows.iter().zip(&out).filter(|(_, o)| !o.withheld) {
                let atom = a
                    .atoms
                    .iter()
                    .position(|x| x.network == r.network && x.role == r.role);
                if let Some(i) = atom {
                    let e = by
                        .entry((
                            o.region.clone(),
                            o.deprov.clone(),
                            o.network.clone(),
                            o.role.clone(),
                        ))
                        .or_default();
                    if !e.contains(&(i as u32)) {
                        e.push(i as u32);
                    }
                }
            }
            groups.extend(by.into_values());
            assert!(
                brute_force_groups(&a, &groups, 5).is_none(),
                "seed {seed}: {:?}",
                kept
            );
            if kept.rows_withheld < kept.rows && kept.generalised > 0 {
                generalised_somewhere += 1;
            }
            // Free text only where the network is both kept and published.
            for (r, o) in rows.iter().zip(&out) {
                if o.keep_text {
                    assert!(!o.network.is_empty());
                    assert!(d.published(&net(&r.network)));
                }
            }
        }
        assert!(
            generalised_somewhere > 30,
            "{generalised_somewhere} rounds released generalised rows"
        );
    }

    #[test]
    fn a_network_the_tables_hide_is_not_in_the_file() {
        // RME1 (6) is hidden to protect RME13 (1): a file by network would
        // give RME1's rows and, with the region, RME13's.
        let a = atoms(&[
            ("5", "51", "RME1", "director", 6),
            ("5", "51", "RME13", "director", 1),
            ("5", "52", "RME3", "director", 9),
        ]);
        let d = decide(&a, 5);
        let rows = respondents(&a, 1);
        let (out, kept) = release(&rows, &a, &d, 5);
        assert!(
            out.iter()
                .all(|o| o.network != "RME1" && o.network != "RME13"),
            "{kept:?}"
        );
        assert!(kept.geo.is_some());
    }

    #[test]
    fn an_identifying_answer_goes_when_it_would_single_someone_out() {
        let a = atoms(&[
            ("5", "51", "RME1", "director", 6),
            ("5", "51", "RME3", "director", 6),
        ]);
        let d = decide(&a, 5);
        let mut rows = respondents(&a, 3);
        for (i, r) in rows.iter_mut().enumerate() {
            r.extra = vec![format!("answer {i}")];
        }
        let (out, kept) = release(&rows, &a, &d, 5);
        assert!(out.iter().all(|o| o.extra == [String::new()]), "{kept:?}");
        // Shared by everyone, it stays.
        for r in rows.iter_mut() {
            r.extra = vec!["same".into()];
        }
        let (out, _) = release(&rows, &a, &d, 5);
        assert!(out.iter().any(|o| o.extra == ["same".to_owned()]));
    }
}
