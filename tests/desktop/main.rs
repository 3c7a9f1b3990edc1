//! Desktop end-to-end test: the real Tauri window (the shell built by `cargo xtask test`
//! with the Tauri CLI) on a virtual display, driven through tauri-driver and WebDriver,
//! against a real server started by the test. First run: the app asks for its server,
//! refuses plain HTTP to another machine, and keeps a loopback address once a server
//! answers there. Then it searches and shows a guide with the server's data; a citizen
//! signs in through the shell (the token goes to the OS keychain, a real Secret Service
//! (GNOME Keyring) on the test's session bus, never to the page or a file),
//! opens a case accepted by staff, saves one of its files through the shell, sees the
//! decision arrive live on the page and as an OS notification (in the notification
//! daemon of a session bus of its own), browses the pages seen before while the server
//! is down, searches the catalogue there (over the corpus the shell keeps), edits a
//! draft offline (kept by the shell and sent once the server is back), opens the case
//! by a deep link and by clicking an OS notification, and signs out, which revokes the
//! session on the server and forgets the token.

use anyhow::{anyhow, ensure, Result};
use fantoccini::{Client, Locator};
use onewindow_api::application::TransitionRequest;
use onewindow_api::case::CaseAction;
use onewindow_api::catalogue::{Audience, FieldKind};
use onewindow_api::notification::NotificationKind;
use onewindow_tests::cases::{act, applicant, empty_draft, pdf, pick_item, staff, submitted};
use onewindow_tests::webdriver::{
    app_session, eventually, required_tool, start_display, start_keychain, start_session_bus,
    start_tauri_driver, wait_for, Process,
};
use onewindow_tests::{repo_root, Backend, TestServer};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn app_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    target.join("debug/onewindow-app")
}

#[tokio::test]
async fn first_run_sign_in_and_a_case_in_the_app_window() {
    let app = app_binary();
    if !app.exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{} is missing: cargo xtask test builds it with the Tauri CLI first",
            app.display()
        );
        eprintln!(
            "*** WARNING: {} is missing: the desktop test is SKIPPED ***",
            app.display()
        );
        return;
    }
    let Some(tauri_driver) = required_tool("tauri-driver", "the desktop end-to-end test") else {
        return;
    };
    let Some(xvfb) = required_tool("Xvfb", "the desktop end-to-end test") else {
        return;
    };
    if required_tool("WebKitWebDriver", "the desktop end-to-end test").is_none() {
        return;
    }
    let Some(dbus) = required_tool("dbus-daemon", "the desktop end-to-end test") else {
        return;
    };
    let Some(dunst) = required_tool("dunst", "the desktop end-to-end test") else {
        return;
    };
    let Some(keyring) = required_tool("gnome-keyring-daemon", "the desktop end-to-end test") else {
        return;
    };
    if required_tool("secret-tool", "the desktop end-to-end test").is_none() {
        return;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();

    // Its own server: the test takes it down and brings it back.
    let server = TestServer::start(Backend::Sqlite);
    let (_display, display) = start_display(&xvfb);
    // A session bus with a notification daemon on the virtual display: the app's OS
    // notifications go there, and `dunstctl history` lists them.
    let (_bus, bus) = start_session_bus(&dbus);
    let _daemon = Process {
        child: Command::new(&dunst)
            .env("DISPLAY", &display)
            .env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dunst starts"),
        interrupt: false,
    };
    // A first run: no settings, no server from the environment.
    let home = std::env::temp_dir().join(format!("onewindow-desktop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    // The OS keychain: GNOME Keyring's Secret Service on the same bus, its login
    // collection created and unlocked with a password, as a desktop session does.
    let _keychain = start_keychain(&keyring, &bus, &home);
    let data_dir = home.join("org.onewindow.client");
    std::fs::create_dir_all(home.join("saved")).expect("the save dir");
    let (driver, url) = start_tauri_driver(&tauri_driver, &display, &bus, |c| {
        c.env("LANG", "zh_CN.UTF-8")
            .env_remove("ONEWINDOW_SERVER_URL")
            .env("XDG_DATA_HOME", &home)
            .env_remove("ONEWINDOW_INSECURE_TOKEN_FILE")
            // Files are saved there instead of through the system's save dialog.
            .env("ONEWINDOW_SAVE_DIR", home.join("saved"));
    });
    let (client, _) = app_session(&url, &app, true)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    let desktop = Desktop {
        app,
        display,
        bus,
        home: home.clone(),
    };
    let outcome = scenario(&client, &server, &data_dir, &desktop).await;
    let _ = client.close().await;
    drop(driver);
    let _ = std::fs::remove_dir_all(&home);
    if let Err(e) = outcome {
        panic!("{e:#}");
    }
}

/// The environment the app runs in, for a second launch.
struct Desktop {
    app: PathBuf,
    display: String,
    bus: String,
    home: PathBuf,
}

impl Desktop {
    /// Launches the app again with `url`, as a browser or the desktop does for a deep
    /// link; it hands the link to the running app and exits.
    fn open_link(&self, url: &str) -> Result<()> {
        let mut child = Command::new(&self.app)
            .arg(url)
            .env("DISPLAY", &self.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .env("XDG_DATA_HOME", &self.home)
            .env_remove("ONEWINDOW_INSECURE_TOKEN_FILE")
            .env_remove("ONEWINDOW_SERVER_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = child.try_wait()? {
                anyhow::ensure!(status.success(), "the second launch failed: {status}");
                return Ok(());
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                anyhow::bail!("the second launch did not hand over and exit");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

async fn scenario(
    c: &Client,
    server: &TestServer,
    data_dir: &Path,
    desktop: &Desktop,
) -> Result<()> {
    let bus = desktop.bus.as_str();
    let base = server.base_url.trim_end_matches('/');
    // The page comes from the app itself; nothing works before a server is chosen.
    c.execute("localStorage.setItem('onewindow.lang', 'zh-CN')", vec![])
        .await?;
    c.refresh().await?;
    wait_for(c, "[data-testid=first-run]").await?;
    let field = wait_for(c, "[data-testid=server-url]").await?;
    field.send_keys("http://gov.example.cn").await?;
    click(c, "[data-testid=server-save]").await?;
    let error = wait_for(c, "[data-testid=server-error]").await?;
    ensure!(
        error.attr("data-code").await?.as_deref() == Some("invalid_server_url"),
        "plain http to another machine is refused"
    );
    field.clear().await?;
    field.send_keys(base).await?;
    click(c, "[data-testid=server-save]").await?;
    let input = wait_for(c, "[data-testid=search-input]").await?;
    let settings = std::fs::read_to_string(data_dir.join("settings.json"))?;
    ensure!(
        settings.contains(base),
        "the chosen server is kept: {settings}"
    );

    // Browse with the server's data.
    input.send_keys("护照").await?;
    click(c, "[data-testid=search-submit]").await?;
    let first = wait_for(
        c,
        "[data-testid=service-card] [data-testid=service-card-link]",
    )
    .await?;
    let name = first.text().await?;
    ensure!(name.contains("护照"), "the first hit is {name:?}");
    first.click().await?;
    let title = wait_for(c, "[data-testid=guide-title]").await?;
    ensure!(
        title.text().await?.contains("护照"),
        "the guide title is wrong"
    );
    let materials = c.find_all(Locator::Css("[data-testid=material]")).await?;
    ensure!(!materials.is_empty(), "the guide lists no materials");

    // A citizen's case, accepted by staff, set up through the API.
    let (citizen, id_number, phone) = applicant(server, None).await;
    let item = pick_item(&citizen, Audience::Individual).await;
    let app = submitted(&citizen, &item, &id_number).await;
    staff(server, item.department.as_str())
        .await
        .transition(app.id, &act(CaseAction::Accept))
        .await?;
    // And a draft of the same item, to edit offline later.
    let draft = empty_draft(&citizen, &item).await;
    let text_field = item
        .form
        .iter()
        .find(|f| f.kind == FieldKind::Text)
        .ok_or_else(|| anyhow!("the item's form has no text field"))?
        .key
        .clone();

    // Sign in through the shell: the token is kept by the shell, not by the page.
    ensure!(
        keychain_tokens(bus)?.is_empty() && token_files(data_dir)?.is_empty(),
        "no session before signing in"
    );
    click(c, "[data-testid=nav-login]").await?;
    wait_for(c, "[data-testid=login-id]")
        .await?
        .send_keys(&phone)
        .await?;
    wait_for(c, "[data-testid=login-password]")
        .await?
        .send_keys("apply now 123")
        .await?;
    click(c, "[data-testid=login-submit]").await?;
    wait_for(c, "[data-testid=logout]").await?;
    let tokens = keychain_tokens(bus)?;
    ensure!(
        tokens.len() == 1,
        "one keychain entry for the one server: {tokens:?}"
    );
    let token = tokens[0].clone();
    ensure!(
        !token.trim().is_empty() && token_files(data_dir)?.is_empty(),
        "the shell keeps the token in the keychain, not in a file"
    );
    // A script in the page cannot get a token through the bridge: the sign-in paths,
    // however spelled, are refused, and no answer it gets carries the token.
    for path in [
        "/api/v1/auth/login",
        "/api/v1/./auth/login",
        "/api/v1/%2e%2e/v1/auth/login",
        "/api/v1/me/../auth/login",
    ] {
        let outcome = c
            .execute_async(
                "const [path, login, done] = arguments;
                 const body = btoa(JSON.stringify({login, password: 'apply now 123'}));
                 window.__TAURI_INTERNALS__.invoke('api', {call: {method: 'POST', path, body}})
                   .then(a => done('answered ' + atob(a.body)), e => done('refused ' + (e.code || e)));",
                vec![json!(path), json!(phone)],
            )
            .await?;
        let outcome = outcome.as_str().unwrap_or_default().to_owned();
        ensure!(
            outcome.starts_with("refused refused") && !outcome.contains(token.trim()),
            "{path} must be refused, got {outcome}"
        );
    }
    let me = c
        .execute_async(
            "const done = arguments[0];
             window.__TAURI_INTERNALS__.invoke('api', {call: {method: 'GET', path: '/api/v1/me'}})
               .then(a => done(atob(a.body)), e => done('failed ' + JSON.stringify(e)));",
            vec![],
        )
        .await?;
    let me = me.as_str().unwrap_or_default().to_owned();
    ensure!(
        me.contains("\"role\"") && !me.contains(token.trim()),
        "the bridge answers for the signed-in user without the token: {me}"
    );

    // The draft, opened once online, and then the case, through the shell's API bridge:
    // signing in led to "my applications".
    open_row(c, draft.id).await?;
    wait_for(c, "[data-testid=draft-editor]").await?;
    click(c, "[data-testid=nav-applications]").await?;
    click(
        c,
        &format!(
            "[data-testid=app-row][data-id='{}'] [data-testid=app-row-link]",
            app.id
        ),
    )
    .await?;
    let state = wait_for(c, "[data-testid=app-state][data-state=accepted]").await?;
    ensure!(state.is_displayed().await?, "the case's state shows");
    wait_for(c, "[data-testid=app-number]").await?;
    ensure!(
        c.find(Locator::Css("[data-testid=offline-banner]"))
            .await
            .is_err(),
        "online, no offline banner"
    );

    // A material of the case, saved through the shell (the link itself carries no
    // session inside the app): the file on disk is the one uploaded.
    click(c, "[data-testid=submitted-file] a").await?;
    let saved = wait_for(c, "[data-testid=file-saved]").await?;
    let where_to = text_of(c, "[data-testid=file-saved-where]").await?;
    ensure!(
        saved.attr("data-ok").await?.as_deref() == Some("true"),
        "the file was not saved: {where_to}"
    );
    let on_disk = std::fs::read(&where_to)?;
    ensure!(on_disk == pdf(1500), "the saved file is the uploaded one");
    ensure!(
        Path::new(&where_to).starts_with(data_dir.with_file_name("saved")),
        "saved into the chosen place: {where_to}"
    );
    click(c, "[data-testid=file-saved] button").await?;

    // Staff decide: the shell's live stream raises an OS notification and the open page
    // shows the decision without a reload.
    let lead = staff(server, item.department.as_str()).await;
    lead.transition(app.id, &act(CaseAction::StartReview))
        .await?;
    lead.transition(app.id, &act(CaseAction::Approve)).await?;
    wait_for(c, "[data-testid=app-state][data-state=approved]").await?;
    let title = citizen
        .notifications(&Default::default())
        .await?
        .items
        .into_iter()
        .find(|n| n.kind == NotificationKind::CaseApproved)
        .map(|n| n.title.zh)
        .ok_or_else(|| anyhow!("the approval has no notification"))?;
    eventually("the OS notification in the daemon's history", || async {
        let out = Command::new("dunstctl")
            .arg("history")
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .output()?;
        Ok(String::from_utf8_lossy(&out.stdout)
            .contains(&title)
            .then_some(()))
    })
    .await?;

    // The server goes down: the pages seen before still show, from the shell's cache,
    // under a banner saying how old they are.
    server.stop();
    click(c, "[data-testid=nav-applications]").await?;
    let banner = wait_for(c, "[data-testid=offline-banner]").await?;
    ensure!(
        banner
            .attr("data-since")
            .await?
            .is_some_and(|t| t.ends_with('Z')),
        "the banner says when the copy was fetched"
    );
    click(
        c,
        &format!(
            "[data-testid=app-row][data-id='{}'] [data-testid=app-row-link]",
            app.id
        ),
    )
    .await?;
    wait_for(c, "[data-testid=app-state][data-state=approved]").await?;

    // The draft, edited offline: the shell keeps the save and answers at once, with the
    // automatic notice worked out as the server would.
    click(c, "[data-testid=nav-applications]").await?;
    open_row(c, draft.id).await?;
    let field = wait_for(c, &format!("[data-testid=field-{text_field}]")).await?;
    field.send_keys("离线填写").await?;
    click(c, "[data-testid=application-title]").await?;
    eventually("the draft saved offline", || async {
        let s = c.find(Locator::Css("[data-testid=save-status]")).await?;
        Ok((s.attr("data-state").await?.as_deref() == Some("saved")).then_some(()))
    })
    .await?;
    ensure!(
        text_of(c, "[data-testid=offline-banner]")
            .await?
            .contains("草稿"),
        "the banner says drafts are kept"
    );

    // A search never made online: the shell answers it from the catalogue corpus it
    // keeps, with the server's own search.
    click(c, ".brand").await?;
    wait_for(c, "[data-testid=search-input]")
        .await?
        .send_keys(&item.name.zh)
        .await?;
    click(c, "[data-testid=search-submit]").await?;
    wait_for(
        c,
        &format!("[data-testid=service-card][data-code='{}']", item.code),
    )
    .await?;
    wait_for(c, "[data-testid=offline-banner]").await?;

    // Back online: the shell sends the save by itself, the page says so, and the server
    // has the form; the next answer is live and the banner goes. Nothing on the page
    // asks the server meanwhile: the live stream reconnecting tells the shell, or else
    // the outbox's own retry, which backs off to at most 30 s while the server is away.
    server.resume();
    let sent = c
        .wait()
        .at_most(Duration::from_secs(45))
        .for_element(Locator::Css("[data-testid=drafts-synced]"))
        .await?;
    ensure!(sent.attr("data-sent").await?.as_deref() == Some("1"));
    ensure!(sent.attr("data-refused").await?.as_deref() == Some("0"));
    let on_server = citizen.application(draft.id).await?;
    ensure!(
        on_server.form.get(&text_field).map(String::as_str) == Some("离线填写"),
        "the server has the form saved offline: {:?}",
        on_server.form
    );
    click(c, "[data-testid=drafts-synced-close]").await?;
    click(c, "[data-testid=nav-applications]").await?;
    eventually("the offline banner gone", || async {
        Ok(c.find(Locator::Css("[data-testid=offline-banner]"))
            .await
            .is_err()
            .then_some(()))
    })
    .await?;

    // A deep link, opened by a second launch, shows the case in the running app.
    click(c, "[data-testid=footer-stats]").await?;
    desktop.open_link(&format!("onewindow://cases/{}", app.id))?;
    wait_for(c, "[data-testid=app-state][data-state=approved]").await?;
    let title = c
        .find(Locator::Css("[data-testid=application-title]"))
        .await?;
    ensure!(
        title.text().await? == item.name.zh,
        "the deep link opened the case"
    );

    // Clicking an OS notification opens its page: with another page open, the result
    // is issued for pickup, and the notification's default action (what a click does)
    // brings the case, now ready for pickup.
    click(c, "[data-testid=footer-stats]").await?;
    dunstctl(bus, &["close-all"])?;
    let pickup = TransitionRequest {
        window: Some("A05".into()),
        ..act(CaseAction::IssueForPickup)
    };
    lead.transition(app.id, &pickup).await?;
    eventually("the pickup notification on screen", || async {
        Ok((dunstctl(bus, &["count", "displayed"])?.trim() != "0").then_some(()))
    })
    .await?;
    dunstctl(bus, &["action", "0"])?;
    wait_for(c, "[data-testid=app-state][data-state=result_ready]").await?;

    // Sign out: revoked on the server, forgotten by the shell.
    click(c, "[data-testid=logout]").await?;
    wait_for(c, "[data-testid=nav-login]").await?;
    ensure!(
        keychain_tokens(bus)?.is_empty(),
        "signing out removes the token from the keychain"
    );
    let old = server.client();
    old.set_token(Some(token.trim().to_owned()));
    ensure!(
        old.me().await.err().and_then(|e| e.status()) == Some(401),
        "signing out revokes the session on the server"
    );
    Ok(())
}

/// Runs `dunstctl` against the test's notification daemon; its output.
fn dunstctl(bus: &str, args: &[&str]) -> Result<String> {
    let out = Command::new("dunstctl")
        .args(args)
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .output()?;
    ensure!(out.status.success(), "dunstctl {args:?} failed");
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Opens the row of application `id` in the list on screen.
async fn open_row(c: &Client, id: impl std::fmt::Display) -> Result<()> {
    click(
        c,
        &format!("[data-testid=app-row][data-id='{id}'] [data-testid=app-row-link]"),
    )
    .await
}

/// The trimmed text of the element `css`, once it shows.
async fn text_of(c: &Client, css: &str) -> Result<String> {
    Ok(wait_for(c, css).await?.text().await?.trim().to_owned())
}

/// The session files the shell keeps in its data dir (the opt-in fallback store).
/// The secrets of the app's entries in the keychain on `bus` (`secret-tool`, libsecret's
/// own client, reads them as any other program of the user could).
fn keychain_tokens(bus: &str) -> Result<Vec<String>> {
    let out = Command::new("secret-tool")
        .args([
            "search",
            "--all",
            "--unlock",
            "service",
            "org.onewindow.app",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .output()?;
    ensure!(
        out.status.success(),
        "secret-tool failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("secret = "))
        .map(str::to_owned)
        .collect())
}

/// Session files of the opt-in fallback: there must be none while a keychain exists.
fn token_files(data_dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(data_dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("session-") && name.ends_with(".token") {
            out.push(path);
        }
    }
    Ok(out)
}

async fn click(c: &Client, css: &str) -> Result<()> {
    wait_for(c, css).await?.click().await?;
    Ok(())
}
