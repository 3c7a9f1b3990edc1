//! The shell's two background tasks, started at launch and running for the app's life:
//! keeping it usable offline (the search corpus, drafts saved offline) and following the
//! signed-in user's live stream into the page and the OS's notifications. The logic they
//! drive is in `bridge`, `outbox`, `live` and `os_notify`.

use crate::error::IpcError;
use crate::{bridge, live, os_notify, outbox, AppSession};
use tauri::Manager;

/// How often drafts saved offline are tried again while nothing else reaches the server.
const SYNC_EVERY: std::time::Duration = std::time::Duration::from_secs(3);
/// How often the search corpus is fetched again for offline search, and how soon after
/// a failure.
const CORPUS_EVERY: std::time::Duration = std::time::Duration::from_secs(6 * 3600);
const CORPUS_RETRY: std::time::Duration = std::time::Duration::from_secs(60);

/// The background task that keeps the app usable offline: it keeps the search corpus
/// of the current server (for searching offline), and sends drafts saved offline,
/// whenever the server answers again and every few seconds while some wait. What went,
/// and what the server refused, goes to the page as the `drafts_synced` event.
pub async fn offline_upkeep(app: tauri::AppHandle) {
    use tauri::Emitter;
    // The server whose corpus was fetched, and when the next fetch is due.
    let mut corpus: Option<(String, std::time::Instant)> = None;
    loop {
        let state = app.state::<AppSession>();
        tokio::select! {
            () = tokio::time::sleep(SYNC_EVERY) => {}
            () = state.reachable.notified() => {}
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
            continue;
        };
        let Ok(Some(token)) = c.token().await else {
            continue;
        };
        let synced = bridge::replay(&c.http, &token, c.cache.as_ref(), &outbox).await;
        if synced != outbox::Synced::default() {
            if let Err(e) = app.emit("drafts_synced", &synced) {
                eprintln!("onewindow: the page was not told of the drafts sent: {e}");
            }
        }
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
            ended = live::follow_once(&http, f, || attempt = 0, |n| os_notify::deliver(&app, n)) => Some(ended),
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
