//! `webview-floor BASE_URI [HTML]`: a bare WebKitGTK window (no Tauri, no Rust back end)
//! of the app's size, showing `BASE_URI` or, when given, `HTML` as if loaded from it. The
//! bench measures its idle memory beside the app's, as the floor any app built on the
//! system's WebKitGTK starts from.

#[cfg(target_os = "linux")]
fn main() {
    use gtk::prelude::*;
    use webkit2gtk::WebViewExt as _;

    let mut args = std::env::args().skip(1);
    let Some(base) = args.next() else {
        eprintln!("usage: webview-floor BASE_URI [HTML]");
        std::process::exit(2);
    };
    let html = args.next();
    if let Err(e) = gtk::init() {
        eprintln!("webview-floor: no display: {e}");
        std::process::exit(1);
    }
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    // The size of the app's main window (tauri.conf.json).
    window.set_default_size(1200, 820);
    let view = webkit2gtk::WebView::new();
    window.add(&view);
    match html {
        Some(html) => view.load_html(&html, Some(&base)),
        None => view.load_uri(&base),
    }
    window.connect_destroy(|_| gtk::main_quit());
    window.show_all();
    gtk::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("webview-floor: WebKitGTK runs on Linux only");
    std::process::exit(2);
}
