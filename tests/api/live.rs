//! The live notification stream (Server-Sent Events) through real HTTP, on SQLite and
//! PostgreSQL, with two server instances on one database: a notification caused through
//! one instance reaches a stream on the other and a stream on the first, once each; a
//! reconnect with `Last-Event-ID` gets exactly what was missed.

use crate::bookings::{bookable, request};
use onewindow_api::booking::SlotQuery;
use onewindow_api::notification::{Notification, NotificationKind, STREAM_EVENT, STREAM_READY};
use onewindow_api::sse::{SseEvent, SseParser};
use onewindow_tests::cases::{applicant, TestClient};
use onewindow_tests::{backends, TestServer};
use std::time::Duration;

/// An open stream and its parser.
pub(crate) struct Stream {
    response: reqwest::Response,
    parser: SseParser,
    pending: std::collections::VecDeque<SseEvent>,
}

impl Stream {
    async fn open(base: &str, c: &TestClient, last_id: Option<&str>) -> reqwest::Response {
        let mut req = reqwest::Client::new()
            .get(format!("{base}/api/v1/notifications/stream"))
            .header("accept", "text/event-stream");
        if let Some(token) = c.token() {
            req = req.bearer_auth(token);
        }
        if let Some(id) = last_id {
            req = req.header("last-event-id", id);
        }
        req.send().await.unwrap()
    }

    /// Connects and waits for the `ready` event.
    pub(crate) async fn connect(base: &str, c: &TestClient, last_id: Option<&str>) -> Stream {
        let response = Stream::open(base, c, last_id).await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream"));
        let mut s = Stream {
            response,
            parser: SseParser::new(),
            pending: Default::default(),
        };
        let first = s
            .next(Duration::from_secs(10))
            .await
            .expect("a ready event");
        assert_eq!(first.event, STREAM_READY);
        s
    }

    /// The next event within `wait`, if any.
    async fn next(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(e) = self.pending.pop_front() {
                return Some(e);
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => self.pending.extend(self.parser.push(&bytes)),
                Ok(Ok(None)) | Err(_) => return None,
                Ok(Err(e)) => panic!("the stream broke: {e}"),
            }
        }
    }

    /// Whether the server ends the stream within `wait` (anything sent before is skipped).
    async fn ends_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Ok(Ok(Some(_))) => continue,
                Ok(Ok(None)) | Ok(Err(_)) => return true,
                Err(_) => return false,
            }
        }
    }

    /// The notifications that arrive within `wait`, or once `expected` have, those and
    /// any more within the next second (a duplicate would come with the next poll).
    pub(crate) async fn notifications(
        &mut self,
        expected: usize,
        wait: Duration,
    ) -> Vec<(String, Notification)> {
        let mut out = Vec::new();
        let mut deadline = tokio::time::Instant::now() + wait;
        while let Some(e) = self
            .next(deadline.saturating_duration_since(tokio::time::Instant::now()))
            .await
        {
            assert_eq!(e.event, STREAM_EVENT);
            let n: Notification = serde_json::from_str(&e.data).unwrap();
            assert_eq!(e.id.as_deref(), Some(n.id.0.to_string().as_str()));
            out.push((e.id.unwrap_or_default(), n));
            if out.len() == expected {
                deadline = deadline.min(tokio::time::Instant::now() + Duration::from_secs(1));
            }
        }
        out
    }
}

#[tokio::test]
async fn live_notifications_reach_every_instance_once_and_resume() {
    for backend in backends() {
        let one = TestServer::start(backend);
        let two = one.another();
        let (citizen, _, _) = applicant(&one, None).await;
        let item = bookable(&citizen).await;
        let mut on_two = Stream::connect(&two.base_url, &citizen, None).await;
        let mut on_one = Stream::connect(&one.base_url, &citizen, None).await;

        // Booked through instance one: both streams get the confirmation, once.
        let open = citizen
            .slots(item.code.as_str(), &SlotQuery::default())
            .await
            .unwrap();
        let b = citizen
            .book(&request(&item, &open[0], "live-key-001"))
            .await
            .unwrap();
        for stream in [&mut on_two, &mut on_one] {
            let got = stream.notifications(1, Duration::from_secs(10)).await;
            assert_eq!(got.len(), 1, "{backend:?}: {got:?}");
            assert_eq!(got[0].1.kind, NotificationKind::BookingConfirmed);
            assert_eq!(got[0].1.link, format!("/bookings/{}", b.id));
        }
        // Another user's notifications never show up here.
        let (other, _, _) = applicant(&one, None).await;
        let theirs = bookable(&other).await;
        other
            .book(&request(&theirs, &open[1], "live-key-002"))
            .await
            .unwrap();
        assert!(on_two
            .notifications(0, Duration::from_millis(1500))
            .await
            .is_empty());

        // Disconnected while the booking is cancelled: the reconnect gets just that.
        let last = on_two.notifications(0, Duration::ZERO).await;
        assert!(last.is_empty());
        let confirmed_id = citizen
            .notifications(&Default::default())
            .await
            .unwrap()
            .items[0]
            .id;
        drop(on_two);
        citizen.cancel_booking(b.id).await.unwrap();
        let mut back =
            Stream::connect(&two.base_url, &citizen, Some(&confirmed_id.0.to_string())).await;
        let got = back.notifications(1, Duration::from_secs(10)).await;
        assert_eq!(got.len(), 1, "{backend:?}: {got:?}");
        assert_eq!(got[0].1.kind, NotificationKind::BookingCancelled);
        // The stream on instance one, connected all along, got it live too.
        let got = on_one.notifications(1, Duration::from_secs(10)).await;
        assert_eq!(got.len(), 1, "{backend:?}: {got:?}");

        // A bad resume point is a clear error; no session, no stream.
        let bad = Stream::open(&two.base_url, &citizen, Some("yesterday")).await;
        assert_eq!(bad.status(), 422);
        let anonymous = two.client();
        assert_eq!(
            Stream::open(&two.base_url, &anonymous, None).await.status(),
            401
        );
    }
}

#[tokio::test]
async fn shutdown_ends_open_streams() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/live.db?mode=rwc", dir.path().display());
    let config = onewindow_tests::test_config(dir.path().to_owned(), url);
    let state = onewindow_server::build_state(config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(onewindow_server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let citizen = TestClient::new(onewindow_client::ReqwestTransport::new(&base));
    citizen
        .register(&onewindow_api::account::RegisterRequest {
            id_number: onewindow_tests::unique_id_number(),
            name: "孙三".into(),
            phone: onewindow_tests::unique_phone(),
            password: "stream me 2026".into(),
            company: None,
            lang: None,
        })
        .await
        .unwrap();
    let mut stream = Stream::connect(&base, &citizen, None).await;
    stop.send(()).unwrap();
    // The server finishes (the stream ends with it) instead of waiting for the client.
    tokio::time::timeout(Duration::from_secs(10), served)
        .await
        .expect("the server did not stop with a stream open")
        .unwrap()
        .unwrap();
    assert!(stream.next(Duration::from_secs(5)).await.is_none());
}

#[tokio::test]
async fn signing_out_ends_the_sessions_stream() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, _, _) = applicant(server, None).await;
        let mut stream = Stream::connect(&server.base_url, &citizen, None).await;
        citizen.logout().await.unwrap();
        // It ends instead of carrying the account's notifications to a revoked session.
        assert!(
            stream.ends_within(Duration::from_secs(10)).await,
            "{backend:?}: the stream outlived its session"
        );
    }
}
