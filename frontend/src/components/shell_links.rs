//! Inside the app: opens the page a deep link (`onewindow://cases/42`) asked for, at start
//! and whenever the shell sends its `navigate` event. The shell checked the link and
//! turned it into a page path; the page takes it with the `take_link` command.

use crate::session::safe_next;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use onewindow_client::invoke::{invoke, listen};

#[component]
pub fn ShellLinks() -> impl IntoView {
    if crate::api::in_app_shell() {
        let navigate = use_navigate();
        let go = move || {
            let navigate = navigate.clone();
            spawn_local(async move {
                let link: Option<String> = invoke("take_link", &serde_json::json!({}))
                    .await
                    .ok()
                    .flatten();
                // Only a path of this app, whatever the shell sends.
                if let Some(path) = safe_next(link) {
                    navigate(&path, NavigateOptions::default());
                }
            });
        };
        go();
        if let Err(e) = listen("navigate", move |_| go()) {
            web_sys::console::warn_1(&e.message.into());
        }
    }
}
