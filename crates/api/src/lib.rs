//! The OneWindow contract: wire types of the API and the domain rules that both the
//! server and the app run (identity numbers, working days, the case state machine,
//! catalogue completeness). Pure data and logic; builds for `wasm32-unknown-unknown`.

pub mod account;
pub mod application;
pub mod booking;
pub mod case;
pub mod catalogue;
pub mod check;
pub mod error;
pub mod ics;
pub mod idnum;
pub mod ids;
pub mod notification;
pub mod prereview;
pub mod query;
pub mod rating;
pub mod slots;
pub mod sniff;
pub mod sse;
pub mod stats;
pub mod text;
pub mod thread;
pub mod wallet;
pub mod workdays;

pub use error::{ErrorBody, ErrorCode, FieldError};
pub use text::{Lang, Text};

/// The path prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";
