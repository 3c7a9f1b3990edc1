//! Application state shared by all handlers, and the in-memory catalogue snapshot that
//! search runs on.

use crate::config::Config;
use crate::db::catalogue::SearchRow;
use crate::db::Store;
use crate::limiter::LoginLimiter;
use axum::body::Bytes;
use onewindow_api::catalogue::{Department, Hall, ServiceItem, ServiceSummary, Theme};
use onewindow_api::query::{CorpusEntry, Page, ServiceQuery};
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
    /// The departments and themes with their item counts, as imported.
    pub departments: Vec<Department>,
    pub themes: Vec<Theme>,
    /// Full items as they are asked for (guides, bookings), parsed once per snapshot.
    items: Memo<ServiceItem>,
    /// The JSON of the guides and of the catalogue's pages (by their query) as they
    /// are asked for, read and serialised once per snapshot: what a visitor reads most.
    guides: Memo<Bytes>,
    pages: Memo<Bytes>,
    /// The catalogue's pages by their query, for the pre-rendered pages.
    lists: Memo<Page<ServiceSummary>>,
}

/// The memo key of a catalogue page's query.
fn page_key(q: &ServiceQuery) -> String {
    let (page, per_page) = q.paging();
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{page}|{per_page}",
        q.department, q.theme, q.audience, q.level, q.online
    )
}

/// `value` as JSON bytes.
fn json<T: serde::Serialize>(value: &T) -> Result<Bytes, sqlx::Error> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| sqlx::Error::Encode(e.into()))
}

/// Answers kept for the life of a snapshot (a rebuilt snapshot starts empty), by key;
/// past `MAX_MEMO` entries it starts over (a catalogue's items and its pages under
/// every filter are far fewer).
struct Memo<T>(Mutex<HashMap<String, Arc<T>>>);

const MAX_MEMO: usize = 20_000;

impl<T> std::fmt::Debug for Memo<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.lock().map_or(0, |m| m.len());
        write!(f, "Memo({n} entries)")
    }
}

impl<T> Default for Memo<T> {
    fn default() -> Memo<T> {
        Memo(Mutex::default())
    }
}

impl<T> Memo<T> {
    fn get(&self, key: &str) -> Option<Arc<T>> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    fn put(&self, key: String, value: Arc<T>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_MEMO {
            map.clear();
        }
        map.insert(key, value);
    }
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
            departments: Vec::new(),
            themes: Vec::new(),
            items: Memo::default(),
            guides: Memo::default(),
            pages: Memo::default(),
            lists: Memo::default(),
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
    /// Registrations per client address.
    pub register_limiter: Arc<LoginLimiter>,
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

    /// The full item (guide) with this code, from the snapshot's memo or the database.
    pub async fn item(&self, code: &str) -> Result<Option<Arc<ServiceItem>>, sqlx::Error> {
        let snapshot = self.snapshot();
        if let Some(item) = snapshot.items.get(code) {
            return Ok(Some(item));
        }
        let Some(mut item) = self.store.service(code).await? else {
            return Ok(None);
        };
        // A material's limit as its uploads meet it: the deployment's cap on any upload
        // may be lower than the guide's. The guide, the app's checks and the server's
        // pre-review then all state the limit that holds.
        let cap = u32::try_from(self.config.storage.max_upload_mb).unwrap_or(u32::MAX);
        for m in item.cases.iter_mut().flat_map(|c| c.materials.iter_mut()) {
            m.max_size_mb = m.max_size_mb.min(cap);
        }
        let item = Arc::new(item);
        snapshot.items.put(code.to_owned(), item.clone());
        Ok(Some(item))
    }

    /// The JSON of a guide, from the snapshot's memo or serialised once.
    pub async fn guide_json(&self, code: &str) -> Result<Option<Bytes>, sqlx::Error> {
        let snapshot = self.snapshot();
        if let Some(found) = snapshot.guides.get(code) {
            return Ok(Some(Bytes::clone(&found)));
        }
        let Some(item) = self.item(code).await? else {
            return Ok(None);
        };
        let body = json(&*item)?;
        snapshot.guides.put(code.to_owned(), Arc::new(body.clone()));
        Ok(Some(body))
    }

    /// A page of the catalogue, from the snapshot's memo or read from the database once
    /// per query.
    pub async fn services_page(
        &self,
        q: &ServiceQuery,
    ) -> Result<Arc<Page<ServiceSummary>>, sqlx::Error> {
        let key = page_key(q);
        let snapshot = self.snapshot();
        if let Some(found) = snapshot.lists.get(&key) {
            return Ok(found);
        }
        let page = Arc::new(self.store.list_services(q).await?);
        snapshot.lists.put(key, page.clone());
        Ok(page)
    }

    /// The JSON of a page of the catalogue, from the snapshot's memo or serialised once
    /// per query.
    pub async fn services_page_json(&self, q: &ServiceQuery) -> Result<Bytes, sqlx::Error> {
        let key = page_key(q);
        let snapshot = self.snapshot();
        if let Some(found) = snapshot.pages.get(&key) {
            return Ok(Bytes::clone(&found));
        }
        let body = json(&*self.services_page(q).await?)?;
        snapshot.pages.put(key, Arc::new(body.clone()));
        Ok(body)
    }

    /// Rebuilds the snapshot from the database, at start and after an import.
    pub async fn reload_catalogue(&self) -> anyhow::Result<()> {
        let rows = self.store.search_rows().await?;
        let halls = self.store.halls().await?;
        let departments = self.store.departments().await?;
        let themes = self.store.themes().await?;
        let mut snapshot =
            tokio::task::spawn_blocking(move || CatalogueSnapshot::build(rows)).await?;
        snapshot.halls = halls;
        snapshot.departments = departments;
        snapshot.themes = themes;
        *self.catalogue.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        Ok(())
    }
}
