//! WebDriver helpers shared by the browser and desktop end-to-end tests (and the app's
//! benchmark): finding tools, starting a driver process, a virtual display or a session
//! bus (with a Secret Service keychain on it) that is stopped when the test ends, and
//! bounded waits.

use anyhow::{anyhow, Context, Result};
use fantoccini::{Client, Locator};
use std::future::Future;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
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

/// Starts Xvfb on a display number of its own and waits for its socket.
pub fn start_display(xvfb: &Path) -> (Process, String) {
    let number = 90 + std::process::id() % 400;
    let mut command = Command::new(xvfb);
    command
        .args([
            format!(":{number}").as_str(),
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let process = Process {
        child: command.spawn().expect("Xvfb starts"),
        interrupt: false,
    };
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while !socket.exists() {
        assert!(Instant::now() < deadline, "Xvfb did not start on :{number}");
        std::thread::sleep(Duration::from_millis(100));
    }
    (process, format!(":{number}"))
}

/// Starts a D-Bus session bus of its own and returns its address.
pub fn start_session_bus(dbus: &Path) -> (Process, String) {
    let socket = std::env::temp_dir().join(format!("onewindow-bus-{}", std::process::id()));
    let _ = std::fs::remove_file(&socket);
    let address = format!("unix:path={}", socket.display());
    let process = Process {
        child: Command::new(dbus)
            .args([
                "--session",
                "--nofork",
                "--nopidfile",
                "--address",
                &address,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts"),
        interrupt: false,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !socket.exists() {
        assert!(Instant::now() < deadline, "the session bus did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (process, address)
}

/// tauri-driver (`driver`) on a free port, with its native driver on another, for the
/// app on the X display `display` and the session bus `bus`; `setup` adds the app's own
/// environment. Stopped with SIGINT when dropped. Returns it and its WebDriver URL.
pub fn start_tauri_driver(
    driver: &Path,
    display: &str,
    bus: &str,
    setup: impl FnOnce(&mut Command),
) -> (Process, String) {
    let port = free_port();
    let mut command = Command::new(driver);
    command
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &free_port().to_string(),
        ])
        .env("DISPLAY", display)
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    setup(&mut command);
    (
        start_listening(command, port, true),
        format!("http://127.0.0.1:{port}"),
    )
}

/// A WebDriver session with the app at `app` (which the driver at `url` launches), and
/// how many requests it took. tauri-driver sometimes drops the very first session
/// request while the native driver behind it is still starting: with `retry`, it is
/// tried a few times before failing.
pub async fn app_session(url: &str, app: &Path, retry: bool) -> Result<(Client, u32)> {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), serde_json::json!("wry"));
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app }),
    );
    let mut attempt = 0;
    loop {
        attempt += 1;
        match fantoccini::ClientBuilder::rustls()?
            .capabilities(caps.clone())
            .connect(url)
            .await
        {
            Ok(c) => return Ok((c, attempt)),
            Err(e) if retry && attempt < 4 => {
                eprintln!("WebDriver session attempt {attempt} failed: {e}; retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            Err(e) => return Err(anyhow!("a WebDriver session with the app: {e}")),
        }
    }
}

/// Starts GNOME Keyring's Secret Service on the session bus `bus`, keeping its keyrings
/// under `home`, with the login collection unlocked by a password given on stdin.
pub fn start_keychain(daemon: &Path, bus: &str, home: &Path) -> Process {
    let runtime = home.join("run");
    std::fs::create_dir_all(&runtime).expect("the keyring's runtime dir");
    let mut child = Command::new(daemon)
        .args(["--foreground", "--unlock", "--components=secrets"])
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .env("XDG_DATA_HOME", home)
        .env("XDG_RUNTIME_DIR", &runtime)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon starts");
    let mut stdin = child.stdin.take().expect("its stdin");
    stdin
        .write_all(b"desktop test")
        .expect("the unlock password");
    drop(stdin);
    let keychain = Process {
        child,
        interrupt: false,
    };
    // Ready once it owns the Secret Service's name on the bus (asked without starting
    // anything: the bus would otherwise start a locked keyring of its own).
    let deadline = Instant::now() + Duration::from_secs(20);
    while !has_owner(bus, "org.freedesktop.secrets") {
        assert!(
            Instant::now() < deadline,
            "the Secret Service did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    keychain
}

/// Whether a program owns `name` on the session bus `bus`.
pub fn has_owner(bus: &str, name: &str) -> bool {
    Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/",
            "org.freedesktop.DBus.NameHasOwner",
            &format!("string:{name}"),
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
}
