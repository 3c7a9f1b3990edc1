//! Booking storage. Taking a seat in a slot is one conditional upsert (`… WHERE booked <
//! capacity`) in the same transaction as the booking row, the weekly cap another on the
//! citizen's week, and one active booking per citizen and item a unique partial index:
//! the database, not a check-then-insert, keeps every rule under any concurrency.

use super::accounts::{user_from_row, UserRow, LIVE_SESSION, USER_COLUMNS};
use super::notifications::{self, NewNotification};
use super::{now_ms, Backend, Store};
use chrono::NaiveDateTime;
use onewindow_api::booking::BookingState;
use onewindow_api::ids::{BookingId, CaseId, UserId};
use onewindow_api::slots::week_of;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

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
    /// The weekly cap of the rules.
    pub per_week: u32,
    pub idempotency_key: &'a str,
    pub application: Option<CaseId>,
}

/// Where a booking goes: a slot of a hall window.
#[derive(Debug, Clone, Copy)]
pub struct SlotRef<'a> {
    pub hall: &'a str,
    pub window: &'a str,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

/// The two appointment reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// About a day before.
    Day,
    /// Within the hour.
    Hour,
}

impl Reminder {
    fn column(self) -> &'static str {
        match self {
            Reminder::Day => "day_reminder_at",
            Reminder::Hour => "hour_reminder_at",
        }
    }
}

/// Takes a seat of a slot: the seat counter goes up only while it is below the slot's
/// capacity and no blocked period (of this window or of the whole hall) overlaps the
/// slot, in one statement, so neither an oversold slot nor a booking into a period
/// just blocked can happen. False if refused (full or blocked).
async fn take_seat(
    conn: &mut AnyConnection,
    slot: &SlotRef<'_>,
    capacity: u32,
) -> Result<bool, sqlx::Error> {
    let (start, end) = (slot_key(slot.start), slot_key(slot.end));
    Ok(sqlx::query(
        "INSERT INTO slot_counts (hall, window_code, start_at, capacity, booked)
         SELECT $1, $2, $3, $4, 1
         WHERE NOT EXISTS (SELECT 1 FROM blocked_periods b WHERE b.hall = $5
           AND (b.window_code IS NULL OR b.window_code = $6) AND b.start_at < $7 AND b.end_at > $8)
         ON CONFLICT (hall, window_code, start_at)
         DO UPDATE SET booked = slot_counts.booked + 1 WHERE slot_counts.booked < slot_counts.capacity",
    )
    .bind(slot.hall)
    .bind(slot.window)
    .bind(&start)
    .bind(i64::from(capacity))
    .bind(slot.hall)
    .bind(slot.window)
    .bind(&end)
    .bind(&start)
    .execute(conn)
    .await?
    .rows_affected()
        > 0)
}

/// Why `take_seat` refused: a blocked period over the slot, or no seat left.
async fn seat_refusal(
    conn: &mut AnyConnection,
    slot: &SlotRef<'_>,
) -> Result<BookError, sqlx::Error> {
    let blocked = sqlx::query(
        "SELECT 1 FROM blocked_periods WHERE hall = $1
           AND (window_code IS NULL OR window_code = $2) AND start_at < $3 AND end_at > $4",
    )
    .bind(slot.hall)
    .bind(slot.window)
    .bind(slot_key(slot.end))
    .bind(slot_key(slot.start))
    .fetch_optional(conn)
    .await?
    .is_some();
    Ok(if blocked {
        BookError::Blocked
    } else {
        BookError::Full
    })
}

async fn release_seat(
    conn: &mut AnyConnection,
    hall: &str,
    window: &str,
    start: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE slot_counts SET booked = booked - 1
         WHERE hall = $1 AND window_code = $2 AND start_at = $3 AND booked > 0",
    )
    .bind(hall)
    .bind(window)
    .bind(start)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Counts a booking into the citizen's week of `start` in one conditional upsert: false
/// if the week already holds `cap` bookings.
async fn take_week(
    conn: &mut AnyConnection,
    citizen: UserId,
    start: NaiveDateTime,
    cap: u32,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO week_counts (citizen, week, booked) VALUES ($1, $2, 1)
         ON CONFLICT (citizen, week)
         DO UPDATE SET booked = week_counts.booked + 1 WHERE week_counts.booked < $3",
    )
    .bind(citizen.0)
    .bind(week_of(start).to_string())
    .bind(i64::from(cap))
    .execute(conn)
    .await?
    .rows_affected()
        > 0)
}

async fn release_week(
    conn: &mut AnyConnection,
    citizen: UserId,
    start: NaiveDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE week_counts SET booked = booked - 1 WHERE citizen = $1 AND week = $2 AND booked > 0",
    )
    .bind(citizen.0)
    .bind(week_of(start).to_string())
    .execute(conn)
    .await
    .map(|_| ())
}

/// Why a booking was not made.
#[derive(Debug)]
pub enum BookError {
    /// The slot has no seat left.
    Full,
    /// Staff blocked a period over the slot.
    Blocked,
    /// The citizen's week already holds as many bookings as the rules allow.
    WeekFull,
    /// The citizen already has an active booking for this item.
    AlreadyBooked,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for BookError {
    fn from(e: sqlx::Error) -> Self {
        BookError::Db(e)
    }
}

/// A booking's page in the app: this and its id.
pub const PAGE: &str = "/bookings/";

/// The link to a booking's page.
pub fn page(id: BookingId) -> String {
    format!("{PAGE}{}", id.0)
}

/// How the audit trail names a booking: this and its id.
const SUBJECT: &str = "booking:";

/// The audit subject of a booking.
fn subject(id: BookingId) -> String {
    format!("{SUBJECT}{}", id.0)
}

/// Books on SQLite, in the write transaction `tx`, one statement at a time (each a
/// cheap call into the same process): the seat, the citizen's week, the booking and its
/// audit record. On a refusal the caller drops `tx`, which gives everything back.
async fn book_in_steps(
    tx: &mut AnyConnection,
    b: &NewBooking<'_>,
    now: i64,
) -> Result<BookingId, BookError> {
    let slot = SlotRef {
        hall: b.hall,
        window: b.window,
        start: b.start,
        end: b.end,
    };
    if !take_seat(tx, &slot, b.capacity).await? {
        return Err(seat_refusal(tx, &slot).await?);
    }
    if !take_week(tx, b.citizen, b.start, b.per_week).await? {
        return Err(BookError::WeekFull);
    }
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
    .bind(slot_key(b.start))
    .bind(slot_key(b.end))
    .bind(b.idempotency_key)
    .bind(b.application.map(|a| a.0))
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(unique_is_booked)?;
    let id = BookingId(inserted.try_get(0)?);
    super::audit::record(
        &mut *tx,
        Some(b.citizen),
        "booking.create",
        &subject(id),
        &audit_detail(b),
    )
    .await?;
    Ok(id)
}

/// Books on PostgreSQL in one statement, outside any explicit transaction (one round
/// trip instead of seven): the statements of `book_in_steps` and the notification's,
/// each fed by the rows the one before it returned, so nothing after a refused step is
/// written. When the citizen's week refuses after the seat was taken, `refuse` (migration
/// 0011) fails the statement, which undoes the seat.
async fn book_in_one_statement(
    pool: &sqlx::AnyPool,
    b: &NewBooking<'_>,
    note: &NewNotification,
    now: i64,
) -> Result<BookingId, BookError> {
    let (start, end) = (slot_key(b.start), slot_key(b.end));
    let row = sqlx::query(
        "WITH seat AS (
           INSERT INTO slot_counts (hall, window_code, start_at, capacity, booked)
           SELECT $1, $2, $3, $4, 1
           WHERE NOT EXISTS (SELECT 1 FROM blocked_periods p WHERE p.hall = $1
             AND (p.window_code IS NULL OR p.window_code = $2) AND p.start_at < $5 AND p.end_at > $3)
           ON CONFLICT (hall, window_code, start_at)
           DO UPDATE SET booked = slot_counts.booked + 1 WHERE slot_counts.booked < slot_counts.capacity
           RETURNING 1),
         week AS (
           INSERT INTO week_counts (citizen, week, booked) SELECT $6, $7, 1 FROM seat
           ON CONFLICT (citizen, week)
           DO UPDATE SET booked = week_counts.booked + 1 WHERE week_counts.booked < $8
           RETURNING 1),
         made AS (
           INSERT INTO bookings (code, citizen, item, hall, window_code, start_at, end_at, state,
             idempotency_key, application, created_at, updated_at)
           SELECT $9, $6, $10, $1, $2, $3, $5, 'active', $11, $12, $13, $13 FROM week
           RETURNING id),
         audit AS (
           INSERT INTO audit_log (at, actor, action, subject, detail)
           SELECT $13, $6, 'booking.create', $14 || CAST(id AS TEXT), $15 FROM made),
         note AS (
           INSERT INTO notifications (user_id, kind, title_zh, title_en, body_zh, body_en, link, created_at)
           SELECT $16, $17, $18, $19, $20, $21, $22 || CAST(id AS TEXT), $13 FROM made)
         SELECT (SELECT COUNT(*) FROM seat), (SELECT id FROM made),
           (SELECT refuse('week_full') FROM seat WHERE NOT EXISTS (SELECT 1 FROM week))",
    )
    .bind(b.hall)
    .bind(b.window)
    .bind(&start)
    .bind(i64::from(b.capacity))
    .bind(&end)
    .bind(b.citizen.0)
    .bind(week_of(b.start).to_string())
    .bind(i64::from(b.per_week))
    .bind(b.code)
    .bind(b.item)
    .bind(b.idempotency_key)
    .bind(b.application.map(|a| a.0))
    .bind(now)
    .bind(SUBJECT)
    .bind(audit_detail(b))
    .bind(note.user.0)
    .bind(note.kind.as_str())
    .bind(&note.title.zh)
    .bind(&note.title.en)
    .bind(&note.body.zh)
    .bind(&note.body.en)
    .bind(PAGE)
    .fetch_one(pool)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("P0001") && db.message() == "week_full" => {
            BookError::WeekFull
        }
        e => unique_is_booked(e),
    })?;
    match row.try_get::<Option<i64>, _>(1)? {
        Some(id) => Ok(BookingId(id)),
        // Refused by the seat: full, or blocked (told apart by a read, as on SQLite).
        None => {
            let slot = SlotRef {
                hall: b.hall,
                window: b.window,
                start: b.start,
                end: b.end,
            };
            Err(seat_refusal(&mut *pool.acquire().await?, &slot).await?)
        }
    }
}

/// The booking's audit detail: where and when.
fn audit_detail(b: &NewBooking<'_>) -> String {
    format!("{} {} {}", b.hall, b.window, slot_key(b.start))
}

/// The booking insert's unique violation: the citizen already has an active booking
/// for the item (the same idempotency key never gets here: the read before the write
/// answers a retry).
fn unique_is_booked(e: sqlx::Error) -> BookError {
    match e {
        sqlx::Error::Database(db) if db.is_unique_violation() => BookError::AlreadyBooked,
        e => BookError::Db(e),
    }
}

/// What stands in the way of a booking, read before anything is written.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BookingCheck {
    /// The booking this citizen already made with this idempotency key (a retry).
    pub made: Option<BookingId>,
    /// A blocked period of this window or of the whole hall overlaps the slot.
    pub blocked: bool,
    /// Every seat of the slot is taken.
    pub full: bool,
}

impl Store {
    /// The user of the session `token_hash` and what stands in the way of their booking
    /// `slot` with idempotency key `key`, in one read outside any write transaction (None
    /// if the session is not live). In a rush most attempts find the slot full here and
    /// are answered with this one round trip, without queueing for the writer. Only a
    /// refusal rests on it; the booking itself takes its seat with `take_seat`, which
    /// checks capacity and blocks again in the same statement.
    pub async fn booking_check(
        &self,
        token_hash: &str,
        slot: &SlotRef<'_>,
        key: &str,
    ) -> Result<Option<(UserRow, BookingCheck)>, sqlx::Error> {
        let (start, end) = (slot_key(slot.start), slot_key(slot.end));
        let sql = format!(
            "SELECT {USER_COLUMNS},
                CAST(COALESCE((SELECT CASE WHEN booked >= capacity THEN 1 ELSE 0 END FROM slot_counts
                  WHERE hall = $3 AND window_code = $4 AND start_at = $5), 0) AS BIGINT) AS slot_full,
                CAST(CASE WHEN EXISTS (SELECT 1 FROM blocked_periods WHERE hall = $6
                  AND (window_code IS NULL OR window_code = $7) AND start_at < $8 AND end_at > $9)
                  THEN 1 ELSE 0 END AS BIGINT) AS slot_blocked,
                (SELECT id FROM bookings WHERE citizen = u.id AND idempotency_key = $10) AS made
             FROM {LIVE_SESSION}"
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(now_ms())
            .bind(slot.hall)
            .bind(slot.window)
            .bind(&start)
            .bind(slot.hall)
            .bind(slot.window)
            .bind(&end)
            .bind(&start)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some((
            user_from_row(&row)?,
            BookingCheck {
                full: row.try_get::<i64, _>("slot_full")? != 0,
                blocked: row.try_get::<i64, _>("slot_blocked")? != 0,
                made: row.try_get::<Option<i64>, _>("made")?.map(BookingId),
            },
        )))
    }

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

    /// Takes a seat, counts the booking into the citizen's week, records it and writes
    /// its confirmation to the outbox, atomically. `note` words the confirmation; it is
    /// called before the write, with the booking's id still 0, and the link it returns
    /// is replaced by the booking's page (`page`) once the database has given the id.
    pub async fn book(
        &self,
        b: &NewBooking<'_>,
        note: impl FnOnce(&BookingRow) -> NewNotification,
    ) -> Result<BookingRow, BookError> {
        let now = now_ms();
        let mut row = BookingRow {
            id: BookingId(0),
            code: b.code.to_owned(),
            citizen: b.citizen,
            item: b.item.to_owned(),
            hall: b.hall.to_owned(),
            window: b.window.to_owned(),
            start: b.start,
            end: b.end,
            state: BookingState::Active,
            application: b.application,
            created_at: now,
            ticket: None,
        };
        // The confirmation's words do not depend on the id, which the database gives;
        // its link is the booking's page, written with the id.
        let note = note(&row);
        row.id = match self.backend {
            Backend::Postgres => book_in_one_statement(&self.pool, b, &note, now).await?,
            Backend::Sqlite => {
                let mut tx = self.write().await?;
                let id = book_in_steps(&mut tx, b, now).await?;
                let link = page(id);
                notifications::write(&mut tx, &NewNotification { link, ..note }).await?;
                tx.commit().await?;
                id
            }
        };
        Ok(row)
    }

    /// Cancels an active booking, gives its seat and its place in the citizen's week
    /// back and writes `note` to the outbox; false if it was not active.
    pub async fn cancel_booking(
        &self,
        id: BookingId,
        actor: UserId,
        note: &NewNotification,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "UPDATE bookings SET state = 'cancelled', updated_at = $1 WHERE id = $2 AND state = 'active'
             RETURNING hall, window_code, start_at, citizen",
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
        release_seat(&mut tx, &hall, &window, &start).await?;
        release_week(&mut tx, UserId(row.try_get(3)?), parse_slot(&start)?).await?;
        super::audit::record(&mut *tx, Some(actor), "booking.cancel", &subject(id), "").await?;
        notifications::write(&mut tx, note).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Moves an active booking to another slot in one transaction: the new seat (and, in
    /// another week, the new week's place) is taken first or nothing changes, then the
    /// booking moves, then the old seat is freed and `note` goes to the outbox.
    pub async fn reschedule(
        &self,
        old: &BookingRow,
        to: &SlotRef<'_>,
        rules: (u32, u32),
        actor: UserId,
        note: &NewNotification,
    ) -> Result<bool, BookError> {
        let (capacity, per_week) = rules;
        let mut tx = self.write().await?;
        let new_start = slot_key(to.start);
        if !take_seat(&mut tx, to, capacity).await? {
            return Err(seat_refusal(&mut tx, to).await?);
        }
        let other_week = week_of(to.start) != week_of(old.start);
        if other_week && !take_week(&mut tx, old.citizen, to.start, per_week).await? {
            return Err(BookError::WeekFull);
        }
        let old_start = slot_key(old.start);
        let moved = sqlx::query(
            "UPDATE bookings SET hall = $1, window_code = $2, start_at = $3, end_at = $4, updated_at = $5,
               day_reminder_at = NULL, hour_reminder_at = NULL
             WHERE id = $6 AND state = 'active' AND hall = $7 AND window_code = $8 AND start_at = $9",
        )
        .bind(to.hall)
        .bind(to.window)
        .bind(&new_start)
        .bind(slot_key(to.end))
        .bind(now_ms())
        .bind(old.id.0)
        .bind(&old.hall)
        .bind(&old.window)
        .bind(&old_start)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !moved {
            return Ok(false);
        }
        release_seat(&mut tx, &old.hall, &old.window, &old_start).await?;
        if other_week {
            release_week(&mut tx, old.citizen, old.start).await?;
        }
        super::audit::record(
            &mut *tx,
            Some(actor),
            "booking.reschedule",
            &subject(old.id),
            &format!("{} {} {new_start}", to.hall, to.window),
        )
        .await?;
        notifications::write(&mut tx, note).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Active bookings whose reminder of `kind` is due: they start after `now` and no
    /// later than `until` (local times of `hall`), and the reminder was not written yet.
    pub async fn due_reminders(
        &self,
        hall: &str,
        kind: Reminder,
        now: NaiveDateTime,
        until: NaiveDateTime,
    ) -> Result<Vec<BookingRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLUMNS} FROM bookings WHERE state = 'active' AND hall = $1
               AND start_at > $2 AND start_at <= $3 AND {} IS NULL
             ORDER BY start_at, id LIMIT 500",
            kind.column()
        );
        let rows = sqlx::query(&sql)
            .bind(hall)
            .bind(slot_key(now))
            .bind(slot_key(until))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Records that a booking's reminder was handled and writes it (if any) to the
    /// outbox, once: false if another run (or instance) did it first.
    pub async fn remind(
        &self,
        b: &BookingRow,
        kind: Reminder,
        note: Option<&NewNotification>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let sql = format!(
            "UPDATE bookings SET {col} = $1 WHERE id = $2 AND state = 'active' AND start_at = $3
               AND {col} IS NULL",
            col = kind.column()
        );
        let claimed = sqlx::query(&sql)
            .bind(now_ms())
            .bind(b.id.0)
            .bind(slot_key(b.start))
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if !claimed {
            return Ok(false);
        }
        if let Some(note) = note {
            notifications::write(&mut tx, note).await?;
        }
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
        let mut tx = self.write().await?;
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
            &subject(id),
            &ticket,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Marks an active booking as not attended; false if it was not active.
    pub async fn no_show(&self, id: BookingId, actor: UserId) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
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
            super::audit::record(&mut *tx, Some(actor), "booking.no_show", &subject(id), "")
                .await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// Marks the hall's active bookings that ended before `before` (the start of the
    /// hall's day) as not attended, each audited as done by the system; how many.
    pub async fn expire_missed(
        &self,
        hall: &str,
        before: NaiveDateTime,
    ) -> Result<u64, sqlx::Error> {
        let mut tx = self.write().await?;
        let rows = sqlx::query(
            "UPDATE bookings SET state = 'no_show', updated_at = $1
             WHERE hall = $2 AND state = 'active' AND end_at < $3 RETURNING id",
        )
        .bind(now_ms())
        .bind(hall)
        .bind(slot_key(before))
        .fetch_all(&mut *tx)
        .await?;
        for row in &rows {
            let id = BookingId(row.try_get(0)?);
            super::audit::record(
                &mut *tx,
                None,
                "booking.no_show",
                &subject(id),
                "not checked in by the end of its day",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
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
        let mut tx = self.write().await?;
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
