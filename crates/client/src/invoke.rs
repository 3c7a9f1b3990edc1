//! Tauri's invoke transport, used by the front-end inside the app shell: every request
//! goes to the shell's `api` command, which adds the session token from the OS keychain
//! and sends it to the configured server, so the webview never holds the token. Bodies
//! travel as base64 both ways. Offline, the shell answers GETs from its cache and says
//! so; `on_answer` lets the app show it. `invoke` also calls the shell's other commands.

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Sends requests through the shell's `api` command.
#[derive(Debug, Clone, Copy, Default)]
pub struct InvokeTransport;

/// A command's failure: the shell's `{code, message}`, or Tauri's own refusal (e.g. a
/// command the capabilities do not grant), which arrives as a bare message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct InvokeError {
    pub code: String,
    pub message: String,
}

impl InvokeError {
    fn new(code: &str, message: impl Into<String>) -> InvokeError {
        InvokeError {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// Whether the page runs inside the Tauri shell (which injects `__TAURI_INTERNALS__`).
pub fn in_app_shell() -> bool {
    internals().is_some()
}

fn internals() -> Option<JsValue> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &JsValue::from_str("__TAURI_INTERNALS__"))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Calls a command of the shell with `args` (an object of named arguments) and reads its
/// answer. Arguments and answers cross as JSON.
pub async fn invoke<A: Serialize, T: DeserializeOwned>(
    command: &str,
    args: &A,
) -> Result<T, InvokeError> {
    let internals =
        internals().ok_or_else(|| InvokeError::new("no_shell", "not inside the app shell"))?;
    let json = serde_json::to_string(args)
        .map_err(|e| InvokeError::new("invalid_input", e.to_string()))?;
    let args =
        js_sys::JSON::parse(&json).map_err(|e| InvokeError::new("invalid_input", text(&e)))?;
    let function: js_sys::Function = js_sys::Reflect::get(&internals, &JsValue::from_str("invoke"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| InvokeError::new("no_shell", "the shell offers no invoke"))?;
    let promise: js_sys::Promise = function
        .call2(&internals, &JsValue::from_str(command), &args)
        .map_err(|e| InvokeError::new("ipc", text(&e)))?
        .dyn_into()
        .map_err(|_| InvokeError::new("ipc", "invoke did not return a promise"))?;
    match JsFuture::from(promise).await {
        Ok(answer) => {
            // `undefined` (a command returning nothing) is JSON `null`.
            let json = if answer.is_undefined() {
                "null".to_owned()
            } else {
                js_sys::JSON::stringify(&answer)
                    .map(String::from)
                    .map_err(|e| InvokeError::new("ipc", text(&e)))?
            };
            serde_json::from_str(&json).map_err(|e| {
                InvokeError::new("ipc", format!("the shell's answer to {command}: {e}"))
            })
        }
        Err(e) => Err(refusal(&e)),
    }
}

/// Listens, for the page's life, to the shell's event `name`: `handler` gets each
/// event's payload as JSON (`null` when it has none).
pub fn listen(name: &str, handler: impl Fn(String) + 'static) -> Result<(), InvokeError> {
    let fail = |e: JsValue| InvokeError::new("ipc", text(&e));
    let window = web_sys::window().ok_or_else(|| InvokeError::new("no_shell", "no window"))?;
    let tauri = js_sys::Reflect::get(&window, &JsValue::from_str("__TAURI__")).map_err(fail)?;
    let event = js_sys::Reflect::get(&tauri, &JsValue::from_str("event")).map_err(fail)?;
    let listen: js_sys::Function = js_sys::Reflect::get(&event, &JsValue::from_str("listen"))
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| InvokeError::new("no_shell", "the shell offers no event.listen"))?;
    let callback = wasm_bindgen::closure::Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
        let payload = js_sys::Reflect::get(&e, &JsValue::from_str("payload"))
            .ok()
            .filter(|p| !p.is_undefined())
            .and_then(|p| js_sys::JSON::stringify(&p).ok())
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "null".to_owned());
        handler(payload);
    });
    listen
        .call2(&event, &JsValue::from_str(name), callback.as_ref())
        .map_err(fail)?;
    // Listening lasts as long as the page.
    callback.forget();
    Ok(())
}

/// The shell's `{code, message}`, or a bare message from Tauri itself.
fn refusal(e: &JsValue) -> InvokeError {
    if let Some(message) = e.as_string() {
        return InvokeError::new("ipc", message);
    }
    js_sys::JSON::stringify(e)
        .ok()
        .map(String::from)
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_else(|| InvokeError::new("ipc", text(e)))
}

fn text(v: &JsValue) -> String {
    v.as_string().unwrap_or_else(|| format!("{v:?}"))
}

/// The `api` command's argument, as `src-tauri`'s bridge reads it.
#[derive(Serialize)]
struct ApiCall<'a> {
    method: &'static str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
}

#[derive(Serialize)]
struct ApiArgs<'a> {
    call: ApiCall<'a>,
}

#[derive(Deserialize)]
struct ApiAnswer {
    status: u16,
    body: String,
    /// Set when the shell could not reach the server and answered with its offline copy.
    #[serde(default)]
    cached_at: Option<String>,
}

/// What is told after each answer: `Some(fetched_at)` for an offline copy, `None` for a
/// live answer.
type OfflineHook = Box<dyn Fn(Option<String>)>;

thread_local! {
    static OFFLINE_HOOK: std::cell::RefCell<Option<OfflineHook>> =
        const { std::cell::RefCell::new(None) };
}

/// Sets what is told, after each answer through the shell, whether it was live or the
/// offline copy (and then when that copy was fetched): the app's offline banner.
pub fn on_answer(hook: impl Fn(Option<String>) + 'static) {
    OFFLINE_HOOK.with(|h| *h.borrow_mut() = Some(Box::new(hook)));
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

impl Transport for InvokeTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        // The shell holds the token; a token here would be a bug, so it is not sent.
        let args = ApiArgs {
            call: ApiCall {
                method: request.method.as_str(),
                path: &request.path,
                content_type: request.body.as_ref().and(request.content_type),
                body: request.body.as_ref().map(|b| b64().encode(b)),
            },
        };
        let answer: ApiAnswer = invoke("api", &args)
            .await
            .map_err(|e| TransportError(e.message))?;
        let body = b64()
            .decode(answer.body)
            .map_err(|_| TransportError("the shell's answer is not base64".into()))?;
        OFFLINE_HOOK.with(|h| {
            if let Some(hook) = h.borrow().as_ref() {
                hook(answer.cached_at);
            }
        });
        Ok(HttpResponse {
            status: answer.status,
            body,
        })
    }
}
