//! Prometheus metrics at `GET /metrics`, in the text exposition format: requests per
//! route (the route's template, never a concrete path, so no ID or number ends up in a
//! label) with their latency histogram, booking conflicts by reason, and, read from the
//! database at each scrape, the notification deliveries due and the deliveries by
//! state. Counted in memory per instance; Prometheus sums the instances. Served to the
//! bearer of `server.metrics_token`, or, while none is set, only to clients on this
//! machine: the route names and counts describe the deployment and its load.

use crate::client_addr::ClientAddr;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Why a booking was refused although its request was valid.
#[derive(Debug, Clone, Copy)]
pub enum Conflict {
    /// The slot was full.
    Full,
    /// The citizen's weekly cap was reached.
    WeekFull,
    /// The citizen already had an active booking for the item.
    AlreadyBooked,
}

impl Conflict {
    fn label(self) -> &'static str {
        match self {
            Conflict::Full => "slot_full",
            Conflict::WeekFull => "week_full",
            Conflict::AlreadyBooked => "already_booked",
        }
    }
}

/// One route's latency histogram.
#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Per bucket, not cumulative; the last is +Inf.
    counts: [u64; BUCKETS.len() + 1],
    sum: f64,
}

/// The counters of this instance.
#[derive(Debug, Default)]
pub struct Metrics {
    /// (method, route, status) → requests.
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    /// (method, route) → latency.
    latency: Mutex<BTreeMap<(String, String), Histogram>>,
    conflicts: [AtomicU64; 3],
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let key = (method.to_owned(), route.to_owned());
        if let Ok(mut r) = self.requests.lock() {
            *r.entry((key.0.clone(), key.1.clone(), status)).or_default() += 1;
        }
        if let Ok(mut l) = self.latency.lock() {
            let h = l.entry(key).or_default();
            let i = BUCKETS
                .iter()
                .position(|b| seconds <= *b)
                .unwrap_or(BUCKETS.len());
            h.counts[i] += 1;
            h.sum += seconds;
        }
    }

    /// Counts one booking conflict.
    pub fn conflict(&self, why: Conflict) {
        self.conflicts[why as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// The counters in the text exposition format.
    fn render(&self, out: &mut String) {
        out.push_str("# HELP onewindow_http_requests_total Requests answered, by route template and status.\n");
        out.push_str("# TYPE onewindow_http_requests_total counter\n");
        if let Ok(r) = self.requests.lock() {
            for ((method, route, status), n) in r.iter() {
                let _ = writeln!(
                    out,
                    "onewindow_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        out.push_str(
            "# HELP onewindow_http_request_duration_seconds Time to answer, by route template.\n",
        );
        out.push_str("# TYPE onewindow_http_request_duration_seconds histogram\n");
        if let Ok(l) = self.latency.lock() {
            for ((method, route), h) in l.iter() {
                let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
                let mut cumulative = 0;
                for (i, bound) in BUCKETS.iter().enumerate() {
                    cumulative += h.counts[i];
                    let _ = writeln!(
                        out,
                        "onewindow_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                    );
                }
                cumulative += h.counts[BUCKETS.len()];
                let _ = writeln!(out, "onewindow_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {cumulative}");
                let _ = writeln!(
                    out,
                    "onewindow_http_request_duration_seconds_sum{{{labels}}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "onewindow_http_request_duration_seconds_count{{{labels}}} {cumulative}"
                );
            }
        }
        out.push_str("# HELP onewindow_booking_conflicts_total Valid booking requests refused by the database's rules.\n");
        out.push_str("# TYPE onewindow_booking_conflicts_total counter\n");
        for why in [Conflict::Full, Conflict::WeekFull, Conflict::AlreadyBooked] {
            let n = self.conflicts[why as usize].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "onewindow_booking_conflicts_total{{reason=\"{}\"}} {n}",
                why.label()
            );
        }
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: times every request and counts it under its route template; requests
/// that no API route matched (the front-end's files) count as `static`.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "static".to_owned(), |m| m.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(req).await;
    state.metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// Whether this request may read the metrics: with the configured token as its bearer
/// token, or, with none configured, from a loopback address.
fn may_scrape(token: &str, client: ClientAddr, headers: &HeaderMap) -> Result<(), ApiError> {
    if token.is_empty() {
        return if client.0.to_canonical().is_loopback() {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "metrics are served to this machine only; set server.metrics_token to scrape from elsewhere",
            ))
        };
    }
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Compared as digests, so the time taken does not tell how much of it matched.
    use sha2::Digest;
    if sha2::Sha256::digest(given.as_bytes()) == sha2::Sha256::digest(token.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::Coded(
            onewindow_api::ErrorCode::Unauthenticated,
            "send the metrics token as the bearer token".into(),
        ))
    }
}

/// `GET /metrics`.
pub async fn metrics(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = may_scrape(&state.config.server.metrics_token, client, &headers) {
        return e.into_response();
    }
    let mut out = String::new();
    state.metrics.render(&mut out);
    // The queues live in the database, shared by every instance.
    match state.store.queue_depths().await {
        Ok(q) => {
            out.push_str("# HELP onewindow_delivery_queue_depth Notification deliveries (Web Push, FCM, APNs) due and not sent yet.\n");
            out.push_str("# TYPE onewindow_delivery_queue_depth gauge\n");
            let _ = writeln!(out, "onewindow_delivery_queue_depth {}", q.due);
            out.push_str("# HELP onewindow_deliveries Notification deliveries by state.\n");
            out.push_str("# TYPE onewindow_deliveries gauge\n");
            for (status, n) in &q.deliveries {
                let _ = writeln!(
                    out,
                    "onewindow_deliveries{{state=\"{}\"}} {n}",
                    escape(status)
                );
            }
            out.push_str("onewindow_database_up 1\n");
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the database did not answer");
            out.push_str("onewindow_database_up 0\n");
        }
    }
    (
        [("content-type", "text/plain; version=0.0.4; charset=utf-8")],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_counts_add_up() {
        let m = Metrics::default();
        m.observe("GET", "/api/v1/services/{code}", 200, 0.003);
        m.observe("GET", "/api/v1/services/{code}", 200, 0.2);
        m.observe("GET", "/api/v1/services/{code}", 404, 20.0);
        m.conflict(Conflict::Full);
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("onewindow_http_requests_total{method=\"GET\",route=\"/api/v1/services/{code}\",status=\"200\"} 2"));
        assert!(out.contains("status=\"404\"} 1"));
        assert!(out.contains("le=\"0.005\"} 1\n"));
        assert!(out.contains("le=\"0.25\"} 2\n"));
        assert!(out.contains("le=\"10\"} 2\n"));
        assert!(out.contains("le=\"+Inf\"} 3\n"));
        assert!(out.contains("_count{method=\"GET\",route=\"/api/v1/services/{code}\"} 3\n"));
        assert!(out.contains("onewindow_booking_conflicts_total{reason=\"slot_full\"} 1\n"));
        assert!(out.contains("onewindow_booking_conflicts_total{reason=\"week_full\"} 0\n"));
    }

    #[test]
    fn only_this_machine_or_the_token_bearer_may_scrape() {
        use std::net::IpAddr;
        let from = |ip: &str| ClientAddr(ip.parse::<IpAddr>().unwrap());
        let none = HeaderMap::new();
        for local in ["127.0.0.1", "::1", "::ffff:127.0.0.1"] {
            assert!(may_scrape("", from(local), &none).is_ok(), "{local}");
        }
        for remote in [
            "203.0.113.5",
            "2001:db8::1",
            "::ffff:203.0.113.5",
            "0.0.0.0",
        ] {
            assert!(
                matches!(
                    may_scrape("", from(remote), &none),
                    Err(ApiError::Coded(onewindow_api::ErrorCode::Forbidden, _))
                ),
                "{remote}"
            );
        }
        let bearer = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, v.parse().unwrap());
            h
        };
        let token = "scrape-token";
        assert!(may_scrape(token, from("203.0.113.5"), &bearer("Bearer scrape-token")).is_ok());
        // With a token set, this machine needs it too.
        for (who, h) in [
            ("127.0.0.1", none.clone()),
            ("203.0.113.5", bearer("Bearer scrape-toke")),
            ("203.0.113.5", bearer("scrape-token")),
            ("203.0.113.5", bearer("Bearer ")),
        ] {
            assert!(
                matches!(
                    may_scrape(token, from(who), &h),
                    Err(ApiError::Coded(
                        onewindow_api::ErrorCode::Unauthenticated,
                        _
                    ))
                ),
                "{who} {h:?}"
            );
        }
    }
}
