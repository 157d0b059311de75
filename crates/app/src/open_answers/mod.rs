//! Open answers of a campaign: read per question and group, coded with a
//! codebook of themes per question, counted by theme and region, exported.
//!
//! Anonymity is decided on the data, before any adapter renders or writes
//! anything. The groups are the campaign's valid respondents; which of them
//! may be shown is the campaign's one disclosure decision (the results'),
//! the same for every viewer. So a list for a shown group, minus the lists
//! of other shown groups or any results table, never isolates the answers
//! of a hidden group. Within a shown list, an answer carries its region and
//! network only when that group is shown too.
//!
//! Answers are named by a key private to the codebook ([`answer_key`]), a
//! hash of the campaign, the question and the response: nothing in a page,
//! form or export joins an answer to the researchers' file (which has no
//! response ids) nor to the same person's answer to another question.
//!
//! Who reads what is the policy's [`Action::ReadOpenAnswers`]: the campaign
//! on its target, then the group a filter asks for on that group's target.
//! Coding is [`Action::CodeOpenAnswers`] at the answer's region; the
//! codebook, [`Action::EditCodebook`] on the campaign.

pub mod codebook;
pub mod coding;
pub mod export;
mod groups;

use std::collections::BTreeMap;
use std::sync::Arc;

use trama_domain::network::NetworkCode;
use trama_domain::policy::{self, Action, Actor, Results, Scope, Target};
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_instrument::{Instrument, ItemKind};
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::open_answers::{
    OpenAnswer, OpenFilter, Theme, ThemeCounts, ThemeFilter, theme_counts,
};

use crate::access::{allow, may};
use crate::campaigns::{CampaignRef, find};
use crate::{App, Error, Result};
pub use groups::Groups;

/// How far a viewer reads without a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    National,
    Region(i64),
    Networks(Vec<String>),
}

/// What a list asks for; the adapter parses it from wherever it comes.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Words to look for (accents and case ignored).
    pub q: String,
    pub region: Option<i64>,
    pub network: Option<String>,
    pub theme: ThemeFilter,
}

/// A campaign's open answers as one viewer may read them.
pub struct Scene {
    pub campaign: Campaign,
    pub target: Target,
    pub reach: Reach,
    pub groups: Groups,
    /// The anonymity threshold the groups were judged by.
    pub k: u64,
    instrument: Arc<Instrument>,
}

/// The campaign's open answers for `actor`, or a refusal.
pub async fn scene(app: &App, actor: &Actor, code: &str) -> Result<Scene> {
    let CampaignRef { campaign, target } = find(app, code).await?;
    allow(actor, Action::ReadOpenAnswers, &target)?;
    let reach = match policy::reading_scope(actor).ok_or(Error::Forbidden)? {
        Scope::All => Reach::National,
        Scope::Region(r) => Reach::Region(i64::from(r.0)),
        Scope::Networks(ids) => {
            let mut codes = vec![];
            for id in ids {
                if let Some((code, _)) = app.store.network_by_id(id).await? {
                    codes.push(code);
                }
            }
            Reach::Networks(codes)
        }
    };
    let instrument = app.instrument(campaign.instrument_version_id).await?;
    let k = app.min_group();
    let data = crate::results::Data::load(app, campaign.clone()).await?;
    let groups = Groups::new(
        &app.store.open_respondents(&campaign).await?,
        k,
        data.decision(),
    );
    Ok(Scene {
        campaign,
        target,
        reach,
        groups,
        k,
        instrument,
    })
}

impl Scene {
    /// The open questions of the campaign's instrument: (name, label). A
    /// text item shown only under a condition (the role's "other: which?")
    /// is a follow-up describing the respondent, not an open question, and
    /// could single them out: it is left out.
    pub fn questions(&self, lang: Lang) -> Vec<(String, String)> {
        self.instrument
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Text && i.relevant.is_none())
            .map(|i| (i.name.clone(), i.label(lang).to_owned()))
            .collect()
    }

    /// The label of an open question, or `NotFound` for anything else.
    pub fn question(&self, item: &str, lang: Lang) -> Result<String> {
        self.questions(lang)
            .into_iter()
            .find(|(n, _)| n == item)
            .map(|(_, l)| l)
            .ok_or(Error::NotFound)
    }

    /// `NotFound` for anything but an open question of the campaign.
    pub fn require_question(&self, item: &str) -> Result<()> {
        self.question(item, Lang::Es).map(|_| ())
    }

    /// Whether an answer lies in what the viewer reads without a filter, in
    /// a group large enough to be shown.
    pub fn within_reach(&self, a: &OpenAnswer) -> bool {
        match &self.reach {
            Reach::National => self.groups.national_shown(),
            Reach::Region(r) => a.region == Some(*r) && self.groups.region_shown(a.region),
            Reach::Networks(codes) => a
                .network
                .as_ref()
                .is_some_and(|n| codes.contains(n) && self.groups.network_shown(n)),
        }
    }

    /// The answer's region, when that group is shown.
    pub fn shown_region(&self, a: &OpenAnswer) -> Option<i64> {
        a.region.filter(|_| self.groups.region_shown(a.region))
    }

    /// The answer's network, when that group is shown.
    pub fn shown_network<'a>(&self, a: &'a OpenAnswer) -> Option<&'a str> {
        a.network
            .as_deref()
            .filter(|n| self.groups.network_shown(n))
    }

    /// Whether the actor may code this answer (the list offers the form).
    pub fn may_code(&self, actor: &Actor, a: &OpenAnswer) -> bool {
        may(actor, Action::CodeOpenAnswers, &answer_target(a)) && self.within_reach(a)
    }
}

/// Where an answer sits for coding: the respondent's region, which is what
/// a coordinator's right is bounded by.
fn answer_target(a: &OpenAnswer) -> Target {
    Target::in_region(a.region.map(|r| RegionCode(r as i16)), vec![])
}

/// Whether `actor` may read a region's group of the campaign. The group is
/// read whole, so beyond the open answers of the region's place it takes the
/// right to that region's responses: a supervisor of one of its networks
/// reads only their networks.
async fn may_read_region(app: &App, actor: &Actor, r: i64) -> Result<bool> {
    let t = app.store.region_target(RegionCode(r as i16)).await?;
    Ok(may(actor, Action::ReadOpenAnswers, &t) && may(actor, Action::ExportResponses, &t))
}

/// Whether `actor` may read a network's group (`t`, the network's target):
/// as with the network reports, it takes the right to that network's
/// report, which researchers do not have.
fn may_read_network(actor: &Actor, t: &Target) -> bool {
    may(actor, Action::ReadOpenAnswers, t) && may(actor, Action::ReadResults(Results::Network), t)
}

/// The group a request reads: its filter, its size, and whether it is shown.
pub struct Group {
    pub filter: OpenFilter,
    pub respondents: u64,
    pub shown: bool,
    /// True when the group is the whole campaign (the by-region table applies).
    pub national: bool,
}

/// Turns the filters into the group the viewer reads, checking their right
/// to each filter through the policy, and the group's size (shown or not; a
/// group too small is not an error, the list is then empty).
pub async fn group(app: &App, actor: &Actor, scene: &Scene, f: &Filter) -> Result<Group> {
    let g = &scene.groups;
    if let Some(network) = f.network.as_deref().filter(|n| !n.is_empty()) {
        let code = NetworkCode::parse(network).map_err(|_| Error::NotFound)?;
        let t = app
            .store
            .network_target(&code)
            .await?
            .ok_or(Error::NotFound)?;
        if !may_read_network(actor, &t) {
            return Err(Error::Forbidden);
        }
        let code = code.as_str().to_owned();
        return Ok(Group {
            respondents: g.network_size(&code),
            shown: g.network_shown(&code),
            filter: OpenFilter {
                networks: Some(vec![code]),
                ..Default::default()
            },
            national: false,
        });
    }
    if let Some(r) = f.region {
        if !may_read_region(app, actor, r).await? {
            return Err(Error::Forbidden);
        }
        return Ok(Group {
            respondents: g.region_size(Some(r)),
            shown: g.region_shown(Some(r)),
            filter: OpenFilter {
                region: Some(r),
                ..Default::default()
            },
            national: false,
        });
    }
    Ok(match &scene.reach {
        Reach::National => Group {
            respondents: g.total,
            shown: g.national_shown(),
            filter: OpenFilter::default(),
            national: true,
        },
        Reach::Region(r) => Group {
            respondents: g.region_size(Some(*r)),
            shown: g.region_shown(Some(*r)),
            filter: OpenFilter {
                region: Some(*r),
                ..Default::default()
            },
            national: false,
        },
        Reach::Networks(codes) => {
            // Each network is its own group: only those large enough.
            let shown: Vec<String> = codes
                .iter()
                .filter(|c| g.network_shown(c))
                .cloned()
                .collect();
            Group {
                respondents: shown.iter().map(|c| g.network_size(c)).sum(),
                shown: !shown.is_empty(),
                filter: OpenFilter {
                    networks: Some(shown),
                    ..Default::default()
                },
                national: false,
            }
        }
    })
}

/// The answers of a shown group that the filter's words and theme keep;
/// nothing at all of a group below the threshold is read.
async fn filtered(
    app: &App,
    scene: &Scene,
    item: &str,
    g: &Group,
    f: &Filter,
) -> Result<Vec<OpenAnswer>> {
    if !g.shown {
        return Ok(vec![]);
    }
    let q = f.q.trim();
    Ok(app
        .store
        .open_answers(
            &scene.campaign,
            item,
            &OpenFilter {
                q: Some(q.to_owned()).filter(|q| !q.is_empty()),
                theme: f.theme,
                ..g.filter.clone()
            },
        )
        .await?)
}

/// An open question with how many answers the viewer's group gave.
pub struct Question {
    pub name: String,
    pub label: String,
    /// `None` when the viewer's group is too small to be shown.
    pub answers: Option<usize>,
}

pub struct Index {
    pub scene: Scene,
    pub shown: bool,
    pub questions: Vec<Question>,
}

/// The campaign's open questions with their answer counts.
pub async fn index(app: &App, actor: &Actor, code: &str, lang: Lang) -> Result<Index> {
    let scene = scene(app, actor, code).await?;
    let g = group(app, actor, &scene, &Filter::default()).await?;
    let mut questions = vec![];
    for (name, label) in scene.questions(lang) {
        let answers = if g.shown {
            Some(
                app.store
                    .open_answers(&scene.campaign, &name, &g.filter)
                    .await?
                    .len(),
            )
        } else {
            None
        };
        questions.push(Question {
            name,
            label,
            answers,
        });
    }
    Ok(Index {
        shown: g.shown,
        scene,
        questions,
    })
}

/// One question's answers as the viewer reads them, with its codebook.
pub struct Listing {
    pub scene: Scene,
    /// The question's name (what its answers' keys are made with).
    pub item: String,
    pub question: String,
    pub group: Group,
    pub themes: Vec<Theme>,
    /// Every answer of the group: what the counts are over.
    pub counts: ThemeCounts,
    /// The answers the filter keeps, in the store's order.
    pub listed: Vec<OpenAnswer>,
    /// Whether counts go by region: only for a country-wide reader of the
    /// whole campaign.
    pub by_region: bool,
    /// Regions the viewer may pick (only offered to country-wide readers).
    pub regions: Vec<i64>,
    /// Networks of the campaign the viewer may pick, in natural order.
    pub networks: Vec<String>,
    pub may_edit_codebook: bool,
}

pub async fn list(
    app: &App,
    actor: &Actor,
    code: &str,
    item: &str,
    f: &Filter,
    lang: Lang,
) -> Result<Listing> {
    let scene = scene(app, actor, code).await?;
    let question = scene.question(item, lang)?;
    let group = group(app, actor, &scene, f).await?;
    let themes = app.store.open_themes(scene.campaign.id, item).await?;
    let all = filtered(app, &scene, item, &group, &Filter::default()).await?;
    let listed = filtered(app, &scene, item, &group, f).await?;
    let by_region = group.national && scene.reach == Reach::National;
    let mut regions = vec![];
    if scene.reach == Reach::National {
        for r in scene.groups.regions.keys().filter_map(|r| *r) {
            if may_read_region(app, actor, r).await? {
                regions.push(r);
            }
        }
    }
    let mut networks = vec![];
    for code in scene.groups.networks.keys() {
        let Ok(parsed) = NetworkCode::parse(code) else {
            continue;
        };
        if let Some(t) = app.store.network_target(&parsed).await?
            && may_read_network(actor, &t)
        {
            networks.push(code.clone());
        }
    }
    networks.sort_by_key(|c| natural_key(c));
    Ok(Listing {
        may_edit_codebook: may(actor, Action::EditCodebook, &scene.target),
        counts: theme_counts(&all),
        scene,
        item: item.to_owned(),
        question,
        group,
        themes,
        listed,
        by_region,
        regions,
        networks,
    })
}

/// Natural order: RME2 before RME10.
fn natural_key(c: &str) -> (String, u64, String) {
    let digits: String = c.chars().filter(char::is_ascii_digit).collect();
    (
        c.trim_end_matches(|ch: char| ch.is_ascii_digit())
            .to_owned(),
        digits.parse::<u64>().unwrap_or(0),
        c.to_owned(),
    )
}

/// The key an answer goes by in pages, forms and exports: private to the
/// codebook (per campaign and question), never the response id.
pub fn answer_key(campaign: &Campaign, item: &str, response_id: &str) -> String {
    let full = trama_store::accounts::hash_secret(&format!(
        "trama open answer\u{0}{}\u{0}{item}\u{0}{response_id}",
        campaign.id
    ));
    full.chars().take(24).collect()
}

/// Theme id → theme, for rendering an answer's themes.
pub fn by_id(themes: &[Theme]) -> BTreeMap<i64, &Theme> {
    themes.iter().map(|t| (t.id, t)).collect()
}

#[cfg(test)]
mod tests {
    use super::natural_key;

    #[test]
    fn networks_sort_by_their_number() {
        let mut codes = vec!["RME10", "RME2", "ABC1"];
        codes.sort_by_key(|c| natural_key(c));
        assert_eq!(codes, ["ABC1", "RME2", "RME10"]);
    }
}
