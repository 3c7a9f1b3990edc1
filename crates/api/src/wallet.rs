//! The document wallet (电子证照库) and agents (代办): documents kept for reuse in later
//! applications, and the citizens' authorisations of someone to apply for them.

use crate::application::FileKind;
use crate::catalogue::FileFormat;
use crate::ids::{AuthorisationId, DocumentId, UserId};
use crate::text::Text;
use serde::{Deserialize, Serialize};

/// A document kept in the wallet: a material accepted in an earlier case, or a result
/// document issued to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalletDocument {
    pub id: DocumentId,
    pub kind: FileKind,
    /// The material slot code it was handed in for (`@result` for results).
    pub slot: String,
    /// What it is: the material's name, or the item's name for a result.
    pub title: Text,
    /// The file name given at upload, for display only.
    pub name: String,
    pub format: FileFormat,
    pub size: u64,
    pub sha256: String,
    /// The application number of the case it comes from, if that case still exists.
    #[serde(default)]
    pub source_number: Option<String>,
    pub added_at: String,
    /// The kind of document (电子证照) it is, from the guide of the material it was handed
    /// in for, e.g. `resident_id_card`; none for results and materials of no such kind.
    #[serde(default)]
    pub wallet_kind: Option<String>,
}

impl WalletDocument {
    /// Whether this document is what `material` asks for: kept for the same slot, or of
    /// the same kind of document (an ID card kept from one item fits the ID card of any).
    pub fn fits(&self, material: &crate::catalogue::Material) -> bool {
        self.kind == FileKind::Material
            && (self.slot == material.code
                || (self.wallet_kind.is_some() && self.wallet_kind == material.wallet_kind))
    }
}

/// `POST /api/v1/applications/{id}/materials/{slot}/from-wallet`: attaches a copy of a
/// wallet document to a material slot instead of uploading again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachRequest {
    pub document: DocumentId,
}

/// `POST /api/v1/me/agents`: authorises the account with this phone number to apply on
/// the signed-in citizen's behalf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantRequest {
    pub agent_phone: String,
}

/// An authorisation, as its citizen (the principal) and its agent see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Authorisation {
    pub id: AuthorisationId,
    pub principal: UserId,
    pub principal_name: String,
    pub agent: UserId,
    /// The agent's name masked but for its first character (赵*): authorising a phone
    /// number must not reveal whose it is.
    pub agent_name: String,
    /// The agent's phone number, masked (138****0001).
    pub agent_phone_masked: String,
    pub created_at: String,
}

/// Masks a name for display: the first character (usually the surname) stays.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

/// Masks a phone number for display: the first three and last four digits stay.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let (head, rest) = chars.split_at(3);
    let tail = &rest[rest.len() - 4..];
    format!(
        "{}{}{}",
        head.iter().collect::<String>(),
        "*".repeat(rest.len() - 4),
        tail.iter().collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_fits_its_own_slot_and_any_material_of_its_kind() {
        let item: crate::catalogue::ServiceItem =
            serde_json::from_str(include_str!("../tests/fixtures/item.json")).unwrap();
        let register = item.cases[0].materials[0].clone();
        assert_eq!(register.wallet_kind.as_deref(), Some("household_register"));
        let doc = |slot: &str, wallet_kind: Option<&str>, kind: FileKind| WalletDocument {
            id: DocumentId(1),
            kind,
            slot: slot.into(),
            title: Text::new("户口簿", "Household register"),
            name: "hukou.pdf".into(),
            format: FileFormat::Pdf,
            size: 1,
            sha256: "00".into(),
            source_number: None,
            added_at: "2026-11-24T08:00:00Z".into(),
            wallet_kind: wallet_kind.map(str::to_owned),
        };
        // Kept for the same slot, or for another item's slot of the same kind.
        assert!(doc("household-register", None, FileKind::Material).fits(&register));
        assert!(doc("hukou", Some("household_register"), FileKind::Material).fits(&register));
        // Another kind, no kind, or a result: not this material.
        assert!(!doc("id-card", Some("resident_id_card"), FileKind::Material).fits(&register));
        assert!(!doc("hukou", None, FileKind::Material).fits(&register));
        let mut no_kind = register.clone();
        no_kind.wallet_kind = None;
        assert!(!doc("other", None, FileKind::Material).fits(&no_kind));
        assert!(!doc("@result", Some("household_register"), FileKind::Result).fits(&register));
    }

    #[test]
    fn names_keep_their_first_character() {
        assert_eq!(mask_name("赵一"), "赵*");
        assert_eq!(mask_name("欧阳明月"), "欧***");
        assert_eq!(mask_name("王"), "王*");
        assert_eq!(mask_name(" "), "");
    }

    #[test]
    fn phones_are_masked() {
        assert_eq!(mask_phone("13800000001"), "138****0001");
        assert_eq!(mask_phone("123"), "***");
    }
}
