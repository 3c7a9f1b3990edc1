//! The HTTP error enum: every failure of a handler becomes `{code, message, details}`
//! with a stable code. Unexpected errors are logged with their cause and answered with a
//! generic 500 that leaks nothing.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use onewindow_api::error::ErrorDetails;
use onewindow_api::{ErrorBody, ErrorCode, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("{1}")]
    Coded(ErrorCode, String),
    /// One of several refusals with the same code, told apart by `details.reason`.
    #[error("{2}")]
    Refused(ErrorCode, &'static str, String),
    #[error("too many requests")]
    RateLimited { retry_after_seconds: u64 },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::Coded(ErrorCode::NotFound, what.into())
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::Coded(ErrorCode::Unauthenticated, "sign in to continue".into())
    }

    pub fn forbidden(what: impl Into<String>) -> ApiError {
        ApiError::Coded(ErrorCode::Forbidden, what.into())
    }

    pub fn conflict(what: impl Into<String>) -> ApiError {
        ApiError::Coded(ErrorCode::Conflict, what.into())
    }

    pub fn malformed(what: impl Into<String>) -> ApiError {
        ApiError::Coded(ErrorCode::MalformedRequest, what.into())
    }

    pub fn field(field: &str, reason: &str, message: &str) -> ApiError {
        ApiError::Validation(vec![FieldError::new(field, reason, message)])
    }

    fn body(&self) -> ErrorBody {
        match self {
            ApiError::Validation(fields) => ErrorBody::validation(fields.clone()),
            ApiError::Coded(code, message) => ErrorBody::new(*code, message.clone()),
            ApiError::Refused(code, reason, message) => ErrorBody {
                details: ErrorDetails {
                    reason: Some((*reason).to_owned()),
                    ..ErrorDetails::default()
                },
                ..ErrorBody::new(*code, message.clone())
            },
            ApiError::RateLimited {
                retry_after_seconds,
            } => ErrorBody {
                code: ErrorCode::RateLimited,
                message: format!("too many attempts; try again in {retry_after_seconds} seconds"),
                details: ErrorDetails {
                    retry_after_seconds: Some(*retry_after_seconds),
                    ..ErrorDetails::default()
                },
            },
            ApiError::Unavailable(_) => ErrorBody::new(
                ErrorCode::Unavailable,
                "the service is temporarily unavailable; please retry",
            ),
            ApiError::Internal(_) => {
                ErrorBody::new(ErrorCode::Internal, "an unexpected error occurred")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(e) => tracing::error!(error = ?e, "internal error"),
            ApiError::Unavailable(e) => tracing::warn!(error = %e, "dependency unavailable"),
            _ => {}
        }
        let body = self.body();
        let status = StatusCode::from_u16(body.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = (status, Json(body)).into_response();
        if let ApiError::RateLimited {
            retry_after_seconds,
        } = self
        {
            if let Ok(v) = HeaderValue::from_str(&retry_after_seconds.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        match e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::Io(_)
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => ApiError::Unavailable(e.to_string()),
            sqlx::Error::Database(ref db) if db.is_unique_violation() => {
                ApiError::conflict("this record already exists")
            }
            sqlx::Error::Database(ref db) if db.code().is_some_and(|c| retryable(&c)) => {
                ApiError::Unavailable(e.to_string())
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

/// Database errors that pass when retried: for PostgreSQL, a connection that failed or
/// was ended (08000, 08001, 08003, 08004, 08006), too many connections (53300), a
/// shutdown or a restart under way (57P01, 57P02, 57P03), and a serialization failure or
/// deadlock (40001, 40P01), but not a statement timeout (57014) or an outcome left unknown
/// (40003); for SQLite, busy and locked (5, 6 and their extended codes).
fn retryable(code: &str) -> bool {
    if code.len() == 5 {
        // PostgreSQL's SQLSTATE: always five characters.
        matches!(
            code,
            "08000"
                | "08001"
                | "08003"
                | "08004"
                | "08006"
                | "53300"
                | "57P01"
                | "57P02"
                | "57P03"
                | "40001"
                | "40P01"
        )
    } else {
        // SQLite's result code, primary in the low byte.
        code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
    }
}

#[cfg(test)]
mod tests {
    use super::retryable;

    #[test]
    fn retryable_database_errors() {
        for code in [
            "57P01", "57P03", "08006", "53300", "40001", "40P01", "5", "517", "6", "262",
        ] {
            assert!(retryable(code), "{code}");
        }
        for code in [
            "23505", "22P02", "42601", "57014", "40003", "2067", "19", "531", "1555",
        ] {
            assert!(!retryable(code), "{code}");
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        match r {
            JsonRejection::MissingJsonContentType(_) => ApiError::Coded(
                ErrorCode::UnsupportedMediaType,
                "send the body as JSON with Content-Type: application/json".into(),
            ),
            JsonRejection::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::Coded(
                    ErrorCode::PayloadTooLarge,
                    "the request body is too large".into(),
                )
            }
            JsonRejection::JsonDataError(e) => ApiError::malformed(format!(
                "the body does not match the expected shape: {}",
                e.body_text().trim_start_matches(
                    "Failed to deserialize the JSON body into the target type: "
                )
            )),
            JsonRejection::JsonSyntaxError(_) => ApiError::malformed("the body is not valid JSON"),
            other => ApiError::malformed(other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::malformed(format!("invalid query parameters: {}", r.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> ApiError {
        ApiError::malformed(format!("invalid path: {}", r.body_text()))
    }
}

/// A path-parameter extractor whose rejections are `ApiError`s.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// A JSON body extractor whose rejections are `ApiError`s.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// A query-string extractor whose rejections are `ApiError`s.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// An answer already serialised as JSON (kept by the catalogue snapshot).
pub fn json_bytes(body: axum::body::Bytes) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}
