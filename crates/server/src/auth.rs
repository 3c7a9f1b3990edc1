//! Authentication: argon2id password hashes, opaque session tokens (stored hashed),
//! the `CurrentUser` extractor and the login rate limiter.

use crate::db::accounts::UserRow;
use crate::error::ApiError;
use crate::state::AppState;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes), off the
/// async threads because it is deliberately slow.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
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
pub async fn verify_password(password: String, hash: String) -> bool {
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

/// The signed-in user of a request, from `Authorization: Bearer <token>`.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRow,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 128)
            .ok_or_else(ApiError::unauthenticated)?;
        let hash = token_hash(token);
        let user = state
            .store
            .session_user(&hash)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        Ok(CurrentUser {
            user,
            token_hash: hash,
        })
    }
}

/// Counts failed logins per key (an account's login, or a client address) in a fixed
/// window. In memory: with several instances each keeps its own count, which still
/// bounds guessing to instances × limit per window.
#[derive(Debug)]
pub struct LoginLimiter {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    pub fn new(max_failures: u32, window: Duration) -> LoginLimiter {
        LoginLimiter {
            max_failures,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds)` while `key` has used up its failures in the current window.
    pub fn check(&self, key: &str, factor: u32) -> Result<(), u64> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(key) {
            Some((n, start))
                if *n >= self.max_failures * factor && start.elapsed() < self.window =>
            {
                Err((self.window - start.elapsed()).as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    pub fn fail(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            let window = self.window;
            map.retain(|_, (_, start)| start.elapsed() < window);
        }
        let entry = map.entry(key.to_owned()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    pub fn succeed(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_and_verify() {
        let h = hash_password("secret 123".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("secret 123".into(), h.clone()).await);
        assert!(!verify_password("secret 124".into(), h).await);
        assert!(!verify_password("x".into(), "garbage".into()).await);
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

    #[test]
    fn limiter_blocks_after_the_limit() {
        let l = LoginLimiter::new(2, Duration::from_secs(60));
        l.fail("k");
        assert!(l.check("k", 1).is_ok());
        l.fail("k");
        assert!(l.check("k", 1).is_err());
        assert!(l.check("k", 2).is_ok());
        l.succeed("k");
        assert!(l.check("k", 1).is_ok());
    }
}
