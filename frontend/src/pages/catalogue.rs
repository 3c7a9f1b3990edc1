//! `/services`: the catalogue, filtered and paged by the URL query.

use crate::api;
use crate::app::set_title;
use crate::components::filter_bar::{CatalogueFilters, FilterBar};
use crate::components::pagination::Pagination;
use crate::components::service_card::ServiceCard;
use crate::fetched::{listed, Fetched};
use crate::i18n::{total_services, use_i18n, Key};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Catalogue() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t(Key::CatalogueTitle)(), i18n.lang()));
    let query = use_query_map();
    let filters = Memo::new(move |_| CatalogueFilters::from_query(&query.read()));
    let page = Fetched::new(move || api::services(filters.get().to_service_query()));
    view! {
        <div class="page catalogue">
            <h1>{i18n.t(Key::CatalogueTitle)}</h1>
            <FilterBar filters=filters/>
            {listed(page, move |p| {
                let f = filters.get_untracked();
                let empty = p.items.is_empty();
                view! {
                    <p class="count" role="status" data-testid="result-count">
                        {move || total_services(i18n.lang(), p.total)}
                    </p>
                    {empty.then(|| view! { <p class="empty">{i18n.t(Key::NoItems)}</p> })}
                    <ul class="cards" data-testid="service-list">
                        {p.items.into_iter().map(|item| view! { <ServiceCard item/> }).collect_view()}
                    </ul>
                    <Pagination
                        page=p.page
                        per_page=p.per_page
                        total=p.total
                        href=move |n| CatalogueFilters { page: n, ..f.clone() }.href()
                    />
                }
            })}
        </div>
    }
}
