//! The mobile push gateways against local stand-ins that check the protocols: FCM HTTP v1
//! (a service-account JWT exchanged for an access token, reused, then `messages:send`
//! with it) and APNs (an ES256 provider token with its key id over HTTP/2, the topic and
//! push type). Retries, gone tokens and a server without gateways, on SQLite and
//! PostgreSQL.

use crate::bookings::{bookable, request};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Version};
use axum::Json;
use onewindow_api::booking::{RescheduleRequest, SlotQuery};
use onewindow_api::notification::{DeliveryStatus, DeviceRegistration, PushPlatform};
use onewindow_tests::cases::{applicant, TestClient};
use onewindow_tests::{backends, TestServer};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use web_push_native::jwt_simple::prelude::*;

const PROJECT: &str = "linjiang-demo";
const TEAM: &str = "TEAM123456";
const KEY_ID: &str = "KEY1234567";
const TOPIC: &str = "org.onewindow.app";
const ACCESS: &str = "fcm-access-token-1";

/// What a stand-in received, and the statuses it answers with next (200 when empty).
#[derive(Clone)]
struct Gateway {
    got: Arc<Mutex<Vec<serde_json::Value>>>,
    answers: Arc<Mutex<VecDeque<(u16, &'static str)>>>,
    token_requests: Arc<Mutex<u32>>,
    fcm_key: RS256PublicKey,
    apns_key: ES256PublicKey,
    base: Arc<Mutex<String>>,
}

impl Gateway {
    fn answer(&self) -> (StatusCode, String) {
        let (s, body) = self
            .answers
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or((200, "{}"));
        (StatusCode::from_u16(s).unwrap(), body.to_owned())
    }

    async fn wait_for(&self, n: usize) {
        for _ in 0..100 {
            if self.got.lock().unwrap().len() >= n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the gateway got {:?}", self.got.lock().unwrap());
    }
}

/// FCM's OAuth token endpoint: a valid RS256 assertion for the messaging scope.
async fn token(
    State(g): State<Gateway>,
    axum::Form(f): axum::Form<std::collections::HashMap<String, String>>,
) -> (StatusCode, String) {
    assert_eq!(
        f["grant_type"],
        "urn:ietf:params:oauth:grant-type:jwt-bearer"
    );
    let claims = g
        .fcm_key
        .verify_token::<serde_json::Value>(&f["assertion"], None)
        .expect("an assertion signed with the service account's key");
    assert_eq!(claims.issuer.as_deref(), Some("push@linjiang-demo.iam"));
    let aud = claims.audiences.unwrap().into_set();
    assert!(
        aud.contains(&format!("{}/token", g.base.lock().unwrap())),
        "{aud:?}"
    );
    assert_eq!(
        claims.custom["scope"],
        "https://www.googleapis.com/auth/firebase.messaging"
    );
    *g.token_requests.lock().unwrap() += 1;
    let body =
        serde_json::json!({"access_token": ACCESS, "expires_in": 3600, "token_type": "Bearer"});
    (StatusCode::OK, body.to_string())
}

/// FCM's `messages:send`.
async fn fcm_send(
    State(g): State<Gateway>,
    Path(project): Path<String>,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> (StatusCode, String) {
    assert_eq!(project, PROJECT);
    assert_eq!(headers["authorization"], format!("Bearer {ACCESS}"));
    assert!(
        body["message"]["token"].is_string()
            && body["message"]["notification"]["title"].is_string()
    );
    g.got.lock().unwrap().push(serde_json::json!({"fcm": body}));
    g.answer()
}

/// APNs: HTTP/2, a provider token with the key id, the topic and the push type.
async fn apns_send(
    State(g): State<Gateway>,
    Path(device): Path<String>,
    version: Version,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> (StatusCode, String) {
    assert_eq!(version, Version::HTTP_2);
    let bearer = headers["authorization"]
        .to_str()
        .unwrap()
        .strip_prefix("bearer ")
        .unwrap();
    let meta = Token::decode_metadata(bearer).unwrap();
    assert_eq!(meta.key_id(), Some(KEY_ID));
    let claims = g
        .apns_key
        .verify_token::<NoCustomClaims>(bearer, None)
        .expect("a provider token signed with the .p8 key");
    assert_eq!(claims.issuer.as_deref(), Some(TEAM));
    assert_eq!(headers["apns-topic"], TOPIC);
    assert_eq!(headers["apns-push-type"], "alert");
    assert!(body["aps"]["alert"]["title"].is_string());
    g.got
        .lock()
        .unwrap()
        .push(serde_json::json!({"apns": device, "body": body}));
    g.answer()
}

async fn newest(c: &TestClient) -> onewindow_api::ids::NotificationId {
    c.notifications(&Default::default()).await.unwrap().items[0].id
}

/// Waits until the notification's deliveries have these (channel, status) pairs.
async fn settled(
    c: &TestClient,
    id: onewindow_api::ids::NotificationId,
    want: &[(&str, DeliveryStatus)],
) {
    for _ in 0..100 {
        let mut d: Vec<_> = c
            .deliveries(id)
            .await
            .unwrap()
            .into_iter()
            .map(|d| (d.channel, d.status))
            .collect();
        d.sort_by(|a, b| a.0.cmp(&b.0));
        if d.iter()
            .map(|(c, s)| (c.as_str(), *s))
            .eq(want.iter().copied())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{:?}", c.deliveries(id).await.unwrap());
}

#[tokio::test]
async fn fcm_and_apns_are_spoken_correctly_and_retried() {
    let fcm_pair = RS256KeyPair::generate(2048).unwrap();
    let apns_pair = ES256KeyPair::generate();
    for backend in backends() {
        let g = Gateway {
            got: Default::default(),
            answers: Default::default(),
            token_requests: Default::default(),
            fcm_key: fcm_pair.public_key(),
            apns_key: apns_pair.public_key(),
            base: Default::default(),
        };
        let app = axum::Router::new()
            .route("/token", axum::routing::post(token))
            .route(
                "/v1/projects/{project}/messages:send",
                axum::routing::post(fcm_send),
            )
            .route("/3/device/{device}", axum::routing::post(apns_send))
            .with_state(g.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        *g.base.lock().unwrap() = base.clone();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let (fcm_pem, apns_pem) = (fcm_pair.to_pem().unwrap(), apns_pair.to_pem().unwrap());
        let server = TestServer::start_with(backend, |c| {
            c.push.poll_ms = 200;
            c.push.retry_base_seconds = 1;
            c.push.fcm_project_id = PROJECT.into();
            c.push.fcm_client_email = "push@linjiang-demo.iam".into();
            c.push.fcm_private_key = fcm_pem.clone();
            c.push.fcm_token_uri = format!("{base}/token");
            c.push.fcm_endpoint = base.clone();
            c.push.apns_team_id = TEAM.into();
            c.push.apns_key_id = KEY_ID.into();
            c.push.apns_private_key = apns_pem.clone();
            c.push.apns_topic = TOPIC.into();
            c.push.apns_endpoint = base.clone();
        });
        let (citizen, _, _) = applicant(&server, None).await;
        let device = |platform, token: &str| DeviceRegistration {
            platform,
            token: token.into(),
        };
        let e = citizen
            .register_device(&device(PushPlatform::Fcm, "short"))
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(422));
        citizen
            .register_device(&device(PushPlatform::Fcm, "fcm-registration-token-1"))
            .await
            .unwrap();
        citizen
            .register_device(&device(PushPlatform::Apns, "a1b2c3d4e5f6a7b8"))
            .await
            .unwrap();

        // A booking's confirmation reaches both gateways.
        let item = bookable(&citizen).await;
        let open = citizen
            .slots(item.code.as_str(), &SlotQuery::default())
            .await
            .unwrap();
        let b = citizen
            .book(&request(&item, &open[0], "gw-key-0001"))
            .await
            .unwrap();
        let first = newest(&citizen).await;
        g.wait_for(2).await;
        settled(
            &citizen,
            first,
            &[
                ("apns", DeliveryStatus::Delivered),
                ("fcm", DeliveryStatus::Delivered),
            ],
        )
        .await;

        // FCM busy once: retried. APNs says the device is gone: dropped for good.
        g.answers
            .lock()
            .unwrap()
            .extend([(503, "{}"), (410, r#"{"reason":"Unregistered"}"#)]);
        let to = |i: usize| RescheduleRequest {
            hall: open[i].hall.clone(),
            window: open[i].window.clone(),
            start: open[i].start,
        };
        citizen.reschedule_booking(b.id, &to(1)).await.unwrap();
        let second = newest(&citizen).await;
        settled(
            &citizen,
            second,
            &[
                ("apns", DeliveryStatus::PermanentFailure),
                ("fcm", DeliveryStatus::Delivered),
            ],
        )
        .await;
        let attempts: Vec<u32> = citizen
            .deliveries(second)
            .await
            .unwrap()
            .iter()
            .map(|d| d.attempts)
            .collect();
        assert!(attempts.contains(&2), "{attempts:?}");

        // Only FCM is left; it says the token is unregistered: dropped too.
        g.answers
            .lock()
            .unwrap()
            .push_back((404, r#"{"error":{"status":"NOT_FOUND"}}"#));
        citizen.cancel_booking(b.id).await.unwrap();
        let third = newest(&citizen).await;
        settled(
            &citizen,
            third,
            &[("fcm", DeliveryStatus::PermanentFailure)],
        )
        .await;
        citizen
            .book(&request(&item, &open[2], "gw-key-0002"))
            .await
            .unwrap();
        let fourth = newest(&citizen).await;
        assert!(citizen.deliveries(fourth).await.unwrap().is_empty());
        // The access token was fetched once and reused.
        assert_eq!(*g.token_requests.lock().unwrap(), 1);
    }
}

#[tokio::test]
async fn without_a_gateway_devices_are_refused_clearly() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, _, _) = applicant(server, None).await;
        let e = citizen
            .register_device(&DeviceRegistration {
                platform: PushPlatform::Apns,
                token: "a1b2c3d4e5f6a7b8".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(422));
    }
}
