//! What a submitted case shows and what may still change, through the real client on
//! SQLite and PostgreSQL: the form's ID numbers are masked for everyone who only reads
//! it; a correction (补正) opens only what its notice names, and each change goes into
//! the audit trail; a wallet is its owner's; a supervisor reads any submitted case and
//! does nothing to it; a case that ended in a refusal is rated too.

use crate::reminders::{all, linked, wait_for_linked};
use onewindow_api::account::Role;
use onewindow_api::application::{
    AskedCorrection, CorrectionItem, NoticeTarget, TransitionRequest,
};
use onewindow_api::case::{CaseAction, CaseState};
use onewindow_api::catalogue::{Audience, FieldKind, ServiceItem};
use onewindow_api::idnum::mask_id_number;
use onewindow_api::notification::NotificationKind;
use onewindow_api::query::ServiceQuery;
use onewindow_api::rating::{RatingRequest, Satisfaction};
use onewindow_api::{ErrorCode, Text};
use onewindow_client::ClientError;
use onewindow_server::db::Store;
use onewindow_tests::cases::{
    act, applicant, calendar, complete_draft, officer, pdf, staff, submitted, today, TestClient,
};
use onewindow_tests::{backends, unique_id_number, TestServer};
use sqlx::Row;

/// An online item for citizens whose form asks for an ID number and for a free-text
/// field, and whose first case takes PDF for at least two materials.
async fn item_with_id_field(c: &TestClient) -> ServiceItem {
    let q = ServiceQuery {
        audience: Some(Audience::Individual),
        online: Some(true),
        per_page: Some(100),
        ..Default::default()
    };
    for s in c.services(&q).await.unwrap().items {
        let item = c.service(s.code.as_str()).await.unwrap();
        let materials = &item.cases[0].materials;
        if item.form.iter().any(|f| f.kind == FieldKind::IdNumber)
            && item
                .form
                .iter()
                .any(|f| matches!(f.kind, FieldKind::Text | FieldKind::Textarea))
            && materials.len() >= 2
            && materials.iter().any(|m| m.required)
            && materials.iter().all(|m| {
                m.formats
                    .contains(&onewindow_api::catalogue::FileFormat::Pdf)
            })
        {
            return item;
        }
    }
    panic!("no demo item asks for an ID number, a text and two materials");
}

fn key_of(item: &ServiceItem, kinds: &[FieldKind]) -> String {
    item.form
        .iter()
        .find(|f| kinds.contains(&f.kind))
        .unwrap()
        .key
        .clone()
}

/// The field a refusal names, with its reason.
/// A correction notice with one point: say, in the text field `key`, what it is for.
fn ask_for_use(key: &str) -> TransitionRequest {
    TransitionRequest {
        problems: vec![CorrectionItem {
            target: NoticeTarget::Field(key.to_owned()),
            message: Text::new("请写明具体用途。", "Say what it is for."),
        }],
        ..act(CaseAction::RequestCorrection)
    }
}

fn refused_field(e: &ClientError) -> (String, String) {
    let ClientError::Api { body, .. } = e else {
        panic!("not an API error: {e}");
    };
    assert_eq!(body.code, ErrorCode::ValidationFailed, "{e}");
    let f = &body.details.fields[0];
    (f.field.clone(), f.reason.clone())
}

/// The audit trail of a case: (action, detail), oldest first.
async fn audit_of(server: &TestServer, id: onewindow_api::ids::CaseId) -> Vec<(String, String)> {
    let store = Store::connect(&server.database_url, 1).await.unwrap();
    let rows = sqlx::query("SELECT action, detail FROM audit_log WHERE subject = $1 ORDER BY id")
        .bind(format!("application:{id}"))
        .fetch_all(&store.pool)
        .await
        .unwrap();
    store.pool.close().await;
    rows.iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect()
}

#[tokio::test]
async fn a_correction_opens_only_what_its_notice_names() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, id_number, _) = applicant(server, None).await;
        let item = item_with_id_field(&citizen).await;
        let lead = staff(server, item.department.as_str()).await;
        let id_key = key_of(&item, &[FieldKind::IdNumber]);
        let text_key = key_of(&item, &[FieldKind::Text, FieldKind::Textarea]);
        let materials = &item.cases[0].materials;
        let (flagged, unflagged) = (materials[0].code.clone(), materials[1].code.clone());

        // The applicant's draft shows the number as typed; once submitted, nobody gets
        // it in clear, the applicant included.
        let draft = complete_draft(&citizen, &item, &id_number).await;
        assert_eq!(draft.form[&id_key], id_number);
        let app = citizen
            .submit_application(draft.id, &format!("submit-{}", draft.id))
            .await
            .unwrap();
        let masked = mask_id_number(&id_number);
        assert_eq!(app.form[&id_key], masked);
        assert_eq!(
            lead.application(app.id).await.unwrap().form[&id_key],
            masked
        );
        assert_eq!(app.form[&text_key], draft.form[&text_key]);

        // Staff flag one field and one material.
        let correction = TransitionRequest {
            problems: vec![
                CorrectionItem {
                    target: NoticeTarget::Field(text_key.clone()),
                    message: Text::new("请写明具体用途。", "Say what it is for."),
                },
                CorrectionItem {
                    target: NoticeTarget::Material(flagged.clone()),
                    message: Text::new("扫描件不清晰。", "The scan is unreadable."),
                },
            ],
            ..act(CaseAction::RequestCorrection)
        };
        // A notice names only what the applicant can fix, each once.
        for (target, code) in [
            (NoticeTarget::Field("no-such-field".into()), "unknown"),
            (NoticeTarget::Material("no-such-slot".into()), "unknown"),
            (NoticeTarget::Application, "unknown"),
            (NoticeTarget::Field(text_key.clone()), "duplicate"),
        ] {
            let mut wrong = correction.clone();
            wrong.problems.push(CorrectionItem {
                target,
                message: Text::new("另一处问题。", "Another problem."),
            });
            let e = lead.transition(app.id, &wrong).await.unwrap_err();
            assert_eq!(
                refused_field(&e),
                ("problems.target".into(), code.into()),
                "{backend:?}"
            );
        }
        lead.transition(app.id, &correction).await.unwrap();
        // While the applicant corrects, their form is theirs again, in clear.
        let open = citizen.application(app.id).await.unwrap();
        assert_eq!(open.state, CaseState::CorrectionRequired);
        // By when: ten working days (the default) from today, in the demo city's
        // calendar and time zone; the notification says so too.
        let due = calendar()
            .add_working_days(today(), 10)
            .format("%Y-%m-%d")
            .to_string();
        assert_eq!(
            open.correction_due.as_deref(),
            Some(due.as_str()),
            "{backend:?}"
        );
        // The lists say so too: the department's queue and the applicant's own.
        let queued = lead
            .staff_queue(Some(CaseState::CorrectionRequired), 1, 100)
            .await
            .unwrap();
        let row = queued.items.iter().find(|a| a.id == app.id).unwrap();
        assert_eq!(row.correction_due.as_deref(), Some(due.as_str()));
        let mine = citizen.applications(1, 100).await.unwrap();
        let row = mine.items.iter().find(|a| a.id == app.id).unwrap();
        assert_eq!(row.correction_due.as_deref(), Some(due.as_str()));
        assert!(mine
            .items
            .iter()
            .filter(|a| a.state != CaseState::CorrectionRequired)
            .all(|a| a.correction_due.is_none()));
        let told = &citizen
            .notifications(&Default::default())
            .await
            .unwrap()
            .items[0];
        assert_eq!(told.kind, NotificationKind::CaseCorrectionRequired);
        assert!(
            told.body.zh.contains(&format!("请于 {due} 前")),
            "{}",
            told.body.zh
        );
        assert!(
            told.body.en.contains(&format!("by {due}")),
            "{}",
            told.body.en
        );
        assert_eq!(open.form[&id_key], id_number);
        assert_eq!(
            lead.application(app.id).await.unwrap().form[&id_key],
            masked
        );

        // What the notice does not name stays as it was checked.
        let mut form = open.form.clone();
        form.insert(id_key.clone(), unique_id_number());
        let e = citizen.update_form(app.id, &form).await.unwrap_err();
        assert_eq!(
            refused_field(&e),
            (format!("form.{id_key}"), "not_in_notice".to_owned())
        );
        let mut form = open.form.clone();
        form.remove(&id_key);
        let e = citizen.update_form(app.id, &form).await.unwrap_err();
        assert_eq!(refused_field(&e).0, format!("form.{id_key}"));
        let e = citizen
            .upload_material(app.id, &unflagged, "again.pdf", pdf(900))
            .await
            .unwrap_err();
        assert_eq!(refused_field(&e), ("slot".into(), "not_in_notice".into()));
        let kept = open.files.iter().find(|f| f.slot == unflagged).unwrap().id;
        let e = citizen.remove_file(app.id, kept).await.unwrap_err();
        assert_eq!(refused_field(&e), ("slot".into(), "not_in_notice".into()));

        // What it names can change, and each change is on the record without values.
        let mut form = open.form.clone();
        form.insert(text_key.clone(), "用于办理社保转移".into());
        let saved = citizen.update_form(app.id, &form).await.unwrap();
        assert_eq!(saved.form[&text_key], "用于办理社保转移");
        // Saving the same form again changes nothing and records nothing.
        citizen.update_form(app.id, &form).await.unwrap();
        let old = open.files.iter().find(|f| f.slot == flagged).unwrap().id;
        citizen.remove_file(app.id, old).await.unwrap();
        let new = citizen
            .upload_material(app.id, &flagged, "clear.pdf", pdf(1800))
            .await
            .unwrap();
        let resubmitted = citizen
            .submit_application(app.id, &format!("resubmit-{}", app.id))
            .await
            .unwrap();
        assert_eq!(resubmitted.state, CaseState::Submitted);
        assert_eq!(resubmitted.correction_due, None, "answered");
        // The notice is the pre-review's again, but the timeline keeps what was asked,
        // point by point, with the names of what it pointed at, in both languages.
        let entry = resubmitted
            .timeline
            .iter()
            .find(|e| e.action == Some(CaseAction::RequestCorrection))
            .unwrap();
        let field = item.form.iter().find(|f| f.key == text_key).unwrap();
        let material = materials.iter().find(|m| m.code == flagged).unwrap();
        assert_eq!(
            entry.asked,
            vec![
                AskedCorrection {
                    name: field.label.clone(),
                    message: Text::new("请写明具体用途。", "Say what it is for."),
                },
                AskedCorrection {
                    name: material.name.clone(),
                    message: Text::new("扫描件不清晰。", "The scan is unreadable."),
                },
            ],
            "{backend:?}"
        );
        assert_eq!(entry.note, "", "no note of the staff's own");
        assert_eq!(resubmitted.form[&id_key], masked);
        assert_eq!(resubmitted.form[&text_key], "用于办理社保转移");

        let trail = audit_of(server, app.id).await;
        let changes: Vec<(&str, &str)> = trail
            .iter()
            .filter(|(a, _)| a != "application.delete_draft")
            .map(|(a, d)| (a.as_str(), d.as_str()))
            .collect();
        assert_eq!(
            changes,
            [
                ("application.correct_form", &*format!("fields: {text_key}")),
                (
                    "application.remove_file",
                    &*format!("slot: {flagged}, file: {old}")
                ),
                (
                    "application.add_file",
                    &*format!("slot: {flagged}, file: {}", new.id)
                ),
            ],
            "{backend:?}: the draft's uploads are not audited, the correction's are"
        );
        assert!(trail.iter().all(|(_, d)| !d.contains(&id_number)));
    }
}

#[tokio::test]
async fn others_read_a_case_but_act_only_as_far_as_their_part() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (principal, principal_id, _) = applicant(server, None).await;
        let (agent, _, agent_phone) = applicant(server, None).await;
        let item = item_with_id_field(&principal).await;
        let lead = staff(server, item.department.as_str()).await;
        let supervisor = officer(server, Role::Admin, None).await;
        let id_key = key_of(&item, &[FieldKind::IdNumber]);
        let slot = item.cases[0].materials[0].code.clone();

        // An agent applies for the citizen who authorised them: they fill in and upload,
        // but the wallet they would attach from is their own, not the applicant's.
        principal.authorise_agent(&agent_phone).await.unwrap();
        let me = principal.me().await.unwrap();
        let for_principal = agent
            .create_application(&onewindow_api::application::CreateApplicationRequest {
                item: item.code.clone(),
                case: item.cases[0].code.clone(),
                form: Default::default(),
                on_behalf_of: Some(me.id),
            })
            .await
            .unwrap();
        assert!(!for_principal.viewer_is_applicant);
        assert!(
            principal
                .application(for_principal.id)
                .await
                .unwrap()
                .viewer_is_applicant
        );
        let e = agent
            .attach_document(for_principal.id, &slot, onewindow_api::ids::DocumentId(1))
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(403), "{e}");
        // The applicant themself may (here: a document that is not theirs is not found).
        let e = principal
            .attach_document(
                for_principal.id,
                &slot,
                onewindow_api::ids::DocumentId(i64::MAX),
            )
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(404), "{e}");

        // A supervisor reads a submitted case, masked and without actions; never a draft.
        let app = submitted(&principal, &item, &principal_id).await;
        let seen = supervisor.application(app.id).await.unwrap();
        assert_eq!(seen.form[&id_key], mask_id_number(&principal_id));
        assert!(seen.actions.is_empty());
        assert!(!seen.viewer_is_applicant);
        assert_eq!(
            supervisor
                .transition(app.id, &act(CaseAction::Accept))
                .await
                .unwrap_err()
                .status(),
            Some(403)
        );
        assert_eq!(
            supervisor
                .application(for_principal.id)
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );

        // Not accepted, with reasons: the applicant rates it as any case that ended.
        let refusal = TransitionRequest {
            note: "不属于本部门受理范围。".into(),
            ..act(CaseAction::RefuseAcceptance)
        };
        let refused = lead.transition(app.id, &refusal).await.unwrap();
        assert_eq!(refused.state, CaseState::NotAccepted);
        let rating = RatingRequest {
            level: Satisfaction::Dissatisfied,
            dimensions: Vec::new(),
            comment: "没有提前说明不予受理的情形。".into(),
        };
        let e = agent.rate_case(app.id, &rating).await.unwrap_err();
        assert_eq!(e.status(), Some(404), "{e}");
        principal.rate_case(app.id, &rating).await.unwrap();
        // A running case is not rated yet.
        let running = submitted(&principal, &item, &principal_id).await;
        assert_eq!(
            principal
                .rate_case(running.id, &rating)
                .await
                .unwrap_err()
                .code(),
            Some(ErrorCode::InvalidTransition)
        );
    }
}

/// A correction the applicant never makes ends the case: before acceptance staff refuse
/// to accept it, after acceptance they reject it, each with its reason, and the
/// applicant is told. The paused clock of the rejected case does not run on.
#[tokio::test]
async fn a_correction_never_made_ends_in_a_refusal() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, id_number, _) = applicant(server, None).await;
        let item = item_with_id_field(&citizen).await;
        let lead = staff(server, item.department.as_str()).await;
        let text_key = key_of(&item, &[FieldKind::Text, FieldKind::Textarea]);
        let correction = || ask_for_use(&text_key);
        let refusal = |action| TransitionRequest {
            note: "逾期未补正。".into(),
            ..act(action)
        };

        // Before acceptance.
        let early = submitted(&citizen, &item, &id_number).await;
        lead.transition(early.id, &correction()).await.unwrap();
        let e = lead
            .transition(early.id, &act(CaseAction::RefuseAcceptance))
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(422), "a refusal needs its reason");
        assert_eq!(
            lead.transition(early.id, &refusal(CaseAction::Reject))
                .await
                .unwrap_err()
                .code(),
            Some(ErrorCode::InvalidTransition)
        );
        let ended = lead
            .transition(early.id, &refusal(CaseAction::RefuseAcceptance))
            .await
            .unwrap();
        assert_eq!(ended.state, CaseState::NotAccepted, "{backend:?}");

        // After acceptance.
        let late = submitted(&citizen, &item, &id_number).await;
        for action in [CaseAction::Accept, CaseAction::StartReview] {
            lead.transition(late.id, &act(action)).await.unwrap();
        }
        lead.transition(late.id, &correction()).await.unwrap();
        let ended = lead
            .transition(late.id, &refusal(CaseAction::Reject))
            .await
            .unwrap();
        assert_eq!(ended.state, CaseState::Rejected, "{backend:?}");
        let seen = citizen.application(late.id).await.unwrap();
        assert_eq!(seen.timeline.last().unwrap().note, "逾期未补正。");
        assert!(
            seen.deadline.as_ref().is_none_or(|d| !d.paused),
            "{:?}",
            seen.deadline
        );
    }
}

/// A special procedure (特别程序: an expert review, a hearing, testing) stops the clock
/// with its reason, which the applicant is told; nothing but its end (or a withdrawal)
/// moves the case on, and its end tells the applicant the deadline as it now stands.
#[tokio::test]
async fn a_special_procedure_stops_the_clock_until_it_ends() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, id_number, _) = applicant(server, None).await;
        let item = item_with_id_field(&citizen).await;
        let lead = staff(server, item.department.as_str()).await;
        let case = submitted(&citizen, &item, &id_number).await;
        for action in [CaseAction::Accept, CaseAction::StartReview] {
            lead.transition(case.id, &act(action)).await.unwrap();
        }
        let running = citizen.application(case.id).await.unwrap();
        let due = running.deadline.clone().expect("a deadline").due;

        // Only staff, and only with the reason the applicant reads.
        let e = lead
            .transition(case.id, &act(CaseAction::Suspend))
            .await
            .unwrap_err();
        assert_eq!(
            e.status(),
            Some(422),
            "a special procedure needs its reason"
        );
        let e = citizen
            .transition(case.id, &act(CaseAction::Suspend))
            .await
            .unwrap_err();
        assert!(matches!(e.status(), Some(403 | 409)), "{e}");
        let reason = "组织专家评审（预计 10 个工作日）";
        let suspended = lead
            .transition(
                case.id,
                &TransitionRequest {
                    note: reason.into(),
                    ..act(CaseAction::Suspend)
                },
            )
            .await
            .unwrap();
        assert_eq!(suspended.state, CaseState::Suspended, "{backend:?}");
        let seen = citizen.application(case.id).await.unwrap();
        let deadline = seen.deadline.clone().expect("still a deadline");
        assert!(deadline.paused, "{deadline:?}");
        assert_eq!(seen.timeline.last().unwrap().note, reason);
        let told = &citizen
            .notifications(&Default::default())
            .await
            .unwrap()
            .items[0];
        assert_eq!(told.kind, NotificationKind::CaseSuspended);
        assert!(told.body.zh.contains(reason), "{}", told.body.zh);
        // It stays among the cases to supervise, and nothing decides it meanwhile.
        let queue = lead
            .staff_queue(Some(CaseState::Suspended), 1, 100)
            .await
            .unwrap();
        assert!(queue.items.iter().any(|a| a.id == case.id));
        let e = lead
            .transition(case.id, &act(CaseAction::Approve))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidTransition));

        // Its end: the review goes on, the clock runs, and the applicant is told the
        // deadline (the same day's procedure moves it by no working day).
        let resumed = lead
            .transition(case.id, &act(CaseAction::Resume))
            .await
            .unwrap();
        assert_eq!(resumed.state, CaseState::UnderReview);
        let deadline = resumed.deadline.clone().expect("a deadline");
        assert!(!deadline.paused);
        assert_eq!(deadline.due, due);
        let told = &citizen
            .notifications(&Default::default())
            .await
            .unwrap()
            .items[0];
        assert_eq!(told.kind, NotificationKind::CaseResumed);
        assert!(told.body.zh.contains(&due), "{}", told.body.zh);

        // The applicant may withdraw during one, as during the review.
        lead.transition(
            case.id,
            &TransitionRequest {
                note: "现场勘验".into(),
                ..act(CaseAction::Suspend)
            },
        )
        .await
        .unwrap();
        let withdrawn = citizen
            .withdraw_application(case.id, "不再需要")
            .await
            .unwrap();
        assert_eq!(withdrawn.state, CaseState::Withdrawn);
    }
}

/// A correction not yet handed in is reminded of (补正到期提醒) by the background job in
/// the last two working days before it is due: once per notice, never on the day of the
/// notice, never once it is overdue; a new notice is reminded of again.
#[tokio::test]
async fn a_correction_due_soon_is_reminded_of_once_per_notice() {
    for backend in backends() {
        let server = TestServer::start_with(backend, |c| c.jobs.tick_seconds = 1);
        let (citizen, id_number, _) = applicant(&server, None).await;
        let item = item_with_id_field(&citizen).await;
        let lead = staff(&server, item.department.as_str()).await;
        let text_key = key_of(&item, &[FieldKind::Text, FieldKind::Textarea]);
        let correction = || ask_for_use(&text_key);
        let store = Store::connect(&server.database_url, 1).await.unwrap();
        let cal = calendar();
        let today = today();
        let days = onewindow_server::config::Config::default()
            .applications
            .correction_working_days;
        // A notice day whose due day is at most two working days off, and one long past.
        let before = |k: u64| today - chrono::Days::new(k);
        let near_day = (1..60)
            .map(before)
            .find(|s| cal.working_days_left(today, cal.add_working_days(*s, days)) <= 2)
            .unwrap();
        let late_day = (1..90)
            .map(before)
            .find(|s| cal.add_working_days(*s, days) < today)
            .unwrap();
        let mut cases = Vec::new();
        for sent in [None, Some(near_day), Some(late_day)] {
            let app = submitted(&citizen, &item, &id_number).await;
            lead.transition(app.id, &correction()).await.unwrap();
            if let Some(sent) = sent {
                // As if the notice had been sent that day.
                crate::backoffice::append_events(
                    &store,
                    app.id,
                    &[(sent, "correction_required", "request_correction")],
                )
                .await;
            }
            cases.push(app.id);
        }
        let (fresh, near, late) = (cases[0], cases[1], cases[2]);
        let kind = NotificationKind::CaseCorrectionDueSoon;
        let link = |id| format!("/applications/{id}");
        let reminded = |id| {
            let c = &citizen;
            async move { linked(&all(c).await, &link(id), kind) }
        };
        let told: Vec<_> = wait_for_linked(&citizen, &link(near), kind, 1)
            .await
            .into_iter()
            .filter(|n| n.kind == kind && n.link == link(near))
            .collect();
        let due = cal
            .add_working_days(near_day, days)
            .format("%Y-%m-%d")
            .to_string();
        assert!(
            told[0].body.zh.contains(&format!("请于 {due} 前")),
            "{}",
            told[0].body.zh
        );
        assert!(
            told[0].body.en.contains(&format!("by {due}")),
            "{}",
            told[0].body.en
        );
        // The job runs every second: a few more runs write nothing more.
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        assert_eq!(reminded(near).await, 1, "{backend:?}");
        assert_eq!(reminded(fresh).await, 0, "the notice is of today");
        assert_eq!(reminded(late).await, 0, "the correction is overdue");

        // Handed in and asked again: the new notice has its own reminder.
        let open = citizen.application(near).await.unwrap();
        let mut form = open.form.clone();
        form.insert(text_key.clone(), "用于办理社保转移".into());
        citizen.update_form(near, &form).await.unwrap();
        citizen
            .submit_application(near, &format!("resubmit-{near}"))
            .await
            .unwrap();
        // Nothing is due while it waits for the department: a few runs remind no more.
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        assert_eq!(reminded(near).await, 1);
        lead.transition(near, &correction()).await.unwrap();
        crate::backoffice::append_events(
            &store,
            near,
            &[(near_day, "correction_required", "request_correction")],
        )
        .await;
        let list = wait_for_linked(&citizen, &link(near), kind, 2).await;
        assert_eq!(linked(&list, &link(near), kind), 2, "{backend:?}");
    }
}
