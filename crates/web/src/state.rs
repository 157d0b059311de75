use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use trama_instrument::Instrument;
use trama_outreach::Outreach;
use trama_store::campaigns::reports::ResponsesStamp;
use trama_store::{Store, StoreError};

/// Server settings that are not in the database.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Login attempts allowed per minute per account and per client address.
    pub login_attempts_per_minute: u32,
    /// The address participants reach the server at, used in personal links.
    pub public_url: String,
    /// Whether an SMTP relay is configured (otherwise messages go to the outbox).
    pub smtp: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secure_cookies: false,
            login_attempts_per_minute: 10,
            public_url: "http://127.0.0.1:8080".to_owned(),
            smtp: false,
        }
    }
}

/// An upload waiting for its confirmation after the preview.
#[derive(Debug, Clone)]
pub struct PendingImport {
    pub user_id: i64,
    pub kind: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub created_at: i64,
}

/// A campaign's loaded responses and the stamp they were read at.
type CachedResults = (ResponsesStamp, Arc<crate::pages::Loaded>);

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub login_limiter: Arc<DefaultKeyedRateLimiter<String>>,
    pub pending_imports: Arc<Mutex<HashMap<String, PendingImport>>>,
    /// Parsed instrument versions by id: versions never change once stored.
    instruments: Arc<Mutex<HashMap<i64, Arc<Instrument>>>>,
    /// Campaigns' valid responses as results pages read them, with the
    /// stamp of the responses they were read at.
    results: Arc<Mutex<HashMap<i64, CachedResults>>>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Self {
        let per_minute =
            NonZeroU32::new(settings.login_attempts_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        AppState {
            store,
            login_limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            settings: Arc::new(settings),
            pending_imports: Arc::new(Mutex::new(HashMap::new())),
            instruments: Arc::new(Mutex::new(HashMap::new())),
            results: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// A campaign's loaded responses, if read at this very stamp.
    pub(crate) fn results(
        &self,
        campaign_id: i64,
        stamp: ResponsesStamp,
    ) -> Option<Arc<crate::pages::Loaded>> {
        let cache = self.results.lock().ok()?;
        cache
            .get(&campaign_id)
            .filter(|(s, _)| *s == stamp)
            .map(|(_, l)| l.clone())
    }

    pub(crate) fn keep_results(
        &self,
        campaign_id: i64,
        stamp: ResponsesStamp,
        loaded: Arc<crate::pages::Loaded>,
    ) {
        if let Ok(mut cache) = self.results.lock() {
            cache.insert(campaign_id, (stamp, loaded));
        }
    }

    pub fn outreach(&self) -> Outreach {
        Outreach {
            base_url: self.settings.public_url.clone(),
            smtp: self.settings.smtp,
        }
    }

    /// An instrument version, parsed once per server run.
    pub async fn instrument(&self, version_id: i64) -> Result<Arc<Instrument>, StoreError> {
        if let Some(i) = self
            .instruments
            .lock()
            .ok()
            .and_then(|m| m.get(&version_id).cloned())
        {
            return Ok(i);
        }
        let stored = self
            .store
            .instrument_version(version_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let parsed = Arc::new(stored.instrument);
        if let Ok(mut m) = self.instruments.lock() {
            m.insert(version_id, parsed.clone());
        }
        Ok(parsed)
    }
}
