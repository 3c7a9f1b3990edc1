//! One module per route.

mod agents;
mod application;
mod applications;
mod apply;
mod book;
mod booking;
mod bookings;
mod catalogue;
mod guide;
mod hall_desk;
mod home;
mod login;
mod lookup;
mod not_found;
mod register;
mod search;
mod staff;
mod wallet;

pub use agents::Agents;
pub use application::ApplicationPage;
pub use applications::MyApplications;
pub use apply::Apply;
pub use book::Book;
pub use booking::BookingPage;
pub use bookings::MyBookings;
pub use catalogue::Catalogue;
pub use guide::Guide;
pub use hall_desk::HallDesk;
pub use home::Home;
pub use login::Login;
pub use lookup::Lookup;
pub use not_found::NotFound;
pub use register::Register;
pub use search::SearchResults;
pub use staff::StaffConsole;
pub use wallet::Wallet;
