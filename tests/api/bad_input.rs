//! Bad input of every kind gets a 4xx with its stable code, never a 5xx.

use onewindow_api::{ErrorBody, ErrorCode};
use onewindow_client::transport::{HttpRequest, Method};
use onewindow_tests::{backends, TestServer};

async fn send(
    server: &TestServer,
    method: Method,
    path: &str,
    body: Option<String>,
) -> (u16, Option<ErrorBody>) {
    let c = server.client();
    let r = c
        .raw(HttpRequest {
            method,
            path: path.into(),
            body: body.map(String::into_bytes),
            content_type: None,
            token: None,
        })
        .await
        .unwrap();
    (r.status, serde_json::from_slice(&r.body).ok())
}

#[tokio::test]
async fn malformed_oversized_and_misrouted_requests() {
    for backend in backends() {
        let s = TestServer::shared(backend);
        let cases: Vec<(Method, &str, Option<String>, u16, ErrorCode)> = vec![
            (
                Method::Post,
                "/api/v1/auth/login",
                Some("{not json".into()),
                400,
                ErrorCode::MalformedRequest,
            ),
            (
                Method::Post,
                "/api/v1/auth/login",
                Some("[1,2,3]".into()),
                400,
                ErrorCode::MalformedRequest,
            ),
            (
                Method::Post,
                "/api/v1/auth/register",
                Some(r#"{"name":"x"}"#.into()),
                400,
                ErrorCode::MalformedRequest,
            ),
            (
                Method::Post,
                "/api/v1/auth/login",
                None,
                415,
                ErrorCode::UnsupportedMediaType,
            ),
            (
                Method::Post,
                "/api/v1/auth/register",
                Some(format!(r#"{{"name":"{}"}}"#, "x".repeat(200_000))),
                413,
                ErrorCode::PayloadTooLarge,
            ),
            (
                Method::Get,
                "/api/v1/services?page=-1",
                None,
                400,
                ErrorCode::MalformedRequest,
            ),
            (
                Method::Get,
                "/api/v1/services?level=planet",
                None,
                400,
                ErrorCode::MalformedRequest,
            ),
            (
                Method::Get,
                "/api/v1/services?per_page=abc",
                None,
                400,
                ErrorCode::MalformedRequest,
            ),
            (
                Method::Get,
                "/api/v1/no-such-route",
                None,
                404,
                ErrorCode::NotFound,
            ),
            (
                Method::Delete,
                "/api/v1/services",
                None,
                405,
                ErrorCode::MethodNotAllowed,
            ),
            (
                Method::Get,
                "/api/v1/services/%00%ff",
                None,
                400,
                ErrorCode::MalformedRequest,
            ),
            (
                Method::Get,
                "/api/v1/services/%00",
                None,
                404,
                ErrorCode::NotFound,
            ),
        ];
        for (method, path, body, status, code) in cases {
            let (got, err) = send(s, method, path, body).await;
            assert_eq!(got, status, "{backend:?} {method:?} {path}");
            let err = err.unwrap_or_else(|| panic!("{path}: no error body"));
            assert_eq!(err.code, code, "{path}");
            assert!(!err.message.is_empty());
        }
    }
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let s = TestServer::shared(onewindow_tests::Backend::Sqlite);
    let c = reqwest_get(&format!("{}/api/openapi.json", s.base_url)).await;
    let doc: serde_json::Value = serde_json::from_str(&c).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/healthz",
        "/api/v1/services",
        "/api/v1/services/{code}",
        "/api/v1/departments",
        "/api/v1/themes",
        "/api/v1/halls",
        "/api/v1/search",
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/applications",
        "/api/v1/applications/{id}",
        "/api/v1/applications/{id}/form",
        "/api/v1/applications/{id}/submit",
        "/api/v1/applications/{id}/withdraw",
        "/api/v1/applications/{id}/materials/{slot}",
        "/api/v1/applications/{id}/files/{file}",
        "/api/v1/applications/{id}/transitions",
        "/api/v1/staff/applications",
        "/api/v1/lookup",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} is missing from the OpenAPI document"
        );
    }
    let docs = reqwest_get(&format!("{}/api/docs/", s.base_url)).await;
    assert!(docs.contains("swagger"), "the docs page is not served");
    assert_eq!(s.client().health().await.unwrap().status, "ok");
}

async fn reqwest_get(url: &str) -> String {
    // A plain client: the API's transport follows no redirects, and the docs page
    // redirects to its index.
    let r = reqwest::get(url).await.unwrap();
    assert_eq!(r.status(), 200, "{url}");
    r.text().await.unwrap()
}
