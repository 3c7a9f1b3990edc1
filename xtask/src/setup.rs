//! Installs what a fresh Debian machine of our kind lacks, skipping what is there:
//! apt packages (when root), the wasm32 target, wasm-bindgen-cli at exactly the version
//! in Cargo.lock, the npm tools (Tauri CLI, wasm-opt, axe-core) and schemathesis (PyPI).

use crate::sh::{cmd, have, output, run, succeeds};
use anyhow::{bail, Context, Result};
use std::process::Command;

/// What a command needs installed.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    pub frontend: bool,
    pub desktop: bool,
    pub browser: bool,
}

impl Needs {
    pub fn frontend() -> Needs {
        Needs {
            frontend: true,
            desktop: false,
            browser: false,
        }
    }

    pub fn all() -> Needs {
        Needs {
            frontend: true,
            desktop: true,
            browser: true,
        }
    }
}

/// Build and test dependencies of the Tauri shell, headless browsers and CJK fonts.
const APT_DESKTOP: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    "libssl-dev",
    "libxdo-dev",
    "libwebkit2gtk-4.1-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    // A session bus and a notification daemon, so the desktop test sees the app's OS
    // notifications.
    "dbus",
    "dunst",
    // A real Secret Service (GNOME Keyring) for the desktop test's session token, and
    // libsecret's client, with which the test reads the keychain.
    "gnome-keyring",
    "libsecret-tools",
    // mksquashfs, for the AppImage of `cargo xtask bench`.
    "squashfs-tools",
];
const APT_BROWSER: &[&str] = &[
    "xvfb",
    "xauth",
    "x11-utils",
    "chromium",
    "chromium-driver",
    "fonts-noto-cjk",
    "webkit2gtk-driver",
];

pub fn setup(needs: Needs) -> Result<()> {
    let mut apt: Vec<&str> = Vec::new();
    if needs.desktop {
        apt.extend(APT_DESKTOP);
    }
    if needs.browser {
        apt.extend(APT_BROWSER);
    }
    apt_install(&apt)?;
    if needs.frontend {
        wasm_target()?;
        wasm_bindgen_cli()?;
        npm_tools()?;
    }
    if needs.browser && needs.desktop {
        tauri_driver()?;
    }
    Ok(())
}

/// tauri-driver, the WebDriver server of the desktop end-to-end test.
fn tauri_driver() -> Result<()> {
    if have("tauri-driver") {
        return Ok(());
    }
    run(Command::new("cargo").args(["install", "--locked", "tauri-driver", "--version", "2.1.0"]))
}

fn apt_install(packages: &[&str]) -> Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            output(Command::new("dpkg-query").args(["-W", "-f=${Status}", p]))
                .is_none_or(|s| !s.contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let is_root = output(Command::new("id").arg("-u")).as_deref() == Some("0");
    if !is_root || !have("apt-get") {
        eprintln!(
            "xtask: missing Debian packages (install them as root): {}",
            missing.join(" ")
        );
        return Ok(());
    }
    eprintln!("xtask: installing {}", missing.join(" "));
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn wasm_target() -> Result<()> {
    rust_target("wasm32-unknown-unknown")
}

/// The Android target the test command checks the shell against (only its standard
/// library: the check needs no Android SDK or NDK).
pub const ANDROID: &str = "aarch64-linux-android";

/// Adds a compilation target through rustup, unless it is there.
pub fn rust_target(target: &str) -> Result<()> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == target) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", target]))
}

/// The version of a package in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock =
        std::fs::read_to_string(crate::root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .map(|i| i + needle.len())
        .context("package not in Cargo.lock")?;
    let end = lock[start..].find('"').context("bad Cargo.lock")?;
    Ok(lock[start..start + end].to_owned())
}

fn wasm_bindgen_cli() -> Result<()> {
    let want = locked_version("wasm-bindgen")?;
    let have_version = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have_version.split_whitespace().nth(1) == Some(want.as_str()) {
        return Ok(());
    }
    // Without --locked: the CLI's own lockfile pins a crate version the registry lacks.
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &want]))
}

/// axe-core, which the browser tests run on every page (relative to the root).
pub const AXE: &str = "node_modules/axe-core/axe.min.js";

fn npm_tools() -> Result<()> {
    let root = crate::root();
    let tauri = root.join("node_modules/.bin/tauri");
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    let axe = root.join(AXE);
    if tauri.exists() && wasm_opt.exists() && axe.exists() {
        return Ok(());
    }
    if !have("npm") {
        bail!("npm is missing: install Node.js and npm (apt-get install nodejs npm)");
    }
    let install = if root.join("package-lock.json").exists() {
        "ci"
    } else {
        "install"
    };
    run(&mut cmd("npm", &[install, "--no-audit", "--no-fund"]))
}

/// The schemathesis version the generated-request test runs.
const SCHEMATHESIS: &str = "4.32.5";

/// schemathesis from PyPI, in its own virtual environment under `target/schemathesis`
/// (where the API test looks for it), unless that version is there.
pub fn schemathesis() -> Result<()> {
    let venv = crate::root().join("target/schemathesis");
    let bin = venv.join("bin/schemathesis");
    let installed = output(Command::new(&bin).arg("--version")).unwrap_or_default();
    if installed.trim().ends_with(SCHEMATHESIS) {
        return Ok(());
    }
    if !venv.join("bin/pip").exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("schemathesis=={SCHEMATHESIS}")))
}

/// True when PostgreSQL answers on 127.0.0.1:5432; tries to start the local cluster.
pub fn ensure_postgres() -> bool {
    let ready = || succeeds(Command::new("pg_isready").args(["-h", "127.0.0.1", "-p", "5432"]));
    if ready() {
        return true;
    }
    if let Some(versions) = output(Command::new("ls").arg("/etc/postgresql")) {
        if let Some(v) = versions.split_whitespace().next() {
            let _ = succeeds(Command::new("pg_ctlcluster").args([
                "--skip-systemctl-redirect",
                v,
                "main",
                "start",
            ]));
            for _ in 0..20 {
                if ready() {
                    return true;
                }
                std::thread::sleep(std::time::Duration::from_millis(500));
            }
        }
    }
    false
}
