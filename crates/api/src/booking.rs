//! Appointments (预约): the wire types of open slots, bookings and their codes.

use crate::ids::{BookingId, CaseId, HallCode, ItemCode};
use crate::text::Text;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// Why a booking (or a move to another time) was refused with 409, in the error's
/// `details.reason`: each asks the citizen for something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingRefusal {
    /// The slot filled up: choose another time.
    SlotFull,
    /// The citizen's week already holds the most bookings allowed: another week, or cancel one.
    WeekFull,
    /// The citizen already has an active booking for this item: change or cancel that one.
    AlreadyBooked,
}

impl BookingRefusal {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingRefusal::SlotFull => "slot_full",
            BookingRefusal::WeekFull => "week_full",
            BookingRefusal::AlreadyBooked => "already_booked",
        }
    }

    pub fn parse(s: &str) -> Option<BookingRefusal> {
        [
            BookingRefusal::SlotFull,
            BookingRefusal::WeekFull,
            BookingRefusal::AlreadyBooked,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// `details.reason` of the 409 that refuses to cancel or move a booking whose time has
/// come: the hall records from then on whether the citizen came.
pub const BOOKING_BEGUN: &str = "booking_begun";

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
    /// What to bring (`what_to_bring`): the materials of the linked application's
    /// handling case, or without one those of every handling case of the item.
    pub bring: Vec<Text>,
    #[serde(default)]
    pub application: Option<CaseId>,
    /// The queue ticket number given at check-in.
    #[serde(default)]
    pub ticket: Option<String>,
    pub created_at: String,
    /// Its time has come (in the hall's local time): it can no longer be cancelled or
    /// moved (409 `booking_begun`).
    #[serde(default)]
    pub begun: bool,
}

/// `POST /api/v1/bookings/{id}/reschedule`: moves a booking to another open slot of the
/// same item. The old slot is kept until the new one is taken; if that fails, nothing
/// changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RescheduleRequest {
    pub hall: HallCode,
    pub window: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub start: NaiveDateTime,
}

/// `POST /api/v1/staff/check-in`: the code scanned from the QR code or typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInRequest {
    pub code: String,
}

/// `GET /api/v1/staff/bookings`: one hall's bookings of one local day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct DayQuery {
    pub hall: HallCode,
    /// YYYY-MM-DD; today when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<String>,
}

/// A window's day as staff see it: who comes when, and how full the day is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayList {
    pub bookings: Vec<StaffBooking>,
    /// Seats offered that day at the listed windows, and how many are booked.
    pub seats: u32,
    pub booked: u32,
    /// The windows listed: those of the hall the staff member serves (all, for a
    /// supervisor); the only ones they can close for booking.
    #[serde(default)]
    pub windows: Vec<String>,
}

/// A booking in a staff list: the citizen's name, never their ID number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffBooking {
    pub booking: Booking,
    pub citizen_name: String,
    /// Its time is over (in the hall's time zone): an active booking can now be marked
    /// as not attended.
    #[serde(default)]
    pub ended: bool,
}

/// `POST /api/v1/staff/blocks`: closes a period for booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockRequest {
    pub hall: HallCode,
    /// One window, or the whole hall when absent.
    #[serde(default)]
    pub window: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub start: NaiveDateTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub end: NaiveDateTime,
    pub reason: String,
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

/// What to bring to an appointment for `item`: the materials of handling case
/// `case_code` (the linked application's), or, without it, those of the item's only
/// handling case, or those every one of its handling cases asks for (which the visit
/// needs whichever case it turns out to be).
pub fn what_to_bring(item: &crate::catalogue::ServiceItem, case_code: Option<&str>) -> Vec<Text> {
    let names = |c: &crate::catalogue::HandlingCase| -> Vec<Text> {
        c.materials.iter().map(|m| m.name.clone()).collect()
    };
    if let Some(case) = case_code.and_then(|code| item.cases.iter().find(|c| c.code == code)) {
        return names(case);
    }
    match item.cases.as_slice() {
        [] => Vec::new(),
        [only] => names(only),
        [first, rest @ ..] => first
            .materials
            .iter()
            .filter(|m| {
                rest.iter()
                    .all(|c| c.materials.iter().any(|o| o.code == m.code))
            })
            .map(|m| m.name.clone())
            .collect(),
    }
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

    #[test]
    fn what_to_bring_follows_the_case() {
        let mut item: crate::catalogue::ServiceItem =
            serde_json::from_str(include_str!("../tests/fixtures/item.json")).unwrap();
        item.cases.truncate(1);
        let mut second = item.cases[0].clone();
        second.code = "second".into();
        let shared = item.cases[0].materials[0].clone();
        let mut own = shared.clone();
        own.code = "own-only".into();
        own.name = Text::new("委托书", "Power of attorney");
        second.materials = vec![shared.clone(), own.clone()];
        let first_code = item.cases[0].code.clone();
        let first: Vec<Text> = item.cases[0]
            .materials
            .iter()
            .map(|m| m.name.clone())
            .collect();
        // One case: its materials, linked or not.
        assert_eq!(what_to_bring(&item, None), first);
        item.cases.push(second);
        // Linked to an application: that application's case.
        assert_eq!(
            what_to_bring(&item, Some("second")),
            [shared.name.clone(), own.name.clone()]
        );
        assert_eq!(what_to_bring(&item, Some(&first_code)), first);
        // Not linked, several cases: what every case asks for.
        assert_eq!(
            what_to_bring(&item, None),
            std::slice::from_ref(&shared.name)
        );
        assert_eq!(what_to_bring(&item, Some("unknown")), [shared.name]);
    }
}
