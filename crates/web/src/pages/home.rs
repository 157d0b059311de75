use askama::Template;
use axum::extract::State;
use axum::response::Response;
use trama_domain::policy::registry_scope;

use super::{Chrome, render};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    regions: usize,
    networks: i64,
    schools: i64,
    /// The participant's own networks, whose maps they may open: (code, name).
    my_networks: Vec<(String, String)>,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let (regions, networks, schools) = match registry_scope(actor) {
        Some(scope) => {
            let rs = state.store.list_regions(&scope).await?;
            let with_data = rs
                .iter()
                .filter(|r| r.networks > 0 || r.schools > 0)
                .count();
            let nets = state
                .store
                .list_networks(&Default::default(), &scope, Default::default())
                .await?
                .total;
            let schools = state
                .store
                .list_schools(&Default::default(), &scope, Default::default())
                .await?
                .total;
            (with_data, nets, schools)
        }
        None => (0, 0, 0),
    };
    let mut my_networks = vec![];
    if actor.role == trama_domain::account::AccountRole::Participant {
        for id in &actor.networks {
            if let Some(n) = state.store.network_by_id(*id).await? {
                my_networks.push(n);
            }
        }
    }
    render(&HomePage {
        my_networks,
        c: Chrome::new(&ctx, "home"),
        regions,
        networks,
        schools,
    })
}
