//! Entry point of the OneWindow web front-end: mounts the app on the page's body.

mod api;
mod app;
mod components;
mod fetched;
mod i18n;
mod live;
mod pages;
mod session;
mod shell;
mod unread;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
