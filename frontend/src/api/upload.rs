//! Material, result and attachment uploads with a progress bar. `fetch` reports no upload progress, so this one
//! request goes through XMLHttpRequest, to the same URL and with the same headers as
//! `Client::upload_material`: the file's bytes as `application/octet-stream`, its name
//! in the `name` query parameter (for display only; the server sniffs the type).

use super::{client, ApiResult};
use onewindow_api::application::FileInfo;
use onewindow_api::ids::{CaseId, ThreadId};
use onewindow_api::sniff::SNIFF_LEN;
use onewindow_api::thread::ThreadAttachment;
use onewindow_api::{ErrorBody, API_PREFIX};
use onewindow_client::transport::{HttpRequest, Method, Transport, TransportError};
use onewindow_client::ClientError;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn network(what: &str) -> ClientError {
    ClientError::Network(TransportError(what.to_owned()))
}

/// The first bytes of a chosen file, for `sniff` before anything is sent.
pub async fn read_head(file: &web_sys::File) -> Result<Vec<u8>, JsValue> {
    let end = i32::try_from(SNIFF_LEN).unwrap_or(i32::MAX);
    let head = file.slice_with_i32_and_i32(0, end)?;
    let buffer = JsFuture::from(head.array_buffer()).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// `POST /api/v1/applications/{id}/materials/{slot}?name=…` with the file as the body;
/// `progress` gets the fraction sent (0.0–1.0) as the browser reports it.
pub async fn upload_material(
    id: CaseId,
    slot: &str,
    file: &web_sys::File,
    progress: impl Fn(f64) + 'static,
) -> ApiResult<FileInfo> {
    let url = format!(
        "{API_PREFIX}/applications/{id}/materials/{}?name={}",
        js_sys::encode_uri_component(slot),
        js_sys::encode_uri_component(&file.name()),
    );
    post_file(&url, file, progress).await
}

/// `POST /api/v1/applications/{id}/result?name=…`: a result document the handling
/// department issues, sent like a material.
pub async fn upload_result(
    id: CaseId,
    file: &web_sys::File,
    progress: impl Fn(f64) + 'static,
) -> ApiResult<FileInfo> {
    let url = format!(
        "{API_PREFIX}/applications/{id}/result?name={}",
        js_sys::encode_uri_component(&file.name()),
    );
    post_file(&url, file, progress).await
}

/// `POST /api/v1/threads/{id}/attachments?name=…`: a file attached to a question or
/// complaint, sent like a material.
pub async fn upload_attachment(
    id: ThreadId,
    file: &web_sys::File,
    progress: impl Fn(f64) + 'static,
) -> ApiResult<ThreadAttachment> {
    let url = format!(
        "{API_PREFIX}/threads/{id}/attachments?name={}",
        js_sys::encode_uri_component(&file.name()),
    );
    post_file(&url, file, progress).await
}

/// Sends `file` as the body of a POST to `url`, reporting progress; the JSON answer is
/// the stored file.
async fn post_file<T: serde::de::DeserializeOwned>(
    url: &str,
    file: &web_sys::File,
    progress: impl Fn(f64) + 'static,
) -> ApiResult<T> {
    if super::in_app_shell() {
        return post_through_shell(url, file, progress).await;
    }
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| network("no XMLHttpRequest"))?;
    xhr.open("POST", url)
        .map_err(|_| network("the upload could not be opened"))?;
    for (name, value) in [
        ("Accept", "application/json"),
        ("Content-Type", "application/octet-stream"),
    ] {
        xhr.set_request_header(name, value)
            .map_err(|_| network("a header was refused"))?;
    }

    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                progress(e.loaded() / e.total());
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    // One promise that settles when the request ends, whichever way. The handlers live
    // in `handlers` until then.
    let mut handlers: Vec<Closure<dyn FnMut(JsValue)>> = Vec::new();
    let done = js_sys::Promise::new(&mut |resolve: js_sys::Function, reject: js_sys::Function| {
        let ok = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let _ = reject.call0(&JsValue::NULL);
        });
        xhr.set_onload(Some(ok.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(failed.as_ref().unchecked_ref()));
        xhr.set_onabort(Some(failed.as_ref().unchecked_ref()));
        handlers.push(ok);
        handlers.push(failed);
    });
    xhr.send_with_opt_blob(Some(file))
        .map_err(|_| network("the upload could not be sent"))?;
    let outcome = JsFuture::from(done).await;
    drop(handlers);
    drop(on_progress);
    outcome.map_err(|_| network("the server could not be reached"))?;

    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    read_answer(status, &body)
}

/// Inside the app shell the upload goes through the shell (which adds the session
/// token) in one piece, so progress only says when it starts and ends.
async fn post_through_shell<T: serde::de::DeserializeOwned>(
    path: &str,
    file: &web_sys::File,
    progress: impl Fn(f64) + 'static,
) -> ApiResult<T> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| network("the file could not be read"))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    progress(0.0);
    let answer = client()
        .await
        .transport()
        .send(HttpRequest {
            method: Method::Post,
            path: path.to_owned(),
            body: Some(bytes),
            content_type: Some("application/octet-stream"),
            token: None,
        })
        .await?;
    progress(1.0);
    read_answer(answer.status, &answer.text())
}

/// The stored file from a 2xx answer, else the server's error.
fn read_answer<T: serde::de::DeserializeOwned>(status: u16, body: &str) -> ApiResult<T> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|e| ClientError::Unexpected {
            status,
            message: e.to_string(),
        });
    }
    Err(match serde_json::from_str::<ErrorBody>(body) {
        Ok(body) => ClientError::Api { status, body },
        Err(_) => ClientError::Unexpected {
            status,
            message: body.chars().take(200).collect(),
        },
    })
}
