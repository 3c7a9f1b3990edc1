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
    /// The last file saved from a link (where it went, or why not), until dismissed.
    pub saved: RwSignal<Option<Result<String, String>>>,
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
        saved: RwSignal::new(None),
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
        save_api_links(shell);
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

/// Inside the app a link to a file of the API (a result or wallet document, an
/// attachment, a calendar file, the CSV export) carries no session, so a click on one
/// asks the shell to fetch it and save it where the user chooses instead.
fn save_api_links(shell: Shell) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        let Some(link) = link else {
            return;
        };
        let href = link.get_attribute("href").unwrap_or_default();
        if !href.starts_with(onewindow_api::API_PREFIX) {
            return;
        }
        ev.prevent_default();
        ev.stop_propagation();
        let name = link
            .get_attribute("download")
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| {
                let plain = href.split('?').next().unwrap_or_default();
                plain.rsplit('/').next().unwrap_or_default().to_owned()
            });
        spawn_local(async move {
            let args = serde_json::json!({ "path": href, "name": name });
            let saved: Result<Option<String>, _> =
                onewindow_client::invoke::invoke("download", &args).await;
            match saved {
                Ok(Some(path)) => shell.saved.set(Some(Ok(path))),
                Ok(None) => {}
                Err(e) => shell.saved.set(Some(Err(e.message))),
            }
        });
    });
    let added = web_sys::window().and_then(|w| w.document()).map(|d| {
        d.add_event_listener_with_callback_and_bool(
            "click",
            on_click.as_ref().unchecked_ref(),
            true,
        )
    });
    if let Some(Err(e)) = added {
        web_sys::console::warn_1(&e);
    }
    // Listening lasts as long as the page.
    on_click.forget();
}

/// The context; `App` provides it, so a missing one is a programming error.
pub fn use_shell() -> Shell {
    expect_context::<Shell>()
}
