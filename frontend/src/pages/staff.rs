//! `/staff?view=…&state=…&light=…&department=…&page=…`: the staff console. Five views:
//! the department's queue of submitted cases (oldest first) with a state filter, the
//! cases other departments consult this one on, supervision (督办), the yellow and red
//! cases most urgent first, and questions and complaints and rectifications of bad
//! ratings to answer (`staff_feedback`); a supervisor (admin) sees supervision, for any
//! department, and the last two.

use crate::api;
use crate::app::set_title;
use crate::components::application_row::{ApplicationRow, StateFilter};
use crate::components::pagination::Pagination;
use crate::components::require_account::{Need, RequireAccount};
use crate::fetched::{listed, Fetched};
use crate::i18n::{self, use_i18n, Key};
use crate::pages::applications::list_href;
use crate::pages::staff_feedback::{StaffRectifications, StaffThreads};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use onewindow_api::account::Role;
use onewindow_api::case::CaseState;
use onewindow_api::ids::DepartmentCode;
use onewindow_api::query::SupervisionQuery;
use onewindow_api::workdays::Light;

const PER_PAGE: u32 = 20;

/// One view of the console, named in the `view` query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Queue,
    Consulted,
    Supervision,
    Threads,
    Rectifications,
}

impl View {
    fn code(self) -> &'static str {
        match self {
            View::Queue => "queue",
            View::Consulted => "consulted",
            View::Supervision => "supervision",
            View::Threads => "threads",
            View::Rectifications => "rectifications",
        }
    }

    fn label(self) -> Key {
        match self {
            View::Queue => Key::TabQueue,
            View::Consulted => Key::TabConsulted,
            View::Supervision => Key::TabSupervision,
            View::Threads => Key::TabThreads,
            View::Rectifications => Key::TabRectifications,
        }
    }
}

#[component]
pub fn StaffConsole() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t(Key::StaffTitle)(), i18n.lang()));
    view! {
        <div class="page staff">
            <h1>{i18n.t(Key::StaffTitle)}</h1>
            <RequireAccount need=Need::Staff>
                <Console/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn Console() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let admin = use_session()
        .account
        .with_untracked(|a| a.as_ref().is_some_and(|a| a.role == Role::Admin));
    let views: &[View] = if admin {
        &[View::Supervision, View::Threads, View::Rectifications]
    } else {
        &[
            View::Queue,
            View::Consulted,
            View::Supervision,
            View::Threads,
            View::Rectifications,
        ]
    };
    let current = Memo::new(move |_| {
        let code = query.read().get("view").unwrap_or_default();
        views
            .iter()
            .copied()
            .find(|v| v.code() == code)
            .unwrap_or(views[0])
    });
    let tabs = views
        .iter()
        .map(|&v| {
            view! {
                <li><a href=format!("/staff?view={}", v.code()) data-testid=format!("tab-{}", v.code())
                    aria-current=move || (current.get() == v).then_some("page")>{i18n.t(v.label())}</a></li>
            }
        })
        .collect_view();
    view! {
        <nav class="tabs" aria-label=i18n.t(Key::StaffViews)><ul>{tabs}</ul></nav>
        {move || match current.get() {
            View::Queue => view! { <Queue/> }.into_any(),
            View::Consulted => view! { <Consulted/> }.into_any(),
            View::Supervision => view! { <Supervision admin/> }.into_any(),
            View::Threads => view! { <StaffThreads/> }.into_any(),
            View::Rectifications => view! { <StaffRectifications/> }.into_any(),
        }}
    }
}

fn page_param(query: Memo<ParamsMap>) -> Memo<u32> {
    Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    })
}

#[component]
fn Queue() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let state = Memo::new(move |_| query.read().get("state").and_then(|s| CaseState::parse(&s)));
    let page = page_param(query);
    let queue = Fetched::new(move || api::staff_queue(state.get(), page.get(), PER_PAGE));
    view! {
        <StateFilter selected=state on_change=move |s| navigate(&list_href("/staff", s, 1), NavigateOptions::default())/>
        {listed(queue, move |p| {
            let s = state.get_untracked();
            view! {
                {p.items.is_empty().then(|| view! { <p class="empty">{i18n.t(Key::QueueEmpty)}</p> })}
                <ul class="cards single" data-testid="queue">
                    {p.items.into_iter().map(|app| view! { <ApplicationRow app show_applicant=true/> }).collect_view()}
                </ul>
                <Pagination page=p.page per_page=p.per_page total=p.total href=move |n| list_href("/staff", s, n)/>
            }
            .into_any()
        })}
    }
}

#[component]
fn Consulted() -> impl IntoView {
    let i18n = use_i18n();
    let page = page_param(use_query_map());
    let list = Fetched::new(move || api::consulted_queue(page.get(), PER_PAGE));
    view! {
        {listed(list, move |p| view! {
                {p.items.is_empty().then(|| view! { <p class="empty">{i18n.t(Key::QueueEmpty)}</p> })}
                <ul class="cards single" data-testid="consulted-queue">
                    {p.items.into_iter().map(|app| view! { <ApplicationRow app show_applicant=true/> }).collect_view()}
                </ul>
                <Pagination page=p.page per_page=p.per_page total=p.total
                    href=move |n| format!("/staff?view=consulted&page={n}")/>
            }
                    .into_any())}
    }
}

/// The URL of the supervision view with its filters.
fn supervision_href(light: Option<Light>, department: Option<&str>) -> String {
    let mut q = ParamsMap::new();
    q.insert("view", "supervision".to_owned());
    if let Some(l) = light {
        q.insert("light", l.as_str().to_owned());
    }
    if let Some(d) = department.filter(|d| !d.is_empty()) {
        q.insert("department", d.to_owned());
    }
    format!("/staff{}", q.to_query_string())
}

#[component]
fn Supervision(admin: bool) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let light = Memo::new(move |_| query.read().get("light").and_then(|l| Light::parse(&l)));
    let department = Memo::new(move |_| query.read().get("department").filter(|d| !d.is_empty()));
    let list = Fetched::new(move || {
        api::supervision(SupervisionQuery {
            light: light.get(),
            department: department.get().map(DepartmentCode),
        })
    });
    let go = move |l: Option<Light>, d: Option<String>| {
        navigate(
            &supervision_href(l, d.as_deref()),
            NavigateOptions::default(),
        )
    };
    let go2 = go.clone();
    let picker = admin.then(|| {
        let departments = Fetched::new(api::departments);
        view! {
            <div class="field">
                <label for="supervision-department">{i18n.t(Key::FilterDepartment)}</label>
                <select id="supervision-department" data-testid="supervision-department"
                    on:change=move |ev| go2(light.get_untracked(), Some(event_target_value(&ev)))>
                    <option value="">{i18n.t(Key::AllDepartments)}</option>
                    {move || departments.get().and_then(Result::ok).map(|ds| ds.into_iter().map(|d| {
                        let code = d.code.to_string();
                        let selected = department.get_untracked().as_deref() == Some(code.as_str());
                        view! { <option value=code selected=selected>{i18n.text(&d.name)}</option> }
                    }).collect_view())}
                </select>
            </div>
        }
    });
    view! {
        <div class="filters-row">
            <div class="field">
                <label for="light-filter">{i18n.t(Key::LightFilter)}</label>
                <select id="light-filter" data-testid="light-filter"
                    on:change=move |ev| go(Light::parse(&event_target_value(&ev)), department.get_untracked())>
                    <option value="" selected=move || light.get().is_none()>{i18n.t(Key::LightYellowRed)}</option>
                    {[Light::Yellow, Light::Red].map(|l| view! {
                        <option value=l.as_str() selected=move || light.get() == Some(l)>{i18n.t(i18n::light(l))}</option>
                    }).collect_view()}
                </select>
            </div>
            {picker}
        </div>
        {listed(list, move |items| view! {
                {items.is_empty().then(|| view! { <p class="empty" data-testid="supervision-empty">{i18n.t(Key::SupervisionEmpty)}</p> })}
                <ul class="cards single" data-testid="supervision">
                    {items.into_iter().map(|app| view! { <ApplicationRow app show_applicant=true/> }).collect_view()}
                </ul>
            }
                    .into_any())}
    }
}
