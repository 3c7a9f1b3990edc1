//! Push storage: subscriptions, users' notification settings, the shared VAPID secret,
//! and delivery records leased by one instance at a time with a conditional update.

use super::{now_ms, rfc3339, Store};
use onewindow_api::ids::{NotificationId, UserId};
use onewindow_api::notification::{
    Delivery, DeliveryStatus, DeviceRegistration, Notification, NotificationKind,
    NotificationSettings, PushPlatform, PushSubscription,
};
use onewindow_api::Text;
use sqlx::Row;

/// A delivery due to be sent, with what it needs.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub id: i64,
    /// The end of this instance's lease (`lease_until` as it set it): the lease is still
    /// its own while the row holds this value.
    pub lease: i64,
    pub attempts: u32,
    pub user: UserId,
    pub kind: NotificationKind,
    pub notification: Notification,
    /// Where it goes; None once the subscription or device was removed.
    pub target: Option<Target>,
}

/// The receiving end of a delivery.
#[derive(Debug, Clone)]
pub enum Target {
    /// A browser: endpoint, p256dh and auth of its subscription.
    WebPush(String, String, String),
    /// An app install: its token at a gateway.
    Device(PushPlatform, String),
}

/// The delivery queue, as `/metrics` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueDepths {
    /// Deliveries due now and not sent yet.
    pub due: i64,
    /// (state, count), by state.
    pub deliveries: Vec<(String, i64)>,
}

impl Store {
    /// The secret called `name`, made by `make` the first time any instance asks.
    pub async fn shared_secret(
        &self,
        name: &str,
        make: impl FnOnce() -> String,
    ) -> Result<String, sqlx::Error> {
        sqlx::query(
            "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(make())
        .execute(&self.pool)
        .await?;
        sqlx::query("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)
    }

    /// Adds (or moves to this user) a subscription, by endpoint.
    pub async fn subscribe(&self, user: UserId, s: &PushSubscription) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (endpoint) DO UPDATE SET user_id = $6, p256dh = $7, auth = $8",
        )
        .bind(user.0)
        .bind(&s.endpoint)
        .bind(&s.keys.p256dh)
        .bind(&s.keys.auth)
        .bind(now_ms())
        .bind(user.0)
        .bind(&s.keys.p256dh)
        .bind(&s.keys.auth)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// Removes a user's subscription; false if the user had none with this endpoint.
    pub async fn unsubscribe(&self, user: UserId, endpoint: &str) -> Result<bool, sqlx::Error> {
        Ok(
            sqlx::query("DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2")
                .bind(user.0)
                .bind(endpoint)
                .execute(&self.pool)
                .await?
                .rows_affected()
                > 0,
        )
    }

    pub async fn notification_settings(
        &self,
        user: UserId,
    ) -> Result<NotificationSettings, sqlx::Error> {
        let row = sqlx::query("SELECT body FROM notification_settings WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => serde_json::from_str(&r.try_get::<String, _>(0)?)
                .map_err(|e| sqlx::Error::Decode(Box::new(e))),
            None => Ok(NotificationSettings::default()),
        }
    }

    pub async fn set_notification_settings(
        &self,
        user: UserId,
        s: &NotificationSettings,
    ) -> Result<(), sqlx::Error> {
        let body = serde_json::to_string(s).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        sqlx::query(
            "INSERT INTO notification_settings (user_id, body) VALUES ($1, $2)
             ON CONFLICT (user_id) DO UPDATE SET body = $3",
        )
        .bind(user.0)
        .bind(&body)
        .bind(&body)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// For `/metrics`: the deliveries due now (the queue's depth) and the count in each
    /// state.
    pub async fn queue_depths(&self) -> Result<QueueDepths, sqlx::Error> {
        let due: i64 = sqlx::query(
            "SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'temporary_failure')
               AND next_attempt_at <= $1",
        )
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        let rows =
            sqlx::query("SELECT status, COUNT(*) FROM deliveries GROUP BY status ORDER BY status")
                .fetch_all(&self.pool)
                .await?;
        let deliveries = rows
            .iter()
            .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(QueueDepths { due, deliveries })
    }

    /// Leases up to `limit` deliveries due at `now` for `lease_ms`; each is leased by one
    /// instance only (a conditional update), so none is sent twice at once.
    pub async fn lease_deliveries(
        &self,
        now: i64,
        lease_ms: i64,
        limit: u32,
    ) -> Result<Vec<DueDelivery>, sqlx::Error> {
        let candidates = sqlx::query(
            "SELECT id FROM deliveries WHERE status IN ('pending', 'temporary_failure')
               AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until < $2)
             ORDER BY next_attempt_at, id LIMIT $3",
        )
        .bind(now)
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for c in candidates {
            let id: i64 = c.try_get(0)?;
            let leased = sqlx::query(
                "UPDATE deliveries SET lease_until = $1
                 WHERE id = $2 AND status IN ('pending', 'temporary_failure')
                   AND (lease_until IS NULL OR lease_until < $3)",
            )
            .bind(now + lease_ms)
            .bind(id)
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected()
                > 0;
            if !leased {
                continue;
            }
            let r = sqlx::query(
                "SELECT d.attempts, n.user_id, n.kind, n.id, n.title_zh, n.title_en, n.body_zh, n.body_en,
                        n.link, n.created_at, s.endpoint, s.p256dh, s.auth, d.channel, t.token
                 FROM deliveries d JOIN notifications n ON n.id = d.notification
                 LEFT JOIN push_subscriptions s ON s.id = d.subscription
                 LEFT JOIN device_tokens t ON t.id = d.device WHERE d.id = $1",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            let kind: String = r.try_get(2)?;
            let kind = NotificationKind::parse(&kind)
                .ok_or_else(|| sqlx::Error::Decode(format!("kind {kind}").into()))?;
            let endpoint: Option<String> = r.try_get(10)?;
            out.push(DueDelivery {
                id,
                lease: now + lease_ms,
                attempts: r.try_get::<i64, _>(0)?.clamp(0, i64::from(u32::MAX)) as u32,
                user: UserId(r.try_get(1)?),
                kind,
                notification: Notification {
                    id: NotificationId(r.try_get(3)?),
                    kind,
                    title: Text::new(r.try_get::<String, _>(4)?, r.try_get::<String, _>(5)?),
                    body: Text::new(r.try_get::<String, _>(6)?, r.try_get::<String, _>(7)?),
                    link: r.try_get(8)?,
                    created_at: rfc3339(r.try_get(9)?),
                    read_at: None,
                },
                target: {
                    let channel: String = r.try_get(13)?;
                    let device: Option<String> = r.try_get(14)?;
                    match (channel.as_str(), endpoint, device) {
                        ("web_push", Some(e), _) => {
                            Some(Target::WebPush(e, r.try_get(11)?, r.try_get(12)?))
                        }
                        ("fcm", _, Some(t)) => Some(Target::Device(PushPlatform::Fcm, t)),
                        ("apns", _, Some(t)) => Some(Target::Device(PushPlatform::Apns, t)),
                        _ => None,
                    }
                },
            });
        }
        Ok(out)
    }

    /// Extends the lease of `d` to `now + lease_ms` if it is still this instance's: a
    /// batch is sent one by one, and a delivery whose lease ran out meanwhile may have
    /// been taken (and sent) by another instance. False means: leave it alone.
    pub async fn renew_lease(
        &self,
        d: &mut DueDelivery,
        now: i64,
        lease_ms: i64,
    ) -> Result<bool, sqlx::Error> {
        let until = now + lease_ms;
        let renewed = sqlx::query(
            "UPDATE deliveries SET lease_until = $1
             WHERE id = $2 AND lease_until = $3 AND status IN ('pending', 'temporary_failure')",
        )
        .bind(until)
        .bind(d.id)
        .bind(d.lease)
        .execute(&self.pool)
        .await?
        .rows_affected()
            > 0;
        if renewed {
            d.lease = until;
        }
        Ok(renewed)
    }

    /// Records the outcome of an attempt and ends the lease. `next_attempt_at` is when to
    /// try again (temporary failures and held pushes); a delivery also marks its
    /// notification delivered. False (and nothing written) when the lease is no longer
    /// this instance's.
    pub async fn settle_delivery(
        &self,
        d: &DueDelivery,
        status: DeliveryStatus,
        attempted: bool,
        next_attempt_at: i64,
        error: Option<&str>,
    ) -> Result<bool, sqlx::Error> {
        let now = now_ms();
        let mut tx = self.write().await?;
        let held = sqlx::query(
            "UPDATE deliveries SET status = $1, attempts = attempts + $2, next_attempt_at = $3,
               lease_until = NULL, last_error = $4, updated_at = $5
             WHERE id = $6 AND lease_until = $7",
        )
        .bind(status.as_str())
        .bind(i64::from(attempted))
        .bind(next_attempt_at)
        .bind(error)
        .bind(now)
        .bind(d.id)
        .bind(d.lease)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !held {
            // Another instance took it over; its outcome is the one recorded.
            return Ok(false);
        }
        if status == DeliveryStatus::Delivered {
            sqlx::query(
                "UPDATE notifications SET delivered_at = COALESCE(delivered_at, $1) WHERE id = $2",
            )
            .bind(now)
            .bind(d.notification.id.0)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Registers (or moves to this user) an app's device token.
    pub async fn register_device(
        &self,
        user: UserId,
        d: &DeviceRegistration,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO device_tokens (user_id, platform, token, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (token) DO UPDATE SET user_id = $5, platform = $6",
        )
        .bind(user.0)
        .bind(d.platform.as_str())
        .bind(d.token.trim())
        .bind(now_ms())
        .bind(user.0)
        .bind(d.platform.as_str())
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// Removes a device token, the user's (on sign-out) or, with `None`, anyone's (the
    /// gateway says it is no longer registered); false if there was none.
    pub async fn drop_device(
        &self,
        user: Option<UserId>,
        token: &str,
    ) -> Result<bool, sqlx::Error> {
        Ok(
            sqlx::query("DELETE FROM device_tokens WHERE token = $1 AND ($2 = 0 OR user_id = $3)")
                .bind(token)
                .bind(user.map_or(0, |u| u.0))
                .bind(user.map_or(0, |u| u.0))
                .execute(&self.pool)
                .await?
                .rows_affected()
                > 0,
        )
    }

    /// Removes a subscription the push service says is gone.
    pub async fn drop_subscription(&self, endpoint: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1")
            .bind(endpoint)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// The deliveries of one of a user's notifications; None if it is not theirs.
    pub async fn deliveries(
        &self,
        user: UserId,
        id: NotificationId,
    ) -> Result<Option<Vec<Delivery>>, sqlx::Error> {
        let mine = sqlx::query("SELECT 1 FROM notifications WHERE id = $1 AND user_id = $2")
            .bind(id.0)
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?;
        if mine.is_none() {
            return Ok(None);
        }
        let rows = sqlx::query(
            "SELECT channel, status, attempts, updated_at, last_error FROM deliveries
             WHERE notification = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get(1)?;
                Ok(Delivery {
                    channel: r.try_get(0)?,
                    status: DeliveryStatus::parse(&status)
                        .ok_or_else(|| sqlx::Error::Decode(format!("status {status}").into()))?,
                    attempts: r.try_get::<i64, _>(2)?.clamp(0, i64::from(u32::MAX)) as u32,
                    updated_at: rfc3339(r.try_get(3)?),
                    last_error: r.try_get(4)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map(Some)
    }

    /// The language a user reads in (`zh-CN` or `en`).
    pub async fn user_lang(&self, user: UserId) -> Result<String, sqlx::Error> {
        Ok(sqlx::query("SELECT lang FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?
            .unwrap_or_default())
    }
}
