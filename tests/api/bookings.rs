//! Appointments through the real client on SQLite and PostgreSQL: open slots, booking
//! (idempotent), what the confirmation holds, the calendar file read back, cancelling,
//! per-item limits, who may see a booking, and a rush of concurrent bookings that must
//! never overbook a slot.

use onewindow_api::account::Role;
use onewindow_api::booking::{
    is_booking_code, BookingRefusal, BookingRequest, BookingState, SlotQuery,
};
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::notification::NotificationKind;
use onewindow_api::query::ServiceQuery;
use onewindow_api::{ErrorCode, Text};
use onewindow_client::{Client, ReqwestTransport};
use onewindow_server::db::accounts::NewUser;
use onewindow_server::db::bookings::{BookError, BookingRow, NewBooking, SlotRef};
use onewindow_server::db::notifications::NewNotification;
use onewindow_server::db::Store;
use onewindow_tests::cases::{applicant, staff, TestClient};
use onewindow_tests::{backends, unique_id_number, unique_phone, TestServer};

/// A bookable item with at least one venue.
pub(crate) async fn bookable(c: &TestClient) -> ServiceItem {
    bookable_items(c, 1).await.remove(0)
}

/// `n` bookable items with at least one venue each.
pub(crate) async fn bookable_items(c: &TestClient, n: usize) -> Vec<ServiceItem> {
    let mut out = Vec::new();
    for page in 1..=5 {
        let q = ServiceQuery {
            per_page: Some(100),
            page: Some(page),
            ..Default::default()
        };
        for s in c.services(&q).await.unwrap().items {
            if s.online.appointment {
                let item = c.service(s.code.as_str()).await.unwrap();
                if !item.venues.is_empty() {
                    out.push(item);
                    if out.len() == n {
                        return out;
                    }
                }
            }
        }
    }
    panic!("fewer than {n} bookable demo items");
}

pub(crate) fn request(
    item: &ServiceItem,
    slot: &onewindow_api::booking::OpenSlot,
    key: &str,
) -> BookingRequest {
    BookingRequest {
        item: item.code.clone(),
        hall: slot.hall.clone(),
        window: slot.window.clone(),
        start: slot.start,
        idempotency_key: key.into(),
        application: None,
    }
}

#[tokio::test]
async fn book_confirm_calendar_and_cancel() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, _, _) = applicant(server, None).await;
        let item = bookable(&citizen).await;
        let hall = item.venues[0].hall.clone();
        let open = citizen
            .slots(
                item.code.as_str(),
                &SlotQuery {
                    hall: Some(hall.clone()),
                },
            )
            .await
            .unwrap();
        assert!(!open.is_empty(), "no open slot in the next days");
        assert!(open.windows(2).all(|w| w[0].start <= w[1].start));
        let slot = open.iter().find(|s| s.free == 2).unwrap().clone();

        let booking = citizen
            .book(&request(&item, &slot, "book-key-0001"))
            .await
            .unwrap();
        assert_eq!(booking.state, BookingState::Active);
        assert!(is_booking_code(&booking.code));
        assert_eq!((booking.start, booking.end), (slot.start, slot.end));
        assert!(!booking.hall_name.zh.is_empty() && !booking.address.zh.is_empty());
        assert!(!booking.window_name.zh.is_empty());
        assert_eq!(booking.bring.len(), item.cases[0].materials.len());
        // A retried request is the same booking; a second booking of the item is refused.
        let again = citizen
            .book(&request(&item, &slot, "book-key-0001"))
            .await
            .unwrap();
        assert_eq!(again.id, booking.id);
        let e = citizen
            .book(&request(&item, &open[open.len() - 1], "book-key-0002"))
            .await
            .unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(409), Some(ErrorCode::Conflict))
        );
        // The app tells this refusal from a full slot: another time would not help.
        assert_eq!(e.reason(), Some(BookingRefusal::AlreadyBooked.as_str()));
        // The seat is taken.
        let after = citizen
            .slots(
                item.code.as_str(),
                &SlotQuery {
                    hall: Some(hall.clone()),
                },
            )
            .await
            .unwrap();
        let same = after
            .iter()
            .find(|s| s.start == slot.start && s.window == slot.window)
            .unwrap();
        assert_eq!(same.free, 1);

        // The calendar file reads back with the hall's zone, the alarm and the link.
        let ics = String::from_utf8(citizen.booking_calendar(booking.id).await.unwrap()).unwrap();
        let unfolded = ics.replace("\r\n ", "");
        let start = booking.start.format("%Y%m%dT%H%M%S").to_string();
        assert!(unfolded.contains(&format!("DTSTART;TZID=Asia/Shanghai:{start}")));
        assert!(unfolded.contains("BEGIN:VALARM") && unfolded.contains("TRIGGER:-PT60M"));
        assert!(unfolded.contains(&format!("/bookings/{}", booking.id)));
        assert!(unfolded.contains(&booking.code));
        assert!(ics.split("\r\n").all(|l| l.len() <= 75));

        // Nobody else sees or cancels it.
        let (other, _, _) = applicant(server, None).await;
        assert_eq!(
            other.booking(booking.id).await.unwrap_err().status(),
            Some(404)
        );
        assert_eq!(
            other.cancel_booking(booking.id).await.unwrap_err().status(),
            Some(404)
        );
        assert_eq!(
            other
                .booking_calendar(booking.id)
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        assert!(other.bookings().await.unwrap().is_empty());
        let desk = staff(server, item.department.as_str()).await;
        assert_eq!(
            desk.book(&request(&item, &slot, "staff-key-01"))
                .await
                .unwrap_err()
                .status(),
            Some(403)
        );
        // A time that is not an open slot, and an unknown item.
        let mut odd = request(&item, &slot, "book-key-0003");
        odd.start += chrono::Duration::minutes(7);
        // Who asks is answered first, whatever they ask for: staff get 403 and nobody
        // signed in 401, for a good request and for a bad one alike.
        assert_eq!(desk.book(&odd).await.unwrap_err().status(), Some(403));
        let nobody = Client::new(ReqwestTransport::new(&server.base_url));
        for asked in [request(&item, &slot, "anon-key-0001"), odd.clone()] {
            assert_eq!(nobody.book(&asked).await.unwrap_err().status(), Some(401));
        }
        // Nor does a body that is no booking request get past a missing session, or
        // past the role of a session that cannot book.
        let raw = reqwest::Client::new();
        let url = format!("{}/api/v1/bookings", server.base_url);
        let staff_token = desk.token().unwrap();
        for (token, status) in [("not-a-session-token", 401), (staff_token.as_str(), 403)] {
            let answer = raw
                .post(&url)
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body("{not json")
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status().as_u16(), status);
        }
        nobody.set_token(Some("not-a-session-token".into()));
        assert_eq!(
            nobody
                .book(&request(&item, &slot, "anon-key-0002"))
                .await
                .unwrap_err()
                .status(),
            Some(401)
        );
        assert_eq!(
            other.book(&odd).await.unwrap_err().code(),
            Some(ErrorCode::ValidationFailed)
        );
        assert_eq!(
            other
                .slots("NOPE-9", &SlotQuery::default())
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );

        // Cancelling frees the seat, once; then the item can be booked again.
        let cancelled = citizen.cancel_booking(booking.id).await.unwrap();
        assert_eq!(cancelled.state, BookingState::Cancelled);
        assert_eq!(
            citizen.cancel_booking(booking.id).await.unwrap_err().code(),
            Some(ErrorCode::InvalidTransition)
        );
        let freed = citizen
            .slots(
                item.code.as_str(),
                &SlotQuery {
                    hall: Some(hall.clone()),
                },
            )
            .await
            .unwrap();
        assert_eq!(
            freed
                .iter()
                .find(|s| s.start == slot.start && s.window == slot.window)
                .unwrap()
                .free,
            2
        );
        citizen
            .book(&request(&item, &slot, "book-key-0004"))
            .await
            .unwrap();
        assert_eq!(citizen.bookings().await.unwrap().len(), 2);
    }
}

/// Signed-in citizens made straight in the store (registering hundreds through argon2
/// would only slow the test down).
async fn crowd(server: &TestServer, n: usize) -> Vec<TestClient> {
    let store = Store::connect(&server.database_url, 2).await.unwrap();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let phone = unique_phone();
        let id_number = unique_id_number();
        let user = store
            .create_user(&NewUser {
                role: Role::Citizen,
                name: "排队者",
                id_number: Some(&id_number),
                phone: &phone,
                password_hash: "$argon2id$unused",
                department: None,
                company: None,
                lang: Default::default(),
            })
            .await
            .unwrap();
        let token = onewindow_server::auth::new_token();
        store
            .create_session(
                &onewindow_server::auth::token_hash(&token),
                user,
                chrono::Utc::now().timestamp_millis() + 3_600_000,
            )
            .await
            .unwrap();
        let c = Client::new(ReqwestTransport::new(&server.base_url));
        c.set_token(Some(token));
        out.push(c);
    }
    store.pool.close().await;
    out
}

#[tokio::test]
async fn a_rush_never_overbooks_a_slot() {
    for backend in backends() {
        let server = TestServer::start(backend);
        let people = crowd(&server, 240).await;
        let item = bookable(&people[0]).await;
        let hall = item.venues[0].hall.clone();
        let open = people[0]
            .slots(
                item.code.as_str(),
                &SlotQuery {
                    hall: Some(hall.clone()),
                },
            )
            .await
            .unwrap();
        let targets: Vec<_> = open.iter().take(3).cloned().collect();
        assert_eq!(targets.len(), 3);
        let capacity = targets[0].free as usize;

        // 240 citizens race for three slots, each also retrying its request once.
        let mut tasks = Vec::new();
        for (i, c) in people.into_iter().enumerate() {
            let req = request(&item, &targets[i % 3], &format!("rush-key-{i:05}"));
            tasks.push(tokio::spawn(async move {
                let first = c.book(&req).await;
                let retry = c.book(&req).await;
                (first, retry)
            }));
        }
        let mut booked = std::collections::HashMap::new();
        for t in tasks {
            let (first, retry) = t.await.unwrap();
            match (first, retry) {
                (Ok(b), Ok(r)) => {
                    assert_eq!(b.id, r.id, "a retry made a second booking");
                    *booked.entry((b.window.clone(), b.start)).or_insert(0) += 1;
                }
                (Err(e), _) => assert_eq!(
                    (e.status(), e.code(), e.reason()),
                    (
                        Some(409),
                        Some(ErrorCode::Conflict),
                        Some(BookingRefusal::SlotFull.as_str())
                    ),
                    "{backend:?}: {e}"
                ),
                (Ok(_), Err(e)) => panic!("the retry of a made booking failed: {e}"),
            }
        }
        assert_eq!(booked.len(), 3, "{backend:?}: {booked:?}");
        assert!(
            booked.values().all(|n| *n == capacity),
            "{backend:?}: {booked:?}"
        );

        // One citizen firing at many slots at once still gets one booking of the item.
        let one = crowd(&server, 1).await.pop().unwrap();
        let one = std::sync::Arc::new(one);
        let mut tasks = Vec::new();
        for (i, slot) in open.iter().skip(3).take(20).enumerate() {
            let c = one.clone();
            let req = request(&item, slot, &format!("many-key-{i:05}"));
            tasks.push(tokio::spawn(async move { c.book(&req).await.is_ok() }));
        }
        let mut made = 0;
        for t in tasks {
            made += usize::from(t.await.unwrap());
        }
        assert_eq!(made, 1, "{backend:?}");
        assert_eq!(one.bookings().await.unwrap().len(), 1);
    }
}

/// Puts a booking of `citizen` straight into the store at `start` (a day and time the
/// booking rules would not offer now: today, or the past), as if made earlier.
pub(crate) async fn booked_at(
    server: &TestServer,
    citizen: &TestClient,
    item: &ServiceItem,
    window: &str,
    start: chrono::NaiveDateTime,
    code: &str,
) -> onewindow_api::ids::BookingId {
    let me = citizen.me().await.unwrap();
    let store = Store::connect(&server.database_url, 1).await.unwrap();
    let key = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let row = sqlx::query(
        "INSERT INTO bookings (code, citizen, item, hall, window_code, start_at, end_at, state,
           idempotency_key, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, 0, 0) RETURNING id",
    )
    .bind(code)
    .bind(me.id.0)
    .bind(item.code.as_str())
    .bind(item.venues[0].hall.as_str())
    .bind(window)
    .bind(key(start))
    .bind(key(start + chrono::Duration::minutes(30)))
    .bind(format!("fixture-{code}"))
    .fetch_one(&store.pool)
    .await
    .unwrap();
    let id = sqlx::Row::try_get::<i64, _>(&row, 0).unwrap();
    store.pool.close().await;
    onewindow_api::ids::BookingId(id)
}

#[tokio::test]
async fn reschedule_block_check_in_and_no_show() {
    use onewindow_api::booking::{BlockRequest, DayQuery, RescheduleRequest};
    for backend in backends() {
        // The desk records the missed appointment here, before the job would (its
        // first run is at start, the next an hour later).
        let server = TestServer::start_with(backend, |c| c.jobs.tick_seconds = 3600);
        let (citizen, _, _) = applicant(&server, None).await;
        let item = bookable(&citizen).await;
        let hall = item.venues[0].hall.clone();
        let here = SlotQuery {
            hall: Some(hall.clone()),
        };
        let open = citizen.slots(item.code.as_str(), &here).await.unwrap();
        let (first, second) = (open[0].clone(), open[1].clone());
        let b = citizen
            .book(&request(&item, &first, "move-key-001"))
            .await
            .unwrap();

        // Rescheduling moves the seat: the old slot is free again, the new one taken.
        let to = |s: &onewindow_api::booking::OpenSlot| RescheduleRequest {
            hall: s.hall.clone(),
            window: s.window.clone(),
            start: s.start,
        };
        let moved = citizen
            .reschedule_booking(b.id, &to(&second))
            .await
            .unwrap();
        assert_eq!(
            (moved.id, moved.start, moved.code.as_str()),
            (b.id, second.start, b.code.as_str())
        );
        let now_open = citizen.slots(item.code.as_str(), &here).await.unwrap();
        let free = |s: &onewindow_api::booking::OpenSlot| {
            now_open
                .iter()
                .find(|o| o.start == s.start && o.window == s.window)
                .map_or(0, |o| o.free)
        };
        assert_eq!((free(&first), free(&second)), (first.free, second.free - 1));
        // Nobody else moves it.
        let (intruder, _, _) = applicant(&server, None).await;
        assert_eq!(
            intruder
                .reschedule_booking(b.id, &to(&first))
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        // Into a full slot: refused, and the booking stays where it was.
        let others = crowd(&server, 2).await;
        for (i, o) in others.iter().enumerate() {
            o.book(&request(&item, &first, &format!("fill-key-{i:03}")))
                .await
                .unwrap();
        }
        let e = citizen
            .reschedule_booking(b.id, &to(&first))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::Conflict));
        assert_eq!(citizen.booking(b.id).await.unwrap().start, second.start);

        // Staff of the window's department block a period: its slots are no longer offered
        // nor bookable. Staff of another department cannot block it.
        let window = second.window.clone();
        let desk = staff(&server, item.department.as_str()).await;
        let third = open
            .iter()
            .find(|s| s.window == window && s.start > second.start)
            .unwrap()
            .clone();
        let block = BlockRequest {
            hall: hall.clone(),
            window: Some(window.clone()),
            start: third.start,
            end: third.end,
            reason: "系统维护".into(),
        };
        let stranger_dept = if item.department.as_str() == "PSB" {
            "TAX"
        } else {
            "PSB"
        };
        let stranger = staff(&server, stranger_dept).await;
        assert!(matches!(
            stranger.block_period(&block).await.unwrap_err().status(),
            Some(403 | 404)
        ));
        assert_eq!(
            citizen.block_period(&block).await.unwrap_err().status(),
            Some(403)
        );
        desk.block_period(&block).await.unwrap();
        let after = citizen.slots(item.code.as_str(), &here).await.unwrap();
        assert!(!after
            .iter()
            .any(|s| s.start == third.start && s.window == window));
        let (late, _, _) = applicant(&server, None).await;
        assert_eq!(
            late.book(&request(&item, &third, "blocked-key-1"))
                .await
                .unwrap_err()
                .code(),
            Some(ErrorCode::ValidationFailed)
        );
        // Moving a booking there is refused the same way, by the seat's own statement.
        assert_eq!(
            citizen
                .reschedule_booking(b.id, &to(&third))
                .await
                .unwrap_err()
                .code(),
            Some(ErrorCode::ValidationFailed)
        );
        // The write itself refuses it, not only the read before it (a block committed
        // between the two): the seat is taken in the statement that checks the blocks.
        let store = Store::connect(&server.database_url, 1).await.unwrap();
        let me = late.me().await.unwrap();
        let new = NewBooking {
            code: "RACE2345",
            citizen: me.id,
            item: item.code.as_str(),
            hall: hall.as_str(),
            window: &window,
            start: third.start,
            end: third.end,
            capacity: 3,
            per_week: 2,
            idempotency_key: "race-key-001",
            application: None,
        };
        let slot = SlotRef {
            hall: new.hall,
            window: new.window,
            start: new.start,
            end: new.end,
        };
        let token = onewindow_server::auth::token_hash(&late.token().unwrap());
        let (user, check) = store
            .booking_check(&token, &slot, new.idempotency_key)
            .await
            .unwrap()
            .expect("a live session");
        assert_eq!(user.id, me.id);
        // The session is read with the check: a token that is no live session gets none.
        let unknown = onewindow_server::auth::token_hash("not-a-session-token");
        assert!(store
            .booking_check(&unknown, &slot, new.idempotency_key)
            .await
            .unwrap()
            .is_none());
        assert!(
            check.blocked && !check.full && check.made.is_none(),
            "{check:?}"
        );
        let note = |row: &BookingRow| NewNotification {
            user: row.citizen,
            kind: NotificationKind::BookingConfirmed,
            title: Text::new("预约成功", "Appointment booked"),
            body: Text::new(row.code.clone(), row.code.clone()),
            link: String::new(),
        };
        let refused = store.book(&new, note).await;
        assert!(matches!(refused, Err(BookError::Blocked)), "{refused:?}");
        // Nothing of it was written: no booking, and no notification for it.
        assert!(late.bookings().await.unwrap().is_empty());
        assert!(!late
            .notifications(&Default::default())
            .await
            .unwrap()
            .items
            .iter()
            .any(|n| n.body.en == "RACE2345"));
        store.pool.close().await;

        // Check-in on the day: by the code, once, with a queue ticket; not by strangers.
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
        let (visitor, _, _) = applicant(&server, None).await;
        let start = today.and_hms_opt(23, 0, 0).unwrap();
        let todays = booked_at(&server, &visitor, &item, &window, start, "TDAY2345").await;
        assert_eq!(
            stranger.check_in("TDAY2345").await.unwrap_err().status(),
            Some(404)
        );
        assert_eq!(
            desk.check_in("NOPE0000").await.unwrap_err().status(),
            Some(404)
        );
        let checked = desk.check_in("tday2345").await.unwrap();
        assert_eq!(checked.state, BookingState::CheckedIn);
        let ticket = checked.ticket.clone().unwrap();
        assert!(ticket.starts_with(&format!("{window}-")), "{ticket}");
        assert_eq!(
            desk.check_in("TDAY2345").await.unwrap_err().code(),
            Some(ErrorCode::InvalidTransition)
        );
        assert_eq!(visitor.booking(todays).await.unwrap().ticket, Some(ticket));
        // A booking of another day is not checked in today.
        if second.start.date() != today {
            assert_eq!(
                desk.check_in(&b.code).await.unwrap_err().code(),
                Some(ErrorCode::InvalidTransition)
            );
        }

        // The day's list at the desk's windows, with the citizen's name and utilisation.
        let day = desk
            .staff_day(&DayQuery {
                hall: hall.clone(),
                date: Some(today.to_string()),
                window: None,
            })
            .await
            .unwrap();
        let row = day
            .bookings
            .iter()
            .find(|r| r.booking.id == todays)
            .unwrap();
        assert_eq!(row.citizen_name, "赵一");
        assert!(day.booked >= 1);
        // The windows listed are the desk's own, the booking's among them.
        assert!(
            day.windows.contains(&row.booking.window),
            "{:?}",
            day.windows
        );
        assert_eq!(
            citizen
                .staff_day(&DayQuery {
                    hall: hall.clone(),
                    date: None,
                    window: None
                })
                .await
                .unwrap_err()
                .status(),
            Some(403)
        );

        // No-show: only once the appointment is over.
        let past = today.pred_opt().unwrap().and_hms_opt(9, 0, 0).unwrap();
        let missed = booked_at(&server, &visitor, &item, &window, past, "PAST2345").await;
        // The desk's list says which can be marked: the ended ones.
        let ended = |date: chrono::NaiveDate, id| {
            let desk = &desk;
            let hall = hall.clone();
            async move {
                desk.staff_day(&DayQuery {
                    hall,
                    date: Some(date.to_string()),
                    window: None,
                })
                .await
                .unwrap()
                .bookings
                .iter()
                .find(|r| r.booking.id == id)
                .map(|r| r.ended)
            }
        };
        // Its citizen can no longer cancel or move it: it was missed, not cancelled.
        let seen = visitor.booking(missed).await.unwrap();
        assert!(seen.begun);
        assert!(!citizen.booking(b.id).await.unwrap().begun);
        let e = visitor.cancel_booking(missed).await.unwrap_err();
        assert_eq!(
            (e.status(), e.reason()),
            (Some(409), Some(onewindow_api::booking::BOOKING_BEGUN))
        );
        let e = visitor
            .reschedule_booking(
                missed,
                &onewindow_api::booking::RescheduleRequest {
                    hall: hall.clone(),
                    window: b.window.clone(),
                    start: b.start,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.reason(), Some(onewindow_api::booking::BOOKING_BEGUN));
        assert_eq!(
            visitor.booking(missed).await.unwrap().state,
            BookingState::Active
        );
        assert_eq!(ended(past.date(), missed).await, Some(true));
        assert_eq!(ended(b.start.date(), b.id).await, Some(false));
        assert_eq!(
            desk.mark_no_show(b.id).await.unwrap_err().code(),
            Some(ErrorCode::InvalidTransition)
        );
        assert_eq!(
            desk.mark_no_show(missed).await.unwrap().state,
            BookingState::NoShow
        );
        assert_eq!(
            stranger.mark_no_show(missed).await.unwrap_err().status(),
            Some(404)
        );
    }
}

/// A visit for an application is told to bring what that application's handling case
/// asks for (not the item's first case's list); an application of another item cannot
/// be linked. Without an application, a visit for an item of several cases is told
/// what every case asks for.
#[tokio::test]
async fn what_to_bring_follows_the_linked_application() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let (citizen, _, _) = applicant(server, None).await;
        // HRSS-0201 (social security card): two cases, "first" and "replace", with
        // different materials, bookable and applied for online.
        let item = citizen.service("HRSS-0201").await.unwrap();
        let second = item.cases[1].clone();
        assert_ne!(item.cases[0].materials, second.materials);
        let app = citizen
            .create_application(&onewindow_api::application::CreateApplicationRequest {
                item: item.code.clone(),
                case: second.code.clone(),
                form: Default::default(),
                on_behalf_of: None,
            })
            .await
            .unwrap();
        let here = SlotQuery {
            hall: Some(item.venues[0].hall.clone()),
        };
        let open = citizen.slots(item.code.as_str(), &here).await.unwrap();

        // Another item's application is refused.
        let other = bookable_items(&citizen, 2)
            .await
            .into_iter()
            .find(|i| i.code != item.code)
            .unwrap();
        let other_open = citizen
            .slots(
                other.code.as_str(),
                &SlotQuery {
                    hall: Some(other.venues[0].hall.clone()),
                },
            )
            .await
            .unwrap();
        let mut wrong = request(
            &other,
            &other_open[0],
            &format!("bring-other-{:06}", app.id.0),
        );
        wrong.application = Some(app.id);
        let e = citizen.book(&wrong).await.unwrap_err();
        let onewindow_client::ClientError::Api { body, .. } = &e else {
            panic!("{e}");
        };
        assert_eq!(
            (e.status(), body.details.fields[0].reason.as_str()),
            (Some(422), "other_item"),
            "{backend:?}"
        );

        let mut linked = request(&item, &open[0], &format!("bring-linked-{:06}", app.id.0));
        linked.application = Some(app.id);
        let booked = citizen.book(&linked).await.unwrap();
        let want: Vec<Text> = second.materials.iter().map(|m| m.name.clone()).collect();
        assert_eq!(booked.bring, want, "{backend:?}");
        assert_eq!(citizen.booking(booked.id).await.unwrap().bring, want);
        assert_eq!(
            booked.bring,
            onewindow_api::booking::what_to_bring(&item, Some(&second.code))
        );
    }
}

/// An appointment of an earlier day nobody checked in for is closed as not attended by
/// the server's job (audited as the system's doing), so the statistics count it and
/// its citizen can book the item again; today's stays for the desk to record.
#[tokio::test]
async fn missed_appointments_of_earlier_days_close_by_themselves() {
    for backend in backends() {
        let server = TestServer::start_with(backend, |c| c.jobs.tick_seconds = 1);
        let (citizen, _, _) = applicant(&server, None).await;
        let item = bookable(&citizen).await;
        let window = citizen
            .slots(item.code.as_str(), &SlotQuery::default())
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.hall == item.venues[0].hall)
            .unwrap()
            .window;
        let today = onewindow_tests::cases::today();
        let yesterday = today.pred_opt().unwrap().and_hms_opt(9, 0, 0).unwrap();
        let missed = booked_at(&server, &citizen, &item, &window, yesterday, "MISS2345").await;
        let mut state = BookingState::Active;
        for _ in 0..100 {
            state = citizen.booking(missed).await.unwrap().state;
            if state != BookingState::Active {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(state, BookingState::NoShow, "{backend:?}");
        // The item can be booked again (one active booking per item), and today's
        // booking outlives the job's next runs.
        let early = today.and_hms_opt(0, 0, 0).unwrap();
        let todays = booked_at(&server, &citizen, &item, &window, early, "TODY2345").await;
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        assert_eq!(
            citizen.booking(todays).await.unwrap().state,
            BookingState::Active
        );
        let store = Store::connect(&server.database_url, 1).await.unwrap();
        let (actor, detail): (Option<i64>, String) = sqlx::query_as(
            "SELECT actor, detail FROM audit_log WHERE action = 'booking.no_show' AND subject = $1",
        )
        .bind(format!("booking:{}", missed.0))
        .fetch_one(&store.pool)
        .await
        .unwrap();
        assert_eq!(
            (actor, detail.as_str()),
            (None, "not checked in by the end of its day")
        );
        store.pool.close().await;
    }
}
