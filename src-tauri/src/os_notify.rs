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
/// notification's default action, through the desktop's notification service, see
/// `Desktop`); the plugin offers no click on the other desktops, where it only shows.
fn os_notification(app: &tauri::AppHandle, n: &Notification) {
    let lang = os_lang();
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        let shown = Shown {
            summary: n.title.get(lang).to_owned(),
            // The body may hold markup for the notification service; staff wrote parts
            // of this text, so it goes as text.
            body: plain(n.body.get(lang)),
            open: match lang {
                Lang::En => "Open",
                Lang::ZhCn => "打开",
            },
            page: crate::links::notification_page(&n.link),
        };
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            if let Err(e) = app.state::<Desktop>().show(shown).await {
                eprintln!("onewindow: the OS notification was not shown: {e}");
            }
        });
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

/// One OS notification to show.
#[cfg(target_os = "linux")]
#[derive(Debug, Clone)]
pub struct Shown {
    pub summary: String,
    /// Plain text, its markup characters escaped (`plain`).
    pub body: String,
    /// The label of the default action (what a click does).
    pub open: &'static str,
    /// The page a click opens, if any.
    pub page: Option<String>,
}

#[cfg(target_os = "linux")]
pub use desktop::Desktop;

/// The desktop's notification service (`org.freedesktop.Notifications` on the session
/// bus), spoken to directly: one connection for the app's life, on which each
/// notification is sent and its click heard (some services tell a click only to the
/// connection that sent the notification). A failure is an error to report, never a
/// panic: the app runs on without OS notifications, and connects again next time.
#[cfg(target_os = "linux")]
mod desktop {
    use super::Shown;
    use futures_util::StreamExt;
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    const SERVICE: &str = "org.freedesktop.Notifications";
    const PATH: &str = "/org/freedesktop/Notifications";
    /// The pages of at most this many notifications are kept for their click; an older
    /// one still shows, but its click opens nothing.
    const MAX_WAITING: usize = 64;

    type Pages = Arc<Mutex<VecDeque<(u32, String)>>>;

    /// The notification service of the desktop session.
    pub struct Desktop {
        /// The bus to use (`None`: the session bus of the environment).
        address: Option<String>,
        /// What a click on a notification with a page does.
        on_click: Arc<dyn Fn(String) + Send + Sync>,
        /// The connection and the task hearing its signals, once made and while the bus
        /// works.
        connection: tokio::sync::Mutex<Option<Connected>>,
        /// The page of each notification shown and not yet clicked or closed.
        pages: Pages,
    }

    /// A connection to the bus and the task that hears the service's signals on it.
    struct Connected {
        conn: zbus::Connection,
        listener: tauri::async_runtime::JoinHandle<()>,
    }

    impl Desktop {
        pub fn new(
            address: Option<String>,
            on_click: Arc<dyn Fn(String) + Send + Sync>,
        ) -> Desktop {
            Desktop {
                address,
                on_click,
                connection: tokio::sync::Mutex::new(None),
                pages: Pages::default(),
            }
        }

        /// Shows a notification; its id. A click on it opens its page.
        pub async fn show(&self, n: Shown) -> zbus::Result<u32> {
            let mut connection = self.connection.lock().await;
            let conn = match connection.as_ref() {
                Some(c) => c.conn.clone(),
                None => {
                    let c = self.connect().await?;
                    let conn = c.conn.clone();
                    *connection = Some(c);
                    conn
                }
            };
            let hints = std::collections::HashMap::<&str, zbus::Variant<'_>>::new();
            let actions = ["default", n.open];
            let sent = conn
                .call_method(
                    Some(SERVICE),
                    PATH,
                    Some(SERVICE),
                    "Notify",
                    // app name, id replaced (none), icon, summary, body, actions, hints,
                    // expiry (the service's default).
                    &(
                        "OneWindow",
                        0u32,
                        "",
                        &n.summary,
                        &n.body,
                        &actions[..],
                        hints,
                        -1i32,
                    ),
                )
                .await
                .and_then(|reply| reply.body().deserialize::<u32>());
            let id = match sent {
                Ok(id) => id,
                // The bus answered: no notification service runs, or it refused this
                // one. The connection still works for the next.
                Err(e @ (zbus::Error::MethodError(..) | zbus::Error::FDO(_))) => return Err(e),
                Err(e) => {
                    // The connection failed: it goes, with its listener, and the next
                    // notification connects afresh.
                    if let Some(gone) = connection.take() {
                        gone.listener.abort();
                    }
                    return Err(e);
                }
            };
            if let Some(page) = n.page {
                let mut pages = lock(&self.pages);
                pages.push_back((id, page));
                while pages.len() > MAX_WAITING {
                    pages.pop_front();
                }
            }
            Ok(id)
        }

        /// Connects and starts hearing the service's signals (before any notification
        /// is sent, so that no click is missed).
        async fn connect(&self) -> zbus::Result<Connected> {
            let conn = match &self.address {
                Some(a) => {
                    zbus::connection::Builder::address(a.as_str())
                        .build()
                        .await?
                }
                None => zbus::Connection::session().await?,
            };
            let rule = zbus::MatchRule::builder()
                .msg_type(zbus::message::Type::Signal)
                .interface(SERVICE)
                .build()?;
            let mut signals = zbus::MessageStream::for_match_rule(rule, &conn, None).await?;
            let (pages, on_click) = (self.pages.clone(), self.on_click.clone());
            let listener = tauri::async_runtime::spawn(async move {
                // Runs until `show` drops the connection (the stream holds it open); a
                // message that cannot be read is passed over.
                while let Some(signal) = signals.next().await {
                    if let Some(page) = signal.ok().and_then(|s| clicked(&pages, &s)) {
                        on_click(page);
                    }
                }
            });
            Ok(Connected { conn, listener })
        }
    }

    fn lock(pages: &Pages) -> std::sync::MutexGuard<'_, VecDeque<(u32, String)>> {
        pages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The page to open for a signal of the service: a click on (the default action of)
    /// one of ours. A closed notification's page is forgotten.
    fn clicked(pages: &Pages, signal: &zbus::Message) -> Option<String> {
        let header = signal.header();
        let (id, click) = match header.member()?.as_str() {
            "ActionInvoked" => {
                let (id, action) = signal.body().deserialize::<(u32, String)>().ok()?;
                (id, action == "default")
            }
            "NotificationClosed" => (signal.body().deserialize::<(u32, u32)>().ok()?.0, false),
            _ => return None,
        };
        let mut pages = lock(pages);
        let at = pages.iter().position(|(shown, _)| *shown == id)?;
        let (_, page) = pages.remove(at)?;
        click.then_some(page)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn signal(
            member: &str,
            body: &(impl serde::Serialize + zbus::zvariant::DynamicType),
        ) -> zbus::Message {
            zbus::Message::signal(PATH, SERVICE, member)
                .build(body)
                .unwrap()
        }

        #[test]
        fn a_click_on_one_of_ours_opens_its_page_once() {
            let pages = Pages::default();
            lock(&pages).extend([
                (7, "/applications/7".to_owned()),
                (8, "/bookings".to_owned()),
            ]);
            // Another app's notification, another action, and a signal of another kind.
            assert_eq!(
                clicked(&pages, &signal("ActionInvoked", &(99u32, "default"))),
                None
            );
            assert_eq!(
                clicked(&pages, &signal("ActionInvoked", &(7u32, "other"))),
                None
            );
            assert_eq!(
                clicked(&pages, &signal("ActivationToken", &(8u32, "x"))),
                None
            );
            assert_eq!(
                lock(&pages).len(),
                1,
                "the one acted on otherwise is forgotten"
            );
            assert_eq!(
                clicked(&pages, &signal("ActionInvoked", &(8u32, "default"))).as_deref(),
                Some("/bookings")
            );
            assert_eq!(
                clicked(&pages, &signal("ActionInvoked", &(8u32, "default"))),
                None
            );
            // A closed one is forgotten.
            lock(&pages).push_back((9, "/applications/9".to_owned()));
            assert_eq!(
                clicked(&pages, &signal("NotificationClosed", &(9u32, 2u32))),
                None
            );
            assert!(lock(&pages).is_empty());
        }

        #[test]
        fn without_a_notification_service_showing_fails_and_nothing_panics() {
            let nowhere = std::env::temp_dir().join(format!("ow-no-bus-{}", std::process::id()));
            let desktop = Desktop::new(
                Some(format!("unix:path={}", nowhere.display())),
                Arc::new(|_| panic!("nothing to click")),
            );
            let shown = Shown {
                summary: "可以领取".into(),
                body: "请到窗口领取。".into(),
                open: "打开",
                page: Some("/applications/7".into()),
            };
            tauri::async_runtime::block_on(async {
                assert!(desktop.show(shown.clone()).await.is_err());
                // And again, connecting afresh.
                assert!(desktop.show(shown).await.is_err());
            });
            assert!(lock(&desktop.pages).is_empty());
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
