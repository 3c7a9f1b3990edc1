//! Tauri's build script, with capabilities under src-tauri/ (the manifest is at the root).

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    if let Err(e) = tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"),
    ) {
        panic!("tauri-build failed: {e:#}");
    }
}
