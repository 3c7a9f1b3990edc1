//! `cargo xtask run`: installs what is missing, builds the front-end and the server,
//! starts the server with demo data (seeded on first start), and, when a display is
//! available and `--web` is not given, the desktop app pointed at it.

use crate::setup::{setup, Needs};
use crate::sh::{cmd, run as run_cmd};
use anyhow::{bail, Context, Result};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

pub fn run(args: &[String]) -> Result<()> {
    let web_only = args.iter().any(|a| a == "--web");
    let bind: SocketAddr = match args.iter().position(|a| a == "--bind") {
        Some(i) => args
            .get(i + 1)
            .context("--bind needs an address")?
            .parse()?,
        None => std::env::var("ONEWINDOW__SERVER__BIND")
            .ok()
            .and_then(|b| b.parse().ok())
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
    };
    let display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    let desktop = !web_only && display;
    setup(Needs {
        frontend: true,
        desktop,
        browser: false,
    })?;
    crate::frontend::build(false)?;
    run_cmd(&mut cmd(
        "cargo",
        &["build", "--release", "-p", "onewindow-server"],
    ))?;
    if desktop {
        run_cmd(&mut cmd(
            "cargo",
            &[
                "build",
                "--release",
                "--features",
                "tauri/custom-protocol",
                "--bin",
                "onewindow-app",
            ],
        ))?;
    }
    let root = crate::root();
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let server_bin = target.join("release/onewindow-server");
    // Local use only: accounts to try every role (their list and password are printed).
    run_cmd(
        cmd(&server_bin.to_string_lossy(), &["demo-accounts"])
            .env("ONEWINDOW__SERVER__BIND", bind.to_string()),
    )?;
    let mut server = cmd(&server_bin.to_string_lossy(), &["serve"])
        .env("ONEWINDOW__SERVER__BIND", bind.to_string())
        .spawn()
        .context("starting onewindow-server")?;
    let started = Instant::now();
    while TcpStream::connect_timeout(&bind, Duration::from_millis(200)).is_err() {
        if let Some(status) = server.try_wait()? {
            bail!("the server stopped at start-up ({status})");
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = server.kill();
            bail!("the server did not start listening on {bind}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    println!("\nOneWindow is running at http://{bind}/  (API docs: http://{bind}/api/docs/; Ctrl-C stops it)\n");
    let mut app = None;
    if desktop {
        app = Some(
            cmd(&target.join("release/onewindow-app").to_string_lossy(), &[])
                .env("ONEWINDOW_SERVER_URL", format!("http://{bind}"))
                .spawn()
                .context("starting the desktop app")?,
        );
    } else if !web_only {
        println!("(no display found: serving the web front-end only)");
    }
    let status = server.wait()?;
    if let Some(mut app) = app {
        let _ = app.kill();
    }
    if !status.success() {
        bail!("the server exited with {status}");
    }
    Ok(())
}
