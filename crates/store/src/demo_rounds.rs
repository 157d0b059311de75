//! Two closed demo rounds (2025 and 2026) over the demo networks, with
//! answers and ties, so that results and network maps have something to show
//! in `trama serve --demo`.
//!
//! Answers are invented but shaped like the seed's round: about half of the
//! invitees answer (some networks much less, to show the fragile-metrics
//! warning), agreement dominates, each network has its own climate, and ties
//! cluster within schools and around the directors, with a few bridges. The
//! 2026 round keeps most 2025 ties, loses some and gains some, so the wave
//! comparison shows change; each network's character (`demo_year`) then
//! shapes its ties, so every continuum level and process type appears.
//! Everything comes from fixed seeds.

use crate::db::Fetch;
use std::collections::BTreeMap;

use trama_campaign::roster::{Alter, TieAnswer};
use trama_campaign::{ReminderDays, ValidityRule};
use trama_instrument::{FOCI, Instrument};

use crate::campaigns::lifecycle::{CampaignInput, CampaignScope};
use crate::campaigns::ties::RosterEntry;
use crate::synth::Rng;
use crate::{Store, StoreError};

/// Codes, names and years of the demo rounds.
pub const DEMO_ROUNDS: [(&str, &str, i32); 2] = [
    ("RME-2025", "Monitoreo de redes 2025", 2025),
    ("RME-2026", "Monitoreo de redes 2026", 2026),
];

const OPEN_ANSWERS: [(&str, &[&str]); 4] = [
    (
        "facilita",
        &[
            "El calendario de reuniones se conoce con anticipación.",
            "La confianza entre directores y el apoyo del supervisor.",
            "Que las reuniones se hagan en distintos establecimientos.",
            "Tener un tema de trabajo común para el año.",
        ],
    ),
    (
        "dificulta",
        &[
            "La carga administrativa y las urgencias del establecimiento.",
            "Las distancias entre escuelas rurales.",
            "Los cambios de fecha a último momento.",
            "Falta de tiempo para preparar las sesiones.",
        ],
    ),
    (
        "apoyo",
        &[
            "Ideas concretas para el plan de mejoramiento.",
            "Un espacio para compartir dudas con pares.",
            "Materiales de otros establecimientos.",
        ],
    ),
    (
        "practicas",
        &[
            "Visitas de aula entre establecimientos.",
            "Pasantías de jefes de UTP.",
            "Registro de acuerdos y seguimiento.",
        ],
    ),
];

/// The share of invitees who answer, per network (RME1…RME15), in percent;
/// RME13 answers so little that its results stay suppressed.
const RESPONSE_PCT: [u64; 15] = [70, 55, 60, 35, 65, 50, 75, 45, 60, 25, 55, 65, 15, 70, 50];

impl Store {
    /// Creates the demo rounds if they are missing, on the demo registry
    /// ([`Store::seed_demo`] first). Returns whether it did.
    pub async fn seed_demo_rounds(&self) -> Result<bool, StoreError> {
        if self.campaign(DEMO_ROUNDS[0].0).await?.is_some() {
            return Ok(false);
        }
        let stored = self
            .instrument(trama_instrument::default_rme().form_id.as_str(), None)
            .await?
            .ok_or(StoreError::NotFound)?;
        let instrument_version_id = stored.version.id;
        let instrument = stored.instrument;
        let mut previous: BTreeMap<(i64, i64), u8> = BTreeMap::new();
        for (wave, (code, name, year)) in DEMO_ROUNDS.iter().enumerate() {
            let opens = jiff::civil::date(*year as i16, 9, 1);
            let at = |d: jiff::civil::Date| -> Result<i64, StoreError> {
                Ok(d.at(12, 0, 0, 0)
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .map_err(|e| StoreError::Io(e.to_string()))?
                    .timestamp()
                    .as_second())
            };
            let input = CampaignInput {
                code: (*code).to_owned(),
                name: (*name).to_owned(),
                year: *year,
                instrument_version_id,
                scope: CampaignScope::National,
                opens_at: at(opens)?,
                closes_at: at(opens + jiff::Span::new().days(30))?,
                reminder_days: ReminderDays::default(),
                validity: ValidityRule::new(80),
            };
            let id = self
                .write(async |tx| {
                    let id = tx.create_campaign(&input, None).await?;
                    tx.invite_from_registry(id).await?;
                    Ok(id)
                })
                .await?;
            self.write_one(
                sqlx::query("UPDATE campaigns SET status = 'closed', opened_at = $1, closed_at = $2 WHERE id = $3")
                    .bind(at(opens)?)
                    .bind(at(opens + jiff::Span::new().days(30))?)
                    .bind(id),
            )
                .await?;
            let campaign = self.campaign_by_id(id).await?.ok_or(StoreError::NotFound)?;
            let networks = sqlx::query("SELECT DISTINCT network_id FROM invitations WHERE campaign_id = $1 ORDER BY network_id")
                .bind(id)
                .read_all(self.db())
                .await?;
            let mut rng = Rng::new(2025 + wave as u64);
            for row in &networks {
                let network_id: i64 = sqlx::Row::try_get(row, "network_id")?;
                let members = self.network_members(&campaign, network_id).await?;
                let pct = RESPONSE_PCT[(network_id as usize).wrapping_sub(1) % RESPONSE_PCT.len()];
                let climate = rng.range(0, 3) as i64 - 1;
                let character = crate::demo_year::character((network_id as usize).wrapping_sub(1));
                let mut shaping = Rng::new(9_000 + 100 * wave as u64 + network_id as u64);
                for m in &members {
                    if !rng.chance(pct) {
                        continue;
                    }
                    let mut answers = answers(&instrument, climate, &mut rng);
                    crate::demo_year::lift_answers(
                        &mut answers,
                        &instrument,
                        character.0,
                        &mut shaping,
                    );
                    let mut ties = ties(m, &members, &mut previous, wave, &mut rng);
                    crate::demo_year::shape_ties(&mut ties, m, &members, character, &mut shaping);
                    self.demo_response(id, m.person_id, &instrument, &answers, &ties)
                        .await?;
                }
            }
        }
        self.seed_demo_open().await?;
        let years: Vec<i32> = DEMO_ROUNDS.iter().map(|r| r.2).collect();
        self.seed_demo_year(&years).await?;
        Ok(true)
    }

    /// One submitted response with its ties, through the same tables a web
    /// answer uses.
    async fn demo_response(
        &self,
        campaign_id: i64,
        person_id: i64,
        instrument: &Instrument,
        answers: &BTreeMap<String, String>,
        ties: &[TieAnswer],
    ) -> Result<(), StoreError> {
        let inv = sqlx::query(
            "SELECT i.id, i.region_code, i.deprov_code, i.role, n.code, c.year, c.instrument_version_id, c.opens_at \
             FROM invitations i JOIN networks n ON n.id = i.network_id JOIN campaigns c ON c.id = i.campaign_id \
             WHERE i.campaign_id = $1 AND i.person_id = $2",
        )
        .bind(campaign_id)
        .bind(person_id)
        .read_one(self.db())
        .await?;
        use crate::campaigns::{int, opt_int, text};
        let invitation_id = int(&inv, "id")?;
        let at = int(&inv, "opens_at")? + 86_400;
        // Random like a real one: an id derived from the invitation would
        // link answers back to a person.
        let response_id = crate::campaigns::answering::response_id();
        let rating_total = instrument.rating_items().len() as i64;
        let rating_answered = instrument
            .rating_items()
            .iter()
            .filter(|i| answers.contains_key(&i.name))
            .count() as i64;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO responses (id, campaign_id, instrument_version_id, year, region_code, deprov_code, \
             network_code, role, source, page, rating_answered, rating_total, started_at, updated_at, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'web', $9, $10, $11, $12, $12, $12)",
        )
        .bind(response_id.clone())
        .bind(campaign_id)
        .bind(int(&inv, "instrument_version_id")?)
        .bind(int(&inv, "year")?)
        .bind(opt_int(&inv, "region_code")?)
        .bind(opt_int(&inv, "deprov_code")?)
        .bind(text(&inv, "code")?)
        .bind(text(&inv, "role")?)
        .bind(instrument.pages().len() as i64)
        .bind(rating_answered)
        .bind(rating_total)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        for (item, value) in answers {
            sqlx::query("INSERT INTO answers (response_id, item, value) VALUES ($1, $2, $3)")
                .bind(response_id.clone())
                .bind(item.clone())
                .bind(value.clone())
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO response_links (invitation_id, response_id) VALUES ($1, $2)")
            .bind(invitation_id)
            .bind(response_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE invitations SET delivery = 'sent', opened_at = $1, started_at = $1, completed_at = $1 WHERE id = $2")
            .bind(at)
            .bind(invitation_id)
            .execute(&mut *tx)
            .await?;
        if let Some(item) = instrument
            .items
            .iter()
            .find(|i| i.kind == trama_instrument::ItemKind::Roster)
        {
            Store::replace_roster(&mut tx, invitation_id, &item.name, ties).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Agreement answers leaning favourable, shifted by the network's climate
/// (−1, 0, +1), with a few "No aplica" and skipped statements; reverse-keyed
/// statements answered the other way round; some open answers.
fn answers(instrument: &Instrument, climate: i64, rng: &mut Rng) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for item in instrument.rating_items() {
        let roll = rng.range(0, 99);
        if roll < 2 {
            continue;
        }
        if roll < 7 {
            out.insert(item.name.clone(), "NA".to_owned());
            continue;
        }
        // 1..5 with weights 3, 9, 20, 38, 30, moved by the climate.
        let r = rng.range(0, 99) as i64;
        let base = match r {
            0..=2 => 1,
            3..=11 => 2,
            12..=31 => 3,
            32..=69 => 4,
            _ => 5,
        };
        let v = (base + if rng.chance(40) { climate } else { 0 }).clamp(1, 5);
        let v = if item.reverse { 6 - v } else { v };
        out.insert(item.name.clone(), v.to_string());
    }
    for (item, texts) in OPEN_ANSWERS {
        if instrument.items.iter().any(|i| i.name == item) && rng.chance(35) {
            out.insert(item.to_owned(), (*rng.pick(texts)).to_owned());
        }
    }
    out
}

/// A respondent's roster answers: strong ties inside their school, directors
/// and supervisors as hubs, weaker ties across schools, some "unknown".
/// In the second wave most earlier ties stay (levels drift by one).
fn ties(
    ego: &RosterEntry,
    members: &[RosterEntry],
    previous: &mut BTreeMap<(i64, i64), u8>,
    wave: usize,
    rng: &mut Rng,
) -> Vec<TieAnswer> {
    let mut out = vec![];
    for alter in members.iter().filter(|a| a.person_id != ego.person_id) {
        let key = (ego.person_id, alter.person_id);
        let same_school = ego.rbd.is_some() && ego.rbd == alter.rbd;
        let hub = matches!(alter.role.as_str(), "director" | "supervisor");
        let earlier = if wave > 0 {
            previous.get(&key).copied()
        } else {
            None
        };
        let level: Option<u8> = match earlier {
            Some(l) if rng.chance(85) => {
                Some((i64::from(l) + rng.range(0, 2) as i64 - 1).clamp(1, 5) as u8)
            }
            Some(_) => Some(0),
            None => {
                let p = if same_school {
                    90
                } else if hub {
                    45
                } else {
                    18
                };
                if rng.chance(p) {
                    Some(if same_school {
                        rng.range(3, 5)
                    } else {
                        rng.range(1, 4)
                    } as u8)
                } else if rng.chance(12) {
                    None
                } else if rng.chance(50) {
                    Some(0)
                } else {
                    continue;
                }
            }
        };
        if let Some(l) = level.filter(|l| *l > 0) {
            previous.insert(key, l);
        } else {
            previous.remove(&key);
        }
        let foci = match level {
            Some(l) if l > 0 => FOCI
                .iter()
                .enumerate()
                .filter(|(i, _)| {
                    rng.chance(match i {
                        0 => 70,
                        1 => 25 + 8 * u64::from(l),
                        2 | 3 => 15 + 10 * u64::from(l),
                        _ => 5 + 6 * u64::from(l),
                    })
                })
                .map(|(_, f)| (*f).to_owned())
                .collect(),
            _ => vec![],
        };
        out.push(TieAnswer {
            alter: Alter::Member(alter.person_id),
            level,
            foci,
        });
    }
    out
}
