//! The desktop app: the size of the shipped binary (profile `app-release`), of its .deb
//! bundle (both built by `cargo xtask bench` with the Tauri CLI) and of its AppImage
//! (built by xtask), which is started once and must show the home page, cold start to first paint in a real window
//! under Xvfb, and the idle memory of the app's process tree. Each start is a new
//! process through tauri-driver against a release server of the bench's own; "first
//! paint" is when the home page's search box is on screen, timed from the WebDriver
//! session request (which launches the app), so it includes the driver's own start.

use fantoccini::Locator;
use onewindow_tests::webdriver::{
    app_session, start_display, start_keychain, start_session_bus, start_tauri_driver,
};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Cold starts timed (each a new app process).
const STARTS: usize = 5;
/// How long the app sits idle before its memory is read.
const IDLE: Duration = Duration::from_secs(10);

/// `tool` on PATH, or an error naming what is missing.
fn tool(name: &str) -> anyhow::Result<PathBuf> {
    onewindow_tests::webdriver::find_on_path(name).ok_or_else(|| {
        anyhow::anyhow!("{name} is missing: run cargo xtask bench, which installs it")
    })
}

/// The processes whose parent is `pid`, and theirs, and so on.
fn descendants(pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            let Some(child) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            // The parent is the 4th field of /proc/PID/stat, after the ")" of the name.
            let parent = std::fs::read_to_string(format!("/proc/{child}/stat"))
                .ok()
                .and_then(|s| {
                    s.rsplit_once(')')
                        .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse().ok())
                });
            if let Some(parent) = parent {
                parents.push((child, parent));
            }
        }
    }
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let p = out[i];
        out.extend(parents.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    out
}

/// Proportional set size in MB (shared pages split between the processes that map them,
/// so a tree's sum counts each page once).
fn pss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The largest parts of a process's proportional set size: MB per mapped file (by its
/// name) or kind of anonymous memory, largest first, from `/proc/PID/smaps`.
fn pss_by_mapping(pid: u32, top: usize) -> Vec<(String, f64)> {
    let Ok(smaps) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else {
        return Vec::new();
    };
    let mut sums: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
    let mut current = String::new();
    for line in smaps.lines() {
        let mut fields = line.split_whitespace();
        let first = fields.next().unwrap_or_default();
        if first == "Pss:" {
            let kb: f64 = fields.next().and_then(|k| k.parse().ok()).unwrap_or(0.0);
            *sums.entry(current.clone()).or_default() += kb / 1024.0;
        } else if first.contains('-') && !first.ends_with(':') {
            // A mapping's header: address range, permissions, offset, device, inode, path.
            let path = fields.nth(4).unwrap_or("[anonymous]");
            current = path.rsplit('/').next().unwrap_or(path).to_owned();
        }
    }
    let mut out: Vec<(String, f64)> = sums.into_iter().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out.truncate(top);
    out
}

/// Starts the AppImage `image` through the WebDriver server at `url` and waits for the
/// home page: the time that took. An error unless the app and its WebKit web process run
/// from inside the image (unpacked under `appimage_extracted_…`), so that the bundle is
/// what was tested, not the machine's own WebKit.
async fn appimage_start(url: &str, image: &Path) -> anyhow::Result<Duration> {
    let t0 = Instant::now();
    let (client, _) = app_session(url, image, true).await?;
    let shown = client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css("[data-testid=search-input]"))
        .await;
    let painted = t0.elapsed();
    if let Err(e) = shown {
        // Ends the app before telling.
        let _ = client.close().await;
        return Err(e.into());
    }
    let inside = |name: &str| {
        std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                std::fs::read_link(e.path().join("exe")).is_ok_and(|exe| {
                    let exe = exe.to_string_lossy();
                    exe.contains("/appimage_extracted_") && exe.ends_with(name)
                })
            })
    };
    let from_image = inside("/usr/bin/onewindow-app") && inside("/WebKitWebProcess");
    client.close().await?;
    // The driver ends the image's runtime, which leaves the app it started running:
    // end it, and wait for WebKit's helpers to go with it before anything else is
    // measured.
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if std::fs::read_link(e.path().join("exe")).is_ok_and(|exe| {
            let exe = exe.to_string_lossy();
            exe.contains("/appimage_extracted_") && exe.ends_with("/usr/bin/onewindow-app")
        }) {
            let _ = Command::new("kill")
                .arg(e.file_name().to_string_lossy().as_ref())
                .status();
        }
    }
    let closed = Instant::now();
    while inside("/usr/bin/onewindow-app")
        || inside("/WebKitNetworkProcess")
        || inside("/WebKitWebProcess")
    {
        anyhow::ensure!(
            closed.elapsed() < Duration::from_secs(15),
            "the AppImage's app did not exit after its session"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::ensure!(
        from_image,
        "the AppImage's app or web process did not run from inside it"
    );
    Ok(painted)
}

/// The running app process started from `binary` (the newest, if several).
fn app_pid(binary: &Path) -> Option<u32> {
    let target = std::fs::canonicalize(binary).ok()?;
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == target))
        .max()
}

/// The package with extension `ext` in `dir`, as `cargo xtask bench` builds it.
fn bundled(dir: &Path, ext: &str) -> anyhow::Result<PathBuf> {
    std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("{}: {e} (cargo xtask bench builds it)", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == ext))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no .{ext} in {} (cargo xtask bench builds it)",
                dir.display()
            )
        })
}

/// The memory of `pid`'s process tree: how many processes, their proportional set size
/// in MB, and a line per process with its largest parts. An error while a process
/// outside the tree maps WebKit too (another WebKitGTK program, or one left over): it
/// would take its share of WebKit's pages and make the tree look smaller than it is.
fn tree_memory(pid: u32) -> anyhow::Result<(usize, f64, Vec<String>)> {
    let tree = descendants(pid);
    let others: Vec<String> = std::fs::read_dir("/proc")?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| !tree.contains(p))
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/maps"))
                .is_ok_and(|maps| maps.contains("libwebkit2gtk"))
        })
        .map(|p| {
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
            format!("{p} ({})", name.trim())
        })
        .collect();
    anyhow::ensure!(
        others.is_empty(),
        "other processes map WebKit and would share its pages: {}; end them and run again",
        others.join(", ")
    );
    let by_process = tree
        .iter()
        .map(|p| {
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
            let parts = pss_by_mapping(*p, 6)
                .iter()
                .map(|(what, mb)| format!("{what} {mb:.1}"))
                .collect::<Vec<_>>()
                .join(", ");
            format!("{} {:.0} MB (largest: {parts})", name.trim(), pss_mb(*p))
        })
        .collect();
    Ok((
        tree.len(),
        tree.iter().map(|p| pss_mb(*p)).sum(),
        by_process,
    ))
}

/// What the app sets for WebKitGTK on X11 (`src-tauri/src/main.rs`), set alike for the
/// floor so that the two are measured the same way.
const WEBKIT_ENV: [(&str, &str); 3] = [
    ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
    ("GDK_GL", "disable"),
    ("WEBKIT_WEB_RENDER_DEVICE_FILE", "/dev/null"),
];

/// The idle memory of a bare WebKitGTK window (`webview-floor`, built beside the bench)
/// showing `base`, or `html` as if loaded from it, on `display` and `bus`: as
/// [`tree_memory`], after the same idle time as the app (plus a few seconds to load).
async fn floor(
    display: &str,
    bus: &str,
    base: &str,
    html: Option<&str>,
) -> anyhow::Result<(usize, f64, Vec<String>)> {
    let binary = std::env::current_exe()?.with_file_name("webview-floor");
    anyhow::ensure!(
        binary.exists(),
        "{} is missing: cargo xtask bench builds it",
        binary.display()
    );
    let mut command = Command::new(&binary);
    command
        .arg(base)
        .args(html)
        .env("DISPLAY", display)
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .envs(WEBKIT_ENV)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let window = onewindow_tests::webdriver::Process {
        child: command.spawn()?,
        interrupt: false,
    };
    tokio::time::sleep(IDLE + Duration::from_secs(5)).await;
    let pid = window.child.id();
    anyhow::ensure!(
        descendants(pid).len() > 1,
        "the bare WebKitGTK window did not start its web process"
    );
    tree_memory(pid)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

pub async fn run(root: &Path, report: &mut String) -> anyhow::Result<()> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let binary = target.join("app-release/onewindow-app");
    anyhow::ensure!(
        binary.exists(),
        "{} is missing: cargo xtask bench builds it with the Tauri CLI",
        binary.display()
    );
    let binary_bytes = std::fs::metadata(&binary)?.len();
    let deb = bundled(&target.join("app-release/bundle/deb"), "deb")?;
    let deb_bytes = std::fs::metadata(&deb)?.len();
    // The bundle installs the binary and a desktop entry that hands deep links over.
    let listing = Command::new("dpkg-deb")
        .arg("--contents")
        .arg(&deb)
        .output()?;
    let listing = String::from_utf8_lossy(&listing.stdout);
    anyhow::ensure!(
        listing.contains("usr/bin/onewindow-app"),
        "the .deb lacks the binary"
    );
    let entry = Command::new("sh")
        .arg("-c")
        .arg("dpkg-deb --fsys-tarfile \"$0\" | tar -xO usr/share/applications/OneWindow.desktop")
        .arg(&deb)
        .output()?;
    let entry = String::from_utf8_lossy(&entry.stdout);
    anyhow::ensure!(
        entry.contains("MimeType=x-scheme-handler/onewindow")
            && entry.contains("Exec=onewindow-app %u"),
        "the .deb's desktop entry does not hand onewindow:// links to the app:\n{entry}"
    );

    let appimage = bundled(&target.join("app-release/bundle/appimage"), "AppImage")?;
    let appimage_bytes = std::fs::metadata(&appimage)?.len();

    // fantoccini and reqwest bring two TLS providers; pick one, as the tests do.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir()?;
    let running = crate::live::start_server(root, dir.path()).await?;
    let (_display, display) = start_display(&tool("Xvfb")?);
    // A session bus of its own: the app is single-instance per bus, and must not hand
    // over to an app the user has open.
    let (_bus, bus) = start_session_bus(&tool("dbus-daemon")?);
    let home = dir.path().join("home");
    // The keychain of a desktop session, on that bus and under the bench's own home (or
    // the bus would start one for the app, with the machine's real keyrings).
    let _keychain = start_keychain(&tool("gnome-keyring-daemon")?, &bus, &home);
    let (_driver, url) = start_tauri_driver(&tool("tauri-driver")?, &display, &bus, |c| {
        c.env("ONEWINDOW_SERVER_URL", &running.base)
            .env("XDG_DATA_HOME", &home)
            // The AppImage unpacks itself and runs instead of mounting with FUSE (which
            // the bench's machine may lack); the plain binary ignores it.
            .env("APPIMAGE_EXTRACT_AND_RUN", "1");
    });

    let mut paints = Vec::new();
    let mut idle_mb = 0.0;
    let mut processes = 0;
    let mut by_process = Vec::new();
    for start in 0..STARTS {
        let t0 = Instant::now();
        // tauri-driver may drop the first request while its native driver starts.
        let (client, attempt) = app_session(&url, &binary, start == 0).await?;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=search-input]"))
            .await?;
        // The first session also paid for the driver's retries: it is not a fair start.
        if attempt == 1 {
            paints.push(t0.elapsed());
        }
        if start + 1 == STARTS {
            tokio::time::sleep(IDLE).await;
            let pid = app_pid(&binary)
                .ok_or_else(|| anyhow::anyhow!("the app's process was not found"))?;
            (processes, idle_mb, by_process) = tree_memory(pid)?;
        }
        client.close().await?;
        // The next start must be a new process, not a hand-over to this one.
        let gone = Instant::now();
        while app_pid(&binary).is_some() {
            anyhow::ensure!(
                gone.elapsed() < Duration::from_secs(15),
                "the app did not exit after its session"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let appimage_paint = appimage_start(&url, &appimage).await?;
    let blank = floor(&display, &bus, "about:blank", None).await?;
    // The server gives a browser with the signed-in cookie the app itself at `/` (a
    // visitor gets the pre-rendered page, without the app's wasm): the front-end as the
    // app runs it, not signed in, as the app is measured.
    let signed_in = format!(
        "<!doctype html><script>document.cookie='{}=1; path=/'; location.replace('/')</script>",
        onewindow_server::pages::SIGNED_IN_COOKIE
    );
    let page = floor(
        &display,
        &bus,
        &format!("{}/", running.base),
        Some(&signed_in),
    )
    .await?;
    // The same home page as a visitor's browser gets it: pre-rendered HTML with the same
    // style sheet and words, without the wasm.
    let plain = floor(&display, &bus, &format!("{}/", running.base), None).await?;
    drop(running);
    paints.sort();
    let median = paints.get(paints.len() / 2).copied().unwrap_or_default();
    let worst = paints.last().copied().unwrap_or_default();

    writeln!(report, "\n## Desktop app\n")?;
    writeln!(report, "The app as shipped, built by the Tauri CLI with the size profile (`tauri build --bundles deb -- --profile app-release`: `opt-level = \"s\"`, link-time optimisation, one codegen unit, `panic = \"abort\"`, stripped). The bench checks that the .deb installs the binary and a desktop entry that hands `onewindow://` links to it, then starts the app {STARTS} times as a new process in a real window under Xvfb through tauri-driver, against a release server of the bench's own, with a session bus and a keychain (GNOME Keyring) of its own, as a desktop session has. First paint is timed from the WebDriver session request, which launches the app, to the home page's search box on screen, so it includes the start of WebKitWebDriver itself. Idle memory is the proportional set size (shared pages counted once) of the app's whole process tree (the app and its WebKit web and network processes) after {} s without input. Goals: binary ≤ 12 MB, first paint ≤ 1 s, idle ≤ 200 MB.\n", IDLE.as_secs())?;
    writeln!(report, "| app binary | .deb bundle | first paint (median of {}) | slowest | idle memory ({processes} processes) |", paints.len())?;
    writeln!(report, "|---:|---:|---:|---:|---:|")?;
    writeln!(
        report,
        "| {:.1} MB | {:.1} MB | {} ms | {} ms | {:.0} MB |",
        mb(binary_bytes),
        mb(deb_bytes),
        median.as_millis(),
        worst.as_millis(),
        idle_mb
    )?;
    writeln!(
        report,
        "\nThe AppImage (`cargo xtask appimage`, run by `cargo xtask bench`: the same binary with the libraries it and WebKit's helper processes load, except those tied to the host's C library, graphics drivers, X server and fonts) is {:.1} MB. Started the same way, unpacking itself instead of mounting with FUSE, it showed the home page's search box after {} ms, with the app and its WebKit processes running from inside it.",
        mb(appimage_bytes),
        appimage_paint.as_millis()
    )?;
    writeln!(
        report,
        "\nIdle memory by process, with its largest parts in MB (a mapped file by its name):\n\n- {}",
        by_process.join("\n- ")
    )?;
    writeln!(
        report,
        "\nThe floor under these: a bare WebKitGTK window (`webview-floor`, built with the bench: GTK and the system's WebKitGTK through the bindings the app's webview uses, no Tauri and no Rust back end), of the app's window size, with the settings the app gives WebKitGTK, started the same way and idle as long:\n\n| the bare window showing | idle memory |\n|---|---:|\n| a blank page | {:.0} MB |\n| the home page as a visitor's browser gets it (pre-rendered HTML and the app's style sheet, no wasm) | {:.0} MB |\n| the app's front-end (the same wasm app at `/`, not signed in, given the cookie that has the bench's server send a browser the app) | {:.0} MB |\n\nBy process:\n\n- blank: {}\n- pre-rendered: {}\n- front-end: {}",
        blank.1,
        plain.1,
        page.1,
        blank.2.join("; "),
        plain.2.join("; "),
        page.2.join("; ")
    )?;
    Ok(())
}
