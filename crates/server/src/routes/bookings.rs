//! Appointment routes: open slots of an item (one hall, or the earliest across halls),
//! booking (idempotent; capacity and one active booking per item kept by the database),
//! a citizen's bookings, cancelling, and the booking's calendar file.

use crate::applications::{load, offset_of};
use crate::auth::{CurrentUser, SessionToken};
use crate::db::bookings::{BookError, BookingCheck, BookingRow, NewBooking, SlotRef};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::notify;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use chrono::{NaiveDateTime, Utc};
use onewindow_api::account::Role;
use onewindow_api::booking::{
    is_booking_code, BlockRequest, Booking, BookingRefusal, BookingRequest, BookingState,
    CheckInRequest, DayList, DayQuery, OpenSlot, RescheduleRequest, SlotQuery, StaffBooking,
    CODE_ALPHABET, CODE_LEN,
};
use onewindow_api::catalogue::{Hall, ServiceItem};
use onewindow_api::ics::CalendarEvent;
use onewindow_api::ids::{BookingId, HallCode};
use onewindow_api::notification::NotificationKind;
use onewindow_api::slots::window_slots;
use onewindow_api::{ErrorBody, ErrorCode};
use rand::Rng;
use std::collections::HashMap;
use std::sync::Arc;

/// At most this many slots are listed across halls (the earliest ones).
const MAX_CITY_WIDE: usize = 100;

/// The item, if it exists and can be booked.
async fn bookable_item(state: &AppState, code: &str) -> ApiResult<Arc<ServiceItem>> {
    let item = state
        .item(code)
        .await?
        .ok_or_else(|| ApiError::not_found("no such service item"))?;
    if !item.online.appointment {
        return Err(ApiError::field(
            "item",
            "not_bookable",
            "this item takes no appointments",
        ));
    }
    Ok(item)
}

/// The halls and windows that handle an item: its venues, and for items handled
/// city-wide (全市通办) every window of any hall that serves its department.
fn places(item: &ServiceItem, halls: &[Hall]) -> Vec<(Hall, Vec<String>)> {
    let mut out = Vec::new();
    for hall in halls {
        let mut windows: Vec<String> = item
            .venues
            .iter()
            .filter(|v| v.hall == hall.code)
            .flat_map(|v| v.windows.iter().cloned())
            .filter(|w| hall.windows.iter().any(|hw| &hw.code == w))
            .collect();
        if windows.is_empty() && item.online.city_wide {
            windows = hall
                .windows
                .iter()
                .filter(|w| w.departments.contains(&item.department))
                .map(|w| w.code.clone())
                .collect();
        }
        if !windows.is_empty() {
            out.push((hall.clone(), windows));
        }
    }
    out
}

/// Now in a hall's local time.
pub fn local_now(hall: &Hall) -> NaiveDateTime {
    local_now_in(&hall.timezone)
}

/// Now in the local time of a time zone.
fn local_now_in(timezone: &str) -> NaiveDateTime {
    Utc::now().with_timezone(&offset_of(timezone)).naive_local()
}

/// Whether a booking's time has come, in the local time of its hall (`halls` holds it;
/// a hall no longer in the catalogue keeps the server's time zone).
fn begun(state: &AppState, halls: &[Hall], b: &BookingRow) -> bool {
    let now = match halls.iter().find(|h| h.code.as_str() == b.hall) {
        Some(hall) => local_now(hall),
        None => local_now_in(&state.timezone),
    };
    b.start <= now
}

/// Refuses to change a booking whose time has come (in its hall's local time): from
/// then on the hall records whether the citizen came, and a cancellation afterwards
/// would turn a missed appointment into a cancelled one.
fn not_begun(state: &AppState, b: &BookingRow, what: &str) -> ApiResult<()> {
    if begun(state, &state.snapshot().halls, b) {
        return Err(ApiError::Refused(
            onewindow_api::ErrorCode::InvalidTransition,
            onewindow_api::booking::BOOKING_BEGUN,
            format!("the appointment has begun; it can no longer be {what}"),
        ));
    }
    Ok(())
}

/// The open slots of the windows of one hall.
async fn open_slots(state: &AppState, hall: &Hall, windows: &[String]) -> ApiResult<Vec<OpenSlot>> {
    let rules = state.config.appointments;
    let now = local_now(hall);
    let blocked = state.store.blocks(hall.code.as_str(), now).await?;
    let horizon = now + chrono::Duration::days(i64::from(rules.horizon_days) + 1);
    let counts: HashMap<(String, NaiveDateTime), u32> = state
        .store
        .slot_counts(hall.code.as_str(), now, horizon)
        .await?
        .into_iter()
        .map(|(w, t, n)| ((w, t), n))
        .collect();
    let mut out = Vec::new();
    for window in windows {
        for slot in window_slots(hall, window, &state.calendar, &rules, &blocked, now) {
            let booked = counts
                .get(&(window.clone(), slot.start))
                .copied()
                .unwrap_or(0);
            let free = rules.capacity.saturating_sub(booked);
            if free > 0 {
                out.push(OpenSlot {
                    hall: hall.code.clone(),
                    window: window.clone(),
                    start: slot.start,
                    end: slot.end,
                    free,
                });
            }
        }
    }
    Ok(out)
}

/// Open slots of an item: at one hall, or the earliest across every hall that handles it.
#[utoipa::path(get, path = "/api/v1/services/{code}/slots", tag = "appointments", params(("code" = String, Path, description = "Item code"), SlotQuery),
    responses((status = 200, body = Vec<OpenSlot>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn slots(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<SlotQuery>,
) -> ApiResult<ApiJson<Vec<OpenSlot>>> {
    if !onewindow_api::ids::is_valid_code(&code) {
        return Err(ApiError::not_found("no such service item"));
    }
    let item = bookable_item(&state, &code).await?;
    let snapshot = state.snapshot();
    let mut places = places(&item, &snapshot.halls);
    if let Some(h) = &q.hall {
        places.retain(|(hall, _)| &hall.code == h);
        if places.is_empty() {
            return Err(ApiError::not_found("this hall does not handle the item"));
        }
    }
    let mut out = Vec::new();
    for (hall, windows) in &places {
        out.extend(open_slots(&state, hall, windows).await?);
    }
    out.sort_by(|a, b| (a.start, &a.hall, &a.window).cmp(&(b.start, &b.hall, &b.window)));
    if q.hall.is_none() {
        out.truncate(MAX_CITY_WIDE);
    }
    Ok(ApiJson(out))
}

/// The slot starting at `start` of a window, if the rules let it be booked now (open,
/// within the lead time and horizon), else a 422 naming `start`. Blocked periods are
/// the database's to check, atomically with the seat.
fn open_slot(
    state: &AppState,
    hall: &Hall,
    window: &str,
    start: NaiveDateTime,
) -> ApiResult<onewindow_api::slots::Slot> {
    // Blocked periods are checked by the database, with the seat (`Store::book`).
    window_slots(
        hall,
        window,
        &state.calendar,
        &state.config.appointments,
        &[],
        local_now(hall),
    )
    .into_iter()
    .find(|s| s.start == start)
    .ok_or_else(not_open)
}

/// The answer to a time that is not an open slot.
fn not_open() -> ApiError {
    ApiError::field(
        "start",
        "not_open",
        "this time is not an open slot (closed, blocked, too soon or too far ahead)",
    )
}

fn new_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// A booking as its citizen sees it, from its item, the handling case of its linked
/// application (`case_of`) and the halls.
pub fn view_with(
    state: &AppState,
    item: Option<&ServiceItem>,
    case: Option<&str>,
    halls: &[Hall],
    b: BookingRow,
) -> Booking {
    let hall = halls.iter().find(|h| h.code.as_str() == b.hall);
    let window = hall.and_then(|h| h.windows.iter().find(|w| w.code == b.window));
    let begun = begun(state, halls, &b);
    Booking {
        id: b.id,
        code: b.code,
        state: b.state,
        item_name: item.map(|i| i.name.clone()).unwrap_or_default(),
        bring: item
            .map(|i| onewindow_api::booking::what_to_bring(i, case))
            .unwrap_or_default(),
        item: b.item.as_str().into(),
        hall: HallCode::from(b.hall.as_str()),
        hall_name: hall.map(|h| h.name.clone()).unwrap_or_default(),
        address: hall.map(|h| h.address.clone()).unwrap_or_default(),
        timezone: hall
            .map(|h| h.timezone.clone())
            .unwrap_or_else(|| state.timezone.to_string()),
        window_name: window.map(|w| w.name.clone()).unwrap_or_default(),
        floor: window.map(|w| w.floor.clone()).unwrap_or_default(),
        window: b.window,
        start: b.start,
        end: b.end,
        application: b.application,
        ticket: b.ticket,
        created_at: crate::db::rfc3339(b.created_at),
        begun,
    }
}

/// A booking as its citizen sees it.
async fn view(state: &AppState, b: BookingRow) -> ApiResult<Booking> {
    let item = state.item(&b.item).await?;
    let case = case_of(state, &b).await?;
    Ok(view_with(
        state,
        item.as_deref(),
        case.as_deref(),
        &state.snapshot().halls,
        b,
    ))
}

/// The handling case of the application a booking belongs to, if any.
pub async fn case_of(state: &AppState, b: &BookingRow) -> Result<Option<String>, sqlx::Error> {
    Ok(match b.application {
        Some(id) => state.store.application(id).await?.map(|a| a.case_code),
        None => None,
    })
}

fn citizen_only(me: &CurrentUser) -> ApiResult<()> {
    match me.user.role {
        Role::Citizen | Role::BusinessMember => Ok(()),
        _ => Err(ApiError::forbidden(
            "only citizens and business members book",
        )),
    }
}

/// Books a slot. A retry with the same key returns the same booking.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "appointments", security(("bearer" = [])), request_body = BookingRequest,
    responses((status = 201, body = Booking), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn book(
    State(state): State<AppState>,
    token: SessionToken,
    body: Result<ApiJson<BookingRequest>, ApiError>,
) -> ApiResult<(StatusCode, ApiJson<Booking>)> {
    // The request is checked before the session is read, because the session is read
    // with the booking's check (one round trip for both); a bad request, a body that is
    // not one included, is still answered with 401 or 403 first, as everywhere.
    let req = match body {
        Ok(ApiJson(req)) => req,
        Err(e) => {
            citizen_only(&token.user(&state).await?)?;
            return Err(e);
        }
    };
    let key = req.idempotency_key.trim();
    let asked = match asked(&state, &req, key).await {
        Ok(asked) => asked,
        Err(e) => {
            citizen_only(&token.user(&state).await?)?;
            return Err(e);
        }
    };
    let slot = SlotRef {
        hall: asked.hall.code.as_str(),
        window: &req.window,
        start: asked.slot.start,
        end: asked.slot.end,
    };
    let (user, check) = state
        .store
        .booking_check(&token.0, &slot, key)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    let me = CurrentUser {
        user,
        token_hash: token.0,
    };
    citizen_only(&me)?;
    match make_booking(&state, &me, &req, key, asked, check).await {
        Ok(made) => Ok((StatusCode::CREATED, ApiJson(made))),
        // The read before the write found no booking with this key: so be it.
        Err(Refused {
            error,
            checked: true,
        }) => Err(error),
        Err(Refused { error, .. }) => {
            // A retry of a booking that was made (its answer lost) finds its slot taken
            // or past: answer with that booking instead of the error.
            match state.store.booking_by_key(me.user.id, key).await? {
                Some(done) => Ok((StatusCode::CREATED, ApiJson(view(&state, done).await?))),
                None => Err(error),
            }
        }
    }
}

/// Why `make_booking` made nothing: `checked` when the read before any write already
/// found no booking made with the request's key (so no retry needs looking for).
struct Refused {
    error: ApiError,
    checked: bool,
}

impl<E: Into<ApiError>> From<E> for Refused {
    fn from(e: E) -> Refused {
        Refused {
            error: e.into(),
            checked: false,
        }
    }
}

/// What a booking request asks for, checked against the item, the hall and the rules.
struct Asked {
    item: Arc<ServiceItem>,
    hall: Hall,
    slot: onewindow_api::slots::Slot,
}

async fn asked(state: &AppState, req: &BookingRequest, key: &str) -> ApiResult<Asked> {
    if !onewindow_api::check::is_valid_idempotency_key(key) {
        return Err(ApiError::field(
            "idempotency_key",
            "format",
            "use 8 to 64 visible ASCII characters",
        ));
    }
    if !onewindow_api::ids::is_valid_code(req.item.as_str()) {
        return Err(ApiError::not_found("no such service item"));
    }
    let item = bookable_item(state, req.item.as_str()).await?;
    let (hall, _) = places(&item, &state.snapshot().halls)
        .into_iter()
        .find(|(h, windows)| h.code == req.hall && windows.contains(&req.window))
        .ok_or_else(|| ApiError::not_found("this hall window does not handle the item"))?;
    let slot = open_slot(state, &hall, &req.window, req.start)?;
    Ok(Asked { item, hall, slot })
}

/// Books what was asked, after the read before the write (`check`).
async fn make_booking(
    state: &AppState,
    me: &CurrentUser,
    req: &BookingRequest,
    key: &str,
    Asked { item, hall, slot }: Asked,
    check: BookingCheck,
) -> Result<Booking, Refused> {
    let rules = state.config.appointments;
    let mut case = None;
    if let Some(app) = req.application {
        let (app, viewer) = load(state, me, app).await?;
        if !viewer.applies() {
            return Err(ApiError::not_found("no such application").into());
        }
        if app.item != item.code.as_str() {
            return Err(ApiError::field(
                "application",
                "other_item",
                "this application is for another service item",
            )
            .into());
        }
        case = Some(app.case_code);
    }
    // A retry of a booking made, a blocked or a full slot is answered from that one
    // read, without a write transaction.
    if let Some(made) = check.made {
        if let Some(row) = state.store.booking(made).await? {
            return Ok(view(state, row).await?);
        }
    }
    let checked = |error| Refused {
        error,
        checked: true,
    };
    if check.blocked {
        return Err(checked(not_open()));
    }
    if check.full {
        return Err(checked(refused(
            state,
            BookError::Full,
            FULL,
            rules.per_week,
        )));
    }
    let new = NewBooking {
        code: &new_code(),
        citizen: me.user.id,
        item: item.code.as_str(),
        hall: hall.code.as_str(),
        window: &req.window,
        start: slot.start,
        end: slot.end,
        capacity: rules.capacity,
        per_week: rules.per_week,
        idempotency_key: key,
        application: req.application,
    };
    let snapshot = state.snapshot();
    let halls = &snapshot.halls;
    let booked = state.store.book(&new, |row| {
        let made = view_with(state, Some(&item), case.as_deref(), halls, row.clone());
        notify::booking(NotificationKind::BookingConfirmed, me.user.id, &made)
    });
    match booked.await {
        Ok(row) => Ok(view_with(state, Some(&item), case.as_deref(), halls, row)),
        Err(e) => Err(refused(state, e, FULL, rules.per_week).into()),
    }
}

/// What a citizen is told when the slot they chose has filled up.
const FULL: &str = "this slot has just been fully booked; choose another";

/// A booking the database refused, counted for `/metrics` (except a database error)
/// and told to the citizen; `full` is what to say when the slot filled up.
fn refused(state: &AppState, e: BookError, full: &'static str, per_week: u32) -> ApiError {
    use crate::metrics::Conflict;
    match e {
        BookError::Full => {
            state.metrics.conflict(Conflict::Full);
            booking_refused(BookingRefusal::SlotFull, full)
        }
        BookError::Blocked => not_open(),
        BookError::WeekFull => {
            state.metrics.conflict(Conflict::WeekFull);
            week_full(per_week)
        }
        BookError::AlreadyBooked => {
            state.metrics.conflict(Conflict::AlreadyBooked);
            booking_refused(
                BookingRefusal::AlreadyBooked,
                "you already have an appointment for this item; cancel or change it first",
            )
        }
        BookError::Db(e) => e.into(),
    }
}

fn booking_refused(why: BookingRefusal, message: impl Into<String>) -> ApiError {
    ApiError::Refused(ErrorCode::Conflict, why.as_str(), message.into())
}

fn week_full(cap: u32) -> ApiError {
    booking_refused(BookingRefusal::WeekFull, format!(
        "you already have {cap} appointments in that week, the most allowed; choose another week or cancel one"
    ))
}

/// The signed-in citizen's bookings, soonest first.
#[utoipa::path(get, path = "/api/v1/bookings", tag = "appointments", security(("bearer" = [])),
    responses((status = 200, body = Vec<Booking>), (status = 401, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<ApiJson<Vec<Booking>>> {
    let mut out = Vec::new();
    for b in state.store.bookings_of(me.user.id).await? {
        out.push(view(&state, b).await?);
    }
    Ok(ApiJson(out))
}

/// One of the citizen's bookings, or 404.
async fn own(state: &AppState, me: &CurrentUser, id: i64) -> ApiResult<BookingRow> {
    state
        .store
        .booking(BookingId(id))
        .await?
        .filter(|b| b.citizen == me.user.id)
        .ok_or_else(|| ApiError::not_found("no such booking"))
}

#[utoipa::path(get, path = "/api/v1/bookings/{id}", tag = "appointments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Booking id")),
    responses((status = 200, body = Booking), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Booking>> {
    let b = own(&state, &me, id).await?;
    Ok(ApiJson(view(&state, b).await?))
}

/// Cancels a booking and frees its seat.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/cancel", tag = "appointments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Booking id")),
    responses((status = 200, body = Booking), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Booking>> {
    let b = own(&state, &me, id).await?;
    if b.state == BookingState::Active {
        not_begun(&state, &b, "cancelled")?;
    }
    let shown = view(&state, b.clone()).await?;
    let note = notify::booking(NotificationKind::BookingCancelled, b.citizen, &shown);
    if !state.store.cancel_booking(b.id, me.user.id, &note).await? {
        return Err(ApiError::Coded(
            onewindow_api::ErrorCode::InvalidTransition,
            "only an active booking can be cancelled".into(),
        ));
    }
    let b = own(&state, &me, id).await?;
    Ok(ApiJson(view(&state, b).await?))
}

/// The booking as an iCalendar file (RFC 5545) with a reminder an hour before.
#[utoipa::path(get, path = "/api/v1/bookings/{id}/calendar.ics", tag = "appointments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Booking id")),
    responses((status = 200, content_type = "text/calendar"), (status = 404, body = ErrorBody)))]
pub async fn calendar(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: axum::http::HeaderMap,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<impl axum::response::IntoResponse> {
    let b = view(&state, own(&state, &me, id).await?).await?;
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let url = format!("https://{host}/bookings/{}", b.id);
    let bring: Vec<&str> = b.bring.iter().map(|t| t.zh.as_str()).collect();
    let offset = offset_of(&b.timezone).local_minus_utc() / 60;
    let event = CalendarEvent {
        uid: format!("booking-{}@{host}", b.id),
        start: b.start,
        end: b.end,
        timezone: b.timezone.clone(),
        utc_offset_minutes: offset,
        summary: format!("预约：{} ({})", b.item_name.zh, b.window),
        location: format!(
            "{}，{} {} {}",
            b.hall_name.zh, b.address.zh, b.floor.zh, b.window
        ),
        description: format!(
            "预约码 {}\n请携带：{}\n查看或取消预约：{url}",
            b.code,
            bring.join("；")
        ),
        url,
        alarm_minutes_before: 60,
        stamp: Utc::now(),
        sequence: 0,
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"booking-{}.ics\"", b.id),
            ),
        ],
        event.to_ics(),
    ))
}

/// Moves a booking to another open slot of the same item; the old slot is kept until the
/// new one is taken, so a failure changes nothing.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/reschedule", tag = "appointments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Booking id")), request_body = RescheduleRequest,
    responses((status = 200, body = Booking), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reschedule(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<RescheduleRequest>,
) -> ApiResult<ApiJson<Booking>> {
    let b = own(&state, &me, id).await?;
    if b.state != BookingState::Active {
        return Err(ApiError::Coded(
            onewindow_api::ErrorCode::InvalidTransition,
            "only an active booking can be moved".into(),
        ));
    }
    not_begun(&state, &b, "moved")?;
    let item = bookable_item(&state, &b.item).await?;
    let snapshot = state.snapshot();
    let (hall, _) = places(&item, &snapshot.halls)
        .into_iter()
        .find(|(h, windows)| h.code == req.hall && windows.contains(&req.window))
        .ok_or_else(|| ApiError::not_found("this hall window does not handle the item"))?;
    let slot = open_slot(&state, &hall, &req.window, req.start)?;
    let to = SlotRef {
        hall: hall.code.as_str(),
        window: req.window.as_str(),
        start: slot.start,
        end: slot.end,
    };
    let moved = BookingRow {
        hall: to.hall.to_owned(),
        window: to.window.to_owned(),
        start: to.start,
        end: to.end,
        ..b.clone()
    };
    let case = case_of(&state, &moved).await?;
    let shown = view_with(&state, Some(&item), case.as_deref(), &snapshot.halls, moved);
    let note = notify::booking(NotificationKind::BookingRescheduled, b.citizen, &shown);
    let rules = state.config.appointments;
    match state
        .store
        .reschedule(&b, &to, (rules.capacity, rules.per_week), me.user.id, &note)
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            return Err(ApiError::Coded(
                onewindow_api::ErrorCode::InvalidTransition,
                "the booking changed meanwhile; reload it".into(),
            ))
        }
        Err(e) => {
            return Err(refused(
                &state,
                e,
                "this slot has just been fully booked; your booking is unchanged",
                rules.per_week,
            ))
        }
    }
    let b = own(&state, &me, id).await?;
    Ok(ApiJson(view(&state, b).await?))
}

/// The windows of `hall` a staff member serves (their department's), or every window
/// for a supervisor; 403 for others, 404 when they serve none of this hall.
async fn staff_windows(
    state: &AppState,
    me: &CurrentUser,
    hall: &str,
) -> ApiResult<(Hall, Vec<String>)> {
    let hall = state
        .snapshot()
        .halls
        .iter()
        .find(|h| h.code.as_str() == hall)
        .cloned()
        .ok_or_else(|| ApiError::not_found("no such hall"))?;
    let windows: Vec<String> = match (me.user.role, me.user.department.as_deref()) {
        (Role::Admin, _) => hall.windows.iter().map(|w| w.code.clone()).collect(),
        (Role::Staff, Some(d)) => hall
            .windows
            .iter()
            .filter(|w| w.departments.iter().any(|x| x.as_str() == d))
            .map(|w| w.code.clone())
            .collect(),
        _ => return Err(ApiError::forbidden("for hall staff only")),
    };
    if windows.is_empty() {
        return Err(ApiError::not_found("you serve no window of this hall"));
    }
    Ok((hall, windows))
}

/// The hall of a booking at a window the staff member serves; 404 (as if there were no
/// such booking) otherwise.
async fn served_hall(state: &AppState, me: &CurrentUser, b: &BookingRow) -> ApiResult<Hall> {
    let not_found = || ApiError::not_found("no such booking");
    let (hall, windows) = staff_windows(state, me, &b.hall)
        .await
        .map_err(|_| not_found())?;
    if !windows.contains(&b.window) {
        return Err(not_found());
    }
    Ok(hall)
}

/// Checks a citizen in by the booking code (scanned from the QR code or typed) and gives
/// the queue ticket. Only on the booking's day, at a window the staff member serves.
#[utoipa::path(post, path = "/api/v1/staff/check-in", tag = "appointments", security(("bearer" = [])),
    request_body = CheckInRequest,
    responses((status = 200, body = Booking), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn check_in(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<CheckInRequest>,
) -> ApiResult<ApiJson<Booking>> {
    if !matches!(me.user.role, Role::Staff | Role::Admin) {
        return Err(ApiError::forbidden("for hall staff only"));
    }
    let code = req.code.trim().to_ascii_uppercase();
    let not_found = || ApiError::not_found("no booking has this code");
    if !is_booking_code(&code) {
        return Err(not_found());
    }
    let b = state
        .store
        .booking_by_code(&code)
        .await?
        .ok_or_else(not_found)?;
    let hall = served_hall(&state, &me, &b)
        .await
        .map_err(|_| not_found())?;
    let today = local_now(&hall).date();
    if b.start.date() != today {
        return Err(ApiError::Coded(
            onewindow_api::ErrorCode::InvalidTransition,
            format!("this booking is for {}, not today", b.start.date()),
        ));
    }
    if !state
        .store
        .check_in(b.id, &b.hall, &b.window, &today.to_string(), me.user.id)
        .await?
    {
        return Err(ApiError::Coded(
            onewindow_api::ErrorCode::InvalidTransition,
            "this booking is not active (already checked in, cancelled or missed)".into(),
        ));
    }
    let b = state.store.booking(b.id).await?.ok_or_else(not_found)?;
    Ok(ApiJson(view(&state, b).await?))
}

/// A hall's bookings of one day at the windows the staff member serves, with the day's
/// utilisation.
#[utoipa::path(get, path = "/api/v1/staff/bookings", tag = "appointments", security(("bearer" = [])), params(DayQuery),
    responses((status = 200, body = DayList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn day(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> ApiResult<ApiJson<DayList>> {
    let (hall, mut windows) = staff_windows(&state, &me, q.hall.as_str()).await?;
    if let Some(w) = &q.window {
        if !windows.contains(w) {
            return Err(ApiError::not_found("you do not serve this window"));
        }
        windows = vec![w.clone()];
    }
    let date = match q.date.as_deref() {
        None | Some("") => local_now(&hall).date(),
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| ApiError::field("date", "format", "give a date as YYYY-MM-DD"))?,
    };
    let from = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    let to = from
        .checked_add_signed(chrono::Duration::days(1))
        .ok_or_else(|| ApiError::field("date", "range", "give a date of this century"))?;
    let now = local_now(&hall);
    let rules = state.config.appointments;
    let mut bookings = Vec::new();
    let mut booked = 0;
    for b in state
        .store
        .hall_bookings(hall.code.as_str(), from, to)
        .await?
    {
        if !windows.contains(&b.window) {
            continue;
        }
        if b.state != BookingState::Cancelled {
            booked += 1;
        }
        let citizen_name = state.store.user_name(b.citizen).await?;
        let ended = b.end <= now;
        bookings.push(StaffBooking {
            booking: view(&state, b).await?,
            citizen_name,
            ended,
        });
    }
    // Seats offered that day: every slot of the day, whatever the lead time.
    let per_window: u32 = onewindow_api::slots::opening_periods(&hall, &state.calendar, date)
        .iter()
        .map(|(open, close)| (close - open) / rules.slot_minutes.max(1))
        .sum();
    Ok(ApiJson(DayList {
        bookings,
        seats: per_window * rules.capacity * windows.len() as u32,
        booked,
        windows,
    }))
}

/// Marks a booking of a window the staff member serves as not attended.
#[utoipa::path(post, path = "/api/v1/staff/bookings/{id}/no-show", tag = "appointments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Booking id")),
    responses((status = 200, body = Booking), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn no_show(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Booking>> {
    if !matches!(me.user.role, Role::Staff | Role::Admin) {
        return Err(ApiError::forbidden("for hall staff only"));
    }
    let not_found = || ApiError::not_found("no such booking");
    let b = state
        .store
        .booking(BookingId(id))
        .await?
        .ok_or_else(not_found)?;
    let hall = served_hall(&state, &me, &b).await?;
    // The same rule as `StaffBooking::ended` in the day list.
    if b.end > local_now(&hall) {
        return Err(ApiError::Coded(
            onewindow_api::ErrorCode::InvalidTransition,
            "the appointment has not ended yet".into(),
        ));
    }
    if !state.store.no_show(b.id, me.user.id).await? {
        return Err(ApiError::Coded(
            onewindow_api::ErrorCode::InvalidTransition,
            "this booking is not active".into(),
        ));
    }
    let b = state.store.booking(b.id).await?.ok_or_else(not_found)?;
    Ok(ApiJson(view(&state, b).await?))
}

/// Closes a period for booking at a window the staff member serves (or, for a
/// supervisor, at a whole hall). Bookings already made stay; staff contact those people.
#[utoipa::path(post, path = "/api/v1/staff/blocks", tag = "appointments", security(("bearer" = [])),
    request_body = BlockRequest,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn block(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<BlockRequest>,
) -> ApiResult<StatusCode> {
    let (_, windows) = staff_windows(&state, &me, req.hall.as_str()).await?;
    match &req.window {
        Some(w) if !windows.contains(w) => {
            return Err(ApiError::not_found("you do not serve this window"))
        }
        None if me.user.role != Role::Admin => {
            return Err(ApiError::field(
                "window",
                "required",
                "name the window; only supervisors close a whole hall",
            ))
        }
        _ => {}
    }
    let reason = req.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(ApiError::field(
            "reason",
            "required",
            "say why, in at most 200 characters",
        ));
    }
    if req.end <= req.start || req.end - req.start > chrono::Duration::days(90) {
        return Err(ApiError::field(
            "end",
            "range",
            "end after start, at most 90 days later",
        ));
    }
    state.store.add_block(&req, me.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
