//! The router and the app-wide context: the chosen language, remembered in
//! localStorage and mirrored on `<html lang>`, and who is signed in.

use crate::components::header::Header;
use crate::components::live_toast::LiveToast;
use crate::components::offline_banner::OfflineBanner;
use crate::components::shell_links::ShellLinks;
use crate::i18n::{t, I18n, Key};
use crate::live::provide_live;
use crate::pages::{
    Agents, ApplicationPage, Apply, Book, BookingPage, Catalogue, FirstRun, Guide, HallDesk, Home,
    Login, Lookup, MyApplications, MyBookings, MyThreads, NotFound, NotificationSettingsPage,
    Notifications, Register, SearchResults, ServerSettings, StaffConsole, StatsPage, ThreadPage,
    Wallet,
};
use crate::session::provide_session;
use crate::shell::provide_shell;
use crate::unread::provide_unread;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use onewindow_api::Lang;

/// The localStorage key of the chosen language.
const LANG_KEY: &str = "onewindow.lang";

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(initial_lang());
    provide_context(I18n(lang));
    let shell = provide_shell();
    provide_session();
    provide_unread();
    provide_live();

    // Keep the choice, and tell the browser (screen readers, fonts, spelling) which
    // language the page is in.
    Effect::new(move |_| {
        let lang = lang.get();
        remember_lang(lang);
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.tag());
        }
    });

    view! {
        <Router>
            <a class="skip-link" href="#main">{move || t(lang.get(), Key::SkipToContent)}</a>
            <Header/>
            <ShellLinks/>
            <LiveToast/>
            <OfflineBanner/>
            <main id="main" tabindex="-1">
                // Inside the app, nothing works before a server is chosen.
                <Show when=move || !shell.needs_server() fallback=|| view! { <FirstRun/> }>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/services") view=Catalogue/>
                    <Route path=path!("/services/:code") view=Guide/>
                    <Route path=path!("/services/:code/apply") view=Apply/>
                    <Route path=path!("/services/:code/book") view=Book/>
                    <Route path=path!("/bookings") view=MyBookings/>
                    <Route path=path!("/bookings/:id") view=BookingPage/>
                    <Route path=path!("/staff/hall") view=HallDesk/>
                    <Route path=path!("/search") view=SearchResults/>
                    <Route path=path!("/login") view=Login/>
                    <Route path=path!("/register") view=Register/>
                    <Route path=path!("/applications") view=MyApplications/>
                    <Route path=path!("/applications/:id") view=ApplicationPage/>
                    <Route path=path!("/staff") view=StaffConsole/>
                    <Route path=path!("/lookup") view=Lookup/>
                    <Route path=path!("/wallet") view=Wallet/>
                    <Route path=path!("/agents") view=Agents/>
                    <Route path=path!("/notifications") view=Notifications/>
                    <Route path=path!("/settings/notifications") view=NotificationSettingsPage/>
                    <Route path=path!("/threads") view=MyThreads/>
                    <Route path=path!("/threads/:id") view=ThreadPage/>
                    <Route path=path!("/stats") view=StatsPage/>
                    <Route path=path!("/settings/server") view=ServerSettings/>
                </Routes>
                </Show>
            </main>
            <footer class="site-footer">
                <p>{move || t(lang.get(), Key::FooterNote)}</p>
                <p>
                    <a href="/stats" data-testid="footer-stats">{move || t(lang.get(), Key::NavStats)}</a>
                    {shell.in_app.then(|| view! {
                        " · " <a href="/settings/server" data-testid="footer-server">{move || t(lang.get(), Key::NavServer)}</a>
                    })}
                </p>
            </footer>
        </Router>
    }
}

/// The remembered choice, else the browser's preferred language.
fn initial_lang() -> Lang {
    let window = web_sys::window();
    let stored = window
        .as_ref()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    match stored.as_deref() {
        Some("en") => Lang::En,
        Some("zh-CN") => Lang::ZhCn,
        _ => window
            .and_then(|w| w.navigator().language())
            .map(|tag| Lang::from_tag(&tag))
            .unwrap_or_default(),
    }
}

fn remember_lang(lang: Lang) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        // Private browsing may refuse to store; the choice then lasts for this page only.
        let _ = storage.set_item(LANG_KEY, lang.tag());
    }
}

/// Sets the document title of a page: "<page> · 一窗通办".
pub fn set_title(page: &str, lang: Lang) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let app = t(lang, Key::AppName);
        if page.is_empty() {
            doc.set_title(&format!("{app} {}", t(Lang::En, Key::AppName)));
        } else {
            doc.set_title(&format!("{page} · {app}"));
        }
    }
}
