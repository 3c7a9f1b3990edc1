//! Questions (问) and complaints (诉) through the real client on SQLite and PostgreSQL:
//! who answers which, the states (open → answered → closed, reopened by the citizen),
//! the citizen's notification of each answer, and that nobody else sees a thread.

use onewindow_api::account::Role;
use onewindow_api::catalogue::Audience;
use onewindow_api::ids::{HallCode, ItemCode};
use onewindow_api::notification::NotificationKind;
use onewindow_api::thread::{
    NewThreadRequest, ThreadKind, ThreadQuery, ThreadState, ThreadSubject,
};
use onewindow_api::ErrorCode;
use onewindow_tests::cases::{applicant, officer, pick_item, staff, submitted};
use onewindow_tests::{backends, TestServer};

fn ask(kind: ThreadKind, subject: ThreadSubject, text: &str) -> NewThreadRequest {
    NewThreadRequest {
        kind,
        subject,
        title: "关于材料".into(),
        text: text.into(),
    }
}

#[tokio::test]
async fn questions_and_complaints_are_answered_by_the_right_people() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, id_number, _) = applicant(server, None).await;
        let (stranger, _, _) = applicant(server, None).await;
        let item = pick_item(&citizen, Audience::Individual).await;
        let dept = item.department.as_str();
        let lead = staff(server, dept).await;
        let other_dept = ["PSB", "CAB", "HRSS", "AMR", "TAX"]
            .into_iter()
            .find(|d| *d != dept)
            .unwrap();
        let other = staff(server, other_dept).await;
        let admin = officer(server, Role::Admin, None).await;

        // A question about an item goes to its department.
        let q = citizen
            .open_thread(&ask(
                ThreadKind::Question,
                ThreadSubject::Item(item.code.clone()),
                "复印件需要盖章吗？",
            ))
            .await
            .unwrap();
        assert_eq!(q.state, ThreadState::Open);
        assert_eq!(q.department.as_ref().map(|d| d.as_str()), Some(dept));
        let open = ThreadQuery {
            state: Some(ThreadState::Open),
            per_page: Some(100),
            ..Default::default()
        };
        assert!(lead
            .staff_threads(&open)
            .await
            .unwrap()
            .items
            .iter()
            .any(|t| t.id == q.id));
        assert!(!other
            .staff_threads(&open)
            .await
            .unwrap()
            .items
            .iter()
            .any(|t| t.id == q.id));
        for outsider in [&stranger, &other] {
            assert_eq!(outsider.thread(q.id).await.unwrap_err().status(), Some(404));
            assert_eq!(
                outsider
                    .post_message(q.id, "hello")
                    .await
                    .unwrap_err()
                    .status(),
                Some(404)
            );
        }

        // Answered: the citizen is told; replies (reopening it); closes it.
        let a = lead
            .post_message(q.id, "不需要盖章，签字即可。")
            .await
            .unwrap();
        assert_eq!(a.state, ThreadState::Answered);
        assert!(a.messages[1].from_staff && !a.messages[0].from_staff);
        let told = citizen
            .notifications(&Default::default())
            .await
            .unwrap()
            .items;
        assert_eq!(told[0].kind, NotificationKind::ThreadAnswered);
        assert_eq!(told[0].link, format!("/threads/{}", q.id));
        assert!(told[0].body.zh.contains("签字即可"));
        let again = citizen.post_message(q.id, "原件也要带吗？").await.unwrap();
        assert_eq!(again.state, ThreadState::Open);
        lead.post_message(q.id, "请带原件核验。").await.unwrap();
        assert_eq!(
            lead.close_thread(q.id).await.unwrap_err().status(),
            Some(403)
        );
        let closed = citizen.close_thread(q.id).await.unwrap();
        assert_eq!(closed.state, ThreadState::Closed);
        assert_eq!(closed.messages.len(), 4);
        let e = lead.post_message(q.id, "补充说明").await.unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidTransition));
        assert_eq!(
            citizen.close_thread(q.id).await.unwrap_err().code(),
            Some(ErrorCode::InvalidTransition)
        );

        // A complaint about one's own case goes to its department; not about another's.
        let app = submitted(&citizen, &item, &id_number).await;
        let c = citizen
            .open_thread(&ask(
                ThreadKind::Complaint,
                ThreadSubject::Case(app.id),
                "受理太慢。",
            ))
            .await
            .unwrap();
        assert_eq!(c.department.as_ref().map(|d| d.as_str()), Some(dept));
        // Attachments: typed by content, within the limits, seen by both sides only.
        let scan = onewindow_tests::cases::pdf(3000);
        let a = citizen
            .attach_to_thread(c.id, "../../问题.pdf", scan.clone())
            .await
            .unwrap();
        assert_eq!(a.name, "问题.pdf");
        assert!(!a.from_staff);
        let e = citizen
            .attach_to_thread(c.id, "x.pdf", b"MZ not a pdf at all".to_vec())
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(415));
        let e = citizen
            .attach_to_thread(
                c.id,
                "big.pdf",
                onewindow_tests::cases::pdf(11 * 1024 * 1024),
            )
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(413));
        assert_eq!(lead.thread_attachment(c.id, a.id).await.unwrap(), scan);
        assert_eq!(
            stranger
                .thread_attachment(c.id, a.id)
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        let reply = lead
            .attach_to_thread(c.id, "回复.png", png())
            .await
            .unwrap();
        assert!(reply.from_staff);
        assert_eq!(lead.thread(c.id).await.unwrap().attachments.len(), 2);
        let e = stranger
            .open_thread(&ask(
                ThreadKind::Complaint,
                ThreadSubject::Case(app.id),
                "?",
            ))
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(404));

        // A complaint about a hall is for supervisors only.
        let hall = citizen.halls().await.unwrap()[0].code.clone();
        let h = citizen
            .open_thread(&ask(
                ThreadKind::Complaint,
                ThreadSubject::Hall(hall),
                "大厅空调坏了。",
            ))
            .await
            .unwrap();
        assert!(h.department.is_none());
        assert_eq!(lead.thread(h.id).await.unwrap_err().status(), Some(404));
        assert!(admin
            .staff_threads(&open)
            .await
            .unwrap()
            .items
            .iter()
            .any(|t| t.id == h.id));
        assert_eq!(
            admin
                .post_message(h.id, "已报修，今日修复。")
                .await
                .unwrap()
                .state,
            ThreadState::Answered
        );

        // The citizen's list, filtered; what is refused, and why.
        let mine = citizen
            .my_threads(&ThreadQuery {
                kind: Some(ThreadKind::Complaint),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(mine.total, 2);
        let bad = [
            ask(
                ThreadKind::Question,
                ThreadSubject::Hall(HallCode::new("HALL-CITY")),
                "x",
            ),
            ask(
                ThreadKind::Question,
                ThreadSubject::Item(ItemCode::new("NO-9999")),
                "x",
            ),
            ask(
                ThreadKind::Question,
                ThreadSubject::Item(item.code.clone()),
                " ",
            ),
        ];
        for req in &bad {
            let e = citizen.open_thread(req).await.unwrap_err();
            assert_eq!(e.code(), Some(ErrorCode::ValidationFailed), "{req:?}");
        }
        let e = lead
            .open_thread(&ask(
                ThreadKind::Question,
                ThreadSubject::Item(item.code.clone()),
                "x",
            ))
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(403));
        assert_eq!(
            citizen.staff_threads(&open).await.unwrap_err().status(),
            Some(403)
        );
    }
}

/// A tiny PNG: its signature is what the server sniffs.
fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend_from_slice(&[0u8; 64]);
    b
}
