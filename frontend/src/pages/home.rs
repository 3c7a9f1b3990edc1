//! `/`: the search box first; for a signed-in applicant their applications in progress
//! with their lights, the next appointment and the unread notifications; then themes in
//! three groups, departments and the catalogue. Elder mode shows a simpler home: big
//! tiles for the common tasks and the life events, without the long lists.

use crate::api;
use crate::app::set_title;
use crate::components::application_row::ApplicationRow;
use crate::components::search_box::SearchBox;
use crate::fetched::{listed, Fetched};
use crate::i18n::{self, item_count, unread_notifications, use_i18n, Key};
use crate::pages::bookings::{order, BookingRow};
use crate::prefs::use_elder;
use crate::session::use_session;
use crate::unread::use_unread;
use leptos::prelude::*;
use onewindow_api::account::Role;
use onewindow_api::booking::BookingState;
use onewindow_api::catalogue::{Department, Theme, ThemeKind};
use onewindow_api::query::ApplicationQuery;

/// How many applications in progress the home page shows.
const ACTIVE_SHOWN: usize = 3;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let elder = use_elder();
    let session = use_session();
    Effect::new(move |_| set_title("", i18n.lang()));
    let themes = Fetched::new(api::themes);
    let departments = Fetched::new(api::departments);
    let applicant = Memo::new(move |_| {
        session.account.with(|a| {
            a.as_ref()
                .is_some_and(|a| matches!(a.role, Role::Citizen | Role::BusinessMember))
        })
    });
    // Elder mode keeps the life events, the themes most people come for.
    let kinds = move || {
        if elder.on() {
            vec![ThemeKind::LifeEvent]
        } else {
            vec![
                ThemeKind::Individual,
                ThemeKind::Business,
                ThemeKind::LifeEvent,
            ]
        }
    };

    view! {
        <div class="page home">
            <section class="hero" aria-labelledby="home-title">
                <h1 id="home-title">
                    <span lang="zh-CN">"一窗通办"</span>
                    " "
                    <span lang="en" class="hero-en">"OneWindow"</span>
                </h1>
                <p class="tagline">{i18n.t(Key::Tagline)}</p>
                <p class="intro">{i18n.t(Key::HomeIntro)}</p>
                <SearchBox initial=Signal::stored(String::new()) prominent=true/>
            </section>
            {move || elder.on().then(|| view! { <CommonTasks/> })}
            {move || applicant.get().then(|| view! { <Mine/> })}
            // Everything below arrives at once, in one block after the hero, so that
            // nothing the visitor already sees moves when it comes (layout shift).
            {listed(themes, move |themes| listed(departments, move |list| {
                let themes = themes.clone();
                view! {
                    {move || kinds().into_iter()
                        .map(|kind| view! { <ThemeGroup kind themes=themes.clone()/> })
                        .collect_view()}
                    <Show when=move || !elder.on()>
                        <section class="home-section" aria-labelledby="home-departments">
                            <h2 id="home-departments">{i18n.t(Key::ByDepartment)}</h2>
                            <DepartmentList departments=list.clone()/>
                        </section>
                    </Show>
                    <p class="more">
                        <a class="button" href="/services">{i18n.t(Key::FullCatalogue)}</a>
                    </p>
                }
            }))}
        </div>
    }
}

/// Elder mode's big tiles for what most people come to do.
#[component]
fn CommonTasks() -> impl IntoView {
    let i18n = use_i18n();
    let tasks = [
        ("/services", Key::HomeTaskFind),
        ("/applications", Key::HomeTaskCases),
        ("/bookings", Key::HomeTaskBook),
        ("/lookup", Key::HomeTaskLookup),
    ];
    view! {
        <section class="home-section" aria-labelledby="home-tasks">
            <h2 id="home-tasks">{i18n.t(Key::HomeCommonTasks)}</h2>
            <ul class="tiles big-tiles" data-testid="common-tasks">
                {tasks.map(|(href, key)| view! {
                    <li><a class="tile" href=href><span class="tile-name">{i18n.t(key)}</span></a></li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// A signed-in applicant's own: applications in progress (with their lights), the
/// next appointment and the unread notifications.
#[component]
fn Mine() -> impl IntoView {
    let i18n = use_i18n();
    let unread = use_unread();
    // The most recently updated first; a running case is among them, since every step
    // of it updates it.
    let cases = Fetched::new(|| {
        api::applications(ApplicationQuery {
            per_page: Some(50),
            ..ApplicationQuery::default()
        })
    });
    let bookings = Fetched::new(api::bookings);
    let unread_link = move || {
        unread.count.get().filter(|n| *n > 0).map(|n| {
            view! {
                <p class="unread-note">
                    <a href="/notifications" data-testid="home-unread">{unread_notifications(i18n.lang(), n)}</a>
                </p>
            }
        })
    };
    // Each part is a section of its own, so that the cards' headings (h2, as in the
    // lists) follow a heading of the same level.
    view! {
        <div class="mine" data-testid="home-mine">
            {unread_link}
            <section class="home-section" aria-labelledby="home-cases">
                <h2 id="home-cases">{i18n.t(Key::HomeActiveCases)}</h2>
                {listed(cases, move |page| {
                    let active: Vec<_> = page.items.into_iter().filter(|a| !a.state.is_final()).collect();
                    if active.is_empty() {
                        view! { <p class="note" data-testid="home-no-cases">{i18n.t(Key::HomeNoActiveCases)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="cards single" data-testid="home-cases">
                                {active.into_iter().take(ACTIVE_SHOWN).map(|app| view! { <ApplicationRow app/> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
                <p><a href="/applications">{i18n.t(Key::HomeAllCases)}</a></p>
            </section>
            <section class="home-section" aria-labelledby="home-booking">
                <h2 id="home-booking">{i18n.t(Key::HomeNextBooking)}</h2>
                {listed(bookings, move |list| {
                    match order(list).into_iter().find(|b| b.state == BookingState::Active) {
                        Some(b) => view! { <ul class="booking-list" data-testid="home-booking"><BookingRow b/></ul> }.into_any(),
                        None => view! { <p class="note">{i18n.t(Key::HomeNoBooking)}</p> }.into_any(),
                    }
                })}
            </section>
        </div>
    }
}

/// One group of theme shortcuts, each a link to the catalogue filtered by the theme.
#[component]
fn ThemeGroup(kind: ThemeKind, themes: Vec<Theme>) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!(
        "themes-{}",
        match kind {
            ThemeKind::Individual => "individual",
            ThemeKind::Business => "business",
            ThemeKind::LifeEvent => "life-event",
        }
    );
    let labelledby = id.clone();
    let items = themes
        .into_iter()
        .filter(|t| t.kind == kind)
        .map(|t| {
            let href = format!("/services?theme={}", t.code);
            view! {
                <li>
                    <a class="tile" href=href title=i18n.text(&t.description)>
                        <span class="tile-name">{i18n.text(&t.name)}</span>
                        <span class="tile-count">{move || item_count(i18n.lang(), t.item_count)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="home-section" aria-labelledby=labelledby>
            <h2 id=id>{i18n.t(i18n::theme_kind(kind))}</h2>
            <ul class="tiles" data-testid=format!("themes-{kind:?}").to_lowercase()>{items}</ul>
        </section>
    }
}

#[component]
fn DepartmentList(departments: Vec<Department>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="chips">
            {departments.into_iter().map(|d| {
                let href = format!("/services?department={}", d.code);
                view! {
                    <li>
                        <a class="chip" href=href>
                            {i18n.text(&d.name)}
                            <span class="chip-count">{move || item_count(i18n.lang(), d.item_count)}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
