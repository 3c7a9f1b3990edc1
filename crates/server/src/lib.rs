//! The OneWindow reference server: catalogue, service guides, search and accounts over
//! axum and sqlx (SQLite or PostgreSQL). `serve` runs it on any listener with a shutdown
//! signal, so that tests start it in-process on port 0.

pub mod applications;
pub mod auth;
pub mod client_addr;
pub mod config;
pub mod db;
pub mod error;
pub mod gateway;
pub mod import;
pub mod jobs;
pub mod limiter;
pub mod live;
pub mod metrics;
pub mod notify;
pub mod pages;
pub mod push;
pub mod routes;
pub mod seed;
pub mod state;
pub mod storage;
pub mod sweep;
pub mod wallet;
mod web;

use crate::config::Config;
use crate::db::Store;
use crate::limiter::LoginLimiter;
use crate::state::{AppState, CatalogueSnapshot};
use axum::Router;
use onewindow_api::workdays::{HolidayCalendar, WorkCalendar};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::TcpListener;

/// Connects the database, migrates it, seeds the demo data on first start (if
/// configured), loads the holiday calendar and builds the search snapshot.
pub async fn build_state(config: Config) -> anyhow::Result<AppState> {
    let store = Store::connect(&config.database_url(), config.database.max_connections).await?;
    if config.catalogue.seed_on_first_start && store.item_count().await? == 0 {
        let doc = import::read_dir(&config.catalogue.demo_dir)?;
        let counts = import::import(&store, &doc).await?;
        tracing::info!(items = counts.items, "seeded the demo catalogue");
    }
    let (calendar, timezone) = load_calendar(&config)?;
    let storage = storage::Storage::from_config(&config)?;
    let lookup_limiter = Arc::new(LoginLimiter::new(
        store.clone(),
        config.auth.login_max_failures * 2,
        Duration::from_secs(config.auth.login_window_seconds),
    ));
    let register_limiter = Arc::new(LoginLimiter::new(
        store.clone(),
        config.auth.registrations_per_address,
        Duration::from_secs(config.auth.registration_window_seconds),
    ));
    let state = AppState {
        storage,
        lookup_limiter,
        register_limiter,
        login_limiter: Arc::new(LoginLimiter::new(
            store.clone(),
            config.auth.login_max_failures,
            Duration::from_secs(config.auth.login_window_seconds),
        )),
        config: Arc::new(config),
        store,
        calendar: Arc::new(calendar),
        timezone: timezone.into(),
        catalogue: Arc::new(RwLock::new(Arc::new(CatalogueSnapshot::default()))),
        hub: Arc::default(),
        metrics: Arc::default(),
    };
    state.reload_catalogue().await?;
    Ok(state)
}

fn load_calendar(config: &Config) -> anyhow::Result<(WorkCalendar, String)> {
    let path = &config.catalogue.holidays_file;
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the holiday calendar {}: {e}", path.display()))?;
    let cal: HolidayCalendar = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{} is not a holiday calendar: {e}", path.display()))?;
    Ok((WorkCalendar::new(&cal)?, cal.timezone))
}

/// The whole application: API, OpenAPI document, docs page, health and the web front-end.
pub fn app(state: AppState) -> Router {
    web::app(state)
}

/// Serves `state` on `listener`, with the background jobs, until `shutdown` completes,
/// finishing in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let jobs = tokio::spawn(jobs::run(state.clone()));
    let poller = tokio::spawn(live::poll(
        state.clone(),
        Duration::from_millis(state.config.jobs.live_poll_ms.max(50)),
    ));
    let pusher = tokio::spawn(push::run(state.clone()));
    let sweeper = tokio::spawn(sweep::run(state.clone()));
    let hub = state.hub.clone();
    let served = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        // Live streams never end by themselves: end them so that shutdown can finish.
        hub.close();
    })
    .await;
    jobs.abort();
    poller.abort();
    pusher.abort();
    sweeper.abort();
    served
}
