//! Application state shared by all handlers, and the in-memory catalogue snapshot that
//! search runs on.

use crate::config::Config;
use crate::db::catalogue::SearchRow;
use crate::db::Store;
use crate::limiter::LoginLimiter;
use onewindow_api::catalogue::{Hall, ServiceItem};
use onewindow_api::query::CorpusEntry;
use onewindow_api::workdays::WorkCalendar;
use onewindow_search::catalogue::Catalogue;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

/// The catalogue as search and booking see it: the searchable list views (in code
/// order, with their keywords and index), and the halls with their windows and hours.
#[derive(Debug, Default)]
pub struct CatalogueSnapshot {
    pub search: Catalogue,
    pub halls: Vec<Hall>,
    /// Full items as they are asked for (guides, bookings), parsed once per snapshot.
    items: Mutex<HashMap<String, Arc<ServiceItem>>>,
}

impl CatalogueSnapshot {
    pub fn build(rows: Vec<SearchRow>) -> CatalogueSnapshot {
        let entries = rows
            .into_iter()
            .map(|r| CorpusEntry {
                item: r.summary,
                keywords: r.keywords,
            })
            .collect();
        CatalogueSnapshot {
            search: Catalogue::build(entries),
            halls: Vec::new(),
            items: Mutex::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub calendar: Arc<WorkCalendar>,
    /// IANA time zone of the deployment (from the holiday calendar): dates of deadlines.
    pub timezone: Arc<str>,
    pub catalogue: Arc<RwLock<Arc<CatalogueSnapshot>>>,
    pub login_limiter: Arc<LoginLimiter>,
    /// Failed anonymous progress lookups per client address.
    pub lookup_limiter: Arc<LoginLimiter>,
    pub storage: crate::storage::Storage,
    /// Wakes live notification streams; closed at shutdown.
    pub hub: Arc<crate::live::Hub>,
    /// This instance's request and booking-conflict counters (`/metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    /// The current snapshot; cheap (an `Arc` clone), never blocks on a rebuild.
    pub fn snapshot(&self) -> Arc<CatalogueSnapshot> {
        self.catalogue
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The full item (guide) with this code, from the snapshot's cache or the database.
    pub async fn item(&self, code: &str) -> Result<Option<Arc<ServiceItem>>, sqlx::Error> {
        /// Past this many cached items the cache starts over (a catalogue is far smaller).
        const MAX_CACHED: usize = 20_000;
        let snapshot = self.snapshot();
        let cached = |s: &CatalogueSnapshot| {
            s.items
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(code)
                .cloned()
        };
        if let Some(item) = cached(&snapshot) {
            return Ok(Some(item));
        }
        let Some(item) = self.store.service(code).await? else {
            return Ok(None);
        };
        let item = Arc::new(item);
        let mut items = snapshot.items.lock().unwrap_or_else(|e| e.into_inner());
        if items.len() >= MAX_CACHED {
            items.clear();
        }
        items.insert(code.to_owned(), item.clone());
        Ok(Some(item))
    }

    /// Rebuilds the snapshot from the database, at start and after an import.
    pub async fn reload_catalogue(&self) -> anyhow::Result<()> {
        let rows = self.store.search_rows().await?;
        let halls = self.store.halls().await?;
        let mut snapshot =
            tokio::task::spawn_blocking(move || CatalogueSnapshot::build(rows)).await?;
        snapshot.halls = halls;
        *self.catalogue.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        Ok(())
    }
}
