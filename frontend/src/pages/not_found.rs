//! The page for any URL that is not a route.

use crate::app::set_title;
use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t(Key::NotFoundTitle)(), i18n.lang()));
    view! {
        <div class="page narrow">
            <h1>{i18n.t(Key::NotFoundTitle)}</h1>
            <p>{i18n.t(Key::NotFoundText)}</p>
            <p class="actions">
                <a class="button" href="/">{i18n.t(Key::GoHome)}</a>
                <a class="button secondary" href="/services">{i18n.t(Key::BrowseCatalogue)}</a>
            </p>
        </div>
    }
}
