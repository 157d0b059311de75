//! The one place where Trama decides who may do what.
//!
//! Every route asks [`allows`] (or [`registry_scope`] for lists) with the
//! signed-in [`Actor`]; nothing else in the code base compares roles. The test
//! matrix in the web crate drives every route with every role against these
//! rules.

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

/// What someone wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read registry records (territory, networks, schools, people).
    ViewRegistry,
    /// Create or change networks, schools, people and memberships.
    EditRegistry,
    /// Bulk imports (Directorio, networks, people).
    ImportRegistry,
    /// Create accounts and API tokens for others.
    ManageAccounts,
    /// See campaigns and their response funnel.
    ViewCampaigns,
    /// Create, open and close campaigns, edit their invitation lists, send
    /// invitations and reminders, read the outbox.
    ManageCampaigns,
    /// Download responses (never with identity).
    ExportResponses,
}

/// Where the thing acted upon sits: its region and the networks it belongs to.
/// `Target::global()` stands for country-wide operations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    pub region: Option<RegionCode>,
    pub networks: Vec<i64>,
    /// True for operations that are not about one place (bulk imports, lists
    /// across the country).
    pub global: bool,
}

impl Target {
    pub fn global() -> Self {
        Target {
            global: true,
            ..Default::default()
        }
    }

    pub fn in_region(region: Option<RegionCode>, networks: Vec<i64>) -> Self {
        Target {
            region,
            networks,
            global: false,
        }
    }
}

/// Which part of the registry an actor may list.
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

fn within(scope: &Scope, target: &Target) -> bool {
    match scope {
        Scope::All => true,
        _ if target.global => false,
        Scope::Region(r) => target.region == Some(*r),
        Scope::Networks(ids) => target.networks.iter().any(|n| ids.contains(n)),
    }
}

/// National coordinators everywhere; regional coordinators inside their region.
fn coordinates(actor: &Actor, target: &Target) -> bool {
    match actor.role {
        AccountRole::NationalCoordinator => true,
        AccountRole::RegionalCoordinator => actor
            .region
            .is_some_and(|r| !target.global && target.region == Some(r)),
        _ => false,
    }
}

pub fn allows(actor: &Actor, action: Action, target: &Target) -> bool {
    use AccountRole::*;
    match action {
        Action::ViewRegistry => registry_scope(actor).is_some_and(|s| {
            // Country-wide lists are allowed to every registry reader: the list
            // itself is filtered to their scope.
            target.global || within(&s, target)
        }),
        Action::EditRegistry => coordinates(actor, target),
        Action::ImportRegistry | Action::ManageAccounts => actor.role == NationalCoordinator,
        // A national campaign is visible to every registry reader; what they
        // see of its funnel is then cut to their scope.
        Action::ViewCampaigns => {
            registry_scope(actor).is_some_and(|s| target.global || within(&s, target))
        }
        Action::ManageCampaigns => coordinates(actor, target),
        // Researchers work with anonymous response files country-wide.
        Action::ExportResponses => actor.role == Researcher || coordinates(actor, target),
    }
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
    let in_network = target.networks.iter().any(|n| actor.networks.contains(n));
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

    fn actor(role: AccountRole) -> Actor {
        Actor {
            user_id: 1,
            role,
            region: (role == AccountRole::RegionalCoordinator).then_some(RegionCode(5)),
            networks: if role == AccountRole::Supervisor {
                vec![7]
            } else {
                vec![]
            },
        }
    }

    #[test]
    fn regional_coordinator_is_confined_to_region() {
        let a = actor(AccountRole::RegionalCoordinator);
        let in_v = Target::in_region(Some(RegionCode(5)), vec![]);
        let in_rm = Target::in_region(Some(RegionCode(13)), vec![]);
        assert!(allows(&a, Action::ViewRegistry, &in_v));
        assert!(allows(&a, Action::EditRegistry, &in_v));
        assert!(!allows(&a, Action::ViewRegistry, &in_rm));
        assert!(!allows(&a, Action::EditRegistry, &in_rm));
        assert!(!allows(&a, Action::ImportRegistry, &Target::global()));
    }

    #[test]
    fn supervisor_sees_only_own_networks_and_edits_nothing() {
        let a = actor(AccountRole::Supervisor);
        let mine = Target::in_region(Some(RegionCode(5)), vec![3, 7]);
        let other = Target::in_region(Some(RegionCode(5)), vec![8]);
        assert!(allows(&a, Action::ViewRegistry, &mine));
        assert!(!allows(&a, Action::ViewRegistry, &other));
        assert!(!allows(&a, Action::EditRegistry, &mine));
    }

    #[test]
    fn participants_and_researchers_do_not_browse_the_registry() {
        for role in [AccountRole::Participant, AccountRole::Researcher] {
            let a = actor(role);
            assert_eq!(registry_scope(&a), None);
            assert!(!allows(&a, Action::ViewRegistry, &Target::global()));
        }
    }

    #[test]
    fn names_on_maps_only_for_the_networks_supervisor_and_national_coordinators() {
        let net7 = Target::in_region(Some(RegionCode(5)), vec![7]);
        let net8 = Target::in_region(Some(RegionCode(5)), vec![8]);
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
        let mut p = actor(AccountRole::Participant);
        p.networks = vec![7];
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
        ] {
            assert!(allows(&a, action, &Target::global()));
        }
    }

    #[test]
    fn regional_coordinator_without_region_sees_nothing() {
        let mut a = actor(AccountRole::RegionalCoordinator);
        a.region = None;
        assert_eq!(registry_scope(&a), None);
        assert!(!allows(
            &a,
            Action::EditRegistry,
            &Target::in_region(Some(RegionCode(5)), vec![])
        ));
    }

    #[test]
    fn campaigns_follow_the_registry_and_researchers_only_export() {
        let national_campaign = Target::global();
        let in_v = Target::in_region(Some(RegionCode(5)), vec![7]);
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
        ] {
            assert!(
                !allows(&p, action, &in_v),
                "participants answer through links only"
            );
        }
    }
}
