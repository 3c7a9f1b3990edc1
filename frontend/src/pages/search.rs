//! `/search?q=…`: ranked hits, a "did you mean" note for fuzzy hits, and a way on when
//! nothing is found.

use crate::api;
use crate::app::set_title;
use crate::components::pagination::Pagination;
use crate::components::search_box::SearchBox;
use crate::components::service_card::ServiceCard;
use crate::fetched::{listed, Fetched};
use crate::i18n::{search_count, use_i18n, Key};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use onewindow_api::query::{SearchQuery, SearchResponse};

#[component]
pub fn SearchResults() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t(Key::SearchTitle)(), i18n.lang()));
    let query = use_query_map();
    let q = Memo::new(move |_| {
        query
            .read()
            .get("q")
            .map(|q| q.trim().to_owned())
            .unwrap_or_default()
    });
    let page = Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<u32>().ok()));
    let results = Fetched::new(move || {
        let (q, page) = (q.get(), page.get());
        async move {
            // An empty query is not an error the server should have to explain.
            if q.is_empty() {
                return Ok(None);
            }
            api::search(SearchQuery {
                q,
                page,
                ..Default::default()
            })
            .await
            .map(Some)
        }
    });

    view! {
        <div class="page search">
            <h1>{i18n.t(Key::SearchTitle)}</h1>
            <SearchBox initial=q/>
            {listed(results, move |answer| match answer {
                Some(r) => view! { <Hits response=r/> }.into_any(),
                None => view! { <p class="empty">{i18n.t(Key::SearchEmptyQuery)}</p> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn Hits(response: SearchResponse) -> impl IntoView {
    let i18n = use_i18n();
    let SearchResponse {
        query,
        hits,
        total,
        page,
        per_page,
    } = response;
    if hits.is_empty() {
        return view! {
            <div class="nothing-found" data-testid="nothing-found">
                <h2>{i18n.t(Key::SearchNothing)}</h2>
                <p>{i18n.t(Key::SearchNothingHint)}</p>
                <p class="actions">
                    <a class="button" href="/services">{i18n.t(Key::BrowseCatalogue)}</a>
                    <a class="button secondary" href="/">{i18n.t(Key::GoHome)}</a>
                </p>
            </div>
        }
        .into_any();
    }
    // The fallback only runs when nothing matched exactly, so all hits are then fuzzy.
    let fuzzy = hits.iter().any(|h| h.fuzzy);
    let count_query = query.clone();
    view! {
        <p class="count" role="status" data-testid="result-count">
            {move || search_count(i18n.lang(), &count_query, total)}
        </p>
        {fuzzy.then(|| view! { <p class="note" data-testid="fuzzy-note">{i18n.t(Key::SearchFuzzyNote)}</p> })}
        <ul class="cards" data-testid="service-list">
            {hits.into_iter().map(|h| view! { <ServiceCard item=h.item fuzzy=h.fuzzy/> }).collect_view()}
        </ul>
        <Pagination page per_page total href=move |n| {
            let mut p = ParamsMap::new();
            p.insert("q", query.clone());
            if n > 1 {
                p.insert("page", n.to_string());
            }
            format!("/search{}", p.to_query_string())
        }/>
    }
    .into_any()
}
