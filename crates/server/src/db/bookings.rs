//! Booking storage. Taking a seat in a slot is one conditional `UPDATE … WHERE booked <
//! capacity` in the same transaction as the booking row, and one active booking per
//! citizen and item is a unique partial index: the database, not a check-then-insert,
//! keeps both rules under any concurrency.

use super::{now_ms, Store};
use chrono::NaiveDateTime;
use onewindow_api::booking::BookingState;
use onewindow_api::ids::{BookingId, CaseId, UserId};
use sqlx::any::AnyRow;
use sqlx::Row;

/// The stored form of a local slot time.
pub fn slot_key(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn parse_slot(s: &str) -> Result<NaiveDateTime, sqlx::Error> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A stored booking.
#[derive(Debug, Clone)]
pub struct BookingRow {
    pub id: BookingId,
    pub code: String,
    pub citizen: UserId,
    pub item: String,
    pub hall: String,
    pub window: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub state: BookingState,
    pub application: Option<CaseId>,
    pub created_at: i64,
    pub ticket: Option<String>,
}

const COLUMNS: &str =
    "id, code, citizen, item, hall, window_code, start_at, end_at, state, application, created_at, ticket";

fn from_row(r: &AnyRow) -> Result<BookingRow, sqlx::Error> {
    let state: String = r.try_get(8)?;
    Ok(BookingRow {
        id: BookingId(r.try_get(0)?),
        code: r.try_get(1)?,
        citizen: UserId(r.try_get(2)?),
        item: r.try_get(3)?,
        hall: r.try_get(4)?,
        window: r.try_get(5)?,
        start: parse_slot(&r.try_get::<String, _>(6)?)?,
        end: parse_slot(&r.try_get::<String, _>(7)?)?,
        state: BookingState::parse(&state)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown state {state}").into()))?,
        application: r.try_get::<Option<i64>, _>(9)?.map(CaseId),
        created_at: r.try_get(10)?,
        ticket: r.try_get(11)?,
    })
}

/// A booking to make.
#[derive(Debug)]
pub struct NewBooking<'a> {
    pub code: &'a str,
    pub citizen: UserId,
    pub item: &'a str,
    pub hall: &'a str,
    pub window: &'a str,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub capacity: u32,
    pub idempotency_key: &'a str,
    pub application: Option<CaseId>,
}

/// Why a booking was not made.
#[derive(Debug)]
pub enum BookError {
    /// The slot has no seat left.
    Full,
    /// The citizen already has an active booking for this item.
    AlreadyBooked,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for BookError {
    fn from(e: sqlx::Error) -> Self {
        BookError::Db(e)
    }
}

impl Store {
    /// The booking a citizen made with this idempotency key, if any.
    pub async fn booking_by_key(
        &self,
        citizen: UserId,
        key: &str,
    ) -> Result<Option<BookingRow>, sqlx::Error> {
        let sql =
            format!("SELECT {COLUMNS} FROM bookings WHERE citizen = $1 AND idempotency_key = $2");
        let row = sqlx::query(&sql)
            .bind(citizen.0)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn booking(&self, id: BookingId) -> Result<Option<BookingRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM bookings WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// A citizen's bookings, soonest first.
    pub async fn bookings_of(&self, citizen: UserId) -> Result<Vec<BookingRow>, sqlx::Error> {
        let sql =
            format!("SELECT {COLUMNS} FROM bookings WHERE citizen = $1 ORDER BY start_at, id");
        let rows = sqlx::query(&sql)
            .bind(citizen.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Booked seats per (window, start) of a hall between two local times.
    pub async fn slot_counts(
        &self,
        hall: &str,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<Vec<(String, NaiveDateTime, u32)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT window_code, start_at, booked FROM slot_counts
             WHERE hall = $1 AND start_at >= $2 AND start_at <= $3",
        )
        .bind(hall)
        .bind(slot_key(from))
        .bind(slot_key(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    parse_slot(&r.try_get::<String, _>(1)?)?,
                    r.try_get::<i64, _>(2)?.clamp(0, i64::from(u32::MAX)) as u32,
                ))
            })
            .collect()
    }

    /// Takes a seat and records the booking, atomically.
    pub async fn book(&self, b: &NewBooking<'_>) -> Result<BookingId, BookError> {
        let mut tx = self.pool.begin().await?;
        let start = slot_key(b.start);
        sqlx::query(
            "INSERT INTO slot_counts (hall, window_code, start_at, capacity, booked)
             VALUES ($1, $2, $3, $4, 0) ON CONFLICT (hall, window_code, start_at) DO NOTHING",
        )
        .bind(b.hall)
        .bind(b.window)
        .bind(&start)
        .bind(i64::from(b.capacity))
        .execute(&mut *tx)
        .await?;
        let seated = sqlx::query(
            "UPDATE slot_counts SET booked = booked + 1
             WHERE hall = $1 AND window_code = $2 AND start_at = $3 AND booked < capacity",
        )
        .bind(b.hall)
        .bind(b.window)
        .bind(&start)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !seated {
            return Err(BookError::Full);
        }
        let now = now_ms();
        let inserted = sqlx::query(
            "INSERT INTO bookings (code, citizen, item, hall, window_code, start_at, end_at, state,
               idempotency_key, application, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10, $11) RETURNING id",
        )
        .bind(b.code)
        .bind(b.citizen.0)
        .bind(b.item)
        .bind(b.hall)
        .bind(b.window)
        .bind(&start)
        .bind(slot_key(b.end))
        .bind(b.idempotency_key)
        .bind(b.application.map(|a| a.0))
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let id = match inserted {
            Ok(row) => BookingId(row.try_get(0)?),
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                // The transaction rolls back when dropped: the seat is given back.
                return Err(BookError::AlreadyBooked);
            }
            Err(e) => return Err(e.into()),
        };
        super::audit::record(
            &mut *tx,
            Some(b.citizen),
            "booking.create",
            &format!("booking:{}", id.0),
            &format!("{} {} {}", b.hall, b.window, start),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Cancels an active booking and gives its seat back; false if it was not active.
    pub async fn cancel_booking(&self, id: BookingId, actor: UserId) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE bookings SET state = 'cancelled', updated_at = $1 WHERE id = $2 AND state = 'active'
             RETURNING hall, window_code, start_at",
        )
        .bind(now_ms())
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let (hall, window, start): (String, String, String) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        sqlx::query(
            "UPDATE slot_counts SET booked = booked - 1
             WHERE hall = $1 AND window_code = $2 AND start_at = $3 AND booked > 0",
        )
        .bind(&hall)
        .bind(&window)
        .bind(&start)
        .execute(&mut *tx)
        .await?;
        super::audit::record(
            &mut *tx,
            Some(actor),
            "booking.cancel",
            &format!("booking:{}", id.0),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Moves an active booking to another slot in one transaction: the new seat is taken
    /// first (or nothing changes), then the booking moves, then the old seat is freed.
    pub async fn reschedule(
        &self,
        id: BookingId,
        to: (&str, &str, NaiveDateTime, NaiveDateTime),
        capacity: u32,
        actor: UserId,
    ) -> Result<bool, BookError> {
        let (hall, window, start, end) = to;
        let Some(old) = self.booking(id).await? else {
            return Ok(false);
        };
        let mut tx = self.pool.begin().await?;
        let new_start = slot_key(start);
        sqlx::query(
            "INSERT INTO slot_counts (hall, window_code, start_at, capacity, booked)
             VALUES ($1, $2, $3, $4, 0) ON CONFLICT (hall, window_code, start_at) DO NOTHING",
        )
        .bind(hall)
        .bind(window)
        .bind(&new_start)
        .bind(i64::from(capacity))
        .execute(&mut *tx)
        .await?;
        let seated = sqlx::query(
            "UPDATE slot_counts SET booked = booked + 1
             WHERE hall = $1 AND window_code = $2 AND start_at = $3 AND booked < capacity",
        )
        .bind(hall)
        .bind(window)
        .bind(&new_start)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !seated {
            return Err(BookError::Full);
        }
        let moved = sqlx::query(
            "UPDATE bookings SET hall = $1, window_code = $2, start_at = $3, end_at = $4, updated_at = $5
             WHERE id = $6 AND state = 'active' AND hall = $7 AND window_code = $8 AND start_at = $9",
        )
        .bind(hall)
        .bind(window)
        .bind(&new_start)
        .bind(slot_key(end))
        .bind(now_ms())
        .bind(id.0)
        .bind(&old.hall)
        .bind(&old.window)
        .bind(slot_key(old.start))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !moved {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE slot_counts SET booked = booked - 1
             WHERE hall = $1 AND window_code = $2 AND start_at = $3 AND booked > 0",
        )
        .bind(&old.hall)
        .bind(&old.window)
        .bind(slot_key(old.start))
        .execute(&mut *tx)
        .await?;
        super::audit::record(
            &mut *tx,
            Some(actor),
            "booking.reschedule",
            &format!("booking:{}", id.0),
            &format!("{} {} {new_start}", hall, window),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn booking_by_code(&self, code: &str) -> Result<Option<BookingRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM bookings WHERE code = $1");
        let row = sqlx::query(&sql)
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Checks an active booking in and gives it the next queue ticket of its hall's day;
    /// false if it was not active.
    pub async fn check_in(
        &self,
        id: BookingId,
        hall: &str,
        window: &str,
        day: &str,
        actor: UserId,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO ticket_counters (hall, day, next) VALUES ($1, $2, 0)
             ON CONFLICT (hall, day) DO NOTHING",
        )
        .bind(hall)
        .bind(day)
        .execute(&mut *tx)
        .await?;
        let n: i64 = sqlx::query(
            "UPDATE ticket_counters SET next = next + 1 WHERE hall = $1 AND day = $2 RETURNING next",
        )
        .bind(hall)
        .bind(day)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let ticket = format!("{window}-{n:03}");
        let done = sqlx::query(
            "UPDATE bookings SET state = 'checked_in', ticket = $1, checked_in_at = $2, updated_at = $3
             WHERE id = $4 AND state = 'active'",
        )
        .bind(&ticket)
        .bind(now_ms())
        .bind(now_ms())
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !done {
            return Ok(false);
        }
        super::audit::record(
            &mut *tx,
            Some(actor),
            "booking.check_in",
            &format!("booking:{}", id.0),
            &ticket,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Marks an active booking as not attended; false if it was not active.
    pub async fn no_show(&self, id: BookingId, actor: UserId) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE bookings SET state = 'no_show', updated_at = $1 WHERE id = $2 AND state = 'active'",
        )
        .bind(now_ms())
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if done {
            super::audit::record(
                &mut *tx,
                Some(actor),
                "booking.no_show",
                &format!("booking:{}", id.0),
                "",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// A hall's bookings that start within [from, to), by start time.
    pub async fn hall_bookings(
        &self,
        hall: &str,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<Vec<BookingRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLUMNS} FROM bookings WHERE hall = $1 AND start_at >= $2 AND start_at < $3
             ORDER BY start_at, window_code, id"
        );
        let rows = sqlx::query(&sql)
            .bind(hall)
            .bind(slot_key(from))
            .bind(slot_key(to))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Records a blocked period.
    pub async fn add_block(
        &self,
        b: &onewindow_api::booking::BlockRequest,
        actor: UserId,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO blocked_periods (hall, window_code, start_at, end_at, reason, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(b.hall.as_str())
        .bind(b.window.as_deref())
        .bind(slot_key(b.start))
        .bind(slot_key(b.end))
        .bind(b.reason.trim())
        .bind(actor.0)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        super::audit::record(
            &mut *tx,
            Some(actor),
            "hall.block",
            &format!("hall:{}", b.hall),
            &format!("{:?} {} {}", b.window, slot_key(b.start), slot_key(b.end)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The blocked periods of a hall that have not ended by `after`.
    pub async fn blocks(
        &self,
        hall: &str,
        after: NaiveDateTime,
    ) -> Result<Vec<onewindow_api::slots::BlockedPeriod>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT window_code, start_at, end_at FROM blocked_periods WHERE hall = $1 AND end_at > $2",
        )
        .bind(hall)
        .bind(slot_key(after))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(onewindow_api::slots::BlockedPeriod {
                    window: r.try_get(0)?,
                    start: parse_slot(&r.try_get::<String, _>(1)?)?,
                    end: parse_slot(&r.try_get::<String, _>(2)?)?,
                })
            })
            .collect()
    }

    /// The name of a user, for staff lists.
    pub async fn user_name(&self, id: UserId) -> Result<String, sqlx::Error> {
        Ok(sqlx::query("SELECT name FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?
            .unwrap_or_default())
    }
}
