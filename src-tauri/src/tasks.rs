//! The shell's two background tasks, started at launch and running for the app's life:
//! keeping it usable offline (the search corpus, the offline cache's pruning, drafts
//! saved offline) and following the signed-in user's live stream into the page and the
//! OS's notifications. The logic they drive is in `bridge`, `cache`, `outbox`, `live`
//! and `os_notify`.

use crate::error::IpcError;
use crate::{bridge, cache, live, os_notify, outbox, AppSession};
use tauri::Manager;

/// How often the task looks for drafts saved offline, and whether the corpus is due.
const LOOK_EVERY: std::time::Duration = std::time::Duration::from_secs(3);
/// How often the search corpus is fetched again for offline search, and how soon after
/// a failure.
const CORPUS_EVERY: std::time::Duration = std::time::Duration::from_secs(6 * 3600);
const CORPUS_RETRY: std::time::Duration = std::time::Duration::from_secs(60);
/// How often the offline cache is pruned (also once at launch).
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// The background task that keeps the app usable offline: it keeps the search corpus
/// of the current server (for searching offline), prunes the offline cache, and sends
/// the signed-in account's drafts saved offline. They go at once when the server answers
/// again (a page's call or the live stream tells), else on the next try, which backs
/// off while the server cannot take them (`outbox::retry_after`). What went, and what
/// the server refused, goes to the page as the `drafts_synced` event.
pub async fn offline_upkeep(app: tauri::AppHandle) {
    use tauri::Emitter;
    // The server whose corpus was fetched, and when the next fetch is due.
    let mut corpus: Option<(String, std::time::Instant)> = None;
    let mut pruned: Option<std::time::Instant> = None;
    // Replays in a row that the server did not take, and when the next may go.
    let mut failures = 0u32;
    let mut next_replay = std::time::Instant::now();
    loop {
        let state = app.state::<AppSession>();
        if pruned.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
            pruned = Some(std::time::Instant::now());
            if let Some(dir) = state.data_dir.clone() {
                prune(dir).await;
            }
        }
        tokio::select! {
            () = tokio::time::sleep(LOOK_EVERY) => {}
            () = state.reachable.notified() => {
                failures = 0;
                next_replay = std::time::Instant::now();
            }
        }
        let Ok(c) = state.connection() else {
            continue;
        };
        let due = corpus
            .as_ref()
            .is_none_or(|(server, next)| *server != c.server || *next <= std::time::Instant::now());
        if let (true, Some(cache)) = (due, c.cache.as_ref()) {
            let wait = match bridge::prefetch_corpus(&c.http, cache).await {
                Ok(()) => CORPUS_EVERY,
                Err(_) => CORPUS_RETRY,
            };
            corpus = Some((c.server.clone(), std::time::Instant::now() + wait));
        }
        let Some(outbox) = c.outbox.clone().filter(|o| !o.is_empty()) else {
            failures = 0;
            continue;
        };
        if std::time::Instant::now() < next_replay {
            continue;
        }
        let Ok(Some(token)) = c.token().await else {
            continue;
        };
        // Only this account's saves count: another account's wait for its own sign-in.
        let account = c
            .cache
            .as_ref()
            .and_then(|cache| cache.account(Some(&token)));
        if account.is_some_and(|me| outbox.pending(me.id).is_empty()) {
            failures = 0;
            continue;
        }
        let replayed = bridge::replay(&c.http, &token, c.cache.as_ref(), &outbox).await;
        failures = if replayed.stalled {
            failures.saturating_add(1)
        } else {
            0
        };
        next_replay = std::time::Instant::now() + outbox::retry_after(failures);
        if replayed.synced != outbox::Synced::default() {
            if let Err(e) = app.emit("drafts_synced", &replayed.synced) {
                eprintln!("onewindow: the page was not told of the drafts sent: {e}");
            }
        }
    }
}

/// Prunes the offline cache under `data_dir` (see `cache::prune`), off the runtime.
async fn prune(data_dir: std::path::PathBuf) {
    let pruned = tokio::task::spawn_blocking(move || {
        cache::prune(
            &data_dir.join("cache"),
            &cache::Limits::default(),
            std::time::SystemTime::now(),
        )
    })
    .await;
    match pruned {
        Ok(report) if report.removed > 0 => eprintln!(
            "onewindow: the offline cache was pruned: {} answers removed, {} bytes kept",
            report.removed, report.kept_bytes
        ),
        Ok(_) => {}
        Err(e) => eprintln!("onewindow: the offline cache was not pruned: {e}"),
    }
}

/// The background task of the live stream: follows the signed-in user's stream for as
/// long as the app runs, reconnecting with backoff and resuming after the last id, and
/// starting over whenever the server or the user changes.
pub async fn follow_live(app: tauri::AppHandle) {
    let http = live::stream_client();
    let mut follow: Option<live::Follow> = None;
    let mut attempt = 0u32;
    loop {
        let state = app.state::<AppSession>();
        let target = match state.connection() {
            Ok(c) => c
                .token()
                .await
                .map(|token| token.map(|token| (c.server.clone(), token))),
            Err(e) => Err(e),
        };
        let (server, token) = match target {
            Ok(Some(target)) => target,
            // No server or nobody signed in: wait until that changes.
            Ok(None) | Err(IpcError::NoServer) => {
                follow = None;
                state.changed.notified().await;
                continue;
            }
            // The keychain failed (e.g. locked): try again later, not only on sign-in.
            Err(e) => {
                let wait = live::backoff(attempt);
                attempt = attempt.saturating_add(1);
                eprintln!(
                    "onewindow: the live stream waits for the keychain ({e}); again in {wait:?}"
                );
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = state.changed.notified() => {}
                }
                continue;
            }
        };
        let same = follow
            .as_ref()
            .is_some_and(|f| f.server == server && f.token == token);
        if !same {
            attempt = 0;
            follow = Some(live::Follow {
                server,
                token,
                last_id: None,
            });
        }
        let Some(f) = follow.as_mut() else {
            continue;
        };
        let ended = tokio::select! {
            ended = live::follow_once(&http, f, || {
                attempt = 0;
                // The server answers again: drafts saved offline may go now.
                state.reachable.notify_one();
            }, |n| os_notify::deliver(&app, n)) => Some(ended),
            () = state.changed.notified() => None,
        };
        match ended {
            // The server or the user changed: follow the new one at once.
            None => {}
            Some(live::Ended::SignedOut) => state.changed.notified().await,
            Some(live::Ended::Dropped(why)) => {
                let wait = live::backoff(attempt);
                attempt = attempt.saturating_add(1);
                eprintln!("onewindow: the live stream dropped ({why}); again in {wait:?}");
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = state.changed.notified() => {}
                }
            }
        }
    }
}
