//! The one place where Trama decides who may do what.
//!
//! Every use case asks [`allows`] (or [`allows_any`], [`registry_scope`],
//! [`reading_scope`], [`map_view`]) with the signed-in [`Actor`] and a
//! [`Target`] the store builds from the record itself: a school's real
//! region, a campaign's real scope. Nothing else in the code base compares
//! roles; a tidy test keeps it so. The route × role matrix in the web crate
//! drives every route with every role against these rules.

use serde::Serialize;

use crate::account::AccountRole;
use crate::territory::RegionCode;

/// The signed-in account, with the scope its role grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: i64,
    pub role: AccountRole,
    /// The region of a regional coordinator.
    pub region: Option<RegionCode>,
    /// Network ids a supervisor coordinates or a participant belongs to.
    pub networks: Vec<i64>,
}

impl Actor {
    /// The operator at the command line: whoever holds the database holds
    /// everything in it, so commands act with national reach, audited as
    /// nobody in particular.
    pub fn operator() -> Actor {
        Actor {
            user_id: 0,
            role: AccountRole::NationalCoordinator,
            region: None,
            networks: vec![],
        }
    }

    /// The account to name in the audit log (none for the operator).
    pub fn audit_id(&self) -> Option<i64> {
        (self.user_id > 0).then_some(self.user_id)
    }
}

/// Which report of a campaign's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Results {
    /// The national dashboard, an item's page, the year comparison.
    Campaign,
    /// A region's page: the region against the nation, its networks.
    Region,
    /// One network's report.
    Network,
}

/// What someone wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read registry records (territory, networks, schools, people).
    ViewRegistry,
    /// Create or change networks, schools, people and memberships, at the
    /// target's place (a new record's region, a school joining a network).
    EditRegistry,
    /// Bulk imports (Directorio, networks, people).
    ImportRegistry,
    /// Create accounts and API tokens for others; erase people.
    ManageAccounts,
    /// See campaigns and their response funnel.
    ViewCampaigns,
    /// Create, open and close campaigns, edit their invitation lists, send
    /// invitations and reminders, read the outbox.
    ManageCampaigns,
    /// Invite this person (or into this network) in a campaign one manages:
    /// only people and networks within one's own reach.
    InviteIntoCampaign,
    /// Take a campaign's personal links for a mail merge. Links are the
    /// participants' keys: they are handed over once, then only the fact
    /// remains.
    ExportOutbox,
    /// Download responses (never with identity).
    ExportResponses,
    /// Read aggregated results at one level.
    ReadResults(Results),
    /// Read the open answers of a campaign, or of the target's group.
    ReadOpenAnswers,
    /// Assign themes to open answers at the target's place.
    CodeOpenAnswers,
    /// Change a campaign's codebook of themes.
    EditCodebook,
    /// Read what kind of network it is — profile, typology, continuum, plan
    /// and sessions at school level — or the national table cut to one's
    /// scope.
    ReadCharacterisation,
    /// Write a network's plan and session log: its supervisor and the
    /// coordinators over it.
    EditNetworkYear,
    /// See people by name in a network's characterisation: who attended its
    /// sessions, who its system leaders are. As [`map_view`] gives names:
    /// the network's supervisor and national coordinators.
    ReadNetworkPeople,
}

/// Where the thing acted upon sits: the regions it lies in and the networks
/// it belongs to. Built by the store from the record, never guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// Every region the thing lies in: one for a network or a school, each
    /// region of a campaign over several.
    pub regions: Vec<RegionCode>,
    pub networks: Vec<i64>,
    /// Country-wide: a national campaign, a bulk import, a list across the
    /// country (which readers then see cut to their own scope).
    pub national: bool,
}

impl Target {
    /// A country-wide operation or list.
    pub fn national() -> Self {
        Target {
            national: true,
            ..Default::default()
        }
    }

    /// A thing in one region (a new network, a school by its comuna).
    pub fn region(region: RegionCode) -> Self {
        Target {
            regions: vec![region],
            ..Default::default()
        }
    }

    /// A thing in `region` belonging to `networks`.
    pub fn in_region(region: Option<RegionCode>, networks: Vec<i64>) -> Self {
        Target {
            regions: region.into_iter().collect(),
            networks,
            national: false,
        }
    }

    /// A thing spanning several regions and networks (a campaign).
    pub fn spanning(mut regions: Vec<RegionCode>, mut networks: Vec<i64>) -> Self {
        regions.sort();
        regions.dedup();
        networks.sort_unstable();
        networks.dedup();
        Target {
            regions,
            networks,
            national: false,
        }
    }

    /// The single region the thing lies in, if it lies in exactly one.
    pub fn single_region(&self) -> Option<RegionCode> {
        match self.regions.as_slice() {
            [r] if !self.national => Some(*r),
            _ => None,
        }
    }

    fn lies_within(&self, r: RegionCode) -> bool {
        !self.national && !self.regions.is_empty() && self.regions.iter().all(|x| *x == r)
    }

    fn touches(&self, r: RegionCode) -> bool {
        self.national || self.regions.contains(&r)
    }

    fn shares_network(&self, ids: &[i64]) -> bool {
        self.networks.iter().any(|n| ids.contains(n))
    }
}

/// Which part of the registry (or of a campaign's respondents) an actor may
/// read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Region(RegionCode),
    Networks(Vec<i64>),
}

/// The registry an actor may read, or `None` when they may read none of it.
pub fn registry_scope(actor: &Actor) -> Option<Scope> {
    match actor.role {
        AccountRole::NationalCoordinator => Some(Scope::All),
        AccountRole::RegionalCoordinator => actor.region.map(Scope::Region),
        AccountRole::Supervisor => Some(Scope::Networks(actor.networks.clone())),
        // Participants answer questionnaires; researchers get anonymised
        // exports. Neither browses names and emails of others.
        AccountRole::Participant | AccountRole::Researcher => None,
    }
}

/// The respondents whose aggregated answers an actor reads by default in a
/// campaign they may read: researchers work with the whole country's
/// anonymous data, others within their registry scope.
pub fn reading_scope(actor: &Actor) -> Option<Scope> {
    match actor.role {
        AccountRole::Researcher => Some(Scope::All),
        _ => registry_scope(actor),
    }
}

/// Everything inside the scope's reach (a list readers see cut to their scope
/// counts as inside).
fn within(scope: &Scope, target: &Target) -> bool {
    match scope {
        Scope::All => true,
        _ if target.national => false,
        Scope::Region(r) => target.lies_within(*r),
        Scope::Networks(ids) => target.shares_network(ids),
    }
}

/// Whether a campaign-like target concerns the scope at all.
fn concerns(scope: &Scope, target: &Target) -> bool {
    match scope {
        Scope::All => true,
        Scope::Region(r) => target.touches(*r),
        Scope::Networks(ids) => target.national || target.shares_network(ids),
    }
}

/// National coordinators everywhere; regional coordinators inside their region.
fn coordinates(actor: &Actor, target: &Target) -> bool {
    match actor.role {
        AccountRole::NationalCoordinator => true,
        AccountRole::RegionalCoordinator => actor.region.is_some_and(|r| target.lies_within(r)),
        _ => false,
    }
}

fn supervises(actor: &Actor, target: &Target) -> bool {
    actor.role == AccountRole::Supervisor && target.shares_network(&actor.networks)
}

fn is_member(actor: &Actor, target: &Target) -> bool {
    actor.role == AccountRole::Participant && target.shares_network(&actor.networks)
}

pub fn allows(actor: &Actor, action: Action, target: &Target) -> bool {
    use AccountRole::*;
    let reads_registry = |t: &Target| {
        registry_scope(actor).is_some_and(|s| {
            // Country-wide lists are allowed to every registry reader: the
            // list itself is filtered to their scope.
            t.national || within(&s, t)
        })
    };
    match action {
        Action::ViewRegistry => reads_registry(target),
        Action::EditRegistry => coordinates(actor, target),
        Action::ImportRegistry | Action::ManageAccounts => actor.role == NationalCoordinator,
        // A campaign is visible to every registry reader it concerns; what
        // they see of its funnel is then cut to their scope.
        Action::ViewCampaigns => registry_scope(actor).is_some_and(|s| concerns(&s, target)),
        Action::ManageCampaigns | Action::ExportOutbox => coordinates(actor, target),
        Action::InviteIntoCampaign => coordinates(actor, target),
        // Researchers work with anonymous response files country-wide.
        Action::ExportResponses => actor.role == Researcher || coordinates(actor, target),
        Action::ReadResults(Results::Campaign) | Action::ReadOpenAnswers => {
            reading_scope(actor).is_some_and(|s| concerns(&s, target))
        }
        Action::ReadResults(Results::Region) => {
            reading_scope(actor).is_some_and(|s| match s {
                // A supervisor reads the region of one of their networks.
                Scope::Networks(ids) => target.shares_network(&ids),
                s => within(&s, target),
            })
        }
        Action::ReadResults(Results::Network) => {
            registry_scope(actor).is_some_and(|s| within(&s, target)) || is_member(actor, target)
        }
        Action::CodeOpenAnswers | Action::EditCodebook => coordinates(actor, target),
        Action::ReadCharacterisation => reads_registry(target) || is_member(actor, target),
        Action::EditNetworkYear => coordinates(actor, target) || supervises(actor, target),
        Action::ReadNetworkPeople => actor.role == NationalCoordinator || supervises(actor, target),
    }
}

/// For a thing with several places (a person with affiliations in many
/// networks): allowed if any place is; a thing with no place at all only to
/// those allowed country-wide.
pub fn allows_any(actor: &Actor, action: Action, targets: &[Target]) -> bool {
    if targets.is_empty() {
        return allows(actor, action, &Target::national())
            && registry_scope(actor) == Some(Scope::All);
    }
    targets.iter().any(|t| allows(actor, action, t))
}

/// Whether there is any place where `actor` may do `action`: for offering a
/// "new" button or form before the place is chosen.
pub fn allows_somewhere(actor: &Actor, action: Action) -> bool {
    let own_region = actor.region.map(Target::region);
    let own_networks =
        (!actor.networks.is_empty()).then(|| Target::in_region(None, actor.networks.clone()));
    std::iter::once(Target::national())
        .chain(own_region)
        .chain(own_networks)
        .any(|t| allows(actor, action, &t))
}

/// How much of a network's collaboration map a viewer may see. Who named
/// whom is personal data: names only for the network's supervisor and
/// national coordinators; others see people as numbers, or schools only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MapView {
    /// Nothing.
    Hidden,
    /// Ties between schools only.
    Schools,
    /// People as numbers, with role and school but no names.
    Anonymous,
    /// People by name.
    Names,
}

impl MapView {
    pub fn as_str(self) -> &'static str {
        match self {
            MapView::Hidden => "none",
            MapView::Schools => "school",
            MapView::Anonymous => "anonymous",
            MapView::Names => "names",
        }
    }

    /// A campaign's setting for participants; names are never an option.
    pub fn participant_setting(s: &str) -> Self {
        match s {
            "anonymous" => MapView::Anonymous,
            "none" => MapView::Hidden,
            _ => MapView::Schools,
        }
    }
}

/// What `actor` may see of the map of the network in `target` (its region
/// and the network's id), given the campaign's setting for participants.
pub fn map_view(actor: &Actor, target: &Target, participants: MapView) -> MapView {
    let in_network = target.shares_network(&actor.networks);
    match actor.role {
        AccountRole::NationalCoordinator => MapView::Names,
        AccountRole::Supervisor if in_network => MapView::Names,
        AccountRole::RegionalCoordinator if coordinates(actor, target) => MapView::Anonymous,
        AccountRole::Participant if in_network => participants.min(MapView::Anonymous),
        _ => MapView::Hidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: RegionCode = RegionCode(5);
    const RM: RegionCode = RegionCode(13);

    fn actor(role: AccountRole) -> Actor {
        Actor {
            user_id: 1,
            role,
            region: (role == AccountRole::RegionalCoordinator).then_some(V),
            networks: if matches!(role, AccountRole::Supervisor | AccountRole::Participant) {
                vec![7]
            } else {
                vec![]
            },
        }
    }

    fn all_roles() -> [Actor; 5] {
        [
            actor(AccountRole::NationalCoordinator),
            actor(AccountRole::RegionalCoordinator),
            actor(AccountRole::Supervisor),
            actor(AccountRole::Participant),
            actor(AccountRole::Researcher),
        ]
    }

    /// Which of the five roles (national, regional of V, supervisor of 7,
    /// participant of 7, researcher) may do `action` on `target`.
    fn who(action: Action, target: &Target) -> [bool; 5] {
        all_roles().map(|a| allows(&a, action, target))
    }

    #[test]
    fn regional_coordinator_is_confined_to_region() {
        let a = actor(AccountRole::RegionalCoordinator);
        let in_v = Target::region(V);
        let in_rm = Target::region(RM);
        assert!(allows(&a, Action::ViewRegistry, &in_v));
        assert!(allows(&a, Action::EditRegistry, &in_v));
        assert!(!allows(&a, Action::ViewRegistry, &in_rm));
        assert!(!allows(&a, Action::EditRegistry, &in_rm));
        assert!(!allows(&a, Action::ImportRegistry, &Target::national()));
        // Something spanning V and RM is not inside V.
        let both = Target::spanning(vec![V, RM], vec![]);
        assert!(!allows(&a, Action::EditRegistry, &both));
        assert!(!allows(&a, Action::ManageCampaigns, &both));
        assert!(allows(&a, Action::ViewCampaigns, &both), "it concerns V");
    }

    #[test]
    fn supervisor_sees_only_own_networks_and_edits_nothing() {
        let a = actor(AccountRole::Supervisor);
        let mine = Target::in_region(Some(V), vec![3, 7]);
        let other = Target::in_region(Some(V), vec![8]);
        assert!(allows(&a, Action::ViewRegistry, &mine));
        assert!(!allows(&a, Action::ViewRegistry, &other));
        assert!(!allows(&a, Action::EditRegistry, &mine));
    }

    #[test]
    fn participants_and_researchers_do_not_browse_the_registry() {
        for role in [AccountRole::Participant, AccountRole::Researcher] {
            let a = actor(role);
            assert_eq!(registry_scope(&a), None);
            assert!(!allows(&a, Action::ViewRegistry, &Target::national()));
        }
        assert_eq!(
            reading_scope(&actor(AccountRole::Researcher)),
            Some(Scope::All)
        );
        assert_eq!(reading_scope(&actor(AccountRole::Participant)), None);
    }

    #[test]
    fn names_on_maps_only_for_the_networks_supervisor_and_national_coordinators() {
        let net7 = Target::in_region(Some(V), vec![7]);
        let net8 = Target::in_region(Some(V), vec![8]);
        let setting = MapView::Schools;
        assert_eq!(
            map_view(&actor(AccountRole::NationalCoordinator), &net8, setting),
            MapView::Names
        );
        assert_eq!(
            map_view(&actor(AccountRole::Supervisor), &net7, setting),
            MapView::Names
        );
        assert_eq!(
            map_view(&actor(AccountRole::Supervisor), &net8, setting),
            MapView::Hidden
        );
        assert_eq!(
            map_view(&actor(AccountRole::RegionalCoordinator), &net8, setting),
            MapView::Anonymous
        );
        assert_eq!(
            map_view(&actor(AccountRole::Researcher), &net7, setting),
            MapView::Hidden
        );
        let p = actor(AccountRole::Participant);
        assert_eq!(map_view(&p, &net7, MapView::Schools), MapView::Schools);
        assert_eq!(map_view(&p, &net7, MapView::Hidden), MapView::Hidden);
        // Even a campaign set to names shows participants no more than numbers.
        assert_eq!(map_view(&p, &net7, MapView::Names), MapView::Anonymous);
        assert_eq!(map_view(&p, &net8, MapView::Anonymous), MapView::Hidden);
    }

    #[test]
    fn national_coordinator_does_everything() {
        let a = actor(AccountRole::NationalCoordinator);
        for action in [
            Action::ViewRegistry,
            Action::EditRegistry,
            Action::ImportRegistry,
            Action::ManageAccounts,
            Action::ManageCampaigns,
            Action::ExportOutbox,
            Action::ReadResults(Results::Campaign),
            Action::ReadResults(Results::Region),
            Action::ReadResults(Results::Network),
            Action::EditCodebook,
        ] {
            assert!(allows(&a, action, &Target::national()), "{action:?}");
            assert!(allows(&a, action, &Target::region(RM)), "{action:?}");
        }
    }

    #[test]
    fn regional_coordinator_without_region_sees_nothing() {
        let mut a = actor(AccountRole::RegionalCoordinator);
        a.region = None;
        assert_eq!(registry_scope(&a), None);
        assert!(!allows(&a, Action::EditRegistry, &Target::region(V)));
        assert!(!allows_somewhere(&a, Action::EditRegistry));
    }

    #[test]
    fn campaigns_follow_the_registry_and_researchers_only_export() {
        let national_campaign = Target::national();
        let in_v = Target::in_region(Some(V), vec![7]);
        let n = actor(AccountRole::NationalCoordinator);
        let r = actor(AccountRole::RegionalCoordinator);
        let s = actor(AccountRole::Supervisor);
        let p = actor(AccountRole::Participant);
        let x = actor(AccountRole::Researcher);
        assert!(allows(&n, Action::ManageCampaigns, &national_campaign));
        assert!(!allows(&r, Action::ManageCampaigns, &national_campaign));
        assert!(allows(&r, Action::ManageCampaigns, &in_v));
        assert!(allows(&r, Action::ViewCampaigns, &national_campaign));
        assert!(allows(&s, Action::ViewCampaigns, &in_v));
        assert!(!allows(&s, Action::ManageCampaigns, &in_v));
        assert!(!allows(&s, Action::ExportResponses, &in_v));
        assert!(allows(&x, Action::ExportResponses, &national_campaign));
        assert!(
            !allows(&x, Action::ViewCampaigns, &in_v),
            "no funnel with names for researchers"
        );
        for action in [
            Action::ViewCampaigns,
            Action::ManageCampaigns,
            Action::ExportResponses,
            Action::ExportOutbox,
        ] {
            assert!(
                !allows(&p, action, &in_v),
                "participants answer through links only"
            );
        }
    }

    #[test]
    fn results_follow_the_campaigns_scope() {
        // A campaign of network 8 in RM: the Valparaíso coordinator and the
        // supervisor of network 7 have nothing to read there.
        let elsewhere = Target::in_region(Some(RM), vec![8]);
        assert_eq!(
            who(Action::ReadResults(Results::Campaign), &elsewhere),
            [true, false, false, false, true]
        );
        // A national campaign concerns every reader but participants.
        assert_eq!(
            who(Action::ReadResults(Results::Campaign), &Target::national()),
            [true, true, true, false, true]
        );
        // Region pages: that region's coordinator, supervisors of a network
        // in it, national coordinators and researchers.
        let region_v = Target::in_region(Some(V), vec![7, 9]);
        assert_eq!(
            who(Action::ReadResults(Results::Region), &region_v),
            [true, true, true, false, true]
        );
        let region_rm = Target::in_region(Some(RM), vec![8]);
        assert_eq!(
            who(Action::ReadResults(Results::Region), &region_rm),
            [true, false, false, false, true]
        );
        // A network's report: those who may see the network, and its own
        // participants; researchers read no single network.
        let net7 = Target::in_region(Some(V), vec![7]);
        assert_eq!(
            who(Action::ReadResults(Results::Network), &net7),
            [true, true, true, true, false]
        );
        let net8 = Target::in_region(Some(RM), vec![8]);
        assert_eq!(
            who(Action::ReadResults(Results::Network), &net8),
            [true, false, false, false, false]
        );
    }

    #[test]
    fn open_answers_read_by_scope_and_coded_by_coordinators() {
        let v = Target::in_region(Some(V), vec![7]);
        assert_eq!(
            who(Action::ReadOpenAnswers, &v),
            [true, true, true, false, true]
        );
        assert_eq!(
            who(Action::CodeOpenAnswers, &v),
            [true, true, false, false, false]
        );
        assert_eq!(
            who(Action::EditCodebook, &Target::national()),
            [true, false, false, false, false]
        );
    }

    #[test]
    fn invitations_only_within_ones_reach() {
        let r = actor(AccountRole::RegionalCoordinator);
        assert!(allows(
            &r,
            Action::InviteIntoCampaign,
            &Target::in_region(Some(V), vec![7])
        ));
        assert!(!allows(
            &r,
            Action::InviteIntoCampaign,
            &Target::in_region(Some(RM), vec![8])
        ));
        // A person with places in V and RM: any place in V will do.
        let places = [Target::region(RM), Target::region(V)];
        assert!(allows_any(&r, Action::InviteIntoCampaign, &places));
        assert!(!allows_any(&r, Action::InviteIntoCampaign, &places[..1]));
    }

    #[test]
    fn a_thing_without_places_is_for_national_coordinators_only() {
        for a in all_roles() {
            let expected = a.role == AccountRole::NationalCoordinator;
            assert_eq!(
                allows_any(&a, Action::ViewRegistry, &[]),
                expected,
                "{:?}",
                a.role
            );
        }
    }

    #[test]
    fn new_buttons_where_there_is_somewhere_to_create() {
        assert_eq!(
            all_roles().map(|a| allows_somewhere(&a, Action::EditRegistry)),
            [true, true, false, false, false]
        );
        assert_eq!(
            all_roles().map(|a| allows_somewhere(&a, Action::ManageCampaigns)),
            [true, true, false, false, false]
        );
        assert_eq!(
            all_roles().map(|a| allows_somewhere(&a, Action::ImportRegistry)),
            [true, false, false, false, false]
        );
    }

    #[test]
    fn characterisation_is_read_at_the_network_and_written_by_those_over_it() {
        // Network 7 in V (the supervisor's and the participant's), and
        // network 8 in V that neither belongs to.
        let own = Target::in_region(Some(V), vec![7]);
        let other = Target::in_region(Some(V), vec![8]);
        let rm = Target::in_region(Some(RM), vec![9]);
        let roles = all_roles();
        let row = |action, t: &Target| roles.clone().map(|a| allows(&a, action, t));
        // national, regional (V), supervisor (7), participant (7), researcher
        assert_eq!(
            row(Action::ReadCharacterisation, &own),
            [true, true, true, true, false]
        );
        assert_eq!(
            row(Action::ReadCharacterisation, &other),
            [true, true, false, false, false]
        );
        assert_eq!(
            row(Action::ReadCharacterisation, &rm),
            [true, false, false, false, false]
        );
        assert_eq!(
            row(Action::ReadCharacterisation, &Target::national()),
            [true, true, true, false, false]
        );
        assert_eq!(
            row(Action::EditNetworkYear, &own),
            [true, true, true, false, false]
        );
        assert_eq!(
            row(Action::EditNetworkYear, &other),
            [true, true, false, false, false]
        );
        // Names only where the map shows names.
        assert_eq!(
            row(Action::ReadNetworkPeople, &own),
            [true, false, true, false, false]
        );
        assert_eq!(
            row(Action::ReadNetworkPeople, &other),
            [true, false, false, false, false]
        );
        for (a, t) in roles.iter().flat_map(|a| [(a, &own), (a, &other)]) {
            assert_eq!(
                allows(a, Action::ReadNetworkPeople, t),
                map_view(a, t, MapView::Anonymous) == MapView::Names,
                "{:?}",
                a.role
            );
        }
    }
}
