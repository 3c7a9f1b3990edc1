//! The rate limiter of failed logins and progress lookups, agent grants and
//! registrations: attempts counted per key (an account's login, an account, or a client
//! address) in a fixed window from the first one counted. The
//! counts are in the database, so every instance on it shares them: guessing is bounded
//! by the limit, however many instances there are. Keys are stored as SHA-256 hashes
//! (a login may be an ID number), and a key's row goes once its window is over.

use crate::db::{now_ms, Store};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct LoginLimiter {
    store: Store,
    max_failures: u32,
    window: Duration,
}

impl LoginLimiter {
    pub fn new(store: Store, max_failures: u32, window: Duration) -> LoginLimiter {
        LoginLimiter {
            store,
            max_failures,
            window,
        }
    }

    fn window_ms(&self) -> i64 {
        i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX)
    }

    /// `Ok(Err(seconds))` while `key` has used up `factor` × the limit of failures in
    /// its current window: the seconds until that window ends.
    pub async fn check(&self, key: &str, factor: u32) -> Result<Result<(), u64>, sqlx::Error> {
        let Some((failures, start)) = self.store.login_failures(&hash(key)).await? else {
            return Ok(Ok(()));
        };
        let elapsed = now_ms().saturating_sub(start);
        let limit = i64::from(self.max_failures.saturating_mul(factor));
        if failures >= limit && elapsed < self.window_ms() {
            let left = (self.window_ms() - elapsed) / 1000;
            return Ok(Err(u64::try_from(left).unwrap_or(0).max(1)));
        }
        Ok(Ok(()))
    }

    /// Counts a failure of `key`. A failure to count it is logged (without the key) and
    /// does not change the answer the caller gives.
    pub async fn fail(&self, key: &str) {
        if let Err(e) = self
            .store
            .count_login_failure(&hash(key), now_ms(), self.window_ms())
            .await
        {
            tracing::warn!(error = %e, "a failed attempt was not counted");
        }
    }

    /// Forgets `key`'s failures (a successful login).
    pub async fn succeed(&self, key: &str) {
        if let Err(e) = self.store.clear_login_failures(&hash(key)).await {
            tracing::warn!(error = %e, "failed attempts were not cleared");
        }
    }
}

/// A key as stored: SHA-256, hex.
fn hash(key: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn limiter_blocks_after_the_limit_for_every_instance() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/limits.db?mode=rwc", dir.path().display());
        let one = LoginLimiter::new(
            Store::connect(&url, 1).await.unwrap(),
            2,
            Duration::from_secs(60),
        );
        // Another instance on the same database.
        let two = LoginLimiter::new(
            Store::connect(&url, 1).await.unwrap(),
            2,
            Duration::from_secs(60),
        );
        one.fail("k").await;
        assert_eq!(two.check("k", 1).await.unwrap(), Ok(()));
        two.fail("k").await;
        let refused = one.check("k", 1).await.unwrap();
        assert!(
            matches!(refused, Err(s) if (59..=60).contains(&s)),
            "{refused:?}"
        );
        assert_eq!(one.check("k", 2).await.unwrap(), Ok(()));
        assert_eq!(one.check("other", 1).await.unwrap(), Ok(()));
        one.succeed("k").await;
        assert_eq!(two.check("k", 1).await.unwrap(), Ok(()));
    }

    #[tokio::test]
    async fn a_window_that_is_over_starts_again() {
        let store = Store::connect("sqlite::memory:", 1).await.unwrap();
        let l = LoginLimiter::new(store, 1, Duration::from_millis(300));
        l.fail("k").await;
        assert!(l.check("k", 1).await.unwrap().is_err());
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(l.check("k", 1).await.unwrap(), Ok(()));
        // The next failure opens a new window with one failure, not two.
        l.fail("k").await;
        assert!(l.check("k", 1).await.unwrap().is_err());
        let (failures, _) = l.store.login_failures(&hash("k")).await.unwrap().unwrap();
        assert_eq!(failures, 1);
    }
}
