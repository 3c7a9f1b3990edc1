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
            .body(n.body.get(lang))
            .action("default", open)
            .show();
        match shown {
            Ok(handle) => {
                let app = app.clone();
                let page = crate::links::notification_page(&n.link);
                // Waits (off the async runtime) until it is clicked or closed.
                std::thread::spawn(move || {
                    handle.wait_for_action(|action| {
                        if let ("default", Some(page)) = (action, page) {
                            crate::open_page(&app, page);
                        }
                    });
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

#[cfg(test)]
mod tests {
    use super::*;

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
