//! `/bookings`: the applicant's appointments, upcoming ones first.

use crate::api;
use crate::app::set_title;
use crate::components::require_account::{Need, RequireAccount};
use crate::fetched::{listed, Fetched};
use crate::i18n::{booking_state, t, use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::booking::{Booking, BookingState};

#[component]
pub fn MyBookings() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t(i18n.lang(), Key::MyBookings), i18n.lang()));
    view! {
        <div class="page narrow bookings">
            <h1>{i18n.t(Key::MyBookings)}</h1>
            <RequireAccount need=Need::Applicant>
                <BookingList/>
            </RequireAccount>
        </div>
    }
}

/// Active bookings soonest first, then the others, latest first.
pub fn order(mut list: Vec<Booking>) -> Vec<Booking> {
    list.sort_by(|a, b| {
        let (aa, ba) = (
            a.state == BookingState::Active,
            b.state == BookingState::Active,
        );
        ba.cmp(&aa).then_with(|| {
            if aa {
                a.start.cmp(&b.start)
            } else {
                b.start.cmp(&a.start)
            }
        })
    });
    list
}

#[component]
fn BookingList() -> impl IntoView {
    let i18n = use_i18n();
    let list = Fetched::new(api::bookings);
    view! {
        {listed(list, move |answer| match answer {
            l if l.is_empty() => view! { <p class="note" data-testid="no-bookings">{i18n.t(Key::NoBookings)}</p> }.into_any(),
            l => view! {
                <ul class="booking-list">
                    {order(l).into_iter().map(|b| view! { <BookingRow b/> }).collect_view()}
                </ul>
            }.into_any(),
        })}
    }
}

#[component]
pub fn BookingRow(b: Booking) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="card booking-row" data-testid="booking-row" data-state=b.state.as_str()>
            <a href=format!("/bookings/{}", b.id)>{i18n.text(&b.item_name)}</a>
            <StateBadge state=b.state/>
            <p class="meta">
                {b.start.format("%Y-%m-%d %H:%M").to_string()} " · " {i18n.text(&b.hall_name)}
            </p>
        </li>
    }
}

/// The state of a booking as a coloured badge.
#[component]
pub fn StateBadge(state: BookingState) -> impl IntoView {
    let i18n = use_i18n();
    let class = match state {
        BookingState::Active => "badge badge-info",
        BookingState::CheckedIn => "badge badge-good",
        BookingState::NoShow => "badge badge-bad",
        BookingState::Cancelled => "badge badge-neutral",
    };
    view! {
        <span class=class data-testid="booking-state" data-state=state.as_str()>
            {i18n.t(booking_state(state))}
        </span>
    }
}
