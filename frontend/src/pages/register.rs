//! `/register`: a citizen account, or a business member with the company's unified
//! social credit code and name. The contract's own rules check every field before the
//! request; the server's field errors show beside the same fields.

use crate::api;
use crate::app::set_title;
use crate::components::forms::{server_field_errors, TextField};
use crate::components::states::InlineError;
use crate::i18n::{t, use_i18n, Key};
use crate::session::{safe_next, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use onewindow_api::account::{CompanyInput, RegisterRequest};
use onewindow_api::{ErrorCode, FieldError};
use onewindow_client::ClientError;

/// The interface text for a field the rules or the server refused.
fn field_key(field: &str) -> Option<Key> {
    Some(match field {
        "id_number" => Key::ErrIdNumber,
        "name" => Key::ErrName,
        "phone" => Key::ErrPhone,
        "password" => Key::ErrPassword,
        "company.credit_code" => Key::ErrCreditCode,
        "company.name" => Key::ErrCompanyName,
        _ => return None,
    })
}

#[component]
pub fn Register() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| set_title(i18n.t(Key::RegisterTitle)(), i18n.lang()));
    let query = use_query_map();
    let next = Memo::new(move |_| safe_next(query.read().get("next")));
    let id_number = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let business = RwSignal::new(false);
    let credit_code = RwSignal::new(String::new());
    let company_name = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let conflict = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);

    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|errs| {
                errs.iter()
                    .find(|e| e.field == field)
                    .map(|e| match field_key(field) {
                        Some(k) => t(i18n.lang(), k).to_owned(),
                        None => e.message.clone(),
                    })
            })
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let req = RegisterRequest {
            id_number: id_number.get_untracked().trim().to_uppercase(),
            name: name.get_untracked(),
            phone: phone.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            company: business.get_untracked().then(|| CompanyInput {
                credit_code: credit_code.get_untracked().trim().to_uppercase(),
                name: company_name.get_untracked(),
            }),
            lang: Some(i18n.0.get_untracked()),
        };
        conflict.set(false);
        failure.set(None);
        // The same rules the server runs: every problem at once, before any request.
        if let Err(errs) = req.validate(crate::i18n::today()) {
            errors.set(errs);
            return;
        }
        errors.set(Vec::new());
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::register(req).await {
                Ok(account) => {
                    session.account.set(Some(account));
                    session.ready.set(true);
                    let to = next
                        .get_untracked()
                        .unwrap_or_else(|| "/applications".to_owned());
                    navigate(&to, NavigateOptions::default());
                }
                Err(e) if e.code() == Some(ErrorCode::Conflict) => conflict.set(true),
                Err(e) => {
                    let fields = server_field_errors(&e);
                    if fields.is_empty() {
                        failure.set(Some(e));
                    }
                    errors.set(fields);
                }
            }
            busy.set(false);
        });
    };
    view! {
        <div class="page narrow auth">
            <h1>{i18n.t(Key::RegisterTitle)}</h1>
            <form class="card form" on:submit=on_submit novalidate>
                {move || errors.with(|e| !e.is_empty()).then(|| view! {
                    <p class="inline-error" role="alert">{i18n.t(Key::FixMarked)}</p>
                })}
                <TextField testid="reg-id-number" label=Key::IdNumber value=id_number error=error_of("id_number")
                    maxlength=18 autocomplete="off" required=true/>
                <TextField testid="reg-name" label=Key::FullName value=name error=error_of("name")
                    autocomplete="name" maxlength=64 required=true/>
                <TextField testid="reg-phone" label=Key::MobilePhone value=phone error=error_of("phone")
                    kind="tel" inputmode="numeric" autocomplete="tel" maxlength=11 required=true/>
                <TextField testid="reg-password" label=Key::Password value=password error=error_of("password")
                    kind="password" autocomplete="new-password" hint=Key::PasswordHint required=true/>
                <div class="field checkbox">
                    <input id="reg-business" type="checkbox" data-testid="reg-business"
                        prop:checked=move || business.get()
                        on:change=move |ev| business.set(event_target_checked(&ev))/>
                    <label for="reg-business">{i18n.t(Key::AsBusiness)}</label>
                </div>
                <Show when=move || business.get()>
                    <TextField testid="reg-credit-code" label=Key::CreditCode value=credit_code
                        error=error_of("company.credit_code") maxlength=18 autocomplete="off" required=true/>
                    <TextField testid="reg-company-name" label=Key::CompanyName value=company_name
                        error=error_of("company.name") autocomplete="organization" maxlength=64 required=true/>
                </Show>
                {move || conflict.get().then(|| view! {
                    <p class="inline-error" role="alert" data-testid="register-conflict">
                        {i18n.t(Key::ErrConflict)} " " <a href="/login">{i18n.t(Key::NavLogin)}</a>
                    </p>
                })}
                <InlineError error=failure/>
                <p class="actions">
                    <button type="submit" data-testid="reg-submit" disabled=move || busy.get()>
                        {i18n.t(Key::RegisterSubmit)}
                    </button>
                </p>
            </form>
            <p>{i18n.t(Key::HaveAccount)} " " <a href="/login">{i18n.t(Key::NavLogin)}</a></p>
        </div>
    }
}
