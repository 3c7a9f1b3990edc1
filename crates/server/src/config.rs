//! Configuration: compiled defaults, then a TOML file, then `ONEWINDOW__SECTION__KEY`
//! environment variables (documented in `.env.sample`).

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Clone, Serialize, Deserialize)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub catalogue: CatalogueConfig,
    pub storage: StorageConfig,
    /// How appointment slots are cut and booked (the same for every hall and window).
    pub appointments: onewindow_api::slots::SlotRules,
    pub jobs: JobsConfig,
    pub push: PushConfig,
    pub applications: ApplicationsConfig,
}

/// Limits on what one applicant keeps open.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApplicationsConfig {
    /// Drafts (started, never submitted) one applicant may have at a time; a new one
    /// beyond this is refused with 409 `too_many_drafts` until one is submitted or
    /// deleted.
    pub max_drafts: u32,
    /// Working days an applicant has to hand in a correction (补正期限), counted from the
    /// day of the notice; shown on the case and in the notice's notification.
    pub correction_working_days: u32,
    /// Working days before a correction is due on which the applicant is reminded of it
    /// (补正到期提醒), once per notice, if it is not yet handed in; 0 sends no reminder.
    pub correction_reminder_working_days: u32,
}

/// Push of notifications: Web Push, and the mobile gateways when configured.
#[derive(Clone, Serialize, Deserialize)]
pub struct PushConfig {
    /// The VAPID contact the push services see (`mailto:` or `https:`).
    pub contact: String,
    /// Milliseconds between two looks for deliveries due.
    pub poll_ms: u64,
    /// The first retry waits this long; each further one twice as long.
    pub retry_base_seconds: u64,
    /// Attempts before a delivery is a permanent failure.
    pub max_attempts: u32,
    /// How long a push service keeps an undelivered message (TTL).
    pub ttl_seconds: u64,
    /// How long a delivery, once taken by an instance, stays its own: after a crash,
    /// another instance (or this one, restarted) sends it when this runs out.
    pub lease_seconds: u64,
    /// Accept push endpoints on this machine or a private network (plain HTTP too): for
    /// local stand-ins in tests only, never in production (the server would call inside
    /// its own network).
    pub allow_local_endpoints: bool,
    /// FCM HTTP v1, from the service account: off while the project id is empty.
    pub fcm_project_id: String,
    pub fcm_client_email: String,
    /// The service account's RSA private key (PEM).
    pub fcm_private_key: String,
    pub fcm_token_uri: String,
    pub fcm_endpoint: String,
    /// APNs with a provider token: off while the team id is empty.
    pub apns_team_id: String,
    pub apns_key_id: String,
    /// The .p8 key (PEM, P-256).
    pub apns_private_key: String,
    /// The app's bundle id.
    pub apns_topic: String,
    pub apns_endpoint: String,
}

/// Private keys stay out of logs.
impl fmt::Debug for PushConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushConfig")
            .field("contact", &self.contact)
            .field("poll_ms", &self.poll_ms)
            .field("retry_base_seconds", &self.retry_base_seconds)
            .field("max_attempts", &self.max_attempts)
            .field("ttl_seconds", &self.ttl_seconds)
            .field("lease_seconds", &self.lease_seconds)
            .field("allow_local_endpoints", &self.allow_local_endpoints)
            .field("fcm_project_id", &self.fcm_project_id)
            .field("fcm_client_email", &self.fcm_client_email)
            .field("fcm_private_key", &redacted(&self.fcm_private_key))
            .field("fcm_token_uri", &self.fcm_token_uri)
            .field("fcm_endpoint", &self.fcm_endpoint)
            .field("apns_team_id", &self.apns_team_id)
            .field("apns_key_id", &self.apns_key_id)
            .field("apns_private_key", &redacted(&self.apns_private_key))
            .field("apns_topic", &self.apns_topic)
            .field("apns_endpoint", &self.apns_endpoint)
            .finish()
    }
}

/// Background jobs (appointment reminders) and the live stream's poller.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobsConfig {
    /// Seconds between two runs.
    pub tick_seconds: u64,
    /// Milliseconds between two looks at the outbox for notifications to stream (written
    /// by this instance or any other on the same database): the live stream's latency.
    pub live_poll_ms: u64,
}

/// Where uploaded files are kept: a local directory (default) or an S3-compatible bucket.
#[derive(Clone, Serialize, Deserialize)]
pub struct StorageConfig {
    /// `local` or `s3`.
    pub kind: String,
    /// For `local`: the directory; empty means `<data_dir>/objects`.
    pub path: PathBuf,
    /// For `s3`: bucket, endpoint (e.g. a MinIO URL), region and credentials.
    pub bucket: String,
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Upper size of any one upload in megabytes; each material slot may set less.
    pub max_upload_mb: u64,
    /// Age in minutes after which an object no record names (left by a crash) is
    /// deleted; younger ones may be uploads in flight.
    pub orphan_grace_minutes: u64,
}

/// Credentials stay out of logs.
impl fmt::Debug for StorageConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StorageConfig")
            .field("kind", &self.kind)
            .field("path", &self.path)
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &redacted(&self.access_key_id))
            .field("secret_access_key", &redacted(&self.secret_access_key))
            .field("max_upload_mb", &self.max_upload_mb)
            .field("orphan_grace_minutes", &self.orphan_grace_minutes)
            .finish()
    }
}

#[derive(Clone, Serialize, Deserialize)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    /// Where the SQLite database and uploads live.
    pub data_dir: PathBuf,
    /// The built web front-end (trunk's `dist`), served at `/`.
    pub static_dir: PathBuf,
    /// Origins allowed by CORS besides the Tauri shell's own.
    pub cors_origins: Vec<String>,
    /// Upper size of a JSON request body, in bytes.
    pub json_body_limit: usize,
    /// Reverse proxies whose `X-Forwarded-For` tells the client's address (for the
    /// rate limits); empty: the TCP peer is the client.
    #[serde(default)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The bearer token Prometheus sends for `/metrics`. Empty: `/metrics` answers only
    /// to clients on this machine (loopback), as the client address is worked out for
    /// the rate limits.
    #[serde(default)]
    pub metrics_token: String,
}

/// The metrics token stays out of logs.
impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("static_dir", &self.static_dir)
            .field("cors_origins", &self.cors_origins)
            .field("json_body_limit", &self.json_body_limit)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_token", &redacted(&self.metrics_token))
            .finish()
    }
}

/// How a secret shows in `Debug`: empty, or that it is set.
fn redacted(secret: &str) -> &'static str {
    if secret.is_empty() {
        ""
    } else {
        "<redacted>"
    }
}

#[derive(Clone, Serialize, Deserialize)]
pub struct DatabaseConfig {
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://<data_dir>/onewindow.db`.
    pub url: String,
    pub max_connections: u32,
}

/// The URL may carry a password: `Debug` shows only its scheme.
impl fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.url.split("://").next().unwrap_or("");
        f.debug_struct("DatabaseConfig")
            .field("url", &format!("{scheme}://<redacted>"))
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthConfig {
    pub session_ttl_hours: i64,
    /// Failed logins allowed per account (and per client address, four times as many)
    /// within `login_window_seconds` before further attempts are refused.
    pub login_max_failures: u32,
    pub login_window_seconds: u64,
    /// Accounts registered from one client address (an IPv6 /64) within
    /// `registration_window_seconds`; more are refused with 429 until the window ends.
    pub registrations_per_address: u32,
    pub registration_window_seconds: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogueConfig {
    /// The demo data loaded by `seed` and on first start.
    pub demo_dir: PathBuf,
    /// The deployment's holiday calendar (JSON).
    pub holidays_file: PathBuf,
    /// Seed the demo data when the catalogue is empty at start-up.
    pub seed_on_first_start: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("server", &self.server)
            .field("database", &self.database)
            .field("auth", &self.auth)
            .field("catalogue", &self.catalogue)
            .field("storage", &self.storage)
            .field("appointments", &self.appointments)
            .field("jobs", &self.jobs)
            .field("push", &self.push)
            .field("applications", &self.applications)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            server: ServerConfig {
                bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
                data_dir: PathBuf::from("data/local"),
                static_dir: PathBuf::from("frontend/dist"),
                cors_origins: Vec::new(),
                json_body_limit: 64 * 1024,
                trusted_proxies: Vec::new(),
                metrics_token: String::new(),
            },
            database: DatabaseConfig {
                url: String::new(),
                max_connections: 16,
            },
            auth: AuthConfig {
                session_ttl_hours: 24 * 14,
                login_max_failures: 5,
                login_window_seconds: 15 * 60,
                registrations_per_address: 20,
                registration_window_seconds: 3600,
            },
            catalogue: CatalogueConfig {
                demo_dir: PathBuf::from("data/demo"),
                holidays_file: PathBuf::from("data/holidays/linjiang.json"),
                seed_on_first_start: true,
            },
            storage: StorageConfig {
                kind: "local".into(),
                path: PathBuf::new(),
                bucket: String::new(),
                endpoint: String::new(),
                region: "us-east-1".into(),
                access_key_id: String::new(),
                secret_access_key: String::new(),
                max_upload_mb: 50,
                orphan_grace_minutes: 60,
            },
            appointments: Default::default(),
            jobs: JobsConfig {
                tick_seconds: 30,
                live_poll_ms: 250,
            },
            push: PushConfig {
                contact: "mailto:ops@onewindow.invalid".into(),
                poll_ms: 1000,
                retry_base_seconds: 30,
                max_attempts: 8,
                ttl_seconds: 24 * 3600,
                lease_seconds: 60,
                allow_local_endpoints: false,
                fcm_project_id: String::new(),
                fcm_client_email: String::new(),
                fcm_private_key: String::new(),
                fcm_token_uri: "https://oauth2.googleapis.com/token".into(),
                fcm_endpoint: "https://fcm.googleapis.com".into(),
                apns_team_id: String::new(),
                apns_key_id: String::new(),
                apns_private_key: String::new(),
                apns_topic: String::new(),
                apns_endpoint: "https://api.push.apple.com".into(),
            },
            applications: ApplicationsConfig {
                max_drafts: 30,
                correction_working_days: 10,
                correction_reminder_working_days: 2,
            },
        }
    }
}

impl Config {
    /// Defaults, then `file` if given (or `onewindow.toml` if present), then environment.
    pub fn load(file: Option<&Path>) -> Result<Config, Box<figment::Error>> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(f) => fig = fig.merge(Toml::file_exact(f)),
            None => fig = fig.merge(Toml::file("onewindow.toml")),
        }
        fig.merge(Env::prefixed("ONEWINDOW__").split("__"))
            .extract()
            .map_err(Box::new)
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!(
                "sqlite://{}/onewindow.db?mode=rwc",
                self.server.data_dir.display()
            )
        } else {
            self.database.url.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_database_url() {
        let mut c = Config::default();
        c.database.url = "postgres://app:hunter2pw@db/onewindow".into();
        c.storage.access_key_id = "AKIAEXAMPLEKEY".into();
        c.storage.secret_access_key = "s3cr3t-value".into();
        c.server.metrics_token = "scrape-token-42".into();
        let s = format!("{c:?}");
        assert!(s.contains("postgres://<redacted>"));
        for leak in [
            "hunter2pw",
            "AKIAEXAMPLEKEY",
            "s3cr3t-value",
            "scrape-token-42",
        ] {
            assert!(!s.contains(leak), "{leak} is in the Debug output");
        }
    }

    // figment's Jail fixes the closure's error type; its size does not matter in a test.
    #[allow(clippy::result_large_err)]
    #[test]
    fn environment_overrides_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("ONEWINDOW__SERVER__BIND", "127.0.0.1:9999");
            jail.set_env("ONEWINDOW__AUTH__LOGIN_MAX_FAILURES", "3");
            let c = Config::load(None).map_err(|e| *e)?;
            assert_eq!(c.server.bind.port(), 9999);
            assert_eq!(c.auth.login_max_failures, 3);
            Ok(())
        });
    }
}
