//! Desktop end-to-end test: the real Tauri window (the shell built by `cargo xtask test`
//! with the Tauri CLI) on a virtual display, driven through tauri-driver and WebDriver,
//! shows the same pages as the browser, with data from a real server.

use anyhow::{ensure, Result};
use fantoccini::{Client, ClientBuilder, Locator};
use onewindow_tests::webdriver::{free_port, required_tool, start_listening, wait_for, Process};
use onewindow_tests::{repo_root, Backend, TestServer};
use serde_json::json;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn app_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    target.join("debug/onewindow-app")
}

/// Starts Xvfb on a display number of its own and waits for its socket.
fn start_display(xvfb: &PathBuf) -> (Process, String) {
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

#[tokio::test]
async fn the_app_window_searches_and_shows_a_guide() {
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
    let _ = rustls::crypto::ring::default_provider().install_default();

    let server = TestServer::shared(Backend::Sqlite);
    let (_display, display) = start_display(&xvfb);
    let port = free_port();
    let mut command = Command::new(&tauri_driver);
    command
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &free_port().to_string(),
        ])
        .env("DISPLAY", &display)
        .env("ONEWINDOW_SERVER_URL", &server.base_url)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let driver = start_listening(command, port, true);

    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("wry"));
    caps.insert("tauri:options".into(), json!({ "application": app }));
    // tauri-driver sometimes drops the very first session request while the native
    // driver behind it is still starting: try a few times before failing.
    let mut attempt = 0;
    let client = loop {
        attempt += 1;
        match ClientBuilder::rustls()
            .expect("rustls connector")
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(e) if attempt < 4 => {
                eprintln!("WebDriver session attempt {attempt} failed: {e}; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            }
            Err(e) => panic!("a WebDriver session with the app: {e}"),
        }
    };
    let outcome = scenario(&client).await;
    let _ = client.close().await;
    drop(driver);
    if let Err(e) = outcome {
        panic!("{e:#}");
    }
}

async fn scenario(c: &Client) -> Result<()> {
    // The page comes from the app itself; its data from the server named by the shell.
    c.execute("localStorage.setItem('onewindow.lang', 'zh-CN')", vec![])
        .await?;
    c.refresh().await?;
    let input = wait_for(c, "[data-testid=search-input]").await?;
    input.send_keys("护照").await?;
    c.find(Locator::Css("[data-testid=search-submit]"))
        .await?
        .click()
        .await?;
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
    Ok(())
}
