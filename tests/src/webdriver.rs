//! WebDriver helpers shared by the browser and desktop end-to-end tests: finding tools,
//! starting a driver process that is stopped when the test ends, and bounded waits.

use anyhow::{anyhow, Context, Result};
use fantoccini::{Client, Locator};
use std::future::Future;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// Every wait of the end-to-end tests is bounded by this.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A child process (a WebDriver server, Xvfb) stopped when dropped, also on panic.
/// `interrupt` sends SIGINT first, for tauri-driver, which ignores SIGTERM and leaves its
/// WebKitWebDriver running when killed.
#[derive(Debug)]
pub struct Process {
    pub child: Child,
    pub interrupt: bool,
}

impl Drop for Process {
    fn drop(&mut self) {
        if self.interrupt {
            let _ = Command::new("kill")
                .args(["-INT", &self.child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// `name` from PATH; when it is missing, a panic under `CI=true`, else a loud warning
/// and `None` so that the caller skips.
pub fn required_tool(name: &str, what: &str) -> Option<PathBuf> {
    let found = find_on_path(name);
    if found.is_none() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{name} is required when CI=true but is not on PATH");
        }
        // Straight to stderr: the test harness would swallow eprintln! of a passing test.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** WARNING: {name} is not on PATH: {what} is SKIPPED ***\n"
        );
    }
    found
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Spawns `command` and waits until something listens on `port`.
pub fn start_listening(mut command: Command, port: u16, interrupt: bool) -> Process {
    let child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let process = Process { child, interrupt };
    let deadline = Instant::now() + TIMEOUT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{command:?} did not listen on port {port} within {TIMEOUT:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    process
}

/// Polls `check` until it yields `Some`, for at most `TIMEOUT`.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let deadline = Instant::now() + TIMEOUT;
    let mut last_error = None;
    loop {
        match check().await {
            Ok(Some(v)) => return Ok(v),
            Ok(None) => {}
            Err(e) => last_error = Some(e),
        }
        if Instant::now() > deadline {
            return Err(anyhow!(
                "timed out after {TIMEOUT:?} waiting for {what} (last error: {last_error:?})"
            ));
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

pub async fn wait_for(client: &Client, css: &str) -> Result<fantoccini::elements::Element> {
    client
        .wait()
        .at_most(TIMEOUT)
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("waiting for {css}"))
}
