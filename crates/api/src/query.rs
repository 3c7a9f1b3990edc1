//! Query parameters and page envelopes of the catalogue, search and health routes.

use crate::catalogue::{Audience, Level, ServiceSummary};
use crate::ids::{DepartmentCode, ThemeCode};
use serde::{Deserialize, Serialize};

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

/// `GET /api/v1/services`: every filter is optional; pages start at 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct ServiceQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<DepartmentCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<ThemeCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Only items that can be applied for online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

impl ServiceQuery {
    /// Page number and size after applying defaults and bounds.
    pub fn paging(&self) -> (u32, u32) {
        paging(self.page, self.per_page)
    }
}

/// Normalises a requested page and page size: page ≥ 1, 1 ≤ size ≤ `MAX_PER_PAGE`.
pub fn paging(page: Option<u32>, per_page: Option<u32>) -> (u32, u32) {
    let page = page.unwrap_or(1).max(1);
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE);
    (page, per_page)
}

/// A page of results with the total count, in a stable order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// `GET /api/v1/search`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct SearchQuery {
    /// Chinese (from one character), pinyin (full or initials) or English.
    pub q: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

/// Longest accepted search query, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

/// One search result with its relevance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub item: ServiceSummary,
    pub score: f32,
    /// True when the hit came from the typo-tolerant fallback.
    pub fuzzy: bool,
}

/// Answer of `GET /api/v1/search`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    pub query: String,
    pub hits: Vec<SearchHit>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// One item as search sees it: its list view and its keywords. `GET /api/v1/search/corpus`
/// lists them all, so that the app can search the catalogue offline as the server does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorpusEntry {
    pub item: ServiceSummary,
    pub keywords: Vec<String>,
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_bounds() {
        assert_eq!(paging(None, None), (1, DEFAULT_PER_PAGE));
        assert_eq!(paging(Some(0), Some(0)), (1, 1));
        assert_eq!(paging(Some(3), Some(1000)), (3, MAX_PER_PAGE));
    }
}

/// `GET /api/v1/applications` (and its CSV export): the applicant's, or for a business
/// member the company's, applications; every filter is optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct ApplicationQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<crate::ids::ItemCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<crate::case::CaseState>,
    /// Only running cases with this light.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub light: Option<crate::workdays::Light>,
    /// Only running cases due on or before this date (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

/// `GET /api/v1/staff/supervision`: running cases near or past their deadline (红黄灯).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct SupervisionQuery {
    /// One light; without it, yellow and red.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub light: Option<crate::workdays::Light>,
    /// For supervisors (admin): one department; staff always see their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<DepartmentCode>,
}
