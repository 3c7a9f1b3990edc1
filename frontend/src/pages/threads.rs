//! `/threads?page=…`: the citizen's questions and complaints (我的咨询投诉), latest
//! activity first, each with its kind and state in words.

use crate::api;
use crate::app::set_title;
use crate::components::pagination::Pagination;
use crate::components::require_account::{Need, RequireAccount};
use crate::components::thread_parts::ThreadBadges;
use crate::fetched::{listed, Fetched};
use crate::i18n::{datetime, t, use_i18n, Key};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use onewindow_api::thread::Thread;

#[component]
pub fn MyThreads() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t(i18n.lang(), Key::MyThreads), i18n.lang()));
    view! {
        <div class="page narrow threads">
            <h1>{i18n.t(Key::MyThreads)}</h1>
            <RequireAccount need=Need::Applicant>
                <ThreadList/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn ThreadList() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    });
    let list = Fetched::new(move || api::my_threads(page.get()));
    view! {
        {listed(list, move |answer| match answer {
            p if p.total == 0 => view! { <p class="note" data-testid="no-threads">{i18n.t(Key::NoThreads)}</p> }.into_any(),
            p => view! {
                <ul class="thread-list">
                    {p.items.into_iter().map(|t| view! { <ThreadRow t/> }).collect_view()}
                </ul>
                <Pagination page=p.page per_page=p.per_page total=p.total
                    href=page_href/>
            }.into_any(),
        })}
    }
}

/// The URL of page `n` of the list.
fn page_href(n: u32) -> String {
    if n > 1 {
        format!("/threads?page={n}")
    } else {
        "/threads".to_owned()
    }
}

#[component]
pub fn ThreadRow(t: Thread) -> impl IntoView {
    view! {
        <li class="card thread-row" data-testid="thread-row" data-state=t.state.as_str()>
            <a href=format!("/threads/{}", t.id)>{t.title.clone()}</a>
            <ThreadBadges kind=t.kind state=t.state/>
            <p class="meta"><time datetime=t.updated_at.clone()>{datetime(&t.updated_at)}</time></p>
        </li>
    }
}
