//! A mixed day: the release server as its own process on a SQLite file, visited at a
//! steady rate for ten minutes (`ONEWINDOW_BENCH_MIXED_SECS` changes it) by people
//! browsing the catalogue and reading guides, searching, applying with uploads, booking
//! and cancelling, staff accepting the submitted cases, and applicants reading their
//! notifications. Reports each call's count, errors, p50 and p95, the error rate, and the
//! server's memory minute by minute (it must stay flat).

use crate::live::{rss_mb, start_server};
use onewindow_api::booking::{BookingRequest, SlotQuery};
use onewindow_api::case::CaseAction;
use onewindow_api::catalogue::{Audience, ServiceItem};
use onewindow_api::ids::CaseId;
use onewindow_api::notification::NotificationQuery;
use onewindow_api::query::{SearchQuery, ServiceQuery};
use onewindow_client::{Client, ReqwestTransport};
use onewindow_tests::cases::{act, applicant, filled_form, pdf, pick_item, staff};
use onewindow_tests::Served;
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Visits started per second.
const RATE: u32 = 8;
/// Visits in flight at most; a visit that finds them all busy counts as late.
const IN_FLIGHT: usize = 64;

type Api = Client<ReqwestTransport>;

/// The server as the test fixtures see it.
struct Target {
    base: String,
    url: String,
}

impl Served for Target {
    fn base_url(&self) -> &str {
        &self.base
    }
    fn database_url(&self) -> &str {
        &self.url
    }
}

/// Timings and errors per call.
#[derive(Default)]
struct Tally {
    calls: BTreeMap<&'static str, (Vec<Duration>, usize)>,
    errors: Vec<String>,
}

type Shared = Arc<Mutex<Tally>>;

/// Times one call under `name`, keeping its error.
async fn timed<T>(
    tally: &Shared,
    name: &'static str,
    call: impl std::future::Future<Output = Result<T, onewindow_client::ClientError>>,
) -> Option<T> {
    let t = Instant::now();
    let got = call.await;
    let elapsed = t.elapsed();
    let mut tally = tally.lock().unwrap_or_else(|e| e.into_inner());
    let entry = tally.calls.entry(name).or_default();
    entry.0.push(elapsed);
    match got {
        Ok(v) => Some(v),
        Err(e) => {
            entry.1 += 1;
            if tally.errors.len() < 20 {
                tally.errors.push(format!("{name}: {e}"));
            }
            None
        }
    }
}

/// What the visits share: the people, the items and the cases waiting for staff.
struct World {
    applicants: Vec<(Api, String)>,
    bookers: Vec<Api>,
    officer: Api,
    item: ServiceItem,
    bookable: Vec<String>,
    codes: Vec<String>,
    submitted: Mutex<VecDeque<CaseId>>,
    tally: Shared,
}

pub async fn run(root: &Path, report: &mut String) -> anyhow::Result<()> {
    let seconds: u64 = std::env::var("ONEWINDOW_BENCH_MIXED_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let dir = tempfile::tempdir()?;
    let running = start_server(root, dir.path()).await?;
    let pid = running.server.0.id();
    let target = Target {
        base: running.base.clone(),
        url: running.url.clone(),
    };
    let world = Arc::new(setup(&target, seconds).await?);

    let mut memory = vec![rss_mb(pid)];
    let mut ticker = tokio::time::interval(Duration::from_secs(1) / RATE);
    let slots = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let (mut started, mut late) = (0u64, 0u64);
    let begin = Instant::now();
    let mut next_sample = begin + Duration::from_secs(60);
    let mut tasks = tokio::task::JoinSet::new();
    while begin.elapsed() < Duration::from_secs(seconds) {
        ticker.tick().await;
        if Instant::now() >= next_sample {
            memory.push(rss_mb(pid));
            next_sample += Duration::from_secs(60);
        }
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            late += 1;
            continue;
        };
        let (world, n) = (world.clone(), started);
        started += 1;
        tasks.spawn(async move {
            visit(&world, n).await;
            drop(permit);
        });
        while tasks.try_join_next().is_some() {}
    }
    while tasks.join_next().await.is_some() {}
    memory.push(rss_mb(pid));

    let tally = world.tally.lock().unwrap_or_else(|e| e.into_inner());
    let calls: usize = tally.calls.values().map(|(t, _)| t.len()).sum();
    let errors: usize = tally.calls.values().map(|(_, e)| *e).sum();
    writeln!(report, "\n## A mixed day\n")?;
    writeln!(report, "The release server runs as its own process on a SQLite file with the demo catalogue. For {} minutes, {RATE} visits start every second (at most {IN_FLIGHT} at once): of every 20, eight browse a catalogue page and read a guide, four search, two apply (a draft with the form filled, every material uploaded as a 100 KB PDF, then submitted), two book the earliest open slot and cancel it again, two are staff accepting the oldest submitted case, and two are applicants reading their notifications and marking them read. Goal: error rate 0, memory flat.\n", seconds / 60)?;
    writeln!(report, "| call | count | errors | p50 | p95 |")?;
    writeln!(report, "|---|---:|---:|---:|---:|")?;
    for (name, (times, errs)) in &tally.calls {
        let mut times = times.clone();
        times.sort();
        writeln!(
            report,
            "| {name} | {} | {errs} | {:.1} ms | {:.1} ms |",
            times.len(),
            crate::percentile(&times, 0.5).as_secs_f64() * 1e3,
            crate::percentile(&times, 0.95).as_secs_f64() * 1e3
        )?;
    }
    let minutes: Vec<String> = memory.iter().map(|m| format!("{m:.0}")).collect();
    writeln!(report, "\n{started} visits ({late} late: all {IN_FLIGHT} in flight), {calls} calls, {errors} errors (error rate {:.4} %). Server memory (MB, at the start and after each minute): {}.", 100.0 * errors as f64 / calls.max(1) as f64, minutes.join(", "))?;
    for e in &tally.errors {
        writeln!(report, "\n- error: {e}")?;
    }
    anyhow::ensure!(errors == 0, "{errors} calls failed: {:?}", tally.errors);
    Ok(())
}

/// The people and items of the day.
async fn setup(target: &Target, seconds: u64) -> anyhow::Result<World> {
    let tally = Shared::default();
    let mut applicants = Vec::new();
    for _ in 0..40 {
        let (c, id_number, _) = applicant(target, None).await;
        applicants.push((c, id_number));
    }
    let item = pick_item(&applicants[0].0, Audience::Individual).await;
    let officer = staff(target, item.department.as_str()).await;
    // A citizen books at most once a week per item: one of its own for every booking.
    let store = onewindow_server::db::Store::connect(&target.url, 2).await?;
    let bookings = (seconds as usize * RATE as usize / 10) + 10;
    let mut bookers = Vec::with_capacity(bookings);
    for (_, token) in crate::citizens_with_sessions(&store, bookings, "136").await? {
        let c = Client::new(ReqwestTransport::new(&target.base));
        c.set_token(Some(token));
        bookers.push(c);
    }
    let c = &applicants[0].0;
    let mut codes = Vec::new();
    let mut bookable = Vec::new();
    for page in 1..=3 {
        let q = ServiceQuery {
            page: Some(page),
            per_page: Some(100),
            ..Default::default()
        };
        for s in c.services(&q).await?.items {
            if s.online.appointment && bookable.len() < 20 {
                bookable.push(s.code.to_string());
            }
            codes.push(s.code.to_string());
        }
    }
    Ok(World {
        applicants,
        bookers,
        officer,
        item,
        bookable,
        codes,
        submitted: Mutex::new(VecDeque::new()),
        tally,
    })
}

/// Visit number `n`.
async fn visit(w: &World, n: u64) {
    let t = &w.tally;
    let i = n as usize;
    match n % 20 {
        0..=7 => {
            let c = &w.applicants[i % w.applicants.len()].0;
            let q = ServiceQuery {
                page: Some((n % 5 + 1) as u32),
                ..Default::default()
            };
            timed(t, "GET /services", c.services(&q)).await;
            let code = &w.codes[i * 7 % w.codes.len()];
            timed(t, "GET /services/{code}", c.service(code)).await;
        }
        8..=11 => {
            let c = &w.applicants[i % w.applicants.len()].0;
            let q = SearchQuery {
                q: crate::QUERIES[i % crate::QUERIES.len()].into(),
                ..Default::default()
            };
            timed(t, "GET /search", c.search(&q)).await;
        }
        12..=13 => {
            let (c, id_number) = &w.applicants[i % w.applicants.len()];
            let case = &w.item.cases[0];
            let req = onewindow_api::application::CreateApplicationRequest {
                item: w.item.code.clone(),
                case: case.code.clone(),
                form: filled_form(&w.item, id_number),
                on_behalf_of: None,
            };
            let Some(app) = timed(t, "POST /applications", c.create_application(&req)).await else {
                return;
            };
            for m in &case.materials {
                let upload = c.upload_material(app.id, &m.code, "scan.pdf", pdf(100 * 1024));
                timed(t, "POST /applications/{id}/materials/{slot}", upload).await;
            }
            let key = format!("mixed-submit-{n:08}");
            let submit = c.submit_application(app.id, &key);
            if timed(t, "POST /applications/{id}/submit", submit)
                .await
                .is_some()
            {
                w.submitted
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_back(app.id);
            }
        }
        14..=15 => {
            let c = &w.bookers[(n / 20 * 2 + n % 2) as usize % w.bookers.len()];
            let code = &w.bookable[i % w.bookable.len()];
            let Some(open) = timed(
                t,
                "GET /services/{code}/slots",
                c.slots(code, &SlotQuery::default()),
            )
            .await
            else {
                return;
            };
            let Some(slot) = open.iter().find(|s| s.free > 1) else {
                return;
            };
            let req = BookingRequest {
                item: code.as_str().into(),
                hall: slot.hall.clone(),
                window: slot.window.clone(),
                start: slot.start,
                idempotency_key: format!("mixed-book-{n:08}"),
                application: None,
            };
            if let Some(b) = timed(t, "POST /bookings", c.book(&req)).await {
                timed(t, "POST /bookings/{id}/cancel", c.cancel_booking(b.id)).await;
            }
        }
        16..=17 => {
            let next = w
                .submitted
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop_front();
            let accept = act(CaseAction::Accept);
            match next {
                Some(id) => {
                    let call = w.officer.transition(id, &accept);
                    timed(t, "POST /applications/{id}/transitions", call).await;
                }
                None => {
                    timed(
                        t,
                        "GET /staff/applications",
                        w.officer.staff_queue(None, 1, 20),
                    )
                    .await;
                }
            }
        }
        _ => {
            let c = &w.applicants[i % w.applicants.len()].0;
            let q = NotificationQuery::default();
            timed(t, "GET /notifications", c.notifications(&q)).await;
            timed(t, "POST /notifications/read-all", c.mark_all_read()).await;
        }
    }
}
