//! The OneWindow Tauri shell: a window showing the web front-end, and the commands it
//! calls. Commands are glue; the logic lives in plain modules tested without a window.

pub mod error;
pub mod settings;

use error::IpcError;

/// The base URL of the OneWindow server the front-end should call.
#[tauri::command]
fn server_url() -> Result<String, IpcError> {
    settings::validate_server_url(&settings::server_url_from_env())
}

/// Builds and runs the app. Panics only if the window system cannot start.
pub fn run() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![server_url])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| panic!("the OneWindow app could not start: {e}"));
}
