//! One application in a list (mine, or a department's queue): item, number, state, the
//! deadline light (and a mark once past the legal time limit), and by when an open
//! correction is due (marked once late).

use crate::components::case_badges::{LightBadge, StateBadge};
use crate::i18n::{datetime, use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::application::{day_passed, ApplicationSummary};

/// `show_applicant` adds the applicant's name, for the staff's queue.
#[component]
pub fn ApplicationRow(
    app: ApplicationSummary,
    #[prop(optional)] show_applicant: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/applications/{}", app.id);
    let number = app.number.clone();
    view! {
        <li class="card app-row" data-testid="app-row" data-id=app.id.to_string() data-state=app.state.as_str()>
            <h2><a href=href data-testid="app-row-link">{i18n.text(&app.item_name)}</a></h2>
            <p class="meta">
                {match number {
                    Some(n) => view! { <span class="code">{n}</span> }.into_any(),
                    None => view! { <span>{i18n.t(Key::ApplicationNumber)} {i18n.t(Key::Colon)} {i18n.t(Key::NumberPending)}</span> }.into_any(),
                }}
                {show_applicant.then(|| view! { " · " <span>{i18n.t(Key::Applicant)} {i18n.t(Key::Colon)} {app.applicant_name.clone()}</span> })}
            </p>
            <p class="badges">
                <StateBadge state=app.state/>
                {app.deadline.clone().map(|d| {
                    let past_legal = d.past_legal(crate::i18n::today());
                    view! {
                        <LightBadge deadline=d/>
                        {past_legal.then(|| view! {
                            " " <span class="badge badge-bad" data-testid="row-legal-overdue">{i18n.t(Key::PastLegalLimit)}</span>
                        })}
                    }
                })}
                {app.correction_due.clone().map(|due| {
                    let late = day_passed(&due, crate::i18n::today());
                    view! {
                        <span class=if late { "badge badge-bad" } else { "badge badge-warn" }
                            data-testid="row-correction-due" data-late=late.to_string()>
                            {i18n.t(Key::CorrectionDueTitle)} " " {due}
                            {late.then(|| view! { " · " {i18n.t(Key::CorrectionOverdue)} })}
                        </span>
                    }
                })}
            </p>
            <p class="meta">{i18n.t(Key::UpdatedAt)} " " {datetime(&app.updated_at)}</p>
        </li>
    }
}

/// The state filter of a list: every state, or all.
#[component]
pub fn StateFilter(
    #[prop(into)] selected: Signal<Option<onewindow_api::case::CaseState>>,
    on_change: impl Fn(Option<onewindow_api::case::CaseState>) + 'static,
) -> impl IntoView {
    use onewindow_api::case::CaseState;
    let i18n = use_i18n();
    view! {
        <div class="field state-filter">
            <label for="state-filter">{i18n.t(Key::StateFilter)}</label>
            <select id="state-filter" data-testid="state-filter"
                on:change=move |ev| on_change(CaseState::parse(&event_target_value(&ev)))>
                <option value="" selected=move || selected.get().is_none()>{i18n.t(Key::FilterAll)}</option>
                {CaseState::ALL.map(|s| view! {
                    <option value=s.as_str() selected=move || selected.get() == Some(s)>
                        {i18n.t(crate::i18n::case_state(s))}
                    </option>
                }).collect_view()}
            </select>
        </div>
    }
}
