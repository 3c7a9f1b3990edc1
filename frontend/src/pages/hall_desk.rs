//! `/staff/hall`: the hall desk. Staff pick a hall and a day and see who is booked at
//! their windows and how full the day is, check citizens in by their code (which gives
//! the queue ticket), mark no-shows, and block a period of a window.

use super::bookings::StateBadge;
use crate::api;
use crate::app::set_title;
use crate::components::require_account::{Need, RequireAccount};
use crate::components::states::error_message;
use crate::fetched::{listed, Fetched};
use crate::i18n::{t, use_i18n, Key};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::account::Role;
use onewindow_api::booking::{is_booking_code, BlockRequest, BookingState, DayQuery, StaffBooking};
use onewindow_api::catalogue::Hall;
use onewindow_api::ids::HallCode;

#[component]
pub fn HallDesk() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t(i18n.lang(), Key::HallDeskTitle), i18n.lang()));
    view! {
        <div class="page hall-desk">
            <h1>{i18n.t(Key::HallDeskTitle)}</h1>
            <RequireAccount need=Need::Staff>
                <Desk/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn Desk() -> impl IntoView {
    let i18n = use_i18n();
    let halls = Fetched::new(api::halls);
    view! {
        <p class="hint">{i18n.t(Key::DeskHint)}</p>
        {listed(halls, move |h| view! { <DeskFor halls=h/> }.into_any())}
    }
}

/// A datetime-local value ("YYYY-MM-DDTHH:MM") with the seconds chrono expects.
fn with_seconds(v: &str) -> String {
    if v.len() == 16 {
        format!("{v}:00")
    } else {
        v.to_owned()
    }
}

#[component]
fn DeskFor(halls: Vec<Hall>) -> impl IntoView {
    let i18n = use_i18n();
    let hall = RwSignal::new(halls.first().map(|h| h.code.clone()));
    let date = RwSignal::new(String::new());
    let reload = RwSignal::new(0u32);
    let halls = StoredValue::new(halls);
    let day = Fetched::new(move || {
        reload.track();
        let q = hall.get().map(|hall| DayQuery {
            hall,
            date: Some(date.get()).filter(|d| !d.is_empty()),
            window: None,
        });
        async move {
            match q {
                Some(q) => api::staff_day(q).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let options = halls.with_value(|hs| {
        hs.iter()
            .map(|h| view! { <option value=h.code.to_string()>{i18n.text(&h.name)}</option> })
            .collect_view()
    });
    // The windows the staff member serves in the chosen hall, as the day list says.
    let served = Memo::new(move |_| {
        day.get()
            .and_then(Result::ok)
            .flatten()
            .map(|d| d.windows)
            .unwrap_or_default()
    });
    let table = listed(day, move |answer| {
        match answer {
        Some(d) if d.bookings.is_empty() => view! {
            <p class="utilisation" data-testid="utilisation">
                {i18n.t(Key::Utilisation)} {i18n.t(Key::Colon)} {format!("{} / {}", d.booked, d.seats)}
            </p>
            <p class="empty" data-testid="day-empty">{i18n.t(Key::NoDayBookings)}</p>
        }
        .into_any(),
        Some(d) => {
            let rows = d
                .bookings
                .into_iter()
                .map(|b| view! { <DayRow b reload/> })
                .collect_view();
            view! {
                        <p class="utilisation" data-testid="utilisation">
                            {i18n.t(Key::Utilisation)} {i18n.t(Key::Colon)} {format!("{} / {}", d.booked, d.seats)}
                        </p>
                        <ul class="day-list" data-testid="day-list">{rows}</ul>
                    }
                    .into_any()
        }
        None => view! { <p class="note">{i18n.t(Key::NoDayBookings)}</p> }.into_any(),
    }
    });
    view! {
        <div class="filter-bar">
            <div class="field">
                <label for="desk-hall">{i18n.t(Key::ChooseHall)}</label>
                <select id="desk-hall" data-testid="desk-hall"
                    on:change=move |ev| hall.set(Some(HallCode::new(event_target_value(&ev))))>
                    {options}
                </select>
            </div>
            <div class="field">
                <label for="desk-date">{i18n.t(Key::DeskDate)}</label>
                <input id="desk-date" type="date" data-testid="desk-date"
                    on:change=move |ev| date.set(event_target_value(&ev))/>
            </div>
        </div>
        <CheckIn reload/>
        <section aria-labelledby="day-heading">
            <h2 id="day-heading">{i18n.t(Key::DeskDayBookings)}</h2>
            {table}
        </section>
        <Block hall halls served/>
    }
}

#[component]
fn DayRow(b: StaffBooking, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let failure = RwSignal::new(None::<String>);
    let id = b.booking.id;
    let no_show = move |_| {
        spawn_local(async move {
            match api::mark_no_show(id).await {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => failure.set(Some(error_message(i18n.0.get_untracked(), &e))),
            }
        });
    };
    let bk = b.booking;
    let citizen = b.citizen_name.clone();
    view! {
        <li class="card day-row" data-testid="day-booking" data-code=bk.code.clone()>
            <span class="slot-time">{bk.start.format("%H:%M").to_string()}</span>
            " " <span>{i18n.text(&bk.window_name)} {format!(" ({})", bk.window)}</span>
            " " <strong>{b.citizen_name}</strong>
            " " <code>{bk.code.clone()}</code>
            " " <StateBadge state=bk.state/>
            {bk.ticket.map(|n| view! { " " <span>{i18n.t(Key::TicketNumber)} " " {n}</span> })}
            // Only once its time is over, as the server allows.
            {(bk.state == BookingState::Active && b.ended).then(|| {
                let label = format!("{} {} {}", i18n.t(Key::MarkNoShow)(), citizen, bk.start.format("%H:%M"));
                view! {
                    " " <button type="button" class="secondary" data-testid="mark-no-show"
                        aria-label=label on:click=no_show>
                        {i18n.t(Key::MarkNoShow)}
                    </button>
                }
            })}
            {move || failure.get().map(|m| view! { <p class="inline-error" role="alert">{m}</p> })}
        </li>
    }
}

/// The check-in box: the code typed, pasted or scanned, answered with the queue ticket.
#[component]
fn CheckIn(reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<String, String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = code.get_untracked().trim().to_uppercase();
        let lang = i18n.0.get_untracked();
        if !is_booking_code(&c) {
            result.set(Some(Err(t(lang, Key::InvalidCode).to_owned())));
            return;
        }
        spawn_local(async move {
            match api::check_in(c).await {
                Ok(b) => {
                    result.set(Some(Ok(b.ticket.unwrap_or_default())));
                    code.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => result.set(Some(Err(error_message(lang, &e)))),
            }
        });
    };
    view! {
        <form class="card check-in" on:submit=submit>
            <div class="field">
                <label for="check-in-code">{i18n.t(Key::CheckInCode)}</label>
                <input id="check-in-code" data-testid="check-in-code" autocomplete="off"
                    autocapitalize="characters" maxlength="8"
                    prop:value=code on:input=move |ev| code.set(event_target_value(&ev))/>
            </div>
            <button type="submit" data-testid="check-in-submit">{i18n.t(Key::CheckIn)}</button>
            <div aria-live="polite">
                {move || result.get().map(|r| match r {
                    Ok(ticket) => view! {
                        <p class="success" data-testid="check-in-ticket">
                            {i18n.t(Key::CheckedInTicket)} {i18n.t(Key::Colon)} <strong>{ticket}</strong>
                        </p>
                    }.into_any(),
                    Err(m) => view! { <p class="inline-error" role="alert" data-testid="check-in-error">{m}</p> }.into_any(),
                })}
            </div>
        </form>
    }
}

/// Blocking a period of one window the staff member serves (or, for a supervisor, of
/// the whole hall) with a reason.
#[component]
fn Block(
    hall: RwSignal<Option<HallCode>>,
    halls: StoredValue<Vec<Hall>>,
    served: Memo<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let admin = use_session()
        .account
        .with_untracked(|a| a.as_ref().is_some_and(|a| a.role == Role::Admin));
    let window = RwSignal::new(String::new());
    // Staff always name a window: the first they serve until they choose another.
    Effect::new(move |_| {
        let served = served.get();
        if !admin && !served.contains(&window.get_untracked()) {
            window.set(served.first().cloned().unwrap_or_default());
        }
    });
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<(), String>>);
    let windows = move || {
        let code = hall.get();
        halls.with_value(|hs| {
            hs.iter()
                .find(|h| Some(&h.code) == code.as_ref())
                .map(|h| {
                    h.windows
                        .iter()
                        .filter(|w| served.with(|s| s.contains(&w.code)))
                        .map(|w| view! { <option value=w.code.clone()>{format!("{} {}", w.code, w.name.get(i18n.lang()))}</option> })
                        .collect_view()
                })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.0.get_untracked();
        let Some(hall) = hall.get_untracked() else {
            return;
        };
        let (Ok(s), Ok(e)) = (
            with_seconds(&start.get_untracked()).parse(),
            with_seconds(&end.get_untracked()).parse(),
        ) else {
            result.set(Some(Err(t(lang, Key::BlockTimesMissing).to_owned())));
            return;
        };
        let req = BlockRequest {
            hall,
            window: Some(window.get_untracked()).filter(|w| !w.is_empty()),
            start: s,
            end: e,
            reason: reason.get_untracked(),
        };
        spawn_local(async move {
            result.set(Some(
                api::block_period(req)
                    .await
                    .map_err(|e| error_message(lang, &e)),
            ));
        });
    };
    view! {
        <form class="card block-form" data-testid="block-form" on:submit=submit>
            <h2>{i18n.t(Key::BlockPeriod)}</h2>
            <div class="field">
                <label for="block-window">{i18n.t(Key::WindowLabel)}</label>
                <select id="block-window" data-testid="block-window" prop:value=move || window.get()
                    on:change=move |ev| window.set(event_target_value(&ev))>
                    {admin.then(|| view! { <option value="">{i18n.t(Key::BlockWholeHall)}</option> })}
                    {windows}
                </select>
            </div>
            <div class="field">
                <label for="block-start">{i18n.t(Key::BlockStart)}</label>
                <input id="block-start" type="datetime-local" required data-testid="block-start"
                    on:change=move |ev| start.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="block-end">{i18n.t(Key::BlockEnd)}</label>
                <input id="block-end" type="datetime-local" required data-testid="block-end"
                    on:change=move |ev| end.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="block-reason">{i18n.t(Key::BlockReason)}</label>
                <input id="block-reason" required data-testid="block-reason"
                    on:input=move |ev| reason.set(event_target_value(&ev))/>
            </div>
            <button type="submit" data-testid="block-submit">{i18n.t(Key::BlockSubmit)}</button>
            <div aria-live="polite">
                {move || result.get().map(|r| match r {
                    Ok(()) => view! { <p class="success" data-testid="block-done">{i18n.t(Key::BlockDone)}</p> }.into_any(),
                    Err(m) => view! { <p class="inline-error" role="alert">{m}</p> }.into_any(),
                })}
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::with_seconds;

    #[test]
    fn datetime_local_values_get_seconds() {
        assert_eq!(with_seconds("2026-11-24T09:00"), "2026-11-24T09:00:00");
        assert_eq!(with_seconds("2026-11-24T09:00:30"), "2026-11-24T09:00:30");
    }
}
