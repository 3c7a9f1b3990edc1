//! `onewindow-bench [OUT.md]`: measures search latency (p50/p95) over the catalogue
//! snapshot at 1k, 10k and 100k items, built from the demo data plus synthetic items
//! exactly as the server builds it; upload throughput and a company's application list
//! against the real server (see `applications`); the booking rush (`bookings`); live
//! notifications to 1k and 10k streams (`live`); a ten-minute mixed day (`mixed`); the desktop app's binary size, first
//! paint and idle memory (`app`); and the size of the built front-end (raw, gzip,
//! brotli). Prints a Markdown report and writes it to OUT.md when given.

mod app;
mod applications;
mod bookings;
mod lighthouse;
mod live;
mod mixed;
mod reads;

use onewindow_api::catalogue::Audience;
use onewindow_server::db::catalogue::SearchRow;
use onewindow_server::import::read_dir;
use onewindow_server::seed::synthetic;
use onewindow_server::state::CatalogueSnapshot;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A mix of what people type: short and long Chinese, pinyin, English, a typo, a code.
const QUERIES: [&str; 14] = [
    "证",
    "婚",
    "护照",
    "身份证",
    "营业执照",
    "食品经营许可",
    "sfz",
    "shenfenzheng",
    "hz",
    "passport",
    "business licence",
    "id card",
    "pasport",
    "PSB-01",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `n` citizens with live sessions, straight in the store (phones `{prefix}` + 8 digits):
/// their ids and bearer tokens.
async fn citizens_with_sessions(
    store: &onewindow_server::db::Store,
    n: usize,
    prefix: &str,
) -> anyhow::Result<Vec<(onewindow_api::ids::UserId, String)>> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let phone = format!("{prefix}{i:08}");
        let user = store
            .create_user(&onewindow_server::db::accounts::NewUser {
                role: onewindow_api::account::Role::Citizen,
                name: "压测",
                id_number: None,
                phone: &phone,
                password_hash: "$argon2id$unused",
                department: None,
                company: None,
                lang: Default::default(),
            })
            .await?;
        let token = onewindow_server::auth::new_token();
        store
            .create_session(
                &onewindow_server::auth::token_hash(&token),
                user,
                chrono::Utc::now().timestamp_millis() + 3_600_000,
            )
            .await?;
        out.push((user, token));
    }
    Ok(out)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The bench's runtime: two workers, as the machine has two cores.
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// One section of the report alone (`--only-…`).
async fn only(which: &str, report: &mut String) -> anyhow::Result<()> {
    let root = root();
    match which {
        "--only-live" => live::run(&root, report).await,
        "--only-app" => app::run(&root, report).await,
        "--only-lighthouse" => lighthouse::run(&root, report).await,
        "--only-reads" => reads::run(&root, postgres_admin().await.as_deref(), report).await,
        "--only-bookings" => bookings::run(&root, postgres_admin().await.as_deref(), report).await,
        "--only-mixed" => mixed::run(&root, report).await,
        other => anyhow::bail!(
            "{other}: use --only-live, --only-app, --only-lighthouse, --only-reads, --only-bookings or --only-mixed"
        ),
    }
}

/// The server's state on the database at `url`, with the demo catalogue, as `serve`
/// builds it.
async fn server_state(
    root: &Path,
    url: &str,
    data_dir: &Path,
    connections: u32,
) -> anyhow::Result<onewindow_server::state::AppState> {
    let mut config = onewindow_server::config::Config::default();
    config.server.data_dir = data_dir.to_owned();
    config.server.static_dir = root.join("frontend/dist");
    config.database.url = url.to_owned();
    config.database.max_connections = connections;
    config.catalogue.demo_dir = root.join("data/demo");
    config.catalogue.holidays_file = root.join("data/holidays/linjiang.json");
    onewindow_server::build_state(config).await
}

/// Serves `state` in this process on a free loopback port, with its background jobs;
/// returns the base URL.
async fn serve_in_process(state: onewindow_server::state::AppState) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(onewindow_server::serve(
        listener,
        state,
        std::future::pending(),
    ));
    Ok(base)
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn main() -> anyhow::Result<()> {
    let out = std::env::args().nth(1);
    // `--only-live`, `--only-app`, `--only-lighthouse`, `--only-reads`,
    // `--only-bookings`, `--only-mixed`: that section alone, printed, for working on it.
    if let Some(which) = out.as_deref().filter(|a| a.starts_with("--only-")) {
        let mut report = String::new();
        runtime()?.block_on(only(which, &mut report))?;
        println!("{report}");
        return Ok(());
    }
    // First, while the process is small, so that its memory figures mean something.
    let mut applications_report = String::new();
    applications::run(&root(), &mut applications_report)?;
    let rt = runtime()?;
    let postgres = rt.block_on(postgres_admin());
    rt.block_on(bookings::run(
        &root(),
        postgres.as_deref(),
        &mut applications_report,
    ))?;
    rt.block_on(reads::run(
        &root(),
        postgres.as_deref(),
        &mut applications_report,
    ))?;
    rt.block_on(live::run(&root(), &mut applications_report))?;
    rt.block_on(mixed::run(&root(), &mut applications_report))?;
    rt.block_on(app::run(&root(), &mut applications_report))?;
    let mut lighthouse_report = String::new();
    rt.block_on(lighthouse::run(&root(), &mut lighthouse_report))?;
    eprint!("{applications_report}");
    let demo = read_dir(&root().join("data/demo"))?;
    let mut report = String::new();
    writeln!(report, "# Performance\n")?;
    writeln!(report, "Measured by `cargo xtask bench` (release build) on this project's machine kind: 2 cores, 24 GiB, Debian 12.")?;
    writeln!(
        report,
        "Reproduce with `cargo xtask bench`; it rewrites this file.\n"
    )?;
    writeln!(report, "## Search latency\n")?;
    writeln!(report, "The catalogue snapshot is built exactly as the server builds it (demo items plus synthetic items from `onewindow-server seed --synthetic N`), then each query of a fixed mix of {} (Chinese of 1–6 characters, pinyin full and initials, English, a typo, a code) runs repeatedly; a sample is one search including ranking and taking the first page of 20 summaries, as the `/search` handler does. Targets: p95 ≤ 10 ms at 100k items.\n", QUERIES.len())?;
    writeln!(
        report,
        "| items | build | samples | p50 | p95 | max | hits for 证 |"
    )?;
    writeln!(report, "|---:|---:|---:|---:|---:|---:|---:|")?;
    let mut per_query_note = String::new();
    for n in [1_000usize, 10_000, 100_000] {
        let mut items = demo.items.clone();
        items.extend(synthetic(&demo, n.saturating_sub(items.len())));
        items.truncate(n);
        let names: std::collections::HashMap<_, _> = demo
            .departments
            .iter()
            .map(|d| (d.code.clone(), d.name.clone()))
            .collect();
        let rows: Vec<SearchRow> = items
            .iter()
            .map(|i| SearchRow {
                summary: i.summary_with(names.get(&i.department).cloned().unwrap_or_default()),
                keywords: i.keywords.clone(),
            })
            .collect();
        let t = Instant::now();
        let snapshot = CatalogueSnapshot::build(rows);
        let build = t.elapsed();
        let rounds = if n >= 100_000 { 20 } else { 60 };
        let mut samples = Vec::with_capacity(rounds * QUERIES.len() * 2);
        let mut per_query: Vec<Vec<Duration>> = vec![Vec::new(); QUERIES.len()];
        for round in 0..rounds {
            for (qi, q) in QUERIES.iter().copied().enumerate() {
                let audience = (round % 2 == 1).then_some(Audience::Individual);
                let t = Instant::now();
                let result = snapshot.search.index().search(
                    q,
                    |d| audience.is_none_or(|a| snapshot.search.has_audience(d, a)),
                    20,
                );
                let page: Vec<_> = result
                    .hits
                    .iter()
                    .filter_map(|h| snapshot.search.summary(h.doc).cloned())
                    .collect();
                samples.push(t.elapsed());
                per_query[qi].push(t.elapsed());
                std::hint::black_box(page);
            }
        }
        samples.sort();
        if n == 100_000 {
            let mut slow: Vec<(Duration, &str)> = per_query
                .iter_mut()
                .zip(QUERIES)
                .map(|(v, q)| {
                    v.sort();
                    (percentile(v, 0.5), q)
                })
                .collect();
            slow.sort();
            let list: Vec<String> = slow
                .iter()
                .rev()
                .map(|(d, q)| format!("`{q}` {}", micros(*d)))
                .collect();
            per_query_note = format!(
                "\nMedian per query at 100k items, slowest first: {}.\n",
                list.join(", ")
            );
        }
        let hits = snapshot.search.index().search("证", |_| true, 20).total;
        writeln!(
            report,
            "| {n} | {:.2} s | {} | {} | {} | {} | {hits} |",
            build.as_secs_f64(),
            samples.len(),
            micros(percentile(&samples, 0.5)),
            micros(percentile(&samples, 0.95)),
            micros(*samples.last().unwrap_or(&Duration::ZERO)),
        )?;
        eprint!(
            "{}",
            report
                .lines()
                .last()
                .map(|l| format!("{l}\n"))
                .unwrap_or_default()
        );
    }
    report.push_str(&per_query_note);
    eprint!("{per_query_note}");
    report.push_str(&applications_report);
    writeln!(report, "\n## Front-end size\n")?;
    writeln!(report, "The files of `frontend/dist` as built by `cargo xtask frontend` (wasm-opt -Oz). Target: first load ≤ 300 KB compressed.\n")?;
    writeln!(report, "| file | raw | gzip -9 | brotli -11 |")?;
    writeln!(report, "|---|---:|---:|---:|")?;
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    let dist = root().join("frontend/dist");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dist)
        .map_err(|e| anyhow::anyhow!("{}: {e}; build the front-end first", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        // The precompressed copies are measured by compressing the originals here.
        .filter(|p| !p.extension().is_some_and(|e| e == "br" || e == "gz"))
        .collect();
    files.sort();
    for f in &files {
        let bytes = std::fs::read(f)?;
        let (g, b) = (gzip(&bytes)?, brotli_len(&bytes)?);
        raw += bytes.len();
        gz += g;
        br += b;
        writeln!(
            report,
            "| {} | {} | {} | {} |",
            name(f),
            kb(bytes.len()),
            kb(g),
            kb(b)
        )?;
    }
    writeln!(
        report,
        "| **total** | **{}** | **{}** | **{}** |",
        kb(raw),
        kb(gz),
        kb(br)
    )?;
    report.push_str(&lighthouse_report);
    print!("{report}");
    if let Some(out) = out {
        std::fs::write(root().join(out), &report)?;
    }
    Ok(())
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1000.0)
}

fn gzip(bytes: &[u8]) -> anyhow::Result<usize> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes)?;
    Ok(e.finish()?.len())
}

fn brotli_len(bytes: &[u8]) -> anyhow::Result<usize> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out.len())
}

/// The PostgreSQL server to measure: `DATABASE_URL`, else the local one, if reachable.
async fn postgres_admin() -> Option<String> {
    let url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    sqlx::any::install_default_drivers();
    match sqlx::AnyPool::connect(&url).await {
        Ok(pool) => {
            pool.close().await;
            Some(url)
        }
        Err(e) => {
            eprintln!("PostgreSQL at {url} is not reachable ({e}); measuring SQLite only");
            None
        }
    }
}
