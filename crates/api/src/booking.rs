//! Appointments (预约): the wire types of open slots, bookings and their codes.

use crate::ids::{BookingId, CaseId, HallCode, ItemCode};
use crate::text::Text;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// `GET /api/v1/services/{code}/slots`: one hall, or without it every hall that handles
/// the item (for items handled city-wide, 全市通办, the earliest slots anywhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct SlotQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hall: Option<HallCode>,
}

/// A slot with room left, at one window of one hall (local time of the hall).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenSlot {
    pub hall: HallCode,
    pub window: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub start: NaiveDateTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub end: NaiveDateTime,
    /// Bookings still possible.
    pub free: u32,
}

/// `POST /api/v1/bookings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingRequest {
    pub item: ItemCode,
    pub hall: HallCode,
    pub window: String,
    /// The slot's local start, as listed.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub start: NaiveDateTime,
    /// A random key for this booking attempt (8–64 characters): a retry after a lost
    /// answer returns the same booking instead of a second one.
    pub idempotency_key: String,
    /// An application this visit belongs to (e.g. to hand in originals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<CaseId>,
}

/// The state of a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookingState {
    Active,
    Cancelled,
    CheckedIn,
    NoShow,
}

impl BookingState {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingState::Active => "active",
            BookingState::Cancelled => "cancelled",
            BookingState::CheckedIn => "checked_in",
            BookingState::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<BookingState> {
        [
            BookingState::Active,
            BookingState::Cancelled,
            BookingState::CheckedIn,
            BookingState::NoShow,
        ]
        .into_iter()
        .find(|b| b.as_str() == s)
    }
}

/// A booking as its citizen sees it: everything needed to turn up at the right place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Booking {
    pub id: BookingId,
    /// The code shown at check-in (and in the QR code).
    pub code: String,
    pub state: BookingState,
    pub item: ItemCode,
    pub item_name: Text,
    pub hall: HallCode,
    pub hall_name: Text,
    pub address: Text,
    pub window: String,
    pub window_name: Text,
    pub floor: Text,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub start: NaiveDateTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub end: NaiveDateTime,
    pub timezone: String,
    /// What to bring: the materials of the item's first handling case.
    pub bring: Vec<Text>,
    #[serde(default)]
    pub application: Option<CaseId>,
    pub created_at: String,
}

/// Characters of booking codes: no 0/O, 1/I/L, so that a code read aloud or typed from
/// paper cannot be mistaken.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Length of a booking code.
pub const CODE_LEN: usize = 8;

/// Whether `code` has the shape of a booking code (for a check-in form).
pub fn is_booking_code(code: &str) -> bool {
    code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_avoid_lookalikes() {
        for c in [b'0', b'O', b'1', b'I', b'L'] {
            assert!(!CODE_ALPHABET.contains(&c));
        }
        assert!(is_booking_code("7K3Q9PXA"));
        assert!(!is_booking_code("7K3Q9P0A"));
        assert!(!is_booking_code("7K3Q"));
        assert_eq!(BookingState::parse("no_show"), Some(BookingState::NoShow));
    }
}
