//! Choosing an appointment time: a hall (the item's venues, or for items handled
//! city-wide the earliest times anywhere), then one open slot, listed by day with the
//! seats left. Used by booking and by rescheduling.

use crate::api;
use crate::fetched::{listed, Fetched};
use crate::i18n::{free_seats, use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::booking::OpenSlot;
use onewindow_api::catalogue::{Hall, ServiceItem};
use onewindow_api::ids::HallCode;
use onewindow_api::Text;

/// The value of the "earliest anywhere" choice of the hall list.
const ANYWHERE: &str = "";

#[component]
pub fn SlotPicker(
    item: ServiceItem,
    selected: RwSignal<Option<OpenSlot>>,
    /// Bumped by the page to reload the slots, e.g. after a slot just filled.
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let venues: Vec<HallCode> = item.venues.iter().map(|v| v.hall.clone()).collect();
    let city_wide = item.online.city_wide;
    let initial = if city_wide {
        None
    } else {
        venues.first().cloned()
    };
    let hall = RwSignal::new(initial);
    let code = item.code.to_string();
    let halls = Fetched::new(|| async { api::halls().await.unwrap_or_default() });
    let slots = Fetched::new(move || {
        reload.track();
        let code = code.clone();
        let hall = hall.get();
        async move { api::slots(code, hall).await }
    });
    let hall_name = move |code: &HallCode| -> Text {
        halls
            .get()
            .and_then(|hs: Vec<Hall>| hs.into_iter().find(|h| &h.code == code).map(|h| h.name))
            .unwrap_or_else(|| Text::new(code.as_str(), code.as_str()))
    };
    let options = venues
        .iter()
        .map(|v| {
            let value = v.to_string();
            let v = v.clone();
            let selected_now = hall.get_untracked().as_ref() == Some(&v);
            let name = move || hall_name(&v).get(i18n.lang()).to_owned();
            view! { <option value=value selected=selected_now>{name}</option> }
        })
        .collect_view();
    let on_hall = move |ev| {
        let v = event_target_value(&ev);
        selected.set(None);
        hall.set((v != ANYWHERE).then(|| HallCode::new(v)));
    };
    let list = listed(slots, move |list| {
        if list.is_empty() {
            view! { <p class="note" data-testid="no-slots">{i18n.t(Key::NoSlots)}</p> }.into_any()
        } else {
            view! { <Days list show_hall=hall.get_untracked().is_none() selected hall_name/> }
                .into_any()
        }
    });
    view! {
        <div class="field">
            <label for="slot-hall">{i18n.t(Key::ChooseHall)}</label>
            <select id="slot-hall" data-testid="slot-hall" on:change=on_hall>
                {city_wide.then(|| view! {
                    <option value=ANYWHERE selected=true>{i18n.t(Key::EarliestAnywhere)}</option>
                })}
                {options}
            </select>
        </div>
        <section class="slot-days" aria-labelledby="slots-heading">
            <h2 id="slots-heading">{i18n.t(Key::ChooseSlot)}</h2>
            {list}
        </section>
    }
}

/// The slots grouped by day, in the order the server lists them.
#[component]
fn Days<F>(
    list: Vec<OpenSlot>,
    show_hall: bool,
    selected: RwSignal<Option<OpenSlot>>,
    hall_name: F,
) -> impl IntoView
where
    F: Fn(&HallCode) -> Text + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let mut days: Vec<(_, Vec<OpenSlot>)> = Vec::new();
    for s in list {
        match days.last_mut() {
            Some((day, slots)) if *day == s.start.date() => slots.push(s),
            _ => days.push((s.start.date(), vec![s])),
        }
    }
    days.into_iter()
        .map(|(day, slots)| {
            let buttons = slots
                .into_iter()
                .map(|s| {
                    let mine = StoredValue::new(s.clone());
                    let pressed =
                        move || selected.with(|x| mine.with_value(|m| x.as_ref() == Some(m)));
                    let time = format!("{}–{}", s.start.format("%H:%M"), s.end.format("%H:%M"));
                    let free = s.free;
                    let hall = s.hall.clone();
                    let where_ = show_hall.then(|| {
                        view! { <span class="slot-hall">{move || hall_name(&hall).get(i18n.lang()).to_owned()}</span> }
                    });
                    let start = s.start.format("%Y-%m-%dT%H:%M").to_string();
                    let pick = s.clone();
                    view! {
                        <li>
                            <button type="button" class="slot" data-testid="slot" data-start=start
                                aria-pressed=move || pressed().to_string()
                                class:chosen=pressed
                                on:click=move |_| selected.set(Some(pick.clone()))>
                                <span class="slot-time">{time}</span>
                                {where_}
                                <span class="slot-free">{move || free_seats(i18n.lang(), free)}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="slot-day" data-testid="slot-day">
                    <h3>{day.format("%Y-%m-%d").to_string()}</h3>
                    <ul class="slot-list">{buttons}</ul>
                </div>
            }
        })
        .collect_view()
}
