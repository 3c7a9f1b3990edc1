//! The OneWindow Tauri shell: a window showing the web front-end, the commands it calls,
//! deep links and the tray; `tasks` are the background tasks. Commands are glue; the
//! logic lives in plain modules tested without a window (`settings`, `session`,
//! `bridge`, `cache`, `outbox`, `live`, `links`, `download`).

pub mod bridge;
pub mod cache;
pub mod download;
pub mod error;
pub mod links;
pub mod live;
pub mod os_notify;
pub mod outbox;
pub mod session;
pub mod settings;
mod tasks;
#[cfg(test)]
mod testing;

use error::IpcError;
use onewindow_api::account::{Account, LoginRequest, RegisterRequest};
use session::TokenStore;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tauri::Manager;

/// The server this app talks to and where its session token is kept.
#[derive(Clone)]
struct Connection {
    server: String,
    store: Result<Arc<dyn TokenStore>, String>,
    /// The offline copies of this server's answers (none without a data dir).
    cache: Option<cache::Cache>,
    /// Drafts saved offline, waiting for this server (none without a data dir).
    outbox: Option<Arc<outbox::Outbox>>,
    /// One HTTP client for the server, so connections are reused.
    http: onewindow_client::ReqwestTransport,
    /// The token as last read from or written to the keychain (`None` until first
    /// read), so that an API call does not ask the keychain each time: the OS keychain
    /// is a D-Bus service on Linux and may be slow or prompt. Only in this process.
    token: Arc<tokio::sync::Mutex<Option<Option<String>>>>,
}

impl Connection {
    fn new(server: String, data_dir: Option<PathBuf>) -> Connection {
        let cache = data_dir.as_deref().map(|d| cache::Cache::new(d, &server));
        let outbox = data_dir
            .as_deref()
            .map(|d| Arc::new(outbox::Outbox::new(d, &server)));
        let store = session::store_for(&server, data_dir)
            .map(Arc::from)
            .map_err(|e| e.to_string());
        Connection {
            http: onewindow_client::ReqwestTransport::new(&server),
            server,
            store,
            cache,
            outbox,
            token: Arc::default(),
        }
    }

    /// The session token of this server: from the keychain the first time, then as
    /// kept here (sign-in and sign-out update both).
    async fn token(&self) -> Result<Option<String>, IpcError> {
        let mut known = self.token.lock().await;
        if let Some(token) = known.as_ref() {
            return Ok(token.clone());
        }
        let token = keychain(self.store()?, |s| s.load()).await?;
        *known = Some(token.clone());
        Ok(token)
    }

    /// Keeps `token` (or none) in the keychain and here.
    async fn set_token(&self, token: Option<String>) -> Result<(), IpcError> {
        let mut known = self.token.lock().await;
        let kept = token.clone();
        keychain(self.store()?, move |s| match &kept {
            Some(t) => s.save(t),
            None => s.clear(),
        })
        .await?;
        *known = Some(token);
        Ok(())
    }

    /// Forgets the session here at once, then in the keychain: the token it was (to
    /// revoke on the server), and whether the keychain let go of it.
    async fn forget_token(&self) -> (Option<String>, Result<(), IpcError>) {
        let mut known = self.token.lock().await;
        let token = match known.take() {
            Some(token) => token,
            None => match self.store() {
                Ok(store) => keychain(store, |s| s.load()).await.ok().flatten(),
                Err(_) => None,
            },
        };
        *known = Some(None);
        let cleared = match self.store() {
            Ok(store) => keychain(store, |s| s.clear()).await,
            Err(e) => Err(e),
        };
        (token, cleared)
    }

    /// A new session or none: the last user's offline copies must not show.
    fn forget_private(&self) {
        if let Some(cache) = &self.cache {
            cache.forget_private();
        }
    }

    fn store(&self) -> Result<Arc<dyn TokenStore>, IpcError> {
        self.store.clone().map_err(IpcError::Keychain)
    }
}

/// The app's state: its data dir and the current connection (none before the first run
/// has chosen a server).
pub struct AppSession {
    data_dir: Option<PathBuf>,
    current: RwLock<Option<Connection>>,
    /// Told when the server or the signed-in user changes, so the live stream follows.
    changed: tokio::sync::Notify,
    /// Told when the server answered again, so that drafts saved offline go at once.
    reachable: tokio::sync::Notify,
    /// The page a deep link asked for, until the page takes it.
    link: std::sync::Mutex<Option<String>>,
}

impl AppSession {
    fn connection(&self) -> Result<Connection, IpcError> {
        self.current
            .read()
            .map_err(|_| IpcError::Storage("the app's state is damaged; restart it".into()))?
            .clone()
            .ok_or(IpcError::NoServer)
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

/// The server the app talks to; `None` on the first run, before one is chosen.
#[tauri::command]
fn server_url(state: tauri::State<'_, AppSession>) -> Option<String> {
    state.connection().ok().map(|c| c.server)
}

/// Chooses the server: checked (HTTPS except loopback, and a OneWindow server must
/// answer there), kept in the settings, and used from now on. Returns it normalised.
#[tauri::command]
async fn set_server_url(
    state: tauri::State<'_, AppSession>,
    url: String,
) -> Result<String, IpcError> {
    let server = settings::validate_server_url(&url)?;
    let connection = Connection::new(server.clone(), state.data_dir.clone());
    bridge::probe(&connection.http).await?;
    if let Some(dir) = &state.data_dir {
        let mut saved = settings::load(dir);
        saved.server_url = Some(server.clone());
        settings::save(dir, &saved)?;
    }
    *state
        .current
        .write()
        .map_err(|_| IpcError::Storage("the app's state is damaged; restart it".into()))? =
        Some(connection);
    state.changed.notify_one();
    Ok(server)
}

/// Whether a session token is kept for this server.
#[tauri::command]
async fn signed_in(state: tauri::State<'_, AppSession>) -> Result<bool, IpcError> {
    Ok(state.connection()?.token().await?.is_some())
}

/// Signs in; the token goes to the keychain and never to the webview.
#[tauri::command]
async fn login(
    state: tauri::State<'_, AppSession>,
    request: LoginRequest,
) -> Result<Account, IpcError> {
    let c = state.connection()?;
    // The keychain first: without one, no session is opened on the server for nothing.
    c.store()?;
    let session = bridge::login(&c.http, &request).await?;
    keep_session(&state, &c, session).await
}

/// Registers an account and signs in, like `login`.
#[tauri::command]
async fn register(
    state: tauri::State<'_, AppSession>,
    request: RegisterRequest,
) -> Result<Account, IpcError> {
    let c = state.connection()?;
    c.store()?;
    let session = bridge::register(&c.http, &request).await?;
    keep_session(&state, &c, session).await
}

/// A new session: its token to the keychain, the last user's offline copies gone, and
/// the live stream told; the account for the webview.
async fn keep_session(
    state: &AppSession,
    c: &Connection,
    (account, token): (Account, String),
) -> Result<Account, IpcError> {
    c.set_token(Some(token)).await?;
    c.forget_private();
    state.changed.notify_one();
    Ok(account)
}

/// Signs out: the session is forgotten here and in the keychain, then revoked on the
/// server.
#[tauri::command]
async fn logout(state: tauri::State<'_, AppSession>) -> Result<(), IpcError> {
    let c = state.connection()?;
    // This device forgets first, whatever the keychain or the network do next: a page
    // read offline after this must not show the last user's copies.
    let (token, cleared) = c.forget_token().await;
    c.forget_private();
    state.changed.notify_one();
    if let Some(token) = token {
        bridge::revoke(&c.http, token).await;
    }
    cleared
}

/// Forwards an API call with the session token added here.
#[tauri::command]
async fn api(
    state: tauri::State<'_, AppSession>,
    call: bridge::ApiCall,
) -> Result<bridge::ApiAnswer, IpcError> {
    let c = state.connection()?;
    let token = c.token().await?;
    let outbox = c.outbox.as_deref();
    let answer = bridge::forward(&c.http, token, &call, c.cache.as_ref(), outbox).await?;
    if answer.cached_at.is_none() && outbox.is_some_and(|o| !o.is_empty()) {
        state.reachable.notify_one();
    }
    Ok(answer)
}

/// Saves a file of the API on this device: fetched with the token here (the page's link
/// carries no session inside the app), then written where the user chooses in the
/// system's save dialog. `None` when the user cancels. `ONEWINDOW_SAVE_DIR` (for tests
/// and kiosks) saves into that directory without asking.
#[tauri::command]
async fn download(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppSession>,
    path: String,
    name: String,
) -> Result<Option<String>, IpcError> {
    use tauri_plugin_dialog::DialogExt;
    let c = state.connection()?;
    let token = c.token().await?;
    let bytes = bridge::fetch_file(&c.http, token, &path).await?;
    let dialog = app.dialog().file();
    let save_dir = std::env::var_os("ONEWINDOW_SAVE_DIR").map(PathBuf::from);
    let name = bridge::file_name(&name, &bytes);
    download::save(bytes, name, save_dir, move |name| {
        dialog
            .set_file_name(name)
            .blocking_save_file()
            .map(|p| p.into_path())
            .transpose()
            .map_err(|e| IpcError::Storage(format!("that place cannot be saved to: {e}")))
    })
    .await
}

/// The page a deep link asked for, once: the page asks at start and on the `navigate`
/// event.
#[tauri::command]
fn take_link(state: tauri::State<'_, AppSession>) -> Option<String> {
    state.link.lock().ok().and_then(|mut l| l.take())
}

/// Shows and focuses the main window (from the tray, a second launch, or a deep link).
/// On mobile the system shows the app's one window.
fn show_window(app: &tauri::AppHandle) {
    #[cfg(desktop)]
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    #[cfg(mobile)]
    let _ = app;
}

/// Deep links that arrived (at start or later): the known ones open their page.
fn open_links(app: &tauri::AppHandle, urls: impl IntoIterator<Item = String>) {
    if let Some(path) = urls.into_iter().find_map(|u| links::app_path(&u)) {
        open_page(app, path);
    }
}

/// Shows the window at a page of the app (checked before): the page takes it with
/// `take_link` on the `navigate` event.
pub(crate) fn open_page(app: &tauri::AppHandle, path: String) {
    use tauri::Emitter;
    if let Ok(mut link) = app.state::<AppSession>().link.lock() {
        *link = Some(path);
    }
    show_window(app);
    let _ = app.emit("navigate", ());
}

#[cfg(desktop)]
/// The tray icon: open the window, or quit (closing the window only hides it, so that
/// notifications keep coming).
fn tray(app: &tauri::App) -> tauri::Result<()> {
    use tauri::menu::{Menu, MenuItem};
    use tauri::tray::TrayIconBuilder;
    let open = MenuItem::with_id(
        app,
        "open",
        "打开一窗通办 Open OneWindow",
        true,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(app, "quit", "退出 Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main")
        .tooltip("一窗通办 OneWindow")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => show_window(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(())
}

/// Listens for deep links, takes the one the app was started with, and on Linux and
/// Windows registers the scheme for this user (macOS and mobile take it from the bundle).
fn deep_links(app: &tauri::App) {
    use tauri_plugin_deep_link::DeepLinkExt;
    let handle = app.handle().clone();
    app.deep_link().on_open_url(move |event| {
        open_links(&handle, event.urls().iter().map(|u| u.to_string()));
    });
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        open_links(app.handle(), urls.iter().map(|u| u.to_string()));
    }
    #[cfg(any(target_os = "linux", all(debug_assertions, windows)))]
    if let Err(e) = app.deep_link().register_all() {
        eprintln!(
            "onewindow: the {} links are not registered: {e}",
            links::SCHEME
        );
    }
}

/// Builds and runs the app. Panics only if the window system cannot start.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    // Mobile TLS: RustCrypto's pure-Rust provider (see Cargo.toml); an error only means
    // one is installed already.
    #[cfg(mobile)]
    let _ = rustls::crypto::CryptoProvider::install_default(rustls_rustcrypto::provider());
    let builder = tauri::Builder::default();
    // First: a second launch (e.g. by a deep link) hands over to the running app.
    #[cfg(desktop)]
    let builder = builder.plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
        show_window(app);
    }));
    builder
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let data_dir = app.path().app_data_dir().ok();
            let saved = data_dir.as_deref().map(settings::load).unwrap_or_default();
            let current = settings::initial_server(&saved)
                .map(|server| Connection::new(server, data_dir.clone()));
            app.manage(AppSession {
                data_dir,
                current: RwLock::new(current),
                changed: tokio::sync::Notify::new(),
                reachable: tokio::sync::Notify::new(),
                link: std::sync::Mutex::new(None),
            });
            #[cfg(target_os = "linux")]
            {
                let handle = app.handle().clone();
                app.manage(os_notify::Desktop::new(
                    None,
                    Arc::new(move |page| open_page(&handle, page)),
                ));
            }
            tauri::async_runtime::spawn(tasks::follow_live(app.handle().clone()));
            tauri::async_runtime::spawn(tasks::offline_upkeep(app.handle().clone()));
            deep_links(app);
            // A desktop without a tray host still runs the app; it just has no icon.
            #[cfg(desktop)]
            if let Err(e) = tray(app) {
                eprintln!("onewindow: no tray icon: {e}");
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window hides it to the tray: the live stream keeps running.
            #[cfg(desktop)]
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if window.app_handle().tray_by_id("main").is_some() {
                    let _ = window.hide();
                    api.prevent_close();
                }
            }
            #[cfg(mobile)]
            let _ = (window, event);
        })
        .invoke_handler(tauri::generate_handler![
            take_link,
            server_url,
            set_server_url,
            signed_in,
            login,
            register,
            logout,
            api,
            download
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| panic!("the OneWindow app could not start: {e}"));
}
