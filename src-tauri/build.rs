//! Tauri's build script, with capabilities under src-tauri/ (the manifest is at the root).
//! Every app command is listed, so that each needs an explicit grant in a capability.

/// The app's commands (see `src-tauri/src/lib.rs`); each gets `allow-…` and `deny-…`.
const COMMANDS: &[&str] = &[
    "server_url",
    "set_server_url",
    "signed_in",
    "login",
    "register",
    "logout",
    "api",
    "download",
    "take_link",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    if let Err(e) = tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    ) {
        panic!("tauri-build failed: {e:#}");
    }
}
