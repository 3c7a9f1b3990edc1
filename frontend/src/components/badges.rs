//! Status badges of an item: online application, appointments, city-wide handling,
//! instant or promised days, free or paid.

use crate::i18n::{promised_in, use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::catalogue::{OnlineService, Promise};

/// One badge; `tone` picks its colour class (`good`, `info`, `neutral`, `warn`).
#[component]
pub fn Badge(tone: &'static str, #[prop(into)] label: Signal<String>) -> impl IntoView {
    view! { <span class=format!("badge badge-{tone}")>{label}</span> }
}

/// The badges shown on a card and at the top of a guide.
#[component]
pub fn StatusBadges(
    online: OnlineService,
    promise: Promise,
    promised_working_days: u32,
    free: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = move |k: Key| Signal::derive(move || i18n.t(k)().to_owned());
    let limit = Signal::derive(move || match promise {
        Promise::Instant => i18n.t(Key::BadgeInstant)().to_owned(),
        Promise::Promised => promised_in(i18n.lang(), promised_working_days),
    });
    let limit_tone = if promise == Promise::Instant {
        "good"
    } else {
        "neutral"
    };
    view! {
        <p class="badges">
            {online.apply_online.then(|| view! { <Badge tone="info" label=key(Key::BadgeOnline)/> })}
            {online.appointment.then(|| view! { <Badge tone="info" label=key(Key::BadgeAppointment)/> })}
            {online.city_wide.then(|| view! { <Badge tone="info" label=key(Key::BadgeCityWide)/> })}
            <Badge tone=limit_tone label=limit/>
            {if free {
                view! { <Badge tone="good" label=key(Key::BadgeFree)/> }
            } else {
                view! { <Badge tone="warn" label=key(Key::BadgePaid)/> }
            }}
        </p>
    }
}
