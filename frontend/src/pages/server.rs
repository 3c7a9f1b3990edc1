//! The app's server: the first-run screen (shown instead of every page until a server is
//! chosen) and `/settings/server`, which changes it. The shell checks the address
//! (HTTPS except on this computer) and that a OneWindow server answers there before it
//! keeps it. In a browser the page's own server is the server, and the page says so.

use crate::api;
use crate::app::set_title;
use crate::i18n::{t, use_i18n, Key};
use crate::session::use_session;
use crate::shell::use_shell;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// Shown instead of the app until the first run has chosen a server.
#[component]
pub fn FirstRun() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t(i18n.lang(), Key::ServerSetupTitle), i18n.lang()));
    view! {
        <div class="page narrow server-setup" data-testid="first-run">
            <h1>{i18n.t(Key::ServerSetupTitle)}</h1>
            <p>{i18n.t(Key::ServerSetupIntro)}</p>
            <ServerForm/>
        </div>
    }
}

/// `/settings/server`
#[component]
pub fn ServerSettings() -> impl IntoView {
    let i18n = use_i18n();
    let shell = use_shell();
    Effect::new(move |_| set_title(t(i18n.lang(), Key::ServerSettingsTitle), i18n.lang()));
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    view! {
        <div class="page narrow server-setup">
            <h1>{i18n.t(Key::ServerSettingsTitle)}</h1>
            {move || if shell.in_app {
                let current = shell.server.get().flatten().unwrap_or_default();
                view! {
                    <p>{i18n.t(Key::ServerCurrent)} {i18n.t(Key::Colon)}
                        <strong class="code" data-testid="server-current">{current}</strong></p>
                    <ServerForm/>
                }.into_any()
            } else {
                let origin = origin.clone();
                view! {
                    <p data-testid="server-in-browser">{i18n.t(Key::ServerInBrowser)} " "
                        <strong class="code">{origin}</strong></p>
                }.into_any()
            }}
        </div>
    }
}

/// The address field and its check; on success the app uses the new server at once.
#[component]
fn ServerForm() -> impl IntoView {
    let i18n = use_i18n();
    let shell = use_shell();
    let session = use_session();
    let navigate = use_navigate();
    let url = RwSignal::new(shell.server.get_untracked().flatten().unwrap_or_default());
    let failure = RwSignal::new(None::<api::InvokeError>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        let navigate = navigate.clone();
        let wanted = url.get_untracked();
        spawn_local(async move {
            match api::set_shell_server(wanted).await {
                Ok(kept) => {
                    url.set(kept.clone());
                    shell.server.set(Some(Some(kept)));
                    // Whoever was signed in belongs to the old server's session.
                    session.refresh();
                    navigate("/", NavigateOptions::default());
                }
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let message = move || {
        failure.get().map(|e| {
            let lang = i18n.lang();
            let text = match e.code.as_str() {
                "invalid_server_url" => t(lang, Key::ServerUrlInvalid).to_owned(),
                "unreachable" => t(lang, Key::ServerUnreachable).to_owned(),
                _ => e.message.clone(),
            };
            view! {
                <p class="inline-error" role="alert" id="server-url-error" data-testid="server-error"
                    data-code=e.code.clone()>{text}</p>
            }
        })
    };
    view! {
        <form class="card form" on:submit=on_submit novalidate>
            <div class="field">
                <label for="server-url">{i18n.t(Key::ServerUrlLabel)}</label>
                <p class="hint" id="server-url-hint">{i18n.t(Key::ServerUrlHint)}</p>
                <input id="server-url" type="url" inputmode="url" autocomplete="url"
                    data-testid="server-url" placeholder="https://" required
                    aria-describedby=move || if failure.with(Option::is_some) {
                        "server-url-hint server-url-error"
                    } else {
                        "server-url-hint"
                    }
                    aria-invalid=move || failure.with(Option::is_some).to_string()
                    prop:value=move || url.get()
                    on:input=move |ev| url.set(event_target_value(&ev))/>
            </div>
            {message}
            <p class="actions">
                <button type="submit" data-testid="server-save" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t(Key::ServerChecking)() } else { i18n.t(Key::ServerSave)() }}
                </button>
            </p>
        </form>
    }
}
