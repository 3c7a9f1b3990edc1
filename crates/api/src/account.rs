//! Accounts, roles and sessions: the auth DTOs and the registration rules.

use crate::error::FieldError;
use crate::idnum::{CreditCode, ResidentId};
use crate::ids::{DepartmentCode, UserId};
use crate::text::Lang;
use serde::{Deserialize, Serialize};

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A natural person applying for themself.
    Citizen,
    /// A member of a company, acting for it; sees only its company's cases.
    BusinessMember,
    /// Staff of one department; sees only that department's cases.
    Staff,
    /// Administers the catalogue and accounts.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::BusinessMember => "business_member",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [
            Role::Citizen,
            Role::BusinessMember,
            Role::Staff,
            Role::Admin,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// The company a business member belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanyInput {
    /// Unified social credit code (统一社会信用代码).
    pub credit_code: String,
    pub name: String,
}

/// `POST /api/v1/auth/register`: a citizen, or a business member with their company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    pub id_number: String,
    pub name: String,
    /// Mainland mobile number, 11 digits starting with 1.
    pub phone: String,
    pub password: String,
    #[serde(default)]
    pub company: Option<CompanyInput>,
    #[serde(default)]
    pub lang: Option<Lang>,
}

/// `POST /api/v1/auth/login`: `login` is the phone number or the ID number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

/// Answer of register and login: an opaque bearer token and the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionResponse {
    /// Opaque bearer token; send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// RFC 3339 expiry time.
    pub expires_at: String,
    pub account: Account,
}

/// A company as shown to its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Company {
    pub credit_code: String,
    pub name: String,
}

/// `GET /api/v1/me`: the signed-in account. The ID number is in clear here only because
/// this is its owner's own profile; everywhere else it is masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: UserId,
    pub role: Role,
    pub name: String,
    /// Staff and admin accounts created from the command line may have none.
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub id_number_masked: Option<String>,
    pub phone: String,
    /// The company whose cases this business member acts on: one whose members have
    /// confirmed them (the first member of a company is confirmed by registering it).
    #[serde(default)]
    pub company: Option<Company>,
    /// The company a business member registered with while its members have not yet
    /// confirmed them: until then they see none of its cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_pending: Option<Company>,
    #[serde(default)]
    pub department: Option<DepartmentCode>,
    pub lang: Lang,
}

/// `GET /api/v1/me/company/members`: a member of the signed-in member's company, or
/// someone who registered with its credit code and waits to be confirmed by a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanyMember {
    pub id: UserId,
    pub name: String,
    /// The phone number with its middle digits masked, to tell people apart.
    pub phone_masked: String,
    pub pending: bool,
    /// When they registered (RFC 3339).
    pub since: String,
}

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// Mainland mobile numbers: 11 digits, `1[3-9]…`.
pub fn is_mobile_number(phone: &str) -> bool {
    let b = phone.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

/// Password rule: 8–128 characters with at least one letter and one digit.
pub fn password_problem(password: &str) -> Option<&'static str> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        Some("must be at least 8 characters")
    } else if n > PASSWORD_MAX {
        Some("must be at most 128 characters")
    } else if !password.chars().any(char::is_alphabetic)
        || !password.chars().any(|c| c.is_ascii_digit())
    {
        Some("must contain a letter and a digit")
    } else {
        None
    }
}

/// The validated form of a registration.
#[derive(Debug, Clone)]
pub struct ValidRegistration {
    pub id_number: ResidentId,
    pub name: String,
    pub phone: String,
    pub company: Option<(CreditCode, String)>,
}

fn name_problem(name: &str) -> Option<&'static str> {
    let n = name.trim().chars().count();
    if n == 0 {
        Some("is required")
    } else if n > 64 {
        Some("must be at most 64 characters")
    } else if name.chars().any(char::is_control) {
        Some("must not contain control characters")
    } else {
        None
    }
}

impl RegisterRequest {
    /// Checks every field and reports all problems at once; `today` is the caller's
    /// date (no birth date after it).
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<ValidRegistration, Vec<FieldError>> {
        let mut errors = Vec::new();
        let id = ResidentId::parse_on(&self.id_number, today)
            .map_err(|e| errors.push(FieldError::new("id_number", e.reason(), e.to_string())))
            .ok();
        if let Some(p) = name_problem(&self.name) {
            errors.push(FieldError::new("name", "invalid", p));
        }
        if !is_mobile_number(self.phone.trim()) {
            errors.push(FieldError::new(
                "phone",
                "format",
                "must be an 11-digit mobile number",
            ));
        }
        if let Some(p) = password_problem(&self.password) {
            errors.push(FieldError::new("password", "weak", p));
        }
        let company = match &self.company {
            None => None,
            Some(c) => {
                let code = CreditCode::parse(&c.credit_code)
                    .map_err(|e| {
                        errors.push(FieldError::new(
                            "company.credit_code",
                            e.reason(),
                            e.to_string(),
                        ))
                    })
                    .ok();
                if let Some(p) = name_problem(&c.name) {
                    errors.push(FieldError::new("company.name", "invalid", p));
                }
                code.map(|code| (code, c.name.trim().to_owned()))
            }
        };
        match id {
            Some(id_number) if errors.is_empty() => Ok(ValidRegistration {
                id_number,
                name: self.name.trim().to_owned(),
                phone: self.phone.trim().to_owned(),
                company,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn request() -> RegisterRequest {
        RegisterRequest {
            id_number: "11010519491231002X".into(),
            name: "王小明".into(),
            phone: "13800138000".into(),
            password: "correct horse 1".into(),
            company: None,
            lang: None,
        }
    }

    #[test]
    fn a_good_registration_passes() {
        let v = request().validate(today()).unwrap();
        assert_eq!(v.id_number.as_str(), "11010519491231002X");
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let r = RegisterRequest {
            id_number: "110105194912310021".into(),
            name: " ".into(),
            phone: "12345".into(),
            password: "short".into(),
            company: Some(CompanyInput {
                credit_code: "91350100M000100Y44".into(),
                name: "X".into(),
            }),
            lang: None,
        };
        let errs = r.validate(today()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "id_number",
                "name",
                "phone",
                "password",
                "company.credit_code"
            ]
        );
        assert_eq!(errs[0].reason, "check_digit");
    }

    #[test]
    fn phones_and_passwords() {
        assert!(is_mobile_number("19912345678"));
        assert!(!is_mobile_number("12912345678"));
        assert!(!is_mobile_number("1381234567a"));
        assert_eq!(
            password_problem("abcdefgh"),
            Some("must contain a letter and a digit")
        );
        assert_eq!(password_problem("密码密码密码密码1"), None);
    }
}
