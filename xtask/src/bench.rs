//! `cargo xtask bench`: builds the front-end, the release server and the release desktop
//! app with its .deb (Tauri CLI) and its AppImage (`appimage.rs`), installs Lighthouse,
//! then runs the benchmark binary in release mode, which writes docs/PERFORMANCE.md (see
//! `crates/bench`).

use crate::setup::{setup, Needs};
use crate::sh::{cmd, run};
use anyhow::Result;

pub fn bench(_args: &[String]) -> Result<()> {
    setup(Needs::all())?;
    crate::frontend::build(false)?;
    // The desktop app's figures: the shipped binary (profile `app-release`) and its .deb,
    // by the Tauri CLI (the front-end is built already).
    let tauri = crate::root().join("node_modules/.bin/tauri");
    run(&mut cmd(
        &tauri.to_string_lossy(),
        &[
            "build",
            "--bundles",
            "deb",
            "--ci",
            "--config",
            r#"{"build":{"beforeBuildCommand":""}}"#,
            // As shipped: the size profile of the root Cargo.toml.
            "--",
            "--profile",
            "app-release",
        ],
    ))?;
    appimage()?;
    lighthouse()?;
    // The live-notification rounds run the release server as its own process.
    run(&mut cmd(
        "cargo",
        &["build", "--release", "-p", "onewindow-server"],
    ))?;
    // The bare WebKitGTK window measured as the floor under the app's idle memory.
    run(&mut cmd(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "onewindow-bench",
            "--bin",
            "webview-floor",
        ],
    ))?;
    run(&mut cmd(
        "cargo",
        &[
            "run",
            "--release",
            "-p",
            "onewindow-bench",
            "--",
            "docs/PERFORMANCE.md",
        ],
    ))
}

/// The AppImage of the app that `tauri build` made (see `appimage.rs`), beside its .deb.
#[cfg(target_os = "linux")]
pub fn appimage() -> Result<std::path::PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"));
    let out = target.join("app-release/bundle/appimage");
    std::fs::create_dir_all(&out)?;
    let version = crate::setup::locked_version("onewindow-app")?;
    let image = crate::appimage::build(&target.join("app-release/onewindow-app"), &out, &version)?;
    eprintln!("xtask: built {}", image.display());
    Ok(image)
}

#[cfg(not(target_os = "linux"))]
fn appimage() -> Result<()> {
    Ok(())
}

/// Lighthouse at the version the bench reports (`crates/bench/src/lighthouse.rs`), under
/// the target directory, unless it is there already.
fn lighthouse() -> Result<()> {
    const VERSION: &str = "12.8.2";
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"));
    let prefix = target.join("lighthouse");
    let package = prefix.join("node_modules/lighthouse/package.json");
    let installed = std::fs::read_to_string(&package)
        .is_ok_and(|p| p.contains(&format!("\"version\": \"{VERSION}\"")));
    if installed {
        return Ok(());
    }
    std::fs::create_dir_all(&prefix)?;
    run(&mut cmd(
        "npm",
        &[
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            &prefix.to_string_lossy(),
            &format!("lighthouse@{VERSION}"),
        ],
    ))
}
