//! `/notifications?page=…`: the notification centre (消息通知), newest first. Unread
//! ones say so in words as well as colour; opening one marks it read and goes to the
//! page it is about; "mark all as read" clears the rest.

use crate::api;
use crate::app::set_title;
use crate::components::pagination::Pagination;
use crate::components::require_account::RequireAccount;
use crate::components::states::error_message;
use crate::fetched::{listed, Fetched};
use crate::i18n::{datetime, t, unread_notifications, use_i18n, Key};
use crate::session::safe_next;
use crate::unread::{use_unread, Unread};
use leptos::ev::MouseEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use onewindow_api::notification::{Notification, NotificationQuery};

const PER_PAGE: u32 = 20;

#[component]
pub fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t(i18n.lang(), Key::NotificationsTitle), i18n.lang()));
    view! {
        <div class="page narrow notifications">
            <h1>{i18n.t(Key::NotificationsTitle)}</h1>
            <RequireAccount>
                <p><a href="/settings/notifications" data-testid="notification-settings-link">{i18n.t(Key::NotificationSettings)}</a></p>
                <NotificationList/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn NotificationList() -> impl IntoView {
    let i18n = use_i18n();
    let unread = use_unread();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    });
    // Bumped after "mark all as read" to load the page again.
    let reload = RwSignal::new(0u32);
    let list = Fetched::new(move || {
        reload.track();
        api::notifications(NotificationQuery {
            unread: None,
            page: Some(page.get()),
            per_page: Some(PER_PAGE),
        })
    });
    // The header's bell shows the same number as this page.
    Effect::new(move |_| {
        if let Some(Ok(l)) = list.get() {
            unread.count.set(Some(l.unread));
        }
    });
    // A new notification while the centre is open: show it at once.
    crate::live::on_live(|_| true, move || reload.update(|n| *n += 1));
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let mark_all = move |_| {
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::mark_all_read().await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(e) => failure.set(Some(error_message(i18n.0.get_untracked(), &e))),
            }
            busy.set(false);
        });
    };
    view! {
        {listed(list, move |answer| match answer {
            l if l.total == 0 => view! {
                <p class="note" data-testid="no-notifications">{i18n.t(Key::NoNotifications)}</p>
            }.into_any(),
            l => {
                let count = l.unread;
                view! {
                    <div class="section-head notifications-head">
                        <p class="count" data-testid="unread-total" data-count=count.to_string()>
                            {move || if count == 0 {
                                t(i18n.lang(), Key::AllRead).to_owned()
                            } else {
                                unread_notifications(i18n.lang(), count)
                            }}
                        </p>
                        <button type="button" class="secondary" data-testid="mark-all-read"
                            disabled=move || busy.get() || count == 0 on:click=mark_all>
                            {i18n.t(Key::MarkAllRead)}
                        </button>
                    </div>
                    <ul class="notification-list">
                        {l.items.into_iter().map(|n| view! { <NotificationRow n unread/> }).collect_view()}
                    </ul>
                    <Pagination page=l.page per_page=l.per_page total=l.total
                        href=page_href/>
                }.into_any()
            }
        })}
        {move || failure.get().map(|m| view! { <p class="inline-error" role="alert" data-testid="inline-error">{m}</p> })}
    }
}

/// The URL of page `n` of the centre.
fn page_href(n: u32) -> String {
    if n > 1 {
        format!("/notifications?page={n}")
    } else {
        "/notifications".to_owned()
    }
}

/// Whether a click is the plain kind the page handles itself; a click that opens a new
/// tab or window is left to the browser.
fn plain_click(ev: &MouseEvent) -> bool {
    ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key())
}

#[component]
fn NotificationRow(n: Notification, unread: Unread) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let is_unread = n.read_at.is_none();
    let id = n.id;
    // The link comes from the server, but only a path of this site is followed.
    let link = safe_next(Some(n.link.clone()));
    let title = i18n.text(&n.title);
    let heading = match link.clone() {
        Some(href) => {
            let target = href.clone();
            let open = move |ev: MouseEvent| {
                if !is_unread {
                    return;
                }
                if !plain_click(&ev) {
                    spawn_local(async move {
                        let _ = api::mark_read(id).await;
                    });
                    return;
                }
                // Mark it read before leaving, so that the next page's bell already
                // counts it; a failure only leaves it unread, the page still opens.
                ev.prevent_default();
                let navigate = navigate.clone();
                let target = target.clone();
                spawn_local(async move {
                    let _ = api::mark_read(id).await;
                    unread.refresh();
                    navigate(&target, NavigateOptions::default());
                });
            };
            view! { <a href=href data-testid="notification-link" on:click=open>{title}</a> }
                .into_any()
        }
        None => view! { <span>{title}</span> }.into_any(),
    };
    let created = datetime(&n.created_at);
    view! {
        <li class="card notification" class:unread=is_unread data-testid="notification"
            data-kind=n.kind.as_str() data-read=(!is_unread).to_string()>
            <h2 class="notification-title">
                {is_unread.then(|| view! {
                    <span class="badge badge-info unread-mark" data-testid="unread-mark">{i18n.t(Key::UnreadMark)}</span>
                    " "
                })}
                {heading}
            </h2>
            <p class="notification-body">{i18n.text(&n.body)}</p>
            <p class="meta"><time datetime=n.created_at.clone()>{created}</time>
                {(!is_unread).then(|| view! { " · " <span class="read-mark">{i18n.t(Key::ReadMark)}</span> })}
            </p>
        </li>
    }
}
