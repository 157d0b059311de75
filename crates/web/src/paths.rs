//! Typed path segments. Each extractor reads its named segment, finds the
//! record through the application layer and hands the handler a record that
//! exists, with its target for the policy; a malformed or unknown key is a
//! 404 before the handler runs. Signed-in first: an anonymous request learns
//! nothing about what exists.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use trama_app::campaigns::CampaignRef;
use trama_app::registry::networks::NetworkRef;
use trama_app::registry::people::PersonRef;
use trama_app::registry::schools::SchoolRef;

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

/// The path's named segment, after checking someone is signed in.
async fn segment(parts: &mut Parts, state: &AppState, name: &str) -> Result<String, AppError> {
    Ctx::from_request_parts(parts, state).await?.actor()?;
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::NotFound)?;
    params.get(name).cloned().ok_or(AppError::NotFound)
}

macro_rules! record_path {
    ($(#[$doc:meta])* $name:ident, $segment:literal, $record:ty, $find:path) => {
        $(#[$doc])*
        pub struct $name(pub $record);

        impl FromRequestParts<AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &AppState,
            ) -> Result<Self, Self::Rejection> {
                let key = segment(parts, state, $segment).await?;
                Ok($name($find(&state.app, &key).await?))
            }
        }
    };
}

record_path!(
    /// `{network}`: a network code such as `RME7`.
    NetworkPath, "network", NetworkRef, trama_app::registry::networks::find
);
record_path!(
    /// `{school}`: an RBD.
    SchoolPath, "school", SchoolRef, trama_app::registry::schools::find
);
record_path!(
    /// `{person}`: a person's id.
    PersonPath, "person", PersonRef, trama_app::registry::people::find
);
record_path!(
    /// `{campaign}`: a campaign's code.
    CampaignPath, "campaign", CampaignRef, trama_app::campaigns::find
);
