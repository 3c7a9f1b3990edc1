//! Account routes: register, login, logout, and the signed-in account.

use crate::auth::{
    clear_session_cookie, dummy_hash, hash_password, hashing_turn, new_token, session_cookie,
    signed_in_cookie, token_hash, verify_password, CurrentUser,
};
use crate::client_addr::ClientAddr;
use crate::db::accounts::NewUser;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::AppendHeaders;
use chrono::{Duration, Utc};
use onewindow_api::account::{Account, LoginRequest, RegisterRequest, Role, SessionResponse};
use onewindow_api::{ErrorBody, ErrorCode};

/// A session response with the browser's session cookie next to the token in the body.
/// The answer that signs a browser in: the session cookie (for `/api`) and the cookie
/// that tells page requests it is signed in (for the pre-rendered pages).
type WithCookie = (
    AppendHeaders<[(header::HeaderName, String); 2]>,
    ApiJson<SessionResponse>,
);

async fn start_session(
    state: &AppState,
    user: &crate::db::accounts::UserRow,
    headers: &HeaderMap,
) -> ApiResult<WithCookie> {
    let token = new_token();
    let expires = Utc::now() + Duration::hours(state.config.auth.session_ttl_hours);
    state
        .store
        .create_session(&token_hash(&token), user.id, expires.timestamp_millis())
        .await?;
    let age = state.config.auth.session_ttl_hours * 3600;
    let cookie = session_cookie(&token, age, headers);
    Ok((
        AppendHeaders([
            (header::SET_COOKIE, cookie),
            (header::SET_COOKIE, signed_in_cookie(age, headers)),
        ]),
        ApiJson(SessionResponse {
            token,
            expires_at: expires.to_rfc3339(),
            account: user.to_account(),
        }),
    ))
}

/// Registers a citizen, or a business member with their company, and signs them in.
/// One client address registers at most `auth.registrations_per_address` accounts in
/// `auth.registration_window_seconds` (429 beyond).
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = SessionResponse), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> ApiResult<(StatusCode, WithCookie)> {
    let address_key = format!("register:{}", client.limit_key());
    let limiter = &state.register_limiter;
    limiter
        .check(&address_key, 1)
        .await?
        .map_err(|s| ApiError::RateLimited {
            retry_after_seconds: s,
        })?;
    let valid = req
        .validate(crate::applications::today(&state))
        .map_err(ApiError::Validation)?;
    // Every valid attempt counts, made or refused as a duplicate: each costs a hash,
    // and each made one an account.
    limiter.fail(&address_key).await;
    let hash = hash_password(req.password.clone()).await?;
    let role = if valid.company.is_some() {
        Role::BusinessMember
    } else {
        Role::Citizen
    };
    let new = NewUser {
        role,
        name: &valid.name,
        id_number: Some(valid.id_number.as_str()),
        phone: &valid.phone,
        password_hash: &hash,
        department: None,
        company: valid
            .company
            .as_ref()
            .map(|(c, n)| (c.as_str(), n.as_str())),
        lang: req.lang.unwrap_or_default(),
    };
    state
        .store
        .create_user(&new)
        .await
        .map_err(|e| match ApiError::from(e) {
            ApiError::Coded(ErrorCode::Conflict, _) => {
                ApiError::conflict("an account with this ID number or phone number already exists")
            }
            other => other,
        })?;
    let user = state
        .store
        .user_by_login(&valid.phone)
        .await?
        .ok_or_else(|| anyhow::anyhow!("account vanished after registration"))?;
    Ok((
        StatusCode::CREATED,
        start_session(&state, &user, &headers).await?,
    ))
}

/// Signs in with phone number or ID number and password. Repeated failures for one
/// account or from one address are refused for a while (429).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<WithCookie> {
    let login = req.login.trim().to_owned();
    if login.is_empty() || login.len() > 64 || req.password.len() > 1024 {
        return Err(ApiError::Coded(
            ErrorCode::InvalidCredentials,
            "wrong login or password".into(),
        ));
    }
    let account_key = format!("login:{}", login.to_ascii_uppercase());
    let ip_key = format!("ip:{}", client.limit_key());
    let limiter = &state.login_limiter;
    // The limits are checked in the turn that verifies, and the outcome counted before
    // the turn is given up: simultaneous guesses cannot all pass before one is counted.
    let turn = hashing_turn().await;
    for (key, factor) in [(&account_key, 1), (&ip_key, 4)] {
        limiter
            .check(key, factor)
            .await?
            .map_err(|s| ApiError::RateLimited {
                retry_after_seconds: s,
            })?;
    }
    let user = state.store.user_by_login(&login).await?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let ok = verify_password(&turn, req.password, hash).await;
    match user {
        Some(user) if ok => {
            limiter.succeed(&account_key).await;
            start_session(&state, &user, &headers).await
        }
        _ => {
            limiter.fail(&account_key).await;
            limiter.fail(&ip_key).await;
            drop(turn);
            Err(ApiError::Coded(
                ErrorCode::InvalidCredentials,
                "wrong login or password".into(),
            ))
        }
    }
}

/// Revokes the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    me: CurrentUser,
) -> ApiResult<(StatusCode, AppendHeaders<[(header::HeaderName, String); 2]>)> {
    state
        .store
        .revoke_session(&me.token_hash, me.user.id)
        .await?;
    // A live stream of this session ends now (on another instance, at its next look).
    state.hub.wake(me.user.id);
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([
            (header::SET_COOKIE, clear_session_cookie(&headers)),
            (header::SET_COOKIE, signed_in_cookie(0, &headers)),
        ]),
    ))
}

/// The signed-in account; the only place the ID number is shown in clear, to its owner.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Account), (status = 401, body = ErrorBody)))]
pub async fn me(
    State(state): State<AppState>,
    headers: HeaderMap,
    me: CurrentUser,
) -> (
    AppendHeaders<Vec<(header::HeaderName, String)>>,
    ApiJson<Account>,
) {
    // A browser signed in before the pre-rendered pages existed has its session cookie
    // but not the mark that tells page requests so: the app asks for `/me` when it
    // starts, and gets the mark then.
    let cookies = crate::auth::cookies(&headers);
    let by_cookie = cookies
        .iter()
        .any(|(k, v)| *k == crate::auth::SESSION_COOKIE && !v.is_empty());
    let marked = cookies
        .iter()
        .any(|(k, v)| *k == crate::pages::SIGNED_IN_COOKIE && *v == "1");
    let mark = (by_cookie && !marked).then(|| {
        let age = state.config.auth.session_ttl_hours * 3600;
        (header::SET_COOKIE, signed_in_cookie(age, &headers))
    });
    (
        AppendHeaders(mark.into_iter().collect()),
        ApiJson(me.user.to_account()),
    )
}
