//! Application benchmarks against the real server (in this process, on SQLite in a
//! temporary directory, driven over loopback by the real client): upload throughput of a
//! 20 MB file next to the disk's own write speed, with the process's peak memory; and the
//! application list, filtered list and CSV export of one company with 10,000 cases.

use onewindow_api::account::{CompanyInput, RegisterRequest};
use onewindow_api::application::CreateApplicationRequest;
use onewindow_api::catalogue::{FileFormat, ServiceItem};
use onewindow_api::idnum::{credit_code_check_char, resident_id_check_char};
use onewindow_api::query::{ApplicationQuery, ServiceQuery};
use onewindow_api::workdays::Light;
use onewindow_client::{Client, ReqwestTransport};
use onewindow_server::config::Config;
use onewindow_server::db::Store;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

const UPLOAD_BYTES: usize = 20_000_000;
const CASES: usize = 10_000;

/// Peak and current resident memory of this process, in MB (Linux).
fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn id_number(serial: u32) -> String {
    let body = format!("33010219900101{serial:03}");
    format!("{body}{}", resident_id_check_char(&body).unwrap_or('0'))
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// Runs both benchmarks and appends their report.
pub fn run(root: &Path, report: &mut String) -> anyhow::Result<()> {
    crate::runtime()?.block_on(async_run(root, report))
}

async fn async_run(root: &Path, report: &mut String) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let database_url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    let connections = Config::default().database.max_connections;
    let state = crate::server_state(root, &database_url, dir.path(), connections).await?;
    let base = crate::serve_in_process(state).await?;

    let body = format!("91330102MA2{:06}", 424242);
    let company = format!("{body}{}", credit_code_check_char(&body).unwrap_or('0'));
    let c = Client::new(ReqwestTransport::new(&base));
    c.register(&RegisterRequest {
        id_number: id_number(1),
        name: "压测用户".into(),
        phone: "13800009999".into(),
        password: "bench password 1".into(),
        company: Some(CompanyInput {
            credit_code: company.clone(),
            name: "临江压测有限公司".into(),
        }),
        lang: None,
    })
    .await?;
    let (item, slot) = item_with_20mb_pdf(&c).await?;

    // Upload: 5 files of 20 MB into one slot; the disk's own speed for the same bytes.
    let app = c
        .create_application(&CreateApplicationRequest {
            item: item.code.clone(),
            case: item.cases[0].code.clone(),
            form: Default::default(),
            on_behalf_of: None,
        })
        .await?;
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(UPLOAD_BYTES, b'x');
    let (_, rss_before) = memory_mb();
    let mut times = Vec::new();
    for i in 0..5 {
        let t = Instant::now();
        c.upload_material(app.id, &slot, &format!("scan-{i}.pdf"), bytes.clone())
            .await?;
        times.push(t.elapsed());
    }
    times.sort();
    let (peak, rss_after) = memory_mb();
    let disk_file = dir.path().join("disk-reference.bin");
    let t = Instant::now();
    {
        use std::io::Write as _;
        let mut f = std::fs::File::create(&disk_file)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
    }
    let disk = t.elapsed();

    writeln!(report, "\n## Uploads\n")?;
    writeln!(report, "Five uploads of a 20 MB PDF into one material slot through the real client over loopback (streamed to the local object store with the size check, type sniffing and SHA-256 on the way), next to writing the same 20 MB to the same disk with `fsync`. Memory is the bench process's (measured first, before the search benchmarks), which holds the server and the client with its copy of the file (20 MB, plus the copy handed to the transport); the server streams, so memory stays flat however much is uploaded.\n")?;
    writeln!(report, "| | time (median) | throughput |")?;
    writeln!(report, "|---|---:|---:|")?;
    writeln!(
        report,
        "| upload 20 MB | {} | {:.0} MB/s |",
        ms(times[2]),
        mb_per_s(UPLOAD_BYTES, times[2])
    )?;
    writeln!(
        report,
        "| disk write 20 MB + fsync | {} | {:.0} MB/s |",
        ms(disk),
        mb_per_s(UPLOAD_BYTES, disk)
    )?;
    writeln!(report, "\nResident memory: {rss_before:.0} MB before the uploads, {rss_after:.0} MB after five of them (100 MB uploaded); peak {peak:.0} MB.")?;

    // 10,000 cases of one company: 7,000 completed, 3,000 running with acceptance dates
    // spread over the last 40 days, inserted directly.
    let store = Store::connect(&database_url, 2).await?;
    seed_cases(&store, &item, &company).await?;
    let mut list = Vec::new();
    let mut filtered = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        let page = c.applications(1, 20).await?;
        list.push(t.elapsed());
        anyhow::ensure!(
            page.total as usize >= CASES,
            "only {} cases listed",
            page.total
        );
        let t = Instant::now();
        c.applications_filtered(&ApplicationQuery {
            light: Some(Light::Red),
            ..Default::default()
        })
        .await?;
        filtered.push(t.elapsed());
    }
    list.sort();
    filtered.sort();
    let t = Instant::now();
    let csv = c.export_applications(&ApplicationQuery::default()).await?;
    let export = t.elapsed();
    let rows = csv.iter().filter(|b| **b == b'\n').count() - 1;
    writeln!(
        report,
        "\n## Application list of a company with 10,000 cases\n"
    )?;
    writeln!(report, "One company's dashboard over 10,000 cases (7,000 completed, 3,000 running), through the real client; 30 samples each. A light filter computes the working-day deadline of every running case in Rust (the rules of the contract crate) before paging.\n")?;
    writeln!(report, "| request | p50 | p95 |")?;
    writeln!(report, "|---|---:|---:|")?;
    let p = |v: &[Duration], q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    writeln!(
        report,
        "| first page of 20 | {} | {} |",
        ms(p(&list, 0.5)),
        ms(p(&list, 0.95))
    )?;
    writeln!(
        report,
        "| red cases only (3,000 running evaluated) | {} | {} |",
        ms(p(&filtered, 0.5)),
        ms(p(&filtered, 0.95))
    )?;
    writeln!(
        report,
        "\nCSV export of all {rows} rows: {} ({:.1} MB).",
        ms(export),
        csv.len() as f64 / 1e6
    )?;
    Ok(())
}

/// An online item whose first case has a PDF material of 20 MB.
async fn item_with_20mb_pdf(c: &Client<ReqwestTransport>) -> anyhow::Result<(ServiceItem, String)> {
    for page in 1..=10 {
        let q = ServiceQuery {
            online: Some(true),
            per_page: Some(100),
            page: Some(page),
            ..Default::default()
        };
        let list = c.services(&q).await?;
        for s in &list.items {
            let item = c.service(s.code.as_str()).await?;
            let found = item.cases[0]
                .materials
                .iter()
                .find(|m| m.max_size_mb >= 20 && m.formats.contains(&FileFormat::Pdf))
                .map(|m| m.code.clone());
            if let Some(slot) = found {
                return Ok((item, slot));
            }
        }
        if list.items.len() < 100 {
            break;
        }
    }
    anyhow::bail!("no demo item takes a 20 MB PDF")
}

async fn seed_cases(store: &Store, item: &ServiceItem, company: &str) -> anyhow::Result<()> {
    let user: i64 = sqlx::Row::try_get(
        &sqlx::query("SELECT id FROM users WHERE company = $1")
            .bind(company)
            .fetch_one(&store.pool)
            .await?,
        0,
    )?;
    let now = chrono::Utc::now().timestamp_millis();
    let day = 86_400_000i64;
    let mut tx = store.pool.begin().await?;
    for i in 0..CASES {
        let running = i % 10 < 3;
        let accepted = now - (i as i64 % 40) * day;
        sqlx::query(
            "INSERT INTO applications (item, case_code, department, applicant, company, state, form,
               notice, promised_days, accepted_at, decided_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, '{}', '{\"problems\":[]}', $7, $8, $9, $10, $11)",
        )
        .bind(item.code.as_str())
        .bind(item.cases[0].code.as_str())
        .bind(item.department.as_str())
        .bind(user)
        .bind(company)
        .bind(if running { "under_review" } else { "completed" })
        .bind(i64::from(item.time_limit.promised_working_days))
        .bind(accepted)
        .bind((!running).then_some(accepted + 3 * day))
        .bind(accepted - day)
        .bind(accepted)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
