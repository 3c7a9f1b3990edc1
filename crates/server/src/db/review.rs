//! Parallel review (并联审批) storage: which departments a case's lead department
//! consulted, and their opinions. An opinion is given once; the audit log keeps who gave
//! it.

use super::{now_ms, Store};
use onewindow_api::application::Opinion;
use onewindow_api::ids::{CaseId, UserId};
use sqlx::Row;

/// A consulted department and its opinion, if given.
#[derive(Debug, Clone)]
pub struct OpinionRow {
    pub department: String,
    pub opinion: Option<Opinion>,
    pub note: String,
    pub requested_at: i64,
    pub answered_at: Option<i64>,
}

impl Store {
    pub async fn opinions(&self, id: CaseId) -> Result<Vec<OpinionRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT department, opinion, note, requested_at, answered_at FROM review_opinions
             WHERE application = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpinionRow {
                    department: r.try_get(0)?,
                    opinion: r
                        .try_get::<Option<String>, _>(1)?
                        .as_deref()
                        .and_then(Opinion::parse),
                    note: r.try_get(2)?,
                    requested_at: r.try_get(3)?,
                    answered_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Whether `department` was consulted on the case.
    pub async fn is_consulted(&self, id: CaseId, department: &str) -> Result<bool, sqlx::Error> {
        Ok(
            sqlx::query("SELECT 1 FROM review_opinions WHERE application = $1 AND department = $2")
                .bind(id.0)
                .bind(department)
                .fetch_optional(&self.pool)
                .await?
                .is_some(),
        )
    }

    /// How many consulted departments have not answered yet.
    pub async fn pending_opinions(&self, id: CaseId) -> Result<i64, sqlx::Error> {
        sqlx::query(
            "SELECT COUNT(*) FROM review_opinions WHERE application = $1 AND opinion IS NULL",
        )
        .bind(id.0)
        .fetch_one(&self.pool)
        .await?
        .try_get(0)
    }

    /// Records a department's opinion, once; false when it was already given (or the
    /// department was not consulted, or the case has left the review).
    pub async fn record_opinion(
        &self,
        id: CaseId,
        department: &str,
        opinion: Opinion,
        note: &str,
        actor: UserId,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE review_opinions SET opinion = $1, note = $2, answered_by = $3, answered_at = $4
             WHERE application = $5 AND department = $6 AND opinion IS NULL
               AND EXISTS (SELECT 1 FROM applications a WHERE a.id = $7 AND a.state IN ('under_review', 'suspended'))",
        )
        .bind(opinion.as_str())
        .bind(note)
        .bind(actor.0)
        .bind(now_ms())
        .bind(id.0)
        .bind(department)
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if done {
            super::audit::record(
                &mut *tx,
                Some(actor),
                "application.opinion",
                &format!("application:{id}"),
                &format!("{department}: {}", opinion.as_str()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// The ids of cases a department was consulted on, those still awaiting its opinion
    /// first, with the total.
    pub async fn consulted_cases(
        &self,
        department: &str,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<CaseId>, u64), sqlx::Error> {
        let total: i64 = sqlx::query("SELECT COUNT(*) FROM review_opinions WHERE department = $1")
            .bind(department)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let sql = format!(
            "SELECT application FROM review_opinions WHERE department = $1
             ORDER BY CASE WHEN opinion IS NULL THEN 0 ELSE 1 END, id LIMIT {per_page} OFFSET {}",
            i64::from(page.saturating_sub(1)) * i64::from(per_page)
        );
        let ids = sqlx::query(&sql)
            .bind(department)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(CaseId(r.try_get(0)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((ids, total.max(0) as u64))
    }
}
