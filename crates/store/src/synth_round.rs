//! A synthetic round on a large registry, for benchmarks: for a campaign
//! already invited, some invitees answer the roster (ties to others of
//! their network, with levels and foci), and every network logs a year of
//! sessions. Seeded; written in one transaction per table.

use std::collections::BTreeMap;

use trama_campaign::roster::{Alter, TieAnswer};
use trama_characterise::focus::Focus;
use trama_characterise::year::{Modality, Session};

use crate::campaigns::int;
use crate::db::Fetch;
use crate::synth::Rng;
use crate::{Store, StoreError};

/// What [`Store::seed_synthetic_round`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyntheticRound {
    pub respondents: u64,
    pub ties: u64,
    pub sessions: u64,
}

impl Store {
    /// Roster answers for `respond_pct` % of the campaign's invitees and
    /// `sessions` sessions per network in the campaign's year.
    pub async fn seed_synthetic_round(
        &self,
        campaign_id: i64,
        respond_pct: u64,
        sessions: u32,
        seed: u64,
    ) -> Result<SyntheticRound, StoreError> {
        let campaign = self
            .campaign_by_id(campaign_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let rows = sqlx::query(
            "SELECT id, person_id, network_id FROM invitations \
             WHERE campaign_id = $1 AND revoked_at IS NULL ORDER BY network_id, id",
        )
        .bind(campaign_id)
        .read_all(self.db())
        .await?;
        let mut by_network: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
        for r in &rows {
            by_network
                .entry(int(r, "network_id")?)
                .or_default()
                .push((int(r, "id")?, int(r, "person_id")?));
        }
        let mut rng = Rng::new(seed);
        let mut out = SyntheticRound::default();
        let mut tx = self.begin_write().await?;
        for members in by_network.values() {
            for &(invitation, ego) in members {
                if !rng.chance(respond_pct) {
                    continue;
                }
                out.respondents += 1;
                let mut ties: Vec<TieAnswer> = vec![];
                for &(_, alter) in members {
                    if alter == ego || !rng.chance(35) {
                        continue;
                    }
                    let level = Some(rng.range(1, 5) as u8);
                    let foci = Focus::ALL
                        .iter()
                        .filter(|_| rng.chance(30))
                        .map(|f| f.code().to_owned())
                        .collect();
                    ties.push(TieAnswer {
                        alter: Alter::Member(alter),
                        level,
                        foci,
                    });
                }
                out.ties += ties.len() as u64;
                Store::replace_roster(&mut tx, invitation, "vinculos", &ties).await?;
                sqlx::query("UPDATE invitations SET completed_at = $1 WHERE id = $2")
                    .bind(crate::now())
                    .bind(invitation)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        let network_ids: Vec<i64> = by_network.keys().copied().collect();
        let facts = self.network_facts(campaign.year).await?;
        let mut tx = self.begin_write().await?;
        for f in facts.iter().filter(|f| network_ids.contains(&f.id)) {
            for s in 0..sessions {
                let month = 3 + (s % 9) as i8;
                let session = Session {
                    date: jiff::civil::date(campaign.year as i16, month, 10),
                    duration_min: 90,
                    modality: Modality::InPerson,
                    place: String::new(),
                    agenda: String::new(),
                    foci: Focus::ALL
                        .iter()
                        .copied()
                        .filter(|_| rng.chance(40))
                        .collect(),
                    schools: f
                        .schools
                        .iter()
                        .copied()
                        .filter(|_| rng.chance(80))
                        .collect(),
                    attendees: vec![],
                };
                tx.save_session(f.id, None, &session, &[], None).await?;
                out.sessions += 1;
            }
        }
        tx.commit().await?;
        Ok(out)
    }
}
