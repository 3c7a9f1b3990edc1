//! Applications through the real client on SQLite and PostgreSQL: a draft with its live
//! one-time notice, uploads (type sniffing, size limits, path tricks), idempotent
//! submit, withdrawal, deletion, and who may see what.

use onewindow_api::application::{CreateApplicationRequest, FormValues, NoticeTarget};
use onewindow_api::case::CaseState;
use onewindow_api::catalogue::Audience;
use onewindow_api::query::ServiceQuery;
use onewindow_api::ErrorCode;
use onewindow_tests::cases::{
    applicant, filled_form, pdf, pick_item, unique_credit_code, TestClient,
};
use onewindow_tests::{backends, TestServer};

async fn citizen(server: &TestServer, company: Option<&str>) -> (TestClient, String) {
    let (c, id, _) = applicant(server, company).await;
    (c, id)
}

#[tokio::test]
async fn draft_notice_uploads_submit_and_withdraw() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (c, id_number) = citizen(server, None).await;
        let item = pick_item(&c, Audience::Individual).await;
        let case = &item.cases[0];
        let req = CreateApplicationRequest {
            on_behalf_of: None,
            item: item.code.clone(),
            case: case.code.clone(),
            form: FormValues::new(),
        };
        let app = c.create_application(&req).await.unwrap();
        assert_eq!(app.state, CaseState::Draft);
        assert!(app.applicant_id_masked.contains("**********"));

        // The one-time notice names every required field and material at once.
        let required_fields = item.form.iter().filter(|f| f.required).count();
        let required_materials: Vec<_> = case.materials.iter().filter(|m| m.required).collect();
        assert_eq!(
            app.notice.problems.len(),
            required_fields + required_materials.len(),
            "{:?}",
            app.notice
        );
        let e = c
            .submit_application(app.id, "key-0000001")
            .await
            .unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(422), Some(ErrorCode::PreReviewFailed))
        );

        // Fill the form: only the materials are left.
        let app = c
            .update_form(app.id, &filled_form(&item, &id_number))
            .await
            .unwrap();
        assert!(
            app.notice
                .problems
                .iter()
                .all(|p| matches!(p.target, NoticeTarget::Material(_))),
            "{:?}",
            app.notice
        );

        // A renamed executable is refused by its bytes; oversized files and unknown slots too.
        let slot = &required_materials[0].code;
        let e = c
            .upload_material(
                app.id,
                slot,
                "scan.pdf",
                b"MZ\x90\x00\x03\x00\x00\x00 not a pdf".to_vec(),
            )
            .await
            .unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(415), Some(ErrorCode::UnsupportedMediaType))
        );
        let max = required_materials[0].max_size_mb.min(50) as usize * 1024 * 1024;
        let e = c
            .upload_material(app.id, slot, "big.pdf", pdf(max + 1))
            .await
            .unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(413), Some(ErrorCode::PayloadTooLarge))
        );
        let e = c
            .upload_material(app.id, "../../etc", "x.pdf", pdf(100))
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(404));

        // Good uploads; the name is for display only and loses any path.
        for (i, m) in required_materials.iter().enumerate() {
            let f = c
                .upload_material(app.id, &m.code, "../../etc/passwd", pdf(2000 + i))
                .await
                .unwrap();
            assert_eq!(f.name, "passwd");
            assert_eq!(f.size, 2000 + i as u64);
            assert_eq!(f.sha256.len(), 64);
        }
        // The applicant downloads exactly what was stored; a stranger cannot.
        let stored = c.application(app.id).await.unwrap().files[0].clone();
        let got = c.download_file(app.id, stored.id).await.unwrap();
        assert_eq!(got, pdf(stored.size as usize));
        let (other, _) = citizen(server, None).await;
        assert_eq!(
            other
                .download_file(app.id, stored.id)
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );

        // Several files per slot, and removing one.
        let extra = c
            .upload_material(app.id, slot, "page2.pdf", pdf(3000))
            .await
            .unwrap();
        c.remove_file(app.id, extra.id).await.unwrap();
        let app = c.application(app.id).await.unwrap();
        assert!(app.notice.is_clear(), "{:?}", app.notice);
        assert_eq!(app.files.len(), required_materials.len());

        // Submit is idempotent under its key.
        let submitted = c.submit_application(app.id, "key-0000002").await.unwrap();
        assert_eq!(submitted.state, CaseState::Submitted);
        let again = c.submit_application(app.id, "key-0000002").await.unwrap();
        assert_eq!(again.state, CaseState::Submitted);
        assert_eq!(again.timeline.len(), 2, "a retried submit recorded twice");
        let e = c
            .submit_application(app.id, "key-0000003")
            .await
            .unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(409), Some(ErrorCode::InvalidTransition))
        );
        // Materials and form are frozen once submitted.
        let e = c
            .upload_material(app.id, slot, "late.pdf", pdf(100))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidTransition));
        let e = c.update_form(app.id, &FormValues::new()).await.unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidTransition));
        let e = c.delete_application(app.id).await.unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidTransition));

        // Withdraw, once.
        let w = c.withdraw_application(app.id, "办错了").await.unwrap();
        assert_eq!(w.state, CaseState::Withdrawn);
        assert_eq!(w.timeline.last().unwrap().note, "办错了");
        let e = c.withdraw_application(app.id, "").await.unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(409), Some(ErrorCode::InvalidTransition))
        );

        let list = c.applications(1, 20).await.unwrap();
        assert_eq!(list.total, 1);
        assert_eq!(list.items[0].state, CaseState::Withdrawn);
    }
}

#[tokio::test]
async fn drafts_can_be_deleted_and_bad_requests_are_named() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (c, _) = citizen(server, None).await;
        let item = pick_item(&c, Audience::Individual).await;
        let req = CreateApplicationRequest {
            on_behalf_of: None,
            item: item.code.clone(),
            case: item.cases[0].code.clone(),
            form: FormValues::new(),
        };
        let app = c.create_application(&req).await.unwrap();
        c.delete_application(app.id).await.unwrap();
        assert_eq!(c.application(app.id).await.unwrap_err().status(), Some(404));

        let bad_case = CreateApplicationRequest {
            on_behalf_of: None,
            case: "no-such-case".into(),
            ..req.clone()
        };
        let e = c.create_application(&bad_case).await.unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(422), Some(ErrorCode::ValidationFailed))
        );
        let bad_item = CreateApplicationRequest {
            on_behalf_of: None,
            item: "NOPE-0000".into(),
            ..req.clone()
        };
        assert_eq!(
            c.create_application(&bad_item).await.unwrap_err().status(),
            Some(404)
        );
        let offline = c
            .services(&ServiceQuery {
                online: Some(false),
                per_page: Some(1),
                ..Default::default()
            })
            .await
            .unwrap();
        let offline = c.service(offline.items[0].code.as_str()).await.unwrap();
        let e = c
            .create_application(&CreateApplicationRequest {
                on_behalf_of: None,
                item: offline.code.clone(),
                case: offline.cases[0].code.clone(),
                form: FormValues::new(),
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::ValidationFailed));
        let e = c.submit_application(app.id, "short").await.unwrap_err();
        assert!(matches!(e.status(), Some(404) | Some(422)));
    }
}

#[tokio::test]
async fn only_the_applicant_and_their_company_see_an_application() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let code = unique_credit_code();
        let (member_a, _) = citizen(server, Some(&code)).await;
        let (member_b, _) = citizen(server, Some(&code)).await;
        let (stranger, _) = citizen(server, None).await;
        let item = pick_item(&member_a, Audience::Business).await;
        let req = CreateApplicationRequest {
            on_behalf_of: None,
            item: item.code.clone(),
            case: item.cases[0].code.clone(),
            form: FormValues::new(),
        };
        let app = member_a.create_application(&req).await.unwrap();

        // Registering with the company's credit code (which is public) is not enough:
        // until a member confirms them, the newcomer sees none of its cases.
        let me_b = member_b.me().await.unwrap();
        assert_eq!(me_b.company, None);
        assert_eq!(
            me_b.company_pending
                .as_ref()
                .map(|c| c.credit_code.as_str()),
            Some(code.as_str())
        );
        assert!(member_b.applications(1, 50).await.unwrap().items.is_empty());
        assert_eq!(
            member_b.application(app.id).await.unwrap_err().status(),
            Some(404)
        );
        // Nor can they confirm anyone, themselves included.
        assert_eq!(
            member_b
                .decide_member(me_b.id, true)
                .await
                .unwrap_err()
                .status(),
            Some(403)
        );
        let (intruder, _) = citizen(server, Some(&code)).await;
        let intruder_id = intruder.me().await.unwrap().id;
        // The member is told about each, with the way to the Me page.
        let told = member_a
            .notifications(&Default::default())
            .await
            .unwrap()
            .items;
        let waiting_notes: Vec<_> = told
            .iter()
            .filter(|n| {
                n.kind == onewindow_api::notification::NotificationKind::CompanyMemberWaiting
            })
            .collect();
        assert_eq!(waiting_notes.len(), 2, "{told:?}");
        assert!(waiting_notes.iter().all(|n| n.link == "/me"));
        let waiting = member_a.company_members().await.unwrap();
        let pending: Vec<_> = waiting.iter().filter(|m| m.pending).map(|m| m.id).collect();
        assert_eq!(pending.len(), 2, "{waiting:?}");
        assert!(pending.contains(&me_b.id) && pending.contains(&intruder_id));
        assert!(waiting.iter().all(|m| m.phone_masked.contains("****")));
        // A member confirms one and turns the other away; neither twice.
        member_a.decide_member(me_b.id, true).await.unwrap();
        member_a.decide_member(intruder_id, false).await.unwrap();
        assert_eq!(
            member_a
                .decide_member(intruder_id, true)
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        let turned_away = intruder.me().await.unwrap();
        assert_eq!(
            (turned_away.company, turned_away.company_pending),
            (None, None)
        );
        assert!(intruder.applications(1, 50).await.unwrap().items.is_empty());
        // A stranger's company is not theirs to decide on.
        assert_eq!(
            stranger
                .decide_member(me_b.id, false)
                .await
                .unwrap_err()
                .status(),
            Some(403)
        );
        let members = member_b.company_members().await.unwrap();
        assert_eq!(members.len(), 2);
        assert!(members.iter().all(|m| !m.pending));

        // A confirmed colleague sees it in the company's list and can open it.
        let list = member_b.applications(1, 50).await.unwrap();
        assert!(list.items.iter().any(|a| a.id == app.id));
        assert_eq!(member_b.application(app.id).await.unwrap().id, app.id);

        // A stranger gets 404 everywhere, as if it did not exist.
        assert_eq!(
            stranger.application(app.id).await.unwrap_err().status(),
            Some(404)
        );
        assert_eq!(
            stranger
                .update_form(app.id, &FormValues::new())
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        assert_eq!(
            stranger
                .upload_material(app.id, &item.cases[0].materials[0].code, "a.pdf", pdf(10))
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        assert_eq!(
            stranger
                .submit_application(app.id, "key-0000009")
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        assert_eq!(
            stranger
                .withdraw_application(app.id, "")
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        assert_eq!(
            stranger
                .delete_application(app.id)
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        assert!(stranger
            .applications(1, 50)
            .await
            .unwrap()
            .items
            .iter()
            .all(|a| a.id != app.id));

        // Without a session: 401.
        let anon = server.client();
        assert_eq!(
            anon.application(app.id).await.unwrap_err().code(),
            Some(ErrorCode::Unauthenticated)
        );
        assert_eq!(
            anon.create_application(&req).await.unwrap_err().status(),
            Some(401)
        );
        assert_eq!(
            anon.applications(1, 5).await.unwrap_err().status(),
            Some(401)
        );
    }
}

#[tokio::test]
async fn the_deployments_upload_cap_is_the_limit_every_guide_states() {
    for backend in backends() {
        let server = TestServer::start_with(backend, |c| c.storage.max_upload_mb = 1);
        let (c, _) = citizen(&server, None).await;
        let item = pick_item(&c, Audience::Individual).await;
        let materials = &item.cases[0].materials;
        // The demo's materials allow more than 1 MB; the guide says what holds here.
        assert!(
            materials.iter().all(|m| m.max_size_mb == 1),
            "{materials:?}"
        );
        let app = onewindow_tests::cases::empty_draft(&c, &item).await;
        let slot = &materials[0].code;
        let e = c
            .upload_material(app.id, slot, "big.pdf", pdf(1024 * 1024 + 1))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::PayloadTooLarge), "{e}");
        c.upload_material(app.id, slot, "fits.pdf", pdf(1024 * 1024))
            .await
            .unwrap();
    }
}

/// An applicant keeps at most `applications.max_drafts` unsubmitted drafts: the next one
/// is refused with 409 `too_many_drafts` and makes nothing, even when several start at
/// once; deleting or submitting a draft makes room again.
#[tokio::test]
async fn drafts_per_applicant_are_capped() {
    use onewindow_api::application::TOO_MANY_DRAFTS;
    use onewindow_tests::cases::{empty_draft, submitted};
    for backend in backends() {
        let server = TestServer::start_with(backend, |c| c.applications.max_drafts = 3);
        let (c, id_number) = citizen(&server, None).await;
        let item = pick_item(&c, Audience::Individual).await;
        let req = CreateApplicationRequest {
            on_behalf_of: None,
            item: item.code.clone(),
            case: item.cases[0].code.clone(),
            form: FormValues::new(),
        };
        // Five at once: three are made, two refused.
        let attempts = tokio::join!(
            c.create_application(&req),
            c.create_application(&req),
            c.create_application(&req),
            c.create_application(&req),
            c.create_application(&req),
        );
        let attempts = [attempts.0, attempts.1, attempts.2, attempts.3, attempts.4];
        let (made, refused): (Vec<_>, Vec<_>) = attempts.into_iter().partition(Result::is_ok);
        assert_eq!((made.len(), refused.len()), (3, 2), "{backend:?}");
        for e in refused.into_iter().map(Result::unwrap_err) {
            assert_eq!(
                (e.status(), e.code(), e.reason()),
                (Some(409), Some(ErrorCode::Conflict), Some(TOO_MANY_DRAFTS))
            );
        }
        let drafts: Vec<_> = made.into_iter().map(Result::unwrap).collect();
        assert_eq!(c.applications(1, 20).await.unwrap().total, 3);

        // Another applicant is not affected.
        let (other, _) = citizen(&server, None).await;
        empty_draft(&other, &item).await;

        // Deleting one makes room for one; a case once submitted is no longer a draft.
        c.delete_application(drafts[0].id).await.unwrap();
        submitted(&c, &item, &id_number).await;
        empty_draft(&c, &item).await;
        let e = c.create_application(&req).await.unwrap_err();
        assert_eq!(e.reason(), Some(TOO_MANY_DRAFTS), "{backend:?}");
        assert_eq!(c.applications(1, 20).await.unwrap().total, 4);
    }
}
