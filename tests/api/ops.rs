//! Operations on SQLite and PostgreSQL: liveness and readiness (a file store that does
//! not answer makes the instance not ready, while it stays alive), Prometheus metrics
//! (requests per route template with their latencies, booking conflicts, the delivery
//! queue), request ids, and the online SQLite backup.

use crate::bookings::{bookable, request};
use onewindow_api::booking::SlotQuery;
use onewindow_api::ErrorCode;
use onewindow_server::db::Store;
use onewindow_tests::cases::applicant;
use onewindow_tests::{backends, Backend, TestServer};

/// The value of the sample `name{labels}` in a Prometheus text answer.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

async fn metrics(server: &TestServer) -> String {
    let r = reqwest::get(format!("{}/metrics", server.base_url))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    r.text().await.unwrap()
}

#[tokio::test]
async fn live_ready_and_not_ready() {
    for backend in backends() {
        let server = TestServer::start(backend);
        let http = reqwest::Client::new();
        for path in ["/healthz", "/readyz"] {
            let r = http
                .get(format!("{}{path}", server.base_url))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{backend:?} {path}");
        }
        // A bucket nobody listens for: alive, but not ready.
        let broken = TestServer::start_with(backend, |c| {
            c.storage.kind = "s3".into();
            c.storage.bucket = "onewindow".into();
            c.storage.endpoint = "http://127.0.0.1:9".into();
            c.storage.region = "us-east-1".into();
            c.storage.access_key_id = "x".into();
            c.storage.secret_access_key = "y".into();
        });
        let live = http
            .get(format!("{}/healthz", broken.base_url))
            .send()
            .await
            .unwrap();
        assert_eq!(live.status(), 200);
        let ready = http
            .get(format!("{}/readyz", broken.base_url))
            .send()
            .await
            .unwrap();
        assert_eq!(ready.status(), 503);
        let body: onewindow_api::ErrorBody = ready.json().await.unwrap();
        // Which dependency failed goes to the log, not to the caller.
        assert_eq!(body.code, ErrorCode::Unavailable);
    }
}

/// `/metrics` answers this machine only, until a token is set; then only its bearer. A
/// client behind a trusted proxy is not this machine, though the proxy is.
#[tokio::test]
async fn metrics_are_for_this_machine_or_the_token_bearer() {
    let http = reqwest::Client::new();
    let scrape = |base: &str, from: Option<&str>, token: Option<&str>| {
        let mut r = http.get(format!("{base}/metrics"));
        if let Some(from) = from {
            r = r.header("x-forwarded-for", from);
        }
        if let Some(token) = token {
            r = r.bearer_auth(token);
        }
        async move {
            let r = r.send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.text().await.unwrap())
        }
    };
    let open = TestServer::start_with(Backend::Sqlite, |c| {
        c.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    });
    assert_eq!(scrape(&open.base_url, None, None).await.0, 200);
    let (status, body) = scrape(&open.base_url, Some("203.0.113.9"), None).await;
    assert_eq!(status, 403);
    let body: onewindow_api::ErrorBody = serde_json::from_str(&body).unwrap();
    assert_eq!(body.code, ErrorCode::Forbidden);

    let guarded = TestServer::start_with(Backend::Sqlite, |c| {
        c.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        c.server.metrics_token = "prometheus-scrape-7f3a".into();
    });
    let base = &guarded.base_url;
    assert_eq!(scrape(base, None, None).await.0, 401);
    assert_eq!(scrape(base, None, Some("prometheus-scrape")).await.0, 401);
    let (status, text) = scrape(base, Some("203.0.113.9"), Some("prometheus-scrape-7f3a")).await;
    assert_eq!(status, 200);
    assert!(text.contains("onewindow_database_up 1"), "{text}");
}

#[tokio::test]
async fn metrics_count_routes_conflicts_and_deliveries() {
    for backend in backends() {
        let server = TestServer::start(backend);
        let (citizen, _, _) = applicant(&server, None).await;
        let item = bookable(&citizen).await;
        citizen.service(item.code.as_str()).await.unwrap();
        let missing = citizen.service("NO-SUCH-ITEM").await.unwrap_err();
        assert_eq!(missing.code(), Some(ErrorCode::NotFound));

        // The same citizen books the item twice: the database refuses the second.
        let hall = (!item.online.city_wide).then(|| item.venues[0].hall.clone());
        let slots = citizen
            .slots(item.code.as_str(), &SlotQuery { hall })
            .await
            .unwrap();
        citizen
            .book(&request(&item, &slots[0], "metrics-first-0001"))
            .await
            .unwrap();
        let again = citizen
            .book(&request(&item, &slots[1], "metrics-second-001"))
            .await
            .unwrap_err();
        assert_eq!(again.code(), Some(ErrorCode::Conflict));

        let text = metrics(&server).await;
        let route = "/api/v1/services/{code}";
        assert!(
            sample(&text, &format!("onewindow_http_requests_total{{method=\"GET\",route=\"{route}\",status=\"200\"}}"))
                .is_some_and(|n| n >= 2.0),
            "{backend:?}: {text}"
        );
        assert_eq!(
            sample(&text, &format!("onewindow_http_requests_total{{method=\"GET\",route=\"{route}\",status=\"404\"}}")),
            Some(1.0)
        );
        let count = sample(
            &text,
            &format!(
                "onewindow_http_request_duration_seconds_count{{method=\"GET\",route=\"{route}\"}}"
            ),
        )
        .unwrap();
        let inf = sample(&text, &format!("onewindow_http_request_duration_seconds_bucket{{method=\"GET\",route=\"{route}\",le=\"+Inf\"}}")).unwrap();
        assert_eq!(count, inf);
        // No concrete path or code in a label.
        assert!(
            !text.contains(item.code.as_str()),
            "a label holds an item code"
        );
        assert_eq!(
            sample(
                &text,
                "onewindow_booking_conflicts_total{reason=\"already_booked\"}"
            ),
            Some(1.0)
        );
        assert_eq!(sample(&text, "onewindow_database_up"), Some(1.0));
        assert!(sample(&text, "onewindow_delivery_queue_depth").is_some());
    }
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let server = TestServer::shared(Backend::Sqlite);
    let http = reqwest::Client::new();
    let given = http
        .get(format!("{}/api/v1/departments", server.base_url))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "trace-me-42");
    let made = http
        .get(format!("{}/api/v1/departments", server.base_url))
        .send()
        .await
        .unwrap();
    let id = made.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "{id} is not a UUID");
}

#[tokio::test]
async fn an_online_backup_of_sqlite_reads_back() {
    let server = TestServer::start(Backend::Sqlite);
    let (citizen, _, phone) = applicant(&server, None).await;
    let me = citizen.me().await.unwrap();
    let store = Store::connect(&server.database_url, 2).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    store.backup(&file).await.unwrap();
    // The copy is a database of its own with the account in it.
    let copy = Store::connect(&format!("sqlite://{}", file.display()), 1)
        .await
        .unwrap();
    let found = copy.user_by_login(&phone).await.unwrap();
    assert_eq!(found.map(|u| u.name), Some(me.name));
    // Never over an existing file.
    let again = store.backup(&file).await.unwrap_err();
    assert!(again.to_string().contains("exists already"), "{again}");
    if let Some(admin) = onewindow_tests::postgres_admin_url() {
        let pg = Store::connect(&onewindow_tests::fresh_postgres_database(&admin, "bk"), 1)
            .await
            .unwrap();
        let refused = pg.backup(&dir.path().join("pg.db")).await.unwrap_err();
        assert!(refused.to_string().contains("pg_dump"), "{refused}");
    }
}
