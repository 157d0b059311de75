//! `trama bench disclosure`: the disclosure decision, the attack audit and
//! the researchers' anonymisation on a generated national round (no
//! database): how long each takes and how much of the microdata they keep.

use std::time::Instant;

use trama_i18n::Lang;
use trama_results::disclosure::audit::{Seen, audit};
use trama_results::disclosure::microdata::{Respondent, release};
use trama_results::disclosure::{Atom, Atoms, decide};
use trama_stdx::rng::SplitMix64;

use crate::exit::CliResult;

#[derive(clap::Args, Debug)]
pub struct DisclosureArgs {
    #[arg(long, default_value_t = 500)]
    networks: usize,
    /// Responses of the national round (the microdata are also measured on
    /// a round of 4,000).
    #[arg(long, default_value_t = 40_000)]
    responses: usize,
    #[arg(long, default_value_t = 5)]
    k: u64,
}

/// A round over `networks` networks in 16 regions: each network's size
/// drawn around the mean (one in ten very small), one supervisor each,
/// duplas and teachers for the rest.
fn round(networks: usize, responses: usize, seed: u64) -> Vec<Respondent> {
    let mut rng = SplitMix64::new(seed);
    // Nine networks in ten carry the round: their mean is a ninth higher.
    let mean = (responses * 10 / (9 * networks.max(1))).max(1) as u64;
    let mut out = vec![];
    for n in 0..networks {
        let region = (n % 16 + 1).to_string();
        let deprov = format!("{region}{}", n % 4 + 1);
        let size = if rng.chance(10) {
            rng.range(1, 5)
        } else {
            rng.range(mean / 2 + 1, mean * 3 / 2 + 2)
        };
        for i in 0..size {
            let role = match (i, rng.below(10)) {
                (0, _) => "supervisor",
                (_, 0..=2) => "director",
                (_, 3..=5) => "jefe_utp",
                _ => "docente",
            };
            out.push(Respondent {
                region: region.clone(),
                deprov: deprov.clone(),
                network: format!("RED{n}"),
                role: role.into(),
                answered_role: role.into(),
                years: rng.below(15).to_string(),
                submitted_at: format!(
                    "2026-{:02}-{:02}T{:02}:00:00Z",
                    rng.range(8, 11),
                    rng.range(1, 29),
                    rng.below(24)
                ),
                extra: vec![],
            });
        }
    }
    out
}

fn atoms(rows: &[Respondent]) -> Atoms {
    Atoms::count(rows.iter().map(|r| Atom {
        region: r.region.clone(),
        deprov: r.deprov.clone(),
        network: r.network.clone(),
        role: r.role.clone(),
    }))
}

fn measure(label: &str, rows: &[Respondent], k: u64, with_audit: bool) {
    let a = atoms(rows);
    let started = Instant::now();
    let d = decide(&a, k);
    let decided = started.elapsed();
    let (small, protects) = d.count_hidden();
    println!(
        "{label}: {} responses, {} atoms, {} groups: decision {:.1} ms ({small} below K, {protects} hidden to protect them)",
        rows.len(),
        a.atoms.len(),
        d.cells().len(),
        decided.as_secs_f64() * 1000.0
    );
    if with_audit {
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
        let started = Instant::now();
        let found = audit(&a, k, &seen, &hidden);
        println!(
            "{label}: audit of every published group together {:.1} ms: {} targets tried, {} recoverable",
            started.elapsed().as_secs_f64() * 1000.0,
            found.targets_tried,
            found.recoverable.len()
        );
    }
    let started = Instant::now();
    let (_, kept) = release(rows, &a, &d, k);
    println!(
        "{label}: researchers' file {:.1} ms: place {:?}, role {:?}; {} of {} rows released; identifying cells exact {:.1} %, generalised {:.1} %, blanked {:.1} %; free text kept in {} rows; smallest class {}",
        started.elapsed().as_secs_f64() * 1000.0,
        kept.geo,
        kept.role,
        kept.rows - kept.rows_withheld,
        kept.rows,
        100.0 * kept.share_exact(),
        100.0 * kept.generalised as f64 / kept.qi_cells.max(1) as f64,
        100.0 * kept.suppressed as f64 / kept.qi_cells.max(1) as f64,
        kept.rows - kept.text_withheld_rows,
        kept.smallest_class.unwrap_or(0)
    );
}

pub fn run(args: DisclosureArgs, _lang: Lang) -> CliResult {
    let national = round(args.networks, args.responses, 11);
    measure("national round", &national, args.k, true);
    let small = round(args.networks.min(50), 4_000, 12);
    measure("round of 4,000", &small, args.k, true);
    Ok(())
}
