//! The signed-in user's count of unread notifications, app-wide: the header's bell shows
//! it, and the notification centre updates it as soon as it marks something read, so
//! the two never disagree for long.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::notification::NotificationQuery;

#[derive(Debug, Clone, Copy)]
pub struct Unread {
    /// `None` while unknown (signed out, or not fetched yet).
    pub count: RwSignal<Option<u64>>,
}

impl Unread {
    /// Asks the server again. A failed request keeps the last count: a missed refresh
    /// is corrected by the next one, and the bell should not flicker away meanwhile.
    pub fn refresh(self) {
        spawn_local(async move {
            // One item is the smallest page; only the list's unread count is used.
            let q = NotificationQuery {
                unread: Some(true),
                page: Some(1),
                per_page: Some(1),
            };
            if let Ok(list) = api::notifications(q).await {
                if self.count.get_untracked() != Some(list.unread) {
                    self.count.set(Some(list.unread));
                }
            }
        });
    }

    /// Forgets the count, e.g. on signing out.
    pub fn clear(self) {
        self.count.set(None);
    }
}

/// Provides the context; called once by `App`.
pub fn provide_unread() -> Unread {
    let unread = Unread {
        count: RwSignal::new(None),
    };
    provide_context(unread);
    unread
}

/// The context; `App` provides it, so a missing one is a programming error.
pub fn use_unread() -> Unread {
    expect_context::<Unread>()
}
