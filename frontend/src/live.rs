//! The live notification stream of the signed-in user (Server-Sent Events): the browser's
//! `EventSource` keeps it open, reconnects by itself and sends the last event id it got,
//! so the server replays whatever was missed. Each notification updates the bell, shows
//! a toast, and lets the page it concerns reload itself (`on_live`).
//!
//! Inside the app shell the page is on another origin than the server and holds no
//! session, so the shell keeps the stream on its own side and sends each notification to
//! the page as its `notification` event; the page listens to that instead.

use crate::api;
use crate::session::use_session;
use crate::unread::{use_unread, Unread};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::notification::{Notification, STREAM_EVENT, STREAM_READY};
use std::cell::RefCell;
use std::future::Future;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{EventSource, MessageEvent};

/// The stream's path on the server.
const STREAM_PATH: &str = "/api/v1/notifications/stream";

#[derive(Debug, Clone, Copy)]
pub struct Live {
    /// The last notification the stream delivered while this page was open.
    pub latest: RwSignal<Option<Notification>>,
    /// Whether the stream is connected now (its `ready` event came, no error since).
    pub connected: RwSignal<bool>,
}

/// An open stream with the handlers it calls; dropping it closes the stream.
struct Stream {
    source: EventSource,
    _handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.source.close();
    }
}

thread_local! {
    /// The one stream of this page (the browser runs the page on one thread).
    static STREAM: RefCell<Option<Stream>> = const { RefCell::new(None) };
    /// How many streams this page has opened: a late retry of an old one does nothing.
    static OPENED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Provides the context and keeps the stream open while someone is signed in; called
/// once by `App`, after the session and unread contexts.
pub fn provide_live() -> Live {
    let live = Live {
        latest: RwSignal::new(None),
        connected: RwSignal::new(false),
    };
    provide_context(live);
    let session = use_session();
    let unread = use_unread();
    let signed_in = Memo::new(move |_| session.account.with(|a| a.as_ref().map(|a| a.id)));
    if api::in_app_shell() {
        if let Err(e) = listen_to_shell(live, unread) {
            web_sys::console::warn_1(&e);
        }
        return live;
    }
    // Bumped to open the stream again after the server refused it.
    let reopen = RwSignal::new(0u32);
    // Leaving the page closes the stream. A page kept in the browser's back-forward
    // cache would otherwise keep its connection open: a few of them use up the six
    // connections a browser allows per server, and the next page's requests wait for
    // ever. Coming back to such a page opens it again.
    let _ = window_event_listener_untyped("pagehide", move |_| {
        STREAM.with(|s| s.borrow_mut().take());
    });
    let _ = window_event_listener_untyped("pageshow", move |ev| {
        let persisted = js_sys::Reflect::get(&ev, &JsValue::from_str("persisted"))
            .ok()
            .and_then(|p| p.as_bool())
            .unwrap_or(false);
        if persisted {
            reopen.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        reopen.track();
        // A new account (or none) closes the old stream first.
        STREAM.with(|s| s.borrow_mut().take());
        live.connected.set(false);
        if signed_in.get().is_some() {
            let handlers = Handlers {
                live,
                unread,
                session,
                reopen,
            };
            match open(handlers) {
                Ok(stream) => STREAM.with(|s| *s.borrow_mut() = Some(stream)),
                Err(e) => web_sys::console::warn_1(&e),
            }
        }
    });
    live
}

/// The context; `App` provides it, so a missing one is a programming error.
pub fn use_live() -> Live {
    expect_context::<Live>()
}

/// Calls `reload` whenever a live notification `concerns` the open page (e.g. its link
/// is `/applications/12`), so that the page shows a staff member's change at once.
pub fn on_live(concerns: impl Fn(&Notification) -> bool + 'static, reload: impl Fn() + 'static) {
    let live = use_live();
    Effect::new(move |first_done: Option<()>| {
        live.latest.with(|latest| {
            // The first run only subscribes: what arrived before this page opened is old.
            if first_done.is_some() && latest.as_ref().is_some_and(&concerns) {
                reload();
            }
        });
    });
}

/// Keeps an open page's `value` current: whenever a live notification links to `link`,
/// `fetch` it again. A failed fetch keeps what is shown; the next event or visit retries.
pub fn refresh_on_live<T, F, Fut>(link: String, value: RwSignal<T>, fetch: F)
where
    T: Send + Sync + 'static,
    F: Fn() -> Fut + Copy + 'static,
    Fut: Future<Output = api::ApiResult<T>> + 'static,
{
    on_live(
        move |n| n.link == link,
        move || {
            spawn_local(async move {
                if let Ok(fresh) = fetch().await {
                    value.set(fresh);
                }
            })
        },
    );
}

/// A notification as the stream or the shell sends it.
fn received(live: Live, unread: Unread, json: &str) {
    match serde_json::from_str::<Notification>(json) {
        Ok(n) => {
            live.latest.set(Some(n));
            unread.refresh();
        }
        Err(e) => web_sys::console::warn_1(&format!("a live notification: {e}").into()),
    }
}

/// Inside the app: the shell's `notification` events, for the page's life.
fn listen_to_shell(live: Live, unread: Unread) -> Result<(), JsValue> {
    onewindow_client::invoke::listen(STREAM_EVENT, move |json| received(live, unread, &json))
        .map_err(|e| JsValue::from_str(&e.message))?;
    live.connected.set(true);
    Ok(())
}

/// What the stream's handlers update.
#[derive(Clone, Copy)]
struct Handlers {
    live: Live,
    unread: Unread,
    session: crate::session::Session,
    reopen: RwSignal<u32>,
}

/// How long to wait before opening a stream the server refused (e.g. while restarting).
const REOPEN_AFTER: std::time::Duration = std::time::Duration::from_secs(10);

fn open(h: Handlers) -> Result<Stream, JsValue> {
    let Handlers {
        live,
        unread,
        session,
        reopen,
    } = h;
    let source = EventSource::new(STREAM_PATH)?;
    OPENED.set(OPENED.get().wrapping_add(1));
    let on_notification = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let Some(data) = e
            .dyn_ref::<MessageEvent>()
            .and_then(|m| m.data().as_string())
        else {
            return;
        };
        received(live, unread, &data);
    });
    // Connected or reconnected: the count may have changed meanwhile (read elsewhere).
    let on_ready = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        if !live.connected.get_untracked() {
            live.connected.set(true);
        }
        unread.refresh();
    });
    // The browser retries a dropped connection by itself; it gives up only when the
    // server refuses the stream (the session ended), which the session then learns.
    let source_ref = source.clone();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        if live.connected.get_untracked() {
            live.connected.set(false);
        }
        if source_ref.ready_state() == EventSource::CLOSED {
            session.refresh();
            // Only if no other stream was opened meanwhile (e.g. another sign-in).
            let opened = OPENED.get();
            set_timeout(
                move || {
                    if OPENED.get() == opened {
                        reopen.update(|n| *n += 1);
                    }
                },
                REOPEN_AFTER,
            );
        }
    });
    for (name, handler) in [
        (STREAM_EVENT, &on_notification),
        (STREAM_READY, &on_ready),
        ("error", &on_error),
    ] {
        source.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref())?;
    }
    Ok(Stream {
        source,
        _handlers: vec![on_notification, on_ready, on_error],
    })
}
