//! `trama disclosure audit` run as every reader of the demo's rounds and of
//! generated rounds full of small networks: nothing below K can be worked
//! out of everything each reader obtains. (That the audit finds an attack
//! when one exists is tested on the attack itself in
//! `trama-results`' disclosure tests.)

use std::collections::BTreeMap;
use std::path::Path;

use trama_campaign::{ReminderDays, ResponseRecord, ValidityRule};
use trama_stdx::rng::SplitMix64;
use trama_store::Store;
use trama_store::campaigns::lifecycle::{CampaignInput, CampaignScope};

use crate::campaign_cli::{runtime, seeded_rounds, trama};

/// Every kind of reader, with the scopes the demo gives them.
fn readers() -> Vec<(&'static str, Option<String>)> {
    let mut out = vec![("national_coordinator", None), ("researcher", None)];
    for r in ["5", "8", "13"] {
        out.push(("regional_coordinator", Some(r.to_owned())));
    }
    for n in 1..=15 {
        out.push(("supervisor", Some(format!("RME{n}"))));
        out.push(("participant", Some(format!("RME{n}"))));
    }
    out
}

fn audit(data: &Path, campaign: &str, role: &str, scope: Option<&str>) -> serde_json::Value {
    let mut args = vec![
        "disclosure",
        "audit",
        "--campaign",
        campaign,
        "--as",
        role,
        "--format",
        "json",
    ];
    if let Some(s) = scope {
        args.extend(["--scope", s]);
    }
    let r = trama(&args, data);
    assert!(
        r.code == 0,
        "{campaign} as {role} {scope:?}: exit {} {}\n{}",
        r.code,
        r.stderr,
        r.out()
    );
    serde_json::from_slice(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.out()))
}

fn audit_everyone(data: &Path, campaign: &str) -> BTreeMap<String, (u64, u64)> {
    let mut seen = BTreeMap::new();
    for (role, scope) in readers() {
        let v = audit(data, campaign, role, scope.as_deref());
        assert_eq!(
            v["recoverable"].as_array().map(Vec::len),
            Some(0),
            "{campaign} as {role} {scope:?}: {v}"
        );
        seen.insert(
            format!("{role} {}", scope.unwrap_or_default()),
            (
                v["published_cells"].as_u64().unwrap_or(0),
                v["suppressed_cells"].as_u64().unwrap_or(0),
            ),
        );
    }
    seen
}

#[test]
fn no_reader_of_the_demo_rounds_can_work_out_a_small_group() {
    let (_dir, data) = seeded_rounds();
    for campaign in ["RME-2025", "RME-2026"] {
        let seen = audit_everyone(&data, campaign);
        let national = seen["national_coordinator "];
        assert!(
            national.0 > 20 && national.1 > 0,
            "{campaign}: {national:?}"
        );
        // A participant reads their network's report only: three groups.
        let p = seen["participant RME1"];
        assert_eq!(p.0 + p.1, 3, "{campaign}: {p:?}");
    }
    let r = trama(
        &[
            "disclosure",
            "audit",
            "--campaign",
            "RME-2026",
            "--format",
            "text",
        ],
        &data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.out().contains("recuperables: 0"), "{}", r.out());
    let r = trama(&["disclosure", "audit", "--campaign", "no-existe"], &data);
    assert_eq!(r.code, 1);
    let r = trama(
        &[
            "disclosure",
            "audit",
            "--campaign",
            "RME-2026",
            "--as",
            "rector",
        ],
        &data,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    // K is the deployment's, never below 3; a larger K hides more.
    let r = trama(
        &[
            "disclosure",
            "audit",
            "--campaign",
            "RME-2026",
            "--min-group",
            "2",
        ],
        &data,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("al menos 3"), "{}", r.stderr);
    let strict = trama(
        &[
            "disclosure",
            "audit",
            "--campaign",
            "RME-2026",
            "--min-group",
            "12",
            "--format",
            "json",
        ],
        &data,
    );
    assert_eq!(strict.code, 0, "{}", strict.stderr);
    let strict: serde_json::Value = serde_json::from_slice(&strict.stdout).unwrap_or_default();
    assert_eq!(strict["k"], 12);
    assert!(
        strict["suppressed_cells"].as_u64().unwrap_or(0) > seen_hidden(&data),
        "K = 12 hides more than K = 5: {strict}"
    );
}

/// A campaign over `sizes` (network → respondents), answered at random.
fn generated(data: &Path, code: &str, sizes: &[(String, usize)], seed: u64) {
    runtime().block_on(async {
        let store = Store::open_dir(data)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let at = places_async(&store).await;
        let version = store
            .instrument("rme", None)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("demo instrument"));
        let t = trama_store::now();
        store
            .write(async |tx| {
                tx.create_campaign(
                    &CampaignInput {
                        code: code.into(),
                        name: format!("Generada {code}"),
                        year: 2027,
                        instrument_version_id: version.version.id,
                        scope: CampaignScope::Networks(sizes.iter().map(|s| s.0.clone()).collect()),
                        opens_at: t - 86_400,
                        closes_at: t + 86_400,
                        reminder_days: ReminderDays::parse("7").unwrap_or_default(),
                        validity: ValidityRule::default(),
                    },
                    None,
                )
                .await
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let c = store
            .campaign(code)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{code}"));
        let instrument = version.instrument;
        let mut rng = SplitMix64::new(seed);
        let mut records = vec![];
        for (network, n) in sizes {
            let (region, deprov) = at.get(network).cloned().unwrap_or_default();
            for i in 0..*n {
                let role = match (i, rng.below(3)) {
                    (0, _) => "supervisor",
                    (_, 0) => "director",
                    (_, 1) => "jefe_utp",
                    _ => "docente",
                };
                let answers = instrument
                    .rating_items()
                    .iter()
                    .map(|it| (it.name.clone(), rng.range(1, 6).to_string()))
                    .collect();
                records.push((
                    records.len() as u64 + 2,
                    ResponseRecord {
                        response_id: String::new(),
                        region: region.clone(),
                        deprov: deprov.clone(),
                        network: network.clone(),
                        role: role.into(),
                        submitted_at: "2027-05-10T12:00:00Z".into(),
                        answers,
                    },
                ));
            }
        }
        store
            .import_responses(&c, &instrument, &records)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store.close().await;
    });
}

fn seen_hidden(data: &Path) -> u64 {
    audit(data, "RME-2026", "national_coordinator", None)["suppressed_cells"]
        .as_u64()
        .unwrap_or(0)
}

/// Where each demo network is (region, DEPROV), from the demo's responses.
async fn places_async(store: &Store) -> BTreeMap<String, (String, String)> {
    let c = store
        .campaign("RME-2026")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("demo round"));
    store
        .response_records(c.id, false)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|r| (r.network, (r.region, r.deprov)))
        .collect()
}

#[test]
fn generated_rounds_of_small_networks_reveal_nothing_to_anyone() {
    let (_dir, data) = seeded_rounds();
    let networks: Vec<String> = runtime()
        .block_on(async {
            let store = Store::open_dir(&data)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let p = places_async(&store).await;
            store.close().await;
            p
        })
        .into_keys()
        .collect();
    for seed in 0..2u64 {
        let mut rng = SplitMix64::new(seed + 40);
        let sizes: Vec<(String, usize)> = networks
            .iter()
            .map(|n| (n.clone(), rng.range(1, 8) as usize))
            .collect();
        let code = format!("gen-{seed}");
        generated(&data, &code, &sizes, seed);
        let seen = audit_everyone(&data, &code);
        let national = seen["national_coordinator "];
        assert!(
            national.1 > 3,
            "{code}: small networks are hidden: {national:?}"
        );
    }
}

#[test]
fn a_network_beside_a_region_of_one_more_person_is_hidden_from_its_own_members() {
    // RME1 has 6 respondents, RME13 (same region) 1: RME1's report beside
    // the region's (7) would give RME13's one person.
    let (_dir, data) = seeded_rounds();
    generated(
        &data,
        "dos-redes",
        &[("RME1".into(), 6), ("RME13".into(), 1)],
        7,
    );
    let v = audit(&data, "dos-redes", "participant", Some("RME1"));
    assert_eq!(v["recoverable"].as_array().map(Vec::len), Some(0), "{v}");
    assert_eq!(
        v["published_cells"].as_u64(),
        Some(2),
        "region and nation: {v}"
    );
    assert_eq!(v["suppressed_cells"].as_u64(), Some(1), "RME1 itself: {v}");
}
