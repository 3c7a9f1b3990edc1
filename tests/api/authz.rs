//! The authorisation matrix: every endpoint of the OpenAPI document (the test fails if
//! one is missing, unless it names where else it is tested), tried as every kind of
//! actor, on SQLite and PostgreSQL. Each cell is the status that actor must get. Mutating calls are
//! chosen to fail harmlessly *after* the authorisation check (a 409 or 422 proves the
//! actor got through), so one set of cases serves the whole table.

use onewindow_api::account::Role;
use onewindow_api::application::LookupRequest;
use onewindow_api::case::CaseAction;
use onewindow_api::catalogue::Audience;
use onewindow_api::rating::{RatingRequest, Satisfaction};
use onewindow_api::thread::{NewThreadRequest, ThreadKind, ThreadSubject};
use onewindow_tests::cases::{
    act, applicant, colleague, complete_draft, completed, officer, pdf, pick_item, staff,
    submitted, unique_credit_code, TestClient,
};
use onewindow_tests::{backends, TestServer};

/// The actors, in the order of the table's columns.
const ACTORS: [&str; 8] = [
    "anonymous",
    "owner",
    "colleague",
    "outsider",
    "lead staff",
    "other staff",
    "consulted staff",
    // A supervisor: reads any submitted case (not drafts), acts on none.
    "admin",
];

#[tokio::test]
async fn every_endpoint_as_every_actor() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let company = unique_credit_code();
        let (owner, owner_id, _) = applicant(server, Some(&company)).await;
        let (colleague, _, _) = colleague(server, &company, &owner).await;
        let (outsider, _, _) = applicant(server, None).await;
        let item = pick_item(&owner, Audience::Business).await;
        let lead_code = item.department.as_str();
        let mut free = ["PSB", "CAB", "HRSS", "AMR", "TAX"]
            .into_iter()
            .filter(|d| *d != lead_code);
        let (other_code, consulted_code) = (free.next().unwrap(), free.next().unwrap());
        let lead = staff(server, lead_code).await;
        let other = staff(server, other_code).await;
        let consulted = staff(server, consulted_code).await;
        let admin = officer(server, Role::Admin, None).await;

        // A case under review with a consulted department, and a draft.
        let review = submitted(&owner, &item, &owner_id).await;
        let accepted = lead
            .transition(review.id, &act(CaseAction::Accept))
            .await
            .unwrap();
        let number = accepted.number.clone().unwrap();
        let mut start = act(CaseAction::StartReview);
        start.consult = vec![consulted_code.into()];
        let review = lead.transition(review.id, &start).await.unwrap();
        let draft = complete_draft(&owner, &item, &owner_id).await;
        let (r, d) = (review.id, draft.id);
        let file = review.files[0].id;
        // A booking of the owner's at a window of the lead department, and which of the
        // staff serve that window (hall staff see the bookings of the windows they serve).
        let booking = book_something(&owner, lead_code).await;
        let booked = owner.booking(booking).await.unwrap();
        let (hall, window) = (booked.hall.to_string(), booked.window.clone());
        let serving = serving_departments(&owner, &hall, Some(&window)).await;
        let hall_departments = serving_departments(&owner, &hall, None).await;
        let serves = |code: &str| serving.iter().any(|d| d == code);
        // Staff of a window's department get the booking's real answer; others a 404.
        let hall_staff = |answer: u16| {
            [
                401,
                403,
                403,
                403,
                if serves(lead_code) { answer } else { 404 },
                if serves(other_code) { answer } else { 404 },
                if serves(consulted_code) { answer } else { 404 },
                answer,
            ]
        };
        assert!(
            serves(lead_code),
            "the booking's window serves its item's department"
        );
        // A complaint of the owner's about the case, with an attachment.
        let thread = owner
            .open_thread(&NewThreadRequest {
                kind: ThreadKind::Complaint,
                subject: ThreadSubject::Case(r),
                title: "受理太慢".into(),
                text: "材料交齐三天了还没有受理。".into(),
            })
            .await
            .unwrap();
        let t = thread.id;
        let tf = owner
            .attach_to_thread(t, "scan.pdf", pdf(700))
            .await
            .unwrap()
            .id;
        // A completed case of the owner's with a bad rating, which opens a rectification.
        let done = submitted(&owner, &item, &owner_id).await;
        completed(&lead, done.id).await;
        let rt = owner
            .rate_case(
                done.id,
                &RatingRequest {
                    level: Satisfaction::VeryDissatisfied,
                    dimensions: Vec::new(),
                    comment: "等了两个小时。".into(),
                },
            )
            .await
            .unwrap()
            .id;
        // A push subscription of the admin's (the last column, so that every other actor
        // tries to remove it first). Devices need a gateway this server lacks, so their
        // removal is tried on a device nobody has.
        let device = serde_json::json!({"platform": "fcm", "token": "matrix-device-token-0001"});
        let (subscription, _, _) =
            crate::push::subscription_at("https://push.example.com/matrix/0001".into());
        admin.push_subscribe(&subscription).await.unwrap();
        let unsubscribe = serde_json::json!({"endpoint": subscription.endpoint});
        let slot = review.files[0].slot.clone();
        // Its confirmation, in the owner's notification centre.
        let note = owner
            .notifications(&Default::default())
            .await
            .unwrap()
            .items[0]
            .id;

        let actors: [Option<&TestClient>; 8] = [
            None,
            Some(&owner),
            Some(&colleague),
            Some(&outsider),
            Some(&lead),
            Some(&other),
            Some(&consulted),
            Some(&admin),
        ];
        let json = |v: serde_json::Value| Some(("application/json", v.to_string().into_bytes()));
        let bytes = || Some(("application/octet-stream", pdf(600)));
        type Body = Option<(&'static str, Vec<u8>)>;
        let table: Vec<(&str, String, Body, [u16; 8])> = vec![
            (
                "GET",
                format!("/applications/{r}"),
                None,
                [401, 200, 200, 404, 200, 404, 200, 200],
            ),
            (
                "PUT",
                format!("/applications/{r}/form"),
                json(serde_json::json!({"form": {}})),
                [401, 409, 409, 404, 403, 404, 403, 403],
            ),
            (
                "DELETE",
                format!("/applications/{r}"),
                None,
                [401, 409, 409, 404, 403, 404, 403, 403],
            ),
            (
                "POST",
                format!("/applications/{r}/submit"),
                json(serde_json::json!({"idempotency_key": "matrix-key-1"})),
                [401, 409, 409, 404, 403, 404, 403, 403],
            ),
            (
                "POST",
                format!("/applications/{d}/withdraw"),
                json(serde_json::json!({})),
                [401, 409, 409, 404, 404, 404, 404, 404],
            ),
            (
                "POST",
                format!("/applications/{r}/confirm-receipt"),
                json(serde_json::json!({})),
                [401, 409, 409, 404, 403, 404, 403, 403],
            ),
            (
                "POST",
                format!("/applications/{r}/materials/{slot}"),
                bytes(),
                [401, 409, 409, 404, 403, 404, 403, 403],
            ),
            (
                "GET",
                format!("/applications/{r}/files/{file}"),
                None,
                [401, 200, 200, 404, 200, 404, 200, 200],
            ),
            (
                "DELETE",
                format!("/applications/{r}/files/{file}"),
                None,
                [401, 409, 409, 404, 403, 404, 403, 403],
            ),
            (
                "POST",
                format!("/applications/{r}/materials/{slot}/from-wallet"),
                json(serde_json::json!({"document": 999999})),
                [401, 409, 409, 404, 403, 404, 403, 403],
            ),
            (
                "POST",
                format!("/applications/{r}/transitions"),
                json(serde_json::json!({"action": "accept"})),
                [401, 403, 403, 404, 409, 404, 403, 403],
            ),
            (
                "POST",
                format!("/applications/{r}/opinions"),
                json(serde_json::json!({"opinion": "disagree"})),
                [401, 403, 403, 404, 403, 404, 422, 403],
            ),
            (
                "POST",
                format!("/applications/{r}/result"),
                bytes(),
                [401, 403, 403, 404, 409, 404, 403, 403],
            ),
            (
                "GET",
                "/staff/applications".into(),
                None,
                [401, 403, 403, 403, 200, 200, 200, 403],
            ),
            (
                "GET",
                "/staff/applications?consulted=true".into(),
                None,
                [401, 403, 403, 403, 200, 200, 200, 403],
            ),
            (
                "GET",
                "/staff/supervision".into(),
                None,
                [401, 403, 403, 403, 200, 200, 200, 200],
            ),
            (
                "GET",
                "/applications".into(),
                None,
                [401, 200, 200, 200, 403, 403, 403, 403],
            ),
            (
                "GET",
                "/applications/export.csv".into(),
                None,
                [401, 200, 200, 200, 403, 403, 403, 403],
            ),
            (
                "POST",
                "/applications".into(),
                json(serde_json::json!({"item": "NOPE-1", "case": "x"})),
                [401, 404, 404, 404, 403, 403, 403, 403],
            ),
            (
                "GET",
                "/me".into(),
                None,
                [401, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "GET",
                "/me/documents".into(),
                None,
                [401, 200, 200, 200, 403, 403, 403, 403],
            ),
            (
                "GET",
                "/me/documents/999999".into(),
                None,
                [401, 404, 404, 404, 404, 404, 404, 404],
            ),
            (
                "DELETE",
                "/me/documents/999999".into(),
                None,
                [401, 404, 404, 404, 404, 404, 404, 404],
            ),
            (
                "GET",
                "/me/company/members".into(),
                None,
                [401, 200, 200, 403, 403, 403, 403, 403],
            ),
            (
                "POST",
                "/me/company/members/999999/confirm".into(),
                None,
                [401, 404, 404, 403, 403, 403, 403, 403],
            ),
            (
                "DELETE",
                "/me/company/members/999999".into(),
                None,
                [401, 404, 404, 403, 403, 403, 403, 403],
            ),
            (
                "GET",
                "/me/agents".into(),
                None,
                [401, 200, 200, 200, 403, 403, 403, 403],
            ),
            (
                "POST",
                "/me/agents".into(),
                json(serde_json::json!({"agent_phone": ""})),
                [401, 403, 403, 422, 403, 403, 403, 403],
            ),
            (
                "DELETE",
                "/me/agents/999999".into(),
                None,
                [401, 404, 404, 404, 404, 404, 404, 404],
            ),
            (
                "GET",
                format!("/bookings/{booking}"),
                None,
                [401, 200, 404, 404, 404, 404, 404, 404],
            ),
            (
                "GET",
                format!("/bookings/{booking}/calendar.ics"),
                None,
                [401, 200, 404, 404, 404, 404, 404, 404],
            ),
            (
                "GET",
                "/bookings".into(),
                None,
                [401, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "POST",
                "/bookings".into(),
                json(
                    serde_json::json!({"item": "PSB-0101", "hall": "HALL-CITY", "window": "A01", "start": "2026-01-01T09:00:00", "idempotency_key": "x"}),
                ),
                [401, 422, 422, 422, 403, 403, 403, 403],
            ),
            (
                "POST",
                "/staff/check-in".into(),
                json(serde_json::json!({"code": "NOPE0000"})),
                [401, 403, 403, 403, 404, 404, 404, 404],
            ),
            (
                "GET",
                "/notifications".into(),
                None,
                [401, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "POST",
                format!("/notifications/{note}/read"),
                None,
                [401, 204, 404, 404, 404, 404, 404, 404],
            ),
            (
                "GET",
                "/me/ratings".into(),
                None,
                [401, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "GET",
                "/ratings/999999".into(),
                None,
                [401, 404, 404, 404, 404, 404, 404, 404],
            ),
            (
                "GET",
                "/staff/rectifications".into(),
                None,
                [401, 403, 403, 403, 200, 200, 200, 200],
            ),
            (
                "POST",
                format!("/applications/{r}/rating"),
                json(serde_json::json!({"level": "satisfied"})),
                [401, 409, 403, 404, 403, 404, 403, 403],
            ),
            (
                "POST",
                format!("/bookings/{booking}/rating"),
                json(serde_json::json!({"level": "satisfied"})),
                [401, 409, 404, 404, 404, 404, 404, 404],
            ),
            (
                "GET",
                "/me/threads".into(),
                None,
                [401, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "GET",
                "/threads/999999".into(),
                None,
                [401, 404, 404, 404, 404, 404, 404, 404],
            ),
            (
                "GET",
                "/staff/threads".into(),
                None,
                [401, 403, 403, 403, 200, 200, 200, 200],
            ),
            (
                "POST",
                "/threads".into(),
                json(
                    serde_json::json!({"kind": "question", "subject": {"kind": "case", "id": 1}, "title": "", "text": ""}),
                ),
                [401, 422, 422, 422, 403, 403, 403, 403],
            ),
            (
                "GET",
                "/stats".into(),
                None,
                [200, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "GET",
                "/push/vapid-public-key".into(),
                None,
                [200, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "GET",
                "/me/notification-settings".into(),
                None,
                [401, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "GET",
                format!("/notifications/{note}/deliveries"),
                None,
                [401, 200, 404, 404, 404, 404, 404, 404],
            ),
            (
                "GET",
                format!("/threads/{t}"),
                None,
                [401, 200, 404, 404, 200, 404, 404, 200],
            ),
            (
                "POST",
                format!("/threads/{t}/messages"),
                json(serde_json::json!({"text": ""})),
                [401, 422, 404, 404, 422, 404, 404, 422],
            ),
            (
                "POST",
                format!("/threads/{t}/attachments"),
                Some(("application/octet-stream", Vec::new())),
                [401, 422, 404, 404, 422, 404, 404, 422],
            ),
            (
                "GET",
                format!("/threads/{t}/attachments/{tf}"),
                None,
                [401, 200, 404, 404, 200, 404, 404, 200],
            ),
            (
                "POST",
                format!("/threads/{t}/close"),
                None,
                [401, 200, 404, 404, 403, 404, 404, 403],
            ),
            (
                "GET",
                format!("/ratings/{rt}"),
                None,
                [401, 200, 404, 404, 200, 404, 404, 200],
            ),
            (
                "POST",
                format!("/ratings/{rt}/verdict"),
                json(serde_json::json!({"solved": true})),
                [401, 409, 404, 404, 403, 404, 404, 403],
            ),
            (
                "POST",
                format!("/staff/rectifications/{rt}/answer"),
                json(serde_json::json!({"answer": ""})),
                [401, 403, 403, 403, 422, 404, 404, 422],
            ),
            ("GET", format!("/staff/bookings?hall={hall}"), None, {
                // The day's list answers staff serving any window of the hall (with
                // only their windows' bookings, checked below).
                let mut row = hall_staff(200);
                for (i, code) in [(4, lead_code), (5, other_code), (6, consulted_code)] {
                    if hall_departments.iter().any(|d| d == code) {
                        row[i] = 200;
                    }
                }
                row
            }),
            (
                "POST",
                "/staff/blocks".into(),
                json(
                    serde_json::json!({"hall": hall, "window": window, "start": "2030-01-02T10:00:00", "end": "2030-01-02T09:00:00", "reason": "matrix"}),
                ),
                hall_staff(422),
            ),
            (
                "POST",
                format!("/staff/bookings/{booking}/no-show"),
                None,
                {
                    let mut row = hall_staff(409);
                    row[1..4].copy_from_slice(&[403, 403, 403]);
                    row
                },
            ),
            (
                "POST",
                format!("/bookings/{booking}/reschedule"),
                json(
                    serde_json::json!({"hall": hall, "window": window, "start": "2020-01-01T09:00:00"}),
                ),
                [401, 422, 404, 404, 404, 404, 404, 404],
            ),
            (
                "POST",
                "/notifications/read-all".into(),
                None,
                [401, 204, 204, 204, 204, 204, 204, 204],
            ),
            (
                "PUT",
                "/me/notification-settings".into(),
                json(serde_json::json!({"push_muted": []})),
                [401, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "POST",
                "/me/devices".into(),
                json(serde_json::json!({"platform": "fcm", "token": "x"})),
                [401, 422, 422, 422, 422, 422, 422, 422],
            ),
            (
                "DELETE",
                "/me/devices".into(),
                json(device.clone()),
                [401, 404, 404, 404, 404, 404, 404, 404],
            ),
            (
                "POST",
                "/me/push-subscriptions".into(),
                json(serde_json::json!({"endpoint": "", "keys": {"p256dh": "", "auth": ""}})),
                [401, 422, 422, 422, 422, 422, 422, 422],
            ),
            (
                "DELETE",
                "/me/push-subscriptions".into(),
                json(unsubscribe.clone()),
                [401, 404, 404, 404, 404, 404, 404, 204],
            ),
            // The public catalogue, for everyone.
            ("GET", "/departments".into(), None, [200; 8]),
            ("GET", "/themes".into(), None, [200; 8]),
            ("GET", "/halls".into(), None, [200; 8]),
            ("GET", "/services".into(), None, [200; 8]),
            ("GET", format!("/services/{}", item.code), None, [200; 8]),
            (
                "GET",
                format!("/services/{}/slots", booked.item),
                None,
                [200; 8],
            ),
            ("GET", "/search?q=%E8%90%A5%E4%B8%9A".into(), None, [200; 8]),
            ("GET", "/search/corpus".into(), None, [200; 8]),
            // Signing in and registering ignore any session. Wrong passwords for one
            // account: from the sixth within the window (auth.login_max_failures = 5)
            // the answer is 429, whoever asks.
            (
                "POST",
                "/auth/login".into(),
                json(
                    serde_json::json!({"login": onewindow_tests::unique_phone(), "password": "not the password"}),
                ),
                [401, 401, 401, 401, 401, 429, 429, 429],
            ),
            (
                "POST",
                "/auth/register".into(),
                json(serde_json::json!({"id_number": "", "name": "", "phone": "", "password": ""})),
                [422; 8],
            ),
            // Last: the owner's call really cancels.
            (
                "POST",
                format!("/bookings/{booking}/cancel"),
                None,
                [401, 200, 404, 404, 404, 404, 404, 404],
            ),
        ];

        // Every operation of the OpenAPI document is in the table or tested elsewhere.
        let http = reqwest::Client::new();
        let doc: serde_json::Value = http
            .get(format!("{}/api/openapi.json", server.base_url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut missing = Vec::new();
        for (template, ops) in doc["paths"].as_object().unwrap() {
            for method in ops.as_object().unwrap().keys() {
                let method = method.to_uppercase();
                let covered = table
                    .iter()
                    .any(|(m, p, _, _)| *m == method && matches(template, &format!("/api/v1{p}")))
                    || ELSEWHERE
                        .iter()
                        .any(|(m, p, _)| *m == method && p == template);
                if !covered {
                    missing.push(format!("{method} {template}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "operations missing from the authorisation matrix:\n{}",
            missing.join("\n")
        );

        let mut wrong = Vec::new();
        for (method, path, body, expected) in &table {
            for (i, actor) in actors.iter().enumerate() {
                let url = format!("{}/api/v1{path}", server.base_url);
                let mut req = http.request(method.parse().unwrap(), &url);
                if let Some(token) = actor.and_then(|c| c.token()) {
                    req = req.bearer_auth(token);
                }
                if let Some((media, bytes)) = body {
                    req = req.header("content-type", *media).body(bytes.clone());
                }
                let got = req.send().await.unwrap().status().as_u16();
                if got != expected[i] {
                    wrong.push(format!(
                        "{method} {path} as {}: {got}, expected {}",
                        ACTORS[i], expected[i]
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{backend:?}:\n{}", wrong.join("\n"));

        // A day list shows only the bookings of windows its reader serves.
        for (c, code) in [
            (&lead, lead_code),
            (&other, other_code),
            (&consulted, consulted_code),
        ] {
            let q = onewindow_api::booking::DayQuery {
                hall: booked.hall.clone(),
                date: Some(booked.start.date().format("%Y-%m-%d").to_string()),
                window: None,
            };
            if let Ok(day) = c.staff_day(&q).await {
                let listed = day.bookings.iter().any(|b| b.booking.id == booking);
                assert_eq!(
                    listed,
                    serves(code),
                    "{code} staff and the booking's window"
                );
            }
        }

        // What the lists show, not only whether they answer.
        for (c, sees) in [(&owner, true), (&colleague, true), (&outsider, false)] {
            assert_eq!(lists(c, r, false).await, sees);
        }
        for (c, sees) in [(&lead, true), (&other, false), (&consulted, false)] {
            assert_eq!(lists(c, r, true).await, sees);
        }
        assert!(consulted
            .consulted_queue(1, 100)
            .await
            .unwrap()
            .items
            .iter()
            .any(|s| s.id == r));
        assert!(!other
            .consulted_queue(1, 100)
            .await
            .unwrap()
            .items
            .iter()
            .any(|s| s.id == r));

        // The anonymous lookup needs the number and the applicant's own ID number.
        let anon = server.client();
        let lookup = |id_number: &str| LookupRequest {
            number: number.clone(),
            id_number: id_number.into(),
        };
        assert!(anon.lookup(&lookup(&owner_id)).await.is_ok());
        let stranger_id = onewindow_tests::unique_id_number();
        assert_eq!(
            anon.lookup(&lookup(&stranger_id))
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
    }
}

/// Operations of the OpenAPI document that the table leaves to other tests, and why.
const ELSEWHERE: [(&str, &str, &str); 5] = [
    (
        "POST",
        "/api/v1/lookup",
        "the anonymous lookup is checked below the table, with the right and a wrong ID number",
    ),
    (
        "POST",
        "/api/v1/auth/logout",
        "it ends the actor's session; tests/api/auth.rs checks revocation",
    ),
    (
        "GET",
        "/api/v1/notifications/stream",
        "a stream that stays open; tests/api/live.rs checks that it needs a session and carries only the user's own notifications",
    ),
    ("GET", "/healthz", "public liveness; tests/api/ops.rs"),
    ("GET", "/readyz", "public readiness; tests/api/ops.rs"),
];

/// Whether a concrete path (its query ignored) fits an OpenAPI path template.
fn matches(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
}

/// The departments that the window `window` of the hall `hall` serves (all its windows
/// when `None`).
async fn serving_departments(c: &TestClient, hall: &str, window: Option<&str>) -> Vec<String> {
    c.halls()
        .await
        .unwrap()
        .into_iter()
        .filter(|h| h.code.as_str() == hall)
        .flat_map(|h| h.windows)
        .filter(|w| window.is_none_or(|code| w.code == code))
        .flat_map(|w| w.departments)
        .map(|d| d.to_string())
        .collect()
}

/// Whether `c`'s list (its applications, or as staff its department's queue) shows `id`.
async fn lists(c: &TestClient, id: onewindow_api::ids::CaseId, queue: bool) -> bool {
    let page = if queue {
        c.staff_queue(None, 1, 100).await
    } else {
        c.applications(1, 100).await
    };
    page.unwrap().items.iter().any(|s| s.id == id)
}

/// Books the first open slot of a bookable item of `department` for `c`; its id.
async fn book_something(c: &TestClient, department: &str) -> onewindow_api::ids::BookingId {
    use onewindow_api::booking::{BookingRequest, SlotQuery};
    let q = onewindow_api::query::ServiceQuery {
        per_page: Some(100),
        ..Default::default()
    };
    for s in c.services(&q).await.unwrap().items {
        if !s.online.appointment || s.department.as_str() != department {
            continue;
        }
        let open = c
            .slots(s.code.as_str(), &SlotQuery::default())
            .await
            .unwrap();
        if let Some(slot) = open.first() {
            let b = c
                .book(&BookingRequest {
                    item: s.code.clone(),
                    hall: slot.hall.clone(),
                    window: slot.window.clone(),
                    start: slot.start,
                    idempotency_key: "matrix-booking".into(),
                    application: None,
                })
                .await
                .unwrap();
            return b.id;
        }
    }
    panic!("nothing of {department} is bookable");
}
