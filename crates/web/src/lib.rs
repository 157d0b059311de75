//! Trama's web server: pages for people, a JSON API for programs.
//!
//! Every request goes through the same few pieces: [`ctx::Ctx`] finds the
//! reader's language and session, handlers ask `trama_domain::policy` whether
//! the signed-in actor may act, and [`error::render_errors`] turns any refusal
//! into a page or an `application/problem+json` body in the reader's language.

pub mod api;
mod assets;
pub mod ctx;
mod download;
pub mod error;
mod health;
mod metrics;
mod pages;
mod paths;
mod request_id;
pub mod routes;
mod state;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::middleware;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use error::AppError;
pub use metrics::MetricsAccess;
pub use state::{AppState, Settings};

/// Largest accepted request body: a full Directorio CSV is about 4 MB.
const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Every route the server answers, with its access rule: the pages' table,
/// the API's operations (from its OpenAPI document) and the fixed routes.
pub fn route_table() -> Vec<routes::RouteInfo> {
    use routes::{Access, RouteInfo};
    let mut out: Vec<RouteInfo> = pages::table().into_iter().map(|r| r.info).collect();
    for (path, item) in api::openapi().paths.paths {
        let path: &'static str = Box::leak(path.into_boxed_str());
        for (method, op) in [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
        ] {
            if op.is_some() {
                // The operation's `x-trama-access` names its action; the
                // policy decides on it.
                out.push(RouteInfo {
                    method,
                    path,
                    access: Access::Policy(&[]),
                });
            }
        }
    }
    for (path, access) in [
        ("/health", Access::Public),
        ("/ready", Access::Public),
        ("/metrics", Access::Operator),
        ("/static/style.css", Access::Public),
        ("/static/roster.js", Access::Public),
        ("/static/sociogram.js", Access::Public),
        ("/static/picker.js", Access::Public),
        ("/api/v1/openapi.json", Access::Public),
        ("/api/v1/docs/", Access::Public),
    ] {
        out.push(RouteInfo {
            method: "GET",
            path,
            access,
        });
    }
    out
}

pub fn router(state: AppState) -> Router {
    let header = axum::http::HeaderName::from_static("x-request-id");
    let (api, doc) = api::api();
    Router::new()
        .merge(routes::router(pages::table()))
        .merge(api)
        .merge(api::docs(doc))
        .merge(health::routes())
        .merge(metrics::routes())
        .merge(assets::routes())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::render_errors,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(PropagateRequestIdLayer::new(header.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(request_id::span))
        .layer(SetRequestIdLayer::new(
            header,
            request_id::MakeId::default(),
        ))
        .with_state(state)
}

/// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
pub async fn serve(state: AppState, addr: SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let store = state.store.clone();
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tokio::time::timeout(Duration::from_secs(5), store.close())
        .await
        .ok();
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
