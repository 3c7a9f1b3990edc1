//! `cargo xtask fuzz [TARGET] [SECONDS]`: the cargo fuzz targets of `fuzz/` (upload type
//! sniffing, the catalogue importer, the search query parser), each for SECONDS (default
//! 300) on the nightly toolchain, starting from the seeds in `fuzz/seeds` and the demo
//! catalogue. The test command runs every target briefly. A crash fails the run and
//! leaves its input in `fuzz/artifacts/TARGET/` (`cargo +nightly fuzz run TARGET FILE`
//! replays it).

use crate::sh::{cmd, have, output, run, succeeds};
use anyhow::{bail, Result};
use std::process::Command;

/// The targets, each with its seed directories (relative to the root).
const TARGETS: [(&str, &[&str]); 3] = [
    ("sniff", &["fuzz/seeds/sniff"]),
    ("import", &["data/demo"]),
    ("search", &["fuzz/seeds/search"]),
];

/// The cargo-fuzz version installed when missing.
const CARGO_FUZZ: &str = "0.13.2";

pub fn fuzz(args: &[String]) -> Result<()> {
    let only = args.first().filter(|a| a.parse::<u64>().is_err());
    let seconds = args
        .iter()
        .find_map(|a| a.parse::<u64>().ok())
        .unwrap_or(300);
    if let Some(name) = only {
        if !TARGETS.iter().any(|(t, _)| t == name) {
            bail!("no fuzz target {name}; the targets are sniff, import and search");
        }
    }
    run_targets(only.map(String::as_str), seconds)
}

/// Builds the targets and runs each (or only `only`) for `seconds`.
pub fn run_targets(only: Option<&str>, seconds: u64) -> Result<()> {
    tools()?;
    let target_dir = crate::root().join("target/fuzz");
    let target_dir = target_dir.to_string_lossy();
    for (name, seeds) in TARGETS {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let corpus = format!("target/fuzz-corpus/{name}");
        std::fs::create_dir_all(crate::root().join(&corpus))?;
        let mut args = vec![
            "+nightly",
            "fuzz",
            "run",
            "--target-dir",
            &target_dir,
            name,
            &corpus,
        ];
        args.extend_from_slice(seeds);
        let time = format!("-max_total_time={seconds}");
        args.extend_from_slice(&["--", &time, "-timeout=10", "-rss_limit_mb=2048"]);
        run(&mut cmd("cargo", &args))?;
    }
    Ok(())
}

/// The nightly toolchain (through rustup, when missing) and cargo-fuzz.
fn tools() -> Result<()> {
    if !succeeds(Command::new("cargo").args(["+nightly", "--version"])) {
        run(Command::new("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))?;
    }
    let version = output(Command::new("cargo").args(["fuzz", "--version"])).unwrap_or_default();
    if !have("cargo-fuzz") || !version.contains(CARGO_FUZZ) {
        run(Command::new("cargo").args([
            "install",
            "--locked",
            "cargo-fuzz",
            "--version",
            CARGO_FUZZ,
        ]))?;
    }
    Ok(())
}
