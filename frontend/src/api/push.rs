//! Browser notifications (Web Push): the service worker that shows them, the browser's
//! permission, a push subscription for the server's VAPID key, and handing that
//! subscription to the server. The browser APIs are reached through `js_sys::Reflect`,
//! each step checked, so that a browser without them gets a clear answer, not a panic.

use super::client;
use onewindow_api::notification::PushSubscription;
use onewindow_client::ClientError;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where the service worker is served. `cargo xtask frontend` copies `frontend/assets`
/// into the build (and nothing else beside the page), so the worker lives there. Its
/// scope is then `/assets/`: enough for push, since a scope only decides which pages
/// a worker controls, not whether it may show notifications or open pages.
const WORKER: &str = "/assets/sw.js";

/// Why browser notifications could not be turned on.
#[derive(Debug, Clone)]
pub enum PushError {
    /// The browser has no service workers or no Push API (or the page is not on HTTPS).
    Unsupported,
    /// The user (or the browser's settings) refused the permission.
    Denied,
    /// A browser API failed; its message, for support.
    Browser(String),
    /// The server refused the subscription or could not be reached.
    Api(ClientError),
}

fn get(target: &JsValue, name: &str) -> Result<JsValue, PushError> {
    js_sys::Reflect::get(target, &JsValue::from_str(name)).map_err(browser)
}

fn browser(e: JsValue) -> PushError {
    PushError::Browser(
        e.as_string()
            .or_else(|| {
                js_sys::Reflect::get(&e, &JsValue::from_str("message"))
                    .ok()
                    .and_then(|m| m.as_string())
            })
            .unwrap_or_else(|| format!("{e:?}")),
    )
}

/// Calls `target.name(args…)` and awaits the promise it returns.
async fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, PushError> {
    let f: js_sys::Function = get(target, name)?
        .dyn_into()
        .map_err(|_| PushError::Unsupported)?;
    let array = args.iter().collect::<js_sys::Array>();
    let promise: js_sys::Promise = f
        .apply(target, &array)
        .map_err(browser)?
        .dyn_into()
        .map_err(|_| PushError::Browser(format!("{name} did not return a promise")))?;
    JsFuture::from(promise).await.map_err(browser)
}

fn defined(v: &JsValue) -> bool {
    !v.is_undefined() && !v.is_null()
}

/// Whether this browser can receive pushes at all.
pub fn push_supported() -> bool {
    fn has(target: &JsValue, name: &str) -> bool {
        js_sys::Reflect::get(target, &JsValue::from_str(name))
            .map(|v| defined(&v))
            .unwrap_or(false)
    }
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator: JsValue = window.navigator().into();
    let window: JsValue = window.into();
    has(&navigator, "serviceWorker") && has(&window, "PushManager") && has(&window, "Notification")
}

/// The browser's notification permission: "granted", "denied" or "default".
pub fn notification_permission() -> Option<String> {
    let window: JsValue = web_sys::window()?.into();
    let notification = get(&window, "Notification").ok().filter(defined)?;
    get(&notification, "permission").ok()?.as_string()
}

/// Waits `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Asks for the permission, registers the service worker, subscribes with the server's
/// VAPID key and registers the subscription with the server (`POST
/// /api/v1/me/push-subscriptions`). Doing it again is harmless: the browser hands back
/// its existing subscription.
pub async fn enable_push() -> Result<(), PushError> {
    if !push_supported() {
        return Err(PushError::Unsupported);
    }
    let window: JsValue = web_sys::window().ok_or(PushError::Unsupported)?.into();
    let notification = get(&window, "Notification")?;
    let permission = call(&notification, "requestPermission", &[]).await?;
    if permission.as_string().as_deref() != Some("granted") {
        return Err(PushError::Denied);
    }

    let navigator = get(&window, "navigator")?;
    let container = get(&navigator, "serviceWorker")?;
    let registration = call(&container, "register", &[JsValue::from_str(WORKER)]).await?;
    // `subscribe` needs an active worker, and `serviceWorker.ready` waits for one that
    // controls this page, which a worker scoped to /assets/ never does: so wait for
    // this registration's own worker, for up to ten seconds.
    for _ in 0..100 {
        if defined(&get(&registration, "active")?) {
            break;
        }
        sleep(100).await;
    }
    if !defined(&get(&registration, "active")?) {
        return Err(PushError::Browser(
            "the service worker did not start".into(),
        ));
    }

    let key = client()
        .await
        .vapid_public_key()
        .await
        .map_err(PushError::Api)?;
    let key = base64url_decode(&key.public_key)
        .ok_or_else(|| PushError::Browser("the server's key is not base64url".into()))?;
    let manager = get(&registration, "pushManager")?;
    let mut subscription = call(&manager, "getSubscription", &[]).await?;
    if !defined(&subscription) {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"userVisibleOnly".into(), &JsValue::TRUE)
            .map_err(browser)?;
        let key = js_sys::Uint8Array::from(key.as_slice());
        js_sys::Reflect::set(&options, &"applicationServerKey".into(), &key).map_err(browser)?;
        subscription = call(&manager, "subscribe", &[options.into()]).await?;
    }
    let json = js_sys::JSON::stringify(&subscription)
        .map_err(browser)?
        .as_string()
        .unwrap_or_default();
    let subscription: PushSubscription = serde_json::from_str(&json)
        .map_err(|e| PushError::Browser(format!("the subscription could not be read: {e}")))?;
    client()
        .await
        .push_subscribe(&subscription)
        .await
        .map_err(PushError::Api)
}

/// Decodes base64url (padding optional), as VAPID keys are written.
fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::base64url_decode;

    #[test]
    fn base64url_with_and_without_padding() {
        assert_eq!(base64url_decode("aGk").unwrap(), b"hi");
        assert_eq!(base64url_decode("aGk=").unwrap(), b"hi");
        assert_eq!(base64url_decode("_-8").unwrap(), [0xff, 0xef]);
        assert_eq!(base64url_decode("b25ld2luZG93").unwrap(), b"onewindow");
        assert!(base64url_decode("a b").is_none());
    }
}
