//! The stylesheet and the small optional script, compiled into the binary.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::AppState;

const STYLE: &str = include_str!("../static/style.css");
const ROSTER: &str = include_str!("../static/roster.js");
const SOCIOGRAM: &str = include_str!("../static/sociogram.js");
const PICKER: &str = include_str!("../static/picker.js");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/style.css", get(style))
        .route("/static/roster.js", get(|| script(ROSTER)))
        .route("/static/sociogram.js", get(|| script(SOCIOGRAM)))
        .route("/static/picker.js", get(|| script(PICKER)))
}

async fn script(body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}

async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
}
