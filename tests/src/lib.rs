//! Test harness: starts the real server in-process on 127.0.0.1:0 against SQLite or
//! PostgreSQL, seeded with the demo data, and hands out real clients.

pub mod cases;
pub mod process;
pub mod webdriver;

use onewindow_client::{Client, ReqwestTransport};
use onewindow_server::config::Config;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The database behind a test server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// A configuration for tests: everything under a temporary directory, demo data from
/// the repository.
pub fn test_config(data_dir: PathBuf, database_url: String) -> Config {
    let root = repo_root();
    let mut c = Config::default();
    c.server.bind = ([127, 0, 0, 1], 0).into();
    c.server.data_dir = data_dir;
    c.server.static_dir = root.join("frontend/dist");
    c.database.url = database_url;
    c.database.max_connections = 8;
    c.catalogue.demo_dir = root.join("data/demo");
    c.catalogue.holidays_file = root.join("data/holidays/linjiang.json");
    // The suites register hundreds of accounts, all from this machine.
    c.auth.registrations_per_address = TEST_REGISTRATIONS;
    c
}

/// Registrations allowed per address in tests (every test client is 127.0.0.1); tests of
/// the limit itself set their own.
pub const TEST_REGISTRATIONS: u32 = 100_000;

/// The PostgreSQL server to test against: `DATABASE_URL`, else the local one. `None`
/// (with a loud warning) when it cannot be reached, unless `CI=true`, where it must be.
pub fn postgres_admin_url() -> Option<String> {
    static URL: OnceLock<Option<String>> = OnceLock::new();
    URL.get_or_init(|| {
        let url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|u| u.starts_with("postgres"))
            .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        let probe = url.clone();
        let reachable = run_blocking(async move {
            sqlx::any::install_default_drivers();
            let conn = sqlx::AnyPool::connect(&probe).await;
            conn.is_ok()
        });
        if reachable {
            Some(url)
        } else if std::env::var("CI").as_deref() == Ok("true") {
            panic!("PostgreSQL is required when CI=true, but {url} cannot be reached");
        } else {
            eprintln!("\n*** WARNING: PostgreSQL at {url} is not reachable: PostgreSQL tests are SKIPPED ***\n");
            None
        }
    })
    .clone()
}

/// The backends available here: SQLite always, PostgreSQL when reachable.
pub fn backends() -> Vec<Backend> {
    let mut b = vec![Backend::Sqlite];
    if postgres_admin_url().is_some() {
        b.push(Backend::Postgres);
    }
    b
}

fn run_blocking<F: std::future::Future + Send + 'static>(f: F) -> F::Output
where
    F::Output: Send + 'static,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f)
    })
    .join()
    .expect("thread")
}

/// A fresh, empty PostgreSQL database for this test process; databases left by earlier
/// processes that are no longer running are dropped first.
pub fn fresh_postgres_database(admin_url: &str, tag: &str) -> String {
    let admin = admin_url.to_owned();
    let name = format!("ow_test_{}_{}_{tag}", std::process::id(), unique());
    let db = name.clone();
    run_blocking(async move {
        let pool = sqlx::AnyPool::connect(&admin).await.expect("postgres");
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'ow_test_%'")
                .fetch_all(&pool)
                .await
                .unwrap_or_default();
        for (old,) in rows {
            let pid = old.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
            let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
            if !alive {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{old}\" WITH (FORCE)"))
                    .execute(&pool)
                    .await;
            }
        }
        sqlx::query(&format!("CREATE DATABASE \"{db}\""))
            .execute(&pool)
            .await
            .expect("create database");
    });
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    format!("{base}/{name}")
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    (u64::from(nanos) << 8) + N.fetch_add(1, Ordering::Relaxed)
}

/// A running server. It lives on its own thread and runtime for the whole test process,
/// so that every test (each with its own runtime) can share it; `stop` and `resume` take
/// it down and bring it back on the same address and database (an outage).
#[derive(Debug)]
pub struct TestServer {
    pub base_url: String,
    pub backend: Backend,
    pub database_url: String,
    dir: tempfile::TempDir,
    running: std::sync::Mutex<Option<Running>>,
}

/// How to stop a running server, and its thread to wait for.
#[derive(Debug)]
struct Running {
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl TestServer {
    /// Starts a new server with its own fresh database.
    pub fn start(backend: Backend) -> TestServer {
        TestServer::start_with(backend, |_| {})
    }

    /// Starts a new server with its own fresh database and the test configuration as
    /// changed by `configure`.
    pub fn start_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = match backend {
            Backend::Sqlite => format!("sqlite://{}/test.db?mode=rwc", dir.path().display()),
            Backend::Postgres => {
                let admin = postgres_admin_url().expect("PostgreSQL is not available");
                fresh_postgres_database(&admin, "srv")
            }
        };
        TestServer::launch(backend, database_url, dir, configure)
    }

    /// Starts a second instance on this server's database, as behind a load balancer.
    pub fn another(&self) -> TestServer {
        self.another_with(|_| {})
    }

    /// `another` with the test configuration as changed by `configure`.
    pub fn another_with(&self, configure: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        TestServer::launch(self.backend, self.database_url.clone(), dir, configure)
    }

    fn launch(
        backend: Backend,
        database_url: String,
        dir: tempfile::TempDir,
        configure: impl FnOnce(&mut Config),
    ) -> TestServer {
        let mut config = test_config(dir.path().to_owned(), database_url.clone());
        configure(&mut config);
        let (addr, running) = run(config, "127.0.0.1:0".parse().expect("address"));
        TestServer {
            base_url: format!("http://{addr}"),
            backend,
            database_url,
            dir,
            running: std::sync::Mutex::new(Some(running)),
        }
    }

    /// Stops the server (gracefully: live streams end, requests in flight finish). Its
    /// database stays for `resume`.
    pub fn stop(&self) {
        let running = self.running.lock().expect("server lock").take();
        if let Some(Running { stop, thread }) = running {
            let _ = stop.send(());
            thread.join().expect("the test server's thread");
        }
    }

    /// Starts the stopped server again on the same address and database, with the test
    /// configuration (not any `start_with` changes).
    pub fn resume(&self) {
        let mut running = self.running.lock().expect("server lock");
        assert!(running.is_none(), "the server is running");
        let addr = self
            .base_url
            .trim_start_matches("http://")
            .parse()
            .expect("the server's address");
        let config = test_config(self.dir.path().to_owned(), self.database_url.clone());
        *running = Some(run(config, addr).1);
    }

    /// The shared server of a backend, started on first use.
    pub fn shared(backend: Backend) -> &'static TestServer {
        static SQLITE: OnceLock<TestServer> = OnceLock::new();
        static POSTGRES: OnceLock<TestServer> = OnceLock::new();
        match backend {
            Backend::Sqlite => SQLITE.get_or_init(|| TestServer::start(Backend::Sqlite)),
            Backend::Postgres => POSTGRES.get_or_init(|| TestServer::start(Backend::Postgres)),
        }
    }

    pub fn client(&self) -> Client<ReqwestTransport> {
        Client::new(ReqwestTransport::new(&self.base_url))
    }
}

/// A server the fixtures can use: the in-process `TestServer`, or the real binary in a
/// child process (the fault tests, which kill it).
pub trait Served {
    fn base_url(&self) -> &str;
    fn database_url(&self) -> &str;
    fn client(&self) -> Client<ReqwestTransport> {
        Client::new(ReqwestTransport::new(self.base_url()))
    }
}

impl<T: Served + ?Sized> Served for &T {
    fn base_url(&self) -> &str {
        (**self).base_url()
    }
    fn database_url(&self) -> &str {
        (**self).database_url()
    }
}

impl Served for TestServer {
    fn base_url(&self) -> &str {
        &self.base_url
    }
    fn database_url(&self) -> &str {
        &self.database_url
    }
}

/// Runs a server on its own thread and runtime, listening on `addr` (port 0: any).
fn run(config: Config, addr: std::net::SocketAddr) -> (std::net::SocketAddr, Running) {
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let state = onewindow_server::build_state(config)
                .await
                .expect("server state");
            let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            onewindow_server::serve(listener, state, async {
                let _ = stopped.await;
            })
            .await
            .expect("serve");
        });
    });
    let addr = rx.recv().expect("the test server did not start");
    (addr, Running { stop, thread })
}

static SERIAL: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

pub(crate) fn serial() -> u32 {
    SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A valid resident ID number that no other test of this process uses (every process
/// has its own databases): a serial number with its computed check digit.
pub fn unique_id_number() -> String {
    let n = serial();
    let first17 = format!(
        "330102{}{:02}{:02}{:03}",
        1960 + n / 1000 % 40,
        1 + n / 28 % 12,
        1 + n % 28,
        n % 1000
    );
    let check = onewindow_api::idnum::resident_id_check_char(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// A mobile number that no other test of this process uses.
pub fn unique_phone() -> String {
    format!("139{:08}", serial())
}
