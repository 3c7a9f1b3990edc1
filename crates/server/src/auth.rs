//! Authentication: argon2id password hashes, opaque session tokens (stored hashed) and
//! the `CurrentUser` extractor.

use crate::db::accounts::UserRow;
use crate::error::ApiError;
use crate::state::AppState;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A turn to run argon2: at most as many hashes run at once as the machine has cores
/// (each takes 19 MiB and a core for a while), so that a burst of registrations or
/// sign-ins waits instead of exhausting memory.
pub async fn hashing_turn() -> tokio::sync::SemaphorePermit<'static> {
    static TURNS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let turns = TURNS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores.clamp(2, 16))
    });
    // The semaphore is never closed.
    turns
        .acquire()
        .await
        .unwrap_or_else(|_| unreachable!("the hashing semaphore is never closed"))
}

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes), off the
/// async threads because it is deliberately slow, in its turn.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    let _turn = hashing_turn().await;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

/// Verifies a password against a stored hash; false for a wrong password or bad hash.
/// The caller holds a turn (`hashing_turn`): sign-in checks its limits inside it, so
/// that a burst of guesses cannot all pass the check before the first is counted.
pub async fn verify_password(
    _turn: &tokio::sync::SemaphorePermit<'_>,
    password: String,
    hash: String,
) -> bool {
    tokio::task::spawn_blocking(move || match PasswordHash::new(&hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that a missing account
/// takes as long as a wrong password and cannot be told apart by timing.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::encode_b64(b"onewindow-dummy!")
            .unwrap_or_else(|_| SaltString::generate(&mut rand::rngs::OsRng));
        Argon2::default()
            .hash_password(b"not a real password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// A new opaque session token: 32 random bytes, base64url.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The name of the session cookie the browser front-end uses. It is `HttpOnly` (page
/// scripts never see it) and `SameSite=Strict` (no other site can make the browser send
/// it, which is what protects cookie-authenticated requests from cross-site forgery).
pub const SESSION_COOKIE: &str = "ow_session";

/// The `Set-Cookie` value that hands a browser its session. `Secure` unless the page was
/// reached on a loopback address (browsers drop Secure cookies over plain http there).
pub fn session_cookie(token: &str, max_age_seconds: i64, headers: &HeaderMap) -> String {
    let secure = if is_loopback_host(headers) {
        ""
    } else {
        "; Secure"
    };
    format!(
        "{SESSION_COOKIE}={token}; Path=/api; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}"
    )
}

/// The `Set-Cookie` value that tells page requests this browser is signed in (the
/// session cookie only goes to `/api`): the public pages then serve the app instead of
/// their pre-rendered HTML. It holds no secret; `max_age_seconds` 0
/// forgets it.
pub fn signed_in_cookie(max_age_seconds: i64, headers: &HeaderMap) -> String {
    let secure = if is_loopback_host(headers) {
        ""
    } else {
        "; Secure"
    };
    let value = if max_age_seconds > 0 { "1" } else { "" };
    format!(
        "{}={value}; Path=/; SameSite=Lax; Max-Age={max_age_seconds}{secure}",
        crate::pages::SIGNED_IN_COOKIE
    )
}

/// The `Set-Cookie` value that makes the browser forget its session.
pub fn clear_session_cookie(headers: &HeaderMap) -> String {
    session_cookie("", 0, headers)
}

fn is_loopback_host(headers: &HeaderMap) -> bool {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    name == "localhost" || name == "::1" || name.starts_with("127.")
}

/// The session token of a request: `Authorization: Bearer <token>` (API clients and the
/// app shell), else the session cookie (the browser front-end).
fn request_token(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let cookie = || {
        cookies(headers)
            .into_iter()
            .find_map(|(name, value)| (name == SESSION_COOKIE).then_some(value))
    };
    bearer
        .or_else(cookie)
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 128)
}

/// The request's cookies as name-value pairs.
pub fn cookies(headers: &HeaderMap) -> Vec<(&str, &str)> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .collect()
}

/// The signed-in user of a request (see `request_token`).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRow,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        SessionToken::from_request_parts(parts, state)
            .await?
            .user(state)
            .await
    }
}

/// The hash of a request's session token, not yet checked (401 if there is none): for
/// a handler that reads the session in the same round trip as what it answers (the
/// booking's read before its write). `user` checks it on its own.
#[derive(Debug, Clone)]
pub struct SessionToken(pub String);

impl SessionToken {
    /// The session's user, or 401 if the session is not live.
    pub async fn user(self, state: &AppState) -> Result<CurrentUser, ApiError> {
        let user = state
            .store
            .session_user(&self.0)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        Ok(CurrentUser {
            user,
            token_hash: self.0,
        })
    }
}

impl FromRequestParts<AppState> for SessionToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        let token = request_token(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        Ok(SessionToken(token_hash(token)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_and_verify() {
        let h = hash_password("secret 123".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        let turn = hashing_turn().await;
        assert!(verify_password(&turn, "secret 123".into(), h.clone()).await);
        assert!(!verify_password(&turn, "secret 124".into(), h).await);
        assert!(!verify_password(&turn, "x".into(), "garbage".into()).await);
        assert!(dummy_hash().starts_with("$argon2id$"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
