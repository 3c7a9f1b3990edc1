//! `/threads/:id`: one question or complaint: what it is about, the messages, the
//! attachments (download, and upload with a progress bar while it is not closed), the
//! reply box (an answer box for staff), and for the citizen a button to close it.

use crate::api;
use crate::app::set_title;
use crate::components::require_account::RequireAccount;
use crate::components::states::{error_message, InlineError};
use crate::components::thread_parts::{MessageList, ReplyForm, ThreadBadges};
use crate::fetched::{shown, Fetched};
use crate::i18n::{self, datetime, file_size, t, too_large, use_i18n, wrong_format, Key};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::ids::ThreadId;
use onewindow_api::sniff::{check_head, check_size, UploadRefusal};
use onewindow_api::thread::{
    Thread, ThreadState, ThreadSubject, ATTACHMENT_FORMATS, MAX_ATTACHMENTS, MAX_ATTACHMENT_MB,
};
use onewindow_client::ClientError;

#[component]
pub fn ThreadPage() -> impl IntoView {
    view! {
        <div class="page narrow thread">
            <RequireAccount>
                <Loader/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn Loader() -> impl IntoView {
    let id = crate::components::route::path_id();
    let thread = Fetched::new(move || api::thread(ThreadId(id.get().unwrap_or(0))));
    view! {
        {shown(thread, true, |t| view! { <ThreadView t/> })}
    }
}

#[component]
fn ThreadView(t: Thread) -> impl IntoView {
    let i18n = use_i18n();
    let staff = use_session().is_staff();
    let id = t.id;
    let thread = RwSignal::new(t);
    crate::live::refresh_on_live(format!("/threads/{id}"), thread, move || api::thread(id));
    Effect::new(move |_| {
        let title = thread.with(|t| t.title.clone());
        set_title(&title, i18n.lang());
    });
    let (back, back_label) = if staff {
        ("/staff?view=threads", Key::StaffTitle)
    } else {
        ("/threads", Key::MyThreads)
    };
    let state = Memo::new(move |_| thread.with(|t| t.state));
    let closed = move || state.get() == ThreadState::Closed;
    let subject = thread.with_untracked(|t| t.subject.clone());
    let opened = thread.with_untracked(|t| t.created_at.clone());
    view! {
        <p class="breadcrumb"><a href=back>{i18n.t(back_label)}</a></p>
        <h1 data-testid="thread-title">{move || thread.with(|t| t.title.clone())}</h1>
        <p>{move || {
            let kind = thread.with(|t| t.kind);
            view! { <ThreadBadges kind state=state.get()/> }
        }}</p>
        <dl class="facts">
            <div class="row"><dt>{i18n.t(Key::SubjectLabel)}</dt><dd><SubjectLink subject/></dd></div>
            <div class="row"><dt>{i18n.t(Key::OpenedAt)}</dt><dd>{datetime(&opened)}</dd></div>
        </dl>
        <section class="card" aria-labelledby="messages-heading">
            <h2 id="messages-heading">{i18n.t(Key::Messages)}</h2>
            {move || view! { <MessageList messages=thread.with(|t| t.messages.clone()) staff_viewer=staff/> }}
        </section>
        <Attachments thread/>
        <section class="card" aria-labelledby="reply-heading">
            <h2 id="reply-heading">{i18n.t(if staff { Key::SendAnswer } else { Key::SendReply })}</h2>
            {move || closed().then(|| view! { <p class="note" data-testid="closed-note">{i18n.t(Key::ThreadClosedNote)}</p> })}
            // Staff cannot answer a thread its citizen closed; the citizen may reopen it.
            {move || (!(staff && closed())).then(|| view! { <ReplyForm thread staff/> })}
        </section>
        {move || (!staff && !closed()).then(|| view! { <CloseThread thread/> })}
    }
}

/// What the thread is about, as a link where there is a page for it.
#[component]
fn SubjectLink(subject: ThreadSubject) -> impl IntoView {
    let i18n = use_i18n();
    match subject {
        ThreadSubject::Item(code) => {
            view! { <a href=format!("/services/{code}") class="code">{code.to_string()}</a> }
                .into_any()
        }
        ThreadSubject::Case(id) => view! {
            <a href=format!("/applications/{id}")>{i18n.t(Key::SubjectCase)} " #" {id.to_string()}</a>
        }
        .into_any(),
        ThreadSubject::Hall(code) => {
            let halls = Fetched::new(api::halls);
            let fallback = code.to_string();
            view! {
                <span>{i18n.t(Key::ChooseHall)} " · " {move || {
                    let lang = i18n.lang();
                    halls.get().and_then(Result::ok)
                        .and_then(|hs| hs.into_iter().find(|h| h.code == code).map(|h| h.name.get(lang).to_owned()))
                        .unwrap_or_else(|| fallback.clone())
                }}</span>
            }
            .into_any()
        }
    }
}

/// The citizen closes the thread once the answer settled it.
#[component]
fn CloseThread(thread: RwSignal<Thread>) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let id = thread.with_untracked(|t| t.id);
    let close = move |_| {
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::close_thread(id).await {
                Ok(t) => thread.set(t),
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <p class="actions">
            <button type="button" class="secondary" data-testid="close-thread" disabled=move || busy.get() on:click=close>
                {i18n.t(Key::CloseThread)}
            </button>
        </p>
        <InlineError error=failure/>
    }
}

/// A file on its way up, or refused.
#[derive(Debug, Clone)]
struct Upload {
    name: String,
    progress: RwSignal<f64>,
    failed: RwSignal<Option<String>>,
}

/// The attachments: links to download each, and while the thread is open an upload
/// with a progress bar, the type and size checked in the page first.
#[component]
fn Attachments(thread: RwSignal<Thread>) -> impl IntoView {
    let i18n = use_i18n();
    let id = thread.with_untracked(|t| t.id);
    let upload = RwSignal::new(None::<Upload>);
    let formats = ATTACHMENT_FORMATS
        .iter()
        .map(|f| i18n::file_format(*f))
        .collect::<Vec<_>>()
        .join(", ");
    let accept = ATTACHMENT_FORMATS
        .iter()
        .map(|f| format!(".{},{}", f.extension(), f.media_type()))
        .collect::<Vec<_>>()
        .join(",");
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        input.set_value("");
        let u = Upload {
            name: file.name(),
            progress: RwSignal::new(0.0),
            failed: RwSignal::new(None),
        };
        upload.set(Some(u.clone()));
        let formats = formats.clone();
        spawn_local(async move {
            let lang = i18n.0.get_untracked();
            // The contract's upload rules, as the server applies them.
            let refusal = match check_size(file.size() as u64, MAX_ATTACHMENT_MB) {
                Err(UploadRefusal::TooLarge(_)) => Some(too_large(lang, MAX_ATTACHMENT_MB as u32)),
                Err(_) => Some(t(lang, Key::EmptyFile).to_owned()),
                Ok(()) => match api::read_head(&file).await {
                    Err(_) => Some(t(lang, Key::UnreadableFile).to_owned()),
                    Ok(head) => match check_head(&head, &ATTACHMENT_FORMATS) {
                        Ok(_) => None,
                        Err(UploadRefusal::Format) => Some(wrong_format(lang, &formats)),
                        Err(_) => Some(t(lang, Key::EmptyFile).to_owned()),
                    },
                },
            };
            if let Some(r) = refusal {
                u.failed.set(Some(r));
                return;
            }
            let progress = u.progress;
            match api::upload_attachment(id, &file, move |f| progress.set(f)).await {
                Ok(a) => {
                    thread.update(|t| t.attachments.push(a));
                    upload.set(None);
                }
                Err(e) => u.failed.set(Some(error_message(lang, &e))),
            }
        });
    };
    let list = move || {
        let files = thread.with(|t| t.attachments.clone());
        if files.is_empty() {
            return view! { <p class="hint" data-testid="no-attachments">{i18n.t(Key::NoAttachments)}</p> }.into_any();
        }
        view! {
            <ul class="files">
                {files.into_iter().map(|a| {
                    let author = if a.from_staff { Key::AuthorStaff } else { Key::CitizenName };
                    view! {
                        <li class="file" data-testid="attachment">
                            <a href=api::attachment_url(id, a.id) download=a.name.clone()>{a.name.clone()}</a>
                            <span class="file-meta">
                                {i18n::file_format(a.format)} " · " {file_size(a.size)} " · " {i18n.t(author)}
                                " · " {datetime(&a.uploaded_at)}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let can_add = move || {
        thread.with(|t| {
            t.state != ThreadState::Closed && (t.attachments.len() as u64) < MAX_ATTACHMENTS
        })
    };
    let pending = move || {
        upload.get().map(|u| {
            let percent = move || (u.progress.get() * 100.0).round() as u32;
            let name = u.name.clone();
            view! {
                <p class="file pending" data-testid="attachment-upload">
                    <span class="file-name">{u.name.clone()}</span>
                    {move || match u.failed.get() {
                        None => view! {
                            <span class="upload-progress">
                                <progress max="100" value=percent aria-label=format!("{} {}", i18n.t(Key::Uploading)(), name)></progress>
                                <span>{i18n.t(Key::Uploading)} " " {percent} "%"</span>
                            </span>
                        }.into_any(),
                        Some(m) => view! {
                            <span class="inline-error" role="alert">{i18n.t(Key::UploadFailed)} {i18n.t(Key::Colon)} {m}</span>
                            <button type="button" class="secondary small" on:click=move |_| upload.set(None)>
                                {i18n.t(Key::Dismiss)}
                            </button>
                        }.into_any(),
                    }}
                </p>
            }
        })
    };
    let uploading = move || upload.with(|u| u.as_ref().is_some_and(|u| u.failed.get().is_none()));
    view! {
        <section class="card" aria-labelledby="attachments-heading">
            <h2 id="attachments-heading">{i18n.t(Key::Attachments)}</h2>
            {list}
            {pending}
            <Show when=can_add>
                <div class="file-pick">
                    <label for="attachment-input">{i18n.t(Key::AddAttachment)}</label>
                    <p class="field-hint" id="attachment-hint">{i18n.t(Key::AttachmentHint)}</p>
                    <input id="attachment-input" type="file" accept=accept.clone() data-testid="attachment-input"
                        aria-describedby="attachment-hint" disabled=uploading on:change=on_change.clone()/>
                </div>
            </Show>
        </section>
    }
}
