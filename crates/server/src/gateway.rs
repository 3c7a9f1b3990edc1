//! Mobile push gateways behind one interface: Firebase Cloud Messaging (HTTP v1: a
//! service-account JWT exchanged for an OAuth access token, then `messages:send`) and
//! Apple Push Notification service (an ES256 provider token over HTTP/2). Each is on only
//! when configured; the in-app centre and the live stream never need them.

use crate::config::PushConfig;
use onewindow_api::notification::PushPlatform;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use web_push_native::jwt_simple::prelude::Duration as JwtDuration;
use web_push_native::jwt_simple::prelude::*;

/// The outcome of one attempt at any channel.
#[derive(Debug)]
pub enum Sent {
    Delivered,
    /// The target is gone for good (unsubscribed, unregistered token): drop it.
    Gone(String),
    /// Worth retrying later.
    Retry(String),
    /// Refused for good, the target stays.
    Refused(String),
}

/// What a gateway shows: title, body and the app page to open.
#[derive(Debug, Clone)]
pub struct Message<'a> {
    pub id: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub link: &'a str,
    pub urgent: bool,
}

/// A cached bearer token and when to stop using it.
type Cached = Mutex<Option<(String, Instant)>>;

#[derive(Serialize, Deserialize)]
struct Scope {
    scope: String,
}

struct Fcm {
    key: RS256KeyPair,
    client_email: String,
    project_id: String,
    token_uri: String,
    endpoint: String,
    token: Cached,
}

struct Apns {
    key: ES256KeyPair,
    team_id: String,
    topic: String,
    endpoint: String,
    token: Cached,
}

/// The configured gateways and their HTTP clients.
pub struct Gateways {
    fcm: Option<Fcm>,
    apns: Option<Apns>,
    http: reqwest::Client,
    /// For APNs: HTTP/2 only (prior knowledge on a plain-HTTP stand-in).
    http2: reqwest::Client,
}

impl Gateways {
    /// The gateways configured in `cfg`; a gateway whose key does not parse is left off
    /// with a warning.
    pub fn from_config(cfg: &PushConfig) -> Gateways {
        let fcm = (!cfg.fcm_project_id.is_empty())
            .then(|| RS256KeyPair::from_pem(&cfg.fcm_private_key))
            .and_then(|k| {
                k.map_err(|e| tracing::warn!(error = %e, "FCM private key unusable; FCM is off"))
                    .ok()
            })
            .map(|key| Fcm {
                key,
                client_email: cfg.fcm_client_email.clone(),
                project_id: cfg.fcm_project_id.clone(),
                token_uri: cfg.fcm_token_uri.clone(),
                endpoint: cfg.fcm_endpoint.trim_end_matches('/').to_owned(),
                token: Mutex::new(None),
            });
        let apns = (!cfg.apns_team_id.is_empty())
            .then(|| ES256KeyPair::from_pem(&cfg.apns_private_key))
            .and_then(|k| {
                k.map_err(|e| tracing::warn!(error = %e, "APNs private key unusable; APNs is off"))
                    .ok()
            })
            .map(|key| Apns {
                key: key.with_key_id(&cfg.apns_key_id),
                team_id: cfg.apns_team_id.clone(),
                topic: cfg.apns_topic.clone(),
                endpoint: cfg.apns_endpoint.trim_end_matches('/').to_owned(),
                token: Mutex::new(None),
            });
        let timeout = Duration::from_secs(15);
        let plain_h2 = cfg.apns_endpoint.starts_with("http://");
        let mut h2 = reqwest::Client::builder().timeout(timeout);
        if plain_h2 {
            h2 = h2.http2_prior_knowledge();
        }
        Gateways {
            fcm,
            apns,
            http: reqwest::Client::builder()
                .timeout(timeout)
                .build()
                .unwrap_or_default(),
            http2: h2.build().unwrap_or_default(),
        }
    }

    /// Whether this server can push to `platform`.
    pub fn has(&self, platform: PushPlatform) -> bool {
        match platform {
            PushPlatform::Fcm => self.fcm.is_some(),
            PushPlatform::Apns => self.apns.is_some(),
        }
    }

    /// Sends to a device token.
    pub async fn send(&self, platform: PushPlatform, token: &str, m: &Message<'_>) -> Sent {
        match platform {
            PushPlatform::Fcm => match &self.fcm {
                Some(fcm) => fcm.send(&self.http, token, m).await,
                None => Sent::Refused("this server has no FCM gateway configured".into()),
            },
            PushPlatform::Apns => match &self.apns {
                Some(apns) => apns.send(&self.http2, token, m).await,
                None => Sent::Refused("this server has no APNs gateway configured".into()),
            },
        }
    }
}

/// A cached token if still good, else a fresh one from `make` (valid for `life`).
async fn cached<F, Fut>(cache: &Cached, life: Duration, make: F) -> Result<String, String>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(String, Duration), String>>,
{
    let mut slot = cache.lock().await;
    if let Some((token, until)) = slot.as_ref() {
        if Instant::now() < *until {
            return Ok(token.clone());
        }
    }
    let (token, valid) = make().await?;
    let until = Instant::now() + valid.min(life).saturating_sub(Duration::from_secs(60));
    *slot = Some((token.clone(), until));
    Ok(token)
}

/// The usual reading of an HTTP status from a push service.
fn by_status(status: u16, what: &str) -> Sent {
    match status {
        200..=299 => Sent::Delivered,
        429 | 500..=599 => Sent::Retry(format!("{what} answered {status}")),
        _ => Sent::Refused(format!("{what} refused it ({status})")),
    }
}

impl Fcm {
    async fn access_token(&self, http: &reqwest::Client) -> Result<String, String> {
        cached(&self.token, Duration::from_secs(3600), || async {
            let claims = Claims::with_custom_claims(
                Scope {
                    scope: "https://www.googleapis.com/auth/firebase.messaging".into(),
                },
                JwtDuration::from_hours(1),
            )
            .with_issuer(&self.client_email)
            .with_audience(&self.token_uri);
            let assertion = self.key.sign(claims).map_err(|e| e.to_string())?;
            let form = [
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", assertion.as_str()),
            ];
            let r = http
                .post(&self.token_uri)
                .form(&form)
                .send()
                .await
                .map_err(|e| format!("FCM token endpoint unreachable: {e}"))?;
            if !r.status().is_success() {
                return Err(format!("FCM token endpoint answered {}", r.status()));
            }
            #[derive(Deserialize)]
            struct Token {
                access_token: String,
                expires_in: u64,
            }
            let t: Token = r.json().await.map_err(|e| e.to_string())?;
            Ok((t.access_token, Duration::from_secs(t.expires_in)))
        })
        .await
    }

    async fn send(&self, http: &reqwest::Client, token: &str, m: &Message<'_>) -> Sent {
        let bearer = match self.access_token(http).await {
            Ok(b) => b,
            Err(e) => return Sent::Retry(e),
        };
        let url = format!(
            "{}/v1/projects/{}/messages:send",
            self.endpoint, self.project_id
        );
        let body = serde_json::json!({
            "message": {
                "token": token,
                "notification": {"title": m.title, "body": m.body},
                "data": {"id": m.id.to_string(), "kind": m.kind, "link": m.link},
                "android": {"priority": if m.urgent { "HIGH" } else { "NORMAL" }},
            }
        });
        let r = match http.post(url).bearer_auth(bearer).json(&body).send().await {
            Ok(r) => r,
            Err(e) => return Sent::Retry(format!("FCM unreachable: {e}")),
        };
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        match status {
            // The token expired on Google's side early: fetch a new one next time.
            401 => {
                *self.token.lock().await = None;
                Sent::Retry("FCM refused the access token".into())
            }
            404 => Sent::Gone("FCM: the registration token is not registered".into()),
            400 if text.contains("UNREGISTERED") || text.contains("registration token") => {
                Sent::Gone("FCM: the registration token is not valid".into())
            }
            _ => by_status(status, "FCM"),
        }
    }
}

impl Apns {
    async fn provider_token(&self) -> Result<String, String> {
        // Apple wants a new provider token at most hourly and at least every 20 minutes.
        cached(&self.token, Duration::from_secs(50 * 60), || async {
            let claims = Claims::create(JwtDuration::from_hours(1)).with_issuer(&self.team_id);
            let t = self.key.sign(claims).map_err(|e| e.to_string())?;
            Ok((t, Duration::from_secs(50 * 60)))
        })
        .await
    }

    async fn send(&self, http: &reqwest::Client, token: &str, m: &Message<'_>) -> Sent {
        let bearer = match self.provider_token().await {
            Ok(b) => b,
            Err(e) => return Sent::Refused(format!("APNs provider token: {e}")),
        };
        let body = serde_json::json!({
            "aps": {"alert": {"title": m.title, "body": m.body}, "sound": "default"},
            "id": m.id,
            "kind": m.kind,
            "link": m.link,
        });
        let r = http
            .post(format!("{}/3/device/{token}", self.endpoint))
            .header("authorization", format!("bearer {bearer}"))
            .header("apns-topic", &self.topic)
            .header("apns-push-type", "alert")
            .header("apns-priority", if m.urgent { "10" } else { "5" })
            .json(&body)
            .send()
            .await;
        let r = match r {
            Ok(r) => r,
            Err(e) => return Sent::Retry(format!("APNs unreachable: {e}")),
        };
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        match status {
            410 => Sent::Gone("APNs: the device token is no longer active".into()),
            400 if text.contains("BadDeviceToken") => {
                Sent::Gone("APNs: the device token is not valid".into())
            }
            403 if text.contains("ExpiredProviderToken") => {
                *self.token.lock().await = None;
                Sent::Retry("APNs: the provider token expired".into())
            }
            _ => by_status(status, "APNs"),
        }
    }
}
