//! Web Push through a stand-in push service on loopback, on SQLite and PostgreSQL: the
//! stand-in checks what a real one checks (VAPID JWT signed with the advertised key for
//! its origin, aes128gcm content, TTL) and decrypts the message with the subscription's
//! private key; the server retries temporary failures, drops gone subscriptions, honours
//! mutes and quiet hours, and records every delivery's status.

use crate::bookings::{bookable, request};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use onewindow_api::booking::{RescheduleRequest, SlotQuery};
use onewindow_api::ids::NotificationId;
use onewindow_api::notification::{
    DeliveryStatus, NotificationKind, NotificationSettings, PushKeys, PushSubscription, QuietHours,
};
use onewindow_server::db::{now_ms, Store};
use onewindow_tests::cases::{applicant, TestClient};
use onewindow_tests::{backends, TestServer};
use rand::RngCore;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use web_push_native::jwt_simple::prelude::*;
use web_push_native::p256;
use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;

/// One request the stand-in received.
type Received = (HeaderMap, Vec<u8>);

/// What the stand-in received, and the statuses it answers with next (201 when empty),
/// after `delay_ms` (a slow push service).
#[derive(Clone, Default)]
pub(crate) struct Service {
    got: Arc<Mutex<Vec<Received>>>,
    answers: Arc<Mutex<VecDeque<u16>>>,
    pub(crate) delay_ms: Arc<std::sync::atomic::AtomicU64>,
}

async fn receive(
    State(s): State<Service>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    s.got.lock().unwrap().push((headers, body.to_vec()));
    let delay = s.delay_ms.load(std::sync::atomic::Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(delay)).await;
    let answer = s.answers.lock().unwrap().pop_front().unwrap_or(201);
    StatusCode::from_u16(answer).unwrap()
}

pub(crate) async fn stand_in() -> (String, Service) {
    let service = Service::default();
    let app = axum::Router::new()
        .route("/push/{name}", axum::routing::post(receive))
        .with_state(service.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, service)
}

impl Service {
    pub(crate) fn count(&self) -> usize {
        self.got.lock().unwrap().len()
    }

    /// Waits until `n` requests have arrived.
    pub(crate) async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..100 {
            if self.count() >= n {
                return self.got.lock().unwrap().clone();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the push service got {} requests, expected {n}",
            self.count()
        );
    }
}

async fn newest(c: &TestClient) -> NotificationId {
    c.notifications(&Default::default()).await.unwrap().items[0].id
}

/// Waits until the notification's only delivery has `status`.
async fn settled(c: &TestClient, id: NotificationId, status: DeliveryStatus) -> u32 {
    for _ in 0..100 {
        let d = c.deliveries(id).await.unwrap();
        if d.len() == 1 && d[0].status == status {
            return d[0].attempts;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{:?}", c.deliveries(id).await.unwrap());
}

/// A browser's subscription at `endpoint`, with fresh keys, and the browser's private
/// key and auth secret that decrypt what is pushed to it.
pub(crate) fn subscription_at(endpoint: String) -> (PushSubscription, p256::SecretKey, [u8; 16]) {
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    let secret = p256::SecretKey::from_slice(&seed).unwrap();
    let public = secret.public_key().to_encoded_point(false);
    let mut auth = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut auth);
    let subscription = PushSubscription {
        endpoint,
        keys: PushKeys {
            p256dh: URL_SAFE_NO_PAD.encode(public.as_bytes()),
            auth: URL_SAFE_NO_PAD.encode(auth),
        },
    };
    (subscription, secret, auth)
}

/// Several instances share the deliveries: one whose lease ran out while its batch was
/// being sent has lost it, so it neither renews it (and sends) nor records an outcome;
/// the instance that took it over does, once.
#[tokio::test]
async fn a_lease_that_ran_out_is_neither_sent_nor_settled() {
    for backend in backends() {
        // The server's own dispatcher waits an hour: the test is both instances.
        let server = TestServer::start_with(backend, |c| {
            c.push.poll_ms = 3_600_000;
            c.push.allow_local_endpoints = true;
        });
        let (citizen, _, _) = applicant(&server, None).await;
        citizen
            .push_subscribe(&subscription_at("http://127.0.0.1:9/push".into()).0)
            .await
            .unwrap();
        let item = bookable(&citizen).await;
        let open = citizen
            .slots(item.code.as_str(), &SlotQuery::default())
            .await
            .unwrap();
        citizen
            .book(&request(&item, &open[0], "lease-key-0001"))
            .await
            .unwrap();
        let confirmed = newest(&citizen).await;
        let store = Store::connect(&server.database_url, 2).await.unwrap();
        let now = now_ms();
        let mut first = store.lease_deliveries(now, 1_000, 50).await.unwrap();
        assert_eq!(first.len(), 1, "{backend:?}");
        assert!(store
            .lease_deliveries(now + 500, 60_000, 50)
            .await
            .unwrap()
            .is_empty());
        // Two seconds later the first lease has run out, and another instance takes it.
        let mut second = store
            .lease_deliveries(now + 2_000, 60_000, 50)
            .await
            .unwrap();
        assert_eq!(second.len(), 1);
        assert!(!store
            .renew_lease(&mut first[0], now + 2_500, 60_000)
            .await
            .unwrap());
        assert!(!store
            .settle_delivery(&first[0], DeliveryStatus::Delivered, true, now, None)
            .await
            .unwrap());
        assert!(store
            .renew_lease(&mut second[0], now + 2_500, 60_000)
            .await
            .unwrap());
        assert!(store
            .settle_delivery(
                &second[0],
                DeliveryStatus::TemporaryFailure,
                true,
                now + 60_000,
                Some("503")
            )
            .await
            .unwrap());
        let recorded = citizen.deliveries(confirmed).await.unwrap();
        assert_eq!(recorded.len(), 1);
        assert_eq!(recorded[0].status, DeliveryStatus::TemporaryFailure);
        assert_eq!(recorded[0].attempts, 1);
    }
}

#[tokio::test]
async fn web_push_is_encrypted_signed_retried_and_recorded() {
    local_endpoints_are_refused_by_default().await;
    for backend in backends() {
        let server = TestServer::start_with(backend, |c| {
            c.push.poll_ms = 200;
            c.push.retry_base_seconds = 1;
            c.push.allow_local_endpoints = true;
        });
        let (base, service) = stand_in().await;
        let (citizen, _, _) = applicant(&server, None).await;

        // The browser's side: a P-256 key pair and an auth secret.
        let (subscription, ua_secret, auth) = subscription_at(format!("{base}/push/citizen"));
        for bad in [
            PushSubscription {
                endpoint: "http://push.example.com/x".into(),
                ..subscription.clone()
            },
            PushSubscription {
                keys: PushKeys {
                    p256dh: "bm90IGEga2V5".into(),
                    auth: subscription.keys.auth.clone(),
                },
                ..subscription.clone()
            },
        ] {
            assert_eq!(
                citizen.push_subscribe(&bad).await.unwrap_err().status(),
                Some(422)
            );
        }
        citizen.push_subscribe(&subscription).await.unwrap();
        let vapid = citizen.vapid_public_key().await.unwrap().public_key;

        // A booking's confirmation is pushed: signed, encrypted, readable by the browser.
        let item = bookable(&citizen).await;
        let open = citizen
            .slots(item.code.as_str(), &SlotQuery::default())
            .await
            .unwrap();
        let b = citizen
            .book(&request(&item, &open[0], "push-key-001"))
            .await
            .unwrap();
        let confirmed = newest(&citizen).await;
        let got = service.wait_for(1).await;
        let (headers, body) = &got[0];
        assert_eq!(headers["content-encoding"], "aes128gcm");
        assert!(headers["ttl"].to_str().unwrap().parse::<u64>().unwrap() > 0);
        let authz = headers["authorization"].to_str().unwrap();
        let (token, key) = authz
            .strip_prefix("vapid t=")
            .and_then(|rest| rest.split_once(", k="))
            .expect("a VAPID authorization");
        assert_eq!(key, vapid);
        let signer = ES256PublicKey::from_bytes(&URL_SAFE_NO_PAD.decode(key).unwrap()).unwrap();
        let claims = signer
            .verify_token::<NoCustomClaims>(token, None)
            .expect("a valid VAPID signature");
        let audiences = claims.audiences.unwrap().into_set();
        assert!(audiences.contains(&base), "{audiences:?}");
        let plain = web_push_native::decrypt(
            body.clone(),
            &ua_secret,
            &web_push_native::Auth::clone_from_slice(&auth),
        )
        .expect("decryptable with the subscription's keys");
        let message: serde_json::Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(message["id"], confirmed.0);
        assert_eq!(message["kind"], "booking_confirmed");
        assert_eq!(message["link"], format!("/bookings/{}", b.id));
        assert_eq!(
            settled(&citizen, confirmed, DeliveryStatus::Delivered).await,
            1
        );
        let (other, _, _) = applicant(&server, None).await;
        assert_eq!(
            other.deliveries(confirmed).await.unwrap_err().status(),
            Some(404)
        );

        // A temporary failure is retried (after a second here) and then delivered.
        service.answers.lock().unwrap().push_back(503);
        let to = |i: usize| RescheduleRequest {
            hall: open[i].hall.clone(),
            window: open[i].window.clone(),
            start: open[i].start,
        };
        citizen.reschedule_booking(b.id, &to(1)).await.unwrap();
        let moved = newest(&citizen).await;
        service.wait_for(3).await;
        assert_eq!(settled(&citizen, moved, DeliveryStatus::Delivered).await, 2);

        // A muted kind is not pushed.
        let mut prefs = NotificationSettings {
            quiet_hours: None,
            push_muted: vec![NotificationKind::BookingRescheduled],
        };
        citizen.set_notification_settings(&prefs).await.unwrap();
        citizen.reschedule_booking(b.id, &to(2)).await.unwrap();
        let muted = newest(&citizen).await;
        settled(&citizen, muted, DeliveryStatus::Skipped).await;

        // Quiet hours hold a non-urgent push.
        let now = chrono::Utc::now() + chrono::Duration::hours(8);
        let hhmm = |t: chrono::DateTime<chrono::Utc>| t.format("%H:%M").to_string();
        prefs.quiet_hours = Some(QuietHours {
            start: hhmm(now - chrono::Duration::minutes(30)),
            end: hhmm(now + chrono::Duration::minutes(90)),
        });
        let bad_quiet = NotificationSettings {
            quiet_hours: Some(QuietHours {
                start: "7pm".into(),
                end: "07:00".into(),
            }),
            push_muted: Vec::new(),
        };
        assert_eq!(
            citizen
                .set_notification_settings(&bad_quiet)
                .await
                .unwrap_err()
                .status(),
            Some(422)
        );
        citizen.set_notification_settings(&prefs).await.unwrap();
        citizen.cancel_booking(b.id).await.unwrap();
        let held = newest(&citizen).await;
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let d = citizen.deliveries(held).await.unwrap();
        assert_eq!(
            (d[0].status, d[0].attempts),
            (DeliveryStatus::Pending, 0),
            "{d:?}"
        );
        assert_eq!(d[0].last_error.as_deref(), Some("held in quiet hours"));
        assert_eq!(service.count(), 3);

        // A subscription the service says is gone is dropped: no more deliveries to it.
        citizen
            .set_notification_settings(&NotificationSettings::default())
            .await
            .unwrap();
        service.answers.lock().unwrap().push_back(410);
        citizen
            .book(&request(&item, &open[3], "push-key-002"))
            .await
            .unwrap();
        let gone = newest(&citizen).await;
        settled(&citizen, gone, DeliveryStatus::PermanentFailure).await;
        let again = citizen
            .book(&request(&item, &open[4], "push-key-003"))
            .await
            .unwrap_err();
        assert_eq!(again.status(), Some(409), "one booking per item");
        citizen.mark_all_read().await.unwrap();
        let list = citizen.bookings().await.unwrap();
        let active = list
            .iter()
            .find(|x| x.state == onewindow_api::booking::BookingState::Active)
            .unwrap();
        citizen.cancel_booking(active.id).await.unwrap();
        let after = newest(&citizen).await;
        assert!(citizen.deliveries(after).await.unwrap().is_empty());
    }
}

/// On a server as deployed, endpoints inside its own network are refused (SSRF).
async fn local_endpoints_are_refused_by_default() {
    let server = TestServer::shared(backends()[0]);
    let (citizen, _, _) = applicant(server, None).await;
    let keys = PushKeys {
        p256dh: URL_SAFE_NO_PAD.encode(
            p256::SecretKey::from_slice(&[7u8; 32])
                .unwrap()
                .public_key()
                .to_encoded_point(false)
                .as_bytes(),
        ),
        auth: URL_SAFE_NO_PAD.encode([1u8; 16]),
    };
    for endpoint in [
        "http://127.0.0.1:9/push",
        "https://127.0.0.1/push",
        "https://localhost/push",
        "https://10.1.2.3/push",
        "https://192.168.1.1/push",
        "https://[::1]/push",
        "http://push.example.com/push",
    ] {
        let s = PushSubscription {
            endpoint: endpoint.into(),
            keys: keys.clone(),
        };
        assert_eq!(
            citizen.push_subscribe(&s).await.unwrap_err().status(),
            Some(422),
            "{endpoint}"
        );
    }
    let public = PushSubscription {
        endpoint: "https://push.example.com/send/abc".into(),
        keys,
    };
    citizen.push_subscribe(&public).await.unwrap();
}
