//! Background jobs of a server instance: appointment reminders a day and an hour before,
//! reminders of corrections due within `applications.correction_reminder_working_days`,
//! and closing appointments of earlier days nobody came to.
//! Each reminder is claimed with a conditional update in the transaction that writes it
//! to the outbox, so however many instances run, each is written once.

use crate::applications::offset_of;
use crate::db::bookings::Reminder;
use crate::routes::bookings::{local_now, view_with};
use crate::state::AppState;
use chrono::{Duration, TimeZone};
use onewindow_api::notification::NotificationKind;

/// Runs the jobs every `jobs.tick_seconds` until the task is dropped.
pub async fn run(state: AppState) {
    let tick = std::time::Duration::from_secs(state.config.jobs.tick_seconds.max(1));
    let mut interval = tokio::time::interval(tick);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(e) = reminders(&state).await {
            tracing::warn!(error = %e, "appointment reminders failed; retrying next tick");
        }
        if let Err(e) = correction_reminders(&state).await {
            tracing::warn!(error = %e, "correction reminders failed; retrying next tick");
        }
        if let Err(e) = expire_missed(&state).await {
            tracing::warn!(error = %e, "missed appointments were not closed; retrying next tick");
        }
    }
}

/// Closes the appointments of earlier days nobody checked in for, as not attended: the
/// record the statistics count, and an item's active booking no longer stands in the
/// way of booking it again. Returns how many.
pub async fn expire_missed(state: &AppState) -> anyhow::Result<u64> {
    let snapshot = state.snapshot();
    let mut closed = 0;
    for hall in &snapshot.halls {
        let day_start = local_now(hall).date().and_time(chrono::NaiveTime::MIN);
        closed += state
            .store
            .expire_missed(hall.code.as_str(), day_start)
            .await?;
    }
    Ok(closed)
}

/// Reminds applicants of corrections not yet handed in whose due day is near (补正到期
/// 提醒): once per notice, from `applications.correction_reminder_working_days` working
/// days before it is due (`WorkCalendar::reminder_due`). Returns how many cases were
/// reminded.
pub async fn correction_reminders(state: &AppState) -> anyhow::Result<u32> {
    let ahead = state.config.applications.correction_reminder_working_days;
    if ahead == 0 {
        return Ok(0);
    }
    let today = crate::applications::today(state);
    let mut reminded = 0;
    for (app, notice, sent_at) in state.store.corrections_to_remind().await? {
        let sent_on = crate::applications::local_date(state, sent_at);
        let due = crate::applications::correction_due_after(state, sent_on);
        if !state.calendar.reminder_due(sent_on, due, today, ahead) {
            continue;
        }
        // One case whose item is gone must not hold up the others' reminders.
        let item = match crate::applications::item_of(state, &app).await {
            Ok(item) => item,
            Err(e) => {
                tracing::warn!(case = %app.id, error = %e, "no correction reminder: the case's item is unreadable");
                continue;
            }
        };
        let event = crate::notify::CaseEvent {
            kind: NotificationKind::CaseCorrectionDueSoon,
            case: app.id,
            item_name: &item.name,
            number: app.number.as_deref(),
            reason: "",
            due: Some(due),
            problems: &[],
            delivery: None,
            pickup: None,
        };
        let to = crate::applications::recipients(state, &app).await?;
        let notes = crate::notify::case(&event, &to);
        if state
            .store
            .remind_correction(app.id, notice, &notes)
            .await?
        {
            reminded += 1;
        }
    }
    Ok(reminded)
}

/// Writes the reminders that are due now; returns how many were written.
pub async fn reminders(state: &AppState) -> anyhow::Result<u32> {
    let snapshot = state.snapshot();
    let mut written = 0;
    for hall in &snapshot.halls {
        let now = local_now(hall);
        let offset = offset_of(&hall.timezone);
        for (kind, ahead, note_kind) in [
            (
                Reminder::Hour,
                Duration::hours(1),
                NotificationKind::BookingReminderHour,
            ),
            (
                Reminder::Day,
                Duration::hours(24),
                NotificationKind::BookingReminderDay,
            ),
        ] {
            let due = state
                .store
                .due_reminders(hall.code.as_str(), kind, now, now + ahead)
                .await?;
            for b in due {
                let starts_ms = offset
                    .from_local_datetime(&b.start)
                    .single()
                    .map(|t| t.timestamp_millis())
                    .unwrap_or_default();
                // The day reminder is for bookings made well ahead: one made within the
                // day has its confirmation fresh, and one within the hour gets the other.
                let wanted = kind == Reminder::Hour
                    || (starts_ms - b.created_at > Duration::hours(25).num_milliseconds()
                        && b.start > now + Duration::hours(1));
                let citizen = b.citizen;
                let note = if wanted {
                    let item = state.item(&b.item).await?;
                    let case = crate::routes::bookings::case_of(state, &b).await?;
                    let view = view_with(
                        state,
                        item.as_deref(),
                        case.as_deref(),
                        &snapshot.halls,
                        b.clone(),
                    );
                    Some(crate::notify::booking(note_kind, citizen, &view))
                } else {
                    None
                };
                if state.store.remind(&b, kind, note.as_ref()).await? && note.is_some() {
                    written += 1;
                }
            }
        }
    }
    Ok(written)
}
