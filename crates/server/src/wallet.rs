//! The document wallet (电子证照库) as a service: copying a case's accepted materials or
//! issued results into the applicant's wallet, and a wallet document into a new case.
//! Every copy is its own object in storage, so deleting one never touches another.

use crate::applications::item_of;
use crate::db::applications::AppRow;
use crate::db::wallet::NewDocument;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::Storage;
use object_store::path::Path as ObjectPath;
use object_store::ObjectStore;
use onewindow_api::application::FileKind;
use onewindow_api::prereview::find_case;

/// Copies an object to a new key under `prefix`.
pub async fn copy_object(state: &AppState, from: &str, prefix: &str) -> ApiResult<ObjectPath> {
    let to = Storage::new_key(prefix);
    state
        .storage
        .store
        .copy(&ObjectPath::from(from), &to)
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    Ok(to)
}

/// Keeps the files of `kind` of a case in its applicant's wallet. The case's own record
/// does not depend on it, so a failure is logged, not returned: the wallet is a
/// convenience copy and the user can still upload again.
pub async fn keep_case_files(state: &AppState, app: &AppRow, kind: FileKind) {
    if let Err(e) = try_keep(state, app, kind).await {
        tracing::warn!(application = app.id.0, error = %e, "could not copy files to the wallet");
    }
}

async fn try_keep(state: &AppState, app: &AppRow, kind: FileKind) -> anyhow::Result<()> {
    let item = item_of(state, app)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let case = find_case(&item, &app.case_code);
    for f in state.store.file_copies(app.id).await? {
        if f.kind != kind {
            continue;
        }
        let material = case
            .filter(|_| kind == FileKind::Material)
            .and_then(|c| c.materials.iter().find(|m| m.code == f.slot));
        let title = material.map_or_else(|| item.name.clone(), |m| m.name.clone());
        let key = copy_object(
            state,
            &f.storage_key,
            &format!("wallet/{}", app.applicant.0),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let kept = state
            .store
            .add_document(&NewDocument {
                owner: app.applicant,
                kind,
                slot: &f.slot,
                wallet_kind: material.and_then(|m| m.wallet_kind.as_deref()),
                title: &title,
                name: &f.name,
                format: &f.format,
                size: f.size,
                sha256: &f.sha256,
                storage_key: key.as_ref(),
                source: Some(app.id),
            })
            .await;
        // Already kept (same bytes, same slot), or surely not recorded: drop the copy
        // (when the outcome is unknown, the orphan sweep decides later).
        let unknown = kept.as_ref().is_err_and(|e| !crate::db::surely_undone(e));
        if !matches!(kept, Ok(Some(_))) && !unknown {
            let _ = state.storage.store.delete(&key).await;
        }
        kept?;
    }
    Ok(())
}
