//! Appointment routes: open slots of an item (one hall, or the earliest across halls),
//! booking (idempotent; capacity and one active booking per item kept by the database),
//! a citizen's bookings, cancelling, and the booking's calendar file.

use crate::applications::{load, offset_of, Viewer};
use crate::auth::CurrentUser;
use crate::db::bookings::{BookError, BookingRow, NewBooking};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use chrono::{NaiveDateTime, Utc};
use onewindow_api::account::Role;
use onewindow_api::booking::{
    Booking, BookingRequest, OpenSlot, SlotQuery, CODE_ALPHABET, CODE_LEN,
};
use onewindow_api::catalogue::{Hall, ServiceItem};
use onewindow_api::ics::CalendarEvent;
use onewindow_api::ids::{BookingId, HallCode};
use onewindow_api::slots::window_slots;
use onewindow_api::ErrorBody;
use rand::Rng;
use std::collections::HashMap;

/// At most this many slots are listed across halls (the earliest ones).
const MAX_CITY_WIDE: usize = 100;

/// The item, if it exists and can be booked.
async fn bookable_item(state: &AppState, code: &str) -> ApiResult<ServiceItem> {
    let item = state
        .store
        .service(code)
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
fn local_now(hall: &Hall) -> NaiveDateTime {
    Utc::now()
        .with_timezone(&offset_of(&hall.timezone))
        .naive_local()
}

/// The open slots of the windows of one hall.
async fn open_slots(state: &AppState, hall: &Hall, windows: &[String]) -> ApiResult<Vec<OpenSlot>> {
    let rules = state.config.appointments;
    let now = local_now(hall);
    let blocked = Vec::new();
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
    let halls = state.store.halls().await?;
    let mut places = places(&item, &halls);
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

fn new_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// A booking as its citizen sees it.
async fn view(state: &AppState, b: BookingRow) -> ApiResult<Booking> {
    let item = state.store.service(&b.item).await?;
    let halls = state.store.halls().await?;
    let hall = halls.iter().find(|h| h.code.as_str() == b.hall);
    let window = hall.and_then(|h| h.windows.iter().find(|w| w.code == b.window));
    Ok(Booking {
        id: b.id,
        code: b.code,
        state: b.state,
        item_name: item.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
        bring: item
            .as_ref()
            .and_then(|i| i.cases.first())
            .map(|c| c.materials.iter().map(|m| m.name.clone()).collect())
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
        created_at: crate::db::rfc3339(b.created_at),
    })
}

fn citizen_only(me: &CurrentUser) -> ApiResult<()> {
    match me.user.role {
        Role::Citizen | Role::BusinessMember => Ok(()),
        _ => Err(ApiError::forbidden("only citizens and business members book")),
    }
}

/// Books a slot. A retry with the same key returns the same booking.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "appointments", security(("bearer" = [])), request_body = BookingRequest,
    responses((status = 201, body = Booking), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn book(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<BookingRequest>,
) -> ApiResult<(StatusCode, ApiJson<Booking>)> {
    citizen_only(&me)?;
    let key = req.idempotency_key.trim();
    if !(8..=64).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::field(
            "idempotency_key",
            "format",
            "use 8 to 64 visible ASCII characters",
        ));
    }
    if let Some(done) = state.store.booking_by_key(me.user.id, key).await? {
        return Ok((StatusCode::CREATED, ApiJson(view(&state, done).await?)));
    }
    if !onewindow_api::ids::is_valid_code(req.item.as_str()) {
        return Err(ApiError::not_found("no such service item"));
    }
    let item = bookable_item(&state, req.item.as_str()).await?;
    let halls = state.store.halls().await?;
    let (hall, _) = places(&item, &halls)
        .into_iter()
        .find(|(h, windows)| h.code == req.hall && windows.contains(&req.window))
        .ok_or_else(|| ApiError::not_found("this hall window does not handle the item"))?;
    let rules = state.config.appointments;
    let slot = window_slots(&hall, &req.window, &state.calendar, &rules, &[], local_now(&hall))
        .into_iter()
        .find(|s| s.start == req.start)
        .ok_or_else(|| {
            ApiError::field(
                "start",
                "not_open",
                "this time is not an open slot (closed, too soon or too far ahead)",
            )
        })?;
    if let Some(app) = req.application {
        let (_, viewer) = load(&state, &me, app).await?;
        if viewer != Viewer::Applicant {
            return Err(ApiError::not_found("no such application"));
        }
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
        idempotency_key: key,
        application: req.application,
    };
    let id = match state.store.book(&new).await {
        Ok(id) => id,
        Err(BookError::Full) => {
            return Err(ApiError::conflict(
                "this slot has just been fully booked; choose another",
            ))
        }
        Err(BookError::AlreadyBooked) => {
            // A concurrent retry with the same key made it: answer with that booking.
            if let Some(done) = state.store.booking_by_key(me.user.id, key).await? {
                return Ok((StatusCode::CREATED, ApiJson(view(&state, done).await?)));
            }
            return Err(ApiError::conflict(
                "you already have an appointment for this item; cancel or change it first",
            ));
        }
        Err(BookError::Db(e)) => return Err(e.into()),
    };
    let row = state
        .store
        .booking(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("booking {id} vanished"))?;
    Ok((StatusCode::CREATED, ApiJson(view(&state, row).await?)))
}

/// The signed-in citizen's bookings, soonest first.
#[utoipa::path(get, path = "/api/v1/bookings", tag = "appointments", security(("bearer" = [])),
    responses((status = 200, body = Vec<Booking>), (status = 401, body = ErrorBody)))]
pub async fn mine(State(state): State<AppState>, me: CurrentUser) -> ApiResult<ApiJson<Vec<Booking>>> {
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
    if !state.store.cancel_booking(b.id, me.user.id).await? {
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
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
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
        location: format!("{}，{} {} {}", b.hall_name.zh, b.address.zh, b.floor.zh, b.window),
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
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"booking-{}.ics\"", b.id),
            ),
        ],
        event.to_ics(),
    ))
}
