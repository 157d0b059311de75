//! `GET /metrics`: what an operator's Prometheus scrapes.
//!
//! Requests are counted by route *template* (`/r/{token}/p/{page}`), never
//! by the path itself, so no personal link reaches the monitoring system.
//! What every server shares (the mail queue, the worker's lag) is read from
//! the database at scrape time, so each instance reports the same truth and
//! nothing is double-counted by summing them; what is this process's own
//! (requests, page saves, its pool) is counted here.
//!
//! Who may scrape: the configured addresses (loopback by default) or anyone
//! presenting the configured token; never an account, whatever its role.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router, routing::get};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// The OpenMetrics text format, which Prometheus reads.
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Who may read `/metrics`.
#[derive(Debug, Clone)]
pub struct MetricsAccess {
    /// Clients allowed by address (after `X-Forwarded-For` from trusted
    /// proxies is read).
    pub allow: Vec<ipnet::IpNet>,
    /// A bearer token that lets any client in (`Authorization: Bearer …`).
    pub token: Option<String>,
}

impl Default for MetricsAccess {
    /// Loopback only: a Prometheus on the same host, nobody else.
    fn default() -> Self {
        MetricsAccess {
            allow: vec![
                ipnet::IpNet::V4(ipnet::Ipv4Net::new_assert([127, 0, 0, 0].into(), 8)),
                ipnet::IpNet::from(IpAddr::from(std::net::Ipv6Addr::LOCALHOST)),
            ],
            token: None,
        }
    }
}

impl MetricsAccess {
    /// Whether this request may read the metrics. A request relayed by a
    /// proxy that is not trusted is judged by its token alone: its peer is
    /// the proxy (often on loopback), not the client.
    fn allows(&self, headers: &HeaderMap, peer: Option<IpAddr>, trusted: &[IpAddr]) -> bool {
        if let Some(token) = &self.token {
            let presented = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            // Comparing digests keeps the comparison's time independent of
            // how much of the token a guess got right.
            if presented.is_some_and(|p| Sha256::digest(p) == Sha256::digest(token)) {
                return true;
            }
        }
        let relayed = headers.contains_key("x-forwarded-for") || headers.contains_key("forwarded");
        if relayed && !peer.is_some_and(|p| trusted.contains(&p)) {
            return false;
        }
        crate::ctx::client_ip(headers, peer, trusted)
            .is_some_and(|client| self.allow.iter().any(|net| net.contains(&client)))
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The process's metrics and the registry that writes them out.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    pages_saved: Counter,
    responses_submitted: Counter,
    messages: Family<StatusLabels, Gauge>,
    worker_lag: Gauge<f64, AtomicU64>,
    reminder_runs_due: Gauge,
    reminder_lag: Gauge<f64, AtomicU64>,
    pool: Family<StateLabels, Gauge>,
    pool_max: Gauge,
}

fn latency_histogram() -> Histogram {
    // 2.5 ms to about 5 s: a page save is tens of milliseconds, a national
    // PDF a few seconds.
    Histogram::new(exponential_buckets(0.0025, 2.0, 12))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("trama");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: Latency = Family::new_with_constructor(latency_histogram);
        let pages_saved = Counter::default();
        let responses_submitted = Counter::default();
        let messages = Family::<StatusLabels, Gauge>::default();
        let worker_lag = Gauge::<f64, AtomicU64>::default();
        let reminder_runs_due = Gauge::default();
        let reminder_lag = Gauge::<f64, AtomicU64>::default();
        let pool = Family::<StateLabels, Gauge>::default();
        let pool_max = Gauge::default();
        registry.register(
            "http_requests",
            "Requests answered, by route template, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route template and method",
            latency.clone(),
        );
        registry.register(
            "answer_pages_saved",
            "Questionnaire pages saved by this server",
            pages_saved.clone(),
        );
        registry.register(
            "responses_submitted",
            "Questionnaires sent by their respondents through this server",
            responses_submitted.clone(),
        );
        registry.register(
            "messages",
            "Messages of every campaign by status (queued, sent, failed, outbox, cancelled), \
             as the database holds them",
            messages.clone(),
        );
        registry.register(
            "worker_lag_seconds",
            "How long the oldest message due to go has waited (0 when none is due)",
            worker_lag.clone(),
        );
        registry.register(
            "reminder_runs_due",
            "Reminder runs of open campaigns that are due and not done",
            reminder_runs_due.clone(),
        );
        registry.register(
            "reminder_lag_seconds",
            "How long the oldest reminder run not done has been due (0 when none is)",
            reminder_lag.clone(),
        );
        registry.register(
            "db_pool_connections",
            "This server's database connections by state (idle, in_use)",
            pool.clone(),
        );
        registry.register(
            "db_pool_max_connections",
            "The most connections this server opens",
            pool_max.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            pages_saved,
            responses_submitted,
            messages,
            worker_lag,
            reminder_runs_due,
            reminder_lag,
            pool,
            pool_max,
        }
    }
}

impl Metrics {
    pub(crate) fn page_saved(&self) {
        self.pages_saved.inc();
    }

    pub(crate) fn response_submitted(&self) {
        self.responses_submitted.inc();
    }

    fn observe(&self, method: &str, route: &str, status: StatusCode, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status: status.as_u16(),
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.to_owned(),
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    /// Reads what the database knows and writes every metric out.
    async fn render(&self, state: &AppState) -> Result<String, trama_store::StoreError> {
        let queue = state.store.queue_stats(trama_store::now()).await?;
        // Only the statuses the database holds now: one that emptied must
        // not stay at its last count.
        self.messages.clear();
        for (status, n) in queue.by_status {
            self.messages.get_or_create(&StatusLabels { status }).set(n);
        }
        self.worker_lag.set(queue.oldest_due_secs as f64);
        self.reminder_runs_due.set(queue.reminder_runs_due);
        self.reminder_lag.set(queue.oldest_reminder_run_secs as f64);
        let pool = state.store.pool_stats();
        let in_use = pool.open.saturating_sub(pool.idle);
        self.pool
            .get_or_create(&StateLabels { state: "idle" })
            .set(i64::from(pool.idle));
        self.pool
            .get_or_create(&StateLabels { state: "in_use" })
            .set(i64::from(in_use));
        self.pool_max.set(i64::from(pool.max));
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        Ok(out)
    }
}

/// Counts and times every request under its route template.
pub(crate) async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(req).await;
    state.metrics.observe(
        &method,
        &route,
        response.status(),
        started.elapsed().as_secs_f64(),
    );
    response
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/metrics", get(scrape))
}

async fn scrape(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Response {
    let peer = peer.map(|Extension(ConnectInfo(a))| a.ip());
    let access: &MetricsAccess = &state.settings.metrics;
    if !access.allows(&headers, peer, &state.settings.trusted_proxies) {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "metrics are served to the configured addresses or with the token\n",
        )
            .into_response();
    }
    match state.metrics.render(&state).await {
        Ok(body) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: database unreachable");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The process's one set of metrics, shared by every request.
pub(crate) type Shared = Arc<Metrics>;

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn loopback_is_allowed_by_default_and_nothing_else() {
        let access = MetricsAccess::default();
        let none = HeaderMap::new();
        assert!(access.allows(&none, Some(ip("127.0.0.1")), &[]));
        assert!(access.allows(&none, Some(ip("::1")), &[]));
        assert!(!access.allows(&none, Some(ip("10.1.2.3")), &[]));
        assert!(!access.allows(&none, None, &[]));
    }

    #[test]
    fn a_request_relayed_by_an_untrusted_proxy_is_not_loopback() {
        let access = MetricsAccess::default();
        let mut relayed = HeaderMap::new();
        relayed.insert("x-forwarded-for", "203.0.113.9".parse().expect("header"));
        assert!(!access.allows(&relayed, Some(ip("127.0.0.1")), &[]));
        // Through a trusted proxy, the client it names is judged.
        assert!(!access.allows(&relayed, Some(ip("127.0.0.1")), &[ip("127.0.0.1")]));
        let mut local = HeaderMap::new();
        local.insert("x-forwarded-for", "127.0.0.1".parse().expect("header"));
        assert!(access.allows(&local, Some(ip("127.0.0.1")), &[ip("127.0.0.1")]));
    }

    #[test]
    fn the_token_lets_any_address_in_and_only_the_right_one() {
        let access = MetricsAccess {
            allow: vec![],
            token: Some("s3cret-scrape".into()),
        };
        let mut right = HeaderMap::new();
        right.insert(
            header::AUTHORIZATION,
            "Bearer s3cret-scrape".parse().expect("header"),
        );
        let mut wrong = HeaderMap::new();
        wrong.insert(
            header::AUTHORIZATION,
            "Bearer s3cret".parse().expect("header"),
        );
        assert!(access.allows(&right, Some(ip("198.51.100.7")), &[]));
        assert!(!access.allows(&wrong, Some(ip("198.51.100.7")), &[]));
        assert!(!access.allows(&HeaderMap::new(), Some(ip("127.0.0.1")), &[]));
    }
}
