//! The header's bell: a link to the notification centre with the number of unread
//! notifications. It refreshes on every navigation and every minute while someone is
//! signed in, and is not shown to anonymous visitors.

use crate::i18n::{t, unread_notifications, use_i18n, Key};
use crate::session::use_session;
use crate::unread::use_unread;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use std::time::Duration;

/// How often the count is fetched while a page stays open.
const EVERY: Duration = Duration::from_secs(60);

#[component]
pub fn Bell() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let unread = use_unread();
    let location = use_location();
    let signed_in = Memo::new(move |_| session.account.with(Option::is_some));

    // A route change is when the user looks at the header again; a new sign-in also
    // counts (the path tracks for the former, the memo for the latter).
    Effect::new(move |_| {
        location.pathname.track();
        if signed_in.get() {
            unread.refresh();
        } else {
            unread.clear();
        }
    });
    // A page left open still learns of new notifications, at most a minute late.
    let timer = StoredValue::new(None::<IntervalHandle>);
    Effect::new(move |_| {
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        let handle = signed_in
            .get()
            .then(|| set_interval_with_handle(move || unread.refresh(), EVERY).ok())
            .flatten();
        timer.set_value(handle);
    });
    on_cleanup(move || {
        if let Some(h) = timer.get_value() {
            h.clear();
        }
    });

    let count = move || unread.count.get().unwrap_or(0);
    // The link's name carries the number, so a screen reader says "3 unread
    // notifications" and not "bell 3".
    let label = move || match count() {
        0 => t(i18n.lang(), Key::NavNotifications).to_owned(),
        n => unread_notifications(i18n.lang(), n),
    };
    move || {
        signed_in.get().then(|| {
            view! {
                <a class="bell" href="/notifications" data-testid="nav-notifications"
                    aria-label=label title=label>
                    <svg class="bell-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                        <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z"/>
                    </svg>
                    {move || (count() > 0).then(|| {
                        let n = count();
                        let shown = if n > 99 { "99+".to_owned() } else { n.to_string() };
                        view! {
                            <span class="bell-count" data-testid="unread-count" data-count=n.to_string()
                                aria-hidden="true">{shown}</span>
                        }
                    })}
                </a>
            }
        })
    }
}
