//! The site header: the app name, the main navigation and the language switch.

use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::Lang;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
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
                </ul>
            </nav>
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
