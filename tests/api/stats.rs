//! Public statistics through the real client on SQLite and PostgreSQL, on a server of
//! their own: received and completed cases, on time and on the spot, working days, the
//! rating distribution, bookings and no-shows, per department and city-wide, over the
//! asked period; bad periods are clear errors.

use crate::bookings::{bookable, booked_at};
use chrono::Duration;
use onewindow_api::application::TransitionRequest;
use onewindow_api::case::CaseAction;
use onewindow_api::catalogue::Audience;
use onewindow_api::rating::{RatingRequest, Satisfaction};
use onewindow_api::stats::{Counts, StatsQuery};
use onewindow_api::ErrorCode;
use onewindow_tests::cases::{act, applicant, backdate, pick_item, staff, submitted, today};
use onewindow_tests::{backends, TestServer};

#[tokio::test]
async fn figures_per_department_and_city_wide() {
    for backend in backends() {
        let server = TestServer::start_with(backend, |c| c.jobs.tick_seconds = 3600);
        let (citizen, id_number, _) = applicant(&server, None).await;
        let item = pick_item(&citizen, Audience::Individual).await;
        let dept = item.department.as_str();
        let lead = staff(&server, dept).await;
        let decide = |id| {
            let lead = &lead;
            async move {
                for a in [
                    CaseAction::Accept,
                    CaseAction::StartReview,
                    CaseAction::Approve,
                ] {
                    lead.transition(id, &act(a)).await.unwrap();
                }
            }
        };
        // One case decided the day it was accepted, and completed and rated.
        let quick = submitted(&citizen, &item, &id_number).await;
        decide(quick.id).await;
        let pickup = TransitionRequest {
            window: Some("A05".into()),
            ..act(CaseAction::IssueForPickup)
        };
        lead.transition(quick.id, &pickup).await.unwrap();
        lead.transition(quick.id, &act(CaseAction::ConfirmPickup))
            .await
            .unwrap();
        citizen
            .rate_case(
                quick.id,
                &RatingRequest {
                    level: Satisfaction::Satisfied,
                    dimensions: Vec::new(),
                    comment: String::new(),
                },
            )
            .await
            .unwrap();
        // One accepted long ago and decided today: late.
        let slow = submitted(&citizen, &item, &id_number).await;
        decide(slow.id).await;
        let long_ago = today() - Duration::days(400);
        backdate(&server, slow.id, long_ago, None).await;
        // One still running counts as received only.
        submitted(&citizen, &item, &id_number).await;

        // Appointments: one today, one yesterday not attended.
        let place = bookable(&citizen).await;
        let window = place.venues[0].windows[0].clone();
        let desk = staff(&server, place.department.as_str()).await;
        let (visitor, _, _) = applicant(&server, None).await;
        booked_at(
            &server,
            &visitor,
            &place,
            &window,
            today().and_hms_opt(23, 30, 0).unwrap(),
            "STAT2345",
        )
        .await;
        let (absent, _, _) = applicant(&server, None).await;
        let yesterday = today() - Duration::days(1);
        let missed = booked_at(
            &server,
            &absent,
            &place,
            &window,
            yesterday.and_hms_opt(9, 0, 0).unwrap(),
            "STAT2346",
        )
        .await;
        desk.mark_no_show(missed).await.unwrap();

        // Anyone may read them, without an account.
        let public = server.client();
        let stats = public.stats(&StatsQuery::default()).await.unwrap();
        assert_eq!(stats.to, today().to_string());
        let of = |code: &str| {
            stats
                .departments
                .iter()
                .find(|d| d.department.as_str() == code)
                .unwrap()
                .clone()
        };
        let mine = of(dept);
        assert_eq!(mine.counts.received, 3);
        assert_eq!(mine.counts.completed, 2);
        assert_eq!(mine.counts.on_time, 1);
        assert_eq!(mine.counts.on_the_spot, 1);
        assert!(mine.counts.working_days > 200, "{:?}", mine.counts);
        assert_eq!(mine.counts.ratings, [0, 1, 0, 0, 0]);
        assert_eq!(mine.rates.on_time, Some(0.5));
        assert_eq!(mine.rates.satisfaction, Some(1.0));
        let visits = of(place.department.as_str()).counts;
        assert_eq!((visits.bookings, visits.no_shows), (2, 1));
        // The city is the sum of its departments; the rest counted nothing.
        let mut sum = Counts::default();
        for d in &stats.departments {
            sum.add(&d.counts);
        }
        assert_eq!(sum, stats.city);
        assert_eq!(stats.city.completed, 2);

        // Yesterday alone: only the missed appointment.
        let q = StatsQuery {
            from: Some(yesterday.to_string()),
            to: Some(yesterday.to_string()),
        };
        let then = public.stats(&q).await.unwrap();
        assert_eq!(then.city.received, 0);
        assert_eq!((then.city.bookings, then.city.no_shows), (1, 1));
        assert_eq!(then.city_rates.on_time, None);

        for (from, to) in [
            ("2026-02-01", "2026-01-01"),
            ("soon", "2026-01-01"),
            ("2024-01-01", "2026-01-01"),
        ] {
            let q = StatsQuery {
                from: Some(from.into()),
                to: Some(to.into()),
            };
            let e = public.stats(&q).await.unwrap_err();
            assert_eq!(e.code(), Some(ErrorCode::ValidationFailed), "{from} {to}");
        }
    }
}
