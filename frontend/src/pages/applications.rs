//! `/applications?state=…&item=…&light=…&due_before=…&page=…`: the applicant's own
//! applications (a business member's: the company's), newest first, with a state
//! filter; a business member gets the company dashboard's filters and a CSV export.

use crate::api;
use crate::app::set_title;
use crate::components::application_row::{ApplicationRow, StateFilter};
use crate::components::pagination::Pagination;
use crate::components::require_account::{Need, RequireAccount};
use crate::fetched::{listed, Fetched};
use crate::i18n::{self, use_i18n, Key};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use onewindow_api::account::Role;
use onewindow_api::case::CaseState;
use onewindow_api::ids::ItemCode;
use onewindow_api::query::ApplicationQuery;
use onewindow_api::workdays::Light;

const PER_PAGE: u32 = 20;

/// The URL of a list page with a filter.
pub fn list_href(base: &str, state: Option<CaseState>, page: u32) -> String {
    let mut q = ParamsMap::new();
    if let Some(s) = state {
        q.insert("state", s.as_str().to_owned());
    }
    if page > 1 {
        q.insert("page", page.to_string());
    }
    format!("{base}{}", q.to_query_string())
}

#[component]
pub fn MyApplications() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t(Key::MyApplications)(), i18n.lang()));
    view! {
        <div class="page applications">
            <h1>{i18n.t(Key::MyApplications)}</h1>
            <RequireAccount need=Need::Applicant>
                <MyList/>
            </RequireAccount>
        </div>
    }
}

/// The dashboard's filters as they stand in the URL, and the `ApplicationQuery` of a page.
fn filters(q: &ParamsMap) -> ApplicationQuery {
    let text = |k: &str| {
        q.get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    ApplicationQuery {
        item: text("item").map(ItemCode),
        state: q.get("state").and_then(|s| CaseState::parse(&s)),
        light: q.get("light").and_then(|l| Light::parse(&l)),
        due_before: text("due_before"),
        page: Some(
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1),
        ),
        per_page: Some(PER_PAGE),
    }
}

/// The query string of the filters ("" or "?state=…"), without the page unless past 1.
fn filter_query(f: &ApplicationQuery) -> String {
    let mut q = ParamsMap::new();
    if let Some(i) = &f.item {
        q.insert("item", i.to_string());
    }
    if let Some(s) = f.state {
        q.insert("state", s.as_str().to_owned());
    }
    if let Some(l) = f.light {
        q.insert("light", l.as_str().to_owned());
    }
    if let Some(d) = &f.due_before {
        q.insert("due_before", d.clone());
    }
    if let Some(p) = f.page.filter(|p| *p > 1) {
        q.insert("page", p.to_string());
    }
    q.to_query_string()
}

#[component]
fn MyList() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let business = use_session()
        .account
        .with_untracked(|a| a.as_ref().is_some_and(|a| a.role == Role::BusinessMember));
    let current = Memo::new(move |_| query.with(filters));
    let state = Signal::derive(move || current.with(|f| f.state));
    let list = Fetched::new(move || api::applications(current.get()));
    // Every change of a filter goes to the URL (back, share and reload keep it) and
    // starts again at page 1.
    let go = move |change: &dyn Fn(&mut ApplicationQuery)| {
        let mut f = current.get_untracked();
        change(&mut f);
        f.page = None;
        navigate(
            &format!("/applications{}", filter_query(&f)),
            NavigateOptions::default(),
        );
    };
    let go = StoredValue::new_local(go);
    let dashboard = business.then(|| {
        view! {
            <div class="filters-row dashboard-filters" data-testid="dashboard-filters">
                <div class="field">
                    <label for="item-filter">{i18n.t(Key::ItemCodeFilter)}</label>
                    <input id="item-filter" data-testid="item-filter" maxlength="40"
                        prop:value=move || current.with(|f| f.item.as_ref().map(ToString::to_string).unwrap_or_default())
                        on:change=move |ev| {
                            let v = event_target_value(&ev).trim().to_owned();
                            go.with_value(|go| go(&|f| f.item = (!v.is_empty()).then(|| ItemCode(v.clone()))));
                        }/>
                </div>
                <div class="field">
                    <label for="light-filter">{i18n.t(Key::LightFilter)}</label>
                    <select id="light-filter" data-testid="light-filter"
                        on:change=move |ev| {
                            let l = Light::parse(&event_target_value(&ev));
                            go.with_value(|go| go(&|f| f.light = l));
                        }>
                        <option value="" selected=move || current.with(|f| f.light.is_none())>{i18n.t(Key::FilterAll)}</option>
                        {Light::ALL.map(|l| view! {
                            <option value=l.as_str() selected=move || current.with(|f| f.light == Some(l))>{i18n.t(i18n::light(l))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="due-filter">{i18n.t(Key::DueBeforeFilter)}</label>
                    <input id="due-filter" type="date" data-testid="due-filter"
                        prop:value=move || current.with(|f| f.due_before.clone().unwrap_or_default())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            go.with_value(|go| go(&|f| f.due_before = (!v.is_empty()).then(|| v.clone())));
                        }/>
                </div>
                <p class="actions">
                    <a class="button secondary" data-testid="export-csv" download
                        href=move || api::export_url(&current.with(filter_query))>{i18n.t(Key::ExportCsv)}</a>
                </p>
            </div>
        }
    });
    view! {
        <StateFilter selected=state on_change=move |s| go.with_value(|go| go(&|f| f.state = s))/>
        {dashboard}
        {listed(list, move |p| {
            let f = current.get_untracked();
            let empty = p.items.is_empty();
            view! {
                {empty.then(|| view! {
                    <p class="empty" data-testid="no-applications">{i18n.t(Key::NoApplications)} " "
                        <a href="/services?online=true">{i18n.t(Key::BrowseCatalogue)}</a></p>
                })}
                <ul class="cards single" data-testid="application-list">
                    {p.items.into_iter().map(|app| view! { <ApplicationRow app/> }).collect_view()}
                </ul>
                <Pagination page=p.page per_page=p.per_page total=p.total
                    href=move |n| format!("/applications{}", filter_query(&ApplicationQuery { page: Some(n), ..f.clone() }))/>
            }
        })}
    }
}
