//! Who is signed in, app-wide. The session itself is an HttpOnly cookie the page never
//! sees; this only mirrors the account `GET /api/v1/me` returns, so that the header and
//! the pages that need an account know whom they serve.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::account::{Account, Role};

#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// The signed-in account, `None` when anonymous.
    pub account: RwSignal<Option<Account>>,
    /// False until the first `me()` has answered.
    pub ready: RwSignal<bool>,
}

impl Session {
    /// Asks the server who is signed in. A network error counts as anonymous: the pages
    /// that need an account then send the user to sign in, where the error shows.
    pub fn refresh(self) {
        spawn_local(async move {
            let account = api::me().await.ok().flatten();
            // Only a change is news: a page that depends on the account must not be
            // rebuilt (and reload its data) because the same account was confirmed.
            if self.account.with_untracked(|a| *a != account) {
                self.account.set(account);
            }
            if !self.ready.get_untracked() {
                self.ready.set(true);
            }
        });
    }

    /// Staff, or a supervisor (admin) who opens a case from the supervision view: both
    /// see a case from the back office's side, never the applicant's.
    pub fn is_staff(self) -> bool {
        self.account.with(|a| {
            a.as_ref()
                .is_some_and(|a| matches!(a.role, Role::Staff | Role::Admin))
        })
    }
}

/// Provides the session context and starts the first `me()`; called once by `App`.
pub fn provide_session() -> Session {
    let session = Session {
        account: RwSignal::new(None),
        ready: RwSignal::new(false),
    };
    provide_context(session);
    session.refresh();
    session
}

/// The session context; `App` provides it, so a missing one is a programming error.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Where to go after signing in: only a path of this site, never another origin.
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}

/// Signing out, for a button: the server ends the session, the page forgets the account
/// and its unread count, and goes home. Even if the server cannot be reached the page
/// forgets the account; the cookie then expires on its own.
pub fn use_sign_out() -> impl Fn() + Clone + 'static {
    let session = use_session();
    let unread = crate::unread::use_unread();
    let navigate = leptos_router::hooks::use_navigate();
    move || {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = api::logout().await;
            session.account.set(None);
            unread.clear();
            navigate("/", leptos_router::NavigateOptions::default());
        });
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next(Some("/applications/3".into())).as_deref(),
            Some("/applications/3")
        );
        assert_eq!(safe_next(Some("//evil.example".into())), None);
        assert_eq!(safe_next(Some("https://evil.example".into())), None);
        assert_eq!(safe_next(Some("/\\evil.example".into())), None);
        assert_eq!(safe_next(None), None);
    }
}
