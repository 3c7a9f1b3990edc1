//! Orphaned uploads: an object that no record names is what a crash leaves between
//! storing an upload and recording it, and a multipart upload's staging file (`key#N`)
//! is what a kill in the middle of the stream leaves. Both are deleted once older than
//! `storage.orphan_grace_minutes` (younger ones may be uploads in flight on any
//! instance), when the server starts and every hour after. With S3, unfinished multipart
//! uploads are the bucket's lifecycle rule's to abort (docs/DEPLOYMENT.md).

use crate::state::AppState;
use futures_util::TryStreamExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// How often the sweep runs after the first one.
const EVERY: Duration = Duration::from_secs(3600);

/// Sweeps at start, then every hour, until the task is dropped.
pub async fn run(state: AppState) {
    let mut interval = tokio::time::interval(EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match sweep(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "orphaned uploads removed"),
            Err(e) => {
                tracing::warn!(error = %e, "sweeping orphaned uploads failed; retrying in an hour")
            }
        }
    }
}

/// Deletes the orphaned objects and staging files older than the grace period; returns
/// how many it deleted.
pub async fn sweep(state: &AppState) -> anyhow::Result<u32> {
    let grace = Duration::from_secs(state.config.storage.orphan_grace_minutes * 60);
    let cutoff = chrono::Utc::now()
        - chrono::Duration::from_std(grace).unwrap_or_else(|_| chrono::Duration::days(1));
    let recorded = state.store.storage_keys().await?;
    let mut candidates = Vec::new();
    let mut listing = state.storage.store.list(None);
    while let Some(meta) = listing.try_next().await? {
        if meta.last_modified <= cutoff && !recorded.contains(meta.location.as_ref()) {
            candidates.push(meta.location);
        }
    }
    let mut removed = 0;
    for key in candidates {
        // Looked up again: an upload recorded since the first look keeps its object.
        if state.store.storage_key_recorded(key.as_ref()).await? {
            continue;
        }
        match state.storage.store.delete(&key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => removed += 1,
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(dir) = &state.storage.local_dir {
        removed += staging_files(dir, SystemTime::now() - grace)?;
    }
    Ok(removed)
}

/// Deletes the staging files (`name#digits`) under `dir` last written before `cutoff`.
fn staging_files(dir: &Path, cutoff: SystemTime) -> std::io::Result<u32> {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            removed += staging_files(&path, cutoff)?;
            continue;
        }
        let name = entry.file_name();
        let staging = name
            .to_str()
            .and_then(|n| n.rsplit_once('#'))
            .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let old = entry.metadata()?.modified().is_ok_and(|m| m <= cutoff);
        if staging && old {
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(removed)
}
