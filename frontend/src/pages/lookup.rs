//! `/lookup`: progress lookup without an account (办件进度查询) by application number
//! and the applicant's ID number: the state, every step with its date, the deadline.

use crate::api;
use crate::app::set_title;
use crate::components::case_badges::{LightBadge, StateBadge};
use crate::components::forms::TextField;
use crate::components::states::InlineError;
use crate::i18n::{datetime, days_left, use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::application::{LookupRequest, LookupResponse};
use onewindow_api::idnum::ResidentId;
use onewindow_api::ErrorCode;
use onewindow_client::ClientError;

#[component]
pub fn Lookup() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t(Key::LookupTitle)(), i18n.lang()));
    let number = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let number_error = RwSignal::new(None::<String>);
    let id_error = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<LookupResponse>);
    let not_found = RwSignal::new(None::<Key>);
    let failure = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = LookupRequest {
            number: number.get_untracked().trim().to_owned(),
            id_number: id_number.get_untracked().trim().to_uppercase(),
        };
        let lang = i18n.lang();
        number_error.set(
            req.number
                .is_empty()
                .then(|| crate::i18n::t(lang, Key::FillThisIn).to_owned()),
        );
        id_error.set(
            ResidentId::parse(&req.id_number)
                .is_err()
                .then(|| crate::i18n::t(lang, Key::ErrIdNumber).to_owned()),
        );
        if number_error.with_untracked(Option::is_some)
            || id_error.with_untracked(Option::is_some)
            || busy.get_untracked()
        {
            return;
        }
        busy.set(true);
        result.set(None);
        not_found.set(None);
        failure.set(None);
        spawn_local(async move {
            match api::lookup(req).await {
                Ok(r) => result.set(Some(r)),
                Err(e) if e.code() == Some(ErrorCode::NotFound) => {
                    not_found.set(Some(Key::LookupNotFound))
                }
                Err(e) if e.code() == Some(ErrorCode::RateLimited) => {
                    not_found.set(Some(Key::LookupLimited))
                }
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="page narrow lookup">
            <h1>{i18n.t(Key::LookupTitle)}</h1>
            <p class="lead">{i18n.t(Key::LookupIntro)}</p>
            <form class="card form" on:submit=submit novalidate>
                <TextField testid="lookup-number" label=Key::LookupNumber value=number error=number_error
                    autocomplete="off" maxlength=40 required=true/>
                <TextField testid="lookup-id" label=Key::LookupId value=id_number error=id_error
                    autocomplete="off" maxlength=18 required=true/>
                <p class="actions">
                    <button type="submit" data-testid="lookup-submit" disabled=move || busy.get()>{i18n.t(Key::LookupSubmit)}</button>
                </p>
            </form>
            {move || not_found.get().map(|k| view! { <p class="inline-error" role="alert" data-testid="lookup-miss">{i18n.t(k)}</p> })}
            <InlineError error=failure/>
            {move || result.get().map(|r| view! { <LookupResult r/> })}
        </div>
    }
}

#[component]
fn LookupResult(r: LookupResponse) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card lookup-result" aria-labelledby="lookup-result-heading" data-testid="lookup-result" aria-live="polite">
            <h2 id="lookup-result-heading">{i18n.text(&r.item_name)}</h2>
            <p class="code">{r.number.clone()}</p>
            <p class="badges" data-testid="lookup-state" data-state=r.state.as_str()><StateBadge state=r.state/></p>
            {r.deadline.clone().map(|d| {
                let left = d.working_days_left;
                view! {
                    <dl class="facts">
                        <div class="row"><dt>{i18n.t(Key::DueDate)}</dt><dd>{d.due.clone()}</dd></div>
                        <div class="row"><dt>{i18n.t(Key::DaysLeft)}</dt><dd>{move || days_left(i18n.lang(), left)}</dd></div>
                        <div class="row"><dt>{i18n.t(Key::DeadlineTitle)}</dt><dd><LightBadge deadline=d.clone()/></dd></div>
                    </dl>
                }
            })}
            <h3>{i18n.t(Key::Progress)}</h3>
            <ol class="timeline">
                {r.steps.into_iter().map(|s| view! {
                    <li class="timeline-entry" data-testid="lookup-step" data-state=s.state.as_str()>
                        <time datetime=s.at.clone()>{datetime(&s.at)}</time>
                        <div class="timeline-body"><StateBadge state=s.state/></div>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
