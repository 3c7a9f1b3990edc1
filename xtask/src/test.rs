//! `cargo xtask test`: every check and test, building each artefact once in the one
//! target dir: fmt, the front-end, clippy (host and wasm32), the wasm32 check of the
//! contract, the aarch64-linux-android check of the shell, all tests on SQLite and PostgreSQL (including the browser end-to-end
//! tests), each fuzz target for 20 s, and the Tauri CLI building the shell from the root (which the desktop
//! end-to-end test then drives in a real window).

use crate::setup::{ensure_postgres, setup, Needs};
use crate::sh::{cmd, run};
use anyhow::{bail, Result};

pub fn test(_args: &[String]) -> Result<()> {
    let ci = std::env::var("CI").as_deref() == Ok("true");
    setup(Needs::all())?;
    crate::setup::schemathesis()?;
    if !ensure_postgres() {
        if ci {
            bail!("PostgreSQL is required when CI=true and 127.0.0.1:5432 does not answer");
        }
        eprintln!("\n\x1b[1;31m*** PostgreSQL is not reachable: the PostgreSQL tests will be SKIPPED ***\x1b[0m\n");
    }
    run(&mut cmd("cargo", &["fmt", "--all", "--", "--check"]))?;
    // The shell embeds frontend/dist at compile time, so the front-end comes first.
    crate::frontend::build(false)?;
    run(&mut cmd(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run(&mut cmd(
        "cargo",
        &[
            "clippy",
            "-p",
            "onewindow-frontend",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run(&mut cmd(
        "cargo",
        &[
            "check",
            "-p",
            "onewindow-api",
            "-p",
            "onewindow-search",
            "--target",
            "wasm32-unknown-unknown",
        ],
    ))?;
    // The shell's Rust side compiles for Android, with TLS that needs no C toolchain
    // for the target (see the root Cargo.toml).
    crate::setup::rust_target(crate::setup::ANDROID)?;
    run(&mut cmd(
        "cargo",
        &[
            "check",
            "-p",
            "onewindow-app",
            "--target",
            crate::setup::ANDROID,
        ],
    ))?;
    // The desktop end-to-end test drives the shell that the Tauri CLI builds.
    tauri_cli()?;
    run(&mut cmd("cargo", &["test", "--workspace"]))?;
    // Every fuzz target briefly (longer runs: `cargo xtask fuzz`).
    crate::fuzz::run_targets(None, 20)?;
    eprintln!("\nxtask: all checks and tests passed");
    Ok(())
}

/// Proves that the Tauri CLI works from the root: `tauri info`, then a build of the
/// shell without bundling (the front-end is already built, so no before-build command).
fn tauri_cli() -> Result<()> {
    let tauri = crate::root().join("node_modules/.bin/tauri");
    let tauri = tauri.to_string_lossy();
    run(&mut cmd(&tauri, &["info"]))?;
    run(&mut cmd(
        &tauri,
        &[
            "build",
            "--debug",
            "--no-bundle",
            "--ci",
            "--config",
            r#"{"build":{"beforeBuildCommand":""}}"#,
        ],
    ))
}
