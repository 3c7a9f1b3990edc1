//! Lighthouse (npm, against the Debian Chromium) on the home, catalogue and guide pages
//! of a release server of the bench's own, with Lighthouse's default mobile emulation
//! and simulated throttling; the median of a few runs per page. Goals: performance
//! ≥ 90, accessibility 100.

use crate::live::start_server;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs per page; the median is reported.
const RUNS: usize = 3;

/// Where `cargo xtask bench` installs Lighthouse (at the version it pins).
fn package(root: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target.join("lighthouse/node_modules/lighthouse")
}

fn cli(root: &Path) -> PathBuf {
    package(root).join("cli/index.js")
}

/// The installed version, for the report.
fn version(root: &Path) -> anyhow::Result<String> {
    let p: serde_json::Value =
        serde_json::from_slice(&std::fs::read(package(root).join("package.json"))?)?;
    Ok(p["version"].as_str().unwrap_or("?").to_owned())
}

/// One run's figures.
#[derive(Clone, Copy, Default)]
struct Run {
    performance: f64,
    accessibility: f64,
    fcp_ms: f64,
    lcp_ms: f64,
    tbt_ms: f64,
    cls: f64,
    bytes: f64,
}

fn audit(r: &serde_json::Value, id: &str) -> f64 {
    r["audits"][id]["numericValue"].as_f64().unwrap_or(f64::NAN)
}

fn lighthouse(root: &Path, url: &str, out: &Path) -> anyhow::Result<Run> {
    let chrome = std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let status = Command::new("node")
        .arg(cli(root))
        .arg(url)
        .arg("--quiet")
        .arg("--only-categories=performance,accessibility")
        .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu")
        .arg("--output=json")
        .arg(format!("--output-path={}", out.display()))
        .env("CHROME_PATH", chrome)
        .status()?;
    anyhow::ensure!(status.success(), "lighthouse failed on {url}");
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(out)?)?;
    let score = |c: &str| r["categories"][c]["score"].as_f64().unwrap_or(f64::NAN) * 100.0;
    Ok(Run {
        performance: score("performance"),
        accessibility: score("accessibility"),
        fcp_ms: audit(&r, "first-contentful-paint"),
        lcp_ms: audit(&r, "largest-contentful-paint"),
        tbt_ms: audit(&r, "total-blocking-time"),
        cls: audit(&r, "cumulative-layout-shift"),
        bytes: audit(&r, "total-byte-weight"),
    })
}

pub async fn run(root: &Path, report: &mut String) -> anyhow::Result<()> {
    anyhow::ensure!(
        cli(root).exists(),
        "Lighthouse is missing: cargo xtask bench installs it"
    );
    let version = version(root)?;
    let dir = tempfile::tempdir()?;
    let running = start_server(root, dir.path()).await?;
    writeln!(report, "\n## Lighthouse\n")?;
    writeln!(report, "Lighthouse {version} (npm) against the Debian Chromium, headless, with its default mobile emulation and simulated throttling (slow 4G, 4× CPU slowdown), on a release server of the bench's own serving the built front-end; a visitor who is not signed in. The median of {RUNS} runs per page (by performance score). Goals: performance ≥ 90, accessibility 100, first load ≤ 300 KB.\n")?;
    writeln!(
        report,
        "| page | performance | accessibility | first contentful paint | largest contentful paint | total blocking time | layout shift | bytes loaded |"
    )?;
    writeln!(report, "|---|---:|---:|---:|---:|---:|---:|---:|")?;
    for (name, path) in [
        ("home", "/"),
        ("catalogue", "/services"),
        ("guide", "/services/PSB-0101"),
    ] {
        let url = format!("{}{path}", running.base);
        let mut runs = Vec::with_capacity(RUNS);
        for i in 0..RUNS {
            runs.push(lighthouse(
                root,
                &url,
                &dir.path().join(format!("{name}-{i}.json")),
            )?);
        }
        runs.sort_by(|a, b| a.performance.total_cmp(&b.performance));
        let m = runs[RUNS / 2];
        let line = format!(
            "| {name} (`{path}`) | {:.0} | {:.0} | {:.2} s | {:.2} s | {:.0} ms | {:.3} | {:.0} KB |",
            m.performance,
            m.accessibility,
            m.fcp_ms / 1000.0,
            m.lcp_ms / 1000.0,
            m.tbt_ms,
            m.cls,
            m.bytes / 1000.0
        );
        eprintln!("{line}");
        writeln!(report, "{line}")?;
    }
    Ok(())
}
