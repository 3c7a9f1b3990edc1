//! `/agents` (代办授权): for citizens, the people they authorised to apply for them
//! (revocable) and a form to authorise someone by their phone number; for citizens and
//! business members, the citizens who authorised them.

use crate::api;
use crate::app::set_title;
use crate::components::require_account::{Need, RequireAccount};
use crate::components::states::InlineError;
use crate::fetched::{listed, Fetched};
use crate::i18n::{datetime, use_i18n, Key};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::account::{is_mobile_number, Role};
use onewindow_api::wallet::Authorisation;
use onewindow_client::ClientError;

#[component]
pub fn Agents() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t(Key::AgentsTitle)(), i18n.lang()));
    view! {
        <div class="page agents">
            <h1>{i18n.t(Key::AgentsTitle)}</h1>
            <p class="intro">{i18n.t(Key::AgentsIntro)}</p>
            <RequireAccount need=Need::Applicant>
                <AgentsBody/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn AgentsBody() -> impl IntoView {
    let i18n = use_i18n();
    let (me, citizen) = use_session().account.with_untracked(|a| {
        (
            a.as_ref().map(|a| a.id),
            a.as_ref().is_some_and(|a| a.role == Role::Citizen),
        )
    });
    let list = Fetched::new(api::authorisations);
    let refetch = Callback::new(move |_| list.refetch());
    view! {
        // Only citizens authorise agents; a business member can be one.
        {citizen.then(|| view! { <AuthoriseForm done=refetch/> })}
        {listed(list, move |all| {
            let (given, received): (Vec<_>, Vec<_>) =
                all.into_iter().partition(|a| Some(a.principal) == me);
            view! {
                {citizen.then(|| view! {
                    <section class="card" aria-labelledby="given-heading">
                        <h2 id="given-heading">{i18n.t(Key::AgentsGiven)}</h2>
                        {given.is_empty().then(|| view! { <p class="empty">{i18n.t(Key::AgentsNone)}</p> })}
                        <ul class="plain" data-testid="agents-given">
                            {given.into_iter().map(|a| view! { <Given auth=a revoked=refetch/> }).collect_view()}
                        </ul>
                    </section>
                })}
                <section class="card" aria-labelledby="received-heading">
                    <h2 id="received-heading">{i18n.t(Key::AgentsReceived)}</h2>
                    {received.is_empty().then(|| view! { <p class="empty">{i18n.t(Key::AgentsNone)}</p> })}
                    <ul class="plain" data-testid="agents-received">
                        {received.into_iter().map(|a| view! {
                            <li data-testid="agent-received">{a.principal_name} " · " {datetime(&a.created_at)}</li>
                        }).collect_view()}
                    </ul>
                </section>
            }
            .into_any()
        })}
    }
}

/// Authorise someone by phone number.
#[component]
fn AuthoriseForm(done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let phone = RwSignal::new(String::new());
    // What is wrong with the number typed, if anything.
    let problem = RwSignal::new(None::<Key>);
    let input = NodeRef::<leptos::html::Input>::new();
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = phone.get_untracked().trim().to_owned();
        problem.set(if p.is_empty() {
            Some(Key::FillThisIn)
        } else if !is_mobile_number(&p) {
            Some(Key::ErrPhone)
        } else {
            None
        });
        if problem.with_untracked(Option::is_some) {
            if let Some(input) = input.get_untracked() {
                let _ = input.focus();
            }
            return;
        }
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::authorise_agent(p).await {
                Ok(_) => {
                    phone.set(String::new());
                    done.run(());
                }
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form card" on:submit=submit novalidate>
            <div class="field" class:has-error=move || problem.with(Option::is_some)>
                <label for="agent-phone">{i18n.t(Key::AgentPhone)}</label>
                <input id="agent-phone" node_ref=input type="tel" inputmode="numeric" autocomplete="off" maxlength="20"
                    data-testid="agent-phone" aria-required="true"
                    aria-invalid=move || problem.with(Option::is_some).then_some("true")
                    aria-describedby=move || problem.with(Option::is_some).then_some("agent-phone-error")
                    prop:value=move || phone.get() on:input=move |ev| phone.set(event_target_value(&ev))/>
                {move || problem.get().map(|k| view! { <p class="field-error" id="agent-phone-error">{i18n.t(k)}</p> })}
            </div>
            <InlineError error=failure/>
            <p class="actions">
                <button type="submit" data-testid="agent-authorise" disabled=move || busy.get()>{i18n.t(Key::Authorise)}</button>
            </p>
        </form>
    }
}

#[component]
fn Given(auth: Authorisation, revoked: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let id = auth.id;
    let revoke = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::revoke_agent(id).await {
                Ok(()) => revoked.run(()),
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <li class="agent" data-testid="agent-given">
            <span>{auth.agent_name.clone()} " " <span class="code">{auth.agent_phone_masked.clone()}</span>
                " · " {datetime(&auth.created_at)}</span>
            " "
            <button type="button" class="secondary small" data-testid="agent-revoke" disabled=move || busy.get()
                aria-label=move || format!("{} {}", i18n.t(Key::Revoke)(), auth.agent_name)
                on:click=revoke>{i18n.t(Key::Revoke)}</button>
            <InlineError error=failure/>
        </li>
    }
}
