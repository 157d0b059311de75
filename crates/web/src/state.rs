use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use trama_store::Store;

/// Server settings that are not in the database.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Login attempts allowed per minute per account and per client address.
    pub login_attempts_per_minute: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secure_cookies: false,
            login_attempts_per_minute: 10,
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

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub login_limiter: Arc<DefaultKeyedRateLimiter<String>>,
    pub pending_imports: Arc<Mutex<HashMap<String, PendingImport>>>,
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
        }
    }
}
