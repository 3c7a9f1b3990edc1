//! The authenticated API bridge: the webview never holds the session token. It asks the
//! Rust side to sign in (the token goes to the keychain), to sign out (revoked on the
//! server, then forgotten), and to forward API calls, to which the token is added here.
//! Only paths of the API are forwarded, to the configured server only. The keychain is
//! read and written by the commands, off the async runtime.

use crate::cache::{Cache, Cached};
use crate::error::IpcError;
use crate::outbox::{self, Outbox, Queued, Refusal, Synced};
use onewindow_api::account::{Account, LoginRequest, RegisterRequest};
use onewindow_api::application::{Application, UpdateFormRequest};
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::ids::CaseId;
use onewindow_api::query::{CorpusEntry, SearchQuery};
use onewindow_api::{ErrorBody, FieldError};
use onewindow_client::transport::{HttpRequest, HttpResponse, Method, Transport};
use onewindow_client::{Client, ReqwestTransport};
use onewindow_search::catalogue::Catalogue;
use serde::{Deserialize, Serialize};

/// An API call from the webview: `body` and the answer's `body` are base64 (standard).
#[derive(Debug, Clone, Deserialize)]
pub struct ApiCall {
    pub method: String,
    /// Starts with `/api/v1/` (or is `/healthz`), with its query string.
    pub path: String,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiAnswer {
    pub status: u16,
    pub body: String,
    /// Set when the server could not be reached and this is the offline copy: when it was
    /// fetched (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cached_at: Option<String>,
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// Whether `path` is a plain API path: `/api/v1/…` (or `/healthz`) whose path part has
/// only letters, digits and `-_.` in non-empty segments, none of them `.` or `..`, so
/// that no URL normalisation downstream (dot segments, percent-encoded dots, stripped
/// tabs) can turn it into another path; the query may hold anything but spaces and
/// control characters (it is percent-encoded).
pub fn is_api_path(path: &str) -> bool {
    let (plain, query) = path.split_once('?').unwrap_or((path, ""));
    let segments_ok = plain.strip_prefix('/').is_some_and(|rest| {
        rest.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
    });
    let query_ok = query.bytes().all(|b| b > b' ' && b != 0x7f && b != b'#');
    segments_ok && query_ok && (plain.starts_with("/api/v1/") || plain == "/healthz")
}

/// Checks a call and makes the request, with the token when there is one.
pub fn prepare(call: &ApiCall, token: Option<String>) -> Result<HttpRequest, IpcError> {
    use base64::Engine;
    let method = match call.method.to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        other => {
            return Err(IpcError::Refused(format!(
                "method {other} is not forwarded"
            )))
        }
    };
    let path = call.path.as_str();
    if !is_api_path(path) {
        return Err(IpcError::Refused(format!("{path} is not an API path")));
    }
    // Their answers carry a session token, which must not reach the webview: signing
    // in, registering and signing out have commands of their own.
    if path.starts_with("/api/v1/auth/") {
        return Err(IpcError::Refused(format!(
            "{path} goes through the app's own sign-in commands"
        )));
    }
    let content_type = match call.content_type.as_deref() {
        None | Some("application/json") => None,
        Some("application/octet-stream") => Some("application/octet-stream"),
        Some(other) => {
            return Err(IpcError::Refused(format!(
                "content type {other} is not forwarded"
            )))
        }
    };
    let body = call
        .body
        .as_deref()
        .map(|b| b64().decode(b))
        .transpose()
        .map_err(|_| IpcError::Refused("the body is not base64".into()))?;
    Ok(HttpRequest {
        method,
        path: path.to_owned(),
        body,
        content_type,
        token,
    })
}

/// The answer for the webview.
pub fn answer(r: HttpResponse) -> ApiAnswer {
    use base64::Engine;
    ApiAnswer {
        status: r.status,
        body: b64().encode(r.body),
        cached_at: None,
    }
}

/// Forwards a call with the token (read from the store by the caller). Successful GETs
/// of what the cache keeps are kept; when the server cannot be reached, a GET is
/// answered from the cache, marked with its age, and saving a draft's form goes to the
/// outbox (see `outbox`). A draft read while a save of it waits shows that save.
pub async fn forward(
    http: &ReqwestTransport,
    token: Option<String>,
    call: &ApiCall,
    cache: Option<&Cache>,
    outbox: Option<&Outbox>,
) -> Result<ApiAnswer, IpcError> {
    let request = prepare(call, token)?;
    let get = request.method == Method::Get;
    let path = request.path.clone();
    let saves = (request.method == Method::Put)
        .then(|| outbox::saved_form(&path))
        .flatten();
    let body = request.body.clone();
    // Private copies are kept per session: never another user's, never without one.
    let session = request.token.clone();
    let offline = Offline {
        cache,
        outbox,
        session: session.as_deref(),
    };
    match http.send(request).await {
        Ok(r) => {
            if let (true, 200, Some(cache)) = (get, r.status, cache) {
                cache.keep(&path, session.as_deref(), &r.body, &now()).await;
            }
            if let (Some(id), 200) = (saves, r.status) {
                offline.saved(id, &r.body);
            }
            let mut a = answer(r);
            if get && a.status == 200 {
                a.body = offline.overlay(&path, a.body);
            }
            Ok(a)
        }
        Err(e) => {
            if let Some(id) = saves {
                return offline.save(id, body.as_deref().unwrap_or_default(), e);
            }
            match cache
                .filter(|_| get)
                .and_then(|c| c.get(&path, session.as_deref()))
            {
                Some(hit) => {
                    let mut a = offline_answer(hit);
                    a.body = offline.overlay(&path, a.body);
                    Ok(a)
                }
                None => get
                    .then(|| offline.search(&path))
                    .flatten()
                    .ok_or_else(|| IpcError::Unreachable(e.to_string())),
            }
        }
    }
}

/// What the bridge knows without the server: the offline copies and the outbox.
struct Offline<'a> {
    cache: Option<&'a Cache>,
    outbox: Option<&'a Outbox>,
    session: Option<&'a str>,
}

impl Offline<'_> {
    /// The signed-in account, as the offline copy of `/api/v1/me` says.
    fn account(&self) -> Option<Account> {
        self.cache?.account(self.session)
    }

    /// The offline copy of an item's guide.
    fn guide(&self, code: &str) -> Option<ServiceItem> {
        let hit = self.cache?.get(&format!("/api/v1/services/{code}"), None)?;
        serde_json::from_slice(&hit.body).ok()
    }

    /// The server took a save of `id`: its answer is the application's offline copy now,
    /// and a save of it still waiting is older, so it goes.
    fn saved(&self, id: CaseId, body: &[u8]) {
        if let Some(cache) = self.cache {
            cache.put(
                &format!("/api/v1/applications/{id}"),
                self.session,
                body,
                &now(),
            );
        }
        if let (Some(outbox), Some(me)) = (self.outbox, self.account()) {
            if let Err(e) = outbox.superseded(me.id, id) {
                eprintln!("onewindow: {e}");
            }
        }
    }

    /// Saving the form of `id` offline: kept in the outbox, answered with the offline
    /// copy of the application as it will be.
    fn save(
        &self,
        id: CaseId,
        body: &[u8],
        why: impl std::fmt::Display,
    ) -> Result<ApiAnswer, IpcError> {
        use base64::Engine;
        let unreachable = || IpcError::Unreachable(why.to_string());
        let (Some(cache), Some(outbox), Some(me)) = (self.cache, self.outbox, self.account())
        else {
            return Err(unreachable());
        };
        let request: UpdateFormRequest = serde_json::from_slice(body)
            .map_err(|e| IpcError::Refused(format!("the form is not valid JSON: {e}")))?;
        let path = format!("/api/v1/applications/{id}");
        let hit = cache.get(&path, self.session).ok_or_else(unreachable)?;
        let app: Application = serde_json::from_slice(&hit.body).map_err(|_| unreachable())?;
        let guide = self.guide(&app.item.to_string());
        let app = outbox::with_form(app, guide.as_ref(), request.form.clone())?;
        outbox.queue(Queued {
            account: me.id,
            application: id,
            form: request.form,
            queued_at: now(),
        })?;
        let json = serde_json::to_vec(&app).map_err(|e| IpcError::Storage(e.to_string()))?;
        Ok(ApiAnswer {
            status: 200,
            body: b64().encode(json),
            cached_at: Some(hit.fetched_at),
        })
    }

    /// A search never made online, answered from the corpus kept offline with the
    /// server's own search (same checks, ranking and paging), marked with the corpus' age.
    fn search(&self, path: &str) -> Option<ApiAnswer> {
        use base64::Engine;
        let query = match path.split_once('?') {
            Some(("/api/v1/search", query)) => query,
            _ if path == "/api/v1/search" => "",
            _ => return None,
        };
        let hit = self.cache?.get(CORPUS, None)?;
        let catalogue = corpus_catalogue(&hit)?;
        let (status, body) = match catalogue.search(&search_query(query)) {
            Ok(found) => (200, serde_json::to_vec(&found).ok()?),
            Err(p) => (
                422,
                serde_json::to_vec(&ErrorBody::validation(vec![FieldError::new(
                    "q", p.code, p.message,
                )]))
                .ok()?,
            ),
        };
        Some(ApiAnswer {
            status,
            body: b64().encode(body),
            cached_at: Some(hit.fetched_at),
        })
    }

    /// A read of one application (base64 `body`) with a save of it waiting: the answer
    /// shows the waiting form. Anything else passes unchanged.
    fn overlay(&self, path: &str, body: String) -> String {
        use base64::Engine;
        let (Some(id), Some(outbox)) = (outbox::read_application(path), self.outbox) else {
            return body;
        };
        if outbox.is_empty() {
            return body;
        }
        let Some(waiting) = self.account().and_then(|me| outbox.waiting(me.id, id)) else {
            return body;
        };
        let app = b64()
            .decode(&body)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Application>(&bytes).ok());
        let Some(app) = app else {
            return body;
        };
        let guide = self.guide(&app.item.to_string());
        match outbox::with_form(app, guide.as_ref(), waiting.form) {
            Ok(app) => serde_json::to_vec(&app).map_or(body, |json| b64().encode(json)),
            // No longer editable: the replay will be refused and reported.
            Err(_) => body,
        }
    }
}

/// The search corpus: every item with its keywords, kept for searching offline.
pub const CORPUS: &str = "/api/v1/search/corpus";

/// The search over a kept corpus, built once per copy of it (the last one is kept).
fn corpus_catalogue(hit: &Cached) -> Option<std::sync::Arc<Catalogue>> {
    use std::sync::{Arc, Mutex};
    static BUILT: Mutex<Option<(u64, Arc<Catalogue>)>> = Mutex::new(None);
    let key = crate::cache::fnv1a(&format!("{}/{}", hit.fetched_at, hit.body.len()));
    let mut built = BUILT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((k, c)) = built.as_ref() {
        if *k == key {
            return Some(c.clone());
        }
    }
    let entries: Vec<CorpusEntry> = serde_json::from_slice(&hit.body).ok()?;
    let catalogue = Arc::new(Catalogue::build(entries));
    *built = Some((key, catalogue.clone()));
    Some(catalogue)
}

/// The search query of a query string, read as the server reads it (axum's `Query` is
/// serde_urlencoded); one the server would refuse to read is an empty query, which the
/// search refuses with the server's own error.
fn search_query(query: &str) -> SearchQuery {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

/// Keeps the search corpus for offline search: fetched through `forward`, which keeps
/// it as a public answer of this server.
pub async fn prefetch_corpus(http: &ReqwestTransport, cache: &Cache) -> Result<(), IpcError> {
    let call = ApiCall {
        method: "GET".into(),
        path: CORPUS.into(),
        content_type: None,
        body: None,
    };
    let a = forward(http, None, &call, Some(cache), None).await?;
    match (a.status, a.cached_at) {
        (200, None) => Ok(()),
        (status, _) => Err(IpcError::Unreachable(format!(
            "the search corpus was not fetched (HTTP {status})"
        ))),
    }
}

/// A file of the API (a result document, a wallet document, an attachment, a calendar
/// file, a CSV export) fetched with the token, for saving on this device.
pub async fn fetch_file(
    http: &ReqwestTransport,
    token: Option<String>,
    path: &str,
) -> Result<Vec<u8>, IpcError> {
    let call = ApiCall {
        method: "GET".into(),
        path: path.to_owned(),
        content_type: None,
        body: None,
    };
    let r = http
        .send(prepare(&call, token)?)
        .await
        .map_err(|e| IpcError::Unreachable(e.to_string()))?;
    if r.status == 200 {
        return Ok(r.body);
    }
    Err(match serde_json::from_slice::<ErrorBody>(&r.body) {
        Ok(e) => IpcError::Api(e.code, e.message),
        Err(_) => IpcError::Unreachable(format!("the server answered HTTP {}", r.status)),
    })
}

/// A name to save a file under: the stem the page suggests (an uploader's own name
/// for materials and attachments, so it is not trusted) and an extension from the
/// bytes themselves. The stem is its last path part, with no separators, control,
/// invisible or direction-changing characters (a right-to-left override would make
/// `x\u{202E}fdp.bat` read as `xtab.pdf`) or leading dots, at most 120 characters, and
/// never a Windows device name. The extension is the format sniffed from the bytes
/// (PDF, JPEG, PNG, OFD); UTF-8 text keeps a suggested `.ics` or `.csv`; anything else
/// is `.bin`, which no system opens by running it.
pub fn file_name(suggested: &str, bytes: &[u8]) -> String {
    let last = suggested.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !invisible(*c))
        .filter(|c| !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect();
    let (stem, suggested_ext) = match clean.rsplit_once('.') {
        Some((stem, ext)) if !stem.trim().trim_start_matches('.').is_empty() => (stem, ext),
        _ => (clean.as_str(), ""),
    };
    let ext = match onewindow_api::sniff::sniff(bytes) {
        Some(format) => format.extension().to_owned(),
        None => {
            let text_ext = suggested_ext.to_ascii_lowercase();
            if matches!(text_ext.as_str(), "ics" | "csv") && std::str::from_utf8(bytes).is_ok() {
                text_ext
            } else {
                "bin".to_owned()
            }
        }
    };
    let stem: String = stem
        .trim()
        .trim_start_matches('.')
        .trim()
        .chars()
        .take(120)
        .collect();
    let stem = stem.trim_end_matches(['.', ' ']);
    let stem = if stem.is_empty() {
        "download".to_owned()
    } else if windows_device(stem) {
        format!("_{stem}")
    } else {
        stem.to_owned()
    };
    format!("{stem}.{ext}")
}

/// Characters that show nothing or change the direction of what follows (Unicode's
/// format characters that occur in names).
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// `CON`, `NUL`, `COM1`… (with any extension) name devices on Windows, not files.
fn windows_device(stem: &str) -> bool {
    let base = stem
        .split('.')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_uppercase();
    matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (base.len() == 4
            && (base.starts_with("COM") || base.starts_with("LPT"))
            && base.as_bytes()[3].is_ascii_digit())
}

/// What one replay of the outbox did, and whether saves of the account still wait.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Replayed {
    /// What went and what the server refused, for the page.
    pub synced: Synced,
    /// The server could not take a save now (away, failing, or the session ended): the
    /// rest waits for the next try.
    pub stalled: bool,
}

/// Sends the outbox of the account signed in with `token`, oldest save first. Stops at
/// the first save the server cannot take now (unreachable, or failing on its side);
/// a save it refuses is dropped and reported. The offline copy of each draft sent is
/// the server's answer.
pub async fn replay(
    http: &ReqwestTransport,
    token: &str,
    cache: Option<&Cache>,
    outbox: &Outbox,
) -> Replayed {
    let mut synced = Synced::default();
    let me = http
        .send(HttpRequest {
            method: Method::Get,
            path: "/api/v1/me".into(),
            body: None,
            content_type: None,
            token: Some(token.to_owned()),
        })
        .await;
    // Unreachable, or the session has ended: the saves wait for the next chance.
    let Some(me) = me
        .ok()
        .filter(|r| r.status == 200)
        .and_then(|r| serde_json::from_slice::<Account>(&r.body).ok())
    else {
        return Replayed {
            synced,
            stalled: true,
        };
    };
    let mut stalled = false;
    for save in outbox.pending(me.id) {
        // Saved online meanwhile (which drops the waiting save) or saved again offline:
        // this older form must not overwrite the newer one.
        if outbox.waiting(me.id, save.application).as_ref() != Some(&save) {
            continue;
        }
        let body = serde_json::to_vec(&UpdateFormRequest {
            form: save.form.clone(),
        })
        .unwrap_or_default();
        let sent = http
            .send(HttpRequest {
                method: Method::Put,
                path: save.path(),
                body: Some(body),
                content_type: None,
                token: Some(token.to_owned()),
            })
            .await;
        let r = match sent {
            Ok(r) if r.status == 401 || r.status == 429 || r.status >= 500 => {
                stalled = true;
                break;
            }
            Ok(r) => r,
            Err(_) => {
                stalled = true;
                break;
            }
        };
        if let Err(e) = outbox.done(&save) {
            eprintln!("onewindow: {e}");
            stalled = true;
            break;
        }
        if r.status == 200 {
            if let Some(cache) = cache {
                let path = format!("/api/v1/applications/{}", save.application);
                cache.keep(&path, Some(token), &r.body, &now()).await;
            }
            synced.sent.push(save.application);
        } else {
            let error: Option<ErrorBody> = serde_json::from_slice(&r.body).ok();
            synced.refused.push(Refusal {
                application: save.application,
                code: error
                    .as_ref()
                    .and_then(|e| serde_json::to_value(e.code).ok())
                    .and_then(|c| c.as_str().map(str::to_owned))
                    .unwrap_or_else(|| format!("http_{}", r.status)),
                message: error.map_or_else(|| format!("HTTP {}", r.status), |e| e.message),
            });
        }
    }
    Replayed { synced, stalled }
}

/// The offline copy as an answer.
pub fn offline_answer(hit: Cached) -> ApiAnswer {
    use base64::Engine;
    ApiAnswer {
        status: 200,
        body: b64().encode(hit.body),
        cached_at: Some(hit.fetched_at),
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn api_error(e: onewindow_client::ClientError) -> IpcError {
    match e.code() {
        Some(code) => IpcError::Api(code, e.to_string()),
        None => IpcError::Unreachable(e.to_string()),
    }
}

/// Signs in: the account for the webview and the token for the store.
pub async fn login(
    http: &ReqwestTransport,
    req: &LoginRequest,
) -> Result<(Account, String), IpcError> {
    let client = Client::new(http.clone());
    let session = client.login(req).await.map_err(api_error)?;
    Ok((session.account, session.token))
}

/// Registers and signs in: the account for the webview and the token for the store.
pub async fn register(
    http: &ReqwestTransport,
    req: &RegisterRequest,
) -> Result<(Account, String), IpcError> {
    let client = Client::new(http.clone());
    let session = client.register(req).await.map_err(api_error)?;
    Ok((session.account, session.token))
}

/// Checks that a OneWindow server answers at `http`'s address before the app switches
/// to it.
pub async fn probe(http: &ReqwestTransport) -> Result<(), IpcError> {
    let server = http.base_url();
    let client = Client::new(http.clone());
    client.health().await.map(|_| ()).map_err(|e| {
        // The detail goes to the log only: the page learns no more than "no answer".
        eprintln!("onewindow: probing {server}: {e}");
        IpcError::Unreachable(format!("no OneWindow server answers at {server}"))
    })
}

/// Revokes a session on the server; a server that cannot be reached is told nothing, and
/// the token is forgotten anyway by the caller.
pub async fn revoke(http: &ReqwestTransport, token: String) {
    let client = Client::new(http.clone());
    client.set_token(Some(token));
    if let Err(e) = client.logout().await {
        eprintln!("onewindow: the server did not revoke the session: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(method: &str, path: &str) -> ApiCall {
        ApiCall {
            method: method.into(),
            path: path.into(),
            content_type: None,
            body: None,
        }
    }

    #[test]
    fn only_api_paths_are_forwarded_with_the_token() {
        let r = prepare(&call("get", "/api/v1/me"), Some("t0k".into())).unwrap();
        assert_eq!((r.method, r.path.as_str()), (Method::Get, "/api/v1/me"));
        assert_eq!(r.token.as_deref(), Some("t0k"));
        for bad in [
            "/etc/passwd",
            "https://evil.example/api/v1/me",
            "/api/v1/../../admin",
            "//evil.example/api/v1/me",
            "/api/v2/me",
            "/api/v1/auth/login",
            "/api/v1/auth/register",
            "/api/v1/auth/logout",
            "/api/v1/./auth/login",
            "/api/v1/%2e%2e/v1/auth/login",
            "/api/v1/%2e%2e/%2e%2e/admin",
            "/api/v1/au\tth/login",
            "/api/v1/me/../auth/login",
            "/api/v1//auth/login",
            "/api/v1/me?x=1 2",
            "/api/v1/me#frag",
        ] {
            let e = prepare(&call("GET", bad), Some("t0k".into())).unwrap_err();
            assert_eq!(e.code(), "refused", "{bad}");
        }
        // A file name with dots travels in the query.
        assert!(prepare(
            &call("POST", "/api/v1/threads/1/attachments?name=report..v2.pdf"),
            None
        )
        .is_ok());
        assert!(prepare(&call("GET", "/api/v1/services/330100-GA-001.v2"), None).is_ok());
        assert_eq!(
            prepare(&call("TRACE", "/api/v1/me"), None)
                .unwrap_err()
                .code(),
            "refused"
        );
    }

    #[test]
    fn saved_files_get_a_plain_name_and_the_extension_of_their_bytes() {
        let pdf = b"%PDF-1.7\n";
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(file_name("营业执照.pdf", pdf), "营业执照.pdf");
        assert_eq!(file_name("../../etc/passwd", pdf), "passwd.pdf");
        assert_eq!(file_name("C:\\Windows\\x.ics", b"BEGIN:VCALENDAR"), "x.ics");
        assert_eq!(file_name(".bashrc", pdf), "bashrc.pdf");
        assert_eq!(
            file_name("a\u{0}b\nc?.csv", "编号,状态".as_bytes()),
            "abc.csv"
        );
        assert_eq!(file_name("", pdf), "download.pdf");
        assert_eq!(file_name("/", b""), "download.bin");
        assert_eq!(file_name(&"长".repeat(300), pdf).chars().count(), 124);
        // The uploader's extension never survives: the bytes decide.
        assert_eq!(file_name("扫描件\u{202E}fdp.bat", pdf), "扫描件fdp.pdf");
        assert_eq!(file_name("photo.pdf.exe", png), "photo.pdf.png");
        assert_eq!(file_name("notes.html", b"<script>"), "notes.bin");
        assert_eq!(file_name("run.ics", b"\xff\xfe\x00"), "run.bin");
        assert_eq!(file_name("list.CSV", b"a,b"), "list.csv");
        assert_eq!(file_name("zero\u{200B}width.pdf", pdf), "zerowidth.pdf");
        // Device names of Windows are not file names.
        assert_eq!(file_name("CON.pdf", pdf), "_CON.pdf");
        assert_eq!(file_name("com1.txt", pdf), "_com1.pdf");
        assert_eq!(file_name("console.pdf", pdf), "console.pdf");
    }

    #[test]
    fn bodies_travel_as_base64_both_ways() {
        use base64::Engine;
        let mut c = call("POST", "/api/v1/threads/1/attachments?name=a.pdf");
        c.content_type = Some("application/octet-stream".into());
        c.body = Some(b64().encode(b"%PDF-1.7"));
        let r = prepare(&c, None).unwrap();
        assert_eq!(r.body.as_deref(), Some(&b"%PDF-1.7"[..]));
        assert_eq!(r.content_type, Some("application/octet-stream"));
        c.body = Some("not base64!".into());
        assert!(prepare(&c, None).is_err());
        c.content_type = Some("text/html".into());
        assert!(prepare(&c, None).is_err());
        let a = answer(HttpResponse {
            status: 201,
            body: b"{}".to_vec(),
        });
        assert_eq!(a.body, b64().encode(b"{}"));
    }

    #[test]
    fn an_answer_larger_than_the_limit_is_refused_whether_announced_or_not() {
        use crate::testing::{serve_once, serve_raw};
        let get = |server: &str| {
            let http = ReqwestTransport::new(server).with_max_body(1000);
            tauri::async_runtime::block_on(fetch_file(&http, None, "/api/v1/me/documents/1"))
        };
        // Up to the limit, announced: read whole.
        let fits = get(&serve_once(200, "application/pdf", "a".repeat(1000), &[]));
        assert_eq!(fits.unwrap().len(), 1000);
        // Over it, announced: refused before reading.
        let e = get(&serve_once(200, "application/pdf", "a".repeat(1001), &[])).unwrap_err();
        assert_eq!(e.code(), "unreachable");
        assert!(e.to_string().contains("larger than 1000 bytes"), "{e}");
        // Over it, unannounced (read until the server closes): refused once it passes.
        let endless = [
            &b"HTTP/1.1 200 X\r\nconnection: close\r\n\r\n"[..],
            &[b'a'; 5000],
        ]
        .concat();
        let e = get(&serve_raw(endless)).unwrap_err();
        assert!(e.to_string().contains("larger than 1000 bytes"), "{e}");
        // A length announced short of what follows: only what was announced is read.
        let lying = [
            &b"HTTP/1.1 200 X\r\ncontent-length: 10\r\nconnection: close\r\n\r\n"[..],
            &[b'a'; 5000],
        ]
        .concat();
        assert_eq!(get(&serve_raw(lying)).unwrap().len(), 10);
    }

    /// The address of a port of this machine nothing listens on: a server that is down.
    fn down() -> String {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    }

    #[test]
    fn offline_a_draft_is_saved_to_the_outbox_and_read_back_with_the_save() {
        use base64::Engine;
        let dir = std::env::temp_dir().join(format!("ow-bridge-outbox-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let server = down();
        let cache = Cache::new(&dir, &server);
        let outbox = Outbox::new(&dir, &server);
        let http = ReqwestTransport::new(&server);
        let token = Some("t0k".to_owned());
        let item = crate::outbox::fixtures::item();
        let app =
            serde_json::to_value(crate::outbox::fixtures::application(&item, "draft")).unwrap();
        let me = serde_json::json!({"id": 3, "role": "citizen", "name": "赵一", "phone": "13800000000",
            "lang": "zh-CN", "created_at": "2026-11-23T08:00:00Z"});
        let at = "2026-11-23T09:00:00Z";
        cache.put(
            "/api/v1/me",
            token.as_deref(),
            me.to_string().as_bytes(),
            at,
        );
        cache.put(
            "/api/v1/applications/7",
            token.as_deref(),
            app.to_string().as_bytes(),
            at,
        );
        cache.put(
            &format!("/api/v1/services/{}", item.code),
            None,
            serde_json::to_vec(&item).unwrap().as_slice(),
            at,
        );
        let form = serde_json::json!({"form": {"unknown": "typed offline"}});
        let mut save = call("PUT", "/api/v1/applications/7/form");
        save.body = Some(b64().encode(form.to_string()));
        let decode = |a: &ApiAnswer| -> Application {
            serde_json::from_slice(&b64().decode(&a.body).unwrap()).unwrap()
        };
        tauri::async_runtime::block_on(async {
            let saved = forward(&http, token.clone(), &save, Some(&cache), Some(&outbox))
                .await
                .unwrap();
            assert_eq!(saved.status, 200);
            assert_eq!(saved.cached_at.as_deref(), Some(at), "marked as offline");
            let saved = decode(&saved);
            assert_eq!(
                saved.form.get("unknown").map(String::as_str),
                Some("typed offline")
            );
            assert!(
                !saved.notice.problems.is_empty(),
                "the notice is worked out again"
            );
            let waiting = outbox.pending(onewindow_api::ids::UserId(3));
            assert_eq!(waiting.len(), 1);
            assert_eq!(waiting[0].application, CaseId(7));

            // Reading the draft shows the save that waits.
            let read = forward(
                &http,
                token.clone(),
                &call("GET", "/api/v1/applications/7"),
                Some(&cache),
                Some(&outbox),
            )
            .await
            .unwrap();
            assert_eq!(decode(&read).form, saved.form);

            // Without a session nothing is kept for anyone.
            let e = forward(&http, None, &save, Some(&cache), Some(&outbox))
                .await
                .unwrap_err();
            assert_eq!(e.code(), "unreachable");
            // A draft never seen online cannot be saved offline.
            let mut unseen = save.clone();
            unseen.path = "/api/v1/applications/8/form".into();
            let e = forward(&http, token.clone(), &unseen, Some(&cache), Some(&outbox))
                .await
                .unwrap_err();
            assert_eq!(e.code(), "unreachable");
            assert_eq!(outbox.pending(onewindow_api::ids::UserId(3)).len(), 1);

            // A replay while the server is still away sends nothing and says it stalled
            // (so the next try backs off); the save keeps waiting.
            let replayed = replay(&http, "t0k", Some(&cache), &outbox).await;
            assert!(replayed.stalled);
            assert_eq!(replayed.synced, Synced::default());
            assert_eq!(outbox.pending(onewindow_api::ids::UserId(3)).len(), 1);
        });
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn offline_a_search_runs_over_the_kept_corpus() {
        use base64::Engine;
        let dir = std::env::temp_dir().join(format!("ow-bridge-search-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let server = down();
        let cache = Cache::new(&dir, &server);
        let http = ReqwestTransport::new(&server);
        let item = crate::outbox::fixtures::item();
        let entry = CorpusEntry {
            item: item.summary_with(onewindow_api::Text::new("公安局", "Public Security")),
            keywords: vec!["出国证件".into()],
        };
        let get = |path: &str| call("GET", path);
        tauri::async_runtime::block_on(async {
            // Nothing kept yet: unreachable, as before.
            let e = forward(
                &http,
                None,
                &get("/api/v1/search?q=%E5%87%BA%E5%9B%BD"),
                Some(&cache),
                None,
            )
            .await
            .unwrap_err();
            assert_eq!(e.code(), "unreachable");
            let at = "2026-11-23T09:00:00Z";
            cache.put(CORPUS, None, &serde_json::to_vec(&vec![entry]).unwrap(), at);
            // A keyword, percent-encoded as the page sends it.
            let a = forward(
                &http,
                None,
                &get("/api/v1/search?q=%E5%87%BA%E5%9B%BD&page=1"),
                Some(&cache),
                None,
            )
            .await
            .unwrap();
            assert_eq!((a.status, a.cached_at.as_deref()), (200, Some(at)));
            let found: onewindow_api::query::SearchResponse =
                serde_json::from_slice(&b64().decode(&a.body).unwrap()).unwrap();
            assert_eq!(found.total, 1);
            assert_eq!(found.hits[0].item.code, item.code);
            assert_eq!(found.query, "出国");
            // What the server refuses is refused the same way.
            let a = forward(&http, None, &get("/api/v1/search?q=+"), Some(&cache), None)
                .await
                .unwrap();
            assert_eq!(a.status, 422);
            let body: ErrorBody = serde_json::from_slice(&b64().decode(&a.body).unwrap()).unwrap();
            assert_eq!(body.code, onewindow_api::ErrorCode::ValidationFailed);
        });
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn offline_a_get_is_answered_from_the_cache_with_its_age() {
        use base64::Engine;
        let dir = std::env::temp_dir().join(format!("ow-bridge-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let server = crate::testing::serve_once(200, "application/json", r#"{"items":[1]}"#, &[]);
        let cache = Cache::new(&dir, &server);
        let http = ReqwestTransport::new(&server);
        let get = call("GET", "/api/v1/services?page=1");
        tauri::async_runtime::block_on(async {
            let live = forward(&http, None, &get, Some(&cache), None)
                .await
                .unwrap();
            assert_eq!(live.status, 200);
            assert_eq!(live.cached_at, None);
            // The one-shot server has gone: the same GET comes from the cache.
            let kept = forward(&http, None, &get, Some(&cache), None)
                .await
                .unwrap();
            assert_eq!(kept.body, b64().encode(r#"{"items":[1]}"#));
            assert!(kept.cached_at.is_some(), "marked as the offline copy");
            // What was never fetched, and any write, fail as unreachable.
            let other = call("GET", "/api/v1/services?page=2");
            let e = forward(&http, None, &other, Some(&cache), None)
                .await
                .unwrap_err();
            assert_eq!(e.code(), "unreachable");
            let e = forward(
                &http,
                None,
                &call("POST", "/api/v1/services?page=1"),
                Some(&cache),
                None,
            )
            .await
            .unwrap_err();
            assert_eq!(e.code(), "unreachable");
        });
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
