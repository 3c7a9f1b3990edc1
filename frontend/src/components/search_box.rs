//! The search form: a labelled input and a submit button that go to `/search?q=…`.

use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

/// `initial` pre-fills the input (the current query on the results page); `prominent`
/// makes it the large box of the home page.
#[component]
pub fn SearchBox(
    #[prop(into)] initial: Signal<String>,
    #[prop(optional)] prominent: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let value = RwSignal::new(initial.get_untracked());
    // Follow the URL when it changes underneath (back/forward on the results page).
    Effect::new(move |_| value.set(initial.get()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = value.get_untracked().trim().to_owned();
        let mut params = ParamsMap::new();
        params.insert("q", q);
        navigate(
            &format!("/search{}", params.to_query_string()),
            NavigateOptions::default(),
        );
    };
    let id = if prominent {
        "search-home"
    } else {
        "search-page"
    };
    view! {
        <form role="search" class="search-box" class:prominent=prominent on:submit=on_submit>
            <label for=id>{i18n.t(Key::SearchLabel)}</label>
            <div class="search-row">
                <input
                    id=id
                    type="search"
                    name="q"
                    data-testid="search-input"
                    maxlength="100"
                    autocomplete="off"
                    enterkeyhint="search"
                    placeholder=i18n.t(Key::SearchPlaceholder)
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <button type="submit" data-testid="search-submit">{i18n.t(Key::SearchSubmit)}</button>
            </div>
        </form>
    }
}
