//! `cargo xtask bench`: runs the benchmark binary in release mode; it measures search
//! latency at 1k, 10k and 100k items and the size of the built front-end, and writes
//! docs/PERFORMANCE.md.

use crate::setup::{setup, Needs};
use crate::sh::{cmd, run};
use anyhow::Result;

pub fn bench(_args: &[String]) -> Result<()> {
    setup(Needs::frontend())?;
    crate::frontend::build(false)?;
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
