//! The staff's actions on a case, shown from the case's `actions`: accept, the correction
//! notice (a small editor of problems, each aimed at a field or a material slot), refuse
//! or reject with a reason, start the review (with the departments to consult), approve, issue for pickup at a window,
//! mail with courier and tracking number, confirm the pickup.

use super::review::ConsultPicker;
use crate::api;
use crate::components::forms::server_field_errors;
use crate::components::notice::target_name;
use crate::components::states::InlineError;
use crate::i18n::{self, use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::application::{Application, CorrectionItem, NoticeTarget, TransitionRequest};
use onewindow_api::case::{Actor, CaseAction};
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::ids::DepartmentCode;
use onewindow_api::prereview::find_case;
use onewindow_api::Text;
use onewindow_client::ClientError;

/// What an action needs besides the press of its button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Nothing,
    OptionalNote,
    Reason,
    Window,
    Courier,
    Problems,
    /// The departments to consult (none is fine).
    Consult,
}

fn needs(action: CaseAction) -> Needs {
    match action {
        CaseAction::RequestCorrection => Needs::Problems,
        CaseAction::RefuseAcceptance | CaseAction::Reject | CaseAction::Suspend => Needs::Reason,
        CaseAction::Approve => Needs::OptionalNote,
        CaseAction::IssueForPickup => Needs::Window,
        CaseAction::Mail => Needs::Courier,
        CaseAction::StartReview => Needs::Consult,
        _ => Needs::Nothing,
    }
}

fn request(action: CaseAction) -> TransitionRequest {
    TransitionRequest {
        action,
        note: String::new(),
        problems: Vec::new(),
        window: None,
        courier: None,
        tracking_number: None,
        consult: Vec::new(),
    }
}

#[component]
pub fn StaffPanel(app: RwSignal<Application>, item: StoredValue<ServiceItem>) -> impl IntoView {
    let i18n = use_i18n();
    let actions: Vec<CaseAction> = app.with_untracked(|a| {
        a.actions
            .iter()
            .copied()
            .filter(|a| a.actor() == Actor::Staff)
            .collect()
    });
    let open = RwSignal::new(None::<CaseAction>);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let id = app.with_untracked(|a| a.id);
    let own = item.with_value(|i| i.department.clone());

    let send = move |req: TransitionRequest| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::transition(id, req).await {
                Ok(a) => app.set(a),
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let buttons = actions
        .iter()
        .map(|&action| {
            let class = match action {
                CaseAction::RefuseAcceptance | CaseAction::Reject => "secondary danger-outline",
                _ => "",
            };
            view! {
                <button type="button" class=class data-testid=format!("action-{}", action.as_str())
                    aria-expanded=move || (needs(action) != Needs::Nothing).then(|| (open.get() == Some(action)).to_string())
                    disabled=move || busy.get()
                    on:click=move |_| {
                        if needs(action) == Needs::Nothing {
                            send(request(action));
                        } else {
                            open.set(Some(action));
                        }
                    }>
                    {i18n.t(i18n::case_action(action))}
                </button>
            }
        })
        .collect_view();
    let form = move || {
        open.get().map(|action| match needs(action) {
            Needs::Problems => view! { <CorrectionEditor app item busy send/> }.into_any(),
            _ => view! { <ActionForm action own=own.clone() busy send close=move || open.set(None)/> }.into_any(),
        })
    };
    view! {
        <section class="card staff-panel" aria-labelledby="staff-heading" data-testid="staff-panel">
            <h2 id="staff-heading">{i18n.t(Key::StaffActions)}</h2>
            <p class="actions">{buttons}</p>
            {form}
            <InlineError error=failure/>
            {move || failure.with(|f| f.as_ref().map(server_field_errors)).filter(|f| !f.is_empty()).map(|fields| view! {
                <ul class="inline-error">{fields.into_iter().map(|f| view! { <li>{f.field} ": " {f.message}</li> }).collect_view()}</ul>
            })}
        </section>
    }
}

/// The inputs of one action: a reason, a note, a window, or courier and tracking number.
#[component]
fn ActionForm(
    action: CaseAction,
    /// The handling department, never consulted on its own case.
    own: DepartmentCode,
    busy: RwSignal<bool>,
    send: impl Fn(TransitionRequest) + Copy + Send + Sync + 'static,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let first = RwSignal::new(String::new());
    let second = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let consult = RwSignal::new(Vec::<DepartmentCode>::new());
    let kind = needs(action);
    let (first_label, first_required) = match kind {
        Needs::Reason => (Key::ReasonLabel, true),
        Needs::Window => (Key::PickupWindow, true),
        Needs::Courier => (Key::Courier, true),
        _ => (Key::NoteLabel, false),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let a = first.get_untracked().trim().to_owned();
        let b = second.get_untracked().trim().to_owned();
        let incomplete =
            (first_required && a.is_empty()) || (kind == Needs::Courier && b.is_empty());
        missing.set(incomplete);
        if incomplete {
            return;
        }
        let mut req = request(action);
        match kind {
            Needs::Window => req.window = Some(a),
            Needs::Consult => req.consult = consult.get_untracked(),
            Needs::Courier => {
                req.courier = Some(a);
                req.tracking_number = Some(b);
            }
            _ => req.note = a,
        }
        send(req);
    };
    let first_input = if kind == Needs::Consult {
        view! { <ConsultPicker own chosen=consult/> }.into_any()
    } else if matches!(kind, Needs::Reason | Needs::OptionalNote) {
        view! {
            <textarea id="action-first" data-testid="action-note" rows="3" maxlength="1000"
                aria-required=first_required.then_some("true")
                prop:value=move || first.get() on:input=move |ev| first.set(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        let testid = if kind == Needs::Window {
            "action-window"
        } else {
            "action-courier"
        };
        view! {
            <input id="action-first" data-testid=testid maxlength="100" aria-required="true"
                prop:value=move || first.get() on:input=move |ev| first.set(event_target_value(&ev))/>
        }
        .into_any()
    };
    view! {
        <form class="form action-form" on:submit=submit novalidate data-testid="action-form">
            <h3>{i18n.t(i18n::case_action(action))}</h3>
            {(kind != Needs::Consult).then(|| view! {
                <label for="action-first">
                    {i18n.t(first_label)}
                    {first_required.then(|| view! { <span class="required-mark">" (" {i18n.t(Key::RequiredMark)} ")"</span> })}
                </label>
            })}
            <div class="field">{first_input}</div>
            {(kind == Needs::Courier).then(|| view! {
                <div class="field">
                    <label for="action-tracking">{i18n.t(Key::TrackingNumber)}
                        <span class="required-mark">" (" {i18n.t(Key::RequiredMark)} ")"</span></label>
                    <input id="action-tracking" data-testid="action-tracking" maxlength="100" aria-required="true"
                        prop:value=move || second.get() on:input=move |ev| second.set(event_target_value(&ev))/>
                </div>
            })}
            {move || missing.get().then(|| view! { <p class="field-error" role="alert">{i18n.t(Key::FillThisIn)}</p> })}
            <p class="actions">
                <button type="submit" data-testid="action-confirm" disabled=move || busy.get()>{i18n.t(Key::ConfirmAction)}</button>
                <button type="button" class="secondary" on:click=move |_| close()>{i18n.t(Key::Cancel)}</button>
            </p>
        </form>
    }
}

/// The correction notice editor: problems aimed at a field or a material slot of the
/// item, each with what to fix; sent together, so the applicant sees all at once.
#[component]
fn CorrectionEditor(
    app: RwSignal<Application>,
    item: StoredValue<ServiceItem>,
    busy: RwSignal<bool>,
    send: impl Fn(TransitionRequest) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let case = app.with_untracked(|a| a.case.clone());
    // Every target with its label, in the order of the guide.
    let targets: Vec<(NoticeTarget, Text, Key)> = item.with_value(|item| {
        let fields = item.form.iter().map(|f| {
            (
                NoticeTarget::Field(f.key.clone()),
                f.label.clone(),
                Key::TargetField,
            )
        });
        let materials = find_case(item, &case)
            .map(|c| c.materials.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|m| (NoticeTarget::Material(m.code), m.name, Key::TargetMaterial));
        fields.chain(materials).collect()
    });
    let targets = StoredValue::new(targets);
    let chosen = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<CorrectionItem>::new());
    let missing = RwSignal::new(false);
    let empty = RwSignal::new(false);

    let label_of = move |target: &NoticeTarget| {
        targets.with_value(|ts| {
            ts.iter()
                .find(|(t, _, _)| t == target)
                .map(|(_, label, kind)| {
                    format!(
                        "{}{}{}",
                        i18n.t(*kind)(),
                        i18n.t(Key::Colon)(),
                        label.get(i18n.lang())
                    )
                })
                .unwrap_or_default()
        })
    };
    let add = move |_| {
        let target = targets.with_value(|ts| {
            ts.iter()
                .find(|(t, _, _)| target_name(t) == chosen.get_untracked())
                .map(|(t, _, _)| t.clone())
        });
        let text = message.get_untracked().trim().to_owned();
        missing.set(target.is_none() || text.is_empty());
        let Some(target) = target.filter(|_| !text.is_empty()) else {
            return;
        };
        problems.update(|p| {
            p.push(CorrectionItem {
                target,
                message: Text::new(text, ""),
            })
        });
        message.set(String::new());
        empty.set(false);
    };
    let send_all = move |_| {
        let list = problems.get_untracked();
        empty.set(list.is_empty());
        if list.is_empty() {
            return;
        }
        let mut req = request(CaseAction::RequestCorrection);
        req.problems = list;
        send(req);
    };
    let options = targets.with_value(|ts| {
        ts.iter()
            .map(|(t, label, kind)| {
                let label = label.clone();
                let kind = *kind;
                view! {
                    <option value=target_name(t)>
                        {i18n.t(kind)} {i18n.t(Key::Colon)} {move || label.get(i18n.lang()).to_owned()}
                    </option>
                }
            })
            .collect_view()
    });
    view! {
        <div class="correction-editor" data-testid="correction-editor-staff">
            <h3>{i18n.t(Key::ActRequestCorrection)}</h3>
            <div class="field">
                <label for="correction-target">{i18n.t(Key::ProblemTarget)}</label>
                <select id="correction-target" data-testid="correction-target"
                    on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="" selected=move || chosen.with(String::is_empty)>{i18n.t(Key::ChooseOption)}</option>
                    {options}
                </select>
            </div>
            <div class="field">
                <label for="correction-message">{i18n.t(Key::ProblemMessage)}</label>
                <textarea id="correction-message" data-testid="correction-message" rows="2" maxlength="1000"
                    prop:value=move || message.get() on:input=move |ev| message.set(event_target_value(&ev))></textarea>
            </div>
            {move || missing.get().then(|| view! { <p class="field-error" role="alert">{i18n.t(Key::FillThisIn)}</p> })}
            <p class="actions">
                <button type="button" class="secondary" data-testid="correction-add" on:click=add>{i18n.t(Key::AddProblem)}</button>
            </p>
            <ol class="problems" aria-live="polite" data-testid="correction-problems">
                {move || problems.get().into_iter().enumerate().map(|(n, p)| view! {
                    <li class="problem">
                        <strong class="problem-target">{label_of(&p.target)}</strong>
                        <span class="problem-message">{p.message.zh.clone()}</span>
                        <button type="button" class="secondary small"
                            aria-label=format!("{} {}", i18n.t(Key::Remove)(), label_of(&p.target))
                            on:click=move |_| problems.update(|l| { l.remove(n); })>
                            {i18n.t(Key::Remove)}
                        </button>
                    </li>
                }).collect_view()}
            </ol>
            {move || (problems.with(Vec::is_empty) && !empty.get()).then(|| view! { <p class="hint">{i18n.t(Key::NoProblemsYet)}</p> })}
            {move || empty.get().then(|| view! { <p class="field-error" role="alert">{i18n.t(Key::NoProblemsYet)}</p> })}
            <p class="actions">
                <button type="button" data-testid="correction-send" disabled=move || busy.get() on:click=send_all>
                    {i18n.t(Key::SendCorrection)}
                </button>
            </p>
        </div>
    }
}
