//! Counts of failed logins and progress lookups per key hash (see `limiter`).

use super::Store;
use sqlx::Row;

impl Store {
    /// The failures counted for `key_hash` and when their window started, if any.
    pub async fn login_failures(&self, key_hash: &str) -> Result<Option<(i64, i64)>, sqlx::Error> {
        let row =
            sqlx::query("SELECT failures, window_start FROM login_failures WHERE key_hash = $1")
                .bind(key_hash)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// Counts one failure of `key_hash` at `now`: in its window, or in a new one when
    /// the last is over (`window` ms long); rows whose window is over go.
    pub async fn count_login_failure(
        &self,
        key_hash: &str,
        now: i64,
        window: i64,
    ) -> Result<(), sqlx::Error> {
        let over = now.saturating_sub(window);
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM login_failures WHERE window_start <= $1 AND key_hash <> $2")
            .bind(over)
            .bind(key_hash)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO login_failures (key_hash, failures, window_start) VALUES ($1, 1, $2)
             ON CONFLICT (key_hash) DO UPDATE SET
               failures = CASE WHEN login_failures.window_start <= $3 THEN 1
                               ELSE login_failures.failures + 1 END,
               window_start = CASE WHEN login_failures.window_start <= $4 THEN $5
                                   ELSE login_failures.window_start END",
        )
        .bind(key_hash)
        .bind(now)
        .bind(over)
        .bind(over)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Forgets the failures of `key_hash`.
    pub async fn clear_login_failures(&self, key_hash: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM login_failures WHERE key_hash = $1")
            .bind(key_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
}
