//! Headless Chromium sessions through one chromedriver, for the browser scenarios. Each
//! session has its own profile, so two sessions are two people with their own cookies.

use fantoccini::{Client, ClientBuilder};
use onewindow_tests::webdriver::{free_port, required_tool, start_listening, Process};
use onewindow_tests::{Backend, TestServer};
use serde_json::json;
use std::process::{Command, Stdio};

/// A running chromedriver and the profiles of the sessions it opened.
pub struct Browser {
    port: u16,
    profiles: Vec<tempfile::TempDir>,
    _driver: Process,
    /// One browser test at a time: on two cores, two browsers and two servers at once
    /// starve each other into timeouts.
    _turn: std::sync::MutexGuard<'static, ()>,
}

/// Whose turn it is to drive a browser.
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Browser {
    /// Starts chromedriver, or `None` (with a warning; a failure under `CI=true`) when
    /// it is not installed.
    pub fn start() -> Option<Browser> {
        // A test that panicked while holding the turn leaves it poisoned; the turn is
        // still free to take.
        let turn = TURN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let chromedriver = required_tool("chromedriver", "the browser end-to-end test")?;
        // Both of rustls' crypto providers are linked into this test (see Cargo.toml); an
        // error only means another test already installed one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = free_port();
        let mut command = Command::new(&chromedriver);
        command
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let driver = start_listening(command, port, false);
        Some(Browser {
            port,
            profiles: Vec::new(),
            _driver: driver,
            _turn: turn,
        })
    }

    /// A new headless browser session with a fresh profile.
    pub async fn session(&mut self) -> Client {
        let profile = tempfile::tempdir().expect("temp dir");
        let mut options = json!({
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        });
        if let Ok(bin) = std::env::var("CHROME_BIN") {
            options["binary"] = json!(bin);
        }
        self.profiles.push(profile);
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), options);
        ClientBuilder::rustls()
            .expect("rustls connector")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session")
    }
}

/// What the page shows and which API requests it made, for a failure's message.
pub async fn diagnose(c: &Client) -> String {
    let script = "return JSON.stringify({panic: document.body.dataset.panic, main: (document.querySelector('main') || document.body).innerText.slice(0, 400), \
        requests: performance.getEntriesByType('resource').filter(e => e.name.includes('/api/')).slice(-12) \
            .map(e => [e.name.replace(location.origin, ''), e.responseStatus, Math.round(e.startTime), Math.round(e.duration)])})";
    match c.execute(script, vec![]).await {
        Ok(v) => v.as_str().unwrap_or_default().to_owned(),
        Err(e) => format!("(no diagnosis: {e})"),
    }
}

/// Waits for `css`; if it does not show, the error says what the page shows and which
/// API requests it finished (a view that never came was how pages kept in the
/// back-forward cache with their live streams open, using up the browser's connections
/// to the server, showed).
pub async fn wait_diagnosed(
    c: &Client,
    css: &str,
    what: &str,
) -> anyhow::Result<fantoccini::elements::Element> {
    match onewindow_tests::webdriver::wait_for(c, css).await {
        Ok(e) => Ok(e),
        Err(e) => {
            let seen = diagnose(c).await;
            Err(e.context(format!("{what} did not show; the page: {seen}")))
        }
    }
}

/// Runs a browser scenario: a fresh server (SQLite) serving the built front-end, and
/// one browser session; the session is closed whatever happens, then a failure panics
/// with its whole chain. Without chromedriver the test is skipped (a failure under
/// `CI=true`).
pub async fn run(scenario: impl AsyncFnOnce(&TestServer, &Client) -> anyhow::Result<()>) {
    with_sessions(1, async |server, pages| scenario(server, &pages[0]).await).await;
}

/// `run` with two people, each in a browser session of their own.
pub async fn run_two(
    scenario: impl AsyncFnOnce(&TestServer, &Client, &Client) -> anyhow::Result<()>,
) {
    with_sessions(2, async |server, pages| {
        scenario(server, &pages[0], &pages[1]).await
    })
    .await;
}

async fn with_sessions(
    count: usize,
    scenario: impl AsyncFnOnce(&TestServer, &[Client]) -> anyhow::Result<()>,
) {
    assert!(
        onewindow_tests::repo_root()
            .join("frontend/dist/index.html")
            .exists(),
        "build the front-end first: cargo xtask frontend"
    );
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let server = TestServer::start(Backend::Sqlite);
    let mut pages = Vec::with_capacity(count);
    for _ in 0..count {
        pages.push(browser.session().await);
    }
    let outcome = scenario(&server, &pages).await;
    for page in pages {
        let _ = page.close().await;
    }
    drop(browser);
    if let Err(e) = outcome {
        panic!("{e:#}");
    }
}

/// The script that remembers a language as the app does: in localStorage for the app
/// and in the `ow_lang` cookie for the server's pre-rendered pages.
pub(crate) fn remember_lang(lang: &str) -> String {
    format!(
        "localStorage.setItem('onewindow.lang', '{lang}'); \
         document.cookie = 'ow_lang={lang}; Path=/; SameSite=Lax';"
    )
}
