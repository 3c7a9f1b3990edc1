//! The login rate limiter: failed logins counted per account and per client address.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
