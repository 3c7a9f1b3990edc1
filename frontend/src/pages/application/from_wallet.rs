//! "Use from my documents" on a material slot of a draft: the wallet's documents, those
//! that fit this material first (kept for it, or of its kind of document, as the
//! contract's `WalletDocument::fits` says), each attached with one press instead of an
//! upload.

use super::editor::Editor;
use crate::api;
use crate::components::states::InlineError;
use crate::fetched::Fetched;
use crate::i18n::{self, file_size, use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::catalogue::Material;
use onewindow_client::ClientError;

#[component]
pub fn FromWallet(editor: Editor, material: Material) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let id = editor.app.with_untracked(|a| a.id);
    let material = StoredValue::new(material);
    // Loaded only when opened: most slots never need it.
    let docs = Fetched::new(move || {
        let open = open.get();
        async move {
            if !open {
                return Ok(Vec::new());
            }
            let mut docs = api::documents().await?;
            material.with_value(|m| docs.sort_by_key(|d| !d.fits(m)));
            Ok(docs)
        }
    });
    let attach = move |doc| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::attach_document(id, material.with_value(|m| m.code.clone()), doc).await {
                Ok(info) => {
                    editor.add_file(info);
                    open.set(false);
                }
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let list = move || {
        docs.get().map(|r| match r {
            Ok(docs) if docs.is_empty() => {
                view! { <p class="hint">{i18n.t(Key::WalletEmpty)}</p> }.into_any()
            }
            Ok(docs) => view! {
                <ul class="files" data-testid="wallet-choices">
                    {docs.into_iter().map(|d| {
                        let matching = material.with_value(|m| d.fits(m));
                        let doc = d.id;
                        view! {
                            <li class="file" data-testid="wallet-choice">
                                <span>{i18n.text(&d.title)} " · " {d.name.clone()}</span>
                                <span class="file-meta">{i18n::file_format(d.format)} " · " {file_size(d.size)}</span>
                                {matching.then(|| view! { <span class="badge badge-good">{i18n.t(Key::MatchingSlot)}</span> })}
                                <button type="button" class="secondary small" data-testid="wallet-use"
                                    disabled=move || busy.get() on:click=move |_| attach(doc)>{i18n.t(Key::UseThis)}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any(),
            Err(e) => view! { <p class="inline-error" role="alert">{crate::components::states::error_message(i18n.lang(), &e)}</p> }.into_any(),
        })
    };
    view! {
        <div class="from-wallet">
            <button type="button" class="secondary small" data-testid="from-wallet"
                aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                {i18n.t(Key::UseFromWallet)}
            </button>
            <Show when=move || open.get()>{list}</Show>
            <InlineError error=failure/>
        </div>
    }
}
