//! `/wallet` (我的证照): the documents kept for reuse — materials accepted in the user's
//! cases and result documents issued to them — each with a download link and a delete
//! that asks first.

use crate::api;
use crate::app::set_title;
use crate::components::require_account::{Need, RequireAccount};
use crate::components::states::InlineError;
use crate::fetched::{listed, Fetched};
use crate::i18n::{self, datetime, file_size, use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::application::FileKind;
use onewindow_api::wallet::WalletDocument;
use onewindow_client::ClientError;

/// The label of a document's kind.
pub fn kind_label(kind: FileKind) -> Key {
    match kind {
        FileKind::Material => Key::KindMaterial,
        FileKind::Result => Key::KindResult,
    }
}

#[component]
pub fn Wallet() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(i18n.t(Key::WalletTitle)(), i18n.lang()));
    view! {
        <div class="page wallet">
            <h1>{i18n.t(Key::WalletTitle)}</h1>
            <p class="intro">{i18n.t(Key::WalletIntro)}</p>
            <RequireAccount need=Need::Applicant>
                <Documents/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn Documents() -> impl IntoView {
    let i18n = use_i18n();
    let docs = Fetched::new(api::documents);
    let refetch = Callback::new(move |_| docs.refetch());
    view! {
        {listed(docs, move |list| view! {
                {list.is_empty().then(|| view! { <p class="empty" data-testid="wallet-empty">{i18n.t(Key::WalletEmpty)}</p> })}
                <ul class="cards single" data-testid="wallet">
                    {list.into_iter().map(|doc| view! { <DocumentRow doc deleted=refetch/> }).collect_view()}
                </ul>
            }
                    .into_any())}
    }
}

#[component]
fn DocumentRow(doc: WalletDocument, deleted: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let id = doc.id;
    let delete = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::delete_document(id).await {
                Ok(()) => deleted.run(()),
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let title_id = format!("doc-{id}-title");
    view! {
        <li class="card document" data-testid="wallet-doc" data-slot=doc.slot.clone() data-kind=doc.kind.as_str()>
            <h2 id=title_id.clone()>{i18n.text(&doc.title)}</h2>
            <p class="badges"><span class="badge badge-neutral">{i18n.t(kind_label(doc.kind))}</span></p>
            <dl class="facts">
                <div class="row"><dt>{i18n.t(Key::FileName)}</dt>
                    <dd data-testid="wallet-doc-name">{doc.name.clone()} " · " {i18n::file_format(doc.format)} " · " {file_size(doc.size)}</dd></div>
                {doc.source_number.clone().map(|n| view! {
                    <div class="row"><dt>{i18n.t(Key::SourceNumber)}</dt><dd class="code">{n}</dd></div>
                })}
                <div class="row"><dt>{i18n.t(Key::AddedAt)}</dt><dd>{datetime(&doc.added_at)}</dd></div>
            </dl>
            <p class="actions">
                <a class="button secondary" href=api::document_url(id) download=doc.name.clone()
                    aria-describedby=title_id.clone() data-testid="wallet-download">{i18n.t(Key::Download)}</a>
                <button type="button" class="secondary danger-outline" data-testid="wallet-delete"
                    aria-describedby=title_id aria-expanded=move || asking.get().to_string()
                    on:click=move |_| asking.set(true)>{i18n.t(Key::Remove)}</button>
            </p>
            <Show when=move || asking.get()>
                <div class="confirm" role="group">
                    <p>{i18n.t(Key::DeleteQuestion)}</p>
                    <p class="actions">
                        <button type="button" class="danger" data-testid="wallet-delete-confirm"
                            disabled=move || busy.get() on:click=delete>{i18n.t(Key::DeleteConfirm)}</button>
                        <button type="button" class="secondary" on:click=move |_| asking.set(false)>{i18n.t(Key::Cancel)}</button>
                    </p>
                </div>
            </Show>
            <InlineError error=failure/>
        </li>
    }
}
