//! Ratings (好差评) through the real client on SQLite and PostgreSQL: a completed case and
//! an attended appointment are rated once by their citizen; a bad rating opens a
//! rectification that only the department answers, the citizen is notified and says
//! whether it solved the problem; nobody else sees it, and the database refuses to change
//! or delete a rating.

use crate::bookings::{bookable, booked_at};
use onewindow_api::catalogue::Audience;
use onewindow_api::notification::NotificationKind;
use onewindow_api::rating::{
    AnswerRequest, Dimension, DimensionScore, RatingRequest, RatingSubject, RectificationQuery,
    RectificationState, RectificationStep, Satisfaction, VerdictRequest,
};
use onewindow_api::ErrorCode;
use onewindow_server::db::Store;
use onewindow_tests::cases::{applicant, colleague, completed, pick_item, staff, submitted};
use onewindow_tests::{backends, TestServer};

fn rating(level: Satisfaction, comment: &str) -> RatingRequest {
    RatingRequest {
        level,
        dimensions: vec![
            DimensionScore {
                dimension: Dimension::Efficiency,
                level: Satisfaction::VeryDissatisfied,
            },
            DimensionScore {
                dimension: Dimension::GuideAccuracy,
                level: Satisfaction::Satisfied,
            },
        ],
        comment: comment.into(),
    }
}

#[tokio::test]
async fn a_bad_rating_is_put_right_by_the_department() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let company = onewindow_tests::cases::unique_credit_code();
        let (citizen, id_number, _) = applicant(server, Some(&company)).await;
        let (colleague, _, _) = colleague(server, &company, &citizen).await;
        let (stranger, _, _) = applicant(server, None).await;
        let item = pick_item(&citizen, Audience::Business).await;
        let lead = staff(server, item.department.as_str()).await;
        let other_department = ["PSB", "CAB", "HRSS", "AMR", "TAX"]
            .into_iter()
            .find(|d| *d != item.department.as_str())
            .unwrap();
        let other = staff(server, other_department).await;

        let app = submitted(&citizen, &item, &id_number).await;
        let bad = rating(Satisfaction::VeryDissatisfied, "窗口让我跑了三次。");
        // Not before the case is completed.
        let e = citizen.rate_case(app.id, &bad).await.unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidTransition));
        completed(&lead, app.id).await;

        // Only the applicant rates; a bad rating needs its reason.
        assert_eq!(
            colleague
                .rate_case(app.id, &bad)
                .await
                .unwrap_err()
                .status(),
            Some(403)
        );
        assert_eq!(
            stranger.rate_case(app.id, &bad).await.unwrap_err().status(),
            Some(404)
        );
        let e = citizen
            .rate_case(app.id, &rating(Satisfaction::Dissatisfied, " "))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::ValidationFailed));
        let rated = citizen.rate_case(app.id, &bad).await.unwrap();
        assert_eq!(rated.subject, RatingSubject::Case(app.id));
        assert_eq!(rated.level, Satisfaction::VeryDissatisfied);
        assert_eq!(rated.dimensions.len(), 2);
        let rect = rated.rectification.clone().expect("a rectification");
        assert_eq!(rect.state, RectificationState::Open);
        // Once only.
        let e = citizen
            .rate_case(app.id, &rating(Satisfaction::Satisfied, ""))
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(409));

        // The department sees it waiting; another department neither sees nor answers it.
        let open = RectificationQuery {
            state: Some(RectificationState::Open),
            per_page: Some(100),
            ..Default::default()
        };
        let waiting = lead.rectifications(&open).await.unwrap();
        assert!(waiting.items.iter().any(|r| r.id == rated.id));
        let elsewhere = other.rectifications(&open).await.unwrap();
        assert!(!elsewhere.items.iter().any(|r| r.id == rated.id));
        let reply = AnswerRequest {
            answer: "已对窗口人员进行培训，今后一次告知所需材料。".into(),
        };
        assert_eq!(
            other
                .answer_rectification(rated.id, &reply)
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        assert_eq!(
            stranger.rating(rated.id).await.unwrap_err().status(),
            Some(404)
        );
        assert_eq!(
            citizen.rectifications(&open).await.unwrap_err().status(),
            Some(403)
        );
        let e = lead
            .answer_rectification(rated.id, &AnswerRequest { answer: " ".into() })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::ValidationFailed));

        // Answered: the citizen is told, and says it did not solve it; answered again,
        // solved.
        let answered = lead.answer_rectification(rated.id, &reply).await.unwrap();
        assert_eq!(
            answered.rectification.unwrap().state,
            RectificationState::Answered
        );
        let e = lead
            .answer_rectification(rated.id, &reply)
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidTransition));
        let told = citizen
            .notifications(&Default::default())
            .await
            .unwrap()
            .items;
        assert_eq!(told[0].kind, NotificationKind::RectificationAnswered);
        assert!(told[0].body.zh.contains("已对窗口人员进行培训"));
        assert_eq!(told[0].link, format!("/applications/{}", app.id));
        let no = VerdictRequest {
            solved: false,
            comment: "还是没有说明要带什么。".into(),
        };
        assert_eq!(
            lead.rating_verdict(rated.id, &no)
                .await
                .unwrap_err()
                .status(),
            Some(403)
        );
        let reopened = citizen.rating_verdict(rated.id, &no).await.unwrap();
        assert_eq!(
            reopened.rectification.unwrap().state,
            RectificationState::Open
        );
        lead.answer_rectification(
            rated.id,
            &AnswerRequest {
                answer: "办事指南已补全材料清单。".into(),
            },
        )
        .await
        .unwrap();
        let yes = VerdictRequest {
            solved: true,
            comment: String::new(),
        };
        let closed = citizen.rating_verdict(rated.id, &yes).await.unwrap();
        let rect = closed.rectification.unwrap();
        assert_eq!(rect.state, RectificationState::Closed);
        let steps: Vec<_> = rect.entries.iter().map(|e| e.step).collect();
        assert_eq!(
            steps,
            [
                RectificationStep::Answered,
                RectificationStep::NotSolved,
                RectificationStep::Answered,
                RectificationStep::Solved,
            ]
        );
        assert_eq!(
            citizen
                .rating_verdict(rated.id, &yes)
                .await
                .unwrap_err()
                .code(),
            Some(ErrorCode::InvalidTransition)
        );
        assert!(citizen
            .my_ratings()
            .await
            .unwrap()
            .iter()
            .any(|r| r.id == rated.id));

        // Nobody changes or deletes a rating, not even with the database's own hands.
        let store = Store::connect(&server.database_url, 1).await.unwrap();
        for sql in [
            "UPDATE ratings SET level = 5 WHERE id = $1",
            "DELETE FROM ratings WHERE id = $1",
        ] {
            let refused = sqlx::query(sql).bind(rated.id.0).execute(&store.pool).await;
            assert!(refused.is_err(), "{sql} was allowed");
        }
        store.pool.close().await;
        let still = citizen.rating(rated.id).await.unwrap();
        assert_eq!(still.level, Satisfaction::VeryDissatisfied);
    }
}

#[tokio::test]
async fn an_attended_appointment_is_rated_once() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, _, _) = applicant(server, None).await;
        let item = bookable(&citizen).await;
        let window = item.venues[0].windows[0].clone();
        let desk = staff(server, item.department.as_str()).await;
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
        let code = format!("RT{}", rand_code());
        let visit = booked_at(
            server,
            &citizen,
            &item,
            &window,
            today.and_hms_opt(23, 30, 0).unwrap(),
            &code,
        )
        .await;
        let good = RatingRequest {
            level: Satisfaction::VerySatisfied,
            dimensions: Vec::new(),
            comment: "叫号很快。".into(),
        };
        // Not before the visit; not someone else's.
        let e = citizen.rate_booking(visit, &good).await.unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidTransition));
        desk.check_in(&code).await.unwrap();
        let (stranger, _, _) = applicant(server, None).await;
        assert_eq!(
            stranger
                .rate_booking(visit, &good)
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        let rated = citizen.rate_booking(visit, &good).await.unwrap();
        assert_eq!(rated.subject, RatingSubject::Booking(visit));
        assert!(rated.rectification.is_none(), "a good rating opens nothing");
        assert_eq!(
            citizen
                .rate_booking(visit, &good)
                .await
                .unwrap_err()
                .status(),
            Some(409)
        );
    }
}

/// Six characters of the booking-code alphabet, different per call.
fn rand_code() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed) + std::process::id();
    let alphabet = onewindow_api::booking::CODE_ALPHABET;
    (0..6)
        .map(|i| alphabet[((n >> (i * 5)) as usize + i as usize * 7) % alphabet.len()] as char)
        .collect()
}
