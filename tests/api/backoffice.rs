//! The back office beyond the basic lifecycle, on SQLite and PostgreSQL: parallel review
//! (并联审批) with consulted departments' opinions, result documents, the document wallet,
//! mailed results confirmed by the applicant, supervision of yellow and red cases, the
//! business dashboard with its CSV export, agents (代办), and the predicted completion date.

use onewindow_api::account::Role;
use onewindow_api::application::{
    CreateApplicationRequest, FileKind, Opinion, OpinionRequest, TransitionRequest, RESULT_SLOT,
};
use onewindow_api::case::{CaseAction, CaseState};
use onewindow_api::catalogue::Audience;
use onewindow_api::query::{ApplicationQuery, SupervisionQuery};
use onewindow_api::workdays::Light;
use onewindow_api::ErrorCode;
use onewindow_tests::cases::{
    act, applicant, backdate, calendar, colleague, complete_draft, officer, pdf, pick_item, staff,
    submitted, today, unique_credit_code,
};
use onewindow_tests::{backends, TestServer};

/// Two departments other than `lead`.
fn others(lead: &str) -> [&'static str; 2] {
    let all = ["PSB", "CAB", "HRSS", "AMR"];
    let mut out = all.into_iter().filter(|d| *d != lead);
    [out.next().unwrap(), out.next().unwrap()]
}

fn status<T: std::fmt::Debug>(r: Result<T, onewindow_client::ClientError>) -> Option<u16> {
    r.unwrap_err().status()
}

#[tokio::test]
async fn parallel_review_results_wallet_and_mail() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, id_number, _) = applicant(server, None).await;
        let item = pick_item(&citizen, Audience::Individual).await;
        let lead_code = item.department.as_str();
        let app = submitted(&citizen, &item, &id_number).await;
        let lead = staff(server, lead_code).await;
        let [x, y] = others(lead_code);
        let (dept_x, dept_y) = (staff(server, x).await, staff(server, y).await);
        let bystander_code = ["PSB", "CAB", "HRSS", "AMR", "TAX"]
            .into_iter()
            .find(|d| ![lead_code, x, y].contains(d))
            .unwrap();
        let bystander = staff(server, bystander_code).await;

        lead.transition(app.id, &act(CaseAction::Accept))
            .await
            .unwrap();
        // Accepted materials are kept in the applicant's wallet.
        let kept = citizen.documents().await.unwrap();
        let materials = item.cases[0].materials.len();
        assert_eq!(
            kept.iter().filter(|d| d.kind == FileKind::Material).count(),
            // The same bytes for several slots are kept once per slot.
            materials
        );
        assert!(kept.iter().all(|d| d.source_number.is_some()));
        // Each knows its kind of document from the guide, so that it fits that kind of
        // material in any item.
        for d in kept.iter().filter(|d| d.kind == FileKind::Material) {
            let m = item.cases[0]
                .materials
                .iter()
                .find(|m| m.code == d.slot)
                .unwrap();
            assert_eq!(d.wallet_kind, m.wallet_kind, "{}", d.slot);
            assert!(d.fits(m));
        }
        assert!(
            kept.iter().any(|d| d.wallet_kind.is_some()),
            "the demo item asks for a kind of document (an ID card, a household register)"
        );

        // Consulted departments must be others, existing ones.
        let mut bad = act(CaseAction::StartReview);
        bad.consult = vec![lead_code.into()];
        assert_eq!(
            lead.transition(app.id, &bad).await.unwrap_err().code(),
            Some(ErrorCode::ValidationFailed)
        );
        bad.consult = vec!["NOPE".into()];
        assert_eq!(status(lead.transition(app.id, &bad).await), Some(422));
        // Before being consulted, another department sees nothing.
        assert_eq!(status(dept_x.application(app.id).await), Some(404));
        let mut review = act(CaseAction::StartReview);
        review.consult = vec![x.into(), y.into(), x.into()];
        let reviewing = lead.transition(app.id, &review).await.unwrap();
        assert_eq!(reviewing.opinions.len(), 2, "duplicates are consulted once");
        assert!(reviewing.opinions.iter().all(|o| o.opinion.is_none()));

        // Approval waits for every opinion.
        let e = lead
            .transition(app.id, &act(CaseAction::Approve))
            .await
            .unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(409), Some(ErrorCode::InvalidTransition))
        );

        // A consulted department sees the case in its queue and gives an opinion, once;
        // it cannot act as the lead department.
        let queue = dept_x.consulted_queue(1, 50).await.unwrap();
        assert!(queue.items.iter().any(|a| a.id == app.id));
        let seen = dept_x.application(app.id).await.unwrap();
        assert!(seen.actions.is_empty());
        assert_eq!(
            status(dept_x.transition(app.id, &act(CaseAction::Approve)).await),
            Some(403)
        );
        let agree = OpinionRequest {
            opinion: Opinion::Agree,
            note: "符合消防安全要求。".into(),
        };
        dept_x.give_opinion(app.id, &agree).await.unwrap();
        assert_eq!(
            dept_x
                .give_opinion(app.id, &agree)
                .await
                .unwrap_err()
                .code(),
            Some(ErrorCode::InvalidTransition)
        );
        assert_eq!(status(lead.give_opinion(app.id, &agree).await), Some(403));
        assert_eq!(
            status(bystander.give_opinion(app.id, &agree).await),
            Some(404)
        );
        assert_eq!(
            status(citizen.give_opinion(app.id, &agree).await),
            Some(403)
        );
        let disagree = OpinionRequest {
            opinion: Opinion::Disagree,
            note: String::new(),
        };
        assert_eq!(
            dept_y
                .give_opinion(app.id, &disagree)
                .await
                .unwrap_err()
                .code(),
            Some(ErrorCode::ValidationFailed),
            "disagreeing needs a reason"
        );
        let all_in = dept_y
            .give_opinion(
                app.id,
                &OpinionRequest {
                    opinion: Opinion::Agree,
                    note: "同意。".into(),
                },
            )
            .await
            .unwrap();
        assert!(all_in.opinions.iter().all(|o| o.opinion.is_some()));
        // The applicant sees who answered, not the internal reasoning.
        let mine = citizen.application(app.id).await.unwrap();
        assert_eq!(mine.opinions.len(), 2);
        assert!(mine.opinions.iter().all(|o| o.note.is_empty()));
        assert!(lead
            .application(app.id)
            .await
            .unwrap()
            .opinions
            .iter()
            .any(|o| o.note == "符合消防安全要求。"));

        // Now the lead approves and issues the result document, which reaches the wallet.
        assert_eq!(
            status(lead.upload_result(app.id, "licence.pdf", pdf(900)).await),
            Some(409),
            "no result before the decision"
        );
        lead.transition(app.id, &act(CaseAction::Approve))
            .await
            .unwrap();
        assert_eq!(
            status(citizen.upload_result(app.id, "fake.pdf", pdf(900)).await),
            Some(403)
        );
        assert_eq!(
            status(
                lead.upload_result(app.id, "x.exe", b"MZ\x90\0".to_vec())
                    .await
            ),
            Some(415)
        );
        let mut licence = pdf(2048);
        licence.extend_from_slice("许可证 No. 1".as_bytes());
        let result = lead
            .upload_result(app.id, "licence.pdf", licence.clone())
            .await
            .unwrap();
        assert_eq!(
            (result.kind, result.slot.as_str()),
            (FileKind::Result, RESULT_SLOT)
        );
        assert_eq!(
            citizen.download_file(app.id, result.id).await.unwrap(),
            licence
        );
        let wallet = citizen.documents().await.unwrap();
        let kept_result = wallet
            .iter()
            .find(|d| d.kind == FileKind::Result)
            .expect("the result in the wallet");
        assert_eq!(kept_result.title, item.name);
        assert_eq!(
            citizen.download_document(kept_result.id).await.unwrap(),
            licence
        );
        // Results are not the applicant's to remove from the case.
        assert_eq!(
            citizen
                .remove_file(app.id, result.id)
                .await
                .unwrap_err()
                .code(),
            Some(ErrorCode::InvalidTransition)
        );

        // Mailed, then the applicant confirms receipt, which completes the case.
        let mut mail = act(CaseAction::Mail);
        mail.courier = Some("中国邮政 EMS".into());
        mail.tracking_number = Some("EMS1234567890".into());
        lead.transition(app.id, &mail).await.unwrap();
        let told = citizen
            .notifications(&Default::default())
            .await
            .unwrap()
            .items;
        assert_eq!(
            told[0].kind,
            onewindow_api::notification::NotificationKind::CaseMailed
        );
        assert!(
            told[0].body.zh.contains("EMS1234567890") && told[0].body.en.contains("中国邮政 EMS")
        );
        assert_eq!(status(lead.confirm_receipt(app.id).await), Some(403));
        let done = citizen.confirm_receipt(app.id).await.unwrap();
        assert_eq!(done.state, CaseState::Completed);
        assert_eq!(
            citizen.confirm_receipt(app.id).await.unwrap_err().code(),
            Some(ErrorCode::InvalidTransition)
        );

        // A new application reuses a kept material instead of uploading it again.
        let draft = citizen
            .create_application(&CreateApplicationRequest {
                item: item.code.clone(),
                case: item.cases[0].code.clone(),
                form: Default::default(),
                on_behalf_of: None,
            })
            .await
            .unwrap();
        let slot = &item.cases[0].materials[0].code;
        let doc = wallet
            .iter()
            .find(|d| d.kind == FileKind::Material && &d.slot == slot)
            .unwrap();
        let attached = citizen
            .attach_document(draft.id, slot, doc.id)
            .await
            .unwrap();
        assert_eq!(
            (attached.sha256.as_str(), attached.size),
            (doc.sha256.as_str(), doc.size)
        );
        let (stranger, _, _) = applicant(server, None).await;
        assert_eq!(
            status(stranger.download_document(doc.id).await),
            Some(404),
            "a wallet is private"
        );
        let stranger_draft =
            complete_draft(&stranger, &item, &onewindow_tests::unique_id_number()).await;
        assert_eq!(
            status(
                stranger
                    .attach_document(stranger_draft.id, slot, doc.id)
                    .await
            ),
            Some(404)
        );
        // Deleting the kept copy leaves both cases' files intact.
        citizen.delete_document(doc.id).await.unwrap();
        assert_eq!(status(citizen.download_document(doc.id).await), Some(404));
        assert_eq!(status(citizen.delete_document(doc.id).await), Some(404));
        let copy = citizen.download_file(draft.id, attached.id).await.unwrap();
        assert_eq!(copy.len() as u64, doc.size);
        let original = citizen.application(app.id).await.unwrap();
        let first = original.files.iter().find(|f| &f.slot == slot).unwrap();
        assert!(citizen.download_file(app.id, first.id).await.is_ok());
        // Staff have no wallet.
        assert_eq!(status(lead.documents().await), Some(403));
    }
}

#[tokio::test]
async fn supervision_dashboard_and_export() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let company = unique_credit_code();
        let (member, id_number, _) = applicant(server, Some(&company)).await;
        let (colleague, colleague_id, _) = colleague(server, &company, &member).await;
        let item = pick_item(&member, Audience::Business).await;
        let lead = staff(server, item.department.as_str()).await;
        let cal = calendar();
        let today = today();
        let promised = item.time_limit.promised_working_days;

        // Three running cases: red (accepted long ago), yellow (due within two working
        // days), green (accepted today); and one still submitted.
        let mut ids = Vec::new();
        for (who, id) in [
            (&member, &id_number),
            (&colleague, &colleague_id),
            (&member, &id_number),
        ] {
            let app = submitted(who, &item, id).await;
            lead.transition(app.id, &act(CaseAction::Accept))
                .await
                .unwrap();
            ids.push(app.id);
        }
        let pending = submitted(&colleague, &item, &colleague_id).await;
        let red_day = today - chrono::Duration::days(400);
        let yellow_day = (0..400)
            .map(|k| today - chrono::Duration::days(k))
            .find(|d| cal.light(today, cal.add_working_days(*d, promised), 2) == Light::Yellow)
            .unwrap();
        backdate(server, ids[0], red_day, None).await;
        backdate(server, ids[1], yellow_day, None).await;

        let red = member.application(ids[0]).await.unwrap().deadline.unwrap();
        assert_eq!(red.light, Light::Red);
        assert!(red.working_days_left < 0);
        assert_eq!(
            member
                .application(ids[1])
                .await
                .unwrap()
                .deadline
                .unwrap()
                .light,
            Light::Yellow
        );

        // Supervision: the department's yellow and red cases, most urgent first.
        let watch = lead
            .supervision(&SupervisionQuery::default())
            .await
            .unwrap();
        let pos = |id| watch.iter().position(|s| s.id == id);
        assert!(pos(ids[0]).unwrap() < pos(ids[1]).unwrap());
        assert!(pos(ids[2]).is_none() && pos(pending.id).is_none());
        let only_red = lead
            .supervision(&SupervisionQuery {
                light: Some(Light::Red),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(only_red
            .iter()
            .all(|s| s.deadline.as_ref().unwrap().light == Light::Red));
        assert!(only_red.iter().any(|s| s.id == ids[0]));
        let other = staff(server, others(item.department.as_str())[0]).await;
        assert!(other
            .supervision(&SupervisionQuery::default())
            .await
            .unwrap()
            .iter()
            .all(|s| !ids.contains(&s.id)));
        assert_eq!(
            status(member.supervision(&SupervisionQuery::default()).await),
            Some(403)
        );
        // A supervisor (admin) sees any department.
        let supervisor = officer(server, Role::Admin, None).await;
        let all = supervisor
            .supervision(&SupervisionQuery {
                department: Some(item.department.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(all.iter().any(|s| s.id == ids[0]));

        // The company's dashboard: everything of the company, with filters.
        let everything = colleague
            .applications_filtered(&ApplicationQuery::default())
            .await
            .unwrap();
        assert_eq!(everything.total, 4);
        let query = |light, state| ApplicationQuery {
            item: Some(item.code.clone()),
            light,
            state,
            ..Default::default()
        };
        let yellow = member
            .applications_filtered(&query(Some(Light::Yellow), None))
            .await
            .unwrap();
        assert_eq!(
            yellow.items.iter().map(|s| s.id).collect::<Vec<_>>(),
            [ids[1]]
        );
        let submitted_only = member
            .applications_filtered(&query(None, Some(CaseState::Submitted)))
            .await
            .unwrap();
        assert_eq!(submitted_only.total, 1);
        let due_soon = member
            .applications_filtered(&ApplicationQuery {
                due_before: Some(
                    cal.add_working_days(today, 2)
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                ..Default::default()
            })
            .await
            .unwrap();
        let due_ids: Vec<_> = due_soon.items.iter().map(|s| s.id).collect();
        assert!(due_ids.contains(&ids[0]) && due_ids.contains(&ids[1]));
        assert!(!due_ids.contains(&ids[2]) || promised <= 2);
        let e = member
            .applications_filtered(&ApplicationQuery {
                due_before: Some("next week".into()),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::ValidationFailed));
        let paged = member
            .applications_filtered(&ApplicationQuery {
                per_page: Some(3),
                page: Some(2),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!((paged.total, paged.items.len()), (4, 1));

        // CSV export: a byte order mark, a header, one line per case, the filters applied.
        let csv = member
            .export_applications(&ApplicationQuery::default())
            .await
            .unwrap();
        let text = String::from_utf8(csv).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 5);
        assert!(lines[0].starts_with("\u{feff}number,item,item_name,state"));
        assert!(lines[0].ends_with(",light,legal_due"), "{}", lines[0]);
        assert!(text.contains(",red") && text.contains(",yellow") && text.contains(",green"));
        let red_csv = member
            .export_applications(&query(Some(Light::Red), None))
            .await
            .unwrap();
        assert_eq!(
            String::from_utf8(red_csv)
                .unwrap()
                .trim_end()
                .split("\r\n")
                .count(),
            2
        );
        // Someone outside the company sees none of it.
        let (outsider, _, _) = applicant(server, None).await;
        assert_eq!(
            outsider
                .applications_filtered(&ApplicationQuery::default())
                .await
                .unwrap()
                .total,
            0
        );
        assert_eq!(
            status(lead.export_applications(&ApplicationQuery::default()).await),
            Some(403)
        );
    }
}

#[tokio::test]
async fn agents_apply_for_citizens_who_authorised_them() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (principal, principal_id, _) = applicant(server, None).await;
        let (agent, _, agent_phone) = applicant(server, None).await;
        let (_, _, stranger_phone) = applicant(server, None).await;
        let item = pick_item(&principal, Audience::Individual).await;
        let me = principal.me().await.unwrap();
        let request = CreateApplicationRequest {
            item: item.code.clone(),
            case: item.cases[0].code.clone(),
            form: Default::default(),
            on_behalf_of: Some(me.id),
        };
        assert_eq!(
            status(agent.create_application(&request).await),
            Some(403),
            "not authorised yet"
        );
        let granted = principal.authorise_agent(&agent_phone).await.unwrap();
        assert_eq!(granted.len(), 1);
        assert!(granted[0].agent_phone_masked.contains("****"));
        // Nor does the grant say whose number it is.
        assert_eq!(granted[0].agent_name, "赵*");
        assert!(!granted[0].agent_phone_masked.contains(&agent_phone[3..7]));
        assert_eq!(
            status(principal.authorise_agent(&agent_phone).await),
            Some(409)
        );
        assert_eq!(
            status(principal.authorise_agent("19999999999").await),
            Some(404)
        );
        let self_phone = principal.me().await.unwrap().phone;
        assert_eq!(
            status(principal.authorise_agent(&self_phone).await),
            Some(422)
        );
        // Two grants of one agent at once make one authorisation; the other is told 409.
        let (twice, _, _) = applicant(server, None).await;
        let (a, b) = tokio::join!(
            twice.authorise_agent(&stranger_phone),
            twice.authorise_agent(&stranger_phone)
        );
        let code = |r: Result<_, onewindow_client::ClientError>| match r {
            Ok(_) => 201,
            Err(e) => e.status().unwrap_or(0),
        };
        let mut answers = [code(a), code(b)];
        answers.sort();
        assert_eq!(answers, [201, 409], "{backend:?}");
        assert_eq!(twice.authorisations().await.unwrap().len(), 1);
        // Trying number after number is cut short: every attempt counts, up to four
        // times the login limit (twenty) in a window.
        let (prober, _, _) = applicant(server, None).await;
        let mut answers = Vec::new();
        for i in 0..21 {
            answers.push(status(
                prober.authorise_agent(&format!("1990000{i:04}")).await,
            ));
        }
        assert!(answers[..20].iter().all(|s| *s == Some(404)), "{answers:?}");
        assert_eq!(answers[20], Some(429));
        let desk = staff(server, item.department.as_str()).await;
        assert_eq!(
            status(desk.authorise_agent(&stranger_phone).await),
            Some(403)
        );

        // The agent applies; the case is the principal's, and both follow it.
        let form = onewindow_tests::cases::filled_form(&item, &principal_id);
        let app = agent
            .create_application(&CreateApplicationRequest {
                form,
                ..request.clone()
            })
            .await
            .unwrap();
        assert_eq!(app.applicant_name, me.name);
        assert_eq!(app.agent_name.as_deref(), Some("赵一"));
        assert!(agent
            .applications(1, 50)
            .await
            .unwrap()
            .items
            .iter()
            .any(|s| s.id == app.id));
        assert!(principal
            .applications(1, 50)
            .await
            .unwrap()
            .items
            .iter()
            .any(|s| s.id == app.id));
        agent
            .upload_material(app.id, &item.cases[0].materials[0].code, "id.pdf", pdf(700))
            .await
            .unwrap();
        assert_eq!(agent.authorisations().await.unwrap().len(), 1);

        // The agent submits; when the department refuses it, both are told why.
        for m in &item.cases[0].materials[1..] {
            agent
                .upload_material(app.id, &m.code, "scan.pdf", pdf(700))
                .await
                .unwrap();
        }
        agent
            .submit_application(app.id, "agent-submit-01")
            .await
            .unwrap();
        let desk = staff(server, item.department.as_str()).await;
        desk.transition(
            app.id,
            &TransitionRequest {
                note: "不属于本窗口受理范围。".into(),
                ..act(CaseAction::RefuseAcceptance)
            },
        )
        .await
        .unwrap();
        for who in [&principal, &agent] {
            let told = who.notifications(&Default::default()).await.unwrap().items;
            assert_eq!(
                told[0].kind,
                onewindow_api::notification::NotificationKind::CaseNotAccepted
            );
            assert!(told[0].body.zh.contains("不属于本窗口受理范围"));
        }

        // A second case the agent hands in while still authorised.
        let second = agent
            .create_application(&CreateApplicationRequest {
                form: onewindow_tests::cases::filled_form(&item, &principal_id),
                ..request.clone()
            })
            .await
            .unwrap();
        for m in &item.cases[0].materials {
            agent
                .upload_material(second.id, &m.code, "scan.pdf", pdf(700))
                .await
                .unwrap();
        }
        agent
            .submit_application(second.id, "agent-submit-02")
            .await
            .unwrap();

        // Revoked: the agent loses the case at once; the principal keeps it.
        principal.revoke_agent(granted[0].id).await.unwrap();
        assert_eq!(status(agent.application(app.id).await), Some(404));
        assert!(!agent
            .applications(1, 50)
            .await
            .unwrap()
            .items
            .iter()
            .any(|s| s.id == app.id));
        assert!(principal.application(app.id).await.is_ok());
        assert_eq!(
            status(principal.revoke_agent(granted[0].id).await),
            Some(404)
        );
        assert_eq!(status(agent.create_application(&request).await), Some(403));
        // And hears nothing more of the cases: the acceptance of the second reaches the
        // principal only.
        desk.transition(second.id, &act(CaseAction::Accept))
            .await
            .unwrap();
        let about_second = |list: Vec<onewindow_api::notification::Notification>| {
            list.iter()
                .filter(|n| n.link == format!("/applications/{}", second.id))
                .count()
        };
        let told = principal.notifications(&Default::default()).await.unwrap();
        assert_eq!(about_second(told.items), 1, "{backend:?}");
        let told = agent.notifications(&Default::default()).await.unwrap();
        assert_eq!(about_second(told.items), 0, "{backend:?}");
    }
}

#[tokio::test]
async fn completion_is_predicted_from_recent_cases() {
    for backend in backends() {
        // A server of its own, so that no other test's cases of the item count.
        let server = TestServer::start(backend);
        let (citizen, id_number, _) = applicant(&server, None).await;
        let item = pick_item(&citizen, Audience::Individual).await;
        let lead = staff(&server, item.department.as_str()).await;
        let cal = calendar();
        // Past cases took 1, 2, 3, 4 and 6 working days (median 3), counted from
        // Monday 2 November 2026.
        let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let mut past = Vec::new();
        for _ in 0..5 {
            let app = submitted(&citizen, &item, &id_number).await;
            lead.transition(app.id, &act(CaseAction::Accept))
                .await
                .unwrap();
            past.push(app.id);
        }
        let current = submitted(&citizen, &item, &id_number).await;
        lead.transition(current.id, &act(CaseAction::Accept))
            .await
            .unwrap();
        for (n, (id, days)) in past.iter().zip([1, 2, 3, 4, 6]).enumerate() {
            assert_eq!(
                citizen.application(current.id).await.unwrap().predicted,
                None,
                "{n} decided cases are too few"
            );
            lead.transition(
                *id,
                &TransitionRequest {
                    note: "准予。".into(),
                    ..act(CaseAction::Approve)
                },
            )
            .await
            .unwrap();
            backdate(&server, *id, start, Some(cal.add_working_days(start, days))).await;
        }
        let predicted = citizen.application(current.id).await.unwrap().predicted;
        let expected = cal
            .add_working_days(today(), 3)
            .format("%Y-%m-%d")
            .to_string();
        assert_eq!(predicted.as_deref(), Some(expected.as_str()), "{backend:?}");
        // Decided cases have no prediction.
        assert_eq!(citizen.application(past[0]).await.unwrap().predicted, None);
    }
}

/// Appends events dated as the back office would have written them on those days (the
/// history is append-only, so nothing can be moved back instead): each a local date,
/// the state it led to and the action.
pub(crate) async fn append_events(
    store: &onewindow_server::db::Store,
    id: onewindow_api::ids::CaseId,
    events: &[(chrono::NaiveDate, &str, &str)],
) {
    for (at, state, action) in events {
        sqlx::query("INSERT INTO application_events (application, at, actor, state, action, note) VALUES ($1, $2, NULL, $3, $4, '')")
            .bind(id.0)
            .bind(onewindow_tests::cases::ms_of(*at))
            .bind(*state)
            .bind(*action)
            .execute(&store.pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_clock_stops_during_a_correction_across_a_weekend_and_national_day() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, id_number, _) = applicant(server, None).await;
        let item = pick_item(&citizen, Audience::Individual).await;
        let lead = staff(server, item.department.as_str()).await;
        let promised = item.time_limit.promised_working_days;

        // Through the API: a correction after acceptance stops the clock; the
        // resubmission restarts it and returns the case to the review.
        let app = submitted(&citizen, &item, &id_number).await;
        lead.transition(app.id, &act(CaseAction::Accept))
            .await
            .unwrap();
        lead.transition(app.id, &act(CaseAction::StartReview))
            .await
            .unwrap();
        let mut correction = act(CaseAction::RequestCorrection);
        correction.problems = vec![onewindow_api::application::CorrectionItem {
            target: onewindow_api::application::NoticeTarget::Field(item.form[0].key.clone()),
            message: onewindow_api::Text::new("请补充说明。", "Please explain."),
        }];
        let paused = lead.transition(app.id, &correction).await.unwrap();
        assert!(paused.deadline.as_ref().unwrap().paused);
        let resumed = citizen
            .submit_application(app.id, "clock-resume-1")
            .await
            .unwrap();
        assert_eq!(resumed.state, CaseState::UnderReview);
        assert!(!resumed.deadline.as_ref().unwrap().paused);

        // The arithmetic on dates that matter: accepted Monday 21 September 2026; the
        // correction was open from Wednesday 30 September to Monday 12 October. Of those
        // twelve days only 8, 9, 10 (a make-up Saturday) and 12 October are working
        // days: the National Day week and the Sunday do not count.
        let cal = calendar();
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let (accepted, sent, answered) = (day(9, 21), day(9, 30), day(10, 12));
        assert_eq!(cal.working_days_between(sent, answered), 4);
        backdate(server, app.id, accepted, None).await;
        // The history is append-only, so the two dated events are appended as the
        // back office would have written them on those days.
        let store = onewindow_server::db::Store::connect(&server.database_url, 1)
            .await
            .unwrap();
        append_events(
            &store,
            app.id,
            &[
                (sent, "correction_required", "request_correction"),
                (answered, "under_review", "resubmit"),
            ],
        )
        .await;
        let seen = citizen.application(app.id).await.unwrap();
        let deadline = seen.deadline.unwrap();
        // The first, real correction of today adds its own working days (0 when it
        // opened and closed today, as here).
        let expected = cal.add_working_days(accepted, promised + 4);
        assert_eq!(deadline.due, expected.format("%Y-%m-%d").to_string());
        assert_ne!(
            deadline.due,
            cal.add_working_days(accepted, promised + 12)
                .format("%Y-%m-%d")
                .to_string()
        );

        // A special procedure later on (an expert review from Wednesday 14 to Tuesday
        // 20 October) moves the deadline out by its own working days: 15, 16, 19, 20.
        let (suspended, resumed_on) = (day(10, 14), day(10, 20));
        append_events(
            &store,
            app.id,
            &[
                (suspended, "suspended", "suspend"),
                (resumed_on, "under_review", "resume"),
            ],
        )
        .await;
        let seen = citizen.application(app.id).await.unwrap();
        let expected = cal.add_working_days(accepted, promised + 4 + 4);
        let deadline = seen.deadline.unwrap();
        assert_eq!(
            deadline.due,
            expected.format("%Y-%m-%d").to_string(),
            "{backend:?}"
        );
        // The legal deadline moves out by the same stops.
        let legal = cal.add_working_days(accepted, item.time_limit.legal_working_days + 4 + 4);
        assert_eq!(
            deadline.legal_due,
            Some(legal.format("%Y-%m-%d").to_string()),
            "{backend:?}"
        );
        store.pool.close().await;
    }
}

/// The promise in effect when a case is accepted binds it: the department shortened
/// its promised time limit after the draft was started, and the case gets the new one;
/// so does the legal time limit, which the law lengthened meanwhile.
#[tokio::test]
async fn the_time_limit_is_the_one_promised_on_acceptance() {
    for backend in backends() {
        let server = TestServer::start(backend);
        let (citizen, id_number, _) = applicant(&server, None).await;
        let item = pick_item(&citizen, Audience::Individual).await;
        let app = submitted(&citizen, &item, &id_number).await;

        // The guide changes: one working day less is promised.
        let store = onewindow_server::db::Store::connect(&server.database_url, 1)
            .await
            .unwrap();
        let mut changed = item.clone();
        changed.time_limit.promised_working_days -= 1;
        changed.time_limit.legal_working_days += 5;
        let doc = onewindow_api::catalogue::CatalogueDocument {
            items: vec![changed.clone()],
            ..Default::default()
        };
        onewindow_server::import::import(&store, &doc)
            .await
            .unwrap();
        store.pool.close().await;
        // The running server reads the guide again when it starts.
        server.stop();
        server.resume();
        // (A client of its own: the old connections went with the old server.)
        let lead = staff(&server, item.department.as_str()).await;

        let accepted = lead
            .transition(app.id, &act(CaseAction::Accept))
            .await
            .unwrap();
        let day = |n| {
            calendar()
                .add_working_days(today(), n)
                .format("%Y-%m-%d")
                .to_string()
        };
        let deadline = accepted.deadline.unwrap();
        assert_eq!(
            deadline.due,
            day(changed.time_limit.promised_working_days),
            "{backend:?}"
        );
        // The legal time limit (法定时限) is taken on acceptance too.
        assert_eq!(
            deadline.legal_due,
            Some(day(changed.time_limit.legal_working_days)),
            "{backend:?}"
        );
    }
}
