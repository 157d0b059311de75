//! The route table: every route the server answers, with the access rule
//! that guards it. The router is built from this table, and the route ×
//! role test iterates it, so a route cannot exist without being tested as
//! every role.
//!
//! The access named here documents the rule and lets the tests check it;
//! the rule itself is applied by the use case the handler calls (the target
//! is only known once the record is loaded).

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, get, post};
use trama_domain::policy::{Action, Results};

use crate::state::AppState;

/// Who may reach a route before the policy looks at the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: health checks, static files, the sign-in page, the API's
    /// description.
    Public,
    /// Whoever holds a personal answering link (no account).
    Link,
    /// Any signed-in account.
    SignedIn,
    /// The operator's monitoring: configured addresses or a token, never an
    /// account, whatever its role.
    Operator,
    /// The policy decides, on these actions, for the record's target.
    Policy(&'static [Action]),
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    /// As axum writes it: `/networks/{network}`.
    pub path: &'static str,
    pub access: Access,
}

pub(crate) struct Route {
    pub info: RouteInfo,
    pub handler: MethodRouter<AppState>,
}

impl Route {
    pub fn get<H, T>(path: &'static str, access: Access, h: H) -> Route
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Route::new("GET", path, access, get(h))
    }

    pub fn post<H, T>(path: &'static str, access: Access, h: H) -> Route
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Route::new("POST", path, access, post(h))
    }

    fn new(
        method: &'static str,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Route {
        Route {
            info: RouteInfo {
                method,
                path,
                access,
            },
            handler,
        }
    }
}

/// A router serving every route of `table` (routes on one path merge).
pub(crate) fn router(table: Vec<Route>) -> Router<AppState> {
    table.into_iter().fold(Router::new(), |r, route| {
        r.route(route.info.path, route.handler)
    })
}

/// Shorthands for the table.
pub(crate) const PUBLIC: Access = Access::Public;
pub(crate) const LINK: Access = Access::Link;
pub(crate) const SIGNED_IN: Access = Access::SignedIn;
pub(crate) const VIEW_REGISTRY: Access = Access::Policy(&[Action::ViewRegistry]);
pub(crate) const EDIT_REGISTRY: Access = Access::Policy(&[Action::EditRegistry]);
pub(crate) const IMPORT_REGISTRY: Access = Access::Policy(&[Action::ImportRegistry]);
pub(crate) const MANAGE_ACCOUNTS: Access = Access::Policy(&[Action::ManageAccounts]);
pub(crate) const VIEW_CAMPAIGNS: Access = Access::Policy(&[Action::ViewCampaigns]);
pub(crate) const LIST_CAMPAIGNS: Access =
    Access::Policy(&[Action::ViewCampaigns, Action::ExportResponses]);
pub(crate) const MANAGE_CAMPAIGNS: Access = Access::Policy(&[Action::ManageCampaigns]);
pub(crate) const INVITE: Access =
    Access::Policy(&[Action::ManageCampaigns, Action::InviteIntoCampaign]);
pub(crate) const EXPORT_OUTBOX: Access = Access::Policy(&[Action::ExportOutbox]);
pub(crate) const EXPORT_RESPONSES: Access = Access::Policy(&[Action::ExportResponses]);
pub(crate) const CAMPAIGN_RESULTS: Access =
    Access::Policy(&[Action::ReadResults(Results::Campaign)]);
pub(crate) const REGION_RESULTS: Access = Access::Policy(&[
    Action::ReadResults(Results::Campaign),
    Action::ReadResults(Results::Region),
]);
pub(crate) const NETWORK_RESULTS: Access = Access::Policy(&[Action::ReadResults(Results::Network)]);
pub(crate) const READ_OPEN: Access = Access::Policy(&[Action::ReadOpenAnswers]);
pub(crate) const CODE_OPEN: Access = Access::Policy(&[Action::CodeOpenAnswers]);
pub(crate) const EDIT_CODEBOOK: Access = Access::Policy(&[Action::EditCodebook]);
pub(crate) const READ_CHARACTERISATION: Access = Access::Policy(&[Action::ReadCharacterisation]);
pub(crate) const EDIT_NETWORK_YEAR: Access = Access::Policy(&[Action::EditNetworkYear]);
/// Maps: `policy::map_view` decides how much is shown, from nothing up.
pub(crate) const VIEW_MAP: Access =
    Access::Policy(&[Action::ViewRegistry, Action::ReadResults(Results::Network)]);
