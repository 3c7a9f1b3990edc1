//! Live notifications: each instance polls the shared outbox for rows written in the last
//! seconds (by itself or by any other instance on the same database) and wakes the
//! streams of their users; a woken stream reads what it has not sent yet. Streams end
//! when the server shuts down, so that a graceful shutdown is not held up by them.

use crate::state::AppState;
use onewindow_api::ids::UserId;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// How far back the poller and the streams look for rows committed late (a transaction
/// that took its id before another but committed after it).
pub const LATE_COMMIT_MS: i64 = 30_000;

/// Wake-ups of connected streams, and the shutdown signal that ends them.
#[derive(Debug)]
pub struct Hub {
    wake: broadcast::Sender<UserId>,
    closing: watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Hub {
        Hub {
            wake: broadcast::channel(1024).0,
            closing: watch::channel(false).0,
        }
    }
}

impl Hub {
    pub fn subscribe(&self) -> broadcast::Receiver<UserId> {
        self.wake.subscribe()
    }

    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Ends every stream.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Makes the user's streams on this instance look now (for new rows, and whether
    /// their session still holds).
    pub fn wake(&self, user: UserId) {
        // No receiver means no stream is connected: nothing to do.
        let _ = self.wake.send(user);
    }
}

/// Polls the outbox every `interval` and wakes the users of rows not seen before.
pub async fn poll(state: AppState, interval: Duration) {
    let mut seen: HashMap<i64, i64> = HashMap::new();
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let since = crate::db::now_ms() - LATE_COMMIT_MS;
        match state.store.recent_notifications(since).await {
            Ok(rows) => {
                for (id, user, created) in rows {
                    if seen.insert(id, created).is_none() {
                        state.hub.wake(user);
                    }
                }
                seen.retain(|_, created| *created > since);
            }
            Err(e) => tracing::warn!(error = %e, "polling the notification outbox failed"),
        }
    }
}
