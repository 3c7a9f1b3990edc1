//! `/staff?state=…&page=…`: the staff console, the department's queue of submitted
//! cases (oldest first) with a state filter and each case's light.

use crate::api;
use crate::app::set_title;
use crate::components::application_row::{ApplicationRow, StateFilter};
use crate::components::pagination::Pagination;
use crate::components::require_account::{Need, RequireAccount};
use crate::components::states::{ErrorView, Loading};
use crate::i18n::{use_i18n, Key};
use crate::pages::applications::list_href;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use onewindow_api::case::CaseState;

const PER_PAGE: u32 = 20;

#[component]
pub fn StaffConsole() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t(Key::StaffTitle)(), i18n.lang()));
    view! {
        <div class="page staff">
            <h1>{i18n.t(Key::StaffTitle)}</h1>
            <RequireAccount need=Need::Staff>
                <Queue/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn Queue() -> impl IntoView {
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
    let queue = LocalResource::new(move || api::staff_queue(state.get(), page.get(), PER_PAGE));
    view! {
        <StateFilter selected=state on_change=move |s| navigate(&list_href("/staff", s, 1), NavigateOptions::default())/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(p) => {
                        let s = state.get_untracked();
                        view! {
                            {p.items.is_empty().then(|| view! { <p class="empty">{i18n.t(Key::QueueEmpty)}</p> })}
                            <ul class="cards single" data-testid="queue">
                                {p.items.into_iter().map(|app| view! { <ApplicationRow app show_applicant=true/> }).collect_view()}
                            </ul>
                            <Pagination page=p.page per_page=p.per_page total=p.total href=move |n| list_href("/staff", s, n)/>
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorView error=e retry=Callback::new(move |_| queue.refetch())/> }.into_any(),
                }
            })}
        </Transition>
    }
}
