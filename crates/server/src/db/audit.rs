//! The append-only audit trail (全程留痕): who did what to which record, and when.
//! Rows are only ever inserted; database triggers refuse updates and deletes.

use super::now_ms;
use onewindow_api::ids::UserId;
use sqlx::{Any, Executor};

/// Appends one entry. `detail` must never contain an ID number in clear.
pub async fn record<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    actor: Option<UserId>,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now_ms())
    .bind(actor.map(|a| a.0))
    .bind(action)
    .bind(subject)
    .bind(detail)
    .execute(exec)
    .await
    .map(|_| ())
}
