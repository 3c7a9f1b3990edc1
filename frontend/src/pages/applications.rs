//! `/applications?state=…&page=…`: the applicant's own applications (a business
//! member's: the company's), newest first, with a state filter.

use crate::api;
use crate::app::set_title;
use crate::components::application_row::{ApplicationRow, StateFilter};
use crate::components::pagination::Pagination;
use crate::components::require_account::{Need, RequireAccount};
use crate::components::states::{ErrorView, Loading};
use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use onewindow_api::case::CaseState;

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

#[component]
fn MyList() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let state = Memo::new(move |_| query.read().get("state").and_then(|s| CaseState::parse(&s)));
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    });
    let list = LocalResource::new(move || api::applications(state.get(), page.get(), PER_PAGE));
    view! {
        <StateFilter selected=state on_change=move |s| navigate(&list_href("/applications", s, 1), NavigateOptions::default())/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(p) => {
                        let s = state.get_untracked();
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
                                href=move |n| list_href("/applications", s, n)/>
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorView error=e retry=Callback::new(move |_| list.refetch())/> }.into_any(),
                }
            })}
        </Transition>
    }
}
