//! Ratings and rectifications. A rating is inserted once per subject (a unique key) and
//! never changed (triggers refuse it); a bad one opens its rectification in the same
//! transaction. Answers and verdicts move the rectification with conditional updates and
//! append to its thread.

use super::notifications::{self, NewNotification};
use super::{now_ms, rfc3339, Arg, Store};
use onewindow_api::ids::{BookingId, CaseId, RatingId, UserId};
use onewindow_api::rating::{
    DimensionScore, RatingSubject, Rectification, RectificationEntry, RectificationState,
    RectificationStep, Satisfaction,
};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A stored rating.
#[derive(Debug, Clone)]
pub struct RatingRow {
    pub id: RatingId,
    pub subject: RatingSubject,
    pub citizen: UserId,
    pub department: String,
    pub item: String,
    pub level: Satisfaction,
    pub dimensions: Vec<DimensionScore>,
    pub comment: String,
    pub created_at: i64,
}

/// A rating to record.
#[derive(Debug)]
pub struct NewRating<'a> {
    pub subject: RatingSubject,
    pub citizen: UserId,
    pub department: &'a str,
    pub item: &'a str,
    pub level: Satisfaction,
    pub dimensions: &'a [DimensionScore],
    pub comment: &'a str,
}

/// The stored form of a subject.
pub fn subject_key(s: RatingSubject) -> (&'static str, i64) {
    match s {
        RatingSubject::Case(id) => ("case", id.0),
        RatingSubject::Booking(id) => ("booking", id.0),
    }
}

const COLUMNS: &str =
    "id, subject_kind, subject_id, citizen, department, item, level, dimensions, comment, created_at";

fn from_row(r: &AnyRow) -> Result<RatingRow, sqlx::Error> {
    let bad = |what: String| sqlx::Error::Decode(what.into());
    let kind: String = r.try_get(1)?;
    let subject_id: i64 = r.try_get(2)?;
    let subject = match kind.as_str() {
        "case" => RatingSubject::Case(CaseId(subject_id)),
        "booking" => RatingSubject::Booking(BookingId(subject_id)),
        other => return Err(bad(format!("unknown rating subject {other}"))),
    };
    let level: i64 = r.try_get(6)?;
    Ok(RatingRow {
        id: RatingId(r.try_get(0)?),
        subject,
        citizen: UserId(r.try_get(3)?),
        department: r.try_get(4)?,
        item: r.try_get(5)?,
        level: Satisfaction::from_score(level).ok_or_else(|| bad(format!("level {level}")))?,
        dimensions: serde_json::from_str(&r.try_get::<String, _>(7)?)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        comment: r.try_get(8)?,
        created_at: r.try_get(9)?,
    })
}

impl Store {
    /// Records a rating (and, for a bad one, opens its rectification); None if the
    /// subject was rated already.
    pub async fn rate(&self, n: &NewRating<'_>) -> Result<Option<RatingId>, sqlx::Error> {
        let (kind, subject) = subject_key(n.subject);
        let dimensions =
            serde_json::to_string(n.dimensions).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let now = now_ms();
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO ratings (subject_kind, subject_id, citizen, department, item, level, dimensions, comment, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(kind)
        .bind(subject)
        .bind(n.citizen.0)
        .bind(n.department)
        .bind(n.item)
        .bind(i64::from(n.level.score()))
        .bind(dimensions)
        .bind(n.comment)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let id = match inserted {
            Ok(row) => RatingId(row.try_get(0)?),
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => return Ok(None),
            Err(e) => return Err(e),
        };
        if n.level.is_bad() {
            sqlx::query(
                "INSERT INTO rectifications (rating, department, state, opened_at, updated_at)
                 VALUES ($1, $2, 'open', $3, $4)",
            )
            .bind(id.0)
            .bind(n.department)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        super::audit::record(
            &mut *tx,
            Some(n.citizen),
            "rating.create",
            &format!("{kind}:{subject}"),
            &format!("level {}", n.level.score()),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    pub async fn rating(&self, id: RatingId) -> Result<Option<RatingRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM ratings WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn rating_of(&self, s: RatingSubject) -> Result<Option<RatingRow>, sqlx::Error> {
        let (kind, subject) = subject_key(s);
        let sql =
            format!("SELECT {COLUMNS} FROM ratings WHERE subject_kind = $1 AND subject_id = $2");
        let row = sqlx::query(&sql)
            .bind(kind)
            .bind(subject)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// A citizen's ratings, newest first.
    pub async fn ratings_of(&self, citizen: UserId) -> Result<Vec<RatingRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM ratings WHERE citizen = $1 ORDER BY id DESC");
        let rows = sqlx::query(&sql)
            .bind(citizen.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// The rectification of a rating with its thread, if it has one.
    pub async fn rectification(
        &self,
        rating: RatingId,
    ) -> Result<Option<Rectification>, sqlx::Error> {
        let Some(row) = sqlx::query("SELECT state FROM rectifications WHERE rating = $1")
            .bind(rating.0)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let state: String = row.try_get(0)?;
        let state = RectificationState::parse(&state)
            .ok_or_else(|| sqlx::Error::Decode(format!("state {state}").into()))?;
        let rows = sqlx::query(
            "SELECT step, text, at FROM rectification_entries WHERE rating = $1 ORDER BY id",
        )
        .bind(rating.0)
        .fetch_all(&self.pool)
        .await?;
        let entries = rows
            .iter()
            .map(|r| {
                let step: String = r.try_get(0)?;
                Ok(RectificationEntry {
                    step: RectificationStep::parse(&step)
                        .ok_or_else(|| sqlx::Error::Decode(format!("step {step}").into()))?,
                    text: r.try_get(1)?,
                    at: rfc3339(r.try_get(2)?),
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(Some(Rectification { state, entries }))
    }

    /// The rated items with rectifications of a department (or of all, for `None`), in
    /// a state or any, oldest first (the longest waiting on top), with the total.
    pub async fn rectifications(
        &self,
        department: Option<&str>,
        state: Option<RectificationState>,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<RatingRow>, u64), sqlx::Error> {
        let filter = "($1 = '' OR x.department = $1) AND ($2 = '' OR x.state = $2)";
        let args = [
            Arg::Text(department.unwrap_or("")),
            Arg::Text(state.map_or("", |s| s.as_str())),
        ];
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("r.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let from = "rectifications x JOIN ratings r ON r.id = x.rating";
        self.page(
            &columns,
            from,
            filter,
            "x.updated_at, x.rating",
            &args,
            (page, per_page),
            from_row,
        )
        .await
    }

    /// Moves a rectification from `from` to `to`, appends the step to its thread and
    /// writes `note` to the outbox, atomically; false if it was not in `from`.
    pub async fn rectify(
        &self,
        rating: RatingId,
        change: (RectificationState, RectificationState, RectificationStep),
        actor: UserId,
        text: &str,
        note: Option<&NewNotification>,
    ) -> Result<bool, sqlx::Error> {
        let (from, to, step) = change;
        let now = now_ms();
        let mut tx = self.write().await?;
        let moved = sqlx::query(
            "UPDATE rectifications SET state = $1, updated_at = $2 WHERE rating = $3 AND state = $4",
        )
        .bind(to.as_str())
        .bind(now)
        .bind(rating.0)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !moved {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO rectification_entries (rating, step, actor, text, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(rating.0)
        .bind(step.as_str())
        .bind(actor.0)
        .bind(text)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        super::audit::record(
            &mut *tx,
            Some(actor),
            &format!("rectification.{}", step.as_str()),
            &format!("rating:{rating}"),
            "",
        )
        .await?;
        if let Some(note) = note {
            notifications::write(&mut tx, note).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
