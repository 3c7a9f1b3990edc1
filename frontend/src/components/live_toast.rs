//! The toast of a live notification: its title and body under the header, a link to the
//! page it concerns (which marks it read) and a dismiss button. It sits in a polite live
//! region, so a screen reader announces it without interrupting.

use crate::api;
use crate::i18n::{use_i18n, Key};
use crate::live::use_live;
use crate::session::safe_next;
use crate::unread::use_unread;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::notification::Notification;

#[component]
pub fn LiveToast() -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    let unread = use_unread();
    let shown = RwSignal::new(None::<Notification>);
    Effect::new(move |_| shown.set(live.latest.get()));
    let toast = move || {
        shown.get().map(|n| {
            let id = n.id;
            let title = i18n.text(&n.title);
            let body = i18n.text(&n.body);
            // Following the link reads it: mark it so, then let the bell catch up.
            let read = move |_| {
                shown.set(None);
                spawn_local(async move {
                    let _ = api::mark_read(id).await;
                    unread.refresh();
                });
            };
            let heading = match safe_next(Some(n.link.clone())) {
                Some(href) => view! {
                    <a href=href data-testid="live-toast-link" on:click=read><strong>{title}</strong></a>
                }
                .into_any(),
                None => view! { <strong>{title}</strong> }.into_any(),
            };
            view! {
                <div class="live-toast" data-testid="live-toast" data-kind=n.kind.as_str()>
                    <div class="live-toast-text">
                        {heading}
                        <span>{body}</span>
                    </div>
                    <button type="button" class="live-toast-close" data-testid="live-toast-close"
                        aria-label=i18n.t(Key::Dismiss) title=i18n.t(Key::Dismiss)
                        on:click=move |_| shown.set(None)>"×"</button>
                </div>
            }
        })
    };
    // `data-connected` tells whether new notifications arrive live right now.
    view! {
        <div class="live-region" role="status" aria-live="polite" data-testid="live-region"
            data-connected=move || live.connected.get().to_string()>
            {toast}
        </div>
    }
}
