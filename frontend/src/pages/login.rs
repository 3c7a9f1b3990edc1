//! `/login?next=…`: sign in with the mobile number or ID number and the password, then
//! go back to the page that asked for it.

use crate::api;
use crate::app::set_title;
use crate::components::forms::{server_field_errors, TextField};
use crate::components::states::InlineError;
use crate::i18n::{use_i18n, Key};
use crate::session::{safe_next, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use onewindow_api::account::LoginRequest;
use onewindow_api::ErrorCode;
use onewindow_client::ClientError;

#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| set_title(i18n.t(Key::LoginTitle)(), i18n.lang()));
    let query = use_query_map();
    let next = Memo::new(move |_| safe_next(query.read().get("next")));
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let field_errors = RwSignal::new(Vec::new());
    let failure = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);

    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            field_errors.with(|errs: &Vec<onewindow_api::FieldError>| {
                errs.iter()
                    .find(|e| e.field == field)
                    .map(|_| i18n.t(Key::FillThisIn)().to_owned())
            })
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let req = LoginRequest {
            login: login.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        let mut missing = Vec::new();
        if req.login.is_empty() {
            missing.push(onewindow_api::FieldError::new("login", "required", ""));
        }
        if req.password.is_empty() {
            missing.push(onewindow_api::FieldError::new("password", "required", ""));
        }
        field_errors.set(missing.clone());
        if !missing.is_empty() {
            return;
        }
        busy.set(true);
        wrong.set(false);
        failure.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::login(req).await {
                Ok(account) => {
                    let home = onewindow_ui::nav::home(account.role);
                    session.account.set(Some(account));
                    session.ready.set(true);
                    let to = next.get_untracked().unwrap_or_else(|| home.to_owned());
                    navigate(&to, NavigateOptions::default());
                }
                Err(e) if e.code() == Some(ErrorCode::InvalidCredentials) => wrong.set(true),
                Err(e) => {
                    field_errors.set(server_field_errors(&e));
                    failure.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let register_href = move || {
        let mut q = ParamsMap::new();
        if let Some(n) = next.get() {
            q.insert("next", n);
        }
        format!("/register{}", q.to_query_string())
    };
    view! {
        <div class="page narrow auth">
            <h1>{i18n.t(Key::LoginTitle)}</h1>
            {move || next.get().is_some().then(|| view! { <p class="note">{i18n.t(Key::LoginNeeded)}</p> })}
            <form class="card form" on:submit=on_submit novalidate>
                <TextField testid="login-id" label=Key::LoginId value=login error=error_of("login")
                    autocomplete="username" required=true/>
                <TextField testid="login-password" label=Key::Password value=password error=error_of("password")
                    kind="password" autocomplete="current-password" required=true/>
                {move || wrong.get().then(|| view! {
                    <p class="inline-error" role="alert" data-testid="login-failed">{i18n.t(Key::LoginFailed)}</p>
                })}
                <InlineError error=failure/>
                <p class="actions">
                    <button type="submit" data-testid="login-submit" disabled=move || busy.get()>
                        {i18n.t(Key::LoginSubmit)}
                    </button>
                </p>
            </form>
            <p>{i18n.t(Key::NoAccountYet)} " " <a href=register_href data-testid="to-register">{i18n.t(Key::RegisterNow)}</a></p>
        </div>
    }
}
