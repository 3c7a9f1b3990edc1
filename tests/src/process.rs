//! The real `onewindow-server` binary in a child process, for the fault tests: it can be
//! killed outright (SIGKILL, no shutdown of any kind) and started again on the same
//! address, database and file store.

use crate::{fresh_postgres_database, postgres_admin_url, repo_root, Backend, Served};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A server process and everything it keeps between restarts.
#[derive(Debug)]
pub struct ServerProcess {
    pub base_url: String,
    pub database_url: String,
    pub backend: Backend,
    dir: tempfile::TempDir,
    child: Option<Child>,
    started: u32,
    env: Vec<(String, String)>,
}

impl ServerProcess {
    /// Starts the binary on a free loopback port with a fresh database, and waits until
    /// it is ready.
    pub fn start(backend: Backend) -> ServerProcess {
        ServerProcess::start_with(backend, &[])
    }

    /// `start` with more configuration as `ONEWINDOW__…` variables.
    pub fn start_with(backend: Backend, env: &[(&str, String)]) -> ServerProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = match backend {
            Backend::Sqlite => format!("sqlite://{}/server.db?mode=rwc", dir.path().display()),
            Backend::Postgres => fresh_postgres_database(
                &postgres_admin_url().expect("PostgreSQL is not available"),
                "proc",
            ),
        };
        ServerProcess::start_on(backend, database_url, dir, env)
    }

    /// Starts the binary on the database at `database_url`.
    pub fn start_on_database(backend: Backend, database_url: String) -> ServerProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        ServerProcess::start_on(backend, database_url, dir, &[])
    }

    fn start_on(
        backend: Backend,
        database_url: String,
        dir: tempfile::TempDir,
        env: &[(&str, String)],
    ) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut p = ServerProcess {
            base_url: format!("http://127.0.0.1:{port}"),
            database_url,
            backend,
            dir,
            child: None,
            started: 0,
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        };
        p.spawn();
        p
    }

    /// The binary, built beside this test binary by `cargo test --workspace`.
    fn binary() -> PathBuf {
        let exe = std::env::current_exe().expect("the test binary's path");
        let dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("target/<profile>");
        let bin = dir.join("onewindow-server");
        assert!(
            bin.exists(),
            "{} is missing: build it with `cargo build -p onewindow-server` (cargo xtask test does)",
            bin.display()
        );
        bin
    }

    /// The server's data directory (its file store is `objects/` in it).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Starts the binary (again) and waits until `/readyz` answers 200.
    pub fn spawn(&mut self) {
        assert!(self.child.is_none(), "the server is running");
        self.started += 1;
        let root = repo_root();
        let log =
            std::fs::File::create(self.dir.path().join(format!("server-{}.log", self.started)))
                .expect("log file");
        let child = Command::new(Self::binary())
            .current_dir(self.dir.path())
            .env(
                "ONEWINDOW__SERVER__BIND",
                self.base_url.trim_start_matches("http://"),
            )
            .env("ONEWINDOW__SERVER__DATA_DIR", self.data_dir())
            .env("ONEWINDOW__SERVER__STATIC_DIR", root.join("frontend/dist"))
            .env("ONEWINDOW__DATABASE__URL", &self.database_url)
            .env("ONEWINDOW__CATALOGUE__DEMO_DIR", root.join("data/demo"))
            .env(
                "ONEWINDOW__CATALOGUE__HOLIDAYS_FILE",
                root.join("data/holidays/linjiang.json"),
            )
            // What a crash left is swept at once on the next start.
            .env("ONEWINDOW__STORAGE__ORPHAN_GRACE_MINUTES", "0")
            .env(
                "ONEWINDOW__AUTH__REGISTRATIONS_PER_ADDRESS",
                crate::TEST_REGISTRATIONS.to_string(),
            )
            .env("RUST_LOG", "warn")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .expect("the server binary starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(120);
        let url = format!("{}/readyz", self.base_url);
        loop {
            let ready = probe::status(&url) == Some(200);
            if ready {
                return;
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "the server exited ({status}) while starting:\n{}",
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "the server did not get ready:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Kills the server outright (SIGKILL) and waits for it to be gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Everything the server wrote to its logs, every start.
    pub fn log(&self) -> String {
        (1..=self.started)
            .map(|n| {
                std::fs::read_to_string(self.dir.path().join(format!("server-{n}.log")))
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join("\n--- restarted ---\n")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Served for ServerProcess {
    fn base_url(&self) -> &str {
        &self.base_url
    }
    fn database_url(&self) -> &str {
        &self.database_url
    }
}

mod probe {
    //! A blocking status probe on a plain TCP connection, so that waiting for readiness
    //! needs no runtime.
    use std::io::{Read, Write};
    use std::time::Duration;

    pub fn status(url: &str) -> Option<u16> {
        let rest = url.strip_prefix("http://")?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let mut s = std::net::TcpStream::connect(host).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        write!(
            s,
            "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut head = [0u8; 16];
        s.read_exact(&mut head).ok()?;
        std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
    }
}

/// A PostgreSQL cluster of the test's own (initdb in a temporary directory, on a free
/// port, run as the `postgres` user), which the test may stop and start without
/// disturbing the shared server the other tests use. `None` where it cannot run (not
/// root, or no PostgreSQL binaries).
#[derive(Debug)]
pub struct PrivatePostgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
}

impl PrivatePostgres {
    pub fn start() -> Option<PrivatePostgres> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .map(|e| e.path().join("bin"))
            .find(|b| b.join("initdb").exists())?;
        let dir = tempfile::tempdir().ok()?;
        let owned = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !owned {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .ok()?
            .port();
        let pg = PrivatePostgres { bin, dir, port };
        let data = pg.data();
        let init = pg.as_postgres(
            "initdb",
            &["-D", &data, "-A", "trust", "-U", "postgres", "--no-sync"],
        );
        if !init {
            return None;
        }
        pg.start_server().then_some(pg)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn as_postgres(&self, tool: &str, args: &[&str]) -> bool {
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join(tool))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Starts the cluster and waits until it accepts connections.
    pub fn start_server(&self) -> bool {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log").display().to_string();
        self.as_postgres(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-o",
                &options,
                "-l",
                &log,
                "-w",
                "start",
            ],
        )
    }

    /// Stops the cluster the way an operator's restart does (`pg_ctl stop -m fast`:
    /// every session is ended).
    pub fn stop_server(&self) -> bool {
        self.as_postgres("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"])
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self.as_postgres(
            "pg_ctl",
            &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
        );
    }
}
