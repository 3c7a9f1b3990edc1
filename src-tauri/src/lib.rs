//! The OneWindow Tauri shell: a window showing the web front-end, and the commands it
//! calls. Commands are glue; the logic lives in plain modules tested without a window
//! (`settings`, `session`, `bridge`).

pub mod bridge;
pub mod error;
pub mod session;
pub mod settings;

use error::IpcError;
use onewindow_api::account::{Account, LoginRequest};
use session::TokenStore;
use std::sync::Arc;
use tauri::Manager;

/// The server this app talks to and where its session token is kept.
pub struct AppSession {
    server: String,
    store: Result<Arc<dyn TokenStore>, String>,
}

impl AppSession {
    fn store(&self) -> Result<Arc<dyn TokenStore>, IpcError> {
        self.store.clone().map_err(IpcError::Keychain)
    }
}

/// Runs a keychain operation off the async runtime (the keychain's own client blocks).
async fn keychain<T: Send + 'static>(
    store: Arc<dyn TokenStore>,
    op: impl FnOnce(&dyn TokenStore) -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(move || op(store.as_ref()))
        .await
        .map_err(|e| IpcError::Keychain(format!("the keychain task failed: {e}")))?
}

/// The base URL of the OneWindow server the front-end should call.
#[tauri::command]
fn server_url() -> Result<String, IpcError> {
    settings::validate_server_url(&settings::server_url_from_env())
}

/// Whether a session token is kept for this server.
#[tauri::command]
async fn signed_in(state: tauri::State<'_, AppSession>) -> Result<bool, IpcError> {
    let token = keychain(state.store()?, |s| s.load()).await?;
    Ok(token.is_some())
}

/// Signs in; the token goes to the keychain and never to the webview.
#[tauri::command]
async fn login(
    state: tauri::State<'_, AppSession>,
    request: LoginRequest,
) -> Result<Account, IpcError> {
    let store = state.store()?;
    let (account, token) = bridge::login(&state.server, &request).await?;
    keychain(store, move |s| s.save(&token)).await?;
    Ok(account)
}

/// Signs out: the session is revoked on the server and removed from the keychain.
#[tauri::command]
async fn logout(state: tauri::State<'_, AppSession>) -> Result<(), IpcError> {
    let store = state.store()?;
    if let Some(token) = keychain(store.clone(), |s| s.load()).await? {
        bridge::revoke(&state.server, token).await;
    }
    keychain(store, |s| s.clear()).await
}

/// Forwards an API call with the session token added here.
#[tauri::command]
async fn api(
    state: tauri::State<'_, AppSession>,
    call: bridge::ApiCall,
) -> Result<bridge::ApiAnswer, IpcError> {
    let token = keychain(state.store()?, |s| s.load()).await?;
    bridge::forward(&state.server, token, &call).await
}

/// Builds and runs the app. Panics only if the window system cannot start.
pub fn run() {
    tauri::Builder::default()
        .setup(|app| {
            let server = settings::server_url_from_env();
            let data_dir = app.path().app_data_dir().ok();
            let store = session::store_for(&server, data_dir)
                .map(Arc::from)
                .map_err(|e| e.to_string());
            app.manage(AppSession { server, store });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            server_url, signed_in, login, logout, api
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| panic!("the OneWindow app could not start: {e}"));
}
