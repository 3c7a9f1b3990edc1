//! Deep links: `onewindow://cases/{id}`, `onewindow://bookings/{id}`,
//! `onewindow://threads/{id}` and `onewindow://services/{code}` open the app at that page.
//! Anything else is ignored: a link comes from outside the app and is checked like input.

/// The app's URL scheme.
pub const SCHEME: &str = "onewindow";

/// The page a deep link opens, or `None` for a link the app does not know.
pub fn app_path(url: &str) -> Option<String> {
    let rest = url.trim().strip_prefix(SCHEME)?.strip_prefix("://")?;
    // A trailing slash, a query or a fragment add nothing the app uses.
    let rest = rest.split(['?', '#']).next()?.trim_end_matches('/');
    let (kind, key) = rest.split_once('/')?;
    let id = |key: &str| {
        (!key.is_empty() && key.len() <= 18 && key.bytes().all(|b| b.is_ascii_digit()))
            .then(|| key.to_owned())
    };
    match kind {
        "cases" | "applications" => id(key).map(|id| format!("/applications/{id}")),
        "bookings" => id(key).map(|id| format!("/bookings/{id}")),
        "threads" => id(key).map(|id| format!("/threads/{id}")),
        "services" => (onewindow_api::ids::is_valid_code(key) && !key.starts_with('.'))
            .then(|| format!("/services/{key}")),
        _ => None,
    }
}

/// The page of a notification's link (`/applications/12`, `/bookings/3`, …), checked
/// like a deep link; `None` for anything else.
pub fn notification_page(link: &str) -> Option<String> {
    app_path(&format!("{SCHEME}://{}", link.strip_prefix('/')?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_links_open_their_page() {
        assert_eq!(
            notification_page("/applications/12").as_deref(),
            Some("/applications/12")
        );
        assert_eq!(
            notification_page("/bookings/3").as_deref(),
            Some("/bookings/3")
        );
        assert_eq!(
            notification_page("/threads/9?x=1").as_deref(),
            Some("/threads/9")
        );
        assert_eq!(
            notification_page("/services/PSB-0101").as_deref(),
            Some("/services/PSB-0101")
        );
        assert_eq!(notification_page("https://evil.example/"), None);
        assert_eq!(notification_page("/admin"), None);
        assert_eq!(notification_page("applications/12"), None);
    }

    #[test]
    fn known_links_open_their_page() {
        assert_eq!(
            app_path("onewindow://cases/42").as_deref(),
            Some("/applications/42")
        );
        assert_eq!(
            app_path("onewindow://cases/42/").as_deref(),
            Some("/applications/42")
        );
        assert_eq!(
            app_path("onewindow://services/330100-GA-001?from=sms").as_deref(),
            Some("/services/330100-GA-001")
        );
        assert_eq!(
            app_path("onewindow://bookings/7").as_deref(),
            Some("/bookings/7")
        );
        assert_eq!(
            app_path("onewindow://threads/9").as_deref(),
            Some("/threads/9")
        );
    }

    #[test]
    fn anything_else_is_ignored() {
        for bad in [
            "https://evil.example/cases/1",
            "onewindow:cases/1",
            "onewindow://cases/",
            "onewindow://cases/1/files/2",
            "onewindow://cases/../admin",
            "onewindow://cases/-1",
            "onewindow://services/../../etc",
            "onewindow://services/..",
            "onewindow://services/.hidden",
            "onewindow://services/a%2F..",
            "onewindow://staff/1",
            "onewindow://cases/99999999999999999999999",
            "",
        ] {
            assert_eq!(app_path(bad), None, "{bad}");
        }
    }
}
