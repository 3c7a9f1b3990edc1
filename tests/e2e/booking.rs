//! Booking an appointment end to end: a citizen registered through the API signs in in
//! the browser, books the first open slot from an item's guide in a few interactions,
//! finds the code, its QR code and the calendar file on the confirmation, cancels, and
//! reads both notifications in the notification centre, where opening one marks it read
//! and "mark all as read" clears the bell; a second booking of an item already booked
//! is refused with that reason; and the hall desk lists it for staff.

use crate::apply::{
    attr_of, click, create_staff, open_in_chinese, sign_in, text_of, type_into, STAFF_PASSWORD,
};
use anyhow::{anyhow, ensure, Result};
use fantoccini::{Client, Locator};
use onewindow_api::booking::{is_booking_code, BookingState, SlotQuery};
use onewindow_api::catalogue::{ServiceItem, ServiceSummary};
use onewindow_api::ids::BookingId;
use onewindow_api::notification::{NotificationKind, NotificationQuery};
use onewindow_api::query::ServiceQuery;
use onewindow_tests::cases::{applicant, TestClient};
use onewindow_tests::webdriver::{eventually, wait_for};
use onewindow_tests::TestServer;

/// The most interactions (clicks and typing) from the guide to a confirmed booking.
const MAX_INTERACTIONS: u32 = 5;

#[tokio::test]
async fn book_from_the_guide_cancel_and_read_the_notifications() {
    crate::browser::run(scenario).await;
}

/// The guide of `s` if it takes appointments and its booking page opens on a hall with
/// open slots (the first venue's, or the earliest anywhere for items handled city-wide).
pub(crate) async fn with_open_slots(
    api: &TestClient,
    s: &ServiceSummary,
) -> Result<Option<ServiceItem>> {
    if !s.online.appointment {
        return Ok(None);
    }
    let item = api.service(s.code.as_str()).await?;
    let Some(venue) = item.venues.first() else {
        return Ok(None);
    };
    let hall = (!item.online.city_wide).then(|| venue.hall.clone());
    let open = api.slots(item.code.as_str(), &SlotQuery { hall }).await?;
    Ok((!open.is_empty()).then_some(item))
}

/// A bookable item with open slots (see `with_open_slots`).
pub(crate) async fn bookable_item(api: &TestClient) -> Result<ServiceItem> {
    for page in 1..=5 {
        let q = ServiceQuery {
            per_page: Some(100),
            page: Some(page),
            ..Default::default()
        };
        for s in api.services(&q).await?.items {
            if let Some(item) = with_open_slots(api, &s).await? {
                return Ok(item);
            }
        }
    }
    Err(anyhow!("no bookable demo item with open slots"))
}

/// Clicks and counts the interaction.
async fn tap(c: &Client, css: &str, count: &mut u32) -> Result<()> {
    click(c, css).await?;
    *count += 1;
    Ok(())
}

/// The state the confirmation page shows.
async fn wait_booking_state(c: &Client, state: &str) -> Result<()> {
    eventually(&format!("the booking in state {state}"), || async move {
        let e = c.find(Locator::Css("[data-testid=booking-state]")).await?;
        Ok((e.attr("data-state").await?.as_deref() == Some(state)).then_some(()))
    })
    .await
}

/// The kinds and read flags of the notifications listed now, in page order.
async fn listed(c: &Client) -> Result<Vec<(String, bool)>> {
    let mut out = Vec::new();
    for n in c
        .find_all(Locator::Css("[data-testid=notification]"))
        .await?
    {
        let kind = n.attr("data-kind").await?.unwrap_or_default();
        let read = n.attr("data-read").await?.as_deref() == Some("true");
        out.push((kind, read));
    }
    Ok(out)
}

/// The number the header's bell shows; 0 when it shows none.
async fn bell_count(c: &Client) -> Result<u64> {
    let found = c
        .find_all(Locator::Css("[data-testid=unread-count]"))
        .await?;
    match found.first() {
        Some(e) => Ok(e.attr("data-count").await?.unwrap_or_default().parse()?),
        None => Ok(0),
    }
}

async fn scenario(server: &TestServer, c: &Client) -> Result<()> {
    let base = &server.base_url;
    let (api, _, phone) = applicant(server, None).await;
    let item = bookable_item(&api).await?;

    // Anonymous visitors have no bell; sign in as the citizen the API registered.
    open_in_chinese(c, base).await?;
    c.goto(&format!("{base}/login")).await?;
    wait_for(c, "[data-testid=nav-login]").await?;
    ensure!(
        c.find_all(Locator::Css("[data-testid=nav-notifications]"))
            .await?
            .is_empty(),
        "the bell shows while signed out"
    );
    type_into(c, "[data-testid=login-id]", &phone).await?;
    type_into(c, "[data-testid=login-password]", "apply now 123").await?;
    click(c, "[data-testid=login-submit]").await?;
    text_of(c, "[data-testid=account-name]").await?;
    ensure!(
        bell_count(c).await? == 0,
        "a new account's bell shows a count"
    );

    // From the guide to a confirmed booking: book, the first slot, confirm.
    c.goto(&format!("{base}/services/{}", item.code)).await?;
    wait_for(c, "[data-testid=guide-title]").await?;
    let mut interactions = 0;
    tap(c, "[data-testid=book-appointment]", &mut interactions).await?;
    tap(c, "[data-testid=slot]", &mut interactions).await?;
    tap(c, "[data-testid=confirm-booking]", &mut interactions).await?;
    let id = eventually("the confirmation page", || async move {
        let url = c.current_url().await?;
        Ok(url
            .path()
            .strip_prefix("/bookings/")
            .and_then(|id| id.parse::<i64>().ok()))
    })
    .await?;
    ensure!(
        interactions <= MAX_INTERACTIONS,
        "{interactions} interactions from the guide to a booking"
    );
    println!("booking: {interactions} interactions from the guide to a confirmed booking");

    // The confirmation: the code, its QR code as inline SVG, and the calendar file.
    let code = text_of(c, "[data-testid=booking-code]").await?;
    ensure!(is_booking_code(&code), "the booking code is {code:?}");
    let qr = wait_for(c, "[data-testid=booking-qr]").await?;
    let tag = qr.tag_name().await?;
    ensure!(
        tag == "svg",
        "the QR code is a <{tag}>, not an inline <svg>"
    );
    let href = attr_of(c, "[data-testid=calendar-link]", "href")
        .await?
        .unwrap_or_default();
    ensure!(
        href.ends_with(".ics"),
        "the calendar link is {href:?}, not an .ics file"
    );
    wait_booking_state(c, "active").await?;
    let booking = api.booking(BookingId(id)).await?;
    ensure!(
        booking.code == code && booking.state == BookingState::Active,
        "the API has {booking:?} for code {code}"
    );

    // Cancel, with the second confirmation; the page and the API agree.
    click(c, "[data-testid=cancel-booking]").await?;
    click(c, "[data-testid=cancel-yes]").await?;
    wait_booking_state(c, "cancelled").await?;
    let booking = api.booking(BookingId(id)).await?;
    ensure!(
        booking.state == BookingState::Cancelled,
        "the API has the booking {:?} after cancelling",
        booking.state
    );

    // The bell counts both notifications, and names the number for screen readers.
    c.goto(&format!("{base}/notifications")).await?;
    eventually("the bell counting 2", || async move {
        Ok((bell_count(c).await? == 2).then_some(()))
    })
    .await?;
    let label = attr_of(c, "[data-testid=nav-notifications]", "aria-label")
        .await?
        .unwrap_or_default();
    ensure!(
        label.contains('2'),
        "the bell's accessible name is {label:?}"
    );

    // The centre lists the cancellation, then the confirmation, both unread in words.
    let cancelled = NotificationKind::BookingCancelled.as_str().to_owned();
    let confirmed = NotificationKind::BookingConfirmed.as_str().to_owned();
    let expected = vec![(cancelled.clone(), false), (confirmed.clone(), false)];
    let expected = &expected;
    eventually("both notifications, unread, newest first", || async move {
        Ok((&listed(c).await? == expected).then_some(()))
    })
    .await?;
    let marks = c
        .find_all(Locator::Css("[data-testid=unread-mark]"))
        .await?;
    ensure!(marks.len() == 2, "{} unread marks", marks.len());
    ensure!(
        marks[0].text().await?.contains("未读"),
        "unread is not said in words"
    );

    // Opening one goes to its booking and marks it read.
    click(
        c,
        "[data-testid=notification] [data-testid=notification-link]",
    )
    .await?;
    eventually("the booking the notification is about", || async move {
        let url = c.current_url().await?;
        Ok((url.path() == format!("/bookings/{id}")).then_some(()))
    })
    .await?;
    wait_booking_state(c, "cancelled").await?;
    eventually("the bell counting 1", || async move {
        Ok((bell_count(c).await? == 1).then_some(()))
    })
    .await?;
    click(c, "[data-testid=nav-notifications]").await?;
    let expected = vec![(cancelled, true), (confirmed, false)];
    let expected = &expected;
    eventually("the opened notification read", || async move {
        Ok((&listed(c).await? == expected).then_some(()))
    })
    .await?;

    // "Mark all as read" clears the rest and the bell's number.
    click(c, "[data-testid=mark-all-read]").await?;
    eventually("every notification read", || async move {
        let l = listed(c).await?;
        Ok((l.len() == 2 && l.iter().all(|(_, read)| *read)).then_some(()))
    })
    .await?;
    eventually("the bell without a number", || async move {
        Ok((bell_count(c).await? == 0).then_some(()))
    })
    .await?;
    let list = api.notifications(&NotificationQuery::default()).await?;
    ensure!(
        list.unread == 0 && list.total == 2,
        "the API has {} unread of {}",
        list.unread,
        list.total
    );

    // With an active booking of the item, a second one is refused for that reason: the
    // page says to change or cancel the one held, and keeps the chosen time instead of
    // asking for another (which would be refused the same way).
    let mut again = 0;
    c.goto(&format!("{base}/services/{}/book", item.code))
        .await?;
    tap(c, "[data-testid=slot]", &mut again).await?;
    tap(c, "[data-testid=confirm-booking]", &mut again).await?;
    eventually("the second booking's page", || async move {
        let url = c.current_url().await?;
        Ok(url.path().starts_with("/bookings/").then_some(()))
    })
    .await?;
    c.goto(&format!("{base}/services/{}/book", item.code))
        .await?;
    tap(c, "[data-testid=slot]", &mut again).await?;
    tap(c, "[data-testid=confirm-booking]", &mut again).await?;
    let said = text_of(c, "[data-testid=inline-error]").await?;
    ensure!(
        said.contains("已有该事项的有效预约") && !said.contains("约满"),
        "a second booking of the item is explained as {said:?}"
    );
    let button = text_of(c, "[data-testid=confirm-booking]").await?;
    ensure!(
        button.contains('·'),
        "the chosen time was dropped: the button says {button:?}"
    );

    // The hall desk, as staff of the item's department: the day of that booking lists it
    // under the desk's own heading, with no "not attended" before its time is over, and
    // closing a period names one of the windows they serve (a whole hall is for
    // supervisors).
    let held = api
        .bookings()
        .await?
        .into_iter()
        .find(|b| b.state == BookingState::Active)
        .ok_or_else(|| anyhow!("the second booking is not active"))?;
    let staff_phone = create_staff(server, item.department.as_str()).await?;
    click(c, "[data-testid=logout]").await?;
    sign_in(c, base, &staff_phone, STAFF_PASSWORD).await?;
    c.goto(&format!("{base}/staff/hall")).await?;
    wait_for(c, "[data-testid=desk-hall]")
        .await?
        .select_by_value(held.hall.as_str())
        .await?;
    let date = held.start.date().format("%Y-%m-%d").to_string();
    c.execute(
        "const d = document.querySelector('[data-testid=desk-date]'); d.value = arguments[0]; d.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![serde_json::json!(date)],
    )
    .await?;
    let row = format!("[data-testid=day-booking][data-code='{}']", held.code);
    wait_for(c, &row).await?;
    ensure!(
        text_of(c, "#day-heading").await? == "当日预约",
        "the desk's list is headed as the citizen's own"
    );
    ensure!(
        c.find_all(Locator::Css(&format!("{row} [data-testid=mark-no-show]")))
            .await?
            .is_empty(),
        "a booking still to come can be marked as not attended"
    );
    let windows = c
        .find_all(Locator::Css("[data-testid=block-window] option"))
        .await?;
    ensure!(!windows.is_empty(), "no window to close");
    for w in windows {
        let value = w.attr("value").await?.unwrap_or_default();
        ensure!(
            !value.is_empty(),
            "staff are offered to close the whole hall"
        );
    }
    Ok(())
}
