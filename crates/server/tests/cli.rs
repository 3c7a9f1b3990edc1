//! The `onewindow-server` command line: seed, synthetic items, import errors and
//! staff accounts, run as the real binary against a temporary SQLite database.

use onewindow_api::account::Role;
use onewindow_server::auth::{hashing_turn, verify_password};
use onewindow_server::db::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn server(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_onewindow-server"))
        .args(args)
        .current_dir(root())
        .env("ONEWINDOW__SERVER__DATA_DIR", dir)
        .env_remove("ONEWINDOW_NEW_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start onewindow-server");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test]
async fn seed_import_and_staff_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let out = server(dir.path(), &["seed", "--synthetic", "50"], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("items"));

    // A staff account needs a department that exists and a good password.
    let add_staff = |department: Option<&str>, password: &str| {
        let mut args = vec![
            "user",
            "add",
            "--role",
            "staff",
            "--name",
            "张三",
            "--phone",
            "13900000001",
        ];
        if let Some(d) = department {
            args.extend(["--department", d]);
        }
        server(dir.path(), &args, Some(&format!("{password}\n")))
    };
    let out = add_staff(None, "window pass 1");
    assert!(!out.status.success());
    assert!(text(&out).contains("--department"), "{}", text(&out));
    let out = add_staff(Some("NOPE"), "window pass 1");
    assert!(!out.status.success() && text(&out).contains("no department NOPE"));
    let out = add_staff(Some("PSB"), "short");
    assert!(!out.status.success() && text(&out).contains("password"));
    let out = add_staff(Some("PSB"), "window pass 1");
    assert!(out.status.success(), "{}", text(&out));

    // A bad import file is reported with its position and exits non-zero.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"items\": [{\"code\": 1}]}").unwrap();
    let out = server(dir.path(), &["import", bad.to_str().unwrap()], None);
    assert!(!out.status.success());
    assert!(text(&out).contains("items[0].code"), "{}", text(&out));

    let url = format!("sqlite://{}/onewindow.db", dir.path().display());
    let store = Store::connect(&url, 2).await.unwrap();
    let demo = onewindow_server::import::read_dir(&root().join("data/demo")).unwrap();
    assert_eq!(
        store.item_count().await.unwrap(),
        demo.items.len() as i64 + 50
    );
    let staff = store
        .user_by_login("13900000001")
        .await
        .unwrap()
        .expect("staff account");
    assert_eq!(staff.role, Role::Staff);
    assert_eq!(staff.department.as_deref(), Some("PSB"));
    let turn = hashing_turn().await;
    assert!(verify_password(&turn, "window pass 1".into(), staff.password_hash.clone()).await);
}

#[tokio::test]
async fn demo_accounts_sign_in_and_are_created_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = server(dir.path(), &["demo-accounts"], None);
    assert!(out.status.success(), "{}", text(&out));
    let first = text(&out);
    assert!(first.contains("13800000001") && first.contains("13900009999"));
    let url = format!("sqlite://{}/onewindow.db", dir.path().display());
    let store = Store::connect(&url, 2).await.unwrap();
    let departments = store.departments().await.unwrap();
    for (phone, role) in [
        ("13800000001", Role::Citizen),
        ("13800000002", Role::BusinessMember),
        ("13900000001", Role::Staff),
        ("13900009999", Role::Admin),
    ] {
        let user = store.user_by_login(phone).await.unwrap().unwrap();
        assert_eq!(user.role, role);
        assert!(
            verify_password(
                &hashing_turn().await,
                onewindow_server::seed::DEMO_PASSWORD.into(),
                user.password_hash
            )
            .await
        );
    }
    let staff = store.user_by_login("13900000001").await.unwrap().unwrap();
    assert_eq!(
        staff.department.as_deref(),
        Some(departments[0].code.as_str())
    );
    // Running it again creates nothing new.
    let again = server(dir.path(), &["demo-accounts"], None);
    assert!(text(&again).contains("(0 new)"), "{}", text(&again));
}
