//! What every request shares: the application layer and the web's own
//! settings (cookies, which proxies to believe).

use std::net::IpAddr;
use std::sync::Arc;

use trama_app::App;
use trama_instrument::Instrument;
use trama_store::{Store, StoreError};

/// Server settings that are not in the database.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// The address participants reach the server at, used in personal links.
    pub public_url: String,
    /// Whether an SMTP relay is configured (otherwise messages go to the outbox).
    pub smtp: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client; from any
    /// other peer the header is ignored (anyone can send it).
    pub trusted_proxies: Vec<IpAddr>,
    /// Smallest group of respondents any output shows.
    pub min_group: u64,
    /// How sign-in attempts are slowed after failures.
    pub login: trama_app::accounts::LoginSettings,
    /// The continuum's rules and the typology's thresholds.
    pub characterising: trama_app::characterisation::Characterising,
    /// Who may read `/metrics`.
    pub metrics: crate::MetricsAccess,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secure_cookies: false,
            public_url: "http://127.0.0.1:8080".to_owned(),
            smtp: false,
            trusted_proxies: vec![],
            min_group: trama_app::DEFAULT_MIN_GROUP,
            login: Default::default(),
            characterising: Default::default(),
            metrics: Default::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub store: Store,
    pub settings: Arc<Settings>,
    pub(crate) metrics: crate::metrics::Shared,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Self {
        let app = App::new(
            store.clone(),
            trama_app::Settings {
                public_url: settings.public_url.clone(),
                smtp: settings.smtp,
                min_group: settings.min_group,
                login: settings.login.clone(),
                characterising: settings.characterising.clone(),
            },
        );
        AppState {
            app,
            store,
            settings: Arc::new(settings),
            metrics: Default::default(),
        }
    }

    pub fn outreach(&self) -> trama_outreach::Outreach {
        self.app.outreach()
    }

    /// An instrument version, parsed once per server run.
    pub async fn instrument(&self, version_id: i64) -> Result<Arc<Instrument>, StoreError> {
        self.app
            .instrument(version_id)
            .await
            .map_err(|_| StoreError::NotFound)
    }
}
