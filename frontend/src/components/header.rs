//! The site header: the app name, the main navigation, who is signed in (with the
//! notification bell and sign out) and the language switch.

use crate::api;
use crate::components::bell::Bell;
use crate::i18n::{use_i18n, Key};
use crate::session::use_session;
use crate::unread::use_unread;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use onewindow_api::account::Role;
use onewindow_api::Lang;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let unread = use_unread();
    let navigate = use_navigate();
    let switch = move |_| {
        i18n.0.update(|l| {
            *l = match *l {
                Lang::ZhCn => Lang::En,
                Lang::En => Lang::ZhCn,
            }
        })
    };
    // The button names the language it switches to, written in that language.
    let target_tag = move || match i18n.lang() {
        Lang::ZhCn => "en",
        Lang::En => "zh-CN",
    };
    let role = move || session.account.with(|a| a.as_ref().map(|a| a.role));
    let logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Even if the server cannot be reached the page forgets the account; the
            // cookie then expires on its own.
            let _ = api::logout().await;
            session.account.set(None);
            unread.clear();
            navigate("/", NavigateOptions::default());
        });
    };
    let account = move || {
        session.ready.get().then(|| match session.account.get() {
            Some(a) => {
                let logout = logout.clone();
                let staff = (a.role == Role::Staff)
                    .then(|| view! { <span class="badge badge-neutral">{i18n.t(Key::RoleStaff)}</span> });
                view! {
                    <div class="account">
                        <Bell/>
                        <span class="signed-in" data-testid="account-name">
                            <span class="visually-hidden">{i18n.t(Key::SignedInAs)} {i18n.t(Key::Colon)}</span>
                            {a.name.clone()}
                        </span>
                        {staff}
                        <button type="button" class="header-button" data-testid="logout" on:click=logout>
                            {i18n.t(Key::NavLogout)}
                        </button>
                    </div>
                }
                .into_any()
            }
            None => view! {
                <div class="account">
                    <a class="header-link" href="/login" data-testid="nav-login">{i18n.t(Key::NavLogin)}</a>
                    <a class="header-link" href="/register">{i18n.t(Key::NavRegister)}</a>
                </div>
            }
            .into_any(),
        })
    };
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"窗"</span>
                <span class="brand-name">{i18n.t(Key::AppName)}</span>
            </a>
            <nav class="main-nav" aria-label=i18n.t(Key::MainNav)>
                <ul>
                    <li><a href="/">{i18n.t(Key::NavHome)}</a></li>
                    <li><a href="/services">{i18n.t(Key::NavCatalogue)}</a></li>
                    <li><a href="/lookup">{i18n.t(Key::NavLookup)}</a></li>
                    {move || match role() {
                        Some(Role::Staff | Role::Admin) => Some(view! {
                            <li><a href="/staff" data-testid="nav-staff">{i18n.t(Key::NavStaff)}</a></li>
                            <li><a href="/staff/hall" data-testid="nav-hall-desk">{i18n.t(Key::NavHallDesk)}</a></li>
                        }.into_any()),
                        Some(role @ (Role::Citizen | Role::BusinessMember)) => Some(view! {
                            <li><a href="/applications" data-testid="nav-applications">{i18n.t(Key::NavMyApplications)}</a></li>
                            <li><a href="/bookings" data-testid="nav-bookings">{i18n.t(Key::NavBookings)}</a></li>
                            <li><a href="/threads" data-testid="nav-threads">{i18n.t(Key::NavThreads)}</a></li>
                            <li><a href="/wallet" data-testid="nav-wallet">{i18n.t(Key::NavWallet)}</a></li>
                            {(role == Role::Citizen).then(|| view! {
                                <li><a href="/agents" data-testid="nav-agents">{i18n.t(Key::NavAgents)}</a></li>
                            })}
                        }.into_any()),
                        _ => None,
                    }}
                </ul>
            </nav>
            {account}
            <button
                type="button"
                class="lang-switch"
                data-testid="lang-switch"
                title=i18n.t(Key::SwitchLabel)
                on:click=switch
            >
                <span lang=target_tag>{i18n.t(Key::SwitchTo)}</span>
            </button>
        </header>
    }
}
