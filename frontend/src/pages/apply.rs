//! `/services/:code/apply`: the start of an online application (在线办理). The applicant
//! picks the handling case (业务办理项) that fits when the item has several; the draft
//! is created with what the account already knows (一号申办) and opened.

use crate::api;
use crate::app::set_title;
use crate::components::require_account::{Need, RequireAccount};
use crate::components::states::InlineError;
use crate::fetched::{shown, Fetched};
use crate::i18n::{use_i18n, Key};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use onewindow_api::account::{Account, Role};
use onewindow_api::application::{CreateApplicationRequest, FormValues, TOO_MANY_DRAFTS};
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::ids::UserId;
use onewindow_client::ClientError;

#[component]
pub fn Apply() -> impl IntoView {
    view! {
        <div class="page narrow apply">
            <RequireAccount need=Need::Applicant>
                <ApplyLoader/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn ApplyLoader() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let item = Fetched::new(move || api::service(code.get()));
    shown(item, true, |item| view! { <ChooseCase item/> })
}

/// The form values the account already answers: the applicant's name, ID number and
/// mobile number, and a business member's company.
fn prefill(item: &ServiceItem, account: &Account) -> FormValues {
    let company = account.company.as_ref();
    item.form
        .iter()
        .filter_map(|f| {
            let value = match f.key.as_str() {
                "applicant_name" | "contact_name" => Some(account.name.clone()),
                "id_number" => account.id_number.clone(),
                "phone" => Some(account.phone.clone()),
                "company_name" => company.map(|c| c.name.clone()),
                "credit_code" => company.map(|c| c.credit_code.clone()),
                _ => None,
            }?;
            Some((f.key.clone(), value))
        })
        .collect()
}

#[component]
fn ChooseCase(item: ServiceItem) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let name = item.name.clone();
    Effect::new(move |_| set_title(name.get(i18n.lang()), i18n.lang()));
    let guide = format!("/services/{}", item.code);
    if !item.online.apply_online || item.cases.is_empty() {
        return view! {
            <h1>{i18n.text(&item.name)}</h1>
            <p class="note" data-testid="not-online">{i18n.t(Key::ApplyNotOnline)}</p>
            <p><a href=guide>{i18n.t(Key::BackToGuide)}</a></p>
        }
        .into_any();
    }
    let from_query = query
        .read_untracked()
        .get("case")
        .and_then(|c| item.cases.iter().position(|x| x.code == c));
    let selected = RwSignal::new(from_query.unwrap_or(0));
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let item = StoredValue::new(item);

    let choices = item.with_value(|item| {
        item.cases
            .iter()
            .enumerate()
            .map(|(n, c)| {
                let id = format!("case-{}", c.code);
                let count = c.materials.len();
                view! {
                    <div class="choice">
                        <input type="radio" name="case" id=id.clone() value=c.code.clone()
                            data-testid="case-choice"
                            prop:checked=move || selected.get() == n
                            on:change=move |_| selected.set(n)/>
                        <label for=id>
                            <span class="choice-name">{i18n.text(&c.name)}</span>
                            <span class="choice-meta">{i18n.t(Key::Materials)} {i18n.t(Key::Colon)} {count}</span>
                        </label>
                    </div>
                }
            })
            .collect_view()
    });
    let several = item.with_value(|i| i.cases.len() > 1);
    // An agent (代办) may apply for a citizen who authorised them.
    let on_behalf = RwSignal::new(None::<UserId>);
    // Tracked: the page may render before the session has answered who is signed in.
    let principals = Fetched::new(move || {
        let me = session.account.with(|a| {
            a.as_ref()
                .filter(|a| matches!(a.role, Role::Citizen | Role::BusinessMember))
                .map(|a| a.id)
        });
        async move {
            match me {
                Some(me) => api::authorisations()
                    .await
                    .map(|all| {
                        all.into_iter()
                            .filter(|a| a.agent == me)
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let apply_for = move || {
        principals.get().filter(|p| !p.is_empty()).map(|p| {
            view! {
                <div class="field card">
                    <label for="apply-for">{i18n.t(Key::ApplyFor)}</label>
                    <select id="apply-for" data-testid="apply-for"
                        on:change=move |ev| on_behalf.set(event_target_value(&ev).parse::<i64>().ok().map(UserId))>
                        <option value="">{i18n.t(Key::Myself)}</option>
                        {p.into_iter().map(|a| view! {
                            <option value=a.principal.0.to_string()>{a.principal_name}</option>
                        }).collect_view()}
                    </select>
                </div>
            }
        })
    };
    let start = move |_| {
        if busy.get_untracked() {
            return;
        }
        let Some(account) = session.account.get_untracked() else {
            return;
        };
        let req = item.with_value(|item| {
            let case = &item.cases[selected.get_untracked().min(item.cases.len() - 1)];
            CreateApplicationRequest {
                item: item.code.clone(),
                case: case.code.clone(),
                // The signed-in agent's details are not the applicant's.
                form: match on_behalf.get_untracked() {
                    Some(_) => Default::default(),
                    None => prefill(item, &account),
                },
                on_behalf_of: on_behalf.get_untracked(),
            }
        });
        busy.set(true);
        failure.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::create_application(req).await {
                Ok(app) => navigate(
                    &format!("/applications/{}", app.id),
                    NavigateOptions::default(),
                ),
                Err(e) => {
                    failure.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <p class="code">{item.with_value(|i| i.code.to_string())}</p>
        <h1>{i18n.t(Key::ApplyTitle)} {i18n.t(Key::Colon)} {item.with_value(|i| i18n.text(&i.name))}</h1>
        <fieldset class="card choices" data-testid="case-choices" class:single=!several>
            <legend>{i18n.t(Key::ChooseCase)}</legend>
            {choices}
        </fieldset>
        {apply_for}
        <p class="hint">{i18n.t(Key::ApplyPrefill)}</p>
        {move || {
            let drafts_full = failure
                .with(|f| f.as_ref().and_then(ClientError::reason) == Some(TOO_MANY_DRAFTS));
            if drafts_full {
                view! {
                    <p class="inline-error" role="alert" data-testid="inline-error">
                        {i18n.t(Key::TooManyDraftsRefusal)} " "
                        <a href="/applications?state=draft">{i18n.t(Key::SeeMyDrafts)}</a>
                    </p>
                }
                .into_any()
            } else {
                view! { <InlineError error=failure/> }.into_any()
            }
        }}
        <p class="actions">
            <button type="button" data-testid="start-application" disabled=move || busy.get() on:click=start>
                {i18n.t(Key::ApplyStart)}
            </button>
            <a class="button secondary" href=guide>{i18n.t(Key::BackToGuide)}</a>
        </p>
    }
    .into_any()
}
