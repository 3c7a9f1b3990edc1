//! Catalogue reads through the real server, on SQLite and PostgreSQL, next to a bare
//! axum route that answers the same JSON from memory, measured in the same run with the
//! same load: the cost of the whole stack (routing, middleware, the catalogue snapshot,
//! serialisation, compression negotiation, metrics) over axum itself. Goal: at least
//! half of the bare route's throughput.

use axum::routing::get;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Requests in flight at a time.
const CONCURRENCY: usize = 32;
/// How long each measurement runs.
const RUN: Duration = Duration::from_secs(5);

/// The catalogue's first page and one guide, alternately: what a visitor reads most.
const PATHS: [&str; 2] = ["/api/v1/services?page=1", "/api/v1/services/PSB-0101"];

/// Requests per second and p95 of `CONCURRENCY` clients reading `paths` from `base`.
async fn load(base: &str, paths: &[String]) -> anyhow::Result<(f64, Duration)> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()?;
    let paths = Arc::new(paths.to_vec());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..CONCURRENCY {
        let (http, paths, base) = (http.clone(), paths.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut i = w;
            while started.elapsed() < RUN {
                let t = Instant::now();
                let r = http
                    .get(format!("{base}{}", paths[i % paths.len()]))
                    .send()
                    .await?;
                anyhow::ensure!(r.status().is_success(), "status {}", r.status());
                r.bytes().await?;
                times.push(t.elapsed());
                i += 1;
            }
            Ok::<_, anyhow::Error>(times)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    let rate = all.len() as f64 / started.elapsed().as_secs_f64();
    all.sort();
    let p95 = all
        .get(((all.len().max(1) - 1) as f64 * 0.95).round() as usize)
        .copied()
        .unwrap_or_default();
    Ok((rate, p95))
}

/// A bare axum server answering each of `paths` with the bytes the real server gave.
async fn bare(bodies: Vec<(String, axum::body::Bytes)>) -> anyhow::Result<String> {
    let mut router = axum::Router::new();
    for (path, body) in bodies {
        let route = path.split('?').next().unwrap_or(&path).to_owned();
        router = router.route(
            &route,
            get(move || {
                let body = body.clone();
                async move { ([("content-type", "application/json")], body) }
            }),
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(base)
}

async fn one(
    root: &Path,
    name: &str,
    url: &str,
    dir: &Path,
    report: &mut String,
) -> anyhow::Result<()> {
    let state = crate::server_state(root, url, &dir.join(name), CONCURRENCY as u32).await?;
    let base = crate::serve_in_process(state).await?;
    let paths: Vec<String> = PATHS.iter().map(|p| (*p).to_owned()).collect();
    let http = reqwest::Client::new();
    let mut bodies = Vec::new();
    for p in &paths {
        let body = http.get(format!("{base}{p}")).send().await?.bytes().await?;
        bodies.push((p.clone(), body));
    }
    let bare_base = bare(bodies).await?;
    // Warm both, then measure the bare route first and the server second.
    load(&bare_base, &paths).await?;
    let (bare_rate, bare_p95) = load(&bare_base, &paths).await?;
    let (rate, p95) = load(&base, &paths).await?;
    writeln!(
        report,
        "| {name} | {bare_rate:.0} | {:.1} ms | {rate:.0} | {:.1} ms | {:.2} |",
        bare_p95.as_secs_f64() * 1000.0,
        p95.as_secs_f64() * 1000.0,
        rate / bare_rate
    )?;
    Ok(())
}

/// Runs on SQLite, and on PostgreSQL when `postgres` (an admin URL) is given.
pub async fn run(root: &Path, postgres: Option<&str>, report: &mut String) -> anyhow::Result<()> {
    writeln!(report, "\n## Catalogue reads\n")?;
    writeln!(report, "{CONCURRENCY} clients in one process read the catalogue's first page and one guide (`{}` and `{}`, alternately) for {} s from the real server running in the same process, and the same for a bare axum route that answers the very same bytes from memory, measured in the same run. Goal: the server's rate at least half the bare route's.\n", PATHS[0], PATHS[1], RUN.as_secs())?;
    writeln!(
        report,
        "| database | bare axum req/s | bare p95 | server req/s | server p95 | ratio |"
    )?;
    writeln!(report, "|---|---:|---:|---:|---:|---:|")?;
    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}/reads.db?mode=rwc", dir.path().display());
    one(root, "SQLite", &sqlite, dir.path(), report).await?;
    match postgres {
        Some(admin) => {
            let url = crate::bookings::fresh_database(admin, "ow_bench_reads").await?;
            one(root, "PostgreSQL", &url, dir.path(), report).await?;
        }
        None => writeln!(report, "| PostgreSQL | not reachable in this run | | | | |")?,
    }
    Ok(())
}
