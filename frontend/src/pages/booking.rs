//! `/bookings/:id`: the confirmation of an appointment: where and when, what to bring,
//! the code and its QR code for check-in, a calendar file, cancelling and rescheduling;
//! after the visit its rating, and at any time a complaint about the hall.

use super::book::{booking_error, choose_again};
use super::bookings::StateBadge;
use crate::api;
use crate::app::set_title;
use crate::components::qr::QrCodeSvg;
use crate::components::rating::RatingPanel;
use crate::components::require_account::{Need, RequireAccount};
use crate::components::slot_picker::SlotPicker;
use crate::components::states::{error_message, ErrorView};
use crate::components::thread_form::ThreadStarter;
use crate::fetched::{shown, Fetched};
use crate::i18n::{t, use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use onewindow_api::booking::{Booking, BookingState, OpenSlot, RescheduleRequest};
use onewindow_api::ids::BookingId;
use onewindow_api::rating::RatingSubject;
use onewindow_api::thread::{ThreadKind, ThreadSubject};

#[component]
pub fn BookingPage() -> impl IntoView {
    view! {
        <div class="page narrow booking">
            <RequireAccount need=Need::Applicant>
                <BookingLoader/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn BookingLoader() -> impl IntoView {
    let id = crate::components::route::path_id();
    let booking = Fetched::new(move || api::booking(BookingId(id.get().unwrap_or(0))));
    view! {
        {shown(booking, true, |b| view! { <BookingView b/> })}
    }
}

#[component]
fn BookingView(b: Booking) -> impl IntoView {
    let i18n = use_i18n();
    let id = b.id;
    let booking = RwSignal::new(b);
    crate::live::refresh_on_live(format!("/bookings/{id}"), booking, move || api::booking(id));
    Effect::new(move |_| set_title(t(i18n.lang(), Key::BookingTitle), i18n.lang()));
    let get = move || booking.get();
    let details = move || {
        let b = get();
        let when = format!(
            "{} {}–{}",
            b.start.format("%Y-%m-%d"),
            b.start.format("%H:%M"),
            b.end.format("%H:%M")
        );
        let lang = i18n.lang();
        let bring = b
            .bring
            .iter()
            .map(|m| view! { <li data-testid="bring-item">{m.get(lang).to_owned()}</li> })
            .collect_view();
        view! {
            <p class="code">{b.item.to_string()}</p>
            <h1 data-testid="booking-item">{b.item_name.get(lang).to_owned()}</h1>
            <StateBadge state=b.state/>
            <dl class="facts card">
                <div class="row"><dt>{t(lang, Key::WhenLabel)}</dt><dd data-testid="booking-when">{when}</dd></div>
                <div class="row"><dt>{t(lang, Key::ChooseHall)}</dt><dd data-testid="booking-hall">{b.hall_name.get(lang).to_owned()}</dd></div>
                <div class="row"><dt>{t(lang, Key::Address)}</dt><dd>{b.address.get(lang).to_owned()}</dd></div>
                <div class="row"><dt>{t(lang, Key::WindowLabel)}</dt><dd data-testid="booking-window">
                    {format!("{} ({}) · {}", b.window_name.get(lang), b.window, b.floor.get(lang))}
                </dd></div>
                {b.ticket.clone().map(|n| view! {
                    <div class="row"><dt>{t(lang, Key::TicketNumber)}</dt><dd data-testid="booking-ticket">{n}</dd></div>
                })}
            </dl>
            {(!b.bring.is_empty()).then(|| view! {
                <section aria-labelledby="bring-heading">
                    <h2 id="bring-heading">{t(lang, Key::BringList)}</h2>
                    <ul class="bring-list">{bring}</ul>
                </section>
            })}
        }
    };
    let code_box = move || {
        let b = get();
        (b.state == BookingState::Active).then(|| {
            let label = t(i18n.lang(), Key::QrLabel).to_owned();
            view! {
                <section class="card booking-code" aria-labelledby="code-heading">
                    <h2 id="code-heading">{i18n.t(Key::BookingCode)}</h2>
                    <p class="big-code" data-testid="booking-code">{b.code.clone()}</p>
                    <QrCodeSvg text=b.code.clone() label/>
                    <p class="hint">{i18n.t(Key::QrHint)}</p>
                    <p class="no-print"><a class="button secondary" data-testid="calendar-link" download="appointment.ics"
                        href=api::calendar_url(b.id)>{i18n.t(Key::AddToCalendar)}</a></p>
                </section>
            }
        })
    };
    let (id, hall) = booking.with_untracked(|b| (b.id, b.hall.clone()));
    let checked_in = move || booking.with(|b| b.state == BookingState::CheckedIn);
    view! {
        {details}
        {code_box}
        {move || checked_in().then(|| view! { <RatingPanel subject=RatingSubject::Booking(id)/> })}
        <section class="card no-print" aria-labelledby="complaint-heading">
            <h2 id="complaint-heading">{i18n.t(Key::Channels)}</h2>
            <ThreadStarter kind=ThreadKind::Complaint subject=ThreadSubject::Hall(hall)/>
        </section>
        <Manage booking/>
        <p class="no-print"><a href="/bookings">{i18n.t(Key::MyBookings)}</a></p>
    }
}

/// Cancelling (after a second confirmation) and rescheduling an active booking.
#[component]
fn Manage(booking: RwSignal<Booking>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let asking = RwSignal::new(false);
    let moving = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let selected = RwSignal::new(None::<OpenSlot>);
    let reload = RwSignal::new(0u32);
    let item = Fetched::new(move || {
        let code = booking.with_untracked(|b| b.item.to_string());
        api::service(code)
    });
    let cancel = move |_| {
        busy.set(true);
        failure.set(None);
        let id = booking.with_untracked(|b| b.id);
        spawn_local(async move {
            match api::cancel_booking(id).await {
                Ok(b) => {
                    booking.set(b);
                    asking.set(false);
                }
                Err(e) => failure.set(Some(error_message(i18n.0.get_untracked(), &e))),
            }
            busy.set(false);
        });
    };
    let confirm_move = move |_| {
        let Some(slot) = selected.get_untracked() else {
            return;
        };
        busy.set(true);
        failure.set(None);
        let id = booking.with_untracked(|b| b.id);
        let navigate = navigate.clone();
        spawn_local(async move {
            let req = RescheduleRequest {
                hall: slot.hall,
                window: slot.window,
                start: slot.start,
            };
            match api::reschedule_booking(id, req).await {
                Ok(b) => {
                    moving.set(false);
                    let new_id = b.id;
                    booking.set(b);
                    if new_id != id {
                        navigate(&format!("/bookings/{new_id}"), NavigateOptions::default());
                    }
                }
                Err(e) => {
                    failure.set(Some(booking_error(i18n.0.get_untracked(), &e)));
                    if choose_again(&e) {
                        selected.set(None);
                        reload.update(|n| *n += 1);
                    }
                }
            }
            busy.set(false);
        });
    };
    // Once its time has come the hall records whether the citizen came: no changes.
    let active = move || booking.with(|b| b.state == BookingState::Active && !b.begun);
    let picker = move || {
        moving.get().then(|| {
            let confirm_move = confirm_move.clone();
            view! {
                <section class="card reschedule" data-testid="reschedule-panel">
                    <p class="hint">{i18n.t(Key::RescheduleHint)}</p>
                    {move || item.get().map(|r| match r {
                        Ok(item) => view! { <SlotPicker item selected reload/> }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    })}
                    <p class="actions">
                        <button type="button" data-testid="confirm-reschedule"
                            disabled=move || busy.get() || selected.with(Option::is_none)
                            on:click=confirm_move.clone()>
                            {i18n.t(Key::ConfirmReschedule)}
                        </button>
                    </p>
                </section>
            }
        })
    };
    view! {
        {move || failure.get().map(|m| view! { <p class="inline-error" role="alert" data-testid="inline-error">{m}</p> })}
        <Show when=active>
            <p class="actions">
                <button type="button" class="secondary" data-testid="reschedule"
                    aria-expanded=move || moving.get().to_string()
                    on:click=move |_| moving.update(|m| *m = !*m)>
                    {i18n.t(Key::Reschedule)}
                </button>
                <button type="button" class="secondary danger" data-testid="cancel-booking"
                    on:click=move |_| asking.set(true)>
                    {i18n.t(Key::CancelBooking)}
                </button>
            </p>
            <Show when=move || asking.get()>
                <div class="card confirm" role="alertdialog" aria-labelledby="cancel-q" data-testid="cancel-confirm">
                    <p id="cancel-q">{i18n.t(Key::CancelConfirm)}</p>
                    <p class="actions">
                        <button type="button" class="danger" data-testid="cancel-yes"
                            disabled=move || busy.get() on:click=cancel>
                            {i18n.t(Key::CancelYes)}
                        </button>
                        <button type="button" class="secondary" data-testid="cancel-no"
                            on:click=move |_| asking.set(false)>
                            {i18n.t(Key::CancelNo)}
                        </button>
                    </p>
                </div>
            </Show>
            {picker.clone()}
        </Show>
    }
}
