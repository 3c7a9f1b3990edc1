//! Identifier newtypes: numeric database ids and stable public codes.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! int_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

macro_rules! code_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(code: impl Into<String>) -> Self {
                Self(code.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

int_id!(
    /// A user account.
    UserId
);
int_id!(
    /// An application (办件).
    CaseId
);
int_id!(
    /// An appointment booking.
    BookingId
);
int_id!(
    /// A notification.
    NotificationId
);
int_id!(
    /// An uploaded file.
    FileId
);
int_id!(
    /// A document of the wallet (电子证照库).
    DocumentId
);
int_id!(
    /// An authorisation of an agent (代办授权).
    AuthorisationId
);
int_id!(
    /// A rating (好差评) of a case or a visit.
    RatingId
);
int_id!(
    /// A question or complaint thread (问/诉).
    ThreadId
);

code_id!(
    /// The stable public code of a service item (事项编码), e.g. `GA-0101`.
    ItemCode
);
code_id!(
    /// The code of a department, e.g. `PSB`.
    DepartmentCode
);
code_id!(
    /// The code of a theme or life event, e.g. `birth`.
    ThemeCode
);
code_id!(
    /// The code of a service hall, e.g. `HALL-CITY`.
    HallCode
);

/// Checks the shape shared by all public codes: 2 to 40 characters of `A-Z a-z 0-9 - _ .`.
pub fn is_valid_code(code: &str) -> bool {
    (2..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_transparently() {
        assert_eq!(serde_json::to_string(&UserId(7)).unwrap(), "7");
        assert_eq!(
            serde_json::to_string(&ItemCode::new("GA-01")).unwrap(),
            "\"GA-01\""
        );
    }

    #[test]
    fn code_shape() {
        assert!(is_valid_code("GA-0101"));
        assert!(is_valid_code("birth_registration"));
        assert!(!is_valid_code("a"));
        assert!(!is_valid_code("../etc"));
        assert!(!is_valid_code("有中文"));
        assert!(!is_valid_code(&"x".repeat(41)));
    }
}
