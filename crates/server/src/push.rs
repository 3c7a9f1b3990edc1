//! Push of notifications: Web Push (RFC 8030) to the browsers that subscribed, its
//! payloads encrypted per RFC 8291 (aes128gcm) and signed with VAPID (RFC 8292) for the
//! push service's exact origin, and the mobile gateways (`gateway`) to app installs.
//! Every instance runs the dispatcher; a delivery is leased by one at a time, sent, and settled as
//! delivered, temporary failure (retried with exponential backoff) or permanent failure,
//! after the user's mutes and quiet hours.

use crate::applications::offset_of;
use crate::db::push::{DueDelivery, Target};
use crate::gateway::{Gateways, Message, Sent};
use crate::state::AppState;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{TimeZone, Utc};
use onewindow_api::notification::{DeliveryStatus, PushSubscription};
use onewindow_api::{Lang, Text};
use web_push_native::jwt_simple::algorithms::ES256KeyPair;
use web_push_native::p256;
use web_push_native::{Auth, WebPushBuilder};

/// Decodes base64url with or without padding.
fn unbase64(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s.trim().trim_end_matches('=')).ok()
}

/// Whether a push endpoint's host is this machine or a private network: the server
/// would be made to call inside its own network (SSRF), so such endpoints are refused
/// unless `push.allow_local_endpoints` is set (local stand-ins in tests).
fn is_local(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => is_internal(ip.into()),
        Some(url::Host::Ipv6(ip)) => is_internal(ip.into()),
        None => true,
    }
}

/// Whether an address is this machine or a private, shared or link-local network, in
/// either family (an IPv4 address mapped into IPv6 counts as the IPv4 one).
fn is_internal(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_unspecified()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_broadcast()
                // 100.64.0.0/10, carrier-grade NAT's shared space.
                || (a == 100 && (b & 0xc0) == 64)
        }
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_internal(v4.into()),
            None => {
                let first = v6.segments()[0];
                v6.is_loopback()
                    || v6.is_unspecified()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80
            }
        },
    }
}

/// Resolves a push service's name and refuses it when any address it gives is internal:
/// a public name can point inside the network, which the subscription check (by the
/// name as written) cannot see.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<std::net::SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.iter().any(|a| is_internal(a.ip())) {
                return Err(format!("{host} resolves inside the network").into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// What is wrong with a subscription, if anything: an HTTPS endpoint on a public host
/// (a local one, plain HTTP allowed, only with `allow_local`), a valid P-256 key and a
/// 16-byte secret.
pub fn subscription_problem(
    s: &PushSubscription,
    allow_local: bool,
) -> Option<(&'static str, &'static str)> {
    let Ok(url) = reqwest::Url::parse(s.endpoint.trim()) else {
        return Some(("endpoint", "give the push service URL of the subscription"));
    };
    if is_local(&url) && !allow_local {
        return Some(("endpoint", "the push service must be on the internet"));
    }
    let plain_ok = url.scheme() == "http" && allow_local && is_local(&url);
    if !(url.scheme() == "https" || plain_ok) || s.endpoint.len() > 2000 {
        return Some(("endpoint", "the push service must be an HTTPS URL"));
    }
    let key_ok = unbase64(&s.keys.p256dh)
        .is_some_and(|k| k.len() == 65 && p256::PublicKey::from_sec1_bytes(&k).is_ok());
    if !key_ok {
        return Some((
            "keys.p256dh",
            "not a P-256 public key (base64url, 65 bytes)",
        ));
    }
    if unbase64(&s.keys.auth).is_none_or(|a| a.len() != 16) {
        return Some(("keys.auth", "not a 16-byte secret (base64url)"));
    }
    None
}

/// The deployment's VAPID key pair, shared by all instances through the database.
pub async fn vapid_key(state: &AppState) -> anyhow::Result<ES256KeyPair> {
    let secret = state
        .store
        .shared_secret("vapid_es256", || {
            URL_SAFE_NO_PAD.encode(ES256KeyPair::generate().to_bytes())
        })
        .await?;
    let raw =
        unbase64(&secret).ok_or_else(|| anyhow::anyhow!("the stored VAPID key is garbled"))?;
    ES256KeyPair::from_bytes(&raw).map_err(|e| anyhow::anyhow!("the stored VAPID key: {e}"))
}

/// The public half, as browsers take it (base64url of the uncompressed point).
pub fn public_key(kp: &ES256KeyPair) -> anyhow::Result<String> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let secret = p256::SecretKey::from_slice(&kp.to_bytes())?;
    let uncompressed = secret.public_key().to_encoded_point(false);
    Ok(URL_SAFE_NO_PAD.encode(uncompressed.as_bytes()))
}

/// Runs the dispatcher every `push.poll_ms`, the first time one period after start,
/// until the task is dropped.
pub async fn run(state: AppState) {
    let every = std::time::Duration::from_millis(state.config.push.poll_ms.max(100));
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Push services answer, they do not redirect: a redirect could lead inside the
    // network. Names are resolved to public addresses only, unless local stand-ins are
    // allowed (tests).
    let mut http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::none());
    if !state.config.push.allow_local_endpoints {
        http = http.dns_resolver(std::sync::Arc::new(PublicOnly));
    }
    let http = match http.build() {
        Ok(http) => http,
        Err(e) => {
            // Never a client without these rules: no push is better than an open one.
            tracing::error!(error = %e, "the push client could not be built; push is off");
            return;
        }
    };
    let gateways = Gateways::from_config(&state.config.push);
    loop {
        tick.tick().await;
        if let Err(e) = dispatch(&state, &http, &gateways).await {
            tracing::warn!(error = %e, "push dispatch failed; retrying next tick");
        }
    }
}

/// Sends the deliveries due now; returns how many were attempted.
pub async fn dispatch(
    state: &AppState,
    http: &reqwest::Client,
    gateways: &Gateways,
) -> anyhow::Result<u32> {
    let now = crate::db::now_ms();
    // How long a leased delivery belongs to this instance.
    let lease = i64::try_from(state.config.push.lease_seconds.max(1) * 1000).unwrap_or(60_000);
    let due = state.store.lease_deliveries(now, lease, 50).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let key = vapid_key(state).await?;
    let cfg = &state.config.push;
    let mut attempted = 0;
    for mut d in due {
        // The batch is sent one by one: make sure each is still ours before sending it,
        // and that the lease covers the send.
        if !state
            .store
            .renew_lease(&mut d, crate::db::now_ms(), lease)
            .await?
        {
            continue;
        }
        let settings = state.store.notification_settings(d.user).await?;
        let settle = |status, tried, at, error: Option<String>| {
            let d = &d;
            async move {
                let held = state
                    .store
                    .settle_delivery(d, status, tried, at, error.as_deref())
                    .await?;
                if !held {
                    tracing::info!(delivery = d.id, "another instance took this delivery over");
                }
                Ok::<(), sqlx::Error>(())
            }
        };
        if settings.push_muted.contains(&d.kind) {
            settle(DeliveryStatus::Skipped, false, now, None).await?;
            continue;
        }
        if let Some(quiet) = settings
            .quiet_hours
            .as_ref()
            .filter(|_| !d.kind.is_urgent())
        {
            let offset = offset_of(&state.timezone);
            let local = Utc::now().with_timezone(&offset).naive_local();
            let release = quiet.release(local);
            if release > local {
                let at = offset
                    .from_local_datetime(&release)
                    .single()
                    .map_or(now, |t| t.timestamp_millis());
                let why = Some("held in quiet hours".to_owned());
                settle(DeliveryStatus::Pending, false, at, why).await?;
                continue;
            }
        }
        let Some(target) = &d.target else {
            let why = Some("the subscription was removed".to_owned());
            settle(DeliveryStatus::PermanentFailure, false, now, why).await?;
            continue;
        };
        attempted += 1;
        let lang = Lang::from_tag(&state.store.user_lang(d.user).await?);
        let outcome = match target {
            Target::WebPush(endpoint, p256dh, auth) => {
                let sub = (endpoint.clone(), p256dh.clone(), auth.clone());
                send(
                    http,
                    &key,
                    &cfg.contact,
                    &sub,
                    &payload(&d, lang),
                    cfg.ttl_seconds,
                )
                .await
            }
            Target::Device(platform, token) => {
                let n = &d.notification;
                let m = Message {
                    id: n.id.0,
                    kind: n.kind.as_str(),
                    title: n.title.get(lang),
                    body: n.body.get(lang),
                    link: &n.link,
                    urgent: n.kind.is_urgent(),
                };
                gateways.send(*platform, token, &m).await
            }
        };
        let attempts = d.attempts + 1;
        match outcome {
            Sent::Delivered => settle(DeliveryStatus::Delivered, true, now, None).await?,
            Sent::Gone(why) => {
                match target {
                    Target::WebPush(endpoint, _, _) => {
                        state.store.drop_subscription(endpoint).await?
                    }
                    Target::Device(_, token) => {
                        state.store.drop_device(None, token).await?;
                    }
                }
                settle(DeliveryStatus::PermanentFailure, true, now, Some(why)).await?;
            }
            Sent::Refused(why) => {
                settle(DeliveryStatus::PermanentFailure, true, now, Some(why)).await?
            }
            Sent::Retry(why) if attempts >= cfg.max_attempts => {
                let why = format!("{why}; gave up after {attempts} attempts");
                settle(DeliveryStatus::PermanentFailure, true, now, Some(why)).await?
            }
            Sent::Retry(why) => {
                let backoff = cfg
                    .retry_base_seconds
                    .saturating_mul(1 << (attempts - 1).min(16));
                let at = now + i64::try_from(backoff.saturating_mul(1000)).unwrap_or(i64::MAX / 2);
                settle(DeliveryStatus::TemporaryFailure, true, at, Some(why)).await?
            }
        }
    }
    Ok(attempted)
}

/// The push message: small JSON in the user's language, for the service worker.
fn payload(d: &DueDelivery, lang: Lang) -> Vec<u8> {
    let n = &d.notification;
    let text = |t: &Text| t.get(lang).to_owned();
    serde_json::json!({
        "id": n.id,
        "kind": n.kind,
        "title": text(&n.title),
        "body": text(&n.body),
        "link": n.link,
    })
    .to_string()
    .into_bytes()
}

/// The VAPID `Authorization` header (RFC 8292): a JWT for the push service's origin
/// (scheme, host and any non-default port), valid at most a day, with the contact.
fn vapid_header(
    key: &ES256KeyPair,
    contact: &str,
    endpoint: &str,
    ttl: std::time::Duration,
) -> anyhow::Result<String> {
    use web_push_native::jwt_simple::prelude::*;
    let origin = reqwest::Url::parse(endpoint)?
        .origin()
        .ascii_serialization();
    let valid = ttl.min(std::time::Duration::from_secs(24 * 3600));
    let claims = Claims::create(valid.into())
        .with_audience(origin)
        .with_subject(contact);
    let token = key.sign(claims).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(format!("vapid t={token}, k={}", public_key(key)?))
}

async fn send(
    http: &reqwest::Client,
    key: &ES256KeyPair,
    contact: &str,
    (endpoint, p256dh, auth): &(String, String, String),
    body: &[u8],
    ttl_seconds: u64,
) -> Sent {
    let (Ok(uri), Some(ua_public), Some(ua_auth)) = (
        endpoint.parse(),
        unbase64(p256dh).and_then(|k| p256::PublicKey::from_sec1_bytes(&k).ok()),
        unbase64(auth).filter(|a| a.len() == 16),
    ) else {
        return Sent::Gone("the subscription's endpoint or keys are not usable".into());
    };
    let ttl = std::time::Duration::from_secs(ttl_seconds);
    let request = WebPushBuilder::new(uri, ua_public, Auth::clone_from_slice(&ua_auth))
        .with_valid_duration(ttl)
        .build(body.to_vec());
    let (request, vapid) = match (request, vapid_header(key, contact, endpoint, ttl)) {
        (Ok(r), Ok(v)) => (r, v),
        (Err(e), _) => return Sent::Refused(format!("could not build the push request: {e}")),
        (_, Err(e)) => return Sent::Refused(format!("could not sign the push request: {e}")),
    };
    let (parts, body) = request.into_parts();
    let sent = http
        .post(parts.uri.to_string())
        .headers(parts.headers)
        .header(reqwest::header::AUTHORIZATION, vapid)
        .body(body)
        .send()
        .await;
    match sent {
        Err(e) => Sent::Retry(format!("push service unreachable: {e}")),
        Ok(r) => {
            let status = r.status().as_u16();
            match status {
                200..=299 => Sent::Delivered,
                404 | 410 => {
                    Sent::Gone(format!("the push service answered {status}: unsubscribed"))
                }
                429 | 500..=599 => Sent::Retry(format!("the push service answered {status}")),
                _ => Sent::Refused(format!("the push service refused it ({status})")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_in_either_family() {
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_internal(internal.parse().unwrap()), "{internal}");
        }
        for public in [
            "8.8.8.8",
            "100.128.0.1",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_internal(public.parse().unwrap()), "{public}");
        }
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        assert!(is_local(&url("https://[fe80::1]/push")));
        assert!(is_local(&url("https://[::ffff:7f00:1]/push")));
        assert!(is_local(&url("https://push.localhost/x")));
        assert!(!is_local(&url("https://push.example.com/x")));
    }
}
