//! Pieces of a question or complaint shared by its page and the staff console: the kind
//! and state as words, the messages with who wrote them, and the reply (or, for staff,
//! answer) box.

use crate::api;
use crate::components::states::InlineError;
use crate::i18n::{self, datetime, use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::thread::{
    message_problem, Thread, ThreadKind, ThreadMessage, ThreadState, MAX_MESSAGE_CHARS,
};
use onewindow_client::ClientError;

/// "Question" or "complaint", and where it stands, as badges with words.
#[component]
pub fn ThreadBadges(kind: ThreadKind, state: ThreadState) -> impl IntoView {
    let i18n = use_i18n();
    let tone = match state {
        ThreadState::Open => "badge badge-warn",
        ThreadState::Answered => "badge badge-good",
        ThreadState::Closed => "badge badge-neutral",
    };
    view! {
        <span class="badges">
            <span class="badge badge-info" data-testid="thread-kind" data-kind=kind.as_str()>
                {i18n.t(i18n::thread_kind(kind))}
            </span>
            <span class=tone data-testid="thread-state" data-state=state.as_str()>
                {i18n.t(i18n::thread_state(state))}
            </span>
        </span>
    }
}

/// The messages, oldest first. `staff_viewer` names the citizen's messages "citizen"
/// rather than "you". Closing leaves an empty message behind, which is not shown.
#[component]
pub fn MessageList(messages: Vec<ThreadMessage>, staff_viewer: bool) -> impl IntoView {
    let i18n = use_i18n();
    let rows = messages
        .into_iter()
        .filter(|m| !m.text.trim().is_empty())
        .map(|m| {
            let author = match (m.from_staff, staff_viewer) {
                (true, _) => Key::AuthorStaff,
                (false, true) => Key::CitizenName,
                (false, false) => Key::AuthorMe,
            };
            let from = if m.from_staff { "staff" } else { "citizen" };
            view! {
                <li class="message" class:from-staff=m.from_staff data-testid="message" data-from=from>
                    <p class="message-meta">
                        <strong>{i18n.t(author)}</strong> " · "
                        <time datetime=m.at.clone()>{datetime(&m.at)}</time>
                    </p>
                    <p class="message-text">{m.text.clone()}</p>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="messages" data-testid="messages">{rows}</ol> }
}

/// The reply box of the citizen, or the answer box of staff; the thread is replaced by
/// the server's answer once sent.
#[component]
pub fn ReplyForm(thread: RwSignal<Thread>, staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let id = thread.with_untracked(|t| t.id);
    let (label, send) = if staff {
        (Key::AnswerLabel, Key::SendAnswer)
    } else {
        (Key::ReplyLabel, Key::SendReply)
    };
    let field_id = format!("reply-{id}");
    // Ties the field to its error; Copy, for the form's closures.
    let error_id = StoredValue::new(format!("{field_id}-error"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked().trim().to_owned();
        missing.set(message_problem(&body).is_some());
        if missing.get_untracked() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::post_message(id, body).await {
                Ok(t) => {
                    text.set(String::new());
                    thread.set(t);
                }
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form reply-form" on:submit=submit novalidate data-testid="reply-form">
            <div class="field" class:has-error=move || missing.get()>
                <label for=field_id.clone()>{i18n.t(label)}</label>
                <textarea id=field_id.clone() rows="4" data-testid="reply-text" maxlength=MAX_MESSAGE_CHARS.to_string()
                    aria-required="true" aria-invalid=move || missing.get().then_some("true")
                    aria-describedby=move || missing.get().then(|| error_id.get_value())
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                {move || missing.get().then(|| view! { <p class="field-error" id=error_id.get_value() role="alert">{i18n.t(Key::FillThisIn)}</p> })}
            </div>
            <InlineError error=failure/>
            <p class="actions">
                <button type="submit" data-testid="reply-submit" disabled=move || busy.get()>{i18n.t(send)}</button>
            </p>
        </form>
    }
}
