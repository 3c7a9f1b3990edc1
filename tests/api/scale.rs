//! Three instances on one database, as behind a load balancer without sticky sessions,
//! on SQLite and PostgreSQL: a session opened on one works on the others and a sign-out
//! on any ends it everywhere; the reminder job runs on all three and still writes each
//! reminder once; a stream on a third instance gets it once.

use crate::bookings::{bookable, booked_at};
use crate::live::Stream;
use crate::reminders::{about, all, city_now, wait_for};
use chrono::Duration;
use onewindow_api::account::LoginRequest;
use onewindow_api::notification::NotificationKind;
use onewindow_api::ErrorCode;
use onewindow_tests::cases::applicant;
use onewindow_tests::{backends, TestServer};

#[tokio::test]
async fn three_instances_share_sessions_login_limits_jobs_and_streams() {
    for backend in backends() {
        let fast = |c: &mut onewindow_server::config::Config| c.jobs.tick_seconds = 1;
        let one = TestServer::start_with(backend, fast);
        let two = one.another_with(fast);
        let three = one.another_with(fast);

        // Signed in through one; the same token on two and three.
        let (citizen, _, _) = applicant(&one, None).await;
        let me = citizen.me().await.unwrap();
        let on = |server: &TestServer| {
            let c = server.client();
            c.set_token(citizen.token());
            c
        };
        let (on_two, on_three) = (on(&two), on(&three));
        assert_eq!(on_two.me().await.unwrap().id, me.id);
        assert_eq!(on_three.me().await.unwrap().id, me.id);

        // Failed logins count on every instance: four wrong passwords through one and a
        // fifth through two use up the limit (auth.login_max_failures = 5), so three
        // refuses even the right one.
        let (_, _, phone) = applicant(&one, None).await;
        let login = |password: &str| LoginRequest {
            login: phone.clone(),
            password: password.into(),
        };
        for server in [&one, &one, &one, &one, &two] {
            let e = server
                .client()
                .login(&login("wrong one"))
                .await
                .unwrap_err();
            assert_eq!(e.status(), Some(401), "{backend:?}");
        }
        let e = three
            .client()
            .login(&login("apply now 123"))
            .await
            .unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(429), Some(ErrorCode::RateLimited)),
            "{backend:?}"
        );

        // A booking a day ahead: all three jobs see it, one reminder is written, and a
        // stream on the third instance gets it once.
        let mut stream = Stream::connect(&three.base_url, &citizen, None).await;
        let item = bookable(&citizen).await;
        let window = item.venues[0].windows[0].clone();
        let b = booked_at(
            &one,
            &citizen,
            &item,
            &window,
            city_now() + Duration::hours(23),
            "SCALE023",
        )
        .await;
        wait_for(&on_two, b, NotificationKind::BookingReminderDay).await;
        let got = stream
            .notifications(1, std::time::Duration::from_secs(10))
            .await;
        assert_eq!(got.len(), 1, "{backend:?}: {got:?}");
        assert_eq!(got[0].1.kind, NotificationKind::BookingReminderDay);
        // Several more rounds of three jobs write nothing twice.
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        let list = all(&citizen).await;
        assert_eq!(
            about(&list, b, NotificationKind::BookingReminderDay),
            1,
            "{backend:?}: {list:?}"
        );

        // Signing out through two ends the session on every instance.
        on_two.logout().await.unwrap();
        for c in [&citizen, &on_three] {
            assert_eq!(c.me().await.unwrap_err().status(), Some(401));
        }
    }
}
