//! The shell's side of the live notification stream: a background task keeps the signed-in
//! user's stream open (with the token from the keychain), resumes after the last event id
//! when the connection drops, backs off while the server is away, and hands each
//! notification to the app (an event for the page, and an OS notification for the kinds
//! that need one). It runs while the app runs, also with the window closed to the tray.

use onewindow_api::notification::{Notification, NotificationKind, STREAM_EVENT};
use onewindow_api::sse::SseParser;
use std::time::Duration;

/// The kinds worth an OS notification: something to fetch, to fix, or to attend.
pub fn raises_os_notification(kind: NotificationKind) -> bool {
    matches!(
        kind,
        NotificationKind::CaseReadyForPickup
            | NotificationKind::CaseMailed
            | NotificationKind::CaseCorrectionRequired
            | NotificationKind::CaseCorrectionDueSoon
            | NotificationKind::CaseApproved
            | NotificationKind::CaseRejected
            | NotificationKind::CaseNotAccepted
            // A hearing or an inspection may need the applicant, and the deadline moves.
            | NotificationKind::CaseSuspended
            | NotificationKind::BookingReminderDay
            | NotificationKind::BookingReminderHour
    )
}

/// The wait before the `attempt`-th reconnection in a row: 1 s, doubling, at most 30 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_secs(1u64 << attempt.min(5)).min(Duration::from_secs(30))
}

/// How one connection ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// The server refused the session (signed out elsewhere, expired): wait for a sign-in.
    SignedOut,
    /// The connection failed or closed: try again after a while.
    Dropped(String),
}

/// What a stream follows: where, as whom, and the last id it got (to resume after).
#[derive(Debug, Clone)]
pub struct Follow {
    pub server: String,
    pub token: String,
    pub last_id: Option<i64>,
}

/// Reads one connection of the stream until it ends, passing each notification to
/// `deliver` and keeping `follow.last_id` current. `connected` is called once the
/// server has accepted the stream (so that a later drop backs off from the start).
pub async fn follow_once(
    http: &reqwest::Client,
    follow: &mut Follow,
    mut connected: impl FnMut(),
    mut deliver: impl FnMut(Notification),
) -> Ended {
    let mut request = http
        .get(format!("{}/api/v1/notifications/stream", follow.server))
        .bearer_auth(&follow.token)
        .header("accept", "text/event-stream");
    if let Some(id) = follow.last_id {
        request = request.header("last-event-id", id.to_string());
    }
    let mut response = match request.send().await {
        Ok(r) => r,
        Err(e) => return Ended::Dropped(e.to_string()),
    };
    match response.status().as_u16() {
        200 => connected(),
        401 => return Ended::SignedOut,
        other => return Ended::Dropped(format!("the server answered {other}")),
    }
    // Events over the parser's limit (1 MiB) are skipped: a server sending a line
    // without end must not make the app's memory grow without end.
    let mut parser = SseParser::new();
    let mut skipped = 0;
    loop {
        match response.chunk().await {
            Ok(Some(bytes)) => {
                let events = parser.push(&bytes);
                if parser.skipped() > skipped {
                    skipped = parser.skipped();
                    eprintln!("onewindow: a live event larger than the limit was skipped");
                }
                for event in events {
                    if event.event != STREAM_EVENT {
                        continue;
                    }
                    match serde_json::from_str::<Notification>(&event.data) {
                        Ok(n) => {
                            follow.last_id =
                                event.id.and_then(|id| id.parse().ok()).or(follow.last_id);
                            deliver(n);
                        }
                        Err(e) => {
                            eprintln!("onewindow: a live notification was not understood: {e}")
                        }
                    }
                }
            }
            Ok(None) => return Ended::Dropped("the server closed the stream".into()),
            Err(e) => return Ended::Dropped(e.to_string()),
        }
    }
}

/// An HTTP client for streams: connects within 10 s, but never times out a stream that
/// stays open (the server sends a keep-alive comment every 15 s).
pub fn stream_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .read_timeout(Duration::from_secs(60))
        // As for the API: the stream's request carries the session.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_kinds_reach_the_os() {
        assert!(raises_os_notification(NotificationKind::CaseReadyForPickup));
        assert!(raises_os_notification(
            NotificationKind::CaseCorrectionRequired
        ));
        assert!(raises_os_notification(NotificationKind::CaseApproved));
        assert!(raises_os_notification(
            NotificationKind::BookingReminderHour
        ));
        assert!(!raises_os_notification(NotificationKind::CaseAccepted));
        assert!(!raises_os_notification(NotificationKind::BookingConfirmed));
    }

    #[test]
    fn backoff_doubles_up_to_half_a_minute() {
        assert_eq!(backoff(0), Duration::from_secs(1));
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(4), Duration::from_secs(16));
        assert_eq!(backoff(5), Duration::from_secs(30));
        assert_eq!(backoff(40), Duration::from_secs(30));
    }

    fn note(id: i64) -> String {
        serde_json::json!({
            "id": id, "kind": "case_approved",
            "title": {"zh": "已批准", "en": "Approved"},
            "body": {"zh": "您的申请已批准。", "en": "Your application is approved."},
            "link": "/applications/7", "created_at": "2026-11-23T08:00:00Z"
        })
        .to_string()
    }

    /// Serves one stream connection (see `testing::serve_once`).
    fn serve(status: u16, body: String, expect: &'static [&'static str]) -> String {
        crate::testing::serve_once(status, "text/event-stream", body, expect)
    }

    #[test]
    fn follows_resumes_and_stops_when_signed_out() {
        let body = format!(
            ": keep-alive\n\nevent: ready\ndata: {{}}\n\nid: 41\nevent: notification\ndata: {}\n\nid: 42\nevent: notification\ndata: {}\n\n",
            note(41),
            note(42)
        );
        let server = serve(200, body, &["authorization: bearer t0k"]);
        let http = stream_client();
        let mut follow = Follow {
            server,
            token: "t0k".into(),
            last_id: None,
        };
        tauri::async_runtime::block_on(async {
            let mut got = Vec::new();
            let mut connected = false;
            let ended = follow_once(
                &http,
                &mut follow,
                || connected = true,
                |n| got.push(n.id.0),
            )
            .await;
            assert!(connected);
            assert_eq!(got, vec![41, 42]);
            assert_eq!(follow.last_id, Some(42));
            assert!(matches!(ended, Ended::Dropped(_)), "{ended:?}");

            // The next connection resumes after the last id.
            follow.server = serve(200, String::new(), &["last-event-id: 42"]);
            let ended = follow_once(&http, &mut follow, || {}, |_| {}).await;
            assert_eq!(ended, Ended::Dropped("the server closed the stream".into()));

            follow.server = serve(401, String::new(), &[]);
            let ended = follow_once(&http, &mut follow, || {}, |_| {}).await;
            assert_eq!(ended, Ended::SignedOut);
        });
    }
}
