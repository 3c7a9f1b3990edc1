//! Saving a file of the API on this device: where it goes (a directory set for tests and
//! kiosks, or the place the user picks in the system's save dialog) and the write, both
//! off the async runtime. The file itself is fetched with the token by the bridge.

use crate::error::IpcError;
use std::path::PathBuf;

/// Saves `bytes` as `name` (already cleaned by `bridge::file_name`): into `save_dir`
/// without asking when one is set, else where `ask` (the save dialog, which blocks, so
/// it runs on a blocking thread) says. `None` when the user cancels; else the path.
pub async fn save(
    bytes: Vec<u8>,
    name: String,
    save_dir: Option<PathBuf>,
    ask: impl FnOnce(&str) -> Result<Option<PathBuf>, IpcError> + Send + 'static,
) -> Result<Option<String>, IpcError> {
    let target = match save_dir {
        Some(dir) => Some(dir.join(&name)),
        None => tokio::task::spawn_blocking(move || ask(&name))
            .await
            .map_err(|e| IpcError::Storage(format!("the save dialog failed: {e}")))??,
    };
    let Some(target) = target else {
        return Ok(None);
    };
    let written = target.clone();
    tokio::task::spawn_blocking(move || std::fs::write(&written, bytes))
        .await
        .map_err(|e| IpcError::Storage(format!("saving failed: {e}")))?
        .map_err(|e| IpcError::Storage(format!("{} was not saved: {e}", target.display())))?;
    Ok(Some(target.display().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("ow-download-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[tokio::test]
    async fn saves_where_the_user_says_or_into_the_set_directory() {
        let chosen = dir("chosen");
        let at = chosen.join("mine.pdf");
        let asked = at.clone();
        let saved = save(b"%PDF".to_vec(), "result.pdf".into(), None, move |name| {
            assert_eq!(name, "result.pdf", "the dialog suggests the name");
            Ok(Some(asked))
        })
        .await
        .unwrap();
        assert_eq!(saved.as_deref(), Some(at.display().to_string().as_str()));
        assert_eq!(std::fs::read(&at).unwrap(), b"%PDF");

        let kiosk = dir("kiosk");
        let saved = save(b"x".to_vec(), "a.ics".into(), Some(kiosk.clone()), |_| {
            panic!("no dialog when a directory is set")
        })
        .await
        .unwrap();
        assert_eq!(std::fs::read(kiosk.join("a.ics")).unwrap(), b"x");
        assert!(saved.is_some());
    }

    #[tokio::test]
    async fn cancelling_saves_nothing_and_a_failed_write_says_where() {
        assert_eq!(
            save(b"x".to_vec(), "a.pdf".into(), None, |_| Ok(None))
                .await
                .unwrap(),
            None
        );
        let missing = dir("missing").join("no such dir");
        let e = save(b"x".to_vec(), "a.pdf".into(), Some(missing), |_| Ok(None))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, IpcError::Storage(m) if m.contains("no such dir")),
            "{e:?}"
        );
    }
}
