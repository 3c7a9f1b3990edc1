//! What the app does with a live notification: the page hears of it (the
//! `notification` event), and for the kinds that need one (see
//! `live::raises_os_notification`) the OS shows it, in the system's language. On Linux
//! clicking it opens its page (the notification's default action, through the
//! desktop's notification service); the plugin offers no click elsewhere.

use crate::live;
use onewindow_api::notification::Notification;
use onewindow_api::Lang;

/// The language of OS notifications: the system's (the page's choice is the page's).
fn os_lang() -> Lang {
    let var = |name| std::env::var(name).ok();
    lang_of_locale([var("LC_ALL"), var("LC_MESSAGES"), var("LANG")])
}

/// The language of the first locale variable that is set and not empty, in POSIX's
/// order (`LC_ALL`, `LC_MESSAGES`, `LANG`): English for `en…`, else Chinese (the demo
/// city's, and the fallback for `C` and `POSIX`).
fn lang_of_locale(vars: [Option<String>; 3]) -> Lang {
    let tag = vars.into_iter().flatten().find(|v| !v.is_empty());
    match tag {
        Some(t) if t.starts_with("en") => Lang::En,
        _ => Lang::ZhCn,
    }
}

/// Hands a live notification to the page (the `notification` event) and, for the kinds
/// that need one, to the OS.
pub fn deliver(app: &tauri::AppHandle, n: Notification) {
    use tauri::Emitter;
    if live::raises_os_notification(n.kind) {
        os_notification(app, &n);
    }
    if let Err(e) = app.emit("notification", &n) {
        eprintln!("onewindow: the page was not told of a notification: {e}");
    }
}

/// Raises the OS notification of `n`. On Linux clicking it opens its page (the
/// notification's default action, through the desktop's notification service); the
/// plugin offers no click on the other desktops, where it only shows.
fn os_notification(app: &tauri::AppHandle, n: &Notification) {
    let lang = os_lang();
    #[cfg(target_os = "linux")]
    {
        let open = match lang {
            Lang::En => "Open",
            Lang::ZhCn => "打开",
        };
        let shown = notify_rust::Notification::new()
            .appname("OneWindow")
            .summary(n.title.get(lang))
            // The body may hold markup for the notification service; staff wrote parts
            // of this text, so it goes as text.
            .body(&plain(n.body.get(lang)))
            .action("default", open)
            .show();
        match shown {
            Ok(handle) => {
                use std::sync::atomic::{AtomicUsize, Ordering};
                // Each shown notification waits for its click on a thread of its own;
                // a desktop that keeps them all would otherwise gather threads without
                // end. Beyond this many, the newest show without a click.
                static WAITING: AtomicUsize = AtomicUsize::new(0);
                const MAX_WAITING: usize = 16;
                if WAITING.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
                    WAITING.fetch_sub(1, Ordering::SeqCst);
                    return;
                }
                let app = app.clone();
                let page = crate::links::notification_page(&n.link);
                // Waits (off the async runtime) until it is clicked or closed.
                std::thread::spawn(move || {
                    handle.wait_for_action(|action| {
                        if let ("default", Some(page)) = (action, page) {
                            crate::open_page(&app, page);
                        }
                    });
                    WAITING.fetch_sub(1, Ordering::SeqCst);
                });
            }
            Err(e) => eprintln!("onewindow: the OS notification was not shown: {e}"),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        use tauri_plugin_notification::NotificationExt;
        let shown = app
            .notification()
            .builder()
            .title(n.title.get(lang))
            .body(n.body.get(lang))
            .show();
        if let Err(e) = shown {
            eprintln!("onewindow: the OS notification was not shown: {e}");
        }
    }
}

/// `text` with the characters of the notification service's markup escaped.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn plain(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_bodies_carry_no_markup() {
        assert_eq!(
            plain("请补正 <a href=\"https://x.example\">点此</a> & 重交"),
            "请补正 &lt;a href=\"https://x.example\"&gt;点此&lt;/a&gt; &amp; 重交"
        );
    }

    /// Every variable set, some of them empty.
    fn vars(all: &str, messages: &str, lang: &str) -> [Option<String>; 3] {
        [all, messages, lang].map(|s| Some(s.to_owned()))
    }

    #[test]
    fn the_first_locale_variable_set_decides() {
        assert_eq!(lang_of_locale(vars("", "", "en_GB.UTF-8")), Lang::En);
        assert_eq!(
            lang_of_locale(vars("zh_CN.UTF-8", "", "en_US.UTF-8")),
            Lang::ZhCn
        );
        assert_eq!(
            lang_of_locale(vars("", "en_US.UTF-8", "zh_CN.UTF-8")),
            Lang::En
        );
        assert_eq!(lang_of_locale([None, None, None]), Lang::ZhCn);
        assert_eq!(lang_of_locale(vars("", "", "C.UTF-8")), Lang::ZhCn);
    }
}
