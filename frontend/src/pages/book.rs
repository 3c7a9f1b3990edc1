//! `/services/:code/book`: booking an appointment (预约办理) at a hall. The applicant
//! picks a slot and confirms; the confirmation page of the booking follows.

use super::application::editor::random_key;
use crate::api;
use crate::app::set_title;
use crate::components::require_account::{Need, RequireAccount};
use crate::components::slot_picker::SlotPicker;
use crate::components::states::error_message;
use crate::fetched::{shown, Fetched};
use crate::i18n::{t, use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use onewindow_api::booking::{BookingRefusal, BookingRequest, OpenSlot};
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::Lang;
use onewindow_client::ClientError;

#[component]
pub fn Book() -> impl IntoView {
    view! {
        <div class="page narrow book">
            <RequireAccount need=Need::Applicant>
                <BookLoader/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn BookLoader() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let item = Fetched::new(move || api::service(code.get()));
    view! {
        {shown(item, true, |item| view! { <BookForm item/> })}
    }
}

/// What to tell the applicant when a booking or a reschedule is refused, by the
/// refusal's reason: a full slot or week, or a booking of the item already held.
pub fn booking_error(lang: Lang, e: &ClientError) -> String {
    match (e.status(), e.reason().and_then(BookingRefusal::parse)) {
        (Some(409), Some(BookingRefusal::WeekFull)) => t(lang, Key::WeekFullRefusal).to_owned(),
        (Some(409), Some(BookingRefusal::AlreadyBooked)) => {
            t(lang, Key::AlreadyBookedRefusal).to_owned()
        }
        (Some(409), _) => t(lang, Key::SlotTaken).to_owned(),
        (Some(422), _) => t(lang, Key::SlotNotOpen).to_owned(),
        _ => error_message(lang, e),
    }
}

/// Whether a refused booking asks for another time: the chosen one filled up or closed,
/// so the open times are loaded again. A full week or an item already booked does not.
pub fn choose_again(e: &ClientError) -> bool {
    match e.status() {
        Some(409) => matches!(
            e.reason().and_then(BookingRefusal::parse),
            None | Some(BookingRefusal::SlotFull)
        ),
        Some(422) => true,
        _ => false,
    }
}

#[component]
fn BookForm(item: ServiceItem) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let name = item.name.clone();
    Effect::new(move |_| set_title(name.get(i18n.lang()), i18n.lang()));
    let guide = format!("/services/{}", item.code);
    if !item.online.appointment {
        return view! {
            <h1>{i18n.text(&item.name)}</h1>
            <p class="note" data-testid="not-bookable">{i18n.t(Key::NoSlots)}</p>
            <p><a href=guide>{i18n.t(Key::BackToGuide)}</a></p>
        }
        .into_any();
    }
    let selected = RwSignal::new(None::<OpenSlot>);
    let reload = RwSignal::new(0u32);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    // One key per chosen slot: a retry of the same choice cannot book twice.
    let key = StoredValue::new(random_key());
    Effect::new(move |_| {
        selected.track();
        key.set_value(random_key());
    });
    let code = item.code.clone();
    let confirm = move |_| {
        if busy.get_untracked() {
            return;
        }
        let Some(slot) = selected.get_untracked() else {
            failure.set(Some(
                t(i18n.0.get_untracked(), Key::PickSlotFirst).to_owned(),
            ));
            return;
        };
        let req = BookingRequest {
            item: code.clone(),
            hall: slot.hall,
            window: slot.window,
            start: slot.start,
            idempotency_key: key.get_value(),
            application: None,
        };
        busy.set(true);
        failure.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::book(req).await {
                Ok(b) => navigate(&format!("/bookings/{}", b.id), NavigateOptions::default()),
                Err(e) => {
                    failure.set(Some(booking_error(i18n.0.get_untracked(), &e)));
                    if choose_again(&e) {
                        selected.set(None);
                        reload.update(|n| *n += 1);
                    }
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <p class="code">{item.code.to_string()}</p>
        <h1>{i18n.t(Key::BookAppointment)} {i18n.t(Key::Colon)} {i18n.text(&item.name)}</h1>
        <SlotPicker item=item.clone() selected reload/>
        {move || failure.get().map(|m| view! { <p class="inline-error" role="alert" data-testid="inline-error">{m}</p> })}
        <p class="actions sticky-actions">
            <button type="button" data-testid="confirm-booking"
                disabled=move || busy.get() || selected.with(Option::is_none) on:click=confirm>
                {i18n.t(Key::ConfirmBooking)}
                {move || selected.get().map(|s| format!(" · {}", s.start.format("%m-%d %H:%M")))}
            </button>
            <a class="button secondary" href=guide>{i18n.t(Key::BackToGuide)}</a>
        </p>
    }
    .into_any()
}
