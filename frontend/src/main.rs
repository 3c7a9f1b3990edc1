//! Entry point of the OneWindow web front-end: mounts the app on the page's body.

mod api;
mod app;
mod components;
mod fetched;
mod i18n;
mod live;
mod pages;
mod prefs;
mod session;
mod shell;
mod unread;

fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        said_broken(&info.to_string());
    }));
    leptos::mount::mount_to_body(app::App);
}

/// After a panic the page no longer reacts: say so on the page, in both languages (the
/// chosen one may be what broke), with the way out, instead of leaving it silently dead.
/// The message is kept in `data-panic` on the body, for support and the tests.
fn said_broken(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let _ = body.set_attribute("data-panic", message);
    if let Ok(alert) = document.create_element("p") {
        let _ = alert.set_attribute("role", "alert");
        let _ = alert.set_attribute("class", "panic-banner");
        let _ = alert.set_attribute("data-testid", "panic");
        alert.set_text_content(Some(
            "页面出错，请刷新页面后重试。The page hit an error; reload it to continue.",
        ));
        let _ = body.prepend_with_node_1(&alert);
    }
}
