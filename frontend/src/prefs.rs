//! The user's display preferences, remembered in localStorage and mirrored on `<html>`:
//! the language (`lang`) and elder mode (适老化, `data-elder`), which the style sheet
//! turns into larger type, higher contrast and bigger touch targets.

use crate::i18n::I18n;
use leptos::prelude::*;
use onewindow_api::Lang;

/// The localStorage key of the chosen language.
const LANG_KEY: &str = "onewindow.lang";
/// The localStorage key of elder mode ("1" when on).
const ELDER_KEY: &str = "onewindow.elder";

/// Elder mode, app-wide.
#[derive(Debug, Clone, Copy)]
pub struct Elder(pub RwSignal<bool>);

impl Elder {
    pub fn on(self) -> bool {
        self.0.get()
    }

    pub fn toggle(self) {
        self.0.update(|on| *on = !*on);
    }
}

/// The elder-mode context; `App` provides it, so a missing one is a programming error.
pub fn use_elder() -> Elder {
    expect_context::<Elder>()
}

/// Provides the language and elder-mode contexts from what was remembered (else the
/// browser's language), and keeps both remembered and mirrored on `<html>`.
pub fn provide_prefs() -> (I18n, Elder) {
    let i18n = I18n(RwSignal::new(initial_lang()));
    let elder = Elder(RwSignal::new(stored(ELDER_KEY).as_deref() == Some("1")));
    provide_context(i18n);
    provide_context(elder);
    // Tell the browser (screen readers, fonts, spelling) which language the page is in.
    Effect::new(move |_| {
        let lang = i18n.0.get();
        store(LANG_KEY, lang.tag());
        remember_for_pages(lang);
        if let Some(root) = root() {
            let _ = root.set_attribute("lang", lang.tag());
        }
    });
    Effect::new(move |_| {
        let on = elder.0.get();
        store(ELDER_KEY, if on { "1" } else { "0" });
        if let Some(root) = root() {
            let _ = if on {
                root.set_attribute("data-elder", "")
            } else {
                root.remove_attribute("data-elder")
            };
        }
    });
    (i18n, elder)
}

/// The remembered choice, else the browser's preferred language.
fn initial_lang() -> Lang {
    match stored(LANG_KEY).as_deref() {
        Some("en") => Lang::En,
        Some("zh-CN") => Lang::ZhCn,
        _ => web_sys::window()
            .and_then(|w| w.navigator().language())
            .map(|tag| Lang::from_tag(&tag))
            .unwrap_or_default(),
    }
}

fn root() -> Option<web_sys::Element> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn stored(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

fn store(key: &str, value: &str) {
    if let Some(storage) = storage() {
        // Private browsing may refuse to store; the choice then lasts for this page only.
        let _ = storage.set_item(key, value);
    }
}

/// Tells the server's pre-rendered public pages the language too (they cannot read
/// localStorage): the `ow_lang` cookie.
fn remember_for_pages(lang: Lang) {
    use wasm_bindgen::JsCast;
    if let Some(doc) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    {
        let _ = doc.set_cookie(&format!(
            "ow_lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.tag()
        ));
    }
}
