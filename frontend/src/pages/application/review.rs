//! Parallel review (并联审批) and results on the case page: the consulted departments'
//! opinions (notes for staff only; the server sends none to the applicant), the opinion
//! form for staff of a consulted department, the departments to consult when the
//! review starts, and the result documents (结果文书) with the lead department's upload.

use crate::api;
use crate::components::states::InlineError;
use crate::fetched::Fetched;
use crate::i18n::{self, datetime, file_size, use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::application::{Application, FileKind, Opinion, OpinionRequest};
use onewindow_api::ids::DepartmentCode;
use onewindow_client::ClientError;

fn opinion_label(o: Option<Opinion>) -> (Key, &'static str) {
    match o {
        None => (Key::OpinionPending, "pending"),
        Some(Opinion::Agree) => (Key::OpinionAgree, "agree"),
        Some(Opinion::Disagree) => (Key::OpinionDisagree, "disagree"),
    }
}

/// The opinions of the consulted departments, when any were asked.
#[component]
pub fn OpinionsPanel(app: RwSignal<Application>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let opinions = app.with(|a| a.opinions.clone());
        (!opinions.is_empty()).then(|| {
            view! {
                <section class="card opinions" aria-labelledby="opinions-heading" data-testid="opinions">
                    <h2 id="opinions-heading">{i18n.t(Key::OpinionsTitle)}</h2>
                    <ul class="plain">
                        {opinions.into_iter().map(|o| {
                            let (label, code) = opinion_label(o.opinion);
                            let tone = match o.opinion {
                                None => "badge-warn",
                                Some(Opinion::Agree) => "badge-good",
                                Some(Opinion::Disagree) => "badge-bad",
                            };
                            view! {
                                <li class="opinion" data-testid="opinion" data-department=o.department.to_string() data-opinion=code>
                                    <strong>{i18n.text(&o.department_name)}</strong> " "
                                    <span class=format!("badge {tone}")>{i18n.t(label)}</span>
                                    {(!o.note.is_empty()).then(|| view! { <p class="note">{o.note.clone()}</p> })}
                                    <p class="meta">
                                        {i18n.t(Key::RequestedAt)} " " {datetime(&o.requested_at)}
                                        {o.answered_at.as_deref().map(|t| view! { " · " {i18n.t(Key::AnsweredAt)} " " {datetime(t)} })}
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// The opinion of the signed-in staff's department, consulted on this case.
#[component]
pub fn OpinionForm(app: RwSignal<Application>) -> impl IntoView {
    let i18n = use_i18n();
    let choice = RwSignal::new(None::<Opinion>);
    let note = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let id = app.with_untracked(|a| a.id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note.get_untracked().trim().to_owned();
        let opinion = choice.get_untracked();
        let incomplete =
            opinion.is_none() || (opinion == Some(Opinion::Disagree) && text.is_empty());
        missing.set(incomplete);
        let Some(opinion) = opinion.filter(|_| !incomplete && !busy.get_untracked()) else {
            return;
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::give_opinion(
                id,
                OpinionRequest {
                    opinion,
                    note: text,
                },
            )
            .await
            {
                Ok(a) => app.set(a),
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let radio = move |o: Opinion| {
        let (label, code) = opinion_label(Some(o));
        let id = format!("opinion-{code}");
        view! {
            <div class="choice">
                <input type="radio" name="opinion" id=id.clone() data-testid=format!("opinion-{code}")
                    prop:checked=move || choice.get() == Some(o) on:change=move |_| choice.set(Some(o))/>
                <label for=id>{i18n.t(label)}</label>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="opinion-form-heading">
            <form class="form" on:submit=submit novalidate data-testid="opinion-form">
                <h2 id="opinion-form-heading">{i18n.t(Key::GiveOpinion)}</h2>
                <fieldset class="choices">
                    <legend class="visually-hidden">{i18n.t(Key::GiveOpinion)}</legend>
                    {radio(Opinion::Agree)}
                    {radio(Opinion::Disagree)}
                </fieldset>
                <div class="field">
                    <label for="opinion-note">{i18n.t(Key::OpinionNote)}</label>
                    <textarea id="opinion-note" data-testid="opinion-note" rows="3" maxlength="1000"
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </div>
                {move || missing.get().then(|| view! { <p class="field-error" role="alert">{i18n.t(Key::FillThisIn)}</p> })}
                <InlineError error=failure/>
                <p class="actions">
                    <button type="submit" data-testid="opinion-send" disabled=move || busy.get()>{i18n.t(Key::SendOpinion)}</button>
                </p>
            </form>
        </section>
    }
}

/// Check boxes of the other departments to consult when the review starts.
#[component]
pub fn ConsultPicker(own: DepartmentCode, chosen: RwSignal<Vec<DepartmentCode>>) -> impl IntoView {
    let i18n = use_i18n();
    let departments = Fetched::new(api::departments);
    view! {
        <fieldset class="choices consult" data-testid="consult">
            <legend>{i18n.t(Key::ConsultLabel)}</legend>
            {move || departments.get().and_then(Result::ok).map(|ds| {
                ds.into_iter().filter(|d| d.code != own).map(|d| {
                    let code = d.code.clone();
                    let id = format!("consult-{code}");
                    let toggle = code.clone();
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=id.clone() value=code.to_string() data-testid="consult-department"
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        c.retain(|x| *x != toggle);
                                        if on {
                                            c.push(toggle.clone());
                                        }
                                    });
                                }/>
                            <label for=id>{i18n.text(&d.name)}</label>
                        </div>
                    }
                }).collect_view()
            })}
        </fieldset>
    }
}

/// The result documents (结果文书) of a case; the lead department's staff may add one
/// once it is approved.
#[component]
pub fn ResultFiles(app: RwSignal<Application>, can_issue: bool) -> impl IntoView {
    let i18n = use_i18n();
    let id = app.with_untracked(|a| a.id);
    let progress = RwSignal::new(None::<f64>);
    let failure = RwSignal::new(None::<ClientError>);
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        input.set_value("");
        progress.set(Some(0.0));
        failure.set(None);
        spawn_local(async move {
            match api::upload_result(id, &file, move |f| progress.set(Some(f))).await {
                Ok(info) => app.update(|a| a.files.push(info)),
                Err(e) => failure.set(Some(e)),
            }
            progress.set(None);
        });
    };
    let files = move || {
        app.with(|a| {
            a.files
                .iter()
                .filter(|f| f.kind == FileKind::Result)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    move || {
        let list = files();
        (can_issue || !list.is_empty()).then(|| {
            view! {
                <section class="card results" aria-labelledby="results-heading" data-testid="result-files">
                    <h2 id="results-heading">{i18n.t(Key::ResultFiles)}</h2>
                    <ul class="plain">
                        {list.into_iter().map(|f| view! {
                            <li class="file" data-testid="result-file">
                                <a href=api::file_url(id, f.id) download=f.name.clone()>{f.name.clone()}</a>
                                <span class="file-meta">{i18n::file_format(f.format)} " · " {file_size(f.size)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                    {can_issue.then(|| view! {
                        <div class="file-pick">
                            <label for="result-input">{i18n.t(Key::IssueResult)}</label>
                            <input id="result-input" type="file" data-testid="result-input" on:change=on_change/>
                            {move || progress.get().map(|p| view! {
                                <progress max="100" value=(p * 100.0).round() aria-label=i18n.t(Key::IssueResult)></progress>
                            })}
                        </div>
                    })}
                    <InlineError error=failure/>
                </section>
            }
        })
    }
}
