//! The app's offline banner: when the shell could not reach the server and showed its
//! offline copy, the page says so and how old the copy is, until a live answer comes,
//! and that drafts saved meanwhile are kept. Once the shell has sent them, it says so,
//! and names each one the server refused, with its reason and a link to it. A file saved
//! from a link (inside the app) says where it went.

use crate::i18n::{datetime, use_i18n, Key};
use crate::shell::use_shell;
use leptos::prelude::*;

#[component]
pub fn OfflineBanner() -> impl IntoView {
    let i18n = use_i18n();
    let shell = use_shell();
    let offline = move || {
        shell.offline_since.get().map(|at| {
            view! {
                <p class="offline-banner" role="status" data-testid="offline-banner" data-since=at.clone()>
                    <strong>{i18n.t(Key::OfflineTitle)}</strong> " "
                    {i18n.t(Key::OfflineUpdated)} " " {datetime(&at)} " "
                    {i18n.t(Key::OfflineDraftsKept)}
                </p>
            }
        })
    };
    let synced = move || {
        shell.synced.get().map(|s| {
            let (sent, refused) = (s.sent.len(), s.refused.len());
            let role = if refused > 0 { "alert" } else { "status" };
            view! {
                <div class="offline-banner synced" role=role
                    data-testid="drafts-synced" data-sent=sent.to_string()
                    data-refused=refused.to_string()>
                    {(sent > 0).then(|| view! { <p>{i18n.t(Key::OfflineDraftsSent)}</p> })}
                    {s.refused.into_iter().map(|r| view! {
                        <p data-testid="draft-refused">
                            <a href=format!("/applications/{}", r.application)>
                                {i18n.t(Key::OfflineDraftRefused)} " #" {r.application.to_string()}
                            </a>
                            {i18n.t(Key::Colon)} {r.message} " (" {r.code} ")"
                        </p>
                    }).collect_view()}
                    <button type="button" class="secondary small" data-testid="drafts-synced-close"
                        on:click=move |_| shell.synced.set(None)>{i18n.t(Key::Dismiss)}</button>
                </div>
            }
        })
    };
    let saved = move || {
        shell.saved.get().map(|s| {
            let (ok, text) = match s {
                Ok(path) => (true, path),
                Err(why) => (false, why),
            };
            let role = if ok { "status" } else { "alert" };
            let said = if ok { Key::FileSaved } else { Key::FileNotSaved };
            view! {
                <div class="offline-banner synced" role=role
                    data-testid="file-saved" data-ok=ok.to_string()>
                    <p>{i18n.t(said)} {i18n.t(Key::Colon)}
                        <span data-testid="file-saved-where">{text}</span></p>
                    <button type="button" class="secondary small" on:click=move |_| shell.saved.set(None)>
                        {i18n.t(Key::Dismiss)}</button>
                </div>
            }
        })
    };
    view! { {offline} {synced} {saved} }
}
