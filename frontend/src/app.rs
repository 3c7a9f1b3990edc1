//! The router, the page's frame (header, navigation, main, footer) and the app-wide
//! contexts: display preferences, the shell, who is signed in, unread count and the
//! live stream.

use crate::components::header::Header;
use crate::components::live_toast::LiveToast;
use crate::components::nav::AppNav;
use crate::components::offline_banner::OfflineBanner;
use crate::components::shell_links::ShellLinks;
use crate::i18n::{t, Key};
use crate::live::provide_live;
use crate::pages::{
    Agents, ApplicationPage, Apply, Book, BookingPage, Catalogue, FirstRun, Guide, HallDesk, Home,
    Login, Lookup, MePage, MyApplications, MyBookings, MyThreads, NotFound,
    NotificationSettingsPage, Notifications, Register, SearchResults, ServerSettings, StaffConsole,
    StatsPage, ThreadPage, Wallet,
};
use crate::prefs::provide_prefs;
use crate::session::provide_session;
use crate::shell::provide_shell;
use crate::unread::provide_unread;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use onewindow_api::Lang;

#[component]
pub fn App() -> impl IntoView {
    let (i18n, _) = provide_prefs();
    let lang = i18n.0;
    let shell = provide_shell();
    provide_session();
    provide_unread();
    provide_live();

    view! {
        <Router>
            <a class="skip-link" href="#main">{move || t(lang.get(), Key::SkipToContent)}</a>
            <Header/>
            <ShellLinks/>
            <LiveToast/>
            <OfflineBanner/>
            <div class="layout">
            <AppNav/>
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
                    <Route path=path!("/me") view=MePage/>
                    <Route path=path!("/settings/server") view=ServerSettings/>
                </Routes>
                </Show>
            </main>
            </div>
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
