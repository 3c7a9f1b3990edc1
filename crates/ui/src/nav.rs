//! The app's navigation, whoever draws it: the destinations of each role (five on a
//! phone's bottom bar: Home, Services, My cases, Appointments, Me; staff get their console
//! and hall desk instead of cases and appointments; the rest in the wide screen's
//! sidebar and on the Me page), which of them a page belongs to, and their icons.

use crate::text::Key;
use onewindow_api::account::Role;

/// One destination: where, its words, its icon, the test id, and whether the phone's
/// bottom bar shows it (the others are on the Me page there).
pub struct Destination {
    pub href: &'static str,
    pub key: Key,
    pub icon: Icon,
    pub testid: &'static str,
    pub bottom: bool,
}

const fn to(href: &'static str, key: Key, icon: Icon, testid: &'static str) -> Destination {
    Destination {
        href,
        key,
        icon,
        testid,
        bottom: true,
    }
}

const fn more(href: &'static str, key: Key, icon: Icon, testid: &'static str) -> Destination {
    Destination {
        bottom: false,
        ..to(href, key, icon, testid)
    }
}

/// The destinations of a role (`None`: signed out), in the order shown.
pub fn destinations(role: Option<Role>) -> Vec<Destination> {
    let mut list = vec![
        to("/", Key::NavHome, Icon::Home, "nav-home"),
        to("/services", Key::NavServices, Icon::Grid, "nav-services"),
    ];
    match role {
        Some(Role::Staff | Role::Admin) => list.extend([
            to("/staff", Key::NavStaff, Icon::Inbox, "nav-staff"),
            to(
                "/staff/hall",
                Key::NavHallDesk,
                Icon::Calendar,
                "nav-hall-desk",
            ),
        ]),
        _ => list.extend([
            to(
                "/applications",
                Key::NavMyCases,
                Icon::Folder,
                "nav-applications",
            ),
            to(
                "/bookings",
                Key::NavBookings,
                Icon::Calendar,
                "nav-bookings",
            ),
        ]),
    }
    if matches!(role, Some(Role::Citizen | Role::BusinessMember)) {
        list.extend([
            more(
                "/notifications",
                Key::NavNotifications,
                Icon::Bell,
                "side-notifications",
            ),
            more("/threads", Key::NavThreads, Icon::Chat, "nav-threads"),
            more("/wallet", Key::NavWallet, Icon::Card, "nav-wallet"),
        ]);
    }
    // Citizens authorise agents; business members can be agents for them.
    if matches!(role, Some(Role::Citizen | Role::BusinessMember)) {
        list.push(more("/agents", Key::NavAgents, Icon::People, "nav-agents"));
    }
    list.push(more("/lookup", Key::NavLookup, Icon::Search, "nav-lookup"));
    list.push(to("/me", Key::NavMe, Icon::Person, "nav-me"));
    list
}

/// Where a role lands after signing in: applicants on their cases, staff and supervisors
/// (admin) on the console.
pub fn home(role: Role) -> &'static str {
    match role {
        Role::Citizen | Role::BusinessMember => "/applications",
        Role::Staff | Role::Admin => "/staff",
    }
}

/// Whether `path` is `href` or a page under it (`/` only itself).
pub fn under(href: &str, path: &str) -> bool {
    match href {
        "/" => path == "/",
        _ => path == href || path.strip_prefix(href).is_some_and(|r| r.starts_with('/')),
    }
}

/// The destination the page at `path` belongs to: the longest that it is under (the
/// hall desk, not the console, for `/staff/hall`); search results are "Services".
pub fn current(list: &[Destination], path: &str) -> Option<&'static str> {
    let path = if path == "/search" { "/services" } else { path };
    list.iter()
        .map(|d| d.href)
        .filter(|href| under(href, path))
        .max_by_key(|href| href.len())
}

/// The few icons of the navigation, drawn as 24×24 strokes; decorative, since each
/// link has its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    Home,
    Grid,
    Folder,
    Calendar,
    Inbox,
    Bell,
    Chat,
    Card,
    People,
    Search,
    Person,
}

impl Icon {
    /// The icon's SVG path, in a 24×24 box.
    pub fn path(self) -> &'static str {
        match self {
            Icon::Home => "M3 11l9-7 9 7M5 10v10h5v-6h4v6h5V10",
            Icon::Grid => "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
            Icon::Folder => "M3 6h6l2 2h10v11H3zM7 13h10",
            Icon::Calendar => "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5",
            Icon::Inbox => "M4 4h16v16H4zM4 14h5l1 2h4l1-2h5",
            Icon::Bell => "M6 17V11a6 6 0 0112 0v6l2 2H4zM10 21h4",
            Icon::Chat => "M4 5h16v11H9l-5 4z",
            Icon::Card => "M3 6h18v12H3zM7 10h4M7 14h8",
            Icon::People => "M9 11a3 3 0 100-6 3 3 0 000 6zM3 20a6 6 0 0112 0M16 5a3 3 0 010 6M18 14a5 5 0 013 6",
            Icon::Search => "M11 18a7 7 0 100-14 7 7 0 000 14zM16 16l5 5",
            Icon::Person => "M12 12a4 4 0 100-8 4 4 0 000 8zM4 21a8 8 0 0116 0",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bottom_bar_has_five_destinations_for_every_role() {
        for role in [
            None,
            Some(Role::Citizen),
            Some(Role::BusinessMember),
            Some(Role::Staff),
            Some(Role::Admin),
        ] {
            let bottom: Vec<_> = destinations(role)
                .into_iter()
                .filter(|d| d.bottom)
                .map(|d| d.href)
                .collect();
            assert_eq!(bottom.len(), 5, "{role:?}: {bottom:?}");
            assert_eq!(bottom[0], "/");
            assert_eq!(bottom[4], "/me");
        }
    }

    #[test]
    fn every_role_lands_on_one_of_its_destinations() {
        for role in [
            Role::Citizen,
            Role::BusinessMember,
            Role::Staff,
            Role::Admin,
        ] {
            let list = destinations(Some(role));
            assert!(list.iter().any(|d| d.href == home(role)), "{role:?}");
        }
    }

    #[test]
    fn a_page_marks_the_destination_it_is_under() {
        let staff = destinations(Some(Role::Staff));
        assert_eq!(current(&staff, "/staff/hall"), Some("/staff/hall"));
        assert_eq!(current(&staff, "/staff"), Some("/staff"));
        assert_eq!(current(&staff, "/staffing"), None);
        let citizen = destinations(Some(Role::Citizen));
        assert_eq!(current(&citizen, "/applications/12"), Some("/applications"));
        assert_eq!(current(&citizen, "/"), Some("/"));
        assert_eq!(current(&citizen, "/services/PSB-0101"), Some("/services"));
        assert_eq!(current(&citizen, "/search"), Some("/services"));
        assert_eq!(current(&citizen, "/stats"), None);
    }
}
