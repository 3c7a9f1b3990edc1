//! The authorisation matrix: every endpoint that touches applications, the back office,
//! the wallet, agents, bookings or notifications, tried as every kind of actor, on SQLite
//! and PostgreSQL. Each cell is the status that actor must get. Mutating calls are
//! chosen to fail harmlessly *after* the authorisation check (a 409 or 422 proves the
//! actor got through), so one set of cases serves the whole table.

use onewindow_api::account::Role;
use onewindow_api::application::LookupRequest;
use onewindow_api::case::CaseAction;
use onewindow_api::catalogue::Audience;
use onewindow_tests::cases::{
    act, applicant, complete_draft, officer, pdf, pick_item, staff, submitted, unique_credit_code,
    TestClient,
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
    "admin",
];

#[tokio::test]
async fn every_endpoint_as_every_actor() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let company = unique_credit_code();
        let (owner, owner_id, _) = applicant(server, Some(&company)).await;
        let (colleague, _, _) = applicant(server, Some(&company)).await;
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
        // A booking of the owner's.
        let booking = book_something(&owner).await;
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
                [401, 200, 200, 404, 200, 404, 200, 404],
            ),
            (
                "PUT",
                format!("/applications/{r}/form"),
                json(serde_json::json!({"form": {}})),
                [401, 409, 409, 404, 403, 404, 403, 404],
            ),
            (
                "DELETE",
                format!("/applications/{r}"),
                None,
                [401, 409, 409, 404, 403, 404, 403, 404],
            ),
            (
                "POST",
                format!("/applications/{r}/submit"),
                json(serde_json::json!({"idempotency_key": "matrix-key-1"})),
                [401, 409, 409, 404, 403, 404, 403, 404],
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
                [401, 409, 409, 404, 403, 404, 403, 404],
            ),
            (
                "POST",
                format!("/applications/{r}/materials/{slot}"),
                bytes(),
                [401, 409, 409, 404, 403, 404, 403, 404],
            ),
            (
                "GET",
                format!("/applications/{r}/files/{file}"),
                None,
                [401, 200, 200, 404, 200, 404, 200, 404],
            ),
            (
                "DELETE",
                format!("/applications/{r}/files/{file}"),
                None,
                [401, 409, 409, 404, 403, 404, 403, 404],
            ),
            (
                "POST",
                format!("/applications/{r}/materials/{slot}/from-wallet"),
                json(serde_json::json!({"document": 999999})),
                [401, 409, 409, 404, 403, 404, 403, 404],
            ),
            (
                "POST",
                format!("/applications/{r}/transitions"),
                json(serde_json::json!({"action": "accept"})),
                [401, 403, 403, 404, 409, 404, 403, 404],
            ),
            (
                "POST",
                format!("/applications/{r}/opinions"),
                json(serde_json::json!({"opinion": "disagree"})),
                [401, 403, 403, 404, 403, 404, 422, 404],
            ),
            (
                "POST",
                format!("/applications/{r}/result"),
                bytes(),
                [401, 403, 403, 404, 409, 404, 403, 404],
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
                [401, 409, 403, 404, 403, 404, 403, 404],
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
            // Last: the owner's call really cancels.
            (
                "POST",
                format!("/bookings/{booking}/cancel"),
                None,
                [401, 200, 404, 404, 404, 404, 404, 404],
            ),
        ];

        let http = reqwest::Client::new();
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

/// Whether `c`'s list (its applications, or as staff its department's queue) shows `id`.
async fn lists(c: &TestClient, id: onewindow_api::ids::CaseId, queue: bool) -> bool {
    let page = if queue {
        c.staff_queue(None, 1, 100).await
    } else {
        c.applications(1, 100).await
    };
    page.unwrap().items.iter().any(|s| s.id == id)
}

/// Books the first open slot of a bookable item for `c`; its id.
async fn book_something(c: &TestClient) -> onewindow_api::ids::BookingId {
    use onewindow_api::booking::{BookingRequest, SlotQuery};
    let q = onewindow_api::query::ServiceQuery {
        per_page: Some(100),
        ..Default::default()
    };
    for s in c.services(&q).await.unwrap().items {
        if !s.online.appointment {
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
    panic!("nothing bookable");
}
