//! Public statistics: per department and city-wide over a chosen period, as JSON for
//! anyone (the public page draws it). Counts come from the store; the clock of each case
//! (due date with clock stops, working days) from the contract's calendar.

use crate::applications::{local_date, offset_of, pauses};
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use onewindow_api::rating::Satisfaction;
use onewindow_api::stats::{Counts, Stats, StatsQuery};
use onewindow_api::ErrorBody;
use std::collections::HashMap;

/// Figures of every department and the city over the period (default: the last 30 days).
#[utoipa::path(get, path = "/api/v1/stats", tag = "statistics", params(StatsQuery),
    responses((status = 200, body = Stats), (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<([(header::HeaderName, &'static str); 1], ApiJson<Stats>)> {
    let offset = offset_of(&state.timezone);
    let today = Utc::now().with_timezone(&offset).date_naive();
    let (from, to) = q.period(today).map_err(ApiError::Validation)?;
    let midnight = |d: NaiveDate| {
        offset
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.timestamp_millis())
            .unwrap_or_default()
    };
    let end_day = to + Duration::days(1);
    let (start, end) = (midnight(from), midnight(end_day));
    let mut per: HashMap<String, Counts> = HashMap::new();

    for (department, n) in state.store.received_per_department(start, end).await? {
        per.entry(department).or_default().received += n;
    }
    let decided = state.store.decided_between(start, end).await?;
    let ids: Vec<_> = decided.iter().map(|c| c.id).collect();
    let histories = state.store.events_of(&ids).await?;
    let cal = &state.calendar;
    for case in &decided {
        let counts = per.entry(case.department.clone()).or_default();
        counts.completed += 1;
        let Some(accepted) = case.accepted_at else {
            continue;
        };
        let (accepted, decided_on) = (
            local_date(&state, accepted),
            local_date(&state, case.decided_at),
        );
        let stops = pauses(&state, histories.get(&case.id).map_or(&[][..], |e| &e[..]));
        let due = cal.due_date(accepted, case.promised_days, &stops, decided_on);
        counts.on_time += u64::from(decided_on <= due);
        counts.on_the_spot += u64::from(decided_on == accepted);
        let spent = cal.working_days_running(accepted, decided_on, &stops);
        counts.working_days += u64::from(spent);
    }
    for (department, level, n) in state.store.ratings_per_department(start, end).await? {
        if let Some(level) = Satisfaction::from_score(level) {
            per.entry(department).or_default().rate(level, n);
        }
    }
    let slot = |d: NaiveDate| format!("{d}T00:00:00");
    for (department, booking_state, n) in state
        .store
        .bookings_per_department(&slot(from), &slot(end_day))
        .await?
    {
        let counts = per.entry(department).or_default();
        counts.bookings += n;
        if booking_state == "no_show" {
            counts.no_shows += n;
        }
    }
    let departments = state.store.departments().await?;
    let stats = Stats::assemble((from, to), &departments, |code| {
        per.remove(code).unwrap_or_default()
    });
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=60")],
        ApiJson(stats),
    ))
}
