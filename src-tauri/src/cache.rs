//! The offline cache: the last answer to each GET of the catalogue, the guides, the halls
//! and the user's own applications, bookings, threads and notifications, kept on disk in
//! the app's data dir with the time it was fetched. When the server cannot be reached,
//! the bridge answers from here and says how old the answer is. The user's own answers
//! are kept per session (never shown to another, nor without a session) and readable by
//! the user only; signing in or out removes them all. The public catalogue stays. The
//! caches are pruned at launch and daily (`prune`): answers a month old go, then the
//! oldest beyond 64 MiB.

use std::path::{Path, PathBuf};

/// Public answers, the same for everyone.
const PUBLIC: &[&str] = &[
    "/api/v1/services",
    "/api/v1/search",
    "/api/v1/departments",
    "/api/v1/themes",
    "/api/v1/halls",
];

/// The signed-in user's own answers.
const PRIVATE: &[&str] = &[
    "/api/v1/me",
    "/api/v1/applications",
    "/api/v1/bookings",
    "/api/v1/threads",
    "/api/v1/notifications",
];

/// Whether `prefix` covers `path`: the same path, a sub-path, or with a query string.
fn covers(prefix: &str, path: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
}

/// What is cached of a path, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Public,
    Private,
}

/// Whether answers to `path` are kept, and whose they are. Files (downloads, calendar
/// files) and the live stream are not.
pub fn kind(path: &str) -> Option<Kind> {
    let plain = path.split('?').next().unwrap_or(path);
    if plain.contains("/files/")
        || plain.contains("/attachments/")
        || plain.contains("/documents/")
        || plain.ends_with(".ics")
        || plain.ends_with(".csv")
        || plain.ends_with("/stream")
    {
        return None;
    }
    if PUBLIC.iter().any(|p| covers(p, path)) {
        Some(Kind::Public)
    } else if PRIVATE.iter().any(|p| covers(p, path)) {
        Some(Kind::Private)
    } else {
        None
    }
}

/// An answer from the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cached {
    pub body: Vec<u8>,
    /// When it was fetched from the server (RFC 3339, UTC).
    pub fetched_at: String,
}

/// The cache of one server (its own directory, so servers never mix).
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// FNV-1a: a stable file name for a path (std's hasher may change between releases).
pub fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A file-name-safe key of a server URL that two servers never share: its readable
/// letters and digits, then a hash of the whole URL.
pub fn server_key(server: &str) -> String {
    let readable: String = server
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(40)
        .collect();
    format!("{readable}-{:016x}", fnv1a(server))
}

/// Creates `dir` (and its parents) readable by the user only.
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Writes `bytes` to `file` through a temporary file of this write's own (two writes of
/// one file at once must not share one), readable by the user only.
pub(crate) fn write_private(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let tmp = file.with_extension(format!("{}-{n}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&tmp).and_then(|mut f| f.write_all(bytes));
    match written.and_then(|()| std::fs::rename(&tmp, file)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

impl Cache {
    /// The cache of `server` under `data_dir`.
    pub fn new(data_dir: &Path, server: &str) -> Cache {
        Cache {
            dir: data_dir.join("cache").join(server_key(server)),
        }
    }

    /// Where `path`'s answer is kept: public ones for everyone, private ones under the
    /// session's own folder (none without a session).
    fn file(&self, path: &str, session: Option<&str>) -> Option<PathBuf> {
        let dir = match kind(path)? {
            Kind::Public => self.dir.join("public"),
            Kind::Private => self
                .dir
                .join("private")
                .join(format!("{:016x}", fnv1a(session?))),
        };
        Some(dir.join(format!("{:016x}.json", fnv1a(path))))
    }

    /// Keeps an answer to `path` (a GET that succeeded); other paths are ignored. A
    /// failure to write only costs the offline copy, so it is reported, not raised.
    pub fn put(&self, path: &str, session: Option<&str>, body: &[u8], fetched_at: &str) {
        let Some(file) = self.file(path, session) else {
            return;
        };
        let entry = serde_json::json!({
            "path": path,
            "fetched_at": fetched_at,
            "body": String::from_utf8_lossy(body),
        });
        let written = file
            .parent()
            .map_or(Ok(()), private_dir)
            .and_then(|()| write_private(&file, entry.to_string().as_bytes()));
        if let Err(e) = written {
            eprintln!("onewindow: the offline copy was not kept: {e}");
        }
    }

    /// `put` on a blocking thread, for async callers: writing a large answer (the search
    /// corpus) must not hold up the runtime's other tasks.
    pub async fn keep(&self, path: &str, session: Option<&str>, body: &[u8], fetched_at: &str) {
        let (cache, path, session) = (self.clone(), path.to_owned(), session.map(str::to_owned));
        let (body, fetched_at) = (body.to_vec(), fetched_at.to_owned());
        let kept = tokio::task::spawn_blocking(move || {
            cache.put(&path, session.as_deref(), &body, &fetched_at);
        })
        .await;
        if let Err(e) = kept {
            eprintln!("onewindow: the offline copy was not kept: {e}");
        }
    }

    /// The kept answer to `path`, if any (and only for that exact path and query).
    pub fn get(&self, path: &str, session: Option<&str>) -> Option<Cached> {
        let bytes = std::fs::read(self.file(path, session)?).ok()?;
        let entry: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        // Two paths with one hash: the file holds the other one.
        if entry.get("path")?.as_str()? != path {
            return None;
        }
        Some(Cached {
            body: entry.get("body")?.as_str()?.as_bytes().to_vec(),
            fetched_at: entry.get("fetched_at")?.as_str()?.to_owned(),
        })
    }

    /// The account signed in with `session`, as its offline copy of `/api/v1/me` says.
    pub fn account(&self, session: Option<&str>) -> Option<onewindow_api::account::Account> {
        let hit = self.get("/api/v1/me", session)?;
        serde_json::from_slice(&hit.body).ok()
    }

    /// Forgets every session's own answers (on signing in or out).
    pub fn forget_private(&self) {
        match std::fs::remove_dir_all(self.dir.join("private")) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => eprintln!("onewindow: the offline copies were not all removed: {e}"),
        }
    }
}

/// How much the offline caches keep, over every server together.
#[derive(Debug, Clone)]
pub struct Limits {
    /// An answer not fetched again for this long goes.
    pub max_age: std::time::Duration,
    /// The most bytes all answers together take; the oldest go first beyond it.
    pub max_bytes: u64,
}

impl Default for Limits {
    /// 30 days and 64 MiB: a month offline still shows what was seen, and a search
    /// answer per query typed cannot fill the disk.
    fn default() -> Limits {
        Limits {
            max_age: std::time::Duration::from_secs(30 * 24 * 3600),
            max_bytes: 64 << 20,
        }
    }
}

/// What a pruning did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub removed: usize,
    pub kept_bytes: u64,
}

/// Prunes the offline caches of every server under `root` (the data dir's `cache`):
/// answers not fetched again within `limits.max_age` go (a file's modification time is
/// when it was fetched), then the oldest until the rest take at most `limits.max_bytes`;
/// folders left empty go too (a server not used for a month leaves nothing behind). A
/// temporary file is left alone unless it is an hour old (a write that never finished).
pub fn prune(root: &Path, limits: &Limits, now: std::time::SystemTime) -> Pruned {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    walk(root, &mut files, &mut dirs);
    let age = |modified: std::time::SystemTime| now.duration_since(modified).unwrap_or_default();
    let mut pruned = Pruned::default();
    let remove = |path: &Path, pruned: &mut Pruned| match std::fs::remove_file(path) {
        Ok(()) => pruned.removed += 1,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => eprintln!("onewindow: an offline copy was not removed: {e}"),
    };
    let mut kept = Vec::new();
    for (path, size, modified) in files {
        let tmp = path.extension().is_some_and(|e| e == "tmp");
        if tmp {
            if age(modified) >= std::time::Duration::from_secs(3600) {
                remove(&path, &mut pruned);
            }
        } else if age(modified) >= limits.max_age {
            remove(&path, &mut pruned);
        } else {
            kept.push((path, size, modified));
        }
    }
    // The newest first; past the budget, the rest go.
    kept.sort_by_key(|k| std::cmp::Reverse(k.2));
    for (path, size, _) in kept {
        if pruned.kept_bytes + size <= limits.max_bytes {
            pruned.kept_bytes += size;
        } else {
            remove(&path, &mut pruned);
        }
    }
    // The deepest first, so that a folder emptied of folders goes too; a folder that
    // still holds something stays (removing it fails).
    dirs.sort_by_key(|d: &PathBuf| std::cmp::Reverse(d.components().count()));
    for dir in dirs {
        let _ = std::fs::remove_dir(dir);
    }
    pruned
}

/// Every file under `dir` (with its size and modification time) and every folder.
fn walk(
    dir: &Path,
    files: &mut Vec<(PathBuf, u64, std::time::SystemTime)>,
    dirs: &mut Vec<PathBuf>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        // Not following links: the cache makes none, and one must not lead outside.
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if meta.is_dir() {
            dirs.push(entry.path());
            walk(&entry.path(), files, dirs);
        } else if meta.is_file() {
            let modified = meta
                .modified()
                .unwrap_or_else(|_| std::time::SystemTime::now());
            files.push((entry.path(), meta.len(), modified));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ow-cache-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn what_is_kept() {
        assert_eq!(kind("/api/v1/services?page=2"), Some(Kind::Public));
        assert_eq!(kind("/api/v1/services/330100-001"), Some(Kind::Public));
        assert_eq!(
            kind("/api/v1/search?q=%E6%8A%A4%E7%85%A7"),
            Some(Kind::Public)
        );
        assert_eq!(kind("/api/v1/halls"), Some(Kind::Public));
        assert_eq!(kind("/api/v1/applications/12"), Some(Kind::Private));
        assert_eq!(kind("/api/v1/notifications?page=1"), Some(Kind::Private));
        assert_eq!(kind("/api/v1/me"), Some(Kind::Private));
        assert_eq!(kind("/api/v1/applications/12/files/3"), None);
        assert_eq!(kind("/api/v1/me/documents/3"), None);
        assert_eq!(kind("/api/v1/bookings/4/calendar.ics"), None);
        assert_eq!(kind("/api/v1/notifications/stream"), None);
        assert_eq!(kind("/api/v1/applications/export.csv?state=accepted"), None);
        assert_eq!(
            kind("/api/v1/mean"),
            None,
            "a prefix of a word is not a path"
        );
        assert_eq!(kind("/api/v1/staff/applications"), None);
    }

    #[test]
    fn keeps_answers_per_path_and_forgets_private_ones() {
        let dir = temp("keep");
        let cache = Cache::new(&dir, "https://gov.example.cn");
        let t = "2026-11-23T08:00:00Z";
        let (alice, bob) = (Some("token-of-alice"), Some("token-of-bob"));
        cache.put("/api/v1/services?page=1", alice, br#"{"items":[]}"#, t);
        cache.put("/api/v1/applications/7", alice, br#"{"id":7}"#, t);
        cache.put("/api/v1/applications/8", None, br#"{"id":8}"#, t);
        cache.put("/api/v1/applications/7/files/1", alice, b"%PDF", t);
        let hit = cache.get("/api/v1/services?page=1", None).unwrap();
        assert_eq!(
            hit.body, br#"{"items":[]}"#,
            "public answers are everyone's"
        );
        assert_eq!(hit.fetched_at, t);
        assert_eq!(
            cache.get("/api/v1/services?page=2", None),
            None,
            "another query"
        );
        assert!(cache.get("/api/v1/applications/7", alice).is_some());
        assert_eq!(
            cache.get("/api/v1/applications/7", bob),
            None,
            "not another's"
        );
        assert_eq!(
            cache.get("/api/v1/applications/7", None),
            None,
            "not without one"
        );
        assert_eq!(
            cache.get("/api/v1/applications/8", None),
            None,
            "never kept"
        );
        assert_eq!(cache.get("/api/v1/applications/7/files/1", alice), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = cache.file("/api/v1/applications/7", alice).unwrap();
            let mode = std::fs::metadata(file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Another server never sees these, even one whose name differs only in
        // punctuation.
        assert_eq!(
            Cache::new(&dir, "https://other.example").get("/api/v1/services?page=1", None),
            None
        );
        assert_ne!(
            server_key("https://gov-example.cn"),
            server_key("https://gov.example.cn")
        );
        cache.forget_private();
        assert_eq!(cache.get("/api/v1/applications/7", alice), None);
        assert!(
            cache.get("/api/v1/services?page=1", None).is_some(),
            "public stays"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn pruning_drops_old_answers_then_the_oldest_beyond_the_budget() {
        let root = temp("prune");
        let now = std::time::SystemTime::now();
        let day = std::time::Duration::from_secs(24 * 3600);
        // Answers of two servers, fetched so many days ago, of so many bytes.
        let put = |rel: &str, days_ago: u32, bytes: usize| {
            let file = root.join(rel);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, vec![b'x'; bytes]).unwrap();
            let f = std::fs::File::options().write(true).open(&file).unwrap();
            f.set_modified(now - day * days_ago).unwrap();
            file
        };
        let fresh = put("a/public/1.json", 0, 400);
        let older = put("a/public/2.json", 2, 400);
        let oldest_kept = put("a/private/s1/3.json", 5, 400);
        let stale = put("a/public/4.json", 31, 10);
        let other_server = put("b/public/5.json", 40, 10);
        let unfinished = put("a/public/6.json.1-0.tmp", 1, 10);
        let writing = put("a/public/7.json.1-1.tmp", 0, 10);
        let limits = Limits {
            max_age: day * 30,
            max_bytes: 1000,
        };
        let pruned = prune(&root, &limits, now);
        assert!(fresh.exists() && older.exists());
        assert!(!oldest_kept.exists(), "over the budget, the oldest goes");
        assert!(!stale.exists() && !other_server.exists(), "a month old");
        assert!(!unfinished.exists(), "a write that never finished");
        assert!(writing.exists(), "a write going on now");
        assert_eq!(
            pruned,
            Pruned {
                removed: 4,
                kept_bytes: 800
            }
        );
        // Folders left empty go; the others stay.
        assert!(!root.join("b").exists());
        assert!(!root.join("a/private").exists());
        assert!(root.join("a/public").exists());
        // Within the limits, nothing more goes.
        assert_eq!(prune(&root, &limits, now).removed, 0);
        // And the default keeps what a cache of this app holds.
        assert_eq!(prune(&root, &Limits::default(), now).removed, 0);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
