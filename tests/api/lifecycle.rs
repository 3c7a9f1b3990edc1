//! The whole life of a case through the real client, on SQLite and PostgreSQL: draft →
//! upload → submit → staff correction notice → correct and resubmit → accept (number,
//! deadline) → review → approve → ready for pickup → picked up, with the applicant's
//! notification of each decisive step; illegal transitions and who may act.

use onewindow_api::account::RegisterRequest;
use onewindow_api::application::{
    CorrectionItem, CreateApplicationRequest, FormValues, LookupRequest, NoticeSource,
    NoticeTarget, TransitionRequest,
};
use onewindow_api::case::{CaseAction, CaseState};
use onewindow_api::catalogue::{FieldKind, FileFormat};
use onewindow_api::notification::{Notification, NotificationKind};
use onewindow_api::query::ServiceQuery;
use onewindow_api::workdays::Light;
use onewindow_api::{ErrorCode, Text};
use onewindow_tests::cases::{act, pdf, staff};
use onewindow_tests::{backends, unique_id_number, unique_phone, TestServer};

/// The applicant's newest notification.
async fn latest(c: &onewindow_tests::cases::TestClient) -> Notification {
    c.notifications(&Default::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .next()
        .expect("a notification")
}

#[tokio::test]
async fn a_case_from_draft_to_pickup() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let citizen = server.client();
        let id_number = unique_id_number();
        citizen
            .register(&RegisterRequest {
                id_number: id_number.clone(),
                name: "钱二".into(),
                phone: unique_phone(),
                password: "whole life 42".into(),
                company: None,
                lang: None,
            })
            .await
            .unwrap();

        // A promised item whose form has only simple fields and whose materials take PDF.
        let q = ServiceQuery {
            online: Some(true),
            per_page: Some(100),
            ..Default::default()
        };
        let mut chosen = None;
        for s in citizen.services(&q).await.unwrap().items {
            let item = citizen.service(s.code.as_str()).await.unwrap();
            let simple = item.form.iter().all(|f| {
                matches!(
                    f.kind,
                    FieldKind::Text
                        | FieldKind::Textarea
                        | FieldKind::IdNumber
                        | FieldKind::Phone
                        | FieldKind::Select
                )
            });
            let pdfs = item.cases[0]
                .materials
                .iter()
                .all(|m| m.formats.contains(&FileFormat::Pdf));
            if simple
                && pdfs
                && item.time_limit.promised_working_days >= 3
                && item
                    .audiences
                    .contains(&onewindow_api::catalogue::Audience::Individual)
            {
                chosen = Some(item);
                break;
            }
        }
        let item = chosen.expect("a suitable demo item");
        let case = &item.cases[0];
        let form: FormValues = item
            .form
            .iter()
            .map(|f| {
                let v = match f.kind {
                    FieldKind::IdNumber => id_number.clone(),
                    FieldKind::Phone => "13800138000".into(),
                    FieldKind::Select => f.options[0].value.clone(),
                    _ => "测试".into(),
                };
                (f.key.clone(), v)
            })
            .collect();
        let app = citizen
            .create_application(&CreateApplicationRequest {
                on_behalf_of: None,
                item: item.code.clone(),
                case: case.code.clone(),
                form,
            })
            .await
            .unwrap();
        for m in &case.materials {
            citizen
                .upload_material(app.id, &m.code, "scan.pdf", pdf(1500))
                .await
                .unwrap();
        }
        citizen
            .submit_application(app.id, "life-key-1")
            .await
            .unwrap();

        // Staff of another department cannot see it; the right department has it queued.
        let other_dept = if item.department.as_str() == "PSB" {
            "CAB"
        } else {
            "PSB"
        };
        let stranger = staff(server, other_dept).await;
        assert_eq!(
            stranger
                .transition(app.id, &act(CaseAction::Accept))
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        let desk = staff(server, item.department.as_str()).await;
        let queue = desk
            .staff_queue(Some(CaseState::Submitted), 1, 100)
            .await
            .unwrap();
        assert!(queue.items.iter().any(|a| a.id == app.id));
        assert_eq!(
            citizen.staff_queue(None, 1, 10).await.unwrap_err().status(),
            Some(403)
        );

        // Illegal moves are 409 with their code; the applicant cannot act as staff.
        let e = desk
            .transition(app.id, &act(CaseAction::Approve))
            .await
            .unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(409), Some(ErrorCode::InvalidTransition))
        );
        assert_eq!(
            citizen
                .transition(app.id, &act(CaseAction::Accept))
                .await
                .unwrap_err()
                .status(),
            Some(403)
        );

        // A correction notice names the material; the applicant fixes only that.
        let slot = case.materials[0].code.clone();
        let e = desk
            .transition(app.id, &act(CaseAction::RequestCorrection))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::ValidationFailed));
        let mut correction = act(CaseAction::RequestCorrection);
        correction.problems = vec![CorrectionItem {
            target: NoticeTarget::Material(slot.clone()),
            message: Text::new("扫描件不清晰，请重新上传。", ""),
        }];
        let c = desk.transition(app.id, &correction).await.unwrap();
        assert_eq!(c.state, CaseState::CorrectionRequired);
        // The applicant is told at once, with the points to fix and a link to the case.
        let told = latest(&citizen).await;
        assert_eq!(told.kind, NotificationKind::CaseCorrectionRequired);
        assert!(told.body.zh.contains("扫描件不清晰"), "{told:?}");
        assert_eq!(told.link, format!("/applications/{}", app.id));
        let seen = citizen.application(app.id).await.unwrap();
        assert_eq!(seen.notice.problems.len(), 1);
        assert_eq!(seen.notice.problems[0].source, NoticeSource::Staff);
        assert_eq!(
            seen.notice.problems[0].message.en,
            "扫描件不清晰，请重新上传。"
        );
        let old = seen.files.iter().find(|f| f.slot == slot).unwrap().id;
        citizen.remove_file(app.id, old).await.unwrap();
        citizen
            .upload_material(app.id, &slot, "clear-scan.pdf", pdf(2500))
            .await
            .unwrap();
        let resubmitted = citizen
            .submit_application(app.id, "life-key-2")
            .await
            .unwrap();
        assert_eq!(resubmitted.state, CaseState::Submitted);
        assert!(resubmitted.notice.is_clear());

        // Acceptance gives the number and starts the clock.
        let accepted = desk
            .transition(app.id, &act(CaseAction::Accept))
            .await
            .unwrap();
        let number = accepted.number.clone().expect("an application number");
        assert!(number.contains(item.department.as_str()));
        let told = latest(&citizen).await;
        assert_eq!(told.kind, NotificationKind::CaseAccepted);
        assert!(told.body.en.contains(&number));
        let deadline = accepted.deadline.clone().expect("a deadline once accepted");
        assert!(deadline.working_days_left >= 1 && !deadline.paused);
        assert_ne!(deadline.light, Light::Red);

        desk.transition(app.id, &act(CaseAction::StartReview))
            .await
            .unwrap();
        let e = desk
            .transition(app.id, &act(CaseAction::Reject))
            .await
            .unwrap_err();
        assert_eq!(
            e.code(),
            Some(ErrorCode::ValidationFailed),
            "a rejection needs its reason"
        );
        let approved = desk
            .transition(
                app.id,
                &TransitionRequest {
                    note: "材料齐全，准予许可。".into(),
                    ..act(CaseAction::Approve)
                },
            )
            .await
            .unwrap();
        assert_eq!(approved.state, CaseState::Approved);
        assert!(approved.deadline.is_none());
        let e = citizen.withdraw_application(app.id, "").await.unwrap_err();
        assert_eq!(
            e.code(),
            Some(ErrorCode::InvalidTransition),
            "no withdrawal after a decision"
        );

        let ready = desk
            .transition(
                app.id,
                &TransitionRequest {
                    window: Some("A05".into()),
                    ..act(CaseAction::IssueForPickup)
                },
            )
            .await
            .unwrap();
        let delivery = ready.delivery.clone().expect("pickup details");
        assert_eq!(delivery.window.as_deref(), Some("A05"));
        assert_eq!(delivery.pickup_code.as_deref().map(str::len), Some(6));
        let told = latest(&citizen).await;
        assert_eq!(told.kind, NotificationKind::CaseReadyForPickup);
        let code = delivery.pickup_code.clone().unwrap_or_default();
        assert!(told.body.zh.contains(&code) && told.body.zh.contains("A05"));
        // Approval came before it; taking no action (start of review) told nothing.
        let kinds: Vec<_> = citizen
            .notifications(&Default::default())
            .await
            .unwrap()
            .items
            .iter()
            .map(|n| n.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                NotificationKind::CaseReadyForPickup,
                NotificationKind::CaseApproved,
                NotificationKind::CaseAccepted,
                NotificationKind::CaseCorrectionRequired,
            ]
        );
        let done = desk
            .transition(app.id, &act(CaseAction::ConfirmPickup))
            .await
            .unwrap();
        assert_eq!(done.state, CaseState::Completed);

        // The timeline has every step, in order, as the applicant sees it.
        let seen = citizen.application(app.id).await.unwrap();
        let states: Vec<CaseState> = seen.timeline.iter().map(|t| t.state).collect();
        use CaseState as S;
        assert_eq!(
            states,
            [
                S::Draft,
                S::Submitted,
                S::CorrectionRequired,
                S::Submitted,
                S::Accepted,
                S::UnderReview,
                S::Approved,
                S::ResultReady,
                S::Completed
            ]
        );
        assert_eq!(seen.number.as_deref(), Some(number.as_str()));
        assert!(seen.actions.is_empty());
    }
}

#[tokio::test]
async fn anonymous_lookups_are_rate_limited() {
    // A server of its own: the limit counts per client address, and every test is local.
    let server = TestServer::start(onewindow_tests::Backend::Sqlite);
    let anon = server.client();
    let miss = LookupRequest {
        number: "20260101-PSB-000001".into(),
        id_number: unique_id_number(),
    };
    for _ in 0..10 {
        let e = anon.lookup(&miss).await.unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(404), Some(ErrorCode::NotFound))
        );
    }
    let e = anon.lookup(&miss).await.unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(429), Some(ErrorCode::RateLimited))
    );
}
