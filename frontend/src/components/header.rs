//! The site header: the app name, who is signed in (with the notification bell and
//! sign out), and the switches of elder mode and language. The navigation is
//! `components::nav`.

use crate::components::bell::Bell;
use crate::i18n::{use_i18n, Key};
use crate::prefs::use_elder;
use crate::session::{use_session, use_sign_out};
use leptos::prelude::*;
use onewindow_api::account::Role;
use onewindow_api::Lang;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sign_out = use_sign_out();
    let account = move || {
        session.ready.get().then(|| match session.account.get() {
            Some(a) => {
                let sign_out = sign_out.clone();
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
                        <button type="button" class="header-button" data-testid="logout" on:click=move |_| sign_out()>
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
            {account}
            <ElderSwitch/>
            <LangSwitch/>
        </header>
    }
}

/// The one switch of elder mode (长辈模式), a toggle button that says whether it is on.
#[component]
pub fn ElderSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let elder = use_elder();
    view! {
        <button
            type="button"
            class="lang-switch elder-switch"
            data-testid="elder-switch"
            aria-pressed=move || if elder.on() { "true" } else { "false" }
            on:click=move |_| elder.toggle()
        >
            {i18n.t(Key::ElderMode)}
        </button>
    }
}

/// The language switch: a button that names the language it switches to, written in
/// that language.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let switch = move |_| {
        i18n.0.update(|l| {
            *l = match *l {
                Lang::ZhCn => Lang::En,
                Lang::En => Lang::ZhCn,
            }
        })
    };
    let target_tag = move || match i18n.lang() {
        Lang::ZhCn => "en",
        Lang::En => "zh-CN",
    };
    view! {
        <button
            type="button"
            class="lang-switch"
            data-testid="lang-switch"
            title=i18n.t(Key::SwitchLabel)
            on:click=switch
        >
            <span lang=target_tag>{i18n.t(Key::SwitchTo)}</span>
        </button>
    }
}
