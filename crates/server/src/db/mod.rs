//! Storage: one `sqlx::AnyPool` over SQLite (embedded default, WAL) or PostgreSQL, chosen
//! by the database URL. Queries are written once in portable SQL with `$n` parameters;
//! each backend owns its migrations (`migrations/sqlite`, `migrations/postgres`).

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod bookings;
pub mod catalogue;
pub mod notifications;
pub mod push;
pub mod ratings;
pub mod review;
pub mod stats;
pub mod threads;
pub mod wallet;

use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyConnection, AnyPool, Transaction};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The storage handle shared by all requests.
#[derive(Debug, Clone)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite has one writer at a time: write transactions queue here, in order, instead
    /// of sleeping in SQLite's busy handler and retrying (None on PostgreSQL, whose row
    /// locks let writers to different rows run side by side).
    write_gate: Option<Arc<Mutex<()>>>,
}

/// A write transaction; on SQLite it also holds the write gate until it ends. Derefs to
/// the connection, so statements run with `.execute(&mut *tx)`; dropped without
/// `commit`, it rolls back.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    _gate: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// Milliseconds since the Unix epoch: every timestamp column holds this.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A timestamp column as RFC 3339 (UTC).
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Store {
    /// Connects, creating the SQLite file (and its directory) if needed, and migrates.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            anyhow::bail!("the database URL must start with sqlite:// or postgres://");
        };
        if backend == Backend::Sqlite {
            create_sqlite_dir(url)?;
        }
        let mut options = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10));
        if backend == Backend::Sqlite {
            // WAL lets readers run beside the one writer; NORMAL is durable with WAL
            // except for the last transactions before a power loss.
            options = options.after_connect(|conn, _| {
                Box::pin(async move {
                    use sqlx::Executor;
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(url).await?;
        let write_gate = (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(())));
        let store = Store {
            pool,
            backend,
            write_gate,
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// Begins a write transaction (after the queue of writers, on SQLite).
    pub async fn write(&self) -> Result<WriteTx, sqlx::Error> {
        let gate = match &self.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        Ok(WriteTx {
            tx: self.pool.begin().await?,
            _gate: gate,
        })
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

fn create_sqlite_dir(url: &str) -> anyhow::Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() || path.contains(":memory:") {
        return Ok(());
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    Ok(())
}
