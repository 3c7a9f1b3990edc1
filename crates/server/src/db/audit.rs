//! The append-only audit trail (全程留痕): who did what to which record, and when.
//! Rows are only ever inserted; database triggers refuse updates and deletes.

use super::now_ms;
use onewindow_api::ids::{CaseId, UserId};
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

/// Appends one entry about `application` if it is awaiting a correction (补正) at this
/// point of the transaction: a change the applicant makes to a submitted case is on the
/// record, the edits of a draft are not.
pub async fn record_if_correcting<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    actor: UserId,
    action: &str,
    application: CaseId,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, subject, detail)
         SELECT $1, $2, $3, $4, $5 WHERE EXISTS
           (SELECT 1 FROM applications WHERE id = $6 AND state = 'correction_required')",
    )
    .bind(now_ms())
    .bind(actor.0)
    .bind(action)
    .bind(format!("application:{application}"))
    .bind(detail)
    .bind(application.0)
    .execute(exec)
    .await
    .map(|_| ())
}
