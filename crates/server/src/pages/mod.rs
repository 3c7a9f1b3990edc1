//! Pre-rendered public pages: the home page, the catalogue, the search results and the
//! service guides, as plain HTML built by the server from the same data and the same words
//! (`onewindow_ui`) as the web front-end, for visitors who are not signed in. They read
//! without the app's wasm (progressive enhancement): links and forms are plain HTML; the
//! language comes from `?lang=` (remembered in the `ow_lang` cookie, which the app also
//! writes), else the cookie, else `Accept-Language`; elder mode is the app's, applied by
//! a few lines of inline script and the style sheet. A browser that is signed in (the
//! `ow_signed_in` cookie, set beside the session cookie) gets the app (`index.html`),
//! as does every other page.

mod catalogue;
mod guide;
mod home;
pub mod html;

use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use onewindow_api::Lang;

/// The cookie that tells page requests a browser is signed in (the session cookie
/// itself is only sent to `/api`). It carries no secret.
pub const SIGNED_IN_COOKIE: &str = "ow_signed_in";
/// The cookie of the chosen language (`zh-CN` or `en`).
pub const LANG_COOKIE: &str = "ow_lang";

/// Who asks for a public page, and in which language.
pub struct Visitor {
    pub lang: Lang,
    /// The query's pairs, `lang` left out.
    pub params: Vec<(String, String)>,
    /// Set when `?lang=` chose the language: the answer remembers it.
    chosen: bool,
}

impl Visitor {
    /// `None` when the browser is signed in: it gets the app.
    fn of(headers: &HeaderMap, query: Option<&str>) -> Option<Visitor> {
        let cookies = crate::auth::cookies(headers);
        if cookies
            .iter()
            .any(|(k, v)| *k == SIGNED_IN_COOKIE && *v == "1")
        {
            return None;
        }
        let mut params: Vec<(String, String)> =
            serde_urlencoded::from_str(query.unwrap_or_default()).unwrap_or_default();
        let asked = params
            .iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| tag_lang(v));
        params.retain(|(k, _)| k != "lang");
        let remembered = cookies
            .iter()
            .find(|(k, _)| *k == LANG_COOKIE)
            .and_then(|(_, v)| tag_lang(v));
        let accepted = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|first| Lang::from_tag(first.split(';').next().unwrap_or("").trim()));
        Some(Visitor {
            lang: asked.or(remembered).or(accepted).unwrap_or_default(),
            params,
            chosen: asked.is_some(),
        })
    }

    /// The value of a query parameter, trimmed; empty when absent.
    pub fn param(&self, name: &str) -> String {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// The query string of the page without `lang` (for the language switch).
    fn query(&self) -> String {
        serde_urlencoded::to_string(&self.params).unwrap_or_default()
    }

    /// The page as an answer: HTML, in the visitor's language, never cached by shared
    /// caches (it depends on the language cookie), the choice remembered.
    fn respond(&self, status: StatusCode, html: String) -> Response {
        let mut res = (status, axum::response::Html(html)).into_response();
        let h = res.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        h.insert(
            header::VARY,
            HeaderValue::from_static("Cookie, Accept-Language"),
        );
        if self.chosen {
            let cookie = format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                self.lang.tag()
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                h.insert(header::SET_COOKIE, v);
            }
        }
        res
    }
}

fn tag_lang(tag: &str) -> Option<Lang> {
    match tag {
        "zh-CN" => Some(Lang::ZhCn),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The app itself: `index.html` of the built front-end.
async fn app_page(state: &AppState) -> Response {
    let index = state.config.server.static_dir.join("index.html");
    match tokio::fs::read(&index).await {
        Ok(bytes) => {
            let mut res = axum::response::Html(bytes).into_response();
            let h = res.headers_mut();
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            h.insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
            res
        }
        Err(_) => (
            StatusCode::NOT_FOUND,
            axum::response::Html("<!doctype html><meta charset=utf-8><title>OneWindow</title><p>The web front-end is not built. Run <code>cargo xtask run</code>, which builds it."),
        )
            .into_response(),
    }
}

/// The answer for a visitor: the rendered page (title and main content) in the frame,
/// the app when it is not a page of ours after all (an unknown item), or the error.
async fn finish(
    state: &AppState,
    visitor: &Visitor,
    path: &str,
    rendered: Result<Option<(String, String)>, sqlx::Error>,
) -> Response {
    match rendered {
        Ok(Some((title, main))) => {
            let html = html::document(visitor.lang, path, &visitor.query(), &title, &main);
            visitor.respond(StatusCode::OK, html)
        }
        Ok(None) => app_page(state).await,
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

/// The public pages.
enum Public {
    Home,
    Services,
    Search,
    Guide(String),
}

/// A public page for a visitor, the app for a signed-in browser.
async fn serve(
    state: AppState,
    headers: HeaderMap,
    query: Option<String>,
    page: Public,
) -> Response {
    let Some(v) = Visitor::of(&headers, query.as_deref()) else {
        return app_page(&state).await;
    };
    let (path, rendered) = match &page {
        Public::Home => ("/".to_owned(), home::render(&state, &v).await),
        Public::Services => ("/services".to_owned(), catalogue::list(&state, &v).await),
        Public::Search => ("/search".to_owned(), catalogue::search(&state, &v)),
        Public::Guide(code) => (
            format!("/services/{code}"),
            guide::render(&state, &v, code).await,
        ),
    };
    finish(&state, &v, &path, rendered).await
}

/// `/`.
pub async fn home(State(s): State<AppState>, h: HeaderMap, RawQuery(q): RawQuery) -> Response {
    serve(s, h, q, Public::Home).await
}

/// `/services`.
pub async fn services(State(s): State<AppState>, h: HeaderMap, RawQuery(q): RawQuery) -> Response {
    serve(s, h, q, Public::Services).await
}

/// `/search`.
pub async fn search(State(s): State<AppState>, h: HeaderMap, RawQuery(q): RawQuery) -> Response {
    serve(s, h, q, Public::Search).await
}

/// `/services/{code}`.
pub async fn guide(
    State(s): State<AppState>,
    Path(code): Path<String>,
    h: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    serve(s, h, q, Public::Guide(code)).await
}
