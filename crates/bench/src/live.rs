//! Live notifications at scale: the release server runs as its own process (so that its
//! memory is its own) on a SQLite file; 1k and then 10k clients hold the live stream open,
//! each as its own user; the bench then writes notifications into the shared outbox, as
//! another instance would, and times each from its commit to its arrival at its user's
//! stream (p50, p95), with the server's resident memory idle and with the clients.

use onewindow_api::ids::UserId;
use onewindow_api::notification::{NotificationKind, STREAM_EVENT, STREAM_READY};
use onewindow_api::sse::SseParser;
use onewindow_api::Text;
use onewindow_server::db::notifications::{write, NewNotification};
use onewindow_server::db::Store;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Connected clients per round.
const SIZES: [usize; 2] = [1_000, 10_000];
/// Notifications timed per round.
const EVENTS: usize = 100;

/// When each notification (by id) arrived at a client.
type Arrivals = Arc<Mutex<HashMap<i64, Instant>>>;

/// The server binary next to this one (both are built by `cargo xtask bench`).
fn server_binary() -> anyhow::Result<std::path::PathBuf> {
    let me = std::env::current_exe()?;
    let bin = me
        .parent()
        .map(|d| d.join("onewindow-server"))
        .filter(|p| p.exists())
        .ok_or_else(|| {
            anyhow::anyhow!("build the server first: cargo build --release -p onewindow-server")
        })?;
    Ok(bin)
}

pub(crate) fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Kills the server when the round ends, however it ends.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

pub async fn run(root: &Path, report: &mut String) -> anyhow::Result<()> {
    writeln!(report, "\n## Live notifications\n")?;
    writeln!(report, "The release server runs as its own process on a SQLite file. Clients open the live stream (Server-Sent Events), each as its own user; the bench then commits {EVENTS} notifications to the shared outbox one after another, as another server instance would, each to a random connected user, and times each from its commit to its arrival on that user's stream. Memory is the server process's resident set, idle and with every client connected. Goal: p95 ≤ 1 s at 10k clients.\n")?;
    writeln!(
        report,
        "| clients | p50 | p95 | max | server memory idle | with clients |"
    )?;
    writeln!(report, "|---:|---:|---:|---:|---:|---:|")?;
    for n in SIZES {
        round(root, n, report).await?;
    }
    writeln!(report, "\nEach instance looks in the outbox every `jobs.live_poll_ms` (250 ms by default) for what any instance wrote, so a notification waits about an eighth of a second on average before its stream reads it; the streams of other users are woken but read nothing.")?;
    Ok(())
}

/// A release server of its own, on a SQLite file in `dir`, up and answering.
pub struct Running {
    pub server: Server,
    pub base: String,
    pub url: String,
}

/// Starts the release server on a free port with a fresh SQLite file in `dir` (the demo
/// catalogue is seeded on its first start) and waits until it answers.
pub async fn start_server(root: &Path, dir: &Path) -> anyhow::Result<Running> {
    let url = format!("sqlite://{}/live.db?mode=rwc", dir.display());
    let port = free_port()?;
    let child = Command::new(server_binary()?)
        .env("ONEWINDOW__SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("ONEWINDOW__SERVER__DATA_DIR", dir)
        .env("ONEWINDOW__SERVER__STATIC_DIR", root.join("frontend/dist"))
        .env("ONEWINDOW__DATABASE__URL", &url)
        .env("ONEWINDOW__CATALOGUE__DEMO_DIR", root.join("data/demo"))
        .env(
            "ONEWINDOW__CATALOGUE__HOLIDAYS_FILE",
            root.join("data/holidays/linjiang.json"),
        )
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()?;
    let started = Instant::now();
    loop {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(Running { server, base, url })
}

async fn round(root: &Path, clients: usize, report: &mut String) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let Running { server, base, url } = start_server(root, dir.path()).await?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()?;
    let idle = rss_mb(server.0.id());

    // The users, with sessions, straight in the store the server uses.
    let store = Store::connect(&url, 2).await?;
    let users = crate::citizens_with_sessions(&store, clients, "136").await?;

    // Every client opens its stream and waits for `ready`; then it records arrivals.
    let arrivals: Arrivals = Arc::default();
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(clients);
    let mut tasks = Vec::with_capacity(clients);
    for (_, token) in &users {
        let (http, url, token) = (
            http.clone(),
            format!("{base}/api/v1/notifications/stream"),
            token.clone(),
        );
        let (arrivals, ready) = (arrivals.clone(), ready_tx.clone());
        tasks.push(tokio::spawn(async move {
            let Ok(mut r) = http.get(url).bearer_auth(token).send().await else {
                return;
            };
            let mut parser = SseParser::new();
            while let Ok(Some(chunk)) = r.chunk().await {
                for e in parser.push(&chunk) {
                    if e.event == STREAM_READY {
                        let _ = ready.send(()).await;
                    } else if e.event == STREAM_EVENT {
                        if let Some(id) = e.id.and_then(|i| i.parse().ok()) {
                            arrivals.lock().unwrap().insert(id, Instant::now());
                        }
                    }
                }
            }
        }));
    }
    for _ in 0..clients {
        tokio::time::timeout(Duration::from_secs(120), ready_rx.recv())
            .await
            .map_err(|_| anyhow::anyhow!("clients did not all connect"))?;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let with_clients = rss_mb(server.0.id());

    // Notifications to random connected users, timed from their commit.
    let mut sent: Vec<(i64, Instant)> = Vec::with_capacity(EVENTS);
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..EVENTS {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let user: UserId = users[(seed % clients as u64) as usize].0;
        let mut tx = store.write().await?;
        let note = NewNotification {
            user,
            kind: NotificationKind::CaseAccepted,
            title: Text::new("申请已受理", "Application accepted"),
            body: Text::new("压测", "bench"),
            link: "/applications/1".into(),
        };
        let id = write(&mut tx, &note).await?;
        tx.commit().await?;
        sent.push((id.0, Instant::now()));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while arrivals.lock().unwrap().len() < EVENTS && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let got = arrivals.lock().unwrap().clone();
    let mut waits: Vec<Duration> = sent
        .iter()
        .filter_map(|(id, at)| got.get(id).map(|t| t.saturating_duration_since(*at)))
        .collect();
    anyhow::ensure!(
        waits.len() == EVENTS,
        "{} of {EVENTS} notifications arrived",
        waits.len()
    );
    waits.sort();
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1e3);
    writeln!(
        report,
        "| {clients} | {} | {} | {} | {idle:.0} MB | {with_clients:.0} MB |",
        ms(crate::percentile(&waits, 0.5)),
        ms(crate::percentile(&waits, 0.95)),
        ms(waits[waits.len() - 1]),
    )?;
    for t in tasks {
        t.abort();
    }
    store.pool.close().await;
    drop(server);
    Ok(())
}
