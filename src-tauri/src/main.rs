//! The OneWindow desktop app: a thin binary over the shell library.

// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Linux (WebKitGTK): the web process hands its rendered pages to the window through
    // shared memory instead of DMA-BUF, unless the user chose (`=0` turns DMA-BUF back
    // on). The app's pages are forms and lists; measured under Xvfb this takes the web
    // process from about 220 to 135 MB (docs/PERFORMANCE.md), and it avoids the blank
    // windows some GPU drivers give with DMA-BUF. Set here, before any thread exists.
    //
    //
    // On X11 nothing of the window then draws with OpenGL, so neither does GTK open GLX
    // for it (`GDK_GL=disable`) nor does WebKit ask EGL for the GPU's render node when it
    // starts the web process (`WEBKIT_WEB_RENDER_DEVICE_FILE`): either alone loads Mesa's
    // driver into the app's own process, 18 MB without a GPU, for nothing. Each stays as
    // the user set it, if they did; a Wayland session (measured nowhere here) is left as
    // it is.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
        if std::env::var_os("WAYLAND_DISPLAY").is_none() {
            for (name, value) in [
                ("GDK_GL", "disable"),
                ("WEBKIT_WEB_RENDER_DEVICE_FILE", "/dev/null"),
            ] {
                if std::env::var_os(name).is_none() {
                    std::env::set_var(name, value);
                }
            }
        }
    }
    onewindow_app_lib::run();
}
