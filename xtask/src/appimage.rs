//! The desktop app as an AppImage, built here from the app binary without the tools the
//! Tauri CLI would download from GitHub (linuxdeploy, its AppRun): the binary, the
//! libraries it and WebKitGTK's helper processes load (those tied to the host's drivers
//! and C library excepted), WebKit's helpers, GSettings schemas, an `AppRun` and the
//! desktop entry go into an AppDir; `mksquashfs` packs it behind the AppImage type-2
//! runtime of AppImageKit, as published on crates.io in the `appimage` crate.

use crate::sh::{cmd, output, run};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The AppImage runtime (AppImageKit, build 8bbf694): `assets/runtime-x86_64` of this
/// crate on crates.io (MIT or Apache-2.0), checked by its SHA-256.
const RUNTIME_CRATE: &str = "https://static.crates.io/crates/appimage/appimage-0.4.0.crate";
const RUNTIME_IN_CRATE: &str = "appimage-0.4.0/assets/runtime-x86_64";
const RUNTIME_SHA256: &str = "328e0d745c5c6817048c27bc3e8314871703f8f47ffa81a37cb06cd95a94b323";

/// Where WebKitGTK keeps its helper processes; `libwebkit2gtk` has this path built in.
const WEBKIT: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1";
/// The same path seen from the AppDir's `usr`, of the same length, which `AppRun` makes
/// the working directory (the way linuxdeploy's GTK plugin relocates WebKit).
const WEBKIT_RELATIVE: &str = "././/lib/x86_64-linux-gnu/webkit2gtk-4.1";

/// GIO's modules on the build machine.
const GIO_MODULES: &str = "/usr/lib/x86_64-linux-gnu/gio/modules";

/// Libraries taken from the host instead of the AppImage: the C library, and those that
/// must match the host's graphics drivers, X server, fonts or C++ runtime (as in the
/// AppImage project's exclude list).
const FROM_HOST: &[&str] = &[
    "ld-linux",
    "libc.so",
    "libm.so",
    "libmvec.so",
    "libdl.so",
    "libpthread.so",
    "librt.so",
    "libresolv.so",
    "libutil.so",
    "libanl.so",
    "libnsl.so",
    "libstdc++.so",
    "libgcc_s.so",
    "libGL",
    "libEGL",
    "libOpenGL",
    "libglapi",
    "libgbm",
    "libdrm",
    "libX",
    "libxcb",
    "libxshmfence",
    "libwayland-",
    "libfontconfig",
    "libfreetype",
    "libharfbuzz",
    "libexpat",
    "libz.so",
    "libasound",
    "libgpg-error",
    "libp11-kit",
    "libcom_err",
];

/// Builds `OneWindow_{version}_amd64.AppImage` under `out` from the app `binary`; its path.
pub fn build(binary: &Path, out: &Path, version: &str) -> Result<PathBuf> {
    if !cfg!(target_arch = "x86_64") {
        bail!("the AppImage is built on x86_64 only");
    }
    let appdir = out.join("OneWindow.AppDir");
    if appdir.exists() {
        std::fs::remove_dir_all(&appdir)?;
    }
    // Only this build's image stays (the bench tests the one it finds).
    for e in std::fs::read_dir(out)? {
        let path = e?.path();
        if path.extension().is_some_and(|x| x == "AppImage") {
            std::fs::remove_file(path)?;
        }
    }
    let lib = appdir.join("usr/lib");
    let helpers = appdir.join("usr").join(WEBKIT.trim_start_matches("/usr/"));
    std::fs::create_dir_all(appdir.join("usr/bin"))?;
    std::fs::create_dir_all(&helpers)?;
    copy(binary, &appdir.join("usr/bin/onewindow-app"))?;

    // WebKit's helper processes and injected bundle, and every library anything here loads.
    let mut elves = vec![binary.to_path_buf()];
    for name in [
        "WebKitWebProcess",
        "WebKitNetworkProcess",
        "WebKitGPUProcess",
    ] {
        let from = Path::new(WEBKIT).join(name);
        if from.exists() {
            copy(&from, &helpers.join(name))?;
            elves.push(from);
        }
    }
    std::fs::create_dir_all(helpers.join("injected-bundle"))?;
    for e in std::fs::read_dir(Path::new(WEBKIT).join("injected-bundle"))? {
        let from = e?.path();
        copy(
            &from,
            &helpers.join("injected-bundle").join(file_name(&from)?),
        )?;
        elves.push(from);
    }
    // GIO's modules (TLS for WebKit's network process, proxies, dconf settings), which
    // the bundled GLib would otherwise load from the host.
    let gio = appdir.join("usr/lib/gio/modules");
    std::fs::create_dir_all(&gio)?;
    for e in std::fs::read_dir(GIO_MODULES)? {
        let from = e?.path();
        if from.extension().is_some_and(|x| x == "so") {
            copy(&from, &gio.join(file_name(&from)?))?;
            elves.push(from);
        }
    }
    let mut libraries = BTreeMap::new();
    for elf in &elves {
        libraries.extend(needed(elf)?);
    }
    for (name, path) in &libraries {
        copy(path, &lib.join(name))?;
    }
    relocate_webkit(&lib.join("libwebkit2gtk-4.1.so.0"))?;

    // GSettings schemas (GTK's file chooser reads its own), the desktop entry and icon.
    let schemas = appdir.join("usr/share/glib-2.0/schemas");
    std::fs::create_dir_all(&schemas)?;
    copy(
        Path::new("/usr/share/glib-2.0/schemas/gschemas.compiled"),
        &schemas.join("gschemas.compiled"),
    )?;
    let icon = crate::root().join("icons/128x128.png");
    copy(&icon, &appdir.join("onewindow-app.png"))?;
    copy(&icon, &appdir.join(".DirIcon"))?;
    std::fs::write(
        appdir.join("onewindow-app.desktop"),
        "[Desktop Entry]\nType=Application\nName=OneWindow\nComment=Government services in one app\n\
         Exec=onewindow-app %u\nIcon=onewindow-app\nCategories=Office;\n\
         MimeType=x-scheme-handler/onewindow;\nTerminal=false\n",
    )?;
    write_executable(&appdir.join("AppRun"), APP_RUN)?;

    let squashfs = out.join("OneWindow.squashfs");
    let _ = std::fs::remove_file(&squashfs);
    run(&mut cmd(
        "mksquashfs",
        &[
            &appdir.to_string_lossy(),
            &squashfs.to_string_lossy(),
            "-root-owned",
            "-noappend",
            "-comp",
            "gzip",
            "-quiet",
        ],
    ))?;
    let mut image = std::fs::read(runtime(out)?)?;
    image.extend(std::fs::read(&squashfs)?);
    std::fs::remove_file(&squashfs)?;
    let target = out.join(format!("OneWindow_{version}_amd64.AppImage"));
    std::fs::write(&target, image)?;
    set_mode(&target, 0o755)?;
    Ok(target)
}

/// Sets up the environment the bundled libraries need and starts the app from `usr`,
/// where WebKit's relocated helper path points.
const APP_RUN: &str = r#"#!/bin/sh
# OneWindow's AppImage entry point: the bundled libraries first, then the app from usr/.
HERE="$(dirname "$(readlink -f "$0")")"
export LD_LIBRARY_PATH="$HERE/usr/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export GSETTINGS_SCHEMA_DIR="$HERE/usr/share/glib-2.0/schemas"
export GIO_MODULE_DIR="$HERE/usr/lib/gio/modules"
export XDG_DATA_DIRS="$HERE/usr/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
cd "$HERE/usr" || exit 1
exec ./bin/onewindow-app "$@"
"#;

/// The libraries `elf` loads (by `ldd`), by file name, except those taken from the host.
fn needed(elf: &Path) -> Result<BTreeMap<String, PathBuf>> {
    let listing = output(&mut cmd("ldd", &[&elf.to_string_lossy()]))
        .with_context(|| format!("ldd {} failed", elf.display()))?;
    let mut out = BTreeMap::new();
    for line in listing.lines() {
        let Some((name, rest)) = line.trim().split_once(" => ") else {
            continue;
        };
        if rest.starts_with("not found") {
            bail!("{} needs {name}, which is not installed", elf.display());
        }
        let Some(path) = rest
            .split_whitespace()
            .next()
            .filter(|p| p.starts_with('/'))
        else {
            continue;
        };
        if !FROM_HOST.iter().any(|h| name.starts_with(h)) {
            out.insert(name.to_owned(), PathBuf::from(path));
        }
    }
    Ok(out)
}

/// Points the helper path built into `libwebkit2gtk` at the AppDir (relative to `usr`).
fn relocate_webkit(library: &Path) -> Result<()> {
    let mut bytes = std::fs::read(library)?;
    let (from, to) = (WEBKIT.as_bytes(), WEBKIT_RELATIVE.as_bytes());
    let mut replaced = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            replaced += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    if replaced == 0 {
        bail!("{} does not name {WEBKIT}", library.display());
    }
    std::fs::write(library, bytes)?;
    Ok(())
}

/// The AppImage runtime, fetched once from crates.io into `dir` and checked.
fn runtime(dir: &Path) -> Result<PathBuf> {
    let path = dir.join("runtime-x86_64");
    if !path.exists() || sha256(&path)? != RUNTIME_SHA256 {
        let archive = dir.join("appimage-runtime.crate");
        run(&mut cmd(
            "curl",
            &["-fsSL", "-o", &archive.to_string_lossy(), RUNTIME_CRATE],
        ))?;
        run(&mut cmd(
            "tar",
            &[
                "-xzf",
                &archive.to_string_lossy(),
                "-C",
                &dir.to_string_lossy(),
                RUNTIME_IN_CRATE,
            ],
        ))?;
        std::fs::rename(dir.join(RUNTIME_IN_CRATE), &path)?;
        let _ = std::fs::remove_dir_all(dir.join("appimage-0.4.0"));
        let _ = std::fs::remove_file(&archive);
        let found = sha256(&path)?;
        if found != RUNTIME_SHA256 {
            bail!("the AppImage runtime from {RUNTIME_CRATE} has SHA-256 {found}, not {RUNTIME_SHA256}");
        }
    }
    Ok(path)
}

fn sha256(path: &Path) -> Result<String> {
    let out =
        output(&mut cmd("sha256sum", &[&path.to_string_lossy()])).context("sha256sum failed")?;
    Ok(out.split_whitespace().next().unwrap_or_default().to_owned())
}

fn file_name(path: &Path) -> Result<&std::ffi::OsStr> {
    path.file_name()
        .with_context(|| format!("{} has no file name", path.display()))
}

/// Copies the file (not a link) at `from`, keeping its mode.
fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    Ok(())
}

fn write_executable(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text)?;
    set_mode(path, 0o755)
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}
