//! The app shell's choice of server. In a browser the server is the page's own origin
//! and there is nothing to choose; inside the app the shell keeps the choice, and until
//! the first run has made it, the app shows only the first-run screen.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::ids::CaseId;
use serde::Deserialize;

#[derive(Debug, Clone, Copy)]
pub struct Shell {
    /// Inside the app shell (fixed for the page's life).
    pub in_app: bool,
    /// The shell's server: `None` until asked, then `Some(None)` before the first run
    /// has chosen one.
    pub server: RwSignal<Option<Option<String>>>,
    /// Offline: when the copy on screen was fetched (RFC 3339), as the last answer said.
    pub offline_since: RwSignal<Option<String>>,
    /// What the shell last did with the drafts saved offline, until dismissed.
    pub synced: RwSignal<Option<Synced>>,
}

/// The shell's `drafts_synced` event: the drafts saved offline it has sent since, and
/// those the server refused.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Synced {
    pub sent: Vec<CaseId>,
    pub refused: Vec<Refusal>,
}

/// A draft saved offline that the server refused, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Refusal {
    pub application: CaseId,
    pub code: String,
    pub message: String,
}

impl Shell {
    /// The first-run screen is due: inside the app, and no server chosen yet.
    pub fn needs_server(self) -> bool {
        self.in_app && self.server.with(|s| matches!(s, Some(None)))
    }
}

/// Provides the context and, inside the app, asks the shell for its server; called once
/// by `App`.
pub fn provide_shell() -> Shell {
    let shell = Shell {
        in_app: api::in_app_shell(),
        server: RwSignal::new(None),
        offline_since: RwSignal::new(None),
        synced: RwSignal::new(None),
    };
    provide_context(shell);
    if shell.in_app {
        onewindow_client::invoke::on_answer(move |cached| {
            if shell.offline_since.get_untracked() != cached {
                shell.offline_since.set(cached);
            }
        });
        let heard =
            onewindow_client::invoke::listen(
                "drafts_synced",
                move |json| match serde_json::from_str::<Synced>(&json) {
                    Ok(s) => shell.synced.set(Some(s)),
                    Err(e) => web_sys::console::warn_1(&format!("drafts_synced: {e}").into()),
                },
            );
        if let Err(e) = heard {
            web_sys::console::warn_1(&e.message.into());
        }
        spawn_local(async move {
            match api::shell_server().await {
                Ok(server) => shell.server.set(Some(server)),
                Err(e) => {
                    web_sys::console::warn_1(&format!("the app's server: {e}").into());
                    shell.server.set(Some(None));
                }
            }
        });
    }
    shell
}

/// The context; `App` provides it, so a missing one is a programming error.
pub fn use_shell() -> Shell {
    expect_context::<Shell>()
}
