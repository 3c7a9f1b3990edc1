//! `onewindow-server import` and `seed`: load catalogue documents (the documented JSON
//! format of docs/CATALOGUE_FORMAT.md), report every bad record with its position and
//! reason, and store all or nothing.

use crate::db::catalogue::ImportCounts;
use crate::db::Store;
use onewindow_api::catalogue::CatalogueDocument;
use onewindow_api::check::{check_document, RecordProblem};
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a catalogue document at {at} (line {line}, column {column}): {message}")]
    Parse {
        path: PathBuf,
        at: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}", Problems(.0))]
    Invalid(Vec<RecordProblem>),
    #[error("storing the catalogue failed: {0}")]
    Store(#[from] sqlx::Error),
}

struct Problems<'a>(&'a [RecordProblem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problem(s); nothing was imported:", self.0.len())?;
        for p in self.0 {
            writeln!(f, "  {} ({}) {}: {}", p.record, p.code, p.path, p.reason)?;
        }
        Ok(())
    }
}

/// Parses one document, naming the JSON path, line and column of the first error.
pub fn parse_document(path: &Path, text: &str) -> Result<CatalogueDocument, ImportError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let at = e.path().to_string();
        let inner = e.into_inner();
        ImportError::Parse {
            path: path.to_owned(),
            at,
            line: inner.line(),
            column: inner.column(),
            message: inner.to_string(),
        }
    })
}

pub fn read_document(path: &Path) -> Result<CatalogueDocument, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_document(path, &text)
}

/// Checks `doc` against itself and the stored catalogue, then stores it in one transaction.
pub async fn import(store: &Store, doc: &CatalogueDocument) -> Result<ImportCounts, ImportError> {
    let known = store.known_refs().await?;
    let problems = check_document(doc, &known);
    if !problems.is_empty() {
        return Err(ImportError::Invalid(problems));
    }
    Ok(store.import_document(doc).await?)
}

/// Reads every `*.json` file of `dir` in name order into one document, so that the demo
/// data imports as one transaction.
pub fn read_dir(dir: &Path) -> Result<CatalogueDocument, ImportError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut all = CatalogueDocument::default();
    for f in files {
        let doc = read_document(&f)?;
        all.departments.extend(doc.departments);
        all.themes.extend(doc.themes);
        all.halls.extend(doc.halls);
        all.items.extend(doc.items);
    }
    Ok(all)
}
