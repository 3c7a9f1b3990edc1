//! Two views of the staff console: questions and complaints (咨询投诉) to answer, the
//! longest waiting first, and the rectifications of bad ratings (差评整改), each with its
//! answer box while it waits for the department.

use crate::api;
use crate::components::states::InlineError;
use crate::components::thread_parts::{MessageList, ReplyForm, ThreadBadges};
use crate::fetched::{listed, Fetched};
use crate::i18n::{self, datetime, use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::rating::{Rating, RectificationState};
use onewindow_api::thread::{Thread, ThreadState};
use onewindow_client::ClientError;

#[component]
pub fn StaffThreads() -> impl IntoView {
    let i18n = use_i18n();
    let list = Fetched::new(|| api::staff_threads(1));
    view! {
        {listed(list, move |p| view! {
            {p.items.is_empty().then(|| view! { <p class="empty" data-testid="no-staff-threads">{i18n.t(Key::NoStaffThreads)}</p> })}
            <ul class="thread-list" data-testid="staff-threads">
                {p.items.into_iter().map(|t| view! { <StaffThread t/> }).collect_view()}
            </ul>
        }.into_any())}
    }
}

#[component]
fn StaffThread(t: Thread) -> impl IntoView {
    let thread = RwSignal::new(t);
    let id = thread.with_untracked(|t| t.id);
    move || {
        let t = thread.get();
        let closed = t.state == ThreadState::Closed;
        view! {
            <li class="card staff-thread" data-testid="staff-thread" data-id=id.to_string() data-state=t.state.as_str()>
                <h2><a href=format!("/threads/{id}")>{t.title.clone()}</a></h2>
                <ThreadBadges kind=t.kind state=t.state/>
                <MessageList messages=t.messages.clone() staff_viewer=true/>
                {(!closed).then(|| view! { <ReplyForm thread staff=true/> })}
            </li>
        }
    }
}

#[component]
pub fn StaffRectifications() -> impl IntoView {
    let i18n = use_i18n();
    let list = Fetched::new(|| api::rectifications(None));
    view! {
        {listed(list, move |p| view! {
            {p.items.is_empty().then(|| view! { <p class="empty" data-testid="no-rectifications">{i18n.t(Key::NoRectifications)}</p> })}
            <ul class="thread-list" data-testid="rectifications">
                {p.items.into_iter().map(|r| view! { <StaffRectification r/> }).collect_view()}
            </ul>
        }.into_any())}
    }
}

#[component]
fn StaffRectification(r: Rating) -> impl IntoView {
    let i18n = use_i18n();
    let rating = RwSignal::new(r);
    let answer = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let id = rating.with_untracked(|r| r.id);
    let field_id = format!("rect-answer-{id}");
    // Ties the field to its error; Copy, for the form's closures.
    let error_id = StoredValue::new(format!("{field_id}-error"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = answer.get_untracked().trim().to_owned();
        missing.set(text.is_empty());
        if text.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::answer_rectification(id, text).await {
                Ok(r) => {
                    answer.set(String::new());
                    rating.set(r);
                }
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let state = Memo::new(move |_| {
        rating.with(|r| {
            r.rectification
                .as_ref()
                .map_or(RectificationState::Closed, |x| x.state)
        })
    });
    let body = move || {
        let r = rating.get();
        let lang = i18n.lang();
        let entries = r
            .rectification
            .as_ref()
            .map(|x| x.entries.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|e| view! {
                <li class="message" data-testid="rectification-entry" data-step=e.step.as_str()>
                    <p class="message-meta"><strong>{i18n.t(i18n::rectification_step(e.step))}</strong> " · "
                        <time datetime=e.at.clone()>{datetime(&e.at)}</time></p>
                    {(!e.text.is_empty()).then(|| view! { <p class="message-text">{e.text.clone()}</p> })}
                </li>
            })
            .collect_view();
        view! {
            <h2>{r.item_name.get(lang).to_owned()}</h2>
            <p class="badges">
                <span class="badge badge-bad" data-testid="rating-level" data-level=r.level.score().to_string()>
                    {r.level.label().get(lang).to_owned()}
                </span>
                <span class="badge badge-info" data-testid="rectification-state" data-state=state.get().as_str()>
                    {i18n.t(i18n::rectification_state(state.get()))}
                </span>
            </p>
            <p class="message-text">{r.comment.clone()}</p>
            <p class="meta"><time datetime=r.created_at.clone()>{datetime(&r.created_at)}</time></p>
            <ol class="messages">{entries}</ol>
        }
    };
    view! {
        <li class="card staff-rectification" data-testid="staff-rectification" data-id=id.to_string()>
            {body}
            <Show when=move || state.get() == RectificationState::Open>
                <form class="form reply-form" on:submit=submit novalidate>
                    <div class="field" class:has-error=move || missing.get()>
                        <label for=field_id.clone()>{i18n.t(Key::AnswerLabel)}</label>
                        <textarea id=field_id.clone() rows="3" maxlength="1000" data-testid="rect-answer-text"
                            aria-required="true" aria-invalid=move || missing.get().then_some("true")
                            aria-describedby=move || missing.get().then(|| error_id.get_value())
                            prop:value=move || answer.get() on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                        {move || missing.get().then(|| view! { <p class="field-error" id=error_id.get_value() role="alert">{i18n.t(Key::FillThisIn)}</p> })}
                    </div>
                    <InlineError error=failure/>
                    <p class="actions">
                        <button type="submit" data-testid="rect-answer-submit" disabled=move || busy.get()>{i18n.t(Key::SendAnswer)}</button>
                    </p>
                </form>
            </Show>
        </li>
    }
}
