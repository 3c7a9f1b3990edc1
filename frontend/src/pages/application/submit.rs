//! Submitting a draft, or resubmitting after a correction: the form is saved first, the
//! local pre-review must be clear, and one random idempotency key serves every retry of
//! the same attempt, so that a lost answer never makes a second submission.

use super::editor::{random_key, Editor};
use crate::api;
use crate::components::states::InlineError;
use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use onewindow_api::ErrorCode;
use onewindow_client::ClientError;
use wasm_bindgen::JsCast;

fn focus_notice() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("notice-heading"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.scroll_into_view();
    }
}

#[component]
pub fn SubmitBar(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let key = StoredValue::new(None::<String>);
    let busy = RwSignal::new(false);
    let blocked = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let confirm_delete = RwSignal::new(false);
    let correction = editor.is_correction();
    let id = editor.app.with_untracked(|a| a.id);

    let submit = move |_| {
        if busy.get_untracked() {
            return;
        }
        editor.show_all.set(true);
        failure.set(None);
        if !editor.local.with_untracked(Vec::is_empty) {
            blocked.set(true);
            focus_notice();
            return;
        }
        blocked.set(false);
        busy.set(true);
        spawn_local(async move {
            let outcome = async {
                editor.flush().await?;
                let k = key.get_value().unwrap_or_else(random_key);
                key.set_value(Some(k.clone()));
                api::submit_application(id, k).await
            }
            .await;
            match outcome {
                Ok(app) => {
                    key.set_value(None);
                    editor.app.set(app);
                }
                // No answer: the same attempt is retried with the same key.
                Err(e @ ClientError::Network(_)) => failure.set(Some(e)),
                Err(e) => {
                    // The server answered, so the next press is a new attempt.
                    key.set_value(None);
                    if e.code() == Some(ErrorCode::PreReviewFailed) {
                        // Its notice is authoritative: show what it found.
                        if let Ok(app) = api::application(id).await {
                            editor.app.update(|a| a.notice = app.notice);
                            editor.server_fresh.set(true);
                        }
                        blocked.set(true);
                        focus_notice();
                    } else {
                        failure.set(Some(e));
                    }
                }
            }
            busy.set(false);
        });
    };
    let delete = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::delete_application(id).await {
                Ok(()) => navigate("/applications", NavigateOptions::default()),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let (label, testid) = if correction {
        (Key::Resubmit, "resubmit")
    } else {
        (Key::Submit, "submit")
    };
    view! {
        <div class="card submit-bar">
            {move || blocked.get().then(|| view! {
                <p class="inline-error" role="alert" data-testid="submit-blocked">{i18n.t(Key::SubmitBlocked)}</p>
            })}
            <InlineError error=failure/>
            <p class="actions">
                <button type="button" data-testid=testid disabled=move || busy.get() on:click=submit>
                    {move || if busy.get() { i18n.t(Key::Submitting)() } else { i18n.t(label)() }}
                </button>
                {(!correction).then(|| view! {
                    <button type="button" class="secondary" data-testid="delete-draft"
                        on:click=move |_| confirm_delete.set(true)>{i18n.t(Key::DeleteDraft)}</button>
                })}
            </p>
            {move || confirm_delete.get().then(|| {
                let delete = delete.clone();
                view! {
                    <div class="confirm" role="alertdialog" aria-labelledby="confirm-delete-text">
                        <p id="confirm-delete-text">{i18n.t(Key::ConfirmDelete)}</p>
                        <p class="actions">
                            <button type="button" class="danger" data-testid="confirm-delete" on:click=delete>
                                {i18n.t(Key::ConfirmDeleteYes)}
                            </button>
                            <button type="button" class="secondary" on:click=move |_| confirm_delete.set(false)>
                                {i18n.t(Key::Cancel)}
                            </button>
                        </p>
                    </div>
                }
            })}
        </div>
    }
}
