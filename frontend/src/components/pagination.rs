//! Previous / next links with "page X of Y". Links, not buttons: every page has a URL.

use crate::i18n::{page_of, use_i18n, Key};
use leptos::prelude::*;

/// `href(n)` gives the URL of page `n`; nothing is shown when everything fits on one page.
#[component]
pub fn Pagination(
    page: u32,
    per_page: u32,
    total: u64,
    href: impl Fn(u32) -> String + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let pages = total.div_ceil(u64::from(per_page.max(1))).max(1) as u32;
    let page = page.clamp(1, pages);
    let prev = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=i18n.t(Key::Pagination)>
                {match prev {
                    Some(h) => view! { <a class="button secondary" rel="prev" href=h>{i18n.t(Key::PagePrev)}</a> }.into_any(),
                    None => view! { <span class="button secondary disabled">{i18n.t(Key::PagePrev)}</span> }.into_any(),
                }}
                <span class="page-of" aria-current="page">{move || page_of(i18n.lang(), page, pages)}</span>
                {match next {
                    Some(h) => view! { <a class="button secondary" rel="next" href=h>{i18n.t(Key::PageNext)}</a> }.into_any(),
                    None => view! { <span class="button secondary disabled">{i18n.t(Key::PageNext)}</span> }.into_any(),
                }}
            </nav>
        }
    })
}
