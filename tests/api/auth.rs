//! Accounts: register, login, logout, me, duplicates, wrong passwords, rate limiting,
//! and ID numbers shown only to their owner.

use onewindow_api::account::{CompanyInput, LoginRequest, RegisterRequest, Role};
use onewindow_api::idnum::credit_code_check_char;
use onewindow_api::ErrorCode;
use onewindow_tests::{backends, unique_id_number, unique_phone, Backend, TestServer};

fn citizen() -> RegisterRequest {
    RegisterRequest {
        id_number: unique_id_number(),
        name: "李晓梅".into(),
        phone: unique_phone(),
        password: "river stone 42".into(),
        company: None,
        lang: None,
    }
}

#[tokio::test]
async fn register_login_me_logout() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let c = server.client();
        let req = citizen();
        let s = c.register(&req).await.unwrap();
        assert_eq!(s.account.role, Role::Citizen);
        assert_eq!(s.account.id_number.as_deref(), Some(req.id_number.as_str()));
        let masked = s.account.id_number_masked.clone().unwrap();
        assert!(masked.contains("**********") && !masked.contains(&req.id_number[4..14]));

        let me = c.me().await.unwrap();
        assert_eq!(me.name, "李晓梅");

        // Login with the phone number and with the ID number (lowercase x accepted).
        let other = server.client();
        let by_phone = other
            .login(&LoginRequest {
                login: req.phone.clone(),
                password: req.password.clone(),
            })
            .await
            .unwrap();
        assert_ne!(by_phone.token, s.token);
        let third = server.client();
        third
            .login(&LoginRequest {
                login: req.id_number.to_lowercase(),
                password: req.password.clone(),
            })
            .await
            .unwrap();

        // Logout revokes only that session, for good.
        let token = c.token().unwrap();
        c.logout().await.unwrap();
        c.set_token(Some(token));
        let e = c.me().await.unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::Unauthenticated));
        assert_eq!(e.status(), Some(401));
        assert_eq!(other.me().await.unwrap().id, me.id);
    }
}

#[tokio::test]
async fn business_member_registration() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        let body = format!(
            "91330102MA2{:06}",
            onewindow_tests::unique_phone()[5..].parse::<u32>().unwrap() % 1_000_000
        );
        let code = format!("{body}{}", credit_code_check_char(&body).unwrap());
        let mut req = citizen();
        req.company = Some(CompanyInput {
            credit_code: code.clone(),
            name: "临江云帆餐饮有限公司".into(),
        });
        let s = c.register(&req).await.unwrap();
        assert_eq!(s.account.role, Role::BusinessMember);
        assert_eq!(s.account.company.as_ref().unwrap().credit_code, code);
    }
}

#[tokio::test]
async fn bad_registrations_name_their_fields() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        let mut req = citizen();
        let id = req.id_number.clone();
        // Change the check digit.
        let last = if id.ends_with('1') { '2' } else { '1' };
        req.id_number = format!("{}{last}", &id[..17]);
        req.phone = "123".into();
        let e = c.register(&req).await.unwrap_err();
        assert_eq!(e.status(), Some(422));
        let onewindow_client::ClientError::Api { body, .. } = e else {
            panic!("{e:?}")
        };
        assert_eq!(body.code, ErrorCode::ValidationFailed);
        let fields: Vec<_> = body
            .details
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.reason.as_str()))
            .collect();
        assert_eq!(fields, [("id_number", "check_digit"), ("phone", "format")]);

        // Eighteen characters, some of them wider than a byte, where the parser once
        // split inside one and panicked: a plain refusal, as a login too.
        let mut req = citizen();
        req.id_number = "1101051949123100é2".into();
        let e = c.register(&req).await.unwrap_err();
        assert_eq!(e.status(), Some(422), "{e:?}");
        let e = c
            .login(&LoginRequest {
                login: "1101051949123100é2".into(),
                password: "whatever 1".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(401), "{e:?}");
    }
}

#[tokio::test]
async fn duplicate_accounts_are_409() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        let req = citizen();
        c.register(&req).await.unwrap();
        let same_id = RegisterRequest {
            phone: unique_phone(),
            ..req.clone()
        };
        let e = c.register(&same_id).await.unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(409), Some(ErrorCode::Conflict))
        );
        let same_phone = RegisterRequest {
            id_number: unique_id_number(),
            ..req
        };
        let e = c.register(&same_phone).await.unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::Conflict));
    }
}

#[tokio::test]
async fn wrong_passwords_and_rate_limiting() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let c = server.client();
        let req = citizen();
        c.register(&req).await.unwrap();
        let anon = server.client();
        let wrong = LoginRequest {
            login: req.phone.clone(),
            password: "wrong password 1".into(),
        };
        for _ in 0..5 {
            let e = anon.login(&wrong).await.unwrap_err();
            assert_eq!(
                (e.status(), e.code()),
                (Some(401), Some(ErrorCode::InvalidCredentials))
            );
        }
        // The sixth attempt is refused even with the right password.
        let right = LoginRequest {
            login: req.phone.clone(),
            password: req.password.clone(),
        };
        let e = anon.login(&right).await.unwrap_err();
        assert_eq!(
            (e.status(), e.code()),
            (Some(429), Some(ErrorCode::RateLimited))
        );
        let onewindow_client::ClientError::Api { body, .. } = e else {
            unreachable!()
        };
        assert!(body.details.retry_after_seconds.unwrap() > 0);

        // An unknown account answers like a wrong password.
        let e = anon
            .login(&LoginRequest {
                login: unique_phone(),
                password: "whatever 1".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(ErrorCode::InvalidCredentials));
    }
}

#[tokio::test]
async fn me_requires_a_valid_token() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        assert_eq!(
            c.me().await.unwrap_err().code(),
            Some(ErrorCode::Unauthenticated)
        );
        c.set_token(Some("not-a-real-token".into()));
        assert_eq!(
            c.me().await.unwrap_err().code(),
            Some(ErrorCode::Unauthenticated)
        );
        assert_eq!(c.logout().await.unwrap_err().status(), Some(401));
    }
}

/// The browser front-end keeps its session in an HttpOnly, SameSite=Strict cookie; the
/// cookie authenticates like the bearer token, and logout revokes and clears it.
#[tokio::test]
async fn browser_session_cookie() {
    for backend in backends() {
        let server = TestServer::shared(backend);
        let http = reqwest::Client::new();
        let req = citizen();
        let res = http
            .post(format!("{}/api/v1/auth/register", server.base_url))
            .json(&req)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let set = res.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(set.starts_with("ow_session="), "{set}");
        for attr in ["HttpOnly", "SameSite=Strict", "Path=/api", "Max-Age="] {
            assert!(set.contains(attr), "{attr} missing in {set}");
        }
        // Served on a loopback address over http, so not Secure (the browser would drop it).
        assert!(!set.contains("Secure"), "{set}");
        let cookie = set.split(';').next().unwrap().to_owned();

        let me = http
            .get(format!("{}/api/v1/me", server.base_url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200);
        let me: serde_json::Value = me.json().await.unwrap();
        assert_eq!(me["name"], "李晓梅");

        // Behind a public host name the cookie is Secure.
        let login = http
            .post(format!("{}/api/v1/auth/login", server.base_url))
            .header("host", "onewindow.example.gov.cn")
            .json(&LoginRequest {
                login: req.phone.clone(),
                password: req.password.clone(),
            })
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200);
        assert!(login.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .ends_with("; Secure"));

        let out = http
            .post(format!("{}/api/v1/auth/logout", server.base_url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 204);
        assert!(out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        let again = http
            .get(format!("{}/api/v1/me", server.base_url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 401);
        // The browser's client keeps no token: its session is the cookie alone.
        let browser = onewindow_client::Client::with_cookie_session(
            onewindow_client::ReqwestTransport::new(&server.base_url),
        );
        browser
            .login(&LoginRequest {
                login: req.phone.clone(),
                password: req.password.clone(),
            })
            .await
            .unwrap();
        assert_eq!(browser.token(), None);
        // A forged or oversized cookie is simply not a session.
        let forged = http
            .get(format!("{}/api/v1/me", server.base_url))
            .header("cookie", format!("other=1; ow_session={}", "x".repeat(300)))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 401);
    }
}

/// Behind a trusted reverse proxy the address limit counts each client by the address
/// the proxy saw (`X-Forwarded-For`), so one client's failures do not lock out everyone
/// behind the proxy; without that trust the header is ignored, so nobody escapes the
/// limit by writing it.
#[tokio::test]
async fn the_address_limit_sees_through_trusted_proxies_only() {
    for (trusted, others_refused) in [(true, false), (false, true)] {
        let server = TestServer::start_with(Backend::Sqlite, |c| {
            c.auth.login_max_failures = 2;
            if trusted {
                c.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
            }
        });
        let http = reqwest::Client::new();
        let attempt = |from: &'static str| {
            let http = http.clone();
            let url = format!("{}/api/v1/auth/login", server.base_url);
            async move {
                http.post(url)
                    .header("x-forwarded-for", from)
                    .json(&LoginRequest {
                        login: unique_phone(),
                        password: "wrong password 1".into(),
                    })
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        // Four times two failures per address, each for another account.
        for _ in 0..8 {
            assert_eq!(attempt("203.0.113.7").await, 401);
        }
        assert_eq!(attempt("203.0.113.7").await, 429, "trusted: {trusted}");
        let other = attempt("198.51.100.9").await;
        assert_eq!(
            other == 429,
            others_refused,
            "trusted: {trusted}, got {other}"
        );
    }
}

/// One client behind an IPv6 /64 counts once, whichever of its addresses it writes from;
/// and a case's application number counts its misses from any address.
#[tokio::test]
async fn limits_count_an_ipv6_client_by_its_64_and_a_case_by_its_number() {
    let server = TestServer::start_with(Backend::Sqlite, |c| {
        c.auth.login_max_failures = 2;
        c.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    });
    let http = reqwest::Client::new();
    let post = |path: &'static str, from: String, body: serde_json::Value| {
        let http = http.clone();
        let url = format!("{}/api/v1{path}", server.base_url);
        async move {
            http.post(url)
                .header("x-forwarded-for", from)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let login = || serde_json::json!({"login": unique_phone(), "password": "wrong password 1"});
    // Two failures per address times four, spread over eight addresses of one /64.
    for i in 0..8 {
        assert_eq!(
            post("/auth/login", format!("2001:db8:7:1::{i:x}"), login()).await,
            401
        );
    }
    assert_eq!(
        post("/auth/login", "2001:db8:7:1::ff".into(), login()).await,
        429
    );
    assert_eq!(
        post("/auth/login", "2001:db8:7:2::1".into(), login()).await,
        401
    );

    // Misses on one application number, each from another address.
    let miss = |number: &str| serde_json::json!({"number": number, "id_number": onewindow_tests::unique_id_number()});
    // Lookups allow twice the login limit.
    for i in 0..4 {
        let from = format!("198.51.100.{}", i + 1);
        assert_eq!(
            post("/lookup", from, miss("20260101-PSB-000042")).await,
            404
        );
    }
    assert_eq!(
        post("/lookup", "192.0.2.200".into(), miss("20260101-PSB-000042")).await,
        429
    );
    assert_eq!(
        post("/lookup", "192.0.2.201".into(), miss("20260101-PSB-000043")).await,
        404
    );
}

/// One address registers a bounded number of accounts per window: every valid attempt
/// counts (a duplicate too, it cost a hash), a form with mistakes does not; the refusal
/// makes no account, and another address is not affected.
#[tokio::test]
async fn registrations_are_limited_per_address() {
    for backend in backends() {
        let server = TestServer::start_with(backend, |c| {
            c.auth.registrations_per_address = 2;
            c.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        });
        let http = reqwest::Client::new();
        let register = |from: &'static str, req: RegisterRequest| {
            let http = http.clone();
            let url = format!("{}/api/v1/auth/register", server.base_url);
            async move {
                let r = http
                    .post(url)
                    .header("x-forwarded-for", from)
                    .json(&req)
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                (status, r.json::<serde_json::Value>().await.unwrap())
            }
        };
        let first = citizen();
        assert_eq!(register("203.0.113.20", first.clone()).await.0, 201);
        let mut mistaken = citizen();
        mistaken.id_number = "12345".into();
        assert_eq!(register("203.0.113.20", mistaken).await.0, 422);
        assert_eq!(register("203.0.113.20", first.clone()).await.0, 409);
        let refused = citizen();
        let (status, body) = register("203.0.113.20", refused.clone()).await;
        assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
        let wait = body["details"]["retry_after_seconds"].as_u64().unwrap();
        assert!((3000..=3600).contains(&wait), "{wait}");
        assert_eq!(register("203.0.113.21", citizen()).await.0, 201);
        // The refused attempt made no account: its phone number signs nobody in.
        let login = http
            .post(format!("{}/api/v1/auth/login", server.base_url))
            .json(&LoginRequest {
                login: refused.phone.clone(),
                password: refused.password.clone(),
            })
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 401, "{backend:?}");
    }
}

/// An ID number whose birth date lies after today is refused, though the date exists
/// and the check character fits (a mistyped year).
#[tokio::test]
async fn an_id_number_born_in_the_future_is_refused() {
    let server = TestServer::shared(Backend::Sqlite);
    let first17 = "11010520991231001";
    let check = onewindow_api::idnum::resident_id_check_char(first17).unwrap();
    let mut r = citizen();
    r.id_number = format!("{first17}{check}");
    let e = server.client().register(&r).await.unwrap_err();
    let onewindow_client::ClientError::Api { body, .. } = &e else {
        panic!("{e}");
    };
    assert_eq!(body.code, ErrorCode::ValidationFailed);
    assert_eq!(body.details.fields[0].field, "id_number");
    assert_eq!(body.details.fields[0].reason, "birth_date");
}
