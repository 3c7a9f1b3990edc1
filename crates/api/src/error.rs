//! The error body every API error carries (`{code, message, details}`) and its stable codes.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable machine-readable error codes. Clients match on these, never on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request body or query failed validation; `details` names the fields.
    ValidationFailed,
    /// The body is not valid JSON or does not match the schema.
    MalformedRequest,
    /// The route exists but not with this HTTP method.
    MethodNotAllowed,
    /// The body exceeds the size limit of the route.
    PayloadTooLarge,
    /// The media type of the body is not accepted.
    UnsupportedMediaType,
    /// No session, or the session expired or was revoked.
    Unauthenticated,
    /// Phone/ID number and password do not match.
    InvalidCredentials,
    /// The session's role may not do this.
    Forbidden,
    /// The resource does not exist (or is not visible to the caller).
    NotFound,
    /// The resource already exists (e.g. an account with this ID number).
    Conflict,
    /// The state of the resource does not allow this transition.
    InvalidTransition,
    /// The automatic pre-review found problems; the application's notice lists them all.
    PreReviewFailed,
    /// Too many requests; retry after the time given in `details.retry_after_seconds`.
    RateLimited,
    /// A dependency (database, storage) is unavailable; the request can be retried.
    Unavailable,
    /// An unexpected server error; the details are logged, never sent.
    Internal,
}

impl ErrorCode {
    /// The HTTP status a server answers with for this code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::ValidationFailed => 422,
            ErrorCode::MalformedRequest => 400,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::Unauthenticated | ErrorCode::InvalidCredentials => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict | ErrorCode::InvalidTransition => 409,
            ErrorCode::PreReviewFailed => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal => 500,
        }
    }

    /// True when the same request may succeed if retried later.
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorCode::RateLimited | ErrorCode::Unavailable)
    }
}

/// A problem with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as on the wire, e.g. `id_number`.
    pub field: String,
    /// A stable reason code, e.g. `check_digit`.
    pub reason: String,
    /// A plain-language explanation.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, reason: &str, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.to_owned(),
            reason: reason.to_owned(),
            message: message.into(),
        }
    }
}

/// Extra data of an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetails {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
    /// Which of a route's refusals this is, when one code covers several (a booking's
    /// 409 says whether the slot, the week or the item was full); stable, for clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ErrorDetails {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.retry_after_seconds.is_none() && self.reason.is_none()
    }
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "ErrorDetails::is_empty")]
    pub details: ErrorDetails,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            code,
            message: message.into(),
            details: ErrorDetails::default(),
        }
    }

    /// A validation error listing every failed field at once.
    pub fn validation(fields: Vec<FieldError>) -> ErrorBody {
        let message = fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; ");
        ErrorBody {
            code: ErrorCode::ValidationFailed,
            message,
            details: ErrorDetails {
                fields,
                ..ErrorDetails::default()
            },
        }
    }
}

impl fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for ErrorBody {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_round_trips_and_omits_empty_details() {
        let body = ErrorBody::new(ErrorCode::NotFound, "no such service");
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(json, r#"{"code":"not_found","message":"no such service"}"#);
        let back: ErrorBody = serde_json::from_str(&json).unwrap();
        assert_eq!(back, body);
    }

    #[test]
    fn validation_names_every_field() {
        let body = ErrorBody::validation(vec![
            FieldError::new("id_number", "check_digit", "wrong check digit"),
            FieldError::new("phone", "format", "not a mobile number"),
        ]);
        assert_eq!(body.code.http_status(), 422);
        assert!(body.message.contains("id_number") && body.message.contains("phone"));
        assert_eq!(body.details.fields.len(), 2);
    }
}
