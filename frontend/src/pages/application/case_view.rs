//! A submitted case as its applicant or the department's staff see it: what happens
//! next, the deadline and its light, the delivery of the result, the correction notice
//! (and, for the applicant, the correction itself), withdrawal, the form and the files,
//! the timeline, and for the applicant the rating of a completed case, who to call about
//! it and a complaint.

use super::draft::EditView;
use super::review::{OpinionForm, OpinionsPanel, ResultFiles};
use super::staff::StaffPanel;
use crate::api;
use crate::components::case_badges::LightBadge;
use crate::components::channels::ChannelList;
use crate::components::notice::NoticeList;
use crate::components::rating::RatingPanel;
use crate::components::states::InlineError;
use crate::components::thread_form::ThreadStarter;
use crate::components::timeline::Timeline;
use crate::i18n::{self, file_size, use_i18n, Key};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::application::{day_passed, Application, FileKind};
use onewindow_api::case::{CaseAction, CaseState};
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::prereview::find_case;
use onewindow_api::rating::{case_can_be_rated, RatingSubject};
use onewindow_api::thread::{ThreadKind, ThreadSubject};
use onewindow_client::ClientError;

#[component]
pub fn CaseView(app: RwSignal<Application>, item: StoredValue<ServiceItem>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let staff = session.is_staff();
    let (id, state, actions, case) =
        app.with_untracked(|a| (a.id, a.state, a.actions.clone(), a.case.clone()));
    // Staff of the item's department lead the case; staff of another department see it
    // because they were consulted, and give their opinion instead of acting.
    let my_department = session
        .account
        .with_untracked(|a| a.as_ref().and_then(|a| a.department.clone()));
    let lead = staff && my_department == Some(item.with_value(|i| i.department.clone()));
    let correcting = !staff && actions.contains(&CaseAction::Resubmit);
    let can_withdraw = !staff && actions.contains(&CaseAction::Withdraw);
    let can_confirm = !staff && actions.contains(&CaseAction::ConfirmDelivery);
    let staff_actions = lead && !actions.is_empty();
    let rateable = app.with_untracked(|a| a.viewer_is_applicant) && case_can_be_rated(state);
    let can_issue = lead
        && matches!(
            state,
            CaseState::Approved | CaseState::ResultReady | CaseState::Mailed
        );
    let opinion_pending = move || {
        staff
            && !lead
            && app.with(|a| {
                a.opinions
                    .iter()
                    .any(|o| Some(&o.department) == my_department.as_ref() && o.opinion.is_none())
            })
    };

    let correction_notice = (state == CaseState::CorrectionRequired && !correcting).then(|| {
        view! {
            <NoticeList problems=Signal::derive(move || app.with(|a| a.notice.problems.clone()))
                item case=case.clone() title=Key::CorrectionTitle/>
        }
    });
    view! {
        {(!staff).then(|| view! {
            <section class="card next-steps" aria-labelledby="next-heading" data-testid="next-steps">
                <h2 id="next-heading">{i18n.t(Key::NextSteps)}</h2>
                <p>{i18n.t(i18n::next_step(state))}</p>
            </section>
        })}
        <DeadlineBox app/>
        <CorrectionDueBox app/>
        <DeliveryBox app/>
        {can_confirm.then(|| view! { <ConfirmReceipt app/> })}
        {staff_actions.then(|| view! { <StaffPanel app item/> })}
        {move || opinion_pending().then(|| view! { <OpinionForm app/> })}
        <OpinionsPanel app/>
        <ResultFiles app can_issue/>
        {correction_notice}
        {correcting.then(|| view! { <EditView app item/> })}
        {(!correcting).then(|| view! { <Submitted app item/> })}
        {can_withdraw.then(|| view! { <Withdraw app/> })}
        {rateable.then(|| view! { <RatingPanel subject=RatingSubject::Case(id)/> })}
        {(!staff).then(|| view! {
            <section class="card" aria-labelledby="complaint-heading" data-testid="case-channels">
                <h2 id="complaint-heading">{i18n.t(Key::Channels)}</h2>
                // Who to call about this case: the item's consultation channels.
                <h3>{i18n.t(Key::Consultation)}</h3>
                <ChannelList channels=item.with_value(|i| i.consultation.clone())/>
                <ThreadStarter kind=ThreadKind::Complaint subject=ThreadSubject::Case(id)/>
            </section>
        })}
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">{i18n.t(Key::History)}</h2>
            {move || view! { <Timeline entries=app.with(|a| a.timeline.clone())/> }}
        </section>
    }
}

#[component]
fn DeadlineBox(app: RwSignal<Application>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        app.with(|a| a.deadline.clone()).map(|d| {
            let left = d.working_days_left;
            // 法定期限: the latest the law allows, marked once it has passed.
            let legal = d.legal_due.clone().map(|legal| {
                let past = d.past_legal(i18n::today());
                view! {
                    <div class="row"><dt>{i18n.t(Key::LegalDueDate)}</dt>
                        <dd><span data-testid="legal-due-date">{legal}</span>
                            {past.then(|| view! { " " <span class="badge badge-bad" data-testid="legal-overdue">{i18n.t(Key::PastLegalLimit)}</span> })}
                        </dd></div>
                }
            });
            view! {
                <section class="card deadline" aria-labelledby="deadline-heading" data-testid="deadline">
                    <h2 id="deadline-heading">{i18n.t(Key::DeadlineTitle)}</h2>
                    <dl class="facts">
                        <div class="row"><dt>{i18n.t(Key::DueDate)}</dt><dd data-testid="due-date">{d.due.clone()}</dd></div>
                        <div class="row"><dt>{i18n.t(Key::DaysLeft)}</dt><dd>{move || i18n::days_left(i18n.lang(), left)}</dd></div>
                        <div class="row"><dt>{i18n.t(Key::DeadlineTitle)}</dt><dd><LightBadge deadline=d.clone()/></dd></div>
                        {legal}
                    </dl>
                </section>
            }
        })
    }
}

/// While a correction notice is open: the day to hand the correction in by, marked
/// once it has passed.
#[component]
fn CorrectionDueBox(app: RwSignal<Application>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        app.with(|a| a.correction_due.clone()).map(|due| {
            let overdue = day_passed(&due, i18n::today());
            view! {
                <section class="card deadline" aria-labelledby="correction-due-heading" data-testid="correction-due">
                    <h2 id="correction-due-heading">{i18n.t(Key::CorrectionDueTitle)}</h2>
                    <dl class="facts">
                        <div class="row"><dt>{i18n.t(Key::CorrectionDueTitle)}</dt>
                            <dd><span data-testid="correction-due-date">{due}</span>
                                {overdue.then(|| view! { " " <span class="badge badge-bad" data-testid="correction-overdue">{i18n.t(Key::CorrectionOverdue)}</span> })}
                            </dd></div>
                    </dl>
                    <p class="hint">{i18n.t(Key::CorrectionDueHint)}</p>
                </section>
            }
        })
    }
}

#[component]
fn DeliveryBox(app: RwSignal<Application>) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |label: Key, value: Option<String>, testid: &'static str| {
        value.map(|v| {
            view! {
                <div class="row"><dt>{i18n.t(label)}</dt><dd data-testid=testid>{v}</dd></div>
            }
        })
    };
    move || {
        app.with(|a| a.delivery.clone()).map(|d| {
            view! {
                <section class="card delivery" aria-labelledby="delivery-heading" data-testid="delivery">
                    <h2 id="delivery-heading">{i18n.t(Key::DeliveryTitle)}</h2>
                    <dl class="facts">
                        {row(Key::PickupCode, d.pickup_code, "pickup-code")}
                        {row(Key::PickupWindow, d.window, "pickup-window")}
                        {row(Key::Courier, d.courier, "courier")}
                        {row(Key::TrackingNumber, d.tracking_number, "tracking-number")}
                    </dl>
                </section>
            }
        })
    }
}

/// The form values and files as submitted, read-only.
#[component]
fn Submitted(app: RwSignal<Application>, item: StoredValue<ServiceItem>) -> impl IntoView {
    let i18n = use_i18n();
    let fields = move || {
        let form = app.with(|a| a.form.clone());
        item.with_value(|item| {
            item.form
                .iter()
                .map(|f| {
                    let value = form.get(&f.key).cloned().unwrap_or_default();
                    // A select shows its option's label, not its code.
                    let shown = f
                        .options
                        .iter()
                        .find(|o| o.value == value)
                        .map(|o| i18n.text(&o.label)());
                    let value = shown.unwrap_or(value);
                    view! { <div class="row"><dt>{i18n.text(&f.label)}</dt><dd>{value}</dd></div> }
                })
                .collect_view()
        })
    };
    let files = move || {
        let (id, case, files) = app.with(|a| (a.id, a.case.clone(), a.files.clone()));
        // Result documents have their own list.
        let files: Vec<_> = files
            .into_iter()
            .filter(|f| f.kind == FileKind::Material)
            .collect();
        item.with_value(|item| {
            let materials = find_case(item, &case).map(|c| c.materials.clone()).unwrap_or_default();
            materials
                .into_iter()
                .map(|m| {
                    let mine: Vec<_> = files.iter().filter(|f| f.slot == m.code).cloned().collect();
                    view! {
                        <li id=format!("slot-{}", m.code) tabindex="-1">
                            <strong>{i18n.text(&m.name)}</strong>
                            <ul class="plain">
                                {mine.into_iter().map(|f| view! {
                                    <li class="file" data-testid="submitted-file">
                                        <a href=api::file_url(id, f.id) target="_blank" rel="noopener">{f.name.clone()}</a>
                                        <span class="file-meta">{i18n::file_format(f.format)} " · " {file_size(f.size)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="card" aria-labelledby="form-values-heading">
            <h2 id="form-values-heading">{i18n.t(Key::FormValuesTitle)}</h2>
            <dl class="facts">{fields}</dl>
        </section>
        <section class="card" aria-labelledby="files-heading">
            <h2 id="files-heading">{i18n.t(Key::SubmittedFiles)}</h2>
            <ul class="plain slots-list">{files}</ul>
        </section>
    }
}

/// Withdrawal (撤回) before a decision, with the applicant's reason.
#[component]
fn Withdraw(app: RwSignal<Application>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let id = app.with_untracked(|a| a.id);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let note = reason.get_untracked().trim().to_owned();
        missing.set(note.is_empty());
        if note.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::withdraw_application(id, note).await {
                Ok(a) => app.set(a),
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card withdraw" aria-labelledby="withdraw-heading">
            <h2 id="withdraw-heading">{i18n.t(Key::Withdraw)}</h2>
            <p class="hint">{i18n.t(Key::WithdrawHint)}</p>
            <Show when=move || open.get() fallback=move || view! {
                <button type="button" class="secondary" data-testid="withdraw" on:click=move |_| open.set(true)>
                    {i18n.t(Key::Withdraw)}
                </button>
            }>
                <form class="form" on:submit=confirm novalidate>
                    <div class="field" class:has-error=move || missing.get()>
                        <label for="withdraw-reason">{i18n.t(Key::WithdrawReason)}
                            <span class="required-mark">" (" {i18n.t(Key::RequiredMark)} ")"</span></label>
                        <textarea id="withdraw-reason" data-testid="withdraw-reason" rows="3" maxlength="1000"
                            aria-required="true" aria-invalid=move || missing.get().then_some("true")
                            aria-describedby=move || missing.get().then_some("withdraw-reason-error")
                            prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        {move || missing.get().then(|| view! { <p class="field-error" id="withdraw-reason-error" role="alert">{i18n.t(Key::FillThisIn)}</p> })}
                    </div>
                    <InlineError error=failure/>
                    <p class="actions">
                        <button type="submit" class="danger" data-testid="withdraw-confirm" disabled=move || busy.get()>
                            {i18n.t(Key::WithdrawConfirm)}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| open.set(false)>{i18n.t(Key::Cancel)}</button>
                    </p>
                </form>
            </Show>
        </section>
    }
}

/// The applicant confirms that a mailed result arrived (确认收到), which completes the case.
#[component]
fn ConfirmReceipt(app: RwSignal<Application>) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let id = app.with_untracked(|a| a.id);
    let confirm = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::confirm_receipt(id).await {
                Ok(a) => app.set(a),
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card">
            <p class="actions">
                <button type="button" data-testid="confirm-receipt" disabled=move || busy.get() on:click=confirm>
                    {i18n.t(Key::ActConfirmDelivery)}
                </button>
            </p>
            <InlineError error=failure/>
        </section>
    }
}
