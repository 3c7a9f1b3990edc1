//! Material slots (申请材料): each shows its name, whether it is required, what it must
//! show, the accepted formats and the size limit before a file is chosen; takes several
//! files; checks each chosen file's real type and size in the page; uploads with a
//! progress bar; and lets the user retry a failed upload or remove a file.

use super::editor::Editor;
use super::from_wallet::FromWallet;
use crate::api;
use crate::components::states::{error_message, InlineError};
use crate::i18n::{self, copies, file_size, max_size, too_large, use_i18n, wrong_format, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::application::{FileInfo, NoticeSource, NoticeTarget};
use onewindow_api::catalogue::{FileFormat, Material};
use onewindow_api::sniff::{check_head, check_size, UploadRefusal};
use onewindow_client::ClientError;

#[component]
pub fn MaterialSlots(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card materials-section" aria-labelledby="materials-heading" data-testid="materials-section">
            <h2 id="materials-heading">{i18n.t(Key::UploadSection)}</h2>
            {editor.materials().into_iter().map(|material| view! { <MaterialSlot material editor/> }).collect_view()}
        </section>
    }
}

/// Why a chosen file was not (or not yet) accepted.
#[derive(Debug, Clone)]
enum Refusal {
    Empty,
    TooLarge(u32),
    Format(String),
    Unreadable,
    Server(ClientError),
}

#[derive(Debug, Clone)]
enum Status {
    Uploading,
    Failed(Refusal),
}

/// A file on its way: the browser's `File` stays here so that a failed upload can be
/// retried without choosing it again.
#[derive(Debug, Clone)]
struct Pending {
    key: u32,
    name: String,
    size: u64,
    progress: RwSignal<f64>,
    status: RwSignal<Status>,
    file: web_sys::File,
}

/// The accept attribute of a file input: extensions and media types of the formats.
fn accept(formats: &[FileFormat]) -> String {
    formats
        .iter()
        .flat_map(|f| {
            let mut v = vec![format!(".{}", f.extension()), f.media_type().to_owned()];
            if *f == FileFormat::Jpeg {
                v.push(".jpeg".to_owned());
            }
            v
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[component]
fn MaterialSlot(material: Material, editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    let code = material.code.clone();
    let target = NoticeTarget::Material(code.clone());
    let editable = {
        let target = target.clone();
        Memo::new(move |_| editor.can_edit(&target))
    };
    let pending = RwSignal::new_local(Vec::<Pending>::new());
    let next_key = StoredValue::new(0u32);
    let remove_error = RwSignal::new(None::<ClientError>);
    let formats_text = material
        .formats
        .iter()
        .map(|f| i18n::file_format(*f))
        .collect::<Vec<_>>()
        .join(", ");
    let material = StoredValue::new(material);
    let id = editor.app.with_untracked(|a| a.id);

    // Checks a pending file in the page, then uploads it; the outcome lands in `pending`
    // (a failure) or in the application's files (a success).
    let run = move |p: Pending| {
        p.status.set(Status::Uploading);
        p.progress.set(0.0);
        spawn_local(async move {
            let (max_mb, formats, slot) =
                material.with_value(|m| (m.max_size_mb, m.formats.clone(), m.code.clone()));
            // The contract's upload rules, as the server applies them.
            let refusal = match check_size(p.size, u64::from(max_mb)) {
                Err(UploadRefusal::TooLarge(_)) => Some(Refusal::TooLarge(max_mb)),
                Err(_) => Some(Refusal::Empty),
                Ok(()) => match api::read_head(&p.file).await {
                    Err(_) => Some(Refusal::Unreadable),
                    Ok(head) => match check_head(&head, &formats) {
                        Ok(_) => None,
                        Err(UploadRefusal::Format) => Some(Refusal::Format(
                            formats
                                .iter()
                                .map(|f| i18n::file_format(*f))
                                .collect::<Vec<_>>()
                                .join(", "),
                        )),
                        Err(_) => Some(Refusal::Empty),
                    },
                },
            };
            if let Some(r) = refusal {
                p.status.set(Status::Failed(r));
                return;
            }
            let progress = p.progress;
            match api::upload_material(id, &slot, &p.file, move |f| progress.set(f)).await {
                Ok(info) => {
                    editor.add_file(info);
                    pending.update(|list| list.retain(|x| x.key != p.key));
                }
                Err(e) => p.status.set(Status::Failed(Refusal::Server(e))),
            }
        });
    };
    // By key, so that no view closure holds a browser `File`.
    let retry = move |key: u32| {
        if let Some(p) = pending.with_untracked(|l| l.iter().find(|x| x.key == key).cloned()) {
            run(p);
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(list) = input.files() else {
            return;
        };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|n| list.get(n)).collect();
        // Let the same file be chosen again later (after removing it, say).
        input.set_value("");
        for file in chosen {
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            let p = Pending {
                key,
                name: file.name(),
                size: file.size() as u64,
                progress: RwSignal::new(0.0),
                status: RwSignal::new(Status::Uploading),
                file,
            };
            pending.update(|list| list.push(p.clone()));
            run(p);
        }
    };

    let uploaded = {
        let code = code.clone();
        move || {
            editor.app.with(|a| {
                a.files
                    .iter()
                    .filter(|f| f.slot == code)
                    .cloned()
                    .collect::<Vec<FileInfo>>()
            })
        }
    };
    let uploaded_rows = move || {
        let files = uploaded();
        if files.is_empty() {
            return view! { <p class="hint" data-testid="no-files">{i18n.t(Key::NothingUploaded)}</p> }.into_any();
        }
        view! {
            <ul class="files">
                {files.into_iter().map(|f| {
                    let href = api::file_url(id, f.id);
                    let file_id = f.id;
                    // The button names its file: a list of "Remove" buttons says nothing
                    // to a screen reader.
                    let remove_label = {
                        let name = f.name.clone();
                        move || format!("{} {name}", i18n.t(Key::RemoveFile)())
                    };
                    let remove = move |_| {
                        remove_error.set(None);
                        spawn_local(async move {
                            match api::remove_file(id, file_id).await {
                                Ok(()) => editor.forget_file(file_id),
                                Err(e) => remove_error.set(Some(e)),
                            }
                        });
                    };
                    view! {
                        <li class="file" data-testid="uploaded-file" data-name=f.name.clone()>
                            <span class="file-status ok">"✓ " {i18n.t(Key::Uploaded)}</span>
                            <a href=href target="_blank" rel="noopener">{f.name.clone()}</a>
                            <span class="file-meta">{i18n::file_format(f.format)} " · " {file_size(f.size)}</span>
                            {move || editable.get().then(|| view! {
                                <button type="button" class="secondary small" data-testid="remove-file"
                                    aria-label=remove_label.clone() on:click=remove>
                                    {i18n.t(Key::RemoveFile)}
                                </button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let pending_rows = move || {
        pending
            .get()
            .into_iter()
            .map(|p| {
                let name = p.name.clone();
                let status = p.status;
                let progress = p.progress;
                let key = p.key;
                let percent = move || (progress.get() * 100.0).round() as u32;
                view! {
                    <li class="file pending" data-testid="upload-row"
                        data-status=move || match status.get() { Status::Uploading => "uploading", Status::Failed(_) => "failed" }>
                        <span class="file-name">{name.clone()}</span>
                        <span class="file-meta">{file_size(p.size)}</span>
                        {move || match status.get() {
                            Status::Uploading => view! {
                                <span class="upload-progress">
                                    <progress max="100" value=percent aria-label=format!("{} {}", i18n.t(Key::Uploading)(), name)></progress>
                                    <span>{i18n.t(Key::Uploading)} " " {percent} "%"</span>
                                </span>
                            }.into_any(),
                            Status::Failed(r) => {
                                let retryable = matches!(r, Refusal::Server(_) | Refusal::Unreadable);
                                let message = move || match &r {
                                    Refusal::TooLarge(mb) => too_large(i18n.lang(), *mb),
                                    Refusal::Format(f) => wrong_format(i18n.lang(), f),
                                    Refusal::Unreadable => i18n.t(Key::UnreadableFile)().to_owned(),
                                    Refusal::Empty => i18n.t(Key::EmptyFile)().to_owned(),
                                    Refusal::Server(e) => error_message(i18n.lang(), e),
                                };
                                view! {
                                    <span class="inline-error" role="alert">{i18n.t(Key::UploadFailed)} {i18n.t(Key::Colon)} {message}</span>
                                    {retryable.then(|| view! {
                                        <button type="button" class="secondary small" data-testid="retry-upload"
                                            on:click=move |_| retry(key)>{i18n.t(Key::RetryUpload)}</button>
                                    })}
                                    <button type="button" class="secondary small"
                                        on:click=move |_| pending.update(|l| l.retain(|x| x.key != key))>
                                        {i18n.t(Key::Dismiss)}
                                    </button>
                                }.into_any()
                            }
                        }}
                    </li>
                }
            })
            .collect_view()
    };
    let staff_note = {
        let target = target.clone();
        move || {
            editor.app.with(|a| {
                a.notice
                    .problems
                    .iter()
                    .find(|p| p.source == NoticeSource::Staff && p.target == target)
                    .map(|p| p.message.clone())
            })
        }
    };
    let (name, required, requirements, form, count, max_mb, accept_attr) =
        material.with_value(|m| {
            (
                m.name.clone(),
                m.required,
                m.requirements.clone(),
                m.form,
                m.count,
                m.max_size_mb,
                accept(&m.formats),
            )
        });
    let (required_key, required_class) = if required {
        (Key::Required, "badge badge-warn")
    } else {
        (Key::Optional, "badge badge-neutral")
    };
    let input_id = format!("file-{code}");
    let input_testid = format!("file-input-{code}");
    let limits_id = format!("limits-{code}");
    view! {
        <section id=format!("slot-{code}") class="slot" tabindex="-1" data-testid="slot" data-slot=code.clone()
            class:locked=move || !editable.get()>
            <h3>{i18n.text(&name)}</h3>
            <p class="badges">
                <span class=required_class>{i18n.t(required_key)}</span>
                <span class="badge badge-neutral">{i18n.t(i18n::material_form(form))}</span>
                <span class="badge badge-neutral">{move || copies(i18n.lang(), count)}</span>
            </p>
            <p class="requirements">{i18n.text(&requirements)}</p>
            <p class="formats" id=limits_id.clone() data-testid="slot-limits">
                {i18n.t(Key::Formats)} {i18n.t(Key::Colon)} {formats_text} " · " {move || max_size(i18n.lang(), max_mb)}
                " · " {i18n.t(Key::SeveralFiles)}
            </p>
            {move || staff_note().map(|m| view! {
                <p class="staff-note" data-testid="staff-note">{i18n.t(Key::SourceStaff)} {i18n.t(Key::Colon)} {i18n.text(&m)}</p>
            })}
            {uploaded_rows}
            <ul class="files">{pending_rows}</ul>
            <InlineError error=remove_error/>
            {move || if editable.get() {
                view! {
                    <div class="file-pick">
                        <label for=input_id.clone()>{i18n.t(Key::ChooseFiles)}</label>
                        <input id=input_id.clone() type="file" multiple accept=accept_attr.clone()
                            data-testid=input_testid.clone() aria-describedby=limits_id.clone()
                            on:change=on_change/>
                    </div>
                    // A wallet is its owner's: a colleague or an agent uploads instead.
                    {editor.app.with_untracked(|a| a.viewer_is_applicant).then(|| {
                        view! { <FromWallet editor material=material.get_value()/> }
                    })}
                }.into_any()
            } else {
                view! { <p class="locked-note">{i18n.t(Key::NotFlagged)}</p> }.into_any()
            }}
        </section>
    }
}
