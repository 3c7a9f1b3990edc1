//! Loading and error states. Errors say what happened and what to do next, and show
//! the server's own `{code, message}` when there is one.

use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::ErrorCode;
use onewindow_client::ClientError;
use onewindow_ui::text::error_advice;

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {i18n.t(Key::Loading)}
        </p>
    }
}

/// A failed request: a plain explanation, the server's message, and a way forward.
/// `retry` reloads the data; without it the user is sent home. `whole_page` makes the
/// title the page's `h1`, for errors that replace a whole page.
#[component]
pub fn ErrorView(
    error: ClientError,
    #[prop(optional)] retry: Option<Callback<()>>,
    #[prop(optional)] whole_page: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (advice, detail) = match &error {
        ClientError::Network(_) => (Key::ErrorNetwork, None),
        ClientError::Api { body, .. } => (
            error_advice(body.code),
            Some(format!("{} ({})", body.message, code_name(body.code))),
        ),
        ClientError::Unexpected { .. } => (Key::ErrorUnexpected, None),
    };
    let not_found = error.code() == Some(ErrorCode::NotFound);
    view! {
        <div class="error-box" role="alert" data-testid="error">
            {if whole_page {
                view! { <h1>{i18n.t(Key::ErrorTitle)}</h1> }.into_any()
            } else {
                view! { <h2>{i18n.t(Key::ErrorTitle)}</h2> }.into_any()
            }}
            <p>{i18n.t(advice)}</p>
            {detail.map(|d| view! { <p class="error-detail"><code>{d}</code></p> })}
            <p class="actions">
                {retry.filter(|_| !not_found).map(|retry| view! {
                    <button type="button" on:click=move |_| retry.run(())>{i18n.t(Key::Retry)}</button>
                })}
                {not_found.then(|| view! {
                    <a class="button secondary" href="/services">{i18n.t(Key::BrowseCatalogue)}</a>
                })}
                <a class="button secondary" href="/">{i18n.t(Key::GoHome)}</a>
            </p>
        </div>
    }
}

/// The wire name of an error code, e.g. `not_found`, for support calls.
fn code_name(code: ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{code:?}"))
}

/// A failed request in one line, for errors inside a form rather than over a page.
pub fn error_message(lang: onewindow_api::Lang, error: &ClientError) -> String {
    use crate::i18n::t;
    match error {
        ClientError::Network(_) => t(lang, Key::ErrorNetwork).to_owned(),
        ClientError::Api { body, .. } => format!(
            "{} {} ({})",
            t(lang, error_advice(body.code)),
            body.message,
            code_name(body.code)
        ),
        ClientError::Unexpected { .. } => t(lang, Key::ErrorUnexpected).to_owned(),
    }
}

/// An inline error that is announced when it appears.
#[component]
pub fn InlineError(#[prop(into)] error: Signal<Option<ClientError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| {
            view! { <p class="inline-error" role="alert" data-testid="inline-error">{error_message(i18n.lang(), &e)}</p> }
        })
    }
}
