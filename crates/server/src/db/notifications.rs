//! The notification outbox: rows are written inside the transaction of the change that
//! causes them (a booking, a cancellation, a reminder), and read by the user's
//! notification centre.

use super::{now_ms, rfc3339, Arg, Store};
use onewindow_api::ids::{NotificationId, UserId};
use onewindow_api::notification::{Notification, NotificationKind};
use onewindow_api::Text;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A notification to write.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub user: UserId,
    pub kind: NotificationKind,
    pub title: Text,
    pub body: Text,
    pub link: String,
}

/// Writes one notification on the connection of the causing change's transaction; the
/// database fans it out to a pending delivery for each of the user's push subscriptions
/// and app devices (a trigger, migration 0011).
pub async fn write(
    conn: &mut AnyConnection,
    n: &NewNotification,
) -> Result<NotificationId, sqlx::Error> {
    let id: i64 = sqlx::query(
        "INSERT INTO notifications (user_id, kind, title_zh, title_en, body_zh, body_en, link, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(n.user.0)
    .bind(n.kind.as_str())
    .bind(&n.title.zh)
    .bind(&n.title.en)
    .bind(&n.body.zh)
    .bind(&n.body.en)
    .bind(&n.link)
    .bind(now_ms())
    .fetch_one(conn)
    .await?
    .try_get(0)?;
    Ok(NotificationId(id))
}

const COLUMNS: &str = "id, kind, title_zh, title_en, body_zh, body_en, link, created_at, read_at";

fn from_row(r: &AnyRow) -> Result<Notification, sqlx::Error> {
    let kind: String = r.try_get(1)?;
    Ok(Notification {
        id: NotificationId(r.try_get(0)?),
        kind: NotificationKind::parse(&kind)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown kind {kind}").into()))?,
        title: Text::new(r.try_get::<String, _>(2)?, r.try_get::<String, _>(3)?),
        body: Text::new(r.try_get::<String, _>(4)?, r.try_get::<String, _>(5)?),
        link: r.try_get(6)?,
        created_at: rfc3339(r.try_get(7)?),
        read_at: r.try_get::<Option<i64>, _>(8)?.map(rfc3339),
    })
}

impl Store {
    /// A page of a user's notifications, newest first, with the matching total.
    pub async fn notifications(
        &self,
        user: UserId,
        unread_only: bool,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<Notification>, u64), sqlx::Error> {
        let filter = if unread_only {
            "user_id = $1 AND read_at IS NULL"
        } else {
            "user_id = $1"
        };
        let args = [Arg::Int(user.0)];
        self.page(
            COLUMNS,
            "notifications",
            filter,
            "id DESC",
            &args,
            (page, per_page),
            from_row,
        )
        .await
    }

    /// (id, user, created) of the notifications written after `since` (ms), for the
    /// live poller.
    pub async fn recent_notifications(
        &self,
        since: i64,
    ) -> Result<Vec<(i64, UserId, i64)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, user_id, created_at FROM notifications WHERE created_at > $1 ORDER BY id",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, UserId(r.try_get(1)?), r.try_get(2)?)))
            .collect()
    }

    /// A user's notifications above `floor` with an id above `after` or written after
    /// `since` (ms), oldest first: what a live stream may not have sent yet (a row
    /// committed late can have a lower id than one already sent).
    pub async fn notifications_after(
        &self,
        user: UserId,
        floor: i64,
        after: i64,
        since: i64,
    ) -> Result<Vec<Notification>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM notifications
             WHERE user_id = $1 AND id > $2 AND (id > $3 OR created_at > $4)
             ORDER BY id LIMIT 500"
        ))
        .bind(user.0)
        .bind(floor)
        .bind(after)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The id of a user's newest notification (0 without any).
    pub async fn last_notification_id(&self, user: UserId) -> Result<i64, sqlx::Error> {
        let id: Option<i64> = sqlx::query("SELECT MAX(id) FROM notifications WHERE user_id = $1")
            .bind(user.0)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(id.unwrap_or(0))
    }

    /// How many of a user's notifications are unread.
    pub async fn unread_count(&self, user: UserId) -> Result<u64, sqlx::Error> {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user.0)
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        Ok(n.max(0) as u64)
    }

    /// Marks one of the user's notifications read; false if the user has no such one.
    /// Reading it again keeps the first time.
    pub async fn mark_read(&self, user: UserId, id: NotificationId) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3",
        )
        .bind(now_ms())
        .bind(id.0)
        .bind(user.0)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Marks all of a user's notifications read.
    pub async fn mark_all_read(&self, user: UserId) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now_ms())
            .bind(user.0)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}
