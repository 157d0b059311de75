//! Request ids: one per request, echoed in `x-request-id` and in every log line
//! of that request, so a user's report can be matched to the logs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderValue, Request};
use tower_http::request_id::{MakeRequestId, RequestId};

#[derive(Clone)]
pub struct MakeId {
    prefix: Arc<str>,
    counter: Arc<AtomicU64>,
}

impl Default for MakeId {
    fn default() -> Self {
        // A per-process prefix keeps ids unique across restarts.
        let p: u32 = rand::random();
        MakeId {
            prefix: format!("{p:08x}").into(),
            counter: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

pub fn span<B>(req: &Request<B>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let path = redacted_path(req.uri().path());
    tracing::info_span!("request", id = %id, method = %req.method(), path = %path)
}

/// The path as logs may carry it: a personal link's token is the
/// participant's key to their questionnaire, so `/r/<token>/…` is written
/// `/r/…/…`. Every log line of a request carries its span's path.
pub fn redacted_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/r/") {
        Some(rest) => {
            let tail = rest.find('/').map_or("", |i| &rest[i..]);
            format!("/r/…{tail}").into()
        }
        None => path.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::redacted_path;

    #[test]
    fn personal_links_never_reach_the_log() {
        assert_eq!(redacted_path("/r/abc123/p/2"), "/r/…/p/2");
        assert_eq!(redacted_path("/r/abc123"), "/r/…");
        assert_eq!(redacted_path("/r/abc123/opt-out"), "/r/…/opt-out");
        assert_eq!(redacted_path("/networks/RME1"), "/networks/RME1");
        // Not a link, only alike.
        assert_eq!(redacted_path("/results/r/x"), "/results/r/x");
    }
}
