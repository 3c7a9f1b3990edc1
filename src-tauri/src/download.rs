//! Saving a file of the API on this device: where it goes (a directory set for tests and
//! kiosks, or the place the user picks in the system's save dialog) and the write, both
//! off the async runtime. The file itself is fetched with the token by the bridge.

use crate::error::IpcError;
use std::path::{Path, PathBuf};

/// Saves `bytes` as `name` (already cleaned by `bridge::file_name`): into `save_dir`
/// without asking when one is set, else where `ask` (the save dialog, which blocks, so
/// it runs on a blocking thread) says. `None` when the user cancels; else the path.
pub async fn save(
    bytes: Vec<u8>,
    name: String,
    save_dir: Option<PathBuf>,
    ask: impl FnOnce(&str) -> Result<Option<PathBuf>, IpcError> + Send + 'static,
) -> Result<Option<String>, IpcError> {
    let written = match save_dir {
        // Without a person to ask, nothing there is replaced and no link is followed.
        Some(dir) => tokio::task::spawn_blocking(move || write_new(&dir, &name, &bytes)).await,
        None => {
            let Some(target) = tokio::task::spawn_blocking(move || ask(&name))
                .await
                .map_err(|e| IpcError::Storage(format!("the save dialog failed: {e}")))??
            else {
                return Ok(None);
            };
            // The dialog asked before replacing a file of that name.
            tokio::task::spawn_blocking(move || {
                std::fs::write(&target, bytes)
                    .map(|()| target.clone())
                    .map_err(|e| (target, e))
            })
            .await
        }
    };
    match written.map_err(|e| IpcError::Storage(format!("saving failed: {e}")))? {
        Ok(path) => Ok(Some(path.display().to_string())),
        Err((path, e)) => Err(IpcError::Storage(format!(
            "{} was not saved: {e}",
            path.display()
        ))),
    }
}

/// Writes `bytes` into `dir` as a new file readable by this user only: `name`, or
/// `stem (2).ext`, `stem (3).ext`… when that exists (a link included, which is never
/// followed).
fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, (PathBuf, std::io::Error)> {
    use std::io::Write as _;
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut n = 1;
    loop {
        let candidate = match (n, ext) {
            (1, _) => name.to_owned(),
            (_, "") => format!("{stem} ({n})"),
            _ => format!("{stem} ({n}).{ext}"),
        };
        let path = dir.join(candidate);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut file) => {
                return file
                    .write_all(bytes)
                    .map(|()| path.clone())
                    .map_err(|e| (path, e));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err((path, e)),
        }
    }
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
        // A second file of that name comes next to it, readable by this user only, and
        // a link in the way is neither followed nor replaced.
        let saved = save(b"y".to_vec(), "a.ics".into(), Some(kiosk.clone()), |_| {
            panic!("no dialog when a directory is set")
        })
        .await
        .unwrap()
        .unwrap();
        assert!(saved.ends_with("a (2).ics"), "{saved}");
        assert_eq!(std::fs::read(kiosk.join("a.ics")).unwrap(), b"x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&saved).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let elsewhere = dir("elsewhere").join("target.txt");
            std::os::unix::fs::symlink(&elsewhere, kiosk.join("b.pdf")).unwrap();
            let saved = save(b"z".to_vec(), "b.pdf".into(), Some(kiosk.clone()), |_| {
                panic!("no dialog")
            })
            .await
            .unwrap()
            .unwrap();
            assert!(saved.ends_with("b (2).pdf"), "{saved}");
            assert!(!elsewhere.exists(), "the link was followed");
        }
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
