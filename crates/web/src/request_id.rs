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
    tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
}
