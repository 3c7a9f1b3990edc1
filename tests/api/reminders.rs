//! Appointment notifications through the real client on SQLite and PostgreSQL: the
//! confirmation, cancellation and change written with the booking, the reminders a day
//! and an hour before written once by the background job, the notification centre
//! (unread count, marking read, nobody else's), the weekly cap and a booking linked to
//! an application; and that a change that fails writes no notification.

use crate::bookings::{bookable, bookable_items, booked_at, request};
use chrono::{Duration, NaiveDateTime, Utc};
use onewindow_api::booking::{
    BookingRefusal, BookingRequest, OpenSlot, RescheduleRequest, SlotQuery,
};
use onewindow_api::ids::BookingId;
use onewindow_api::notification::{Notification, NotificationKind, NotificationQuery};
use onewindow_api::slots::week_of;
use onewindow_api::ErrorCode;
use onewindow_tests::cases::{applicant, complete_draft, staff, TestClient};
use onewindow_tests::{backends, TestServer};

/// Now in the demo city (Asia/Shanghai), as the halls keep their hours.
pub(crate) fn city_now() -> NaiveDateTime {
    (Utc::now() + Duration::hours(8)).naive_utc()
}

pub(crate) async fn all(c: &TestClient) -> Vec<Notification> {
    c.notifications(&NotificationQuery {
        per_page: Some(100),
        ..Default::default()
    })
    .await
    .unwrap()
    .items
}

/// How many notifications of `kind` in `list` open the page `link`.
pub(crate) fn linked(list: &[Notification], link: &str, kind: NotificationKind) -> usize {
    list.iter()
        .filter(|n| n.kind == kind && n.link == link)
        .count()
}

pub(crate) fn about(list: &[Notification], b: BookingId, kind: NotificationKind) -> usize {
    linked(list, &format!("/bookings/{b}"), kind)
}

/// Waits (up to 20 s; the background jobs run every second here) until `c` has `count`
/// notifications of `kind` that open the page `link`; all of `c`'s then.
pub(crate) async fn wait_for_linked(
    c: &TestClient,
    link: &str,
    kind: NotificationKind,
    count: usize,
) -> Vec<Notification> {
    for _ in 0..80 {
        let list = all(c).await;
        if linked(&list, link, kind) >= count {
            return list;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("fewer than {count} {kind:?} notification(s) for {link}");
}

/// Waits until `c` has a notification of `kind` about booking `b`.
pub(crate) async fn wait_for(
    c: &TestClient,
    b: BookingId,
    kind: NotificationKind,
) -> Vec<Notification> {
    wait_for_linked(c, &format!("/bookings/{b}"), kind, 1).await
}

#[tokio::test]
async fn confirmations_reminders_and_the_notification_centre() {
    for backend in backends() {
        let server = TestServer::start_with(backend, |c| c.jobs.tick_seconds = 1);
        let (citizen, _, _) = applicant(&server, None).await;
        let item = bookable(&citizen).await;
        let open = citizen
            .slots(item.code.as_str(), &SlotQuery::default())
            .await
            .unwrap();
        let b = citizen
            .book(&request(&item, &open[0], "notify-key-01"))
            .await
            .unwrap();
        // The confirmation is in the outbox with the booking, in both languages.
        let list = all(&citizen).await;
        assert_eq!(about(&list, b.id, NotificationKind::BookingConfirmed), 1);
        let confirmed = &list[0];
        assert!(confirmed.body.zh.contains(&b.code) && confirmed.body.en.contains(&b.code));
        assert!(confirmed.read_at.is_none());

        // Moving it says so; the retried booking request writes nothing more.
        let moved = citizen
            .reschedule_booking(
                b.id,
                &RescheduleRequest {
                    hall: open[1].hall.clone(),
                    window: open[1].window.clone(),
                    start: open[1].start,
                },
            )
            .await
            .unwrap();
        citizen
            .book(&request(&item, &open[0], "notify-key-01"))
            .await
            .unwrap();
        let list = all(&citizen).await;
        assert_eq!(about(&list, b.id, NotificationKind::BookingRescheduled), 1);
        assert_eq!(about(&list, b.id, NotificationKind::BookingConfirmed), 1);
        let when = moved.start.format("%Y-%m-%d %H:%M").to_string();
        assert!(list[0].body.en.contains(&when));

        // Reminders: one booking a day ahead, one within the hour (made long ago).
        let window = item.venues[0].windows[0].clone();
        let (tomorrow, _, _) = applicant(&server, None).await;
        let (soon, _, _) = applicant(&server, None).await;
        let now = city_now();
        let day_ahead = booked_at(
            &server,
            &tomorrow,
            &item,
            &window,
            now + Duration::hours(23),
            "RMDDAY23",
        )
        .await;
        let hour_ahead = booked_at(
            &server,
            &soon,
            &item,
            &window,
            now + Duration::minutes(40),
            "RMDHOUR4",
        )
        .await;
        let list = wait_for(&tomorrow, day_ahead, NotificationKind::BookingReminderDay).await;
        assert_eq!(
            about(&list, day_ahead, NotificationKind::BookingReminderHour),
            0
        );
        assert!(list[0].body.zh.contains("RMDDAY23"));
        wait_for(&soon, hour_ahead, NotificationKind::BookingReminderHour).await;
        // Several more runs write nothing twice, and within the hour there is no day
        // reminder on top.
        tokio::time::sleep(std::time::Duration::from_millis(3000)).await;
        let list = all(&soon).await;
        assert_eq!(list.len(), 1, "{list:?}");
        let list = all(&tomorrow).await;
        assert_eq!(list.len(), 1, "{list:?}");

        // The centre: unread count, filter, marking read, nobody else's.
        citizen.cancel_booking(b.id).await.unwrap();
        let page = citizen.notifications(&Default::default()).await.unwrap();
        assert_eq!((page.total, page.unread), (3, 3));
        assert_eq!(page.items[0].kind, NotificationKind::BookingCancelled);
        let first = page.items[0].id;
        assert_eq!(
            tomorrow.mark_read(first).await.unwrap_err().status(),
            Some(404)
        );
        citizen.mark_read(first).await.unwrap();
        citizen.mark_read(first).await.unwrap();
        let unread = citizen
            .notifications(&NotificationQuery {
                unread: Some(true),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!((unread.total, unread.unread), (2, 2));
        assert!(unread.items.iter().all(|n| n.id != first));
        citizen.mark_all_read().await.unwrap();
        let page = citizen.notifications(&Default::default()).await.unwrap();
        assert_eq!((page.total, page.unread), (3, 0));
        assert!(page.items.iter().all(|n| n.read_at.is_some()));
        assert_eq!(all(&tomorrow).await.len(), 1);
        let anonymous = server.client();
        assert_eq!(
            anonymous
                .notifications(&Default::default())
                .await
                .unwrap_err()
                .status(),
            Some(401)
        );
    }
}

/// The first open slot of `item` in the week starting `monday`, if any.
async fn in_week(
    c: &TestClient,
    item: &onewindow_api::catalogue::ServiceItem,
    monday: chrono::NaiveDate,
    other: bool,
) -> Option<OpenSlot> {
    let here = SlotQuery {
        hall: Some(item.venues[0].hall.clone()),
    };
    c.slots(item.code.as_str(), &here)
        .await
        .unwrap()
        .into_iter()
        .find(|s| (week_of(s.start) == monday) != other)
}

#[tokio::test]
async fn the_weekly_cap_is_kept_by_the_database() {
    for backend in backends() {
        let server = TestServer::start_with(backend, |c| c.appointments.per_week = 2);
        let (citizen, _, _) = applicant(&server, None).await;
        let items = bookable_items(&citizen, 3).await;
        // A week wholly inside the horizon: the one a week from today.
        let week = week_of(city_now() + Duration::days(7));
        let mut slots = Vec::new();
        for item in &items {
            slots.push(
                in_week(&citizen, item, week, false)
                    .await
                    .expect("a slot that week"),
            );
        }
        let req = |i: usize, key: &str| request(&items[i], &slots[i], key);
        let first = citizen.book(&req(0, "week-cap-0")).await.unwrap();
        citizen.book(&req(1, "week-cap-1")).await.unwrap();
        let e = citizen.book(&req(2, "week-cap-2")).await.unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(409), Some(ErrorCode::Conflict))
        );
        assert!(e.to_string().contains("week"), "{e}");
        assert_eq!(e.reason(), Some(BookingRefusal::WeekFull.as_str()));
        // The refused attempt took no seat.
        let free = citizen
            .slots(
                items[2].code.as_str(),
                &SlotQuery {
                    hall: Some(slots[2].hall.clone()),
                },
            )
            .await
            .unwrap()
            .into_iter()
            .find(|s| {
                s.start == slots[2].start && s.window == slots[2].window && s.hall == slots[2].hall
            })
            .map(|s| s.free);
        assert_eq!(free, Some(slots[2].free));

        // Another week is fine; moving that booking into the full week is refused and
        // changes nothing.
        let elsewhere = in_week(&citizen, &items[2], week, true)
            .await
            .expect("a slot in another week");
        let third = citizen
            .book(&request(&items[2], &elsewhere, "week-cap-3"))
            .await
            .unwrap();
        let e = citizen
            .reschedule_booking(
                third.id,
                &RescheduleRequest {
                    hall: slots[2].hall.clone(),
                    window: slots[2].window.clone(),
                    start: slots[2].start,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(409));
        assert_eq!(
            citizen.booking(third.id).await.unwrap().start,
            elsewhere.start
        );

        // Cancelling gives the week's place back.
        citizen.cancel_booking(first.id).await.unwrap();
        let moved = citizen
            .reschedule_booking(
                third.id,
                &RescheduleRequest {
                    hall: slots[2].hall.clone(),
                    window: slots[2].window.clone(),
                    start: slots[2].start,
                },
            )
            .await
            .unwrap();
        assert_eq!(moved.start, slots[2].start);
        let e = citizen.book(&req(0, "week-cap-4")).await.unwrap_err();
        assert_eq!(e.status(), Some(409));
    }
}

#[tokio::test]
async fn a_booking_can_belong_to_an_application() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, id_number, _) = applicant(server, None).await;
        let item = bookable_items(&citizen, 40)
            .await
            .into_iter()
            .find(|i| i.online.apply_online)
            .expect("an item one can apply for online and book");
        let app = complete_draft(&citizen, &item, &id_number).await;
        let open = citizen
            .slots(item.code.as_str(), &SlotQuery::default())
            .await
            .unwrap();
        let linked = BookingRequest {
            application: Some(app.id),
            ..request(&item, &open[0], "linked-key-01")
        };
        // Nobody books a visit for someone else's application.
        let (other, _, _) = applicant(server, None).await;
        let e = other
            .book(&BookingRequest {
                idempotency_key: "linked-key-02".into(),
                ..linked.clone()
            })
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(404));
        let b = citizen.book(&linked).await.unwrap();
        assert_eq!(b.application, Some(app.id));
        assert_eq!(
            citizen.booking(b.id).await.unwrap().application,
            Some(app.id)
        );
        // Hall staff see the link in the day's list.
        let department = item.department.as_str();
        let desk = staff(server, department).await;
        let day = desk
            .staff_day(&onewindow_api::booking::DayQuery {
                hall: b.hall.clone(),
                window: None,
                date: Some(b.start.date().to_string()),
            })
            .await
            .unwrap();
        let row = day.bookings.iter().find(|r| r.booking.id == b.id).unwrap();
        assert_eq!(row.booking.application, Some(app.id));
    }
}

#[tokio::test]
async fn a_change_that_fails_leaves_no_notification() {
    use onewindow_api::case::CaseAction;
    use onewindow_api::catalogue::Audience;
    use onewindow_server::db::notifications::{write, NewNotification};
    use onewindow_tests::cases::{act, pick_item, submitted};
    for backend in backends() {
        let server = &TestServer::start(backend);
        // A slot filled by two others: the third attempt is refused and tells nobody.
        let (first, _, _) = applicant(server, None).await;
        let (second, _, _) = applicant(server, None).await;
        let (third, id_number, _) = applicant(server, None).await;
        let item = bookable(&first).await;
        let here = SlotQuery {
            hall: Some(item.venues[0].hall.clone()),
        };
        let open = first.slots(item.code.as_str(), &here).await.unwrap();
        let slot = open.iter().rev().find(|s| s.free == 2).unwrap().clone();
        first
            .book(&request(&item, &slot, "fail-key-01"))
            .await
            .unwrap();
        second
            .book(&request(&item, &slot, "fail-key-02"))
            .await
            .unwrap();
        let e = third
            .book(&request(&item, &slot, "fail-key-03"))
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(409));
        assert!(all(&third).await.is_empty());

        // A refused transition tells the applicant nothing.
        let case_item = pick_item(&third, Audience::Individual).await;
        let app = submitted(&third, &case_item, &id_number).await;
        let desk = staff(server, case_item.department.as_str()).await;
        let e = desk
            .transition(app.id, &act(CaseAction::Approve))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidTransition));
        assert!(all(&third).await.is_empty());

        // A transaction that wrote a notification and then failed leaves no trace of it.
        let me = third.me().await.unwrap();
        let store = onewindow_server::db::Store::connect(&server.database_url, 1)
            .await
            .unwrap();
        let mut tx = store.write().await.unwrap();
        let note = NewNotification {
            user: me.id,
            kind: NotificationKind::BookingConfirmed,
            title: onewindow_api::Text::new("回滚", "rolled back"),
            body: onewindow_api::Text::new("回滚", "rolled back"),
            link: "/bookings/0".into(),
        };
        write(&mut tx, &note).await.unwrap();
        drop(tx);
        store.pool.close().await;
        assert!(all(&third).await.is_empty());
    }
}
