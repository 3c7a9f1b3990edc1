//! Where to go (办理地点): each venue's hall with address, opening hours, floor and
//! windows, looked up in the list of halls.

use super::Section;
use crate::api;
use crate::fetched::Fetched;
use crate::i18n::{opening_lines, use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::catalogue::{Hall, Venue};

#[component]
pub fn Venues(venues: Vec<Venue>) -> impl IntoView {
    let halls = Fetched::new(api::halls);
    let venues = StoredValue::new(venues);
    view! {
        <Section id="venues" title=Key::WhereToGo>
            <ul class="plain venues">
                {move || {
                    // Without the hall list (still loading, or failed) the venue still shows
                    // its floor and windows.
                    let halls = halls.get().and_then(Result::ok).unwrap_or_default();
                    venues.with_value(|vs| {
                        vs.iter()
                            .map(|v| {
                                let hall = halls.iter().find(|h| h.code == v.hall).cloned();
                                view! { <VenueCard venue=v.clone() hall/> }
                            })
                            .collect_view()
                    })
                }}
            </ul>
        </Section>
    }
}

#[component]
fn VenueCard(venue: Venue, hall: Option<Hall>) -> impl IntoView {
    let i18n = use_i18n();
    let name = match &hall {
        Some(h) => i18n.text(&h.name).into_any(),
        None => venue.hall.to_string().into_any(),
    };
    let windows = venue
        .windows
        .iter()
        .map(|code| {
            let window = hall
                .as_ref()
                .and_then(|h| h.windows.iter().find(|w| &w.code == code));
            let label = window.map(|w| i18n.text(&w.name));
            view! { <li><strong>{code.clone()}</strong> " " {label}</li> }
        })
        .collect_view();
    let details = hall.clone().map(|h| {
        let phone = h.phone.clone();
        let tel = format!("tel:{}", phone.replace([' ', '-'], ""));
        let hours = h.hours.clone();
        let notes = h.notes.is_complete().then(|| view! { <p class="hall-note">{i18n.text(&h.notes)}</p> });
        view! {
            <div class="row"><dt>{i18n.t(Key::Address)}</dt><dd>{i18n.text(&h.address)}</dd></div>
            <div class="row"><dt>{i18n.t(Key::Phone)}</dt><dd><a href=tel rel="external">{phone}</a></dd></div>
            <div class="row">
                <dt>{i18n.t(Key::Hours)}</dt>
                <dd>
                    <ul class="plain">
                        {move || opening_lines(i18n.lang(), &hours).into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                    </ul>
                    {notes}
                </dd>
            </div>
        }
    });
    view! {
        <li class="card venue">
            <h3>{name}</h3>
            <dl class="facts">
                {details}
                <div class="row"><dt>{i18n.t(Key::Floor)}</dt><dd>{i18n.text(&venue.floor)}</dd></div>
                <div class="row"><dt>{i18n.t(Key::Windows)}</dt><dd><ul class="plain">{windows}</ul></dd></div>
            </dl>
        </li>
    }
}
