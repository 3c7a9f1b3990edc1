//! `cargo xtask bench`: builds the front-end, the release server and the release desktop
//! app with its .deb (Tauri CLI), then runs the benchmark binary in release mode, which
//! writes docs/PERFORMANCE.md (see `crates/bench`).

use crate::setup::{setup, Needs};
use crate::sh::{cmd, run};
use anyhow::Result;

pub fn bench(_args: &[String]) -> Result<()> {
    setup(Needs::all())?;
    crate::frontend::build(false)?;
    // The desktop app's figures: the release binary and its .deb, by the Tauri CLI (the
    // front-end is built already).
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
        ],
    ))?;
    // The live-notification rounds run the release server as its own process.
    run(&mut cmd(
        "cargo",
        &["build", "--release", "-p", "onewindow-server"],
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
