//! The interface's words (`onewindow_ui::text`, shared with the server's pre-rendered
//! pages), the reader's local time, and the app-wide language context.

pub use onewindow_ui::text::*;

use leptos::prelude::*;
use onewindow_api::{Lang, Text};

/// Today on this device (the reader's local day), for the rules that need a date.
pub fn today() -> chrono::NaiveDate {
    let d = js_sys::Date::new_0();
    chrono::NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .unwrap_or_default()
}

/// An RFC 3339 time as the reader's local "YYYY-MM-DD HH:MM"; unparsable input is shown
/// as it is rather than hidden.
pub fn datetime(rfc3339: &str) -> String {
    let d = js_sys::Date::new(&rfc3339.into());
    if d.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The app-wide language, provided once by `App` and read by every component.
#[derive(Debug, Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.0.get()
    }

    /// A reactive text of the interface, for use directly in a view.
    pub fn t(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || t(self.0.get(), key)
    }

    /// A reactive catalogue text in the current language.
    pub fn text(self, text: &Text) -> impl Fn() -> String + Clone + Send + Sync + 'static {
        let text = text.clone();
        move || text.get(self.0.get()).to_owned()
    }
}

/// The language context; `App` provides it, so a missing one is a programming error.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
