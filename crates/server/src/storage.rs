//! Object storage of uploaded files through `object_store`: a local directory by
//! default, an S3-compatible bucket by configuration. Keys are random; a user's file
//! name never becomes a path.

use crate::config::Config;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::ObjectStore;
use rand::RngCore;
use std::sync::Arc;

/// The prefixes under which the server stores files: materials, results, thread
/// attachments and wallet documents. Nothing else in the store is the server's (the
/// orphan sweep never looks elsewhere).
pub const PREFIXES: [&str; 4] = ["uploads", "results", "threads", "wallet"];

/// The shared object store.
#[derive(Clone)]
pub struct Storage {
    pub store: Arc<dyn ObjectStore>,
    /// The directory of a local store, where the orphan sweep also looks for the staging
    /// files of cut-off uploads (`None` for S3).
    pub local_dir: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Storage({})", self.store)
    }
}

impl Storage {
    pub fn from_config(config: &Config) -> anyhow::Result<Storage> {
        let s = &config.storage;
        let mut local_dir = None;
        let store: Arc<dyn ObjectStore> = match s.kind.as_str() {
            "local" => {
                let dir = if s.path.as_os_str().is_empty() {
                    config.server.data_dir.join("objects")
                } else {
                    s.path.clone()
                };
                std::fs::create_dir_all(&dir)?;
                let store = LocalFileSystem::new_with_prefix(&dir)?;
                local_dir = Some(dir);
                Arc::new(store)
            }
            "s3" => {
                let mut b = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(&s.bucket)
                    .with_region(&s.region)
                    .with_access_key_id(&s.access_key_id)
                    .with_secret_access_key(&s.secret_access_key);
                if !s.endpoint.is_empty() {
                    b = b
                        .with_endpoint(&s.endpoint)
                        .with_allow_http(s.endpoint.starts_with("http://"));
                }
                Arc::new(b.build()?)
            }
            other => anyhow::bail!("storage.kind must be local or s3, not {other:?}"),
        };
        Ok(Storage { store, local_dir })
    }

    /// Whether the store answers: a listing of a prefix that holds nothing, which reads
    /// but writes nothing.
    pub async fn probe(&self) -> object_store::Result<()> {
        self.store
            .list_with_delimiter(Some(&ObjectPath::from("readyz")))
            .await
            .map(|_| ())
    }

    /// A new random key under `prefix`, e.g. `uploads/42/9f3c…`.
    pub fn new_key(prefix: &str) -> ObjectPath {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        ObjectPath::from(format!("{prefix}/{}", hex::encode(bytes)))
    }
}

/// A display name from what the client sent: the last path component, without control
/// characters, at most 100 characters; `fallback` when nothing is left.
pub fn display_name(raw: &str, fallback: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).take(100).collect();
    let clean = clean.trim().trim_start_matches('.').to_owned();
    if clean.is_empty() {
        fallback.to_owned()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_carry_paths() {
        assert_eq!(display_name("../../etc/passwd", "f.pdf"), "passwd");
        assert_eq!(
            display_name("C:\\Users\\x\\身份证.pdf", "f.pdf"),
            "身份证.pdf"
        );
        assert_eq!(display_name("..", "f.pdf"), "f.pdf");
        assert_eq!(display_name("a\u{0}b\nc.pdf", "f.pdf"), "abc.pdf");
        assert_eq!(display_name("", "f.pdf"), "f.pdf");
        assert!(!Storage::new_key("uploads/1").as_ref().contains(".."));
    }
}
