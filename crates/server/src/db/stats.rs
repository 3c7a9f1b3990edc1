//! The raw figures of the public statistics, per department, over a period: submissions,
//! decided cases (with their acceptance and promised days, for the clock), ratings by
//! level, and appointments by state.

use super::Store;
use onewindow_api::ids::CaseId;
use sqlx::Row;
use std::collections::HashMap;

/// A case decided in the period.
#[derive(Debug, Clone)]
pub struct DecidedCase {
    pub id: CaseId,
    pub department: String,
    pub accepted_at: Option<i64>,
    pub decided_at: i64,
    pub promised_days: u32,
}

fn count(r: &sqlx::any::AnyRow, i: usize) -> Result<u64, sqlx::Error> {
    Ok(r.try_get::<i64, _>(i)?.max(0) as u64)
}

impl Store {
    /// Applications submitted within `[from, to)` (ms), per department.
    pub async fn received_per_department(
        &self,
        from: i64,
        to: i64,
    ) -> Result<HashMap<String, u64>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT a.department, COUNT(DISTINCT a.id) FROM application_events e
             JOIN applications a ON a.id = e.application
             WHERE e.action = 'submit' AND e.at >= $1 AND e.at < $2 GROUP BY a.department",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, count(r, 1)?)))
            .collect()
    }

    /// Applications decided within `[from, to)` (ms).
    pub async fn decided_between(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<DecidedCase>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, department, accepted_at, decided_at, promised_days FROM applications
             WHERE decided_at >= $1 AND decided_at < $2 ORDER BY id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DecidedCase {
                    id: CaseId(r.try_get(0)?),
                    department: r.try_get(1)?,
                    accepted_at: r.try_get(2)?,
                    decided_at: r.try_get(3)?,
                    promised_days: r.try_get::<i64, _>(4)?.clamp(0, i64::from(u32::MAX)) as u32,
                })
            })
            .collect()
    }

    /// Ratings given within `[from, to)` (ms): (department, level 1–5, count).
    pub async fn ratings_per_department(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(String, i64, u64)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT department, level, COUNT(*) FROM ratings
             WHERE created_at >= $1 AND created_at < $2 GROUP BY department, level",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, count(r, 2)?)))
            .collect()
    }

    /// Appointments (not cancelled) starting within `[from, to)` (local times as stored):
    /// (department of the item, state, count).
    pub async fn bookings_per_department(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, String, u64)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT i.department, b.state, COUNT(*) FROM bookings b JOIN items i ON i.code = b.item
             WHERE b.start_at >= $1 AND b.start_at < $2 AND b.state <> 'cancelled'
             GROUP BY i.department, b.state",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, count(r, 2)?)))
            .collect()
    }
}
