//! The app's navigation (its model is `onewindow_ui::nav`): a bar at the bottom of
//! phones with the five main destinations and a sidebar on wide screens with every
//! destination the account has. The link of the current page is marked for everyone
//! (`aria-current`), not only by colour.

use crate::i18n::{use_i18n, Key};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use onewindow_ui::nav::{current, destinations, Icon};

#[component]
pub fn AppNav() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let role = Memo::new(move |_| session.account.with(|a| a.as_ref().map(|a| a.role)));
    let active = Memo::new(move |_| current(&destinations(role.get()), &location.pathname.get()));
    let links = move || {
        destinations(role.get())
            .into_iter()
            .map(|d| {
                let href = d.href;
                let here = move || (active.get() == Some(href)).then_some("page");
                view! {
                    <li class=if d.bottom { "bottom" } else { "side" }>
                        <a href=href data-testid=d.testid aria-current=here>
                            {icon(d.icon)}
                            <span class="nav-label">{i18n.t(d.key)}</span>
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <nav class="app-nav" aria-label=i18n.t(Key::MainNav)>
            <ul>{links}</ul>
        </nav>
    }
}

/// An icon of the navigation, drawn as 24×24 strokes; decorative, since each link has
/// its words.
fn icon(icon: Icon) -> impl IntoView {
    view! {
        <svg class="nav-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=icon.path()/>
        </svg>
    }
}
