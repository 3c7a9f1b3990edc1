//! Notifications (消息通知): the wire types of a user's notification centre. Each one is
//! written to the server's outbox in the same transaction as the change that causes it,
//! with its title and body in both languages and the page it opens.

use crate::case::CaseAction;
use crate::check::parse_hhmm;
use crate::ids::NotificationId;
use crate::text::Text;
use chrono::{Duration, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

/// What a notification is about. Urgent kinds are sent even in a user's quiet hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// An appointment was booked.
    BookingConfirmed,
    /// An appointment was moved to another slot.
    BookingRescheduled,
    /// An appointment was cancelled (by the citizen or by staff).
    BookingCancelled,
    /// The appointment is tomorrow (sent about a day before).
    BookingReminderDay,
    /// The appointment is within the hour.
    BookingReminderHour,
    /// The application was accepted (受理), with its application number.
    CaseAccepted,
    /// Materials must be corrected (补正), with the items to fix.
    CaseCorrectionRequired,
    /// A correction not yet handed in is due within a few working days (补正到期提醒).
    CaseCorrectionDueSoon,
    /// The application was not accepted (不予受理), with the reason.
    CaseNotAccepted,
    /// A special procedure (特别程序) started, with its reason: the clock stops.
    CaseSuspended,
    /// The special procedure ended: the review goes on, with the deadline moved out.
    CaseResumed,
    /// Decided: approved.
    CaseApproved,
    /// Decided: rejected, with the reason.
    CaseRejected,
    /// The result is ready for pickup (hall, window, hours, pickup code).
    CaseReadyForPickup,
    /// The result was mailed (courier and tracking number).
    CaseMailed,
    /// The department answered the rectification of a bad rating.
    RectificationAnswered,
    /// Staff replied to a question or complaint.
    ThreadAnswered,
    /// Someone registered with the member's company's credit code and waits to be
    /// confirmed as a member.
    CompanyMemberWaiting,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 18] = [
        NotificationKind::BookingConfirmed,
        NotificationKind::BookingRescheduled,
        NotificationKind::BookingCancelled,
        NotificationKind::BookingReminderDay,
        NotificationKind::BookingReminderHour,
        NotificationKind::CaseAccepted,
        NotificationKind::CaseCorrectionRequired,
        NotificationKind::CaseCorrectionDueSoon,
        NotificationKind::CaseNotAccepted,
        NotificationKind::CaseSuspended,
        NotificationKind::CaseResumed,
        NotificationKind::CaseApproved,
        NotificationKind::CaseRejected,
        NotificationKind::CaseReadyForPickup,
        NotificationKind::CaseMailed,
        NotificationKind::RectificationAnswered,
        NotificationKind::ThreadAnswered,
        NotificationKind::CompanyMemberWaiting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::BookingConfirmed => "booking_confirmed",
            NotificationKind::BookingRescheduled => "booking_rescheduled",
            NotificationKind::BookingCancelled => "booking_cancelled",
            NotificationKind::BookingReminderDay => "booking_reminder_day",
            NotificationKind::BookingReminderHour => "booking_reminder_hour",
            NotificationKind::CaseAccepted => "case_accepted",
            NotificationKind::CaseCorrectionRequired => "case_correction_required",
            NotificationKind::CaseCorrectionDueSoon => "case_correction_due_soon",
            NotificationKind::CaseNotAccepted => "case_not_accepted",
            NotificationKind::CaseSuspended => "case_suspended",
            NotificationKind::CaseResumed => "case_resumed",
            NotificationKind::CaseApproved => "case_approved",
            NotificationKind::CaseRejected => "case_rejected",
            NotificationKind::CaseReadyForPickup => "case_ready_for_pickup",
            NotificationKind::CaseMailed => "case_mailed",
            NotificationKind::RectificationAnswered => "rectification_answered",
            NotificationKind::ThreadAnswered => "thread_answered",
            NotificationKind::CompanyMemberWaiting => "company_member_waiting",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind a staff action on a case notifies its applicant of, if any.
    pub fn of_case_action(action: CaseAction) -> Option<NotificationKind> {
        Some(match action {
            CaseAction::Accept => NotificationKind::CaseAccepted,
            CaseAction::RequestCorrection => NotificationKind::CaseCorrectionRequired,
            CaseAction::RefuseAcceptance => NotificationKind::CaseNotAccepted,
            CaseAction::Suspend => NotificationKind::CaseSuspended,
            CaseAction::Resume => NotificationKind::CaseResumed,
            CaseAction::Approve => NotificationKind::CaseApproved,
            CaseAction::Reject => NotificationKind::CaseRejected,
            CaseAction::IssueForPickup => NotificationKind::CaseReadyForPickup,
            CaseAction::Mail => NotificationKind::CaseMailed,
            _ => return None,
        })
    }

    /// Whether it must reach the user at once, quiet hours or not: a correction has a
    /// deadline, and a reminder within the hour is late otherwise.
    pub fn is_urgent(self) -> bool {
        matches!(
            self,
            NotificationKind::BookingReminderHour | NotificationKind::CaseCorrectionRequired
        )
    }
}

/// One notification in the user's centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: NotificationId,
    pub kind: NotificationKind,
    pub title: Text,
    pub body: Text,
    /// The app page it opens, e.g. `/bookings/12`.
    pub link: String,
    /// RFC 3339 (UTC).
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<String>,
}

/// `GET /api/v1/notifications`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct NotificationQuery {
    /// Only the unread ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

/// `GET /api/v1/notifications/stream`: the live stream (Server-Sent Events). Each
/// notification is an event `notification` with the notification's id as the event id and
/// its JSON as data; the first event, `ready`, says the stream is live. A reconnecting
/// client sends the last id it got (`Last-Event-ID`, as browsers do, or `after`) and gets
/// everything it missed; without either the stream starts with what comes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct StreamQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<i64>,
}

/// The name of the live stream's notification events.
pub const STREAM_EVENT: &str = "notification";
/// The name of the live stream's first event.
pub const STREAM_READY: &str = "ready";

/// Hours (local time of the deployment) in which non-urgent pushes wait; may run past
/// midnight (e.g. 22:00–07:00).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuietHours {
    /// `HH:MM`
    pub start: String,
    /// `HH:MM`
    pub end: String,
}

impl QuietHours {
    fn minutes(&self) -> Option<(u32, u32)> {
        let (s, e) = (parse_hhmm(&self.start)?, parse_hhmm(&self.end)?);
        (s != e).then_some((s, e))
    }

    pub fn is_valid(&self) -> bool {
        self.minutes().is_some()
    }

    /// When a push held at local time `now` may go: `now` itself outside quiet hours,
    /// else the end of the quiet period.
    pub fn release(&self, now: NaiveDateTime) -> NaiveDateTime {
        let Some((start, end)) = self.minutes() else {
            return now;
        };
        let t = now.hour() * 60 + now.minute();
        let quiet = if start < end {
            start <= t && t < end
        } else {
            t >= start || t < end
        };
        if !quiet {
            return now;
        }
        let day = if t >= end {
            now.date() + Duration::days(1)
        } else {
            now.date()
        };
        day.and_hms_opt(end / 60, end % 60, 0).unwrap_or(now)
    }
}

/// `GET`/`PUT /api/v1/me/notification-settings`: the in-app centre and the live stream
/// get everything; push may be muted per kind and held in quiet hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet_hours: Option<QuietHours>,
    /// Kinds not pushed (they stay in the centre).
    #[serde(default)]
    pub push_muted: Vec<NotificationKind>,
}

/// `POST /api/v1/me/push-subscriptions`: a browser's Push API subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscription {
    /// The push service URL (HTTPS; plain HTTP only on loopback).
    pub endpoint: String,
    pub keys: PushKeys,
}

/// The subscription's keys, base64url as the browser gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushKeys {
    /// The user agent's P-256 public key (65 bytes, uncompressed).
    pub p256dh: String,
    /// The 16-byte authentication secret.
    pub auth: String,
}

/// A mobile push gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PushPlatform {
    /// Firebase Cloud Messaging (HTTP v1). Unreachable in mainland China: the live stream
    /// and the centre work without it.
    Fcm,
    /// Apple Push Notification service.
    Apns,
}

impl PushPlatform {
    pub fn as_str(self) -> &'static str {
        match self {
            PushPlatform::Fcm => "fcm",
            PushPlatform::Apns => "apns",
        }
    }
}

/// `POST /api/v1/me/devices`: the app's device token at a mobile push gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceRegistration {
    pub platform: PushPlatform,
    /// The registration token (FCM) or device token (APNs), 8–4096 visible characters.
    pub token: String,
}

impl DeviceRegistration {
    pub fn is_valid(&self) -> bool {
        let t = self.token.trim();
        (8..=4096).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_graphic())
    }
}

/// `GET /api/v1/push/vapid-public-key`: the application server key for `subscribe()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VapidKey {
    /// Base64url, uncompressed P-256 point.
    pub public_key: String,
}

/// Where a delivery stands (as GOV.UK Notify names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting to be sent (or held in quiet hours).
    Pending,
    Delivered,
    /// Failed for now; retried with backoff.
    TemporaryFailure,
    /// Failed for good (the subscription is gone, or retries ran out).
    PermanentFailure,
    /// Not sent: the user muted this kind for this channel.
    Skipped,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::TemporaryFailure => "temporary_failure",
            DeliveryStatus::PermanentFailure => "permanent_failure",
            DeliveryStatus::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Delivered,
            DeliveryStatus::TemporaryFailure,
            DeliveryStatus::PermanentFailure,
            DeliveryStatus::Skipped,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }
}

/// One delivery attempt record of a notification to one channel target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    /// `web_push`, `fcm` or `apns`
    pub channel: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    /// RFC 3339 (UTC).
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// A page of notifications with the user's unread count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationList {
    pub items: Vec<Notification>,
    /// Notifications matching the query.
    pub total: u64,
    /// All of the user's unread notifications.
    pub unread: u64,
    pub page: u32,
    pub per_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_hold_pushes_until_they_end() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let night = QuietHours {
            start: "22:00".into(),
            end: "07:00".into(),
        };
        assert_eq!(
            night.release(at("2026-11-23 21:59")),
            at("2026-11-23 21:59")
        );
        assert_eq!(
            night.release(at("2026-11-23 22:00")),
            at("2026-11-24 07:00")
        );
        assert_eq!(
            night.release(at("2026-11-24 06:59")),
            at("2026-11-24 07:00")
        );
        assert_eq!(
            night.release(at("2026-11-24 07:00")),
            at("2026-11-24 07:00")
        );
        let lunch = QuietHours {
            start: "12:00".into(),
            end: "13:30".into(),
        };
        assert_eq!(
            lunch.release(at("2026-11-23 12:10")),
            at("2026-11-23 13:30")
        );
        assert_eq!(
            lunch.release(at("2026-11-23 13:30")),
            at("2026-11-23 13:30")
        );
        let bad = QuietHours {
            start: "25:00".into(),
            end: "07:00".into(),
        };
        assert!(!bad.is_valid() && lunch.is_valid());
        assert_eq!(bad.release(at("2026-11-23 23:00")), at("2026-11-23 23:00"));
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(NotificationKind::parse("nope"), None);
    }
}
