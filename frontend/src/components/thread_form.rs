//! "Ask a question" (我要咨询) on a guide and "file a complaint" (我要投诉) on a case or an
//! appointment: a button that opens a small form (title and message) and, once sent,
//! goes to the new thread's page. Anonymous visitors get a link to sign in and come
//! back; staff, who answer threads, do not see it.

use crate::api;
use crate::components::states::InlineError;
use crate::i18n::{t, use_i18n, Key};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use onewindow_api::account::Role;
use onewindow_api::thread::{
    NewThreadRequest, ThreadKind, ThreadSubject, MAX_MESSAGE_CHARS, MAX_TITLE_CHARS,
};
use onewindow_client::ClientError;

#[component]
pub fn ThreadStarter(kind: ThreadKind, subject: ThreadSubject) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let (open_key, send_key, hint_key, testid) = match kind {
        ThreadKind::Question => (
            Key::AskQuestion,
            Key::SendQuestion,
            Key::QuestionHint,
            "ask-question",
        ),
        ThreadKind::Complaint => (
            Key::FileComplaint,
            Key::SendComplaint,
            Key::ComplaintHint,
            "file-complaint",
        ),
    };
    let subject = StoredValue::new(subject);
    move || {
        let role = session.account.with(|a| a.as_ref().map(|a| a.role));
        match role {
            None => {
                let mut q = ParamsMap::new();
                q.insert("next", location.pathname.get_untracked());
                let href = format!("/login{}", q.to_query_string());
                let key = match kind {
                    ThreadKind::Question => Key::SignInToAsk,
                    ThreadKind::Complaint => Key::NavLogin,
                };
                Some(view! {
                    <p class="thread-start">
                        <a class="button secondary" href=href data-testid=format!("{testid}-login")>{i18n.t(key)}</a>
                    </p>
                }.into_any())
            }
            Some(Role::Citizen | Role::BusinessMember) => Some(
                view! {
                    <ThreadForm kind subject=subject.get_value() open_key send_key hint_key testid/>
                }
                .into_any(),
            ),
            Some(_) => None,
        }
    }
}

#[component]
fn ThreadForm(
    kind: ThreadKind,
    subject: ThreadSubject,
    open_key: Key,
    send_key: Key,
    hint_key: Key,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let title_missing = RwSignal::new(false);
    let text_missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let subject = StoredValue::new(subject);
    let title_ref = NodeRef::<leptos::html::Input>::new();
    // Opening the form takes the keyboard to its first field.
    Effect::new(move |_| {
        if open.get() {
            if let Some(input) = title_ref.get() {
                let _ = input.focus();
            }
        }
    });
    let form_id = format!("{testid}-form");
    let controls = form_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let req = NewThreadRequest {
            kind,
            subject: subject.get_value(),
            title: title.get_untracked().trim().to_owned(),
            text: text.get_untracked().trim().to_owned(),
        };
        let problems = req.problems();
        title_missing.set(problems.iter().any(|p| p.field == "title"));
        text_missing.set(problems.iter().any(|p| p.field == "text"));
        if !problems.is_empty() {
            return;
        }
        busy.set(true);
        failure.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::open_thread(req).await {
                Ok(thread) => navigate(
                    &format!("/threads/{}", thread.id),
                    NavigateOptions::default(),
                ),
                Err(e) => {
                    failure.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    let title_id = format!("{testid}-title");
    let text_id = format!("{testid}-text");
    // Copy, for the form's closures: the ids that tie each field to its error.
    let title_error = StoredValue::new(format!("{title_id}-error"));
    let text_error = StoredValue::new(format!("{text_id}-error"));
    view! {
        <div class="thread-start">
            <button type="button" class="secondary" data-testid=testid
                aria-expanded=move || open.get().to_string() aria-controls=controls
                on:click=move |_| open.update(|o| *o = !*o)>
                {i18n.t(open_key)}
            </button>
            <Show when=move || open.get()>
                <form id=form_id.clone() class="card form thread-form" on:submit=submit.clone() novalidate
                    data-testid="new-thread-form">
                    <p class="hint">{i18n.t(hint_key)}</p>
                    <div class="field" class:has-error=move || title_missing.get()>
                        <label for=title_id.clone()>{i18n.t(Key::ThreadTitleLabel)}
                            <span class="required-mark">" (" {i18n.t(Key::RequiredMark)} ")"</span></label>
                        <input id=title_id.clone() type="text" data-testid="new-thread-title" node_ref=title_ref
                            maxlength=MAX_TITLE_CHARS.to_string() aria-required="true"
                            aria-invalid=move || title_missing.get().then_some("true")
                            aria-describedby=move || title_missing.get().then(|| title_error.get_value())
                            prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                        {move || title_missing.get().then(|| view! { <p class="field-error" id=title_error.get_value() role="alert">{i18n.t(Key::FillThisIn)}</p> })}
                    </div>
                    <div class="field" class:has-error=move || text_missing.get()>
                        <label for=text_id.clone()>{i18n.t(Key::ThreadTextLabel)}
                            <span class="required-mark">" (" {i18n.t(Key::RequiredMark)} ")"</span></label>
                        <textarea id=text_id.clone() rows="4" data-testid="new-thread-text"
                            maxlength=MAX_MESSAGE_CHARS.to_string() aria-required="true"
                            aria-invalid=move || text_missing.get().then_some("true")
                            aria-describedby=move || text_missing.get().then(|| text_error.get_value())
                            prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        {move || text_missing.get().then(|| view! { <p class="field-error" id=text_error.get_value() role="alert">{i18n.t(Key::FillThisIn)}</p> })}
                    </div>
                    <InlineError error=failure/>
                    <p class="actions">
                        <button type="submit" data-testid="new-thread-submit" disabled=move || busy.get()>
                            {move || t(i18n.lang(), send_key)}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| open.set(false)>
                            {i18n.t(Key::Cancel)}
                        </button>
                    </p>
                </form>
            </Show>
        </div>
    }
}
