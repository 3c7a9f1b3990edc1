//! The catalogue's filters. They live in the URL query, so that a filtered list can be
//! linked to and back/forward work; changing one starts again at page 1.

use crate::api;
use crate::fetched::Fetched;
use crate::i18n::{self, use_i18n, Key};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use onewindow_api::catalogue::{Audience, Level};
use onewindow_api::query::ServiceQuery;

/// The catalogue's filters and page, as read from and written to the URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CatalogueFilters {
    pub department: Option<String>,
    pub theme: Option<String>,
    pub audience: Option<Audience>,
    pub level: Option<Level>,
    pub online: bool,
    pub page: u32,
}

impl CatalogueFilters {
    /// Unknown values are ignored rather than sent: a hand-edited URL still shows a list.
    pub fn from_query(q: &ParamsMap) -> CatalogueFilters {
        let text = |k: &str| {
            q.get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        CatalogueFilters {
            department: text("department"),
            theme: text("theme"),
            audience: text("audience").and_then(|a| Audience::parse(&a)),
            level: text("level").and_then(|l| Level::parse(&l)),
            online: text("online").is_some_and(|o| o == "true"),
            page: text("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1),
        }
    }

    pub fn to_service_query(&self) -> ServiceQuery {
        ServiceQuery {
            department: self.department.as_deref().map(Into::into),
            theme: self.theme.as_deref().map(Into::into),
            audience: self.audience,
            level: self.level,
            online: self.online.then_some(true),
            page: Some(self.page),
            per_page: None,
        }
    }

    /// The catalogue URL of these filters, e.g. `/services?department=PSB&page=2`.
    pub fn href(&self) -> String {
        let mut p = ParamsMap::new();
        let mut put = |k: &'static str, v: Option<&str>| {
            if let Some(v) = v {
                p.insert(k, v.to_owned());
            }
        };
        put("department", self.department.as_deref());
        put("theme", self.theme.as_deref());
        put("audience", self.audience.map(Audience::as_str));
        put("level", self.level.map(Level::as_str));
        put("online", self.online.then_some("true"));
        put(
            "page",
            (self.page > 1).then(|| self.page.to_string()).as_deref(),
        );
        format!("/services{}", p.to_query_string())
    }

    pub fn is_empty(&self) -> bool {
        *self
            == CatalogueFilters {
                page: self.page,
                ..Default::default()
            }
    }
}

#[component]
pub fn FilterBar(#[prop(into)] filters: Signal<CatalogueFilters>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let departments = Fetched::new(api::departments);
    let themes = Fetched::new(api::themes);
    let apply = move |change: &dyn Fn(&mut CatalogueFilters)| {
        let mut f = filters.get_untracked();
        change(&mut f);
        f.page = 1;
        navigate(&f.href(), NavigateOptions::default());
    };
    let apply = StoredValue::new_local(apply);
    let set = move |change: fn(&mut CatalogueFilters, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            apply.with_value(|a| a(&|f| change(f, v.clone())));
        }
    };

    let department_options = move || {
        let selected = filters.read().department.clone();
        departments
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(move |d| {
                let code = d.code.to_string();
                let is = selected.as_deref() == Some(code.as_str());
                view! { <option value=code selected=is>{i18n.text(&d.name)}</option> }
            })
            .collect_view()
    };
    let theme_options = move || {
        let selected = filters.read().theme.clone();
        themes
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(move |t| {
                let code = t.code.to_string();
                let is = selected.as_deref() == Some(code.as_str());
                view! { <option value=code selected=is>{i18n.text(&t.name)}</option> }
            })
            .collect_view()
    };
    let audience_options = move || {
        let selected = filters.read().audience;
        [Audience::Individual, Audience::Business].map(|a| view! {
            <option value=a.as_str() selected=selected == Some(a)>{i18n.t(i18n::audience(a))}</option>
        }).collect_view()
    };
    let level_options = move || {
        let selected = filters.read().level;
        Level::ALL.map(|l| view! {
            <option value=l.as_str() selected=selected == Some(l)>{i18n.t(i18n::level(l))}</option>
        }).collect_view()
    };

    view! {
        <form class="filter-bar" aria-labelledby="filters-heading" on:submit=|ev| ev.prevent_default()>
            <h2 id="filters-heading" class="visually-hidden">{i18n.t(Key::Filters)}</h2>
            <div class="field">
                <label for="f-department">{i18n.t(Key::FilterDepartment)}</label>
                <select id="f-department" data-testid="filter-department"
                    on:change=set(move |f, v| f.department = non_empty(v))>
                    <option value="" selected=move || filters.read().department.is_none()>{i18n.t(Key::FilterAll)}</option>
                    {department_options}
                </select>
            </div>
            <div class="field">
                <label for="f-theme">{i18n.t(Key::FilterTheme)}</label>
                <select id="f-theme" on:change=set(move |f, v| f.theme = non_empty(v))>
                    <option value="" selected=move || filters.read().theme.is_none()>{i18n.t(Key::FilterAll)}</option>
                    {theme_options}
                </select>
            </div>
            <div class="field">
                <label for="f-audience">{i18n.t(Key::FilterAudience)}</label>
                <select id="f-audience" on:change=set(|f, v| f.audience = Audience::parse(&v))>
                    <option value="" selected=move || filters.read().audience.is_none()>{i18n.t(Key::FilterAll)}</option>
                    {audience_options}
                </select>
            </div>
            <div class="field">
                <label for="f-level">{i18n.t(Key::FilterLevel)}</label>
                <select id="f-level" on:change=set(|f, v| f.level = Level::parse(&v))>
                    <option value="" selected=move || filters.read().level.is_none()>{i18n.t(Key::FilterAll)}</option>
                    {level_options}
                </select>
            </div>
            <div class="field checkbox">
                <input id="f-online" type="checkbox"
                    prop:checked=move || filters.read().online
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        apply.with_value(|a| a(&|f| f.online = on));
                    }/>
                <label for="f-online">{i18n.t(Key::FilterOnline)}</label>
            </div>
            <Show when=move || !filters.read().is_empty()>
                <a class="button secondary reset" href="/services">{i18n.t(Key::FilterReset)}</a>
            </Show>
        </form>
    }
}

fn non_empty(v: String) -> Option<String> {
    (!v.is_empty()).then_some(v)
}
