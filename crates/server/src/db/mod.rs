//! Storage: one `sqlx::AnyPool` over SQLite (embedded default, WAL) or PostgreSQL, chosen
//! by the database URL. Queries are written once in portable SQL with `$n` parameters;
//! each backend owns its migrations (`migrations/sqlite`, `migrations/postgres`).

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod bookings;
pub mod catalogue;
pub mod limits;
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
    /// SQLite's connection for write transactions (see `connect`).
    writer: Option<AnyPool>,
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

/// A query argument of `Store::page`.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Int(i64),
    Text(&'a str),
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

/// Whether a failed write certainly changed nothing: the database refused a statement
/// (a constraint, a conflict, a full disk), or no connection was had. A connection lost
/// during the call, or a database that answered "completion unknown", may have
/// committed it: those are not sure. Callers undo side effects (a stored object) only
/// when sure, and leave the rest to the orphan sweep, which checks the records first.
pub fn surely_undone(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(db) => !db.code().is_some_and(|c| {
            // PostgreSQL: connection exceptions, the server shutting down, or a
            // transaction whose end is unknown.
            c.starts_with("08") || c.starts_with("57P") || c == "40003"
        }),
        _ => false,
    }
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
        let options = |n: u32| {
            let options = AnyPoolOptions::new()
                .max_connections(n)
                .acquire_timeout(Duration::from_secs(10));
            if backend != Backend::Sqlite {
                return options;
            }
            // WAL lets readers run beside the one writer; NORMAL is durable with WAL
            // except for the last transactions before a power loss.
            options.after_connect(|conn, _| {
                Box::pin(async move {
                    use sqlx::Executor;
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    Ok(())
                })
            })
        };
        let pool = options(max_connections).connect(url).await?;
        let write_gate = (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(())));
        // SQLite's one writer gets a connection of its own, so that a write never waits
        // for a reader to give one back (not for an in-memory database, which is one per
        // connection).
        let writer = match backend {
            Backend::Sqlite if !url.contains(":memory:") => Some(options(1).connect(url).await?),
            _ => None,
        };
        let store = Store {
            pool,
            backend,
            write_gate,
            writer,
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
            tx: self.writer.as_ref().unwrap_or(&self.pool).begin().await?,
            _gate: gate,
        })
    }

    /// One page of `SELECT {columns} FROM {from} WHERE {filter} ORDER BY {order}` and the
    /// total count: `args` bind `$1…$n` of the filter in both queries, and the page's
    /// LIMIT and OFFSET follow them.
    #[allow(clippy::too_many_arguments)]
    pub async fn page<T>(
        &self,
        columns: &str,
        from: &str,
        filter: &str,
        order: &str,
        args: &[Arg<'_>],
        (page, per_page): (u32, u32),
        row: impl Fn(&sqlx::any::AnyRow) -> Result<T, sqlx::Error>,
    ) -> Result<(Vec<T>, u64), sqlx::Error> {
        use sqlx::Row;
        let n = args.len();
        let count_sql = format!("SELECT COUNT(*) FROM {from} WHERE {filter}");
        let rows_sql = format!(
            "SELECT {columns} FROM {from} WHERE {filter} ORDER BY {order} LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let (mut count, mut list) = (sqlx::query(&count_sql), sqlx::query(&rows_sql));
        for a in args {
            (count, list) = match *a {
                Arg::Int(i) => (count.bind(i), list.bind(i)),
                Arg::Text(t) => (count.bind(t), list.bind(t)),
            };
        }
        let total: i64 = count.fetch_one(&self.pool).await?.try_get(0)?;
        let rows = list
            .bind(i64::from(per_page))
            .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
            .fetch_all(&self.pool)
            .await?;
        let items = rows.iter().map(row).collect::<Result<_, _>>()?;
        Ok((items, total.max(0) as u64))
    }

    /// A cheap round trip, for readiness checks.
    /// An online backup of a SQLite database into a new file at `to`: SQLite's
    /// `VACUUM INTO` writes a consistent copy in one read transaction while the server
    /// goes on serving. PostgreSQL has its own tools (`pg_dump`), so it is refused.
    pub async fn backup(&self, to: &std::path::Path) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.backend == Backend::Sqlite,
            "backup copies a SQLite database; back up PostgreSQL with pg_dump -Fc (see docs/DEPLOYMENT.md)"
        );
        anyhow::ensure!(
            !to.exists(),
            "{} exists already; choose a new file",
            to.display()
        );
        let path = to
            .to_str()
            .ok_or_else(|| anyhow::anyhow!("the backup path must be valid UTF-8"))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The storage keys that records name: files of cases, wallet documents and thread
    /// attachments (the orphan sweep keeps these objects).
    pub async fn storage_keys(&self) -> Result<std::collections::HashSet<String>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT storage_key FROM files UNION SELECT storage_key FROM wallet_documents
             UNION SELECT storage_key FROM thread_attachments",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| sqlx::Row::try_get(r, 0)).collect()
    }

    /// Whether any record names `key`.
    pub async fn storage_key_recorded(&self, key: &str) -> Result<bool, sqlx::Error> {
        let row = sqlx::query(
            "SELECT EXISTS (SELECT 1 FROM files WHERE storage_key = $1)
                 OR EXISTS (SELECT 1 FROM wallet_documents WHERE storage_key = $2)
                 OR EXISTS (SELECT 1 FROM thread_attachments WHERE storage_key = $3)",
        )
        .bind(key)
        .bind(key)
        .bind(key)
        .fetch_one(&self.pool)
        .await?;
        // SQLite answers an integer, PostgreSQL a boolean.
        sqlx::Row::try_get::<bool, _>(&row, 0)
            .or_else(|_| sqlx::Row::try_get::<i64, _>(&row, 0).map(|n| n != 0))
    }

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

#[cfg(test)]
mod tests {
    use super::surely_undone;

    #[tokio::test]
    async fn only_a_refused_write_is_surely_undone() {
        let store = super::Store::connect("sqlite::memory:", 1).await.unwrap();
        sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            .execute(&store.pool)
            .await
            .unwrap();
        let insert = || sqlx::query("INSERT INTO t (id) VALUES (1)").execute(&store.pool);
        insert().await.unwrap();
        let refused = insert().await.unwrap_err();
        assert!(surely_undone(&refused), "{refused}");
        assert!(surely_undone(&sqlx::Error::PoolTimedOut));
        let lost = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert!(!surely_undone(&lost));
        assert!(!surely_undone(&sqlx::Error::WorkerCrashed));
    }
}
