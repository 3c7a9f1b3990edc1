//! Wallet (电子证照库) and agent (代办) storage: a user's kept documents, each with its own
//! object in storage, and citizens' authorisations of agents.

use super::{now_ms, rfc3339, Store};
use onewindow_api::application::FileKind;
use onewindow_api::catalogue::FileFormat;
use onewindow_api::ids::{AuthorisationId, DocumentId, UserId};
use onewindow_api::wallet::{mask_name, mask_phone, Authorisation, WalletDocument};
use onewindow_api::Text;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A document to keep.
#[derive(Debug)]
pub struct NewDocument<'a> {
    pub owner: UserId,
    pub kind: FileKind,
    pub slot: &'a str,
    /// The kind of document it is (the material's `wallet_kind`), if the guide says.
    pub wallet_kind: Option<&'a str>,
    pub title: &'a Text,
    pub name: &'a str,
    pub format: &'a str,
    pub size: u64,
    pub sha256: &'a str,
    pub storage_key: &'a str,
    pub source: Option<onewindow_api::ids::CaseId>,
}

/// A kept document with where its bytes are.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub doc: WalletDocument,
    pub storage_key: String,
}

const DOC_COLUMNS: &str = "d.id, d.kind, d.slot, d.title, d.name, d.format, d.size, d.sha256,
    a.number, d.created_at, d.storage_key, d.wallet_kind";

fn doc_from_row(r: &AnyRow) -> Result<StoredDocument, sqlx::Error> {
    let decode = |what: &str, v: &str| sqlx::Error::Decode(format!("unknown {what} {v}").into());
    let kind: String = r.try_get(1)?;
    let format: String = r.try_get(5)?;
    let title: String = r.try_get(3)?;
    Ok(StoredDocument {
        doc: WalletDocument {
            id: DocumentId(r.try_get(0)?),
            kind: FileKind::parse(&kind).ok_or_else(|| decode("kind", &kind))?,
            slot: r.try_get(2)?,
            title: serde_json::from_str(&title).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            name: r.try_get(4)?,
            format: FileFormat::parse(&format).ok_or_else(|| decode("format", &format))?,
            size: r.try_get::<i64, _>(6)?.max(0) as u64,
            sha256: r.try_get(7)?,
            source_number: r.try_get(8)?,
            added_at: rfc3339(r.try_get(9)?),
            wallet_kind: r.try_get(11)?,
        },
        storage_key: r.try_get(10)?,
    })
}

impl Store {
    /// Keeps a document; `None` when the owner already keeps the same bytes for the same
    /// slot (the caller then deletes its copy).
    pub async fn add_document(
        &self,
        d: &NewDocument<'_>,
    ) -> Result<Option<DocumentId>, sqlx::Error> {
        let title = serde_json::to_string(d.title).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let row = sqlx::query(
            "INSERT INTO wallet_documents (owner, kind, slot, title, name, format, size, sha256,
               storage_key, source_application, created_at, wallet_kind)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (owner, sha256, slot) DO NOTHING RETURNING id",
        )
        .bind(d.owner.0)
        .bind(d.kind.as_str())
        .bind(d.slot)
        .bind(title)
        .bind(d.name)
        .bind(d.format)
        .bind(i64::try_from(d.size).unwrap_or(i64::MAX))
        .bind(d.sha256)
        .bind(d.storage_key)
        .bind(d.source.map(|c| c.0))
        .bind(now_ms())
        .bind(d.wallet_kind)
        .fetch_optional(&self.pool)
        .await?;
        if let (None, Some(kind)) = (&row, d.wallet_kind) {
            // Kept before documents knew their kind (migration 0014): it learns it now.
            sqlx::query(
                "UPDATE wallet_documents SET wallet_kind = $1
                 WHERE owner = $2 AND sha256 = $3 AND slot = $4 AND wallet_kind IS NULL",
            )
            .bind(kind)
            .bind(d.owner.0)
            .bind(d.sha256)
            .bind(d.slot)
            .execute(&self.pool)
            .await?;
        }
        row.map(|r| Ok(DocumentId(r.try_get(0)?))).transpose()
    }

    /// Everything a user keeps, newest first.
    pub async fn documents(&self, owner: UserId) -> Result<Vec<WalletDocument>, sqlx::Error> {
        let sql = format!(
            "SELECT {DOC_COLUMNS} FROM wallet_documents d LEFT JOIN applications a ON a.id = d.source_application
             WHERE d.owner = $1 ORDER BY d.id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(owner.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(doc_from_row(r)?.doc)).collect()
    }

    /// One of the user's documents.
    pub async fn document(
        &self,
        id: DocumentId,
        owner: UserId,
    ) -> Result<Option<StoredDocument>, sqlx::Error> {
        let sql = format!(
            "SELECT {DOC_COLUMNS} FROM wallet_documents d LEFT JOIN applications a ON a.id = d.source_application
             WHERE d.id = $1 AND d.owner = $2"
        );
        let row = sqlx::query(&sql)
            .bind(id.0)
            .bind(owner.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(doc_from_row).transpose()
    }

    /// Deletes one of the user's documents; its storage key, to delete the bytes.
    pub async fn delete_document(
        &self,
        id: DocumentId,
        owner: UserId,
    ) -> Result<Option<String>, sqlx::Error> {
        let mut tx = self.write().await?;
        let key: Option<String> = sqlx::query(
            "DELETE FROM wallet_documents WHERE id = $1 AND owner = $2 RETURNING storage_key",
        )
        .bind(id.0)
        .bind(owner.0)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
        if key.is_some() {
            super::audit::record(
                &mut *tx,
                Some(owner),
                "wallet.delete",
                &format!("document:{}", id.0),
                "",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(key)
    }

    /// Authorises `agent` to apply for `principal`; false when already authorised.
    pub async fn grant(&self, principal: UserId, agent: UserId) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let exists = sqlx::query(
            "SELECT 1 FROM authorisations WHERE principal = $1 AND agent = $2 AND revoked_at IS NULL",
        )
        .bind(principal.0)
        .bind(agent.0)
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
        // Two grants at once may both get here; the unique index of live
        // authorisations (migration 0013) refuses the second, which is told 409.
        if exists {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO authorisations (principal, agent, created_at) VALUES ($1, $2, $3)",
        )
        .bind(principal.0)
        .bind(agent.0)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        super::audit::record(
            &mut *tx,
            Some(principal),
            "agent.grant",
            &format!("user:{}", agent.0),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ends an authorisation the principal gave or the agent received; false if there is
    /// no such active authorisation of this user.
    pub async fn revoke_authorisation(
        &self,
        id: AuthorisationId,
        user: UserId,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE authorisations SET revoked_at = $1 WHERE id = $2 AND (principal = $3 OR agent = $4)
               AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(id.0)
        .bind(user.0)
        .bind(user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if done {
            super::audit::record(
                &mut *tx,
                Some(user),
                "agent.revoke",
                &format!("authorisation:{}", id.0),
                "",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// Whether `agent` may act for `principal` now.
    pub async fn is_agent_of(&self, agent: UserId, principal: UserId) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(
            "SELECT 1 FROM authorisations WHERE principal = $1 AND agent = $2 AND revoked_at IS NULL",
        )
        .bind(principal.0)
        .bind(agent.0)
        .fetch_optional(&self.pool)
        .await?
        .is_some())
    }

    /// The active authorisations a user gave or received.
    pub async fn authorisations(&self, user: UserId) -> Result<Vec<Authorisation>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT z.id, z.principal, p.name, z.agent, g.name, g.phone, z.created_at
             FROM authorisations z JOIN users p ON p.id = z.principal JOIN users g ON g.id = z.agent
             WHERE (z.principal = $1 OR z.agent = $2) AND z.revoked_at IS NULL ORDER BY z.id",
        )
        .bind(user.0)
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Authorisation {
                    id: AuthorisationId(r.try_get(0)?),
                    principal: UserId(r.try_get(1)?),
                    principal_name: r.try_get(2)?,
                    agent: UserId(r.try_get(3)?),
                    agent_name: mask_name(&r.try_get::<String, _>(4)?),
                    agent_phone_masked: mask_phone(&r.try_get::<String, _>(5)?),
                    created_at: rfc3339(r.try_get(6)?),
                })
            })
            .collect()
    }
}
