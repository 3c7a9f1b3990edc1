//! Faults: the real server binary is killed outright (SIGKILL) in the middle of an
//! upload, of a booking rush and of a burst of staff transitions, then started again on
//! the same database and file store, on SQLite and PostgreSQL. Nothing is half-written,
//! no file is orphaned, nothing is recorded or notified twice, and the clients' retries
//! succeed.

use crate::bookings::{bookable, request};
use onewindow_api::case::{CaseAction, CaseState};
use onewindow_api::catalogue::{Audience, FileFormat, ServiceItem};
use onewindow_api::notification::{DeliveryStatus, NotificationKind, NotificationQuery};
use onewindow_api::ErrorCode;
use onewindow_tests::cases::TestClient;
use onewindow_tests::cases::{
    act, applicant, complete_draft, empty_draft, pdf, pick_item, staff, submitted,
};
use onewindow_tests::process::{PrivatePostgres, ServerProcess};
use onewindow_tests::{backends, Backend};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// A staging file of an unfinished upload (`key#N`).
fn is_staging(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.rsplit_once('#'))
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Waits up to 20 s for `done`.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The newest hundred notifications of `c`.
async fn notifications(c: &TestClient) -> Vec<onewindow_api::notification::Notification> {
    let q = NotificationQuery {
        per_page: Some(100),
        ..Default::default()
    };
    c.notifications(&q).await.unwrap().items
}

/// An item whose first case takes a PDF material of at least 10 MB.
async fn item_with_big_material(c: &TestClient) -> (ServiceItem, String) {
    let q = onewindow_api::query::ServiceQuery {
        online: Some(true),
        per_page: Some(100),
        ..Default::default()
    };
    for page in 1..=5 {
        let q = onewindow_api::query::ServiceQuery {
            page: Some(page),
            ..q.clone()
        };
        for s in c.services(&q).await.unwrap().items {
            let item = c.service(s.code.as_str()).await.unwrap();
            let big = item.cases[0]
                .materials
                .iter()
                .find(|m| m.max_size_mb >= 10 && m.formats.contains(&FileFormat::Pdf))
                .map(|m| m.code.clone());
            if let Some(slot) = big {
                return (item, slot);
            }
        }
    }
    panic!("no demo item takes a PDF of 10 MB");
}

#[tokio::test]
async fn killed_during_an_upload_leaves_no_file_and_the_retry_succeeds() {
    for backend in backends() {
        let mut server = ServerProcess::start(backend);
        let (citizen, _, _) = applicant(&server, None).await;
        let (item, slot) = item_with_big_material(&citizen).await;
        let draft = empty_draft(&citizen, &item).await;
        let objects = server.data_dir().join("objects");

        // A 9 MB PDF sent slowly on a raw connection; the server is killed once it has
        // started writing the upload to the store.
        let total: usize = 9 * 1024 * 1024;
        let sent = Arc::new(AtomicU64::new(0));
        let sender = {
            let (addr, token) = (
                server.base_url.trim_start_matches("http://").to_owned(),
                citizen.token().unwrap(),
            );
            let path = format!(
                "/api/v1/applications/{}/materials/{slot}?name=big.pdf",
                draft.id
            );
            let sent = sent.clone();
            std::thread::spawn(move || {
                let mut s = std::net::TcpStream::connect(&addr).unwrap();
                let head = format!(
                    "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
                     Content-Type: application/octet-stream\r\nContent-Length: {total}\r\n\r\n"
                );
                s.write_all(head.as_bytes()).unwrap();
                let body = pdf(total);
                for chunk in body.chunks(256 * 1024) {
                    if s.write_all(chunk).is_err() {
                        return;
                    }
                    sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        eventually("the upload reaches the store", || {
            sent.load(Ordering::Relaxed) >= 6 * 1024 * 1024
                && files_under(&objects).iter().any(|p| is_staging(p))
        })
        .await;
        server.kill();
        let _ = sender.join();
        assert!(
            files_under(&objects).iter().any(|p| is_staging(p)),
            "the kill left the upload's staging file (the case the sweep exists for)"
        );
        // What a crash between storing an object and recording it would leave.
        let stray = objects.join("uploads/999999/00112233445566778899aabbccddeeff");
        std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
        std::fs::write(&stray, pdf(2000)).unwrap();

        server.spawn();
        eventually("the orphans are swept", || files_under(&objects).is_empty()).await;
        let app = citizen.application(draft.id).await.unwrap();
        assert!(
            app.files.is_empty(),
            "no half-written file record: {:?}",
            app.files
        );

        // The retry goes through, and its object is the only one in the store.
        let file = citizen
            .upload_material(draft.id, &slot, "big.pdf", pdf(3 * 1024 * 1024))
            .await
            .unwrap();
        assert_eq!(file.size, 3 * 1024 * 1024);
        let app = citizen.application(draft.id).await.unwrap();
        assert_eq!(app.files.len(), 1);
        assert_eq!(
            files_under(&objects).len(),
            1,
            "{backend:?}: {}",
            server.log()
        );
        let back = citizen.download_file(draft.id, file.id).await.unwrap();
        assert_eq!(back, pdf(3 * 1024 * 1024));
    }
}

#[tokio::test]
async fn killed_during_a_booking_rush_keeps_every_seat_and_retries_are_idempotent() {
    for backend in backends() {
        let mut server = ServerProcess::start(backend);
        let mut citizens = Vec::new();
        for _ in 0..12 {
            citizens.push(Arc::new(applicant(&server, None).await.0));
        }
        let item = bookable(&citizens[0]).await;
        let open = citizens[0]
            .slots(item.code.as_str(), &Default::default())
            .await
            .unwrap();
        let slot = open[0].clone();
        let seats = slot.free as usize;
        assert!(seats < citizens.len(), "more citizens than seats");

        // Everyone books the same slot at once; the server dies after the first answer.
        let (tx, mut first) = tokio::sync::mpsc::channel::<()>(citizens.len());
        let mut rush = Vec::new();
        for (i, c) in citizens.iter().enumerate() {
            let (c, tx, req) = (
                c.clone(),
                tx.clone(),
                request(&item, &slot, &format!("rush-key-{i:04}")),
            );
            rush.push(tokio::spawn(async move {
                let got = c.book(&req).await;
                let _ = tx.send(()).await;
                got
            }));
        }
        first.recv().await;
        server.kill();
        let mut before = Vec::new();
        for r in rush {
            before.push(r.await.unwrap().ok().map(|b| b.id));
        }

        server.spawn();
        let mut booked = Vec::new();
        for (i, c) in citizens.iter().enumerate() {
            match c
                .book(&request(&item, &slot, &format!("rush-key-{i:04}")))
                .await
            {
                Ok(b) => {
                    if let Some(id) = before[i] {
                        assert_eq!(b.id, id, "the retry answers the booking made before");
                    }
                    booked.push(i);
                }
                Err(e) => {
                    assert!(
                        before[i].is_none(),
                        "a booking made before the kill was lost"
                    );
                    assert_eq!(e.status(), Some(409), "{e:?}");
                }
            }
        }
        assert_eq!(booked.len(), seats, "{backend:?}: every seat taken once");
        for i in booked {
            let c = &citizens[i];
            let active: Vec<_> = c
                .bookings()
                .await
                .unwrap()
                .into_iter()
                .filter(|b| b.state == onewindow_api::booking::BookingState::Active)
                .collect();
            assert_eq!(active.len(), 1);
            let confirmations = c
                .notifications(&NotificationQuery::default())
                .await
                .unwrap()
                .items
                .into_iter()
                .filter(|n| n.kind == NotificationKind::BookingConfirmed)
                .count();
            assert_eq!(confirmations, 1, "one confirmation per booking");
        }
        let left = citizens[0]
            .slots(item.code.as_str(), &Default::default())
            .await
            .unwrap();
        assert!(
            !left
                .iter()
                .any(|s| s.start == slot.start && s.window == slot.window && s.hall == slot.hall),
            "the full slot is offered no more"
        );
    }
}

#[tokio::test]
async fn killed_during_transitions_leaves_every_case_whole_and_retries_finish_them() {
    for backend in backends() {
        let mut server = ServerProcess::start(backend);
        let (owner, id_number, _) = applicant(&server, None).await;
        let item = pick_item(&owner, Audience::Individual).await;
        let officer = Arc::new(staff(&server, item.department.as_str()).await);
        let mut cases = Vec::new();
        for _ in 0..8 {
            cases.push(submitted(&owner, &item, &id_number).await.id);
        }

        let (tx, mut first) = tokio::sync::mpsc::channel::<()>(cases.len());
        let mut burst = Vec::new();
        for &id in &cases {
            let (officer, tx) = (officer.clone(), tx.clone());
            burst.push(tokio::spawn(async move {
                let got = officer.transition(id, &act(CaseAction::Accept)).await;
                let _ = tx.send(()).await;
                got
            }));
        }
        first.recv().await;
        server.kill();
        for b in burst {
            let _ = b.await.unwrap();
        }

        server.spawn();
        for &id in &cases {
            let app = owner.application(id).await.unwrap();
            let accepts = app
                .timeline
                .iter()
                .filter(|e| e.action == Some(CaseAction::Accept))
                .count();
            match app.state {
                CaseState::Submitted => {
                    assert_eq!(accepts, 0, "no accept recorded for a case not accepted");
                    officer
                        .transition(id, &act(CaseAction::Accept))
                        .await
                        .unwrap();
                }
                CaseState::Accepted => {
                    assert_eq!(accepts, 1, "the accept recorded once");
                    assert!(app.number.is_some(), "an accepted case has its number");
                    let e = officer
                        .transition(id, &act(CaseAction::Accept))
                        .await
                        .unwrap_err();
                    assert_eq!(e.code(), Some(ErrorCode::InvalidTransition));
                }
                other => panic!("{backend:?}: case {id} is {other:?}"),
            }
            let app = owner.application(id).await.unwrap();
            assert_eq!(app.state, CaseState::Accepted);
            assert_eq!(
                app.timeline
                    .iter()
                    .filter(|e| e.action == Some(CaseAction::Accept))
                    .count(),
                1
            );
        }
        let accepted_notes = notifications(&owner)
            .await
            .into_iter()
            .filter(|n| n.kind == NotificationKind::CaseAccepted)
            .count();
        assert_eq!(
            accepted_notes,
            cases.len(),
            "one notice of acceptance per case"
        );
    }
}

#[tokio::test]
async fn a_full_disk_refuses_the_upload_cleanly_and_keeps_nothing() {
    // The file store on a 4 MB tmpfs of its own (mounting needs root, as in CI).
    let mount = tempfile::tempdir().unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(mount.path())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI runs as root and must mount a tmpfs for the full-disk test"
        );
        eprintln!(
            "\n*** WARNING: cannot mount a tmpfs (not root?): the full-disk test is SKIPPED ***\n"
        );
        return;
    }
    let unmount = Unmount(mount.path().to_owned());
    for backend in backends() {
        let store = mount.path().join(format!("{backend:?}"));
        std::fs::create_dir_all(&store).unwrap();
        let server = ServerProcess::start_with(
            backend,
            &[("ONEWINDOW__STORAGE__PATH", store.display().to_string())],
        );
        let (citizen, _, _) = applicant(&server, None).await;
        let (item, slot) = item_with_big_material(&citizen).await;
        let draft = empty_draft(&citizen, &item).await;

        let e = citizen
            .upload_material(draft.id, &slot, "big.pdf", pdf(6 * 1024 * 1024))
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(503), "{e:?}");
        assert_eq!(e.code(), Some(ErrorCode::Unavailable));
        let app = citizen.application(draft.id).await.unwrap();
        assert!(app.files.is_empty(), "nothing recorded");
        assert!(files_under(&store).is_empty(), "nothing left in the store");

        // Room for a smaller file: it goes through, whole.
        let file = citizen
            .upload_material(draft.id, &slot, "small.pdf", pdf(1024 * 1024))
            .await
            .unwrap();
        assert_eq!(
            citizen.download_file(draft.id, file.id).await.unwrap(),
            pdf(1024 * 1024)
        );
        std::fs::remove_dir_all(&store).unwrap();
    }
    drop(unmount);
}

/// Unmounts the test's tmpfs, also when an assertion fails.
struct Unmount(PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// What one call of the load saw: when it ended, and its status and code if it failed.
type Outcome = (Instant, Result<(), (Option<u16>, Option<ErrorCode>)>);

#[tokio::test]
async fn postgres_restarted_under_load_gives_retryable_errors_and_recovers() {
    let Some(pg) = PrivatePostgres::start() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI runs as root and must start a PostgreSQL cluster of its own"
        );
        eprintln!("\n*** WARNING: cannot run a private PostgreSQL (not root?): the restart test is SKIPPED ***\n");
        return;
    };
    let server = ServerProcess::start_on_database(Backend::Postgres, pg.url());
    let (citizen, id_number, _) = applicant(&server, None).await;
    let item = pick_item(&citizen, Audience::Individual).await;
    let draft = complete_draft(&citizen, &item, &id_number).await;
    let (citizen, id, form) = (Arc::new(citizen), draft.id, draft.form.clone());

    // Four clients read and save the draft without pause.
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = Vec::new();
    for w in 0..4 {
        let (c, stop, form) = (citizen.clone(), stop.clone(), form.clone());
        load.push(tokio::spawn(async move {
            let mut seen: Vec<Outcome> = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let got = match w % 3 {
                    0 => c.me().await.map(drop),
                    1 => c.application(id).await.map(drop),
                    _ => c.update_form(id, &form).await.map(drop),
                };
                seen.push((Instant::now(), got.map_err(|e| (e.status(), e.code()))));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            seen
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(pg.stop_server(), "PostgreSQL stops");
    // Longer than the pool waits for a connection (10 s): calls in between must fail,
    // and cleanly.
    tokio::time::sleep(Duration::from_secs(13)).await;
    assert!(pg.start_server(), "PostgreSQL starts again");
    let up = Instant::now();
    tokio::time::sleep(Duration::from_secs(6)).await;
    stop.store(true, Ordering::Relaxed);
    let mut seen = Vec::new();
    for l in load {
        seen.extend(l.await.unwrap());
    }

    let failed: Vec<_> = seen.iter().filter_map(|(_, r)| r.err()).collect();
    writeln!(
        std::io::stderr(),
        "PostgreSQL restart: {} calls, {} failed: {:?}",
        seen.len(),
        failed.len(),
        failed.iter().take(3).collect::<Vec<_>>()
    )
    .unwrap();
    assert!(
        failed
            .iter()
            .all(|f| *f == (Some(503), Some(ErrorCode::Unavailable))),
        "every failure is a retryable 503 unavailable: {failed:?}\n{}",
        server.log()
    );
    assert!(!failed.is_empty(), "the outage was seen");
    let late: Vec<_> = seen
        .iter()
        .filter(|(at, _)| *at > up + Duration::from_secs(3))
        .collect();
    assert!(!late.is_empty(), "the load went on after the restart");
    assert!(
        late.iter().all(|(_, r)| r.is_ok()),
        "recovered within 3 s of the restart: {late:?}"
    );
    assert_eq!(
        citizen.application(id).await.unwrap().form,
        form,
        "no lost data"
    );
    let ready = reqwest::get(format!("{}/readyz", server.base_url))
        .await
        .unwrap()
        .status();
    assert_eq!(ready, 200);
}

#[tokio::test]
async fn killed_with_pushes_pending_loses_none_and_repeats_only_the_one_in_flight() {
    for backend in backends() {
        // A slow push service, so that the kill finds pushes sent, in flight and waiting.
        let (base, service) = crate::push::stand_in().await;
        service.delay_ms.store(300, Ordering::Relaxed);
        let mut server = ServerProcess::start_with(
            backend,
            &[
                ("ONEWINDOW__PUSH__ALLOW_LOCAL_ENDPOINTS", "true".into()),
                ("ONEWINDOW__PUSH__POLL_MS", "100".into()),
                ("ONEWINDOW__PUSH__LEASE_SECONDS", "2".into()),
            ],
        );
        let (owner, id_number, _) = applicant(&server, None).await;
        let (subscription, secret, auth) =
            crate::push::subscription_at(format!("{base}/push/owner"));
        owner.push_subscribe(&subscription).await.unwrap();
        let item = pick_item(&owner, Audience::Individual).await;
        let officer = staff(&server, item.department.as_str()).await;
        for _ in 0..5 {
            let id = submitted(&owner, &item, &id_number).await.id;
            officer
                .transition(id, &act(CaseAction::Accept))
                .await
                .unwrap();
        }
        service.wait_for(3).await;
        server.kill();
        tokio::time::sleep(Duration::from_secs(1)).await;
        server.spawn();

        // Every notification with a delivery is delivered in the end.
        let notes: Vec<_> = notifications(&owner)
            .await
            .into_iter()
            .map(|n| n.id)
            .collect();
        let mut pushed = Vec::new();
        for &id in &notes {
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                let d = owner.deliveries(id).await.unwrap();
                if d.is_empty() {
                    break;
                }
                if d.iter().all(|d| d.status == DeliveryStatus::Delivered) {
                    pushed.push(id.0);
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "{backend:?}: {d:?}\n{}",
                    server.log()
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        assert!(pushed.len() >= 5, "the acceptances were pushed: {pushed:?}");

        // What reached the push service: each of them, and again only what was in flight
        // when the server died (the device shows it once: the same tag replaces it).
        let auth = web_push_native::Auth::clone_from_slice(&auth);
        let mut seen: Vec<i64> = service
            .wait_for(pushed.len())
            .await
            .into_iter()
            .map(|(_, body)| {
                let plain = web_push_native::decrypt(body, &secret, &auth).unwrap();
                let message: serde_json::Value = serde_json::from_slice(&plain).unwrap();
                message["id"].as_i64().unwrap()
            })
            .collect();
        seen.sort_unstable();
        let total = seen.len();
        seen.dedup();
        let mut wanted = pushed.clone();
        wanted.sort_unstable();
        writeln!(
            std::io::stderr(),
            "{backend:?}: {total} pushes for {} notifications across the kill",
            seen.len()
        )
        .unwrap();
        assert_eq!(
            seen, wanted,
            "{backend:?}: every pushed notification, no other"
        );
        assert!(
            total - seen.len() <= 1,
            "{backend:?}: {total} pushes for {} notifications",
            seen.len()
        );
    }
}

#[tokio::test]
async fn the_sweep_leaves_what_is_not_its_own_and_refuses_to_empty_the_store() {
    let mut server = ServerProcess::start(onewindow_tests::Backend::Sqlite);
    let objects = server.data_dir().join("objects");
    // What another deployment (or a server on the wrong database) would find: many files
    // under the server's prefix that no record names, and a file outside its prefixes.
    let foreign = objects.join("backups/keep-me.bin");
    std::fs::create_dir_all(foreign.parent().unwrap()).unwrap();
    std::fs::write(&foreign, b"not the server's").unwrap();
    let strays: Vec<PathBuf> = (0..12)
        .map(|i| objects.join(format!("uploads/77/{i:032x}")))
        .collect();
    std::fs::create_dir_all(strays[0].parent().unwrap()).unwrap();
    for s in &strays {
        std::fs::write(s, pdf(100)).unwrap();
    }
    server.kill();
    server.spawn();
    // The sweep runs at start; give it time to act, then nothing may be gone.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        foreign.exists(),
        "a file outside the server's prefixes is kept"
    );
    assert!(
        strays.iter().all(|s| s.exists()),
        "twelve of twelve files unnamed: the sweep deletes nothing\n{}",
        server.log()
    );
    assert!(
        server.log().contains("is this the right database"),
        "{}",
        server.log()
    );
}
