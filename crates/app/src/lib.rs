//! Trama's application layer: one function per use case, for every adapter.
//!
//! A use case takes the [`App`], the signed-in [`Actor`] (when it needs one)
//! and its input; it asks the policy (`trama_domain::policy`) about a target
//! the store built from the record itself, validates, writes in one
//! `begin_write` transaction together with its audit entry, and returns
//! data. Pages, the JSON API and the command line are thin adapters over
//! these functions: none of them decides who may do what, and none of them
//! writes on its own.
//!
//! Modules follow the features: [`registry`] (territory, networks, schools,
//! people, imports), [`accounts`] (sign-in, tokens, users), [`campaigns`]
//! (rounds, invitations, the outbox, the funnel, response files),
//! [`answering`] (a personal link's questionnaire), [`results`] (reports
//! and their PDFs), [`open_answers`] (reading and coding free text),
//! [`maps`] (a network's collaboration map per wave) and
//! [`characterisation`] (the network's year, its profile and the national
//! table of what kind of networks there are).

pub mod access;
pub mod accounts;
pub mod answering;
pub mod campaigns;
pub mod characterisation;
mod error;
pub mod maps;
pub mod open_answers;
pub mod registry;
pub mod results;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub use error::{Error, Result, invalid};
pub use trama_domain::policy::Actor;
use trama_instrument::Instrument;
use trama_store::{Store, StoreError};

/// The anonymity threshold: no group of fewer respondents is ever shown.
pub const DEFAULT_MIN_GROUP: u64 = 5;

/// Settings a deployment chooses that are not in the database.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The address participants reach the server at, used in personal links.
    pub public_url: String,
    /// Whether an SMTP relay is configured (otherwise messages go to the outbox).
    pub smtp: bool,
    /// Smallest group of respondents any output shows (never below 3).
    pub min_group: u64,
    /// How sign-in attempts are slowed.
    pub login: accounts::LoginSettings,
    /// The continuum's rules and the typology's thresholds.
    pub characterising: characterisation::Characterising,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            public_url: "http://127.0.0.1:8080".to_owned(),
            smtp: false,
            min_group: DEFAULT_MIN_GROUP,
            login: accounts::LoginSettings::default(),
            characterising: characterisation::Characterising::default(),
        }
    }
}

/// The application: the store, the deployment's settings, and what is kept
/// in memory between requests.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    settings: Arc<Settings>,
    /// Parsed instrument versions by id: versions never change once stored.
    instruments: Arc<Mutex<HashMap<i64, Arc<Instrument>>>>,
    login: Arc<accounts::LoginThrottle>,
    pending_imports: Arc<registry::imports::PendingImports>,
    results: Arc<results::ResultsCache>,
    characterisation: Arc<characterisation::CharacterisationCache>,
    map_summaries: Arc<maps::SummaryCache>,
}

impl App {
    pub fn new(store: Store, mut settings: Settings) -> Self {
        settings.min_group = settings.min_group.max(3);
        App {
            store,
            login: Arc::new(accounts::LoginThrottle::new(settings.login.clone())),
            settings: Arc::new(settings),
            instruments: Arc::default(),
            pending_imports: Arc::default(),
            results: Arc::default(),
            characterisation: Arc::default(),
            map_summaries: Arc::default(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The anonymity threshold K.
    pub fn min_group(&self) -> u64 {
        self.settings.min_group
    }

    pub fn outreach(&self) -> trama_outreach::Outreach {
        trama_outreach::Outreach {
            base_url: self.settings.public_url.clone(),
            smtp: self.settings.smtp,
        }
    }

    pub(crate) fn results_cache(&self) -> &results::ResultsCache {
        &self.results
    }

    pub(crate) fn characterisation_cache(&self) -> &characterisation::CharacterisationCache {
        &self.characterisation
    }

    pub(crate) fn map_summaries(&self) -> &maps::SummaryCache {
        &self.map_summaries
    }

    pub(crate) fn pending_imports(&self) -> &registry::imports::PendingImports {
        &self.pending_imports
    }

    /// An instrument version, parsed once per process.
    pub async fn instrument(&self, version_id: i64) -> Result<Arc<Instrument>> {
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

    /// An audit line for something that changes nothing else (a download).
    pub async fn audit(&self, actor: &Actor, action: &str, detail: &str) -> Result<()> {
        self.store.audit(actor.audit_id(), action, detail).await?;
        Ok(())
    }
}
