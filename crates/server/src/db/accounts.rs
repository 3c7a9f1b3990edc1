//! Accounts, companies and sessions. Session tokens are stored only as SHA-256 hashes.

use super::{now_ms, Store};
use onewindow_api::account::{Account, Company, Role};
use onewindow_api::idnum::mask_id_number;
use onewindow_api::ids::{DepartmentCode, UserId};
use onewindow_api::Lang;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A stored account, with its password hash (never sent out).
#[derive(Clone)]
pub struct UserRow {
    pub id: UserId,
    pub role: Role,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: String,
    pub password_hash: String,
    pub department: Option<String>,
    /// The company the member acts for, once confirmed.
    pub company: Option<Company>,
    /// The company they registered with, while its members have not confirmed them.
    pub company_pending: Option<Company>,
    pub lang: Lang,
}

/// Masks what could identify the user if printed by mistake.
impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl UserRow {
    /// The account as its owner sees it (ID number in clear and masked).
    pub fn to_account(&self) -> Account {
        Account {
            id: self.id,
            role: self.role,
            name: self.name.clone(),
            id_number: self.id_number.clone(),
            id_number_masked: self.id_number.as_deref().map(mask_id_number),
            phone: self.phone.clone(),
            company: self.company.clone(),
            company_pending: self.company_pending.clone(),
            department: self.department.clone().map(DepartmentCode),
            lang: self.lang,
        }
    }
}

/// A new account to store.
pub struct NewUser<'a> {
    pub role: Role,
    pub name: &'a str,
    pub id_number: Option<&'a str>,
    pub phone: &'a str,
    pub password_hash: &'a str,
    pub department: Option<&'a str>,
    pub company: Option<(&'a str, &'a str)>,
    pub lang: Lang,
}

/// The user of a live session: `token_hash = $1`, not revoked, not expired at `$2`.
/// `session_user` reads it, and so does a read that answers a request together with
/// its session (`Store::booking_check`).
pub(super) const LIVE_SESSION: &str = "sessions s JOIN users u ON u.id = s.user_id
     LEFT JOIN companies c ON c.credit_code = u.company
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2";

pub(super) const USER_COLUMNS: &str =
    "u.id, u.role, u.name, u.id_number, u.phone, u.password_hash, u.department,
    u.company, c.name, u.lang, u.company_pending";

pub(super) fn user_from_row(r: &AnyRow) -> Result<UserRow, sqlx::Error> {
    let role: String = r.try_get(1)?;
    let company: Option<String> = r.try_get(7)?;
    let company_name: Option<String> = r.try_get(8)?;
    let lang: String = r.try_get(9)?;
    let pending = r.try_get::<i64, _>(10)? != 0;
    let company = company.map(|credit_code| Company {
        credit_code,
        name: company_name.unwrap_or_default(),
    });
    let (company, company_pending) = if pending {
        (None, company)
    } else {
        (company, None)
    };
    Ok(UserRow {
        id: UserId(r.try_get(0)?),
        role: Role::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("bad role {role}").into()))?,
        name: r.try_get(2)?,
        id_number: r.try_get(3)?,
        phone: r.try_get(4)?,
        password_hash: r.try_get(5)?,
        department: r.try_get(6)?,
        company,
        company_pending,
        lang: Lang::from_tag(&lang),
    })
}

impl Store {
    /// Stores a new account (and its company on first use) and returns its id. A
    /// duplicate ID number or phone is a unique violation, which the caller maps to 409.
    pub async fn create_user(&self, u: &NewUser<'_>) -> Result<UserId, sqlx::Error> {
        let mut tx = self.write().await?;
        let now = now_ms();
        // The first member registers the company and names it; anyone registering later
        // with its credit code (which is public) waits until a member confirms them.
        let mut pending = false;
        if let Some((code, name)) = u.company {
            pending = sqlx::query(
                "INSERT INTO companies (credit_code, name, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (credit_code) DO NOTHING",
            )
            .bind(code)
            .bind(name)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 0;
        }
        let row = sqlx::query(
            "INSERT INTO users (role, name, id_number, phone, password_hash, department, company, lang, created_at, company_pending)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(u.role.as_str())
        .bind(u.name)
        .bind(u.id_number)
        .bind(u.phone)
        .bind(u.password_hash)
        .bind(u.department)
        .bind(u.company.map(|c| c.0))
        .bind(u.lang.tag())
        .bind(now)
        .bind(i64::from(pending))
        .fetch_one(&mut *tx)
        .await?;
        let id = UserId(row.try_get(0)?);
        if let (true, Some((code, _))) = (pending, u.company) {
            // Its members are told someone waits for them.
            let members: Vec<(i64, String)> = sqlx::query_as(
                "SELECT u.id, c.name FROM users u JOIN companies c ON c.credit_code = u.company
                 WHERE u.company = $1 AND u.company_pending = 0 AND u.role = 'business_member'",
            )
            .bind(code)
            .fetch_all(&mut *tx)
            .await?;
            for (member, company) in members {
                let note = crate::notify::member_waiting(UserId(member), u.name, &company);
                super::notifications::write(&mut tx, &note).await?;
            }
        }
        super::audit::record(
            &mut *tx,
            Some(id),
            "account.create",
            &format!("user:{id}"),
            u.role.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The account whose phone number or ID number is `login`.
    pub async fn user_by_login(&self, login: &str) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u LEFT JOIN companies c ON c.credit_code = u.company
             WHERE u.phone = $1 OR u.id_number = $2"
        );
        let row = sqlx::query(&sql)
            .bind(login)
            .bind(login.to_ascii_uppercase())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        expires_at_ms: i64,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user.0)
            .bind(now_ms())
            .bind(expires_at_ms)
            .execute(&mut *tx)
            .await?;
        super::audit::record(
            &mut *tx,
            Some(user),
            "session.create",
            &format!("user:{user}"),
            "",
        )
        .await?;
        tx.commit().await
    }

    /// The user of a live session: not expired, not revoked.
    pub async fn session_user(&self, token_hash: &str) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS} FROM {LIVE_SESSION}");
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(now_ms())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Revokes a session; true if it was live.
    pub async fn revoke_session(
        &self,
        token_hash: &str,
        user: UserId,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(token_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        super::audit::record(
            &mut *tx,
            Some(user),
            "session.revoke",
            &format!("user:{user}"),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    pub async fn company_name(&self, credit_code: &str) -> Result<Option<String>, sqlx::Error> {
        let row = sqlx::query("SELECT name FROM companies WHERE credit_code = $1")
            .bind(credit_code)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get(0)).transpose()
    }

    pub async fn department_exists(&self, code: &str) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query("SELECT 1 FROM departments WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }
}

/// A member of a company, or someone waiting to be confirmed as one.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub id: UserId,
    pub name: String,
    pub phone: String,
    pub pending: bool,
    pub created_at: i64,
}

impl Store {
    /// The members of the company `code` and those waiting to join it, waiting first.
    pub async fn company_members(&self, code: &str) -> Result<Vec<MemberRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, name, phone, company_pending, created_at FROM users
             WHERE company = $1 AND role = 'business_member'
             ORDER BY company_pending DESC, created_at, id",
        )
        .bind(code)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MemberRow {
                    id: UserId(r.try_get(0)?),
                    name: r.try_get(1)?,
                    phone: r.try_get(2)?,
                    pending: r.try_get::<i64, _>(3)? != 0,
                    created_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// A member of company `code` (`actor`) confirms (`confirm`) or turns away someone
    /// waiting to join it; false when `user` is not waiting for this company. Turned
    /// away, they keep their account without a company. Audited either way.
    pub async fn decide_member(
        &self,
        code: &str,
        user: UserId,
        actor: UserId,
        confirm: bool,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let sql = if confirm {
            "UPDATE users SET company_pending = 0 WHERE id = $1 AND company = $2 AND company_pending = 1"
        } else {
            "UPDATE users SET company = NULL, company_pending = 0 WHERE id = $1 AND company = $2 AND company_pending = 1"
        };
        let done = sqlx::query(sql)
            .bind(user.0)
            .bind(code)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if done {
            super::audit::record(
                &mut *tx,
                Some(actor),
                if confirm {
                    "company.confirm_member"
                } else {
                    "company.turn_away"
                },
                &format!("user:{user}"),
                &format!("company: {code}"),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done)
    }
}
