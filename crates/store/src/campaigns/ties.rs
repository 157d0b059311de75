//! Roster answers (who works with whom) and the network maps built from them.
//!
//! Ties sit on the identity side, keyed by the respondent's invitation: they
//! name people, so they are never joined to the anonymous answers. Who may
//! read them with names is the web layer's policy question; this module only
//! reads and writes.

use crate::db::Fetch;
use std::collections::BTreeMap;

use trama_campaign::roster::{Alter, Member, StoredTie, TieAnswer};
use trama_domain::policy::MapView;

use super::lifecycle::Campaign;
use super::{int, opt_int, opt_text, text};
use crate::{Store, StoreError, now};

/// A member of the roster as the respondent sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub person_id: i64,
    pub name: String,
    pub role: String,
    pub rbd: Option<i64>,
    pub school: Option<String>,
    pub responded: bool,
}

impl RosterEntry {
    pub fn member(&self) -> Member {
        Member {
            person_id: self.person_id,
            role: self.role.clone(),
            rbd: self.rbd,
            responded: self.responded,
            name: None,
        }
    }
}

/// A network's map in one campaign: its members (with names, for those
/// allowed to see them) and the ties among them.
#[derive(Debug, Clone, Default)]
pub struct NetworkMap {
    pub members: Vec<RosterEntry>,
    pub ties: Vec<StoredTie>,
    /// Ties to people named outside the roster: (ego, name, RBD, level).
    pub unlisted: Vec<(i64, String, Option<i64>, Option<u8>)>,
}

impl NetworkMap {
    pub fn member_facts(&self) -> Vec<Member> {
        self.members.iter().map(RosterEntry::member).collect()
    }
}

fn level_of(v: Option<i64>) -> Option<u8> {
    v.and_then(|l| u8::try_from(l).ok())
}

fn foci_of(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

impl Store {
    /// Everyone invited in a network for a campaign (revoked invitations
    /// aside), with their school in the campaign's year: the roster a
    /// respondent rates and the nodes of the network's map. Sorted by
    /// school, then name.
    pub async fn network_members(
        &self,
        campaign: &Campaign,
        network_id: i64,
    ) -> Result<Vec<RosterEntry>, StoreError> {
        Ok(self
            .members_of(campaign, Some(network_id))
            .await?
            .remove(&network_id)
            .unwrap_or_default())
    }

    /// Members by network, of one network or of every network of the
    /// campaign (two queries either way).
    async fn members_of(
        &self,
        campaign: &Campaign,
        network: Option<i64>,
    ) -> Result<BTreeMap<i64, Vec<RosterEntry>>, StoreError> {
        // Network 0 stands for "every network": ids start at 1.
        let only = network.unwrap_or(0);
        let rows = sqlx::query(
            "SELECT i.network_id, p.id, p.name, i.role, i.completed_at, \
             (SELECT MIN(a.rbd) FROM affiliations a JOIN network_schools ns ON ns.rbd = a.rbd \
               WHERE a.person_id = p.id AND ns.network_id = i.network_id \
               AND a.from_year <= $3 AND (a.to_year IS NULL OR a.to_year >= $3) \
               AND ns.from_year <= $3 AND (ns.to_year IS NULL OR ns.to_year >= $3)) AS rbd \
             FROM invitations i JOIN people p ON p.id = i.person_id \
             WHERE i.campaign_id = $1 AND ($2 = 0 OR i.network_id = $2) AND i.revoked_at IS NULL",
        )
        .bind(campaign.id)
        .bind(only)
        .bind(i64::from(campaign.year))
        .read_all(self.db())
        .await?;
        let names = sqlx::query(
            "SELECT ns.network_id, s.rbd, s.name FROM schools s \
             JOIN network_schools ns ON ns.rbd = s.rbd WHERE ($1 = 0 OR ns.network_id = $1)",
        )
        .bind(only)
        .read_all(self.db())
        .await?
        .iter()
        .map(|r| Ok(((int(r, "network_id")?, int(r, "rbd")?), text(r, "name")?)))
        .collect::<Result<BTreeMap<(i64, i64), String>, sqlx::Error>>()?;
        let mut by_network: BTreeMap<i64, Vec<RosterEntry>> = BTreeMap::new();
        for r in &rows {
            let network_id = int(r, "network_id")?;
            let rbd = opt_int(r, "rbd")?;
            by_network.entry(network_id).or_default().push(RosterEntry {
                person_id: int(r, "id")?,
                name: text(r, "name")?,
                role: text(r, "role")?,
                rbd,
                school: rbd.and_then(|x| names.get(&(network_id, x)).cloned()),
                responded: opt_int(r, "completed_at")?.is_some(),
            });
        }
        for members in by_network.values_mut() {
            members.sort_by(|a, b| {
                (a.rbd.is_none(), &a.school, &a.name, a.person_id).cmp(&(
                    b.rbd.is_none(),
                    &b.school,
                    &b.name,
                    b.person_id,
                ))
            });
        }
        Ok(by_network)
    }

    /// The invitation's person and network, for building their roster.
    pub async fn invitation_person(&self, invitation_id: i64) -> Result<(i64, i64), StoreError> {
        let r = sqlx::query("SELECT person_id, network_id FROM invitations WHERE id = $1")
            .bind(invitation_id)
            .read_optional(self.db())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((int(&r, "person_id")?, int(&r, "network_id")?))
    }

    /// A respondent's stored roster answers for one roster item.
    pub async fn roster_answers(
        &self,
        invitation_id: i64,
        item: &str,
    ) -> Result<Vec<TieAnswer>, StoreError> {
        let rows = sqlx::query(
            "SELECT alter_key, alter_person_id, alter_name, alter_rbd, level, foci FROM ties \
             WHERE invitation_id = $1 AND item = $2 ORDER BY alter_key",
        )
        .bind(invitation_id)
        .bind(item.to_owned())
        .read_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                let alter = match opt_int(r, "alter_person_id")? {
                    Some(id) => Alter::Member(id),
                    None => Alter::Unlisted {
                        slot: text(r, "alter_key")?
                            .trim_start_matches('u')
                            .parse()
                            .unwrap_or(0),
                        name: opt_text(r, "alter_name")?.unwrap_or_default(),
                        rbd: opt_int(r, "alter_rbd")?,
                    },
                };
                Ok(TieAnswer {
                    alter,
                    level: level_of(opt_int(r, "level")?),
                    foci: foci_of(&text(r, "foci")?),
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Replaces a respondent's answers to one roster item, in the
    /// transaction `tx` (the page save's, so a page and its roster are
    /// accepted together or not at all).
    pub(crate) async fn replace_roster(
        tx: &mut crate::WriteTx,
        invitation_id: i64,
        item: &str,
        ties: &[TieAnswer],
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM ties WHERE invitation_id = $1 AND item = $2")
            .bind(invitation_id)
            .bind(item.to_owned())
            .execute(&mut **tx)
            .await?;
        sqlx::query("UPDATE invitations SET ties_version = ties_version + 1 WHERE id = $1")
            .bind(invitation_id)
            .execute(&mut **tx)
            .await?;
        let t = now();
        for tie in ties {
            let (person, name, rbd) = match &tie.alter {
                Alter::Member(id) => (Some(*id), None, None),
                Alter::Unlisted { name, rbd, .. } => (None, Some(name.clone()), *rbd),
            };
            sqlx::query(
                "INSERT INTO ties (invitation_id, item, alter_key, alter_person_id, alter_name, alter_rbd, \
                 level, foci, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(invitation_id)
            .bind(item.to_owned())
            .bind(tie.alter.key())
            .bind(person)
            .bind(name)
            .bind(rbd)
            .bind(tie.level.map(i64::from))
            .bind(tie.foci.join(" "))
            .bind(t)
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// A network's members and ties in a campaign (every roster item pooled;
    /// when one person rated another twice, the highest level counts).
    pub async fn network_map(
        &self,
        campaign: &Campaign,
        network_id: i64,
    ) -> Result<NetworkMap, StoreError> {
        Ok(self
            .maps_of(campaign, Some(network_id))
            .await?
            .remove(&network_id)
            .unwrap_or_default())
    }

    /// The map of every network of a campaign, by network id, in a fixed
    /// number of queries (for national tables).
    pub async fn campaign_maps(
        &self,
        campaign: &Campaign,
    ) -> Result<BTreeMap<i64, NetworkMap>, StoreError> {
        self.maps_of(campaign, None).await
    }

    async fn maps_of(
        &self,
        campaign: &Campaign,
        network: Option<i64>,
    ) -> Result<BTreeMap<i64, NetworkMap>, StoreError> {
        let mut maps: BTreeMap<i64, NetworkMap> = self
            .members_of(campaign, network)
            .await?
            .into_iter()
            .map(|(id, members)| {
                (
                    id,
                    NetworkMap {
                        members,
                        ..NetworkMap::default()
                    },
                )
            })
            .collect();
        let rows = sqlx::query(
            "SELECT i.network_id, i.person_id AS ego, t.alter_person_id, t.alter_name, t.alter_rbd, \
             t.level, t.foci FROM ties t JOIN invitations i ON i.id = t.invitation_id \
             WHERE i.campaign_id = $1 AND ($2 = 0 OR i.network_id = $2) AND i.revoked_at IS NULL \
             ORDER BY i.network_id, i.person_id, t.alter_key, t.item",
        )
        .bind(campaign.id)
        .bind(network.unwrap_or(0))
        .read_all(self.db())
        .await?;
        let mut ties: BTreeMap<(i64, i64, i64), StoredTie> = BTreeMap::new();
        for r in &rows {
            let network_id = int(r, "network_id")?;
            let ego = int(r, "ego")?;
            let level = level_of(opt_int(r, "level")?);
            match opt_int(r, "alter_person_id")? {
                Some(alter) => {
                    let entry = ties.entry((network_id, ego, alter)).or_insert(StoredTie {
                        ego,
                        alter,
                        level,
                        foci: vec![],
                    });
                    entry.level = entry.level.max(level);
                    for f in foci_of(&text(r, "foci")?) {
                        if !entry.foci.contains(&f) {
                            entry.foci.push(f);
                        }
                    }
                }
                None => maps.entry(network_id).or_default().unlisted.push((
                    ego,
                    opt_text(r, "alter_name")?.unwrap_or_default(),
                    opt_int(r, "alter_rbd")?,
                    level,
                )),
            }
        }
        for ((network_id, _, _), tie) in ties {
            maps.entry(network_id).or_default().ties.push(tie);
        }
        Ok(maps)
    }

    /// Campaigns that invited people of a network, newest first.
    pub async fn network_campaigns(&self, network_id: i64) -> Result<Vec<Campaign>, StoreError> {
        let ids = sqlx::query("SELECT DISTINCT campaign_id FROM invitations WHERE network_id = $1")
            .bind(network_id)
            .read_all(self.db())
            .await?;
        let mut out = vec![];
        for r in &ids {
            if let Some(c) = self.campaign_by_id(int(r, "campaign_id")?).await? {
                out.push(c);
            }
        }
        out.sort_by_key(|c| std::cmp::Reverse((c.year, c.created_at, c.id)));
        Ok(out)
    }

    /// A network's code and name, by id.
    pub async fn network_by_id(&self, id: i64) -> Result<Option<(String, String)>, StoreError> {
        let r = sqlx::query("SELECT code, name FROM networks WHERE id = $1")
            .bind(id)
            .read_optional(self.db())
            .await?;
        Ok(r.as_ref()
            .map(|r| Ok::<_, sqlx::Error>((text(r, "code")?, text(r, "name")?)))
            .transpose()?)
    }

    /// The networks a campaign invited, by id.
    pub async fn campaign_networks(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<InvitedNetwork>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT i.network_id, n.code, n.region_code FROM invitations i \
             JOIN networks n ON n.id = i.network_id WHERE i.campaign_id = $1 ORDER BY i.network_id",
        )
        .bind(campaign_id)
        .read_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InvitedNetwork {
                    id: int(r, "network_id")?,
                    code: text(r, "code")?,
                    region: int(r, "region_code")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// What a network's map in the campaign is made of, per network: its
    /// region and a stamp that moves whenever its members or ties may have
    /// (roster answers replaced, invitations added or revoked); with a stamp
    /// of the registry's memberships, which move every network's members.
    pub async fn map_stamps(&self, campaign_id: i64) -> Result<MapStamps, StoreError> {
        let rows = sqlx::query(
            "SELECT i.network_id, n.region_code, COALESCE(SUM(i.ties_version), 0) AS t, COUNT(*) AS c, \
             SUM(CASE WHEN i.revoked_at IS NULL THEN 1 ELSE 0 END) AS live FROM invitations i \
             JOIN networks n ON n.id = i.network_id WHERE i.campaign_id = $1 \
             GROUP BY i.network_id, n.region_code ORDER BY i.network_id",
        )
        .bind(campaign_id)
        .read_all(self.db())
        .await?;
        let registry = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM network_schools) AS s, (SELECT COUNT(*) FROM people) AS p",
        )
        .read_one(self.db())
        .await?;
        Ok(MapStamps {
            registry: [int(&registry, "s")?, int(&registry, "p")?],
            networks: rows
                .iter()
                .map(|r| {
                    Ok((
                        int(r, "network_id")?,
                        int(r, "region_code")?,
                        [int(r, "t")?, int(r, "c")?, int(r, "live")?],
                    ))
                })
                .collect::<Result<_, sqlx::Error>>()?,
        })
    }

    /// Sets what participants see of their network's map in a campaign.
    pub async fn set_sna_view(&self, campaign_id: i64, view: MapView) -> Result<(), StoreError> {
        self.write_one(
            sqlx::query("UPDATE campaigns SET sna_view = $1 WHERE id = $2")
                .bind(view.min(MapView::Anonymous).as_str())
                .bind(campaign_id),
        )
        .await?;
        Ok(())
    }
}

/// A network a campaign invited, with its region's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitedNetwork {
    pub id: i64,
    pub code: String,
    pub region: i64,
}

/// See [`Store::map_stamps`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapStamps {
    pub registry: [i64; 2],
    /// (network id, region code, stamp).
    pub networks: Vec<(i64, i64, [i64; 3])>,
}
