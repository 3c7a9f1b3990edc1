//! Notifications (消息通知): the wire types of a user's notification centre. Each one is
//! written to the server's outbox in the same transaction as the change that causes it,
//! with its title and body in both languages and the page it opens.

use crate::case::CaseAction;
use crate::ids::NotificationId;
use crate::text::Text;
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
    /// The application was not accepted (不予受理), with the reason.
    CaseNotAccepted,
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
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 14] = [
        NotificationKind::BookingConfirmed,
        NotificationKind::BookingRescheduled,
        NotificationKind::BookingCancelled,
        NotificationKind::BookingReminderDay,
        NotificationKind::BookingReminderHour,
        NotificationKind::CaseAccepted,
        NotificationKind::CaseCorrectionRequired,
        NotificationKind::CaseNotAccepted,
        NotificationKind::CaseApproved,
        NotificationKind::CaseRejected,
        NotificationKind::CaseReadyForPickup,
        NotificationKind::CaseMailed,
        NotificationKind::RectificationAnswered,
        NotificationKind::ThreadAnswered,
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
            NotificationKind::CaseNotAccepted => "case_not_accepted",
            NotificationKind::CaseApproved => "case_approved",
            NotificationKind::CaseRejected => "case_rejected",
            NotificationKind::CaseReadyForPickup => "case_ready_for_pickup",
            NotificationKind::CaseMailed => "case_mailed",
            NotificationKind::RectificationAnswered => "rectification_answered",
            NotificationKind::ThreadAnswered => "thread_answered",
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
    fn kinds_round_trip_through_their_names() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(NotificationKind::parse("nope"), None);
    }
}
