//! Orphaned uploads: an object that no record names is what a crash leaves between
//! storing an upload and recording it, and a multipart upload's staging file (`key#N`)
//! is what a kill in the middle of the stream leaves. Both are deleted once older than
//! `storage.orphan_grace_minutes` (younger ones may be uploads in flight on any
//! instance), when the server starts and every hour after. Only the server's own
//! prefixes are looked at, and a sweep that would delete more than half of what it
//! lists deletes nothing (a server on the wrong database). With S3, unfinished multipart
//! uploads are the bucket's lifecycle rule's to abort (docs/DEPLOYMENT.md).

use crate::state::AppState;
use crate::storage::PREFIXES;
use futures_util::TryStreamExt;
use object_store::path::Path as ObjectPath;
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

/// Refuses to delete more than half of the listed objects once more than this many
/// would go: a server started on the wrong (or an empty) database must not empty the
/// store.
const BREAKER: usize = 10;

/// Deletes the orphaned objects and staging files older than the grace period, under
/// the server's own prefixes only; returns how many it deleted.
pub async fn sweep(state: &AppState) -> anyhow::Result<u32> {
    let grace = Duration::from_secs(state.config.storage.orphan_grace_minutes * 60);
    let cutoff = chrono::Utc::now()
        - chrono::Duration::from_std(grace).unwrap_or_else(|_| chrono::Duration::days(1));
    let recorded = state.store.storage_keys().await?;
    let mut candidates = Vec::new();
    let mut listed = 0usize;
    for prefix in PREFIXES {
        let mut listing = state.storage.store.list(Some(&ObjectPath::from(prefix)));
        loop {
            match listing.try_next().await {
                Ok(Some(meta)) => {
                    listed += 1;
                    let old = meta.last_modified <= cutoff
                        && !changed_since(state, meta.location.as_ref(), SystemTime::now() - grace);
                    if old && !recorded.contains(meta.location.as_ref()) {
                        candidates.push(meta.location);
                    }
                }
                Ok(None) => break,
                // An unreadable entry stops this prefix's listing, not the sweep.
                Err(e) => {
                    tracing::warn!(error = %e, prefix, "listing stored files failed");
                    break;
                }
            }
        }
    }
    if candidates.len() > BREAKER && candidates.len() * 2 > listed {
        tracing::warn!(
            orphans = candidates.len(),
            listed,
            "more than half of the stored files are named by no record: is this the right database? nothing was deleted"
        );
        return Ok(0);
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
        for prefix in PREFIXES {
            removed += staging_files(&dir.join(prefix), SystemTime::now() - grace);
        }
    }
    Ok(removed)
}

/// Whether a local file changed (its inode: a hard-linked copy is new there while its
/// contents keep their old time) after `cutoff`. False for other stores.
fn changed_since(state: &AppState, key: &str, cutoff: SystemTime) -> bool {
    let Some(dir) = &state.storage.local_dir else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let changed = std::fs::metadata(dir.join(key)).ok().and_then(|m| {
            let secs = u64::try_from(m.ctime()).ok()?;
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
        });
        changed.is_some_and(|c| c > cutoff)
    }
    #[cfg(not(unix))]
    {
        let _ = (dir, key, cutoff);
        false
    }
}

/// Deletes the staging files (`name#digits`) under `dir` last written before `cutoff`;
/// entries it cannot read are left alone.
fn staging_files(dir: &Path, cutoff: SystemTime) -> u32 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|k| k.is_dir()) {
            removed += staging_files(&path, cutoff);
            continue;
        }
        let name = entry.file_name();
        let staging = name
            .to_str()
            .and_then(|n| n.rsplit_once('#'))
            .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|m| m <= cutoff);
        if staging && old && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}
