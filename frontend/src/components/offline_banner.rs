//! The app's offline banner: when the shell could not reach the server and showed its
//! offline copy, the page says so and how old the copy is, until a live answer comes.

use crate::i18n::{datetime, use_i18n, Key};
use crate::shell::use_shell;
use leptos::prelude::*;

#[component]
pub fn OfflineBanner() -> impl IntoView {
    let i18n = use_i18n();
    let shell = use_shell();
    move || {
        shell.offline_since.get().map(|at| {
            view! {
                <p class="offline-banner" role="status" data-testid="offline-banner" data-since=at.clone()>
                    <strong>{i18n.t(Key::OfflineTitle)}</strong> " "
                    {i18n.t(Key::OfflineUpdated)} " " {datetime(&at)}
                </p>
            }
        })
    }
}
